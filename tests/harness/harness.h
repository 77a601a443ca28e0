/*
 * A small test harness: TEST(name) functions registered in a table, CHECK
 * macros that report file:line and keep going, and a closing line
 * "N passed, N failed" that CTest and CI read.
 */
#ifndef HF_HARNESS_H
#define HF_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int harness_failed_checks;

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

/* Runs every test; a test passes when it made no failed check. */
static int harness_run(const harness_test *tests, size_t n)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		int before = harness_failed_checks;
		tests[i].fn();
		if (harness_failed_checks == before) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAILED: %s\n", tests[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#define HARNESS_MAIN(...)                                                    \
	int main(void)                                                       \
	{                                                                    \
		static const harness_test tests_[] = {__VA_ARGS__};          \
		return harness_run(tests_, sizeof(tests_) / sizeof(tests_[0])); \
	}

#define T(fn) {#fn, fn}

#endif
