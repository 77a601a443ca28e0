/*
 * hf__stacks_sorted orders stacks by their joined "a;b;c" bytes (a stack
 * that ends sorts before one that goes on), stably. It takes shortcuts:
 * each (name, terminator) key ranked once and stacks sorted as sequences of
 * ranks, by a radix sort on 64-bit packs of ranks and a merge sort for
 * small runs; the byte comparison only when some name starts with another
 * name and ';' (the join is then ambiguous). So here the order is checked,
 * index for index, against a plain byte comparison of the joined strings
 * (ties by index), on stacks over names chosen to hit the corners: names
 * that prefix each other, bytes below and above ';' and ' ', spaces,
 * control bytes, names containing ';' with and without the ambiguity, the
 * empty name, non-ASCII bytes; on random names and stacks; with more names
 * than 16-bit ranks hold; and with shared prefixes deeper than the radix
 * sort goes. Each order both on one thread and on two.
 */
#include "harness.h"
#include "stacks/stacks.h"

#include <stdlib.h>

static uint32_t rng = 7;

static uint32_t next_random(void)
{
	return harness_xorshift32(&rng);
}

/* The joined form of every stack, for the reference order. */
typedef struct joined {
	char *bytes;
	size_t len;
} joined;

static const joined *ref_joined;

static int cmp_joined(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	const joined *ja = &ref_joined[a], *jb = &ref_joined[b];
	size_t n = ja->len < jb->len ? ja->len : jb->len;
	int c = n ? memcmp(ja->bytes, jb->bytes, n) : 0;
	if (c)
		return c;
	if (ja->len != jb->len)
		return ja->len < jb->len ? -1 : 1; /* the end sorts first */
	return a < b ? -1 : a > b;                  /* stable */
}

/*
 * Checks hf__stacks_sorted's order index for index against the byte order
 * of the joins, and hf__stacks_compare on each neighbouring pair; returns
 * whether the ranks gave the order.
 */
static bool order_is_byte_order(const hf_stacks *s)
{
	size_t n = hf_stacks_count(s);
	joined *j = calloc(n ? n : 1, sizeof(*j));
	uint32_t *want = malloc((n ? n : 1) * sizeof(*want));
	CHECK(j && want);
	if (!j || !want) {
		free(j);
		free(want);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const uint32_t *f;
		size_t depth = hf_stacks_get(s, i, &f, NULL), len = 0, at = 0;
		for (size_t d = 0; d < depth; d++) {
			size_t l;
			hf_stacks_frame_name(s, f[d], &l);
			len += l + 1;
		}
		j[i].bytes = malloc(len + 1);
		CHECK(j[i].bytes != NULL);
		if (!j[i].bytes)
			continue;
		for (size_t d = 0; d < depth; d++) {
			size_t l;
			const char *name = hf_stacks_frame_name(s, f[d], &l);
			if (d)
				j[i].bytes[at++] = ';';
			memcpy(j[i].bytes + at, name, l);
			at += l;
		}
		j[i].len = at;
		want[i] = (uint32_t)i;
	}
	ref_joined = j;
	qsort(want, n, sizeof(want[0]), cmp_joined);

	/* On one thread and on two (the radix sort's runs split), the
	 * stacks' offsets from the sort's 32-bit table and (as past 2^32
	 * frames) from their records. */
	bool by_ranks = false;
	int was = hf__parallel_force(HF_PARALLEL_ALWAYS);
	uint32_t *got = hf__stacks_sorted(s, &by_ranks);
	bool records_were = hf__stacks_sort_by_records(true);
	uint32_t *two_records = hf__stacks_sorted(s, NULL);
	hf__parallel_force(HF_PARALLEL_NEVER);
	uint32_t *one_records = hf__stacks_sorted(s, NULL);
	hf__stacks_sort_by_records(false);
	uint32_t *one = hf__stacks_sorted(s, NULL);
	hf__stacks_sort_by_records(records_were);
	hf__parallel_force(was);
	CHECK(got != NULL && one != NULL && two_records != NULL && one_records != NULL);
	size_t wrong = 0, disagree = 0;
	for (size_t i = 0; got && one && two_records && one_records && i < n; i++)
		wrong += got[i] != want[i] || one[i] != want[i] || two_records[i] != want[i] ||
			one_records[i] != want[i];
	CHECK_EQ_INT(wrong, 0);
	hf__free(one);
	hf__free(two_records);
	hf__free(one_records);
	/* The comparison (used to join equal lines) agrees with the order. */
	for (size_t i = 0; got && i + 1 < n; i++) {
		int c = hf__stacks_compare(s, got[i], got[i + 1]);
		int r = cmp_joined(&got[i], &got[i + 1]);
		bool equal = j[got[i]].len == j[got[i + 1]].len &&
			memcmp(j[got[i]].bytes, j[got[i + 1]].bytes, j[got[i]].len) == 0;
		disagree += equal ? c != 0 : c >= 0 || r >= 0;
	}
	CHECK_EQ_INT(disagree, 0);
	for (size_t i = 0; i < n; i++)
		free(j[i].bytes);
	free(j);
	free(want);
	hf__free(got);
	return by_ranks;
}

