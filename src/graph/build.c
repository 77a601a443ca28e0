/*
 * Building the call graph from a profile, as pprof's graph.New and
 * report.newTrimmedGraph do: the node universe once, then graph instances
 * over shrinking kept sets (node fraction, node count), sorted and
 * trimmed, and the last one assembled into the hf_graph.
 */
#include "build.h"

#include <string.h>

/* The sample type the options pick (*si), and options and values a graph
 * can be built from. */
static int check_options(const hf_profile *p, const hf_graph_options *o, size_t *si,
	hf_error *err)
{
	if (p->nsample_types == 0)
		return hf__error(err, HF_EINVALID, "the profile has no sample types");
	if (o->sample_index < 0)
		*si = hf_profile_default_sample_index(p);
	else if ((size_t)o->sample_index < p->nsample_types)
		*si = (size_t)o->sample_index;
	else
		return hf__error(err, HF_ENOTFOUND, "no sample type %ld", o->sample_index);
	if ((unsigned)o->granularity > HF_GRANULARITY_ADDRESSES)
		return hf__error(err, HF_EINVALID, "unknown granularity %d", (int)o->granularity);
	if (o->nodefraction < 0 || o->edgefraction < 0 || !(o->nodefraction <= 1) || !(o->edgefraction <= 1))
		return hf__error(err, HF_EINVALID, "node and edge fractions must be between 0 and 1");
	/* Every flat, cum and edge weight sums some samples' values: when the
	 * magnitudes sum within 64 bits, none of those sums can overflow. */
	return hf__profile_check_magnitudes(p, *si, err);
}

/* What the graph shows beside its nodes: pprof's selectOutputUnit from the
 * kept nodes, the title, the legend. */
static int finish_graph(hf_graph *g, const hf_profile *p, size_t si, const hf_graph_options *o,
	bool visual, hf_error *err)
{
	g->sample_unit = hf__arena_strndup(&g->arena, p->sample_types[si].unit,
		strlen(p->sample_types[si].unit));
	if (!g->sample_unit)
		return hf__oom(err);
	int64_t *flats = hf__malloc(hf__mul(g->nnodes + 1, sizeof(int64_t)));
	int64_t *cums = hf__malloc(hf__mul(g->nnodes + 1, sizeof(int64_t)));
	if (flats && cums) {
		for (size_t i = 0; i < g->nnodes; i++) {
			flats[i] = g->nodes[i].flat;
			cums[i] = g->nodes[i].cum;
		}
		g->output_unit = hf__measure_output_unit(flats, cums, g->nnodes, g->total, g->sample_unit);
	}
	hf__free(flats);
	hf__free(cums);
	if (!g->output_unit)
		return hf__oom(err);
	const char *title = "";
	if (p->nmappings > 0 && p->mappings[0].filename && p->mappings[0].filename[0]) {
		title = hf__graph_base_name(p->mappings[0].filename);
		title = hf__arena_strndup(&g->arena, title, strlen(title));
	}
	g->title = title;
	if (!title || hf__graph_legend(g, p, si, o, visual) != 0)
		return hf__oom(err);
	return HF_OK;
}

/* `consume` (p itself, or NULL): the caller frees p after the graph, so
 * its locations and lines go once the node universe has read them (the
 * instances walk the samples' location indexes through the universe). */
