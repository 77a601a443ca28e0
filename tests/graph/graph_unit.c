/*
 * Unit tests for the graph and report internals: pprof's unit and
 * percentage formatting, name simplification and shortening, Graphviz
 * errors coming back as values (nothing printed), the empty profile, and
 * a failing allocation at every point of build/DOT/top/traces, and --top's
 * hf_report_write_top_free against hf_report_write_top.
 */
#define _DEFAULT_SOURCE /* mallinfo2 */
#include "alloc_sweep.h"
#include "graph/graph.h"

#include <stdlib.h>
#include <unistd.h>

static const char *label(int64_t v, const char *from, const char *to)
{
	static char out[HF_LABEL_MAX];
	hf__measure_scaled_label(out, v, from, to);
	return out;
}

static const char *pct(int64_t v, int64_t total)
{
	static char out[HF_LABEL_MAX];
	hf__measure_percentage(out, v, total);
	return out;
}

static void formats_units_as_pprof(void)
{
	CHECK_STR(label(0, "bytes", "minimum"), "0");
	CHECK_STR(label(64, "bytes", "minimum"), "64B");
	CHECK_STR(label(1536, "bytes", "minimum"), "1.50kB");
	CHECK_STR(label(40960, "bytes", "minimum"), "40kB");
	CHECK_STR(label(120, "bytes", "kB"), "0.12kB");
	CHECK_STR(label(3 << 20, "bytes", "auto"), "3MB");
	CHECK_STR(label(-2048, "bytes", "auto"), "-2kB");
	CHECK_STR(label(5150000000, "nanoseconds", "auto"), "5.15s");
	CHECK_STR(label(10000000, "nanoseconds", "minimum"), "10ms");
	CHECK_STR(label(9200000000, "nanoseconds", "s"), "9.20s");
	CHECK_STR(label(920, "count", "count"), "920");
	CHECK_STR(label(7, "widgets", "minimum"), "7");
	CHECK_STR(pct(1, 3), "33.33%");
	CHECK_STR(pct(2, 3), "66.67%");
	CHECK_STR(pct(9996, 10000), "  100%");
	CHECK_STR(pct(28, 100000), "0.028%");
	CHECK_STR(pct(28, 100000000), "2.8e-05%");
	CHECK_STR(pct(0, 5), "    0%");
	CHECK_STR(pct(5, 0), "    0%");
	/* The report unit: from the smallest value unless 100x it is still
	 * below the total's unit. */
	int64_t flat[] = {120, 590000}, cum[] = {590000, 590000};
	CHECK_STR(hf__measure_output_unit(flat, cum, 2, 592496, "bytes"), "kB");
	int64_t f2[] = {64}, c2[] = {64};
	CHECK_STR(hf__measure_output_unit(f2, c2, 1, 64, "bytes"), "B");
}

static void simplifies_and_shortens_names(void)
{
	hf__arena a = {0};
	CHECK_STR(hf__measure_simplify_cpp_name(&a,
		"std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(iter, int const&)"),
		"std::vector::_M_realloc_insert");
	CHECK_STR(hf__measure_simplify_cpp_name(&a, "tmpl.render<html>"), "tmpl.render");
	CHECK_STR(hf__measure_simplify_cpp_name(&a, "Foo.<init>"), "Foo.<init>");
	CHECK_STR(hf__measure_simplify_cpp_name(&a, "main.(*Tree[...]).Insert"), "main.(*Tree[...]).Insert");
	CHECK_STR(hf__measure_simplify_cpp_name(&a, "ns::a(b)c)d(e)"), "ns::ac)d(e)");
	CHECK_STR(hf__measure_simplify_cpp_name(&a, "main.work"), "main.work");
	CHECK_STR(hf__measure_shorten_function_name(&a, "main.work"), "main.work");
	CHECK_STR(hf__measure_shorten_function_name(&a, "github.com/foo/bar.(*T).M"), "bar.(*T).M");
	CHECK_STR(hf__measure_shorten_function_name(&a, "github.com/x/y/v3/z.F"), "z.F");
	CHECK_STR(hf__measure_shorten_function_name(&a, "example.com/mod/v2.F"), "mod.F");
	CHECK_STR(hf__measure_shorten_function_name(&a, "example.com/mod/v1.F"), "v1.F");
	CHECK_STR(hf__measure_shorten_function_name(&a, "java.util.HashMap.get"), "HashMap.get");
	CHECK_STR(hf__measure_shorten_function_name(&a, "foo::Bar::baz"), "Bar::baz");
	CHECK_STR(hf__measure_shorten_function_name(&a, "(anonymous namespace)::ns::Foo::bar"), "Foo::bar");
	CHECK_STR(hf__measure_shorten_function_name(&a, "runtime.main"), "runtime.main");
	hf__arena_dispose(&a);
}

