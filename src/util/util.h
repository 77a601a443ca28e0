/* Shared plumbing: allocation, arenas, error helpers, hashing, output. */
#ifndef HF_UTIL_H
#define HF_UTIL_H

#include "heapflame.h"

#include <stdarg.h>
#include <string.h>
#include <stdbool.h>

/*
 * Every allocation of the library goes through these, so the test build
 * (HF_TEST_HOOKS) can fail the Nth one (see hf__alloc_fail_after).
 */
void *hf__malloc(size_t size);
/* hf__malloc for a block its caller writes to the end (or nearly): a large
 * one is given in huge pages where the system allows (alloc.c). */
void *hf__malloc_filled(size_t size);
void *hf__calloc(size_t n, size_t size);
void *hf__realloc(void *ptr, size_t size);
void hf__free(void *ptr);
/*
 * Growable arrays double their capacity through these.
 *
 * hf__reserve: an array of *cap elements of `size` bytes, `count` of them
 * used (count <= *cap, asserted), gets room for `more` (at least 1): when
 * they do not fit, it is reallocated to its capacity doubled (`first` at
 * the start) as often as needed, and *cap is updated. Returns the array,
 * or NULL when out of memory (the old array is kept). hf__grow is room
 * for one more.
 */
void *hf__reserve(void *items, size_t *cap, size_t count, size_t more, size_t size,
	size_t first);
void *hf__grow(void *items, size_t *cap, size_t count, size_t size, size_t first);
/*
 * HF_RESERVE(array, cap, count, more, first): hf__reserve on an array (a
 * variable or member of pointer type), which it updates; true, or false
 * when out of memory (the array is kept). Room for none is no allocation.
 * The pointer is read and written with memcpy (hf__reserve_at; so are the
 * hf__column pointers): a T * written as a void * lvalue, as a (void **)
 * cast would, breaks C's aliasing rule, since T * and void * are
 * different types.
 */
#define HF_RESERVE(array, cap, count, more, first) \
	hf__reserve_at(&(array), (cap), (count), (more), sizeof(*(array)), (first))
bool hf__reserve_at(void *array_at, size_t *cap, size_t count, size_t more, size_t size,
	size_t first);
/*
 * Parallel arrays (a struct of arrays, as the graph's edges) that share
 * one count and one capacity: hf__grow_columns grows each array the
 * way hf__grow does, then *cap. Returns 0, or -1 when out of memory (*cap
 * is kept; the arrays grown already are only larger than it says).
 */
typedef struct hf__column {
	void *items;   /* the address of the array's pointer (a T **), e.g. &g->esrc */
	size_t size;   /* bytes per element */
} hf__column;
#define HF_COLUMN(array) {&(array), sizeof(*(array))}
int hf__grow_columns(const hf__column *columns, size_t ncolumns, size_t *cap, size_t count,
	size_t first);
#ifdef HF_TEST_HOOKS
/** Test build only: makes allocation number n (1-based, counted from now)
 * and all later ones fail; 0 turns failures off. Returns the count made
 * so far. */
size_t hf__alloc_fail_after(size_t n);
#endif

/*
 * A second thread (thread.c), for work that splits in two halves whose
 * results are put together in order, so that the output is the one a
 * single thread makes. hf__parallel_pays: whether `work` (items, bytes:
 * the caller's measure) is at least `threshold`, more than one CPU is
 * available to the process (its affinity mask, e.g. under taskset, not
 * only the CPUs online) and the load average is below their number;
 * otherwise the one-thread path runs. hf__thread_start
 * runs fn(arg) on a new thread: NULL when none could be started (out of
 * memory, a thread limit), and the caller then does the work itself.
 * hf__thread_join waits for it (NULL: nothing to wait for); what fn wrote
 * is then the caller's to read.
 */
typedef struct hf__thread hf__thread;
bool hf__parallel_pays(size_t work, size_t threshold);
hf__thread *hf__thread_start(void (*fn)(void *), void *arg);
void hf__thread_join(hf__thread *t);
#ifdef HF_TEST_HOOKS
/** Test build only: HF_PARALLEL_ALWAYS makes every split that has two
 * items run on two threads (whatever the threshold and the CPUs),
 * HF_PARALLEL_NEVER none, 0 as measured. Returns the mode before. */
enum { HF_PARALLEL_ALWAYS = 1, HF_PARALLEL_NEVER = 2 };
int hf__parallel_force(int mode);
/** Test build only: threads hf__thread_start has started so far. */
size_t hf__threads_started(void);
#endif

