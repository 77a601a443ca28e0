/* The folded model: interned frame names and distinct stacks. */
#ifndef HF_STACKS_H
#define HF_STACKS_H

#include "../util/util.h"

/* 32 bytes: the hash lives in the stack's slot, not here (a million
 * stacks are 32 MB, not 40). */
typedef struct hf__stack {
	size_t offset;  /* into frames */
	int64_t value;
	int64_t base;   /* the "before" value of a diff (see has_base) */
	uint32_t depth;
} hf__stack;

/*
 * A slot of the stacks' index: a stack's id and the low 32 bits of its
 * hash. A probe passing another stack's slot compares the hashes there,
 * without reading that stack (a cache miss per slot passed once the
 * stacks outgrow the cache: 250k -> 1M stacks cost the probe 5.6x); the
 * index regrows from its own slots. id HF_NONE: a free slot.
 */
typedef struct hf__stack_slot {
	uint32_t id;
	uint32_t hash;
} hf__stack_slot;

struct hf_stacks {
	hf__arena arena;   /* frame names */
	hf__intern names;
	const char *sample_type;
	const char *sample_unit;

	uint32_t *frames; /* references, root first, see HF_FRAME_INLINED */
	size_t nframes, frames_cap;
	hf__stack *stacks;
	size_t nstacks, stacks_cap;
	hf__stack_slot *slots; /* open addressing over stacks */
	size_t nslots;
	int64_t total;
	bool has_base;    /* a diff: stacks carry base (before) values too */
	int64_t base_total;
};

/* Creates empty stacks for a sample type (strings are copied). */
int hf__stacks_new(hf_stacks **out, const char *type, const char *unit, hf_error *err);
/* Adds `value` to the stack of `depth` frame references, creating it. */
int hf__stacks_add(hf_stacks *s, const uint32_t *frames, size_t depth, int64_t value,
	hf_error *err);
/* The same for a diff: adds `value` (after) and `base` (before). */
int hf__stacks_add_diff(hf_stacks *s, const uint32_t *frames, size_t depth,
	int64_t value, int64_t base, hf_error *err);
/*
 * The 32 bits of a stack's hash that the index uses (its slot's start and
 * its slot's hash), computed ahead of its add: the fold hashes a sample's
 * stack and prefetches its slot (hf__stacks_prefetch) while the next
 * sample is walked, and the parts' join adds stacks hashed by the thread
 * that recorded them. hf__stacks_add_hashed is hf__stacks_add_diff with
 * `hash` = hf__stacks_hash(frames, depth).
 */
uint32_t hf__stacks_hash(const uint32_t *frames, size_t depth);
int hf__stacks_add_hashed(hf_stacks *s, const uint32_t *frames, size_t depth,
	uint32_t hash, int64_t value, int64_t base, hf_error *err);
/* Asks the cache for the index slot where a stack of this hash is looked
 * up first: once a million stacks' index (16 MB) outgrows the cache, each
 * new stack's probe was a miss (676k of them at 1M stacks). A hint only:
 * the index may regrow before the add. */
static inline void hf__stacks_prefetch(const hf_stacks *s, uint32_t hash)
{
	if (s->nslots)
		__builtin_prefetch(&s->slots[hash & (s->nslots - 1)], 1, 3);
}
/* Empties the stacks (no stack, totals 0), keeping the names and the room. */
void hf__stacks_clear(hf_stacks *s);
/*
 * Stack indexes in collapsed byte order of their joined names, stably
 * (equal joins keep the order of their indexes). Stacks with equal names
 * (differing only in inline flags) end up adjacent. Returns a hf__malloc'd
 * array of hf_stacks_count() entries, or NULL. by_ranks (NULL allowed) is
 * set to whether the order came from the ranks of the names (the fast way)
 * rather than from comparing bytes (names whose join is ambiguous).
 */
uint32_t *hf__stacks_sorted(const hf_stacks *s, bool *by_ranks);
#ifdef HF_TEST_HOOKS
/* Test build only: on, hf__stacks_sorted reads each stack's offset in its
 * record, as it does past 2^32 frames, instead of a table of 32-bit
 * offsets. Returns the setting before. */
bool hf__stacks_sort_by_records(bool on);
#endif
/* Compares two stacks as their joined "a;b;c" strings. */
int hf__stacks_compare(const hf_stacks *s, uint32_t a, uint32_t b);

#endif
