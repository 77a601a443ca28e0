/*
 * Collapsed stacks in ("a;b;c 123", and the two-column diff form), then
 * the folder and the collapsed writer.
 */
#include "fuzz.h"
#include "profile/build.h"

static int decode(hf_profile *p, const uint8_t *data, size_t size,
	const hf_parse_options *o, hf_error *err)
{
	return hf__profile_decode_collapsed(p, (const char *)data, size, o, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_decode(data, size, decode);
}
