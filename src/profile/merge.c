/*
 * Merging profiles (pprof's profile.Merge) and subtracting a base (pprof's
 * -base and -diff_base). Functions, mappings, locations and samples are
 * identified by content, so equal stacks of different profiles become one
 * sample whose values are summed. A base is merged with its values negated;
 * each sample also keeps the base's part ("before") so folded output and
 * flame graphs can show both sides.
 */
#include "build.h"

#include <string.h>

static bool same_types(const hf_profile *a, const hf_profile *b)
{
	if (a->nsample_types != b->nsample_types)
		return false;
	for (size_t i = 0; i < a->nsample_types; i++)
		if (strcmp(a->sample_types[i].type, b->sample_types[i].type) != 0 ||
		    strcmp(a->sample_types[i].unit, b->sample_types[i].unit) != 0)
			return false;
	return true;
}

static void describe_types(const hf_profile *p, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->nsample_types && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s/%s", i ? " " : "",
			p->sample_types[i].type, p->sample_types[i].unit);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int check_compatible(const hf_profile *first, const hf_profile *p, hf_error *err)
{
	const hf__value_type *pa = &first->period_type, *pb = &p->period_type;
	if (strcmp(pa->type, pb->type) != 0 || strcmp(pa->unit, pb->unit) != 0)
		return hf__error(err, HF_EINVALID,
			"cannot combine with %.60s: period types differ (%s/%s vs %s/%s)",
			first->source, pb->type, pb->unit, pa->type, pa->unit);
	if (same_types(first, p))
		return HF_OK;
	char a[96], b[96];
	describe_types(first, a, sizeof(a));
	describe_types(p, b, sizeof(b));
	return hf__error(err, HF_EINVALID,
		"cannot combine with %.60s: sample types differ ([%s] vs [%s])",
		first->source, b, a);
}

static const char *copy_str(hf_profile *p, const char *s)
{
	return hf__arena_strndup(&p->arena, s ? s : "", s ? strlen(s) : 0);
}

/* The header fields taken from the first profile. */
static int first_header(hf_profile *out, const hf_profile *first, hf_error *err)
{
	out->nsample_types = first->nsample_types;
	out->sample_types = hf__arena_calloc(&out->arena, first->nsample_types + 1,
		sizeof(*out->sample_types));
	if (!out->sample_types)
		return hf__oom(err);
	for (size_t i = 0; i < first->nsample_types; i++) {
		out->sample_types[i].type = copy_str(out, first->sample_types[i].type);
		out->sample_types[i].unit = copy_str(out, first->sample_types[i].unit);
		if (!out->sample_types[i].type || !out->sample_types[i].unit)
			return hf__oom(err);
	}
	out->period_type.type = copy_str(out, first->period_type.type);
	out->period_type.unit = copy_str(out, first->period_type.unit);
	out->drop_frames = copy_str(out, first->drop_frames);
	out->keep_frames = copy_str(out, first->keep_frames);
	out->doc_url = copy_str(out, first->doc_url);
	out->default_sample_type = "";
	if (!out->period_type.type || !out->period_type.unit || !out->drop_frames ||
	    !out->keep_frames || !out->doc_url)
		return hf__oom(err);
	return HF_OK;
}

/* Folds one profile's header in, as pprof combines headers: earliest
 * time, summed duration, largest period, comments once each, the first
 * default type (and the first MemStats). *comments_cap is the room in
 * out->comments. */
static int fold_header(hf_profile *out, size_t *comments_cap, const hf_profile *s,
	hf_error *err)
{
	if (out->time_nanos == 0 || (s->time_nanos && s->time_nanos < out->time_nanos))
		out->time_nanos = s->time_nanos;
	out->duration_nanos += s->duration_nanos;
	if (s->period > out->period)
		out->period = s->period;
	if (!*out->default_sample_type && s->default_sample_type && *s->default_sample_type) {
		out->default_sample_type = copy_str(out, s->default_sample_type);
		if (!out->default_sample_type)
			return hf__oom(err);
	}
	for (size_t c = 0; c < s->ncomments; c++) {
		bool seen = false;
		for (size_t d = 0; d < out->ncomments && !seen; d++)
			seen = strcmp(out->comments[d], s->comments[c]) == 0;
		if (seen)
			continue;
		/* Few comments: an outgrown array is left in the arena. */
		const char **grown = hf__arena_grow(&out->arena, out->comments, comments_cap,
			out->ncomments, sizeof(*grown), 8);
		if (!grown)
			return hf__oom(err);
		out->comments = grown;
		if (!(out->comments[out->ncomments++] = copy_str(out, s->comments[c])))
			return hf__oom(err);
	}
	if (s->nmemstats && !out->nmemstats) {
		out->memstats = hf__arena_calloc(&out->arena, s->nmemstats, sizeof(*out->memstats));
		if (!out->memstats)
			return hf__oom(err);
		for (size_t m = 0; m < s->nmemstats; m++) {
			out->memstats[m].key = copy_str(out, s->memstats[m].key);
			out->memstats[m].value = copy_str(out, s->memstats[m].value);
			if (!out->memstats[m].key || !out->memstats[m].value)
				return hf__oom(err);
		}
		out->nmemstats = s->nmemstats;
	}
	return HF_OK;
}

