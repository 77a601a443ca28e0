/*
 * The library side of --peek and --tags: arguments checked, errors as
 * values, the granularity enum validated, and a failing allocation at
 * every point of both reports (each either fails with HF_ENOMEM and a
 * message or writes exactly what it writes without failures).
 */
#define _DEFAULT_SOURCE /* mallinfo2 */
#include "alloc_sweep.h"
#include "graph/graph.h"

#include <stdlib.h>
#include <string.h>

static void arguments_and_errors(void)
{
	const char *fixtures = harness_fixtures();
	hf_profile *p = fixtures ? harness_profile(fixtures, "heap-inline.pb.gz") : NULL;
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

/* --tags and --peek of one profile. */
static int run_both(void *ctx, hf_writer *w, hf_error *err)
{
	const hf_profile *p = ctx;
	hf_graph_options o = HF_GRAPH_OPTIONS_INIT;
	o.granularity = HF_GRANULARITY_ADDRESSES;
	int rc = hf_report_write_tags(p, NULL, w, err);
	if (rc == HF_OK)
		rc = hf_report_write_peek(p, &o, "main\\.", w, err);
	return rc;
}

static void survives_failing_allocations(void)
{
	char data[4096];
	if (!harness_data(data, sizeof(data)))
		return;
	hf_profile *p = harness_profile(data, "heap-small.pb.gz");
	if (!p)
		return;
	CHECK_EQ_INT(harness_alloc_sweep("tags, peek", run_both, p), 0);
	hf_profile_free(p);
}

HARNESS_MAIN(T(arguments_and_errors), T(survives_failing_allocations))
