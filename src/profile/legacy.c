/*
 * Legacy text heap profiles ("heap profile: ... @ heap/N", as written by
 * Go's /debug/pprof/heap?debug=1 and older tcmalloc tools), with pprof's
 * header, record and un-sampling rules (profile/legacy_profile.go).
 *
 * Unlike pprof we also read the "#\t0xPC\tfunc+0xOFF\tfile:line" lines
 * Go writes after each record, so frames have names without the binary,
 * and keep the "# runtime.MemStats" block for --info. With those names
 * the profile is what pprof makes of the text and the binary: samples
 * merged by address (profile.Merge), runtime.goexit where Go left it out,
 * uninteresting frames pruned (RemoveUninteresting), and mappings from
 * the memory map if there is one (ParseMemoryMap, in memmap.c).
 */
#include "build.h"

#include <math.h>
#include <string.h>

static void skip_spaces(hf__cursor *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t'))
		c->s++;
}

/* A decimal integer, optionally negative; its text is kept in *text. */
static bool parse_int(hf__cursor *c, bool allow_minus, int64_t *out, hf__text_line *text)
{
	const char *start = c->s;
	bool neg = allow_minus && hf__cursor_eat(c, '-');
	if (hf__cursor_at_end(c) || !hf__is_digit(*c->s))
		return false;
	uint64_t v = 0;
	while (c->s < c->end && hf__is_digit(*c->s)) {
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
static bool parse_counts(hf__cursor *c, bool header, int64_t v[4], hf__text_line text[4])
{
	for (int pair = 0; pair < 2; pair++) {
		skip_spaces(c);
		if (pair == 1 && !hf__cursor_eat(c, '['))
			return false;
		skip_spaces(c);
		if (!parse_int(c, !header && pair == 0, &v[pair * 2], &text[pair * 2]))
			return false;
		if (!hf__cursor_eat(c, ':'))
			return false;
		skip_spaces(c);
		if (!parse_int(c, !header && pair == 0, &v[pair * 2 + 1], &text[pair * 2 + 1]))
			return false;
		skip_spaces(c);
	}
	return hf__cursor_eat(c, ']');
}

static bool text_eq(hf__text_line a, hf__text_line b)
{
	return a.end - a.start == b.end - b.start &&
	       memcmp(a.start, b.start, (size_t)(a.end - a.start)) == 0;
}

static bool text_is(hf__text_line a, const char *s)
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

static int parse_header(hf__text_line line, heap_header *h, hf_error *err)
{
	const char *at = find(line.start, line.end, "heap profile:");
	if (!at)
		return hf__error(err, HF_EFORMAT, "not a pprof profile (unrecognized text)");
	hf__cursor c = {at + 13, line.end};
	int64_t v[4];
	hf__text_line text[4];
	if (!parse_counts(&c, true, v, text))
		return hf__error(err, HF_EFORMAT, "line 1: malformed heap profile header");
	skip_spaces(&c);
	if (!hf__cursor_eat(&c, '@'))
		return hf__error(err, HF_EFORMAT, "line 1: malformed heap profile header");
	skip_spaces(&c);
	hf__text_line kind = {c.s, c.s};
	while (c.s < c.end && ((*c.s >= 'a' && *c.s <= 'z') || hf__is_digit(*c.s) || *c.s == '_'))
		c.s++;
	kind.end = c.s;
	memset(h, 0, sizeof(*h));
	if (text_is(kind, "growthz") || text_is(kind, "growth") ||
	    text_is(kind, "fragmentationz") || text_is(kind, "fragmentation")) {
		h->period = 1;
		return HF_OK;
	}
	hf__cursor_eat(&c, '/');
	int64_t rate = 0;
	bool has_rate = !hf__cursor_at_end(&c) && hf__is_digit(*c.s);
	if (has_rate && !parse_int(&c, false, &rate, NULL))
		return hf__error(err, HF_EFORMAT, "line 1: sampling rate out of range");
	/* "heap/0" (or no rate) is period 0: pprof un-samples nothing then
	 * (scaleHeapSample leaves values as written for a rate of 1 or less). */
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

/* One frame of a record: an address and its lines (none: address only). */
typedef struct lframe {
	uint64_t address;
	size_t line_start, nlines;
} lframe;

typedef struct legacy {
	hf__builder b;
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
	hf__bline *plines;   /* the record's '#' lines, in order (leaf first) */
	uint64_t *ppcs;     /* their PCs */
	size_t nplines, plines_cap, ppcs_cap;
	lframe *frames;     /* the record's stack, leaf first */
	size_t nframes, frames_cap;
	hf__bline *flines;   /* the frames' lines */
	size_t nflines, flines_cap;
	uint32_t *locs;
	size_t locs_cap;
	uint8_t *fn_drop;   /* per function: 0 unknown, 1 drop, 2 keep */
	size_t fn_drop_cap;
	uint32_t goexit;    /* the runtime.goexit function, once needed */
	hf__memmap map;      /* the memory map, if the text has one */
	hf__arena key_arena; /* pprof's Merge: records with the same addresses */
	hf__intern record_keys; /* and block size are one sample */
	uint64_t *key;
	size_t key_cap;
	/* runtime.MemStats */
	bool in_memstats;
	hf__memstat *memstats;
	size_t nmemstats, memstats_cap;
} legacy;

/* Room for one more item in lg's array `arr`: HF_OK or HF_ENOMEM. */
#define GROW(lg, arr, cap, len) \
	(HF_RESERVE((lg)->arr, &(lg)->cap, (lg)->len, 1, 32) ? HF_OK : hf__oom((lg)->err))

/*
 * pprof's rules for which frames of a heap profile are uninteresting
 * (legacy_profile.go allocRxStr, matched whole against the name cut at
 * its first '(' as simplifyFunc does): allocator entry points and the Go
 * runtime, except the runtime frames of panics and reflect calls
 * (allocSkipRxStr). Go's regexp '.' does not match '\n'.
 */
static bool is_alloc_name(const char *name, size_t n)
{
	static const char *const exact[] = {"calloc", "cfree", "malloc", "free", "memalign",
		"do_memalign", "posix_memalign", "__posix_memalign", "pvalloc", "valloc",
		"realloc", "tc_calloc", "tc_cfree", "tc_malloc", "tc_free", "tc_memalign",
		"tc_posix_memalign", "tc_pvalloc", "tc_valloc", "tc_realloc", "tc_new",
		"tc_delete", "tc_newarray", "tc_deletearray", "tc_new_nothrow",
		"tc_newarray_nothrow", "malloc_zone_malloc", "malloc_zone_calloc",
		"malloc_zone_valloc", "malloc_zone_realloc", "malloc_zone_memalign",
		"malloc_zone_free", "do_malloc_no_errno", "::do_malloc_no_errno",
		"do_malloc_pages", "::do_malloc_pages", "do_malloc", "::do_malloc",
		"DoSampledAllocation", "MallocedMemBlock::MallocedMemBlock", "_M_allocate",
		"__builtin_delete", "__builtin_vec_delete", "__builtin_new", "__builtin_vec_new",
		"__gnu_cxx::new_allocator::allocate", "__libc_malloc",
		"__malloc_alloc_template::allocate", "allocate", "cpp_alloc", "operator new",
		"operator new[]", "simple_alloc::allocate"};
	static const char *const prefix[] = {"tcmalloc::", "runtime.", "BaseArena::"};
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strlen(exact[i]) == n && memcmp(name, exact[i], n) == 0)
			return true;
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++) {
		size_t m = strlen(prefix[i]);
		if (n >= m && memcmp(name, prefix[i], m) == 0 && !memchr(name + m, '\n', n - m))
			return true;
	}
	return false;
}

static bool is_kept_runtime_name(const char *name, size_t n)
{
	if ((n == 13 && memcmp(name, "runtime.panic", 13) == 0) ||
	    (n == 19 && memcmp(name, "runtime.reflectcall", 19) == 0))
		return true;
	if (n < 12 || memcmp(name, "runtime.call", 12) != 0)
		return false;
	for (size_t i = 12; i < n; i++)
		if (!hf__is_digit(name[i]))
			return false;
	return true;
}

/* pprof's simplifyFunc (the name up to the first '(' that does not start
 * "(anonymous namespace)" and is not inside "operator()"), then the
 * drop-and-not-keep test. */
static bool is_dropped_name(const char *name)
{
	if (*name == '.')
		name++;
	size_t n = strlen(name), cut = n;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(name + i, "(anonymous namespace)", 21) == 0) {
			i += 20;
			continue;
		}
		if (strncmp(name + i, "operator()", 10) == 0) {
			i += 9;
			continue;
		}
		if (name[i] == '(') {
			cut = i;
			break;
		}
	}
	return is_alloc_name(name, cut) && !is_kept_runtime_name(name, cut);
}