/*
 * Optional libraries opened on use (dl.c; only in builds that have one).
 * hf__dl_open opens `soname` and stores each symbol's address at `table` +
 * its offset (a struct of typed function pointers, or of data addresses);
 * NULL with HF_EUNSUPPORTED ("WHAT: why") when the library or a symbol is
 * missing. The handle goes to hf__dl_close; the library stays loaded.
 */
typedef struct hf__dl_symbol {
	const char *name;
	size_t offset; /* offsetof the table's member */
} hf__dl_symbol;
void *hf__dl_open(const char *soname, const hf__dl_symbol *symbols, size_t count, void *table,
	const char *what, hf_error *err);
void hf__dl_close(void *handle);

/*
 * The one "no slot" value: a free slot of an open-addressing index, an
 * absent id (a line without a function, a location without a mapping), and
 * what id-returning functions give back when out of memory.
 */
#define HF_NONE UINT32_MAX

/* n * size, or SIZE_MAX on overflow (which then fails to allocate). */
static inline size_t hf__mul(size_t n, size_t size)
{
	return (size && n > SIZE_MAX / size) ? SIZE_MAX : n * size;
}

/*
 * A page-chained bump allocator. Everything in it is released at once by
 * hf__arena_dispose. HF_DEBUG_ARENA builds make every allocation a real
 * malloc so sanitizers see each object.
 */
typedef struct hf__arena_chunk hf__arena_chunk;
typedef struct hf__arena {
	hf__arena_chunk *head;
	size_t next_size;
} hf__arena;

void *hf__arena_alloc(hf__arena *arena, size_t size);
void *hf__arena_calloc(hf__arena *arena, size_t n, size_t size);
char *hf__arena_strndup(hf__arena *arena, const char *s, size_t len);
void hf__arena_dispose(hf__arena *arena);
/* hf__grow for a (small) array in an arena: the grown array is a copy,
 * the old one stays in the arena until it is disposed. */
void *hf__arena_grow(hf__arena *arena, void *items, size_t *cap, size_t count, size_t size,
	size_t first);

