/*
 * The memory map of a legacy text profile ("--- Memory map: ---" or
 * "MAPPED_LIBRARIES:" and the lines after it), as pprof's
 * ParseMemoryMap reads it, and which mapping holds an address.
 */
#include "build.h"

#include <string.h>

static bool is_xdigit(char ch)
{
	return hf__is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool is_gospace(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\f' || ch == '\r';
}

/* Hex digits (at most 16); false if none or too many. */
static bool parse_hex(hf__cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;
	for (; !hf__cursor_at_end(c) && is_xdigit(*c->s); c->s++, n++) {
		char ch = *c->s;
		v = v << 4 | (uint64_t)(hf__is_digit(ch) ? ch - '0' : (ch | 0x20) - 'a' + 10);
	}
	*out = v;
	return n > 0 && n <= 16;
}

/* At least one space, then a token of chars `ok` accepts; on failure the
 * hf__cursor is unchanged. */
static bool spaced_token(hf__cursor *c, bool (*ok)(char), hf__text_line *tok)
{
	hf__cursor t = *c;
	if (hf__cursor_at_end(&t) || !is_gospace(*t.s))
		return false;
	while (!hf__cursor_at_end(&t) && is_gospace(*t.s))
		t.s++;
	const char *start = t.s;
	while (!hf__cursor_at_end(&t) && ok(*t.s))
		t.s++;
	if (t.s == start)
		return false;
	tok->start = start;
	tok->end = t.s;
	*c = t;
	return true;
}

static bool is_perm(char ch)
{
	return ch == '-' || ch == 'r' || ch == 'w' || ch == 'x' || ch == 'p';
}

static bool is_nonspace(char ch)
{
	return !is_gospace(ch);
}

static bool is_decimal(char ch)
{
	return hf__is_digit(ch);
}

static uint64_t hex_value(hf__text_line t)
{
	hf__cursor c = {t.start, t.end};
	uint64_t v = 0;
	parse_hex(&c, &v);
	return v;
}

/*
 * One line of the map in pprof's two forms (legacy_profile.go procMapsRE,
 * briefMapsRE): /proc/self/maps ("START-END PERM OFFSET DEV INODE FILE")
 * or "START-END [PERM] [FILE] [(@OFFSET)] [BUILDID]". Returns 1 for a
 * mapping, 0 for a line to ignore (not a mapping, or not executable).
 */
static int parse_map_line(hf__cursor c, hf__memmap_entry *m)
{
	/* glog's "file.cc:12] " prefix */
	for (const char *q = c.s; q < c.end && *q != '[' && *q != ']'; q++) {
		if (*q == ':' && q > c.s) {
			const char *d = q + 1;
			while (d < c.end && hf__is_digit(*d))
				d++;
			if (d > q + 1 && d + 1 < c.end && *d == ']' && is_gospace(d[1])) {
				c.s = d + 2;
				break;
			}
		}
	}
	memset(m, 0, sizeof(*m));
	while (!hf__cursor_at_end(&c) && is_gospace(*c.s))
		c.s++;
	if (c.end - c.s >= 2 && c.s[0] == '0' && c.s[1] == 'x')
		c.s += 2;
	const char *first = c.s;
	if (!parse_hex(&c, &m->start))
		return 0;
	hf__cursor after_start = c;
	if (!hf__cursor_at_end(&c) && (is_gospace(*c.s) || *c.s == '-'))
		c.s++;
	while (!hf__cursor_at_end(&c) && is_gospace(*c.s))
		c.s++;
	if (c.end - c.s >= 2 && c.s[0] == '0' && c.s[1] == 'x')
		c.s += 2;
	if (!parse_hex(&c, &m->limit)) {
		/* As pprof's regexp backtracks: the first number's last digit
		 * is the limit ("1234" is 0x123-0x4). */
		if (after_start.s - first < 2)
			return 0;
		hf__cursor a = {first, after_start.s - 1}, b = {after_start.s - 1, after_start.s};
		parse_hex(&a, &m->start);
		parse_hex(&b, &m->limit);
		c = after_start;
	}
	hf__cursor_eat(&c, ':');
	hf__text_line perm = {NULL, NULL}, off = {NULL, NULL}, dev, inode, file = {NULL, NULL};
	hf__cursor after_range = c;
	bool has_perm = spaced_token(&c, is_perm, &perm);
	/* /proc/self/maps: [offset], dev (hex:hex), inode, file */
	bool proc = false, has_off = false;
	hf__cursor p = c;
	for (int with_off = 1; with_off >= 0 && !proc; with_off--) {
		p = c;
		has_off = with_off && spaced_token(&p, is_xdigit, &off);
		if (with_off && !has_off)
			continue;
		proc = spaced_token(&p, is_nonspace, &dev);
		if (proc) {
			const char *colon = memchr(dev.start, ':', (size_t)(dev.end - dev.start));
			proc = colon && colon > dev.start && colon + 1 < dev.end;
			for (const char *q = dev.start; proc && q < dev.end; q++)
				proc = q == colon || is_xdigit(*q);
		}
		proc = proc && spaced_token(&p, is_decimal, &inode) &&
		       (hf__cursor_at_end(&p) || is_gospace(*p.s));
	}
	if (proc) {
		spaced_token(&p, is_nonspace, &file);
		m->offset = has_off ? hex_value(off) : 0;
	} else {
		/* the brief form */
		if (!has_perm)
			c = after_range;
		p = c;
		spaced_token(&p, is_nonspace, &file);
		hf__cursor q = p;
		hf__text_line at;
		if (spaced_token(&q, is_nonspace, &at) && at.end - at.start >= 4 &&
		    at.start[0] == '(' && at.start[1] == '@' && at.end[-1] == ')') {
			hf__cursor h = {at.start + 2, at.end - 1};
			uint64_t v;
			if (parse_hex(&h, &v) && hf__cursor_at_end(&h)) {
				m->offset = v;
				p = q;
			}
		}
		hf__text_line bid;
		if (spaced_token(&p, is_xdigit, &bid))
			m->build_id = bid;
	}
	if (has_perm && !memchr(perm.start, 'x', (size_t)(perm.end - perm.start)))
		return 0; /* pprof skips mappings that are not executable */
	m->file = file;
	return 1;
}

static bool line_eq(hf__text_line a, hf__text_line b)
{
	return a.end - a.start == b.end - b.start &&
	       (a.start == b.start || memcmp(a.start, b.start, (size_t)(a.end - a.start)) == 0);
}

static bool is_empty(hf__text_line t)
{
	return t.start == t.end;
}

/* pprof's adjacent(): one mapping split in two. */
static bool adjacent(const hf__memmap_entry *a, const hf__memmap_entry *b)
{
	if (!is_empty(a->file) && !is_empty(b->file) && !line_eq(a->file, b->file))
		return false;
	if (!is_empty(a->build_id) && !is_empty(b->build_id) && !line_eq(a->build_id, b->build_id))
		return false;
	if (a->limit != b->start)
		return false;
	if (a->offset != 0 && b->offset != 0 && a->offset + (a->limit - a->start) != b->offset)
		return false;
	return true;
}

/* A shared library by pprof's libRx: ".so" at the end, or ".so." or
 * ".so_" and a digit. */
static bool is_library(const char *s, size_t n)
{
	if (n >= 3 && memcmp(s + n - 3, ".so", 3) == 0)
		return true;
	for (size_t i = 0; i + 4 < n; i++)
		if (memcmp(s + i, ".so", 3) == 0 && (s[i + 3] == '.' || s[i + 3] == '_') &&
		    hf__is_digit(s[i + 4]))
			return true;
	return false;
}

/* The main binary, as pprof guesses it: the first mapping whose file,
 * "(deleted)" removed and trimmed, is not empty, not a library and does
 * not start with '['. */
static bool is_main_candidate(hf__text_line f)
{
	char buf[4096];
	size_t n = 0;
	for (const char *q = f.start; q < f.end && n < sizeof(buf);) {
		if (f.end - q >= 9 && memcmp(q, "(deleted)", 9) == 0) {
			q += 9;
			continue;
		}
		buf[n++] = *q++;
	}
	size_t a = 0;
	while (a < n && is_gospace(buf[a]))
		a++;
	while (n > a && is_gospace(buf[n - 1]))
		n--;
	return n > a && !is_library(buf + a, n - a) && buf[a] != '[';
}

/*
 * Reads the map after the sentinel line and applies pprof's fixes
 * (ParseMemoryMapFromScanner: massageMappings, remapMappingIDs): adjacent
 * pieces of one file joined, the main binary moved first, an
 * /anon_hugepage first mapping dropped when its neighbour follows, the
 * main binary's start set to 0x400000 when START-OFFSET is that. Lines
 * that are not mappings are ignored, as pprof does ($attr=value
 * substitutions are not supported).
 */
int hf__profile_memmap_read(hf__memmap *map, hf__builder *b, const char *pos, const char *end,
	size_t max_name, hf_error *err)
{
	hf__text_line line;
	while (hf__next_line(&pos, end, &line)) {
		hf__memmap_entry m;
		if (!parse_map_line((hf__cursor){line.start, line.end}, &m))
			continue;
		if (map->n && adjacent(&map->entries[map->n - 1], &m)) {
			hf__memmap_entry *last = &map->entries[map->n - 1];
			last->limit = m.limit;
			if (!is_empty(m.file))
				last->file = m.file;
			if (!is_empty(m.build_id))
				last->build_id = m.build_id;
			continue;
		}
		hf__memmap_entry *grown = hf__grow(map->entries, &map->cap, map->n,
			sizeof(*map->entries), 32);
		if (!grown)
			return hf__oom(err);
		map->entries = grown;
		map->entries[map->n++] = m;
	}
	for (size_t i = 0; i < map->n; i++) {
		if (is_main_candidate(map->entries[i].file)) {
			hf__memmap_entry t = map->entries[0];
			map->entries[0] = map->entries[i];
			map->entries[i] = t;
			break;
		}
	}
	if (map->n > 1 && map->entries[0].file.end - map->entries[0].file.start >= 14 &&
	    memcmp(map->entries[0].file.start, "/anon_hugepage", 14) == 0 &&
	    map->entries[0].limit == map->entries[1].start) {
		memmove(map->entries, map->entries + 1, (map->n - 1) * sizeof(*map->entries));
		map->n--;
	}
	if (map->n && map->entries[0].start - map->entries[0].offset == 0x400000) {
		map->entries[0].start = 0x400000;
		map->entries[0].offset = 0;
	}
	for (size_t i = 0; i < map->n; i++) {
		hf__memmap_entry *m = &map->entries[i];
		size_t fl = (size_t)(m->file.end - m->file.start);
		size_t bl = (size_t)(m->build_id.end - m->build_id.start);
		if (fl > max_name || bl > max_name)
			return hf__error(err, HF_ELIMIT, "memory map: name longer than %zu bytes",
				max_name);
		char *file = hf__arena_strndup(&b->p->arena, fl ? m->file.start : "", fl);
		char *bid = hf__arena_strndup(&b->p->arena, bl ? m->build_id.start : "", bl);
		if (!file || !bid)
			return hf__oom(err);
		hf__mapping hm;
		memset(&hm, 0, sizeof(hm));
		hm.memory_start = m->start;
		hm.memory_limit = m->limit;
		hm.file_offset = m->offset;
		hm.filename = file;
		hm.build_id = bid;
		int64_t shift;
		m->id = hf__profile_builder_mapping(b, &hm, &shift);
		if (m->id == HF_NONE)
			return err ? err->code : HF_ENOMEM;
	}
	return HF_OK;
}

/* pprof's mapping of a location: the first that holds its address; else
 * one whose offset, taken from its start, would (that mapping then starts
 * there); else none. */
uint32_t hf__profile_memmap_find(hf__memmap *map, uint64_t address)
{
	if (address == 0)
		return HF_NONE;
	for (size_t i = 0; i < map->n; i++)
		if (map->entries[i].start <= address && address < map->entries[i].limit)
			return map->entries[i].id;
	for (size_t i = 0; i < map->n; i++) {
		hf__memmap_entry *m = &map->entries[i];
		if (m->offset != 0 && m->start - m->offset <= address && address < m->start) {
			m->start -= m->offset;
			m->offset = 0;
			return m->id;
		}
	}
	return HF_NONE;
}

static bool contains(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	for (; (size_t)(end - s) >= n; s++)
		if (memcmp(s, needle, n) == 0)
			return true;
	return false;
}

bool hf__profile_memmap_sentinel(const char *s, const char *end)
{
	return contains(s, end, "--- Memory map: ---") || contains(s, end, "MAPPED_LIBRARIES:");
}

void hf__profile_memmap_dispose(hf__memmap *map)
{
	hf__free(map->entries);
	memset(map, 0, sizeof(*map));
}

