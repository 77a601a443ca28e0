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
	hf__free(g->edge_slots);
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

/* An edge looked up: its slot holds it, or is free. */
typedef struct edge_probe {
	const ginst *g;
	uint32_t src, dst;
} edge_probe;

static bool is_edge(void *probe, size_t slot)
{
	const edge_probe *q = probe;
	uint32_t e = q->g->edge_slots[slot];
	return e == HF_NONE || (q->g->esrc[e] == q->src && q->g->edst[e] == q->dst);
}

static size_t edge_slot(const ginst *g, uint32_t src, uint32_t dst)
{
	/* The key is two 32-bit ids: one multiply, then the high half (which
	 * every key bit reaches) folded onto the low bits the mask keeps. */
	uint64_t h = ((uint64_t)src << 32 | dst) * 0x9e3779b97f4a7c15ull;
	edge_probe q = {g, src, dst};
	return hf__index_probe(g->edge_cap, h ^ h >> 32, is_edge, &q);
}

/* Room for `count` edges at most half the slots; the edges are put in
 * again from their columns, so the old table is freed first. */
static int edge_slots_reserve(ginst *g, size_t count)
{
	size_t cap = g->edge_cap ? g->edge_cap : 1024;
	while ((count + 1) * 2 > cap)
		cap *= 2;
	if (cap == g->edge_cap)
		return 0;
	hf__free(g->edge_slots);
	g->edge_slots = hf__malloc(hf__mul(cap, sizeof(uint32_t)));
	g->edge_cap = g->edge_slots ? cap : 0;
	if (!g->edge_slots)
		return -1;
	memset(g->edge_slots, 0xff, cap * sizeof(uint32_t));
	for (uint32_t e = 0; e < g->nedges; e++)
		g->edge_slots[edge_slot(g, g->esrc[e], g->edst[e])] = e;
	return 0;
}

