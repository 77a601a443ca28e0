/* The offline HTML report: internals shared by its C files. */
#ifndef HF_HTML_H
#define HF_HTML_H

#include "../util/util.h"

/* The page's script and style (src/html/report.js, report.css), compiled
 * in by cmake/embed.cmake; the table ends with a NULL name. */
extern const hf__embedded hf__html_assets[];

/*
 * Writes s as the body of a JSON string (no quotes) that is also safe
 * inside an HTML <script> element: '<', '>' and '&' as \u escapes (so no
 * "</script>" or "<!--" can appear), control characters, U+2028 and
 * U+2029 escaped, and every invalid UTF-8 byte as U+FFFD.
 */
void hf__html_put_json_chars(hf__sink *out, const char *s, size_t len);
/* Writes s escaped as HTML text or attribute value (invalid UTF-8 as U+FFFD). */
void hf__html_put_text(hf__sink *out, const char *s, size_t len);

/*
 * The (function, file) routines whose source was found, for the line
 * stream: the page computes the Source view's numbers under its refine
 * boxes from it (put_lines, src/html/html.c).
 */
typedef struct hf__html_groups {
	size_t count;
	const int64_t *fn;            /* per group: the page's function id */
	const uint32_t *rank;         /* per group: its place among its function's groups */
	const uint32_t *of_function;  /* per profile function: its group, or HF_NONE */
} hf__html_groups;

/*
 * Writes the source view's data (JSON): pprof's list of every named
 * function for every sample type, with the lines of the listed windows,
 * then the groups and, through put_lines (a JSON string body), the line
 * of every frame of a found routine per stack. fn_id maps a function name
 * to the page's function id (< 0: not in the page, left out); fn_file
 * gives the file the page's table names for it.
 */
int hf__html_put_sources(hf__sink *out, const hf_profile *p, const hf_source_options *src,
	int64_t (*fn_id)(void *ctx, const char *name), const char *(*fn_file)(void *ctx, int64_t fn),
	int (*put_lines)(void *ctx, hf__sink *out, const hf__html_groups *groups),
	void *ctx, hf_error *err);

#endif
