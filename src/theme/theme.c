/*
 * Theme files and flamegraph.pl's colour formulas.
 *
 * A theme is sectioned "key = value" text:
 *   [flame]    background = #top #bottom | ui = #rgb | text = #rgb |
 *              search = #rgb | annotations = strip
 *   [palette]  red/green/blue = BASE [+ SCALE vN]   (flamegraph.pl formulas)
 *              or colors = #rgb #rgb ...            (picked by v1)
 *   [rules]    REGEX = PALETTE-NAME | #rgb          (first match wins)
 * "#" starts a comment at the start of a line, or after whitespace when
 * whitespace follows it.
 */
#define _POSIX_C_SOURCE 200809L
#include "theme.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double hf__theme_perl_rand_seeded(uint32_t seed)
{
	/* Perl's own drand48: X0 = seed << 16 | 0x330E, one LCG step. */
	uint64_t x = ((uint64_t)seed << 16) | 0x330e;
	x = (0x5deece66dull * x + 0xb) & ((1ull << 48) - 1);
	return (double)x / (double)(1ull << 48);
}

double hf__theme_namehash(const char *name, size_t len, bool reverse)
{
	/* flamegraph.pl first drops a module prefix up to the first backtick
	 * (s/.(.*?)`//): the match needs one character before the backtick. */
	size_t start = 0;
	for (size_t i = 1; i < len; i++) {
		if (name[i] == '\n')
			break;
		if (name[i] == '`' && name[0] != '\n') {
			start = i + 1;
			break;
		}
	}
	uint32_t cps[3];
	size_t ncps = 0;
	if (!reverse) {
		for (size_t i = start; i < len && ncps < 3;)
			cps[ncps++] = hf__utf8_next(name, len, &i);
	} else {
		/* the last three code points, last first */
		uint32_t ring[3] = {0, 0, 0};
		size_t n = 0;
		for (size_t i = start; i < len; n++)
			ring[n % 3] = hf__utf8_next(name, len, &i);
		for (size_t k = 0; k < 3 && k < n; k++)
			cps[ncps++] = ring[(n - 1 - k) % 3];
	}
	double vector = 0, weight = 1, max = 1;
	int mod = 10;
	for (size_t k = 0; k < ncps; k++) {
		vector += (double)(cps[k] % (uint32_t)mod) / (double)(mod - 1) * weight;
		mod++;
		max += weight;
		weight *= 0.70;
	}
	return 1 - vector / max;
}

void hf__theme_values(const char *name, size_t len, bool hash, double v[3])
{
	if (hash) {
		v[0] = hf__theme_namehash(name, len, false);
		v[1] = v[2] = hf__theme_namehash(name, len, true);
		return;
	}
	uint32_t seed = 0;
	for (size_t i = 0; i < len;)
		seed += hf__utf8_next(name, len, &i);
	v[0] = v[1] = v[2] = hf__theme_perl_rand_seeded(seed);
}

bool hf__theme_parse_rgb(const char *s, size_t len, uint32_t *out)
{
	uint32_t c = 0;
	if (len != 7 || s[0] != '#')
		return false;
	for (size_t i = 1; i < 7; i++) {
		int d = s[i];
		if (d >= '0' && d <= '9')
			d -= '0';
		else if (d >= 'a' && d <= 'f')
			d -= 'a' - 10;
		else if (d >= 'A' && d <= 'F')
			d -= 'A' - 10;
		else
			return false;
		c = c << 4 | (uint32_t)d;
	}
	*out = c;
	return true;
}

static uint32_t palette_color(const hf_theme *t, const double v[3])
{
	if (t->is_list) {
		size_t i = (size_t)(v[0] * (double)t->ncolors);
		return t->colors[i < t->ncolors ? i : t->ncolors - 1];
	}
	uint32_t rgb = 0;
	for (int c = 0; c < 3; c++) {
		const hf__channel *ch = &t->channel[c];
		long x = ch->base + (long)(ch->scale * v[ch->var]);
		x = x < 0 ? 0 : x > 255 ? 255 : x;
		rgb = rgb << 8 | (uint32_t)x;
	}
	return rgb;
}

