/* Distinct stacks: a hash table of frame-reference sequences. */
#include "stacks.h"

#include <pthread.h>
#include <string.h>

int hf__stacks_new(hf_stacks **out, const char *type, const char *unit, hf_error *err)
{
	hf_stacks *s = hf__calloc(1, sizeof(*s));
	if (!s)
		return hf__oom(err);
	hf__intern_init(&s->names, &s->arena);
	s->sample_type = hf__arena_strndup(&s->arena, type, strlen(type));
	s->sample_unit = hf__arena_strndup(&s->arena, unit, strlen(unit));
	if (!s->sample_type || !s->sample_unit) {
		hf_stacks_free(s);
		return hf__oom(err);
	}
	*out = s;
	return HF_OK;
}

void hf_stacks_free(hf_stacks *s)
{
	if (!s)
		return;
	hf__intern_dispose(&s->names);
	hf__arena_dispose(&s->arena);
	hf__free(s->frames);
	hf__free(s->stacks);
	hf__free(s->slots);
	hf__free(s);
}

static int add_values(hf_stacks *s, hf__stack *st, int64_t value, int64_t base,
	hf_error *err)
{
	if (__builtin_add_overflow(st->value, value, &st->value) ||
	    __builtin_add_overflow(s->total, value, &s->total) ||
	    __builtin_add_overflow(st->base, base, &st->base) ||
	    __builtin_add_overflow(s->base_total, base, &s->base_total))
		return hf__error(err, HF_ELIMIT, "sample values overflow 64 bits");
	return HF_OK;
}

int hf__stacks_add(hf_stacks *s, const uint32_t *frames, size_t depth, int64_t value,
	hf_error *err)
{
	return hf__stacks_add_diff(s, frames, depth, value, 0, err);
}

/* The slot of a stack (its frames are the key): holds the id of an
 * equal stack, or none. Only a slot with the key's hash leads to its stack
 * and frames. */
static bool is_stack(void *probe, size_t slot)
{
	const hf__index_key *q = probe;
	const hf_stacks *s = q->table;
	const hf__stack_slot *sl = &s->slots[slot];
	if (sl->id == HF_NONE)
		return true;
	if (sl->hash != (uint32_t)q->hash)
		return false;
	const hf__stack *st = &s->stacks[sl->id];
	/* The empty stack's key may be NULL, which memcmp must not get. */
	return st->depth == q->len && (q->len == 0 ||
		memcmp(s->frames + st->offset, q->key, q->len * sizeof(*s->frames)) == 0);
}

static bool is_free_slot(void *slots, size_t slot)
{
	return ((const hf__stack_slot *)slots)[slot].id == HF_NONE;
}

/* Doubles the index (4096 slots to start with), each stack placed anew by
 * the hash in its slot: no stack is read. */
static int grow_slots(hf_stacks *s)
{
	size_t n = s->nslots ? hf__mul(s->nslots, 2) : 4096;
	hf__stack_slot *grown = hf__malloc(hf__mul(n, sizeof(*grown)));
	if (!grown)
		return -1;
	memset(grown, 0xff, n * sizeof(*grown)); /* every id HF_NONE */
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slots[i].id != HF_NONE)
			grown[hf__index_probe(n, s->slots[i].hash, is_free_slot, grown)] = s->slots[i];
	hf__free(s->slots);
	s->slots = grown;
	s->nslots = n;
	return 0;
}

uint32_t hf__stacks_hash(const uint32_t *frames, size_t depth)
{
	return (uint32_t)hf__hash_bytes(frames, depth * sizeof(*frames), depth);
}

int hf__stacks_add_diff(hf_stacks *s, const uint32_t *frames, size_t depth,
	int64_t value, int64_t base, hf_error *err)
{
	return hf__stacks_add_hashed(s, frames, depth, hf__stacks_hash(frames, depth), value,
		base, err);
}

int hf__stacks_add_hashed(hf_stacks *s, const uint32_t *frames, size_t depth,
	uint32_t h, int64_t value, int64_t base, hf_error *err)
{
	if (depth >= UINT32_MAX)
		return hf__error(err, HF_ELIMIT, "stack too deep");
	if ((s->nstacks + 1) * 2 > s->nslots && grow_slots(s) != 0)
		return hf__oom(err);
	hf__index_key q = {s, frames, depth, h};
	/* The slot's 32 bits of the hash start the probe: the index is placed
	 * by them when it regrows. */
	size_t i = hf__index_probe(s->nslots, h, is_stack, &q);
	if (s->slots[i].id != HF_NONE)
		return add_values(s, &s->stacks[s->slots[i].id], value, base, err);
	if (s->nstacks >= UINT32_MAX - 1)
		return hf__error(err, HF_ELIMIT, "too many distinct stacks");
	hf__stack *stacks = hf__grow(s->stacks, &s->stacks_cap, s->nstacks, sizeof(*stacks), 1024);
	if (!stacks)
		return hf__oom(err);
	s->stacks = stacks;
	/* Allocated even for an empty first stack: readers compute
	 * frames + offset, which must not be NULL + 0. */
	if (!s->frames || depth > s->frames_cap - s->nframes) {
		uint32_t *nf = hf__reserve(s->frames, &s->frames_cap, s->nframes, depth ? depth : 1,
			sizeof(*nf), 16384);
		if (!nf)
			return hf__oom(err);
		s->frames = nf;
	}
	if (depth)
		memcpy(s->frames + s->nframes, frames, depth * sizeof(*frames));
	hf__stack *st = &s->stacks[s->nstacks];
	st->offset = s->nframes;
	st->depth = (uint32_t)depth;
	st->value = 0;
	st->base = 0;
	s->nframes += depth;
	s->slots[i] = (hf__stack_slot){(uint32_t)s->nstacks++, h};
	return add_values(s, st, value, base, err);
}

