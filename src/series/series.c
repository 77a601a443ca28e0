/*
 * A series of snapshots: each profile is folded, as it is added, into its
 * functions' flat and cum values (pprof's graph with nothing trimmed) and
 * then forgotten; finishing orders the snapshots, lays the values out per
 * function and ranks the functions, steady growth first.
 */
#define _POSIX_C_SOURCE 200809L
#include "series.h"
#include "../graph/graph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const hf__series_memstat_keys[HF_SERIES_NMEMSTATS] = {
	"HeapAlloc", "HeapInuse", "HeapObjects", "Sys", "NumGC"};

const char *hf_series_trend_name(hf_series_trend trend)
{
	switch (trend) {
	case HF_TREND_STEADY: return "steady";
	case HF_TREND_GROWING: return "growing";
	case HF_TREND_LEVELLING: return "levelling";
	case HF_TREND_STEP: return "step";
	case HF_TREND_NOISY: return "noisy";
	case HF_TREND_FLAT: return "flat";
	case HF_TREND_SHRINKING: return "shrinking";
	}
	return "?";
}

int hf_series_new(hf_series **out, const hf_series_options *opts, hf_error *err)
{
	static const hf_series_options defaults = HF_SERIES_OPTIONS_INIT;
	if (!out)
		return hf__error(err, HF_EINVALID, "hf_series_new: NULL argument");
	*out = NULL;
	hf_series *s = hf__calloc(1, sizeof(*s));
	if (!s)
		return hf__oom(err);
	s->opts = opts ? *opts : defaults;
	hf__intern_init(&s->names, &s->arena);
	const char *t = s->opts.sample_type ? s->opts.sample_type : "";
	if (!(s->sample_type_opt = hf__arena_strndup(&s->arena, t, strlen(t)))) {
		hf_series_free(s);
		return hf__oom(err);
	}
	s->opts.sample_type = s->sample_type_opt;
	*out = s;
	return HF_OK;
}

static void release(hf_series *s, hf__kept_stacks *k)
{
	(void)s;
	if (k && --k->refs == 0) {
		hf_stacks_free(k->stacks);
		hf__free(k);
	}
}

void hf_series_free(hf_series *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nsnaps; i++) {
		hf__free(s->snaps[i].fn);
		hf__free(s->snaps[i].flat);
		hf__free(s->snaps[i].cum);
	}
	hf__free(s->snaps);
	for (int i = 0; i < KEEP_SLOTS; i++)
		release(s, s->keep[i]);
	hf__free(s->flat);
	hf__free(s->cum);
	hf__free(s->flat_stats);
	hf__free(s->cum_stats);
	hf__free(s->flat_rank);
	hf__free(s->cum_rank);
	hf__intern_dispose(&s->names);
	hf__arena_dispose(&s->arena);
	hf__free(s);
}

