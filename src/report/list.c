/*
 * pprof's -list (internal/report/source.go printSource): for every
 * function whose name matches, the lines of its source file around the
 * sampled ones, with flat and cum per line.
 *
 * pprof builds its graph at line granularity (function, file, line) with
 * inlined frames kept, so a line of an inlined function counts for that
 * function, not the one it was inlined into. Only nodes of matching
 * functions matter here, so they are summed directly from the samples.
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"
#include "../source/source.h"

#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines shown before the first and after the last sampled line. */
#define MARGIN 5

typedef struct listing_impl {
	hf_listing pub; /* first: the public pointer is the implementation's */
	hf__arena arena;
} listing_impl;

/* A node of pprof's line-granularity graph, for a matching function. */
typedef struct lnode {
	uint32_t name, file;   /* ids in the listing's interns */
	int64_t lineno;
	int64_t start_line;    /* pprof keeps it only for nameless functions */
	int64_t flat, cum;
	uint32_t stamp;        /* the last sample that added to cum */
	const char *recorded;  /* the file as the profile records it */
} lnode;

/* A source file, looked up and read once. */
typedef struct lfile {
	bool tried;
	char *path;
	char *error;
	hf__source_text text;
} lfile;

typedef struct builder {
	const hf_profile *p;
	listing_impl *out;
	hf__arena scratch;
	hf__intern names, files, keys;
	lnode *nodes;
	size_t nnodes, cap;
	uint32_t *fn_name, *fn_file; /* per function; name HF_NONE: no match */
	uint32_t *loc_start, *loc_nodes;
	lfile *lfiles;
	hf__source_finder finder;
	hf_error *err;
} builder;

/* The node for (name, file, line, start), added when new. */
static uint32_t node_get(builder *b, uint32_t name, uint32_t file, int64_t lineno,
	int64_t start_line, const char *recorded)
{
	int64_t key[3] = {(int64_t)name << 32 | file, lineno, start_line};
	uint32_t id = hf__intern_get(&b->keys, (const char *)key, sizeof(key));
	if (id == HF_NONE || id < b->nnodes)
		return id;
	lnode *nodes = hf__grow(b->nodes, &b->cap, b->nnodes, sizeof(*nodes), 64);
	if (!nodes)
		return HF_NONE;
	b->nodes = nodes;
	b->nodes[b->nnodes] = (lnode){name, file, lineno, start_line, 0, 0, 0, recorded};
	return (uint32_t)b->nnodes++;
}

/* Names, files and the match, per function. */
static int prepare_functions(builder *b, const regex_t *re, const hf_list_options *o)
{
	const hf_profile *p = b->p;
	b->fn_name = hf__malloc(hf__mul(p->nfunctions + 1, sizeof(uint32_t)));
	b->fn_file = hf__malloc(hf__mul(p->nfunctions + 1, sizeof(uint32_t)));
	if (!b->fn_name || !b->fn_file)
		return hf__oom(b->err);
	for (size_t i = 0; i < p->nfunctions; i++) {
		const hf__function *f = &p->functions[i];
		b->fn_name[i] = b->fn_file[i] = HF_NONE;
		const char *name = hf__measure_function_name(&b->scratch, p, f);
		if (!name)
			return hf__oom(b->err);
		if (regexec(re, name, 0, NULL, 0) != 0)
			continue;
		b->fn_name[i] = hf__intern_get(&b->names, name, strlen(name));
		/* pprof trims every function's file against the -source_path
		 * option as given (not the working directory) before the graph,
		 * then the graph cleans it. */
		const char *recorded = f->filename ? f->filename : "";
		char *trimmed = recorded[0] ? hf__source_trim(recorded, o->source.trim_path,
			o->source.source_path) : NULL;
		char *clean = trimmed ? hf__source_clean(trimmed) : NULL;
		if (recorded[0] && !clean) {
			hf__free(trimmed);
			return hf__oom(b->err);
		}
		b->fn_file[i] = hf__intern_get(&b->files, clean ? clean : "", clean ? strlen(clean) : 0);
		hf__free(trimmed);
		hf__free(clean);
		if (b->fn_name[i] == HF_NONE || b->fn_file[i] == HF_NONE)
			return hf__oom(b->err);
	}
	return HF_OK;
}

/* Every location's nodes (per Line; HF_NONE where the function does not
 * match), as pprof's locationMap. */
