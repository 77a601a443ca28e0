/*
 * heapflame.h - turn Go profiles into flame graphs, call graphs and reports.
 *
 * The pipeline mirrors pprof: a profile is parsed into an hf_profile (one
 * arena per profile), folded into hf_stacks for one sample type, and the
 * stacks (or the profile) are drawn by a backend that writes to an
 * hf_writer.
 *
 * Conventions:
 *  - Functions that can fail return 0 (HF_OK) or a negative hf_code and fill
 *    the caller-owned hf_error (which may be NULL) with a one-line message.
 *  - Objects returned through `**out` belong to the caller and have a _free
 *    function that accepts NULL. Getters return borrowed pointers that stay
 *    valid until their parent object is freed.
 *  - The library never prints, exits or aborts.
 *  - Threads: every object is independent and the library keeps no
 *    mutable global state, so any functions may run at once in several
 *    threads as long as no object is changed (a _free, hf_profile_filter,
 *    hf_merger_add) while another thread uses it. Objects that are only
 *    read (profiles, stacks, graphs, flames, themes) may be shared. Two
 *    things are process-wide but safe: built-in themes are parsed once on
 *    first use, and hf_graph_render serialises its calls into Graphviz
 *    (which is not thread-safe) on a lock of its own: do not use Graphviz
 *    elsewhere in the process at the same time.
 */
#ifndef HEAPFLAME_H
#define HEAPFLAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(HEAPFLAME_BUILDING) && defined(__GNUC__)
#define HF_EXTERN __attribute__((visibility("default")))
#else
#define HF_EXTERN
#endif

/* HF_VERSION, from CMake's project(VERSION). */
#include "heapflame_version.h"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum hf_code {
	HF_OK = 0,
	HF_ERROR = -1,        /**< generic failure */
	HF_ENOMEM = -2,       /**< out of memory */
	HF_EIO = -3,          /**< reading or writing failed */
	HF_EFORMAT = -4,      /**< input is not in a format we read */
	HF_ECORRUPT = -5,     /**< decoded, but references are invalid */
	HF_EINVALID = -6,     /**< bad argument or option */
	HF_ENOTFOUND = -7,    /**< no such item (sample type, index) */
	HF_EUNSUPPORTED = -8, /**< feature not compiled in */
	HF_ERENDER = -9,      /**< a rendering library failed */
	HF_ELIMIT = -10       /**< a resource limit was exceeded */
} hf_code;

/** A caller-owned error: the code and a one-line message. */
typedef struct hf_error {
	hf_code code;
	char message[256];
} hf_error;

/** A short constant description of a code. */
HF_EXTERN const char *hf_strerror(hf_code code);
/** The library version, "MAJOR.MINOR.PATCH". */
HF_EXTERN const char *hf_version(void);
/**
 * The optional parts built in, space-separated, each "+name" or "-name":
 * "+cairo" (PNG/PDF flame graphs), "+curl" (http(s) sources), "+graphviz"
 * (drawn call graphs). A missing part's functions fail with HF_EUNSUPPORTED.
 */
HF_EXTERN const char *hf_features(void);

/* ------------------------------------------------------------------ */
/* Writers                                                             */
/* ------------------------------------------------------------------ */

/** Where output goes. write returns 0 on success, non-zero on failure. */
typedef struct hf_writer {
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
} hf_writer;

/** A growable memory buffer; release its data with hf_buffer_dispose. */
typedef struct hf_buffer {
	char *data;
	size_t len;
	size_t cap;
} hf_buffer;

/** A writer appending to an open stdio stream (not closed by us). */
HF_EXTERN hf_writer hf_writer_file(FILE *fp);
/** A writer appending to `buf`, which must start zeroed. */
HF_EXTERN hf_writer hf_writer_buffer(hf_buffer *buf);
/** Frees the buffer's data and zeroes it. */
HF_EXTERN void hf_buffer_dispose(hf_buffer *buf);

/* ------------------------------------------------------------------ */
/* Profiles                                                            */
/* ------------------------------------------------------------------ */

typedef struct hf_profile hf_profile;

/** Limits that protect against hostile input. 0 means the default. */
typedef struct hf_parse_options {
	size_t max_decompressed; /**< bytes after gunzip (default 2 GiB) */
	size_t max_depth;        /**< frames in one stack (default 65536) */
	size_t max_name;         /**< bytes in one string (default 1 MiB) */
	/** Collapsed-stack input ("a;b;c 123"): what the counts are, used as
	 * the sample type and unit (e.g. "bytes"); NULL: samples/count. */
	const char *count_name;
} hf_parse_options;

#define HF_PARSE_OPTIONS_INIT \
	{.max_decompressed = 0, .max_depth = 0, .max_name = 0, .count_name = NULL}

/**
 * Parses a profile from memory, gzipped or plain: profile.proto, a legacy
 * text heap profile ("heap profile: ...", as Go's /debug/pprof/heap?debug=1
 * writes it), or collapsed stacks ("a;b;c 123", see count_name).
 * @param[out] out  the profile, owned by the caller (hf_profile_free)
 * @param name      names the input in error messages (e.g. the file name)
 */
HF_EXTERN int hf_profile_parse(hf_profile **out, const void *data, size_t len,
	const char *name, const hf_parse_options *opts, hf_error *err);

/** Reads and parses a file; "-" reads standard input. */
HF_EXTERN int hf_profile_parse_file(hf_profile **out, const char *path,
	const hf_parse_options *opts, hf_error *err);

HF_EXTERN void hf_profile_free(hf_profile *profile);

/** Number of sample types (values per sample). */
HF_EXTERN size_t hf_profile_sample_type_count(const hf_profile *profile);

/**
 * The type and unit of sample type `index`, borrowed from the profile.
 * @return HF_OK, or HF_ENOTFOUND past the end
 */
HF_EXTERN int hf_profile_sample_type(const hf_profile *profile, size_t index,
	const char **type, const char **unit);

/** pprof's default: default_sample_type if set, else the last type. */
HF_EXTERN size_t hf_profile_default_sample_index(const hf_profile *profile);

