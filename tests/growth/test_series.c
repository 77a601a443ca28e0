/*
 * The series API (include/heapflame.h, "Series"): the trend rule and the
 * ranking on made-up snapshots (collapsed stacks parsed from memory),
 * ordering by time, refusals, and the pprof-style snapshot names.
 */
#include "harness.h"

#include "heapflame.h"

#include <math.h>

/* A snapshot: leak, fill, churn, step, shrink values under main. */
static hf_profile *snapshot(int64_t leak, int64_t fill, int64_t churn, int64_t step, int64_t shrink,
	const char *count_name)
{
	char text[512];
	snprintf(text, sizeof(text),
		"main;serve;leak %lld\nmain;cache;fill %lld\nmain;work;churn %lld\n"
		"main;init;step %lld\nmain;shrink %lld\n",
		(long long)leak, (long long)fill, (long long)churn, (long long)step, (long long)shrink);
	hf_parse_options po = HF_PARSE_OPTIONS_INIT;
	po.count_name = count_name;
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf_profile_parse(&p, text, strlen(text), "snapshot", &po, &err) != HF_OK)
		fprintf(stderr, "parse: %s\n", err.message);
	return p;
}

static const int64_t values[7][5] = {
	{100, 100, 50, 0, 90}, {200, 300, 400, 0, 80}, {300, 500, 20, 0, 70},
	{400, 600, 380, 0, 60}, {500, 600, 40, 0, 50}, {600, 600, 350, 100, 40},
	{700, 600, 60, 100, 30},
};

/* The series of the table, added in `order`, at `minutes` apart (0: no times). */
static hf_series *made_up(const int *order, int64_t minutes)
{
	hf_series *s = NULL;
	hf_error err = {0};
	CHECK(hf_series_new(&s, NULL, &err) == HF_OK);
	for (int k = 0; k < 7 && s; k++) {
		int i = order[k];
		hf_profile *p = snapshot(values[i][0], values[i][1], values[i][2], values[i][3],
			values[i][4], "bytes");
		CHECK(p != NULL);
		CHECK(hf_series_add(s, p, minutes * 60000000000LL * (i + 1), &err) == HF_OK);
		hf_profile_free(p);
	}
	CHECK(hf_series_finish(s, &err) == HF_OK);
	return s;
}

static void trends_and_ranking(void)
{
	static const int in_order[7] = {0, 1, 2, 3, 4, 5, 6};
	hf_series *s = made_up(in_order, 0);
	const char *want[5] = {"leak", "fill", "step", "churn", "shrink"};
	hf_series_trend trends[5] = {HF_TREND_STEADY, HF_TREND_LEVELLING, HF_TREND_STEP,
		HF_TREND_NOISY, HF_TREND_SHRINKING};
	CHECK_EQ_INT(hf_series_snapshot_count(s), 7);
	CHECK_EQ_INT(hf_series_ranked_count(s, false), 5); /* main, serve, ... have no flat */
	for (size_t r = 0; r < 5; r++) {
		const char *name = NULL;
		const int64_t *v = NULL;
		hf_series_stats st;
		CHECK(hf_series_ranked(s, r, false, &name, &v, &st) == HF_OK);
		CHECK_STR(name, want[r]);
		CHECK_EQ_INT(st.trend, trends[r]);
	}
	const char *name;
	const int64_t *v;
	hf_series_stats st;
	hf_series_ranked(s, 0, false, &name, &v, &st);
	CHECK_EQ_INT(st.first, 100);
	CHECK_EQ_INT(st.last, 700);
	CHECK_EQ_INT(st.change, 600);
	CHECK_EQ_INT(st.grew, 6);
	CHECK_EQ_INT(st.fell, 0);
	CHECK(fabs(st.rate - 100) < 1e-9); /* per snapshot: no times */
	CHECK_EQ_INT(v[3], 400);
	CHECK(hf_series_ranked(s, 5, false, NULL, NULL, NULL) == HF_ENOTFOUND);
	/* cum: serve (the leak's caller) is steady too. */
	bool serve_steady = false;
	for (size_t r = 0; hf_series_ranked(s, r, true, &name, NULL, &st) == HF_OK; r++)
		if (!strcmp(name, "serve"))
			serve_steady = st.trend == HF_TREND_STEADY;
	CHECK(serve_steady);
	CHECK_STR(hf_series_trend_name(HF_TREND_LEVELLING), "levelling");
	int64_t ms;
	CHECK(hf_series_memstat(s, 0, "HeapAlloc", &ms) == HF_ENOTFOUND);
	hf_buffer buf = {0};
	hf_writer w = hf_writer_buffer(&buf);
	hf_series_report_options ro = HF_SERIES_REPORT_OPTIONS_INIT;
	ro.nodecount = 1;
	ro.ascii = true;
	CHECK(hf_series_write_text(s, &ro, &w, NULL) == HF_OK);
	if (buf.data) {
		char *text = malloc(buf.len + 1);
		memcpy(text, buf.data, buf.len);
		text[buf.len] = '\0';
		CHECK_CONTAINS(text, "6/6  steady     _.-=+*#  leak\n(4 more functions; see -nodecount)\n");
		free(text);
	}
	hf_buffer_dispose(&buf);
	hf_series_free(s);
}

