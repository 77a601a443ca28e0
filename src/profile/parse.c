/* Entry points: read bytes, undo gzip, pick the decoder, answer queries. */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include "profile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_MAX_DECOMPRESSED ((size_t)2 << 30)
#define DEFAULT_MAX_DEPTH ((size_t)65536)
#define DEFAULT_MAX_NAME ((size_t)1 << 20)
/* Inflated bytes kept of what is certainly not a profile (a gzip bomb):
 * every fixture and real profile that fails fails within them. */
#define BAD_INFLATED_KEEP ((size_t)16 << 20)

int hf__profile_new(hf_profile **out, const char *source, hf_error *err)
{
	hf_profile *p = hf__calloc(1, sizeof(*p));
	if (!p)
		return hf__oom(err);
	p->source = hf__arena_strndup(&p->arena, source ? source : "", source ? strlen(source) : 0);
	p->period_type.type = p->period_type.unit = "";
	p->drop_frames = p->keep_frames = p->default_sample_type = p->doc_url = "";
	if (!p->source) {
		hf_profile_free(p);
		return hf__oom(err);
	}
	*out = p;
	return HF_OK;
}

struct hf__locs_chunk *hf__profile_locs_chunk_add(hf_profile *p, struct hf__locs_chunk *tail,
	size_t cap)
{
	if (cap > (SIZE_MAX - sizeof(*tail)) / sizeof(uint32_t))
		return NULL;
	struct hf__locs_chunk *c = hf__malloc_filled(sizeof(*c) + cap * sizeof(uint32_t));
	if (!c)
		return NULL;
	c->next = NULL;
	c->cap = cap;
	c->used = 0;
	if (tail)
		tail->next = c;
	else
		p->locs_chunks = c;
	return c;
}

static bool in_chunk(const struct hf__locs_chunk *c, const uint32_t *locs)
{
	/* Compared as addresses: locs may point into another object. A
	 * sample without locations may point at the chunk's end. */
	uintptr_t at = (uintptr_t)locs, from = (uintptr_t)c->data;
	return at >= from && at <= from + c->cap * sizeof(c->data[0]);
}

void hf__profile_release_locs(hf_profile *p, const uint32_t *locs)
{
	struct hf__locs_chunk *c = NULL; /* the first chunk kept */
	if (locs) {
		c = p->locs_chunks;
		while (c && !in_chunk(c, locs))
			c = c->next;
		if (!c || c == p->locs_chunks)
			return;
	}
	while (p->locs_chunks != c) {
		struct hf__locs_chunk *next = p->locs_chunks->next;
		hf__free(p->locs_chunks);
		p->locs_chunks = next;
	}
}

void hf__profile_drop_locations(hf_profile *p)
{
	hf__free(p->own_locations);
	hf__free(p->own_lines);
	p->own_locations = NULL;
	p->own_lines = NULL;
	p->locations = NULL;
	p->nlocations = 0;
}

void hf_profile_free(hf_profile *profile)
{
	if (!profile)
		return;
	hf__profile_wire_free(profile);
	hf__profile_release_locs(profile, NULL);
	hf__profile_drop_locations(profile);
	hf__arena_dispose(&profile->arena);
	hf__free(profile);
}

static hf_parse_options effective_options(const hf_parse_options *opts)
{
	hf_parse_options o = HF_PARSE_OPTIONS_INIT;
	if (opts)
		o = *opts;
	if (!o.max_decompressed)
		o.max_decompressed = DEFAULT_MAX_DECOMPRESSED;
	if (!o.max_depth)
		o.max_depth = DEFAULT_MAX_DEPTH;
	if (!o.max_name)
		o.max_name = DEFAULT_MAX_NAME;
	return o;
}

bool hf__profile_looks_like_text(const uint8_t *data, size_t len)
{
	size_t n = len < 512 ? len : 512;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = data[i];
		if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f)
			return false;
	}
	return true;
}

/*
 * Where a text file's first NUL is (0: not text before a NUL), so a text
 * profile with a NUL byte (which the sniffing takes for protobuf) gets an
 * error about the NUL rather than about protobuf.
 */