/* Stacks of 1..maxdepth frames drawn from ids, a quarter of the frames
 * inlined (equal names: the same line), many sharing a prefix with the
 * stack before. */
static void add_random_stacks(hf_stacks *s, const uint32_t *ids, size_t nids, size_t count,
	size_t maxdepth)
{
	uint32_t prev[64] = {0}, frames[64];
	size_t prev_depth = 0;
	hf_error err;
	if (maxdepth > 64)
		maxdepth = 64;
	for (size_t n = 0; n < count; n++) {
		size_t depth = 1 + next_random() % maxdepth;
		size_t keep = next_random() % 2 ? next_random() % (prev_depth + 1) : 0;
		if (keep > depth)
			keep = depth;
		for (size_t d = 0; d < depth; d++) {
			frames[d] = d < keep ? HF_FRAME_ID(prev[d]) : ids[next_random() % nids];
			if (next_random() % 4 == 0)
				frames[d] |= HF_FRAME_INLINED;
		}
		CHECK_EQ_INT(hf__stacks_add(s, frames, depth, 1, &err), HF_OK);
		memcpy(prev, frames, depth * sizeof(*frames));
		prev_depth = depth;
	}
}

static hf_stacks *stacks_over(const char *const *names, size_t nnames, uint32_t *ids)
{
	hf_stacks *s = NULL;
	hf_error err;
	CHECK_EQ_INT(hf__stacks_new(&s, "t", "u", &err), HF_OK);
	for (size_t i = 0; s && i < nnames; i++)
		ids[i] = hf__intern_get(&s->names, names[i], strlen(names[i]));
	return s;
}

/* "a;" and "a;b" beside "a", ";" beside "": the join of a;b equals the
 * name "a;b", so only bytes can order these. */
static void ambiguous_names_order_by_bytes(void)
{
	static const char *const names[] = {
		"a", "a!", "a;b", "ab", "a;", "", "b", "a:", "a<", "\xc3\xa9t\xc3\xa9",
		"main.main", "main.main.func1", "main", "runtime.mallocgc", ";", "a\x01",
	};
	enum { NNAMES = sizeof(names) / sizeof(names[0]) };
	uint32_t ids[NNAMES];
	hf_stacks *s = stacks_over(names, NNAMES, ids);
	if (!s)
		return;
	add_random_stacks(s, ids, NNAMES, 3000, 6);
	CHECK(hf_stacks_count(s) > 1500);
	CHECK(!order_is_byte_order(s));
	hf_stacks_free(s);
}

/* Names that prefix each other, followed by bytes below and above ';'
 * and ' ', spaces, control bytes (the writer prints them as '?', the order
 * is of the raw bytes), ';' inside a name with no name before it. */
static void corner_names_order_by_ranks(void)
{
	static const char *const names[] = {
		"a", "a!", "a ", "a b", "ab", "a:", "a<", "a\x01", "a\x7f", "a\xff", "",
		" ", "b", "\xc3\xa9t\xc3\xa9", "main", "main.main", "main.main.func1",
		"zz;q", "zz;", "zz:", "a\t", "\x01", "runtime.mallocgc",
	};
	enum { NNAMES = sizeof(names) / sizeof(names[0]) };
	uint32_t ids[NNAMES];
	hf_stacks *s = stacks_over(names, NNAMES, ids);
	if (!s)
		return;
	add_random_stacks(s, ids, NNAMES, 5000, 12);
	CHECK(hf_stacks_count(s) > 2000);
	CHECK(order_is_byte_order(s));
	hf_stacks_free(s);
}

