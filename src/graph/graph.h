/*
 * The call graph: pprof's graph.New over a profile, its trimming
 * (report.go newTrimmedGraph) and the result handed to the DOT writer,
 * the renderer and the text reports.
 */
#ifndef HF_GRAPH_H
#define HF_GRAPH_H

#include "../profile/profile.h"
#include "../measure/measure.h"

/* What identifies a node (pprof's NodeInfo after aggregation). */
typedef struct hf__ginfo {
	const char *name;      /* "" when the line has no function */
	const char *file;      /* lines granularity only */
	const char *objfile;   /* only for nodes without a name */
	int64_t lineno;
	int64_t start_line;
	uint64_t address;      /* addresses granularity only */
	const char *printable; /* PrintableName: "name", "name file:line", "[obj]" */
} hf__ginfo;

/* A node of the finished graph. */
typedef struct hf__gnode {
	const hf__ginfo *info;
	int64_t flat, cum;
	bool inline_in, noinline_in; /* has inlined / ordinary callers */
} hf__gnode;

typedef struct hf__gedge {
	uint32_t src, dst; /* indexes into hf_graph.nodes */
	int64_t weight;
	bool residual, is_inline;
} hf__gedge;

/* A nodelet: a box hanging off a node for a label or a numeric tag. */
typedef struct hf__gnodelet {
	uint32_t node;
	int parent;        /* -1: hangs off the node; else its label nodelet's index */
	int index;         /* position among its siblings (in its DOT id) */
	bool numeric;
	bool dotted;
	const char *label; /* raw: a label nodelet's "key:value" parts (pprof's
			      joinLabels, sorted) are NUL-separated */
	size_t label_len;
	int64_t weight;
} hf__gnodelet;

struct hf_graph {
	hf__arena arena;
	const char *title;         /* "" for none */
	const char *sample_unit;
	const char *output_unit;
	int64_t total;
	hf__report_labels legend;
	hf__gnode *nodes;           /* sorted as the report shows them */
	size_t nnodes;
	size_t nhidden;            /* hf__graph_build_peek: nodes of zero flat and
	                              cum after the nnodes shown, for the edges
	                              that reach them */
	hf__gedge *edges;           /* heaviest first */
	size_t nedges;
	hf__gnodelet *nodelets;     /* grouped by node, in output order */
	size_t nnodelets;
	size_t orig_count, dropped_nodes, dropped_edges;
	double nodefraction, edgefraction;
};

/* visual: the call graph (entropy order, redundant residual edges
 * removed, nodelets); else a text report (flat or cum order). */
int hf__graph_build(hf_graph **out, const hf_profile *p, const hf_graph_options *opts,
	bool visual, hf_error *err);
/* A text report's graph (as visual false) that also keeps the edges to
 * nodes whose flat and cum sum to zero (pprof's peek lists them). */
int hf__graph_build_peek(hf_graph **out, const hf_profile *p, const hf_graph_options *opts,
	hf_error *err);
/* A text report's graph (as visual false) without its edge list: the
 * nodes and their inline marks (pprof's -top reads them from each node's
 * in-edges), for the reports that show no edges. */
int hf__graph_build_nodes(hf_graph **out, const hf_profile *p, const hf_graph_options *opts,
	hf_error *err);
/* The same, then frees p (on error too): its locations and lines go as
 * soon as the node universe has read them, so the graph's instances are
 * not built beside them (hf_report_write_top_free). */
int hf__graph_build_nodes_free(hf_graph **out, hf_profile *p, const hf_graph_options *opts,
	hf_error *err);

/* The last element of a '/' path ("a/b" -> "b"; "a/" stays "a/"). */
const char *hf__graph_base_name(const char *path);

/* Lays out and renders DOT text with the linked-in Graphviz plugins
 * ("svg", "png", "pdf"); Graphviz's complaints come back in err. */
int hf__graph_render_dot(const char *dot, size_t len, const char *format, hf_writer *writer,
	hf_error *err);

/* A value in the graph's output unit. */
void hf__graph_value(const hf_graph *g, char out[HF_LABEL_MAX], int64_t v);


#endif
