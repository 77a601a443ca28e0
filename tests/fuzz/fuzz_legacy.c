/*
 * Legacy text heap profiles ("heap profile: ...", as
 * /debug/pprof/heap?debug=1 writes them), then the folder.
 */
#include "fuzz.h"
#include "profile/build.h"

static int decode(hf_profile *p, const uint8_t *data, size_t size,
	const hf_parse_options *o, hf_error *err)
{
	return hf__profile_decode_legacy_heap(p, (const char *)data, size, o, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_decode(data, size, decode);
}
