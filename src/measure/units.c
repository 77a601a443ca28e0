/* pprof's measurement rules: unit scaling, labels and percentages. */
#include "measure.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct unit_def {
	const char *name;
	const char *aliases[4];
	double factor;
} unit_def;

typedef struct unit_type {
	const unit_def *units;
	size_t count;
	unit_def fallback; /* used when no unit keeps the value >= 1 */
} unit_type;

static const unit_def byte_units[] = {
	{"B", {"b", "byte"}, 1},
	{"kB", {"kb", "kbyte", "kilobyte"}, 1024.0},
	{"MB", {"mb", "mbyte", "megabyte"}, 1048576.0},
	{"GB", {"gb", "gbyte", "gigabyte"}, 1073741824.0},
	{"TB", {"tb", "tbyte", "terabyte"}, 1099511627776.0},
	{"PB", {"pb", "pbyte", "petabyte"}, 1125899906842624.0},
};

static const unit_def time_units[] = {
	{"ns", {"ns", "nanosecond"}, 1},
	{"us", {"\xce\xbcs", "us", "microsecond"}, 1e3},
	{"ms", {"ms", "millisecond"}, 1e6},
	{"s", {"s", "sec", "second"}, 1e9},
	{"hrs", {"hour", "hr"}, 3600e9},
};

static const unit_def gcu_units[] = {
	{"n*GCU", {"nanogcu"}, 1e-9},
	{"u*GCU", {"microgcu"}, 1e-6},
	{"m*GCU", {"milligcu"}, 1e-3},
	{"GCU", {"gcu"}, 1},
	{"k*GCU", {"kilogcu"}, 1e3},
	{"M*GCU", {"megagcu"}, 1e6},
	{"G*GCU", {"gigagcu"}, 1e9},
	{"T*GCU", {"teragcu"}, 1e12},
	{"P*GCU", {"petagcu"}, 1e15},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const unit_type unit_types[] = {
	{byte_units, COUNT(byte_units), {"B", {"b"}, 1}},
	{time_units, COUNT(time_units), {"s", {NULL}, 1e9}},
	{gcu_units, COUNT(gcu_units), {"GCU", {NULL}, 1}},
};

/* Lower-cases and drops one trailing 's' from names longer than 2 bytes,
 * then looks the alias up (pprof's sniffUnit). */
static const unit_def *sniff_unit(const unit_type *ut, const char *name)
{
	char low[32];
	size_t n = strlen(name);
	if (n >= sizeof(low))
		return NULL;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	if (n > 2 && low[n - 1] == 's')
		n--;
	low[n] = '\0';
	for (size_t u = 0; u < ut->count; u++)
		for (size_t a = 0; a < 4 && ut->units[u].aliases[a]; a++)
			if (!strcmp(ut->units[u].aliases[a], low))
				return &ut->units[u];
	return NULL;
}

double hf__measure_scale(int64_t value, const char *from, const char *to, const char **unit)
{
	if (value < 0 && value != INT64_MIN)
		return -hf__measure_scale(-value, from, to, unit);
	bool automatic = !strcmp(to, "minimum") || !strcmp(to, "auto");
	for (size_t t = 0; t < COUNT(unit_types); t++) {
		const unit_type *ut = &unit_types[t];
		const unit_def *src = sniff_unit(ut, from);
		if (!src)
			continue;
		double v = (double)value * src->factor;
		if (automatic) {
			const unit_def *best = NULL;
			for (size_t u = 0; u < ut->count; u++)
				if ((!best || ut->units[u].factor >= best->factor) &&
					v / ut->units[u].factor >= 1.0)
					best = &ut->units[u];
			if (best) {
				*unit = best->name;
				return v / best->factor;
			}
			*unit = ut->fallback.name;
			return v / ut->fallback.factor;
		}
		const unit_def *dst = sniff_unit(ut, to);
		if (!dst)
			dst = &ut->fallback;
		*unit = dst->name;
		return v / dst->factor;
	}
	if (automatic || !strcmp(to, "count") || !strcmp(to, "sample") || !strcmp(to, "unit"))
		*unit = "";
	else
		*unit = to;
	return (double)value;
}

void hf__measure_scaled_label(char out[HF_LABEL_MAX], int64_t value, const char *from, const char *to)
{
	const char *unit;
	double v = hf__measure_scale(value, from, to, &unit);
	char num[48];
	snprintf(num, sizeof(num), "%.2f", v);
	size_t n = strlen(num);
	if (n > 3 && !strcmp(num + n - 3, ".00"))
		num[n - 3] = '\0';
	if (!strcmp(num, "0") || !strcmp(num, "-0")) {
		strcpy(out, "0");
		return;
	}
	snprintf(out, HF_LABEL_MAX, "%s%.*s", num, (int)(HF_LABEL_MAX - 1 - strlen(num)), unit);
}

void hf__measure_percentage(char out[HF_LABEL_MAX], int64_t value, int64_t total)
{
	double ratio = 0;
	if (total != 0)
		ratio = fabs((double)value / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		strcpy(out, "  100%");
	else if (ratio >= 1.0)
		snprintf(out, HF_LABEL_MAX, "%5.2f%%", ratio);
	else
		snprintf(out, HF_LABEL_MAX, "%5.2g%%", ratio);
}

void hf__measure_percentage_trimmed(char out[HF_LABEL_MAX], int64_t value, int64_t total)
{
	char tmp[HF_LABEL_MAX];
	hf__measure_percentage(tmp, value, total);
	const char *p = tmp;
	while (*p == ' ')
		p++;
	strcpy(out, p);
}

int64_t hf__measure_report_total(const hf_profile *p, size_t sample_index)
{
	int64_t total = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		int64_t v = p->samples[i].values[sample_index];
		total = hf__wadd(total, hf__wabs(v));
	}
	return total;
}

const char *hf__measure_output_unit(const int64_t *flat, const int64_t *cum, size_t n, int64_t total,
	const char *sample_unit)
{
	if (n == 0)
		return "minimum";
	int64_t min_value = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t m = hf__wabs(flat[i]);
		if (m == 0)
			m = hf__wabs(cum[i]);
		if (m > 0 && (min_value == 0 || m < min_value))
			min_value = m;
	}
	int64_t max_value = total;
	if (min_value == 0)
		min_value = max_value;
	const char *min_unit, *max_unit, *unit;
	hf__measure_scale(min_value, sample_unit, "minimum", &min_unit);
	hf__measure_scale(max_value, sample_unit, "minimum", &max_unit);
	unit = min_unit;
	if (strcmp(min_unit, max_unit) != 0 && hf__wmul(min_value, 100) < max_value)
		hf__measure_scale(hf__wmul(min_value, 100), sample_unit, "minimum", &unit);
	return unit[0] ? unit : sample_unit;
}

const char *hf__measure_num_label_unit(const hf_profile *p, const char *key)
{
	for (size_t i = 0; i < p->nsamples; i++) {
		const hf__sample *s = &p->samples[i];
		for (size_t l = 0; l < s->nlabels; l++)
			if (!s->labels[l].str && s->labels[l].num_unit && s->labels[l].num_unit[0] &&
				!strcmp(s->labels[l].key, key))
				return s->labels[l].num_unit;
	}
	if (!strcmp(key, "alignment") || !strcmp(key, "request"))
		return "bytes";
	return key;
}
