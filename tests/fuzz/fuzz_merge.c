/*
 * Merging and subtracting: two protobuf profiles from one input (byte 0:
 * bit 0 -diff_base, bit 1 the second as a base rather than a merge;
 * bytes 1-4: the first profile's length, little-endian, cut to what
 * follows). What decodes is combined three ways that must agree, and
 * folded both ways:
 *   hf_profile_subtract (or hf_profile_merge) then hf_stacks_fold;
 *   the same then hf_stacks_fold_free (the location ids freed as folded);
 *   an hf_merger (add, subtract or add, finish) then hf_stacks_fold_free.
 * Failure each way, or the same collapsed text, for every sample type.
 */
#include "fuzz.h"

#include <string.h>

/* The collapsed text of s into out; *out_rc the fold's or the write's result. */
static void collapse(int rc, hf_stacks *s, fuzz_output *out, int *out_rc)
{
	hf_error err = {0};
	hf_writer w = {fuzz_collect, out};
	if (rc == HF_OK)
		rc = hf_stacks_write_collapsed(s, &w, &err);
	*out_rc = rc;
	hf_stacks_free(s);
}

/* Both failed (the codes may differ: one API's refusal is another's
 * error), or both gave the same bytes. */
static void same(const fuzz_output *a, int arc, const fuzz_output *b, int brc)
{
	if ((arc == HF_OK) != (brc == HF_OK) || (arc == HF_OK && (a->len != b->len ||
	    (a->len && memcmp(a->data, b->data, a->len) != 0))))
		__builtin_trap();
}

/* The two profiles combined by the one-call API (subtract or merge). */
static int combine(hf_profile **out, hf_profile *a, hf_profile *b, unsigned flags,
	hf_error *err)
{
	if (flags & 2)
		return hf_profile_subtract(out, a, b, flags & 1, err);
	hf_profile *const both[2] = {a, b};
	return hf_profile_merge(out, both, 2, err);
}

/* The same through an incremental merge. */
static int combine_incremental(hf_profile **out, const hf_profile *a, const hf_profile *b,
	unsigned flags, hf_error *err)
{
	hf_merger *m = NULL;
	int rc = hf_merger_new(&m, err);
	if (rc == HF_OK)
		rc = hf_merger_add(m, a, err);
	if (rc == HF_OK)
		rc = (flags & 2) ? hf_merger_subtract(m, b, flags & 1, err) : hf_merger_add(m, b, err);
	if (rc == HF_OK)
		rc = hf_merger_finish(m, out, err);
	hf_merger_free(m);
	return rc;
}

static void check_type(hf_profile *a, hf_profile *b, unsigned flags, long index)
{
	hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
	fo.sample_index = index;
	fuzz_output kept = {0}, freed = {0}, merged = {0};
	int kept_rc, freed_rc, merged_rc;
	hf_error err = {0};
	hf_profile *p = NULL, *q = NULL, *r = NULL;
	hf_stacks *s = NULL;

	int rc = combine(&p, a, b, flags, &err);
	if (rc == HF_OK)
		rc = hf_stacks_fold(&s, p, &fo, &err);
	collapse(rc, s, &kept, &kept_rc);
	hf_profile_free(p);

	s = NULL;
	rc = combine(&q, a, b, flags, &err);
	if (rc == HF_OK)
		rc = hf_stacks_fold_free(&s, q, &fo, &err);
	collapse(rc, s, &freed, &freed_rc);

	s = NULL;
	rc = combine_incremental(&r, a, b, flags, &err);
	if (rc == HF_OK)
		rc = hf_stacks_fold_free(&s, r, &fo, &err);
	collapse(rc, s, &merged, &merged_rc);

	same(&kept, kept_rc, &freed, freed_rc);
	same(&kept, kept_rc, &merged, merged_rc);
	free(kept.data);
	free(freed.data);
	free(merged.data);
}

static hf_profile *decode(const uint8_t *data, size_t size)
{
	hf_parse_options o = fuzz_parse_options();
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf__profile_new(&p, "fuzz", &err) != HF_OK)
		return NULL;
	if (hf__profile_decode_proto(p, data, size, &o, &err) != HF_OK) {
		if (!err.message[0] || strchr(err.message, '\n'))
			__builtin_trap(); /* errors are one non-empty line */
		hf_profile_free(p);
		return NULL;
	}
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	unsigned flags = data[0];
	size_t first = (size_t)data[1] | (size_t)data[2] << 8 | (size_t)data[3] << 16 |
		(size_t)data[4] << 24;
	data += 5;
	size -= 5;
	if (first > size)
		first = size;
	hf_profile *a = decode(data, first);
	hf_profile *b = a ? decode(data + first, size - first) : NULL;
	if (a && b) {
		size_t n = hf_profile_sample_type_count(a);
		for (size_t i = 0; i < n && i < 4; i++)
			check_type(a, b, flags, (long)i);
	}
	hf_profile_free(a);
	hf_profile_free(b);
	return 0;
}
