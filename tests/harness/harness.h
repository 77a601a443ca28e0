/*
 * A small test harness: TEST(name) functions registered in a table, CHECK
 * macros that report file:line and keep going, and a closing line
 * "N passed, N failed" that CTest and CI read.
 */
#ifndef HF_HARNESS_H
#define HF_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Marsaglia's xorshift generators: random test data, the same every run. */
static inline uint32_t harness_xorshift32(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static inline uint64_t harness_xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static int harness_failed_checks;
static int harness_skipped_now;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                            \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                   \
	do {                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);          \
		if (a_ != b_) {                                              \
			fprintf(stderr, "%s:%d: %s == %lld, want %lld\n",    \
				__FILE__, __LINE__, #a, a_, b_);             \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                     \
			fprintf(stderr, "%s:%d: %s == \"%s\", want \"%s\"\n", \
				__FILE__, __LINE__, #a, a_ ? a_ : "(null)",  \
				b_ ? b_ : "(null)");                         \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                          \
	do {                                                                 \
		const char *h_ = (hay), *n_ = (needle);                      \
		if (!h_ || !strstr(h_, n_)) {                                \
			fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", \
				__FILE__, __LINE__, h_ ? h_ : "(null)", n_); \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

typedef struct harness_test {
	const char *name;
	void (*fn)(void);
} harness_test;

/*
 * Marks the running test as skipped: what it needs is not here. The
 * program then exits 77, which CTest reports as skipped (SKIP_RETURN_CODE),
 * unless another test failed.
 */
static inline void harness_skip(const char *why)
{
	printf("SKIPPED: %s\n", why);
	harness_skipped_now = 1;
}

/*
 * The shared fixture directory (FIXTURES, ../shared/fixtures beside the
 * repository), or NULL after harness_skip when it is absent, as in a clone
 * on its own.
 */
static inline const char *harness_fixtures(void)
{
	const char *dir = getenv("FIXTURES");
	char readme[4096];
	FILE *f = NULL;
	if (dir && snprintf(readme, sizeof(readme), "%s/README.md", dir) < (int)sizeof(readme))
		f = fopen(readme, "r");
	if (!f) {
		harness_skip("the shared fixtures (FIXTURES) are not here");
		return NULL;
	}
	fclose(f);
	return dir;
}

/*
 * The repository's own fixture set, $SRC/tests/data, written into buf
 * (size bytes); NULL (and a failed check) without SRC.
 */
static inline const char *harness_data(char *buf, size_t size)
{
	const char *src = getenv("SRC");
	if (!src || snprintf(buf, size, "%s/tests/data", src) >= (int)size) {
		fprintf(stderr, "SRC is not set: cannot find tests/data\n");
		harness_failed_checks++;
		return NULL;
	}
	return buf;
}

/*
 * Runs every test; a test passes when it made no failed check and did not
 * skip. Exit status: 1 if any failed, else 77 (skipped) if any skipped.
 */
static inline int harness_run(const harness_test *tests, size_t n)
{
	int passed = 0, failed = 0, skipped = 0;
	for (size_t i = 0; i < n; i++) {
		int before = harness_failed_checks;
		harness_skipped_now = 0;
		tests[i].fn();
		if (harness_failed_checks != before) {
			failed++;
			fprintf(stderr, "FAILED: %s\n", tests[i].name);
		} else if (harness_skipped_now) {
			skipped++;
			printf("SKIPPED: %s\n", tests[i].name);
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : skipped ? 77 : 0;
}

#define HARNESS_MAIN(...)                                                    \
	int main(void)                                                       \
	{                                                                    \
		static const harness_test tests_[] = {__VA_ARGS__};          \
		return harness_run(tests_, sizeof(tests_) / sizeof(tests_[0])); \
	}

#define T(fn) {#fn, fn}

#endif
