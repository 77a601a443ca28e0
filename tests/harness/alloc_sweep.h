/*
 * The allocation-failure sweep the library's tests share: run a piece of
 * work once to count its allocations, then once for each N = 1 ... total
 * with allocation N (and every later one) failing. Each run must either
 * fail with HF_ENOMEM and a one-line message, or succeed with exactly the
 * output of the first run; either way it must free all it took (glibc's
 * heap statistics; the test sets glibc.malloc.tcache_count=0 so freed
 * blocks are not counted as in use, and LeakSanitizer checks ASan builds).
 *
 * Needs _DEFAULT_SOURCE (mallinfo2) before any include.
 */
#ifndef HF_ALLOC_SWEEP_H
#define HF_ALLOC_SWEEP_H

#include "harness.h"
#include "util/util.h"

#include <malloc.h>

/* Output hashed, not kept: a writer that allocates nothing. */
typedef struct harness_digest {
	uint64_t hash;
	size_t len;
} harness_digest;

static inline int harness_digest_write(void *ctx, const void *buf, size_t len)
{
	harness_digest *d = ctx;
	d->hash = hf__hash_bytes(buf, len, d->hash);
	d->len += len;
	return 0;
}

static inline hf_writer harness_digest_writer(harness_digest *d)
{
	hf_writer w = {harness_digest_write, d};
	return w;
}

/* One piece of work: writes what it makes to w. */
typedef int (*harness_work)(void *ctx, hf_writer *w, hf_error *err);

/*
 * Sweeps `work` (named `what` in messages); returns the number of problems,
 * each printed. A sweep in which no run ended in an error is a problem too:
 * the injection did nothing, so the test would be vacuous.
 */
static inline size_t harness_alloc_sweep_runs(const char *what, harness_work work, void *ctx,
	size_t max_runs);

static inline size_t harness_alloc_sweep(const char *what, harness_work work, void *ctx)
{
	return harness_alloc_sweep_runs(what, work, ctx, 0);
}

/* The same with at most max_runs failing runs (0: every allocation):
 * allocation N fails for N every total / max_runs + 1 allocations, for
 * work with very many allocations (a sanitizer build runs each slowly). */
static inline size_t harness_alloc_sweep_runs(const char *what, harness_work work, void *ctx,
	size_t max_runs)
{
	harness_digest want = {0, 0};
	hf_writer w = harness_digest_writer(&want);
	hf_error err = {0};
	hf__alloc_fail_after(0);
	int rc = work(ctx, &w, &err);
	size_t total = hf__alloc_fail_after(0);
	if (rc != HF_OK || total == 0) {
		fprintf(stderr, "%s: the run without failures failed: %s\n", what, err.message);
		return 1;
	}
	size_t problems = 0, failed_runs = 0;
	size_t step = max_runs ? total / max_runs + 1 : 1;
	for (size_t n = 1; n <= total && problems <= 20; n += step) {
		harness_digest got = {0, 0};
		w = harness_digest_writer(&got);
		memset(&err, 0, sizeof(err));
		size_t before = mallinfo2().uordblks;
		hf__alloc_fail_after(n);
		rc = work(ctx, &w, &err);
		hf__alloc_fail_after(0);
		size_t after = mallinfo2().uordblks;
		if (after != before) {
			fprintf(stderr, "%s: failing allocation %zu of %zu: %zu bytes still in use after the run\n",
				what, n, total, after - before);
			problems++;
		}
		if (rc == HF_OK) {
			/* Nothing failed that mattered: the output must be intact. */
			if (got.hash != want.hash || got.len != want.len) {
				fprintf(stderr, "%s: failing allocation %zu of %zu: succeeded with different output\n",
					what, n, total);
				problems++;
			}
			continue;
		}
		failed_runs++;
		if (rc != HF_ENOMEM || !err.message[0] || strchr(err.message, '\n')) {
			fprintf(stderr, "%s: failing allocation %zu of %zu: code %d, message \"%s\" (want out of memory)\n",
				what, n, total, rc, err.message);
			problems++;
		}
	}
	printf("%s: %zu allocations, %zu runs ended in a clean out-of-memory error, %zu problems\n", what,
		total, failed_runs, problems);
	if (failed_runs == 0)
		problems++;
	return problems;
}

/* Parses dir/name; NULL (and a failed check) when it does not parse. */
static inline hf_profile *harness_profile(const char *dir, const char *name)
{
	char path[4200];
	hf_profile *p = NULL;
	hf_error err = {0};
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK_EQ_INT(hf_profile_parse_file(&p, path, NULL, &err), HF_OK);
	return p;
}

#endif