uint32_t hf_theme_color(const hf_theme *t, const char *name, size_t len, bool hash)
{
	double v[3];
	hf__theme_values(name, len, hash, v);
	return hf__theme_color_values(t, name, len, v);
}

uint32_t hf__theme_color_values(const hf_theme *t, const char *name, size_t len,
	const double v[3])
{
	if (len == 2 && name[0] == '-' && name[1] == '-')
		return 0xa0a0a0;
	if (len == 1 && name[0] == '-')
		return 0xc8c8c8;
	for (size_t i = 0; i < t->nrules; i++) {
		const hf__theme_rule *r = &t->rules[i];
		if (regexec(&r->re, name, 0, NULL, 0) != 0)
			continue;
		return r->is_color ? r->color : palette_color(r->palette, v);
	}
	return palette_color(t, v);
}

/* ---- parsing --------------------------------------------------------- */

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *trim_end(const char *b, const char *e)
{
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return e;
}

/* "BASE [+ SCALE [*] vN]" */
static bool parse_channel(const char *p, const char *end, hf__channel *ch)
{
	char buf[64];
	size_t n = (size_t)(end - p);
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	char *q;
	errno = 0;
	long base = strtol(buf, &q, 10);
	if (q == buf || errno || base < 0 || base > 255)
		return false;
	ch->base = (int)base;
	ch->scale = 0;
	ch->var = 0;
	while (*q == ' ' || *q == '\t')
		q++;
	if (!*q)
		return true;
	if (*q != '+')
		return false;
	q++;
	char *r;
	double scale = strtod(q, &r);
	if (r == q || scale < 0 || scale > 255)
		return false;
	q = r;
	while (*q == ' ' || *q == '\t' || *q == '*')
		q++;
	if (q[0] != 'v' || q[1] < '1' || q[1] > '3')
		return false;
	ch->scale = scale;
	ch->var = q[1] - '1';
	q += 2;
	while (*q == ' ' || *q == '\t')
		q++;
	return *q == '\0';
}

static bool key_is(const char *k, size_t klen, const char *want)
{
	return strlen(want) == klen && memcmp(k, want, klen) == 0;
}

void hf_theme_free(hf_theme *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrules; i++)
		regfree(&t->rules[i].re);
	hf__free(t->rules);
	hf__free(t);
}

/* The state of hf_theme_parse between lines. */
typedef struct theme_parser {
	hf_theme *t;
	enum { SEC_NONE, SEC_FLAME, SEC_PALETTE, SEC_RULES } section;
	bool have_channel[3]; /* red, green, blue given in [palette] */
	size_t rules_cap;
	int lineno;
	hf_error *err;
} theme_parser;

/* A new theme with the defaults a theme file may override. */
static hf_theme *theme_with_defaults(const char *name)
{
	hf_theme *t = hf__calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->bg_top = 0xeeeeee;
	t->bg_bottom = 0xeeeeb0;
	t->ui = 0x000000;
	t->text = 0x000000;
	t->search = 0xe600e6;
	return t;
}

/* The end of [b, e) without a trailing comment: whitespace, '#',
 * whitespace ("#rgb" is a value). */
static const char *strip_comment(const char *b, const char *e)
{
	for (const char *q = b + 1; q < e; q++)
		if (*q == '#' && (q[-1] == ' ' || q[-1] == '\t') &&
		    (q + 1 == e || q[1] == ' ' || q[1] == '\t'))
			return trim_end(b, q);
	return e;
}

/* "[flame]", "[palette]" or "[rules]". */
static int parse_section(theme_parser *ps, const char *b, const char *e)
{
	size_t n = (size_t)(e - b);
	if (key_is(b, n, "[flame]"))
		ps->section = SEC_FLAME;
	else if (key_is(b, n, "[palette]"))
		ps->section = SEC_PALETTE;
	else if (key_is(b, n, "[rules]"))
		ps->section = SEC_RULES;
	else
		return hf__error(ps->err, HF_EFORMAT, "line %d: unknown section %.*s",
			ps->lineno, (int)(n > 40 ? 40 : n), b);
	return HF_OK;
}