/**
 * Finds a sample type by name or number as pprof's -sample_index does
 * ("inuse_" may be dropped to match "space"/"objects" types). NULL or ""
 * gives the default. An unknown name is HF_ENOTFOUND with a message that
 * lists the profile's types.
 */
HF_EXTERN int hf_profile_sample_index(const hf_profile *profile,
	const char *name, size_t *out, hf_error *err);

/** The name the profile was parsed under (file name, "-", URL). */
HF_EXTERN const char *hf_profile_source(const hf_profile *profile);

/* ------------------------------------------------------------------ */
/* Several sources: merging, base profiles, totals                     */
/* ------------------------------------------------------------------ */

/**
 * Merges profiles with the same sample types (type and unit, in order)
 * into one, as pprof's Merge: equal functions, locations and samples
 * (same locations and labels) become one and their values are summed;
 * the earliest time, the summed duration and the largest period are
 * kept. Different sample types are HF_EINVALID.
 * @param[out] out  the merged profile, owned by the caller; the inputs
 *                  are not changed and may be freed afterwards
 */
HF_EXTERN int hf_profile_merge(hf_profile **out, hf_profile *const *profiles,
	size_t n, hf_error *err);

/**
 * Subtracts `base` from `profile`: pprof's -base (diff_base false: the
 * base is negated and merged, so values become after - before) or
 * -diff_base (diff_base true: the same, but the base's samples are kept
 * apart with the label pprof::base=true and percentages are of the base).
 * The result also remembers each sample's "before" part: folding it
 * (hf_stacks_fold) gives differential stacks (hf_stacks_has_base) whose
 * value is "after" and whose base is "before".
 * @param[out] out  the difference, owned by the caller
 */
HF_EXTERN int hf_profile_subtract(hf_profile **out, const hf_profile *profile,
	const hf_profile *base, bool diff_base, hf_error *err);

/**
 * An incremental merge, for many profiles: each is added (and may be
 * freed) in turn, so memory holds the merge so far plus one profile
 * rather than all of them. Adding profiles p1..pn then finishing gives
 * what hf_profile_merge of p1..pn gives. A profile whose types do not fit
 * the first is refused (HF_EINVALID) and the merge goes on without it;
 * after any other error, only hf_merger_free is useful.
 */
typedef struct hf_merger hf_merger;
/** @param[out] out  an empty merge, owned by the caller (hf_merger_free) */
HF_EXTERN int hf_merger_new(hf_merger **out, hf_error *err);
/** Adds a profile's samples; `profile` is not kept. */
HF_EXTERN int hf_merger_add(hf_merger *merger, const hf_profile *profile,
	hf_error *err);
/**
 * Subtracts a base from what was added (hf_profile_subtract's `base` and
 * `diff_base`), after the profile it applies to; `base` is not kept.
 * Adding a profile P, subtracting B and finishing gives what
 * hf_profile_subtract(P, B) gives, with P freed before B is read.
 */
HF_EXTERN int hf_merger_subtract(hf_merger *merger, const hf_profile *base, bool diff_base,
	hf_error *err);
/**
 * hf_merger_add and hf_merger_subtract, then free the profile (on error
 * too). What is read of it goes as soon as it is (its locations once
 * mapped into the merge, its samples' location indexes as they are
 * added), so the merge grows while the profile shrinks: for a caller that
 * needs nothing more of it (-base's peak).
 */
HF_EXTERN int hf_merger_add_free(hf_merger *merger, hf_profile *profile, hf_error *err);
HF_EXTERN int hf_merger_subtract_free(hf_merger *merger, hf_profile *base, bool diff_base,
	hf_error *err);
/**
 * @param[out] out  the merged profile, owned by the caller; the merger is
 *                  then empty and only fit for hf_merger_free
 */
HF_EXTERN int hf_merger_finish(hf_merger *merger, hf_profile **out,
	hf_error *err);
HF_EXTERN void hf_merger_free(hf_merger *merger);

/** Whether the profile carries a base (-base, -diff_base, or two-column
 * collapsed input), so its stacks fold into before/after columns. */
HF_EXTERN bool hf_profile_has_base(const hf_profile *profile);

/**
 * pprof's percentage base for sample type `index`: the sum of |value|
 * over samples (with -diff_base, over the base's samples only), computed
 * BEFORE any hf_profile_filter, as pprof reports percentages of the
 * unfiltered total. Pass it to reports as their total. A sum beyond
 * 64 bits is INT64_MAX.
 */
HF_EXTERN int64_t hf_profile_total(const hf_profile *profile, size_t index);

/** The "# runtime.MemStats" block of a legacy heap profile: entry `i`'s
 * key and value (borrowed). @return HF_OK or HF_ENOTFOUND past the end */
HF_EXTERN int hf_profile_memstat(const hf_profile *profile, size_t i,
	const char **key, const char **value);

/** Number of samples (after merging and filtering). */
HF_EXTERN size_t hf_profile_sample_count(const hf_profile *profile);

/** When the profile was taken and for how long (0 if unknown), and its
 * sampling period with the period's type and unit (borrowed). */
HF_EXTERN void hf_profile_time(const hf_profile *profile, int64_t *time_nanos,
	int64_t *duration_nanos);
HF_EXTERN int64_t hf_profile_period(const hf_profile *profile, const char **type,
	const char **unit);

/* ------------------------------------------------------------------ */
/* Filters (pprof's -focus -ignore -hide -show -show_from -prune_from)  */
/* ------------------------------------------------------------------ */

/**
 * Regular expressions (POSIX extended, unanchored) matched, as pprof,
 * against a frame's function name, its file name, or its mapping's
 * object file (prune_from: the function name only). NULL or "": unused.
 */
typedef struct hf_filter_options {
	const char *focus;      /**< keep samples with a matching frame */
	const char *ignore;     /**< drop samples with a matching frame */
	const char *hide;       /**< remove matching frames */
	const char *show;       /**< keep only matching frames */
	const char *show_from;  /**< drop frames above the highest match */
	const char *prune_from; /**< drop frames below the lowest match */
} hf_filter_options;

