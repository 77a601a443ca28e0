#include "util.h"

#include <stdalign.h>
#include <stdbool.h>
#include <string.h>

struct hf__arena_chunk {
	hf__arena_chunk *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

#define ARENA_FIRST_CHUNK (64u * 1024u)
#define ARENA_MAX_CHUNK (16u * 1024u * 1024u)

void *hf__arena_alloc(hf__arena *arena, size_t size)
{
	const size_t align = alignof(max_align_t);
	size_t need = (size + align - 1) & ~(align - 1);
	hf__arena_chunk *c = arena->head;
	bool fresh = false;

	if (need < size)
		return NULL;
#ifdef HF_DEBUG_ARENA
	/* A chunk per object, still chained so dispose frees them all. */
	fresh = true;
#endif
	if (fresh || !c || c->size - c->used < need) {
		/* Chunks double up to a cap so large profiles need few mallocs. */
		size_t chunk = arena->next_size ? arena->next_size : ARENA_FIRST_CHUNK;
#ifdef HF_DEBUG_ARENA
		chunk = need;
#endif
		if (chunk < need)
			chunk = need;
		if (chunk > SIZE_MAX - sizeof(*c))
			return NULL;
		/* A chunk cut to one request holds an array its caller fills. */
		hf__arena_chunk *n = chunk == need ? hf__malloc_filled(sizeof(*n) + chunk)
			: hf__malloc(sizeof(*n) + chunk);
		if (!n)
			return NULL;
		n->size = chunk;
		n->used = 0;
		if (c && c->size - c->used > chunk - need) {
			/* Keep filling the old head: it has more room left. */
			n->next = c->next;
			c->next = n;
			n->used = need;
			return n->data;
		}
		n->next = c;
		arena->head = c = n;
		if (arena->next_size < ARENA_MAX_CHUNK)
			arena->next_size = chunk < ARENA_MAX_CHUNK / 2 ? chunk * 2 : ARENA_MAX_CHUNK;
	}
	void *p = c->data + c->used;
	c->used += need;
	return p;
}

void *hf__arena_calloc(hf__arena *arena, size_t n, size_t size)
{
	size_t total = hf__mul(n, size);
	if (total == SIZE_MAX)
		return NULL;
	void *p = hf__arena_alloc(arena, total);
	if (p)
		memset(p, 0, total);
	return p;
}

char *hf__arena_strndup(hf__arena *arena, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = hf__arena_alloc(arena, len + 1);
	if (p) {
		if (len)
			memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

void hf__arena_dispose(hf__arena *arena)
{
	hf__arena_chunk *c = arena->head;
	while (c) {
		hf__arena_chunk *next = c->next;
		hf__free(c);
		c = next;
	}
	arena->head = NULL;
	arena->next_size = 0;
}

void *hf__arena_grow(hf__arena *arena, void *items, size_t *cap, size_t count, size_t size,
	size_t first)
{
	if (count < *cap)
		return items;
	size_t n = *cap ? hf__mul(*cap, 2) : first;
	void *grown = hf__arena_alloc(arena, hf__mul(n, size));
	if (!grown)
		return NULL;
	if (count)
		memcpy(grown, items, count * size);
	*cap = n;
	return grown;
}
