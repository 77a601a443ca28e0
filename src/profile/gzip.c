/*
 * The gzip layer: pprof profiles are usually gzipped protobuf.
 *
 * A decompression bomb must not cost memory in proportion to its inflated
 * size. While inflating, the bytes are checked as they arrive against what
 * the decoder will accept (the framing of the profile's top-level protobuf
 * fields, or no NUL byte in a text profile). Once a problem is certain and
 * `keep` bytes are held, the rest is inflated into a small scratch buffer
 * and dropped: the gzip stream is still checked to its end (its errors and
 * the size limit come first, as before), and the decoder then reports the
 * problem from the bytes kept, which include it.
 */
#include "profile.h"

#include <string.h>
#include <zlib.h>
#ifdef HF_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

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

/* Where the check stands: the next top-level field's offset, or a verdict. */
typedef struct wire_check {
	enum { CHECK_UNDECIDED, CHECK_PROTO, CHECK_TEXT, CHECK_BAD } state;
	size_t pos;  /* PROTO: next field; TEXT: bytes searched for NUL */
	size_t bad;  /* BAD: bytes the decoder needs to see the problem */
} wire_check;

enum { NEED_MORE = 0, FIELD_OK = 1, FIELD_BAD = -1 };

/*
 * One top-level field of a Profile at b[pos..used), judged as
 * walk_profile() (unpack.c) judges it: a tag of at most 5 bytes with field
 * bits in its first byte, a varint of at most 10 bytes, fixed 4/8 bytes, a
 * length of at most 5 bytes below 2 GiB; no groups or wire types 6/7;
 * fields 1-6 and 11 length-delimited. *next is the field's end (which may
 * lie beyond `used`).
 */
static int check_field(const uint8_t *b, size_t pos, size_t used, size_t *next)
{
	size_t p = pos;
	if (p >= used)
		return NEED_MORE;
	if ((b[p] & 0xf8) == 0)
		return FIELD_BAD;
	unsigned wire = b[p] & 7;
	uint64_t number = (b[p] & 0x7f) >> 3;
	if (b[p++] & 0x80) {
		unsigned shift = 4;
		for (size_t i = 1;; i++, shift += 7) {
			if (i == 5)
				return FIELD_BAD;
			if (p >= used)
				return NEED_MORE;
			number |= (uint64_t)(b[p] & 0x7f) << shift;
			if (!(b[p++] & 0x80))
				break;
		}
	}
	number &= 0xffffffffu;
	if (((number >= 1 && number <= 6) || number == 11) && wire != 2)
		return FIELD_BAD;
	switch (wire) {
	case 0:
		for (size_t i = 0;; i++) {
			if (i == 10)
				return FIELD_BAD;
			if (p >= used)
				return NEED_MORE;
			if (!(b[p++] & 0x80))
				break;
		}
		break;
	case 1:
		p += 8;
		break;
	case 5:
		p += 4;
		break;
	case 2: {
		uint64_t len = 0;
		for (size_t i = 0;; i++) {
			if (i == 5)
				return FIELD_BAD; /* longer than 5 bytes */
			if (p >= used)
				return NEED_MORE;
			len |= (uint64_t)(b[p] & 0x7f) << (7 * i);
			if (!(b[p++] & 0x80))
				break;
		}
		if (len > INT32_MAX)
			return FIELD_BAD;
		p += (size_t)len;
		break;
	}
	default:
		return FIELD_BAD;
	}
	*next = p;
	return FIELD_OK;
}

