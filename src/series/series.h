/*
 * A series of snapshots of one program: per function, the flat and cum
 * value of one sample type at each snapshot, the statistics the growth
 * report ranks by, and what the HTML page needs besides (totals,
 * MemStats, the stacks of the first and last snapshot). Private to the
 * series module.
 */
#ifndef HF_SERIES_H
#define HF_SERIES_H

#include "../stacks/stacks.h"
#include "../report/report.h"

/* The MemStats the report shows, in this order. */
#define HF_SERIES_NMEMSTATS 5
extern const char *const hf__series_memstat_keys[HF_SERIES_NMEMSTATS];

/* One snapshot as added: its per-function values, sparse. */
typedef struct hf__snapshot {
	const char *source;    /* in the series' arena */
	int64_t time_nanos;    /* 0: unknown */
	size_t added;          /* position among the adds */
	int64_t total;         /* hf_profile_total for the type */
	uint32_t *fn;          /* function ids ... */
	int64_t *flat, *cum;   /* ... and their values */
	size_t nfn;
	bool has_memstats;
	int64_t memstats[HF_SERIES_NMEMSTATS];
	bool memstat_present[HF_SERIES_NMEMSTATS];
} hf__snapshot;

/* Stacks kept for the differential flame graph, shared by the slots that
 * hold them. */
typedef struct hf__kept_stacks {
	hf_stacks *stacks;
	int64_t time_nanos;
	size_t added;
	int refs;
} hf__kept_stacks;

enum { KEEP_TIME_MIN, KEEP_TIME_MAX, KEEP_ADD_FIRST, KEEP_ADD_LAST, KEEP_SLOTS };

struct hf_series {
	hf__arena arena;
	hf__intern names;        /* function names -> ids */
	hf_series_options opts;
	const char *sample_type_opt;
	const char *program;    /* main mapping's file, "" when none */
	const char *type, *unit;/* the sample type chosen */
	hf__value_type *types;   /* every sample type, to refuse other kinds */
	size_t ntypes;
	bool heap;              /* a heap profile (the caveat applies) */
	hf__snapshot *snaps;
	size_t nsnaps, snaps_cap;
	hf__kept_stacks *keep[KEEP_SLOTS];
	bool finished;

	/* After hf_series_finish: snapshots ordered, dense values. */
	bool timed;             /* every snapshot has a time: x is minutes */
	size_t nfn;
	int64_t *flat, *cum;    /* nfn rows of nsnaps values */
	hf_series_stats *flat_stats, *cum_stats;
	uint32_t *flat_rank, *cum_rank; /* function ids, best first */
	size_t nflat_ranked, ncum_ranked;
	hf_stacks *first, *last;        /* borrowed from keep[] */
};

/* The statistics and trend of n values at x (minutes or indexes). */
void hf__series_stats(const int64_t *v, const double *x, size_t n, hf_series_stats *st);
/* The x of snapshot j: minutes since the first when timed, else j. */
double hf__series_x(const hf_series *s, size_t j);
/* A sparkline of n values in at most `width` cells (blocks or ASCII). */
void hf__series_sparkline(hf__sink *out, const int64_t *v, size_t n, size_t width, bool ascii);
/* Cells a sparkline of n values takes. */
size_t hf__series_spark_width(size_t n, size_t width);
/* v scaled as pprof labels values ("1.50MB"), with a '+' when sign and v > 0. */
void hf__series_label(char out[HF_LABEL_MAX], int64_t v, const char *unit, bool sign);
/* A growth rate, rounded to a whole unit, as hf__series_label shows it:
 * the text and HTML reports show the same figure. */
void hf__series_rate_label(char out[HF_LABEL_MAX], double rate, const char *unit);
/* A report writer's checks: arguments given, the series finished
 * (`fn` names the writer in the message). */
int hf__series_check_report(const hf_series *s, const hf_writer *writer, const char *fn,
	hf_error *err);

#endif
