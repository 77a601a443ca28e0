/*
 * pprof's -peek (report.go's tree report): for every node whose name
 * matches, its callers, the node itself with flat and cum, and its
 * callees, each edge with its weight and share of the node's cum.
 */
#include "report.h"

#include <regex.h>
#include <string.h>

static const char separator[] =
	"----------------------------------------------------------+-------------\n";
static const char heading[] =
	"      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t \n";

/* One caller or callee line: weight, share of the node's cum, name. */
static void put_edge(hf__sink *s, const hf_graph *g, const hf__gedge *e, const hf__gnode *other,
	int64_t cum)
{
	char weight[HF_LABEL_MAX], pct[HF_LABEL_MAX];
	hf__graph_value(g, weight, e->weight);
	hf__measure_percentage(pct, e->weight, cum);
	hf__sink_printf(s, "%50s %s |   ", weight, pct);
	hf__measure_put_text(s, other->info->printable);
	if (e->is_inline)
		hf__sink_puts(s, " (inline)");
	hf__sink_putc(s, '\n');
}

/* Each node's edges on one side (callers or callees), in edge order. */
typedef struct edge_index {
	uint32_t *start; /* per node, into edges; nnodes + 1 entries */
	uint32_t *edges;
} edge_index;

static int index_edges(edge_index *x, const hf_graph *g, bool by_dst)
{
	size_t nall = g->nnodes + g->nhidden;
	x->start = hf__calloc(nall + 2, sizeof(uint32_t));
	x->edges = hf__malloc(hf__mul(g->nedges + 1, sizeof(uint32_t)));
	if (!x->start || !x->edges)
		return -1;
	for (size_t e = 0; e < g->nedges; e++)
		x->start[(by_dst ? g->edges[e].dst : g->edges[e].src) + 2]++;
	for (size_t i = 0; i < nall; i++)
		x->start[i + 2] += x->start[i + 1];
	for (size_t e = 0; e < g->nedges; e++)
		x->edges[x->start[(by_dst ? g->edges[e].dst : g->edges[e].src) + 1]++] = (uint32_t)e;
	return 0;
}

static void edge_index_dispose(edge_index *x)
{
	hf__free(x->start);
	hf__free(x->edges);
}

int hf_report_write_peek(const hf_profile *profile, const hf_graph_options *opts,
	const char *regex, hf_writer *writer, hf_error *err)
{
	if (!profile || !writer || !regex)
		return hf__error(err, HF_EINVALID, "hf_report_write_peek: NULL argument");
	regex_t re;
	int rerr = regcomp(&re, regex, REG_EXTENDED | REG_NOSUB);
	if (rerr != 0) {
		char why[128];
		regerror(rerr, &re, why, sizeof(why));
		return hf__error(err, HF_EINVALID, "-peek: bad regular expression \"%.80s\": %s",
			regex, why);
	}
	/* pprof never trims the graph of a peek report. */
	hf_graph_options o = HF_GRAPH_OPTIONS_INIT;
	if (opts)
		o = *opts;
	o.nodecount = 0;
	o.nodefraction = 0;
	o.edgefraction = 0;
	hf_graph *g;
	int rc = hf__graph_build_peek(&g, profile, &o, err);
	if (rc != HF_OK) {
		regfree(&re);
		return rc;
	}
	bool any = false;
	for (size_t i = 0; i < g->nnodes && !any; i++)
		any = regexec(&re, g->nodes[i].info->printable, 0, NULL, 0) == 0;
	if (!any) {
		/* pprof writes nothing then, only the error. */
		regfree(&re);
		hf_graph_free(g);
		return hf__error(err, HF_ENOTFOUND, "no matches found for regexp: %s", regex);
	}
	edge_index in = {NULL, NULL}, out = {NULL, NULL};
	hf__sink s;
	if (index_edges(&in, g, true) != 0 || index_edges(&out, g, false) != 0 ||
		hf__sink_init(&s, writer) != 0) {
		edge_index_dispose(&in);
		edge_index_dispose(&out);
		regfree(&re);
		hf_graph_free(g);
		return hf__oom(err);
	}
	for (size_t i = 0; i < g->legend.count; i++) {
		hf__measure_put_text(&s, g->legend.lines[i]);
		hf__sink_putc(&s, '\n');
	}
	hf__sink_puts(&s, separator);
	hf__sink_puts(&s, heading);
	int64_t flat_sum = 0;
	/* The graph's edges are in pprof's edge order already, so a node's
	 * callers and callees come out sorted as its In and Out maps. */
	for (size_t i = 0; i < g->nnodes; i++) {
		const hf__gnode *n = &g->nodes[i];
		if (regexec(&re, n->info->printable, 0, NULL, 0) != 0)
			continue;
		hf__sink_puts(&s, separator);
		for (uint32_t k = in.start[i]; k < in.start[i + 1]; k++) {
			const hf__gedge *e = &g->edges[in.edges[k]];
			put_edge(&s, g, e, &g->nodes[e->src], n->cum);
		}
		hf__report_row row;
		flat_sum = hf__wadd(flat_sum, n->flat);
		hf__report_row_format(&row, g, n, flat_sum);
		hf__sink_printf(&s, "%10s %s %s %10s %s                | ", row.flat, row.flat_pct,
			row.sum_pct, row.cum, row.cum_pct);
		hf__measure_put_text(&s, n->info->printable);
		hf__sink_putc(&s, '\n');
		for (uint32_t k = out.start[i]; k < out.start[i + 1]; k++) {
			const hf__gedge *e = &g->edges[out.edges[k]];
			put_edge(&s, g, e, &g->nodes[e->dst], n->cum);
		}
	}
	hf__sink_puts(&s, separator);
	edge_index_dispose(&in);
	edge_index_dispose(&out);
	regfree(&re);
	hf_graph_free(g);
	return hf__sink_finish(&s, err);
}
