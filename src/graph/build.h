/*
 * The graph builder's working data, shared by build.c (samples -> nodes,
 * edges and tags; trimming) and assemble.c (the finished hf_graph: edge
 * order, redundant residual edges, nodelets, legend). Private to the
 * graph module.
 */
#ifndef HF_GRAPH_BUILD_H
#define HF_GRAPH_BUILD_H

#include "graph.h"

static inline int64_t abs64(int64_t v) { return hf__wabs(v); }

/* An open-addressing map from 64-bit keys to 32-bit values. */
typedef struct u64map {
	uint64_t *keys;
	uint32_t *vals; /* HF_NONE = empty slot */
	size_t cap, count;
} u64map;

/* The node universe: every NodeInfo the profile can produce, and each
 * sample's labels prepared once. */
typedef struct universe {
	const hf_profile *p;
	hf_arena *arena;       /* the graph's: infos and strings live there */
	hf_arena scratch;
	hf_intern keys;        /* NodeInfo keys -> info ids */
	hf_intern strings;     /* label groups and tag names; id 0 = "" */
	hf_ginfo *infos;
	size_t ninfos, cap;
	uint32_t *loc_start;   /* per location, into loc_nodes; n+1 entries */
	uint32_t *loc_nodes;   /* per Line (0 = innermost), an info id */
	uint32_t *fn_info;     /* per function: its info id when that depends
				  on the function alone, else HF_NONE */
	/* Tags (visual mode only): each sample's label group and numeric
	 * labels as tag kinds, (group, name) pairs numbered once here so
	 * building a graph needs one lookup per node and tag. */
	uint32_t *sample_group;     /* per sample: joined string labels id */
	uint32_t *sample_tag_start; /* per sample, into tag_kind/tag_value */
	uint32_t *tag_kind;
	int64_t *tag_value;
	u64map kinds;               /* (group, name|HF_NONE) -> kind id */
	uint32_t *kind_group, *kind_name; /* per kind; name HF_NONE: label group */
	size_t nkinds, kinds_cap;
	const char *bytes_unit;
	size_t sample_index;
	hf_granularity granularity;
	bool zero_nodes;       /* keep edges to nodes of zero flat and cum */
	hf_error *err;
} universe;

/* One graph built from the samples over a kept set of nodes. */
enum { EDGE_RESIDUAL = 1, EDGE_INLINE = 2, EDGE_REMOVED = 4 };

typedef struct gtag {
	uint32_t node;
	uint32_t group;  /* joined string labels id */
	uint32_t name;   /* string id: the label group (label tags) or value label */
	bool numeric;
	bool removed;
	int64_t value;
	int64_t flat, cum;
} gtag;

typedef struct ginst {
	int64_t *flat, *cum;   /* per info */
	uint32_t *stamp;       /* per info: last sample that added cum */
	uint32_t *esrc, *edst, *estamp;
	int64_t *eweight;
	uint8_t *eflags;
	size_t nedges, ecap;
	u64map edge_map;
	uint32_t *last_src, *last_edge; /* per info: its last in-edge looked up */
	gtag *tags;
	size_t ntags, tcap;
	bool has_tags;         /* tags were added (for the nodes wanted) */
	u64map tag_map;        /* (node, kind id) -> tag */
	uint32_t *nodes;       /* present nodes (flat or cum non-zero) */
	size_t nnodes;
} ginst;

/* The finished graph from the last instance: nodes in order, edges
 * sorted (redundant residual ones removed in visual mode), nodelets. */
int hf__graph_assemble(universe *u, ginst *cur, hf_graph *g, bool visual);

/* The legend lines: the profile's, active filters, "Showing nodes
 * accounting for ...", what was dropped, and (visual) the help line. */
int hf__graph_legend(hf_graph *g, const hf_profile *p, size_t si, const hf_graph_options *o,
	bool visual);

#endif