#define HF_FILTER_OPTIONS_INIT {.focus = NULL, .ignore = NULL, .hide = NULL, \
	.show = NULL, .show_from = NULL, .prune_from = NULL}

/** Which expressions matched something (pprof warns about the others). */
typedef struct hf_filter_result {
	bool focus, ignore, hide, show, show_from, prune_from;
} hf_filter_result;

/**
 * Filters the profile in place, in pprof's order (focus/ignore/hide/show,
 * then show_from, then prune_from). hf_profile_total keeps answering the
 * unfiltered totals. A bad expression is HF_EINVALID naming the option.
 * @param[out] matched  may be NULL
 */
HF_EXTERN int hf_profile_filter(hf_profile *profile, const hf_filter_options *opts,
	hf_filter_result *matched, hf_error *err);

/* ------------------------------------------------------------------ */
/* Fetching profiles over HTTP(S) (libcurl)                            */
/* ------------------------------------------------------------------ */

typedef struct hf_fetch_options {
	long seconds;          /**< > 0: add ?seconds=N (CPU, delta profiles) */
	long timeout;          /**< seconds; 0: 60, or seconds + max(seconds/2, 15) */
	size_t max_size;       /**< bytes in the answer; 0: 512 MiB */
	/** Called about once a second while waiting (may be NULL). */
	void (*progress)(void *ctx, double elapsed, long seconds);
	void *progress_ctx;
} hf_fetch_options;

#define HF_FETCH_OPTIONS_INIT {.seconds = 0, .timeout = 0, .max_size = 0, \
	.progress = NULL, .progress_ctx = NULL}

/**
 * GETs `url` (http, https, or pprof's https+insecure: https without
 * certificate checks) into `out` (which must start zeroed; release
 * with hf_buffer_dispose). Errors: HF_EIO for a failed connection or a
 * non-200 answer (the message quotes the body's first line), HF_ELIMIT
 * past max_size, HF_EUNSUPPORTED for other schemes.
 */
HF_EXTERN int hf_fetch(hf_buffer *out, const char *url,
	const hf_fetch_options *opts, hf_error *err);

/**
 * The URL pprof would fetch: `url` with "seconds=N" added to its query
 * when seconds > 0. @return a string owned by the caller, to free with
 * hf_string_free, or NULL when out of memory
 */
HF_EXTERN char *hf_fetch_url(const char *url, long seconds);
HF_EXTERN void hf_string_free(char *s);

/* ------------------------------------------------------------------ */
/* Stacks: the folded model                                            */
/* ------------------------------------------------------------------ */

typedef struct hf_stacks hf_stacks;

/**
 * What one node (call graph, reports) or frame (folded stacks, flame
 * graphs) stands for: pprof's -functions, -lines, -filefunctions, -files
 * and -addresses. docs/reports.md has the names each view gives them.
 */
typedef enum hf_granularity {
	HF_GRANULARITY_FUNCTIONS = 0, /**< a frame per function (default) */
	HF_GRANULARITY_LINES = 1,     /**< a frame per "function:line" */
	HF_GRANULARITY_FILEFUNCTIONS = 2, /**< per function, named with its file */
	HF_GRANULARITY_FILES = 3,     /**< per source file */
	HF_GRANULARITY_ADDRESSES = 4  /**< per instruction address (and line) */
} hf_granularity;

typedef struct hf_fold_options {
	long sample_index;          /**< -1: the profile's default */
	hf_granularity granularity;
} hf_fold_options;

#define HF_FOLD_OPTIONS_INIT {.sample_index = -1, .granularity = HF_GRANULARITY_FUNCTIONS}

/**
 * Frame references in a stack are frame ids, with this bit set when the
 * frame was inlined into the frame before it (its caller).
 */
#define HF_FRAME_INLINED 0x80000000u
#define HF_FRAME_ID(ref) ((ref) & ~HF_FRAME_INLINED)

/**
 * Folds one sample type of a profile into distinct stacks. Frames are
 * interned in the stacks' own table, so the stacks outlive the profile.
 * @param[out] out  the stacks, owned by the caller (hf_stacks_free)
 */
HF_EXTERN int hf_stacks_fold(hf_stacks **out, const hf_profile *profile,
	const hf_fold_options *opts, hf_error *err);
/**
 * hf_stacks_fold, then frees the profile (on error too). A merge's or a
 * difference's samples (hf_merger_finish, hf_profile_subtract) are freed as
 * they are folded, so the profile and the stacks are not held whole at
 * once: for a caller that needs only the stacks.
 */
HF_EXTERN int hf_stacks_fold_free(hf_stacks **out, hf_profile *profile,
	const hf_fold_options *opts, hf_error *err);

/**
 * Reads a profile file ("-": standard input) and folds one sample type:
 * the same stacks and the same errors as hf_profile_parse_file,
 * hf_profile_sample_index and hf_stacks_fold in turn, in less memory: a
 * protobuf profile's samples are folded straight from the inflated wire
 * data, never decoded into a profile (Go writes them before the locations
 * they name, so the wire data is their compact form until then).
 * @param sample_index  a sample type's name or index, as
 *                      hf_profile_sample_index takes it (NULL: the default)
 * @param opts          granularity; its sample_index is not used
 * @param[out] out      the stacks, owned by the caller (hf_stacks_free)
 */
HF_EXTERN int hf_stacks_fold_file(hf_stacks **out, const char *path,
	const hf_parse_options *parse, const char *sample_index,
	const hf_fold_options *opts, hf_error *err);
/** The same from memory, as hf_profile_parse (`name` names the input). */
HF_EXTERN int hf_stacks_fold_data(hf_stacks **out, const void *data, size_t len,
	const char *name, const hf_parse_options *parse, const char *sample_index,
	const hf_fold_options *opts, hf_error *err);

HF_EXTERN void hf_stacks_free(hf_stacks *stacks);