void hf__stacks_clear(hf_stacks *s)
{
	for (size_t i = 0; i < s->nslots; i++)
		s->slots[i].id = HF_NONE;
	s->nframes = 0;
	s->nstacks = 0;
	s->total = 0;
	s->base_total = 0;
}

/* The byte walk over joined names from frame i on, ';' between frames and
 * -1 at the end: the general case of hf__stacks_compare. */
static int compare_bytes(const hf_stacks *s, const uint32_t *fa, uint32_t na,
	const uint32_t *fb, uint32_t nb, uint32_t i)
{
	uint32_t ia = i, ib = i, pa = 0, pb = 0;
	for (;;) {
		int ca, cb;
		if (ia >= na) {
			ca = -1;
		} else if (pa < s->names.lens[HF_FRAME_ID(fa[ia])]) {
			ca = (unsigned char)s->names.names[HF_FRAME_ID(fa[ia])][pa++];
		} else {
			ia++;
			pa = 0;
			ca = ia < na ? ';' : -1;
		}
		if (ib >= nb) {
			cb = -1;
		} else if (pb < s->names.lens[HF_FRAME_ID(fb[ib])]) {
			cb = (unsigned char)s->names.names[HF_FRAME_ID(fb[ib])][pb++];
		} else {
			ib++;
			pb = 0;
			cb = ib < nb ? ';' : -1;
		}
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca == -1)
			return 0;
	}
}

int hf__stacks_compare(const hf_stacks *s, uint32_t a, uint32_t b)
{
	const hf__stack *sa = &s->stacks[a], *sb = &s->stacks[b];
	const uint32_t *fa = s->frames + sa->offset, *fb = s->frames + sb->offset;
	uint32_t na = sa->depth, nb = sb->depth, i = 0;

	/* Equal frame ids are equal bytes: skip them whole. */
	while (i < na && i < nb && HF_FRAME_ID(fa[i]) == HF_FRAME_ID(fb[i]))
		i++;
	if (i == na || i == nb)
		return na == nb ? 0 : i == na ? -1 : 1; /* a prefix sorts first */
	/* Two different names: memcmp decides unless one is a prefix of the
	 * other; then the bytes after the shorter one (';' or the end on its
	 * side) usually do. */
	uint32_t x = HF_FRAME_ID(fa[i]), y = HF_FRAME_ID(fb[i]);
	uint32_t lx = s->names.lens[x], ly = s->names.lens[y], n = lx < ly ? lx : ly;
	int c = n ? memcmp(s->names.names[x], s->names.names[y], n) : 0;
	if (c)
		return c < 0 ? -1 : 1;
	int ca = lx > n ? (unsigned char)s->names.names[x][n] : i + 1 < na ? ';' : -1;
	int cb = ly > n ? (unsigned char)s->names.names[y][n] : i + 1 < nb ? ';' : -1;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return compare_bytes(s, fa, na, fb, nb, i);
}

static inline int stack_order(const hf_stacks *s, const uint32_t *a, const uint32_t *b)
{
	return hf__stacks_compare(s, *a, *b);
}

HF_MERGE_SORT(merge_sort, uint32_t, const hf_stacks *, stack_order)

/*
 * The order without comparing bytes. A collapsed line's stack is the join
 * of (name, terminator) keys, the terminator ';' when a frame follows and
 * the end (below every byte) after the last. Where two stacks first differ
 * in frame ids, the bytes before are equal, and if no key is a prefix of
 * another the two keys alone decide: so each key gets its rank in byte
 * order once (names are few, stacks many), and stacks compare as sequences
 * of ranks. A key x+END is never a prefix of another key (names are
 * distinct); x+';' is one only of keys whose name starts with "x;" (found
 * while ranking, see rank_keys). Such names make the join ambiguous ("a;b"
 * and a;b), and then the bytes are compared.
 */
typedef struct key_ranks {
	uint32_t *ranks;   /* name id * 2 (+ 1 for the last frame's key) -> rank */
	uint32_t digit_bits; /* a rank's width in a sort key: 16 or 32 */
} key_ranks;

