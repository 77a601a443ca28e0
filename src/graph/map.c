/* The graph builder's open-addressing map from 64-bit keys (two 32-bit
 * ids) to 32-bit values: tags, tag kinds, labels (the edges keep an index
 * of their own: instance.c). */
#include "build.h"

#include <string.h>

void hf__graph_map_dispose(u64map *m)
{
	hf__free(m->keys);
	hf__free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* A key looked up: its slot holds it, or is free. */
typedef struct key_probe {
	const u64map *m;
	uint64_t key;
} key_probe;

static bool is_key(void *probe, size_t slot)
{
	const key_probe *q = probe;
	return q->m->vals[slot] == HF_NONE || q->m->keys[slot] == q->key;
}

size_t hf__graph_map_slot(const u64map *m, uint64_t key)
{
	/* Keys are two 32-bit ids: one multiply, then the high half (which
	 * every key bit reaches) folded onto the low bits the mask keeps. */
	uint64_t h = key * 0x9e3779b97f4a7c15ull;
	key_probe q = {m, key};
	return hf__index_probe(m->cap, h ^ h >> 32, is_key, &q);
}

static int map_resize(u64map *m, size_t cap)
{
	u64map n = {hf__malloc(hf__mul(cap, sizeof(uint64_t))),
		hf__malloc(hf__mul(cap, sizeof(uint32_t))), cap, m->count};
	if (!n.keys || !n.vals) {
		hf__graph_map_dispose(&n);
		return -1;
	}
	memset(n.vals, 0xff, cap * sizeof(uint32_t));
	for (size_t i = 0; i < m->cap; i++)
		if (m->vals[i] != HF_NONE) {
			size_t s = hf__graph_map_slot(&n, m->keys[i]);
			n.keys[s] = m->keys[i];
			n.vals[s] = m->vals[i];
		}
	hf__graph_map_dispose(m);
	*m = n;
	return 0;
}

static int map_grow(u64map *m)
{
	return map_resize(m, m->cap ? m->cap * 2 : 1024);
}

int hf__graph_map_reserve(u64map *m, size_t count)
{
	size_t cap = m->cap ? m->cap : 1024;
	while ((count + 1) * 2 > cap)
		cap *= 2;
	return cap == m->cap ? 0 : map_resize(m, cap);
}

/* The value for key, or `fresh` stored for it. HF_NONE when out of memory. */
uint32_t hf__graph_map_get_or_add(u64map *m, uint64_t key, uint32_t fresh, bool *added)
{
	if ((m->count + 1) * 2 > m->cap && map_grow(m) != 0)
		return HF_NONE;
	size_t s = hf__graph_map_slot(m, key);
	*added = m->vals[s] == HF_NONE;
	if (*added) {
		m->keys[s] = key;
		m->vals[s] = fresh;
		m->count++;
	}
	return m->vals[s];
}
