/* pprof's -top table and -traces listing. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_labels(hf__sink *s, const hf__report_labels *l)
{
	for (size_t i = 0; i < l->count; i++) {
		hf__measure_put_text(s, l->lines[i]);
		hf__sink_putc(s, '\n');
	}
}

void hf__report_row_format(hf__report_row *row, const hf_graph *g, const hf__gnode *n,
	int64_t flat_sum)
{
	hf__graph_value(g, row->flat, n->flat);
	hf__graph_value(g, row->cum, n->cum);
	hf__measure_percentage(row->flat_pct, n->flat, g->total);
	hf__measure_percentage(row->sum_pct, flat_sum, g->total);
	hf__measure_percentage(row->cum_pct, n->cum, g->total);
}

/* The table of a graph built without edges (frees g). */
static int write_top(hf_graph *g, hf_writer *writer, hf_error *err)
{
	hf__sink s;
	if (hf__sink_init(&s, writer) != 0) {
		hf_graph_free(g);
		return hf__oom(err);
	}
	put_labels(&s, &g->legend);
	hf__sink_printf(&s, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		const hf__gnode *n = &g->nodes[i];
		hf__report_row row;
		flat_sum = hf__wadd(flat_sum, n->flat);
		hf__report_row_format(&row, g, n, flat_sum);
		const char *inl = !n->inline_in ? "" : n->noinline_in ? " (partial-inline)" : " (inline)";
		hf__sink_printf(&s, "%10s %s %s %10s %s  ", row.flat, row.flat_pct, row.sum_pct, row.cum,
			row.cum_pct);
		hf__measure_put_text(&s, n->info->printable);
		hf__sink_puts(&s, inl);
		hf__sink_putc(&s, '\n');
	}
	hf_graph_free(g);
	return hf__sink_finish(&s, err);
}

int hf_report_write_top(const hf_profile *profile, const hf_graph_options *opts,
	hf_writer *writer, hf_error *err)
{
	if (!profile || !writer)
		return hf__error(err, HF_EINVALID, "hf_report_write_top: NULL argument");
	hf_graph *g;
	int rc = hf__graph_build_nodes(&g, profile, opts, err);
	return rc == HF_OK ? write_top(g, writer, err) : rc;
}

int hf_report_write_top_free(hf_profile *profile, const hf_graph_options *opts,
	hf_writer *writer, hf_error *err)
{
	if (!profile || !writer) {
		hf_profile_free(profile);
		return hf__error(err, HF_EINVALID, "hf_report_write_top_free: NULL argument");
	}
	hf_graph *g;
	int rc = hf__graph_build_nodes_free(&g, profile, opts, err);
	return rc == HF_OK ? write_top(g, writer, err) : rc;
}