/**
 * Writes the collapsed form, "root;...;leaf VALUE\n" per distinct stack,
 * sorted by stack in byte order, stacks summing to 0 left out. Differential
 * stacks are written "STACK BEFORE AFTER" (FlameGraph's difffolded form).
 */
HF_EXTERN int hf_stacks_write_collapsed(const hf_stacks *stacks,
	hf_writer *writer, hf_error *err);

/*
 * The stacks' accessors below take NULL stacks as empty ones: 0, false or
 * NULL (as hf_graph_node_count and hf_flame_frame_count take NULL).
 */
/** Number of distinct stacks (distinct frame and inline sequences). */
HF_EXTERN size_t hf_stacks_count(const hf_stacks *stacks);
/** Number of distinct frame names. */
HF_EXTERN size_t hf_stacks_frame_count(const hf_stacks *stacks);
/** Name of frame `id` (NUL-terminated; `len` may be NULL). */
HF_EXTERN const char *hf_stacks_frame_name(const hf_stacks *stacks,
	uint32_t id, size_t *len);
/**
 * Stack `i`: its frame references, root first (see HF_FRAME_INLINED), and
 * its value. @return the number of frames
 */
HF_EXTERN size_t hf_stacks_get(const hf_stacks *stacks, size_t i,
	const uint32_t **frames, int64_t *value);
/** Sum of all stack values. */
HF_EXTERN int64_t hf_stacks_total(const hf_stacks *stacks);
/**
 * Differential stacks (made against a base profile) carry a second value
 * per stack, the base ("before"); hf_stacks_get's value is "after".
 */
HF_EXTERN bool hf_stacks_has_base(const hf_stacks *stacks);
HF_EXTERN int64_t hf_stacks_base(const hf_stacks *stacks, size_t i);
HF_EXTERN int64_t hf_stacks_base_total(const hf_stacks *stacks);
/**
 * Folds `after` and `before` (two profiles) into differential stacks:
 * the value of a stack is its "after" value, its base the "before" one,
 * like FlameGraph's difffolded.pl. Profiles made by hf_profile_subtract
 * need no second profile (and are refused here): hf_stacks_fold already
 * gives both columns.
 * @param[out] out  the stacks, owned by the caller (hf_stacks_free)
 */
HF_EXTERN int hf_stacks_fold_diff(hf_stacks **out, const hf_profile *after,
	const hf_profile *before, const hf_fold_options *opts, hf_error *err);
/** The sample type and unit the stacks were folded for. */
HF_EXTERN const char *hf_stacks_sample_type(const hf_stacks *stacks);
HF_EXTERN const char *hf_stacks_sample_unit(const hf_stacks *stacks);

/* ------------------------------------------------------------------ */
/* Call graphs and reports                                             */
/* ------------------------------------------------------------------ */

/**
 * pprof's call graph of a profile: a node per function (or source line)
 * with flat and cum values, caller -> callee edges, trimmed as pprof trims
 * it. Independent of the profile once built.
 */
typedef struct hf_graph hf_graph;

typedef struct hf_graph_options {
	long sample_index;          /**< -1: the profile's default */
	hf_granularity granularity;
	long nodecount;             /**< max nodes; 0 no limit; -1 pprof's default
	                                 (80 for graphs, no limit for --top) */
	double nodefraction;        /**< drop nodes with cum below total*this */
	double edgefraction;        /**< drop edges with weight below total*this */
	bool cum;                   /**< --top: sort by cum instead of flat */
	int64_t total;              /**< percentage base; 0: computed from the
	                                 profile (filters pass the unfiltered total) */
	const char *const *active_filters; /**< legend lines after "Active filters:" */
	size_t nactive_filters;
} hf_graph_options;

#define HF_GRAPH_OPTIONS_INIT {.sample_index = -1, .granularity = HF_GRANULARITY_FUNCTIONS, \
	.nodecount = -1, .nodefraction = 0.005, .edgefraction = 0.001, .cum = false, .total = 0, \
	.active_filters = NULL, .nactive_filters = 0}

/**
 * Builds the call graph for one sample type as `go tool pprof -dot` does.
 * An empty profile (no non-zero samples) is HF_ENOTFOUND.
 * @param[out] out  the graph, owned by the caller (hf_graph_free)
 */
HF_EXTERN int hf_graph_build(hf_graph **out, const hf_profile *profile,
	const hf_graph_options *opts, hf_error *err);

/** Writes the graph as DOT text, the same as `go tool pprof -dot`. */
HF_EXTERN int hf_graph_write_dot(const hf_graph *graph, hf_writer *writer, hf_error *err);

/**
 * Lays the graph out and renders it in-process with Graphviz (no `dot`
 * program needed). `format` is "svg" (with pan and zoom), "png" or "pdf".
 * Graphviz's own messages come back in err. Graphviz keeps its error
 * hook and layout state in globals, so renders from several threads are
 * serialised on a lock (see the top of this file); the DOT text is not.
 */
HF_EXTERN int hf_graph_render(const hf_graph *graph, const char *format, hf_writer *writer,
	hf_error *err);

HF_EXTERN void hf_graph_free(hf_graph *graph);

/** Number of nodes kept in the graph. */
HF_EXTERN size_t hf_graph_node_count(const hf_graph *graph);

/** pprof's -top table (flat, flat%, sum%, cum, cum%, name). */
HF_EXTERN int hf_report_write_top(const hf_profile *profile, const hf_graph_options *opts,
	hf_writer *writer, hf_error *err);
/**
 * hf_report_write_top, then frees the profile (on error too): its
 * locations go as soon as the table's nodes are found from them, the rest
 * before the table is written, so the profile is not held whole beside
 * the graph: for a caller that needs nothing more of the profile.
 */
HF_EXTERN int hf_report_write_top_free(hf_profile *profile, const hf_graph_options *opts,
	hf_writer *writer, hf_error *err);

/** pprof's -traces listing: every sample's stack, leaf first. */
HF_EXTERN int hf_report_write_traces(const hf_profile *profile, const hf_graph_options *opts,
	hf_writer *writer, hf_error *err);

