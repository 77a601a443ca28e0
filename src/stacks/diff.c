/*
 * Differential stacks from two profiles: "after" folds into the value
 * column and "before" into the base column (FlameGraph's difffolded form).
 */
#include "stacks.h"

#include <string.h>

int hf_stacks_fold_diff(hf_stacks **out, const hf_profile *after,
	const hf_profile *before, const hf_fold_options *opts, hf_error *err)
{
	hf_stacks *s = NULL, *b = NULL;
	uint32_t *map = NULL, *frames = NULL;
	size_t frames_cap = 0;
	*out = NULL;
	if (hf_profile_has_base(after) || hf_profile_has_base(before))
		return hf__error(err, HF_EINVALID,
			"%s is already a difference: fold it alone", hf_profile_has_base(after)
				? hf_profile_source(after) : hf_profile_source(before));
	int rc = hf_stacks_fold(&s, after, opts, err);
	if (rc == HF_OK)
		rc = hf_stacks_fold(&b, before, opts, err);
	if (rc == HF_OK && strcmp(s->sample_type, b->sample_type) != 0)
		rc = hf__error(err, HF_EINVALID, "cannot compare %s with %s", s->sample_type,
			b->sample_type);
	if (rc == HF_OK && !(map = hf__malloc(hf__mul(b->names.count + 1, sizeof(*map)))))
		rc = hf__oom(err);
	/* The base's frame names, interned into the result's table. */
	for (uint32_t i = 0; rc == HF_OK && i < b->names.count; i++)
		if ((map[i] = hf__intern_get(&s->names, b->names.names[i], b->names.lens[i])) ==
		    HF_NONE)
			rc = hf__oom(err);
	for (size_t i = 0; rc == HF_OK && i < b->nstacks; i++) {
		const hf__stack *st = &b->stacks[i];
		if (st->depth > frames_cap) {
			frames_cap = st->depth * 2;
			hf__free(frames);
			if (!(frames = hf__malloc(hf__mul(frames_cap, sizeof(*frames))))) {
				rc = hf__oom(err);
				break;
			}
		}
		const uint32_t *f = b->frames + st->offset;
		for (uint32_t k = 0; k < st->depth; k++)
			frames[k] = map[HF_FRAME_ID(f[k])] | (f[k] & HF_FRAME_INLINED);
		rc = hf__stacks_add_diff(s, frames, st->depth, 0, st->value, err);
	}
	hf__free(map);
	hf__free(frames);
	hf_stacks_free(b);
	if (rc != HF_OK) {
		hf_stacks_free(s);
		return rc;
	}
	s->has_base = true;
	*out = s;
	return HF_OK;
}
