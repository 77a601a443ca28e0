/*
 * The offline HTML report (heapflame --html): one self-contained page with
 * the profile's data and our script. The data is compact: a table of
 * functions (pprof's graph nodes at function granularity, numbered in the
 * byte order of their names) and the distinct stacks of function ids,
 * sorted, so that each stack is the length it shares with the one before
 * plus its new suffix: the call tree in preorder, siblings in name order,
 * which is the flame graph's layout as it comes. A frame is written as its
 * rank among the callees of its caller (most frequent first, Elias gamma
 * coded), the callee lists once up front; every sample type's value per
 * stack follows. The bits go six to a letter of a 64-letter alphabet that
 * needs no escaping anywhere in HTML. The views are computed by the page's
 * own script (src/html/report.js); only the call graphs are laid out here,
 * by Graphviz, one per sample type.
 */
#include "html.h"

#include "../graph/graph.h"
#include "../theme/theme.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define INLINED 0x80000000u

typedef struct stack_ref {
	const uint32_t *frames; /* root first; INLINED marks an inlined call */
	uint32_t len;
	uint32_t sample;
} stack_ref;

typedef struct page {
	const hf_profile *p;
	const hf_html_options *o;
	hf__arena arena;
	hf__intern nodes;      /* printable name -> node id */
	uint32_t nnodes;      /* the nodes of the stacks (graph lookups may add more) */
	uint32_t *order;      /* node id (name order) -> intern id */
	uint32_t *rank;       /* intern id -> node id */
	hf__intern files, objs;
	uint32_t *node_file, *node_obj;
	size_t node_cap;
	uint32_t *loc_start, *loc_nodes; /* per location, innermost line first */
	uint32_t *frames;
	size_t nframes;
	stack_ref *stacks;
	size_t nstacks;
	hf_error *err;
} page;

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* The node of one line (NULL: a location without lines), as pprof's
 * function-granularity NodeInfo prints it. */
static uint32_t node_for(page *pg, const hf__location *loc, const hf__line *line)
{
	const char *obj = loc->mapping && loc->mapping->filename ? loc->mapping->filename : "";
	const char *name = "", *file = "";
	if (line && line->function) {
		name = hf__measure_function_name(&pg->arena, pg->p, line->function);
		if (!name)
			return HF_NONE;
		file = line->function->filename ? line->function->filename : "";
	}
	char *key = NULL;
	size_t klen;
	if (name[0]) {
		klen = strlen(name);
	} else {
		const char *ob = base_name(obj);
		klen = obj[0] ? strlen(ob) + 2 : 9;
		key = hf__arena_alloc(&pg->arena, klen + 1);
		if (!key)
			return HF_NONE;
		if (obj[0])
			snprintf(key, klen + 1, "[%s]", ob);
		else
			memcpy(key, "<unknown>", 10);
		name = key;
	}
	uint32_t before = pg->nodes.count;
	uint32_t id = hf__intern_get(&pg->nodes, name, klen);
	if (id == HF_NONE || id < before)
		return id;
	const hf__column columns[] = {HF_COLUMN(pg->node_file), HF_COLUMN(pg->node_obj)};
	if (hf__grow_columns(columns, 2, &pg->node_cap, id, 256) != 0)
		return HF_NONE;
	pg->node_file[id] = hf__intern_get(&pg->files, file, strlen(file));
	pg->node_obj[id] = hf__intern_get(&pg->objs, obj, strlen(obj));
	if (pg->node_file[id] == HF_NONE || pg->node_obj[id] == HF_NONE)
		return HF_NONE;
	return id;
}

static int build_nodes(page *pg)
{
	const hf_profile *p = pg->p;
	size_t total = hf__profile_location_frames(p);
	if (total >= HF_NONE / 2)
		return hf__error(pg->err, HF_ELIMIT, "too many frames");
	pg->loc_start = hf__malloc(hf__mul(p->nlocations + 1, sizeof(uint32_t)));
	pg->loc_nodes = hf__malloc(hf__mul(total + 1, sizeof(uint32_t)));
	if (!pg->loc_start || !pg->loc_nodes)
		return hf__oom(pg->err);
	uint32_t n = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const hf__location *loc = &p->locations[i];
		pg->loc_start[i] = n;
		if (loc->nlines == 0 && (pg->loc_nodes[n++] = node_for(pg, loc, NULL)) == HF_NONE)
			return hf__oom(pg->err);
		for (size_t l = 0; l < loc->nlines; l++)
			if ((pg->loc_nodes[n++] = node_for(pg, loc, &loc->lines[l])) == HF_NONE)
				return hf__oom(pg->err);
	}
	pg->loc_start[p->nlocations] = n;
	return HF_OK;
}

typedef struct name_ref {
	const char *name;
	uint32_t len, id;
} name_ref;

static int cmp_names(const void *pa, const void *pb)
{
	const name_ref *a = pa, *b = pb;
	int c = memcmp(a->name, b->name, a->len < b->len ? a->len : b->len);
	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Numbers the nodes in the byte order of their names (as the flame graph
 * orders siblings), so that sorted stacks are the flame graph's order. */
static int sort_nodes(page *pg)
{
	uint32_t n = pg->nodes.count;
	name_ref *refs = hf__malloc(hf__mul(n + 1, sizeof(*refs)));
	pg->order = hf__malloc(hf__mul(n + 1, sizeof(uint32_t)));
	pg->rank = hf__malloc(hf__mul(n + 1, sizeof(uint32_t)));
	if (!refs || !pg->order || !pg->rank) {
		hf__free(refs);
		return hf__oom(pg->err);
	}
	for (uint32_t i = 0; i < n; i++)
		refs[i] = (name_ref){pg->nodes.names[i], pg->nodes.lens[i], i};
	qsort(refs, n, sizeof(*refs), cmp_names);
	for (uint32_t k = 0; k < n; k++) {
		pg->order[k] = refs[k].id;
		pg->rank[refs[k].id] = k;
	}
	hf__free(refs);
	for (size_t i = 0; i < pg->loc_start[pg->p->nlocations]; i++)
		pg->loc_nodes[i] = pg->rank[pg->loc_nodes[i]];
	pg->nnodes = n;
	return HF_OK;
}

static bool sample_counts(const hf_profile *p, const hf__sample *s)
{
	for (size_t t = 0; t < p->nsample_types; t++)
		if (s->values[t] != 0 || (s->base_values && s->base_values[t] != 0))
			return true;
	return false;
}

static int cmp_stacks(const void *pa, const void *pb)
{
	const stack_ref *a = pa, *b = pb;
	uint32_t n = a->len < b->len ? a->len : b->len;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = a->frames[i] & ~INLINED, y = b->frames[i] & ~INLINED;
		if (x != y)
			return x < y ? -1 : 1;
	}
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->sample < b->sample ? -1 : a->sample > b->sample;
}

/* Every counting sample's stack as node ids, root first, then sorted. */
static int build_stacks(page *pg)
{
	const hf_profile *p = pg->p;
	size_t nframes = 0, nstacks = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		const hf__sample *s = &p->samples[i];
		if (!sample_counts(p, s))
			continue;
		nstacks++;
		for (size_t j = 0; j < s->nlocations; j++) {
			size_t li = (size_t)s->locations[j];
			nframes += pg->loc_start[li + 1] - pg->loc_start[li];
		}
	}
	pg->frames = hf__malloc(hf__mul(nframes + 1, sizeof(uint32_t)));
	pg->stacks = hf__malloc(hf__mul(nstacks + 1, sizeof(stack_ref)));
	if (!pg->frames || !pg->stacks)
		return hf__oom(pg->err);
	size_t k = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		const hf__sample *s = &p->samples[i];
		if (!sample_counts(p, s))
			continue;
		stack_ref *st = &pg->stacks[pg->nstacks++];
		st->frames = pg->frames + k;
		st->sample = (uint32_t)i;
		for (size_t j = s->nlocations; j-- > 0;) {
			size_t li = (size_t)s->locations[j];
			uint32_t first = pg->loc_start[li], count = pg->loc_start[li + 1] - first;
			/* outermost line first; the ones after it were inlined into it */
			for (uint32_t ni = count; ni-- > 0;)
				pg->frames[k++] = pg->loc_nodes[first + ni] | (ni != count - 1 ? INLINED : 0);
		}
		st->len = (uint32_t)(pg->frames + k - st->frames);
	}
	pg->nframes = k;
	qsort(pg->stacks, pg->nstacks, sizeof(*pg->stacks), cmp_stacks);
	return HF_OK;
}

/* ---- output ---------------------------------------------------------- */