/* ------------------------------------------------------------------ */
/* Context reports: peek and tags                                      */
/* ------------------------------------------------------------------ */

/**
 * pprof's -tags: for every label key (in name order) the total of the
 * samples carrying it and each value's share, largest first; numeric
 * labels are shown in their unit (for a Go heap profile, the "bytes"
 * label is the allocation-size histogram). Only opts->sample_index is
 * used (NULL: the default type). A profile without labels writes nothing,
 * as pprof. Labels pass through filters with their samples; with -base
 * the values are signed differences.
 */
HF_EXTERN int hf_report_write_tags(const hf_profile *profile, const hf_graph_options *opts,
	hf_writer *writer, hf_error *err);

/**
 * pprof's -peek: the -top legend, then for every function (node, at
 * opts->granularity) whose name matches `regex` (POSIX extended,
 * unanchored, like the filters), in --top order: its callers, itself
 * with flat, flat%, sum%, cum and cum%, and its callees, each caller and
 * callee with the weight of the call and its share of the node's cum,
 * " (inline)" for inlined calls. As in pprof the graph is never trimmed
 * (nodecount and the fractions in opts are ignored); opts->cum orders the
 * functions by cum. No matching function is HF_ENOTFOUND ("no matches
 * found for regexp: RE") with nothing written; a bad expression is
 * HF_EINVALID.
 */
HF_EXTERN int hf_report_write_peek(const hf_profile *profile, const hf_graph_options *opts,
	const char *regex, hf_writer *writer, hf_error *err);

/* ------------------------------------------------------------------ */
/* Series: what keeps growing across many snapshots (leak hunting)     */
/* ------------------------------------------------------------------ */

/**
 * A series of snapshots of one program (heap profiles taken every so
 * often): per function, its flat and cum value of one sample type at each
 * snapshot, the change first -> last, the least-squares rate, how many
 * intervals it grew in, and a trend; functions are ranked with steady
 * growth first (the rule is in docs/growth.md and at hf_series_trend).
 * Each profile is folded to per-function values when added and not kept,
 * so memory holds the values, not the profiles.
 */
typedef struct hf_series hf_series;

typedef struct hf_series_options {
	/** The sample type (as -sample_index: name or number); NULL or "":
	 * inuse_space when the profiles have it, else their default. */
	const char *sample_type;
	hf_granularity granularity;
	/** Keep the stacks of the first and last snapshot, for
	 * hf_series_write_html's differential flame graph. */
	bool keep_stacks;
} hf_series_options;

#define HF_SERIES_OPTIONS_INIT {.sample_type = NULL, .granularity = HF_GRANULARITY_FUNCTIONS, \
	.keep_stacks = false}

/**
 * How a function's values moved over the series, best (for a leak hunt)
 * first. With n = snapshots - 1 intervals, d_i the change in interval i,
 * change = last - first, "early" and "late" rates the change per interval
 * over the first half (snapshots 0..m, m = n/2 rounded down) and over the
 * rest (m..n), and monotonicity = change / sum |d_i|:
 *  - STEADY: n >= 2, change > 0, grew in at least 80% of the intervals
 *    (rounded up), and late >= early / 2 (still growing at the end);
 *  - GROWING: change > 0, monotonicity >= 0.5, late >= early / 2, grew
 *    in at least half of the intervals (rounded up);
 *  - LEVELLING: change > 0, monotonicity >= 0.5, late < early / 2 (grew,
 *    then levelled off: a cache warming up);
 *  - STEP: change > 0, monotonicity >= 0.5, late >= early / 2, but grew
 *    in fewer than half of the intervals (a jump or two: too few to tell);
 *  - NOISY: change > 0 with monotonicity < 0.5, or change == 0 with
 *    some movement (up and down);
 *  - FLAT: the same value throughout;
 *  - SHRINKING: change < 0.
 * With n = 1 there is no early/late: a growth is GROWING.
 * Rankings list the trends in this order.
 */
typedef enum hf_series_trend {
	HF_TREND_STEADY = 0,
	HF_TREND_GROWING = 1,
	HF_TREND_LEVELLING = 2,
	HF_TREND_STEP = 3,
	HF_TREND_NOISY = 4,
	HF_TREND_FLAT = 5,
	HF_TREND_SHRINKING = 6
} hf_series_trend;

/** A short constant name: "steady", "growing", "levelling", "step",
 * "noisy", "flat", "shrinking". */
HF_EXTERN const char *hf_series_trend_name(hf_series_trend trend);

typedef struct hf_series_stats {
	int64_t first, last, change; /**< change = last - first */
	double rate;      /**< least-squares slope: per minute when every
			       snapshot has a time, else per snapshot */
	size_t grew, fell;/**< intervals in which the value rose / fell */
	double monotonicity; /**< change / sum of |interval changes| (0 if none) */
	hf_series_trend trend;
} hf_series_stats;

/** @param[out] out an empty series, owned by the caller (hf_series_free) */
HF_EXTERN int hf_series_new(hf_series **out, const hf_series_options *opts, hf_error *err);

/**
 * Adds a snapshot. `time_nanos` (0: the profile's own time_nanos) orders
 * it. The profile is not kept. A profile of another program (a different
 * main mapping file) or with other sample types than the first is
 * HF_EINVALID; the message does not name the profile (callers do).
 */
HF_EXTERN int hf_series_add(hf_series *series, const hf_profile *profile,
	int64_t time_nanos, hf_error *err);

/**
 * Orders the snapshots (by time when every one has a time, else in the
 * order added), computes the statistics and the rankings. Needs at least
 * two snapshots (HF_EINVALID). After it, no more adds.
 */
HF_EXTERN int hf_series_finish(hf_series *series, hf_error *err);
HF_EXTERN void hf_series_free(hf_series *series);

/** Snapshots, in series order after hf_series_finish. */
HF_EXTERN size_t hf_series_snapshot_count(const hf_series *series);
/** Snapshot `i`'s source name (borrowed), time (0 unknown) and total. */
HF_EXTERN int hf_series_snapshot(const hf_series *series, size_t i, const char **source,
	int64_t *time_nanos, int64_t *total, hf_error *err);
