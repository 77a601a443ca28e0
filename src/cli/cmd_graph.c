/* --callgraph, --dot, --top and --traces: pprof's graph and text views. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cli_set_graph_view(cli_options *o, const char *name, const char *value)
{
	(void)value;
	if (!strcmp(name, "callgraph"))
		o->view = VIEW_CALLGRAPH;
	else if (!strcmp(name, "dot"))
		o->view = VIEW_DOT;
	else if (!strcmp(name, "traces"))
		o->view = VIEW_TRACES;
	else if (!strcmp(name, "tags"))
		o->view = VIEW_TAGS;
	else if (!strcmp(name, "peek")) {
		o->view = VIEW_PEEK;
		o->peek = value;
	}
	else
		o->view = VIEW_TOP;
	return 0;
}

int cli_set_graph_option(cli_options *o, const char *name, const char *value)
{
	if (!strcmp(name, "cum") || !strcmp(name, "flat"))
		o->cum = !strcmp(name, "cum");
	else if (!strcmp(name, "nodecount"))
		o->nodecount = value;
	else if (!strcmp(name, "nodefraction"))
		o->nodefraction = value;
	else
		o->edgefraction = value;
	return 0;
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

int cli_parse_nodecount(const char *text, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (end == text || *end || errno || n < 0) {
		cli_error(NULL, "-nodecount: expected a count (0 for no limit), got \"%s\"", text);
		return -1;
	}
	*out = n;
	return 0;
}

int cli_graph_limits(const cli_options *o, hf_graph_options *go)
{
	if ((o->nodecount && cli_parse_nodecount(o->nodecount, &go->nodecount)) ||
		(o->nodefraction && parse_fraction("nodefraction", o->nodefraction, &go->nodefraction)) ||
		(o->edgefraction && parse_fraction("edgefraction", o->edgefraction, &go->edgefraction)))
		return EXIT_USAGE;
	return EXIT_OK;
}

int cli_active_filters(const cli_options *o, char *lines[CLI_FILTER_LINES], hf_graph_options *go)
{
	/* pprof's "Active filters:" legend lines, in its order. */
	static const char *const names[CLI_FILTER_LINES] = {"focus", "ignore", "hide", "show",
		"show_from"};
	const char *values[CLI_FILTER_LINES] = {o->filter.focus, o->filter.ignore, o->filter.hide,
		o->filter.show, o->filter.show_from};
	size_t n = 0;
	for (size_t i = 0; i < CLI_FILTER_LINES; i++)
		lines[i] = NULL;
	for (size_t i = 0; i < CLI_FILTER_LINES; i++) {
		if (!values[i] || !values[i][0])
			continue;
		size_t len = strlen(names[i]) + strlen(values[i]) + 2;
		char *f = malloc(len);
		if (!f) {
			cli_error(NULL, "out of memory");
			return EXIT_INPUT;
		}
		snprintf(f, len, "%s=%s", names[i], values[i]);
		lines[n++] = f;
	}
	go->active_filters = (const char *const *)lines;
	go->nactive_filters = n;
	return EXIT_OK;
}

/* The graph options from the command line; EXIT_OK, EXIT_USAGE or EXIT_INPUT. */
static int graph_options(const cli_options *o, const hf_profile *p, size_t index,
	hf_graph_options *go, char *filters[CLI_FILTER_LINES])
{
	hf_graph_options init = HF_GRAPH_OPTIONS_INIT;
	*go = init;
	go->sample_index = (long)index;
	go->granularity = o->granularity;
	go->cum = o->cum;
	go->total = hf_profile_total(p, index);
	int rc = cli_graph_limits(o, go);
	return rc == EXIT_OK ? cli_active_filters(o, filters, go) : rc;
}

/* The output format: --format, else the -o extension, else SVG. */
static const char *graph_format(const cli_options *o)
{
	if (o->view == VIEW_DOT)
		return "dot";
	if (o->format)
		return o->format;
	const char *dot = o->output ? strrchr(o->output, '.') : NULL;
	if (dot && !strchr(dot, '/'))
		return dot + 1;
	return "svg";
}

struct graph_output {
	cli_view view;
	const char *format;
	hf_profile *profile;
	const hf_graph_options *options;
	const hf_graph *graph;
	const char *peek;
	bool give;  /* --top: write_view frees the profile (NULLs it here) */
};

