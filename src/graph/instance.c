/*
 * One graph over a kept set of nodes (pprof's newGraph): each sample adds
 * its value to the cum of every distinct node on its stack, to the flat
 * of its leaf and to every distinct caller -> callee edge; nodes left out
 * of the kept set turn the edges across them into residual ones.
 */
#include "build.h"

#include <string.h>

void hf__graph_inst_dispose(ginst *g)
{
	hf__free(g->flat);
	hf__free(g->cum);
	hf__free(g->stamp);
	hf__free(g->esrc);
	hf__free(g->edst);
	hf__free(g->estamp);
	hf__free(g->eweight);
	hf__free(g->eflags);
	hf__graph_map_dispose(&g->edge_map);
	hf__free(g->last_src);
	hf__free(g->last_edge);
	hf__free(g->tags);
	hf__graph_map_dispose(&g->tag_map);
	hf__free(g->nodes);
	memset(g, 0, sizeof(*g));
}

void hf__graph_inst_move_tags(ginst *to, ginst *from)
{
	hf__free(to->tags);
	hf__graph_map_dispose(&to->tag_map);
	to->tags = from->tags;
	to->ntags = from->ntags;
	to->tcap = from->tcap;
	to->tag_map = from->tag_map;
	to->has_tags = from->has_tags;
	from->tags = NULL;
	from->ntags = from->tcap = 0;
	memset(&from->tag_map, 0, sizeof(from->tag_map));
	from->has_tags = false;
}

static uint32_t edge_get(ginst *g, uint32_t src, uint32_t dst, bool *added)
{
	uint32_t e = hf__graph_map_get_or_add(&g->edge_map, (uint64_t)src << 32 | dst, (uint32_t)g->nedges, added);
	if (e == HF_NONE || !*added)
		return e;
	if (g->nedges == g->ecap) {
		const hf__column columns[] = {HF_COLUMN(g->esrc), HF_COLUMN(g->edst),
			HF_COLUMN(g->estamp), HF_COLUMN(g->eweight), HF_COLUMN(g->eflags)};
		if (hf__grow_columns(columns, 5, &g->ecap, g->nedges, 1024) != 0)
			return HF_NONE;
	}
	g->esrc[e] = src;
	g->edst[e] = dst;
	g->estamp[e] = 0;
	g->eweight[e] = 0;
	g->eflags[e] = 0;
	g->nedges++;
	return e;
}

/* The tag of `kind` on `node`; a new one takes the sample's value. */
static gtag *tag_get(universe *u, ginst *g, uint32_t node, uint32_t kind, int64_t value)
{
	bool added;
	uint32_t t = hf__graph_map_get_or_add(&g->tag_map, (uint64_t)node << 32 | kind, (uint32_t)g->ntags, &added);
	if (t == HF_NONE)
		return NULL;
	if (added) {
		gtag *tags = hf__grow(g->tags, &g->tcap, g->ntags, sizeof(*tags), 256);
		if (!tags)
			return NULL;
		g->tags = tags;
		gtag *tag = &g->tags[g->ntags++];
		memset(tag, 0, sizeof(*tag));
		bool numeric = u->kind_name[kind] != HF_NONE;
		tag->node = node;
		tag->group = u->kind_group[kind];
		tag->name = numeric ? u->kind_name[kind] : tag->group;
		tag->numeric = numeric;
		tag->value = value;
	}
	return &g->tags[t];
}

/* pprof's Node.addSample for the tags: sample s's value goes to each of
 * its tags on the node. */
static int add_tags(universe *u, ginst *g, size_t s, uint32_t node, int64_t w, bool flat)
{
	for (uint32_t i = u->sample_tag_start[s]; i < u->sample_tag_start[s + 1]; i++) {
		gtag *t = tag_get(u, g, node, u->tag_kind[i], u->tag_value[i]);
		if (!t)
			return -1;
		int64_t *v = flat ? &t->flat : &t->cum;
		*v = hf__wadd(*v, w);
	}
	return 0;
}

/* The samples' walk of hf__graph_inst_build (pprof's newGraph), inlined
 * into each call with the flags as constants: the compiler then drops the
 * tests of what a walk does not do (the node-fraction walk has no kept
 * set, edges or tags) and keeps the walk's state in registers. */
