/*
 * Text inputs: legacy heap profiles ("heap profile: ..."), else collapsed
 * stacks ("a;b;c 123", as FlameGraph's stackcollapse tools, inferno and
 * our --folded write), or their two-column diff form ("stack before
 * after", FlameGraph's difffolded.pl), which becomes a profile with a base.
 */
#include "build.h"

#include <string.h>

int hf__profile_decode_text(hf_profile *p, const uint8_t *data, size_t len,
	const hf_parse_options *opts, hf_error *err)
{
	const char *text = (const char *)data, *end = text + len, *s = text;
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	if ((size_t)(end - s) >= 13 && memcmp(s, "heap profile:", 13) == 0)
		return hf__profile_decode_legacy_heap(p, s, (size_t)(end - s), opts, err);
	/* Go's other ?debug=1 texts ("goroutine profile: total 7", "---
	 * mutex:"): say what to fetch instead of "unrecognized". */
	static const char *const others[] = {"goroutine profile:", "threadcreate profile:",
		"--- contention:", "--- mutex:", "--- delay:"};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		size_t n = strlen(others[i]);
		if ((size_t)(end - s) >= n && memcmp(s, others[i], n) == 0)
			return hf__error(err, HF_EFORMAT,
				"\"%.*s\" text profiles are not read; fetch the protobuf form (without ?debug=1)",
				(int)(n - 1), others[i]);
	}
	return hf__profile_decode_collapsed(p, text, len, opts, err);
}

enum { COUNT_NONE, COUNT_OK, COUNT_RANGE };

/* Splits "STACK N" at the last run of spaces: COUNT_OK, COUNT_NONE if N
 * is not a count, COUNT_RANGE if it is one past INT64_MAX. */
static int split_count(const char *start, const char **end, int64_t *count)
{
	const char *e = *end, *q = e;
	while (q > start && q[-1] >= '0' && q[-1] <= '9')
		q--;
	if (q == e || q == start || (q[-1] != ' ' && q[-1] != '\t'))
		return COUNT_NONE;
	int64_t v = 0;
	bool range = false;
	for (const char *d = q; d < e && !range; d++) {
		int digit = *d - '0';
		if (v > (INT64_MAX - digit) / 10)
			range = true;
		else
			v = v * 10 + digit;
	}
	*count = v;
	while (q > start && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	*end = q;
	return range ? COUNT_RANGE : COUNT_OK;
}

static void trim(hf__text_line *l)
{
	while (l->start < l->end && (*l->start == ' ' || *l->start == '\t'))
		l->start++;
	while (l->end > l->start && (l->end[-1] == ' ' || l->end[-1] == '\t'))
		l->end--;
}

/* A file is a diff when every stack line has two counts. */
static bool is_two_column(const char *text, const char *end)
{
	hf__text_line l;
	bool any = false;
	while (hf__next_line(&text, end, &l)) {
		trim(&l);
		if (l.start == l.end)
			continue;
		int64_t a, b;
		const char *e = l.end;
		if (split_count(l.start, &e, &a) == COUNT_NONE ||
		    split_count(l.start, &e, &b) == COUNT_NONE)
			return false;
		any = true;
	}
	return any;
}

int hf__profile_decode_collapsed(hf_profile *p, const char *text, size_t len,
	const hf_parse_options *opts, hf_error *err)
{
	const char *end = text + len, *pos = text;
	bool diff = is_two_column(text, end);
	const char *unit = opts->count_name && *opts->count_name ? opts->count_name : NULL;
	p->nsample_types = 1;
	p->sample_types = hf__arena_alloc(&p->arena, sizeof(*p->sample_types));
	if (!p->sample_types)
		return hf__oom(err);
	p->sample_types[0].type = unit ? hf__arena_strndup(&p->arena, unit, strlen(unit)) : "samples";
	p->sample_types[0].unit = unit ? p->sample_types[0].type : "count";
	p->period_type = p->sample_types[0];
	p->period = 1;
	if (!p->sample_types[0].type)
		return hf__oom(err);

	hf__builder b;
	uint32_t *locs = NULL;
	size_t locs_cap = 0;
	int rc = hf__profile_builder_init(&b, p, diff, err);
	size_t lineno = 0, nstacks = 0;
	hf__text_line l;
	while (rc == HF_OK && hf__next_line(&pos, end, &l)) {
		lineno++;
		trim(&l);
		if (l.start == l.end)
			continue;
		int64_t after, before = 0;
		const char *e = l.end;
		int ok = split_count(l.start, &e, &after);
		if (ok == COUNT_OK && diff)
			ok = split_count(l.start, &e, &before);
		if (ok == COUNT_RANGE) {
			rc = hf__error(err, HF_EFORMAT,
				"line %zu: count out of range (more than 9223372036854775807)",
				lineno);
			break;
		}
		if (ok != COUNT_OK) {
			rc = nstacks == 0 ? hf__error(err, HF_EFORMAT,
						"not a pprof profile (unrecognized text)")
					  : hf__error(err, HF_EFORMAT,
						"line %zu: expected \"STACK COUNT\"%s", lineno,
						diff ? " BEFORE AFTER" : "");
			break;
		}
		/* Frames root first in the text; samples want the leaf first. */
		size_t depth = 1;
		for (const char *q = l.start; q < e; q++)
			depth += *q == ';';
		if (depth > opts->max_depth) {
			rc = hf__error(err, HF_ELIMIT, "line %zu: more than %zu frames in one stack",
				lineno, opts->max_depth);
			break;
		}
		if (depth > locs_cap) {
			uint32_t *n = hf__reserve(locs, &locs_cap, 0, depth, sizeof(*n), 64);
			if (!n) {
				rc = hf__oom(err);
				break;
			}
			locs = n;
		}
		size_t i = depth;
		for (const char *f = l.start; rc == HF_OK && f <= e;) {
			const char *fe = f;
			while (fe < e && *fe != ';')
				fe++;
			size_t n = (size_t)(fe - f);
			if (n > opts->max_name) {
				rc = hf__error(err, HF_ELIMIT, "line %zu: name longer than %zu bytes",
					lineno, opts->max_name);
				break;
			}
			char small[512];
			char *name = n < sizeof(small) ? small : hf__malloc(n + 1);
			if (!name) {
				rc = hf__oom(err);
				break;
			}
			memcpy(name, f, n);
			name[n] = '\0';
			uint32_t fn = hf__profile_builder_function(&b, name, name, "", 0);
			if (name != small)
				hf__free(name);
			hf__bline ln = {fn, 0, 0};
			uint32_t loc = fn == HF_NONE ? HF_NONE
				: hf__profile_builder_location(&b, 0, HF_NONE, &ln, 1, false);
			if (loc == HF_NONE)
				rc = err ? err->code : HF_ENOMEM;
			else
				locs[--i] = loc;
			f = fe + 1;
		}
		if (rc != HF_OK)
			break;
		int64_t value = after - before;
		rc = hf__profile_builder_sample(&b, locs, depth, &value, diff ? &before : NULL, NULL, 0,
			true);
		nstacks++;
	}
	if (rc == HF_OK && nstacks == 0)
		rc = hf__error(err, HF_EFORMAT, "not a pprof profile (unrecognized text)");
	if (rc == HF_OK)
		rc = hf__profile_builder_finish(&b);
	hf__profile_builder_dispose(&b);
	hf__free(locs);
	return rc;
}