/**
 * A legacy text snapshot's runtime.MemStats value: key is one of
 * HeapAlloc, HeapInuse, HeapObjects, Sys, NumGC. @return HF_OK, or
 * HF_ENOTFOUND when the snapshot has no such line
 */
HF_EXTERN int hf_series_memstat(const hf_series *series, size_t i, const char *key,
	int64_t *value);
/** The sample type and unit of the series (borrowed). */
HF_EXTERN const char *hf_series_sample_type(const hf_series *series);
HF_EXTERN const char *hf_series_sample_unit(const hf_series *series);
/** Functions ranked by flat (or cum): those whose flat (cum) value is
 * not 0 in some snapshot. */
HF_EXTERN size_t hf_series_ranked_count(const hf_series *series, bool cum);

/**
 * The function ranked `rank` (0 = first, below hf_series_ranked_count) by flat or cum: its name and
 * values (one per snapshot, borrowed) and statistics. Ranking: by trend
 * (hf_series_trend order), then by rate (highest first), then change,
 * then name. @return HF_OK, or HF_ENOTFOUND past the end
 */
HF_EXTERN int hf_series_ranked(const hf_series *series, size_t rank, bool cum,
	const char **name, const int64_t **values, hf_series_stats *stats);

typedef struct hf_series_report_options {
	bool cum;       /**< rank by cum instead of flat */
	long nodecount; /**< functions shown; <= 0: all */
	bool ascii;     /**< ASCII sparklines instead of Unicode blocks */
} hf_series_report_options;

#define HF_SERIES_REPORT_OPTIONS_INIT {.cum = false, .nodecount = 0, .ascii = false}

/** The growth report as text: a header, the caveat for heap profiles,
 * the total and ranked functions in fixed columns with a sparkline, and
 * a table of MemStats when the snapshots carry them. */
HF_EXTERN int hf_series_write_text(const hf_series *series,
	const hf_series_report_options *opts, hf_writer *writer, hf_error *err);

/**
 * The growth report as one self-contained HTML page (no network access:
 * inline script and style under a default-src 'none' policy): a chart of
 * the total and the top growers, the ranking, the MemStats chart when
 * present, and a differential flame graph of the last snapshot against
 * the first (the series must have kept its stacks) with the top growers
 * outlined.
 */
HF_EXTERN int hf_series_write_html(const hf_series *series,
	const hf_series_report_options *opts, hf_writer *writer, hf_error *err);

/**
 * The file name pprof-style tools give a saved profile:
 * "pprof.PROGRAM.TYPE1.TYPE2....TIMESTAMP.NNN.EXT" (PROGRAM: the main
 * mapping's base name, left out when unknown; TIMESTAMP: UTC
 * YYYYMMDDhhmmss of `time_nanos`; NNN: `seq`, at least 3 digits), with
 * characters other than letters, digits, '-' and '_' in names made '_'.
 * @return a string to free with hf_string_free, or NULL when out of memory
 */
HF_EXTERN char *hf_series_snapshot_name(const hf_profile *profile, int64_t time_nanos,
	unsigned seq, const char *ext);

/* ------------------------------------------------------------------ */
/* Flame graphs                                                        */
/* ------------------------------------------------------------------ */

/**
 * A colour theme: a palette (flamegraph.pl's formulas or a colour list),
 * name rules, background and UI colours. Built-in themes are compiled in
 * from themes/NAME.theme; hf_theme_load reads the same format from a file.
 */
typedef struct hf_theme hf_theme;

/**
 * A built-in theme by name (hf_theme_builtin_names lists them: "hot",
 * "mem", "io", "java", "colorblind", "dark", ...).
 * @param[out] out  the theme, parsed on first use and kept until exit:
 *                  never free it
 * @return HF_OK, HF_ENOTFOUND when there is no such theme, or HF_ENOMEM
 */
HF_EXTERN int hf_theme_builtin(const hf_theme **out, const char *name, hf_error *err);
/** NULL-terminated list of the built-in theme names (static). */
HF_EXTERN const char *const *hf_theme_builtin_names(void);
/**
 * Reads a theme file. @param[out] out the theme, owned by the caller
 * (hf_theme_free). Error messages ("line 3: unknown key in [flame]") do
 * not name the file: the caller does, as for profiles.
 */
HF_EXTERN int hf_theme_load(hf_theme **out, const char *path, hf_error *err);
/** Parses theme text from memory; `name` becomes the theme's name. */
HF_EXTERN int hf_theme_parse(hf_theme **out, const char *text, size_t len,
	const char *name, hf_error *err);
HF_EXTERN void hf_theme_free(hf_theme *theme);
/**
 * The colour (0xRRGGBB) a theme gives a frame name, as flamegraph.pl
 * computes it: seeded by the sum of the name's code points, or with
 * `hash`, by flamegraph.pl's --hash name hash.
 */
HF_EXTERN uint32_t hf_theme_color(const hf_theme *theme, const char *name,
	size_t len, bool hash);

typedef enum hf_flame_sort {
	HF_FLAME_SORT_NAME = 0,  /**< siblings in byte order of their names */
	HF_FLAME_SORT_WEIGHT = 1 /**< heaviest sibling first */
} hf_flame_sort;

typedef enum hf_flame_format {
	HF_FLAME_SVG = 0,
	HF_FLAME_PNG = 1,
	HF_FLAME_PDF = 2
} hf_flame_format;

/** A label font measured ahead of the render (hf_flame_fonts_start). */
typedef struct hf_flame_fonts hf_flame_fonts;

