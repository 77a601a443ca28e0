/*
 * The library side of --peek and --tags: arguments checked, errors as
 * values, the granularity enum validated, and a failing allocation at
 * every point of both reports (each either fails with HF_ENOMEM and a
 * message or writes exactly what it writes without failures).
 */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "graph/graph.h"

#include <stdlib.h>
#include <string.h>

static hf_profile *load(const char *name)
{
	const char *fixtures = harness_fixtures();
	char path[4096];
	if (!fixtures)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	hf_profile *p = NULL;
	hf_error err = {0};
	CHECK_EQ_INT(hf_profile_parse_file(&p, path, NULL, &err), HF_OK);
	return p;
}

static void arguments_and_errors(void)
{
	hf_profile *p = load("heap-inline.pb.gz");
	if (!p)
		return;
	hf_buffer out = {0};
	hf_writer w = hf_writer_buffer(&out);
	hf_error err = {0};
	CHECK_EQ_INT(hf_report_write_peek(p, NULL, NULL, &w, &err), HF_EINVALID);
	CHECK_EQ_INT(hf_report_write_tags(NULL, NULL, &w, &err), HF_EINVALID);
	CHECK_EQ_INT(hf_report_write_peek(p, NULL, "main\\.(", &w, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "bad regular expression");
	CHECK_EQ_INT(hf_report_write_peek(p, NULL, "^no_such$", &w, &err), HF_ENOTFOUND);
	CHECK_STR(err.message, "no matches found for regexp: ^no_such$");
	CHECK_EQ_INT(out.len, 0);
	hf_graph_options o = HF_GRAPH_OPTIONS_INIT;
	o.sample_index = 9;
	CHECK_EQ_INT(hf_report_write_tags(p, &o, &w, &err), HF_ENOTFOUND);
	o.sample_index = -1;
	o.granularity = (hf_granularity)7;
	CHECK_EQ_INT(hf_report_write_peek(p, &o, "main", &w, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "granularity");
	CHECK_EQ_INT(out.len, 0);
	/* NULL options: the default sample type (inuse_space), all of it. */
	CHECK_EQ_INT(hf_report_write_tags(p, NULL, &w, &err), HF_OK);
	CHECK_CONTAINS(out.data, " bytes: Total ");
	hf_buffer_dispose(&out);
	o.granularity = HF_GRANULARITY_FILES;
	CHECK_EQ_INT(hf_report_write_peek(p, &o, "main\\.go$", &w, &err), HF_OK);
	CHECK_CONTAINS(out.data, "| shop/heapinline/main.go\n");
	hf_buffer_dispose(&out);
	hf_profile_free(p);
}

typedef struct digest {
	uint64_t hash;
	size_t len;
} digest;

static int digest_write(void *ctx, const void *buf, size_t len)
{
	digest *d = ctx;
	d->hash = hf__hash_bytes(buf, len, d->hash);
	d->len += len;
	return 0;
}

static int run_both(const hf_profile *p, digest *d, hf_error *err)
{
	hf_writer w = {digest_write, d};
	hf_graph_options o = HF_GRAPH_OPTIONS_INIT;
	o.granularity = HF_GRANULARITY_ADDRESSES;
	int rc = hf_report_write_tags(p, NULL, &w, err);
	if (rc == HF_OK)
		rc = hf_report_write_peek(p, &o, "main\\.", &w, err);
	return rc;
}

static void survives_failing_allocations(void)
{
	hf_profile *p = load("heap-small.pb.gz");
	if (!p)
		return;
	digest want = {0};
	hf_error err = {0};
	hf__alloc_fail_after(0);
	CHECK_EQ_INT(run_both(p, &want, &err), HF_OK);
	size_t total = hf__alloc_fail_after(0);
	CHECK(total > 10);
	size_t bad = 0;
	for (size_t n = 1; n <= total; n++) {
		digest got = {0};
		hf_error e = {0};
		hf__alloc_fail_after(n);
		int rc = run_both(p, &got, &e);
		hf__alloc_fail_after(0);
		if (rc == HF_OK ? (got.hash != want.hash || got.len != want.len)
				: (rc != HF_ENOMEM || !e.message[0])) {
			if (bad++ < 5)
				fprintf(stderr, "failing allocation %zu of %zu: rc %d \"%s\"\n", n, total, rc,
					e.message);
		}
	}
	CHECK_EQ_INT(bad, 0);
	hf_profile_free(p);
}

HARNESS_MAIN(T(arguments_and_errors), T(survives_failing_allocations))
