/*
 * The growth report as one self-contained HTML page: inline SVG charts
 * (the total, the top growers, MemStats), the ranking table, and the
 * differential flame graph of the last snapshot against the first with
 * the top growers outlined. No network access: a default-src 'none'
 * policy with inline style and script. Every string from a profile is
 * escaped for where it lands (HTML text, attributes, JSON in a script
 * block).
 */
#define _POSIX_C_SOURCE 200809L
#include "series.h"
#include "../flame/flame.h"
#include "../theme/theme.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TOP_CHARTED 6

static const char *const palette[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e",
	"#8c564b", "#e377c2", "#17becf"};

/* HTML text or attribute: control characters and bytes that are not
 * UTF-8 as U+FFFD. */
static const hf__markup_style html_style = {
	.apos = "&#39;",
	.invalid = "&#xFFFD;",
	.control = "&#xFFFD;",
	.invalid_noncharacters = true,
};

static void put_html(hf__sink *out, const char *s)
{
	hf__escape_markup(out, s, strlen(s), &html_style);
}

/* A JSON string inside a <script> block (every escape in the \u form). */
static void put_json_string(hf__sink *out, const char *s)
{
	hf__sink_putc(out, '"');
	hf__escape_json(out, s, strlen(s), false);
	hf__sink_putc(out, '"');
}

static void put_time(hf__sink *out, int64_t nanos)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;
	char buf[40];
	if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm))
		hf__sink_puts(out, buf);
}

/* A line chart of k series of n values each (rows of `values`). */
static void put_chart(hf__sink *out, const hf_series *s, const char *unit, const int64_t *const *rows,
	const char *const *names, size_t k, int width, int height)
{
	size_t n = s->nsnaps;
	const int left = 80, right = 10, top = 10, bottom = 30;
	double x0 = hf__series_x(s, 0), x1 = hf__series_x(s, n - 1);
	double ymax = 0, ymin = 0;
	for (size_t r = 0; r < k; r++)
		for (size_t j = 0; j < n; j++) {
			if ((double)rows[r][j] > ymax)
				ymax = (double)rows[r][j];
			if ((double)rows[r][j] < ymin)
				ymin = (double)rows[r][j];
		}
	if (ymax == ymin)
		ymax = ymin + 1;
	if (x1 == x0)
		x1 = x0 + 1;
	double pw = width - left - right, ph = height - top - bottom;
	hf__sink_printf(out, "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"role=\"img\">\n", width, height, width, height);
	hf__sink_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" class=\"plot\"/>\n",
		left, top, pw, ph);
	char lo[HF_LABEL_MAX], hi[HF_LABEL_MAX];
	hf__series_label(hi, (int64_t)ymax, unit, false);
	hf__series_label(lo, (int64_t)ymin, unit, false);
	hf__sink_printf(out, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">", left - 4, top + 10);
	put_html(out, hi);
	hf__sink_printf(out, "</text><text x=\"%d\" y=\"%.0f\" class=\"ax\" text-anchor=\"end\">", left - 4,
		top + ph);
	put_html(out, lo);
	hf__sink_puts(out, "</text>\n");
	hf__sink_printf(out, "<text x=\"%d\" y=\"%d\" class=\"ax\">%s</text>", left, height - 8,
		s->timed ? "0 min" : "snapshot 1");
	if (s->timed)
		hf__sink_printf(out, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">%.2f min</text>\n",
			width - right, height - 8, x1 - x0);
	else
		hf__sink_printf(out, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">snapshot %zu</text>\n",
			width - right, height - 8, n);
	for (size_t r = 0; r < k; r++) {
		const char *color = palette[r % (sizeof(palette) / sizeof(palette[0]))];
		hf__sink_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%d\" points=\"",
			color, r == 0 ? 2 : 1);
		for (size_t j = 0; j < n; j++) {
			double px = left + (hf__series_x(s, j) - x0) / (x1 - x0) * pw;
			double py = top + ph - ((double)rows[r][j] - ymin) / (ymax - ymin) * ph;
			hf__sink_printf(out, "%s%.1f,%.1f", j ? " " : "", px, py);
		}
		hf__sink_puts(out, "\"><title>");
		put_html(out, names[r]);
		hf__sink_puts(out, "</title></polyline>\n");
	}
	hf__sink_puts(out, "</svg>\n<ul class=\"legend\">");
	for (size_t r = 0; r < k; r++) {
		hf__sink_printf(out, "<li><span class=\"swatch\" style=\"background:%s\"></span>",
			palette[r % (sizeof(palette) / sizeof(palette[0]))]);
		put_html(out, names[r]);
		hf__sink_puts(out, "</li>");
	}
	hf__sink_puts(out, "</ul>\n");
}

