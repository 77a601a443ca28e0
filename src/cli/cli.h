/* The heapflame command line: options, outputs and the commands. */
#ifndef HF_CLI_H
#define HF_CLI_H

#include "heapflame.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2 };

typedef enum cli_view {
	VIEW_FLAME = 0,
	VIEW_FOLDED,
	VIEW_CALLGRAPH,
	VIEW_DOT,
	VIEW_TOP,
	VIEW_TRACES,
	VIEW_LIST_TYPES,
	VIEW_INFO,
	VIEW_TAGS,
	VIEW_PEEK,
	VIEW_LIST,
	VIEW_HTML
} cli_view;

typedef struct cli_options {
	cli_view view;
	const char *sample_index;  /* NULL: the profile's default */
	hf_granularity granularity;
	const char *output;        /* -o FILE; NULL or "-": stdout */
	const char *format;        /* svg, png, pdf, ...; NULL: from -o */
	hf_parse_options parse;
	const char **sources;
	size_t nsources;

	/* Inputs, diffs and filters (cmd_sources.c) */
	const char *base;          /* -base / -diff_base SOURCE */
	bool diff_base;            /* base given as -diff_base */
	hf_filter_options filter;  /* -focus -ignore -hide -show -show_from -prune_from */
	long seconds;              /* -seconds/-t N: URL sources profile for N s */
	long timeout;              /* --timeout N (seconds) for URL sources */
	const char *url;           /* go-torch -u/--url BASE (+ suffix) */
	const char *suffix;        /* go-torch --suffix (default /debug/pprof/profile) */
	bool negate;               /* --negate: swap a diff flame graph's colours */

	/* Call graphs and reports (cmd_graph.c) */
	const char *nodecount;     /* -nodecount N; NULL: pprof's default */
	const char *nodefraction;  /* -nodefraction F; NULL: 0.005 */
	const char *edgefraction;  /* -edgefraction F; NULL: 0.001 */
	bool cum;                  /* -cum: --top sorted by cum */
	const char *peek;          /* --peek RE: the functions to show in context */

	/* Source listings (cmd_list.c) */
	const char *list;          /* --list REGEX */
	const char *source_path;   /* -source_path DIR:DIR... */
	const char *trim_path;     /* -trim_path PREFIX:PREFIX... */

	/* Flame graphs (cmd_flame.c) */
	hf_flame_options flame;
	const char *theme;         /* --theme NAME|FILE */

	/* Growth across snapshots (cmd_growth.c) */
	bool growth;               /* --growth */
	const char *every;         /* --every DURATION: collect from a URL */
	const char *count;         /* --count N snapshots */
	const char *save_dir;      /* --save-dir DIR (default ./heapflame-snapshots) */
	bool ascii;                /* --ascii sparklines */
} cli_options;

/* An output written to a temporary file and published only on success. */
typedef struct cli_output {
	FILE *fp;
	const char *path;  /* NULL: standard output */
	char *target;      /* path with its symbolic links followed */
	char *tmp_path;    /* beside target, renamed over it when done */
	long long written; /* bytes handed to fp */
	long long reserved;/* the file's blocks reserved up to here (0: none) */
	bool reserve;      /* reserve blocks ahead of the writes (ext4) */
} cli_output;

int cli_output_open(cli_output *out, const char *path);
/* Publishes (rename, or copy to stdout) when ok, else discards. */
int cli_output_close(cli_output *out, bool ok);
/* Writes -o (or stdout) through WRITE, which returns HF_OK or fills ERR:
 * the file appears only if all of it was written. An error is reported
 * for the output when it is an I/O error or SOURCE is NULL, else for
 * SOURCE. Returns an exit status. */
typedef int (*cli_write_fn)(void *ctx, hf_writer *w, hf_error *err);
int cli_write_output(const cli_options *o, const char *source, cli_write_fn write, void *ctx);

/* Prints "heapflame: WHAT: MESSAGE" on stderr. */
void cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a library error for WHAT and returns the exit status for it. */
int cli_fail(const char *what, const hf_error *err);

