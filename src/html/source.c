/*
 * The HTML report's source view: pprof's list for every function of the
 * profile, per sample type, computed here with hf_listing_build (the code
 * behind --list, with its source lookup and options), so the page shows
 * the CLI's numbers. Only the lines in the listed windows are embedded,
 * each (file, line) once for all types; the text is cleaned as --list
 * cleans it (control characters and bytes that are not UTF-8 as '?', tabs
 * kept) and then escaped for JSON inside <script>.
 */
#include "html.h"

#include "../measure/measure.h"
#include "../source/source.h"

#include <stdlib.h>
#include <string.h>

typedef struct text_ref {
	const char *s;
	size_t len;
	bool keep_tab;
} text_ref;

typedef struct texts {
	hf__arena arena;
	hf__intern keys;
	text_ref *refs;
	size_t cap;
} texts;

/* Writes text as a JSON string body, cleaned as --list writes it. */
static int put_clean(hf__sink *out, const char *text, size_t len, bool keep_tab)
{
	char *buf = hf__malloc(len + 1);
	if (!buf)
		return -1;
	const unsigned char *t = (const unsigned char *)text;
	size_t i = 0, w = 0;
	while (i < len) {
		size_t n = hf__utf8_printable(t + i, len - i, keep_tab);
		if (n == 0) {
			buf[w++] = '?';
			n = 1;
		} else {
			memcpy(buf + w, text + i, n);
			w += n;
		}
		i += n;
	}
	hf__html_put_json_chars(out, buf, w);
	hf__free(buf);
	return 0;
}

/* The id of a text (a source line, by path and number; or a message). */
static uint32_t text_id(texts *tx, const char *key, size_t klen, const char *s, size_t len,
	bool keep_tab)
{
	uint32_t before = tx->keys.count;
	uint32_t id = hf__intern_get(&tx->keys, key, klen);
	if (id == HF_NONE || id < before)
		return id;
	text_ref *r = hf__grow(tx->refs, &tx->cap, id, sizeof(*r), 256);
	if (!r)
		return HF_NONE;
	tx->refs = r;
	/* NULL: the text is the key's copy past its first byte */
	tx->refs[id] = (text_ref){s ? s : tx->keys.names[id] + 1, len, keep_tab};
	return id;
}

static uint32_t line_id(texts *tx, const char *path, const hf_listing_line *l)
{
	size_t plen = strlen(path);
	char *key = hf__arena_alloc(&tx->arena, plen + 1 + sizeof(int64_t));
	if (!key)
		return HF_NONE;
	memcpy(key, path, plen + 1);
	memcpy(key + plen + 1, &l->line, sizeof(int64_t));
	return text_id(tx, key, plen + 1 + sizeof(int64_t), l->text, l->len, true);
}

static uint32_t message_id(texts *tx, const char *msg)
{
	size_t len = strlen(msg);
	char *key = hf__arena_alloc(&tx->arena, len + 1);
	if (!key)
		return HF_NONE;
	key[0] = '\001'; /* apart from line keys, which start with a path */
	memcpy(key + 1, msg, len);
	return text_id(tx, key, len + 1, NULL, len, false);
}

/* A file name as shown: -1 when it is the function's file in the page's
 * table (the usual case), else its text id. */
static int64_t file_ref(texts *tx, const hf_listing_routine *r, const char *node_file)
{
	if (node_file && !strcmp(node_file, r->file))
		return -1;
	uint32_t id = message_id(tx, r->file);
	return id == HF_NONE ? -2 : (int64_t)id;
}

/*
 * A routine whose source was not found is the same for every type: it is
 * written once, [fn, file, before, after], its message being text
 * `before` + the file + text `after` (after -1: the whole message is
 * `before`), so that the many "open F: no such file or directory" of a
 * big profile share two texts. Numbers need the source: none are kept.
 */
static int put_missing(hf__sink *out, texts *tx, const hf_listing_routine *r, int64_t fn,
	const char *node_file, bool *first)
{
	const char *at = r->file[0] ? strstr(r->error ? r->error : "", r->file) : NULL;
	uint32_t before, after = HF_NONE;
	char *head = NULL;
	if (!r->file[0]) {
		before = message_id(tx, "");
	} else if (at) {
		size_t n = (size_t)(at - r->error);
		head = hf__malloc(n + 1);
		if (!head)
			return -1;
		memcpy(head, r->error, n);
		head[n] = '\0';
		before = message_id(tx, head);
		after = message_id(tx, at + strlen(r->file));
	} else {
		before = message_id(tx, r->error);
	}
	hf__free(head);
	int64_t file = file_ref(tx, r, node_file);
	if (before == HF_NONE || (at && after == HF_NONE) || (file < -1))
		return -1;
	hf__sink_printf(out, "%s%lld,%lld,%u,%lld", *first ? "" : ",", (long long)fn, (long long)file,
		(unsigned)before, after == HF_NONE ? -1LL : (long long)after);
	*first = false;
	return 0;
}