/* Names in byte order, a name before the longer ones it prefixes. */
static int name_order(const hf_stacks *s, const uint32_t *a, const uint32_t *b)
{
	uint32_t la = s->names.lens[*a], lb = s->names.lens[*b], n = la < lb ? la : lb;
	int c = n ? memcmp(s->names.names[*a], s->names.names[*b], n) : 0;
	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

HF_MERGE_SORT(name_sort, uint32_t, const hf_stacks *, name_order)

/* Whether name x is a proper prefix of name y. */
static bool name_prefixes(const hf_stacks *s, uint32_t x, uint32_t y)
{
	uint32_t lx = s->names.lens[x];
	return lx < s->names.lens[y] && memcmp(s->names.names[x], s->names.names[y], lx) == 0;
}

/* A name on the stack of open prefixes whose (name, ';') key has its rank. */
#define SEMI_RANKED 0x80000000u

/*
 * Fills r with every key's rank (from 1) in byte order; HF_EINVALID when
 * the keys are not prefix-free, HF_ENOMEM. The names are sorted once, then
 * walked with a stack of the names that prefix the current one: x+end
 * ranks where x is met; x+';' ranks after the names x prefixes with a byte
 * below ';' after it (they come first, x;z follows x!z), so when the walk
 * leaves x or meets a name with a byte above ';' there, whichever is first.
 * A name with ';' there is the ambiguity: the first such name meets x on top
 * of the stack (the names between them have a byte below ';' there, and are
 * no prefixes of it).
 */
static int rank_keys(const hf_stacks *s, key_ranks *r)
{
	size_t n = s->names.count;
	uint32_t *names = hf__malloc(hf__mul(n, sizeof(*names)));
	uint32_t *tmp = hf__malloc(hf__mul(n / 2 + 1, sizeof(*tmp)));
	uint32_t *open = hf__malloc(hf__mul(n, sizeof(*open)));
	r->ranks = hf__malloc(hf__mul(n, 2 * sizeof(*r->ranks)));
	int rc = HF_ENOMEM;
	if (!names || !tmp || !open || !r->ranks)
		goto done;
	for (size_t i = 0; i < n; i++)
		names[i] = (uint32_t)i;
	name_sort(names, tmp, n, s);
	uint32_t rank = 1;
	size_t top = 0;
	rc = HF_EINVALID;
	for (size_t i = 0; i < n; i++) {
		uint32_t y = names[i];
		while (top && !name_prefixes(s, open[top - 1] & ~SEMI_RANKED, y)) {
			uint32_t x = open[--top];
			if (!(x & SEMI_RANKED))
				r->ranks[x * 2] = rank++;
		}
		if (top && !(open[top - 1] & SEMI_RANKED)) {
			uint32_t x = open[top - 1];
			unsigned char next = (unsigned char)s->names.names[y][s->names.lens[x]];
			if (next == ';')
				goto done;
			if (next > ';') {
				r->ranks[x * 2] = rank++;
				open[top - 1] |= SEMI_RANKED;
			}
		}
		r->ranks[y * 2 + 1] = rank++;
		open[top++] = y;
	}
	while (top) {
		uint32_t x = open[--top];
		if (!(x & SEMI_RANKED))
			r->ranks[x * 2] = rank++;
	}
	r->digit_bits = n * 2 <= 0xffff ? 16 : 32;
	rc = HF_OK;
done:
	hf__free(names);
	hf__free(tmp);
	hf__free(open);
	if (rc != HF_OK) {
		hf__free(r->ranks);
		r->ranks = NULL;
	}
	return rc;
}

/* The rank of frame i of a stack of n frames. */
#define FRAME_RANK(r, f, i, n) ((r)->ranks[HF_FRAME_ID((f)[i]) * 2 + ((i) + 1 == (n))])

/*
 * A stack being sorted, with the ranks of its next frames packed in key
 * and its depth (in what would be padding): a pass reads the item, the
 * stack's frames and its offset in a table of 4 bytes a stack, not its
 * 32-byte record (32 MB of them at a million stacks, a miss a key more).
 */
typedef struct rank_item {
	uint64_t key;
	uint32_t stack;
	uint32_t depth;
} rank_item;

typedef struct rank_sort {
	const hf_stacks *s;
	key_ranks ranks;
	/* Each stack's offset into frames when they fit 32 bits (in the
	 * order's array until the order is written), else NULL: the
	 * records'. */
	const uint32_t *offsets;
	uint32_t depth;   /* frames known equal in the items being compared */
	rank_item *tmp;
} rank_sort;

/* The frames of an item's stack. */
static inline const uint32_t *item_frames(const rank_sort *rs, uint32_t stack)
{
	return rs->s->frames + (rs->offsets ? rs->offsets[stack] : rs->s->stacks[stack].offset);
}

static int rank_order(const rank_sort *rs, const rank_item *a, const rank_item *b)
{
	const uint32_t *fa = item_frames(rs, a->stack), *fb = item_frames(rs, b->stack);
	uint32_t na = a->depth, nb = b->depth, i = rs->depth;
	while (i < na && i < nb && HF_FRAME_ID(fa[i]) == HF_FRAME_ID(fb[i]))
		i++;
	if (i == na || i == nb)
		return na == nb ? 0 : i == na ? -1 : 1; /* a prefix sorts first */
	uint32_t ra = FRAME_RANK(&rs->ranks, fa, i, na), rb = FRAME_RANK(&rs->ranks, fb, i, nb);
	return ra < rb ? -1 : 1;
}

HF_MERGE_SORT(rank_merge_sort, rank_item, const rank_sort *, rank_order)

/* Below this many stacks a merge sort beats a radix pass's histograms. */
#define RADIX_MIN 128
/* Past this depth a run of equal stacks is merge-sorted: bounds the
 * recursion whatever the stacks. */
#define RADIX_MAX_DEPTH 1024

/* Stable LSD radix sort of items by key, a byte at a time, skipping the
 * bytes every key shares. */
static void radix_sort_keys(rank_item *items, rank_item *tmp, size_t n)
{
	uint32_t counts[8][256];
	memset(counts, 0, sizeof(counts));
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 8; b++)
			counts[b][(items[i].key >> (8 * b)) & 0xff]++;
	rank_item *from = items, *to = tmp;
	for (int b = 0; b < 8; b++) {
		if (counts[b][(items[0].key >> (8 * b)) & 0xff] == n)
			continue;
		uint32_t start[256], sum = 0;
		for (int v = 0; v < 256; v++) {
			start[v] = sum;
			sum += counts[b][v];
		}
		for (size_t i = 0; i < n; i++)
			to[start[(from[i].key >> (8 * b)) & 0xff]++] = from[i];
		rank_item *t = from;
		from = to;
		to = t;
	}
	if (from != items)
		memcpy(items, from, n * sizeof(*items));
}

