/* The protobuf decoder alone (no gzip sniffing), then the folder. */
#include "fuzz.h"
#include "profile/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hf_parse_options o = fuzz_parse_options();
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf__profile_new(&p, "fuzz", &err) != HF_OK)
		return 0;
	if (hf__profile_decode_proto(p, data, size, &o, &err) == HF_OK)
		fuzz_fold_all(p);
	hf_profile_free(p);
	return 0;
}