static const char digits64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void put_json_str(hf__sink *out, const char *s)
{
	hf__sink_putc(out, '"');
	if (s)
		hf__html_put_json_chars(out, s, strlen(s));
	hf__sink_putc(out, '"');
}

/* Equal as paths of functions (inlined or not: the tree merges both). */
static bool stacks_equal(const stack_ref *a, const stack_ref *b)
{
	if (a->len != b->len)
		return false;
	for (uint32_t i = 0; i < a->len; i++)
		if ((a->frames[i] ^ b->frames[i]) & ~INLINED)
			return false;
	return true;
}

/* ---- the bit stream: six bits a letter, least significant first ---- */

typedef struct bitw {
	hf__sink *out;
	uint32_t acc;
	int n;
	size_t len;
	char buf[512];
} bitw;

static void bits_put(bitw *b, uint32_t v, int k) /* k <= 24 */
{
	b->acc |= v << b->n;
	b->n += k;
	while (b->n >= 6) {
		b->buf[b->len++] = digits64[b->acc & 63];
		b->acc >>= 6;
		b->n -= 6;
		if (b->len == sizeof(b->buf)) {
			hf__sink_put(b->out, b->buf, b->len);
			b->len = 0;
		}
	}
}

static void bits_flush(bitw *b)
{
	if (b->n > 0)
		bits_put(b, 0, 6 - b->n);
	hf__sink_put(b->out, b->buf, b->len);
	b->len = 0;
}

/* Elias gamma of x >= 1: floor(log2 x) zeros, a one, the low bits */
static void put_gamma(bitw *b, uint32_t x)
{
	int nb = 0;
	while ((x >> nb) > 1)
		nb++;
	while (nb - 24 > 0) {
		/* not reached for the sizes written (depths, list ranks) */
		bits_put(b, 0, 24);
		nb -= 24;
	}
	bits_put(b, 0, nb);
	bits_put(b, 1, 1);
	if (nb)
		bits_put(b, x & ((1u << nb) - 1), nb);
}

/* five bits and a "more" bit at a time */
static void put_uvar(bitw *b, uint64_t v)
{
	do {
		uint32_t d = (uint32_t)(v & 31);
		v >>= 5;
		bits_put(b, d | (v ? 32u : 0u), 6);
	} while (v);
}

/* up to 64 bits, 24 at a time */
static void bits_put64(bitw *b, uint64_t v, int k)
{
	while (k > 24) {
		bits_put(b, (uint32_t)(v & 0xffffff), 24);
		v >>= 24;
		k -= 24;
	}
	if (k > 0)
		bits_put(b, (uint32_t)(v & ((1u << k) - 1)), k);
}

static uint64_t zigzag(int64_t v)
{
	return v < 0 ? ((uint64_t)0 - (uint64_t)v) * 2 - 1 : (uint64_t)v * 2;
}

static int bit_length(uint64_t u)
{
	int n = 0;
	while (u >> n && n < 64)
		n++;
	return n;
}

/* Exponential-Golomb of order k of zigzag(v): the quotient u >> k as
 * Elias gamma of q + 1, then the k low bits. With k fitted to a value
 * column (stack_value_orders) it is about 2 bits under the six-bit
 * groups for the values of big profiles. */
static void put_eg(bitw *b, int64_t v, int k)
{
	uint64_t u = zigzag(v), q = (u >> k) + 1;
	int nb = bit_length(q) - 1;
	bits_put64(b, 0, nb);
	bits_put(b, 1, 1);
	bits_put64(b, q, nb);
	bits_put64(b, u, k);
}

/* Exponential-Golomb of order k of an unsigned u (< 2^32). */
static void put_egu(bitw *b, uint32_t u, int k)
{
	uint64_t q = ((uint64_t)u >> k) + 1;
	int nb = bit_length(q) - 1;
	bits_put64(b, 0, nb);
	bits_put(b, 1, 1);
	bits_put64(b, q, nb);
	bits_put64(b, u, k);
}

/* ---- callee lists: (caller, callee, inlined) -> rank ---- */

typedef struct edge_map {
	uint64_t *keys; /* 0: empty */
	uint32_t *vals;
	size_t cap, count;
} edge_map;

static uint64_t edge_key(uint32_t parent, uint32_t code)
{
	return ((uint64_t)parent + 1) << 33 | (uint64_t)code;
}

/* An edge looked up: its slot holds it, or is free. */
typedef struct edge_probe {
	const edge_map *m;
	uint64_t key;
} edge_probe;

static bool is_edge(void *probe, size_t slot)
{
	const edge_probe *q = probe;
	return !q->m->keys[slot] || q->m->keys[slot] == q->key;
}

static size_t edge_slot(const edge_map *m, uint64_t key)
{
	edge_probe q = {m, key};
	return hf__index_probe(m->cap, key * 0x9e3779b97f4a7c15u >> 17, is_edge, &q);
}

static uint32_t *edge_get(edge_map *m, uint64_t key)
{
	if (2 * (m->count + 1) > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 4096;
		edge_map g = {hf__calloc(cap, sizeof(uint64_t)), hf__calloc(cap, sizeof(uint32_t)), cap, 0};
		if (!g.keys || !g.vals) {
			hf__free(g.keys);
			hf__free(g.vals);
			return NULL;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				size_t j = edge_slot(&g, m->keys[i]);
				g.keys[j] = m->keys[i];
				g.vals[j] = m->vals[i];
				g.count++;
			}
		hf__free(m->keys);
		hf__free(m->vals);
		*m = g;
	}
	size_t i = edge_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->vals[i] = 0;
		m->count++;
	}
	return &m->vals[i];
}

/* The value of an edge that is in the map (a lookup: never grows it). */
static uint32_t *edge_find(edge_map *m, uint64_t key)
{
	return &m->vals[edge_slot(m, key)];
}

typedef struct edge_item {
	uint64_t key;
	uint32_t count;
} edge_item;

static int cmp_edges(const void *pa, const void *pb)
{
	const edge_item *a = pa, *b = pb;
	uint64_t pa_ = a->key >> 33, pb_ = b->key >> 33;
	if (pa_ != pb_)
		return pa_ < pb_ ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->key < b->key ? -1 : a->key > b->key;
}

/* Walks the distinct stacks as the call tree: calls visit(ctx, node,
 * parent id, stack) for each new tree node (numbered in preorder). The
 * inline flag of a tree node is that of every stack through it, so the
 * flags are found first (pass 1) and used by the others. */
typedef struct tree_walk {
	uint8_t *flag;   /* per tree node: all its calls were inlined */
	size_t nnodes;
	size_t *path;    /* tree node at each depth of the current stack */
	size_t path_cap;
} tree_walk;

static uint32_t shared_prefix(const stack_ref *prev, const stack_ref *st)
{
	uint32_t n = 0;
	if (prev)
		while (n < prev->len && n < st->len && !((prev->frames[n] ^ st->frames[n]) & ~INLINED))
			n++;
	return n;
}

static int find_flags(page *pg, tree_walk *w)
{
	size_t cap = 1024, next = 0;
	w->flag = hf__malloc(cap);
	const stack_ref *prev = NULL;
	for (size_t i = 0; i < pg->nstacks && w->flag; i++) {
		const stack_ref *st = &pg->stacks[i];
		uint32_t shared = shared_prefix(prev, st);
		if (!HF_RESERVE(w->path, &w->path_cap, 0, st->len, 64))
			return hf__oom(pg->err);
		for (uint32_t d = 0; d < st->len; d++) {
			uint8_t inl = (st->frames[d] & INLINED) ? 1 : 0;
			if (d < shared) {
				w->flag[w->path[d]] &= inl;
				continue;
			}
			if (!HF_RESERVE(w->flag, &cap, next, 1, 1024))
				return hf__oom(pg->err);
			w->path[d] = next;
			w->flag[next++] = inl;
		}
		prev = st;
	}
	if (!w->flag)
		return hf__oom(pg->err);
	w->nnodes = next;
	return HF_OK;
}

/* The exp-Golomb order with the fewest bits for a histogram of bit lengths */
static int best_order(const uint64_t hist[65])
{
	uint64_t best = UINT64_MAX;
	int pick = 0;
	for (int ord = 0; ord < 64; ord++) {
		uint64_t bits = 0;
		for (int len = 0; len <= 64; len++)
			bits += hist[len] * (uint64_t)(ord + (len > ord ? 2 * (len - ord) - 1 : 1));
		if (bits < best) {
			best = bits;
			pick = ord;
		}
	}
	return pick;
}

