/*
 * Building the call graph from a profile, as pprof's graph.New and
 * report.newTrimmedGraph do: nodes are NodeInfos (function, or function
 * and line), each sample adds its value to the cum of every distinct node
 * on its stack, to the flat of its leaf and to every distinct caller ->
 * callee edge; nodes left out of a kept set turn the edges across them
 * into residual ones.
 */
#include "build.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small open-addressing map from 64-bit keys to 32-bit values ---- */

static void map_dispose(u64map *m)
{
	hf__free(m->keys);
	hf__free(m->vals);
	memset(m, 0, sizeof(*m));
}

static size_t map_slot(const u64map *m, uint64_t key)
{
	/* Keys are two 32-bit ids: one multiply, then the high half (which
	 * every key bit reaches) folded onto the low bits the mask keeps. */
	uint64_t h = key * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h ^ h >> 32) & (m->cap - 1);
	while (m->vals[i] != HF_NONE && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int map_grow(u64map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	u64map n = {hf__malloc(hf__mul(cap, sizeof(uint64_t))),
		hf__malloc(hf__mul(cap, sizeof(uint32_t))), cap, m->count};
	if (!n.keys || !n.vals) {
		map_dispose(&n);
		return -1;
	}
	memset(n.vals, 0xff, cap * sizeof(uint32_t));
	for (size_t i = 0; i < m->cap; i++)
		if (m->vals[i] != HF_NONE) {
			size_t s = map_slot(&n, m->keys[i]);
			n.keys[s] = m->keys[i];
			n.vals[s] = m->vals[i];
		}
	map_dispose(m);
	*m = n;
	return 0;
}

/* The value for key, or `fresh` stored for it. HF_NONE when out of memory. */
static uint32_t map_get_or_add(u64map *m, uint64_t key, uint32_t fresh, bool *added)
{
	if ((m->count + 1) * 2 > m->cap && map_grow(m) != 0)
		return HF_NONE;
	size_t s = map_slot(m, key);
	*added = m->vals[s] == HF_NONE;
	if (*added) {
		m->keys[s] = key;
		m->vals[s] = fresh;
		m->count++;
	}
	return m->vals[s];
}

/* ---- the node universe: every NodeInfo the profile can produce ---- */

static void universe_dispose(universe *u)
{
	hf__intern_dispose(&u->keys);
	hf__intern_dispose(&u->strings);
	hf__arena_dispose(&u->scratch);
	hf__free(u->infos);
	hf__free(u->loc_start);
	hf__free(u->loc_nodes);
	hf__free(u->fn_info);
	hf__free(u->sample_group);
	hf__free(u->sample_tag_start);
	hf__free(u->tag_kind);
	hf__free(u->tag_value);
	map_dispose(&u->kinds);
	hf__free(u->kind_group);
	hf__free(u->kind_name);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* The file name as pprof shows it (filepath.Clean), in the arena. */
static char *clean_path(hf_arena *arena, const char *path)
{
	size_t len = strlen(path);
	char *out = hf__arena_alloc(arena, len + 2);
	if (out)
		hf__path_clean(out, path, len);
	return out;
}

static uint32_t info_intern(universe *u, const char *name, size_t nlen, const char *file,
	size_t flen, const char *objfile, size_t olen, const char *num, size_t numlen,
	int64_t lineno, int64_t start_line, uint64_t address);

/* Finds or adds the info for one Line of a location (NULL line: none). */
static uint32_t info_for(universe *u, const hf_location *loc, const hf_line *line)
{
	const char *objfile = loc->mapping && loc->mapping->filename ? loc->mapping->filename : "";
	const char *name = "", *file = "";
	int64_t lineno = 0, start_line = 0;
	uint32_t *cached = NULL;
	hf_granularity gran = u->granularity;
	/* pprof's Aggregate: what each granularity keeps of a location. */
	bool keep_name = gran != HF_GRANULARITY_FILES;
	bool keep_file = gran != HF_GRANULARITY_FUNCTIONS;
	bool keep_line = gran == HF_GRANULARITY_LINES || gran == HF_GRANULARITY_ADDRESSES;
	uint64_t address = gran == HF_GRANULARITY_ADDRESSES ? loc->address : 0;
	if (line && line->function && (gran == HF_GRANULARITY_FUNCTIONS ||
		gran == HF_GRANULARITY_FILEFUNCTIONS)) {
		/* A named function's node is its name (and file) alone: looked
		 * up once. */
		cached = &u->fn_info[line->function - u->p->functions];
		if (*cached != HF_NONE)
			return *cached;
	}
	if (line && line->function) {
		name = keep_name ? hf__measure_function_name(&u->scratch, u->p, line->function) : "";
		if (!name)
			return HF_NONE;
		if (!name[0])
			cached = NULL;
		if (keep_line)
			lineno = line->line;
		if (keep_file)
			file = line->function->filename ? line->function->filename : "";
		if (name[0])
			objfile = "";
		else
			start_line = line->function->start_line;
	}
	size_t nlen = strlen(name), flen = strlen(file), olen = strlen(objfile);
	char num[80];
	int numlen = snprintf(num, sizeof(num), "%" PRId64 ":%" PRId64 ":%" PRIu64, lineno,
		start_line, address);
	uint32_t id = info_intern(u, name, nlen, file, flen, objfile, olen, num, (size_t)numlen,
		lineno, start_line, address);
	if (cached && id != HF_NONE)
		*cached = id;
	return id;
}

/* The info for one key, added with its strings when new. */
static uint32_t info_intern(universe *u, const char *name, size_t nlen, const char *file,
	size_t flen, const char *objfile, size_t olen, const char *num, size_t numlen,
	int64_t lineno, int64_t start_line, uint64_t address)
{
	size_t klen = nlen + flen + olen + numlen + 3;
	char *key = hf__arena_alloc(&u->scratch, klen);
	if (!key)
		return HF_NONE;
	char *k = key;
	memcpy(k, name, nlen + 1);
	k += nlen + 1;
	memcpy(k, file, flen + 1);
	k += flen + 1;
	memcpy(k, objfile, olen + 1);
	k += olen + 1;
	memcpy(k, num, numlen);
	uint32_t id = hf__intern_get(&u->keys, key, klen);
	if (id == HF_NONE || id < u->ninfos)
		return id;
	hf_ginfo *infos = hf__grow(u->infos, &u->cap, u->ninfos, sizeof(*infos), 256);
	if (!infos)
		return HF_NONE;
	u->infos = infos;
	hf_ginfo *info = &u->infos[u->ninfos++];
	info->name = hf__arena_strndup(u->arena, name, nlen);
	info->file = flen ? clean_path(u->arena, file) : "";
	info->objfile = hf__arena_strndup(u->arena, objfile, olen);
	info->lineno = lineno;
	info->start_line = start_line;
	info->address = address;
	if (!info->name || !info->file || !info->objfile)
		return HF_NONE;
	/* PrintableName: the address, the name, then file:line / file /
	 * [objfile] / <unknown>. */
	const char *obj_base = base_name(info->objfile);
	size_t plen = nlen + strlen(info->file) + strlen(obj_base) + 96;
	char *printable = hf__arena_alloc(u->arena, plen);
	if (!printable)
		return HF_NONE;
	size_t w = 0;
	if (address != 0)
		w = (size_t)snprintf(printable, plen, "%016" PRIx64 " ", address);
	const char *sep = nlen ? " " : "";
	if (lineno != 0)
		snprintf(printable + w, plen - w, "%s%s%s:%" PRId64, info->name, sep, info->file, lineno);
	else if (info->file[0])
		snprintf(printable + w, plen - w, "%s%s%s", info->name, sep, info->file);
	else if (nlen)
		snprintf(printable + w, plen - w, "%s", info->name);
	else if (olen)
		snprintf(printable + w, plen - w, "[%s]", obj_base);
	else
		snprintf(printable + w, plen - w, "<unknown>");
	info->printable = printable;
	return id;
}

static int cmp_label_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The kind id of (group, name) tags; name HF_NONE for the label group. */
static uint32_t kind_id(universe *u, uint32_t group, uint32_t name)
{
	bool added;
	uint32_t k = map_get_or_add(&u->kinds, (uint64_t)group << 32 | name, (uint32_t)u->nkinds,
		&added);
	if (k == HF_NONE || !added)
		return k;
	if (u->nkinds == u->kinds_cap) {
		size_t cap = u->kinds_cap ? u->kinds_cap * 2 : 64;
		uint32_t *g = hf__realloc(u->kind_group, hf__mul(cap, sizeof(uint32_t)));
		if (g)
			u->kind_group = g;
		uint32_t *n = hf__realloc(u->kind_name, hf__mul(cap, sizeof(uint32_t)));
		if (n)
			u->kind_name = n;
		if (!g || !n)
			return HF_NONE;
		u->kinds_cap = cap;
	}
	u->kind_group[k] = group;
	u->kind_name[k] = name;
	u->nkinds++;
	return k;
}

/* Per sample: the joined string labels (pprof's joinLabels) and the
 * formatted "bytes" numeric labels, as tag kinds. Text reports show no
 * tags, so they skip all of it (visual false). */
static int prepare_samples(universe *u, bool visual)
{
	const hf_profile *p = u->p;
	size_t ntags = 0;
	if (visual)
		for (size_t s = 0; s < p->nsamples; s++)
			for (size_t l = 0; l < p->samples[s].nlabels; l++)
				ntags += !p->samples[s].labels[l].str ||
					strcmp(p->samples[s].labels[l].key, "pprof::base") != 0;
	u->sample_group = hf__calloc(p->nsamples + 1, sizeof(uint32_t));
	u->sample_tag_start = hf__calloc(p->nsamples + 1, sizeof(uint32_t));
	u->tag_kind = hf__malloc(hf__mul(ntags + 1, sizeof(uint32_t)));
	u->tag_value = hf__malloc(hf__mul(ntags + 1, sizeof(int64_t)));
	if (!u->sample_group || !u->sample_tag_start || !u->tag_kind || !u->tag_value)
		return hf__oom(u->err);
	if (hf__intern_get(&u->strings, "", 0) != 0)
		return hf__oom(u->err);
	if (!visual)
		return HF_OK;
	u->bytes_unit = hf__measure_num_label_unit(p, "bytes");
	u64map labels = {0}; /* "bytes" value -> its formatted label's id */
	int rc = HF_OK;
	uint32_t nt = 0;
	for (size_t s = 0; s < p->nsamples && rc == HF_OK; s++) {
		const hf_sample *smp = &p->samples[s];
		u->sample_tag_start[s] = nt;
		size_t nstr = 0, total_len = 0;
		for (size_t l = 0; l < smp->nlabels; l++) {
			const hf_label *lb = &smp->labels[l];
			if (lb->str && !strcmp(lb->key, "pprof::base")) {
				continue; /* pprof removes the diff-base marker first */
			} else if (lb->str) {
				nstr++;
				total_len += strlen(lb->key) + strlen(lb->str) + 3;
			}
		}
		uint32_t group = 0;
		if (nstr > 0) {
			const char **parts = hf__arena_alloc(&u->scratch, nstr * sizeof(*parts));
			char *joined = hf__arena_alloc(&u->scratch, total_len + 1);
			if (!parts || !joined) {
				rc = hf__oom(u->err);
				break;
			}
			size_t k = 0;
			for (size_t l = 0; l < smp->nlabels && rc == HF_OK; l++) {
				const hf_label *lb = &smp->labels[l];
				if (!lb->str || !strcmp(lb->key, "pprof::base"))
					continue;
				size_t klen = strlen(lb->key), vlen = strlen(lb->str);
				char *part = hf__arena_alloc(&u->scratch, klen + vlen + 2);
				if (!part) {
					rc = hf__oom(u->err);
					break;
				}
				memcpy(part, lb->key, klen);
				part[klen] = ':';
				memcpy(part + klen + 1, lb->str, vlen + 1);
				parts[k++] = part;
			}
			if (rc != HF_OK)
				break;
			qsort(parts, nstr, sizeof(*parts), cmp_label_strings);
			size_t w = 0;
			for (size_t i = 0; i < nstr; i++) {
				/* NUL between parts: the group stays raw and its parts
				 * found again (pprof joins with a literal \n, which
				 * the DOT writer puts between the escaped parts). */
				if (i)
					joined[w++] = '\0';
				size_t n = strlen(parts[i]);
				memcpy(joined + w, parts[i], n);
				w += n;
			}
			group = hf__intern_get(&u->strings, joined, w);
			uint32_t kind = group == HF_NONE ? HF_NONE : kind_id(u, group, HF_NONE);
			if (kind == HF_NONE) {
				rc = hf__oom(u->err);
				break;
			}
			u->sample_group[s] = group;
			u->tag_kind[nt] = kind;
			u->tag_value[nt++] = 0;
		}
		for (size_t l = 0; l < smp->nlabels; l++) {
			const hf_label *lb = &smp->labels[l];
			if (lb->str || strcmp(lb->key, "bytes") != 0 ||
				(lb->num == 0 && !(lb->num_unit && lb->num_unit[0])))
				continue;
			/* Few distinct sizes: each is formatted once. */
			bool added;
			uint32_t name = map_get_or_add(&labels, (uint64_t)lb->num, 0, &added);
			if (name != HF_NONE && added) {
				char label[HF_LABEL_MAX];
				hf__measure_scaled_label(label, lb->num, u->bytes_unit, "minimum");
				name = hf__intern_get(&u->strings, label, strlen(label));
				if (name != HF_NONE)
					labels.vals[map_slot(&labels, (uint64_t)lb->num)] = name;
			}
			uint32_t kind = name == HF_NONE ? HF_NONE : kind_id(u, group, name);
			if (kind == HF_NONE) {
				rc = hf__oom(u->err);
				break;
			}
			u->tag_kind[nt] = kind;
			u->tag_value[nt++] = lb->num;
		}
	}
	u->sample_tag_start[p->nsamples] = nt;
	map_dispose(&labels);
	return rc;
}

static int universe_init(universe *u, const hf_profile *p, hf_arena *arena, size_t sample_index,
	hf_granularity granularity, bool visual, hf_error *err)
{
	memset(u, 0, sizeof(*u));
	u->p = p;
	u->arena = arena;
	u->sample_index = sample_index;
	u->granularity = granularity;
	u->err = err;
	hf__intern_init(&u->keys, &u->scratch);
	hf__intern_init(&u->strings, arena);
	size_t total = 0;
	for (size_t i = 0; i < p->nlocations; i++)
		total += p->locations[i].nlines ? p->locations[i].nlines : 1;
	if (total >= HF_NONE)
		return hf__error(err, HF_ELIMIT, "too many frames");
	u->loc_start = hf__malloc(hf__mul(p->nlocations + 1, sizeof(uint32_t)));
	u->loc_nodes = hf__malloc(hf__mul(total + 1, sizeof(uint32_t)));
	u->fn_info = hf__malloc(hf__mul(p->nfunctions + 1, sizeof(uint32_t)));
	if (!u->loc_start || !u->loc_nodes || !u->fn_info)
		return hf__oom(err);
	memset(u->fn_info, 0xff, (p->nfunctions + 1) * sizeof(uint32_t));
	uint32_t n = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const hf_location *loc = &p->locations[i];
		u->loc_start[i] = n;
		if (loc->nlines == 0) {
			if ((u->loc_nodes[n++] = info_for(u, loc, NULL)) == HF_NONE)
				return hf__oom(err);
		}
		for (size_t l = 0; l < loc->nlines; l++)
			if ((u->loc_nodes[n++] = info_for(u, loc, &loc->lines[l])) == HF_NONE)
				return hf__oom(err);
	}
	u->loc_start[p->nlocations] = n;
	return prepare_samples(u, visual);
}

/* ---- one graph built from the samples over a kept set ---- */

static void inst_dispose(ginst *g)
{
	hf__free(g->flat);
	hf__free(g->cum);
	hf__free(g->stamp);
	hf__free(g->esrc);
	hf__free(g->edst);
	hf__free(g->estamp);
	hf__free(g->eweight);
	hf__free(g->eflags);
	map_dispose(&g->edge_map);
	hf__free(g->last_src);
	hf__free(g->last_edge);
	hf__free(g->tags);
	map_dispose(&g->tag_map);
	hf__free(g->nodes);
	memset(g, 0, sizeof(*g));
}

static uint32_t edge_get(ginst *g, uint32_t src, uint32_t dst, bool *added)
{
	uint32_t e = map_get_or_add(&g->edge_map, (uint64_t)src << 32 | dst, (uint32_t)g->nedges, added);
	if (e == HF_NONE || !*added)
		return e;
	if (g->nedges == g->ecap) {
		size_t cap = g->ecap ? g->ecap * 2 : 1024;
		uint32_t *s = hf__realloc(g->esrc, cap * sizeof(uint32_t));
		if (s) g->esrc = s;
		uint32_t *d = hf__realloc(g->edst, cap * sizeof(uint32_t));
		if (d) g->edst = d;
		uint32_t *st = hf__realloc(g->estamp, cap * sizeof(uint32_t));
		if (st) g->estamp = st;
		int64_t *w = hf__realloc(g->eweight, cap * sizeof(int64_t));
		if (w) g->eweight = w;
		uint8_t *f = hf__realloc(g->eflags, cap);
		if (f) g->eflags = f;
		if (!s || !d || !st || !w || !f)
			return HF_NONE;
		g->ecap = cap;
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
	uint32_t t = map_get_or_add(&g->tag_map, (uint64_t)node << 32 | kind, (uint32_t)g->ntags, &added);
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

/* pprof's newGraph: kept (per info, may be NULL) limits the nodes. With
 * `tags`, every kept node gets its tags too; else they are added
 * afterwards (inst_tags), for the nodes that need them. Without `edges`,
 * only the nodes' flat and cum. */
static int inst_build(universe *u, ginst *g, const bool *kept, bool tags, bool edges)
{
	const hf_profile *p = u->p;
	memset(g, 0, sizeof(*g));
	g->flat = hf__calloc(u->ninfos + 1, sizeof(int64_t));
	g->cum = hf__calloc(u->ninfos + 1, sizeof(int64_t));
	g->stamp = hf__calloc(u->ninfos + 1, sizeof(uint32_t));
	g->last_src = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	g->last_edge = hf__malloc(hf__mul(u->ninfos + 1, sizeof(uint32_t)));
	if (!g->flat || !g->cum || !g->stamp || !g->last_src || !g->last_edge)
		return hf__oom(u->err);
	memset(g->last_src, 0xff, (u->ninfos + 1) * sizeof(uint32_t));
	const uint32_t *loc_start = u->loc_start, *loc_nodes = u->loc_nodes;
	for (size_t s = 0; s < p->nsamples; s++) {
		const hf_sample *smp = &p->samples[s];
		int64_t w = smp->values[u->sample_index];
		if (w == 0)
			continue;
		uint32_t stamp = (uint32_t)s + 1;
		uint32_t parent = HF_NONE;
		bool residual = false;
		for (size_t i = smp->nlocations; i-- > 0;) {
			size_t li = (size_t)(smp->locations[i] - p->locations);
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
 * and kept set as inst_build (pprof adds a sample's tags to every node it
 * adds the sample to); tags of other nodes are not needed. */
static int inst_tags(universe *u, ginst *g, const bool *kept, size_t nwant)
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
		const hf_sample *smp = &p->samples[s];
		int64_t w = smp->values[u->sample_index];
		if (w == 0 || u->sample_tag_start[s] == u->sample_tag_start[s + 1])
			continue;
		uint32_t stamp = (uint32_t)s + 1;
		uint32_t leaf = HF_NONE;
		bool residual = false;
		for (size_t i = smp->nlocations; i-- > 0 && rc == HF_OK;) {
			size_t li = (size_t)(smp->locations[i] - p->locations);
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

/* ---- ordering ---- */

typedef struct sort_item {
	uint32_t node;
	int64_t score, flat, cum;
	const hf_ginfo *info;
} sort_item;

/* fmt.Sprint of a NodeInfo: pprof's final tie-break. */
static char *info_string(const hf_ginfo *i)
{
	int n = snprintf(NULL, 0, "{%s  %" PRIu64 " %s %" PRId64 " %" PRId64 " %s}", i->name,
		i->address, i->file, i->start_line, i->lineno, i->objfile);
	char *s = n >= 0 ? hf__malloc((size_t)n + 1) : NULL;
	if (s)
		snprintf(s, (size_t)n + 1, "{%s  %" PRIu64 " %s %" PRId64 " %" PRId64 " %s}", i->name,
			i->address, i->file, i->start_line, i->lineno, i->objfile);
	return s;
}

static int compare_infos(const hf_ginfo *a, const hf_ginfo *b)
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
static int inst_sort(universe *u, ginst *g, bool cum, bool visual)
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

static void trim_tags(ginst *g, int64_t cutoff)
{
	for (size_t t = 0; t < g->ntags; t++)
		if (abs64(g->tags[t].flat) < cutoff && abs64(g->tags[t].cum) < cutoff)
			g->tags[t].removed = true;
}

static size_t trim_edges(ginst *g, int64_t cutoff)
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
static int select_top(universe *u, ginst *g, size_t max_nodes, bool visual, size_t *out)
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

static int kept_set(universe *u, const uint32_t *nodes, size_t n, bool **out)
{
	hf__free(*out);
	*out = hf__calloc(u->ninfos + 1, sizeof(bool));
	if (!*out)
		return hf__oom(u->err);
	for (size_t i = 0; i < n; i++)
		(*out)[nodes[i]] = true;
	return HF_OK;
}

static int build(hf_graph **out, const hf_profile *p, const hf_graph_options *opts,
	bool visual, bool zero_nodes, hf_error *err)
{
	static const hf_graph_options defaults = HF_GRAPH_OPTIONS_INIT;
	const hf_graph_options *o = opts ? opts : &defaults;
	*out = NULL;
	if (p->nsample_types == 0)
		return hf__error(err, HF_EINVALID, "the profile has no sample types");
	size_t si;
	if (o->sample_index < 0)
		si = hf_profile_default_sample_index(p);
	else if ((size_t)o->sample_index < p->nsample_types)
		si = (size_t)o->sample_index;
	else
		return hf__error(err, HF_ENOTFOUND, "no sample type %ld", o->sample_index);
	if ((unsigned)o->granularity > HF_GRANULARITY_ADDRESSES)
		return hf__error(err, HF_EINVALID, "unknown granularity %d", (int)o->granularity);
	if (o->nodefraction < 0 || o->edgefraction < 0 || !(o->nodefraction <= 1) || !(o->edgefraction <= 1))
		return hf__error(err, HF_EINVALID, "node and edge fractions must be between 0 and 1");
	/* Every flat, cum and edge weight sums some samples' values: when the
	 * magnitudes sum within 64 bits, none of those sums can overflow. */
	uint64_t magnitude = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		int64_t v = p->samples[i].values[si];
		uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		if (__builtin_add_overflow(magnitude, m, &magnitude) || magnitude > (uint64_t)INT64_MAX)
			return hf__error(err, HF_ELIMIT, "sample values overflow 64 bits");
	}

	hf_graph *g = hf__calloc(1, sizeof(*g));
	if (!g)
		return hf__oom(err);
	universe u;
	ginst cur;
	bool *kept = NULL;
	memset(&cur, 0, sizeof(cur));
	int rc = universe_init(&u, p, &g->arena, si, o->granularity, visual, err);
	u.zero_nodes = zero_nodes;
	if (rc != HF_OK)
		goto done;
	g->total = o->total ? o->total : hf__measure_report_total(p, si);
	g->nodefraction = o->nodefraction;
	g->edgefraction = o->edgefraction;
	long nodecount = o->nodecount < 0 ? (visual ? 80 : 0) : o->nodecount;

	/* pprof builds the whole graph first only to find the nodes under the
	 * node fraction; their flat and cum need no edges. */
	if ((rc = inst_build(&u, &cur, NULL, false, false)) != HF_OK)
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
			if ((rc = kept_set(&u, cur.nodes, nkept, &kept)) != HF_OK)
				goto done;
		}
	}
	inst_dispose(&cur);
	if ((rc = inst_build(&u, &cur, kept, false, true)) != HF_OK)
		goto done;
	g->orig_count = cur.nnodes;
	if ((rc = inst_sort(&u, &cur, o->cum, visual)) != HF_OK)
		goto done;
	if (nodecount > 0) {
		/* select_top looks at the tags of at most the first nodecount
		 * nodes; when it keeps them all, these are all the tags. */
		if (visual && (rc = inst_tags(&u, &cur, kept, (size_t)nodecount)) != HF_OK)
			goto done;
		trim_tags(&cur, node_cutoff);
		trim_edges(&cur, edge_cutoff);
		size_t top = 0;
		if ((rc = select_top(&u, &cur, (size_t)nodecount, visual, &top)) != HF_OK)
			goto done;
		if (top != cur.nnodes) {
			if ((rc = kept_set(&u, cur.nodes, top, &kept)) != HF_OK)
				goto done;
			inst_dispose(&cur);
			if ((rc = inst_build(&u, &cur, kept, visual, true)) != HF_OK ||
				(rc = inst_sort(&u, &cur, o->cum, visual)) != HF_OK)
				goto done;
		}
	}
	if (visual && !cur.has_tags && (rc = inst_tags(&u, &cur, kept, cur.nnodes)) != HF_OK)
		goto done;
	trim_tags(&cur, node_cutoff);
	g->dropped_edges = trim_edges(&cur, edge_cutoff);
	if ((rc = hf__graph_assemble(&u, &cur, g, visual)) != HF_OK)
		goto done;

	/* pprof's selectOutputUnit, from the kept nodes. */
	g->sample_unit = hf__arena_strndup(&g->arena, p->sample_types[si].unit,
		strlen(p->sample_types[si].unit));
	if (!g->sample_unit) {
		rc = hf__oom(err);
		goto done;
	}
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
	if (!g->output_unit) {
		rc = hf__oom(err);
		goto done;
	}
	const char *title = "";
	if (p->nmappings > 0 && p->mappings[0].filename && p->mappings[0].filename[0]) {
		title = base_name(p->mappings[0].filename);
		title = hf__arena_strndup(&g->arena, title, strlen(title));
	}
	g->title = title;
	if (!title || hf__graph_legend(g, p, si, o, visual) != 0) {
		rc = hf__oom(err);
		goto done;
	}
done:
	hf__free(kept);
	inst_dispose(&cur);
	universe_dispose(&u);
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
	return build(out, p, opts, visual, false, err);
}

int hf__graph_build_peek(hf_graph **out, const hf_profile *p, const hf_graph_options *opts,
	hf_error *err)
{
	return build(out, p, opts, false, true, err);
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
