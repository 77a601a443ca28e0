/*
 * Legacy text heap profiles ("heap profile: ...", as
 * /debug/pprof/heap?debug=1 writes them), then the folder.
 */
#include "fuzz.h"
#include "profile/build.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hf_parse_options o = fuzz_parse_options();
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf__profile_new(&p, "fuzz", &err) != HF_OK)
		return 0;
	if (hf__profile_decode_legacy_heap(p, (const char *)data, size, &o, &err) == HF_OK)
		fuzz_fold_all(p);
	else if (!err.message[0] || strchr(err.message, '\n'))
		__builtin_trap(); /* errors are one non-empty line */
	hf_profile_free(p);
	return 0;
}