static int prepare_locations(builder *b, bool empty_matches)
{
	const hf_profile *p = b->p;
	size_t total = 0;
	for (size_t i = 0; i < p->nlocations; i++)
		total += p->locations[i].nlines ? p->locations[i].nlines : 1;
	b->loc_start = hf__malloc(hf__mul(p->nlocations + 1, sizeof(uint32_t)));
	b->loc_nodes = hf__malloc(hf__mul(total + 1, sizeof(uint32_t)));
	if (!b->loc_start || !b->loc_nodes)
		return hf__oom(b->err);
	uint32_t empty_name = hf__intern_get(&b->names, "", 0);
	if (empty_name == HF_NONE)
		return hf__oom(b->err);
	uint32_t n = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const hf__location *loc = &p->locations[i];
		b->loc_start[i] = n;
		if (loc->nlines == 0) {
			/* No function: a nameless node without a file. */
			uint32_t id = empty_matches ? node_get(b, empty_name, 0, 0, 0, "") : HF_NONE;
			if (empty_matches && id == HF_NONE)
				return hf__oom(b->err);
			b->loc_nodes[n++] = id;
			continue;
		}
		for (size_t l = 0; l < loc->nlines; l++) {
			const hf__line *line = &loc->lines[l];
			uint32_t id = HF_NONE;
			if (line->function) {
				size_t fi = (size_t)(line->function - p->functions);
				if (b->fn_name[fi] != HF_NONE) {
					bool nameless = b->fn_name[fi] == empty_name;
					const char *rec = line->function->filename ? line->function->filename : "";
					id = node_get(b, b->fn_name[fi], b->fn_file[fi], line->line,
						nameless ? line->function->start_line : 0, rec);
					if (id == HF_NONE)
						return hf__oom(b->err);
				}
			} else if (empty_matches) {
				id = node_get(b, empty_name, 0, 0, 0, "");
				if (id == HF_NONE)
					return hf__oom(b->err);
			}
			b->loc_nodes[n++] = id;
		}
	}
	b->loc_start[p->nlocations] = n;
	return HF_OK;
}

/* pprof's graph.New over the matching nodes: cum once per sample per
 * node, flat to the innermost frame of the leaf location. */
static void add_samples(builder *b, size_t si)
{
	const hf_profile *p = b->p;
	for (size_t s = 0; s < p->nsamples; s++) {
		const hf__sample *smp = &p->samples[s];
		int64_t w = smp->values[si];
		if (w == 0 || smp->nlocations == 0)
			continue;
		uint32_t stamp = (uint32_t)s + 1;
		for (size_t i = 0; i < smp->nlocations; i++) {
			size_t li = (size_t)smp->locations[i];
			for (uint32_t k = b->loc_start[li]; k < b->loc_start[li + 1]; k++) {
				uint32_t id = b->loc_nodes[k];
				if (id == HF_NONE || b->nodes[id].stamp == stamp)
					continue;
				b->nodes[id].stamp = stamp;
				b->nodes[id].cum = hf__wadd(b->nodes[id].cum, w);
			}
		}
		size_t leaf = (size_t)smp->locations[0];
		uint32_t id = b->loc_nodes[b->loc_start[leaf]];
		if (id != HF_NONE)
			b->nodes[id].flat = hf__wadd(b->nodes[id].flat, w);
	}
}

typedef struct sort_ctx_item {
	const lnode *node;
	const char *name, *file;
} sort_item;

/* pprof's NameOrder for functions, FileOrder for their files; lines in
 * order within a file. */
static int cmp_items(const void *pa, const void *pb)
{
	const sort_item *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->node->lineno != b->node->lineno)
		return a->node->lineno < b->node->lineno ? -1 : 1;
	if (a->node->start_line != b->node->start_line)
		return a->node->start_line < b->node->start_line ? -1 : 1;
	return 0;
}

/* The file with id `file`, looked up and read on first use. */
static lfile *get_file(builder *b, uint32_t file, const char *recorded)
{
	lfile *f = &b->lfiles[file];
	if (f->tried)
		return f;
	f->tried = true;
	const char *name = b->files.names[file];
	int rc = hf__source_locate(&b->finder, recorded, name, &f->path, &f->error);
	if (rc == HF_ENOMEM)
		return NULL;
	if (rc == HF_OK) {
		hf_error rerr = {0};
		rc = hf__source_read(&f->text, f->path, &rerr);
		if (rc == HF_ENOMEM)
			return NULL;
		if (rc != HF_OK) {
			size_t n = strlen(rerr.message) + 1;
			f->error = hf__malloc(n);
			if (!f->error)
				return NULL;
			memcpy(f->error, rerr.message, n);
		}
	}
	return f;
}

