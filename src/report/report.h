/*
 * The text reports (top, traces, ...): pprof's internal/report over the
 * call graph. Units, names and legends come from measure/.
 */
#ifndef HF_REPORT_H
#define HF_REPORT_H

#include "../graph/graph.h"
#include "../measure/measure.h"

/* A node's columns in pprof's -top and -peek: flat, flat%, sum% (the
 * flats of the rows so far, this one's included), cum, cum%. */
typedef struct hf__report_row {
	char flat[HF_LABEL_MAX], flat_pct[HF_LABEL_MAX], sum_pct[HF_LABEL_MAX];
	char cum[HF_LABEL_MAX], cum_pct[HF_LABEL_MAX];
} hf__report_row;
void hf__report_row_format(hf__report_row *row, const hf_graph *g, const hf__gnode *n,
	int64_t flat_sum);

#endif