static size_t text_before_nul(const uint8_t *data, size_t len)
{
	const uint8_t *nul = memchr(data, 0, len);
	size_t n = nul ? (size_t)(nul - data) : 0;
	if (n < 8 || !hf__profile_looks_like_text(data, n))
		return 0;
	return n;
}

/*
 * Parses data; when `owned` is given (*owned == data, from hf__malloc),
 * it is freed as soon as it has been inflated, so a big file's compressed
 * and inflated bytes and its decoded model are not all held at once.
 */
static int parse_data(hf_profile **out, const void *data, size_t len, uint8_t **owned,
	bool lean, const char *name, const hf_parse_options *opts, hf_error *err)
{
	hf_parse_options o = effective_options(opts);
	const uint8_t *bytes = data;
	uint8_t *inflated = NULL;
	bool gzipped = false, cut = false;
	hf_profile *p = NULL;
	int rc;

	*out = NULL;
	if (len == 0)
		return hf__error(err, HF_EFORMAT, "empty file");
	if (len >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) {
		if ((rc = hf__profile_gunzip_checked(bytes, len, o.max_decompressed, BAD_INFLATED_KEEP,
			&inflated, &len, &cut, err)) != HF_OK)
			return rc;
		bytes = inflated;
		gzipped = true;
		if (owned) {
			hf__free(*owned);
			*owned = NULL;
		}
		if (len == 0) {
			rc = hf__error(err, HF_EFORMAT, "empty gzip stream");
			goto done;
		}
	} else if (len > o.max_decompressed) {
		return hf__error(err, HF_ELIMIT, "input exceeds the limit of %zu bytes",
			o.max_decompressed);
	}
	if ((rc = hf__profile_new(&p, name, err)) != HF_OK)
		goto done;
	if (hf__profile_looks_like_text(bytes, len)) {
		rc = hf__profile_decode_text(p, bytes, len, &o, err);
	} else {
		/* Before decoding, which frees the inflated bytes once unpacked. */
		size_t nul = text_before_nul(bytes, len);
		/* Lean: the profile keeps the wire data, owning it where we do. */
		uint8_t **own = gzipped ? &inflated : owned;
		rc = lean ? hf__profile_decode_proto_lean(p, bytes, len, own, &o, err)
			: hf__profile_decode_proto_owned(p, bytes, len, gzipped ? &inflated : NULL,
				&o, err);
		if (rc == HF_EFORMAT && nul)
			rc = hf__error(err, HF_EFORMAT,
				"a NUL byte at offset %zu in what looks like a text profile", nul);
	}
	/* The decoder is expected to refuse what the gzip layer cut short. */
	if (rc == HF_OK && cut)
		rc = hf__error(err, HF_EFORMAT, "not a pprof profile (invalid data after %zu bytes)", len);
done:
	hf__free(inflated);
	if (rc != HF_OK) {
		hf_profile_free(p);
		if (rc == HF_EFORMAT && gzipped && err &&
		    strncmp(err->message, "not a pprof", 11) == 0)
			hf__error(err, HF_EFORMAT, "gzip data is not a pprof profile");
		return rc;
	}
	*out = p;
	return HF_OK;
}

int hf_profile_parse(hf_profile **out, const void *data, size_t len,
	const char *name, const hf_parse_options *opts, hf_error *err)
{
	return parse_data(out, data, len, NULL, false, name, opts, err);
}

/*
 * The first buffer for reading fp: a regular file's size and a byte more
 * (the read that finds the end needs room), so it is read into one block
 * and never copied as a doubling buffer would be (a 3.3 MB file went
 * through five reallocs, two of them copies). 64 KiB, doubling, for pipes
 * and the like, and for a file over the limit (refused as before).
 */
static size_t first_read_size(FILE *fp, size_t max)
{
	struct stat st;
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uintmax_t)st.st_size >= max)
		return 1 << 16;
	return (size_t)st.st_size + 1;
}