static inline __attribute__((always_inline)) int walk_samples(universe *u, ginst *g,
	const bool *kept, bool tags, bool edges)
{
	const hf_profile *p = u->p;
	const uint32_t *loc_start = u->loc_start, *loc_nodes = u->loc_nodes;
	for (size_t s = 0; s < p->nsamples; s++) {
		const hf__sample *smp = &p->samples[s];
		int64_t w = smp->values[u->sample_index];
		if (w == 0)
			continue;
		uint32_t stamp = (uint32_t)s + 1;
		uint32_t parent = HF_NONE;
		bool residual = false;
		for (size_t i = smp->nlocations; i-- > 0;) {
			size_t li = (size_t)smp->locations[i];
			uint32_t first = loc_start[li], count = loc_start[li + 1] - first;
			for (uint32_t ni = count; ni-- > 0;) {
				uint32_t n = loc_nodes[first + ni];
				if (kept && !kept[n]) {
					residual = true;
					continue;
				}
				if (g->stamp[n] != stamp) {
					g->stamp[n] = stamp;
					g->cum[n] = hf__wadd(g->cum[n], w);
					if (tags && add_tags(u, g, s, n, w, false) != 0)
						return hf__oom(u->err);
				}
				if (edges && parent != HF_NONE && n != parent) {
					/* Stacks share callers: most lookups find the
					 * node's last in-edge again. */
					uint32_t e = g->last_edge[n];
					bool added = false;
					if (g->last_src[n] != parent) {
						e = edge_get(g, parent, n, &added);
						if (e == HF_NONE)
							return hf__oom(u->err);
						g->last_src[n] = parent;
						g->last_edge[n] = e;
					}
					if (g->estamp[e] != stamp) {
						bool is_inline = ni != count - 1;
						g->estamp[e] = stamp;
						g->eweight[e] = hf__wadd(g->eweight[e], w);
						if (residual)
							g->eflags[e] |= EDGE_RESIDUAL;
						if (added && is_inline)
							g->eflags[e] |= EDGE_INLINE;
						else if (!is_inline)
							g->eflags[e] &= (uint8_t)~EDGE_INLINE;
					}
				}
				parent = n;
				residual = false;
			}
		}
		if (parent != HF_NONE && !residual) {
			g->flat[parent] = hf__wadd(g->flat[parent], w);
			if (tags && add_tags(u, g, s, parent, w, true) != 0)
				return hf__oom(u->err);
		}
	}
	return HF_OK;
}

/* pprof's newGraph: kept (per info, may be NULL) limits the nodes. With
 * `tags`, every kept node gets its tags too; else they are added
 * afterwards (hf__graph_inst_tags), for the nodes that need them. Without `edges`,
 * only the nodes' flat and cum. */
int hf__graph_inst_build(universe *u, ginst *g, const bool *kept, bool tags, bool edges)
{
	memset(g, 0, sizeof(*g));
	g->flat = hf__calloc(u->ninfos + 1, sizeof(int64_t));
	g->cum = hf__calloc(u->ninfos + 1, sizeof(int64_t));
	g->stamp = hf__calloc(u->ninfos + 1, sizeof(uint32_t));
	g->last_src = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	g->last_edge = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	if (!g->flat || !g->cum || !g->stamp || !g->last_src || !g->last_edge)
		return hf__oom(u->err);
	memset(g->last_src, 0xff, (u->ninfos + 1) * sizeof(uint32_t));
	int rc;
	if (!kept && !tags && !edges)
		rc = walk_samples(u, g, NULL, false, false);
	else if (!tags && edges)
		rc = walk_samples(u, g, kept, false, true);
	else
		rc = walk_samples(u, g, kept, tags, edges);
	if (rc != HF_OK)
		return rc;
	g->has_tags = tags;
	g->nodes = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	if (!g->nodes)
		return hf__oom(u->err);
	for (uint32_t n = 0; n < u->ninfos; n++)
		if (g->flat[n] != 0 || g->cum[n] != 0)
			g->nodes[g->nnodes++] = n;
	return HF_OK;
}

/* The tags of the first `nwant` nodes of g->nodes, over the same samples
 * and kept set as hf__graph_inst_build (pprof adds a sample's tags to every node it
 * adds the sample to); tags of other nodes are not needed. */
int hf__graph_inst_tags(universe *u, ginst *g, const bool *kept, size_t nwant)
{
	const hf_profile *p = u->p;
	bool *want = hf__calloc(u->ninfos + 1, sizeof(bool));
	if (!want)
		return hf__oom(u->err);
	for (size_t i = 0; i < nwant && i < g->nnodes; i++)
		want[g->nodes[i]] = true;
	memset(g->stamp, 0, (u->ninfos + 1) * sizeof(uint32_t));
	g->has_tags = true;
	int rc = HF_OK;
	for (size_t s = 0; s < p->nsamples && rc == HF_OK; s++) {
		const hf__sample *smp = &p->samples[s];
		int64_t w = smp->values[u->sample_index];
		if (w == 0 || u->sample_tag_start[s] == u->sample_tag_start[s + 1])
			continue;
		uint32_t stamp = (uint32_t)s + 1;
		uint32_t leaf = HF_NONE;
		bool residual = false;
		for (size_t i = smp->nlocations; i-- > 0 && rc == HF_OK;) {
			size_t li = (size_t)smp->locations[i];
			uint32_t first = u->loc_start[li], count = u->loc_start[li + 1] - first;
			for (uint32_t ni = count; ni-- > 0;) {
				uint32_t n = u->loc_nodes[first + ni];
				if (kept && !kept[n]) {
					residual = true;
					continue;
				}
				if (want[n] && g->stamp[n] != stamp) {
					g->stamp[n] = stamp;
					if (add_tags(u, g, s, n, w, false) != 0) {
						rc = hf__oom(u->err);
						break;
					}
				}
				leaf = n;
				residual = false;
			}
		}
		if (rc == HF_OK && leaf != HF_NONE && !residual && want[leaf] &&
			add_tags(u, g, s, leaf, w, true) != 0)
			rc = hf__oom(u->err);
	}
	hf__free(want);
	return rc;
}