/* A routine with its source: [fn, file, flat, cum, first line, [flat,
 * cum, text id per line], group, and, when the file is shorter than the
 * samples say, its line count and the last sampled line]. */
static int put_routine(hf__sink *out, texts *tx, const hf_listing_routine *r, int64_t fn,
	const char *node_file, uint32_t group)
{
	int64_t file = file_ref(tx, r, node_file);
	if (file < -1)
		return -1;
	hf__sink_printf(out, "[%lld,%lld,%lld,%lld,%lld,[", (long long)fn, (long long)file,
		(long long)r->flat, (long long)r->cum, r->nlines ? (long long)r->lines[0].line : 0LL);
	for (size_t k = 0; k < r->nlines; k++) {
		const hf_listing_line *l = &r->lines[k];
		uint32_t id = line_id(tx, r->path, l);
		if (id == HF_NONE)
			return -1;
		hf__sink_printf(out, "%s%lld,%lld,%u", k ? "," : "", (long long)l->flat, (long long)l->cum,
			(unsigned)id);
	}
	hf__sink_printf(out, "],%u", (unsigned)group);
	if (r->beyond_line)
		hf__sink_printf(out, ",%lld,%lld", (long long)r->file_lines, (long long)r->beyond_line);
	hf__sink_putc(out, ']');
	return 0;
}

/* The id of (function, file) in `in` (HF_NONE: out of memory); *added
 * says whether it is new. */
static uint32_t pair_id(hf__intern *in, int64_t fn, const char *file, bool *added)
{
	size_t len = strlen(file);
	char key[512];
	if (len > sizeof(key) - sizeof(fn))
		len = sizeof(key) - sizeof(fn);
	memcpy(key, &fn, sizeof(fn));
	memcpy(key + sizeof(fn), file, len);
	uint32_t before = in->count;
	uint32_t id = hf__intern_get(in, key, len + sizeof(fn));
	*added = id != HF_NONE && id >= before;
	return id;
}

/* Was this (function, file) written as missing already? */
static bool seen_missing(hf__intern *seen, int64_t fn, const char *file, bool *oom)
{
	bool added;
	uint32_t id = pair_id(seen, fn, file, &added);
	if (id == HF_NONE)
		*oom = true;
	return id != HF_NONE && !added;
}

/* The routines found, as groups: their (function, file) in `keys`, the
 * page function of each. */
typedef struct groups {
	hf__intern keys;
	int64_t *fn;
	uint32_t *rank;
	size_t cap;
} groups;

static uint32_t group_id(groups *g, int64_t fn, const char *file)
{
	bool added;
	uint32_t id = pair_id(&g->keys, fn, file, &added);
	if (id == HF_NONE || !added)
		return id;
	int64_t *f = hf__grow(g->fn, &g->cap, id, sizeof(*f), 64);
	if (!f)
		return HF_NONE;
	g->fn = f;
	g->fn[id] = fn;
	return id;
}

/*
 * Each profile function's group, found as --list finds a routine's file
 * (report/list.c: the recorded file trimmed against -trim_path and
 * -source_path, then cleaned), and each group's place among its page
 * function's groups (in id order, as the page counts them).
 */