static const char *main_file(const hf_profile *p)
{
	if (p->nmappings > 0 && p->mappings[0].filename)
		return p->mappings[0].filename;
	return "";
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static char *dup(hf_series *s, const char *str)
{
	return hf__arena_strndup(&s->arena, str, strlen(str));
}

/* The first snapshot fixes the program, the sample types and the type. */
static int adopt(hf_series *s, const hf_profile *p, size_t *index, hf_error *err)
{
	const char *want = s->opts.sample_type;
	if (!want[0]) {
		want = NULL;
		for (size_t i = 0; i < p->nsample_types; i++)
			if (!strcmp(p->sample_types[i].type, "inuse_space"))
				want = "inuse_space";
	}
	int rc = hf_profile_sample_index(p, want, index, err);
	if (rc != HF_OK)
		return rc;
	s->ntypes = p->nsample_types;
	s->types = hf__arena_calloc(&s->arena, s->ntypes ? s->ntypes : 1, sizeof(*s->types));
	if (!s->types || !(s->program = dup(s, main_file(p))))
		return hf__oom(err);
	for (size_t i = 0; i < s->ntypes; i++) {
		s->types[i].type = dup(s, p->sample_types[i].type);
		s->types[i].unit = dup(s, p->sample_types[i].unit);
		if (!s->types[i].type || !s->types[i].unit)
			return hf__oom(err);
		if (!strcmp(p->sample_types[i].type, "inuse_space") ||
		    !strcmp(p->sample_types[i].type, "alloc_space"))
			s->heap = true;
	}
	s->type = s->types[*index].type;
	s->unit = s->types[*index].unit;
	return HF_OK;
}

/* A later snapshot must be of the same program and kind. */
static int same_kind(const hf_series *s, const hf_profile *p, size_t *index, hf_error *err)
{
	const char *prog = main_file(p);
	if (strcmp(prog, s->program) != 0)
		return hf__error(err, HF_EINVALID,
			"a different program (%s) from the series' other snapshots (%s)",
			prog[0] ? base_name(prog) : "no main mapping",
			s->program[0] ? base_name(s->program) : "no main mapping");
	bool same = p->nsample_types == s->ntypes;
	for (size_t i = 0; same && i < s->ntypes; i++)
		same = !strcmp(p->sample_types[i].type, s->types[i].type) &&
		       !strcmp(p->sample_types[i].unit, s->types[i].unit);
	if (!same) {
		char got[160] = "";
		size_t n = 0;
		for (size_t i = 0; i < p->nsample_types && n < sizeof(got) - 1; i++)
			n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%s", i ? " " : "",
				p->sample_types[i].type);
		return hf__error(err, HF_EINVALID,
			"different sample types (%s) from the series' other snapshots (%s...)", got,
			s->types[0].type);
	}
	for (size_t i = 0; i < s->ntypes; i++)
		if (!strcmp(s->types[i].type, s->type)) {
			*index = i;
			return HF_OK;
		}
	return hf__error(err, HF_ENOTFOUND, "no sample type %s", s->type);
}

static int64_t parse_i64(const char *v)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	return end == v ? 0 : (int64_t)n;
}

static void read_memstats(hf__snapshot *snap, const hf_profile *p)
{
	for (size_t k = 0; k < HF_SERIES_NMEMSTATS; k++) {
		for (size_t i = 0; i < p->nmemstats; i++) {
			if (!strcmp(p->memstats[i].key, hf__series_memstat_keys[k])) {
				snap->memstats[k] = parse_i64(p->memstats[i].value);
				snap->memstat_present[k] = true;
				snap->has_memstats = true;
			}
		}
	}
}

/* Is (time, added) of `a` before that of `b`? Unknown times compare by
 * add order alone, as finish does when a time is missing. */
static bool before(int64_t ta, size_t aa, int64_t tb, size_t ab)
{
	if (ta != tb)
		return ta < tb;
	return aa < ab;
}

/* Keeps the snapshot's stacks in the slots it is the best candidate for:
 * earliest and latest by time, first and last added. Folding happens only
 * for candidates, and a fold is shared by the slots holding it. */
static int keep_stacks(hf_series *s, const hf_profile *p, size_t index, int64_t t, size_t added,
	hf_error *err)
{
	bool want[KEEP_SLOTS];
	hf__kept_stacks **k = s->keep;
	want[KEEP_TIME_MIN] = !k[KEEP_TIME_MIN] ||
		before(t, added, k[KEEP_TIME_MIN]->time_nanos, k[KEEP_TIME_MIN]->added);
	want[KEEP_TIME_MAX] = !k[KEEP_TIME_MAX] ||
		before(k[KEEP_TIME_MAX]->time_nanos, k[KEEP_TIME_MAX]->added, t, added);
	want[KEEP_ADD_FIRST] = !k[KEEP_ADD_FIRST];
	want[KEEP_ADD_LAST] = true;
	hf__kept_stacks *ks = hf__calloc(1, sizeof(*ks));
	if (!ks)
		return hf__oom(err);
	hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
	fo.sample_index = (long)index;
	fo.granularity = s->opts.granularity;
	int rc = hf_stacks_fold(&ks->stacks, p, &fo, err);
	if (rc != HF_OK) {
		hf__free(ks);
		return rc;
	}
	ks->time_nanos = t;
	ks->added = added;
	ks->refs = 1; /* ours, until the slots have taken theirs */
	for (int i = 0; i < KEEP_SLOTS; i++) {
		if (!want[i])
			continue;
		release(s, k[i]);
		k[i] = ks;
		ks->refs++;
	}
	release(s, ks);
	return HF_OK;
}

