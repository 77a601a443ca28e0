/*
 * The work that splits over two threads (src/util/thread.c): a lean
 * profile's samples folded in two parts, the flame layout's sort in two
 * halves, the SVG's frames written in two halves, and the label font
 * measured ahead (hf_flame_fonts_start). The test build's knob
 * (hf__parallel_force) runs every split of two items or more on two
 * threads, whatever the thresholds and the CPUs, or none. Every input of
 * tests/data and tests/must-fail is folded straight from its file and
 * drawn both ways: the return codes and error messages, the collapsed
 * stacks and the flame and icicle SVGs must be the same byte for byte,
 * and threads must have run for each profile that has two samples or
 * more (and never when they are off). Run under ThreadSanitizer
 * (scripts/test.sh tsan): a race in a split fails it.
 *
 * Usage: test_parallel DATA_DIR MUST_FAIL_DIR
 */
#define _DEFAULT_SOURCE /* strdup, d_type */
#include "heapflame.h"
#include "util/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OUT_COLLAPSED, OUT_FLAME, OUT_ICICLE, NOUTPUTS };
static const char *const output_names[NOUTPUTS] = {"collapsed", "flame SVG", "icicle SVG"};

typedef struct outputs {
	int rc;
	hf_error err;
	size_t nstacks;
	hf_buffer out[NOUTPUTS];
} outputs;

static int draw_flame(const hf_stacks *s, bool icicle, bool fonts_ahead, hf_writer *w,
	hf_error *err)
{
	hf_flame_options fo = HF_FLAME_OPTIONS_INIT;
	fo.inverted = icicle;
	fo.reverse = icicle;
	hf_flame_fonts *fonts = NULL;
	hf_flame *f = NULL;
	int rc = fonts_ahead ? hf_flame_fonts_start(&fonts, &fo, err) : HF_OK;
	fo.fonts = fonts;
	if (rc == HF_OK)
		rc = hf_flame_layout(&f, s, &fo, err);
	if (rc == HF_OK)
		rc = hf_flame_write_svg(f, w, err);
	hf_flame_free(f);
	hf_flame_fonts_free(fonts);
	return rc;
}

/* Folds the file straight from its bytes and draws it. */
static void draw(const char *path, bool fonts_ahead, outputs *o)
{
	hf_writer w[NOUTPUTS];
	for (int i = 0; i < NOUTPUTS; i++)
		w[i] = hf_writer_buffer(&o->out[i]);
	hf_stacks *s = NULL;
	int rc = hf_stacks_fold_file(&s, path, NULL, NULL, NULL, &o->err);
	o->nstacks = hf_stacks_count(s);
	if (rc == HF_OK)
		rc = hf_stacks_write_collapsed(s, &w[OUT_COLLAPSED], &o->err);
	if (rc == HF_OK)
		rc = draw_flame(s, false, fonts_ahead, &w[OUT_FLAME], &o->err);
	if (rc == HF_OK)
		rc = draw_flame(s, true, fonts_ahead, &w[OUT_ICICLE], &o->err);
	hf_stacks_free(s);
	o->rc = rc;
}

static void outputs_dispose(outputs *o)
{
	for (int i = 0; i < NOUTPUTS; i++)
		hf_buffer_dispose(&o->out[i]);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* One input, both ways; returns the failures. */
static int check(const char *dir, const char *name, size_t *profiles)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	outputs one = {0}, two = {0};
	hf__parallel_force(HF_PARALLEL_NEVER);
	size_t before = hf__threads_started();
	draw(path, false, &one);
	int failures = 0;
	if (hf__threads_started() != before) {
		fprintf(stderr, "%s: threads ran while they were off\n", name);
		failures++;
	}
	hf__parallel_force(HF_PARALLEL_ALWAYS);
	before = hf__threads_started();
	draw(path, true, &two);
	size_t started = hf__threads_started() - before;
	hf__parallel_force(0);
	if (one.rc != two.rc || strcmp(one.err.message, two.err.message) != 0) {
		fprintf(stderr, "%s: one thread: %d \"%s\", two: %d \"%s\"\n", name, one.rc,
			one.err.message, two.rc, two.err.message);
		failures++;
	}
	for (int i = 0; i < NOUTPUTS; i++)
		if (one.out[i].len != two.out[i].len || (one.out[i].len > 0 &&
		    memcmp(one.out[i].data, two.out[i].data, one.out[i].len) != 0)) {
			fprintf(stderr, "%s: %s on two threads differs from one\n", name,
				output_names[i]);
			failures++;
		}
	/* a protobuf profile of two stacks or more: the fold, the sort and the
	 * frames of both SVGs split */
	if (one.rc == HF_OK && one.nstacks >= 2 && (has_suffix(name, ".pb.gz") ||
	    has_suffix(name, ".pb"))) {
		(*profiles)++;
		if (started < 4) {
			fprintf(stderr, "%s: %zu threads ran, want 4 or more\n", name, started);
			failures++;
		}
	}
	printf("%s: %s, %zu stacks, %zu threads\n", name,
		one.rc == HF_OK ? "drawn" : one.err.message, one.nstacks, started);
	outputs_dispose(&one);
	outputs_dispose(&two);
	return failures;
}

static int check_dir(const char *dir, size_t *inputs, size_t *profiles)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	int failures = 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		const char *name = e->d_name;
		/* the inputs: profiles, folded and legacy text, not the goldens'
		 * tables and graphs or the scripts */
		if (name[0] == '.' || e->d_type == DT_DIR || has_suffix(name, ".md") || has_suffix(name, ".py") ||
		    has_suffix(name, ".sh") || has_suffix(name, ".awk") || has_suffix(name, ".supp") ||
		    has_suffix(name, ".dot") || has_suffix(name, "CMakeLists.txt"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **more = realloc(names, cap * sizeof(*names));
			if (!more)
				abort();
			names = more;
		}
		if (!(names[n++] = strdup(name)))
			abort();
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		failures += check(dir, names[i], profiles);
		free(names[i]);
	}
	free(names);
	*inputs += n;
	return failures;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_parallel DATA_DIR MUST_FAIL_DIR\n");
		return 2;
	}
	size_t inputs = 0, profiles = 0;
	int failures = check_dir(argv[1], &inputs, &profiles) + check_dir(argv[2], &inputs, &profiles);
	if (profiles < 5) {
		fprintf(stderr, "only %zu profiles were split (want the fixtures' 5 or more)\n", profiles);
		failures++;
	}
	printf("%zu inputs, %zu profiles split over two threads: %d failures\n", inputs, profiles,
		failures);
	return failures ? 1 : 0;
}