/*
 * How many items ahead a radix pass asks the cache for a stack's offset
 * (twice this) and then, the offset there, for its frames at the pass's
 * depth. A key is a load of the offset and one of the frames, the frames
 * a miss once they outgrow the cache, waiting on the offset: at a million
 * stacks the pass spent ~200 ns a key on them.
 */
#define GATHER_AHEAD 8

/* Sorts items by the ranks of their frames depth on, 64 bits of them. */
static void radix_pass(rank_sort *rs, rank_item *items, size_t n, uint32_t depth)
{
	const hf_stacks *s = rs->s;
	uint32_t bits = rs->ranks.digit_bits, digits = 64 / bits;
	for (size_t i = 0; i < n; i++) {
		if (i + 2 * GATHER_AHEAD < n) {
			uint32_t id = items[i + 2 * GATHER_AHEAD].stack;
			__builtin_prefetch(rs->offsets ? (const void *)&rs->offsets[id] : &s->stacks[id]);
		}
		/* Written out here: GCC drops a void helper that only
		 * prefetches (found side-effect free), calls and all. */
		if (i + GATHER_AHEAD < n && items[i + GATHER_AHEAD].depth > depth)
			__builtin_prefetch(item_frames(rs, items[i + GATHER_AHEAD].stack) + depth);
		const uint32_t *f = item_frames(rs, items[i].stack);
		uint32_t nf = items[i].depth;
		uint64_t key = 0;
		for (uint32_t d = depth; d < depth + digits; d++)
			key = key << bits | (d < nf ? FRAME_RANK(&rs->ranks, f, d, nf) : 0);
		items[i].key = key;
	}
	radix_sort_keys(items, rs->tmp, n);
}

/* The end of the run of keys equal to items[i]'s. */
static size_t run_end(const rank_item *items, size_t i, size_t n)
{
	size_t j = i + 1;
	while (j < n && items[j].key == items[i].key)
		j++;
	return j;
}

static void rank_sort_items(rank_sort *rs, rank_item *items, size_t n, uint32_t depth);

/* Sorts each run of equal keys (items sorted by their frames before
 * depth) by the frames from depth on. */
static void sort_runs(rank_sort *rs, rank_item *items, size_t n, uint32_t depth)
{
	for (size_t i = 0; i < n;) {
		size_t j = run_end(items, i, n);
		/* Equal keys: the same frames so far; the stacks go on only if
		 * none ended among them. */
		if (j - i > 1 && items[i].depth > depth)
			rank_sort_items(rs, items + i, j - i, depth);
		i = j;
	}
}

/*
 * MSD: sorts items whose first `depth` frames are equal by the ranks of
 * their next frames, a sort key of 64 bits at a time, then each run of
 * equal keys whose stacks go on by the frames after. Stable: equal stacks
 * keep their order (and items start in stack order), as the merge sort did.
 */
static void rank_sort_items(rank_sort *rs, rank_item *items, size_t n, uint32_t depth)
{
	if (n < 2)
		return;
	if (n < RADIX_MIN || depth >= RADIX_MAX_DEPTH) {
		/* The comparisons' first read of each stack's frames would be
		 * a miss, one after the other: all asked for at once. */
		if (n <= RADIX_MIN) {
			for (size_t i = 0; i < n; i++)
				if (items[i].depth > depth)
					__builtin_prefetch(item_frames(rs, items[i].stack) + depth);
		}
		rs->depth = depth;
		rank_merge_sort(items, rs->tmp, n, rs);
		return;
	}
	radix_pass(rs, items, n, depth);
	sort_runs(rs, items, n, depth + 64 / rs->ranks.digit_bits);
}

/*
 * The sort on two threads (from SORT_PARALLEL_MIN stacks): after a radix
 * pass the runs of equal keys are independent, so the second thread sorts
 * the runs from about the middle on (with its own half of the scratch
 * array) while this one sorts those before. A run that holds most stacks
 * (stacks that share their first frames) is split the same way a level
 * further down, the other runs sorted first. The scratch array holds no
 * data between calls: the first thread's calls use its part before the
 * second's. The order is the one thread's: each run is sorted by the same
 * calls either way.
 */
#define SORT_PARALLEL_MIN 16384

typedef struct runs_part {
	rank_sort rs;
	rank_item *items;
	size_t n;
	uint32_t depth;
} runs_part;

