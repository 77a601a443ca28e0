/*
 * Measurement: pprof's conventions shared by the call graph and the text
 * reports, below both (pprof's internal/measurement and the naming rules
 * of internal/graph): unit scaling, percentages, the legend lines every
 * report starts with, and function-name rules. It may call profile/ and
 * util/ only.
 */
#ifndef HF_MEASURE_H
#define HF_MEASURE_H

#include "../profile/profile.h"

/* Go's int64 arithmetic wraps around where C's overflow is undefined;
 * values come from untrusted profiles, so sums and products wrap here as
 * they do in pprof. */
static inline int64_t hf__wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t hf__wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static inline int64_t hf__wabs(int64_t v) { return v < 0 ? (int64_t)(0 - (uint64_t)v) : v; }
static inline int64_t hf__wdiv(int64_t a, int64_t b) { return b == -1 ? hf__wmul(a, -1) : a / b; }

/* Large enough for any formatted value, percentage or unit. */
#define HF_LABEL_MAX 64

/*
 * Converts `value` in `from` units to `to` units, where `to` may be
 * "minimum"/"auto" (pick the largest unit keeping the value >= 1). The unit
 * name written to *unit is a constant or `to` itself; it is "" when the
 * unit is uninteresting (counts).
 */
double hf__measure_scale(int64_t value, const char *from, const char *to, const char **unit);
/* "%.2f" of the scaled value, ".00" removed, unit appended; "0" for 0. */
void hf__measure_scaled_label(char out[HF_LABEL_MAX], int64_t value, const char *from, const char *to);
/* pprof's Percentage: "  100%", "%5.2f%%" from 1%, else "%5.2g%%". */
void hf__measure_percentage(char out[HF_LABEL_MAX], int64_t value, int64_t total);
/* Same, leading spaces trimmed (labels and legends). */
void hf__measure_percentage_trimmed(char out[HF_LABEL_MAX], int64_t value, int64_t total);

/* Sum of |value| of every sample for one sample type (pprof's total). */
int64_t hf__measure_report_total(const hf_profile *p, size_t sample_index);

/* pprof's unit choice for a report: from the smallest non-zero node value
 * and the total (report.go selectOutputUnit). Returns a constant or the
 * sample unit. */
const char *hf__measure_output_unit(const int64_t *flat, const int64_t *cum, size_t n, int64_t total,
	const char *sample_unit);

/*
 * The profile's legend lines (File, Build ID, comments, Type, Time,
 * Duration), each a NUL-terminated string in `arena`. Times are UTC.
 * Returns the number of lines or -1 when out of memory.
 */
typedef struct hf__report_labels {
	const char **lines;
	size_t count, cap;
} hf__report_labels;
int hf__measure_profile_labels(hf__report_labels *out, hf__arena *arena, const hf_profile *p,
	size_t sample_index, int64_t total, const char *output_unit);
/* Appends a printf-formatted line to `labels` (arena-allocated). */
int hf__measure_labels_add(hf__report_labels *labels, hf__arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * pprof's simplification of names that look like demangled C++ (removes
 * every (...) and <...> group). Returns `name` itself when nothing changes,
 * else a copy in `arena` (NULL when out of memory).
 */
const char *hf__measure_simplify_cpp_name(hf__arena *arena, const char *name);

/*
 * The name pprof shows for a function: its name, or when that is empty or
 * equal to the system name (not demangled by the profiler), the system
 * name simplified as above. Profiles without mappings (collapsed text,
 * which pprof cannot read) keep their names as written. NULL when out of
 * memory.
 */
const char *hf__measure_function_name(hf__arena *arena, const hf_profile *p, const hf__function *f);

/* pprof's ShortenFunctionName, written into `out` (an arena copy). */
const char *hf__measure_shorten_function_name(hf__arena *arena, const char *name);

/* Writes s with control characters as '?', so a name stays on its line. */
void hf__measure_put_text(hf__sink *sink, const char *s);

/* The unit pprof uses for numeric label `key` over the whole profile. */
const char *hf__measure_num_label_unit(const hf_profile *p, const char *key);

#endif