/* Random names over a small alphabet (';', ' ', a control byte, bytes
 * around ';'): some rounds ambiguous, most not; each checked. */
static void random_names_and_stacks(void)
{
	static const char alphabet[] = {'a', 'b', ';', ' ', '\x01', ':', '<', '\xff'};
	int rounds_by_ranks = 0, rounds_by_bytes = 0;
	for (int round = 0; round < 40; round++) {
		hf_stacks *s = NULL;
		hf_error err;
		CHECK_EQ_INT(hf__stacks_new(&s, "t", "u", &err), HF_OK);
		if (!s)
			return;
		uint32_t ids[64];
		size_t nids = 2 + next_random() % 62;
		/* ';' rarely, so that many rounds stay unambiguous */
		size_t letters = round % 2 ? sizeof(alphabet) : sizeof(alphabet) - 1;
		for (size_t i = 0; i < nids; i++) {
			char name[6];
			size_t len = next_random() % sizeof(name);
			for (size_t k = 0; k < len; k++) {
				char c = alphabet[next_random() % letters];
				name[k] = c == ';' && next_random() % 3 ? 'a' : c;
			}
			ids[i] = hf__intern_get(&s->names, name, len);
		}
		add_random_stacks(s, ids, nids, 200 + next_random() % 3000, 1 + next_random() % 20);
		if (order_is_byte_order(s))
			rounds_by_ranks++;
		else
			rounds_by_bytes++;
		hf_stacks_free(s);
	}
	CHECK(rounds_by_ranks > 5);
	CHECK(rounds_by_bytes > 0);
}

/* More keys than 16-bit ranks hold: 32-bit digits. */
static void many_names(void)
{
	hf_stacks *s = NULL;
	hf_error err;
	CHECK_EQ_INT(hf__stacks_new(&s, "t", "u", &err), HF_OK);
	if (!s)
		return;
	enum { NIDS = 40000 };
	static uint32_t ids[NIDS];
	for (size_t i = 0; i < NIDS; i++) {
		char name[16];
		int len = snprintf(name, sizeof(name), "f%u", next_random() % 1000000u);
		ids[i] = hf__intern_get(&s->names, name, (size_t)len);
	}
	CHECK(hf_stacks_frame_count(s) > 32768);
	add_random_stacks(s, ids, NIDS, 20000, 10);
	/* and few names in the first frames: long runs of equal ranks */
	add_random_stacks(s, ids, 3, 5000, 30);
	CHECK(order_is_byte_order(s));
	hf_stacks_free(s);
}

/* Stacks sharing more than a thousand frames: past the radix sort's depth
 * bound, the rest is merge-sorted. */
static void deep_shared_prefixes(void)
{
	static const char *const names[] = {"r", "a", "ab", "a b", "b", "c"};
	enum { NNAMES = sizeof(names) / sizeof(names[0]), DEPTH = 1100 };
	uint32_t ids[NNAMES];
	hf_stacks *s = stacks_over(names, NNAMES, ids);
	if (!s)
		return;
	static uint32_t frames[DEPTH];
	hf_error err;
	for (int n = 0; n < 600; n++) {
		size_t depth = DEPTH - 80 + next_random() % 80;
		for (size_t d = 0; d < depth; d++)
			frames[d] = d < 1000 ? ids[d % 2] : ids[next_random() % NNAMES];
		CHECK_EQ_INT(hf__stacks_add(s, frames, depth, 1, &err), HF_OK);
	}
	CHECK(hf_stacks_count(s) > 500);
	CHECK(order_is_byte_order(s));
	hf_stacks_free(s);
}

/* Most stacks under one root of six frames, a few others before and after
 * it: the sort on two threads splits that run further down. */