/** Flame graph options; the defaults are flamegraph.pl's. */
typedef struct hf_flame_options {
	bool inverted;        /**< icicle graph: root on top */
	bool reverse;         /**< merge stacks from the leaf (callers above) */
	hf_flame_sort sort;
	double minwidth;      /**< frames narrower are left out (px, 0.1) */
	bool minwidth_percent;/**< minwidth is a percentage of the total */
	size_t max_frames;    /**< most frames drawn (0: 40000); the
				   narrowest beyond it are left out */
	int width;            /**< image width in px (1200) */
	int frame_height;     /**< px per frame (16) */
	const char *title;    /**< NULL: "Flame Graph" / "Icicle Graph" */
	const char *subtitle; /**< NULL: none */
	const char *font_type;/**< "Verdana" */
	double font_size;     /**< px (12) */
	double font_width;    /**< 0: fit labels with real font metrics;
				   else flamegraph.pl's fixed glyph width */
	const char *count_name; /**< NULL: from the sample type and unit */
	const char *name_type;  /**< "Function:" */
	const char *notes;      /**< an XML comment in the SVG */
	const char *bgcolors;   /**< yellow, blue, green, grey or #rrggbb */
	const char *palette;    /**< built-in theme name; NULL: mem for heap
				     sample types, hot otherwise */
	const hf_theme *theme;  /**< overrides palette; borrowed */
	bool hash;              /**< flamegraph.pl --hash colours */
	bool negate;            /**< differential: swap red and blue */
	const char *palette_map;/**< flamegraph.pl --cp file: colours read
				     from it first (see hf_flame_save_palette) */
	const char *id_prefix;  /**< SVG id prefix; NULL: derived from the data */
	uint64_t random_seed;   /**< flamegraph.pl --random: each frame its own
				     random colour, drawn from this seed (0: off) */
	hf_flame_fonts *fonts;  /**< the label font measured ahead
				     (hf_flame_fonts_start); NULL: each render
				     measures its own. Borrowed */
} hf_flame_options;

/* The defaults as the fields document them; every other field is 0/NULL. */
#define HF_FLAME_OPTIONS_INIT {.sort = HF_FLAME_SORT_NAME, .minwidth = 0.1, .width = 1200, \
	.frame_height = 16, .font_type = "Verdana", .font_size = 12.0, .name_type = "Function:"}

typedef struct hf_flame hf_flame;

/**
 * Merges stacks into a tree (siblings merged by frame name), prunes frames
 * narrower than minwidth and places every frame.
 * @param[out] out  the layout, owned by the caller (hf_flame_free); it
 *                  borrows frame names from `stacks`, which must outlive it
 */
HF_EXTERN int hf_flame_layout(hf_flame **out, const hf_stacks *stacks,
	const hf_flame_options *opts, hf_error *err);
/** Writes the interactive SVG. */
HF_EXTERN int hf_flame_write_svg(const hf_flame *flame, hf_writer *writer,
	hf_error *err);
/**
 * Draws the same layout as PNG or PDF through cairo (HF_EUNSUPPORTED when
 * built without cairo). HF_FLAME_SVG writes the SVG.
 */
HF_EXTERN int hf_flame_render(const hf_flame *flame, hf_flame_format format,
	hf_writer *writer, hf_error *err);
/**
 * Starts measuring the label font of `opts` (font_type, font_size,
 * font_width; NULL: the defaults) for a later render: opening pango and fontconfig and
 * measuring the glyphs takes tens of milliseconds, which hf_flame_render
 * (SVG, PNG, PDF) otherwise spends before it draws. When more than one
 * CPU is available to the process and real metrics are wanted
 * (font_width 0, built with cairo), it runs on a second thread, so it
 * overlaps reading and folding the profile; otherwise nothing is done and
 * the render measures as it would without. Set hf_flame_options.fonts to
 * it for the layout; the output is byte for byte the same. A problem
 * (pango missing) is not reported here: the render meets it as it would
 * without.
 * @param[out] out owned by the caller (hf_flame_fonts_free), which must
 *                 outlive every layout given it; one render uses it at a
 *                 time (it keeps the widths measured as it goes). A
 *                 render whose options name another font measures its own.
 * @return HF_OK, or HF_ENOMEM (*out NULL)
 */
HF_EXTERN int hf_flame_fonts_start(hf_flame_fonts **out, const hf_flame_options *opts,
	hf_error *err);
/** Waits for the measuring, if it still runs, and frees. NULL is ignored. */
HF_EXTERN void hf_flame_fonts_free(hf_flame_fonts *fonts);
/** Writes the --cp palette map back (names sorted), if one was given. */
HF_EXTERN int hf_flame_save_palette(const hf_flame *flame, hf_error *err);
/** Frames drawn, and frames left out (narrower than minwidth). */
HF_EXTERN size_t hf_flame_frame_count(const hf_flame *flame);
HF_EXTERN size_t hf_flame_omitted_count(const hf_flame *flame);
HF_EXTERN void hf_flame_free(hf_flame *flame);

/* ------------------------------------------------------------------ */
/* Source listings (pprof's -list) and finding source files            */
/* ------------------------------------------------------------------ */

/**
 * Where source files named in a profile are looked for. First pprof's own
 * rules: the path with -trim_path prefixes removed (without any, pprof's
 * heuristic: the base name of a source_path directory found in the path
 * ends the part removed), then, if still absolute, that path alone, else
 * under each source_path directory and each of its parents. Then, unless
 * pprof_only: the path as recorded if absolute; standard-library files
 * under $GOROOT/src; module files ("github.com/x/y@v1.2.3/z.go") under the
 * module cache (with its "!b" escaping of upper case); vendor/ directories
 * (under source_path entries or the working directory, or a parent); the
 * working directory and its parents. A directory is never a source file.
 */
typedef struct hf_source_options {
	const char *source_path; /**< ':'-separated directories; NULL or "": the
				      working directory (as pprof) */
	const char *trim_path;   /**< ':'-separated prefixes to remove */
	const char *goroot;      /**< NULL: $GOROOT, else `go env GOROOT` when a
				      go is on PATH; "": never look there */
	const char *modcache;    /**< NULL: $GOMODCACHE, else $GOPATH's first
				      entry + /pkg/mod, else ~/go/pkg/mod; "": never */
	bool pprof_only;         /**< look only where pprof looks */
} hf_source_options;

