/*
 * The finished call graph: pprof's edge order, RemoveRedundantEdges,
 * the nodelets of addNodelets/numericNodelets/collapsedTags, and the
 * legend lines of reportLabels.
 */
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge_item {
	hf__gedge e;
	const char *src, *dst;
} edge_item;

/* pprof's edgeList order: |weight| desc, then source and target names. */
static int cmp_edges(const void *pa, const void *pb)
{
	const edge_item *a = pa, *b = pb;
	if (a->e.weight != b->e.weight && abs64(a->e.weight) != abs64(b->e.weight))
		return abs64(a->e.weight) > abs64(b->e.weight) ? -1 : 1;
	int c = strcmp(a->src, b->src);
	return c ? c : strcmp(a->dst, b->dst);
}

typedef struct tag_view {
	const char *name; /* a label group's parts are NUL-separated */
	size_t len;
	const char *unit;
	int64_t value, flat, cum;
	uint32_t group;
} tag_view;

/* Reads a tag's name as pprof's text: a label group's parts joined with
 * a literal \n (the NULs between them read as those two bytes). */
typedef struct name_reader {
	const char *s;
	size_t len, i;
	bool in_separator;
} name_reader;

static int name_next(name_reader *r)
{
	if (r->in_separator) {
		r->in_separator = false;
		return 'n';
	}
	if (r->i == r->len)
		return -1;
	unsigned char c = (unsigned char)r->s[r->i++];
	if (c == '\0') {
		r->in_separator = true;
		return '\\';
	}
	return c;
}

/* strcmp of the two names as pprof's text. */
static int cmp_names(const tag_view *a, const tag_view *b)
{
	name_reader ra = {a->name, a->len, 0, false}, rb = {b->name, b->len, 0, false};
	for (;;) {
		int ca = name_next(&ra), cb = name_next(&rb);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca < 0)
			return 0;
	}
}

static int cmp_tags_cum(const void *pa, const void *pb)
{
	const tag_view *a = pa, *b = pb;
	if (a->cum != b->cum && abs64(a->cum) != abs64(b->cum))
		return abs64(a->cum) > abs64(b->cum) ? -1 : 1;
	if (a->flat != b->flat && abs64(a->flat) != abs64(b->flat))
		return abs64(a->flat) > abs64(b->flat) ? -1 : 1;
	return cmp_names(a, b);
}

static int cmp_tags_flat(const void *pa, const void *pb)
{
	const tag_view *a = pa, *b = pb;
	if (a->flat != b->flat && abs64(a->flat) != abs64(b->flat))
		return abs64(a->flat) > abs64(b->flat) ? -1 : 1;
	return cmp_names(a, b);
}

static void sort_tags(tag_view *t, size_t n, bool flat)
{
	qsort(t, n, sizeof(*t), flat ? cmp_tags_flat : cmp_tags_cum);
}

typedef struct assembler {
	universe *u;
	hf_graph *g;
	size_t nodelet_cap;
} assembler;

static int add_nodelet(assembler *a, hf__gnodelet nl)
{
	hf_graph *g = a->g;
	hf__gnodelet *grown = hf__arena_grow(&g->arena, g->nodelets, &a->nodelet_cap, g->nnodelets,
		sizeof(*grown), 64);
	if (!grown)
		return -1;
	g->nodelets = grown;
	g->nodelets[g->nnodelets++] = nl;
	return 0;
}

/* pprof's numericNodelets with collapsedTags: at most 4 boxes, the rest
 * merged into the nearest by value ("1kB..2kB"). */