typedef enum { ADD_SOURCE, ADD_BASE, ADD_DIFF_BASE } add_mode;

/* The functions and mappings of `src` in the builder: fmap and mmap give
 * their ids there, shift how far each mapping's addresses move. */
static int add_functions_and_mappings(hf__builder *b, const hf_profile *src, uint32_t *fmap,
	uint32_t *mmap, int64_t *shift, hf_error *err)
{
	for (size_t i = 0; i < src->nfunctions; i++) {
		const hf__function *f = &src->functions[i];
		if ((fmap[i] = hf__profile_builder_function(b, f->name, f->system_name, f->filename,
			     f->start_line)) == HF_NONE)
			return err ? err->code : HF_ENOMEM;
	}
	for (size_t i = 0; i < src->nmappings; i++)
		if ((mmap[i] = hf__profile_builder_mapping(b, &src->mappings[i], &shift[i])) == HF_NONE)
			return err ? err->code : HF_ENOMEM;
	return HF_OK;
}

/* The locations of `src` in the builder (lmap: their ids there), over the
 * functions and mappings already added. */
static int add_locations(hf__builder *b, const hf_profile *src, const uint32_t *fmap,
	const uint32_t *mmap, const int64_t *shift, uint32_t *lmap, hf_error *err)
{
	hf__bline *lines = NULL;
	size_t lines_cap = 0;
	int rc = HF_OK;
	for (size_t i = 0; i < src->nlocations && rc == HF_OK; i++) {
		const hf__location *l = &src->locations[i];
		if (l->nlines > lines_cap) {
			lines_cap = l->nlines * 2;
			hf__free(lines);
			if (!(lines = hf__malloc(hf__mul(lines_cap, sizeof(*lines))))) {
				rc = hf__oom(err);
				break;
			}
		}
		for (size_t j = 0; j < l->nlines; j++) {
			const hf__line *ln = &l->lines[j];
			lines[j].function = ln->function ? fmap[ln->function - src->functions] : HF_NONE;
			lines[j].line = ln->line;
			lines[j].column = ln->column;
		}
		uint32_t m = HF_NONE;
		uint64_t address = l->address;
		if (l->mapping) {
			/* The address as it is in the mapping kept (pprof). */
			m = mmap[l->mapping - src->mappings];
			address += (uint64_t)shift[l->mapping - src->mappings];
		}
		if ((lmap[i] = hf__profile_builder_location(b, address, m, lines, l->nlines,
			     l->is_folded)) == HF_NONE)
			rc = err ? err->code : HF_ENOMEM;
	}
	hf__free(lines);
	return rc;
}

/* pprof drops samples whose values are all zero (both sides of a diff). */
static bool all_zero(const hf__sample *s, size_t nv)
{
	bool zero = true;
	for (size_t v = 0; v < nv; v++) {
		int64_t before = s->base_values ? s->base_values[v] : 0;
		zero = zero && s->values[v] == 0 && before == 0;
	}
	return zero;
}

/* A sample's values as added: a source's as they are, a base's whole
 * value as "before" and negated as "after". */
static int sample_values(const hf__sample *s, size_t nv, add_mode mode, int64_t *after,
	int64_t *before, hf_error *err)
{
	for (size_t v = 0; v < nv; v++) {
		int64_t old = s->base_values ? s->base_values[v] : 0;
		if (mode == ADD_SOURCE) {
			after[v] = s->values[v];
			before[v] = old;
		} else {
			/* A base's "before" is all its value; it counts negated. */
			int64_t whole;
			if (__builtin_add_overflow(s->values[v], old, &whole) || whole == INT64_MIN)
				return hf__error(err, HF_ELIMIT, "sample values overflow 64 bits");
			after[v] = -whole;
			before[v] = whole;
		}
	}
	return HF_OK;
}