int hf_series_add(hf_series *s, const hf_profile *p, int64_t time_nanos, hf_error *err)
{
	if (!s || !p)
		return hf__error(err, HF_EINVALID, "hf_series_add: NULL argument");
	if (s->finished)
		return hf__error(err, HF_EINVALID, "the series is finished");
	if (p->has_base)
		return hf__error(err, HF_EINVALID, "a difference of two profiles, not a snapshot");
	size_t index;
	int rc = s->nsnaps == 0 ? adopt(s, p, &index, err) : same_kind(s, p, &index, err);
	if (rc != HF_OK)
		return rc;
	hf__snapshot *grown = hf__grow(s->snaps, &s->snaps_cap, s->nsnaps, sizeof(*s->snaps), 16);
	if (!grown)
		return hf__oom(err);
	s->snaps = grown;
	hf__snapshot *snap = &s->snaps[s->nsnaps];
	memset(snap, 0, sizeof(*snap));
	snap->added = s->nsnaps;
	snap->time_nanos = time_nanos ? time_nanos : p->time_nanos;
	snap->total = hf_profile_total(p, index);
	if (!(snap->source = dup(s, p->source ? p->source : "")))
		return hf__oom(err);
	read_memstats(snap, p);

	/* pprof's graph with nothing trimmed gives each function's flat and
	 * cum as --top shows them (recursion counted once in cum). */
	hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
	go.sample_index = (long)index;
	go.granularity = s->opts.granularity;
	go.nodecount = 0;
	go.nodefraction = 0;
	go.edgefraction = 0;
	hf_graph *g = NULL;
	if ((rc = hf__graph_build(&g, p, &go, false, err)) != HF_OK)
		return rc;
	size_t n = g->nnodes;
	snap->fn = hf__malloc(hf__mul(n + 1, sizeof(*snap->fn)));
	snap->flat = hf__malloc(hf__mul(n + 1, sizeof(*snap->flat)));
	snap->cum = hf__malloc(hf__mul(n + 1, sizeof(*snap->cum)));
	s->nsnaps++; /* freed with the series from here on */
	if (!snap->fn || !snap->flat || !snap->cum)
		rc = hf__oom(err);
	for (size_t i = 0; rc == HF_OK && i < n; i++) {
		const hf__gnode *node = &g->nodes[i];
		const char *name = node->info->printable;
		uint32_t id = hf__intern_get(&s->names, name, strlen(name));
		if (id == HF_NONE) {
			rc = hf__oom(err);
			break;
		}
		snap->fn[snap->nfn] = id;
		snap->flat[snap->nfn] = node->flat;
		snap->cum[snap->nfn] = node->cum;
		snap->nfn++;
	}
	hf_graph_free(g);
	if (rc == HF_OK && s->opts.keep_stacks)
		rc = keep_stacks(s, p, index, snap->time_nanos, snap->added, err);
	if (rc != HF_OK)
		s->nsnaps--, hf__free(snap->fn), hf__free(snap->flat), hf__free(snap->cum);
	return rc;
}

/* ---- finishing: order, dense values, statistics, rankings ----------- */

static int by_time(const void *a, const void *b)
{
	const hf__snapshot *x = a, *y = b;
	if (x->time_nanos != y->time_nanos)
		return x->time_nanos < y->time_nanos ? -1 : 1;
	return x->added < y->added ? -1 : x->added > y->added;
}

static int by_added(const void *a, const void *b)
{
	const hf__snapshot *x = a, *y = b;
	return x->added < y->added ? -1 : x->added > y->added;
}