static void put_spark(hf__sink *out, const int64_t *v, size_t n)
{
	double lo = (double)v[0], hi = (double)v[0];
	for (size_t j = 1; j < n; j++) {
		lo = fmin(lo, (double)v[j]);
		hi = fmax(hi, (double)v[j]);
	}
	hf__sink_puts(out, "<svg class=\"spark\" width=\"100\" height=\"20\" viewBox=\"0 0 100 20\">"
		"<polyline fill=\"none\" stroke=\"#444\" points=\"");
	for (size_t j = 0; j < n; j++) {
		double px = n > 1 ? (double)j * 98.0 / (double)(n - 1) + 1 : 50;
		double py = hi > lo ? 18 - ((double)v[j] - lo) / (hi - lo) * 16 : 18;
		hf__sink_printf(out, "%s%.1f,%.1f", j ? " " : "", px, py);
	}
	hf__sink_puts(out, "\"/></svg>");
}

/* Differential stacks: the last snapshot's as "after", the first's as
 * "before" (names interned anew, inline marks kept). */
static int diff_stacks(hf_stacks **out, const hf_stacks *last, const hf_stacks *first,
	hf_error *err)
{
	hf_stacks *d = NULL;
	int rc = hf__stacks_new(&d, last->sample_type, last->sample_unit, err);
	uint32_t *frames = NULL;
	size_t cap = 0;
	const hf_stacks *src[2] = {last, first};
	for (int which = 0; which < 2 && rc == HF_OK; which++) {
		const hf_stacks *s = src[which];
		for (size_t i = 0; i < s->nstacks && rc == HF_OK; i++) {
			const hf__stack *st = &s->stacks[i];
			if (st->depth > cap) {
				hf__free(frames);
				cap = (size_t)st->depth * 2;
				if (!(frames = hf__malloc(hf__mul(cap, sizeof(*frames))))) {
					rc = hf__oom(err);
					break;
				}
			}
			const uint32_t *f = s->frames + st->offset;
			for (uint32_t k = 0; k < st->depth && rc == HF_OK; k++) {
				uint32_t id = HF_FRAME_ID(f[k]);
				uint32_t to = hf__intern_get(&d->names, s->names.names[id], s->names.lens[id]);
				if (to == HF_NONE)
					rc = hf__oom(err);
				frames[k] = to | (f[k] & HF_FRAME_INLINED);
			}
			if (rc == HF_OK)
				rc = hf__stacks_add_diff(d, frames, st->depth, which == 0 ? st->value : 0,
					which == 1 ? st->value : 0, err);
		}
	}
	hf__free(frames);
	if (rc != HF_OK) {
		hf_stacks_free(d);
		return rc;
	}
	d->has_base = true;
	*out = d;
	return HF_OK;
}