static void sort_runs_part(void *arg)
{
	runs_part *part = arg;
	sort_runs(&part->rs, part->items, part->n, part->depth);
}

static void rank_sort_two(rank_sort *rs, rank_item *items, size_t n)
{
	uint32_t digits = 64 / rs->ranks.digit_bits, depth = 0;
	for (;;) {
		if (n < 2 * RADIX_MIN || depth >= RADIX_MAX_DEPTH) {
			rank_sort_items(rs, items, n, depth);
			break;
		}
		radix_pass(rs, items, n, depth);
		depth += digits;
		/* The largest run, and the run boundary nearest the middle. */
		size_t big = 0, big_end = 0, mid = 0;
		for (size_t i = 0; i < n;) {
			size_t j = run_end(items, i, n);
			if (j - i > big_end - big) {
				big = i;
				big_end = j;
			}
			if (i <= n / 2 && n / 2 < j)
				mid = n / 2 - i < j - n / 2 ? i : j;
			i = j;
		}
		if ((big_end - big) * 4 > n * 3) {
			/* Most stacks in one run: the others here, that one split
			 * a level further down (if its stacks go on). */
			sort_runs(rs, items, big, depth);
			sort_runs(rs, items + big_end, n - big_end, depth);
			if (items[big].depth <= depth)
				break;
			items += big;
			n = big_end - big;
			continue;
		}
		runs_part part = {*rs, items + mid, n - mid, depth};
		part.rs.tmp = rs->tmp + mid;
		hf__thread *t = hf__thread_start(sort_runs_part, &part);
		if (!t) {
			sort_runs(rs, items, n, depth);
			break;
		}
		sort_runs(rs, items, mid, depth);
		hf__thread_join(t);
		break;
	}
}

#ifdef HF_TEST_HOOKS
#include <stdatomic.h>

/* Test build only, as hf__parallel_force: process-wide by nature. */
static atomic_bool by_records;

bool hf__stacks_sort_by_records(bool on)
{
	return atomic_exchange(&by_records, on);
}

static bool offsets_from_records(void)
{
	return atomic_load(&by_records);
}
#else
/* Past 2^32 frames (16 GB of them) the records give the offsets. */
static bool offsets_from_records(void)
{
	return false;
}
#endif

uint32_t *hf__stacks_sorted(const hf_stacks *s, bool *by_ranks)
{
	uint32_t *order = hf__malloc(hf__mul(s->nstacks, sizeof(*order)));
	if (!order)
		return NULL;
	rank_sort rs = {.s = s};
	int rc = s->nstacks > 1 && s->names.count ? rank_keys(s, &rs.ranks) : HF_EINVALID;
	if (rc == HF_ENOMEM) {
		hf__free(order);
		return NULL;
	}
	if (by_ranks)
		*by_ranks = rc == HF_OK;
	if (rc == HF_OK) {
		rank_item *items = hf__malloc(hf__mul(s->nstacks, sizeof(*items)));
		rs.tmp = hf__malloc(hf__mul(s->nstacks, sizeof(*rs.tmp)));
		if (!items || !rs.tmp) {
			hf__free(items);
			hf__free(rs.tmp);
			hf__free(rs.ranks.ranks);
			hf__free(order);
			return NULL;
		}
		if (s->nframes <= UINT32_MAX && !offsets_from_records()) {
			for (size_t i = 0; i < s->nstacks; i++)
				order[i] = (uint32_t)s->stacks[i].offset;
			rs.offsets = order;
		}
		for (size_t i = 0; i < s->nstacks; i++) {
			items[i].stack = (uint32_t)i;
			items[i].depth = s->stacks[i].depth;
		}
		if (hf__parallel_pays(s->nstacks, SORT_PARALLEL_MIN))
			rank_sort_two(&rs, items, s->nstacks);
		else
			rank_sort_items(&rs, items, s->nstacks, 0);
		for (size_t i = 0; i < s->nstacks; i++)
			order[i] = items[i].stack;
		hf__free(items);
		hf__free(rs.tmp);
		hf__free(rs.ranks.ranks);
		return order;
	}
	/* Keys that are not prefix-free (or one stack): the byte comparison. */
	uint32_t *tmp = hf__malloc(hf__mul(s->nstacks / 2 + 1, sizeof(*tmp)));
	if (!tmp) {
		hf__free(order);
		return NULL;
	}
	for (size_t i = 0; i < s->nstacks; i++)
		order[i] = (uint32_t)i;
	merge_sort(order, tmp, s->nstacks, s);
	hf__free(tmp);
	return order;
}

/*
 * Every frame name as the collapsed form prints it, followed by ';', at
 * offsets[id] of one buffer with 31 bytes of slack at its end (frames are
 * copied 32 bytes at a time). The format is a line per stack, so a control
 * character (a newline above all) in a hostile name would forge lines; each
 * one is printed as '?'.
 */
typedef struct printed_names {
	char *bytes;
	size_t *offsets;
} printed_names;

