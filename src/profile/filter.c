/*
 * pprof's name filters (profile/filter.go, prune.go, driver applyFocus):
 * -focus/-ignore keep or drop whole samples, -hide/-show remove frames,
 * -show_from/-prune_from cut stacks at a match. Regular expressions are
 * POSIX extended; a frame matches by its function name, its file name or
 * its mapping's object file. Results are cached per function and mapping,
 * so filtering is linear in the profile.
 */
#define _POSIX_C_SOURCE 200809L
#include "profile.h"

#include <regex.h>
#include <string.h>

typedef struct matcher {
	regex_t re;
	bool active;
	uint8_t *fn;   /* per function: 0 unknown, 1 no, 2 yes */
	uint8_t *map;  /* per mapping */
} matcher;

static int compile(matcher *m, const char *option, const char *pattern, const hf_profile *p,
	hf_error *err)
{
	memset(m, 0, sizeof(*m));
	if (!pattern || !*pattern)
		return HF_OK;
	int rc = regcomp(&m->re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char why[128];
		regerror(rc, &m->re, why, sizeof(why));
		return hf__error(err, HF_EINVALID, "-%s: bad regular expression \"%.80s\": %s",
			option, pattern, why);
	}
	m->active = true;
	m->fn = hf__calloc(p->nfunctions + 1, 1);
	m->map = hf__calloc(p->nmappings + 1, 1);
	if (!m->fn || !m->map)
		return hf__oom(err);
	return HF_OK;
}

static void release(matcher *m)
{
	if (m->active)
		regfree(&m->re);
	hf__free(m->fn);
	hf__free(m->map);
	memset(m, 0, sizeof(*m));
}

static bool re_match(const matcher *m, const char *s)
{
	return regexec(&m->re, s ? s : "", 0, NULL, 0) == 0;
}

/* Does the line's function match by name or file name? */
static bool line_matches(const hf_profile *p, matcher *m, const hf__line *ln)
{
	const hf__function *f = ln->function;
	if (!f)
		return false;
	uint8_t *c = &m->fn[f - p->functions];
	if (!*c)
		*c = re_match(m, f->name) || re_match(m, f->filename) ? 2 : 1;
	return *c == 2;
}

static bool mapping_matches(const hf_profile *p, matcher *m, const hf__location *l)
{
	if (!l->mapping)
		return false;
	uint8_t *c = &m->map[l->mapping - p->mappings];
	if (!*c)
		*c = re_match(m, l->mapping->filename) ? 2 : 1;
	return *c == 2;
}

static bool location_matches(const hf_profile *p, matcher *m, const hf__location *l)
{
	for (size_t i = 0; i < l->nlines; i++)
		if (line_matches(p, m, &l->lines[i]))
			return true;
	return mapping_matches(p, m, l);
}

/* Keeps the lines for which keep == matches (a new array if changed). */
static int select_lines(hf_profile *p, matcher *m, hf__location *l, bool keep_matching,
	hf_error *err)
{
	size_t n = 0;
	for (size_t i = 0; i < l->nlines; i++) {
		/* -show keeps lines without a function; -hide keeps them too. */
		bool match = line_matches(p, m, &l->lines[i]);
		if (match == keep_matching || !l->lines[i].function)
			n++;
	}
	if (n == l->nlines)
		return HF_OK;
	hf__line *lines = n ? hf__arena_alloc(&p->arena, n * sizeof(*lines)) : NULL;
	if (n && !lines)
		return hf__oom(err);
	size_t k = 0;
	for (size_t i = 0; i < l->nlines; i++) {
		bool match = line_matches(p, m, &l->lines[i]);
		if (match == keep_matching || !l->lines[i].function)
			lines[k++] = l->lines[i];
	}
	l->lines = lines;
	l->nlines = n;
	return HF_OK;
}

enum { LOC_HIDDEN = 1, LOC_FOCUS = 2, LOC_IGNORE = 4, LOC_MARK = 8 };