void hf__series_stats(const int64_t *v, const double *x, size_t n, hf_series_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->first = v[0];
	st->last = v[n - 1];
	st->change = (int64_t)((uint64_t)v[n - 1] - (uint64_t)v[0]); /* wraps as Go's */
	double variation = 0;
	for (size_t i = 1; i < n; i++) {
		if (v[i] > v[i - 1])
			st->grew++;
		else if (v[i] < v[i - 1])
			st->fell++;
		variation += fabs((double)v[i] - (double)v[i - 1]);
	}
	double mx = 0, my = 0;
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += (double)v[i];
	}
	mx /= (double)n;
	my /= (double)n;
	double sxy = 0, sxx = 0;
	for (size_t i = 0; i < n; i++) {
		sxy += (x[i] - mx) * ((double)v[i] - my);
		sxx += (x[i] - mx) * (x[i] - mx);
	}
	st->rate = sxx > 0 ? sxy / sxx : 0;
	st->monotonicity = variation > 0 ? (double)st->change / variation : 0;

	size_t intervals = n - 1;
	if (st->change < 0) {
		st->trend = HF_TREND_SHRINKING;
		return;
	}
	if (st->change == 0) {
		st->trend = variation > 0 ? HF_TREND_NOISY : HF_TREND_FLAT;
		return;
	}
	if (st->monotonicity < 0.5) {
		st->trend = HF_TREND_NOISY;
		return;
	}
	bool still_growing = true;
	if (intervals >= 2) {
		size_t m = intervals / 2;
		double early = ((double)v[m] - (double)v[0]) / (double)m;
		double late = ((double)v[n - 1] - (double)v[m]) / (double)(intervals - m);
		still_growing = late >= early / 2;
	}
	if (!still_growing)
		st->trend = HF_TREND_LEVELLING;
	else if (intervals >= 2 && st->grew * 5 >= intervals * 4)
		st->trend = HF_TREND_STEADY;
	else if (st->grew * 2 >= intervals)
		st->trend = HF_TREND_GROWING;
	else
		st->trend = HF_TREND_STEP;
}

/* qsort has no context argument: rank through a small wrapper. */
typedef struct rank_item {
	uint32_t id;
	const hf_series_stats *st;
	const char *name;
} rank_item;