static int numeric_nodelets(assembler *a, uint32_t node, int parent, tag_view *ts, size_t n,
	bool flat_tags)
{
	enum { MAX_NODELETS = 4 };
	sort_tags(ts, n, flat_tags);
	tag_view groups[MAX_NODELETS];
	size_t ngroups = n;
	if (n > MAX_NODELETS) {
		size_t member_group[4096];
		size_t *which = n <= 4096 ? member_group : hf__malloc(n * sizeof(size_t));
		if (!which)
			return -1;
		for (size_t i = MAX_NODELETS; i < n; i++) {
			size_t best = 0;
			double best_d = 0;
			for (size_t k = 0; k < MAX_NODELETS; k++) {
				const char *unit;
				double v = hf__measure_scale(ts[k].value, ts[k].unit, ts[i].unit, &unit);
				double d = v < (double)ts[i].value ? (double)ts[i].value - v : v - (double)ts[i].value;
				if (k == 0 || d < best_d) {
					best = k;
					best_d = d;
				}
			}
			which[i] = best;
		}
		for (size_t k = 0; k < MAX_NODELETS; k++) {
			const tag_view *min = &ts[k], *max = &ts[k];
			int64_t f = ts[k].flat, c = ts[k].cum;
			size_t members = 1;
			for (size_t i = MAX_NODELETS; i < n; i++) {
				if (which[i] != k)
					continue;
				const char *unit;
				members++;
				if ((int64_t)hf__measure_scale(ts[i].value, ts[i].unit, min->unit, &unit) < min->value)
					min = &ts[i];
				if ((int64_t)hf__measure_scale(ts[i].value, ts[i].unit, max->unit, &unit) > max->value)
					max = &ts[i];
				f = hf__wadd(f, ts[i].flat);
				c = hf__wadd(c, ts[i].cum);
			}
			groups[k] = ts[k];
			groups[k].flat = f;
			groups[k].cum = c;
			if (members > 1) {
				char lo[HF_LABEL_MAX], hi[HF_LABEL_MAX];
				hf__measure_scaled_label(lo, min->value, min->unit, "auto");
				hf__measure_scaled_label(hi, max->value, max->unit, "auto");
				size_t len = strlen(lo) + strlen(hi) + 3;
				char *name = hf__arena_alloc(&a->g->arena, len);
				if (!name) {
					if (which != member_group)
						hf__free(which);
					return -1;
				}
				snprintf(name, len, "%s..%s", lo, hi);
				groups[k].name = name;
				groups[k].len = strlen(name);
			}
		}
		if (which != member_group)
			hf__free(which);
		ngroups = MAX_NODELETS;
		sort_tags(groups, ngroups, flat_tags);
		ts = groups;
	}
	for (size_t j = 0; j < ngroups; j++) {
		int64_t w = ts[j].cum;
		bool dotted = true;
		if (flat_tags || ts[j].flat == ts[j].cum) {
			w = ts[j].flat;
			dotted = false;
		}
		if (w != 0 && add_nodelet(a, (hf__gnodelet){node, parent, (int)j, true, dotted, ts[j].name,
			ts[j].len, w}) != 0)
			return -1;
	}
	return 0;
}

/* pprof's addNodelets for node `node` of the graph. */
static int node_nodelets(assembler *a, uint32_t node, const gtag *const *tags, size_t ntags,
	bool flat_tags)
{
	enum { MAX_NODELETS = 4 };
	universe *u = a->u;
	tag_view *views = hf__malloc(hf__mul(ntags + 1, sizeof(*views)));
	tag_view *numeric = hf__malloc(hf__mul(ntags + 1, sizeof(*numeric)));
	int rc = -1;
	if (!views || !numeric)
		goto done;
	size_t nlabel = 0;
	for (size_t i = 0; i < ntags; i++)
		if (!tags[i]->numeric)
			views[nlabel++] = (tag_view){u->strings.names[tags[i]->group],
				u->strings.lens[tags[i]->group], "", 0, tags[i]->flat, tags[i]->cum,
				tags[i]->group};
	sort_tags(views, nlabel, flat_tags);
	if (nlabel > MAX_NODELETS)
		nlabel = MAX_NODELETS;
	for (size_t i = 0; i < nlabel; i++) {
		int64_t w = flat_tags ? views[i].flat : views[i].cum;
		if (w == 0)
			continue;
		if (add_nodelet(a, (hf__gnodelet){node, -1, (int)i, false, false, views[i].name,
			views[i].len, w}) != 0)
			goto done;
		size_t nn = 0;
		for (size_t t = 0; t < ntags; t++)
			if (tags[t]->numeric && tags[t]->group == views[i].group)
				numeric[nn++] = (tag_view){u->strings.names[tags[t]->name],
					u->strings.lens[tags[t]->name], u->bytes_unit,
					tags[t]->value, tags[t]->flat, tags[t]->cum, tags[t]->group};
		if (nn && numeric_nodelets(a, node, (int)i, numeric, nn, flat_tags) != 0)
			goto done;
	}
	size_t nn = 0;
	for (size_t t = 0; t < ntags; t++)
		if (tags[t]->numeric && tags[t]->group == 0)
			numeric[nn++] = (tag_view){u->strings.names[tags[t]->name],
					u->strings.lens[tags[t]->name], u->bytes_unit,
				tags[t]->value, tags[t]->flat, tags[t]->cum, 0};
	if (nn && numeric_nodelets(a, node, -1, numeric, nn, flat_tags) != 0)
		goto done;
	rc = 0;
done:
	hf__free(views);
	hf__free(numeric);
	return rc;
}