static uint32_t edge_get(ginst *g, uint32_t src, uint32_t dst, bool *added)
{
	*added = false;
	if ((g->nedges + 1) * 2 > g->edge_cap && edge_slots_reserve(g, g->nedges + 1) != 0)
		return HF_NONE;
	size_t slot = edge_slot(g, src, dst);
	if (g->edge_slots[slot] != HF_NONE)
		return g->edge_slots[slot];
	if (g->nedges == g->ecap) {
		const hf__column columns[] = {HF_COLUMN(g->esrc), HF_COLUMN(g->edst),
			HF_COLUMN(g->estamp), HF_COLUMN(g->eweight), HF_COLUMN(g->eflags)};
		if (hf__grow_columns(columns, 5, &g->ecap, g->nedges, 1024) != 0)
			return HF_NONE;
	}
	uint32_t e = (uint32_t)g->nedges;
	*added = true;
	g->edge_slots[slot] = e;
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

/* The samples' walk of hf__graph_inst_build (pprof's newGraph) over the
 * samples [from, to), inlined into each call with the flags as constants:
 * the compiler then drops the tests of what a walk does not do (the
 * node-fraction walk has no kept set, edges or tags) and keeps the walk's
 * state in registers. -1 when out of memory (the caller says so: the
 * second part's walk runs on its own thread). */
static inline __attribute__((always_inline)) int walk_samples(universe *u, ginst *g,
	const bool *kept, bool tags, bool edges, size_t from, size_t to)
{
	const hf_profile *p = u->p;
	const uint32_t *loc_start = u->loc_start, *loc_nodes = u->loc_nodes;
	for (size_t s = from; s < to; s++) {
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
						return -1;
				}
				if (edges && parent != HF_NONE && n != parent) {
					/* Stacks share callers: most lookups find the
					 * node's last in-edge again. */
					uint32_t e = g->last_edge[n];
					bool added = false;
					if (g->last_src[n] != parent) {
						e = edge_get(g, parent, n, &added);
						if (e == HF_NONE)
							return -1;
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
				return -1;
		}
	}
	return 0;
}

static int walk_range(universe *u, ginst *g, const bool *kept, bool tags, bool edges,
	size_t from, size_t to)
{
	if (!kept && !tags && !edges)
		return walk_samples(u, g, NULL, false, false, from, to);
	if (!tags && edges)
		return walk_samples(u, g, kept, false, true, from, to);
	return walk_samples(u, g, kept, tags, edges, from, to);
}

/* A second part's first edges: the edges among the few nodes its walks
 * keep mostly fit, so its thread seldom allocates (what a thread allocates
 * stays in its own malloc arena once freed). */
enum { PART_EDGES = 1024 };

/* An instance's per-node arrays (the last in-edges only for a walk of
 * edges); -1 when out of memory. */
static int inst_alloc(universe *u, ginst *g, bool edges)
{
	memset(g, 0, sizeof(*g));
	g->flat = hf__calloc(u->ninfos + 1, sizeof(int64_t));
	g->cum = hf__calloc(u->ninfos + 1, sizeof(int64_t));
	g->stamp = hf__calloc(u->ninfos + 1, sizeof(uint32_t));
	if (!g->flat || !g->cum || !g->stamp)
		return -1;
	if (!edges)
		return 0;
	g->last_src = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	g->last_edge = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	if (!g->last_src || !g->last_edge)
		return -1;
	memset(g->last_src, 0xff, (u->ninfos + 1) * sizeof(uint32_t));
	return 0;
}

/*
 * Two threads: the samples from `mid` on are walked into an instance of
 * their own, then added to the first part's in their order, so every sum,
 * every flag and the order of the edges and tags (by first sight) are one
 * walk's: a flat, cum or weight sums values (wrapping, as one walk does),
 * an edge is residual if it was so in either part and inline only if it
 * was in both. With few samples (or one CPU) one thread walks them all.
 *
 * What splits is what adds no memory at the peak: the node-fraction walk
 * (nodes alone: the second part holds three per-node arrays) and walks of
 * edges over a few kept nodes (the top nodes of the call graph's last
 * walk). Over the node-fraction set the second part's table of edges is
 * about as large as the first's: splitting that walk too took the peak RSS
 * up by 1.8 MB on synthetic-large's --dot and by 7 MB on the many-functions
 * profile's --top. The tags' walk (hf__graph_inst_tags) splits too: its
 * second part (0.3 MB) takes the room of the index of edges freed after
 * the walk before it.
 */
enum { WALK_SPLIT_SAMPLES = 4096, WALK_SPLIT_MAX_EDGE_NODES = 256 };

/* Whether a walk's samples split over two threads. */
static bool walk_splits(const universe *u, const bool *kept, bool edges)
{
	if (!hf__parallel_pays(u->p->nsamples, WALK_SPLIT_SAMPLES))
		return false;
	if (!edges)
		return true;
	size_t nkept = 0;
	for (size_t n = 0; kept && n < u->ninfos && nkept <= WALK_SPLIT_MAX_EDGE_NODES; n++)
		nkept += kept[n];
	return kept && nkept <= WALK_SPLIT_MAX_EDGE_NODES;
}

typedef struct walk_part {
	universe *u;
	ginst g;
	const bool *kept;
	bool tags, edges;
	size_t from, to;
	int rc;
} walk_part;

/* Where the second part starts: the sample at which half the frames have
 * been walked. */
static size_t split_point(const hf_profile *p)
{
	size_t total = 0, half = 0;
	for (size_t s = 0; s < p->nsamples; s++)
		total += p->samples[s].nlocations;
	for (size_t s = 0; s < p->nsamples; s++) {
		half += p->samples[s].nlocations;
		if (half >= total / 2)
			return s + 1 < p->nsamples ? s + 1 : s;
	}
	return p->nsamples;
}

/* The second part's walk; its per-node arrays come from the first thread
 * (below), so that freed they serve the first thread's next allocations
 * rather than stay in the second thread's malloc arena. */
static void walk_part_run(void *arg)
{
	walk_part *w = arg;
	w->rc = walk_range(w->u, &w->g, w->kept, w->tags, w->edges, w->from, w->to);
}

/* The kind of each of g's tags (their map's keys hold it). */
static uint32_t *tag_kinds(const ginst *g)
{
	uint32_t *kinds = hf__malloc(hf__mul(g->ntags + 1, sizeof(uint32_t)));
	if (kinds)
		for (size_t i = 0; i < g->tag_map.cap; i++)
			if (g->tag_map.vals[i] != HF_NONE)
				kinds[g->tag_map.vals[i]] = (uint32_t)g->tag_map.keys[i];
	return kinds;
}

/* Adds the second part's tags to g's, in their order; -1 when out of memory. */
static int merge_tags(universe *u, ginst *g, const ginst *h)
{
	if (h->ntags == 0)
		return 0;
	uint32_t *kinds = tag_kinds(h);
	if (!kinds)
		return -1;
	for (size_t i = 0; i < h->ntags; i++) {
		const gtag *from = &h->tags[i];
		gtag *t = tag_get(u, g, from->node, kinds[i], from->value);
		if (!t) {
			hf__free(kinds);
			return -1;
		}
		t->flat = hf__wadd(t->flat, from->flat);
		t->cum = hf__wadd(t->cum, from->cum);
	}
	hf__free(kinds);
	return 0;
}

/* Adds the second part's instance h to g; -1 when out of memory. */
static int merge_part(universe *u, ginst *g, const ginst *h)
{
	for (size_t n = 0; n < u->ninfos; n++) {
		g->flat[n] = hf__wadd(g->flat[n], h->flat[n]);
		g->cum[n] = hf__wadd(g->cum[n], h->cum[n]);
	}
	for (size_t i = 0; i < h->nedges; i++) {
		bool added;
		uint32_t e = edge_get(g, h->esrc[i], h->edst[i], &added);
		if (e == HF_NONE)
			return -1;
		g->eweight[e] = hf__wadd(g->eweight[e], h->eweight[i]);
		if (added)
			g->eflags[e] = h->eflags[i];
		else
			g->eflags[e] = (uint8_t)((g->eflags[e] | (h->eflags[i] & EDGE_RESIDUAL)) &
				~(~h->eflags[i] & EDGE_INLINE));
	}
	return merge_tags(u, g, h);
}

/* pprof's newGraph: kept (per info, may be NULL) limits the nodes. With
 * `tags`, every kept node gets its tags too; else they are added
 * afterwards (hf__graph_inst_tags), for the nodes that need them. Without `edges`,
 * only the nodes' flat and cum. */
int hf__graph_inst_build(universe *u, ginst *g, const bool *kept, bool tags, bool edges)
{
	const hf_profile *p = u->p;
	if (inst_alloc(u, g, edges) != 0)
		return hf__oom(u->err);
	walk_part part = {.u = u, .kept = kept, .tags = tags, .edges = edges,
		.from = p->nsamples, .to = p->nsamples};
	hf__thread *second = NULL;
	if (walk_splits(u, kept, edges)) {
		ginst *h = &part.g;
		const hf__column columns[] = {HF_COLUMN(h->esrc), HF_COLUMN(h->edst),
			HF_COLUMN(h->estamp), HF_COLUMN(h->eweight), HF_COLUMN(h->eflags)};
		if (inst_alloc(u, h, edges) != 0 || (edges &&
			(hf__grow_columns(columns, 5, &h->ecap, 0, PART_EDGES) != 0 ||
			edge_slots_reserve(h, PART_EDGES) != 0))) {
			hf__graph_inst_dispose(&part.g);
			return hf__oom(u->err);
		}
		part.from = split_point(p);
		second = hf__thread_start(walk_part_run, &part);
		if (!second)
			part.from = p->nsamples;
	}
	int rc = walk_range(u, g, kept, tags, edges, 0, part.from);
	hf__thread_join(second);
	if (second && rc == 0)
		rc = part.rc == 0 ? merge_part(u, g, &part.g) : -1;
	hf__graph_inst_dispose(&part.g);
	/* The index of edges serves the walk alone (sorting, trimming and the
	 * finished graph read the edge columns): freed now, its room serves
	 * the tags' walk that follows (0.8 MB on synthetic-large). */
	hf__free(g->edge_slots);
	g->edge_slots = NULL;
	g->edge_cap = 0;
	hf__free(g->last_src);
	hf__free(g->last_edge);
	g->last_src = g->last_edge = NULL;
	if (rc != 0)
		return hf__oom(u->err);
	g->has_tags = tags;
	g->nodes = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	if (!g->nodes)
		return hf__oom(u->err);
	for (uint32_t n = 0; n < u->ninfos; n++)
		if (g->flat[n] != 0 || g->cum[n] != 0)
			g->nodes[g->nnodes++] = n;
	return HF_OK;
}

/* The tags' walk over the samples [from, to): each wanted node on a
 * sample's stack (over the kept set) gets the sample's tags, its leaf their
 * flat values, as hf__graph_inst_build adds them. g->stamp starts at 0.
 * -1 when out of memory. */
static int tags_range(universe *u, ginst *g, const bool *kept, const bool *want, size_t from,
	size_t to)
{
	const hf_profile *p = u->p;
	for (size_t s = from; s < to; s++) {
		const hf__sample *smp = &p->samples[s];
		int64_t w = smp->values[u->sample_index];
		if (w == 0 || u->sample_tag_start[s] == u->sample_tag_start[s + 1])
			continue;
		uint32_t stamp = (uint32_t)s + 1;
		uint32_t leaf = HF_NONE;
		bool residual = false;
		for (size_t i = smp->nlocations; i-- > 0;) {
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
					if (add_tags(u, g, s, n, w, false) != 0)
						return -1;
				}
				leaf = n;
				residual = false;
			}
		}
		if (leaf != HF_NONE && !residual && want[leaf] && add_tags(u, g, s, leaf, w, true) != 0)
			return -1;
	}
	return 0;
}