#define HF_SOURCE_OPTIONS_INIT {.source_path = NULL, .trim_path = NULL, .goroot = NULL, \
	.modcache = NULL, .pprof_only = false}

/**
 * Finds the source file a profile names (`file` as recorded).
 * @param[out] out  the path to read, to free with hf_string_free
 * @return HF_OK, HF_ENOTFOUND (the message is pprof's: "could not find
 *         file F on path P", or "open F: ..." for an absolute F)
 */
HF_EXTERN int hf_source_find(char **out, const char *file, const hf_source_options *opts,
	hf_error *err);

typedef struct hf_list_options {
	long sample_index;        /**< -1: the profile's default */
	const char *regex;        /**< functions to list: POSIX extended,
				       unanchored, on the function name */
	int64_t total;            /**< percentage base; 0: computed from the
				       profile (pass hf_profile_total) */
	hf_source_options source;
} hf_list_options;

#define HF_LIST_OPTIONS_INIT {.sample_index = -1, .regex = NULL, .total = 0, \
	.source = HF_SOURCE_OPTIONS_INIT}

/** One source line of a routine: its number, values and text. */
typedef struct hf_listing_line {
	int64_t line;             /**< from 1 */
	int64_t flat, cum;        /**< summed over the line's samples */
	const char *text;         /**< as read: no line end, any bytes (also
				       NUL and invalid UTF-8): escape it */
	size_t len;               /**< bytes in text */
} hf_listing_line;

/**
 * A function in one source file (pprof's ROUTINE). `file` is "" when the
 * profile gives the function no file: pprof's "No source information".
 */
typedef struct hf_listing_routine {
	const char *name;         /**< the function name */
	const char *file;         /**< the file as pprof shows it (trimmed) */
	const char *path;         /**< where it was read; NULL: not found */
	const char *error;        /**< why not (pprof's message), else NULL */
	int64_t flat, cum;        /**< over all lines of the function */
	const hf_listing_line *lines; /**< pprof's window: first sampled line
				       - 5 (or the function's start) to the
				       last + 5, as far as the file goes */
	size_t nlines;
	int64_t file_lines;       /**< lines in the file read */
	int64_t beyond_line;      /**< the last sampled line past the end of
				       the file (the source is not the one
				       profiled), else 0 */
} hf_listing_routine;

/** pprof's -list data: routines sorted by function name, then file. */
typedef struct hf_listing {
	const char *sample_type, *sample_unit;
	int64_t total;            /**< the percentage base */
	const hf_listing_routine *routines;
	size_t nroutines;
} hf_listing;

/**
 * Collects the source listing of every function whose name matches
 * opts->regex, reading the source files. No matching function is
 * HF_ENOTFOUND ("no matches found for regexp: RE"); a bad expression
 * HF_EINVALID. A missing source file is no error: see routine->error.
 * @param[out] out  the listing, owned by the caller (hf_listing_free)
 */
HF_EXTERN int hf_listing_build(hf_listing **out, const hf_profile *profile,
	const hf_list_options *opts, hf_error *err);
HF_EXTERN void hf_listing_free(hf_listing *listing);

/**
 * A value as pprof's list shows it ("1.50MB", "10ms", "0"), in the
 * listing's unit, into `out` (at least 64 bytes).
 */
HF_EXTERN void hf_listing_format_value(const hf_listing *listing, int64_t value, char *out,
	size_t size);

/**
 * Writes the listing as `go tool pprof -list` does, byte for byte;
 * beyond pprof, a " Note:" line after a routine whose file is shorter
 * than its samples say. Control characters and invalid UTF-8 in names and
 * source text are written as '?' (tabs in source text are kept).
 */
HF_EXTERN int hf_listing_write_text(const hf_listing *listing, hf_writer *writer, hf_error *err);

/** hf_listing_build then hf_listing_write_text. */
HF_EXTERN int hf_report_write_list(const hf_profile *profile, const hf_list_options *opts,
	hf_writer *writer, hf_error *err);

/* ------------------------------------------------------------------ */
/* HTML report                                                         */
/* ------------------------------------------------------------------ */

/** What goes into the offline HTML report (hf_html_write). */
typedef struct hf_html_options {
	long sample_index;        /**< the type shown first; -1: the default */
	const char *palette;      /**< built-in theme name; NULL: mem for heap
				       sample types, hot otherwise */
	const hf_theme *theme;    /**< overrides palette; borrowed */
	bool hash;                /**< flamegraph.pl --hash colours */
	bool negate;              /**< differential: swap red and blue */
	bool callgraph;           /**< lay out each type's call graph (Graphviz) */
	const hf_graph_options *graph; /**< the call graphs' nodecount,
				       fractions and "Active filters:" lines; NULL:
				       pprof's defaults (sample_index is ignored) */
	const char *title;        /**< NULL: the profile's source name */
	const char *base_source;  /**< a diff's base, named in the header */
	bool diff_base;           /**< the base was given as -diff_base */
	bool sources;             /**< embed pprof's list per function and type
				       (the lines of the listed windows only),
				       read from the files source finds */
	hf_source_options source; /**< where sources are looked for, as --list */
} hf_html_options;

#define HF_HTML_OPTIONS_INIT {.sample_index = -1, .palette = NULL, .theme = NULL, .hash = false, \
	.negate = false, .callgraph = true, .graph = NULL, .title = NULL, .base_source = NULL, \
	.diff_base = false, .sources = true, .source = HF_SOURCE_OPTIONS_INIT}

/**
 * Writes one self-contained HTML page for every sample type of the
 * profile: flame graph, sandwich, call graph, top, peek, source (pprof's
 * list, when opts->sources and the files are found) and in-page filters, all computed in the page from the embedded stacks (nothing is
 * fetched; a Content Security Policy forbids it). Everything taken from
 * the profile is escaped for HTML and for the page's JSON and script.
 */
HF_EXTERN int hf_html_write(const hf_profile *profile, const hf_html_options *opts,
	hf_writer *writer, hf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* HEAPFLAME_H */