/* pprof's isRedundantEdge: is dst reachable from src another way? */
static bool redundant(const hf_graph *g, const uint32_t *in_start, const uint32_t *in_edges,
	const bool *removed, size_t e, bool *seen, uint32_t *queue)
{
	uint32_t src = g->edges[e].src, n = g->edges[e].dst;
	memset(seen, 0, g->nnodes * sizeof(bool));
	size_t head = 0, tail = 0;
	seen[n] = true;
	queue[tail++] = n;
	bool found = false;
	while (head < tail && !found) {
		uint32_t v = queue[head++];
		for (uint32_t k = in_start[v]; k < in_start[v + 1]; k++) {
			uint32_t ie = in_edges[k];
			if (removed[ie] || ie == e || seen[g->edges[ie].src])
				continue;
			if (g->edges[ie].src == src) {
				found = true;
				break;
			}
			seen[g->edges[ie].src] = true;
			queue[tail++] = g->edges[ie].src;
		}
	}
	return found;
}

static int remove_redundant_edges(hf_graph *g, hf_error *err)
{
	uint32_t *in_start = hf__calloc(g->nnodes + 2, sizeof(uint32_t));
	uint32_t *in_edges = hf__malloc(hf__mul(g->nedges + 1, sizeof(uint32_t)));
	bool *removed = hf__calloc(g->nedges + 1, sizeof(bool));
	bool *seen = hf__calloc(g->nnodes + 1, sizeof(bool));
	uint32_t *queue = hf__malloc(hf__mul(g->nnodes + 1, sizeof(uint32_t)));
	int rc = HF_OK;
	if (!in_start || !in_edges || !removed || !seen || !queue) {
		rc = hf__oom(err);
		goto done;
	}
	/* In-edges per node, in edge order (the edges are already sorted). */
	for (size_t e = 0; e < g->nedges; e++)
		in_start[g->edges[e].dst + 2]++;
	for (size_t v = 0; v < g->nnodes; v++)
		in_start[v + 2] += in_start[v + 1];
	for (size_t e = 0; e < g->nedges; e++)
		in_edges[in_start[g->edges[e].dst + 1]++] = (uint32_t)e;
	for (size_t v = g->nnodes; v-- > 0;) {
		for (uint32_t k = in_start[v + 1]; k-- > in_start[v];) {
			uint32_t e = in_edges[k];
			if (!g->edges[e].residual)
				break;
			if (redundant(g, in_start, in_edges, removed, e, seen, queue))
				removed[e] = true;
		}
	}
	size_t w = 0;
	for (size_t e = 0; e < g->nedges; e++)
		if (!removed[e])
			g->edges[w++] = g->edges[e];
	g->nedges = w;
done:
	hf__free(in_start);
	hf__free(in_edges);
	hf__free(removed);
	hf__free(seen);
	hf__free(queue);
	return rc;
}

/* Whether edge e of cur is in the graph (not removed, both ends kept);
 * *s and *d are then its ends' indexes among the graph's nodes. */
static bool shown_edge(const ginst *cur, const uint32_t *idx, size_t e, uint32_t *s, uint32_t *d)
{
	if (cur->eflags[e] & EDGE_REMOVED)
		return false;
	*s = idx[cur->esrc[e]];
	*d = idx[cur->edst[e]];
	return *s != HF_NONE && *d != HF_NONE;
}

