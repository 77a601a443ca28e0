/* The gzip layer: pprof profiles are usually gzipped protobuf. */
#include "profile.h"

#include <string.h>
#include <zlib.h>

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return hf__malloc(hf__mul(items, size));
}

static void z_free(voidpf opaque, voidpf ptr)
{
	(void)opaque;
	hf__free(ptr);
}

int hf__gunzip(const uint8_t *data, size_t len, size_t max, uint8_t **out,
	size_t *out_len, hf_error *err)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	zs.zalloc = z_alloc;
	zs.zfree = z_free;
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return hf__oom(err);

	/* The trailer's ISIZE (size mod 2^32) is a good first guess. */
	size_t cap = 64 * 1024;
	if (len >= 18) {
		const uint8_t *t = data + len - 4;
		size_t hint = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
		if (hint > cap)
			cap = hint + 1;
	}
	if (cap > max)
		cap = max + 1;
	uint8_t *buf = hf__malloc(cap);
	size_t used = 0;
	int rc = HF_OK;
	if (!buf) {
		rc = hf__oom(err);
		goto done;
	}

	const uint8_t *in = data;
	size_t in_left = len;
	for (;;) {
		if (used == cap) {
			if (cap > max) {
				rc = hf__error(err, HF_ELIMIT,
					"decompressed size exceeds the limit of %zu bytes", max);
				goto done;
			}
			size_t ncap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
			if (ncap > max)
				ncap = max + 1;
			uint8_t *nb = hf__realloc(buf, ncap);
			if (!nb) {
				rc = hf__oom(err);
				goto done;
			}
			buf = nb;
			cap = ncap;
		}
		/* zlib counts in uInt: feed it at most 1 GiB at a time. */
		uInt in_chunk = in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
		size_t out_room = cap - used;
		uInt out_chunk = out_room > (1u << 30) ? (1u << 30) : (uInt)out_room;
		zs.next_in = (Bytef *)(uintptr_t)in;
		zs.avail_in = in_chunk;
		zs.next_out = buf + used;
		zs.avail_out = out_chunk;
		int z = inflate(&zs, Z_NO_FLUSH);
		in += in_chunk - zs.avail_in;
		in_left -= in_chunk - zs.avail_in;
		used += out_chunk - zs.avail_out;
		if (z == Z_STREAM_END) {
			if (in_left == 0)
				break;
			/* Concatenated members are one stream (as Go's reader). */
			if (in_left >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
				if (inflateReset(&zs) != Z_OK) {
					rc = hf__error(err, HF_EFORMAT, "bad gzip stream");
					goto done;
				}
				continue;
			}
			rc = hf__error(err, HF_EFORMAT,
				"%zu bytes of trailing garbage after the gzip stream", in_left);
			goto done;
		}
		if (z == Z_MEM_ERROR) {
			rc = hf__oom(err);
			goto done;
		}
		if (z == Z_DATA_ERROR || z == Z_NEED_DICT || z == Z_STREAM_ERROR) {
			rc = hf__error(err, HF_EFORMAT, "bad gzip stream (%s)",
				zs.msg ? zs.msg : "invalid data");
			goto done;
		}
		if (z == Z_BUF_ERROR && in_left == 0 && used < cap) {
			rc = hf__error(err, HF_EFORMAT, "truncated gzip stream");
			goto done;
		}
		if (in_left == 0 && zs.avail_out != 0 && z == Z_OK) {
			/* All input consumed, output room left, no end: truncated. */
			rc = hf__error(err, HF_EFORMAT, "truncated gzip stream");
			goto done;
		}
	}
	*out = buf;
	*out_len = used;
	buf = NULL;
done:
	inflateEnd(&zs);
	hf__free(buf);
	return rc;
}
