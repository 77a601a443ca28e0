#include "util.h"

#include <string.h>

void hf__intern_init(hf__intern *in, hf__arena *arena)
{
	memset(in, 0, sizeof(*in));
	in->arena = arena;
}

void hf__intern_dispose(hf__intern *in)
{
	hf__free(in->names);
	hf__free(in->lens);
	hf__free(in->hashes);
	hf__free(in->slots);
	in->names = NULL;
	in->lens = NULL;
	in->hashes = NULL;
	in->slots = NULL;
	in->count = 0;
	in->cap = in->nslots = 0;
}

static bool is_free(void *slots, size_t slot)
{
	return ((const uint32_t *)slots)[slot] == HF_NONE;
}

int hf__index_grow(uint32_t **slots, size_t *nslots, size_t first, const void *entries,
	size_t stride, size_t hash_offset)
{
	size_t n = *nslots ? hf__mul(*nslots, 2) : first;
	uint32_t *grown = hf__malloc(hf__mul(n, sizeof(*grown)));
	if (!grown)
		return -1;
	memset(grown, 0xff, n * sizeof(*grown));
	for (size_t s = 0; s < *nslots; s++) {
		uint32_t id = (*slots)[s];
		if (id == HF_NONE)
			continue;
		uint64_t h;
		memcpy(&h, (const char *)entries + (size_t)id * stride + hash_offset, sizeof(h));
		grown[hf__index_probe(n, h, is_free, grown)] = id;
	}
	hf__free(*slots);
	*slots = grown;
	*nslots = n;
	return 0;
}

static int grow_entries(hf__intern *in)
{
	/* ids stay far below HF_NONE (at most 2^30 names) */
	if (in->cap >= (size_t)1 << 30)
		return -1;
	const hf__column columns[] = {HF_COLUMN(in->names), HF_COLUMN(in->lens),
		HF_COLUMN(in->hashes)};
	return hf__grow_columns(columns, 3, &in->cap, in->count, 256);
}

/* The slot of a name: holds the id of an equal name, or none. */
static bool is_name(void *probe, size_t slot)
{
	const hf__index_key *q = probe;
	const hf__intern *in = q->table;
	uint32_t id = in->slots[slot];
	return id == HF_NONE || (in->hashes[id] == q->hash && in->lens[id] == q->len &&
		memcmp(in->names[id], q->key, q->len) == 0);
}

uint32_t hf__intern_get(hf__intern *in, const char *s, size_t len)
{
	if (len >= UINT32_MAX)
		return HF_NONE;
	if ((size_t)(in->count + 1) * 2 > in->nslots &&
	    hf__index_grow(&in->slots, &in->nslots, 1024, in->hashes, sizeof(*in->hashes), 0) != 0)
		return HF_NONE;
	hf__index_key q = {in, s, len, hf__hash_bytes(s, len, 0)};
	size_t i = hf__index_probe(in->nslots, q.hash, is_name, &q);
	if (in->slots[i] != HF_NONE)
		return in->slots[i];
	if (in->count == in->cap && grow_entries(in) != 0)
		return HF_NONE;
	char *copy = hf__arena_strndup(in->arena, s, len);
	if (!copy)
		return HF_NONE;
	uint32_t id = in->count++;
	in->names[id] = copy;
	in->lens[id] = (uint32_t)len;
	in->hashes[id] = q.hash;
	in->slots[i] = id;
	return id;
}
