/*
 * heapflame: the command line. Options are table-driven; both pprof's
 * single-dash spelling (-alloc_space, -sample_index=N) and GNU double
 * dashes are accepted.
 */
#include "cli.h"

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_error(const char *what, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "heapflame: ");
	if (what)
		fprintf(stderr, "%s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_fail(const char *what, const hf_error *err)
{
	cli_error(what, "%s", err->message[0] ? err->message : hf_strerror(err->code));
	return err->code == HF_EINVALID ? EXIT_USAGE : EXIT_INPUT;
}

/* ---- the option table ------------------------------------------------ */

typedef enum { ARG_NONE, ARG_REQUIRED } arg_kind;

/* In a help text: replaced by the built-in theme names (hf_theme_builtin_names). */
#define BUILTIN_THEMES "{themes}"

typedef struct cli_option {
	const char *names;   /* "name" or "name|alias|alias" */
	arg_kind arg;
	int (*set)(cli_options *o, const char *name, const char *value);
	const char *section;
	const char *metavar; /* shown in --help */
	const char *help;
} cli_option;

static int set_view(cli_options *o, const char *name, const char *value)
{
	(void)value;
	if (!strcmp(name, "folded") || !strcmp(name, "r") || !strcmp(name, "raw"))
		o->view = VIEW_FOLDED;
	else if (!strcmp(name, "list-types"))
		o->view = VIEW_LIST_TYPES;
	return 0;
}

static int set_sample_index(cli_options *o, const char *name, const char *value)
{
	o->sample_index = value ? value : name;
	return 0;
}

static int set_granularity(cli_options *o, const char *name, const char *value)
{
	(void)value;
	o->granularity = !strcmp(name, "lines") ? HF_GRANULARITY_LINES
		: !strcmp(name, "filefunctions") ? HF_GRANULARITY_FILEFUNCTIONS
		: !strcmp(name, "files") ? HF_GRANULARITY_FILES
		: !strcmp(name, "addresses") ? HF_GRANULARITY_ADDRESSES : HF_GRANULARITY_FUNCTIONS;
	return 0;
}

static int set_output(cli_options *o, const char *name, const char *value)
{
	(void)name;
	o->output = value;
	return 0;
}

static int set_format(cli_options *o, const char *name, const char *value)
{
	(void)name;
	o->format = value;
	return 0;
}

static int parse_size(const char *value, size_t *out)
{
	char *end;
	unsigned long long n = strtoull(value, &end, 10);
	unsigned long long mult = 1;
	if (end == value || value[0] == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': mult = 1ull << 10; end++; break;
	case 'm': case 'M': mult = 1ull << 20; end++; break;
	case 'g': case 'G': mult = 1ull << 30; end++; break;
	default: break;
	}
	if (*end || n == 0 || n > SIZE_MAX / mult)
		return -1;
	*out = (size_t)(n * mult);
	return 0;
}

static int set_limit(cli_options *o, const char *name, const char *value)
{
	size_t *field = !strcmp(name, "max-decompressed") ? &o->parse.max_decompressed
		: !strcmp(name, "max-depth") ? &o->parse.max_depth : &o->parse.max_name;
	if (parse_size(value, field) != 0) {
		cli_error(NULL, "--%s: expected a positive size such as 512M, got \"%s\"", name, value);
		return -1;
	}
	return 0;
}

static int set_info_view(cli_options *o, const char *name, const char *value)
{
	(void)name;
	(void)value;
	o->view = VIEW_INFO;
	return 0;
}

static const cli_option options[] = {
	{"folded|r|raw", ARG_NONE, set_view, "Views", NULL,
		"write folded stacks (root;...;leaf VALUE), one line per stack"},
	{"list-types", ARG_NONE, set_view, "Views", NULL,
		"list the profile's sample types with units; * marks the default"},

	{"info", ARG_NONE, set_info_view, "Views", NULL,
		"describe the profile: types, totals, and a legacy heap profile's MemStats"},
	{"callgraph", ARG_NONE, cli_set_graph_view, "Views", NULL,
		"draw pprof's call graph, laid out in-process by Graphviz (SVG; -o x.png/x.pdf)"},
	{"dot", ARG_NONE, cli_set_graph_view, "Views", NULL,
		"write the call graph as DOT text (as go tool pprof -dot)"},
	{"top|text", ARG_NONE, cli_set_graph_view, "Views", NULL,
		"pprof's -top table: flat, flat%, sum%, cum, cum% per function"},
	{"traces", ARG_NONE, cli_set_graph_view, "Views", NULL,
		"pprof's -traces listing: every sample's stack, leaf first"},
	{"peek", ARG_REQUIRED, cli_set_graph_view, "Views", "RE",
		"pprof's -peek: callers and callees of the functions matching RE"},
	{"tags", ARG_NONE, cli_set_graph_view, "Views", NULL,
		"pprof's -tags: each label's values and their shares (heap: allocation sizes)"},
	{"list", ARG_REQUIRED, cli_set_list, "Views", "RE",
		"pprof's -list: source lines of the functions matching RE, flat/cum per line"},
	{"html", ARG_NONE, cli_set_html, "Views", NULL,
		"one offline HTML report: flame graph, call graph, top, peek (also -o FILE.html)"},

	{"growth", ARG_NONE, cli_set_growth, "Growth across snapshots (leak hunting)", NULL,
		"rank functions by how steadily they grow over SOURCEs (snapshots; see docs/growth.md)"},
	{"every", ARG_REQUIRED, cli_set_growth, "Growth across snapshots (leak hunting)", "DURATION",
		"collect: fetch the URL every DURATION (e.g. 30s, 500ms, 1m), then report"},
	{"count", ARG_REQUIRED, cli_set_growth, "Growth across snapshots (leak hunting)", "N",
		"collect N snapshots (default 10)"},
	{"save-dir", ARG_REQUIRED, cli_set_growth, "Growth across snapshots (leak hunting)", "DIR",
		"where collected snapshots are saved (default ./heapflame-snapshots)"},
	{"ascii", ARG_NONE, cli_set_growth, "Growth across snapshots (leak hunting)", NULL,
		"sparklines in ASCII instead of Unicode blocks"},

	{"nodecount", ARG_REQUIRED, cli_set_graph_option, "Call graphs and reports", "N",
		"keep at most N nodes (default 80 for graphs, all for --top; 0: all)"},
	{"nodefraction", ARG_REQUIRED, cli_set_graph_option, "Call graphs and reports", "F",
		"drop nodes whose cum is below F of the total (default 0.005)"},
	{"edgefraction", ARG_REQUIRED, cli_set_graph_option, "Call graphs and reports", "F",
		"drop edges lighter than F of the total (default 0.001)"},
	{"cum|flat", ARG_NONE, cli_set_graph_option, "Call graphs and reports", NULL,
		"sort --top by cum (or by flat, the default)"},

	{"source_path", ARG_REQUIRED, cli_set_list, "Source listings (--list)", "DIRS",
		"':'-separated directories to search for sources (--list, --html; default: the working dir)"},
	{"trim_path", ARG_REQUIRED, cli_set_list, "Source listings (--list)", "PREFIXES",
		"':'-separated path prefixes to remove before searching"},

	{"base", ARG_REQUIRED, cli_set_base, "Inputs, diffs and filters", "SOURCE",
		"subtract SOURCE (pprof -base); --folded then writes STACK BEFORE AFTER"},
	{"diff_base", ARG_REQUIRED, cli_set_base, "Inputs, diffs and filters", "SOURCE",
		"compare with SOURCE as pprof -diff_base (percentages of the base)"},
	{"negate", ARG_NONE, cli_set_negate, "Inputs, diffs and filters", NULL,
		"differential flame graph: swap the colours (red = shrank)"},
	{"focus|ignore|hide|show|show_from|prune_from", ARG_REQUIRED, cli_set_filter,
		"Inputs, diffs and filters", "RE",
		"pprof's filters (POSIX extended regex on function, file or object name)"},
	{"countname", ARG_REQUIRED, cli_set_countname, "Inputs, diffs and filters", "UNIT",
		"collapsed-stack input: what the counts are (default samples)"},
	{"seconds|t", ARG_REQUIRED, cli_set_seconds, "Inputs, diffs and filters", "N",
		"URL sources: profile for N seconds (adds ?seconds=N)"},
	{"timeout", ARG_REQUIRED, cli_set_seconds, "Inputs, diffs and filters", "N",
		"URL sources: give up after N seconds (default 60, or seconds + margin)"},
	{"url|u", ARG_REQUIRED, cli_set_url, "Inputs, diffs and filters", "BASE",
		"go-torch: fetch BASE + suffix (default suffix /debug/pprof/profile, 30 s)"},
	{"suffix", ARG_REQUIRED, cli_set_url, "Inputs, diffs and filters", "PATH",
		"go-torch: the path added to --url"},

	{"inverted|icicle", ARG_NONE, cli_set_flame, "Flame graphs (the default view)", NULL,
		"icicle graph: root on top (title \"Icicle Graph\")"},
	{"reverse", ARG_NONE, cli_set_flame, "Flame graphs (the default view)", NULL,
		"merge stacks from the leaf: who calls the allocating functions"},
	{"sort", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "name|weight",
		"sibling order: by name (default, stable across graphs) or heaviest first"},
	{"minwidth", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "PX|N%",
		"leave out frames narrower than PX pixels or N% of the total (0.1)"},
	{"max-frames", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "N",
		"draw at most N frames, leaving out the narrowest (40000)"},
	{"title|subtitle", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "TEXT",
		"title (\"Flame Graph\") and subtitle"},
	{"width", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "PX", "image width (1200)"},
	{"height", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "PX", "frame height (16)"},
	{"fonttype|fontsize|fontwidth", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "V",
		"font (Verdana), size (12); a fontwidth (e.g. 0.59) replaces real font metrics"},
	{"nametype|notes", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "TEXT",
		"details-line prefix (\"Function:\"); notes, kept as an SVG comment"},
	{"colors", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "PALETTE",
		BUILTIN_THEMES " (default: mem for heap types, else hot)"},
	{"bgcolors", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "COLOR",
		"background: yellow, blue, green, grey or #rrggbb"},
	{"theme", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "NAME|FILE",
		"a built-in theme (as --colors) or a .theme file (see themes/)"},
	{"hash", ARG_NONE, cli_set_flame, "Flame graphs (the default view)", NULL,
		"colours from flamegraph.pl's name hash instead of its seeded default"},
	{"random", ARG_NONE, cli_set_flame, "Flame graphs (the default view)", NULL,
		"every frame a random colour of the palette (flamegraph.pl --random)"},
	{"cp", ARG_NONE, cli_set_flame, "Flame graphs (the default view)", NULL,
		"consistent colours: read and update palette.map in the current directory"},
	{"id-prefix", ARG_REQUIRED, cli_set_flame, "Flame graphs (the default view)", "ID",
		"prefix of the SVG's element ids (default: derived from the data)"},

	{"sample_index", ARG_REQUIRED, set_sample_index, "Sample type", "NAME|N",
		"the sample type to show (default: the profile's default, else the last)"},
	{"alloc_space|alloc_objects|inuse_space|inuse_objects", ARG_NONE, set_sample_index,
		"Sample type", NULL, "shorthands for -sample_index=NAME (heap profiles)"},

	{"functions|lines|filefunctions|files|addresses", ARG_NONE, set_granularity, "Granularity",
		NULL, "a node or frame per function (default), source line (function:line), "
		"function and file, file, or instruction address (pprof's granularities)"},

	{"o|output", ARG_REQUIRED, set_output, "Output", "FILE",
		"write to FILE (atomically: nothing is left behind on error); default stdout"},
	{"format", ARG_REQUIRED, set_format, "Output", "FMT",
		"output format (default: from the -o extension)"},

	{"max-decompressed", ARG_REQUIRED, set_limit, "Limits", "SIZE",
		"refuse inputs that inflate beyond SIZE (default 2G)"},
	{"max-depth", ARG_REQUIRED, set_limit, "Limits", "N",
		"refuse stacks deeper than N locations (default 65536)"},
	{"max-name", ARG_REQUIRED, set_limit, "Limits", "SIZE",
		"refuse strings longer than SIZE bytes (default 1M)"},
};

static const size_t noptions = sizeof(options) / sizeof(options[0]);

/* Does `name` appear among the '|'-separated names of `names`? */
static bool name_matches(const char *names, const char *name, size_t len)
{
	const char *p = names;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == len && strncmp(p, name, len) == 0)
			return true;
		if (!bar)
			return false;
		p = bar + 1;
	}
}