/* A second part's first tags: the wanted nodes' tags mostly fit (2,548 in
 * all on synthetic-large's call graph), so its thread seldom allocates. */
enum { PART_TAGS = 4096 };

typedef struct tags_part {
	universe *u;
	ginst g;
	const bool *kept, *want;
	size_t from, to;
	int rc;
} tags_part;

static void tags_part_run(void *arg)
{
	tags_part *t = arg;
	t->rc = tags_range(t->u, &t->g, t->kept, t->want, t->from, t->to);
}

/* The tags of the first `nwant` nodes of g->nodes, over the same samples
 * and kept set as hf__graph_inst_build (pprof adds a sample's tags to every
 * node it adds the sample to); tags of other nodes are not needed. With
 * 4,096 samples or more, when hf__parallel_pays says so, the samples from
 * half the frames on are walked on a second thread into tags of their own,
 * then added to the first part's in their order (merge_tags: sums wrap as
 * one walk's do, tags keep their first-sight order), so the tags are one
 * walk's. The second part's tags and stamps (about 0.3 MB on
 * synthetic-large) are held while the walk's index of edges, which the
 * tags do not need, is already freed (hf__graph_inst_build). */
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
	tags_part part = {.u = u, .kept = kept, .want = want, .from = p->nsamples,
		.to = p->nsamples};
	hf__thread *second = NULL;
	if (hf__parallel_pays(p->nsamples, WALK_SPLIT_SAMPLES)) {
		ginst *h = &part.g;
		h->stamp = hf__calloc(u->ninfos + 1, sizeof(uint32_t));
		h->tags = hf__grow(NULL, &h->tcap, 0, sizeof(*h->tags), PART_TAGS);
		if (!h->stamp || !h->tags || hf__graph_map_reserve(&h->tag_map, PART_TAGS) != 0) {
			hf__graph_inst_dispose(h);
			hf__free(want);
			return hf__oom(u->err);
		}
		part.from = split_point(p);
		second = hf__thread_start(tags_part_run, &part);
		if (!second)
			part.from = p->nsamples;
	}
	int rc = tags_range(u, g, kept, want, 0, part.from);
	hf__thread_join(second);
	if (second && rc == 0)
		rc = part.rc == 0 ? merge_tags(u, g, &part.g) : -1;
	hf__graph_inst_dispose(&part.g);
	hf__free(want);
	return rc == 0 ? HF_OK : hf__oom(u->err);
}
