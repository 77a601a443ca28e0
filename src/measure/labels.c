/* The legend lines pprof prints at the top of every report. */
#define _POSIX_C_SOURCE 200809L
#include "measure.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int hf__measure_labels_add(hf__report_labels *labels, hf__arena *arena, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	/* Few lines: an outgrown array is left in the arena. */
	const char **lines = hf__arena_grow(arena, labels->lines, &labels->cap, labels->count,
		sizeof(*lines), 16);
	if (!lines)
		return -1;
	labels->lines = lines;
	char *line = hf__arena_alloc(arena, (size_t)n + 1);
	if (!line)
		return -1;
	va_start(ap, fmt);
	vsnprintf(line, (size_t)n + 1, fmt, ap);
	va_end(ap);
	lines[labels->count++] = line;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* Go's "Jan 2, 2006 at 3:04pm (MST)", in UTC. */
static void format_time(char *out, size_t size, int64_t nanos)
{
	static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
		"Sep", "Oct", "Nov", "Dec"};
	time_t secs = (time_t)(nanos / 1000000000);
	if (nanos < 0 && nanos % 1000000000)
		secs--;
	struct tm tm;
	if (!gmtime_r(&secs, &tm)) {
		snprintf(out, size, "?");
		return;
	}
	int hour = tm.tm_hour % 12;
	snprintf(out, size, "%s %d, %d at %d:%02d%s (UTC)", months[tm.tm_mon], tm.tm_mday,
		tm.tm_year + 1900, hour ? hour : 12, tm.tm_min, tm.tm_hour < 12 ? "am" : "pm");
}

int hf__measure_profile_labels(hf__report_labels *out, hf__arena *arena, const hf_profile *p,
	size_t sample_index, int64_t total, const char *output_unit)
{
	const char *sample_unit = p->sample_types[sample_index].unit;
	int rc = 0;
	if (p->nmappings > 0) {
		const hf__mapping *m = &p->mappings[0];
		if (m->filename && m->filename[0])
			rc |= hf__measure_labels_add(out, arena, "File: %s", base_name(m->filename));
		if (m->build_id && m->build_id[0])
			rc |= hf__measure_labels_add(out, arena, "Build ID: %s", m->build_id);
	}
	for (size_t i = 0; i < p->ncomments; i++)
		if (p->comments[i][0] != '#')
			rc |= hf__measure_labels_add(out, arena, "%s", p->comments[i]);
	rc |= hf__measure_labels_add(out, arena, "Type: %s", p->sample_types[sample_index].type);
	if (p->time_nanos != 0) {
		char when[64];
		format_time(when, sizeof(when), p->time_nanos);
		rc |= hf__measure_labels_add(out, arena, "Time: %s", when);
	}
	if (p->duration_nanos != 0) {
		char duration[HF_LABEL_MAX], total_label[HF_LABEL_MAX], ratio[HF_LABEL_MAX + 2] = "";
		hf__measure_scaled_label(duration, p->duration_nanos, "nanoseconds", "auto");
		hf__measure_scaled_label(total_label, total, sample_unit, output_unit);
		const char *unit;
		double nanos = hf__measure_scale(total, sample_unit, "nanoseconds", &unit);
		if (!strcmp(unit, "ns") && nanos != 0) {
			char pct[HF_LABEL_MAX];
			hf__measure_percentage(pct, (int64_t)nanos, p->duration_nanos);
			snprintf(ratio, sizeof(ratio), "(%s)", pct);
		}
		rc |= hf__measure_labels_add(out, arena, "Duration: %s, Total samples = %s %s", duration,
			total_label, ratio);
	}
	return rc ? -1 : (int)out->count;
}