/* An option's help text, with BUILTIN_THEMES spelt out. */
static void print_option_help(FILE *fp, const char *help)
{
	const char *mark = strstr(help, BUILTIN_THEMES);
	if (!mark) {
		fprintf(fp, "%s\n", help);
		return;
	}
	fprintf(fp, "%.*s", (int)(mark - help), help);
	const char *const *names = hf_theme_builtin_names();
	for (size_t i = 0; names[i]; i++)
		fprintf(fp, "%s%s", i ? " " : "", names[i]);
	fprintf(fp, "%s\n", mark + strlen(BUILTIN_THEMES));
}

static void print_help(FILE *fp)
{
	fprintf(fp,
		"Usage: heapflame [options] SOURCE...\n"
		"Turns Go profiles (pprof protobuf, gzipped or not) into flame graphs,\n"
		"call graphs and reports. SOURCE is a file, - for standard input, or an\n"
		"http(s) URL; several SOURCEs are merged. Legacy text heap profiles and\n"
		"collapsed stacks (a;b;c 123, or 'stack before after') are read too.\n"
		"Options take one or two dashes; values follow as -opt=V or -opt V.\n");
	const char *section = NULL;
	for (size_t i = 0; i < noptions; i++) {
		const cli_option *opt = &options[i];
		if (!section || strcmp(section, opt->section) != 0) {
			section = opt->section;
			fprintf(fp, "\n%s:\n", section);
		}
		char line[160];
		int n = 0;
		const char *p = opt->names;
		while (*p && n < (int)sizeof(line) - 40) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%s%.*s", n ? ", " : "",
				len == 1 ? "-" : "--", (int)len, p);
			p = bar ? bar + 1 : p + len;
		}
		if (opt->metavar)
			snprintf(line + n, sizeof(line) - (size_t)n, " %s", opt->metavar);
		if (strlen(line) > 26)
			fprintf(fp, "  %s\n  %-26s ", line, "");
		else
			fprintf(fp, "  %-26s ", line);
		print_option_help(fp, opt->help);
	}
	fprintf(fp,
		"\nOther:\n"
		"  -h, --help                 show this help\n"
		"  --version                  show the version\n"
		"\nExamples:\n"
		"  heapflame -alloc_space --folded heap.pb.gz > heap.folded\n"
		"  heapflame --list-types heap.pb.gz\n"
		"\nExit status: 0 success, 1 bad usage, 2 bad input or failed output.\n");
}

