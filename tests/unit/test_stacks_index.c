/*
 * The distinct stacks' index (hf__stacks_add_diff, and
 * hf__stacks_add_hashed with a hash computed ahead): a slot holds a stack's
 * id and 32 bits of its hash, and a probe reads a stack only where those
 * bits equal the key's. So here stacks are added many times over, in a
 * scrambled order, through the index's regrowths, and every stack must be
 * found again with the sum of its values, checked against a plain
 * reference: stacks that are prefixes of each other, that differ only in
 * their last frame or an inline flag, the empty stack, and pairs of
 * different stacks whose hashes share their low 32 bits (found by a
 * birthday search), which meet in the same slot run with equal bits there.
 */
#include "harness.h"
#include "stacks/stacks.h"

#include <stdlib.h>

static uint64_t rng = 88172645463325252ull;

static uint64_t next_random(void)
{
	return harness_xorshift64(&rng);
}

/* Key k's stack: 1 to 4 frames from k / 8, so keys of one k / 8 are
 * prefixes of each other; an odd k / 4 flags the last frame inlined, so
 * keys k and k + 4 (k % 8 < 4) differ only there. */
enum { KEY_FRAMES = 4 };

static size_t key_stack(uint64_t k, uint32_t *frames)
{
	size_t depth = 1 + k % KEY_FRAMES;
	uint64_t family = k / KEY_FRAMES / 2;
	frames[0] = (uint32_t)family; /* distinct families, distinct stacks */
	for (size_t d = 1; d < depth; d++)
		frames[d] = (uint32_t)((family * 0x9e3779b97f4a7c15ull + d * 0xbf58476d1ce4e5b9ull) >> 36);
	if (k / KEY_FRAMES % 2)
		frames[depth - 1] |= HF_FRAME_INLINED;
	return depth;
}

/* Finds stack key k's index in s by its frames (the index itself is
 * what is tested, so the reference is a scan): returns HF_NONE if absent. */
static uint32_t find_stack(const hf_stacks *s, const uint32_t *frames, size_t depth)
{
	for (size_t i = 0; i < s->nstacks; i++)
		if (s->stacks[i].depth == depth &&
		    memcmp(s->frames + s->stacks[i].offset, frames, depth * sizeof(*frames)) == 0)
			return (uint32_t)i;
	return HF_NONE;
}