/* The flame graph's SVG, without its XML declaration, inline in the page. */
static int put_flame(hf__sink *out, const hf_series *s, hf_error *err)
{
	hf_stacks *d = NULL;
	hf_flame *flame = NULL;
	hf_buffer svg = {0};
	int rc = diff_stacks(&d, s->last, s->first, err);
	if (rc == HF_OK) {
		hf_flame_options fo = HF_FLAME_OPTIONS_INIT;
		fo.title = "Last snapshot against the first";
		fo.subtitle = "width: the last snapshot; red grew, blue shrank; outlined: the top growers";
		fo.id_prefix = "hfgrowth";
		rc = hf_flame_layout(&flame, d, &fo, err);
	}
	if (rc == HF_OK) {
		hf_writer w = hf_writer_buffer(&svg);
		rc = hf_flame_write_svg(flame, &w, err);
	}
	if (rc == HF_OK) {
		const char *p = svg.data;
		size_t len = svg.len;
		if (len > 5 && !strncmp(p, "<?xml", 5)) {
			const char *nl = memchr(p, '\n', len);
			if (nl) {
				len -= (size_t)(nl + 1 - p);
				p = nl + 1;
			}
		}
		hf__sink_puts(out, "<div class=\"flame\">\n");
		hf__sink_put(out, p, len);
		hf__sink_puts(out, "</div>\n");
	}
	hf_buffer_dispose(&svg);
	hf_flame_free(flame);
	hf_stacks_free(d);
	return rc;
}

static const char page_style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}"
	".meta,.caveat{color:#555}.caveat{font-style:italic}"
	"table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #eee;"
	"text-align:right;white-space:nowrap}td.name,th.name{text-align:left}"
	"tr.steady td{background:#fde8e8}"
	".chart .plot{fill:#fafafa;stroke:#ccc}.chart .ax{font-size:11px;fill:#555}"
	".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}"
	".swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}"
	".charts{display:flex;flex-wrap:wrap;gap:12px}"
	".flame svg{max-width:100%;height:auto}"
	".flame g.hf-grower>rect{stroke:#000;stroke-width:2}";

/* Outlines the flame graph's frames named in the growers list. */
static const char page_script[] =
	"(function(){\"use strict\";"
	"var data=document.getElementById(\"hf-growers\");if(!data)return;"
	"var names=JSON.parse(data.textContent),set=Object.create(null);"
	"names.forEach(function(n){set[n]=true;});"
	"var frames=document.getElementById(\"hfgrowth-frames\");if(!frames)return;"
	"Array.prototype.forEach.call(frames.children,function(g){"
	"var t=g.querySelector(\"title\");if(!t)return;var s=t.textContent,cut=s.lastIndexOf(\" (\");"
	"if(cut>=0&&set[s.slice(0,cut)])g.classList.add(\"hf-grower\");});})();";

static void put_memstats(hf__sink *out, const hf_series *s, int64_t *buf)
{
	size_t n = s->nsnaps;
	bool any = false;
	for (size_t j = 0; j < n; j++)
		any = any || s->snaps[j].has_memstats;
	if (!any)
		return;
	hf__sink_puts(out, "<h2>runtime.MemStats</h2>\n<div class=\"charts\">\n");
	for (size_t k = 0; k < HF_SERIES_NMEMSTATS; k++) {
		const char *key = hf__series_memstat_keys[k];
		bool bytes = strcmp(key, "HeapObjects") != 0 && strcmp(key, "NumGC") != 0;
		for (size_t j = 0; j < n; j++)
			buf[j] = s->snaps[j].memstat_present[k] ? s->snaps[j].memstats[k] : 0;
		const int64_t *rows[1] = {buf};
		const char *names[1] = {key};
		hf__sink_puts(out, "<div>");
		put_chart(out, s, bytes ? "bytes" : "count", rows, names, 1, 360, 160);
		hf__sink_puts(out, "</div>\n");
	}
	hf__sink_puts(out, "</div>\n");
}

/* "TYPE in PROGRAM" (the program's base name, when the profiles name one). */
static void put_subject(hf__sink *out, const hf_series *s)
{
	const char *prog = s->program[0] ? s->program : "";
	const char *slash = strrchr(prog, '/');
	prog = slash ? slash + 1 : prog;
	put_html(out, s->type);
	if (prog[0]) {
		hf__sink_puts(out, " in ");
		put_html(out, prog);
	}
}