/* background = #rrggbb [#rrggbb]: one colour, or top and bottom. */
static int parse_background(theme_parser *ps, const char *v, size_t vlen)
{
	const char *ve = v + vlen;
	const char *sp = memchr(v, ' ', vlen);
	uint32_t c1, c2;
	if (!sp && hf__theme_parse_rgb(v, vlen, &c1)) {
		ps->t->bg_top = ps->t->bg_bottom = c1;
		return HF_OK;
	}
	if (sp && hf__theme_parse_rgb(v, (size_t)(sp - v), &c1)) {
		const char *v2 = skip_space(sp, ve);
		if (hf__theme_parse_rgb(v2, (size_t)(ve - v2), &c2)) {
			ps->t->bg_top = c1;
			ps->t->bg_bottom = c2;
			return HF_OK;
		}
	}
	return hf__error(ps->err, HF_EFORMAT, "line %d: background wants #rrggbb [#rrggbb]",
		ps->lineno);
}

/* A key of [flame]: background, ui, text, search, annotations. */
static int parse_flame_key(theme_parser *ps, const char *k, size_t klen, const char *v,
	size_t vlen)
{
	hf_theme *t = ps->t;
	if (key_is(k, klen, "background"))
		return parse_background(ps, v, vlen);
	if (key_is(k, klen, "ui") || key_is(k, klen, "text") || key_is(k, klen, "search")) {
		uint32_t *dst = key_is(k, klen, "ui") ? &t->ui
			: key_is(k, klen, "text") ? &t->text : &t->search;
		if (!hf__theme_parse_rgb(v, vlen, dst))
			return hf__error(ps->err, HF_EFORMAT, "line %d: %.*s wants #rrggbb",
				ps->lineno, (int)klen, k);
		return HF_OK;
	}
	if (key_is(k, klen, "annotations")) {
		if (key_is(v, vlen, "strip"))
			t->strip_annotations = true;
		else if (!key_is(v, vlen, "keep"))
			return hf__error(ps->err, HF_EFORMAT,
				"line %d: annotations wants strip or keep", ps->lineno);
		return HF_OK;
	}
	return hf__error(ps->err, HF_EFORMAT, "line %d: unknown key in [flame]", ps->lineno);
}

/* colors = #rrggbb ...: a list palette. */
static int parse_color_list(theme_parser *ps, const char *v, const char *ve)
{
	hf_theme *t = ps->t;
	t->is_list = true;
	t->ncolors = 0;
	for (const char *q = v; q < ve;) {
		const char *w = q;
		while (q < ve && *q != ' ' && *q != '\t')
			q++;
		if (t->ncolors == HF_THEME_MAX_COLORS ||
		    !hf__theme_parse_rgb(w, (size_t)(q - w), &t->colors[t->ncolors]))
			return hf__error(ps->err, HF_EFORMAT, "line %d: colors wants up to %d #rrggbb",
				ps->lineno, HF_THEME_MAX_COLORS);
		t->ncolors++;
		q = skip_space(q, ve);
	}
	return HF_OK;
}

/* A key of [palette]: red, green, blue (formulas) or colors (a list). */
static int parse_palette_key(theme_parser *ps, const char *k, size_t klen, const char *v,
	size_t vlen)
{
	int c = key_is(k, klen, "red") ? 0 : key_is(k, klen, "green") ? 1
		: key_is(k, klen, "blue") ? 2 : -1;
	if (c >= 0) {
		ps->have_channel[c] = true;
		if (!parse_channel(v, v + vlen, &ps->t->channel[c]))
			return hf__error(ps->err, HF_EFORMAT,
				"line %d: expected BASE [+ SCALE vN] (0-255, N 1-3)", ps->lineno);
		return HF_OK;
	}
	if (key_is(k, klen, "colors"))
		return parse_color_list(ps, v, v + vlen);
	return hf__error(ps->err, HF_EFORMAT, "line %d: unknown key in [palette]", ps->lineno);
}

