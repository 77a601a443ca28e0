/* The protobuf decoder alone (no gzip sniffing), then the folder. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_decode(data, size, hf__profile_decode_proto);
}