/* Reads all of fp into a new buffer, up to `max` bytes. */
static int read_all(FILE *fp, size_t max, uint8_t **out, size_t *out_len, hf_error *err)
{
	size_t cap = first_read_size(fp, max), len = 0;
	uint8_t *buf = hf__malloc_filled(cap);
	if (!buf)
		return hf__oom(err);
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				hf__free(buf);
				return hf__error(err, HF_ELIMIT, "input exceeds the limit of %zu bytes", max);
			}
			if (!HF_RESERVE(buf, &cap, len, 1, 1 << 16)) {
				hf__free(buf);
				return hf__oom(err);
			}
		}
		size_t n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp)) {
				int e = errno;
				hf__free(buf);
				return hf__error(err, HF_EIO, "read failed (%s)", strerror(e));
			}
			break;
		}
	}
	*out = buf;
	*out_len = len;
	return HF_OK;
}

static int parse_file(hf_profile **out, const char *path, bool lean,
	const hf_parse_options *opts, hf_error *err)
{
	hf_parse_options o = effective_options(opts);
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!fp)
		return hf__error(err, HF_EIO, "cannot open (%s)", strerror(errno));
	rc = read_all(fp, o.max_decompressed, &data, &len, err);
	if (!is_stdin)
		fclose(fp);
	if (rc != HF_OK)
		return rc;
	rc = parse_data(out, data, len, &data, lean, path, &o, err);
	hf__free(data);
	return rc;
}

int hf_profile_parse_file(hf_profile **out, const char *path,
	const hf_parse_options *opts, hf_error *err)
{
	return parse_file(out, path, false, opts, err);
}

int hf__profile_parse_file_lean(hf_profile **out, const char *path,
	const hf_parse_options *opts, hf_error *err)
{
	return parse_file(out, path, true, opts, err);
}

int hf__profile_parse_lean(hf_profile **out, const void *data, size_t len,
	const char *name, const hf_parse_options *opts, hf_error *err)
{
	return parse_data(out, data, len, NULL, true, name, opts, err);
}

size_t hf_profile_sample_type_count(const hf_profile *profile)
{
	return profile->nsample_types;
}

int hf_profile_sample_type(const hf_profile *profile, size_t index,
	const char **type, const char **unit)
{
	if (index >= profile->nsample_types)
		return HF_ENOTFOUND;
	if (type)
		*type = profile->sample_types[index].type;
	if (unit)
		*unit = profile->sample_types[index].unit;
	return HF_OK;
}

const char *hf_profile_source(const hf_profile *profile)
{
	return profile->source;
}

size_t hf_profile_default_sample_index(const hf_profile *profile)
{
	const char *dst = profile->default_sample_type;
	if (dst && *dst)
		for (size_t i = 0; i < profile->nsample_types; i++)
			if (strcmp(profile->sample_types[i].type, dst) == 0)
				return i;
	return profile->nsample_types ? profile->nsample_types - 1 : 0;
}

int hf_profile_sample_index(const hf_profile *profile, const char *name,
	size_t *out, hf_error *err)
{
	if (!name || !*name) {
		*out = hf_profile_default_sample_index(profile);
		return HF_OK;
	}
	char *end;
	errno = 0;
	long long n = strtoll(name, &end, 10);
	if (*end == '\0' && errno == 0) {
		if (n < 0 || (unsigned long long)n >= profile->nsample_types)
			return hf__error(err, HF_ENOTFOUND,
				"sample index %s is outside the range [0..%zu]", name,
				profile->nsample_types - 1);
		*out = (size_t)n;
		return HF_OK;
	}
	/* pprof: "inuse_space" also selects a "space" type (2-type legacy). */
	const char *no_inuse = strncmp(name, "inuse_", 6) == 0 ? name + 6 : name;
	for (size_t i = 0; i < profile->nsample_types; i++) {
		const char *t = profile->sample_types[i].type;
		if (strcmp(t, name) == 0 || strcmp(t, no_inuse) == 0) {
			*out = i;
			return HF_OK;
		}
	}
	char list[200] = "";
	size_t used = 0;
	for (size_t i = 0; i < profile->nsample_types && used < sizeof(list); i++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
			profile->sample_types[i].type);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return hf__error(err, HF_ENOTFOUND, "no sample type \"%.40s\" (this profile has: %s)",
		name, list);
}