static int map_functions(const hf_profile *p, const hf_source_options *src, groups *g,
	int64_t (*fn_id)(void *ctx, const char *name), void *ctx, uint32_t *of_function)
{
	hf__arena scratch;
	memset(&scratch, 0, sizeof(scratch));
	int rc = 0;
	uint32_t ngroups = g->keys.count;
	g->rank = hf__calloc(ngroups + 1, sizeof(*g->rank));
	uint32_t *seen = hf__calloc(ngroups + 1, sizeof(*seen));
	hf__intern fns;
	hf__intern_init(&fns, &scratch);
	for (uint32_t i = 0; i < ngroups && g->rank && seen && rc == 0; i++) {
		uint32_t k = hf__intern_get(&fns, (const char *)&g->fn[i], sizeof(g->fn[i]));
		if (k == HF_NONE)
			rc = -1;
		else
			g->rank[i] = seen[k]++;
	}
	hf__free(seen);
	hf__intern_dispose(&fns);
	if (!g->rank || rc != 0) {
		hf__arena_dispose(&scratch);
		return -1;
	}
	for (size_t i = 0; i < p->nfunctions && rc == 0; i++) {
		const hf__function *f = &p->functions[i];
		of_function[i] = HF_NONE;
		const char *name = hf__measure_function_name(&scratch, p, f);
		if (!name) {
			rc = -1;
			break;
		}
		int64_t fn = name[0] && f->filename && f->filename[0] ? fn_id(ctx, name) : -1;
		if (fn < 0)
			continue;
		char *trimmed = hf__source_trim(f->filename, src ? src->trim_path : NULL,
			src ? src->source_path : NULL);
		char *clean = trimmed ? hf__source_clean(trimmed) : NULL;
		if (!clean) {
			rc = -1;
		} else {
			/* a lookup: a pair not in the groups is added past count */
			bool added;
			uint32_t id = pair_id(&g->keys, fn, clean, &added);
			if (id == HF_NONE)
				rc = -1;
			else if (id < ngroups)
				of_function[i] = id;
		}
		hf__free(trimmed);
		hf__free(clean);
	}
	hf__arena_dispose(&scratch);
	return rc;
}

/* The page's side of the source view (hf__html_put_sources' callbacks). */
typedef struct page_fns {
	int64_t (*id)(void *ctx, const char *name);
	const char *(*file)(void *ctx, int64_t fn);
	int (*put_lines)(void *ctx, hf__sink *out, const hf__html_groups *groups);
	void *ctx;
} page_fns;

/* pprof's list of every named function for each sample type; a type
 * with no function of its own value (or values past 64 bits) gets NULL. */
static int build_listings(hf_listing **ls, const hf_profile *p, const hf_source_options *src,
	hf_error *err)
{
	for (size_t t = 0; t < p->nsample_types; t++) {
		hf_list_options lo = HF_LIST_OPTIONS_INIT;
		lo.sample_index = (long)t;
		lo.regex = "."; /* every named function (the page has no others) */
		lo.total = hf_profile_total(p, t);
		if (src)
			lo.source = *src;
		hf_error lerr = {0};
		int lrc = hf_listing_build(&ls[t], p, &lo, &lerr);
		if (lrc == HF_ENOMEM)
			return hf__oom(err);
		if (lrc != HF_OK)
			ls[t] = NULL;
	}
	return HF_OK;
}

/* "missing": each (function, file) of the page whose source was not
 * found, once. Returns false when out of memory. */
static bool put_missing_routines(hf__sink *b, texts *tx, hf__intern *seen, hf_listing *const *ls,
	size_t nt, const page_fns *page)
{
	bool oom = false, first = true;
	hf__sink_puts(b, "\"missing\":[");
	for (size_t t = 0; t < nt && !oom; t++)
		for (size_t i = 0; ls[t] && i < ls[t]->nroutines && !oom; i++) {
			const hf_listing_routine *r = &ls[t]->routines[i];
			int64_t fn = page->id(page->ctx, r->name);
			if (fn < 0 || r->path || seen_missing(seen, fn, r->file, &oom))
				continue;
			oom = oom || put_missing(b, tx, r, fn, page->file(page->ctx, fn), &first) != 0;
		}
	hf__sink_puts(b, "]");
	return !oom;
}

/* "types": per sample type its total and its found routines, each in
 * its (function, file) group. Returns false when out of memory. */
static bool put_found_routines(hf__sink *b, texts *tx, groups *gr, hf_listing *const *ls,
	size_t nt, const page_fns *page)
{
	bool oom = false;
	hf__sink_puts(b, ",\"types\":[");
	for (size_t t = 0; t < nt && !oom; t++) {
		hf__sink_puts(b, t ? ",{" : "{");
		if (ls[t]) {
			hf__sink_printf(b, "\"total\":%lld,\"routines\":[", (long long)ls[t]->total);
			bool first = true;
			for (size_t i = 0; i < ls[t]->nroutines && !oom; i++) {
				const hf_listing_routine *r = &ls[t]->routines[i];
				int64_t fn = page->id(page->ctx, r->name);
				if (fn < 0 || !r->path)
					continue;
				if (!first)
					hf__sink_putc(b, ',');
				first = false;
				uint32_t g = group_id(gr, fn, r->file);
				oom = g == HF_NONE || put_routine(b, tx, r, fn, page->file(page->ctx, fn), g) != 0;
			}
			hf__sink_putc(b, ']');
		}
		hf__sink_putc(b, '}');
	}
	hf__sink_puts(b, "]");
	return !oom;
}

