/*
 * Folding: one sample type of a profile into distinct stacks. Frames of a
 * location are computed once (locations are shared by many samples); each
 * sample's stack is then a concatenation of its locations' frames.
 */
#include "stacks.h"
#include "../profile/profile.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct folder {
	const hf_profile *p;
	hf_stacks *s;
	hf_granularity granularity;
	uint32_t *fn_name;   /* per function: interned name (functions mode) */
	uint32_t *loc_start; /* per location: offset into loc_frames, n+1 entries */
	uint32_t *loc_frames;
	hf_error *err;
} folder;

static uint32_t intern(folder *f, const char *s, size_t len)
{
	return hf_intern_get(&f->s->names, s, len);
}

/*
 * The frame name of one Line, interned: "name" (functions), "name:line"
 * (lines), "name file" (filefunctions), "file" (files), "0xADDR name:line"
 * (addresses); "??" for a missing function or file.
 */
static uint32_t line_frame(folder *f, const hf_location *loc, const hf_line *ln)
{
	const char *name = ln->function ? ln->function->name : "??";
	const char *file = ln->function && ln->function->filename && ln->function->filename[0]
		? ln->function->filename : "??";
	if (f->granularity == HF_GRANULARITY_FUNCTIONS) {
		if (!ln->function)
			return intern(f, "??", 2);
		return f->fn_name[ln->function - f->p->functions];
	}
	if (f->granularity == HF_GRANULARITY_FILES)
		return intern(f, file, strlen(file));
	char small[256];
	size_t nlen = strlen(name), flen = strlen(file);
	char addr[24] = "";
	if (f->granularity == HF_GRANULARITY_ADDRESSES)
		snprintf(addr, sizeof(addr), "0x%" PRIx64 " ", loc->address);
	size_t alen = strlen(addr);
	int extra = f->granularity == HF_GRANULARITY_FILEFUNCTIONS ? (int)flen + 1
		: snprintf(NULL, 0, ":%" PRId64, ln->line);
	if (extra < 0)
		return UINT32_MAX;
	size_t total = alen + nlen + (size_t)extra;
	char *buf = total < sizeof(small) ? small : hf__malloc(total + 1);
	if (!buf)
		return UINT32_MAX;
	memcpy(buf, addr, alen);
	memcpy(buf + alen, name, nlen);
	if (f->granularity == HF_GRANULARITY_FILEFUNCTIONS) {
		buf[alen + nlen] = ' ';
		memcpy(buf + alen + nlen + 1, file, flen);
	} else {
		snprintf(buf + alen + nlen, (size_t)extra + 1, ":%" PRId64, ln->line);
	}
	uint32_t id = intern(f, buf, total);
	if (buf != small)
		hf__free(buf);
	return id;
}

static int build_location_frames(folder *f)
{
	const hf_profile *p = f->p;
	size_t total = 0;
	for (size_t i = 0; i < p->nlocations; i++)
		total += p->locations[i].nlines ? p->locations[i].nlines : 1;
	if (total >= UINT32_MAX)
		return hf__error(f->err, HF_ELIMIT, "too many frames");
	f->loc_start = hf__malloc(hf__mul(p->nlocations + 1, sizeof(*f->loc_start)));
	f->loc_frames = hf__malloc(hf__mul(total, sizeof(*f->loc_frames)));
	if (!f->loc_start || !f->loc_frames)
		return hf__oom(f->err);

	if (f->granularity == HF_GRANULARITY_FUNCTIONS) {
		f->fn_name = hf__malloc(hf__mul(p->nfunctions, sizeof(*f->fn_name)));
		if (!f->fn_name)
			return hf__oom(f->err);
		for (size_t i = 0; i < p->nfunctions; i++) {
			const char *name = p->functions[i].name;
			if ((f->fn_name[i] = intern(f, name, strlen(name))) == UINT32_MAX)
				return hf__oom(f->err);
		}
	}

	uint32_t n = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const hf_location *loc = &p->locations[i];
		f->loc_start[i] = n;
		if (loc->nlines == 0) {
			char addr[24];
			int len = snprintf(addr, sizeof(addr), "0x%" PRIx64, loc->address);
			uint32_t id = intern(f, addr, (size_t)len);
			if (id == UINT32_MAX)
				return hf__oom(f->err);
			f->loc_frames[n++] = id;
			continue;
		}
		/* Outermost line first; the lines after it were inlined into it. */
		for (size_t j = loc->nlines; j-- > 0;) {
			uint32_t id = line_frame(f, loc, &loc->lines[j]);
			if (id == UINT32_MAX)
				return hf__oom(f->err);
			f->loc_frames[n++] = id | (j + 1 < loc->nlines ? HF_FRAME_INLINED : 0);
		}
	}
	f->loc_start[p->nlocations] = n;
	return HF_OK;
}

