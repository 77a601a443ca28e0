/* --list: pprof's source listing, and where sources are looked for. */
#include "cli.h"

#include <string.h>

int cli_set_list(cli_options *o, const char *name, const char *value)
{
	if (!strcmp(name, "source_path")) {
		o->source_path = value;
	} else if (!strcmp(name, "trim_path")) {
		o->trim_path = value;
	} else {
		o->view = VIEW_LIST;
		o->list = value;
	}
	return 0;
}

static int write_list(void *ctx, hf_writer *w, hf_error *err)
{
	const hf_profile *p = ((const void **)ctx)[0];
	const hf_list_options *lo = ((const void **)ctx)[1];
	return hf_report_write_list(p, lo, w, err);
}

int cmd_list(const cli_options *o)
{
	hf_profile *p = NULL;
	size_t index;
	int rc = cli_load_profile(o, &p);
	if (rc == EXIT_OK)
		rc = cli_sample_index(o, p, &index);
	if (rc == EXIT_OK) {
		hf_list_options lo = HF_LIST_OPTIONS_INIT;
		lo.sample_index = (long)index;
		lo.regex = o->list;
		lo.total = hf_profile_total(p, index);
		lo.source.source_path = o->source_path;
		lo.source.trim_path = o->trim_path;
		const void *ctx[2] = {p, &lo};
		rc = cli_write_output(o, hf_profile_source(p), write_list, ctx);
	}
	hf_profile_free(p);
	return rc;
}