static int fn_dropped(legacy *lg, uint32_t fn, bool *out)
{
	if (fn >= lg->fn_drop_cap) {
		size_t old = lg->fn_drop_cap;
		if (!HF_RESERVE(lg->fn_drop, &lg->fn_drop_cap, old, fn + 1 - old, 64))
			return hf__oom(lg->err);
		memset(lg->fn_drop + old, 0, lg->fn_drop_cap - old);
	}
	if (!lg->fn_drop[fn])
		lg->fn_drop[fn] = is_dropped_name(lg->b.functions[fn].name) ? 1 : 2;
	*out = lg->fn_drop[fn] == 1;
	return HF_OK;
}

static int add_frame(legacy *lg, uint64_t address, const hf__bline *lines, size_t nlines)
{
	if (GROW(lg, frames, frames_cap, nframes) != HF_OK)
		return HF_ENOMEM;
	lframe *f = &lg->frames[lg->nframes++];
	f->address = address;
	f->line_start = lg->nflines;
	f->nlines = nlines;
	for (size_t i = 0; i < nlines; i++) {
		if (GROW(lg, flines, flines_cap, nflines) != HF_OK)
			return HF_ENOMEM;
		lg->flines[lg->nflines++] = lines[i];
	}
	return HF_OK;
}

/*
 * The record's frames as pprof sees them with the binary, from the '#'
 * lines. Go (runtime/pprof printStackRecord) writes a '#' line for every
 * frame of the stack, at the return address - 1 (several for inlined
 * calls, innermost first), except runtime frames before the first other
 * one (the allocator's side) and runtime.goexit. So an address with no
 * '#' line is one of those leading runtime frames while no frame was
 * written yet, and runtime.goexit after: the first are left out (pprof's
 * pruning below would cut them, being runtime frames under a user frame),
 * the second named. When the '#' lines do not line up with the addresses
 * (another writer), each '#' line is a frame of its own.
 */