/* The head, the heading and what the page covers. */
static void put_page_start(hf__sink *out, const hf_series *s, const hf_series_report_options *o)
{
	size_t n = s->nsnaps;
	hf__sink_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
		"<meta name=\"viewport\" content=\"width=device-width\">\n<title>Growth of ");
	put_subject(out, s);
	hf__sink_puts(out, " (heapflame)</title>\n<style>");
	hf__sink_puts(out, page_style);
	hf__sink_puts(out, "</style></head><body>\n<h1>Growth of ");
	put_subject(out, s);
	hf__sink_printf(out, " over %zu snapshots</h1>\n<p class=\"meta\">", n);
	if (s->timed) {
		put_time(out, s->snaps[0].time_nanos);
		hf__sink_puts(out, " to ");
		put_time(out, s->snaps[n - 1].time_nanos);
		hf__sink_puts(out, ". ");
	} else {
		hf__sink_puts(out, "Not every snapshot has a time: ordered as given, rates per snapshot. ");
	}
	hf__sink_printf(out, "Ranked by %s: steady growth first, then by rate.</p>\n",
		o->cum ? "cum" : "flat");
	if (s->heap)
		hf__sink_puts(out, "<p class=\"caveat\">A heap profile shows the heap as of the last GC, "
			"sampled at MemProfileRate (one allocation per 512 KiB by default): small values "
			"are estimates.</p>\n");
}

/*
 * The chart of the total, then that of the top growers (ranked first, with
 * a growth): their names go to growers (TOP_CHARTED at most).
 * @return how many growers were charted
 */
static size_t put_growth_charts(hf__sink *out, const hf_series *s, bool cum, const int64_t *tot,
	const char *growers[TOP_CHARTED])
{
	const int64_t *rows[TOP_CHARTED];
	rows[0] = tot;
	growers[0] = "(total)";
	hf__sink_puts(out, "<h2>Total</h2>\n");
	put_chart(out, s, s->unit, rows, growers, 1, 900, 220);
	size_t k = 0;
	for (size_t r = 0; r < hf_series_ranked_count(s, cum) && k < TOP_CHARTED; r++) {
		hf_series_stats st;
		hf_series_ranked(s, r, cum, &growers[k], &rows[k], &st);
		if (st.change > 0)
			k++;
	}
	if (k) {
		hf__sink_puts(out, "<h2>Top growers</h2>\n");
		put_chart(out, s, s->unit, rows, growers, k, 900, 300);
	}
	return k;
}

/* A row of the ranking: rank r (0: the total, unnumbered) and its statistics. */
static void put_ranking_row(hf__sink *out, const hf_series *s, size_t r, const char *name,
	const int64_t *v, const hf_series_stats *st)
{
	char first[HF_LABEL_MAX], last[HF_LABEL_MAX], change[HF_LABEL_MAX], rate[HF_LABEL_MAX];
	hf__series_label(first, st->first, s->unit, false);
	hf__series_label(last, st->last, s->unit, false);
	hf__series_label(change, st->change, s->unit, true);
	hf__series_rate_label(rate, st->rate, s->unit);
	hf__sink_printf(out, "<tr class=\"%s\"><td>", hf_series_trend_name(st->trend));
	if (r)
		hf__sink_printf(out, "%zu", r);
	hf__sink_printf(out, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%zu/%zu</td>"
		"<td>%s</td><td>", first, last, change, rate, st->grew, s->nsnaps - 1,
		hf_series_trend_name(st->trend));
	put_spark(out, v, s->nsnaps);
	hf__sink_puts(out, "</td><td class=\"name\">");
	put_html(out, name);
	hf__sink_puts(out, "</td></tr>\n");
}