/*
 * The callee lists (for each caller, then the root: the list length + 1,
 * gamma; the exp-Golomb order of its ranks + 1, gamma; each callee as
 * 2 * id + inlined in bit_length(2 * functions) bits) open the display stream
 * (put_display). The stacks: the number of
 * distinct stacks, the call tree's nodes (uvar each); per stack the length shared with the previous one and
 * the new suffix's length (gamma, + 1), each new frame's rank in its
 * caller's list (exp-Golomb of the caller's order), and its value for each sample type (then, in
 * a diff, each type's base), zigzag exp-Golomb with one order per column,
 * the orders (uvar) written after the count.
 */
static int put_display(page *pg, bitw *b, const tree_walk *w, edge_map *m, const uint8_t *rank_order,
	const int *value_order);

/* The run of samples with the stack of pg->stacks[i]: their values summed
 * per type into vals (then, in a diff, each type's base); returns the
 * index after the run. */
static size_t sum_stack_values(const page *pg, size_t i, int64_t *vals)
{
	const hf_profile *p = pg->p;
	size_t nt = p->nsample_types;
	memset(vals, 0, 2 * nt * sizeof(*vals));
	size_t j = i;
	for (; j < pg->nstacks && stacks_equal(&pg->stacks[i], &pg->stacks[j]); j++) {
		const hf__sample *s = &p->samples[pg->stacks[j].sample];
		for (size_t ty = 0; ty < nt; ty++) {
			vals[ty] = hf__wadd(vals[ty], s->values[ty]);
			if (p->has_base && s->base_values)
				vals[nt + ty] = hf__wadd(vals[nt + ty], s->base_values[ty]);
		}
	}
	return j;
}

/* The edge key of frame d of a stack whose new tree node is number t. */
static uint64_t frame_edge(const page *pg, const tree_walk *w, const stack_ref *st, uint32_t d,
	size_t t)
{
	uint32_t parent = d ? st->frames[d - 1] & ~INLINED : pg->nnodes;
	return edge_key(parent, (st->frames[d] & ~INLINED) * 2 + w->flag[t]);
}

/* Counts each (caller, callee, inlined) edge over the call tree's nodes. */
static int count_edges(page *pg, const tree_walk *w, edge_map *m)
{
	size_t t = 0;
	const stack_ref *prev = NULL;
	for (size_t i = 0; i < pg->nstacks; i++) {
		const stack_ref *st = &pg->stacks[i];
		uint32_t shared = shared_prefix(prev, st);
		if (prev && shared == st->len && shared == prev->len)
			continue; /* the same path again */
		for (uint32_t d = shared; d < st->len; d++, t++) {
			uint32_t *c = edge_get(m, frame_edge(pg, w, st, d, t));
			if (!c)
				return hf__oom(pg->err);
			(*c)++;
		}
		prev = st;
	}
	return HF_OK;
}

/*
 * Writes each caller's callee list (then the root's) to the display
 * stream, most called first, and leaves in m each edge's rank in its list
 * and in rank_order each caller's exp-Golomb order for those ranks.
 */
static int put_callee_lists(page *pg, bitw *db, edge_map *m, uint8_t *rank_order)
{
	edge_item *items = hf__malloc(hf__mul(m->count + 1, sizeof(*items)));
	if (!items)
		return hf__oom(pg->err);
	size_t k = 0;
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			items[k++] = (edge_item){m->keys[i], m->vals[i]};
	qsort(items, k, sizeof(*items), cmp_edges);
	uint32_t root = pg->nnodes;
	size_t e = 0;
	/* a callee's code (2 * id + inlined) in the fewest bits that hold
	 * every id: 4 bits an edge under the six-bit groups of uvar */
	int code_bits = bit_length(2 * (uint64_t)root);
	for (uint32_t parent = 0; parent <= root; parent++) {
		size_t from = e;
		while (e < k && (items[e].key >> 33) - 1 == parent)
			e++;
		put_gamma(db, (uint32_t)(e - from) + 1);
		/* the ranks of this caller's callees: exp-Golomb of the order
		 * with the fewest bits for how often each rank is written */
		uint64_t best = UINT64_MAX;
		for (int ord = 0; ord < 20 && e > from; ord++) {
			uint64_t bits = 0;
			for (size_t j = from; j < e; j++) {
				uint64_t q = ((uint64_t)(j - from) >> ord) + 1;
				bits += items[j].count * (uint64_t)(ord + 2 * (bit_length(q) - 1) + 1);
			}
			if (bits < best) {
				best = bits;
				rank_order[parent] = (uint8_t)ord;
			}
		}
		put_gamma(db, rank_order[parent] + 1u);
		for (size_t j = from; j < e; j++) {
			bits_put64(db, items[j].key & ((1ull << 33) - 1), code_bits);
			*edge_find(m, items[j].key) = (uint32_t)(j - from);
		}
	}
	hf__free(items);
	return HF_OK;
}

/* Each value column's exp-Golomb order: the one with the fewest bits
 * over the column's bit lengths, summed per distinct stack. */
static int fit_value_orders(page *pg, int64_t *vals, size_t nv, int *orders)
{
	uint64_t (*hist)[65] = hf__calloc(nv, sizeof(*hist));
	if (!hist)
		return hf__oom(pg->err);
	for (size_t i = 0; i < pg->nstacks;) {
		i = sum_stack_values(pg, i, vals);
		for (size_t c = 0; c < nv; c++)
			hist[c][bit_length(zigzag(vals[c]))]++;
	}
	for (size_t c = 0; c < nv; c++)
		orders[c] = best_order(hist[c]);
	hf__free(hist);
	return HF_OK;
}

/* Per distinct stack: the shared and new lengths, each new frame's rank
 * in its caller's list, its summed values (see put_stacks). */
static void put_stack_records(page *pg, bitw *b, const tree_walk *w, edge_map *m,
	const uint8_t *rank_order, const int *orders, size_t nv, int64_t *vals)
{
	const stack_ref *prev = NULL;
	size_t t = 0;
	for (size_t i = 0; i < pg->nstacks;) {
		const stack_ref *st = &pg->stacks[i];
		i = sum_stack_values(pg, i, vals);
		uint32_t shared = shared_prefix(prev, st);
		put_gamma(b, shared + 1);
		put_gamma(b, st->len - shared + 1);
		for (uint32_t d = shared; d < st->len; d++, t++) {
			uint32_t parent = d ? st->frames[d - 1] & ~INLINED : pg->nnodes;
			put_egu(b, *edge_find(m, frame_edge(pg, w, st, d, t)), rank_order[parent]);
		}
		for (size_t ty = 0; ty < nv; ty++)
			put_eg(b, vals[ty], orders[ty]);
		prev = st;
	}
}

static int put_stacks(page *pg, hf__sink *out, hf__sink *dout, int64_t *vals)
{
	size_t nt = pg->p->nsample_types, nv = pg->p->has_base ? 2 * nt : nt;
	tree_walk w;
	memset(&w, 0, sizeof(w));
	edge_map m = {0};
	/* the callee lists open the display stream: the page reads them
	 * first, and the stacks (read later, if ever) use them too */
	bitw b = {.out = out}, db = {.out = dout};
	uint8_t *rank_order = hf__calloc((size_t)pg->nnodes + 2, 1);
	int *orders = hf__calloc(nv, sizeof(*orders));
	int rc = rank_order && orders ? find_flags(pg, &w) : hf__oom(pg->err);
	if (rc == HF_OK)
		rc = count_edges(pg, &w, &m);
	if (rc == HF_OK)
		rc = put_callee_lists(pg, &db, &m, rank_order);
	if (rc == HF_OK)
		rc = fit_value_orders(pg, vals, nv, orders);
	if (rc != HF_OK)
		goto done;
	size_t distinct = 0;
	for (size_t i = 0; i < pg->nstacks; i++)
		if (i == 0 || !stacks_equal(&pg->stacks[i - 1], &pg->stacks[i]))
			distinct++;
	put_uvar(&b, distinct);
	/* the call tree's node count (the root not counted): the page sizes
	 * its arrays once */
	put_uvar(&b, w.nnodes);
	for (size_t c = 0; c < nv; c++)
		put_uvar(&b, (uint64_t)orders[c]);
	put_stack_records(pg, &b, &w, &m, rank_order, orders, nv, vals);
	bits_flush(&b);
	rc = put_display(pg, &db, &w, &m, rank_order, orders);
done:
	hf__free(w.flag);
	hf__free(w.path);
	hf__free(m.keys);
	hf__free(m.vals);
	hf__free(rank_order);
	hf__free(orders);
	return rc;
}