static int record_frames(legacy *lg)
{
	size_t j = 0;
	for (size_t i = 0; i < lg->naddrs; i++) {
		uint64_t pc = lg->addrs[i] - 1;
		size_t k = j, run = 1;
		while (k < lg->nplines && lg->ppcs[k] == pc)
			k++;
		/* The same address r times (recursion): its '#' lines, r
		 * equal groups (each the inlined calls at it, if any). */
		while (i + run < lg->naddrs && lg->addrs[i + run] == lg->addrs[i])
			run++;
		int rc = HF_OK;
		if (k > j) {
			if ((k - j) % run != 0)
				break; /* not lined up: see below */
			size_t per = (k - j) / run;
			for (size_t r = 0; r < run && rc == HF_OK; r++, j += per) {
				bool named = lg->plines[j].function != HF_NONE;
				rc = add_frame(lg, pc, lg->plines + j, named ? per : 0);
			}
			i += run - 1;
		} else if (j == 0) {
			continue;
		} else {
			if (lg->goexit == HF_NONE) {
				lg->goexit = hf__profile_builder_function(&lg->b, "runtime.goexit",
					"runtime.goexit", "", 0);
				if (lg->goexit == HF_NONE)
					return lg->err ? lg->err->code : HF_ENOMEM;
			}
			hf__bline ln = {lg->goexit, 0, 0};
			rc = add_frame(lg, pc, &ln, 1);
		}
		if (rc != HF_OK)
			return rc;
	}
	if (j == lg->nplines)
		return HF_OK;
	lg->nframes = lg->nflines = 0;
	for (size_t k = 0; k < lg->nplines; k++) {
		bool named = lg->plines[k].function != HF_NONE;
		int rc = add_frame(lg, lg->ppcs[k], lg->plines + k, named ? 1 : 0);
		if (rc != HF_OK)
			return rc;
	}
	return HF_OK;
}