/*
 * Loads the sources (files, "-", http(s) URLs) into one profile (the
 * caller frees it): several are merged, -base/-diff_base subtracted, the
 * filters applied. Percentages should use hf_profile_total(p, index),
 * which stays the UNFILTERED total as in pprof.
 */
int cli_load_profile(const cli_options *o, hf_profile **out);
/* The same without the warnings: MATCHED says which filter expressions
 * matched something, for a caller loading several profiles one by one. */
int cli_load_profile_matching(const cli_options *o, hf_profile **out, hf_filter_result *matched);
/* Warns, as pprof does, of each filter expression that matched nothing. */
void cli_warn_unmatched(const cli_options *o, const hf_filter_result *matched);
/* Resolves -sample_index against the profile. */
int cli_sample_index(const cli_options *o, const hf_profile *p, size_t *out);
/* Loads the profile and folds its stacks for -sample_index and the
 * granularity; on failure both outputs may still need freeing. One file
 * without a base or filters is folded straight from the file
 * (hf_stacks_fold_file): *profile is then NULL. profile NULL: only the
 * stacks are wanted, and the profile is freed as it is folded
 * (hf_stacks_fold_free). */
int cli_load_stacks(const cli_options *o, hf_profile **profile, hf_stacks **out);

/* -nodecount's count (0: no limit); 0, or -1 after printing an error. */
int cli_parse_nodecount(const char *text, long *out);
/* -nodecount, -nodefraction and -edgefraction, those given, into go:
 * EXIT_OK, or EXIT_USAGE after printing an error. */
int cli_graph_limits(const cli_options *o, hf_graph_options *go);
/* pprof's "Active filters:" legend lines ("focus=RE", in its order) of the
 * filters given, set in go: lines holds them (NULL past the last), for the
 * caller to free, even on failure. EXIT_OK, or EXIT_INPUT (printed). */
#define CLI_FILTER_LINES 5
int cli_active_filters(const cli_options *o, char *lines[CLI_FILTER_LINES], hf_graph_options *go);

/* Option handlers of cmd_sources.c (0, or -1 after printing an error). */
int cli_set_base(cli_options *o, const char *name, const char *value);
int cli_set_negate(cli_options *o, const char *name, const char *value);
int cli_set_filter(cli_options *o, const char *name, const char *value);
int cli_set_countname(cli_options *o, const char *name, const char *value);
int cli_set_seconds(cli_options *o, const char *name, const char *value);
int cli_set_url(cli_options *o, const char *name, const char *value);

/* Flame graph options (cmd_flame.c): defaults, and the handler of their rows. */
void cli_flame_defaults(cli_options *o);
int cli_set_flame(cli_options *o, const char *name, const char *value);

/* Commands: each returns an exit status. */
int cmd_folded(const cli_options *o);
int cmd_list_types(const cli_options *o);
int cmd_flame(const cli_options *o);
int cmd_callgraph(const cli_options *o); /* --callgraph and --dot */
/* Option setters for the graph and report views (cmd_graph.c). */
int cli_set_graph_view(cli_options *o, const char *name, const char *value);
int cli_set_graph_option(cli_options *o, const char *name, const char *value);
int cmd_top(const cli_options *o);
int cmd_traces(const cli_options *o);
int cmd_reports(const cli_options *o); /* --tags and --peek */
int cmd_info(const cli_options *o);
/* --growth: a series of snapshots, or collecting one (--every/--count). */
int cli_set_growth(cli_options *o, const char *name, const char *value);
int cmd_growth(const cli_options *o);
/* URL sources (cmd_sources.c): is this an http(s) URL; fetch its body as
 * the other URL sources are fetched (--timeout, size limit). */
bool cli_is_url(const char *s);
int cli_fetch(const cli_options *o, const char *url, hf_buffer *body, hf_error *err);
/* --list and its source options (cmd_list.c). */
int cli_set_list(cli_options *o, const char *name, const char *value);
int cmd_list(const cli_options *o);
/* The offline HTML report (cmd_html.c): --html, or -o FILE.html. */
int cli_set_html(cli_options *o, const char *name, const char *value);
bool cli_wants_html(const cli_options *o);
int cmd_html(const cli_options *o);

#endif