/*
 * The display tree: the merged call tree cut to its widest nodes, so that
 * the page's first paint, zoom and search work on at most DISPLAY_MAX
 * nodes however many the profile has (a generated 200,000-stack profile
 * has 10.75 million). A node's share is the largest over the sample types
 * of its subtree's magnitude (|value|, plus |base| in a diff) over the
 * type's; a child's share never exceeds its parent's, so keeping every
 * node at or above a share keeps a tree, and every frame of the full tree
 * at least that wide is in it. Shares are bucketed by eighths of an
 * octave; the cut is the widest bucket boundary that keeps at most
 * DISPLAY_MAX nodes (no cut when the tree is that small: then the display
 * tree is the call tree). Each kept node's own value per type is what its
 * subtree holds beyond its kept children, so widths stay exact.
 *
 * Written after the callee lists: uvar node count, uvar cut bucket + 1 (0: no cut), per type the
 * magnitude total (uvar), per value column its exp-Golomb order (uvar); then the root's values and, per node in
 * preorder (children in name order), gamma(levels up from the previous
 * node + 1), its rank in the caller's callee list (exp-Golomb of the
 * caller's order), its values: a
 * bit per value (non-zero) and zigzag exp-Golomb codes for those.
 */
#define DISPLAY_MAX 100000
#define SHARE_BUCKETS 256