/*
 * pprof's Prune, as its driver applies it to a symbolized legacy heap
 * profile (RemoveUninteresting): a frame whose outermost dropped line is
 * its last is dropped whole, else it keeps only the lines outside that
 * one; each stack is cut, scanning from the root, at the first such frame
 * under a frame that is neither (the frames above the first user frame
 * stay, so runtime.main and runtime.goexit do).
 */
static int prune_frames(legacy *lg)
{
	size_t cut = 0; /* frames [cut, nframes) stay */
	bool found_user = false;
	for (size_t i = lg->nframes; i-- > 0;) {
		lframe *f = &lg->frames[i];
		size_t m = f->nlines;
		while (m-- > 0) {
			bool drop = false;
			uint32_t fn = lg->flines[f->line_start + m].function;
			if (fn == HF_NONE)
				continue;
			int rc = fn_dropped(lg, fn, &drop);
			if (rc != HF_OK)
				return rc;
			if (drop)
				break;
		}
		/* m == SIZE_MAX: no dropped line */
		if (m == (size_t)-1) {
			found_user = true;
			continue;
		}
		bool whole = m == f->nlines - 1;
		if (!whole) {
			f->line_start += m + 1;
			f->nlines -= m + 1;
		}
		if (!found_user || cut)
			continue;
		cut = whole ? i + 1 : i;
	}
	if (cut) {
		memmove(lg->frames, lg->frames + cut, (lg->nframes - cut) * sizeof(*lg->frames));
		lg->nframes -= cut;
	}
	return HF_OK;
}

/* Ends the current record: its sample gets the frames named by its '#'
 * lines, pruned as pprof prunes heap profiles, or one address-only
 * location per PC if it has none (as pprof without the binary). */
static int end_record(legacy *lg)
{
	if (!lg->in_record)
		return HF_OK;
	lg->in_record = false;
	hf__label bytes = {"bytes", NULL, lg->blocksize, ""};
	lg->nframes = lg->nflines = 0;
	int rc = HF_OK;
	if (lg->nplines == 0) {
		for (size_t i = 0; i < lg->naddrs && rc == HF_OK; i++)
			/* Return addresses: step back onto the call. */
			rc = add_frame(lg, lg->addrs[i] - 1, NULL, 0);
	} else {
		rc = record_frames(lg);
		if (rc == HF_OK)
			rc = prune_frames(lg);
	}
	lg->nplines = 0;
	if (rc != HF_OK)
		return rc;
	/* pprof merges samples (profile.Merge, even of one profile) before it
	 * symbolizes and prunes: by their addresses and labels. */
	if (!HF_RESERVE(lg->key, &lg->key_cap, 0, lg->naddrs + 1, 16))
		return hf__oom(lg->err);
	lg->key[0] = (uint64_t)lg->blocksize;
	if (lg->naddrs) /* addrs is NULL until a record has one */
		memcpy(lg->key + 1, lg->addrs, lg->naddrs * sizeof(*lg->key));
	uint32_t id = hf__intern_get(&lg->record_keys, (const char *)lg->key,
		(lg->naddrs + 1) * sizeof(*lg->key));
	if (id == HF_NONE)
		return hf__oom(lg->err);
	if (id < lg->b.nsamples) {
		int64_t *dst = lg->b.values + (size_t)id * lg->b.nvalues;
		for (size_t v = 0; v < lg->b.nvalues; v++)
			if (__builtin_add_overflow(dst[v], lg->values[v], &dst[v]))
				return hf__error(lg->err, HF_ELIMIT, "sample values overflow 64 bits");
		return HF_OK;
	}
	if (!HF_RESERVE(lg->locs, &lg->locs_cap, 0, lg->nframes, 16))
		return hf__oom(lg->err);
	for (size_t i = 0; i < lg->nframes; i++) {
		const lframe *f = &lg->frames[i];
		lg->locs[i] = hf__profile_builder_location(&lg->b, f->address, hf__profile_memmap_find(&lg->map, f->address),
			f->nlines ? lg->flines + f->line_start : NULL, f->nlines, false);
		if (lg->locs[i] == HF_NONE)
			return lg->err ? lg->err->code : HF_ENOMEM;
	}
	return hf__profile_builder_sample(&lg->b, lg->locs, lg->nframes, lg->values, NULL, &bytes, 1,
		false);
}

