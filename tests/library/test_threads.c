/*
 * Thread safety: the library keeps no global mutable state, so drawing
 * different profiles from many threads at once must give exactly what
 * one thread gives. The reference outputs are made first, one at a time
 * (and their collapsed stacks and DOT checked against the pprof goldens
 * where there are some); then 8 threads each take jobs (a fixture to
 * parse and draw as collapsed stacks, flame and icicle SVG with real font
 * metrics, DOT, the top table and a Graphviz-rendered SVG), also sharing
 * one profile read-only, and every output must equal its reference byte
 * for byte. Run under ThreadSanitizer (scripts/test.sh), a data race
 * anywhere in the library fails it. Uses the public API only and links
 * the library as installed (no test hooks).
 *
 * Usage: test_threads FIXTURES_DIR (the repository's tests/data)
 */
#include "heapflame.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTHREADS 8
#define ROUNDS 3

/* The repository's own fixtures (tests/data), so a clone alone runs it. */
static const char *const fixtures[] = {
	"cpu-small.pb.gz", "heap-base.pb.gz", "heap-legacy.txt",
	"heap-later.pb.gz", "heap-small.pb.gz", "raw-uncompressed.pb",
};
#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

enum { OUT_COLLAPSED, OUT_FLAME, OUT_ICICLE, OUT_DOT, OUT_TOP, OUT_RENDER, NOUTPUTS };
static const char *const output_names[NOUTPUTS] = {
	"collapsed", "flame SVG", "icicle SVG", "DOT", "top", "rendered SVG",
};

typedef struct outputs {
	hf_buffer out[NOUTPUTS];
	int rc;
	hf_error err;
} outputs;

static const char *fixture_dir;
static const hf_profile *shared_profile; /* read by every thread at once */

static int draw_flame(const hf_stacks *s, bool icicle, hf_writer *w, hf_error *err)
{
	hf_flame_options fo = HF_FLAME_OPTIONS_INIT;
	fo.inverted = icicle;
	hf_flame *f = NULL;
	int rc = hf_flame_layout(&f, s, &fo, err);
	if (rc == HF_OK)
		rc = hf_flame_write_svg(f, w, err);
	hf_flame_free(f);
	return rc;
}

/* Every output of one profile. */
static int draw(const hf_profile *p, outputs *o)
{
	hf_writer w[NOUTPUTS];
	for (int i = 0; i < NOUTPUTS; i++)
		w[i] = hf_writer_buffer(&o->out[i]);
	hf_error *err = &o->err;
	hf_stacks *s = NULL;
	hf_graph *g = NULL;
	int rc = hf_stacks_fold(&s, p, NULL, err);
	if (rc == HF_OK)
		rc = hf_stacks_write_collapsed(s, &w[OUT_COLLAPSED], err);
	if (rc == HF_OK)
		rc = draw_flame(s, false, &w[OUT_FLAME], err);
	if (rc == HF_OK)
		rc = draw_flame(s, true, &w[OUT_ICICLE], err);
	if (rc == HF_OK)
		rc = hf_graph_build(&g, p, NULL, err);
	if (rc == HF_OK)
		rc = hf_graph_write_dot(g, &w[OUT_DOT], err);
	if (rc == HF_OK)
		rc = hf_report_write_top(p, NULL, &w[OUT_TOP], err);
	/* built without Graphviz: no rendered SVG, the rest still compared */
	if (rc == HF_OK && (rc = hf_graph_render(g, "svg", &w[OUT_RENDER], err)) == HF_EUNSUPPORTED)
		rc = HF_OK;
	hf_graph_free(g);
	hf_stacks_free(s);
	return o->rc = rc;
}

static int draw_file(const char *fixture, outputs *o)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", fixture_dir, fixture);
	hf_profile *p = NULL;
	int rc = hf_profile_parse_file(&p, path, NULL, &o->err);
	if (rc == HF_OK)
		rc = draw(p, o);
	hf_profile_free(p);
	return o->rc = rc;
}

static void outputs_dispose(outputs *o)
{
	for (int i = 0; i < NOUTPUTS; i++)
		hf_buffer_dispose(&o->out[i]);
}

/* Compares the golden pprof wrote for the fixture's default sample type
 * (FIXTURE-NAME.TYPE.SUFFIX), when there is one. */