/* The ranking table: the total, then -nodecount functions at most. */
static void put_ranking(hf__sink *out, const hf_series *s, const hf_series_report_options *o,
	const int64_t *tot, const double *x)
{
	hf__sink_printf(out, "<h2>Ranking (%s)</h2>\n<table><thead><tr><th>#</th><th>first</th>"
		"<th>last</th><th>change</th><th>%s</th><th>grew</th><th>trend</th><th>series</th>"
		"<th class=\"name\">name</th></tr></thead><tbody>\n", o->cum ? "cum" : "flat",
		s->timed ? "rate/min" : "rate/snapshot");
	size_t ranked = hf_series_ranked_count(s, o->cum);
	size_t shown = o->nodecount > 0 && (size_t)o->nodecount < ranked ? (size_t)o->nodecount : ranked;
	for (size_t r = 0; r <= shown; r++) {
		const char *name;
		const int64_t *v;
		hf_series_stats st;
		if (r == 0) {
			name = "(total)";
			v = tot;
			hf__series_stats(tot, x, s->nsnaps, &st);
		} else {
			hf_series_ranked(s, r - 1, o->cum, &name, &v, &st);
		}
		put_ranking_row(out, s, r, name, v, &st);
	}
	hf__sink_puts(out, "</tbody></table>\n");
	if (shown < ranked)
		hf__sink_printf(out, "<p class=\"meta\">%zu more functions (see -nodecount).</p>\n",
			ranked - shown);
}

/* The differential flame graph with the charted growers outlined. */
static int put_flame_section(hf__sink *out, const hf_series *s, const char *const *growers,
	size_t k, hf_error *err)
{
	int rc = HF_OK;
	hf__sink_puts(out, "<h2>Last snapshot against the first</h2>\n");
	if (!s->first || !s->last) {
		hf__sink_puts(out, "<p class=\"meta\">(the stacks were not kept)</p>\n");
		return HF_OK;
	}
	rc = put_flame(out, s, err);
	hf__sink_puts(out, "<script type=\"application/json\" id=\"hf-growers\">[");
	for (size_t i = 0; i < k; i++) {
		if (i)
			hf__sink_putc(out, ',');
		put_json_string(out, growers[i]);
	}
	hf__sink_puts(out, "]</script>\n<script>");
	hf__sink_puts(out, page_script);
	hf__sink_puts(out, "</script>\n");
	return rc;
}

int hf_series_write_html(const hf_series *s, const hf_series_report_options *opts,
	hf_writer *writer, hf_error *err)
{
	static const hf_series_report_options defaults = HF_SERIES_REPORT_OPTIONS_INIT;
	const hf_series_report_options *o = opts ? opts : &defaults;
	int rc = hf__series_check_report(s, writer, "hf_series_write_html", err);
	if (rc != HF_OK)
		return rc;
	size_t n = s->nsnaps;
	int64_t *tot = hf__malloc(hf__mul(n, sizeof(*tot)));
	double *x = hf__malloc(hf__mul(n, sizeof(*x)));
	hf__sink out;
	if (!tot || !x || hf__sink_init(&out, writer) != 0) {
		hf__free(tot);
		hf__free(x);
		return hf__oom(err);
	}
	for (size_t j = 0; j < n; j++) {
		tot[j] = s->snaps[j].total;
		x[j] = hf__series_x(s, j);
	}
	put_page_start(&out, s, o);
	const char *growers[TOP_CHARTED];
	size_t k = put_growth_charts(&out, s, o->cum, tot, growers);
	put_ranking(&out, s, o, tot, x);
	put_memstats(&out, s, tot);
	rc = put_flame_section(&out, s, growers, k, err);
	hf__sink_puts(&out, "</body></html>\n");
	hf__free(tot);
	hf__free(x);
	if (rc != HF_OK) {
		hf__sink_finish(&out, NULL);
		return rc;
	}
	return hf__sink_finish(&out, err);
}