static int write_view(void *ctx, hf_writer *w, hf_error *err)
{
	struct graph_output *out = ctx;
	if (out->view == VIEW_TOP && out->give) {
		/* The profile goes as the table's graph is built: its
		 * locations are most of it and only the node universe reads
		 * them (the many-functions profile's --top peak). */
		hf_profile *p = out->profile;
		out->profile = NULL;
		return hf_report_write_top_free(p, out->options, w, err);
	}
	if (out->view == VIEW_TOP)
		return hf_report_write_top(out->profile, out->options, w, err);
	if (out->view == VIEW_TRACES)
		return hf_report_write_traces(out->profile, out->options, w, err);
	if (out->view == VIEW_TAGS)
		return hf_report_write_tags(out->profile, out->options, w, err);
	if (out->view == VIEW_PEEK)
		return hf_report_write_peek(out->profile, out->options, out->peek, w, err);
	if (!strcmp(out->format, "dot"))
		return hf_graph_write_dot(out->graph, w, err);
	return hf_graph_render(out->graph, out->format, w, err);
}

static int run(const cli_options *o)
{
	hf_profile *p = NULL;
	hf_graph *g = NULL;
	hf_error err = {0};
	size_t index;
	char *filters[CLI_FILTER_LINES] = {NULL};
	hf_graph_options go;
	const char *format = graph_format(o);
	if (o->view == VIEW_CALLGRAPH && strcmp(format, "svg") && strcmp(format, "png") &&
		strcmp(format, "pdf") && strcmp(format, "dot")) {
		cli_error(NULL, "unknown call graph format \"%s\" (svg, png, pdf or dot)", format);
		return EXIT_USAGE;
	}
	int rc = cli_load_profile(o, &p);
	if (rc == EXIT_OK)
		rc = cli_sample_index(o, p, &index);
	if (rc == EXIT_OK)
		rc = graph_options(o, p, index, &go, filters);
	if (rc == EXIT_OK && (o->view == VIEW_CALLGRAPH || o->view == VIEW_DOT) &&
		hf_graph_build(&g, p, &go, &err) != HF_OK)
		rc = cli_fail(hf_profile_source(p), &err);
	/* The graph owns its names and legend: the decoded profile can go
	 * before the DOT text is written and laid out (Graphviz's layout is
	 * --callgraph's peak, two thirds of it the profile's otherwise). */
	char *source = NULL;
	if (rc == EXIT_OK && (g || o->view == VIEW_TOP)) {
		/* --top frees the profile itself (write_view): its name, for
		 * errors, must outlive it. */
		const char *name = hf_profile_source(p);
		if (name && (source = strdup(name)) != NULL && g) {
			hf_profile_free(p);
			p = NULL;
		}
	}
	if (rc == EXIT_OK) {
		struct graph_output out = {o->view, format, p, &go, g, o->peek,
			o->view == VIEW_TOP && source};
		rc = cli_write_output(o, source ? source : hf_profile_source(p), write_view, &out);
		p = out.profile; /* NULL once write_view has taken it */
	}
	for (size_t i = 0; i < CLI_FILTER_LINES; i++)
		free(filters[i]);
	hf_graph_free(g);
	hf_profile_free(p);
	free(source);
	return rc;
}

int cmd_callgraph(const cli_options *o) { return run(o); }
int cmd_top(const cli_options *o) { return run(o); }
int cmd_traces(const cli_options *o) { return run(o); }
int cmd_reports(const cli_options *o) { return run(o); }

/*
 * Sanitizer builds only (nothing calls this otherwise): Graphviz 2.42's dot
 * layout leaks the virtual nodes and edges it makes for clusters and
 * cycles, and pango/fontconfig (PNG, PDF) keep font caches until exit.
 * Leaks allocated inside those libraries are suppressed so that leak
 * checks over the whole tool keep meaning something for our own code.
 */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void)
{
	return "leak:libgvc.so\n"
	       "leak:libgvplugin_dot_layout.so\n"
	       "leak:libfontconfig.so\n"
	       "leak:libpango-1.0.so\n"
	       "leak:libpangoft2-1.0.so\n"
	       "leak:libpangocairo-1.0.so\n"
	       "leak:libglib-2.0.so\n"
	       "leak:libgobject-2.0.so\n"
	       "leak:libharfbuzz.so\n";
}

/* ...and without a report of the suppressed leaks on standard error. */
__attribute__((visibility("default"))) const char *__lsan_default_options(void);
__attribute__((visibility("default"))) const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