static char *arena_dup(hf__arena *a, const char *s)
{
	return s ? hf__arena_strndup(a, s, strlen(s)) : NULL;
}

/* A routine for items [from, to): one function in one file. */
static int fill_routine(builder *b, hf_listing_routine *r, const sort_item *items, size_t from,
	size_t to)
{
	hf__arena *arena = &b->out->arena;
	r->name = arena_dup(arena, items[from].name);
	r->file = arena_dup(arena, items[from].file);
	if (!r->name || !r->file)
		return hf__oom(b->err);
	int64_t start = 0, end = 0;
	for (size_t i = from; i < to; i++) {
		const lnode *n = items[i].node;
		r->flat = hf__wadd(r->flat, n->flat);
		r->cum = hf__wadd(r->cum, n->cum);
		int64_t s = n->start_line ? n->start_line : n->lineno - MARGIN;
		int64_t e = n->lineno + MARGIN;
		if (i == from || s < start)
			start = s;
		if (i == from || e > end)
			end = e;
	}
	if (!r->file[0])
		return HF_OK; /* pprof: "No source information" */
	if (start < 1)
		start = 1;
	lfile *f = get_file(b, items[from].node->file, items[from].node->recorded);
	if (!f)
		return hf__oom(b->err);
	if (f->error) {
		r->error = arena_dup(arena, f->error);
		return r->error ? HF_OK : hf__oom(b->err);
	}
	r->path = arena_dup(arena, f->path);
	if (!r->path)
		return hf__oom(b->err);
	int64_t nfile = (int64_t)f->text.nlines;
	r->file_lines = nfile;
	if (items[to - 1].node->lineno > nfile)
		r->beyond_line = items[to - 1].node->lineno;
	if (end > nfile)
		end = nfile;
	if (end < start)
		return HF_OK;
	size_t count = (size_t)(end - start + 1);
	hf_listing_line *lines = hf__arena_calloc(arena, count, sizeof(*lines));
	if (!lines)
		return hf__oom(b->err);
	size_t k = from;
	for (size_t i = 0; i < count; i++) {
		hf_listing_line *l = &lines[i];
		l->line = start + (int64_t)i;
		while (k < to && items[k].node->lineno < l->line)
			k++;
		for (; k < to && items[k].node->lineno == l->line; k++) {
			l->flat = hf__wadd(l->flat, items[k].node->flat);
			l->cum = hf__wadd(l->cum, items[k].node->cum);
		}
		size_t idx = (size_t)(l->line - 1);
		l->len = f->text.lens[idx];
		l->text = hf__arena_strndup(arena, f->text.lines[idx], l->len);
		if (!l->text)
			return hf__oom(b->err);
	}
	r->lines = lines;
	r->nlines = count;
	return HF_OK;
}

/* Routines from the sorted items: per function, one per file; a function
 * without any file gets one without (pprof's "No source information"). */
static int make_routines(builder *b, const sort_item *items, size_t n)
{
	size_t cap = n + 1;
	hf_listing_routine *routines = hf__arena_calloc(&b->out->arena, cap, sizeof(*routines));
	if (!routines)
		return hf__oom(b->err);
	size_t nr = 0;
	for (size_t i = 0; i < n;) {
		size_t fn_end = i;
		bool any_file = false;
		while (fn_end < n && !strcmp(items[fn_end].name, items[i].name)) {
			any_file |= items[fn_end].file[0] != '\0';
			fn_end++;
		}
		for (size_t j = i; j < fn_end;) {
			size_t file_end = j;
			while (file_end < fn_end && !strcmp(items[file_end].file, items[j].file))
				file_end++;
			if (items[j].file[0] || !any_file) {
				int rc = fill_routine(b, &routines[nr++], items, j, file_end);
				if (rc != HF_OK)
					return rc;
			}
			j = file_end;
		}
		i = fn_end;
	}
	b->out->pub.routines = routines;
	b->out->pub.nroutines = nr;
	return HF_OK;
}

