/* Ordering and trimming a graph instance: pprof's SortNodes (entropy,
 * cum or flat), the node, edge and tag cutoffs, selectTopNodes. */
#include "build.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sort_item {
	uint32_t node;
	int64_t score, flat, cum;
	const hf__ginfo *info;
} sort_item;

/* fmt.Sprint of a NodeInfo: pprof's final tie-break. */
static char *info_string(const hf__ginfo *i)
{
	int n = snprintf(NULL, 0, "{%s  %" PRIu64 " %s %" PRId64 " %" PRId64 " %s}", i->name,
		i->address, i->file, i->start_line, i->lineno, i->objfile);
	char *s = n >= 0 ? hf__malloc((size_t)n + 1) : NULL;
	if (s)
		snprintf(s, (size_t)n + 1, "{%s  %" PRIu64 " %s %" PRId64 " %" PRId64 " %s}", i->name,
			i->address, i->file, i->start_line, i->lineno, i->objfile);
	return s;
}

static int compare_infos(const hf__ginfo *a, const hf__ginfo *b)
{
	char *sa = info_string(a), *sb = info_string(b);
	int c = sa && sb ? strcmp(sa, sb) : strcmp(a->printable, b->printable);
	hf__free(sa);
	hf__free(sb);
	return c;
}

/* Score order (cum or entropy): |score| desc, name, |flat| desc. */
static int cmp_score(const void *pa, const void *pb)
{
	const sort_item *a = pa, *b = pb;
	if (abs64(a->score) != abs64(b->score))
		return abs64(a->score) > abs64(b->score) ? -1 : 1;
	int c = strcmp(a->info->printable, b->info->printable);
	if (c)
		return c;
	if (abs64(a->flat) != abs64(b->flat))
		return abs64(a->flat) > abs64(b->flat) ? -1 : 1;
	return compare_infos(a->info, b->info);
}

/* Flat order: |flat| desc, name, |cum| desc. */
static int cmp_flat(const void *pa, const void *pb)
{
	const sort_item *a = pa, *b = pb;
	if (abs64(a->flat) != abs64(b->flat))
		return abs64(a->flat) > abs64(b->flat) ? -1 : 1;
	int c = strcmp(a->info->printable, b->info->printable);
	if (c)
		return c;
	if (abs64(a->cum) != abs64(b->cum))
		return abs64(a->cum) > abs64(b->cum) ? -1 : 1;
	return compare_infos(a->info, b->info);
}

/* pprof's entropyScore for every present node of g. */
static int entropy_scores(universe *u, ginst *g, int64_t *score)
{
	size_t n = u->ninfos + 1;
	double *in_total = hf__calloc(n, sizeof(double)), *out_total = hf__calloc(n, sizeof(double));
	double *in_sum = hf__calloc(n, sizeof(double)), *out_sum = hf__calloc(n, sizeof(double));
	uint32_t *in_count = hf__calloc(n, sizeof(uint32_t)), *out_count = hf__calloc(n, sizeof(uint32_t));
	int rc = HF_OK;
	if (!in_total || !out_total || !in_sum || !out_sum || !in_count || !out_count) {
		rc = hf__oom(u->err);
		goto done;
	}
	for (size_t i = 0; i < g->nnodes; i++)
		out_total[g->nodes[i]] = (double)g->flat[g->nodes[i]];
	for (size_t e = 0; e < g->nedges; e++) {
		if (g->eflags[e] & EDGE_REMOVED)
			continue;
		in_count[g->edst[e]]++;
		out_count[g->esrc[e]]++;
		if (g->eweight[e] > 0) {
			in_total[g->edst[e]] += (double)g->eweight[e];
			out_total[g->esrc[e]] += (double)g->eweight[e];
		}
	}
	for (size_t e = 0; e < g->nedges; e++) {
		if (g->eflags[e] & EDGE_REMOVED)
			continue;
		double w = (double)abs64(g->eweight[e]);
		uint32_t d = g->edst[e], s = g->esrc[e];
		if (in_total[d] != 0) {
			double frac = w / in_total[d];
			in_sum[d] += -frac * log2(frac);
		}
		if (out_total[s] != 0) {
			double frac = w / out_total[s];
			out_sum[s] += -frac * log2(frac);
		}
	}
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t v = g->nodes[i];
		double sc = 0;
		sc += in_count[v] == 0 ? 1 : in_sum[v];
		if (out_count[v] == 0) {
			sc += 1;
		} else {
			double self = out_sum[v];
			if (g->flat[v] > 0 && out_total[v] != 0) {
				double frac = (double)g->flat[v] / out_total[v];
				self += -frac * log2(frac);
			}
			sc += self;
		}
		/* Go's int64() of NaN or an out-of-range float is INT64_MIN on
		 * amd64; in C the conversion is undefined, so spell it out. */
		double prod = sc * (double)g->cum[v];
		int64_t conv = prod >= -9223372036854775808.0 && prod < 9223372036854775808.0
			? (int64_t)prod : INT64_MIN;
		score[v] = (int64_t)((uint64_t)conv + (uint64_t)g->flat[v]);
	}