/* The samples of `src`, over its locations already added (lmap). */
/* `consume` (src itself, or NULL): src is freed after, so each chunk of
 * its location indexes goes once its samples are added. */
static int add_samples(hf__builder *b, const hf_profile *src, hf_profile *consume,
	const uint32_t *lmap, add_mode mode, hf_error *err)
{
	size_t nv = src->nsample_types;
	uint32_t *locs = NULL;
	size_t locs_cap = 0;
	hf__label *labels = NULL;
	size_t labels_cap = 0;
	int64_t *vals = hf__malloc(hf__mul(nv * 2 + 1, sizeof(*vals)));
	int rc = vals ? HF_OK : hf__oom(err);
	for (size_t i = 0; i < src->nsamples && rc == HF_OK; i++) {
		const hf__sample *s = &src->samples[i];
		if (consume && s->locations)
			hf__profile_release_locs(consume, s->locations);
		if (all_zero(s, nv))
			continue;
		if (s->nlocations > locs_cap) {
			locs_cap = s->nlocations * 2;
			hf__free(locs);
			if (!(locs = hf__malloc(hf__mul(locs_cap, sizeof(*locs))))) {
				rc = hf__oom(err);
				break;
			}
		}
		for (size_t j = 0; j < s->nlocations; j++)
			locs[j] = lmap[s->locations[j]];
		size_t nlabels = s->nlabels + (mode == ADD_DIFF_BASE);
		if (nlabels > labels_cap) {
			labels_cap = nlabels * 2;
			hf__free(labels);
			if (!(labels = hf__malloc(hf__mul(labels_cap, sizeof(*labels))))) {
				rc = hf__oom(err);
				break;
			}
		}
		if (s->nlabels)
			memcpy(labels, s->labels, s->nlabels * sizeof(*labels));
		if (mode == ADD_DIFF_BASE) {
			/* pprof marks the base's samples so they stay apart. */
			hf__label mark = {"pprof::base", "true", 0, ""};
			labels[s->nlabels] = mark;
		}
		int64_t *after = vals, *before = vals + nv;
		rc = sample_values(s, nv, mode, after, before, err);
		if (rc == HF_OK)
			rc = hf__profile_builder_sample(b, locs, s->nlocations, after, before, labels,
				nlabels, true);
	}
	hf__free(locs);
	hf__free(vals);
	hf__free(labels);
	return rc;
}

/* Adds every sample of `src` to the builder; `consume` (src or NULL): src
 * is freed after, and what is read of it goes as soon as it is (its
 * locations once mapped, its location indexes as they are passed). */
static int add_profile(hf__builder *b, const hf_profile *src, hf_profile *consume, add_mode mode,
	hf_error *err)
{
	uint32_t *fmap = hf__malloc(hf__mul(src->nfunctions + 1, sizeof(*fmap)));
	uint32_t *mmap = hf__malloc(hf__mul(src->nmappings + 1, sizeof(*mmap)));
	int64_t *shift = hf__malloc(hf__mul(src->nmappings + 1, sizeof(*shift)));
	uint32_t *lmap = hf__malloc(hf__mul(src->nlocations + 1, sizeof(*lmap)));
	int rc = fmap && mmap && shift && lmap ? HF_OK : hf__oom(err);
	if (rc == HF_OK)
		rc = add_functions_and_mappings(b, src, fmap, mmap, shift, err);
	if (rc == HF_OK)
		rc = add_locations(b, src, fmap, mmap, shift, lmap, err);
	if (rc == HF_OK && consume)
		hf__profile_drop_locations(consume);
	if (rc == HF_OK)
		rc = add_samples(b, src, consume, lmap, mode, err);
	hf__free(fmap);
	hf__free(mmap);
	hf__free(shift);
	hf__free(lmap);
	return rc;
}

/* pprof drops samples that merged to all zeros; we keep those whose base
 * part is not zero, so both sides of a diff stay complete. */
static void drop_zero_samples(hf_profile *p)
{
	size_t kept = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		const hf__sample *s = &p->samples[i];
		bool zero = true;
		for (size_t v = 0; v < p->nsample_types && zero; v++)
			zero = s->values[v] == 0 && (!s->base_values || s->base_values[v] == 0);
		if (!zero)
			p->samples[kept++] = *s;
	}
	p->nsamples = kept;
}

