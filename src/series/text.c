/*
 * The growth report as text: --top's fixed columns, one row per function
 * in ranking order, with a sparkline of its values; then MemStats.
 */
#define _POSIX_C_SOURCE 200809L
#include "series.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SPARK_MAX 40

size_t hf__series_spark_width(size_t n, size_t width)
{
	return n < width ? n : width;
}

void hf__series_sparkline(hf__sink *out, const int64_t *v, size_t n, size_t width, bool ascii)
{
	static const char *const blocks[8] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
		"\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"};
	static const char ascii_levels[8] = {'_', '.', '-', ':', '=', '+', '*', '#'};
	size_t cells = hf__series_spark_width(n, width);
	/* More values than cells: each cell shows the mean of its share. */
	double cell[256];
	if (cells > sizeof(cell) / sizeof(cell[0]))
		cells = sizeof(cell) / sizeof(cell[0]);
	double lo = 0, hi = 0;
	for (size_t c = 0; c < cells; c++) {
		size_t from = c * n / cells, to = (c + 1) * n / cells;
		double sum = 0;
		for (size_t i = from; i < to; i++)
			sum += (double)v[i];
		cell[c] = sum / (double)(to - from);
		if (c == 0 || cell[c] < lo)
			lo = cell[c];
		if (c == 0 || cell[c] > hi)
			hi = cell[c];
	}
	/* The shape matters, not the level: the range is the series' own. */
	for (size_t c = 0; c < cells; c++) {
		int level = hi > lo ? (int)floor((cell[c] - lo) / (hi - lo) * 7 + 0.5) : 0;
		if (ascii)
			hf__sink_putc(out, ascii_levels[level]);
		else
			hf__sink_puts(out, blocks[level]);
	}
}

static void put_utc(hf__sink *out, int64_t nanos, bool date)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;
	char buf[40];
	if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm))
		hf__sink_puts(out, buf);
}

static void put_span(hf__sink *out, double ns)
{
	if (ns >= 3600e9)
		hf__sink_printf(out, "%.1fh", ns / 3600e9);
	else if (ns >= 60e9)
		hf__sink_printf(out, "%.1fm", ns / 60e9);
	else
		hf__sink_printf(out, "%.1fs", ns / 1e9);
}

/* One row: first, last, change, rate, grew, trend, sparkline, name. */
static void put_row(hf__sink *out, const hf_series *s, const int64_t *v, const hf_series_stats *st,
	const char *name, bool ascii)
{
	char first[HF_LABEL_MAX], last[HF_LABEL_MAX], change[HF_LABEL_MAX], rate[HF_LABEL_MAX];
	char grew[32];
	hf__series_label(first, st->first, s->unit, false);
	hf__series_label(last, st->last, s->unit, false);
	hf__series_label(change, st->change, s->unit, true);
	hf__series_rate_label(rate, st->rate, s->unit);
	snprintf(grew, sizeof(grew), "%zu/%zu", st->grew, s->nsnaps - 1);
	hf__sink_printf(out, "%10s %10s %10s %10s %5s  %-9s  ", first, last, change, rate, grew,
		hf_series_trend_name(st->trend));
	hf__series_sparkline(out, v, s->nsnaps, SPARK_MAX, ascii);
	hf__sink_puts(out, "  ");
	hf__measure_put_text(out, name);
	hf__sink_putc(out, '\n');
}

static bool is_bytes_stat(size_t k)
{
	return strcmp(hf__series_memstat_keys[k], "HeapObjects") != 0 &&
	       strcmp(hf__series_memstat_keys[k], "NumGC") != 0;
}

static int put_memstats(hf__sink *out, const hf_series *s, bool ascii)
{
	size_t n = s->nsnaps;
	bool any = false;
	for (size_t j = 0; j < n; j++)
		any = any || s->snaps[j].has_memstats;
	if (!any)
		return HF_OK;
	int64_t *v = hf__malloc(hf__mul(n, sizeof(*v)));
	double *x = hf__malloc(hf__mul(n, sizeof(*x)));
	if (!v || !x) {
		hf__free(v);
		hf__free(x);
		return HF_ENOMEM;
	}
	for (size_t j = 0; j < n; j++)
		x[j] = hf__series_x(s, j);
	hf__sink_printf(out, "\nruntime.MemStats (legacy text snapshots; a missing value counts as 0):\n");
	hf__sink_printf(out, "%10s %10s %10s %10s  %-*s  %s\n", "first", "last", "change",
		s->timed ? "rate/min" : "rate/snap", (int)hf__series_spark_width(n, SPARK_MAX),
		"series", "stat");
	for (size_t k = 0; k < HF_SERIES_NMEMSTATS; k++) {
		for (size_t j = 0; j < n; j++)
			v[j] = s->snaps[j].memstat_present[k] ? s->snaps[j].memstats[k] : 0;
		hf_series_stats st;
		hf__series_stats(v, x, n, &st);
		const char *unit = is_bytes_stat(k) ? "bytes" : "count";
		char first[HF_LABEL_MAX], last[HF_LABEL_MAX], change[HF_LABEL_MAX], rate[HF_LABEL_MAX];
		hf__series_label(first, st.first, unit, false);
		hf__series_label(last, st.last, unit, false);
		hf__series_label(change, st.change, unit, true);
		hf__series_rate_label(rate, st.rate, unit);
		hf__sink_printf(out, "%10s %10s %10s %10s  ", first, last, change, rate);
		hf__series_sparkline(out, v, n, SPARK_MAX, ascii);
		hf__sink_printf(out, "  %s\n", hf__series_memstat_keys[k]);
	}
	hf__free(v);
	hf__free(x);
	return HF_OK;
}

