/*
 * Flame graph layout. Stacks are merged as a tree, siblings by frame name
 * (not by sorting whole lines as flamegraph.pl does, which splits main.F
 * when main.F.func1 is a sibling), then frames narrower than minwidth are
 * left out and the rest placed in preorder.
 */
#define _POSIX_C_SOURCE 200809L
#include "flame.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 16 bytes a node: a big profile's tree has about a node per frame of
 * every stack (1.2 M for synthetic-large), so the diff-only sums live in
 * arrays of their own, allocated for diffs only. */
typedef struct tree_node {
	uint32_t name;   /* frame id; NODE_INLINED: every occurrence was inlined */
	uint32_t parent;
	int64_t value;   /* cumulative */
} tree_node;

#define NODE_INLINED 0x80000000u
#define NODE_NAME(n) ((n)->name & ~NODE_INLINED)

typedef struct tree_diff {
	int64_t base;    /* cumulative */
	int64_t self, self_base;
} tree_diff;

typedef struct tree {
	tree_node *nodes;
	tree_diff *diff; /* diffs only, parallel to nodes; else NULL */
	size_t count, cap;
	/* nodes of the whole merged tree: `count` unless subtrees too narrow
	 * to draw were left unbuilt (see build_pruned) */
	size_t full_count;
	const hf_stacks *stacks;
} tree;

/* A child in its siblings' order: by name (its bytes), or by weight
 * and then name. Siblings' names are distinct, so the order is total. */
typedef struct child_key {
	const char *name;
	uint32_t len;
	uint32_t node;
	int64_t value;
} child_key;