static void builder_dispose(builder *b)
{
	if (b->lfiles) {
		for (size_t i = 0; i < b->files.count; i++) {
			hf__free(b->lfiles[i].path);
			hf__free(b->lfiles[i].error);
			hf__source_text_dispose(&b->lfiles[i].text);
		}
	}
	hf__free(b->lfiles);
	hf__intern_dispose(&b->names);
	hf__intern_dispose(&b->files);
	hf__intern_dispose(&b->keys);
	hf__arena_dispose(&b->scratch);
	hf__free(b->nodes);
	hf__free(b->fn_name);
	hf__free(b->fn_file);
	hf__free(b->loc_start);
	hf__free(b->loc_nodes);
	hf__source_finder_dispose(&b->finder);
}

static int build(builder *b, const hf_list_options *o, size_t si)
{
	regex_t re;
	int rerr = regcomp(&re, o->regex, REG_EXTENDED | REG_NOSUB);
	if (rerr != 0) {
		char why[128];
		regerror(rerr, &re, why, sizeof(why));
		return hf__error(b->err, HF_EINVALID, "-list: bad regular expression \"%s\": %s",
			o->regex, why);
	}
	bool empty_matches = regexec(&re, "", 0, NULL, 0) == 0;
	/* File id 0 is "": nodes without a file. */
	int rc = hf__intern_get(&b->files, "", 0) == 0 ? HF_OK : hf__oom(b->err);
	if (rc == HF_OK)
		rc = prepare_functions(b, &re, o);
	regfree(&re);
	if (rc == HF_OK)
		rc = prepare_locations(b, empty_matches);
	if (rc != HF_OK)
		return rc;
	add_samples(b, si);

	sort_item *items = hf__malloc(hf__mul(b->nnodes + 1, sizeof(*items)));
	if (!items)
		return hf__oom(b->err);
	size_t n = 0;
	for (size_t i = 0; i < b->nnodes; i++) {
		const lnode *node = &b->nodes[i];
		if (node->flat == 0 && node->cum == 0)
			continue; /* pprof's graph leaves such nodes out */
		items[n++] = (sort_item){node, b->names.names[node->name], b->files.names[node->file]};
	}
	if (n == 0) {
		hf__free(items);
		return hf__error(b->err, HF_ENOTFOUND, "no matches found for regexp: %s", o->regex);
	}
	qsort(items, n, sizeof(*items), cmp_items);
	b->lfiles = hf__calloc(b->files.count + 1, sizeof(*b->lfiles));
	rc = b->lfiles ? HF_OK : hf__oom(b->err);
	if (rc == HF_OK)
		rc = hf__source_finder_init(&b->finder, &o->source, b->err);
	if (rc == HF_OK)
		rc = make_routines(b, items, n);
	hf__free(items);
	return rc;
}

int hf_listing_build(hf_listing **out, const hf_profile *profile, const hf_list_options *opts,
	hf_error *err)
{
	if (!out || !profile || !opts || !opts->regex)
		return hf__error(err, HF_EINVALID, "hf_listing_build: NULL argument");
	*out = NULL;
	if (profile->nsample_types == 0)
		return hf__error(err, HF_EINVALID, "the profile has no sample types");
	size_t si;
	if (opts->sample_index < 0)
		si = hf_profile_default_sample_index(profile);
	else if ((size_t)opts->sample_index < profile->nsample_types)
		si = (size_t)opts->sample_index;
	else
		return hf__error(err, HF_ENOTFOUND, "no sample type %ld", opts->sample_index);
	/* As for the graph: if the magnitudes sum within 64 bits, no flat or
	 * cum sum can overflow. */
	int sums = hf__profile_check_magnitudes(profile, si, err);
	if (sums != HF_OK)
		return sums;

	listing_impl *impl = hf__calloc(1, sizeof(*impl));
	if (!impl)
		return hf__oom(err);
	builder b;
	memset(&b, 0, sizeof(b));
	b.p = profile;
	b.out = impl;
	b.err = err;
	hf__intern_init(&b.names, &impl->arena);
	hf__intern_init(&b.files, &impl->arena);
	hf__intern_init(&b.keys, &b.scratch);
	int rc = build(&b, opts, si);
	builder_dispose(&b);
	if (rc == HF_OK) {
		impl->pub.sample_type = arena_dup(&impl->arena, profile->sample_types[si].type);
		impl->pub.sample_unit = arena_dup(&impl->arena, profile->sample_types[si].unit);
		impl->pub.total = opts->total ? opts->total : hf__measure_report_total(profile, si);
		if (!impl->pub.sample_type || !impl->pub.sample_unit)
			rc = hf__oom(err);
	}
	if (rc != HF_OK) {
		hf_listing_free(&impl->pub);
		return rc;
	}
	*out = &impl->pub;
	return HF_OK;
}

