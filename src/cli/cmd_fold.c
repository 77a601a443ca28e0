/* --folded and --list-types. */
#include "cli.h"

int cli_load_stacks(const cli_options *o, hf_profile **profile, hf_stacks **out)
{
	size_t index;
	int rc = cli_load_profile(o, profile);
	if (rc == EXIT_OK)
		rc = cli_sample_index(o, *profile, &index);
	if (rc == EXIT_OK) {
		hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
		fo.sample_index = (long)index;
		fo.granularity = o->granularity;
		hf_error err = {0};
		if (hf_stacks_fold(out, *profile, &fo, &err) != HF_OK)
			rc = cli_fail(hf_profile_source(*profile), &err);
	}
	return rc;
}

static int write_collapsed(void *stacks, hf_writer *w, hf_error *err)
{
	return hf_stacks_write_collapsed(stacks, w, err);
}

int cmd_folded(const cli_options *o)
{
	hf_profile *p = NULL;
	hf_stacks *s = NULL;
	int rc = cli_load_stacks(o, &p, &s);
	if (rc == EXIT_OK)
		rc = cli_write_output(o, NULL, write_collapsed, s);
	hf_stacks_free(s);
	hf_profile_free(p);
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