/*
 * glibc's regcomp copies the tree once per stacked quantifier ("a++++..."
 * took gigabytes): such patterns are refused.
 */
static bool has_stacked_quantifiers(const char *pattern, size_t len)
{
	for (size_t q = 1; q < len; q++) {
		if (pattern[q - 1] == '\\') {
			q++;
			continue;
		}
		if (strchr("+*?", pattern[q]) && strchr("+*?}", pattern[q - 1]))
			return true;
	}
	return false;
}

/* A rule's colour: #rrggbb, or the name of a built-in palette. */
static int parse_rule_color(theme_parser *ps, hf__theme_rule *r, const char *v, size_t vlen)
{
	if (hf__theme_parse_rgb(v, vlen, &r->color)) {
		r->is_color = true;
		return HF_OK;
	}
	if (vlen == 0 || vlen >= 32)
		return hf__error(ps->err, HF_EFORMAT, "line %d: rule wants a palette or #rrggbb",
			ps->lineno);
	char palette[32];
	memcpy(palette, v, vlen);
	palette[vlen] = '\0';
	int rc = hf_theme_builtin(&r->palette, palette, ps->err);
	if (rc == HF_ENOTFOUND)
		rc = hf__error(ps->err, HF_EFORMAT, "line %d: no built-in palette named \"%.*s\"",
			ps->lineno, (int)vlen, v);
	return rc;
}