static int build(hf_graph **out, const hf_profile *p, hf_profile *consume,
	const hf_graph_options *opts, bool visual, bool zero_nodes, bool edge_list, hf_error *err)
{
	static const hf_graph_options defaults = HF_GRAPH_OPTIONS_INIT;
	const hf_graph_options *o = opts ? opts : &defaults;
	*out = NULL;
	size_t si = 0;
	int rc = check_options(p, o, &si, err);
	if (rc != HF_OK)
		return rc;
	hf_graph *g = hf__calloc(1, sizeof(*g));
	if (!g)
		return hf__oom(err);
	universe u;
	ginst cur;
	bool *kept = NULL;
	memset(&cur, 0, sizeof(cur));
	rc = hf__graph_universe_init(&u, p, &g->arena, si, o->granularity, visual, err);
	u.zero_nodes = zero_nodes;
	if (rc != HF_OK)
		goto done;
	if (consume)
		hf__profile_drop_locations(consume);
	g->total = o->total ? o->total : hf__measure_report_total(p, si);
	g->nodefraction = o->nodefraction;
	g->edgefraction = o->edgefraction;
	long nodecount = o->nodecount < 0 ? (visual ? 80 : 0) : o->nodecount;

	/* pprof builds the whole graph first only to find the nodes under the
	 * node fraction; their flat and cum need no edges. */
	if ((rc = hf__graph_inst_build(&u, &cur, NULL, false, false)) != HF_OK)
		goto done;
	int64_t flat_sum = 0;
	for (size_t i = 0; i < cur.nnodes; i++)
		flat_sum = hf__wadd(flat_sum, cur.flat[cur.nodes[i]]);
	int64_t node_cutoff = abs64((int64_t)((double)flat_sum * o->nodefraction));
	int64_t edge_cutoff = abs64((int64_t)((double)flat_sum * o->edgefraction));
	if (node_cutoff > 0) {
		size_t nkept = 0;
		for (size_t i = 0; i < cur.nnodes; i++)
			if (abs64(cur.cum[cur.nodes[i]]) >= node_cutoff)
				cur.nodes[nkept++] = cur.nodes[i];
		if (nkept != cur.nnodes) {
			g->dropped_nodes = cur.nnodes - nkept;
			if ((rc = hf__graph_kept_set(&u, cur.nodes, nkept, &kept)) != HF_OK)
				goto done;
		}
	}
	hf__graph_inst_dispose(&cur);
	if ((rc = hf__graph_inst_build(&u, &cur, kept, false, true)) != HF_OK)
		goto done;
	g->orig_count = cur.nnodes;
	if ((rc = hf__graph_inst_sort(&u, &cur, o->cum, visual)) != HF_OK)
		goto done;
	if (nodecount > 0) {
		/* hf__graph_select_top looks at the tags of at most the first nodecount
		 * nodes; when it keeps them all, these are all the tags. */
		if (visual && (rc = hf__graph_inst_tags(&u, &cur, kept, (size_t)nodecount)) != HF_OK)
			goto done;
		hf__graph_trim_tags(&cur, node_cutoff);
		hf__graph_trim_edges(&cur, edge_cutoff);
		size_t top = 0;
		if ((rc = hf__graph_select_top(&u, &cur, (size_t)nodecount, visual, &top)) != HF_OK)
			goto done;
		if (top != cur.nnodes) {
			if ((rc = hf__graph_kept_set(&u, cur.nodes, top, &kept)) != HF_OK)
				goto done;
			/* The kept nodes are among those whose tags were just
			 * added, and a node's tags do not depend on the kept set:
			 * they move over instead of being added again. */
			ginst tags = {0};
			hf__graph_inst_move_tags(&tags, &cur);
			hf__graph_inst_dispose(&cur);
			rc = hf__graph_inst_build(&u, &cur, kept, false, true);
			hf__graph_inst_move_tags(&cur, &tags);
			hf__graph_inst_dispose(&tags);
			if (rc != HF_OK || (rc = hf__graph_inst_sort(&u, &cur, o->cum, visual)) != HF_OK)
				goto done;
		}
	}
	if (visual && !cur.has_tags && (rc = hf__graph_inst_tags(&u, &cur, kept, cur.nnodes)) != HF_OK)
		goto done;
	hf__graph_trim_tags(&cur, node_cutoff);
	g->dropped_edges = hf__graph_trim_edges(&cur, edge_cutoff);
	if ((rc = hf__graph_assemble(&u, &cur, g, visual, edge_list)) != HF_OK)
		goto done;

	rc = finish_graph(g, p, si, o, visual, err);
done:
	hf__free(kept);
	hf__graph_inst_dispose(&cur);
	hf__graph_universe_dispose(&u);
	if (rc != HF_OK) {
		hf_graph_free(g);
		return rc;
	}
	*out = g;
	return HF_OK;
}

int hf__graph_build(hf_graph **out, const hf_profile *p, const hf_graph_options *opts,
	bool visual, hf_error *err)
{
	return build(out, p, NULL, opts, visual, false, true, err);
}

int hf__graph_build_peek(hf_graph **out, const hf_profile *p, const hf_graph_options *opts,
	hf_error *err)
{
	return build(out, p, NULL, opts, false, true, true, err);
}

int hf__graph_build_nodes(hf_graph **out, const hf_profile *p, const hf_graph_options *opts,
	hf_error *err)
{
	return build(out, p, NULL, opts, false, false, false, err);
}

int hf__graph_build_nodes_free(hf_graph **out, hf_profile *p, const hf_graph_options *opts,
	hf_error *err)
{
	int rc = build(out, p, p, opts, false, false, false, err);
	hf_profile_free(p);
	return rc;
}

int hf_graph_build(hf_graph **out, const hf_profile *profile, const hf_graph_options *opts,
	hf_error *err)
{
	if (!out || !profile)
		return hf__error(err, HF_EINVALID, "hf_graph_build: NULL argument");
	*out = NULL;
	hf_graph *g;
	int rc = hf__graph_build(&g, profile, opts, true, err);
	if (rc != HF_OK)
		return rc;
	if (g->nnodes == 0) {
		const char *type = profile->sample_types[opts && opts->sample_index >= 0 ?
			(size_t)opts->sample_index : hf_profile_default_sample_index(profile)].type;
		hf_graph_free(g);
		return hf__error(err, HF_ENOTFOUND, "no samples with a non-zero %s value: nothing to draw",
			type);
	}
	*out = g;
	return HF_OK;
}

void hf_graph_free(hf_graph *graph)
{
	if (!graph)
		return;
	hf__arena_dispose(&graph->arena);
	hf__free(graph);
}

size_t hf_graph_node_count(const hf_graph *graph)
{
	return graph ? graph->nnodes : 0;
}