static int fold_samples(folder *f, size_t index)
{
	const hf_profile *p = f->p;
	size_t cap = 256;
	uint32_t *stack = hf__malloc(cap * sizeof(*stack));
	int rc = HF_OK;
	if (!stack)
		return hf__oom(f->err);
	for (size_t i = 0; i < p->nsamples && rc == HF_OK; i++) {
		const hf_sample *s = &p->samples[i];
		/* A profile with a base folds "before" into the base column and
		 * "after" (values are after - before) into the value column. */
		int64_t b = s->base_values ? s->base_values[index] : 0;
		int64_t v;
		if (__builtin_add_overflow(s->values[index], b, &v)) {
			rc = hf__error(f->err, HF_ELIMIT, "sample values overflow 64 bits");
			break;
		}
		if (v == 0 && b == 0)
			continue;
		size_t depth = 0;
		for (size_t j = s->nlocations; j-- > 0;) {
			size_t li = (size_t)(s->locations[j] - p->locations);
			uint32_t from = f->loc_start[li], to = f->loc_start[li + 1];
			if (to - from > cap - depth) {
				while (to - from > cap - depth)
					cap *= 2;
				uint32_t *ns = hf__realloc(stack, hf__mul(cap, sizeof(*stack)));
				if (!ns) {
					rc = hf__oom(f->err);
					break;
				}
				stack = ns;
			}
			memcpy(stack + depth, f->loc_frames + from, (to - from) * sizeof(*stack));
			depth += to - from;
		}
		if (rc == HF_OK)
			rc = hf__stacks_add_diff(f->s, stack, depth, v, b, f->err);
	}
	hf__free(stack);
	return rc;
}

int hf_stacks_fold(hf_stacks **out, const hf_profile *profile,
	const hf_fold_options *opts, hf_error *err)
{
	hf_fold_options o = HF_FOLD_OPTIONS_INIT;
	if (opts)
		o = *opts;
	*out = NULL;
	size_t index = o.sample_index < 0 ? hf_profile_default_sample_index(profile)
					  : (size_t)o.sample_index;
	if (index >= profile->nsample_types)
		return hf__error(err, HF_ENOTFOUND, "sample index %zu out of range", index);
	if ((unsigned)o.granularity > HF_GRANULARITY_ADDRESSES)
		return hf__error(err, HF_EINVALID, "unknown granularity %d", (int)o.granularity);

	folder f = {0};
	f.p = profile;
	f.granularity = o.granularity;
	f.err = err;
	int rc = hf__stacks_new(&f.s, profile->sample_types[index].type,
		profile->sample_types[index].unit, err);
	if (rc == HF_OK) {
		f.s->has_base = profile->has_base;
		rc = build_location_frames(&f);
	}
	if (rc == HF_OK)
		rc = fold_samples(&f, index);
	hf__free(f.fn_name);
	hf__free(f.loc_start);
	hf__free(f.loc_frames);
	if (rc != HF_OK) {
		hf_stacks_free(f.s);
		return rc;
	}
	*out = f.s;
	return HF_OK;
}