static void ordered_by_time(void)
{
	static const int shuffled[7] = {6, 2, 0, 5, 1, 3, 4};
	hf_series *s = made_up(shuffled, 1);
	const char *source;
	int64_t t, total;
	int64_t last = 0;
	for (size_t i = 0; i < 7; i++) {
		CHECK(hf_series_snapshot(s, i, &source, &t, &total, NULL) == HF_OK);
		CHECK(t > last);
		last = t;
	}
	hf_series_snapshot(s, 0, NULL, NULL, &total, NULL);
	CHECK_EQ_INT(total, 100 + 100 + 50 + 0 + 90);
	const char *name;
	hf_series_stats st;
	hf_series_ranked(s, 0, false, &name, NULL, &st);
	CHECK_STR(name, "leak");
	CHECK(fabs(st.rate - 100) < 1e-6); /* one snapshot a minute */
	hf_series_free(s);
}

static void refusals(void)
{
	hf_series *s = NULL;
	hf_error err = {0};
	CHECK(hf_series_new(&s, NULL, &err) == HF_OK);
	hf_profile *a = snapshot(1, 2, 3, 4, 5, "bytes");
	hf_profile *b = snapshot(1, 2, 3, 4, 5, "objects");
	CHECK(hf_series_add(s, a, 0, &err) == HF_OK);
	CHECK(hf_series_finish(s, &err) == HF_EINVALID);
	CHECK_CONTAINS(err.message, "at least two snapshots");
	CHECK(hf_series_add(s, b, 0, &err) == HF_EINVALID);
	CHECK_CONTAINS(err.message, "different sample types (objects)");
	CHECK(hf_series_add(s, a, 0, &err) == HF_OK);
	CHECK(hf_series_finish(s, &err) == HF_OK);
	CHECK(hf_series_add(s, a, 0, &err) == HF_EINVALID);
	hf_series_free(s);

	hf_series_options so = HF_SERIES_OPTIONS_INIT;
	so.sample_type = "nosuch";
	CHECK(hf_series_new(&s, &so, &err) == HF_OK);
	CHECK(hf_series_add(s, a, 0, &err) == HF_ENOTFOUND);
	hf_series_free(s);
	hf_series_free(NULL);

	/* pprof's name for a saved profile: types, UTC time, number. */
	char *n = hf_series_snapshot_name(a, 1000000000LL * 1000000000LL, 7, "pb.gz");
	CHECK_STR(n, "pprof.bytes.20010909014640.007.pb.gz");
	hf_string_free(n);
	hf_profile_free(a);
	hf_profile_free(b);
}

/* Two snapshots of one process (tests/data): the series' sample type and
 * unit are the profiles' own, inuse_space by default. */