static int share_bucket(double share)
{
	if (!(share > 0))
		return SHARE_BUCKETS - 1;
	int b = (int)(-log2(share) * 8);
	return b < 0 ? 0 : b >= SHARE_BUCKETS - 1 ? SHARE_BUCKETS - 2 : b;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* A sample's weight for type t in the shares: |value|, plus |base| in a diff. */
static uint64_t sample_magnitude(const hf_profile *p, const hf__sample *sm, size_t t)
{
	return magnitude(sm->values[t]) +
		(p->has_base && sm->base_values ? magnitude(sm->base_values[t]) : 0);
}

/* The display tree being cut from the call tree (put_display). */
typedef struct display_cut {
	size_t nt, nv;
	uint64_t *tot;                /* per type: the magnitude total */
	uint8_t *bucket;              /* per tree node (preorder): its share's bucket */
	size_t count[SHARE_BUCKETS];  /* tree nodes per bucket */
	size_t nodes;                 /* tree nodes */
	size_t depth_cap;             /* at least the deepest stack's length */
	int cut;                      /* buckets 0..cut kept */
	size_t kept;                  /* kept nodes, the root (node 0) included */
	uint32_t *kdepth, *krank, *kparent;
	int64_t *own;                 /* per kept node and value column: its own value */
} display_cut;

/* Pass 1: each tree node's share, bucketed when its subtree ends (preorder). */
static int bucket_shares(page *pg, display_cut *dp)
{
	const hf_profile *p = pg->p;
	size_t nt = dp->nt, cap = 64;
	size_t *path = hf__malloc(cap * sizeof(*path));
	uint64_t *acc = hf__calloc(cap * nt, sizeof(*acc)); /* per open depth and type */
	const hf__column columns[] = {HF_COLUMN(path), {&acc, nt * sizeof(*acc)}};
	int rc = path && acc ? HF_OK : hf__oom(pg->err);
	size_t next = 0;
	uint32_t open = 0;
	const stack_ref *prev = NULL;
	for (size_t i = 0; i <= pg->nstacks && rc == HF_OK; i++) {
		const stack_ref *st = i < pg->nstacks ? &pg->stacks[i] : NULL;
		uint32_t shared = st ? shared_prefix(prev, st) : 0;
		while (open > shared) {
			open--;
			double share = 0;
			for (size_t t = 0; t < nt; t++) {
				double sh = dp->tot[t] ? (double)acc[open * nt + t] / (double)dp->tot[t] : 0;
				if (sh > share)
					share = sh;
				if (open)
					acc[(open - 1) * nt + t] += acc[open * nt + t];
				acc[open * nt + t] = 0;
			}
			int b = share_bucket(share);
			dp->bucket[path[open]] = (uint8_t)b;
			dp->count[b]++;
		}
		if (!st)
			break;
		while (st->len > cap) { /* both full: doubled */
			size_t old = cap;
			if (hf__grow_columns(columns, 2, &cap, cap, 64) != 0)
				break;
			memset(acc + old * nt, 0, (cap - old) * nt * sizeof(*acc));
		}
		if (st->len > cap) {
			rc = hf__oom(pg->err);
			break;
		}
		for (; open < st->len; open++)
			path[open] = next++;
		const hf__sample *sm = &p->samples[st->sample];
		for (size_t t = 0; t < nt && st->len; t++)
			acc[(st->len - 1) * nt + t] += sample_magnitude(p, sm, t);
		prev = st;
	}
	hf__free(path);
	hf__free(acc);
	dp->nodes = next;
	dp->depth_cap = cap;
	return rc;
}

/* The cut: the widest bucket boundary that keeps at most DISPLAY_MAX nodes. */
static void choose_cut(display_cut *dp)
{
	dp->cut = SHARE_BUCKETS - 1;
	size_t kept = 0;
	if (dp->nodes > DISPLAY_MAX) {
		dp->cut = -1;
		while (dp->cut + 1 < SHARE_BUCKETS - 1 && kept + dp->count[dp->cut + 1] <= DISPLAY_MAX)
			kept += dp->count[++dp->cut];
	}
	dp->kept = 1;
	for (size_t k = 0; k < dp->nodes; k++)
		dp->kept += (int)dp->bucket[k] <= dp->cut;
}

/* Pass 2: the kept nodes in preorder; each stack's values go to its
 * deepest kept frame (node 0 is the root). */
static int keep_nodes(page *pg, display_cut *dp, const tree_walk *w, edge_map *m)
{
	const hf_profile *p = pg->p;
	size_t nt = dp->nt, nv = dp->nv;
	int64_t *kpath = hf__malloc(dp->depth_cap * sizeof(*kpath));
	dp->kdepth = hf__malloc(dp->kept * sizeof(*dp->kdepth));
	dp->krank = hf__malloc(dp->kept * sizeof(*dp->krank));
	dp->kparent = hf__malloc(dp->kept * sizeof(*dp->kparent));
	dp->own = hf__calloc(dp->kept * nv, sizeof(*dp->own));
	if (!dp->kdepth || !dp->krank || !dp->kparent || !dp->own || !kpath) {
		hf__free(kpath);
		return hf__oom(pg->err);
	}
	size_t t = 0, k = 1;
	dp->kdepth[0] = 0;
	const stack_ref *prev = NULL;
	for (size_t i = 0; i < pg->nstacks; i++) {
		const stack_ref *st = &pg->stacks[i];
		uint32_t shared = shared_prefix(prev, st);
		if (!(prev && shared == st->len && shared == prev->len)) {
			for (uint32_t d = shared; d < st->len; d++, t++) {
				kpath[d] = -1;
				if ((int)dp->bucket[t] > dp->cut || (d && kpath[d - 1] < 0))
					continue;
				dp->kdepth[k] = d + 1;
				dp->krank[k] = *edge_find(m, frame_edge(pg, w, st, d, t));
				dp->kparent[k] = d ? st->frames[d - 1] & ~INLINED : pg->nnodes;
				kpath[d] = (int64_t)k++;
			}
		}
		int64_t deepest = 0;
		for (uint32_t d = 0; d < st->len && kpath[d] >= 0; d++)
			deepest = kpath[d];
		const hf__sample *sm = &p->samples[st->sample];
		int64_t *own = dp->own + deepest * (int64_t)nv;
		for (size_t ty = 0; ty < nt; ty++) {
			own[ty] = hf__wadd(own[ty], sm->values[ty]);
			if (p->has_base && sm->base_values)
				own[nt + ty] = hf__wadd(own[nt + ty], sm->base_values[ty]);
		}
		prev = st;
	}
	hf__free(kpath);
	return HF_OK;
}

/* Writes the display tree (see the comment above DISPLAY_MAX). */
static void put_display_nodes(const display_cut *dp, bitw *b, const uint8_t *rank_order,
	const int *value_order)
{
	size_t nv = dp->nv, k = dp->kept;
	put_uvar(b, k);
	put_uvar(b, dp->nodes > DISPLAY_MAX ? (uint64_t)(dp->cut + 1) : 0);
	for (size_t ty = 0; ty < dp->nt; ty++)
		put_uvar(b, dp->tot[ty]);
	/* the display's own exp-Golomb orders, fitted to its non-zero values
	 * (sums over pruned subtrees: larger than the stacks') */
	int dorder[64];
	for (size_t v = 0; v < nv; v++) {
		uint64_t hist[65] = {0};
		for (size_t j = 0; j < k; j++)
			if (dp->own[j * nv + v] != 0)
				hist[bit_length(zigzag(dp->own[j * nv + v]))]++;
		int pick = v < 64 ? best_order(hist) : 0;
		if (v < 64)
			dorder[v] = pick;
		put_uvar(b, (uint64_t)pick);
	}
	for (size_t j = 0; j < k; j++) {
		if (j) {
			put_gamma(b, dp->kdepth[j - 1] + 1 - dp->kdepth[j] + 1);
			put_egu(b, dp->krank[j], rank_order[dp->kparent[j]]);
		}
		for (size_t v = 0; v < nv; v++)
			bits_put(b, dp->own[j * nv + v] != 0, 1);
		for (size_t v = 0; v < nv; v++)
			if (dp->own[j * nv + v] != 0)
				put_eg(b, dp->own[j * nv + v], v < 64 ? dorder[v] : value_order[v]);
	}
	bits_flush(b);
}

static int put_display(page *pg, bitw *bp, const tree_walk *w, edge_map *m, const uint8_t *rank_order,
	const int *value_order)
{
	const hf_profile *p = pg->p;
	display_cut dp = {.nt = p->nsample_types, .nv = p->has_base ? 2 * p->nsample_types : p->nsample_types};
	dp.tot = hf__calloc(dp.nt, sizeof(*dp.tot));
	dp.bucket = hf__malloc(w->nnodes + 1);
	int rc = dp.tot && dp.bucket ? HF_OK : hf__oom(pg->err);
	for (size_t i = 0; i < pg->nstacks && rc == HF_OK; i++)
		for (size_t t = 0; t < dp.nt; t++)
			dp.tot[t] += sample_magnitude(p, &p->samples[pg->stacks[i].sample], t);
	if (rc == HF_OK)
		rc = bucket_shares(pg, &dp);
	if (rc == HF_OK) {
		choose_cut(&dp);
		rc = keep_nodes(pg, &dp, w, m);
	}
	if (rc == HF_OK) {
		bitw b = *bp; /* after the callee lists */
		put_display_nodes(&dp, &b, rank_order, value_order);
	}
	hf__free(dp.tot);
	hf__free(dp.bucket);
	hf__free(dp.kdepth);
	hf__free(dp.krank);
	hf__free(dp.kparent);
	hf__free(dp.own);
	return rc;
}

/* ---- the line stream: the Source view under the page's refine ---- */

/*
 * The Source view's numbers are pprof's list: per (function, file, line),
 * flat from the samples whose innermost frame is that line, cum once per
 * sample through it. The stacks merge samples by function path, so the
 * page gets, per distinct stack with a frame of a found routine (a
 * group), the distinct line vectors of its samples ("variants"): for each
 * such frame, root first, its group (if the function has several) and
 * line. Then the page applies its refine boxes to the stack and sums.
 *
 * The stream: per group its smallest line (zigzag uvar), per type the
 * exp-Golomb order of the variants' values (uvar); per distinct stack in
 * the stacks' order that has a frame of a function with groups: the
 * number of variants (gamma), and per variant its value per type when
 * there are several (zigzag exp-Golomb; one variant has the stack's
 * values), then per such frame: its group (a bit "in the group" when the
 * function has one, else gamma(rank + 2), or gamma(1): none) and, when in
 * one, its line over the group's smallest (exp-Golomb of order 2).
 */
typedef struct line_var {
	const int64_t *key; /* (group code, line) per frame of a function with groups */
	uint32_t n;
	uint32_t sample;
} line_var;

static int cmp_line_vars(const void *pa, const void *pb)
{
	const line_var *a = pa, *b = pb;
	for (uint32_t i = 0; i < a->n; i++)
		if (a->key[i] != b->key[i])
			return a->key[i] < b->key[i] ? -1 : 1;
	return a->sample < b->sample ? -1 : a->sample > b->sample;
}

static void put_egu64(bitw *b, uint64_t u, int k)
{
	uint64_t q = (u >> k) + 1;
	int nb = bit_length(q) - 1;
	bits_put64(b, 0, nb);
	bits_put(b, 1, 1);
	bits_put64(b, q, nb);
	bits_put64(b, u, k);
}

/* The profile function and line of each frame of a sample, root first,
 * as build_stacks lays the frames out (HF_NONE: a location without
 * lines). */
static void frame_lines(const hf_profile *p, const hf__sample *s, uint32_t *fnidx, int64_t *line)
{
	size_t k = 0;
	for (size_t j = s->nlocations; j-- > 0;) {
		const hf__location *loc = &p->locations[s->locations[j]];
		if (loc->nlines == 0) {
			fnidx[k] = HF_NONE;
			line[k++] = 0;
		}
		for (size_t ni = loc->nlines; ni-- > 0;) {
			const hf__line *l = &loc->lines[ni];
			fnidx[k] = l->function ? (uint32_t)(l->function - p->functions) : HF_NONE;
			line[k++] = l->line;
		}
	}
}

/* The line stream being written (put_lines). */
typedef struct line_stream {
	page *pg;
	const hf__html_groups *g;
	size_t nt;
	uint32_t *ngroups;   /* per page function: its groups */
	int64_t *base;       /* per group: its smallest line (when based) */
	bool *based;
	uint32_t *fnidx;     /* per frame of a stack: its profile function */
	int64_t *line;       /* per frame of a stack: its line */
	uint32_t *lfn;       /* the listed functions of a stack */
	int *orders;         /* per type: the values' exp-Golomb order */
	int64_t *vals;       /* per type: a variant's summed values */
	int64_t *keys;       /* per sample of a stack: (group, line) per listed frame */
	size_t keys_cap;
	line_var *vars;      /* per sample of a stack: its key */
	size_t vars_cap;
} line_stream;

/* Each group's smallest line and, over the stacks through a listed
 * function, each type's exp-Golomb order; writes both. */
static int put_line_bases(line_stream *ls, bitw *b)
{
	page *pg = ls->pg;
	const hf_profile *p = pg->p;
	const hf__html_groups *g = ls->g;
	uint64_t (*hist)[65] = hf__calloc(ls->nt, sizeof(*hist));
	if (!hist)
		return -1;
	for (size_t i = 0; i < pg->nstacks; i++) {
		const stack_ref *st = &pg->stacks[i];
		const hf__sample *s = &p->samples[st->sample];
		frame_lines(p, s, ls->fnidx, ls->line);
		bool listed = false;
		for (uint32_t d = 0; d < st->len; d++) {
			uint32_t grp = ls->fnidx[d] == HF_NONE ? HF_NONE : g->of_function[ls->fnidx[d]];
			listed |= ls->ngroups[st->frames[d] & ~INLINED] > 0;
			if (grp == HF_NONE)
				continue;
			if (!ls->based[grp] || ls->line[d] < ls->base[grp])
				ls->base[grp] = ls->line[d];
			ls->based[grp] = true;
		}
		for (size_t t = 0; listed && t < ls->nt; t++)
			hist[t][bit_length(zigzag(s->values[t]))]++;
	}
	for (size_t k = 0; k < g->count; k++)
		put_uvar(b, zigzag(ls->based[k] ? ls->base[k] : 0));
	for (size_t t = 0; t < ls->nt; t++) {
		ls->orders[t] = best_order(hist[t]);
		put_uvar(b, (uint64_t)ls->orders[t]);
	}
	hf__free(hist);
	return 0;
}

/* Writes one variant's key: per listed frame its group (a bit when its
 * function has one group) and its line from the group's base. */
static void put_line_key(const line_stream *ls, bitw *b, const int64_t *key, uint32_t nlf)
{
	for (uint32_t q = 0; q < 2 * nlf; q += 2) {
		int64_t grp = key[q];
		uint32_t several = ls->ngroups[ls->lfn[q / 2]] > 1;
		if (grp < 0) {
			if (several)
				put_gamma(b, 1);
			else
				bits_put(b, 0, 1);
			continue;
		}
		if (several)
			put_gamma(b, ls->g->rank[grp] + 2);
		else
			bits_put(b, 1, 1);
		put_egu64(b, (uint64_t)key[q + 1] - (uint64_t)ls->base[grp], 2);
	}
}

/* The samples pg->stacks[i..j) of one stack with nlf listed frames: the
 * number of distinct line keys, then per key (when several) its summed
 * values and the key. */
static int put_stack_lines(line_stream *ls, bitw *b, size_t i, size_t j, uint32_t nlf)
{
	page *pg = ls->pg;
	const hf_profile *p = pg->p;
	size_t nsamp = j - i, klen = 2 * (size_t)nlf;
	int64_t *keys = hf__reserve(ls->keys, &ls->keys_cap, 0, hf__mul(nsamp, klen), sizeof(*keys), 64);
	if (!keys)
		return -1;
	ls->keys = keys;
	line_var *vars = hf__reserve(ls->vars, &ls->vars_cap, 0, nsamp, sizeof(*vars), 16);
	if (!vars)
		return -1;
	ls->vars = vars;
	for (size_t m = 0; m < nsamp; m++) {
		const stack_ref *sm = &pg->stacks[i + m];
		frame_lines(p, &p->samples[sm->sample], ls->fnidx, ls->line);
		int64_t *key = keys + m * klen;
		uint32_t q = 0;
		for (uint32_t d = 0; d < sm->len; d++) {
			if (!ls->ngroups[sm->frames[d] & ~INLINED])
				continue;
			uint32_t grp = ls->fnidx[d] == HF_NONE ? HF_NONE : ls->g->of_function[ls->fnidx[d]];
			key[q++] = grp == HF_NONE ? -1 : (int64_t)grp;
			key[q++] = grp == HF_NONE ? 0 : ls->line[d];
		}
		vars[m] = (line_var){key, 2 * nlf, sm->sample};
	}
	qsort(vars, nsamp, sizeof(*vars), cmp_line_vars);
	uint32_t nvar = 0;
	for (size_t m = 0; m < nsamp; m++)
		nvar += m == 0 || memcmp(vars[m].key, vars[m - 1].key, klen * sizeof(int64_t)) != 0;
	put_gamma(b, nvar);
	for (size_t m = 0; m < nsamp;) {
		size_t e = m + 1;
		while (e < nsamp && !memcmp(vars[e].key, vars[m].key, klen * sizeof(int64_t)))
			e++;
		if (nvar > 1) {
			memset(ls->vals, 0, ls->nt * sizeof(*ls->vals));
			for (size_t x = m; x < e; x++)
				for (size_t t = 0; t < ls->nt; t++)
					ls->vals[t] = hf__wadd(ls->vals[t], p->samples[vars[x].sample].values[t]);
			for (size_t t = 0; t < ls->nt; t++)
				put_eg(b, ls->vals[t], ls->orders[t]);
		}
		put_line_key(ls, b, vars[m].key, nlf);
		m = e;
	}
	return 0;
}

static int put_lines(void *ctx, hf__sink *out, const hf__html_groups *g)
{
	page *pg = ctx;
	size_t nt = pg->p->nsample_types;
	uint32_t maxlen = 1;
	for (size_t i = 0; i < pg->nstacks; i++)
		if (pg->stacks[i].len > maxlen)
			maxlen = pg->stacks[i].len;
	line_stream ls = {
		.pg = pg,
		.g = g,
		.nt = nt,
		.ngroups = hf__calloc((size_t)pg->nnodes + 1, sizeof(uint32_t)),
		.base = hf__malloc(hf__mul(g->count + 1, sizeof(int64_t))),
		.based = hf__calloc(g->count + 1, sizeof(bool)),
		.fnidx = hf__malloc(hf__mul(maxlen, sizeof(uint32_t))),
		.line = hf__malloc(hf__mul(maxlen, sizeof(int64_t))),
		.lfn = hf__malloc(hf__mul(maxlen, sizeof(uint32_t))),
		.orders = hf__calloc(nt, sizeof(int)),
		.vals = hf__calloc(nt, sizeof(int64_t)),
	};
	bitw b = {.out = out};
	int rc = -1;
	if (!ls.ngroups || !ls.base || !ls.based || !ls.fnidx || !ls.line || !ls.lfn || !ls.orders ||
	    !ls.vals)
		goto done;
	for (size_t k = 0; k < g->count; k++)
		if (g->fn[k] >= 0 && (uint64_t)g->fn[k] < pg->nnodes)
			ls.ngroups[g->fn[k]]++;
	if (put_line_bases(&ls, &b) != 0)
		goto done;
	for (size_t i = 0; i < pg->nstacks;) {
		const stack_ref *st = &pg->stacks[i];
		size_t j = i + 1;
		while (j < pg->nstacks && stacks_equal(st, &pg->stacks[j]))
			j++;
		uint32_t nlf = 0;
		for (uint32_t d = 0; d < st->len; d++)
			if (ls.ngroups[st->frames[d] & ~INLINED] > 0)
				ls.lfn[nlf++] = st->frames[d] & ~INLINED;
		if (nlf > 0 && put_stack_lines(&ls, &b, i, j, nlf) != 0)
			goto done;
		i = j;
	}
	bits_flush(&b);
	rc = 0;
done:
	hf__free(ls.ngroups);
	hf__free(ls.base);
	hf__free(ls.based);
	hf__free(ls.fnidx);
	hf__free(ls.line);
	hf__free(ls.lfn);
	hf__free(ls.orders);
	hf__free(ls.vals);
	hf__free(ls.keys);
	hf__free(ls.vars);
	return rc;
}

/* ---- packed data: gzip, then base64 ---- */

typedef struct b64w {
	hf__sink *out;
	unsigned char held[3];
	int nheld;
} b64w;

static void b64_put(b64w *b, const unsigned char *data, size_t len)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char buf[512];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		b->held[b->nheld++] = data[i];
		if (b->nheld < 3)
			continue;
		uint32_t v = (uint32_t)b->held[0] << 16 | (uint32_t)b->held[1] << 8 | b->held[2];
		buf[n++] = a[v >> 18];
		buf[n++] = a[(v >> 12) & 63];
		buf[n++] = a[(v >> 6) & 63];
		buf[n++] = a[v & 63];
		b->nheld = 0;
		if (n + 4 > sizeof(buf)) {
			hf__sink_put(b->out, buf, n);
			n = 0;
		}
	}
	if (n)
		hf__sink_put(b->out, buf, n);
}