done:
	hf__free(in_total);
	hf__free(out_total);
	hf__free(in_sum);
	hf__free(out_sum);
	hf__free(in_count);
	hf__free(out_count);
	return rc;
}

/* pprof's SortNodes: entropy (visual), cum, or flat order. */
int hf__graph_inst_sort(universe *u, ginst *g, bool cum, bool visual)
{
	sort_item *items = hf__malloc(hf__mul(g->nnodes + 1, sizeof(*items)));
	int64_t *score = visual ? hf__calloc(u->ninfos + 1, sizeof(int64_t)) : NULL;
	if (!items || (visual && !score)) {
		hf__free(items);
		hf__free(score);
		return hf__oom(u->err);
	}
	if (visual && entropy_scores(u, g, score) != HF_OK) {
		hf__free(items);
		hf__free(score);
		return u->err ? u->err->code : HF_ENOMEM;
	}
	for (size_t i = 0; i < g->nnodes; i++) {
		uint32_t v = g->nodes[i];
		items[i] = (sort_item){v, visual ? score[v] : g->cum[v], g->flat[v], g->cum[v], &u->infos[v]};
	}
	qsort(items, g->nnodes, sizeof(*items), visual || cum ? cmp_score : cmp_flat);
	for (size_t i = 0; i < g->nnodes; i++)
		g->nodes[i] = items[i].node;
	hf__free(items);
	hf__free(score);
	return HF_OK;
}

void hf__graph_trim_tags(ginst *g, int64_t cutoff)
{
	for (size_t t = 0; t < g->ntags; t++)
		if (abs64(g->tags[t].flat) < cutoff && abs64(g->tags[t].cum) < cutoff)
			g->tags[t].removed = true;
}

size_t hf__graph_trim_edges(ginst *g, int64_t cutoff)
{
	size_t dropped = 0;
	for (size_t e = 0; e < g->nedges; e++)
		if (!(g->eflags[e] & EDGE_REMOVED) && abs64(g->eweight[e]) < cutoff) {
			g->eflags[e] |= EDGE_REMOVED;
			dropped++;
		}
	return dropped;
}

/* pprof's selectTopNodes: in visual mode nodelets count as nodes. */
int hf__graph_select_top(universe *u, ginst *g, size_t max_nodes, bool visual, size_t *out)
{
	if (max_nodes > 0 && visual) {
		uint32_t *flat_tags = hf__calloc(u->ninfos + 1, sizeof(uint32_t));
		if (!flat_tags)
			return hf__oom(u->err);
		for (size_t t = 0; t < g->ntags; t++)
			if (!g->tags[t].removed && g->tags[t].flat != 0)
				flat_tags[g->tags[t].node]++;
		size_t count = 0;
		for (size_t i = 0; i < g->nnodes; i++) {
			size_t ntags = flat_tags[g->nodes[i]];
			count += (ntags > 4 ? 4 : ntags) + 1;
			if (count >= max_nodes) {
				max_nodes = i + 1;
				break;
			}
		}
		hf__free(flat_tags);
	}
	*out = max_nodes < g->nnodes ? max_nodes : g->nnodes;
	return HF_OK;
}

int hf__graph_kept_set(universe *u, const uint32_t *nodes, size_t n, bool **out)
{
	hf__free(*out);
	*out = hf__calloc(u->ninfos + 1, sizeof(bool));
	if (!*out)
		return hf__oom(u->err);
	for (size_t i = 0; i < n; i++)
		(*out)[nodes[i]] = true;
	return HF_OK;
}