static inline int cmp_name(const child_key *x, const child_key *y)
{
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static inline int kid_order(hf_flame_sort sort, const child_key *x, const child_key *y)
{
	if (sort == HF_FLAME_SORT_WEIGHT && x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return cmp_name(x, y);
}

HF_MERGE_SORT(kid_sort, child_key, hf_flame_sort, kid_order)

/* The k-th largest of v[0..n) (0-based), by quickselect: linear time. */
static int64_t select_desc(int64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	while (lo < hi) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		int64_t pivot = v[lo + (size_t)(seed >> 33) % (hi - lo + 1)];
		/* three-way partition: > pivot, == pivot, < pivot */
		size_t lt = lo, i = lo, gt = hi;
		while (i <= gt) {
			if (v[i] > pivot) {
				int64_t x = v[i]; v[i] = v[lt]; v[lt] = x;
				lt++, i++;
			} else if (v[i] < pivot) {
				int64_t x = v[i]; v[i] = v[gt]; v[gt] = x;
				if (gt == 0)
					break;
				gt--;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt - 1;
		else if (k > gt)
			lo = gt + 1;
		else
			return pivot;
	}
	return v[k];
}

static const char *arena_str(hf__arena *a, const char *s)
{
	return s ? hf__arena_strndup(a, s, strlen(s)) : NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void set_units(hf_flame *f, const char *type, const char *unit)
{
	type = type ? type : "";
	unit = unit ? unit : "";
	f->unit = HF_UNIT_COUNT;
	if (!strcmp(unit, "bytes")) {
		f->unit = HF_UNIT_BYTES;
		f->count_name = "bytes";
	} else if (!strcmp(unit, "nanoseconds")) {
		f->unit = HF_UNIT_NANOSECONDS;
		f->count_name = "ns";
	} else if (ends_with(type, "_objects") || !strcmp(type, "objects")) {
		f->count_name = "objects";
	} else if (!strcmp(unit, "count") && type[0]) {
		f->count_name = type;
	} else {
		f->count_name = unit[0] ? unit : "samples";
	}
}

/* Named background colours of flamegraph.pl's --bgcolors. */
static int set_background(hf_flame *f, const char *bg, hf_error *err)
{
	static const struct { const char *name; uint32_t top, bottom; } named[] = {
		{"yellow", 0xeeeeee, 0xeeeeb0}, {"blue", 0xeeeeee, 0xe0e0ff},
		{"green", 0xeef2ee, 0xe0ffe0}, {"grey", 0xf8f8f8, 0xe8e8e8},
		{"gray", 0xf8f8f8, 0xe8e8e8},
	};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcmp(bg, named[i].name)) {
			f->bg_top = named[i].top;
			f->bg_bottom = named[i].bottom;
			return HF_OK;
		}
	uint32_t c;
	if (!hf__theme_parse_rgb(bg, strlen(bg), &c))
		return hf__error(err, HF_EINVALID,
			"bad --bgcolors \"%.40s\": want yellow, blue, green, grey or #rrggbb", bg);
	f->bg_top = f->bg_bottom = c;
	return HF_OK;
}

/* ---- layout ---------------------------------------------------------- */

static uint32_t diff_color(int64_t delta, int64_t max, bool negate)
{
	if (negate)
		delta = -delta;
	if (delta == 0 || max <= 0)
		return 0xffffff;
	if (delta > 0) {
		uint32_t g = (uint32_t)(210.0 * (double)(max - delta) / (double)max);
		return 0xff0000 | g << 8 | g;
	}
	uint32_t b = (uint32_t)(210.0 * (double)(max + delta) / (double)max);
	return b << 16 | b << 8 | 0xff;
}

/* A new node under `parent`; HF_NONE when out of memory. */
static uint32_t tree_add(tree *t, uint32_t parent, uint32_t name, bool inlined)
{
	/* node ids are uint32_t: HF_NONE and the inlined bit stay free */
	const hf__column columns[] = {HF_COLUMN(t->nodes), HF_COLUMN(t->diff)};
	if (t->count == t->cap && (t->cap >= UINT32_MAX / 2 ||
		hf__grow_columns(columns, t->diff ? 2 : 1, &t->cap, t->count, 1024) != 0))
		return HF_NONE;
	uint32_t i = (uint32_t)t->count++;
	tree_node *n = &t->nodes[i];
	n->name = name | (inlined ? NODE_INLINED : 0);
	n->parent = parent;
	n->value = 0;
	if (t->diff)
		memset(&t->diff[i], 0, sizeof(t->diff[i]));
	return i;
}

/* A stack to merge: its frames, root first unless `reverse`. */
typedef struct build_item {
	const uint32_t *frames;
	uint32_t depth;
	uint32_t index;
} build_item;

/* Frame j of an item, counted from the root of the tree being built. */
#define ITEM_FRAME(it, j, reverse) ((it)->frames[(reverse) ? (it)->depth - 1 - (j) : (j)])

/* How many frames two items share from the root (by frame id), given
 * that they share the first `from`. */
static inline uint32_t shared_from(const build_item *a, const build_item *b, uint32_t from,
	bool reverse)
{
	uint32_t n = a->depth < b->depth ? a->depth : b->depth, i = from;
	if (!reverse) {
		while (i < n && HF_FRAME_ID(a->frames[i]) == HF_FRAME_ID(b->frames[i]))
			i++;
	} else {
		const uint32_t *fa = a->frames + a->depth - 1, *fb = b->frames + b->depth - 1;
		while (i < n && HF_FRAME_ID(fa[-(ptrdiff_t)i]) == HF_FRAME_ID(fb[-(ptrdiff_t)i]))
			i++;
	}
	return i;
}

/*
 * Any order in which stacks with a common prefix are adjacent will do:
 * frame ids compared from the root, a prefix first. a and b share at
 * least `from` frames; *shared is set to how many they share.
 */
static inline int item_cmp_from(const build_item *a, const build_item *b, uint32_t from,
	uint32_t *shared, bool reverse)
{
	uint32_t i = shared_from(a, b, from, reverse);
	*shared = i;
	if (i == a->depth || i == b->depth)
		return a->depth < b->depth ? -1 : a->depth > b->depth;
	uint32_t x = HF_FRAME_ID(ITEM_FRAME(a, i, reverse)), y = HF_FRAME_ID(ITEM_FRAME(b, i, reverse));
	return x < y ? -1 : 1;
}

/* Insertion sort of a few items, then their shared prefixes. */
static void item_sort_small(build_item *v, uint32_t *lcp, size_t n, bool reverse)
{
	uint32_t shared;
	for (size_t i = 1; i < n; i++) {
		build_item x = v[i];
		size_t j = i;
		while (j > 0 && item_cmp_from(&v[j - 1], &x, 0, &shared, reverse) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	for (size_t i = 1; i < n; i++)
		lcp[i] = shared_from(&v[i - 1], &v[i], 0, reverse);
}

/*
 * Merges v's sorted halves [0, half) and [half, n), each with lcp[i] the
 * frames v[i - 1] and v[i] share (tmp and tmp_lcp holding half). Each
 * head carries what it shares with the item output last: the head that
 * shares more with it is the smaller (both follow it, and the other one
 * differs from it first, upwards), so only heads that share as much are
 * compared, and from there on (Ng and Kakehi's LCP merge sort). Stable:
 * of equal heads the first half's goes first.
 */
static void item_sort_merge(build_item *v, uint32_t *lcp, build_item *tmp, uint32_t *tmp_lcp,
	size_t half, size_t n, bool reverse)
{
	if (half == 0 || half == n)
		return;
	uint32_t shared;
	if (item_cmp_from(&v[half - 1], &v[half], 0, &shared, reverse) <= 0) {
		lcp[half] = shared; /* already in order */
		return;
	}
	memcpy(tmp, v, half * sizeof(*v));
	memcpy(tmp_lcp, lcp, half * sizeof(*lcp));
	size_t i = 0, j = half, k = 0;
	/* what each head shares with the item output last (none yet: 0) */
	uint32_t la = 0, lb = 0;
	while (i < half && j < n) {
		int c = la > lb ? -1 : la < lb ? 1 : item_cmp_from(&tmp[i], &v[j], la, &shared, reverse);
		if (c <= 0) {
			v[k] = tmp[i];
			lcp[k++] = la;
			if (la == lb)
				lb = shared;
			la = ++i < half ? tmp_lcp[i] : 0;
		} else {
			if (la == lb)
				la = shared;
			v[k] = v[j];
			lcp[k++] = lb;
			lb = ++j < n ? lcp[j] : 0;
		}
	}
	if (i < half) {
		v[k] = tmp[i];
		lcp[k++] = la;
		memcpy(v + k, tmp + i + 1, (half - i - 1) * sizeof(*v));
		memcpy(lcp + k, tmp_lcp + i + 1, (half - i - 1) * sizeof(*lcp));
	} else if (j < n) {
		lcp[j] = lb; /* the rest are in place */
	}
}

/* Sorts v (tmp and tmp_lcp holding n / 2 + 1) and sets lcp[1 .. n). */
static void item_sort(build_item *v, uint32_t *lcp, build_item *tmp, uint32_t *tmp_lcp, size_t n,
	bool reverse)
{
	if (n <= 12) {
		item_sort_small(v, lcp, n, reverse);
		return;
	}
	size_t half = n / 2;
	item_sort(v, lcp, tmp, tmp_lcp, half, reverse);
	item_sort(v + half, lcp + half, tmp, tmp_lcp, n - half, reverse);
	item_sort_merge(v, lcp, tmp, tmp_lcp, half, n, reverse);
}

/* Below this many stacks a second thread costs more than half the sort
 * saves (starting one is ~0.1 ms; 4,096 stacks sort in ~2 ms). */
enum { SORT_PARALLEL_MIN = 4096 };

typedef struct sort_job {
	build_item *items, *tmp;
	uint32_t *lcp, *tmp_lcp;
	size_t n;
	bool reverse;
} sort_job;

static void sort_job_run(void *arg)
{
	sort_job *job = arg;
	item_sort(job->items, job->lcp, job->tmp, job->tmp_lcp, job->n, job->reverse);
}

/*
 * item_sort (tmp and tmp_lcp holding n / 2 + 2), its two halves sorted on
 * two threads where that pays, then merged: a stable sort, so the order
 * is the one item_sort gives. Sets lcp[i] to the frames items[i - 1] and
 * items[i] share from the root, lcp[0] to 0.
 */
static void sort_items(build_item *items, uint32_t *lcp, build_item *tmp, uint32_t *tmp_lcp,
	size_t n, bool reverse)
{
	size_t half = n / 2;
	/* each half's merges use up to its own half of tmp */
	sort_job upper = {items + half, tmp + half / 2 + 1, lcp + half, tmp_lcp + half / 2 + 1,
		n - half, reverse};
	hf__thread *t = hf__parallel_pays(n, SORT_PARALLEL_MIN)
		? hf__thread_start(sort_job_run, &upper) : NULL;
	if (!t) {
		item_sort(items, lcp, tmp, tmp_lcp, n, reverse);
	} else {
		item_sort(items, lcp, tmp, tmp_lcp, half, reverse);
		hf__thread_join(t);
		item_sort_merge(items, lcp, tmp, tmp_lcp, half, n, reverse);
	}
	lcp[0] = 0;
}

/* The narrowest value drawn before --max-frames: flamegraph.pl keeps
 * frames at least minwidth wide. */
static int64_t min_value(const hf_flame_options *opts, int64_t total)
{
	if (total <= 0)
		return 1;
	double width_per_value = (double)(opts->width - 2 * HF_FLAME_XPAD) / (double)total;
	double min = opts->minwidth_percent ? (double)total * opts->minwidth / 100.0
					    : opts->minwidth / width_per_value;
	double c = ceil(min);
	return c < 1 ? 1 : c > (double)INT64_MAX ? INT64_MAX : (int64_t)c;
}

/* A run of sorted items that share the node `node` at `depth`: the node's
 * children are made from it. */
typedef struct build_run {
	uint32_t lo, hi, depth, node;
} build_run;

/* What every run's expansion reads. */
typedef struct build_ctx {
	const build_item *items;
	const uint32_t *lcp;
	const uint64_t *sums;  /* sums[i]: the values of items [0, i) */
	int64_t threshold;
	bool reverse;
} build_ctx;

/* A node id made by the second thread's part of the tree (see
 * build_split): a number in its own array until it is appended. Node ids
 * stay below 2^31 (tree_add), so the bit is free. */
#define NODE_PART 0x80000000u

/*
 * Makes the children of run r's node in t: one scan of the run sums each
 * child's values and finds its run (where the shared prefix with the item
 * before is no longer than r.depth). Children at least the threshold wide
 * are pushed onto *stack; their ids carry `part` (0 or NODE_PART).
 */
static inline int expand_run(tree *t, const build_ctx *c, build_run r, uint32_t part,
	build_run **stack_at, size_t *cap_at, size_t *top_at)
{
	/* the stack in locals: stores to the nodes cannot alias them */
	build_run *stack = *stack_at;
	size_t cap = *cap_at, top = *top_at;
	const build_item *items = c->items;
	const uint32_t *lcp = c->lcp;
	const uint64_t *sums = c->sums;
	int64_t threshold = c->threshold;
	bool reverse = c->reverse;
	int rc = HF_OK;
	uint32_t i = r.lo;
	/* items ending at this node sort first */
	while (i < r.hi && items[i].depth == r.depth)
		i++;
	while (i < r.hi) {
		uint32_t lo = i;
		uint32_t ref = ITEM_FRAME(&items[i], r.depth, reverse);
		/* inlined only where every stack through it was: the other
		 * stacks' frames are read only while that holds */
		bool inlined = (ref & HF_FRAME_INLINED) != 0;
		for (i++; i < r.hi && lcp[i] > r.depth; i++)
			if (inlined && !(ITEM_FRAME(&items[i], r.depth, reverse) & HF_FRAME_INLINED))
				inlined = false;
		int64_t sum = (int64_t)(sums[i] - sums[lo]);
		uint32_t node = tree_add(t, r.node, HF_FRAME_ID(ref), inlined);
		if (node == HF_NONE) {
			rc = HF_ENOMEM;
			break;
		}
		t->nodes[node].value = sum;
		if (sum < threshold)
			continue;
		if (!HF_RESERVE(stack, &cap, top, 1, 256)) {
			rc = HF_ENOMEM;
			break;
		}
		stack[top++] = (build_run){lo, i, r.depth + 1, node | part};
	}
	*stack_at = stack;
	*cap_at = cap;
	*top_at = top;
	return rc;
}

/* Expands the runs on *stack (and those they push) until none is left. */
static int expand_all(tree *t, const build_ctx *c, uint32_t part, build_run **stack_at,
	size_t *cap_at, size_t *top_at)
{
	build_run *stack = *stack_at;
	size_t cap = *cap_at, top = *top_at;
	int rc = HF_OK;
	while (top > 0 && rc == HF_OK) {
		build_run r = stack[--top];
		rc = expand_run(t, c, r, part, &stack, &cap, &top);
	}
	*stack_at = stack;
	*cap_at = cap;
	*top_at = top;
	return rc;
}

/* Below this many items one thread builds the tree: it takes ~0.1 us an
 * item (50k stacks in ~5 ms), and a second thread costs ~0.1 ms to start. */
enum { BUILD_PARALLEL_MIN = 16384 };

/* The second thread's part: its runs, and the nodes it makes (parents
 * either the first part's node ids or its own, marked NODE_PART). */
typedef struct build_part {
	tree tree;
	const build_ctx *ctx;
	build_run *stack;
	size_t top, cap;
	int rc;
} build_part;

static void build_part_run(void *arg)
{
	build_part *p = arg;
	p->rc = expand_all(&p->tree, p->ctx, NODE_PART, &p->stack, &p->cap, &p->top);
}

/* The part's nodes appended to t, their parents renumbered. */
static int append_part(tree *t, const tree *part)
{
	if (part->count == 0)
		return HF_OK;
	/* a tree built by parts has no diff column (build_pruned) */
	if (part->count >= UINT32_MAX / 2 - t->count ||
	    !HF_RESERVE(t->nodes, &t->cap, t->count, part->count, 1024))
		return HF_ENOMEM;
	uint32_t base = (uint32_t)t->count;
	for (size_t k = 0; k < part->count; k++) {
		tree_node n = part->nodes[k];
		if (n.parent & NODE_PART)
			n.parent = (n.parent & ~NODE_PART) + base;
		t->nodes[t->count++] = n;
	}
	return HF_OK;
}

/*
 * The runs on *stack shared with a second thread: the widest run (by
 * items) is expanded until none holds more than a quarter of the items
 * pending (or a few hundred were expanded: a profile whose stacks all
 * pass one chain), then runs holding up to half of them go to the second
 * thread, which makes their subtrees' nodes in a tree of its own
 * (*part_out, the caller's to append and free) while this thread makes
 * the rest's. Every node
 * is made once, with the value and inline flag one thread gives it; only
 * the numbering differs, which no output depends on.
 */
static int build_split(tree *t, tree *part_out, const build_ctx *c, build_run **stack, size_t *cap,
	size_t *top)
{
	size_t pending = 0;
	for (int expanded = 0; *top > 0 && expanded < 256; expanded++) {
		size_t widest = 0;
		pending = 0;
		for (size_t k = 0; k < *top; k++) {
			size_t items = (*stack)[k].hi - (*stack)[k].lo;
			pending += items;
			if (items > (*stack)[widest].hi - (*stack)[widest].lo)
				widest = k;
		}
		build_run r = (*stack)[widest];
		if ((size_t)(r.hi - r.lo) * 4 <= pending && *top > 1)
			break;
		(*stack)[widest] = (*stack)[--*top];
		int rc = expand_run(t, c, r, 0, stack, cap, top);
		if (rc != HF_OK)
			return rc;
		pending = 0;
	}
	if (*top < 2)
		return expand_all(t, c, 0, stack, cap, top);
	if (pending == 0)
		for (size_t k = 0; k < *top; k++)
			pending += (*stack)[k].hi - (*stack)[k].lo;
	build_part part = {{0}, c, NULL, 0, 0, HF_OK};
	part.tree.cap = 1024;
	part.tree.nodes = hf__malloc(part.tree.cap * sizeof(*part.tree.nodes));
	part.cap = *top;
	part.stack = hf__malloc(part.cap * sizeof(*part.stack));
	if (!part.tree.nodes || !part.stack) {
		hf__free(part.tree.nodes);
		hf__free(part.stack);
		return HF_ENOMEM;
	}
	/* runs up to half of the items pending to the part, in stack order */
	size_t taken = 0, kept = 0;
	for (size_t k = 0; k < *top; k++) {
		build_run r = (*stack)[k];
		if ((taken + (r.hi - r.lo)) * 2 <= pending) {
			part.stack[part.top++] = r;
			taken += r.hi - r.lo;
		} else {
			(*stack)[kept++] = r;
		}
	}
	*top = kept;
	hf__thread *th = part.top > 0 ? hf__thread_start(build_part_run, &part) : NULL;
	if (!th)
		build_part_run(&part);
	int rc = expand_all(t, c, 0, stack, cap, top);
	hf__thread_join(th);
	hf__free(part.stack);
	*part_out = part.tree;
	return rc == HF_OK ? part.rc : rc;
}

/* sums[lo + 1 .. hi] of build_pruned: the values of items [lo, i + 1)
 * (sums[lo] is not read, nor written unless lo is 0), and what the items
 * add to the full tree. */
typedef struct sum_job {
	const hf_stacks *stacks;
	const build_item *items;
	const uint32_t *lcp;
	uint64_t *sums;
	size_t lo, hi;
	size_t full;
} sum_job;

static void sum_job_run(void *arg)
{
	sum_job *j = arg;
	uint64_t sum = 0;
	size_t full = 0;
	if (j->lo == 0)
		j->sums[0] = 0;
	for (size_t i = j->lo; i < j->hi; i++) {
		full += j->items[i].depth - j->lcp[i];
		int64_t value;
		hf_stacks_get(j->stacks, j->items[i].index, NULL, &value);
		sum += (uint64_t)value;
		j->sums[i + 1] = sum;
	}
	j->full = full;
}

/*
 * The tree of sorted items (values all positive), built only where it can
 * be drawn: the children of a node narrower than min_value() are never
 * drawn (a child is never wider than its parent), so they are not made;
 * the nodes that are made are those a full build makes at or above the
 * threshold and their children, with the same values and inline flags.
 * Items sharing a node are a run of the sorted items, so a node is made
 * by one scan of its run (expand_run), on two threads where that pays
 * (build_split). full_count is the full tree's size (each item adds a
 * node for every frame beyond the prefix it shares with the item before),
 * for the count of frames left out.
 */
static int build_pruned(tree *t, const build_item *items, const uint32_t *lcp, size_t nitems,
	const hf_flame_options *opts)
{
	/* sums[i]: the values of items [0, i), so a run's sum is a difference
	 * (wrapping as a sum of int64 would) and its scan reads no stack */
	uint64_t *sums = hf__malloc(hf__mul(nitems + 1, sizeof(*sums)));
	size_t cap = 256, top = 0;
	build_run *stack = hf__malloc(cap * sizeof(*stack));
	int rc = HF_ENOMEM;
	if (!sums || !stack || nitems >= UINT32_MAX)
		goto done;
	bool two = hf__parallel_pays(nitems, BUILD_PARALLEL_MIN);
	/* the sums read each stack's value at random: the upper half's are
	 * summed from 0 on a second thread, then raised by the lower half's */
	size_t mid = two ? nitems / 2 : nitems;
	sum_job upper = {t->stacks, items, lcp, sums, mid, nitems, 0};
	hf__thread *th = mid < nitems ? hf__thread_start(sum_job_run, &upper) : NULL;
	sum_job lower = {t->stacks, items, lcp, sums, 0, mid, 0};
	sum_job_run(&lower);
	if (!th && mid < nitems)
		sum_job_run(&upper);
	hf__thread_join(th);
	for (size_t i = mid + 1; i <= nitems; i++)
		sums[i] += sums[mid];
	int64_t total = (int64_t)sums[nitems];
	t->full_count = 1 + lower.full + upper.full;
	t->nodes[0].value = total;
	build_ctx c = {items, lcp, sums, min_value(opts, total), opts->reverse};
	stack[top++] = (build_run){0, (uint32_t)nitems, 0, 0};
	tree part = {0};
	if (two)
		rc = build_split(t, &part, &c, &stack, &cap, &top);
	else
		rc = expand_all(t, &c, 0, &stack, &cap, &top);
	/* the sums go before the parts are put together, the layout's peak */
	hf__free(sums);
	sums = NULL;
	if (rc == HF_OK)
		rc = append_part(t, &part);
	hf__free(part.nodes);
done:
	hf__free(sums);
	hf__free(stack);
	return rc;
}

/*
 * Merges the stacks into a tree without a (parent, name) lookup per frame:
 * sorted so that stacks sharing a prefix are adjacent, each stack reuses
 * the nodes of the prefix it shares with the one before and appends the
 * rest. The tree is the one a lookup per frame builds; only its node
 * numbering differs, which no output depends on (siblings are ordered by
 * name or weight, both unique keys).
 */
static int build_tree(tree *t, const hf_stacks *s, const hf_flame_options *opts, bool diff)
{
	bool reverse = opts->reverse;
	size_t n = hf_stacks_count(s);
	t->cap = 1024;
	t->nodes = hf__malloc(t->cap * sizeof(*t->nodes));
	build_item *items = hf__malloc(hf__mul(n + 1, sizeof(*items)));
	build_item *tmp = hf__malloc(hf__mul(n / 2 + 2, sizeof(*tmp)));
	uint32_t *lcp = hf__malloc(hf__mul(n + 1, sizeof(*lcp)));
	uint32_t *tmp_lcp = hf__malloc(hf__mul(n / 2 + 2, sizeof(*tmp_lcp)));
	uint32_t *path = NULL;
	int rc = HF_ENOMEM;
	if (!t->nodes || !items || !tmp || !lcp || !tmp_lcp)
		goto done;
	if (diff) {
		t->diff = hf__malloc(t->cap * sizeof(*t->diff));
		if (!t->diff)
			goto done;
		memset(&t->diff[0], 0, sizeof(t->diff[0]));
	}
	memset(&t->nodes[0], 0, sizeof(t->nodes[0])); /* the root: its name is not used */
	t->count = 1;
	size_t nitems = 0;
	uint32_t max_depth = 0;
	for (size_t i = 0; i < n; i++) {
		const uint32_t *frames;
		int64_t value;
		size_t depth = hf_stacks_get(s, i, &frames, &value);
		int64_t base = diff ? hf_stacks_base(s, i) : 0;
		/* widths cannot be negative: such stacks (and empty ones) are
		 * left out */
		if (value < 0 || base < 0 || (value == 0 && base == 0))
			continue;
		items[nitems++] = (build_item){frames, (uint32_t)depth, (uint32_t)i};
		if (depth > max_depth)
			max_depth = (uint32_t)depth;
	}
	sort_items(items, lcp, tmp, tmp_lcp, nitems, reverse);
	hf__free(tmp);
	hf__free(tmp_lcp);
	tmp = NULL;
	tmp_lcp = NULL;
	if (!diff) {
		rc = build_pruned(t, items, lcp, nitems, opts);
		goto done;
	}
	path = hf__malloc(hf__mul((size_t)max_depth + 1, sizeof(*path)));
	if (!path)
		goto done;
	for (size_t i = 0; i < nitems; i++) {
		const build_item *it = &items[i];
		int64_t value, base = diff ? hf_stacks_base(s, it->index) : 0;
		const uint32_t *frames;
		hf_stacks_get(s, it->index, &frames, &value);
		uint32_t shared = lcp[i];
		t->nodes[0].value += value;
		if (diff)
			t->diff[0].base += base;
		uint32_t cur = 0;
		for (uint32_t j = 0; j < it->depth; j++) {
			uint32_t ref = ITEM_FRAME(it, j, reverse);
			bool inlined = (ref & HF_FRAME_INLINED) != 0;
			if (j < shared) {
				cur = path[j];
				if (!inlined)
					t->nodes[cur].name &= ~NODE_INLINED;
			} else {
				cur = tree_add(t, cur, HF_FRAME_ID(ref), inlined);
				if (cur == HF_NONE)
					goto done;
				path[j] = cur;
			}
			t->nodes[cur].value += value;
			if (diff)
				t->diff[cur].base += base;
		}
		if (diff) {
			t->diff[cur].self += value;
			t->diff[cur].self_base += base;
		}
	}
	t->full_count = t->count;
	rc = HF_OK;
done:
	hf__free(items);
	hf__free(tmp);
	hf__free(lcp);
	hf__free(tmp_lcp);
	hf__free(path);
	return rc;
}

/* splitmix64: small, and every seed gives a full-period stream */
static double next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}

static uint32_t frame_color(hf_flame *f, uint32_t *cache, uint32_t name, int *rc)
{
	/* --random colours every frame anew, as flamegraph.pl does; with --cp
	 * the first colour a name gets is kept, as there */
	bool per_frame = f->opts.random_seed && !f->opts.palette_map;
	if (!per_frame && cache[name] != HF_NONE)
		return cache[name];
	size_t len;
	const char *s = hf_stacks_frame_name(f->stacks, name, &len);
	uint32_t c;
	const hf__palette_entry *e = f->opts.palette_map ? hf__flame_palette_find(f, s) : NULL;
	if (e) {
		c = e->color;
	} else {
		if (f->opts.random_seed) {
			double v[3];
			for (int i = 0; i < 3; i++)
				v[i] = next_random(&f->random_state);
			c = hf__theme_color_values(f->theme, s, len, v);
		} else {
			c = hf_theme_color(f->theme, s, len, f->opts.hash);
		}
		if (f->opts.palette_map && hf__flame_palette_add(f, s, len, c) != HF_OK)
			*rc = HF_ENOMEM;
	}
	cache[name] = c;
	return c;
}

static int place_frames(hf_flame *f, const tree *t, const child_key *kids,
	const uint32_t *first, int64_t threshold, size_t capacity, hf_error *err)
{
	/* preorder walk; stack of (node, next child position, next start) */
	typedef struct { uint32_t node, frame; uint32_t next; int64_t start; } walk;
	size_t cap = 64, top = 0;
	walk *stack = hf__malloc(cap * sizeof(*stack));
	size_t nnames = hf_stacks_frame_count(f->stacks);
	uint32_t *colors = hf__malloc(hf__mul(nnames + 1, sizeof(*colors)));
	if (!stack || !colors) {
		hf__free(stack);
		hf__free(colors);
		return hf__oom(err);
	}
	memset(colors, 0xff, (nnames + 1) * sizeof(*colors));
	int rc = HF_OK;
	f->nframes = 0;
	f->depth_max = 0;
	f->max_delta = 0;
	for (size_t i = 0; t->diff && i < t->count; i++) {
		int64_t d = t->diff[i].self - t->diff[i].self_base;
		d = d < 0 ? -d : d;
		if (d > f->max_delta)
			f->max_delta = d;
	}
	stack[top++] = (walk){0, 0, first[0], 0};
	hf__flame_frame *root = &f->frames[f->nframes++];
	memset(root, 0, sizeof(*root));
	root->name = HF_FLAME_ROOT;
	root->value = t->nodes[0].value;
	if (t->diff) {
		root->base = t->diff[0].base;
		root->delta = t->diff[0].self - t->diff[0].self_base;
	}
	while (top > 0) {
		walk *w = &stack[top - 1];
		if (w->next == first[w->node + 1]) {
			top--;
			continue;
		}
		const child_key *k = &kids[w->next++];
		const tree_node *n = &t->nodes[k->node];
		int64_t start = w->start;
		w->start += n->value;
		if (n->value < threshold || n->value <= 0)
			continue;
		if (f->nframes >= capacity) { /* cannot happen: counted before */
			rc = HF_ERROR;
			break;
		}
		uint32_t parent_frame = w->frame;
		uint32_t depth = (uint32_t)top;
		hf__flame_frame *fr = &f->frames[f->nframes];
		fr->name = NODE_NAME(n);
		fr->depth = depth;
		fr->parent = parent_frame;
		fr->inlined = (n->name & NODE_INLINED) != 0;
		fr->start = start;
		fr->value = n->value;
		fr->base = t->diff ? t->diff[k->node].base : 0;
		fr->delta = t->diff ? t->diff[k->node].self - t->diff[k->node].self_base : 0;
		fr->color = f->diff ? diff_color(fr->delta, f->max_delta, f->opts.negate)
				    : frame_color(f, colors, fr->name, &rc);
		if (depth > f->depth_max)
			f->depth_max = depth;
		if (!HF_RESERVE(stack, &cap, top, 1, 64)) {
			rc = HF_ENOMEM;
			break;
		}
		stack[top++] = (walk){k->node, (uint32_t)f->nframes, first[k->node], start};
		f->nframes++;
	}
	/* the root: flamegraph.pl labels it "all" but colours its empty name */
	if (f->diff)
		f->frames[0].color = diff_color(f->frames[0].delta, f->max_delta, f->opts.negate);
	else
		f->frames[0].color = hf_theme_color(f->theme, "", 0, f->opts.hash);
	hf__free(stack);
	hf__free(colors);
	if (rc == HF_ERROR)
		return hf__error(err, HF_ERROR, "flame layout: more frames than counted");
	return rc == HF_OK ? HF_OK : hf__oom(err);
}

/* The options' ranges. */
static int check_options(const hf_flame_options *opts, hf_error *err)
{
	if (opts->width < 100 || opts->width > 100000)
		return hf__error(err, HF_EINVALID, "width must be 100 to 100000 px");
	if (opts->frame_height < 4 || opts->frame_height > 1000)
		return hf__error(err, HF_EINVALID, "frame height must be 4 to 1000 px");
	if (!(opts->font_size >= 1 && opts->font_size <= 200))
		return hf__error(err, HF_EINVALID, "font size must be 1 to 200");
	if (!(opts->font_width >= 0 && opts->font_width <= 10))
		return hf__error(err, HF_EINVALID, "font width must be 0 to 10");
	if (!(opts->minwidth >= 0) || (opts->minwidth_percent && opts->minwidth > 100))
		return hf__error(err, HF_EINVALID, "minwidth must be at least 0 (a percentage at most 100)");
	if (opts->notes && strpbrk(opts->notes, "<>"))
		return hf__error(err, HF_EINVALID, "notes may not contain < or >");
	return HF_OK;
}

/* The options, their strings copied into the flame's arena (with the
 * defaults of font and name type). @return false when out of memory */
static bool keep_options(hf_flame *f, const hf_flame_options *opts)
{
	hf__arena *a = &f->arena;
	f->opts = *opts;
	f->opts.title = arena_str(a, opts->title);
	f->opts.subtitle = arena_str(a, opts->subtitle);
	f->opts.font_type = arena_str(a, opts->font_type ? opts->font_type : "Verdana");
	f->opts.count_name = arena_str(a, opts->count_name);
	f->opts.name_type = arena_str(a, opts->name_type ? opts->name_type : "Function:");
	f->opts.notes = arena_str(a, opts->notes);
	f->opts.bgcolors = NULL;
	f->opts.palette = arena_str(a, opts->palette);
	f->opts.palette_map = arena_str(a, opts->palette_map);
	f->opts.id_prefix = NULL;
	return f->opts.font_type && f->opts.name_type && (!opts->title || f->opts.title) &&
		(!opts->subtitle || f->opts.subtitle) && (!opts->count_name || f->opts.count_name) &&
		(!opts->notes || f->opts.notes) && (!opts->palette || f->opts.palette) &&
		(!opts->palette_map || f->opts.palette_map);
}

/* The theme (given, named, or mem for heap types and hot otherwise), the
 * background, and the palette map file. */
static int set_colors(hf_flame *f, const hf_flame_options *opts, const char *type,
	const char *unit, hf_error *err)
{
	int rc = HF_OK;
	if (opts->theme) {
		f->theme = opts->theme;
	} else {
		const char *pal = opts->palette;
		if (!pal) {
			bool heap = (unit && !strcmp(unit, "bytes")) ||
				(type && (ends_with(type, "_objects") || ends_with(type, "_space")));
			pal = heap ? "mem" : "hot";
		}
		rc = hf_theme_builtin(&f->theme, pal, err);
		if (rc == HF_ENOTFOUND)
			rc = hf__error(err, HF_EINVALID, "no palette or theme named \"%.40s\"", pal);
		if (rc != HF_OK)
			return rc;
	}
	f->bg_top = f->theme->bg_top;
	f->bg_bottom = f->theme->bg_bottom;
	if (opts->bgcolors && (rc = set_background(f, opts->bgcolors, err)) != HF_OK)
		return rc;
	if (f->opts.palette_map)
		return hf__flame_palette_read(f, f->opts.palette_map, err);
	return HF_OK;
}

/*
 * The smallest value drawn: minwidth's, raised so that at most
 * max_frames frames are drawn (the widest: a child is never wider than
 * its parent, so a value cut keeps whole subtrees out).
 */
static int frame_threshold(const tree *t, const hf_flame_options *opts, int64_t total,
	int64_t *out)
{
	/* flamegraph.pl keeps frames at least minwidth wide */
	int64_t threshold = min_value(opts, total);
	size_t max_frames = opts->max_frames ? opts->max_frames : HF_FLAME_DEFAULT_MAX_FRAMES;
	size_t drawn = 0;
	for (size_t i = 1; i < t->count; i++)
		drawn += t->nodes[i].value >= threshold;
	if (drawn + 1 > max_frames) {
		/* keep the widest max_frames - 1 */
		int64_t *values = hf__malloc(hf__mul(drawn, sizeof(*values)));
		if (!values)
			return HF_ENOMEM;
		size_t nv = 0;
		for (size_t i = 1; i < t->count; i++)
			if (t->nodes[i].value >= threshold)
				values[nv++] = t->nodes[i].value;
		size_t keep = max_frames > 1 ? max_frames - 1 : 0;
		if (keep < nv)
			threshold = select_desc(values, nv, keep) + 1;
		hf__free(values);
	}
	*out = threshold;
	return HF_OK;
}

/*
 * The children that need an order, only those of drawn frames (so a huge
 * tree costs little beyond building it), sorted by name or weight: the
 * children of node p end up at kids[first[p] .. first[p+1]). Grouped by
 * parent by counting, then each group sorted alone: groups are small, so
 * names are compared only between siblings, not ranked all first.
 */
static int order_children(const tree *t, const hf_stacks *s, int64_t threshold,
	hf_flame_sort sort, child_key **kids_out, uint32_t **first_out)
{
	size_t nkids = 0;
	/* first[p + 1] counts p's children, then is the cursor filling them */
	uint32_t *first = hf__calloc(t->count + 2, sizeof(*first));
	if (!first)
		return HF_ENOMEM;
	for (size_t i = 1; i < t->count; i++) {
		const tree_node *n = &t->nodes[i];
		/* children of frames left out need no order */
		if (n->parent == 0 || t->nodes[n->parent].value >= threshold) {
			first[n->parent + 2]++;
			nkids++;
		}
	}
	uint32_t widest = 0;
	for (size_t p = 0; p < t->count; p++) {
		if (first[p + 2] > widest)
			widest = first[p + 2];
		first[p + 2] += first[p + 1];
	}
	child_key *kids = hf__malloc(hf__mul(nkids + 1, sizeof(*kids)));
	child_key *tmp = hf__malloc(hf__mul(widest / 2 + 1, sizeof(*tmp)));
	if (!kids || !tmp) {
		hf__free(kids);
		hf__free(tmp);
		hf__free(first);
		return HF_ENOMEM;
	}
	for (size_t i = 1; i < t->count; i++) {
		const tree_node *n = &t->nodes[i];
		if (n->parent != 0 && t->nodes[n->parent].value < threshold)
			continue;
		size_t len;
		const char *name = hf_stacks_frame_name(s, NODE_NAME(n), &len);
		kids[first[n->parent + 1]++] = (child_key){name, (uint32_t)len, (uint32_t)i, n->value};
	}
	for (size_t p = 0; p < t->count; p++)
		if (first[p + 1] - first[p] > 1)
			kid_sort(kids + first[p], tmp, first[p + 1] - first[p], sort);
	hf__free(tmp);
	*kids_out = kids;
	*first_out = first;
	return HF_OK;
}

/* The image height and where the frames start and end (flamegraph.pl's
 * paddings around the rows). */
static void set_geometry(hf_flame *f)
{
	int fs = (int)f->opts.font_size;
	int ypad1 = fs * 3, ypad2 = fs * 2 + 10, ypad3 = f->opts.subtitle ? fs * 2 : 0;
	int rows = (int)(f->depth_max + 1) * f->opts.frame_height;
	f->image_height = rows + ypad1 + ypad2 + ypad3;
	/* icicles start below the subtitle (flamegraph.pl overlaps them) */
	f->frames_top = ypad1 + ypad3;
	f->frames_bottom = f->image_height - ypad2;
}

/* The SVG ids' prefix: the option's letters, digits, '-' and '_' when it
 * starts with a letter, else one derived from the data. */
static void set_id_prefix(hf_flame *f, const char *given, const char *type)
{
	uint64_t h = hf__hash_bytes(&f->total, sizeof(f->total), f->nframes);
	h = hf__hash_bytes(type ? type : "", type ? strlen(type) : 0, h);
	for (size_t i = 0; i < f->nframes && i < 64; i++)
		h = hf__hash_bytes(&f->frames[i].value, sizeof(int64_t), h);
	if (given) {
		size_t k = 0;
		for (const char *p = given; *p && k + 1 < sizeof(f->id_prefix); p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
				f->id_prefix[k++] = *p;
		f->id_prefix[k] = '\0';
	}
	if (!f->id_prefix[0] || !((f->id_prefix[0] >= 'a' && f->id_prefix[0] <= 'z') ||
				  (f->id_prefix[0] >= 'A' && f->id_prefix[0] <= 'Z')))
		snprintf(f->id_prefix, sizeof(f->id_prefix), "hf%08x", (unsigned)(h & 0xffffffffu));
}

/* The frames of the tree: what is drawn, ordered, placed and coloured. */
static int lay_out_tree(hf_flame *f, const tree *t, const hf_flame_options *opts, hf_error *err)
{
	int64_t threshold;
	int rc = frame_threshold(t, opts, f->total, &threshold);
	size_t ndrawn = 1;
	for (size_t i = 1; rc == HF_OK && i < t->count; i++)
		ndrawn += t->nodes[i].value >= threshold;
	child_key *kids = NULL;
	uint32_t *first = NULL;
	if (rc == HF_OK)
		rc = order_children(t, f->stacks, threshold, opts->sort, &kids, &first);
	if (rc == HF_OK) {
		f->frames = hf__malloc(hf__mul(ndrawn, sizeof(*f->frames)));
		if (!f->frames)
			rc = HF_ENOMEM;
	}
	if (rc == HF_OK)
		rc = place_frames(f, t, kids, first, threshold, ndrawn, err);
	else
		hf__oom(err);
	if (rc == HF_OK) {
		f->omitted = t->full_count - f->nframes;
		f->min_value = threshold;
	}
	hf__free(kids);
	hf__free(first);
	return rc;
}

int hf_flame_layout(hf_flame **out, const hf_stacks *s, const hf_flame_options *opts,
	hf_error *err)
{
	hf_flame_options defaults = HF_FLAME_OPTIONS_INIT;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	int rc = check_options(opts, err);
	if (rc != HF_OK)
		return rc;
	hf_flame *f = hf__calloc(1, sizeof(*f));
	if (!f)
		return hf__oom(err);
	f->random_state = opts->random_seed;
	f->stacks = s;
	f->diff = hf_stacks_has_base(s);
	if (!keep_options(f, opts)) {
		hf_flame_free(f);
		return hf__oom(err);
	}
	const char *type = hf_stacks_sample_type(s), *unit = hf_stacks_sample_unit(s);
	set_units(f, type, unit);
	if (f->opts.count_name) {
		f->count_name = f->opts.count_name;
		f->explicit_count_name = true;
	}
	rc = set_colors(f, opts, type, unit, err);
	if (rc != HF_OK) {
		hf_flame_free(f);
		return rc;
	}

	tree t = {0};
	t.stacks = s;
	rc = build_tree(&t, s, opts, f->diff);
	int64_t total = t.count ? t.nodes[0].value : 0;
	f->total = total;
	f->base_total = t.count && t.diff ? t.diff[0].base : 0;
	f->width_per_value = total > 0 ? (double)(opts->width - 2 * HF_FLAME_XPAD) / (double)total : 0;
	if (rc == HF_OK)
		rc = lay_out_tree(f, &t, opts, err);
	else
		hf__oom(err);
	if (rc == HF_OK) {
		set_geometry(f);
		set_id_prefix(f, opts->id_prefix, type);
	}
	hf__free(t.nodes);
	hf__free(t.diff);
	if (rc != HF_OK) {
		hf_flame_free(f);
		return rc;
	}
	*out = f;
	return HF_OK;
}

size_t hf_flame_frame_count(const hf_flame *f)
{
	return f ? f->nframes : 0;
}

size_t hf_flame_omitted_count(const hf_flame *f)
{
	return f ? f->omitted : 0;
}

void hf_flame_free(hf_flame *f)
{
	if (!f)
		return;
	hf__free(f->frames);
	hf__free(f->palette);
	hf__arena_dispose(&f->arena);
	hf__free(f);
}

/* ---- shared by the renderers ----------------------------------------- */

double hf__flame_row_y(const hf_flame *f, uint32_t depth)
{
	int fh = f->opts.frame_height;
	if (f->opts.inverted)
		return f->frames_top + (double)depth * fh;
	return f->frames_bottom - (double)(depth + 1) * fh + 1;
}

void hf__flame_frame_box(const hf_flame *f, size_t i, double *x1, double *x2, double *y1)
{
	const hf__flame_frame *fr = &f->frames[i];
	*x1 = HF_FLAME_XPAD + (double)fr->start * f->width_per_value;
	*x2 = HF_FLAME_XPAD + (double)(fr->start + fr->value) * f->width_per_value;
	*y1 = hf__flame_row_y(f, fr->depth);
}

const char *hf__flame_frame_name(const hf_flame *f, size_t i, size_t *len)
{
	const hf__flame_frame *fr = &f->frames[i];
	if (fr->name == HF_FLAME_ROOT) {
		*len = 3;
		return "all";
	}
	const char *s = hf_stacks_frame_name(f->stacks, fr->name, len);
	/* flamegraph.pl's annotations: name_[k], _[w], _[i], _[j] */
	if (f->theme->strip_annotations && *len > 4 && s[*len - 4] == '_' &&
	    s[*len - 3] == '[' && s[*len - 1] == ']' && strchr("kwij", s[*len - 2]))
		*len -= 4;
	return s;
}