/* Drops samples for which keep() says no, in place. */
static void compact_samples(hf_profile *p, const bool *keep)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nsamples; i++)
		if (keep[i])
			p->samples[n++] = p->samples[i];
	p->nsamples = n;
}

static int focus_ignore_hide_show(hf_profile *p, matcher *focus, matcher *ignore,
	matcher *hide, matcher *show, uint8_t *flags, bool *keep, hf_filter_result *r,
	hf_error *err)
{
	bool any_hidden = false;
	for (size_t i = 0; i < p->nlocations; i++) {
		hf__location *l = &p->locations[i];
		if (ignore->active && location_matches(p, ignore, l)) {
			r->ignore = true;
			flags[i] |= LOC_IGNORE;
		} else if (!focus->active || location_matches(p, focus, l)) {
			r->focus = r->focus || focus->active;
			flags[i] |= LOC_FOCUS;
		}
		if (hide->active && location_matches(p, hide, l)) {
			r->hide = true;
			if (mapping_matches(p, hide, l))
				l->nlines = 0;
			else if (select_lines(p, hide, l, false, err) != HF_OK)
				return HF_ENOMEM;
			if (l->nlines == 0)
				flags[i] |= LOC_HIDDEN;
		}
		if (show->active) {
			if (!mapping_matches(p, show, l) &&
			    select_lines(p, show, l, true, err) != HF_OK)
				return HF_ENOMEM;
			if (l->nlines == 0)
				flags[i] |= LOC_HIDDEN;
			else
				r->show = true;
		}
		any_hidden = any_hidden || (flags[i] & LOC_HIDDEN);
	}
	for (size_t i = 0; i < p->nsamples; i++) {
		hf__sample *s = &p->samples[i];
		bool focused = false, ignored = false;
		for (size_t j = 0; j < s->nlocations && !ignored; j++) {
			uint8_t f = flags[s->locations[j]];
			ignored = f & LOC_IGNORE;
			focused = focused || (f & LOC_FOCUS);
		}
		keep[i] = focused && !ignored;
		if (!keep[i] || !any_hidden)
			continue;
		size_t n = 0;
		for (size_t j = 0; j < s->nlocations; j++)
			if (!(flags[s->locations[j]] & LOC_HIDDEN))
				s->locations[n++] = s->locations[j];
		s->nlocations = n;
		keep[i] = n > 0;
	}
	compact_samples(p, keep);
	return HF_OK;
}

static int show_from(hf_profile *p, matcher *m, uint8_t *flags, bool *keep,
	hf_filter_result *r)
{
	for (size_t i = 0; i < p->nlocations; i++) {
		hf__location *l = &p->locations[i];
		flags[i] &= (uint8_t)~LOC_MARK;
		if (mapping_matches(p, m, l)) {
			flags[i] |= LOC_MARK;
			continue;
		}
		/* Keep the lines up to the outermost match. */
		for (size_t j = l->nlines; j-- > 0;) {
			if (line_matches(p, m, &l->lines[j])) {
				l->nlines = j + 1;
				flags[i] |= LOC_MARK;
				break;
			}
		}
		r->show_from = r->show_from || (flags[i] & LOC_MARK);
	}
	for (size_t i = 0; i < p->nsamples; i++) {
		hf__sample *s = &p->samples[i];
		keep[i] = false;
		for (size_t j = s->nlocations; j-- > 0;) {
			if (flags[s->locations[j]] & LOC_MARK) {
				s->nlocations = j + 1;
				keep[i] = true;
				break;
			}
		}
	}
	compact_samples(p, keep);
	return HF_OK;
}

/* prune_from matches function names only, without a leading '.' and
 * without an argument list (as pprof's PruneFrom). */
