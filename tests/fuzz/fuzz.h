/*
 * Shared by the fuzz targets: a writer that drops its output (the targets
 * look for crashes, leaks and hangs, not for particular bytes) and the
 * limits every target parses with, small enough that libFuzzer's memory
 * limit is never reached by a legitimate input.
 */
#ifndef HF_FUZZ_H
#define HF_FUZZ_H

#include "heapflame.h"

#include <stddef.h>
#include <stdint.h>

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

#endif