/* A line of [rules]: PATTERN = palette or #rrggbb. */
static int parse_rule(theme_parser *ps, const char *k, size_t klen, const char *v, size_t vlen)
{
	hf_theme *t = ps->t;
	if (klen == 0 || klen > 1000)
		return hf__error(ps->err, HF_EFORMAT, "line %d: empty or long pattern", ps->lineno);
	hf__theme_rule *rules = hf__grow(t->rules, &ps->rules_cap, t->nrules, sizeof(*rules), 8);
	if (!rules)
		return hf__oom(ps->err);
	t->rules = rules;
	hf__theme_rule *r = &t->rules[t->nrules];
	memset(r, 0, sizeof(*r));
	int rc = parse_rule_color(ps, r, v, vlen);
	if (rc != HF_OK)
		return rc;
	char pattern[1024];
	memcpy(pattern, k, klen);
	pattern[klen] = '\0';
	if (has_stacked_quantifiers(pattern, klen))
		return hf__error(ps->err, HF_EFORMAT,
			"line %d: stacked quantifiers in a rule pattern", ps->lineno);
	if (regcomp(&r->re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return hf__error(ps->err, HF_EFORMAT, "line %d: bad regular expression", ps->lineno);
	t->nrules++;
	return HF_OK;
}

/* One line without its end, leading space and comment: [section] or KEY = VALUE. */
static int parse_line(theme_parser *ps, const char *b, const char *e)
{
	if (memchr(b, '\0', (size_t)(e - b)))
		return hf__error(ps->err, HF_EFORMAT, "line %d: NUL byte", ps->lineno);
	if (*b == '[')
		return parse_section(ps, b, e);
	/* rules split at the last '=' (a regex may contain one), the rest at
	 * the first */
	const char *eq = NULL;
	for (const char *q = b; q < e; q++)
		if (*q == '=') {
			eq = q;
			if (ps->section != SEC_RULES)
				break;
		}
	if (!eq)
		return hf__error(ps->err, HF_EFORMAT, "line %d: expected KEY = VALUE", ps->lineno);
	const char *k = b, *ke = trim_end(b, eq);
	const char *v = skip_space(eq + 1, e);
	size_t klen = (size_t)(ke - k), vlen = (size_t)(e - v);
	switch (ps->section) {
	case SEC_FLAME:
		return parse_flame_key(ps, k, klen, v, vlen);
	case SEC_PALETTE:
		return parse_palette_key(ps, k, klen, v, vlen);
	case SEC_RULES:
		return parse_rule(ps, k, klen, v, vlen);
	case SEC_NONE:
		break;
	}
	return hf__error(ps->err, HF_EFORMAT, "line %d: KEY = VALUE before any [section]",
		ps->lineno);
}

/* A theme needs a palette: three channel formulas or a list of colours. */
static int check_palette(const theme_parser *ps)
{
	const hf_theme *t = ps->t;
	if (!t->is_list && !(ps->have_channel[0] && ps->have_channel[1] && ps->have_channel[2]))
		return hf__error(ps->err, HF_EFORMAT, "[palette] needs red, green and blue, or colors");
	if (t->is_list && t->ncolors == 0)
		return hf__error(ps->err, HF_EFORMAT, "[palette] colors is empty");
	return HF_OK;
}

int hf_theme_parse(hf_theme **out, const char *text, size_t len, const char *name,
	hf_error *err)
{
	*out = NULL;
	theme_parser ps = {.t = theme_with_defaults(name), .section = SEC_NONE, .err = err};
	if (!ps.t)
		return hf__oom(err);
	const char *p = text, *end = text + len;
	int rc = HF_OK;
	while (p < end && rc == HF_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *b = skip_space(p, le);
		const char *e = trim_end(b, le);
		ps.lineno++;
		p = nl ? nl + 1 : end;
		if (b != e && *b != '#')
			rc = parse_line(&ps, b, strip_comment(b, e));
	}
	if (rc == HF_OK)
		rc = check_palette(&ps);
	if (rc != HF_OK) {
		hf_theme_free(ps.t);
		return rc;
	}
	*out = ps.t;
	return HF_OK;
}

int hf_theme_load(hf_theme **out, const char *path, hf_error *err)
{
	*out = NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return hf__error(err, HF_EIO, "cannot open (%s)", strerror(errno));
	/* themes are small; refuse anything that is clearly not one */
	enum { MAX_THEME = 1 << 20 };
	char *buf = hf__malloc(MAX_THEME + 1);
	if (!buf) {
		fclose(fp);
		return hf__oom(err);
	}
	size_t n = fread(buf, 1, MAX_THEME + 1, fp);
	int bad = ferror(fp);
	fclose(fp);
	int rc;
	if (bad)
		rc = hf__error(err, HF_EIO, "read failed");
	else if (n > MAX_THEME)
		rc = hf__error(err, HF_ELIMIT, "larger than 1 MiB, not a theme");
	else {
		rc = hf_theme_parse(out, buf, n, path, err);
	}
	hf__free(buf);
	return rc;
}

/* ---- built-in themes, parsed once on first use ------------------------ */

/*
 * Each built-in is parsed the first time it is asked for and kept until
 * exit; the slot is published with a compare-and-swap, so threads racing
 * on the first use each parse a copy and all but one free theirs. A slot
 * that could not be filled (out of memory) stays empty and is tried again.
 * Parsing outside any lock lets a built-in's rules name other built-ins.
 */
static _Atomic(hf_theme *) builtin_cache[HF_THEME_MAX_BUILTINS];

int hf_theme_builtin(const hf_theme **out, const char *name, hf_error *err)
{
	*out = NULL;
	for (size_t i = 0; name && hf__embedded_theme_names[i]; i++) {
		if (strcmp(hf__embedded_theme_names[i], name) != 0)
			continue;
		hf_theme *t = atomic_load_explicit(&builtin_cache[i], memory_order_acquire);
		if (!t) {
			const hf__embedded *e = &hf__embedded_themes[i];
			hf_theme *mine = NULL;
			int rc = hf_theme_parse(&mine, (const char *)e->data, e->len, e->name, err);
			if (rc != HF_OK)
				return rc;
			/* t is NULL: on losing the race it becomes the winner's */
			if (atomic_compare_exchange_strong_explicit(&builtin_cache[i], &t, mine,
				    memory_order_acq_rel, memory_order_acquire))
				t = mine;
			else
				hf_theme_free(mine);
		}
		*out = t;
		return HF_OK;
	}
	return hf__error(err, HF_ENOTFOUND, "no built-in theme named \"%.40s\"",
		name ? name : "(null)");
}

const char *const *hf_theme_builtin_names(void)
{
	return hf__embedded_theme_names;
}
