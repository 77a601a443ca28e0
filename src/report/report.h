/*
 * The text reports (top, traces, ...): pprof's internal/report over the
 * call graph. Units, names and legends come from measure/.
 */
#ifndef HF_REPORT_H
#define HF_REPORT_H

#include "../measure/measure.h"

#endif