/* Advances the check over b[0..used); `done`: the stream has ended. */
static void check_advance(wire_check *c, const uint8_t *b, size_t used, bool done)
{
	if (c->state == CHECK_UNDECIDED) {
		if (used < 512 && !done)
			return;
		c->state = hf__profile_looks_like_text(b, used) ? CHECK_TEXT : CHECK_PROTO;
		c->pos = 0;
	}
	if (c->state == CHECK_TEXT) {
		const uint8_t *nul = c->pos < used ? memchr(b + c->pos, 0, used - c->pos) : NULL;
		if (nul) {
			c->state = CHECK_BAD;
			c->bad = (size_t)(nul - b) + 1;
		} else {
			c->pos = used;
		}
		return;
	}
	while (c->state == CHECK_PROTO) {
		size_t next;
		int r = check_field(b, c->pos, used, &next);
		if (r == NEED_MORE || (r == FIELD_OK && next > used))
			break;
		if (r == FIELD_BAD) {
			c->state = CHECK_BAD;
			/* a tag and a varint: what decides the verdict, and what
			 * decode.c's scan reads to describe it */
			c->bad = c->pos + 32;
			break;
		}
		c->pos = next;
	}
}

#ifdef HF_HAVE_LIBDEFLATE
/*
 * libdeflate inflates a whole buffer in about half zlib's instructions
 * (74 M against 139 M on synthetic-large), but only into a buffer of known
 * size: the trailer's ISIZE. It is used when that size is within the limit
 * and cannot be a bomb's (at most 32 MiB, or 16 times the compressed size),
 * for one member ending the input; anything else, and every failure, goes
 * to zlib, which streams and words the errors.
 */
static bool inflate_whole(const uint8_t *data, size_t len, size_t max, uint8_t **out,
	size_t *out_len)
{
	if (len < 18)
		return false;
	const uint8_t *t = data + len - 4;
	size_t isize = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
	if (isize > max || (isize > ((size_t)32 << 20) && isize / 16 > len))
		return false;
	uint8_t *buf = hf__malloc_filled(isize + 1);
	struct libdeflate_decompressor *d = buf ? libdeflate_alloc_decompressor() : NULL;
	size_t in_used = 0, n = 0;
	bool ok = d && libdeflate_gzip_decompress_ex(d, data, len, buf, isize, &in_used, &n) ==
		LIBDEFLATE_SUCCESS && in_used == len && n == isize;
	libdeflate_free_decompressor(d);
	if (!ok) {
		hf__free(buf);
		return false;
	}
	*out = buf;
	*out_len = n;
	return true;
}
#endif

/* The output buffer's first size: the trailer's ISIZE (size mod 2^32) is
 * a good guess; at most max + 1. */
static size_t first_capacity(const uint8_t *data, size_t len, size_t max)
{
	size_t cap = 64 * 1024;
	if (len >= 18) {
		const uint8_t *t = data + len - 4;
		size_t hint = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
		if (hint > cap)
			cap = hint + 1;
	}
	return cap > max ? max + 1 : cap;
}

static int over_limit(size_t max, hf_error *err)
{
	return hf__error(err, HF_ELIMIT, "decompressed size exceeds the limit of %zu bytes", max);
}

/* Doubles the full output buffer, to max + 1 bytes at most (one byte more
 * than the limit shows a stream over it): by hand, as hf__reserve has no
 * ceiling. */
static int grow_output(uint8_t **buf, size_t *cap, size_t max, hf_error *err)
{
	if (*cap > max)
		return over_limit(max, err);
	size_t ncap = *cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2;
	if (ncap > max)
		ncap = max + 1;
	uint8_t *nb = hf__realloc(*buf, ncap);
	if (!nb)
		return hf__oom(err);
	*buf = nb;
	*cap = ncap;
	return HF_OK;
}

/*
 * What inflate's result `z` means with `in_left` input bytes left: HF_OK
 * to go on (*ended when the stream is over), else the error. A member's
 * end followed by another gzip member goes on (concatenated members are
 * one stream, as Go's reader reads them).
 */
