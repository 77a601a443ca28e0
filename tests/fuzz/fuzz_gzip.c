/*
 * The gzip layer: inflation with a small limit (so bombs hit it), the check
 * that drops what is certainly not a profile (the decoder must agree), then
 * the whole parse entry point, which sniffs gzip, text and protobuf.
 */
#include "fuzz.h"
#include "profile/profile.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *out = NULL;
	size_t out_len = 0;
	hf_error err = {0};
	if (hf__profile_gunzip(data, size, (size_t)1 << 20, &out, &out_len, &err) == HF_OK) {
		/* Inflated bytes must all be readable (ASan checks the length). */
		volatile uint8_t sum = 0;
		for (size_t i = 0; i < out_len; i++)
			sum ^= out[i];
		(void)sum;
	} else if (!err.message[0]) {
		__builtin_trap(); /* every failure must say why */
	}
	hf__free(out);

	/* What the gzip layer cuts short as certainly not a profile must be
	 * refused by the decoder from the bytes kept (here, after 64). */
	bool cut = false;
	out = NULL;
	memset(&err, 0, sizeof(err));
	if (hf__profile_gunzip_checked(data, size, (size_t)1 << 20, 64, &out, &out_len, &cut, &err) == HF_OK &&
	    cut && !(out_len >= 2 && out[0] == 0x1f && out[1] == 0x8b)) {
		hf_parse_options co = fuzz_parse_options();
		hf_profile *q = NULL;
		if (hf_profile_parse(&q, out, out_len, "fuzz", &co, &err) == HF_OK)
			__builtin_trap(); /* the check refused a profile */
		hf_profile_free(q);
	}
	hf__free(out);

	hf_parse_options o = fuzz_parse_options();
	hf_profile *p = NULL;
	memset(&err, 0, sizeof(err));
	if (hf_profile_parse(&p, data, size, "fuzz", &o, &err) == HF_OK)
		fuzz_fold_all(p);
	else if (!err.message[0] || strchr(err.message, '\n'))
		__builtin_trap(); /* errors are one non-empty line */
	hf_profile_free(p);
	return 0;
}