int hf_series_write_text(const hf_series *s, const hf_series_report_options *opts,
	hf_writer *writer, hf_error *err)
{
	static const hf_series_report_options defaults = HF_SERIES_REPORT_OPTIONS_INIT;
	const hf_series_report_options *o = opts ? opts : &defaults;
	int rc = hf__series_check_report(s, writer, "hf_series_write_text", err);
	if (rc != HF_OK)
		return rc;
	size_t n = s->nsnaps;
	hf__sink out;
	if (hf__sink_init(&out, writer) != 0)
		return hf__oom(err);
	hf__sink_printf(&out, "Series: %zu snapshots", n);
	if (s->program[0]) {
		const char *slash = strrchr(s->program, '/');
		hf__sink_puts(&out, " of ");
		hf__measure_put_text(&out, slash ? slash + 1 : s->program);
	}
	hf__sink_puts(&out, ", ");
	hf__measure_put_text(&out, s->type);
	hf__sink_puts(&out, " (");
	hf__measure_put_text(&out, s->unit);
	hf__sink_puts(&out, ")\n");
	if (s->timed) {
		int64_t t0 = s->snaps[0].time_nanos, t1 = s->snaps[n - 1].time_nanos;
		hf__sink_puts(&out, "Time: ");
		put_utc(&out, t0, true);
		hf__sink_puts(&out, " to ");
		put_utc(&out, t1, false);
		hf__sink_puts(&out, " UTC (");
		put_span(&out, (double)(t1 - t0));
		hf__sink_puts(&out, ")\n");
	} else {
		hf__sink_puts(&out, "Time: not in every snapshot: ordered as given, rates per snapshot\n");
	}
	hf__sink_printf(&out, "Ranked by %s: steady growth first, then by rate (see docs/growth.md)\n",
		o->cum ? "cum" : "flat");
	if (s->heap)
		hf__sink_puts(&out, "Note: a heap profile shows the heap as of the last GC, sampled at "
			"MemProfileRate (one allocation per 512 KiB by default): small values are "
			"estimates\n");
	size_t cells = hf__series_spark_width(n, SPARK_MAX);
	hf__sink_printf(&out, "%10s %10s %10s %10s %5s  %-9s  %-*s  %s\n", "first", "last", "change",
		s->timed ? "rate/min" : "rate/snap", "grew", "trend", (int)cells, "series", "name");

	/* The total first: what the whole heap did. */
	int64_t *tot = hf__malloc(hf__mul(n, sizeof(*tot)));
	double *x = hf__malloc(hf__mul(n, sizeof(*x)));
	rc = HF_OK;
	if (!tot || !x) {
		rc = hf__oom(err);
	} else {
		for (size_t j = 0; j < n; j++) {
			tot[j] = s->snaps[j].total;
			x[j] = hf__series_x(s, j);
		}
		hf_series_stats st;
		hf__series_stats(tot, x, n, &st);
		put_row(&out, s, tot, &st, "(total)", o->ascii);
	}
	hf__free(tot);
	hf__free(x);
	size_t ranked = hf_series_ranked_count(s, o->cum);
	size_t shown = o->nodecount > 0 && (size_t)o->nodecount < ranked ? (size_t)o->nodecount : ranked;
	for (size_t r = 0; rc == HF_OK && r < shown; r++) {
		const char *name;
		const int64_t *v;
		hf_series_stats st;
		hf_series_ranked(s, r, o->cum, &name, &v, &st);
		put_row(&out, s, v, &st, name, o->ascii);
	}
	if (shown < ranked && rc == HF_OK)
		hf__sink_printf(&out, "(%zu more functions; see -nodecount)\n", ranked - shown);
	if (rc == HF_OK && put_memstats(&out, s, o->ascii) != HF_OK)
		rc = hf__oom(err);
	if (rc != HF_OK) {
		hf__sink_finish(&out, NULL);
		return rc;
	}
	return hf__sink_finish(&out, err);
}
