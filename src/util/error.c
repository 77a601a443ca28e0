#include "util.h"

#include <stdio.h>

int hf__error(hf_error *err, hf_code code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->code = code;
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
		/* Messages quote names from profiles and users: keep them one
		 * line with no terminal escapes. */
		for (char *c = err->message; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	return code;
}

int hf__oom(hf_error *err)
{
	return hf__error(err, HF_ENOMEM, "out of memory");
}

const char *hf_strerror(hf_code code)
{
	switch (code) {
	case HF_OK: return "success";
	case HF_ERROR: return "error";
	case HF_ENOMEM: return "out of memory";
	case HF_EIO: return "input/output error";
	case HF_EFORMAT: return "unrecognized format";
	case HF_ECORRUPT: return "corrupt profile";
	case HF_EINVALID: return "invalid argument";
	case HF_ENOTFOUND: return "not found";
	case HF_EUNSUPPORTED: return "not supported in this build";
	case HF_ERENDER: return "rendering failed";
	case HF_ELIMIT: return "limit exceeded";
	}
	return "unknown error";
}

const char *hf_version(void)
{
	return HF_VERSION;
}

/* The build's HF_HAVE_* definitions, which the CLI's --version and the
 * tests (to skip what this build cannot do) read. */
const char *hf_features(void)
{
	return
#ifdef HF_HAVE_CAIRO
		"+cairo"
#else
		"-cairo"
#endif
#ifdef HF_HAVE_CURL
		" +curl"
#else
		" -curl"
#endif
#ifdef HF_HAVE_GRAPHVIZ
		" +graphviz";
#else
		" -graphviz";
#endif
}

uint64_t hf__hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;
	/* 8 bytes at a time, then a final mix: FNV-1a is too slow byte-wise. */
	while (len >= 8) {
		uint64_t w = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
			(uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
			(uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
		p += 8;
		len -= 8;
	}
	while (len--)
		h = (h ^ *p++) * 0x100000001b3ull;
	h ^= h >> 32;
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 29;
	return h;
}