/*
 * The merge in progress: the result's header and a builder holding every
 * function, location and sample seen so far, so each profile can be
 * freed once added (peak memory: the merge plus one profile).
 */
struct hf_merger {
	hf_profile *p;          /* NULL until the first profile */
	hf__builder b;
	size_t comments_cap;
	bool failed;            /* an add failed half-way: finish refuses */
};

int hf_merger_new(hf_merger **out, hf_error *err)
{
	if (!out)
		return hf__error(err, HF_EINVALID, "hf_merger_new: NULL argument");
	*out = hf__calloc(1, sizeof(**out));
	return *out ? HF_OK : hf__oom(err);
}

void hf_merger_free(hf_merger *m)
{
	if (!m)
		return;
	if (m->p)
		hf__profile_builder_dispose(&m->b);
	hf_profile_free(m->p);
	hf__free(m);
}

static int merger_add(hf_merger *m, const hf_profile *src, hf_profile *consume, add_mode mode,
	hf_error *err)
{
	if (m->failed)
		return hf__error(err, HF_EINVALID, "the merge failed earlier");
	int rc;
	if (!m->p) {
		if ((rc = hf__profile_new(&m->p, src->source, err)) != HF_OK)
			return rc;
		if ((rc = first_header(m->p, src, err)) != HF_OK) {
			hf_profile_free(m->p);
			m->p = NULL;
			return rc;
		}
		hf__profile_builder_init(&m->b, m->p, false, err);
	} else if ((rc = check_compatible(m->p, src, err)) != HF_OK) {
		return rc; /* nothing was added: the merge goes on */
	}
	m->b.err = err;
	bool base = mode != ADD_SOURCE || src->has_base;
	if ((base && !m->b.with_base && hf__profile_builder_enable_base(&m->b) != HF_OK) ||
	    (rc = fold_header(m->p, &m->comments_cap, src, err)) != HF_OK ||
	    (rc = add_profile(&m->b, src, consume, mode, err)) != HF_OK) {
		m->failed = true;
		return err && err->code ? err->code : HF_ENOMEM;
	}
	return HF_OK;
}

int hf_merger_add(hf_merger *m, const hf_profile *profile, hf_error *err)
{
	if (!m || !profile)
		return hf__error(err, HF_EINVALID, "hf_merger_add: NULL argument");
	return merger_add(m, profile, NULL, ADD_SOURCE, err);
}

int hf_merger_add_free(hf_merger *m, hf_profile *profile, hf_error *err)
{
	int rc = !m || !profile ? hf__error(err, HF_EINVALID, "hf_merger_add_free: NULL argument")
		: merger_add(m, profile, profile, ADD_SOURCE, err);
	hf_profile_free(profile);
	return rc;
}

int hf_merger_subtract(hf_merger *m, const hf_profile *base, bool diff_base, hf_error *err)
{
	if (!m || !base)
		return hf__error(err, HF_EINVALID, "hf_merger_subtract: NULL argument");
	if (!m->p)
		return hf__error(err, HF_EINVALID, "hf_merger_subtract: nothing to subtract from");
	return merger_add(m, base, NULL, diff_base ? ADD_DIFF_BASE : ADD_BASE, err);
}

int hf_merger_subtract_free(hf_merger *m, hf_profile *base, bool diff_base, hf_error *err)
{
	int rc;
	if (!m || !base)
		rc = hf__error(err, HF_EINVALID, "hf_merger_subtract_free: NULL argument");
	else if (!m->p)
		rc = hf__error(err, HF_EINVALID, "hf_merger_subtract_free: nothing to subtract from");
	else
		rc = merger_add(m, base, base, diff_base ? ADD_DIFF_BASE : ADD_BASE, err);
	hf_profile_free(base);
	return rc;
}

int hf_merger_finish(hf_merger *m, hf_profile **out, hf_error *err)
{
	if (!m || !out)
		return hf__error(err, HF_EINVALID, "hf_merger_finish: NULL argument");
	*out = NULL;
	if (!m->p)
		return hf__error(err, HF_EINVALID, "no profiles to merge");
	if (m->failed)
		return hf__error(err, HF_EINVALID, "the merge failed earlier");
	m->b.err = err;
	int rc = hf__profile_builder_finish(&m->b);
	hf__profile_builder_dispose(&m->b);
	if (rc != HF_OK) {
		hf_profile_free(m->p);
		m->p = NULL;
		return rc;
	}
	drop_zero_samples(m->p);
	*out = m->p;
	m->p = NULL;
	return HF_OK;
}

