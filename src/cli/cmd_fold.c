/* --folded and --list-types. */
#include "cli.h"

int cmd_folded(const cli_options *o)
{
	hf_profile *p = NULL;
	hf_stacks *s = NULL;
	hf_error err = {0};
	size_t index;
	int rc = cli_load_profile(o, &p);
	if (rc == EXIT_OK)
		rc = cli_sample_index(o, p, &index);
	if (rc == EXIT_OK) {
		hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
		fo.sample_index = (long)index;
		fo.granularity = o->granularity;
		if (hf_stacks_fold(&s, p, &fo, &err) != HF_OK)
			rc = cli_fail(hf_profile_source(p), &err);
	}
	if (rc == EXIT_OK) {
		cli_output out;
		if (cli_output_open(&out, o->output) != 0) {
			rc = EXIT_INPUT;
		} else {
			hf_writer w = hf_writer_file(out.fp);
			bool ok = hf_stacks_write_collapsed(s, &w, &err) == HF_OK;
			if (!ok)
				cli_fail(o->output ? o->output : "stdout", &err);
			if (cli_output_close(&out, ok) != 0)
				rc = EXIT_INPUT;
		}
	}
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