static int buffer_text(hf_buffer *b)
{
	hf_writer w = hf_writer_buffer(b);
	return w.write(w.ctx, "", 1); /* NUL-terminate */
}

static void graphviz_errors_are_values(void)
{
	/* Whatever Graphviz says must come back in the error, not on stderr. */
	fflush(stderr);
	int saved = dup(2);
	FILE *capture = tmpfile();
	CHECK(saved >= 0 && capture);
	if (saved < 0 || !capture)
		return;
	dup2(fileno(capture), 2);
	hf_buffer out = {0};
	hf_writer w = hf_writer_buffer(&out);
	hf_error err = {0};
	static const char bad[] = "digraph { a -> ; }";
	int rc = hf__graph_render_dot(bad, sizeof(bad) - 1, "svg", &w, &err);
	static const char good[] = "digraph { \"a\\\"b\" -> c }";
	hf_error err2 = {0};
	int rc2 = hf__graph_render_dot(good, sizeof(good) - 1, "svg", &w, &err2);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	long printed = ftell(capture);
	fclose(capture);
	if (!strstr(hf_features(), "+graphviz")) {
		/* Built without Graphviz: drawing is refused, saying why. */
		CHECK_EQ_INT(rc, HF_EUNSUPPORTED);
		CHECK_EQ_INT(rc2, HF_EUNSUPPORTED);
		CHECK_CONTAINS(err2.message, "built without Graphviz");
		CHECK_EQ_INT(printed, 0);
		hf_buffer_dispose(&out);
		return;
	}
	CHECK_EQ_INT(rc, HF_ERENDER);
	CHECK_CONTAINS(err.message, "graphviz could not read the graph: ");
	CHECK_CONTAINS(err.message, "syntax error");
	CHECK(strchr(err.message, '\n') == NULL);
	CHECK_EQ_INT(rc2, HF_OK);
	CHECK(out.len > 0 && buffer_text(&out) == 0 && strstr(out.data, "a&quot;b") != NULL);
	CHECK_EQ_INT(printed, 0);
	hf_error err3 = {0};
	CHECK_EQ_INT(hf__graph_render_dot(good, sizeof(good) - 1, "gif", &w, &err3), HF_EINVALID);
	hf_buffer_dispose(&out);
}

/* A profile with one sample type and no samples. */
static void empty_profile_is_an_error(void)
{
	static const unsigned char pb[] = {0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x32, 0x00, 0x32,
		0x05, 's', 'p', 'a', 'c', 'e', 0x32, 0x05, 'b', 'y', 't', 'e', 's'};
	hf_profile *p = NULL;
	hf_error err = {0};
	CHECK_EQ_INT(hf_profile_parse(&p, pb, sizeof(pb), "empty", NULL, &err), HF_OK);
	if (!p)
		return;
	hf_graph *g = (hf_graph *)1;
	CHECK_EQ_INT(hf_graph_build(&g, p, NULL, &err), HF_ENOTFOUND);
	CHECK(g == NULL);
	CHECK_CONTAINS(err.message, "nothing to draw");
	/* The text report says so as pprof does. */
	hf_buffer out = {0};
	hf_writer w = hf_writer_buffer(&out);
	CHECK_EQ_INT(hf_report_write_top(p, NULL, &w, &err), HF_OK);
	CHECK(buffer_text(&out) == 0);
	CHECK_CONTAINS(out.data, "Showing nodes accounting for 0, 0% of 0 total\n");
	hf_buffer_dispose(&out);
	hf_profile_free(p);
}