/* Parses argv into o; returns -1 (after printing) on bad usage, 1 if done. */
static int parse_args(int argc, char **argv, cli_options *o)
{
	o->sources = calloc((size_t)argc, sizeof(*o->sources));
	if (!o->sources) {
		cli_error(NULL, "out of memory");
		return -1;
	}
	bool only_sources = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (only_sources || arg[0] != '-' || arg[1] == '\0') {
			o->sources[o->nsources++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_sources = true;
			continue;
		}
		const char *name = arg + 1 + (arg[1] == '-');
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		if ((len == 4 && !strncmp(name, "help", 4)) || (len == 1 && name[0] == 'h')) {
			print_help(stdout);
			return 1;
		}
		if (len == 7 && !strncmp(name, "version", 7)) {
			printf("heapflame %s\nfeatures: %s\n", hf_version(), hf_features());
			return 1;
		}
		const cli_option *opt = NULL;
		for (size_t k = 0; k < noptions && !opt; k++)
			if (name_matches(options[k].names, name, len))
				opt = &options[k];
		if (!opt) {
			cli_error(NULL, "unknown option \"%s\" (see --help)", arg);
			return -1;
		}
		const char *value = NULL;
		if (opt->arg == ARG_REQUIRED) {
			if (eq) {
				value = eq + 1;
			} else if (i + 1 < argc) {
				value = argv[++i];
			} else {
				cli_error(NULL, "option \"%s\" needs a value", arg);
				return -1;
			}
		} else if (eq) {
			cli_error(NULL, "option \"%.*s\" takes no value", (int)(len + (size_t)(name - arg)), arg);
			return -1;
		}
		/* Options without a value end at the NUL, so `name` lives as long
		 * as argv; a name followed by "=V" is copied (handlers must not
		 * keep it). */
		char key[64];
		snprintf(key, sizeof(key), "%.*s", (int)len, name);
		if (opt->set(o, opt->arg == ARG_NONE ? name : key, value) != 0)
			return -1;
	}
	return 0;
}