void hf_listing_free(hf_listing *listing)
{
	if (!listing)
		return;
	listing_impl *impl = (listing_impl *)listing;
	hf__arena_dispose(&impl->arena);
	hf__free(impl);
}

void hf_listing_format_value(const hf_listing *listing, int64_t value, char *out, size_t size)
{
	char label[HF_LABEL_MAX];
	/* printSource never picks a report-wide unit: each value is scaled
	 * on its own (measurement's "minimum"). */
	hf__measure_scaled_label(label, value, listing->sample_unit, "minimum");
	if (size > 0)
		snprintf(out, size, "%s", label);
}

/* Text with control characters and bytes that are not UTF-8 as '?', so a
 * line stays one line of text; tabs are kept in source text (pprof aligns
 * with them) but not in names. */
static void put_clean(hf__sink *s, const char *text, size_t len, bool keep_tab)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t run = 0, i = 0;
	while (i < len) {
		size_t n = hf__utf8_printable(t + i, len - i, keep_tab);
		if (n == 0) {
			hf__sink_put(s, text + run, i - run);
			hf__sink_putc(s, '?');
			n = 1;
			run = i + 1;
		}
		i += n;
	}
	hf__sink_put(s, text + run, len - run);
}

static void put_name(hf__sink *s, const char *name)
{
	put_clean(s, name, strlen(name), false);
}

static void value_or_dot(const hf_listing *l, char out[HF_LABEL_MAX], int64_t v)
{
	if (v == 0)
		strcpy(out, ".");
	else
		hf_listing_format_value(l, v, out, HF_LABEL_MAX);
}

int hf_listing_write_text(const hf_listing *listing, hf_writer *writer, hf_error *err)
{
	if (!listing || !writer)
		return hf__error(err, HF_EINVALID, "hf_listing_write_text: NULL argument");
	hf__sink s;
	if (hf__sink_init(&s, writer) != 0)
		return hf__oom(err);
	char a[HF_LABEL_MAX], b[HF_LABEL_MAX], pct[HF_LABEL_MAX];
	hf_listing_format_value(listing, listing->total, a, sizeof(a));
	hf__sink_printf(&s, "Total: %s\n", a);
	for (size_t i = 0; i < listing->nroutines; i++) {
		const hf_listing_routine *r = &listing->routines[i];
		if (!r->file[0]) {
			hf__sink_puts(&s, "No source information for ");
			put_name(&s, r->name);
			hf__sink_putc(&s, '\n');
			continue;
		}
		hf__sink_puts(&s, "ROUTINE ======================== ");
		put_name(&s, r->name);
		hf__sink_puts(&s, " in ");
		put_name(&s, r->file);
		hf__sink_putc(&s, '\n');
		hf_listing_format_value(listing, r->flat, a, sizeof(a));
		hf_listing_format_value(listing, r->cum, b, sizeof(b));
		hf__measure_percentage(pct, r->cum, listing->total);
		hf__sink_printf(&s, "%10s %10s (flat, cum) %s of Total\n", a, b, pct);
		if (r->error) {
			hf__sink_puts(&s, " Error: ");
			put_name(&s, r->error);
			hf__sink_putc(&s, '\n');
			continue;
		}
		for (size_t k = 0; k < r->nlines; k++) {
			const hf_listing_line *l = &r->lines[k];
			value_or_dot(listing, a, l->flat);
			value_or_dot(listing, b, l->cum);
			hf__sink_printf(&s, "%10s %10s %6" PRId64 ":", a, b, l->line);
			put_clean(&s, l->text, l->len, true);
			hf__sink_putc(&s, '\n');
		}
		if (r->beyond_line) {
			hf__sink_puts(&s, " Note: ");
			put_name(&s, r->path);
			hf__sink_printf(&s, " has %" PRId64 " lines but the profile has samples at line %"
				PRId64 ": it is not the source that was profiled\n", r->file_lines,
				r->beyond_line);
		}
	}
	return hf__sink_finish(&s, err);
}

int hf_report_write_list(const hf_profile *profile, const hf_list_options *opts,
	hf_writer *writer, hf_error *err)
{
	if (!writer)
		return hf__error(err, HF_EINVALID, "hf_report_write_list: NULL argument");
	hf_listing *l;
	int rc = hf_listing_build(&l, profile, opts, err);
	if (rc != HF_OK)
		return rc;
	rc = hf_listing_write_text(l, writer, err);
	hf_listing_free(l);
	return rc;
}