static int check_golden(const char *fixture, const hf_profile *p, const char *suffix,
	const hf_buffer *got)
{
	const char *type = NULL, *unit = NULL;
	hf_profile_sample_type(p, hf_profile_default_sample_index(p), &type, &unit);
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%.*s.%s.%s", fixture_dir,
		(int)strcspn(fixture, "."), fixture, type, suffix);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 1;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	hf_buffer want = {0};
	hf_writer w = hf_writer_buffer(&want);
	char chunk[65536];
	size_t got_n;
	while ((got_n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		w.write(w.ctx, chunk, got_n);
	fclose(fp);
	int bad = want.len != got->len || memcmp(want.data, got->data, want.len) != 0;
	if (bad)
		fprintf(stderr, "%s: our %s differs from pprof's %s\n", fixture, suffix, path);
	else
		printf("%s: %s equals pprof's golden\n", fixture, suffix);
	hf_buffer_dispose(&want);
	return bad;
}

#define NJOBS ((NFIXTURES + 1) * ROUNDS)

static outputs reference[NFIXTURES + 1]; /* the last: the shared profile */
static outputs results[NJOBS];
static atomic_size_t next_job;

static int compare(size_t which, const char *what, const outputs *got)
{
	const outputs *want = &reference[which];
	if (got->rc != want->rc) {
		fprintf(stderr, "%s: rc %d (%s), alone %d\n", what, got->rc, got->err.message, want->rc);
		return 1;
	}
	int bad = 0;
	for (int i = 0; i < NOUTPUTS; i++)
		if (got->out[i].len != want->out[i].len ||
		    memcmp(got->out[i].data, want->out[i].data, want->out[i].len) != 0) {
			fprintf(stderr, "%s: %s differs from the single-threaded run\n", what,
				output_names[i]);
			bad = 1;
		}
	return bad;
}

/* Job k: fixture k % (NFIXTURES + 1), the last slot being the shared
 * profile, so at every moment threads work on different profiles and
 * on the same one. */
static const char *job_name(size_t k)
{
	size_t which = k % (NFIXTURES + 1);
	return which < NFIXTURES ? fixtures[which] : "shared profile";
}

static void *worker(void *arg)
{
	(void)arg;
	for (size_t k; (k = atomic_fetch_add(&next_job, 1)) < NJOBS;) {
		size_t which = k % (NFIXTURES + 1);
		if (which < NFIXTURES)
			draw_file(fixtures[which], &results[k]);
		else
			draw(shared_profile, &results[k]);
	}
	return NULL;
}

static hf_profile *parse(const char *fixture)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", fixture_dir, fixture);
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf_profile_parse_file(&p, path, NULL, &err) != HF_OK)
		fprintf(stderr, "%s: %s\n", fixture, err.message);
	return p;
}

int main(int argc, char **argv)
{
	fixture_dir = argc > 1 ? argv[1] : getenv("FIXTURES");
	if (!fixture_dir) {
		fprintf(stderr, "usage: test_threads FIXTURES_DIR\n");
		return 2;
	}
	char readme[4096];
	snprintf(readme, sizeof(readme), "%s/README.md", fixture_dir);
	FILE *fp = fopen(readme, "r");
	if (!fp) {
		/* CI must run everything (tests/lib.sh): there a skip fails. */
		const char *ci = getenv("CI");
		bool in_ci = ci && strcmp(ci, "true") == 0;
		printf("%s: no fixtures at %s\n", in_ci ? "FAIL (CI=true)" : "SKIP", fixture_dir);
		return in_ci ? 1 : 77;
	}
	fclose(fp);
	hf_profile *shared = parse(fixtures[NFIXTURES - 1]);
	if (!shared)
		return 1;
	shared_profile = shared;
	/* The threads go first, so they also race on every first use (the
	 * built-in themes, font set-up). */
	pthread_t threads[NTHREADS];
	for (int t = 0; t < NTHREADS; t++)
		if (pthread_create(&threads[t], NULL, worker, NULL) != 0) {
			fprintf(stderr, "cannot start thread %d\n", t);
			return 1;
		}
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(threads[t], NULL);

	/* The references, one at a time, anchored to pprof's goldens. */
	int failures = 0;
	for (size_t i = 0; i < NFIXTURES; i++) {
		hf_profile *p = parse(fixtures[i]);
		if (!p || draw(p, &reference[i]) != HF_OK) {
			fprintf(stderr, "%s: %s\n", fixtures[i], reference[i].err.message);
			hf_profile_free(p);
			return 1;
		}
		failures += check_golden(fixtures[i], p, "folded", &reference[i].out[OUT_COLLAPSED]);
		/* pprof wrote the legacy profile's DOT with the binary beside it
		 * (a File line from the memory map it has and the file lacks) */
		if (!strstr(fixtures[i], ".txt"))
			failures += check_golden(fixtures[i], p, "dot", &reference[i].out[OUT_DOT]);
		hf_profile_free(p);
	}
	draw(shared_profile, &reference[NFIXTURES]);
	for (size_t k = 0; k < NJOBS; k++) {
		failures += compare(k % (NFIXTURES + 1), job_name(k), &results[k]);
		outputs_dispose(&results[k]);
	}
	printf("%zu jobs on %d threads: %d failures\n", (size_t)NJOBS, NTHREADS, failures);
	hf_profile_free(shared);
	for (size_t i = 0; i <= NFIXTURES; i++)
		outputs_dispose(&reference[i]);
	return failures ? 1 : 0;
}
