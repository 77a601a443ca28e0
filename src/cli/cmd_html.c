/* --html (or -o FILE.html): the offline HTML report. */
#include "cli.h"

#include <errno.h>
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

static int parse_fraction(const char *name, const char *text, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !(v >= 0 && v <= 1)) {
		cli_error(NULL, "-%s: expected a fraction between 0 and 1, got \"%s\"", name, text);
		return -1;
	}
	*out = v;
	return 0;
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
	if (o->nodecount) {
		char *end;
		errno = 0;
		long n = strtol(o->nodecount, &end, 10);
		if (end == o->nodecount || *end || errno || n < 0) {
			cli_error(NULL, "-nodecount: expected a count (0 for no limit), got \"%s\"",
				o->nodecount);
			return EXIT_USAGE;
		}
		go.nodecount = n;
	}
	if ((o->nodefraction && parse_fraction("nodefraction", o->nodefraction, &go.nodefraction)) ||
		(o->edgefraction && parse_fraction("edgefraction", o->edgefraction, &go.edgefraction)))
		return EXIT_USAGE;
	/* pprof's "Active filters:" legend lines, in its order */
	static const char *names[] = {"focus", "ignore", "hide", "show", "show_from"};
	const char *values[] = {o->filter.focus, o->filter.ignore, o->filter.hide, o->filter.show,
		o->filter.show_from};
	char *filters[5];
	size_t nfilters = 0;
	for (size_t i = 0; i < 5; i++) {
		if (!values[i] || !values[i][0])
			continue;
		size_t len = strlen(names[i]) + strlen(values[i]) + 2;
		if (!(filters[nfilters] = malloc(len)))
			break;
		snprintf(filters[nfilters++], len, "%s=%s", names[i], values[i]);
	}
	go.active_filters = (const char *const *)filters;
	go.nactive_filters = nfilters;
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
	int rc = EXIT_OK;
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
	for (size_t i = 0; i < nfilters; i++)
		free(filters[i]);
	hf_profile_free(p);
	hf_theme_free(theme);
	return rc;
}
