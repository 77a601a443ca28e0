/*
 * Legacy text heap profiles ("heap profile: ... @ heap/N", as written by
 * Go's /debug/pprof/heap?debug=1 and older tcmalloc tools), with pprof's
 * header, record and un-sampling rules (profile/legacy_profile.go).
 *
 * Unlike pprof we also read the "#\t0xPC\tfunc+0xOFF\tfile:line" lines
 * Go writes after each record, so frames have names without the binary,
 * and keep the "# runtime.MemStats" block for --info.
 */
#include "build.h"

#include <math.h>
#include <string.h>

typedef struct cursor {
	const char *s, *end;
} cursor;

static bool at_end(const cursor *c)
{
	return c->s >= c->end;
}

static void skip_spaces(cursor *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t'))
		c->s++;
}

static bool eat(cursor *c, char ch)
{
	if (c->s < c->end && *c->s == ch) {
		c->s++;
		return true;
	}
	return false;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A decimal integer, optionally negative; its text is kept in *text. */
static bool parse_int(cursor *c, bool allow_minus, int64_t *out, hf_text_line *text)
{
	const char *start = c->s;
	bool neg = allow_minus && eat(c, '-');
	if (at_end(c) || !is_digit(*c->s))
		return false;
	uint64_t v = 0;
	while (c->s < c->end && is_digit(*c->s)) {
		unsigned d = (unsigned)(*c->s++ - '0');
		if (v > (UINT64_C(9223372036854775807) - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	if (text) {
		text->start = start;
		text->end = c->s;
	}
	return true;
}

/* "N: N [N: N]" as in both the header and the records. */
static bool parse_counts(cursor *c, bool header, int64_t v[4], hf_text_line text[4])
{
	for (int pair = 0; pair < 2; pair++) {
		skip_spaces(c);
		if (pair == 1 && !eat(c, '['))
			return false;
		skip_spaces(c);
		if (!parse_int(c, !header && pair == 0, &v[pair * 2], &text[pair * 2]))
			return false;
		if (!eat(c, ':'))
			return false;
		skip_spaces(c);
		if (!parse_int(c, !header && pair == 0, &v[pair * 2 + 1], &text[pair * 2 + 1]))
			return false;
		skip_spaces(c);
	}
	return eat(c, ']');
}

static bool text_eq(hf_text_line a, hf_text_line b)
{
	return a.end - a.start == b.end - b.start &&
	       memcmp(a.start, b.start, (size_t)(a.end - a.start)) == 0;
}

static bool text_is(hf_text_line a, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(a.end - a.start) == n && memcmp(a.start, s, n) == 0;
}

static bool starts_with(const char *s, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);
	return (size_t)(end - s) >= n && memcmp(s, prefix, n) == 0;
}

typedef struct heap_header {
	bool v2;         /* Poisson un-sampling applies */
	int64_t period;
	bool has_alloc;
} heap_header;

static const char *find(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	for (; (size_t)(end - s) >= n; s++)
		if (memcmp(s, needle, n) == 0)
			return s;
	return NULL;
}

static int parse_header(hf_text_line line, heap_header *h, hf_error *err)
{
	const char *at = find(line.start, line.end, "heap profile:");
	if (!at)
		return hf__error(err, HF_EFORMAT, "not a pprof profile (unrecognized text)");
	cursor c = {at + 13, line.end};
	int64_t v[4];
	hf_text_line text[4];
	if (!parse_counts(&c, true, v, text))
		return hf__error(err, HF_EFORMAT, "line 1: malformed heap profile header");
	skip_spaces(&c);
	if (!eat(&c, '@'))
		return hf__error(err, HF_EFORMAT, "line 1: malformed heap profile header");
	skip_spaces(&c);
	hf_text_line kind = {c.s, c.s};
	while (c.s < c.end && ((*c.s >= 'a' && *c.s <= 'z') || is_digit(*c.s) || *c.s == '_'))
		c.s++;
	kind.end = c.s;
	memset(h, 0, sizeof(*h));
	if (text_is(kind, "growthz") || text_is(kind, "growth") ||
	    text_is(kind, "fragmentationz") || text_is(kind, "fragmentation")) {
		h->period = 1;
		return HF_OK;
	}
	eat(&c, '/');
	int64_t rate = 0;
	bool has_rate = !at_end(&c) && is_digit(*c.s);
	if (has_rate && !parse_int(&c, false, &rate, NULL))
		return hf__error(err, HF_EFORMAT, "line 1: sampling rate out of range");
	/* pprof would read "heap/0" as "not sampled"; it is a broken header. */
	if (has_rate && rate == 0)
		return hf__error(err, HF_EFORMAT, "line 1: a sampling rate of 0 (\"%.*s/0\")",
			(int)(kind.end - kind.start), kind.start);
	/* pprof compares the header's numbers as text. */
	h->has_alloc = (!text_eq(text[2], text[0]) && !text_is(text[2], "0")) ||
		       (!text_eq(text[3], text[1]) && !text_is(text[3], "0"));
	if (text_is(kind, "heapz_v2") || text_is(kind, "heap_v2")) {
		h->v2 = true;
		h->period = rate;
	} else if (text_is(kind, "heapprofile")) {
		h->period = 1;
	} else if (text_is(kind, "heap")) {
		/* Go writes 2*MemProfileRate after "heap/". */
		h->v2 = true;
		h->period = rate / 2;
	} else {
		return hf__error(err, HF_EFORMAT, "line 1: unsupported heap profile kind \"%.*s\"",
			(int)(kind.end - kind.start), kind.start);
	}
	return HF_OK;
}

/* Is x (not NaN) within int64_t, so converting it is defined? */
static bool fits_int64(double x)
{
	return x >= -9223372036854775808.0 && x < 9223372036854775808.0;
}

/* pprof's scaleHeapSample: undo Poisson sampling at `rate` bytes. False
 * when the scaled values do not fit 64 bits (a tiny average can make the
 * scale infinite). */
static bool unsample(int64_t *count, int64_t *size, int64_t rate)
{
	if (*count == 0 || *size == 0) {
		*count = *size = 0;
		return true;
	}
	if (rate <= 1)
		return true;
	double avg = (double)*size / (double)*count;
	double scale = 1 / (1 - exp(-avg / (double)rate));
	double c = (double)*count * scale, s = (double)*size * scale;
	if (!fits_int64(c) || !fits_int64(s))
		return false;
	*count = (int64_t)c;
	*size = (int64_t)s;
	return true;
}

typedef struct legacy {
	hf_builder b;
	heap_header h;
	const hf_parse_options *opts;
	hf_error *err;
	size_t lineno;
	/* the record being read */
	bool in_record;
	int64_t values[4];
	int64_t blocksize;
	uint64_t *addrs;
	size_t naddrs, addrs_cap;
	uint32_t *frames;   /* locations from the '#' lines, leaf first */
	size_t nframes, frames_cap;
	/* runtime.MemStats */
	bool in_memstats;
	hf_memstat *memstats;
	size_t nmemstats, memstats_cap;
} legacy;

static int grow(void **arr, size_t *cap, size_t len, size_t size, hf_error *err)
{
	if (len < *cap)
		return HF_OK;
	size_t ncap = *cap ? *cap * 2 : 32;
	void *n = hf__realloc(*arr, hf__mul(ncap, size));
	if (!n)
		return hf__oom(err);
	*arr = n;
	*cap = ncap;
	return HF_OK;
}

/* Ends the current record: its sample gets the named frames if it had
 * '#' lines, else one address-only location per PC (as pprof). */
static int end_record(legacy *lg)
{
	if (!lg->in_record)
		return HF_OK;
	lg->in_record = false;
	hf_label bytes = {"bytes", NULL, lg->blocksize, ""};
	if (lg->nframes == 0) {
		for (size_t i = 0; i < lg->naddrs; i++) {
			/* Return addresses: step back onto the call. */
			uint32_t loc = hf__builder_location(&lg->b, lg->addrs[i] - 1, HF_NONE,
				NULL, 0, false);
			if (loc == HF_NONE)
				return lg->err ? lg->err->code : HF_ENOMEM;
			if (grow((void **)&lg->frames, &lg->frames_cap, lg->nframes,
				    sizeof(*lg->frames), lg->err) != HF_OK)
				return HF_ENOMEM;
			lg->frames[lg->nframes++] = loc;
		}
	}
	int rc = hf__builder_sample(&lg->b, lg->frames, lg->nframes, lg->values, NULL,
		&bytes, 1, false);
	lg->nframes = 0;
	return rc;
}

static int parse_record(legacy *lg, cursor c)
{
	int64_t v[4];
	hf_text_line text[4];
	if (!parse_counts(&c, false, v, text))
		return hf__error(lg->err, HF_EFORMAT, "line %zu: malformed heap profile record",
			lg->lineno);
	skip_spaces(&c);
	if (!eat(&c, '@'))
		return hf__error(lg->err, HF_EFORMAT, "line %zu: malformed heap profile record",
			lg->lineno);
	lg->in_record = true;
	lg->blocksize = 0;
	size_t nv = 0;
	/* pprof's order: alloc pair first (if any), then inuse. */
	for (int pass = lg->h.has_alloc ? 0 : 1; pass < 2; pass++) {
		int64_t count = pass == 0 ? v[2] : v[0], size = pass == 0 ? v[3] : v[1];
		const char *what = pass == 0 ? "allocation" : "inuse";
		if (count == 0 && size != 0)
			return hf__error(lg->err, HF_EFORMAT,
				"line %zu: %s count was 0 but %s bytes was %lld", lg->lineno,
				what, what, (long long)size);
		if (count != 0) {
			lg->blocksize = size / count;
			if (lg->h.v2 && !unsample(&count, &size, lg->h.period))
				return hf__error(lg->err, HF_ELIMIT,
					"line %zu: un-sampled %s values overflow 64 bits",
					lg->lineno, what);
		}
		lg->values[nv++] = count;
		lg->values[nv++] = size;
	}
	lg->naddrs = 0;
	for (;;) {
		skip_spaces(&c);
		if (at_end(&c))
			break;
		if (!eat(&c, '0') || !eat(&c, 'x'))
			return hf__error(lg->err, HF_EFORMAT, "line %zu: malformed address",
				lg->lineno);
		uint64_t a = 0;
		size_t digits = 0;
		for (; !at_end(&c); c.s++, digits++) {
			char ch = *c.s;
			unsigned d;
			if (is_digit(ch))
				d = (unsigned)(ch - '0');
			else if (ch >= 'a' && ch <= 'f')
				d = (unsigned)(ch - 'a' + 10);
			else
				break;
			if (digits >= 16)
				return hf__error(lg->err, HF_EFORMAT,
					"line %zu: address out of range", lg->lineno);
			a = a << 4 | d;
		}
		if (!digits)
			return hf__error(lg->err, HF_EFORMAT, "line %zu: malformed address",
				lg->lineno);
		if (lg->naddrs >= lg->opts->max_depth)
			return hf__error(lg->err, HF_ELIMIT,
				"line %zu: more than %zu frames in one stack", lg->lineno,
				lg->opts->max_depth);
		if (grow((void **)&lg->addrs, &lg->addrs_cap, lg->naddrs, sizeof(*lg->addrs),
			    lg->err) != HF_OK)
			return HF_ENOMEM;
		lg->addrs[lg->naddrs++] = a;
	}
	return HF_OK;
}

/* "#\t0xPC\tfunc+0xOFF\tfile:line": one named frame of the record. */
static int parse_frame(legacy *lg, cursor c)
{
	skip_spaces(&c);
	const char *pc_start = c.s;
	while (!at_end(&c) && *c.s != '\t' && *c.s != ' ')
		c.s++;
	uint64_t pc = 0;
	for (const char *q = pc_start + 2; q < c.s; q++)
		pc = pc << 4 | (uint64_t)(is_digit(*q) ? *q - '0' : (*q | 0x20) - 'a' + 10);
	skip_spaces(&c);
	/* The function runs to the next tab (Go names have no tabs). */
	const char *name = c.s;
	while (!at_end(&c) && *c.s != '\t')
		c.s++;
	const char *name_end = c.s;
	for (const char *q = name_end; q > name; q--) {
		if (q[-1] == '+' && starts_with(q, name_end, "0x")) {
			name_end = q - 1;
			break;
		}
	}
	skip_spaces(&c);
	const char *file = c.s, *file_end = c.end;
	while (file_end > file && (file_end[-1] == ' ' || file_end[-1] == '\t'))
		file_end--;
	int64_t line = 0;
	for (const char *q = file_end; q > file; q--) {
		if (q[-1] == ':') {
			cursor lc = {q, file_end};
			if (parse_int(&lc, false, &line, NULL) && at_end(&lc))
				file_end = q - 1;
			else
				line = 0;
			break;
		}
		if (!is_digit(q[-1]))
			break;
	}
	size_t nlen = (size_t)(name_end - name), flen = (size_t)(file_end - file);
	if (nlen > lg->opts->max_name || flen > lg->opts->max_name)
		return hf__error(lg->err, HF_ELIMIT, "line %zu: name longer than %zu bytes",
			lg->lineno, lg->opts->max_name);
	if (lg->nframes >= lg->opts->max_depth)
		return hf__error(lg->err, HF_ELIMIT, "line %zu: more than %zu frames in one stack",
			lg->lineno, lg->opts->max_depth);
	char small[512];
	char *buf = nlen + flen + 2 <= sizeof(small) ? small : hf__malloc(nlen + flen + 2);
	if (!buf)
		return hf__oom(lg->err);
	memcpy(buf, name, nlen);
	buf[nlen] = '\0';
	memcpy(buf + nlen + 1, file, flen);
	buf[nlen + 1 + flen] = '\0';
	uint32_t fn = hf__builder_function(&lg->b, buf, buf, buf + nlen + 1, 0);
	if (buf != small)
		hf__free(buf);
	if (fn == HF_NONE)
		return HF_ENOMEM;
	hf_bline ln = {fn, line, 0};
	uint32_t loc = hf__builder_location(&lg->b, pc, HF_NONE, &ln, 1, false);
	if (loc == HF_NONE ||
	    grow((void **)&lg->frames, &lg->frames_cap, lg->nframes, sizeof(*lg->frames),
		    lg->err) != HF_OK)
		return HF_ENOMEM;
	lg->frames[lg->nframes++] = loc;
	return HF_OK;
}

/* "# Key = value" inside the runtime.MemStats block. */
static int parse_memstat(legacy *lg, cursor c)
{
	skip_spaces(&c);
	const char *eq = find(c.s, c.end, " = ");
	if (!eq)
		return HF_OK;
	if (grow((void **)&lg->memstats, &lg->memstats_cap, lg->nmemstats,
		    sizeof(*lg->memstats), lg->err) != HF_OK)
		return HF_ENOMEM;
	hf_arena *a = &lg->b.p->arena;
	hf_memstat *m = &lg->memstats[lg->nmemstats++];
	m->key = hf_arena_strndup(a, c.s, (size_t)(eq - c.s));
	m->value = hf_arena_strndup(a, eq + 3, (size_t)(c.end - eq - 3));
	return m->key && m->value ? HF_OK : hf__oom(lg->err);
}

static int parse_comment(legacy *lg, cursor c)
{
	c.s++; /* '#' */
	cursor rest = c;
	skip_spaces(&rest);
	if (starts_with(rest.s, rest.end, "runtime.MemStats")) {
		lg->in_memstats = true;
		return end_record(lg);
	}
	if (lg->in_memstats)
		return parse_memstat(lg, rest);
	if (lg->in_record && starts_with(rest.s, rest.end, "0x"))
		return parse_frame(lg, rest);
	return HF_OK;
}

static const hf_value_type types4[] = {
	{"alloc_objects", "count"}, {"alloc_space", "bytes"},
	{"inuse_objects", "count"}, {"inuse_space", "bytes"}};
static const hf_value_type types2[] = {{"objects", "count"}, {"space", "bytes"}};

int hf__profile_decode_legacy_heap(hf_profile *p, const char *data, size_t len,
	const hf_parse_options *opts, hf_error *err)
{
	const char *pos = data, *end = data + len;
	hf_text_line line;
	legacy lg;
	memset(&lg, 0, sizeof(lg));
	lg.opts = opts;
	lg.err = err;
	if (!hf__next_line(&pos, end, &line))
		return hf__error(err, HF_EFORMAT, "empty file");
	int rc = parse_header(line, &lg.h, err);
	if (rc != HF_OK)
		return rc;
	/* Alloc first, so the default (the last) is inuse_space, as pprof. */
	p->nsample_types = lg.h.has_alloc ? 4 : 2;
	p->sample_types = hf_arena_alloc(&p->arena, p->nsample_types * sizeof(*p->sample_types));
	if (!p->sample_types)
		return hf__oom(err);
	memcpy(p->sample_types, lg.h.has_alloc ? types4 : types2,
		p->nsample_types * sizeof(*p->sample_types));
	p->period_type.type = "space";
	p->period_type.unit = "bytes";
	p->period = lg.h.period;
	if ((rc = hf__builder_init(&lg.b, p, false, err)) != HF_OK)
		return rc;
	lg.lineno = 1;
	while (rc == HF_OK && hf__next_line(&pos, end, &line)) {
		lg.lineno++;
		cursor c = {line.start, line.end};
		skip_spaces(&c);
		while (c.end > c.s && (c.end[-1] == ' ' || c.end[-1] == '\t'))
			c.end--;
		if (at_end(&c))
			continue;
		if (*c.s == '#') {
			rc = parse_comment(&lg, c);
			continue;
		}
		if (starts_with(c.s, c.end, "--- Memory map:") ||
		    starts_with(c.s, c.end, "MAPPED_LIBRARIES:"))
			break; /* the mappings are not needed: frames come from '#' lines */
		if ((rc = end_record(&lg)) == HF_OK)
			rc = parse_record(&lg, c);
		lg.in_memstats = false;
	}
	if (rc == HF_OK)
		rc = end_record(&lg);
	if (rc == HF_OK)
		rc = hf__builder_finish(&lg.b);
	if (rc == HF_OK && lg.nmemstats) {
		p->memstats = hf_arena_alloc(&p->arena, lg.nmemstats * sizeof(*p->memstats));
		if (!p->memstats)
			rc = hf__oom(err);
		else
			memcpy(p->memstats, lg.memstats, lg.nmemstats * sizeof(*p->memstats));
		p->nmemstats = lg.nmemstats;
	}
	hf__builder_dispose(&lg.b);
	hf__free(lg.addrs);
	hf__free(lg.frames);
	hf__free(lg.memstats);
	return rc;
}