static void many_stacks_through_regrowths(void)
{
	enum { KEYS = 40000, ADDS = 160000 };
	int64_t *want = calloc(KEYS, sizeof(*want));
	uint32_t *id_of = malloc(KEYS * sizeof(*id_of));
	hf_stacks *s = NULL;
	hf_error err;
	CHECK(want && id_of);
	CHECK_EQ_INT(hf__stacks_new(&s, "t", "u", &err), HF_OK);
	if (!want || !id_of || !s)
		goto done;
	for (size_t k = 0; k < KEYS; k++)
		id_of[k] = HF_NONE;
	uint32_t frames[KEY_FRAMES];
	size_t distinct = 0;
	int64_t total = 0;
	for (size_t n = 0; n < ADDS; n++) {
		/* the first adds cover every key; then a random one each time */
		uint64_t k = n < KEYS ? (n * 7919) % KEYS : next_random() % KEYS;
		int64_t v = (int64_t)(next_random() % 1000) - 300;
		size_t depth = key_stack(k, frames);
		size_t before = hf_stacks_count(s);
		/* every other add by a hash computed ahead, its slot prefetched
		 * (as the fold and the parts' join add): both ways must find the
		 * stacks the other way added */
		if (n % 2) {
			uint32_t h = hf__stacks_hash(frames, depth);
			hf__stacks_prefetch(s, h);
			CHECK_EQ_INT(hf__stacks_add_hashed(s, frames, depth, h, v, 0, &err), HF_OK);
		} else {
			CHECK_EQ_INT(hf__stacks_add(s, frames, depth, v, &err), HF_OK);
		}
		if (id_of[k] == HF_NONE) {
			CHECK_EQ_INT(hf_stacks_count(s), before + 1);
			id_of[k] = (uint32_t)before;
			distinct++;
		} else {
			CHECK_EQ_INT(hf_stacks_count(s), before);
		}
		want[k] += v;
		total += v;
	}
	CHECK_EQ_INT(hf_stacks_count(s), distinct);
	CHECK(hf_stacks_total(s) == total);
	size_t bad = 0;
	for (size_t k = 0; k < KEYS; k++) {
		size_t depth = key_stack(k, frames);
		const uint32_t *got = NULL;
		int64_t value = 0;
		if (hf_stacks_get(s, id_of[k], &got, &value) != depth ||
		    memcmp(got, frames, depth * sizeof(*frames)) != 0 || value != want[k])
			bad++;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK(s->nslots >= 2 * distinct);
done:
	hf_stacks_free(s);
	free(want);
	free(id_of);
}

typedef struct hashed {
	uint32_t low, a, b;
} hashed;

static int by_low(const void *x, const void *y)
{
	const hashed *p = x, *q = y;
	return p->low < q->low ? -1 : p->low > q->low;
}

/* Two-frame stacks {a, b} whose hashes (as the index hashes them) share
 * their low 32 bits: up to max pairs into pairs[i][0..1], their count. */
static size_t equal_low_bits(hashed (*pairs)[2], size_t max)
{
	enum { TRIES = 1 << 19 };
	hashed *h = malloc(TRIES * sizeof(*h));
	if (!h)
		return 0;
	for (uint32_t i = 0; i < TRIES; i++) {
		uint32_t st[2] = {i, 12345};
		h[i] = (hashed){(uint32_t)hf__hash_bytes(st, sizeof(st), 2), i, 12345};
	}
	qsort(h, TRIES, sizeof(*h), by_low);
	size_t n = 0;
	for (size_t i = 1; i < TRIES && n < max; i++)
		if (h[i].low == h[i - 1].low) {
			pairs[n][0] = h[i - 1];
			pairs[n][1] = h[i];
			n++;
		}
	free(h);
	return n;
}

static void equal_hash_bits_different_stacks(void)
{
	hashed pairs[8][2];
	size_t npairs = equal_low_bits(pairs, 8);
	/* 2^19 hashes hold ~32 equal pairs of 32 bits: none would mean the
	 * search (or the hash) is broken, not bad luck */
	CHECK(npairs > 0);
	hf_stacks *s = NULL;
	hf_error err;
	CHECK_EQ_INT(hf__stacks_new(&s, "t", "u", &err), HF_OK);
	if (!s)
		return;
	/* the empty stack, then each pair, each stack twice */
	CHECK_EQ_INT(hf__stacks_add(s, NULL, 0, 5, &err), HF_OK);
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < npairs; i++)
			for (int j = 0; j < 2; j++) {
				uint32_t st[2] = {pairs[i][j].a, pairs[i][j].b};
				CHECK_EQ_INT(hf__stacks_add(s, st, 2, (int64_t)(i * 2 + (size_t)j + 1),
					&err), HF_OK);
			}
	CHECK_EQ_INT(hf__stacks_add(s, NULL, 0, 5, &err), HF_OK);
	CHECK_EQ_INT(hf_stacks_count(s), 1 + 2 * npairs);
	int64_t value = 0;
	CHECK_EQ_INT(hf_stacks_get(s, 0, NULL, &value), 0);
	CHECK(value == 10);
	for (size_t i = 0; i < npairs; i++)
		for (int j = 0; j < 2; j++) {
			uint32_t st[2] = {pairs[i][j].a, pairs[i][j].b};
			uint32_t id = find_stack(s, st, 2);
			CHECK_EQ_INT(id, 1 + 2 * i + (size_t)j);
			if (id != HF_NONE)
				CHECK(s->stacks[id].value == 2 * (int64_t)(i * 2 + (size_t)j + 1));
		}
	/* emptied: the same stacks come back as new ones, in their new order */
	hf__stacks_clear(s);
	uint32_t st[2] = {pairs[0][1].a, pairs[0][1].b};
	CHECK_EQ_INT(hf__stacks_add(s, st, 2, 3, &err), HF_OK);
	st[0] = pairs[0][0].a;
	CHECK_EQ_INT(hf__stacks_add(s, st, 2, 4, &err), HF_OK);
	CHECK_EQ_INT(hf__stacks_add(s, st, 2, 4, &err), HF_OK);
	CHECK_EQ_INT(hf_stacks_count(s), 2);
	CHECK_EQ_INT(find_stack(s, st, 2), 1);
	CHECK(hf_stacks_total(s) == 11);
	hf_stacks_free(s);
}

HARNESS_MAIN(T(many_stacks_through_regrowths), T(equal_hash_bits_different_stacks))
