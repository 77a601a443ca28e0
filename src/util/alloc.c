#define _DEFAULT_SOURCE /* posix_memalign, madvise's MADV_HUGEPAGE */
#include "util.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#ifdef HF_TEST_HOOKS
#include <stdatomic.h>

/* Allocation-failure injection, compiled only into the test build of the
 * library (heapflame_test): the counters are process-wide by nature. */
static atomic_size_t alloc_count;
static atomic_size_t fail_at;

size_t hf__alloc_fail_after(size_t n)
{
	size_t made = atomic_exchange(&alloc_count, 0);
	atomic_store(&fail_at, n);
	return made;
}

static int should_fail(void)
{
	size_t count = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
	size_t at = atomic_load_explicit(&fail_at, memory_order_relaxed);
	return at && count >= at;
}
#else
static int should_fail(void)
{
	return 0;
}
#endif

#ifdef MADV_HUGEPAGE
/*
 * Large blocks that their callers write whole (the file read, the inflated
 * profile, arena chunks cut to one array's size) are asked for in
 * transparent huge pages, where the system gives them on request (THP
 * "madvise", Debian's default): a page fault then maps 2 MiB instead of
 * 4 KiB. Page faults were a third of heapflame's system time: 9,352 of
 * them for --top of a 3.3 MB profile, every large block mapped afresh (the
 * CLI returns freed large blocks to the system). Only whole huge pages
 * inside the block are advised, so a block written to its end holds no
 * more memory than before. Blocks grown by doubling or filled in part (an
 * arena's doubling chunks) are not advised: there the huge page at the
 * written end holds up to 2 MiB more (-base's peak grew 74 -> 84 MB when
 * every large block was advised).
 */
#define HUGE_PAGE ((uintptr_t)2 << 20)

void *hf__malloc_filled(size_t size)
{
	if (should_fail())
		return NULL;
	if (size < HUGE_PAGE)
		return malloc(size ? size : 1);
	/* Aligned, so the block starts on a huge page (a block from mmap is
	 * only page-aligned: 3.3 MB of it might hold no whole huge page). */
	void *block;
	if (posix_memalign(&block, HUGE_PAGE, size) != 0)
		return NULL;
	uintptr_t end = ((uintptr_t)block + size) & ~(HUGE_PAGE - 1);
	(void)madvise(block, end - (uintptr_t)block, MADV_HUGEPAGE); /* advice only */
	return block;
}
#else
void *hf__malloc_filled(size_t size)
{
	return hf__malloc(size);
}
#endif

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

/* The capacity that has room for count + more, doubling cap (`first` at
 * the start); 0 when that overflows. */
static size_t doubled(size_t cap, size_t count, size_t more, size_t first)
{
	size_t n = cap ? cap : first;
	while (n - count < more) {
		if (n > SIZE_MAX / 2)
			return 0;
		n *= 2;
	}
	return n;
}

void *hf__reserve(void *items, size_t *cap, size_t count, size_t more, size_t size,
	size_t first)
{
	assert(count <= *cap); /* else *cap - count wraps and nothing grows */
	if (more <= *cap - count)
		return items;
	size_t n = doubled(*cap, count, more, first);
	void *grown = n ? hf__realloc(items, hf__mul(n, size)) : NULL;
	if (grown)
		*cap = n;
	return grown;
}

void *hf__grow(void *items, size_t *cap, size_t count, size_t size, size_t first)
{
	return hf__reserve(items, cap, count, 1, size, first);
}

bool hf__reserve_at(void *array_at, size_t *cap, size_t count, size_t more, size_t size,
	size_t first)
{
	assert(count <= *cap);
	if (more <= *cap - count)
		return true;
	void *items;
	memcpy(&items, array_at, sizeof(items));
	void *grown = hf__reserve(items, cap, count, more, size, first);
	if (grown)
		memcpy(array_at, &grown, sizeof(grown));
	return grown != NULL;
}

int hf__grow_columns(const hf__column *columns, size_t ncolumns, size_t *cap, size_t count,
	size_t first)
{
	assert(count <= *cap);
	if (count < *cap)
		return 0;
	size_t n = doubled(*cap, count, 1, first);
	if (!n)
		return -1;
	for (size_t i = 0; i < ncolumns; i++) {
		void *items;
		memcpy(&items, columns[i].items, sizeof(items));
		void *grown = hf__realloc(items, hf__mul(n, columns[i].size));
		if (!grown)
			return -1;
		memcpy(columns[i].items, &grown, sizeof(grown));
	}
	*cap = n;
	return 0;
}

void hf__free(void *ptr)
{
	free(ptr);
}