static int parse_record(legacy *lg, hf__cursor c)
{
	int64_t v[4];
	hf__text_line text[4];
	if (!parse_counts(&c, false, v, text))
		return hf__error(lg->err, HF_EFORMAT, "line %zu: malformed heap profile record",
			lg->lineno);
	skip_spaces(&c);
	if (!hf__cursor_eat(&c, '@'))
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
		if (hf__cursor_at_end(&c))
			break;
		if (!hf__cursor_eat(&c, '0') || !hf__cursor_eat(&c, 'x'))
			return hf__error(lg->err, HF_EFORMAT, "line %zu: malformed address",
				lg->lineno);
		uint64_t a = 0;
		size_t digits = 0;
		for (; !hf__cursor_at_end(&c); c.s++, digits++) {
			char ch = *c.s;
			unsigned d;
			if (hf__is_digit(ch))
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
		if (GROW(lg, addrs, addrs_cap, naddrs) != HF_OK)
			return HF_ENOMEM;
		lg->addrs[lg->naddrs++] = a;
	}
	return HF_OK;
}

/* "#\t0xPC\tfunc+0xOFF\tfile:line": one named frame of the record. */
static int parse_frame(legacy *lg, hf__cursor c)
{
	skip_spaces(&c);
	const char *pc_start = c.s;
	while (!hf__cursor_at_end(&c) && *c.s != '\t' && *c.s != ' ')
		c.s++;
	uint64_t pc = 0;
	for (const char *q = pc_start + 2; q < c.s; q++)
		pc = pc << 4 | (uint64_t)(hf__is_digit(*q) ? *q - '0' : (*q | 0x20) - 'a' + 10);
	skip_spaces(&c);
	/* The function runs to the next tab (Go names have no tabs). */
	const char *name = c.s;
	while (!hf__cursor_at_end(&c) && *c.s != '\t')
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
			hf__cursor lc = {q, file_end};
			if (parse_int(&lc, false, &line, NULL) && hf__cursor_at_end(&lc))
				file_end = q - 1;
			else
				line = 0;
			break;
		}
		if (!hf__is_digit(q[-1]))
			break;
	}
	size_t nlen = (size_t)(name_end - name), flen = (size_t)(file_end - file);
	if (nlen > lg->opts->max_name || flen > lg->opts->max_name)
		return hf__error(lg->err, HF_ELIMIT, "line %zu: name longer than %zu bytes",
			lg->lineno, lg->opts->max_name);
	if (lg->nplines >= lg->opts->max_depth)
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
	uint32_t fn = nlen ? hf__profile_builder_function(&lg->b, buf, buf, buf + nlen + 1, 0) : HF_NONE;
	if (buf != small)
		hf__free(buf);
	if (nlen && fn == HF_NONE)
		return lg->err ? lg->err->code : HF_ENOMEM;
	if (GROW(lg, plines, plines_cap, nplines) != HF_OK ||
	    GROW(lg, ppcs, ppcs_cap, nplines) != HF_OK)
		return HF_ENOMEM;
	lg->plines[lg->nplines] = (hf__bline){fn, line, 0};
	lg->ppcs[lg->nplines++] = pc;
	return HF_OK;
}

/* "# Key = value" inside the runtime.MemStats block. */
static int parse_memstat(legacy *lg, hf__cursor c)
{
	skip_spaces(&c);
	const char *eq = find(c.s, c.end, " = ");
	if (!eq)
		return HF_OK;
	if (GROW(lg, memstats, memstats_cap, nmemstats) != HF_OK)
		return HF_ENOMEM;
	hf__arena *a = &lg->b.p->arena;
	hf__memstat *m = &lg->memstats[lg->nmemstats++];
	m->key = hf__arena_strndup(a, c.s, (size_t)(eq - c.s));
	m->value = hf__arena_strndup(a, eq + 3, (size_t)(c.end - eq - 3));
	return m->key && m->value ? HF_OK : hf__oom(lg->err);
}

