/*
 * Function names as pprof shows them: the simplification of demangled C++
 * names (symbolizer.go) and ShortenFunctionName (graph.go), written as
 * plain scanners that give the same results as pprof's regular
 * expressions.
 */
#include "measure.h"

#include <string.h>

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_alpha_(char c) { return is_upper(c) || is_lower(c) || c == '_'; }

static bool looks_like_demangled_cpp(const char *name)
{
	if (strstr(name, ".<") || strstr(name, "]).")) /* Java "<init>", Go generics */
		return false;
	return strpbrk(name, "<>[]") || strstr(name, "::");
}

/* Removes nested start..end groups in place. An unbalanced close stops
 * the removal there, keeping what was removed before (pprof's
 * removeMatching). */
static void remove_matching(char *name, char start, char end)
{
	size_t len = strlen(name), out = 0, mark = 0;
	int nesting = 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (c == end && nesting == 0) {
			memmove(name + out, name + i, len - i + 1);
			return;
		}
		name[out++] = c;
		if (c == start) {
			if (++nesting == 1)
				mark = out - 1;
		} else if (c == end && --nesting == 0) {
			out = mark;
		}
	}
	name[out] = '\0';
}

const char *hf__measure_simplify_cpp_name(hf__arena *arena, const char *name)
{
	if (!looks_like_demangled_cpp(name))
		return name;
	char *copy = hf__arena_strndup(arena, name, strlen(name));
	if (!copy)
		return NULL;
	remove_matching(copy, '(', ')');
	remove_matching(copy, '<', '>');
	return copy;
}

const char *hf__measure_function_name(hf__arena *arena, const hf_profile *p, const hf__function *f)
{
	const char *name = f->name ? f->name : "";
	const char *sys = f->system_name ? f->system_name : "";
	if (name[0] && strcmp(name, sys) != 0)
		return name; /* already demangled by whoever wrote the profile */
	if (p->nmappings == 0)
		return name[0] ? name : sys;
	return hf__measure_simplify_cpp_name(arena, sys);
}

/* goVerRegExp: drops the first "/vN" major-version element (N >= 2)
 * followed by '.' or '/'. Returns the length written to out. */
static size_t strip_go_version(const char *s, char *out)
{
	size_t len = strlen(s);
	for (size_t i = 0; i + 2 < len; i++) {
		if (s[i] != '/' || s[i + 1] != 'v')
			continue;
		size_t d = i + 2, e = d;
		while (e < len && s[e] >= '0' && s[e] <= '9')
			e++;
		size_t k = e - d;
		if (k == 0 || e >= len || (s[e] != '.' && s[e] != '/'))
			continue;
		if (k == 1 ? (s[d] < '2') : (s[d] == '0'))
			continue;
		memcpy(out, s, i);
		memcpy(out + i, s + e, len - e + 1);
		return len - (e - i);
	}
	memcpy(out, s, len + 1);
	return len;
}

/* goRegExp ^(?:[\w\-\.]+/)+(.+): the part after the last '/' of a leading
 * run of path elements, or NULL. */
static const char *go_short(const char *s)
{
	const char *rest = NULL, *p = s;
	for (;;) {
		const char *q = p;
		while (is_word(*q) || *q == '-' || *q == '.')
			q++;
		if (q == p || *q != '/')
			break;
		if (q[1] == '\0') /* (.+) needs at least one byte after */
			break;
		rest = q + 1;
		p = q + 1;
	}
	return rest;
}

/* javaRegExp: returns the start and sets *end of "Class.method", or NULL. */
static const char *java_short(const char *s, const char **end)
{
	const char *p = s;
	for (;;) { /* (?:[a-z]\w*\.)* */
		if (!is_lower(*p))
			break;
		const char *q = p + 1;
		while (is_word(*q))
			q++;
		if (*q != '.')
			break;
		p = q + 1;
	}
	if (!is_upper(*p))
		return NULL;
	const char *q = p + 1;
	while (is_word(*q) || *q == '$')
		q++;
	if (*q != '.')
		return NULL;
	q++;
	const char *r;
	if (!strncmp(q, "<init>", 6) && (q[6] == '\0' || q[6] == '(')) {
		r = q + 6;
	} else {
		if (!is_lower(*q))
			return NULL;
		r = q + 1;
		while (is_word(*r) || *r == '$')
			r++;
		if (*r != '\0' && *r != '(')
			return NULL;
	}
	*end = r;
	return p;
}

/* The cppRegExp capture at p: _*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)? */
static const char *cpp_capture_end(const char *p)
{
	while (*p == '_')
		p++;
	if (!is_upper(*p))
		return NULL;
	p++;
	while (is_word(*p))
		p++;
	if (p[0] != ':' || p[1] != ':')
		return NULL;
	p += 2;
	if (*p == '~')
		p++;
	if (!is_alpha_(*p))
		return NULL;
	p++;
	while (is_word(*p))
		p++;
	if (*p == '<') {
		const char *close = strrchr(p, '>');
		const char *nl = strchr(p, '\n');
		if (close && (!nl || nl > close))
			p = close + 1;
	}
	return p;
}

/* cppRegExp ^(?:[_a-zA-Z]\w*::)+(capture): the longest prefix of
 * "name::" elements after which the capture matches. */
static const char *cpp_short(const char *s, const char **end)
{
	const char *bounds[64];
	size_t nb = 0;
	const char *p = s;
	while (nb < 64 && is_alpha_(*p)) {
		const char *q = p + 1;
		while (is_word(*q))
			q++;
		if (q[0] != ':' || q[1] != ':')
			break;
		p = q + 2;
		bounds[nb++] = p;
	}
	while (nb > 0) {
		const char *e = cpp_capture_end(bounds[nb - 1]);
		if (e) {
			*end = e;
			return bounds[nb - 1];
		}
		nb--;
	}
	return NULL;
}

const char *hf__measure_shorten_function_name(hf__arena *arena, const char *name)
{
	static const char anon[] = "(anonymous namespace)::";
	if (!strncmp(name, anon, sizeof(anon) - 1))
		name += sizeof(anon) - 1;
	char *buf = hf__arena_alloc(arena, strlen(name) + 1);
	if (!buf)
		return NULL;
	strip_go_version(name, buf);
	const char *start, *end = NULL;
	if ((start = go_short(buf)) != NULL)
		return start;
	if ((start = java_short(buf, &end)) != NULL || (start = cpp_short(buf, &end)) != NULL) {
		buf[end - buf] = '\0';
		return start;
	}
	return buf;
}

void hf__measure_put_text(hf__sink *sink, const char *s)
{
	const char *run = s;
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p >= 0x20 && *p != 0x7f)
			continue;
		hf__sink_put(sink, run, (size_t)(p - run));
		hf__sink_putc(sink, '?');
		run = p + 1;
	}
	hf__sink_puts(sink, run);
}