static void b64_finish(b64w *b)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	if (!b->nheld)
		return;
	uint32_t v = (uint32_t)b->held[0] << 16 | (b->nheld > 1 ? (uint32_t)b->held[1] << 8 : 0);
	char buf[4] = {a[v >> 18], a[(v >> 12) & 63], b->nheld > 1 ? a[(v >> 6) & 63] : '=', '='};
	hf__sink_put(b->out, buf, 4);
	b->nheld = 0;
}

/*
 * Writes data as a <script type="text/plain" id="ID"> element holding its
 * gzip in base64 (the page inflates it with the browser's
 * DecompressionStream when a view needs it). The call graphs' SVG and the
 * source listings shrink to about a seventh, and base64 has no character
 * that means anything in HTML.
 */
static int put_packed(hf__sink *out, const char *id, const void *data, size_t len, hf_error *err)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return hf__oom(err);
	hf__sink_printf(out, "<script type=\"text/plain\" id=\"%s\">", id);
	b64w b = {out, {0}, 0};
	unsigned char buf[16384];
	zs.next_in = (unsigned char *)(uintptr_t)data;
	int zr = Z_OK;
	size_t left = len;
	while (zr != Z_STREAM_END) {
		if (zs.avail_in == 0 && left) {
			uInt take = left > (1u << 30) ? (1u << 30) : (uInt)left;
			zs.avail_in = take;
			left -= take;
		}
		zs.next_out = buf;
		zs.avail_out = sizeof(buf);
		zr = deflate(&zs, left || zs.avail_in ? Z_NO_FLUSH : Z_FINISH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			deflateEnd(&zs);
			return hf__oom(err);
		}
		b64_put(&b, buf, sizeof(buf) - zs.avail_out);
	}
	deflateEnd(&zs);
	b64_finish(&b);
	hf__sink_puts(out, "</script>\n");
	return HF_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* The theme of sample type t, as hf_flame_layout picks it. */
static const hf_theme *type_theme(const hf_profile *p, const hf_html_options *o, size_t t)
{
	if (o->theme)
		return o->theme;
	const char *pal = o->palette;
	if (!pal) {
		const char *type = p->sample_types[t].type, *unit = p->sample_types[t].unit;
		bool heap = (unit && !strcmp(unit, "bytes")) ||
			(type && (ends_with(type, "_objects") || ends_with(type, "_space")));
		pal = heap ? "mem" : "hot";
	}
	/* known to exist (hf_html_write checked the palette): NULL only when
	 * out of memory */
	const hf_theme *theme = NULL;
	hf_theme_builtin(&theme, pal, NULL);
	return theme;
}

static void put_hex(hf__sink *out, uint32_t c)
{
	char buf[8];
	snprintf(buf, sizeof(buf), "%06x", (unsigned)(c & 0xffffff));
	hf__sink_put(out, buf, 6);
}

