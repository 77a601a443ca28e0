/* --folded and --list-types. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* One file, no base, no filter: the stacks can be folded from the file
 * without a decoded profile (hf_stacks_fold_file). */
static bool fold_straight(const cli_options *o)
{
	const hf_filter_options *fl = &o->filter;
	const char *filters[] = {fl->focus, fl->ignore, fl->hide, fl->show, fl->show_from,
		fl->prune_from};
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (filters[i] && *filters[i])
			return false;
	return o->nsources == 1 && !o->url && !o->suffix && !o->base &&
		!cli_is_url(o->sources[0]);
}

int cli_load_stacks(const cli_options *o, hf_profile **profile, hf_stacks **out)
{
	size_t index;
	hf_profile *p = NULL;
	if (profile)
		*profile = NULL;
	if (fold_straight(o)) {
		hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
		fo.granularity = o->granularity;
		hf_error err = {0};
		if (hf_stacks_fold_file(out, o->sources[0], &o->parse, o->sample_index, &fo,
			&err) != HF_OK)
			return cli_fail(o->sources[0], &err);
		return EXIT_OK;
	}
	int rc = cli_load_profile(o, &p);
	if (rc == EXIT_OK)
		rc = cli_sample_index(o, p, &index);
	if (rc != EXIT_OK) {
		hf_profile_free(p);
		return rc;
	}
	hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
	fo.sample_index = (long)index;
	fo.granularity = o->granularity;
	hf_error err = {0};
	if (profile) {
		*profile = p;
		if (hf_stacks_fold(out, p, &fo, &err) != HF_OK)
			rc = cli_fail(hf_profile_source(p), &err);
		return rc;
	}
	/* Only the stacks are wanted: the profile goes as it is folded (its
	 * name is kept for the error message). */
	char *source = strdup(hf_profile_source(p));
	if (!source) {
		hf_profile_free(p);
		cli_error(NULL, "out of memory");
		return EXIT_INPUT;
	}
	if (hf_stacks_fold_free(out, p, &fo, &err) != HF_OK)
		rc = cli_fail(source, &err);
	free(source);
	return rc;
}

static int write_collapsed(void *stacks, hf_writer *w, hf_error *err)
{
	return hf_stacks_write_collapsed(stacks, w, err);
}

int cmd_folded(const cli_options *o)
{
	hf_stacks *s = NULL;
	/* The stacks own their names: the profile (a merge's or -base's
	 * result, the largest thing held) goes as it is folded. */
	int rc = cli_load_stacks(o, NULL, &s);
	if (rc == EXIT_OK)
		rc = cli_write_output(o, NULL, write_collapsed, s);
	hf_stacks_free(s);
	return rc;
}

int cmd_list_types(const cli_options *o)
{
	hf_profile *p = NULL;
	int rc = cli_load_profile(o, &p);
	if (rc != EXIT_OK)
		return rc;
	size_t def = hf_profile_default_sample_index(p);
	for (size_t i = 0; i < hf_profile_sample_type_count(p); i++) {
		const char *type, *unit;
		hf_profile_sample_type(p, i, &type, &unit);
		printf("%zu %s/%s%s\n", i, type, unit, i == def ? " *" : "");
	}
	hf_profile_free(p);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_INPUT;
}