/* ---- shared helpers for the commands ----------------------------------- */

int cli_sample_index(const cli_options *o, const hf_profile *p, size_t *out)
{
	hf_error err = {0};
	if (hf_profile_sample_index(p, o->sample_index, out, &err) != HF_OK) {
		cli_error(hf_profile_source(p), "%s", err.message);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
#ifdef M_MMAP_THRESHOLD
	/* glibc raises its mmap threshold to the size of each large block
	 * freed (up to 32 MiB): after the compressed file and the inflated
	 * bytes are freed, blocks of a few MiB come from the heap and stay
	 * resident once freed, beside what is allocated next. A fixed
	 * threshold returns them: peaks of -base 98 -> 76 MB, --folded 27 ->
	 * 20 MB, the flame SVG 36 -> 29 MB, --callgraph 34 -> 30 MB
	 * (synthetic-large), at no measured cost in time. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
	cli_options o;
	memset(&o, 0, sizeof(o));
	cli_flame_defaults(&o);
	int rc = parse_args(argc, argv, &o);
	if (rc != 0) {
		free(o.sources);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (o.growth || o.every || o.count) {
		rc = cmd_growth(&o);
		free(o.sources);
		return rc;
	}
	if (o.view == VIEW_FLAME && cli_wants_html(&o))
		o.view = VIEW_HTML;
	switch (o.view) {
	case VIEW_HTML: rc = cmd_html(&o); break;
	case VIEW_FOLDED: rc = cmd_folded(&o); break;
	case VIEW_LIST_TYPES: rc = cmd_list_types(&o); break;
	case VIEW_FLAME: rc = cmd_flame(&o); break;
	case VIEW_INFO: rc = cmd_info(&o); break;
	case VIEW_CALLGRAPH:
	case VIEW_DOT: rc = cmd_callgraph(&o); break;
	case VIEW_TOP: rc = cmd_top(&o); break;
	case VIEW_TRACES: rc = cmd_traces(&o); break;
	case VIEW_TAGS:
	case VIEW_PEEK: rc = cmd_reports(&o); break;
	case VIEW_LIST: rc = cmd_list(&o); break;
	}
	free(o.sources);
	return rc;
}