static int parse_comment(legacy *lg, hf__cursor c)
{
	c.s++; /* '#' */
	hf__cursor rest = c;
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

static const hf__value_type types4[] = {
	{"alloc_objects", "count"}, {"alloc_space", "bytes"},
	{"inuse_objects", "count"}, {"inuse_space", "bytes"}};
static const hf__value_type types2[] = {{"objects", "count"}, {"space", "bytes"}};

int hf__profile_decode_legacy_heap(hf_profile *p, const char *data, size_t len,
	const hf_parse_options *opts, hf_error *err)
{
	const char *pos = data, *end = data + len;
	hf__text_line line;
	legacy lg = {.opts = opts, .err = err, .goexit = HF_NONE};
	if (!hf__next_line(&pos, end, &line))
		return hf__error(err, HF_EFORMAT, "empty file");
	int rc = parse_header(line, &lg.h, err);
	if (rc != HF_OK)
		return rc;
	/* Alloc first, so the default (the last) is inuse_space, as pprof. */
	p->nsample_types = lg.h.has_alloc ? 4 : 2;
	p->sample_types = hf__arena_alloc(&p->arena, p->nsample_types * sizeof(*p->sample_types));
	if (!p->sample_types)
		return hf__oom(err);
	memcpy(p->sample_types, lg.h.has_alloc ? types4 : types2,
		p->nsample_types * sizeof(*p->sample_types));
	p->period_type.type = "space";
	p->period_type.unit = "bytes";
	p->period = lg.h.period;
	if ((rc = hf__profile_builder_init(&lg.b, p, false, err)) != HF_OK)
		return rc;
	hf__intern_init(&lg.record_keys, &lg.key_arena);
	p->samples_merged = true;
	/* The memory map comes last, but locations need it. */
	for (const char *q = pos; rc == HF_OK && hf__next_line(&q, end, &line);) {
		hf__cursor c = {line.start, line.end};
		skip_spaces(&c);
		if (!hf__cursor_at_end(&c) && *c.s != '#' && hf__profile_memmap_sentinel(c.s, c.end)) {
			rc = hf__profile_memmap_read(&lg.map, &lg.b, q, end, opts->max_name, err);
			break;
		}
	}
	lg.lineno = 1;
	while (rc == HF_OK && hf__next_line(&pos, end, &line)) {
		lg.lineno++;
		hf__cursor c = {line.start, line.end};
		skip_spaces(&c);
		while (c.end > c.s && (c.end[-1] == ' ' || c.end[-1] == '\t'))
			c.end--;
		if (hf__cursor_at_end(&c))
			continue;
		if (*c.s == '#') {
			rc = parse_comment(&lg, c);
			continue;
		}
		if (hf__profile_memmap_sentinel(c.s, c.end))
			break; /* read above */
		if ((rc = end_record(&lg)) == HF_OK)
			rc = parse_record(&lg, c);
		lg.in_memstats = false;
	}
	if (rc == HF_OK)
		rc = end_record(&lg);
	if (rc == HF_OK)
		rc = hf__profile_builder_finish(&lg.b);
	if (rc == HF_OK && lg.nmemstats) {
		p->memstats = hf__arena_alloc(&p->arena, lg.nmemstats * sizeof(*p->memstats));
		if (!p->memstats)
			rc = hf__oom(err);
		else
			memcpy(p->memstats, lg.memstats, lg.nmemstats * sizeof(*p->memstats));
		p->nmemstats = lg.nmemstats;
	}
	hf__profile_builder_dispose(&lg.b);
	hf__free(lg.addrs);
	hf__free(lg.frames);
	hf__free(lg.plines);
	hf__free(lg.ppcs);
	hf__free(lg.flines);
	hf__free(lg.locs);
	hf__free(lg.fn_drop);
	hf__profile_memmap_dispose(&lg.map);
	hf__free(lg.key);
	hf__intern_dispose(&lg.record_keys);
	hf__arena_dispose(&lg.key_arena);
	hf__free(lg.memstats);
	return rc;
}