static int print_names(const hf_stacks *s, printed_names *p)
{
	size_t total = 32;
	for (uint32_t id = 0; id < s->names.count; id++)
		total += (size_t)s->names.lens[id] + 1;
	p->bytes = hf__malloc(total);
	p->offsets = hf__malloc(hf__mul(s->names.count ? s->names.count : 1, sizeof(*p->offsets)));
	if (!p->bytes || !p->offsets) {
		hf__free(p->bytes);
		hf__free(p->offsets);
		return HF_ENOMEM;
	}
	size_t at = 0;
	for (uint32_t id = 0; id < s->names.count; id++) {
		const unsigned char *c = (const unsigned char *)s->names.names[id];
		p->offsets[id] = at;
		for (uint32_t i = 0; i < s->names.lens[id]; i++)
			p->bytes[at++] = c[i] < 0x20 || c[i] == 0x7f ? '?' : (char)c[i];
		p->bytes[at++] = ';';
	}
	memset(p->bytes + at, 0, total - at);
	return HF_OK;
}

/* n bytes, 32 at a time (a name is ~30 bytes: one or two steps, no call):
 * dst and src both have 31 bytes of room past n. */
static inline void copy_by_32(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i += 32)
		memcpy(dst + i, src + i, 32);
}

/* n bytes of a printed name (its ';' included or not). */
static inline void put_printed(hf__sink *sink, const char *src, size_t n)
{
	char *dst = hf__sink_room(sink, n + 31);
	if (dst) {
		copy_by_32(dst, src, n);
		sink->len += n;
	} else {
		hf__sink_put(sink, src, n);
	}
}

/* Whether two stacks print the same line: the same frame ids (inline
 * flags aside) when the order came from ranks (names join unambiguously),
 * else the same joined bytes. */
static bool same_line(const hf_stacks *s, uint32_t a, uint32_t b, bool by_ranks)
{
	if (!by_ranks)
		return hf__stacks_compare(s, a, b) == 0;
	const hf__stack *sa = &s->stacks[a], *sb = &s->stacks[b];
	if (sa->depth != sb->depth)
		return false;
	const uint32_t *fa = s->frames + sa->offset, *fb = s->frames + sb->offset;
	for (uint32_t i = 0; i < sa->depth; i++)
		if (HF_FRAME_ID(fa[i]) != HF_FRAME_ID(fb[i]))
			return false;
	return true;
}

/* What the collapsed lines are formatted from: the stacks in line order. */
typedef struct line_source {
	const hf_stacks *s;
	const uint32_t *order;
	bool by_ranks;
	printed_names names;
} line_source;

/* The most a line's end takes: " BASE VALUE\n", two 64-bit numbers. */
#define LINE_TAIL_MAX 48

/* How many lines ahead format_lines prefetches a stack's record. */
enum { LINE_PREFETCH_AHEAD = 16 };

/*
 * Formats the lines whose first stack is at order[from..to) (from is the
 * first stack of a line; a line's equal stacks may go on past to) into
 * sink. A bounded sink is a buffer that is never flushed: formatting stops
 * before the first line that does not fit in it, and *resume says where
 * (to when every line fit). The one-thread writer passes its sink
 * unbounded, and its lines are flushed to the writer as they come.
 */
static int format_lines(const line_source *ls, size_t from, size_t to, hf__sink *sink,
	bool bounded, size_t *resume, hf_error *err)
{
	const hf_stacks *s = ls->s;
	const uint32_t *order = ls->order;
	for (size_t i = from; i < to;) {
		/* The lines go in name order, the stacks and their frames lie in
		 * fold order: at 1M stacks (40 MB of records, 270 MB of frames)
		 * the first load of each line's frames waited for memory. A
		 * record is fetched LINE_PREFETCH_AHEAD lines ahead, its frames
		 * (every cache line of them) half as far. */
		if (i + LINE_PREFETCH_AHEAD < s->nstacks)
			__builtin_prefetch(&s->stacks[order[i + LINE_PREFETCH_AHEAD]]);
		if (i + LINE_PREFETCH_AHEAD / 2 < s->nstacks) {
			const hf__stack *ahead = &s->stacks[order[i + LINE_PREFETCH_AHEAD / 2]];
			const char *fb = (const char *)(s->frames + ahead->offset);
			const char *fe = (const char *)(s->frames + ahead->offset + ahead->depth);
			for (; fb < fe; fb += 64)
				__builtin_prefetch(fb);
		}
		/* Stacks that differ only in inline flags print as one line. */
		int64_t sum = s->stacks[order[i]].value, base = s->stacks[order[i]].base;
		size_t j = i + 1;
		while (j < s->nstacks && same_line(s, order[i], order[j], ls->by_ranks)) {
			if (__builtin_add_overflow(sum, s->stacks[order[j]].value, &sum) ||
			    __builtin_add_overflow(base, s->stacks[order[j]].base, &base)) {
				*resume = i;
				return hf__error(err, HF_ELIMIT, "sample values overflow 64 bits");
			}
			j++;
		}
		if (sum != 0 || base != 0) {
			const hf__stack *st = &s->stacks[order[i]];
			const uint32_t *f = s->frames + st->offset;
			size_t line_start = sink->len;
			for (uint32_t k = 0; k < st->depth; k++) {
				uint32_t id = HF_FRAME_ID(f[k]);
				const char *name = ls->names.bytes + ls->names.offsets[id];
				/* the last frame without its ';' */
				size_t n = s->names.lens[id] + (size_t)(k + 1 < st->depth);
				if (!bounded) {
					put_printed(sink, name, n);
				} else if (n + 31 <= sink->cap - sink->len) {
					copy_by_32(sink->buf + sink->len, name, n);
					sink->len += n;
				} else {
					sink->len = line_start;
					*resume = i;
					return HF_OK;
				}
			}
			if (bounded && sink->cap - sink->len < LINE_TAIL_MAX) {
				sink->len = line_start;
				*resume = i;
				return HF_OK;
			}
			if (s->has_base) {
				/* difffolded form: STACK BEFORE AFTER */
				hf__sink_putc(sink, ' ');
				hf__sink_i64(sink, base);
			}
			hf__sink_putc(sink, ' ');
			hf__sink_i64(sink, sum);
			hf__sink_putc(sink, '\n');
		}
		i = j;
	}
	*resume = to;
	return HF_OK;
}

