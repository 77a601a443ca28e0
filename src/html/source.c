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

#include "../profile/profile.h"

#include <stdlib.h>
#include <string.h>

typedef struct text_ref {
	const char *s;
	size_t len;
	bool keep_tab;
} text_ref;

typedef struct texts {
	hf_arena arena;
	hf_intern keys;
	text_ref *refs;
	size_t cap;
} texts;

/* Writes text as a JSON string body, cleaned as --list writes it. */
static int put_clean(hf_sink *out, const char *text, size_t len, bool keep_tab)
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
static int put_missing(hf_sink *out, texts *tx, const hf_listing_routine *r, int64_t fn,
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
 * cum, text id per line], and, when the file is shorter than the samples
 * say, its line count and the last sampled line]. */
static int put_routine(hf_sink *out, texts *tx, const hf_listing_routine *r, int64_t fn,
	const char *node_file)
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
	hf__sink_putc(out, ']');
	if (r->beyond_line)
		hf__sink_printf(out, ",%lld,%lld", (long long)r->file_lines, (long long)r->beyond_line);
	hf__sink_putc(out, ']');
	return 0;
}

/* Was this (function, file) written as missing already? */
static bool seen_missing(hf_intern *seen, int64_t fn, const char *file, bool *oom)
{
	size_t len = strlen(file);
	char key[512];
	if (len > sizeof(key) - sizeof(fn))
		len = sizeof(key) - sizeof(fn);
	memcpy(key, &fn, sizeof(fn));
	memcpy(key + sizeof(fn), file, len);
	uint32_t before = seen->count;
	uint32_t id = hf__intern_get(seen, key, len + sizeof(fn));
	if (id == HF_NONE)
		*oom = true;
	return id < before;
}

int hf__html_put_sources(hf_sink *out, const hf_profile *p, const hf_source_options *src,
	int64_t (*fn_id)(void *ctx, const char *name), const char *(*fn_file)(void *ctx, int64_t fn),
	void *ctx, hf_error *err)
{
	size_t nt = p->nsample_types;
	hf_listing **ls = hf__calloc(nt, sizeof(*ls));
	if (!ls)
		return hf__oom(err);
	texts tx;
	memset(&tx, 0, sizeof(tx));
	hf__intern_init(&tx.keys, &tx.arena);
	hf_intern seen;
	hf__intern_init(&seen, &tx.arena);
	hf_buffer body = {0};
	hf_writer bw = hf_writer_buffer(&body);
	hf_sink b;
	int rc = hf__sink_init(&b, &bw) == 0 ? HF_OK : hf__oom(err);
	bool sink_open = rc == HF_OK, oom = false;
	for (size_t t = 0; t < nt && rc == HF_OK; t++) {
		hf_list_options lo = HF_LIST_OPTIONS_INIT;
		lo.sample_index = (long)t;
		lo.regex = "."; /* every named function (the page has no others) */
		lo.total = hf_profile_total(p, t);
		if (src)
			lo.source = *src;
		hf_error lerr = {0};
		int lrc = hf_listing_build(&ls[t], p, &lo, &lerr);
		/* no function with a value of this type (or values past 64 bits):
		 * the page says the type has no listing */
		if (lrc == HF_ENOMEM)
			rc = hf__oom(err);
		else if (lrc != HF_OK)
			ls[t] = NULL;
	}
	if (rc != HF_OK)
		goto done;
	/* the body first (it numbers the texts), then the texts */
	hf__sink_puts(&b, "\"missing\":[");
	bool first = true;
	for (size_t t = 0; t < nt && !oom; t++)
		for (size_t i = 0; ls[t] && i < ls[t]->nroutines && !oom; i++) {
			const hf_listing_routine *r = &ls[t]->routines[i];
			int64_t fn = fn_id(ctx, r->name);
			if (fn < 0 || r->path || seen_missing(&seen, fn, r->file, &oom))
				continue;
			oom = oom || put_missing(&b, &tx, r, fn, fn_file(ctx, fn), &first) != 0;
		}
	hf__sink_puts(&b, "],\"types\":[");
	for (size_t t = 0; t < nt && !oom; t++) {
		hf__sink_puts(&b, t ? ",{" : "{");
		if (ls[t]) {
			hf__sink_printf(&b, "\"total\":%lld,\"routines\":[", (long long)ls[t]->total);
			first = true;
			for (size_t i = 0; i < ls[t]->nroutines && !oom; i++) {
				const hf_listing_routine *r = &ls[t]->routines[i];
				int64_t fn = fn_id(ctx, r->name);
				if (fn < 0 || !r->path)
					continue;
				if (!first)
					hf__sink_putc(&b, ',');
				first = false;
				oom = put_routine(&b, &tx, r, fn, fn_file(ctx, fn)) != 0;
			}
			hf__sink_putc(&b, ']');
		}
		hf__sink_putc(&b, '}');
	}
	hf__sink_puts(&b, "]}");
	sink_open = false;
	if (hf__sink_finish(&b, err) != HF_OK || oom) {
		rc = hf__oom(err);
		goto done;
	}
	hf__sink_puts(out, "{\"texts\":[");
	for (uint32_t i = 0; i < tx.keys.count; i++) {
		hf__sink_puts(out, i ? ",\"" : "\"");
		if (put_clean(out, tx.refs[i].s, tx.refs[i].len, tx.refs[i].keep_tab) != 0) {
			rc = hf__oom(err);
			goto done;
		}
		hf__sink_putc(out, '"');
	}
	hf__sink_puts(out, "],");
	hf__sink_put(out, body.data, body.len);
done:
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
	hf__intern_dispose(&tx.keys);
	hf__arena_dispose(&tx.arena);
	return rc;
}