static int after_inflate(z_stream *zs, int z, const uint8_t *in, size_t in_left, bool *ended,
	hf_error *err)
{
	*ended = false;
	if (z == Z_STREAM_END) {
		if (in_left == 0) {
			*ended = true;
			return HF_OK;
		}
		if (in_left >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
			if (inflateReset(zs) != Z_OK)
				return hf__error(err, HF_EFORMAT, "bad gzip stream");
			return HF_OK;
		}
		return hf__error(err, HF_EFORMAT, "%zu bytes of trailing garbage after the gzip stream",
			in_left);
	}
	if (z == Z_MEM_ERROR)
		return hf__oom(err);
	if (z == Z_DATA_ERROR || z == Z_NEED_DICT || z == Z_STREAM_ERROR)
		return hf__error(err, HF_EFORMAT, "bad gzip stream (%s)",
			zs->msg ? zs->msg : "invalid data");
	if (z == Z_BUF_ERROR && in_left == 0 && zs->avail_out != 0)
		return hf__error(err, HF_EFORMAT, "truncated gzip stream");
	if (in_left == 0 && zs->avail_out != 0 && z == Z_OK) {
		/* All input consumed, output room left, no end: truncated. */
		return hf__error(err, HF_EFORMAT, "truncated gzip stream");
	}
	return HF_OK;
}

int hf__profile_gunzip_checked(const uint8_t *data, size_t len, size_t max, size_t keep,
	uint8_t **out, size_t *out_len, bool *cut, hf_error *err)
{
#ifdef HF_HAVE_LIBDEFLATE
	if (inflate_whole(data, len, max, out, out_len)) {
		*cut = false;
		return HF_OK;
	}
#endif
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	zs.zalloc = z_alloc;
	zs.zfree = z_free;
	*cut = false;
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return hf__oom(err);

	size_t cap = first_capacity(data, len, max);
	uint8_t *buf = hf__malloc(cap);
	uint8_t *scratch = NULL;
	size_t scratch_cap = 256 * 1024;
	size_t used = 0;     /* kept in buf */
	size_t dropped = 0;  /* inflated into scratch and dropped */
	wire_check check = {CHECK_UNDECIDED, 0, 0};
	int rc = buf ? HF_OK : hf__oom(err);
	const uint8_t *in = data;
	size_t in_left = len;
	bool ended = false;
	while (rc == HF_OK && !ended) {
		bool dropping = scratch != NULL;
		if (!dropping && used == cap && (rc = grow_output(&buf, &cap, max, err)) != HF_OK)
			break;
		if (dropping && used + dropped > max) {
			rc = over_limit(max, err);
			break;
		}
		/* zlib counts in uInt: feed it at most 1 GiB at a time; keep
		 * the output steps small enough for the check to stop early */
		uInt in_chunk = in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
		size_t out_room = dropping ? scratch_cap : cap - used;
		if (out_room > ((size_t)1 << 20))
			out_room = (size_t)1 << 20;
		uInt out_chunk = (uInt)out_room;
		zs.next_in = (Bytef *)(uintptr_t)in;
		zs.avail_in = in_chunk;
		zs.next_out = dropping ? scratch : buf + used;
		zs.avail_out = out_chunk;
		int z = inflate(&zs, Z_NO_FLUSH);
		in += in_chunk - zs.avail_in;
		in_left -= in_chunk - zs.avail_in;
		size_t produced = out_chunk - zs.avail_out;
		if (dropping) {
			dropped += produced;
		} else {
			used += produced;
			check_advance(&check, buf, used, z == Z_STREAM_END && in_left == 0);
			if (check.state == CHECK_BAD && used >= keep && used >= check.bad) {
				/* the problem is certain and in what is kept */
				scratch = hf__malloc(scratch_cap);
				if (!scratch) {
					rc = hf__oom(err);
					break;
				}
			}
		}
		rc = after_inflate(&zs, z, in, in_left, &ended, err);
	}
	/* The buffer holds max + 1 bytes so that one byte too many is seen:
	 * a stream ending exactly there is over the limit too. */
	if (rc == HF_OK && used + dropped > max)
		rc = over_limit(max, err);
	if (rc == HF_OK) {
		*out = buf;
		*out_len = used;
		*cut = scratch != NULL;
		buf = NULL;
	}
	inflateEnd(&zs);
	hf__free(buf);
	hf__free(scratch);
	return rc;
}

int hf__profile_gunzip(const uint8_t *data, size_t len, size_t max, uint8_t **out,
	size_t *out_len, hf_error *err)
{
	bool cut;
	return hf__profile_gunzip_checked(data, len, max, SIZE_MAX, out, out_len, &cut, err);
}