int hf_profile_merge(hf_profile **out, hf_profile *const *profiles, size_t n, hf_error *err)
{
	*out = NULL;
	if (n == 0)
		return hf__error(err, HF_EINVALID, "no profiles to merge");
	/* All checked first, so an incompatible profile fails before any work. */
	for (size_t i = 1; i < n; i++)
		if (check_compatible(profiles[0], profiles[i], err) != HF_OK)
			return HF_EINVALID;
	hf_merger *m;
	int rc = hf_merger_new(&m, err);
	for (size_t i = 0; i < n && rc == HF_OK; i++)
		rc = merger_add(m, profiles[i], NULL, ADD_SOURCE, err);
	if (rc == HF_OK)
		rc = hf_merger_finish(m, out, err);
	hf_merger_free(m);
	return rc;
}

int hf_profile_subtract(hf_profile **out, const hf_profile *profile, const hf_profile *base,
	bool diff_base, hf_error *err)
{
	*out = NULL;
	if (check_compatible(profile, base, err) != HF_OK)
		return HF_EINVALID;
	/* pprof combines the base's header too (earliest time, summed
	 * durations). */
	hf_merger *m;
	int rc = hf_merger_new(&m, err);
	if (rc == HF_OK)
		rc = merger_add(m, profile, NULL, ADD_SOURCE, err);
	if (rc == HF_OK)
		rc = merger_add(m, base, NULL, diff_base ? ADD_DIFF_BASE : ADD_BASE, err);
	if (rc == HF_OK)
		rc = hf_merger_finish(m, out, err);
	hf_merger_free(m);
	return rc;
}

size_t hf__profile_location_frames(const hf_profile *p)
{
	size_t total = 0;
	for (size_t i = 0; i < p->nlocations; i++)
		total += p->locations[i].nlines ? p->locations[i].nlines : 1;
	return total;
}

int hf__profile_check_magnitudes(const hf_profile *p, size_t si, hf_error *err)
{
	uint64_t magnitude = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		int64_t v = p->samples[i].values[si];
		uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		if (__builtin_add_overflow(magnitude, m, &magnitude) || magnitude > (uint64_t)INT64_MAX)
			return hf__error(err, HF_ELIMIT, "sample values overflow 64 bits");
	}
	return HF_OK;
}

int64_t hf_profile_total(const hf_profile *p, size_t index)
{
	if (index >= p->nsample_types)
		return 0;
	if (p->unfiltered_totals)
		return p->unfiltered_totals[index];
	/* pprof's computeTotal: sum of |value|, or with -diff_base the base's.
	 * Sums past 64 bits saturate at INT64_MAX. */
	uint64_t total = 0, diff_total = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		const hf__sample *s = &p->samples[i];
		int64_t v = s->values[index];
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		total = total + mag < total ? UINT64_MAX : total + mag;
		for (size_t l = 0; l < s->nlabels; l++)
			if (s->labels[l].str && !strcmp(s->labels[l].key, "pprof::base") &&
			    !strcmp(s->labels[l].str, "true")) {
				diff_total = diff_total + mag < diff_total ? UINT64_MAX : diff_total + mag;
				break;
			}
	}
	uint64_t t = diff_total > 0 ? diff_total : total;
	return t > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)t;
}

bool hf_profile_has_base(const hf_profile *p)
{
	return p->has_base;
}

size_t hf_profile_sample_count(const hf_profile *p)
{
	return p->nsamples;
}

int hf_profile_memstat(const hf_profile *p, size_t i, const char **key, const char **value)
{
	if (i >= p->nmemstats)
		return HF_ENOTFOUND;
	if (key)
		*key = p->memstats[i].key;
	if (value)
		*value = p->memstats[i].value;
	return HF_OK;
}

void hf_profile_time(const hf_profile *p, int64_t *time_nanos, int64_t *duration_nanos)
{
	if (time_nanos)
		*time_nanos = p->time_nanos;
	if (duration_nanos)
		*duration_nanos = p->duration_nanos;
}

int64_t hf_profile_period(const hf_profile *p, const char **type, const char **unit)
{
	if (type)
		*type = p->period_type.type;
	if (unit)
		*unit = p->period_type.unit;
	return p->period;
}