/* The first stack of a line at or after order[i], up to end. */
static size_t line_at(const line_source *ls, size_t i, size_t end)
{
	while (i > 0 && i < end &&
	       same_line(ls->s, ls->order[i - 1], ls->order[i], ls->by_ranks))
		i++;
	return i;
}

/*
 * Two threads: the lines are cut into chunks of about CHUNK_FRAMES frames
 * (a line whose stacks straddle a cut goes with the chunk it starts in).
 * The second thread formats the next chunk into a free slot, a bounded
 * buffer, while the calling thread writes the chunks in order; the calling
 * thread formats a chunk itself, straight into its sink, when that chunk
 * is next to write and nobody has taken it, and formats a later one into a
 * slot while the next is still being formatted. Every write stays on the
 * calling thread (the writer need not be thread-safe) and memory stays
 * WRITE_SLOTS slots whatever the profile: a chunk whose lines do not fit
 * its slot is finished by the calling thread as it writes it. The bytes
 * written are the one-thread writer's, in the same order.
 */
#define WRITE_SLOTS 4
#define SLOT_BYTES (256u * 1024u)
#define CHUNK_FRAMES 4096
/* Below this many frames the one-thread writer: ~40 ms of formatting and
 * writing at 1.4 M frames, ~3 ms here. */
#define WRITE_PARALLEL_MIN (100u * 1000u)

enum { SLOT_FREE, SLOT_BUSY, SLOT_READY };

typedef struct write_slot {
	hf__sink buf;  /* bounded: never flushed */
	size_t chunk;  /* the chunk it holds */
	size_t end;    /* the chunk's lines start before order[end] */
	size_t resume; /* its first line not in buf (end: none) */
	int state;
	int rc;
	hf_error err;
} write_slot;

typedef struct line_writer {
	const line_source *ls;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	size_t next_start; /* where the next chunk to take starts */
	size_t next_chunk; /* its number */
	bool stop;
	write_slot slots[WRITE_SLOTS];
} line_writer;

/* Takes the next chunk (lock held): its number, [*start, *end). */
static size_t take_chunk(line_writer *lw, size_t *start, size_t *end)
{
	const hf_stacks *s = lw->ls->s;
	size_t i = lw->next_start, frames = 0;
	*start = i;
	while (i < s->nstacks && frames < CHUNK_FRAMES)
		frames += (size_t)s->stacks[lw->ls->order[i++]].depth + 1;
	*end = lw->next_start = i;
	return lw->next_chunk++;
}

/* Whether a chunk may be taken into its slot (lock held). */
static bool slot_ready_to_take(const line_writer *lw)
{
	return lw->next_start < lw->ls->s->nstacks &&
		lw->slots[lw->next_chunk % WRITE_SLOTS].state == SLOT_FREE;
}

/* Takes the next chunk and formats it into its slot; called and returns
 * with the lock held. */
static void format_into_slot(line_writer *lw)
{
	size_t start, end, c = take_chunk(lw, &start, &end);
	write_slot *slot = &lw->slots[c % WRITE_SLOTS];
	slot->state = SLOT_BUSY;
	slot->chunk = c;
	slot->end = end;
	pthread_mutex_unlock(&lw->lock);
	slot->buf.len = 0;
	slot->rc = format_lines(lw->ls, line_at(lw->ls, start, end), end, &slot->buf, true,
		&slot->resume, &slot->err);
	pthread_mutex_lock(&lw->lock);
	slot->state = SLOT_READY;
	pthread_cond_broadcast(&lw->changed);
}

static void format_chunks(void *arg)
{
	line_writer *lw = arg;
	pthread_mutex_lock(&lw->lock);
	for (;;) {
		while (!lw->stop && lw->next_start < lw->ls->s->nstacks && !slot_ready_to_take(lw))
			pthread_cond_wait(&lw->changed, &lw->lock);
		if (lw->stop || lw->next_start >= lw->ls->s->nstacks)
			break;
		format_into_slot(lw);
	}
	pthread_mutex_unlock(&lw->lock);
}

