#include "util.h"

#include <stdlib.h>

/* Allocation-failure injection for tests: cheap enough to keep always. */
static size_t alloc_count;
static size_t fail_at;

size_t hf__alloc_fail_after(size_t n)
{
	size_t made = alloc_count;
	alloc_count = 0;
	fail_at = n;
	return made;
}

static int should_fail(void)
{
	alloc_count++;
	return fail_at && alloc_count >= fail_at;
}

void *hf__malloc(size_t size)
{
	return should_fail() ? NULL : malloc(size ? size : 1);
}

void *hf__calloc(size_t n, size_t size)
{
	return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *hf__realloc(void *ptr, size_t size)
{
	return should_fail() ? NULL : realloc(ptr, size ? size : 1);
}

void *hf__grow(void *items, size_t *cap, size_t count, size_t size, size_t first)
{
	if (count < *cap)
		return items;
	size_t n = *cap ? hf__mul(*cap, 2) : first;
	void *grown = hf__realloc(items, hf__mul(n, size));
	if (grown)
		*cap = n;
	return grown;
}

void hf__free(void *ptr)
{
	free(ptr);
}