/* "groups": the groups' functions, then "lines", the line stream over
 * them. Returns false when out of memory. */
static bool put_groups(hf__sink *b, const hf_profile *p, const hf_source_options *src, groups *gr,
	const page_fns *page)
{
	hf__sink_puts(b, ",\"groups\":[");
	for (uint32_t g = 0; g < gr->keys.count; g++)
		hf__sink_printf(b, "%s%lld", g ? "," : "", (long long)gr->fn[g]);
	hf__sink_puts(b, "]");
	uint32_t ngroups = gr->keys.count;
	if (!ngroups)
		return true;
	uint32_t *of_function = hf__malloc(hf__mul(p->nfunctions + 1, sizeof(*of_function)));
	bool oom = !of_function || map_functions(p, src, gr, page->id, page->ctx, of_function) != 0;
	if (!oom) {
		hf__html_groups hg = {ngroups, gr->fn, gr->rank, of_function};
		hf__sink_puts(b, ",\"lines\":\"");
		oom = page->put_lines(page->ctx, b, &hg) != 0;
		hf__sink_putc(b, '"');
	}
	hf__free(of_function);
	return !oom;
}

/* The texts the body numbered, then the body. */
static int put_texts_and_body(hf__sink *out, const texts *tx, const hf_buffer *body, hf_error *err)
{
	hf__sink_puts(out, "{\"texts\":[");
	for (uint32_t i = 0; i < tx->keys.count; i++) {
		hf__sink_puts(out, i ? ",\"" : "\"");
		if (put_clean(out, tx->refs[i].s, tx->refs[i].len, tx->refs[i].keep_tab) != 0)
			return hf__oom(err);
		hf__sink_putc(out, '"');
	}
	hf__sink_puts(out, "],");
	hf__sink_put(out, body->data, body->len);
	return HF_OK;
}

int hf__html_put_sources(hf__sink *out, const hf_profile *p, const hf_source_options *src,
	int64_t (*fn_id)(void *ctx, const char *name), const char *(*fn_file)(void *ctx, int64_t fn),
	int (*put_lines)(void *ctx, hf__sink *out, const hf__html_groups *groups),
	void *ctx, hf_error *err)
{
	const page_fns page = {fn_id, fn_file, put_lines, ctx};
	size_t nt = p->nsample_types;
	hf_listing **ls = hf__calloc(nt, sizeof(*ls));
	if (!ls)
		return hf__oom(err);
	texts tx;
	memset(&tx, 0, sizeof(tx));
	hf__intern_init(&tx.keys, &tx.arena);
	hf__intern seen;
	hf__intern_init(&seen, &tx.arena);
	groups gr;
	memset(&gr, 0, sizeof(gr));
	hf__intern_init(&gr.keys, &tx.arena);
	hf_buffer body = {0};
	hf_writer bw = hf_writer_buffer(&body);
	hf__sink b;
	int rc = hf__sink_init(&b, &bw) == 0 ? HF_OK : hf__oom(err);
	bool sink_open = rc == HF_OK;
	if (rc == HF_OK)
		rc = build_listings(ls, p, src, err);
	if (rc == HF_OK) {
		/* the body first (it numbers the texts), then the texts */
		bool ok = put_missing_routines(&b, &tx, &seen, ls, nt, &page) &&
			put_found_routines(&b, &tx, &gr, ls, nt, &page) &&
			put_groups(&b, p, src, &gr, &page);
		hf__sink_puts(&b, "}");
		sink_open = false;
		if (hf__sink_finish(&b, err) != HF_OK || !ok)
			rc = hf__oom(err);
	}
	if (rc == HF_OK)
		rc = put_texts_and_body(out, &tx, &body, err);
	if (sink_open) {
		hf_error ignored = {0};
		hf__sink_finish(&b, &ignored);
	}
	hf_buffer_dispose(&body);
	for (size_t t = 0; t < nt; t++)
		hf_listing_free(ls[t]);
	hf__free(ls);
	hf__free(tx.refs);
	hf__intern_dispose(&seen);
	hf__intern_dispose(&gr.keys);
	hf__free(gr.fn);
	hf__free(gr.rank);
	hf__intern_dispose(&tx.keys);
	hf__arena_dispose(&tx.arena);
	return rc;
}