/* One colour per node, 6 hex digits each; the root's colour first. */
static void put_palette(page *pg, hf__sink *out, const hf_theme *theme)
{
	hf__sink_putc(out, '"');
	put_hex(out, hf_theme_color(theme, "", 0, pg->o->hash));
	for (uint32_t k = 0; k < pg->nnodes; k++) {
		uint32_t i = pg->order[k];
		put_hex(out, hf_theme_color(theme, pg->nodes.names[i], pg->nodes.lens[i], pg->o->hash));
	}
	hf__sink_putc(out, '"');
}

static void put_json_table(hf__sink *out, const hf__intern *in, uint32_t count,
	const uint32_t *order)
{
	hf__sink_putc(out, '[');
	for (uint32_t k = 0; k < count; k++) {
		uint32_t i = order ? order[k] : k;
		if (k)
			hf__sink_putc(out, ',');
		hf__sink_putc(out, '"');
		hf__html_put_json_chars(out, in->names[i], in->lens[i]);
		hf__sink_putc(out, '"');
	}
	hf__sink_putc(out, ']');
}

static void put_nodes(page *pg, hf__sink *out)
{
	hf__sink_puts(out, "{\"name\":");
	put_json_table(out, &pg->nodes, pg->nnodes, pg->order);
	hf__sink_puts(out, ",\"files\":");
	put_json_table(out, &pg->files, pg->files.count, NULL);
	hf__sink_puts(out, ",\"objs\":");
	put_json_table(out, &pg->objs, pg->objs.count, NULL);
	hf__sink_puts(out, ",\"file\":[");
	for (uint32_t i = 0; i < pg->nnodes; i++) {
		if (i)
			hf__sink_putc(out, ',');
		hf__sink_i64(out, pg->node_file[pg->order[i]]);
	}
	hf__sink_puts(out, "],\"obj\":[");
	for (uint32_t i = 0; i < pg->nnodes; i++) {
		if (i)
			hf__sink_putc(out, ',');
		hf__sink_i64(out, pg->node_obj[pg->order[i]]);
	}
	hf__sink_puts(out, "]}");
}

/* Per sample type: the call graph (rendered into `svgs`), its legend and
 * the page node of each graph node. */
typedef struct type_graph {
	hf_graph *graph;
	hf_buffer svg;
	char error[256];
} type_graph;

static int build_graph(page *pg, size_t t, type_graph *tg)
{
	const hf_html_options *o = pg->o;
	hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
	if (o->graph)
		go = *o->graph;
	go.sample_index = (long)t;
	go.granularity = HF_GRANULARITY_FUNCTIONS;
	go.cum = false;
	go.total = hf_profile_total(pg->p, t);
	hf_error gerr = {0};
	int rc = hf_graph_build(&tg->graph, pg->p, &go, &gerr);
	if (rc == HF_ENOMEM)
		return hf__oom(pg->err);
	if (rc != HF_OK) {
		snprintf(tg->error, sizeof(tg->error), "%s", gerr.message);
		return HF_OK;
	}
	if (!o->callgraph)
		return HF_OK;
	hf_writer w = hf_writer_buffer(&tg->svg);
	rc = hf_graph_render(tg->graph, "svg", &w, &gerr);
	if (rc == HF_ENOMEM)
		return hf__oom(pg->err);
	if (rc != HF_OK) {
		hf_buffer_dispose(&tg->svg);
		snprintf(tg->error, sizeof(tg->error), "%s", gerr.message);
	}
	return HF_OK;
}

static void put_type(page *pg, hf__sink *out, size_t t, const type_graph *tg, int palette)
{
	const hf__value_type *vt = &pg->p->sample_types[t];
	hf__sink_puts(out, "{\"type\":");
	put_json_str(out, vt->type);
	hf__sink_puts(out, ",\"unit\":");
	put_json_str(out, vt->unit);
	hf__sink_puts(out, ",\"total\":");
	hf__sink_i64(out, hf_profile_total(pg->p, t));
	hf__sink_printf(out, ",\"palette\":%d,\"legend\":[", palette);
	const hf_graph *g = tg->graph;
	bool first = true;
	for (size_t i = 0; g && i < g->legend.count; i++) {
		/* pprof's "See https://git.io/... for how to read the graph": the
		 * page links nowhere */
		if (g->legend.lines[i][0] == '\n')
			continue;
		if (!first)
			hf__sink_putc(out, ',');
		first = false;
		put_json_str(out, g->legend.lines[i]);
	}
	hf__sink_puts(out, "],\"gmap\":[");
	for (size_t i = 0; g && i < g->nnodes; i++) {
		if (i)
			hf__sink_putc(out, ',');
		const char *name = g->nodes[i].info->printable;
		/* a lookup: the name is interned already unless the graph names
		 * a node differently, which then maps to no function (-1) */
		uint32_t id = hf__intern_get(&pg->nodes, name, strlen(name));
		hf__sink_i64(out, id != HF_NONE && id < pg->nnodes ? (int64_t)pg->rank[id] : -1);
	}
	hf__sink_printf(out, "],\"graph\":%s,\"graphError\":", tg->svg.len ? "true" : "false");
	put_json_str(out, tg->error);
	hf__sink_putc(out, '}');
}

/* The page's function id of a name, or -1 (a lookup: a name the page
 * lacks is interned past nnodes and so maps to no function). */
static int64_t page_fn_id(void *ctx, const char *name)
{
	page *pg = ctx;
	uint32_t id = hf__intern_get(&pg->nodes, name, strlen(name));
	return id != HF_NONE && id < pg->nnodes ? (int64_t)pg->rank[id] : -1;
}

/* The file the page's table names for function fn. */
static const char *page_fn_file(void *ctx, int64_t fn)
{
	page *pg = ctx;
	return pg->files.names[pg->node_file[pg->order[fn]]];
}

static void put_asset(hf__sink *out, const char *name)
{
	for (const hf__embedded *a = hf__html_assets; a->name; a++)
		if (!strcmp(a->name, name))
			hf__sink_put(out, a->data, a->len);
}

static void put_meta(page *pg, hf__sink *out, const type_graph *tgs, const int *palettes)
{
	const hf_profile *p = pg->p;
	const hf_html_options *o = pg->o;
	size_t def = o->sample_index >= 0 && (size_t)o->sample_index < p->nsample_types
		? (size_t)o->sample_index : hf_profile_default_sample_index(p);
	hf__sink_printf(out, "{\"version\":\"%s\",\"source\":", hf_version());
	put_json_str(out, hf_profile_source(p));
	hf__sink_puts(out, ",\"title\":");
	put_json_str(out, o->title ? o->title : hf_profile_source(p));
	hf__sink_puts(out, ",\"base\":");
	if (o->base_source)
		put_json_str(out, o->base_source);
	else
		hf__sink_puts(out, "null");
	hf__sink_printf(out, ",\"diff\":%s,\"diffBase\":%s,\"negate\":%s,\"defaultType\":%zu",
		p->has_base ? "true" : "false", o->diff_base ? "true" : "false",
		o->negate ? "true" : "false", def);
	hf__sink_puts(out, ",\"filters\":[");
	const hf_graph_options *go = o->graph;
	for (size_t i = 0; go && i < go->nactive_filters; i++) {
		if (i)
			hf__sink_putc(out, ',');
		put_json_str(out, go->active_filters[i]);
	}
	const hf_theme *th = type_theme(p, o, def);
	hf__sink_printf(out, "],\"search\":\"#%06x\",\"bg\":[\"#%06x\",\"#%06x\"],\"text\":\"#%06x\"",
		th ? (unsigned)th->search : 0xe600e6u, th ? (unsigned)th->bg_top : 0xeeeeeeu,
		th ? (unsigned)th->bg_bottom : 0xeeeeb0u, th ? (unsigned)th->text : 0u);
	hf__sink_puts(out, ",\"types\":[");
	for (size_t t = 0; t < p->nsample_types; t++) {
		if (t)
			hf__sink_putc(out, ',');
		put_type(pg, out, t, &tgs[t], palettes[t]);
	}
	hf__sink_puts(out, "]}");
}

static void page_dispose(page *pg)
{
	hf__intern_dispose(&pg->nodes);
	hf__intern_dispose(&pg->files);
	hf__intern_dispose(&pg->objs);
	hf__free(pg->node_file);
	hf__free(pg->node_obj);
	hf__free(pg->order);
	hf__free(pg->rank);
	hf__free(pg->loc_start);
	hf__free(pg->loc_nodes);
	hf__free(pg->frames);
	hf__free(pg->stacks);
	hf__arena_dispose(&pg->arena);
}

/* One colour table per distinct theme (mem and hot at most, unless
 * --colors or --theme chose one for all): palettes[t] is type t's.
 * @return how many themes */