static int by_rank(const void *a, const void *b)
{
	const rank_item *x = a, *y = b;
	if (x->st->trend != y->st->trend)
		return x->st->trend < y->st->trend ? -1 : 1;
	if (x->st->rate != y->st->rate)
		return x->st->rate > y->st->rate ? -1 : 1;
	if (x->st->change != y->st->change)
		return x->st->change > y->st->change ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Ranks the functions whose values are not all 0. */
static int rank(hf_series *s, const int64_t *values, const hf_series_stats *stats, uint32_t **out,
	size_t *count, hf_error *err)
{
	rank_item *items = hf__malloc(hf__mul(s->nfn + 1, sizeof(*items)));
	uint32_t *order = hf__malloc(hf__mul(s->nfn + 1, sizeof(*order)));
	if (!items || !order) {
		hf__free(items);
		hf__free(order);
		return hf__oom(err);
	}
	size_t n = 0;
	for (size_t i = 0; i < s->nfn; i++) {
		bool zero = true;
		for (size_t j = 0; j < s->nsnaps && zero; j++)
			zero = values[i * s->nsnaps + j] == 0;
		if (zero)
			continue;
		items[n].id = (uint32_t)i;
		items[n].st = &stats[i];
		items[n].name = s->names.names[i];
		n++;
	}
	qsort(items, n, sizeof(*items), by_rank);
	for (size_t i = 0; i < n; i++)
		order[i] = items[i].id;
	hf__free(items);
	*out = order;
	*count = n;
	return HF_OK;
}

int hf_series_finish(hf_series *s, hf_error *err)
{
	if (!s)
		return hf__error(err, HF_EINVALID, "hf_series_finish: NULL argument");
	if (s->finished)
		return HF_OK;
	if (s->nsnaps < 2)
		return hf__error(err, HF_EINVALID, "a growth report needs at least two snapshots (got %zu)",
			s->nsnaps);
	s->timed = true;
	for (size_t i = 0; i < s->nsnaps; i++)
		if (s->snaps[i].time_nanos == 0)
			s->timed = false;
	qsort(s->snaps, s->nsnaps, sizeof(*s->snaps), s->timed ? by_time : by_added);
	if (s->timed && s->snaps[0].time_nanos == s->snaps[s->nsnaps - 1].time_nanos)
		s->timed = false; /* all at one instant: no minutes to measure */
	s->first = s->keep[s->timed ? KEEP_TIME_MIN : KEEP_ADD_FIRST]
		? s->keep[s->timed ? KEEP_TIME_MIN : KEEP_ADD_FIRST]->stacks : NULL;
	s->last = s->keep[s->timed ? KEEP_TIME_MAX : KEEP_ADD_LAST]
		? s->keep[s->timed ? KEEP_TIME_MAX : KEEP_ADD_LAST]->stacks : NULL;

	size_t n = s->nsnaps;
	s->nfn = s->names.count;
	size_t cells = hf__mul(s->nfn + 1, n);
	s->flat = hf__calloc(cells, sizeof(int64_t));
	s->cum = hf__calloc(cells, sizeof(int64_t));
	s->flat_stats = hf__calloc(s->nfn + 1, sizeof(*s->flat_stats));
	s->cum_stats = hf__calloc(s->nfn + 1, sizeof(*s->cum_stats));
	double *x = hf__malloc(hf__mul(n, sizeof(double)));
	if (!s->flat || !s->cum || !s->flat_stats || !s->cum_stats || !x) {
		hf__free(x);
		return hf__oom(err);
	}
	for (size_t j = 0; j < n; j++) {
		const hf__snapshot *snap = &s->snaps[j];
		x[j] = s->timed ? (double)(snap->time_nanos - s->snaps[0].time_nanos) / 60e9 : (double)j;
		for (size_t k = 0; k < snap->nfn; k++) {
			s->flat[(size_t)snap->fn[k] * n + j] = snap->flat[k];
			s->cum[(size_t)snap->fn[k] * n + j] = snap->cum[k];
		}
		/* The sparse form is not needed any more. */
		hf__free(snap->fn);
		hf__free(snap->flat);
		hf__free(snap->cum);
		s->snaps[j].fn = NULL;
		s->snaps[j].flat = s->snaps[j].cum = NULL;
		s->snaps[j].nfn = 0;
	}
	for (size_t f = 0; f < s->nfn; f++) {
		hf__series_stats(s->flat + f * n, x, n, &s->flat_stats[f]);
		hf__series_stats(s->cum + f * n, x, n, &s->cum_stats[f]);
	}
	hf__free(x);
	int rc = rank(s, s->flat, s->flat_stats, &s->flat_rank, &s->nflat_ranked, err);
	if (rc == HF_OK)
		rc = rank(s, s->cum, s->cum_stats, &s->cum_rank, &s->ncum_ranked, err);
	if (rc == HF_OK)
		s->finished = true;
	return rc;
}

/* ---- getters ---------------------------------------------------------- */

size_t hf_series_snapshot_count(const hf_series *s)
{
	return s ? s->nsnaps : 0;
}

int hf_series_snapshot(const hf_series *s, size_t i, const char **source, int64_t *time_nanos,
	int64_t *total, hf_error *err)
{
	if (!s || i >= s->nsnaps)
		return hf__error(err, HF_ENOTFOUND, "no snapshot %zu", i);
	if (source)
		*source = s->snaps[i].source;
	if (time_nanos)
		*time_nanos = s->snaps[i].time_nanos;
	if (total)
		*total = s->snaps[i].total;
	return HF_OK;
}

int hf_series_memstat(const hf_series *s, size_t i, const char *key, int64_t *value)
{
	if (!s || i >= s->nsnaps || !key)
		return HF_ENOTFOUND;
	for (size_t k = 0; k < HF_SERIES_NMEMSTATS; k++)
		if (!strcmp(key, hf__series_memstat_keys[k]) && s->snaps[i].memstat_present[k]) {
			if (value)
				*value = s->snaps[i].memstats[k];
			return HF_OK;
		}
	return HF_ENOTFOUND;
}

const char *hf_series_sample_type(const hf_series *s)
{
	return s && s->type ? s->type : "";
}

const char *hf_series_sample_unit(const hf_series *s)
{
	return s && s->unit ? s->unit : "";
}

size_t hf_series_ranked_count(const hf_series *s, bool cum)
{
	return s && s->finished ? (cum ? s->ncum_ranked : s->nflat_ranked) : 0;
}

int hf_series_ranked(const hf_series *s, size_t rank_no, bool cum, const char **name,
	const int64_t **values, hf_series_stats *stats)
{
	if (!s || !s->finished || rank_no >= hf_series_ranked_count(s, cum))
		return HF_ENOTFOUND;
	uint32_t id = (cum ? s->cum_rank : s->flat_rank)[rank_no];
	if (name)
		*name = s->names.names[id];
	if (values)
		*values = (cum ? s->cum : s->flat) + (size_t)id * s->nsnaps;
	if (stats)
		*stats = (cum ? s->cum_stats : s->flat_stats)[id];
	return HF_OK;
}

/* ---- saved snapshot names -------------------------------------------- */

static size_t put_safe(char *out, const char *s)
{
	size_t n = 0;
	for (; *s; s++, n++) {
		unsigned char c = (unsigned char)*s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_';
		if (out)
			out[n] = ok ? (char)c : '_';
	}
	return n;
}

char *hf_series_snapshot_name(const hf_profile *p, int64_t time_nanos, unsigned seq,
	const char *ext)
{
	const char *prog = p ? base_name(main_file(p)) : "";
	/* A long program name or many types still make a usable name. */
	size_t len = 6 + put_safe(NULL, prog) + 1 + 32 + 16 + (ext ? strlen(ext) : 0) + 2;
	for (size_t i = 0; p && i < p->nsample_types; i++)
		len += put_safe(NULL, p->sample_types[i].type) + 1;
	char *out = hf__malloc(len);
	if (!out)
		return NULL;
	size_t n = 0;
	memcpy(out, "pprof.", 6);
	n = 6;
	if (prog[0]) {
		n += put_safe(out + n, prog);
		out[n++] = '.';
	}
	for (size_t i = 0; p && i < p->nsample_types; i++) {
		n += put_safe(out + n, p->sample_types[i].type);
		out[n++] = '.';
	}
	time_t t = (time_t)(time_nanos / 1000000000);
	struct tm tm;
	char stamp[32] = "00000000000000";
	if (gmtime_r(&t, &tm))
		strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	n += (size_t)snprintf(out + n, len - n, "%s.%03u", stamp, seq);
	if (ext && ext[0])
		snprintf(out + n, len - n, ".%s", ext);
	return out;
}

double hf__series_x(const hf_series *s, size_t j)
{
	return s->timed ? (double)(s->snaps[j].time_nanos - s->snaps[0].time_nanos) / 60e9 : (double)j;
}

void hf__series_label(char out[HF_LABEL_MAX], int64_t v, const char *unit, bool sign)
{
	char num[HF_LABEL_MAX];
	hf__measure_scaled_label(num, v, unit, "auto");
	size_t at = 0;
	if (sign && v > 0)
		out[at++] = '+';
	for (size_t i = 0; num[i] && at < HF_LABEL_MAX - 1; i++)
		out[at++] = num[i];
	out[at] = '\0';
}

void hf__series_rate_label(char out[HF_LABEL_MAX], double rate, const char *unit)
{
	double r = rate >= 0 ? floor(rate + 0.5) : -floor(-rate + 0.5);
	/* A rate beyond int64 (or NaN) is shown as the largest the label holds. */
	if (!(fabs(r) < 9e18))
		r = r < 0 ? -9e18 : 9e18;
	hf__series_label(out, (int64_t)r, unit, true);
}

int hf__series_check_report(const hf_series *s, const hf_writer *writer, const char *fn,
	hf_error *err)
{
	if (!s || !writer)
		return hf__error(err, HF_EINVALID, "%s: NULL argument", fn);
	if (!s->finished)
		return hf__error(err, HF_EINVALID, "the series is not finished (hf_series_finish)");
	return HF_OK;
}
