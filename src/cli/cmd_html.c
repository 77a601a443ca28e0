/* --html (or -o FILE.html): the offline HTML report. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cli_set_html(cli_options *o, const char *name, const char *value)
{
	(void)name;
	(void)value;
	o->view = VIEW_HTML;
	return 0;
}

/* Does -o (or --format) ask for HTML? Then the default view becomes it. */
bool cli_wants_html(const cli_options *o)
{
	if (o->format)
		return !strcmp(o->format, "html");
	const char *dot = o->output ? strrchr(o->output, '.') : NULL;
	return dot && !strchr(dot, '/') && (!strcmp(dot, ".html") || !strcmp(dot, ".htm") ||
		!strcmp(dot, ".HTML") || !strcmp(dot, ".HTM"));
}

struct html_output {
	const hf_profile *profile;
	const hf_html_options *options;
};

static int write_html(void *ctx, hf_writer *w, hf_error *err)
{
	const struct html_output *out = ctx;
	return hf_html_write(out->profile, out->options, w, err);
}

int cmd_html(const cli_options *o)
{
	if (o->format && strcmp(o->format, "html") != 0) {
		cli_error(NULL, "--format: the report is html, not \"%s\"", o->format);
		return EXIT_USAGE;
	}
	hf_html_options ho = HF_HTML_OPTIONS_INIT;
	hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
	char *filters[CLI_FILTER_LINES];
	int rc = cli_graph_limits(o, &go);
	if (rc != EXIT_OK)
		return rc;
	if ((rc = cli_active_filters(o, filters, &go)) != EXIT_OK) {
		for (size_t i = 0; i < CLI_FILTER_LINES; i++)
			free(filters[i]);
		return rc;
	}
	ho.graph = &go;
	ho.palette = o->flame.palette;
	ho.hash = o->flame.hash;
	ho.negate = o->negate || o->flame.negate;
	ho.title = o->flame.title;
	ho.base_source = o->base;
	ho.diff_base = o->diff_base;
	ho.source.source_path = o->source_path;
	ho.source.trim_path = o->trim_path;

	hf_theme *theme = NULL;
	hf_profile *p = NULL;
	hf_error err = {0};
	if (o->theme) {
		const hf_theme *builtin = NULL;
		int found = hf_theme_builtin(&builtin, o->theme, &err);
		if (found == HF_OK)
			ho.theme = builtin;
		else if (found != HF_ENOTFOUND)
			rc = cli_fail(o->theme, &err);
		else if (hf_theme_load(&theme, o->theme, &err) != HF_OK)
			rc = cli_fail(o->theme, &err);
		else
			ho.theme = theme;
	}
	if (rc == EXIT_OK)
		rc = cli_load_profile(o, &p);
	size_t index = 0;
	if (rc == EXIT_OK)
		rc = cli_sample_index(o, p, &index);
	if (rc == EXIT_OK) {
		ho.sample_index = (long)index;
		struct html_output out = {p, &ho};
		rc = cli_write_output(o, hf_profile_source(p), write_html, &out);
	}
	for (size_t i = 0; i < CLI_FILTER_LINES; i++)
		free(filters[i]);
	hf_profile_free(p);
	hf_theme_free(theme);
	return rc;
}
