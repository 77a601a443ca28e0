/*
 * Allocation failure: runs decode -> fold -> collapsed, flame and icicle
 * SVG -> call graph DOT, top table and source listing, and the HTML report
 * (with its source listings and line stream) over real profiles once
 * to count the library's allocations, then again for N = 1 ... total with
 * allocation N (and every later one) failing. Each failing run must end in
 * HF_ENOMEM with a one-line message, free everything (checked with glibc's
 * heap statistics here, and by LeakSanitizer in ASan builds) and never
 * crash; runs that do not fail must produce the same output as the first.
 */
#define _DEFAULT_SOURCE /* mallinfo2 */
#include "alloc_sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A flame graph of the stacks (an icicle when `inverted`) as SVG. */
static int draw_flame(const hf_stacks *s, bool inverted, hf_writer *w, hf_error *err)
{
	hf_flame_options fo = HF_FLAME_OPTIONS_INIT;
	hf_flame *f = NULL;
	fo.inverted = inverted;
	fo.reverse = inverted;
	/* flamegraph.pl's fixed glyph width: font metrics come from pango,
	 * whose allocations are not ours to fail. */
	fo.font_width = 0.59 * 12;
	int rc = hf_flame_layout(&f, s, &fo, err);
	if (rc == HF_OK)
		rc = hf_flame_write_svg(f, w, err);
	hf_flame_free(f);
	return rc;
}

/* The call graph as DOT, and the top table. */
static int draw_graph(const hf_profile *p, hf_writer *w, hf_error *err)
{
	hf_graph *g = NULL;
	int rc = hf_graph_build(&g, p, NULL, err);
	if (rc == HF_OK)
		rc = hf_graph_write_dot(g, w, err);
	hf_graph_free(g);
	if (rc == HF_OK)
		rc = hf_report_write_top(p, NULL, w, err);
	if (rc == HF_OK) {
		/* --list, reading tests/data's programs/shop/main.go (no
		 * GOROOT or module cache: nothing there to find, and no
		 * `go env` to run). */
		char src[4096];
		const char *root = getenv("SRC");
		snprintf(src, sizeof(src), "%s/tests/data", root ? root : ".");
		hf_list_options lo = HF_LIST_OPTIONS_INIT;
		lo.regex = "main\\.";
		lo.source.source_path = src;
		lo.source.goroot = "";
		lo.source.modcache = "";
		rc = hf_report_write_list(p, &lo, w, err);
	}
	return rc;
}

/* A profile file's bytes, read once. */
typedef struct input {
	const char *name;
	uint8_t *data;
	size_t len;
} input;

/* The pipeline under test; returns the first failure's code. */
static int run(void *ctx, hf_writer *out, hf_error *err)
{
	const input *in = ctx;
	hf_profile *p = NULL;
	int rc = hf_profile_parse(&p, in->data, in->len, in->name, NULL, err);
	size_t ntypes = rc == HF_OK ? hf_profile_sample_type_count(p) : 0;
	for (size_t i = 0; rc == HF_OK && i < ntypes; i++) {
		for (int g = 0; rc == HF_OK && g < 2; g++) {
			hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
			hf_stacks *s = NULL;
			fo.sample_index = (long)i;
			fo.granularity = g ? HF_GRANULARITY_LINES : HF_GRANULARITY_FUNCTIONS;
			rc = hf_stacks_fold(&s, p, &fo, err);
			if (rc == HF_OK)
				rc = hf_stacks_write_collapsed(s, out, err);
			if (rc == HF_OK && i == 0)
				rc = draw_flame(s, g == 1, out, err);
			hf_stacks_free(s);
		}
	}
	if (rc == HF_OK)
		rc = draw_graph(p, out, err);
	hf_profile_free(p);
	return rc;
}

/* Folding straight from the bytes and from the file (samples read from
 * the wire data, the decoded model dropped before they are walked). */
static int run_straight(void *ctx, hf_writer *out, hf_error *err)
{
	const input *in = ctx;
	hf_fold_options lines = HF_FOLD_OPTIONS_INIT;
	lines.granularity = HF_GRANULARITY_LINES;
	const struct { bool file; const char *index; const hf_fold_options *fo; } runs[] = {
		{false, NULL, NULL}, {false, "0", &lines}, {true, NULL, NULL},
	};
	int rc = HF_OK;
	for (size_t i = 0; rc == HF_OK && i < sizeof(runs) / sizeof(runs[0]); i++) {
		hf_stacks *s = NULL;
		rc = runs[i].file
			? hf_stacks_fold_file(&s, in->name, NULL, runs[i].index, runs[i].fo, err)
			: hf_stacks_fold_data(&s, in->data, in->len, in->name, NULL, runs[i].index,
				runs[i].fo, err);
		if (rc == HF_OK)
			rc = hf_stacks_write_collapsed(s, out, err);
		hf_stacks_free(s);
	}
	return rc;
}

/* The HTML report with its source listings (tests/data's main.go, as
 * draw_graph's --list) and their line stream; no call graph (Graphviz's
 * allocations are not ours to fail). */
static int run_html(void *ctx, hf_writer *out, hf_error *err)
{
	const input *in = ctx;
	hf_profile *p = NULL;
	int rc = hf_profile_parse(&p, in->data, in->len, in->name, NULL, err);
	if (rc == HF_OK) {
		char src[4096];
		const char *root = getenv("SRC");
		snprintf(src, sizeof(src), "%s/tests/data", root ? root : ".");
		hf_html_options ho = HF_HTML_OPTIONS_INIT;
		ho.callgraph = false;
		ho.source.source_path = src;
		ho.source.goroot = "";
		ho.source.modcache = "";
		rc = hf_html_write(p, &ho, out, err);
	}
	hf_profile_free(p);
	return rc;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	rewind(fp);
	uint8_t *buf = n > 0 ? malloc((size_t)n) : NULL;
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	*len = buf ? (size_t)n : 0;
	return buf;
}

static size_t test_profile(const char *path, bool with_html)
{
	input in = {path, NULL, 0};
	in.data = read_file(path, &in.len);
	if (!in.data) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	size_t problems = harness_alloc_sweep(path, run, &in);
	char straight[4200];
	snprintf(straight, sizeof(straight), "%s (folded straight)", path);
	problems += harness_alloc_sweep(straight, run_straight, &in);
	/* the HTML report (some 9,500 allocations, more with
	 * HEAPFLAME_DEBUG_ARENA) on the first profile only (the others are
	 * the same profile in other encodings), at most 1,000 failing runs
	 * spread over them: each allocation failing took 5.6 min under ASan,
	 * and 2,500 ran the whole test past 15 min on a loaded machine */
	if (with_html) {
		char html[4200];
		snprintf(html, sizeof(html), "%s (HTML report)", path);
		problems += harness_alloc_sweep_runs(html, run_html, &in, 1000);
	}
	free(in.data);
	return problems;
}

int main(int argc, char **argv)
{
	const char *src = getenv("SRC");
	static const char *names[] = {"heap-small.pb.gz", "raw-uncompressed.pb"};
	char path[4096];
	size_t failures = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			failures += test_profile(argv[i], i == 1);
	} else {
		/* The repository's own profiles (tests/data). */
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(path, sizeof(path), "%s/tests/data/%s", src ? src : ".", names[i]);
			failures += test_profile(path, i == 0);
		}
	}
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
