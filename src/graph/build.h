/*
 * The graph builder's working data, private to the graph module and
 * shared by its steps: universe.c (every node the profile can produce),
 * instance.c (samples -> nodes, edges and tags over a kept set), order.c
 * (sorting and trimming), assemble.c (the finished hf_graph: edge order,
 * redundant residual edges, nodelets, legend), with map.c's index under
 * them and build.c (pprof's newTrimmedGraph) over them.
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

/* The value for key, or `fresh` stored for it (*added says which);
 * HF_NONE when out of memory. */
uint32_t hf__graph_map_get_or_add(u64map *m, uint64_t key, uint32_t fresh, bool *added);
/* The slot of key: where it is, or the free slot where it goes. */
size_t hf__graph_map_slot(const u64map *m, uint64_t key);
void hf__graph_map_dispose(u64map *m);
/* Room for `count` keys without growing; -1 when out of memory. */
int hf__graph_map_reserve(u64map *m, size_t count);

/* The node universe: every NodeInfo the profile can produce, and each
 * sample's labels prepared once. */
typedef struct universe {
	const hf_profile *p;
	hf__arena *arena;       /* the graph's: infos and strings live there */
	hf__arena scratch;
	hf__intern keys;        /* NodeInfo keys -> info ids; the copies are
				   in `arena` (infos point into them) */
	char *key;              /* the key being looked up */
	size_t key_cap;
	hf__intern strings;     /* label groups and tag names; id 0 = "" */
	hf__ginfo *infos;
	size_t ninfos, cap;
	uint32_t *loc_start;   /* per location, into loc_nodes; n+1 entries */
	uint32_t *loc_nodes;   /* per Line (0 = innermost), an info id */
	uint32_t *fn_info;     /* per function: its info id when that depends
				  on the function alone, else HF_NONE */
	/* Tags (visual mode only): each sample's label group and numeric
	 * labels as tag kinds, (group, name) pairs numbered once here so
	 * building a graph needs one lookup per node and tag. */
	uint32_t *sample_tag_start; /* per sample, into tag_kind/tag_value; these
				       three are NULL for text reports */
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

/* Every NodeInfo of p at the granularity, and (visual) each sample's
 * labels as tag kinds; node strings live in `arena` (the graph's). */
int hf__graph_universe_init(universe *u, const hf_profile *p, hf__arena *arena, size_t sample_index,
	hf_granularity granularity, bool visual, hf_error *err);
void hf__graph_universe_dispose(universe *u);

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
	/* The edges by (src, dst): open addressing over edge ids alone, the
	 * keys read from esrc and edst (a 64-bit key per slot, and the old
	 * table held beside the new one while it doubled, were 9.4 MB of
	 * the many-functions profile's --top peak). */
	uint32_t *edge_slots;
	size_t edge_cap;
	uint32_t *last_src, *last_edge; /* per info: its last in-edge looked up */
	gtag *tags;
	size_t ntags, tcap;
	bool has_tags;         /* tags were added (for the nodes wanted) */
	u64map tag_map;        /* (node, kind id) -> tag */
	uint32_t *nodes;       /* present nodes (flat or cum non-zero) */
	size_t nnodes;
} ginst;

/* pprof's newGraph: kept (per info, may be NULL) limits the nodes. With
 * `tags`, every kept node gets its tags too; else they are added
 * afterwards (hf__graph_inst_tags), for the nodes that need them. Without
 * `edges`, only the nodes' flat and cum. */
int hf__graph_inst_build(universe *u, ginst *g, const bool *kept, bool tags, bool edges);
/* The tags of the first `nwant` nodes of g->nodes, over the same samples
 * and kept set as hf__graph_inst_build. */
int hf__graph_inst_tags(universe *u, ginst *g, const bool *kept, size_t nwant);
void hf__graph_inst_dispose(ginst *g);
/* Moves from's tags to `to` (whose own are dropped). A node's tags are the
 * same over any kept set that keeps it, and the finished graph reads only
 * the tags of its own nodes, so tags added over a larger kept set (the
 * first nodes of the previous instance) serve a graph over fewer. */
void hf__graph_inst_move_tags(ginst *to, ginst *from);

/* pprof's SortNodes: entropy (visual), cum, or flat order. */
int hf__graph_inst_sort(universe *u, ginst *g, bool cum, bool visual);
/* Marks tags, edges under the cutoff removed; returns the edges dropped. */
void hf__graph_trim_tags(ginst *g, int64_t cutoff);
size_t hf__graph_trim_edges(ginst *g, int64_t cutoff);
/* pprof's selectTopNodes: how many of g->nodes to keep (*out). */
int hf__graph_select_top(universe *u, ginst *g, size_t max_nodes, bool visual, size_t *out);
/* *out (replaced) marks the n nodes as kept, per info. */
int hf__graph_kept_set(universe *u, const uint32_t *nodes, size_t n, bool **out);

/* The finished graph from the last instance: nodes in order, edges
 * sorted (redundant residual ones removed in visual mode), nodelets.
 * Without edge_list (not visual), only the nodes' inline marks are taken
 * from the edges and the graph has none. */
int hf__graph_assemble(universe *u, ginst *cur, hf_graph *g, bool visual, bool edge_list);

/* The legend lines: the profile's, active filters, "Showing nodes
 * accounting for ...", what was dropped, and (visual) the help line. */
int hf__graph_legend(hf_graph *g, const hf_profile *p, size_t si, const hf_graph_options *o,
	bool visual);

#endif
