/* Text inputs: recognized text formats are decoded here. */
#include "profile.h"

int hf__profile_decode_text(hf_profile *p, const uint8_t *data, size_t len,
	const hf_parse_options *opts, hf_error *err)
{
	(void)p;
	(void)data;
	(void)len;
	(void)opts;
	return hf__error(err, HF_EFORMAT, "not a pprof profile (unrecognized text)");
}