int hf__graph_assemble(universe *u, ginst *cur, hf_graph *g, bool visual, bool edge_list)
{
	hf_error *err = u->err;
	uint32_t *idx = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	/* Without the edge list, no sorted copy of the edges either (on a
	 * profile of many functions, the largest thing alive at its point). */
	edge_item *items = hf__malloc(hf__mul((edge_list ? cur->nedges : 0) + 1, sizeof(*items)));
	const gtag **by_node = NULL;
	uint32_t *tag_start = NULL;
	int rc = HF_OK;
	if (!idx || !items) {
		rc = hf__oom(err);
		goto done;
	}
	memset(idx, 0xff, (u->ninfos + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < cur->nnodes; i++)
		idx[cur->nodes[i]] = (uint32_t)i;
	/* With zero_nodes, the nodes whose flat and cum summed to zero but
	 * which an edge still reaches follow the shown ones (pprof leaves
	 * them out of the graph's nodes, not out of their neighbours' edges). */
	size_t nhidden = 0;
	for (size_t e = 0; e < cur->nedges && u->zero_nodes; e++) {
		if (cur->eflags[e] & EDGE_REMOVED)
			continue;
		uint32_t ends[2] = {cur->esrc[e], cur->edst[e]};
		for (int k = 0; k < 2; k++)
			if (idx[ends[k]] == HF_NONE)
				idx[ends[k]] = (uint32_t)(cur->nnodes + nhidden++);
	}
	size_t nall = cur->nnodes + nhidden;
	g->nodes = hf__arena_calloc(&g->arena, nall + 1, sizeof(hf__gnode));
	if (!g->nodes) {
		rc = hf__oom(err);
		goto done;
	}
	/* The infos are copied: the universe goes away with the profile. */
	hf__ginfo *infos = hf__arena_calloc(&g->arena, nall + 1, sizeof(hf__ginfo));
	if (!infos) {
		rc = hf__oom(err);
		goto done;
	}
	for (uint32_t v = 0; v < u->ninfos; v++) {
		uint32_t i = idx[v];
		if (i == HF_NONE)
			continue;
		infos[i] = u->infos[v];
		g->nodes[i] = (hf__gnode){&infos[i], cur->flat[v], cur->cum[v], false, false};
	}
	g->nnodes = cur->nnodes;
	g->nhidden = nhidden;
	if (!edge_list) {
		/* The inline marks as the loop after the edge list sets them:
		 * over the same edges (no redundant ones are removed when not
		 * visual), in any order. */
		for (size_t e = 0; e < cur->nedges; e++) {
			uint32_t s, d;
			if (!shown_edge(cur, idx, e, &s, &d))
				continue;
			if (cur->eflags[e] & EDGE_INLINE)
				g->nodes[d].inline_in = true;
			else
				g->nodes[d].noinline_in = true;
		}
		goto done;
	}
	size_t n = 0;
	for (size_t e = 0; e < cur->nedges; e++) {
		uint32_t s, d;
		if (!shown_edge(cur, idx, e, &s, &d))
			continue;
		items[n].e = (hf__gedge){s, d, cur->eweight[e], (cur->eflags[e] & EDGE_RESIDUAL) != 0,
			(cur->eflags[e] & EDGE_INLINE) != 0};
		items[n].src = g->nodes[s].info->printable;
		items[n].dst = g->nodes[d].info->printable;
		n++;
	}
	qsort(items, n, sizeof(*items), cmp_edges);
	g->edges = hf__arena_calloc(&g->arena, n + 1, sizeof(hf__gedge));
	if (!g->edges) {
		rc = hf__oom(err);
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		g->edges[i] = items[i].e;
	g->nedges = n;
	if (visual && (rc = remove_redundant_edges(g, err)) != HF_OK)
		goto done;
	for (size_t e = 0; e < g->nedges; e++) {
		hf__gnode *d = &g->nodes[g->edges[e].dst];
		if (g->edges[e].is_inline)
			d->inline_in = true;
		else
			d->noinline_in = true;
	}
	if (!visual)
		goto done;

	/* Nodelets: the kept tags of each node, grouped by node. */
	bool *has_out = hf__calloc(g->nnodes + 1, sizeof(bool));
	tag_start = hf__calloc(g->nnodes + 2, sizeof(uint32_t));
	by_node = hf__malloc(hf__mul(cur->ntags + 1, sizeof(*by_node)));
	if (!has_out || !tag_start || !by_node) {
		hf__free(has_out);
		rc = hf__oom(err);
		goto done;
	}
	for (size_t e = 0; e < g->nedges; e++)
		has_out[g->edges[e].src] = true;
	for (size_t t = 0; t < cur->ntags; t++)
		if (!cur->tags[t].removed && idx[cur->tags[t].node] != HF_NONE)
			tag_start[idx[cur->tags[t].node] + 2]++;
	for (size_t v = 0; v < g->nnodes; v++)
		tag_start[v + 2] += tag_start[v + 1];
	for (size_t t = 0; t < cur->ntags; t++)
		if (!cur->tags[t].removed && idx[cur->tags[t].node] != HF_NONE)
			by_node[tag_start[idx[cur->tags[t].node] + 1]++] = &cur->tags[t];
	assembler a = {u, g, 0};
	for (size_t v = 0; v < g->nnodes && rc == HF_OK; v++) {
		size_t count = tag_start[v + 1] - tag_start[v];
		if (count && node_nodelets(&a, (uint32_t)v, by_node + tag_start[v], count, has_out[v]) != 0)
			rc = hf__oom(err);
	}
	hf__free(has_out);
done:
	hf__free(idx);
	hf__free(items);
	hf__free(by_node);
	hf__free(tag_start);
	return rc;
}

void hf__graph_value(const hf_graph *g, char out[HF_LABEL_MAX], int64_t v)
{
	hf__measure_scaled_label(out, v, g->sample_unit, g->output_unit);
}

int hf__graph_legend(hf_graph *g, const hf_profile *p, size_t si, const hf_graph_options *o,
	bool visual)
{
	hf__arena *ar = &g->arena;
	hf__report_labels *l = &g->legend;
	if (hf__measure_profile_labels(l, ar, p, si, g->total, g->output_unit) < 0)
		return -1;
	int rc = 0;
	if (o->nactive_filters) {
		rc |= hf__measure_labels_add(l, ar, "Active filters:");
		for (size_t i = 0; i < o->nactive_filters; i++) {
			const char *f = o->active_filters[i];
			if (strlen(f) > 80)
				rc |= hf__measure_labels_add(l, ar, "   %.80s\xe2\x80\xa6", f);
			else
				rc |= hf__measure_labels_add(l, ar, "   %s", f);
		}
	}
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		flat_sum = hf__wadd(flat_sum, g->nodes[i].flat);
	char a[HF_LABEL_MAX], b[HF_LABEL_MAX], c[HF_LABEL_MAX];
	hf__graph_value(g, a, flat_sum);
	hf__measure_percentage_trimmed(b, flat_sum, g->total);
	hf__graph_value(g, c, g->total);
	rc |= hf__measure_labels_add(l, ar, "Showing nodes accounting for %s, %s of %s total", a, b, c);
	if (g->total != 0) {
		if (g->dropped_nodes > 0) {
			hf__graph_value(g, a, abs64((int64_t)((double)g->total * o->nodefraction)));
			rc |= hf__measure_labels_add(l, ar, "Dropped %zu node%s (cum <= %s)", g->dropped_nodes,
				g->dropped_nodes > 1 ? "s" : "", a);
		}
		if (visual && g->dropped_edges > 0) {
			hf__graph_value(g, a, abs64((int64_t)((double)g->total * o->edgefraction)));
			rc |= hf__measure_labels_add(l, ar, "Dropped %zu edge%s (freq <= %s)", g->dropped_edges,
				g->dropped_edges > 1 ? "s" : "", a);
		}
		if (g->nnodes > 0 && g->nnodes < g->orig_count)
			rc |= hf__measure_labels_add(l, ar, "Showing top %zu nodes out of %zu", g->nnodes,
				g->orig_count);
	}
	if (visual)
		rc |= hf__measure_labels_add(l, ar, "\nSee https://git.io/JfYMW for how to read the graph");
	return rc;
}