/* The calling thread's part: writes every chunk in order into sink. */
static int write_chunks(line_writer *lw, hf__sink *sink, hf_error *err)
{
	const line_source *ls = lw->ls;
	int rc = HF_OK;
	size_t written = 0;
	pthread_mutex_lock(&lw->lock);
	while (rc == HF_OK && !sink->failed) {
		write_slot *slot = &lw->slots[written % WRITE_SLOTS];
		if (slot->state == SLOT_READY && slot->chunk == written) {
			pthread_mutex_unlock(&lw->lock);
			hf__sink_put_through(sink, slot->buf.buf, slot->buf.len);
			rc = slot->rc;
			if (rc != HF_OK) {
				if (err)
					*err = slot->err;
			} else if (slot->resume < slot->end) {
				size_t at;
				rc = format_lines(ls, slot->resume, slot->end, sink, false, &at, err);
			}
			pthread_mutex_lock(&lw->lock);
			slot->state = SLOT_FREE;
			written++;
			pthread_cond_broadcast(&lw->changed);
		} else if (lw->next_chunk == written) {
			if (lw->next_start >= ls->s->nstacks)
				break; /* every chunk written */
			size_t start, end, at;
			take_chunk(lw, &start, &end);
			pthread_mutex_unlock(&lw->lock);
			rc = format_lines(ls, line_at(ls, start, end), end, sink, false, &at, err);
			pthread_mutex_lock(&lw->lock);
			written++;
		} else if (slot_ready_to_take(lw)) {
			format_into_slot(lw);
		} else {
			pthread_cond_wait(&lw->changed, &lw->lock);
		}
	}
	lw->stop = true;
	pthread_cond_broadcast(&lw->changed);
	pthread_mutex_unlock(&lw->lock);
	return rc;
}

/* The lines on two threads (see line_writer) into *rc; false, with
 * nothing written, when the slots or the thread cannot be had. */
static bool write_lines_parallel(const line_source *ls, hf__sink *sink, int *rc,
	hf_error *err)
{
	line_writer lw;
	memset(&lw, 0, sizeof(lw));
	lw.ls = ls;
	size_t made = 0;
	for (; made < WRITE_SLOTS; made++) {
		lw.slots[made].buf.buf = hf__malloc(SLOT_BYTES);
		if (!lw.slots[made].buf.buf)
			break;
		lw.slots[made].buf.cap = SLOT_BYTES;
	}
	hf__thread *t = NULL;
	if (made == WRITE_SLOTS && pthread_mutex_init(&lw.lock, NULL) == 0) {
		if (pthread_cond_init(&lw.changed, NULL) == 0) {
			if ((t = hf__thread_start(format_chunks, &lw)) != NULL) {
				*rc = write_chunks(&lw, sink, err);
				hf__thread_join(t);
			}
			pthread_cond_destroy(&lw.changed);
		}
		pthread_mutex_destroy(&lw.lock);
	}
	for (size_t i = 0; i < made; i++)
		hf__free(lw.slots[i].buf.buf);
	return t != NULL;
}

int hf_stacks_write_collapsed(const hf_stacks *s, hf_writer *writer, hf_error *err)
{
	line_source ls = {.s = s};
	uint32_t *order = hf__stacks_sorted(s, &ls.by_ranks);
	hf__sink sink;
	if (!order || print_names(s, &ls.names) != HF_OK) {
		hf__free(order);
		return hf__oom(err);
	}
	ls.order = order;
	if (hf__sink_init(&sink, writer) != HF_OK) {
		hf__free(order);
		hf__free(ls.names.bytes);
		hf__free(ls.names.offsets);
		return hf__oom(err);
	}
	int rc = HF_OK;
	size_t at;
	/* One thread also when the second's slots or thread cannot be had. */
	if (!hf__parallel_pays(s->nframes, WRITE_PARALLEL_MIN) ||
	    !write_lines_parallel(&ls, &sink, &rc, err))
		rc = format_lines(&ls, 0, s->nstacks, &sink, false, &at, err);
	hf__free(order);
	hf__free(ls.names.bytes);
	hf__free(ls.names.offsets);
	if (rc != HF_OK) {
		hf__sink_finish(&sink, NULL);
		return rc;
	}
	return hf__sink_finish(&sink, err);
}

size_t hf_stacks_count(const hf_stacks *s)
{
	return s ? s->nstacks : 0;
}

size_t hf_stacks_frame_count(const hf_stacks *s)
{
	return s ? s->names.count : 0;
}

const char *hf_stacks_frame_name(const hf_stacks *s, uint32_t id, size_t *len)
{
	id = HF_FRAME_ID(id);
	if (!s || id >= s->names.count)
		return NULL;
	if (len)
		*len = s->names.lens[id];
	return s->names.names[id];
}

size_t hf_stacks_get(const hf_stacks *s, size_t i, const uint32_t **frames, int64_t *value)
{
	if (!s || i >= s->nstacks)
		return 0;
	if (frames)
		*frames = s->frames + s->stacks[i].offset;
	if (value)
		*value = s->stacks[i].value;
	return s->stacks[i].depth;
}

int64_t hf_stacks_total(const hf_stacks *s)
{
	return s ? s->total : 0;
}

bool hf_stacks_has_base(const hf_stacks *s)
{
	return s && s->has_base;
}

int64_t hf_stacks_base(const hf_stacks *s, size_t i)
{
	return s && i < s->nstacks ? s->stacks[i].base : 0;
}

int64_t hf_stacks_base_total(const hf_stacks *s)
{
	return s ? s->base_total : 0;
}

const char *hf_stacks_sample_type(const hf_stacks *s)
{
	return s ? s->sample_type : NULL;
}

const char *hf_stacks_sample_unit(const hf_stacks *s)
{
	return s ? s->sample_unit : NULL;
}