static size_t assign_palettes(const hf_profile *profile, const hf_html_options *o,
	const hf_theme **themes, int *palettes)
{
	size_t nthemes = 0;
	for (size_t t = 0; t < profile->nsample_types; t++) {
		const hf_theme *th = type_theme(profile, o, t);
		size_t k = 0;
		while (k < nthemes && themes[k] != th)
			k++;
		if (k == nthemes)
			themes[nthemes++] = th;
		palettes[t] = (int)k;
	}
	return nthemes;
}

/* The head, then the page's metadata, nodes and colour tables. */
static void put_page_head(page *pg, hf__sink *s, const type_graph *tgs, const int *palettes,
	const hf_theme *const *themes, size_t nthemes)
{
	hf__sink_puts(s, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"heapflame ");
	hf__sink_puts(s, hf_version());
	hf__sink_puts(s, "\">\n<title>");
	const char *title = pg->o->title ? pg->o->title : hf_profile_source(pg->p);
	hf__html_put_text(s, title, strlen(title));
	hf__sink_puts(s, " - heapflame</title>\n<style>\n");
	put_asset(s, "report.css");
	hf__sink_puts(s, "</style>\n</head>\n<body>\n<div id=\"hf-app\"><noscript>This report "
		"draws its views with JavaScript.</noscript></div>\n"
		"<script type=\"application/json\" id=\"hf-meta\">");
	put_meta(pg, s, tgs, palettes);
	hf__sink_puts(s, "</script>\n<script type=\"application/json\" id=\"hf-nodes\">");
	put_nodes(pg, s);
	hf__sink_puts(s, "</script>\n<script type=\"application/json\" id=\"hf-colors\">[");
	for (size_t k = 0; k < nthemes; k++) {
		if (k)
			hf__sink_putc(s, ',');
		put_palette(pg, s, themes[k]);
	}
	hf__sink_puts(s, "]</script>\n");
}

/* The display tree and the stacks, each encoded into its buffer. */
static int encode_display_and_stacks(page *pg, hf_buffer *display, hf_buffer *stacks,
	int64_t *vals)
{
	hf_writer dw = hf_writer_buffer(display), stw = hf_writer_buffer(stacks);
	hf__sink ds, sts;
	if (hf__sink_init(&ds, &dw) != 0 || hf__sink_init(&sts, &stw) != 0) {
		hf_error ignored = {0};
		hf__sink_finish(&ds, &ignored);
		return hf__oom(pg->err);
	}
	int rc = put_stacks(pg, &sts, &ds, vals);
	hf_error derr = {0};
	int drc = hf__sink_finish(&ds, &derr), stacks_rc = hf__sink_finish(&sts, &derr);
	if (rc == HF_OK && (drc != HF_OK || stacks_rc != HF_OK))
		rc = hf__oom(pg->err);
	return rc;
}

/* The source listings of the profile's functions, packed. */
static int put_source_listings(page *pg, hf__sink *s)
{
	hf_buffer src = {0};
	hf_writer sw = hf_writer_buffer(&src);
	hf__sink ss;
	int rc;
	if (hf__sink_init(&ss, &sw) != 0) {
		rc = hf__oom(pg->err);
	} else {
		rc = hf__html_put_sources(&ss, pg->p, &pg->o->source, page_fn_id, page_fn_file, put_lines,
			pg, pg->err);
		hf_error serr = {0};
		if (hf__sink_finish(&ss, &serr) != HF_OK && rc == HF_OK)
			rc = hf__oom(pg->err);
	}
	if (rc == HF_OK)
		rc = put_packed(s, "hf-source", src.data, src.len, pg->err);
	hf_buffer_dispose(&src);
	return rc;
}

/* Each sample type's call graph SVG, packed, from <svg> on (the XML
 * prolog and DOCTYPE name external DTDs). */
static int put_call_graphs(hf__sink *s, const type_graph *tgs, size_t nt, hf_error *err)
{
	for (size_t t = 0; t < nt; t++) {
		if (!tgs[t].svg.len)
			continue;
		const char *svg = tgs[t].svg.data;
		size_t skip = 0;
		while (skip + 4 < tgs[t].svg.len && memcmp(svg + skip, "<svg", 4) != 0)
			skip++;
		if (skip + 4 >= tgs[t].svg.len)
			skip = 0;
		char id[32];
		snprintf(id, sizeof(id), "hf-graph-%zu", t);
		int rc = put_packed(s, id, svg + skip, tgs[t].svg.len - skip, err);
		if (rc != HF_OK)
			return rc;
	}
	return HF_OK;
}

/*
 * The page after its head: the display tree, drawn first; then the page's
 * script, which draws it while the parser is still reading the bulk after
 * it: the stacks (decoded when a view needs them), the source listings
 * and the call graphs (packed).
 */
static int put_page_body(page *pg, hf__sink *s, const type_graph *tgs, int64_t *vals)
{
	hf_buffer display = {0}, stacks = {0};
	int rc = encode_display_and_stacks(pg, &display, &stacks, vals);
	if (rc == HF_OK) {
		hf__sink_puts(s, "<script type=\"text/plain\" id=\"hf-display\">");
		hf__sink_put(s, display.data, display.len);
		hf__sink_puts(s, "</script>\n<script>\n");
		put_asset(s, "report.js");
		hf__sink_puts(s, "</script>\n<script type=\"text/plain\" id=\"hf-stacks\">");
		hf__sink_put(s, stacks.data, stacks.len);
		hf__sink_puts(s, "</script>\n");
	}
	hf_buffer_dispose(&display);
	hf_buffer_dispose(&stacks);
	if (rc == HF_OK && pg->o->sources)
		rc = put_source_listings(pg, s);
	if (rc == HF_OK)
		rc = put_call_graphs(s, tgs, pg->p->nsample_types, pg->err);
	if (rc == HF_OK)
		hf__sink_puts(s, "</body>\n</html>\n");
	return rc;
}

int hf_html_write(const hf_profile *profile, const hf_html_options *opts, hf_writer *writer,
	hf_error *err)
{
	static const hf_html_options defaults = HF_HTML_OPTIONS_INIT;
	const hf_html_options *o = opts ? opts : &defaults;
	if (!profile || !writer)
		return hf__error(err, HF_EINVALID, "hf_html_write: NULL argument");
	if (profile->nsample_types == 0)
		return hf__error(err, HF_EINVALID, "the profile has no sample types");
	const hf_theme *palette = NULL;
	int found = o->palette ? hf_theme_builtin(&palette, o->palette, err) : HF_OK;
	if (found == HF_ENOTFOUND)
		return hf__error(err, HF_EINVALID, "no palette or theme named \"%.40s\"", o->palette);
	if (found != HF_OK)
		return found;
	page pg = {.p = profile, .o = o, .err = err};
	hf__intern_init(&pg.nodes, &pg.arena);
	hf__intern_init(&pg.files, &pg.arena);
	hf__intern_init(&pg.objs, &pg.arena);
	size_t nt = profile->nsample_types;
	type_graph *tgs = hf__calloc(nt, sizeof(*tgs));
	int *palettes = hf__calloc(nt, sizeof(*palettes));
	const hf_theme **themes = hf__calloc(nt, sizeof(*themes));
	int64_t *vals = hf__calloc(2 * nt, sizeof(*vals));
	int rc = HF_OK;
	if (!tgs || !palettes || !themes || !vals) {
		rc = hf__oom(err);
		goto done;
	}
	if ((rc = build_nodes(&pg)) != HF_OK || (rc = sort_nodes(&pg)) != HF_OK ||
		(rc = build_stacks(&pg)) != HF_OK)
		goto done;
	for (size_t t = 0; t < nt && rc == HF_OK; t++)
		rc = build_graph(&pg, t, &tgs[t]);
	if (rc != HF_OK)
		goto done;
	size_t nthemes = assign_palettes(profile, o, themes, palettes);
	hf__sink s;
	if (hf__sink_init(&s, writer) != 0) {
		rc = hf__oom(err);
		goto done;
	}
	put_page_head(&pg, &s, tgs, palettes, themes, nthemes);
	rc = put_page_body(&pg, &s, tgs, vals);
	if (rc == HF_OK) {
		rc = hf__sink_finish(&s, err);
	} else {
		hf_error ignored = {0};
		hf__sink_finish(&s, &ignored);
	}
done:
	for (size_t t = 0; tgs && t < nt; t++) {
		hf_graph_free(tgs[t].graph);
		hf_buffer_dispose(&tgs[t].svg);
	}
	hf__free(tgs);
	hf__free(palettes);
	hf__free(themes);
	hf__free(vals);
	page_dispose(&pg);
	return rc;
}