static int prune_from(hf_profile *p, matcher *m, uint8_t *flags, hf_filter_result *r,
	hf_error *err)
{
	char *buf = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		hf__location *l = &p->locations[i];
		flags[i] &= (uint8_t)~LOC_MARK;
		for (size_t j = 0; j < l->nlines; j++) {
			const hf__function *f = l->lines[j].function;
			if (!f || !*f->name)
				continue;
			uint8_t *c = &m->fn[f - p->functions];
			if (!*c) {
				const char *name = f->name[0] == '.' ? f->name + 1 : f->name;
				size_t n = strlen(name);
				const char *paren = strchr(name, '(');
				if (paren && paren > name)
					n = (size_t)(paren - name);
				if (n + 1 > cap) {
					cap = n + 1;
					hf__free(buf);
					if (!(buf = hf__malloc(cap)))
						return hf__oom(err);
				}
				memcpy(buf, name, n);
				buf[n] = '\0';
				*c = re_match(m, buf) ? 2 : 1;
			}
			if (*c == 2) {
				flags[i] |= LOC_MARK;
				l->lines += j;
				l->nlines -= j;
				r->prune_from = true;
				break;
			}
		}
	}
	hf__free(buf);
	for (size_t i = 0; i < p->nsamples; i++) {
		hf__sample *s = &p->samples[i];
		for (size_t j = 0; j < s->nlocations; j++) {
			if (flags[s->locations[j]] & LOC_MARK) {
				s->locations += j;
				s->nlocations -= j;
				break;
			}
		}
	}
	return HF_OK;
}

int hf_profile_filter(hf_profile *p, const hf_filter_options *opts, hf_filter_result *matched,
	hf_error *err)
{
	hf_filter_result r = {0};
	if (matched)
		*matched = r;
	if (!opts)
		return HF_OK;
	matcher focus, ignore, hide, show, from, prune;
	memset(&focus, 0, sizeof(focus));
	ignore = hide = show = from = prune = focus;
	uint8_t *flags = NULL;
	bool *keep = NULL;
	int rc;
	if ((rc = compile(&focus, "focus", opts->focus, p, err)) != HF_OK ||
	    (rc = compile(&ignore, "ignore", opts->ignore, p, err)) != HF_OK ||
	    (rc = compile(&hide, "hide", opts->hide, p, err)) != HF_OK ||
	    (rc = compile(&show, "show", opts->show, p, err)) != HF_OK ||
	    (rc = compile(&from, "show_from", opts->show_from, p, err)) != HF_OK ||
	    (rc = compile(&prune, "prune_from", opts->prune_from, p, err)) != HF_OK)
		goto done;
	if (!focus.active && !ignore.active && !hide.active && !show.active && !from.active &&
	    !prune.active)
		goto done;
	/* Percentages stay relative to the unfiltered total (pprof). */
	if (!p->unfiltered_totals) {
		int64_t *totals = hf__arena_alloc(&p->arena, (p->nsample_types + 1) * sizeof(*totals));
		if (!totals) {
			rc = hf__oom(err);
			goto done;
		}
		for (size_t i = 0; i < p->nsample_types; i++)
			totals[i] = hf_profile_total(p, i);
		p->unfiltered_totals = totals;
	}
	flags = hf__calloc(p->nlocations + 1, 1);
	keep = hf__calloc(p->nsamples + 1, sizeof(*keep));
	if (!flags || !keep) {
		rc = hf__oom(err);
		goto done;
	}
	if (focus.active || ignore.active || hide.active || show.active)
		rc = focus_ignore_hide_show(p, &focus, &ignore, &hide, &show, flags, keep, &r, err);
	if (rc == HF_OK && from.active)
		rc = show_from(p, &from, flags, keep, &r);
	if (rc == HF_OK && prune.active)
		rc = prune_from(p, &prune, flags, &r, err);
	if (matched)
		*matched = r;
done:
	release(&focus);
	release(&ignore);
	release(&hide);
	release(&show);
	release(&from);
	release(&prune);
	hf__free(flags);
	hf__free(keep);
	return rc;
}