static void sample_type_of_real_snapshots(void)
{
	char dir[4096], path[4200];
	if (!harness_data(dir, sizeof(dir)))
		return;
	static const char *const names[2] = {"heap-base.pb.gz", "heap-later.pb.gz"};
	hf_profile *p[2] = {NULL, NULL};
	hf_error err = {0};
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		CHECK(hf_profile_parse_file(&p[i], path, NULL, &err) == HF_OK);
	}
	if (!p[0] || !p[1])
		goto done;
	static const char *const asked[2] = {NULL, "alloc_objects"};
	static const char *const want[2] = {"inuse_space", "alloc_objects"};
	for (int k = 0; k < 2; k++) {
		size_t index = 0;
		const char *type = NULL, *unit = NULL;
		CHECK(hf_profile_sample_index(p[0], want[k], &index, &err) == HF_OK);
		CHECK(hf_profile_sample_type(p[0], index, &type, &unit) == HF_OK);
		hf_series_options so = HF_SERIES_OPTIONS_INIT;
		so.sample_type = asked[k];
		hf_series *s = NULL;
		CHECK(hf_series_new(&s, &so, &err) == HF_OK);
		for (int i = 0; i < 2 && s; i++)
			CHECK(hf_series_add(s, p[i], 0, &err) == HF_OK);
		CHECK(hf_series_finish(s, &err) == HF_OK);
		CHECK_STR(hf_series_sample_type(s), type);
		CHECK_STR(hf_series_sample_unit(s), unit);
		hf_series_free(s);
	}
	CHECK_STR(hf_series_sample_type(NULL), "");
	CHECK_STR(hf_series_sample_unit(NULL), "");
done:
	hf_profile_free(p[0]);
	hf_profile_free(p[1]);
}

/* The report written into a NUL-terminated string (NULL on failure). */
static char *report(const hf_series *s, bool html)
{
	hf_buffer buf = {0};
	hf_writer w = hf_writer_buffer(&buf);
	hf_series_report_options ro = HF_SERIES_REPORT_OPTIONS_INIT;
	hf_error err = {0};
	int rc = html ? hf_series_write_html(s, &ro, &w, &err) : hf_series_write_text(s, &ro, &w, &err);
	CHECK(rc == HF_OK);
	char *text = rc == HF_OK ? malloc(buf.len + 1) : NULL;
	if (text) {
		memcpy(text, buf.data, buf.len);
		text[buf.len] = '\0';
	}
	hf_buffer_dispose(&buf);
	return text;
}

/* A rate beyond int64 (9e18 bytes in a nanosecond is ~5e29 a minute) is
 * clamped to the largest label, the same in the text and HTML reports
 * (the HTML report once showed 0). */
static void huge_rate_labelled_alike(void)
{
	hf_series *s = NULL;
	hf_error err = {0};
	CHECK(hf_series_new(&s, NULL, &err) == HF_OK);
	for (int64_t i = 0; i < 2 && s; i++) {
		hf_profile *p = snapshot(i * 9000000000000000000LL, 0, 0, 0, 0, "bytes");
		CHECK(p != NULL);
		CHECK(hf_series_add(s, p, 1 + i, &err) == HF_OK);
		hf_profile_free(p);
	}
	CHECK(hf_series_finish(s, &err) == HF_OK);
	const char *name;
	hf_series_stats st;
	CHECK(hf_series_ranked(s, 0, false, &name, NULL, &st) == HF_OK);
	CHECK_STR(name, "leak");
	CHECK(st.rate > 1e29);
	char *text = report(s, false), *html = report(s, true);
	if (text && html) {
		/* first, last, change, then the rate: all four the largest label */
		CHECK_CONTAINS(text, "         0  7993.61PB +7993.61PB +7993.61PB   1/1  growing ");
		CHECK_CONTAINS(html, "<td>0</td><td>7993.61PB</td><td>+7993.61PB</td><td>+7993.61PB</td><td>1/1</td>");
	}
	free(text);
	free(html);
	hf_series_free(s);
}

HARNESS_MAIN(T(trends_and_ranking), T(ordered_by_time), T(refusals),
	T(sample_type_of_real_snapshots), T(huge_rate_labelled_alike))
