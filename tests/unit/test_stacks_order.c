/*
 * hf__stacks_sorted orders stacks by their joined "a;b;c" bytes. Its
 * comparison takes shortcuts (whole frame ids, memcmp of names), so here it
 * is checked against plain strcmp of the joined strings, on random stacks
 * over names chosen to hit the corners: prefixes of each other, bytes below
 * and above ';', names containing ';', the empty name, non-ASCII bytes.
 */
#include "harness.h"
#include "stacks/stacks.h"

#include <stdlib.h>

static const char *const names[] = {
	"a", "a!", "a;b", "ab", "a;", "", "b", "a:", "a<", "\xc3\xa9t\xc3\xa9",
	"main.main", "main.main.func1", "main", "runtime.mallocgc", ";", "a\x01",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))
#define NSTACKS 3000
#define MAXDEPTH 6

static char joined[NSTACKS][MAXDEPTH * 20];
static uint32_t rng = 7;

static uint32_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static int cmp_joined(const void *x, const void *y)
{
	return strcmp(joined[*(const uint32_t *)x], joined[*(const uint32_t *)y]);
}

static void order_matches_joined_bytes(void)
{
	hf_stacks *s = NULL;
	hf_error err;
	CHECK_EQ_INT(hf__stacks_new(&s, "t", "u", &err), HF_OK);
	if (!s)
		return;
	uint32_t ids[NNAMES];
	for (size_t i = 0; i < NNAMES; i++)
		ids[i] = hf__intern_get(&s->names, names[i], strlen(names[i]));

	size_t made = 0;
	for (int n = 0; n < NSTACKS; n++) {
		uint32_t frames[MAXDEPTH];
		size_t depth = 1 + (size_t)(next_random() % MAXDEPTH);
		for (size_t d = 0; d < depth; d++) {
			frames[d] = ids[next_random() % NNAMES];
			if (next_random() % 4 == 0)
				frames[d] |= HF_FRAME_INLINED;
		}
		CHECK_EQ_INT(hf__stacks_add(s, frames, depth, 1, &err), HF_OK);
	}
	made = hf_stacks_count(s);
	CHECK(made > NSTACKS / 2);

	/* The joined form of every distinct stack, and strcmp's order of it. */
	uint32_t want[NSTACKS];
	for (size_t i = 0; i < made; i++) {
		const uint32_t *f;
		size_t depth = hf_stacks_get(s, i, &f, NULL);
		char *out = joined[i];
		*out = '\0';
		for (size_t d = 0; d < depth; d++) {
			if (d)
				strcat(out, ";");
			strcat(out, hf_stacks_frame_name(s, f[d], NULL));
		}
		want[i] = (uint32_t)i;
	}
	qsort(want, made, sizeof(want[0]), cmp_joined);

	uint32_t *got = hf__stacks_sorted(s);
	CHECK(got != NULL);
	size_t wrong = 0;
	for (size_t i = 0; got && i < made; i++)
		if (strcmp(joined[got[i]], joined[want[i]]) != 0)
			wrong++;
	CHECK_EQ_INT(wrong, 0);
	/* The comparison agrees with strcmp pair by pair as well. */
	size_t disagree = 0;
	for (size_t i = 0; i + 1 < made; i++) {
		int a = hf__stacks_compare(s, (uint32_t)i, (uint32_t)(i + 1));
		int b = strcmp(joined[i], joined[i + 1]);
		if ((a > 0) != (b > 0) || (a < 0) != (b < 0))
			disagree++;
	}
	CHECK_EQ_INT(disagree, 0);
	hf__free(got);
	hf_stacks_free(s);
}

HARNESS_MAIN(T(order_matches_joined_bytes))
