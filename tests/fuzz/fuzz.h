/*
 * Shared by the fuzz targets: a writer that drops its output (the targets
 * look for crashes, leaks and hangs, not for particular bytes) and the
 * limits every target parses with, small enough that libFuzzer's memory
 * limit is never reached by a legitimate input.
 */
#ifndef HF_FUZZ_H
#define HF_FUZZ_H

#include "heapflame.h"
#include "profile/profile.h"

#include <stdbool.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline int fuzz_discard(void *ctx, const void *buf, size_t len)
{
	(void)buf;
	*(size_t *)ctx += len;
	return 0;
}

static inline hf_parse_options fuzz_parse_options(void)
{
	hf_parse_options o = HF_PARSE_OPTIONS_INIT;
	o.max_decompressed = (size_t)64 << 20;
	o.max_depth = 4096;
	o.max_name = (size_t)64 << 10;
	return o;
}

/*
 * Folds every sample type of a parsed profile at both granularities and
 * writes the collapsed form, so the folder and writer see what the parser
 * let through.
 */
static inline void fuzz_fold_all(const hf_profile *p)
{
	size_t n = hf_profile_sample_type_count(p);
	for (size_t i = 0; i < n && i < 8; i++) {
		for (int g = 0; g < 2; g++) {
			hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
			hf_stacks *s = NULL;
			hf_error err = {0};
			size_t written = 0;
			hf_writer w = {fuzz_discard, &written};
			fo.sample_index = (long)i;
			fo.granularity = g ? HF_GRANULARITY_LINES : HF_GRANULARITY_FUNCTIONS;
			if (hf_stacks_fold(&s, p, &fo, &err) == HF_OK)
				hf_stacks_write_collapsed(s, &w, &err);
			hf_stacks_free(s);
		}
	}
}

/*
 * One decoder's target: decode into a new profile, fold what decoded, and
 * trap on an error that is not one non-empty line.
 */
typedef int (*fuzz_decoder)(hf_profile *p, const uint8_t *data, size_t size,
	const hf_parse_options *o, hf_error *err);

static inline int fuzz_decode(const uint8_t *data, size_t size, fuzz_decoder decode)
{
	hf_parse_options o = fuzz_parse_options();
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf__profile_new(&p, "fuzz", &err) != HF_OK)
		return 0;
	if (decode(p, data, size, &o, &err) == HF_OK)
		fuzz_fold_all(p);
	else if (!err.message[0] || strchr(err.message, '\n'))
		__builtin_trap(); /* errors are one non-empty line */
	hf_profile_free(p);
	return 0;
}

/* Output collected in memory, so its bytes can be checked as a whole. */
typedef struct fuzz_output {
	uint8_t *data;
	size_t len, cap;
} fuzz_output;

static inline int fuzz_collect(void *ctx, const void *buf, size_t len)
{
	fuzz_output *o = ctx;
	if (len > o->cap - o->len) {
		size_t cap = o->cap ? o->cap : 4096;
		while (len > cap - o->len)
			cap *= 2;
		uint8_t *d = realloc(o->data, cap);
		if (!d)
			return -1;
		o->data = d;
		o->cap = cap;
	}
	memcpy(o->data + o->len, buf, len);
	o->len += len;
	return 0;
}

/*
 * What every text output must be, whatever the names in the profile: valid
 * UTF-8 (XML requires it) without control characters other than tab, CR
 * and LF (XML 1.0 forbids them even as character references; in folded,
 * DOT and top output a newline in a name would forge lines, which the
 * per-format line checks catch).
 */
static inline void fuzz_check_text_utf8(const fuzz_output *o, bool utf8)
{
	const uint8_t *s = o->data, *end = o->data + o->len;
	while (s < end) {
		uint8_t c = *s;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				__builtin_trap();
			s++;
			continue;
		}
		if (!utf8) {
			s++;
			continue;
		}
		size_t n = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 0;
		uint32_t cp = c & (0x3f >> n);
		if (n == 0 || (size_t)(end - s) <= n)
			__builtin_trap();
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				__builtin_trap();
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if (cp < (n == 1 ? 0x80u : n == 2 ? 0x800u : 0x10000u) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			__builtin_trap();
		s += n + 1;
	}
}

static inline void fuzz_check_text(const fuzz_output *o)
{
	fuzz_check_text_utf8(o, true);
}

#endif