static void one_main_root(void)
{
	static const char *const names[] = {"runtime.goexit", "runtime.main", "main.main",
		"app.Run", "app.loop", "app.handle", "a", "x", "c", "d", "e", "a b"};
	enum { NNAMES = sizeof(names) / sizeof(names[0]) };
	uint32_t ids[NNAMES];
	hf_stacks *s = stacks_over(names, NNAMES, ids);
	if (!s)
		return;
	uint32_t frames[16];
	hf_error err;
	for (int n = 0; n < 3000; n++) {
		size_t depth = 7 + next_random() % 8, root = n % 8 ? 6 : 0;
		for (size_t d = 0; d < depth; d++)
			frames[d] = d < root ? ids[d]
				: ids[d < 4 ? 6 + next_random() % 2 : next_random() % NNAMES];
		CHECK_EQ_INT(hf__stacks_add(s, frames, depth, 1, &err), HF_OK);
	}
	CHECK(hf_stacks_count(s) > 2000);
	CHECK(order_is_byte_order(s));
	hf_stacks_free(s);
}

/* The collapsed text itself: a name longer than the writer's 256 KiB
 * buffer (copied past it), control bytes printed as '?', equal lines
 * joined: stacks differing only in inline flags (the rank path), and the
 * name "a;b" against the frames a, b (the byte path). */
static void lines_as_printed(void)
{
	enum { BIG = 300000 };
	char *big = malloc(BIG + 1);
	CHECK(big != NULL);
	if (!big)
		return;
	memset(big, 'x', BIG);
	big[7] = '\n';
	big[BIG - 1] = '\x7f';
	static const char *const names[] = {"main", "a b", "\001c", "a", "b", "a;b"};
	enum { NNAMES = sizeof(names) / sizeof(names[0]) };
	for (int ambiguous = 0; ambiguous < 2; ambiguous++) {
		uint32_t ids[NNAMES + 1];
		hf_stacks *s = stacks_over(names, ambiguous ? NNAMES : NNAMES - 1, ids);
		if (!s)
			break;
		ids[NNAMES] = hf__intern_get(&s->names, big, BIG);
		hf_error err;
		uint32_t st1[] = {ids[0], ids[NNAMES], ids[1]};
		uint32_t st2[] = {ids[0], ids[NNAMES] | HF_FRAME_INLINED, ids[1]};
		uint32_t st3[] = {ids[2], ids[NNAMES]};
		uint32_t st4[] = {ids[3], ids[4]};
		CHECK_EQ_INT(hf__stacks_add(s, st1, 3, 1, &err), HF_OK);
		CHECK_EQ_INT(hf__stacks_add(s, st2, 3, 2, &err), HF_OK);
		CHECK_EQ_INT(hf__stacks_add(s, st3, 2, 4, &err), HF_OK);
		CHECK_EQ_INT(hf__stacks_add(s, st4, 2, 8, &err), HF_OK);
		if (ambiguous) {
			uint32_t st5[] = {ids[5]};
			CHECK_EQ_INT(hf__stacks_add(s, st5, 1, 16, &err), HF_OK);
		}
		hf_buffer out = {0};
		hf_writer w = hf_writer_buffer(&out);
		CHECK_EQ_INT(hf_stacks_write_collapsed(s, &w, &err), HF_OK);

		char *printed = malloc(BIG + 1);
		char *want = malloc(2 * BIG + 64);
		CHECK(printed && want);
		if (printed && want) {
			memcpy(printed, big, BIG);
			printed[7] = '?';
			printed[BIG - 1] = '?';
			printed[BIG] = '\0';
			sprintf(want, "?c;%s 4\na;b %d\nmain;%s;a b 3\n", printed,
				ambiguous ? 24 : 8, printed);
			CHECK_EQ_INT(out.len, strlen(want));
			CHECK(out.len == strlen(want) && memcmp(out.data, want, out.len) == 0);
		}
		free(printed);
		free(want);
		hf_buffer_dispose(&out);
		hf_stacks_free(s);
	}
	free(big);
}

HARNESS_MAIN(T(ambiguous_names_order_by_bytes), T(corner_names_order_by_ranks),
	T(random_names_and_stacks), T(many_names), T(deep_shared_prefixes), T(one_main_root),
	T(lines_as_printed))