/* Fills err (if any) and returns code. */
int hf__error(hf_error *err, hf_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int hf__oom(hf_error *err);

/*
 * Decodes the code point at s[*i] and advances *i. An invalid or truncated
 * sequence yields its first byte's value and advances by one byte, so every
 * input decodes and a cut never lands inside a valid sequence.
 */
uint32_t hf__utf8_next(const char *s, size_t len, size_t *i);
/* Length of the printable character at s (n >= 1 bytes left), or 0: no
 * ASCII or C1 control (a tab only with keep_tab), no invalid, overlong or
 * surrogate UTF-8. What --list and the HTML source view print as is
 * (anything else becomes '?'). */
size_t hf__utf8_printable(const unsigned char *s, size_t n, bool keep_tab);

/*
 * Go's filepath.Clean for '/' paths: "//", "." and "x/.." collapse, an
 * empty path is ".". Writes the clean form of path[0..len) into out, which
 * holds at least len + 2 bytes (the clean form is never longer than the
 * path, but for "" -> "."), NUL-terminated; returns its length.
 */
size_t hf__path_clean(char *out, const char *path, size_t len);

/* 64-bit FNV-1a style hash, good enough for interning. */
uint64_t hf__hash_bytes(const void *data, size_t len, uint64_t seed);

/*
 * A growable byte buffer for building output; hf__sink batches writes to a
 * writer so formatting code can append small pieces cheaply.
 */
typedef struct hf__sink {
	hf_writer *writer;
	char *buf;
	size_t len;
	size_t cap;
	int failed;
} hf__sink;

int hf__sink_init(hf__sink *sink, hf_writer *writer);
/* hf__sink_put when the data does not fit in the buffer (flushes first). */
void hf__sink_put_slow(hf__sink *sink, const void *data, size_t len);
/* Appends len bytes; inline because output code calls it per name. */
static inline void hf__sink_put(hf__sink *sink, const void *data, size_t len)
{
	if (len <= sink->cap - sink->len && len) {
		memcpy(sink->buf + sink->len, data, len);
		sink->len += len;
	} else {
		hf__sink_put_slow(sink, data, len);
	}
}
/*
 * Room for n bytes at the end of the buffer (flushed first if need be), to
 * fill and then count in sink->len; NULL when n is more than the buffer
 * holds or the sink has failed: then hf__sink_put does the rest.
 */
char *hf__sink_room_slow(hf__sink *sink, size_t n);
static inline char *hf__sink_room(hf__sink *sink, size_t n)
{
	if (n <= sink->cap - sink->len)
		return sink->buf + sink->len;
	return hf__sink_room_slow(sink, n);
}
/* Writes what the sink holds, then data straight to the writer (no copy:
 * for data already formatted elsewhere). */
void hf__sink_put_through(hf__sink *sink, const void *data, size_t len);
void hf__sink_puts(hf__sink *sink, const char *s);
/* Appends a byte; inline for the same reason (a ';' per frame). */
static inline void hf__sink_putc(hf__sink *sink, char c)
{
	if (sink->len < sink->cap)
		sink->buf[sink->len++] = c;
	else
		hf__sink_put_slow(sink, &c, 1);
}
/* "00" to "99": the decimal writers take two digits at a time. */
extern const char hf__digit_pairs[200];
/* u's decimal digits, written backwards so that they end at end; returns
 * where they start. A division by 100 per two digits, not by 10 per one. */
static inline char *hf__u64_digits_before(char *end, uint64_t u)
{
	while (u >= 100) {
		unsigned r = (unsigned)(u % 100);
		u /= 100;
		end -= 2;
		memcpy(end, hf__digit_pairs + 2 * r, 2);
	}
	if (u >= 10) {
		end -= 2;
		memcpy(end, hf__digit_pairs + 2 * u, 2);
	} else {
		*--end = (char)('0' + u);
	}
	return end;
}
/* How many decimal digits u has (1 for 0). */
static inline size_t hf__u64_digit_count(uint64_t u)
{
	size_t n = 1;
	for (; u >= 10000; u /= 10000)
		n += 4;
	if (u >= 100) {
		n += 2;
		u /= 100;
	}
	return n + (u >= 10);
}
/* u in decimal at p (at most 20 bytes, no NUL); returns the end. */
static inline char *hf__u64_text(char *p, uint64_t u)
{
	char *end = p + hf__u64_digit_count(u);
	hf__u64_digits_before(end, u);
	return end;
}
/* v in decimal at p (at most 20 bytes, no NUL); returns the end. Inline:
 * a flame graph's frames write theirs in place (render/svg.c). */
static inline char *hf__i64_text(char *p, int64_t v)
{
	if (v < 0)
		*p++ = '-';
	return hf__u64_text(p, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}
void hf__sink_i64(hf__sink *sink, int64_t v);
void hf__sink_printf(hf__sink *sink, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Flushes and frees; returns HF_OK or HF_EIO (with a message). */
int hf__sink_finish(hf__sink *sink, hf_error *err);

/*
 * Open-addressing indexes: a power-of-two table of slots probed linearly
 * from a hash's low bits, kept at most half full so that every probe ends.
 * This is the probe all of them share (the interning tables, the distinct
 * stacks, the profile builder's samples, the graph builder's maps, the
 * HTML report's callee lists): it returns the first slot from the hash on
 * for which stop(ctx, slot) holds, that is where the key is or the free
 * slot where it goes. Inline, so that each table's stop is inlined into
 * its own loop.
 */
static inline size_t hf__index_probe(size_t nslots, uint64_t hash,
	bool (*stop)(void *ctx, size_t slot), void *ctx)
{
	size_t mask = nslots - 1;
	size_t i = (size_t)hash & mask;
	while (!stop(ctx, i))
		i = (i + 1) & mask;
	return i;
}

/* A key looked up in an index of ids (what a table's stop compares with
 * its entries): the table, the key and its length in the table's units
 * (bytes of a name, frames of a stack), and its hash. */
typedef struct hf__index_key {
	const void *table;
	const void *key;
	size_t len;
	uint64_t hash;
} hf__index_key;

/*
 * Doubles an open-addressing index of ids (HF_NONE marks a free slot;
 * `first` slots to start with): each id in it is placed anew by its hash,
 * the uint64_t at `hash_offset` in entries[id] (entries of `stride`
 * bytes). Returns 0, or -1 when out of memory (the index is left as it was).
 */
int hf__index_grow(uint32_t **slots, size_t *nslots, size_t first, const void *entries,
	size_t stride, size_t hash_offset);

/*
 * How hf__escape_markup writes what may not pass through into SVG or HTML
 * text and attributes (besides &amp; &lt; &gt; &quot;): each format's forms,
 * fixed by its golden files and tests.
 */
typedef struct hf__markup_style {
	const char *apos;           /* the apostrophe: "&apos;" (XML) or "&#39;" */
	const char *invalid;        /* for a byte that is not UTF-8 */
	const char *control;        /* for a control character or DEL; NULL: its
	                             * Unicode control picture (U+2400 + c) */
	bool keep_tab_newline;      /* tab and newline pass through */
	bool invalid_noncharacters; /* U+FFFE and U+FFFF are written as invalid */
} hf__markup_style;
/* Writes s[0..len) escaped as markup text or attribute value in style. */
void hf__escape_markup(hf__sink *out, const char *s, size_t len, const hf__markup_style *style);
/* Whether hf__escape_markup writes s[0..len) as it is (so a caller that
 * writes a name many times can test it once and copy it). */
bool hf__markup_is_plain(const char *s, size_t len, const hf__markup_style *style);
/*
 * Writes s[0..len) as the body of a JSON string (no quotes) that is also
 * safe inside an HTML <script>: '<', '>' and '&' as \u escapes (so no
 * "</script>" or "<!--" can appear), control characters, U+2028 and
 * U+2029 as \u escapes, every invalid UTF-8 byte as \ufffd. short_forms
 * writes '"', '\\' and tab as \", \\ and \t, else as \u escapes.
 */
void hf__escape_json(hf__sink *out, const char *s, size_t len, bool short_forms);

/*
 * HF_INSERTION_SORT(name, type, ctx_type, cmp) defines
 * static void name(type *v, size_t n, ctx_type ctx): sorts v stably by
 * cmp(ctx, const type *a, const type *b) (<0, 0, >0). HF_MERGE_SORT(name,
 * type, ctx_type, cmp) defines static void name(type *v, type *tmp,
 * size_t n, ctx_type ctx): the same as a merge sort (insertion sort below
 * 13 items, tmp holding n / 2 + 1), name##_small, the insertion sort, and
 * name##_merge(v, tmp, half, n, ctx), its last step: v's sorted halves
 * [0, half) and [half, n) merged (tmp holding half), for a caller that
 * sorts the halves apart (on two threads). Macros, as C11's qsort has no
 * context and each sort should inline its comparison.
 */
#define HF_INSERTION_SORT(name, type, ctx_type, cmp) \
	static void name(type *v, size_t n, ctx_type ctx) \
	{ \
		for (size_t i = 1; i < n; i++) { \
			type x = v[i]; \
			size_t j = i; \
			while (j > 0 && cmp(ctx, &v[j - 1], &x) > 0) { \
				v[j] = v[j - 1]; \
				j--; \
			} \
			v[j] = x; \
		} \
	}
#define HF_MERGE_SORT(name, type, ctx_type, cmp) \
	HF_INSERTION_SORT(name##_small, type, ctx_type, cmp) \
	static inline void name##_merge(type *v, type *tmp, size_t half, size_t n, ctx_type ctx) \
	{ \
		if (half == 0 || half == n || cmp(ctx, &v[half - 1], &v[half]) <= 0) \
			return; \
		memcpy(tmp, v, half * sizeof(*v)); \
		size_t i = 0, j = half, k = 0; \
		while (i < half && j < n) \
			v[k++] = cmp(ctx, &tmp[i], &v[j]) <= 0 ? tmp[i++] : v[j++]; \
		while (i < half) \
			v[k++] = tmp[i++]; \
	} \
	static void name(type *v, type *tmp, size_t n, ctx_type ctx) \
	{ \
		if (n <= 12) { \
			name##_small(v, n, ctx); \
			return; \
		} \
		size_t half = n / 2; \
		name(v, tmp, half, ctx); \
		name(v + half, tmp, n - half, ctx); \
		name##_merge(v, tmp, half, n, ctx); \
	}

/* A file compiled into the library (cmake/embed_files.cmake writes the
 * tables; their last entry has a NULL name). */
typedef struct hf__embedded {
	const char *name;
	const unsigned char *data;
	size_t len;
} hf__embedded;

/* String interning: maps byte strings to dense ids 0, 1, 2, ... */
typedef struct hf__intern {
	hf__arena *arena;  /* where copies of names live */
	const char **names;
	uint32_t *lens;
	uint64_t *hashes;
	uint32_t count;
	size_t cap;
	uint32_t *slots;  /* open addressing; HF_NONE = empty */
	size_t nslots;
} hf__intern;

void hf__intern_init(hf__intern *in, hf__arena *arena);
/* Returns the id, or HF_NONE when out of memory. */
uint32_t hf__intern_get(hf__intern *in, const char *s, size_t len);
void hf__intern_dispose(hf__intern *in);

#endif