/* Build, DOT, top and traces of one profile. */
static int run_all(void *ctx, hf_writer *w, hf_error *err)
{
	const hf_profile *p = ctx;
	hf_graph *g = NULL;
	int rc = hf_graph_build(&g, p, NULL, err);
	if (rc == HF_OK)
		rc = hf_graph_write_dot(g, w, err);
	hf_graph_free(g);
	hf_graph_options top = HF_GRAPH_OPTIONS_INIT;
	top.nodefraction = top.edgefraction = 0;
	if (rc == HF_OK)
		rc = hf_report_write_top(p, &top, w, err);
	if (rc == HF_OK)
		rc = hf_report_write_traces(p, NULL, w, err);
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
	CHECK_EQ_INT(harness_alloc_sweep("build, DOT, top, traces", run_all, p), 0);
	hf_profile_free(p);
}

/* hf_report_write_top_free: the same table as hf_report_write_top, at
 * every granularity and sample type of every profile of tests/data (it
 * frees the profile's locations once the node universe has read them:
 * a walk that still read them would differ or fail under ASan), and the
 * profile freed on every path (the sanitizer lanes' leak check). */
static void top_that_frees_the_profile_is_the_same_table(void)
{
	static const char *const names[] = {"cpu-small.pb.gz", "heap-base.pb.gz", "heap-later.pb.gz",
		"heap-small.pb.gz", "raw-uncompressed.pb"};
	char data[4096];
	if (!harness_data(data, sizeof(data)))
		return;
	size_t compared = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		hf_profile *p = harness_profile(data, names[i]);
		if (!p)
			continue;
		size_t ntypes = hf_profile_sample_type_count(p);
		for (size_t si = 0; si < ntypes; si++)
			for (int gran = HF_GRANULARITY_FUNCTIONS; gran <= HF_GRANULARITY_ADDRESSES; gran++) {
				hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
				go.sample_index = (long)si;
				go.granularity = (hf_granularity)gran;
				hf_buffer want = {0}, got = {0};
				hf_writer ww = hf_writer_buffer(&want), wg = hf_writer_buffer(&got);
				hf_error err = {0};
				hf_profile *q = harness_profile(data, names[i]);
				CHECK_EQ_INT(hf_report_write_top(p, &go, &ww, &err), HF_OK);
				CHECK_EQ_INT(q ? hf_report_write_top_free(q, &go, &wg, &err) : -1, HF_OK);
				CHECK(want.len > 0 && want.len == got.len &&
					memcmp(want.data, got.data, want.len) == 0);
				compared++;
				hf_buffer_dispose(&want);
				hf_buffer_dispose(&got);
			}
		hf_profile_free(p);
	}
	CHECK(compared >= 5 * 5);
	/* An error frees it too (a sample type it does not have; no writer). */
	hf_error err = {0};
	hf_profile *p = harness_profile(data, "heap-small.pb.gz");
	hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
	go.sample_index = 99;
	hf_buffer out = {0};
	hf_writer w = hf_writer_buffer(&out);
	if (p)
		CHECK_EQ_INT(hf_report_write_top_free(p, &go, &w, &err), HF_ENOTFOUND);
	p = harness_profile(data, "heap-small.pb.gz");
	if (p)
		CHECK_EQ_INT(hf_report_write_top_free(p, NULL, NULL, &err), HF_EINVALID);
	CHECK_EQ_INT(hf_report_write_top_free(NULL, NULL, &w, &err), HF_EINVALID);
	hf_buffer_dispose(&out);
}

/* Parses heap-small and writes its table with hf_report_write_top_free. */
static int parse_and_top_free(void *ctx, hf_writer *w, hf_error *err)
{
	const char *path = ctx;
	hf_profile *p = NULL;
	int rc = hf_profile_parse_file(&p, path, NULL, err);
	return rc == HF_OK ? hf_report_write_top_free(p, NULL, w, err) : rc;
}

static void top_that_frees_survives_failing_allocations(void)
{
	char data[4096], path[4200];
	if (!harness_data(data, sizeof(data)))
		return;
	snprintf(path, sizeof(path), "%s/heap-small.pb.gz", data);
	CHECK_EQ_INT(harness_alloc_sweep("parse, top that frees", parse_and_top_free, path), 0);
}

HARNESS_MAIN(T(formats_units_as_pprof), T(simplifies_and_shortens_names),
	T(graphviz_errors_are_values), T(empty_profile_is_an_error), T(survives_failing_allocations),
	T(top_that_frees_the_profile_is_the_same_table),
	T(top_that_frees_survives_failing_allocations))
