/*
 * Flame graph library tests: flamegraph.pl's colour vectors, tree merging,
 * pruning, differential colours, escaping of hostile names, UTF-8-safe
 * label fitting, and allocation failures.
 */
#include "harness.h"

#include "render/render.h"
#include "stacks/stacks.h"
#include "theme/theme.h"

#include <math.h>

/* CHECK_CONTAINS without printing the whole haystack */
#undef CHECK_CONTAINS
#define CHECK_CONTAINS(hay, needle)                                          \
	do {                                                                 \
		const char *h_ = (hay), *n_ = (needle);                      \
		if (!h_ || !strstr(h_, n_)) {                                \
			fprintf(stderr, "%s:%d: output lacks \"%s\"\n",        \
				__FILE__, __LINE__, n_);                     \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)
#include <stdlib.h>

/* A built-in theme, or NULL (with the reason on stderr). */
static const hf_theme *builtin(const char *name)
{
	const hf_theme *t = NULL;
	hf_error err = {0};
	if (hf_theme_builtin(&t, name, &err) != HF_OK)
		fprintf(stderr, "built-in theme %s: %s\n", name, err.message);
	return t;
}

static uint32_t rgb(unsigned r, unsigned g, unsigned b)
{
	return r << 16 | g << 8 | b;
}

/* Builds stacks from "a;b;c" strings (names interned by the stacks). */
static hf_stacks *make_stacks(const char *type, const char *unit, const char *const *lines,
	const int64_t *values, const int64_t *bases, size_t n)
{
	hf_stacks *s = NULL;
	if (hf__stacks_new(&s, type, unit, NULL) != HF_OK)
		return NULL;
	s->has_base = bases != NULL;
	for (size_t i = 0; i < n; i++) {
		uint32_t frames[64];
		size_t depth = 0;
		const char *p = lines[i];
		while (*p && depth < 64) {
			const char *semi = strchr(p, ';');
			size_t len = semi ? (size_t)(semi - p) : strlen(p);
			frames[depth++] = hf__intern_get(&s->names, p, len);
			p += len + (semi != NULL);
		}
		int rc = bases ? hf__stacks_add_diff(s, frames, depth, values[i], bases[i], NULL)
			       : hf__stacks_add(s, frames, depth, values[i], NULL);
		if (rc != HF_OK) {
			hf_stacks_free(s);
			return NULL;
		}
	}
	return s;
}

static char *write_svg(const hf_flame *f)
{
	hf_buffer buf = {0};
	hf_writer w = hf_writer_buffer(&buf);
	if (hf_flame_write_svg(f, &w, NULL) != HF_OK) {
		hf_buffer_dispose(&buf);
		return NULL;
	}
	char *s = malloc(buf.len + 1);
	memcpy(s, buf.data, buf.len);
	s[buf.len] = '\0';
	hf_buffer_dispose(&buf);
	return s;
}

static const hf__flame_frame *find_frame(const hf_flame *f, const char *name, uint32_t depth)
{
	for (size_t i = 0; i < f->nframes; i++) {
		size_t len;
		const char *n = hf__flame_frame_name(f, i, &len);
		if (f->frames[i].depth == depth && strlen(name) == len && !memcmp(n, name, len))
			return &f->frames[i];
	}
	return NULL;
}

static size_t count_frames(const hf_flame *f, const char *name)
{
	size_t c = 0;
	for (size_t i = 0; i < f->nframes; i++) {
		size_t len;
		const char *n = hf__flame_frame_name(f, i, &len);
		c += strlen(name) == len && !memcmp(n, name, len);
	}
	return c;
}

static size_t count_str(const char *hay, const char *needle)
{
	size_t c = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		c++;
	return c;
}

/* anchors.md §2a: Perl's drand48 after srand(code-point sum) */
static void test_perl_rand_vectors(void)
{
	CHECK(fabs(hf__theme_perl_rand_seeded(421) - 0.778599984319047) < 1e-14);
	CHECK(fabs(hf__theme_perl_rand_seeded(324) - 0.310776043756963) < 1e-14);
	CHECK(fabs(hf__theme_perl_rand_seeded(0) - 0.170828036106290) < 1e-14);
	double v[3];
	hf__theme_values("\xc3\xa9", 2, false, v); /* é: seed 233, not 195+169 */
	CHECK(v[0] == hf__theme_perl_rand_seeded(233));
	CHECK(v[0] == v[1] && v[1] == v[2]);
	/* namehash: inferno's vector, Perl double value */
	CHECK(fabs(hf__theme_namehash("genunix`kmem_cache_free", 23, false) - 0.46692632) < 1e-8);
	CHECK(hf__theme_namehash("", 0, false) == 1.0);
}

static void test_palette_vectors(void)
{
	const hf_theme *mem = builtin("mem");
	CHECK(mem != NULL);
	if (!mem)
		return;
	CHECK_EQ_INT(hf_theme_color(mem, "main", 4, false), rgb(0, 228, 163));
	CHECK_EQ_INT(hf_theme_color(mem, "foo", 3, false), rgb(0, 205, 65));
	CHECK_EQ_INT(hf_theme_color(mem, "", 0, false), rgb(0, 198, 35)); /* the root */
	CHECK_EQ_INT(hf_theme_color(mem, "--", 2, false), rgb(160, 160, 160));
	CHECK_EQ_INT(hf_theme_color(mem, "-", 1, false), rgb(200, 200, 200));

	/* every flat formula of anchors.md §2a, computed here independently */
	static const char *const names[] = {"main", "foo", "runtime.mallocgc",
		"encoding/json.(*decodeState).object", "\xe2\x82\xac", "a", ""};
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		const char *nm = names[k];
		size_t len = strlen(nm);
		double v[3];
		hf__theme_values(nm, len, false, v);
		double v1 = v[0], v2 = v[1], v3 = v[2];
		struct { const char *pal; uint32_t want; } cases[] = {
			{"hot", rgb(205 + (int)(50 * v3), (int)(230 * v1), (int)(55 * v2))},
			{"mem", rgb(0, 190 + (int)(50 * v2), (int)(210 * v1))},
			{"io", rgb(80 + (int)(60 * v1), 80 + (int)(60 * v1), 190 + (int)(55 * v2))},
			{"red", rgb(200 + (int)(55 * v1), 50 + (int)(80 * v1), 50 + (int)(80 * v1))},
			{"green", rgb(50 + (int)(60 * v1), 200 + (int)(55 * v1), 50 + (int)(60 * v1))},
			{"blue", rgb(80 + (int)(60 * v1), 80 + (int)(60 * v1), 205 + (int)(50 * v1))},
			{"yellow", rgb(175 + (int)(55 * v1), 175 + (int)(55 * v1), 50 + (int)(20 * v1))},
			{"purple", rgb(190 + (int)(65 * v1), 80 + (int)(60 * v1), 190 + (int)(65 * v1))},
			{"aqua", rgb(50 + (int)(60 * v1), 165 + (int)(55 * v1), 165 + (int)(55 * v1))},
			{"orange", rgb(190 + (int)(65 * v1), 90 + (int)(65 * v1), 0)},
			{"wakeup", rgb(50 + (int)(60 * v1), 165 + (int)(55 * v1), 165 + (int)(55 * v1))},
			{"chain", rgb(80 + (int)(60 * v1), 80 + (int)(60 * v1), 205 + (int)(50 * v1))},
			{"java", rgb(200 + (int)(55 * v1), 50 + (int)(80 * v1), 50 + (int)(80 * v1))},
			{"perl", rgb(200 + (int)(55 * v1), 50 + (int)(80 * v1), 50 + (int)(80 * v1))},
		};
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			const hf_theme *t = builtin(cases[c].pal);
			CHECK(t != NULL);
			if (!t)
				continue;
			uint32_t got = hf_theme_color(t, nm, len, false);
			if (got != cases[c].want)
				fprintf(stderr, "palette %s name \"%s\": %06x want %06x\n", cases[c].pal, nm,
					(unsigned)got, (unsigned)cases[c].want);
			CHECK_EQ_INT(got, cases[c].want);
		}
	}
	/* --hash: v1 = namehash(name), v2 = v3 = namehash(reverse(name)) */
	const hf_theme *hot = builtin("hot");
	double h1 = hf__theme_namehash("main", 4, false), h2 = hf__theme_namehash("niam", 4, false);
	CHECK(h2 == hf__theme_namehash("main", 4, true));
	CHECK_EQ_INT(hf_theme_color(hot, "main", 4, true),
		rgb(205 + (int)(50 * h2), (int)(230 * h1), (int)(55 * h2)));
	/* multi palettes: rules pick a flat palette by name */
	const hf_theme *java = builtin("java");
	double v[3];
	hf__theme_values("java/lang/Thread.run", 20, false, v);
	CHECK_EQ_INT(hf_theme_color(java, "java/lang/Thread.run", 20, false),
		rgb(50 + (int)(60 * v[0]), 200 + (int)(55 * v[0]), 50 + (int)(60 * v[0])));
	hf__theme_values("foo_[k]", 7, false, v);
	CHECK_EQ_INT(hf_theme_color(java, "foo_[k]", 7, false),
		rgb(190 + (int)(65 * v[0]), 90 + (int)(65 * v[0]), 0));
	hf__theme_values("std::vector", 11, false, v);
	CHECK_EQ_INT(hf_theme_color(builtin("perl"), "std::vector", 11, false),
		rgb(175 + (int)(55 * v[0]), 175 + (int)(55 * v[0]), 50 + (int)(20 * v[0])));
	hf__theme_values("w_[w]", 5, false, v);
	CHECK_EQ_INT(hf_theme_color(builtin("chain"), "w_[w]", 5, false),
		rgb(50 + (int)(60 * v[0]), 165 + (int)(55 * v[0]), 165 + (int)(55 * v[0])));
}

static void test_builtin_themes_load(void)
{
	const char *const *names = hf_theme_builtin_names();
	size_t n = 0;
	for (; names[n]; n++) {
		const hf_theme *t = builtin(names[n]);
		if (!t)
			fprintf(stderr, "built-in theme %s does not load\n", names[n]);
		CHECK(t != NULL);
	}
	CHECK_EQ_INT(n, 17);
	CHECK(builtin("colorblind") != NULL && builtin("colorblind")->is_list);
	CHECK(builtin("dark") != NULL);
	const hf_theme *none = NULL;
	hf_error err = {0};
	CHECK_EQ_INT(hf_theme_builtin(&none, "nope", &err), HF_ENOTFOUND);
	CHECK(none == NULL);
	CHECK_CONTAINS(err.message, "no built-in theme named \"nope\"");
}

static void test_theme_parse_errors(void)
{
	hf_theme *t = NULL;
	hf_error err = {0};
	static const char *const bad[] = {
		"[palette]\nred = 1\n",                         /* missing channels */
		"[palette]\nred = 300\ngreen = 0\nblue = 0\n",  /* out of range */
		"[palette]\nred = 1 + 2 v4\ngreen = 0\nblue = 0\n",
		"[flame]\nbackground = red\n[palette]\ncolors = #ffffff\n",
		"[nope]\n",
		"red = 1\n",
		"[palette]\ncolors = #ffffff\n[rules]\n( = green\n", /* bad regex */
		"[palette]\ncolors = #ffffff\n[rules]\nx = nosuchpalette\n",
		"[palette]\ncolors = #12345\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = hf_theme_parse(&t, bad[i], strlen(bad[i]), "t", &err);
		if (rc == HF_OK)
			fprintf(stderr, "theme %zu parsed but should not\n", i);
		CHECK(rc == HF_EFORMAT);
		CHECK(t == NULL);
		CHECK(strstr(err.message, "line") || strstr(err.message, "palette"));
	}
	const char *good = "# x\n[flame]\nbackground = #000000 #111111\nui = #ffffff\n"
			   "[palette]\ncolors = #ff0000 #00ff00\n[rules]\n^main\\. = #0000ff\nx=y = aqua\n";
	CHECK_EQ_INT(hf_theme_parse(&t, good, strlen(good), "good", &err), HF_OK);
	if (t) {
		CHECK_EQ_INT(hf_theme_color(t, "main.f", 6, false), rgb(0, 0, 255));
		CHECK_EQ_INT(t->nrules, 2);
		CHECK_EQ_INT(t->bg_bottom, 0x111111);
		uint32_t c = hf_theme_color(t, "other", 5, false);
		CHECK(c == 0xff0000 || c == 0x00ff00);
	}
	hf_theme_free(t);
	/* the README's example, trailing comments included */
	const char *readme = "# my.theme\n[flame]\nbackground = #f8f8f8 #e8e8e8   # gradient top, bottom\n"
		"ui = #000000                   # title\nsearch = #e600e6\n[palette]\n"
		"red   = 205 + 50 v3            # BASE + SCALE vN\ngreen = 0 + 230 v1\nblue  = 0 + 55 v2\n"
		"[rules]                        # first match wins\n^runtime\\. = #c0c0c0\n:: = yellow\n";
	CHECK_EQ_INT(hf_theme_parse(&t, readme, strlen(readme), "readme", &err), HF_OK);
	if (t) {
		CHECK_EQ_INT(t->bg_bottom, 0xe8e8e8);
		CHECK_EQ_INT(hf_theme_color(t, "runtime.mallocgc", 16, false), 0xc0c0c0);
		CHECK_EQ_INT(hf_theme_color(t, "main", 4, false),
			hf_theme_color(builtin("hot"), "main", 4, false));
	} else {
		fprintf(stderr, "readme theme: %s\n", err.message);
	}
	hf_theme_free(t);
}

/* The theme parser on mangled built-in themes: errors are fine, crashes,
 * leaks and out-of-bounds reads (ASan) are not. */
static void test_theme_parser_mutations(void)
{
	uint64_t x = 12345;
	size_t parsed = 0, refused = 0;
	for (size_t k = 0; k < hf__embedded_theme_count; k++) {
		const hf__embedded *e = &hf__embedded_themes[k];
		for (int round = 0; round < 300; round++) {
			char buf[2048];
			size_t len = e->len < sizeof(buf) ? e->len : sizeof(buf);
			memcpy(buf, e->data, len);
			int edits = 1 + round % 4;
			for (int i = 0; i < edits; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				size_t at = (size_t)(x % len);
				switch ((x >> 20) % 4) {
				case 0: buf[at] = (char)(x >> 32); break;
				case 1: buf[at] = "=#[]+v \n()*\\"[(x >> 40) % 12]; break;
				case 2: len = at + 1; break; /* truncate */
				default: memmove(buf + at, buf + at + 1, len - at - 1), len--; break;
				}
				if (len == 0)
					len = 1;
			}
			hf_theme *t = NULL;
			if (hf_theme_parse(&t, buf, len, "mutant", NULL) == HF_OK) {
				parsed++;
				hf_theme_color(t, "main.main", 9, false);
				hf_theme_color(t, "a::b_[k]", 8, true);
			} else {
				refused++;
			}
			hf_theme_free(t);
		}
	}
	CHECK(parsed > 0 && refused > 0);
}

/* flamegraph.pl splits main.F when main.F.func1 is a sibling; we do not */
static void test_tree_merge_by_name(void)
{
	const char *lines[] = {"a;main.F", "a;main.F.func1", "a;main.F;x"};
	int64_t values[] = {5, 3, 1};
	hf_stacks *s = make_stacks("alloc_space", "bytes", lines, values, NULL, 3);
	hf_flame *f = NULL;
	hf_flame_options o = HF_FLAME_OPTIONS_INIT;
	o.minwidth = 0;
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	if (f) {
		CHECK_EQ_INT(f->nframes, 5); /* all, a, main.F, main.F.func1, x */
		CHECK_EQ_INT(count_frames(f, "main.F"), 1);
		const hf__flame_frame *F = find_frame(f, "main.F", 2);
		CHECK(F && F->value == 6);
		CHECK_EQ_INT(f->frames[0].value, 9);
		/* name order: main.F before main.F.func1, its x first */
		const hf__flame_frame *F1 = find_frame(f, "main.F.func1", 2);
		CHECK(F && F1 && F->start < F1->start);
		CHECK_EQ_INT(f->depth_max, 3);
		/* heap type: mem palette */
		CHECK_EQ_INT(f->frames[0].color, rgb(0, 198, 35));
	}
	hf_flame_free(f);
	/* --sort=weight: heaviest first */
	o.sort = HF_FLAME_SORT_WEIGHT;
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	if (f) {
		const hf__flame_frame *F = find_frame(f, "main.F", 2), *F1 = find_frame(f, "main.F.func1", 2);
		CHECK(F && F1 && F->start < F1->start);
	}
	hf_flame_free(f);
	/* --reverse: leaves at the root */
	o.sort = HF_FLAME_SORT_NAME;
	o.reverse = true;
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	if (f) {
		const hf__flame_frame *x = find_frame(f, "x", 1);
		const hf__flame_frame *mf = find_frame(f, "main.F", 1);
		CHECK(x && x->value == 1);
		CHECK(mf && mf->value == 5);
		CHECK(find_frame(f, "a", 2) != NULL);
	}
	hf_flame_free(f);
	hf_stacks_free(s);
}

static void test_minwidth_and_max_frames(void)
{
	const char *lines[] = {"a;b", "a;c", "a;d", "e"};
	int64_t values[] = {1000000, 10, 100, 5};
	hf_stacks *s = make_stacks("samples", "count", lines, values, NULL, 4);
	hf_flame *f = NULL;
	hf_flame_options o = HF_FLAME_OPTIONS_INIT;
	/* 1180 px for 1000115: 0.1 px = ~84.8 units: c (10) and e (5) go */
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	if (f) {
		CHECK_EQ_INT(f->nframes, 4);
		CHECK_EQ_INT(f->omitted, 2);
		CHECK(find_frame(f, "c", 2) == NULL && find_frame(f, "d", 2) != NULL);
		for (size_t i = 0; i < f->nframes; i++)
			CHECK((double)f->frames[i].value * f->width_per_value >= 0.1);
		/* the gap of a left-out frame stays: d starts after b and c */
		const hf__flame_frame *d = find_frame(f, "d", 2);
		CHECK(d && d->start == 1000010);
		char *svg = write_svg(f);
		CHECK_CONTAINS(svg, "2 frames narrower than");
		free(svg);
		/* CPU-like type: hot palette */
		CHECK_EQ_INT(f->frames[0].color, hf_theme_color(builtin("hot"), "", 0, false));
	}
	hf_flame_free(f);
	o.minwidth = 1;
	o.minwidth_percent = true; /* 1% = 10001.15 */
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	if (f)
		CHECK_EQ_INT(f->nframes, 3);
	hf_flame_free(f);
	o.minwidth = 0;
	o.minwidth_percent = false;
	o.max_frames = 3; /* root + the two widest */
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	if (f) {
		CHECK_EQ_INT(f->nframes, 3);
		CHECK(find_frame(f, "a", 1) && find_frame(f, "b", 2));
	}
	hf_flame_free(f);
	hf_stacks_free(s);
}

/* --max-frames keeps exactly the widest frames, whatever the data */
static void test_max_frames_random(void)
{
	uint64_t x = 99;
	for (int round = 0; round < 20; round++) {
		hf_stacks *s = NULL;
		CHECK_EQ_INT(hf__stacks_new(&s, "samples", "count", NULL), HF_OK);
		uint32_t names[12];
		for (int i = 0; i < 12; i++) {
			char nm[8];
			snprintf(nm, sizeof(nm), "f%d", i);
			names[i] = hf__intern_get(&s->names, nm, strlen(nm));
		}
		for (int k = 0; k < 300; k++) {
			uint32_t fr[8];
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t depth = 1 + x % 8;
			for (size_t d = 0; d < depth; d++)
				fr[d] = names[(x >> (8 + 3 * d)) % (3 + round % 9)];
			/* many equal values: ties at the cut */
			hf__stacks_add(s, fr, depth, 1 + (int64_t)((x >> 40) % (round % 2 ? 5 : 1000)), NULL);
		}
		hf_flame_options o = HF_FLAME_OPTIONS_INIT;
		o.minwidth = 0;
		o.max_frames = 100000000;
		hf_flame *all = NULL, *cut = NULL;
		CHECK_EQ_INT(hf_flame_layout(&all, s, &o, NULL), HF_OK);
		o.max_frames = 2 + (size_t)(x % (all ? all->nframes : 1));
		CHECK_EQ_INT(hf_flame_layout(&cut, s, &o, NULL), HF_OK);
		if (all && cut) {
			CHECK(cut->nframes <= o.max_frames);
			CHECK_EQ_INT(cut->nframes + cut->omitted, all->nframes);
			/* everything kept is at least as wide as everything dropped,
			 * and the cut value separates them */
			size_t kept = 0;
			for (size_t i = 1; i < all->nframes; i++)
				kept += all->frames[i].value >= cut->min_value;
			CHECK_EQ_INT(kept + 1, cut->nframes);
			CHECK(cut->nframes == all->nframes || cut->min_value > 1);
			/* one more frame would have broken the limit */
			size_t with_next = 0;
			for (size_t i = 1; i < all->nframes; i++)
				with_next += all->frames[i].value >= cut->min_value - 1;
			CHECK(cut->min_value <= 1 || with_next + 1 > o.max_frames);
		}
		hf_flame_free(all);
		hf_flame_free(cut);
		hf_stacks_free(s);
	}
}

/*
 * The tree against a frame-by-frame reference, on random stacks with
 * shared prefixes, stacks that are prefixes of others and stacks equal
 * but for inline flags: every drawn frame's value is the sum of the
 * stacks through its path, inlined only if every one of them is inlined
 * there, each path drawn once, siblings in name (or weight) order, side
 * by side. Covers the layout's sort of the stacks and its shared prefixes
 * (an LCP merge sort), from the root and from the leaf (--reverse).
 */
/* Checked against sums and paths counted here, with the layout's splits
 * (the tree built by two threads, the sort's halves) off and forced on. */
static void test_layout_random(void)
{
	for (int two = 0; two < 2; two++) {
	hf__parallel_force(two ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
	uint64_t x = 7;
	for (int round = 0; round < 24; round++) {
		hf_stacks *s = NULL;
		CHECK_EQ_INT(hf__stacks_new(&s, "samples", "count", NULL), HF_OK);
		uint32_t names[6];
		for (int i = 0; i < 6; i++) {
			char nm[8];
			snprintf(nm, sizeof(nm), "f%d", (i * 7) % 6); /* ids not in name order */
			names[i] = hf__intern_get(&s->names, nm, strlen(nm));
		}
		size_t nnames = 2 + (size_t)round % 5;
		for (int k = 0; k < 200 + 40 * round; k++) {
			uint32_t fr[10];
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t depth = 1 + x % 10;
			for (size_t d = 0; d < depth; d++)
				fr[d] = names[(x >> (4 + 3 * d)) % nnames] |
					((x >> (40 + d)) % 3 == 0 ? HF_FRAME_INLINED : 0);
			hf__stacks_add(s, fr, depth, 1 + (int64_t)((x >> 50) % 1000), NULL);
		}
		hf_flame_options o = HF_FLAME_OPTIONS_INIT;
		o.minwidth = 0;
		o.max_frames = 100000000;
		o.reverse = round % 2 == 1;
		o.sort = round % 4 >= 2 ? HF_FLAME_SORT_WEIGHT : HF_FLAME_SORT_NAME;
		hf_flame *f = NULL;
		CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
		if (!f) {
			hf_stacks_free(s);
			continue;
		}
		size_t nstacks = hf_stacks_count(s), distinct = 0;
		/* distinct paths (by name): a node each */
		for (size_t i = 0; i < nstacks; i++) {
			const uint32_t *fi;
			size_t di = hf_stacks_get(s, i, &fi, NULL);
			for (size_t d = 1; d <= di; d++) {
				bool seen = false;
				for (size_t j = 0; j < i && !seen; j++) {
					const uint32_t *fj;
					size_t dj = hf_stacks_get(s, j, &fj, NULL);
					if (dj < d)
						continue;
					seen = true;
					for (size_t e = 0; e < d && seen; e++)
						seen = HF_FRAME_ID(o.reverse ? fi[di - 1 - e] : fi[e]) ==
							HF_FRAME_ID(o.reverse ? fj[dj - 1 - e] : fj[e]);
				}
				distinct += !seen;
			}
		}
		CHECK_EQ_INT(f->nframes, distinct + 1);
		for (size_t i = 1; i < f->nframes; i++) {
			const hf__flame_frame *fr = &f->frames[i];
			uint32_t path[16];
			size_t depth = fr->depth;
			if (depth > 16) {
				CHECK(0);
				break;
			}
			for (size_t k = i, d = depth; d > 0; k = f->frames[k].parent, d--)
				path[d - 1] = f->frames[k].name;
			int64_t sum = 0;
			bool inlined = true;
			for (size_t j = 0; j < nstacks; j++) {
				const uint32_t *fj;
				int64_t v;
				size_t dj = hf_stacks_get(s, j, &fj, &v);
				bool through = dj >= depth;
				for (size_t e = 0; e < depth && through; e++)
					through = HF_FRAME_ID(o.reverse ? fj[dj - 1 - e] : fj[e]) == path[e];
				if (!through)
					continue;
				sum += v;
				inlined &= ((o.reverse ? fj[dj - depth] : fj[depth - 1]) & HF_FRAME_INLINED) != 0;
			}
			CHECK(sum == fr->value);
			CHECK(inlined == fr->inlined);
			/* the next sibling, if any: after this one, in order */
			for (size_t k = i + 1; k < f->nframes && f->frames[k].depth >= fr->depth; k++) {
				const hf__flame_frame *nx = &f->frames[k];
				if (nx->depth != fr->depth)
					continue;
				if (nx->parent == fr->parent) {
					CHECK(nx->start == fr->start + fr->value);
					size_t la, lb;
					const char *a = hf_stacks_frame_name(s, fr->name, &la);
					const char *b = hf_stacks_frame_name(s, nx->name, &lb);
					int c = strcmp(a, b);
					if (o.sort == HF_FLAME_SORT_WEIGHT)
						CHECK(fr->value > nx->value || (fr->value == nx->value && c < 0));
					else
						CHECK(c < 0);
				}
				break;
			}
		}
		hf_flame_free(f);
		hf_stacks_free(s);
	}
	}
	hf__parallel_force(0);
}

/* Random stacks of many names and a few deep chains, so that the tree has
 * top levels and nested subtrees to share out. */
static hf_stacks *random_stacks(uint64_t *x, size_t nstacks)
{
	hf_stacks *s = NULL;
	if (hf__stacks_new(&s, "samples", "count", NULL) != HF_OK)
		return NULL;
	uint32_t names[40];
	for (int i = 0; i < 40; i++) {
		char nm[8];
		snprintf(nm, sizeof(nm), "g%d", (i * 17) % 40); /* ids not in name order */
		names[i] = hf__intern_get(&s->names, nm, strlen(nm));
	}
	for (size_t k = 0; k < nstacks; k++) {
		uint32_t fr[24];
		*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
		size_t depth = 1 + *x % 24;
		uint64_t y = *x;
		for (size_t d = 0; d < depth; d++) {
			y ^= y << 13, y ^= y >> 7, y ^= y << 17;
			/* few names near the root, more below */
			uint32_t spread = d < 2 ? 3 : d < 5 ? 8 : 40;
			fr[d] = names[y % spread] | (y >> 60 == 0 ? HF_FRAME_INLINED : 0);
		}
		if (hf__stacks_add(s, fr, depth, 1 + (int64_t)((y >> 20) % 5000), NULL) != HF_OK) {
			hf_stacks_free(s);
			return NULL;
		}
	}
	return s;
}

/* Every frame of a layout made on one thread and on two: the same. */
static void test_layout_two_threads(void)
{
	uint64_t x = 11;
	for (int round = 0; round < 16; round++) {
		hf_stacks *s = random_stacks(&x, 500 + 700 * (size_t)round);
		CHECK(s != NULL);
		if (!s)
			return;
		hf_flame_options o = HF_FLAME_OPTIONS_INIT;
		o.reverse = round % 2 == 1;
		o.sort = round % 4 >= 2 ? HF_FLAME_SORT_WEIGHT : HF_FLAME_SORT_NAME;
		o.minwidth = round % 3 == 0 ? 0 : round % 3 == 1 ? 0.1 : 2;
		o.max_frames = round % 5 == 4 ? 300 : 0;
		hf_flame *f[2] = {NULL, NULL};
		char *svg[2] = {NULL, NULL};
		size_t threads = 0;
		for (int two = 0; two < 2; two++) {
			hf__parallel_force(two ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
			size_t before = hf__threads_started();
			CHECK_EQ_INT(hf_flame_layout(&f[two], s, &o, NULL), HF_OK);
			threads = hf__threads_started() - before;
			if (f[two])
				svg[two] = write_svg(f[two]);
		}
		hf__parallel_force(0);
		/* the sort's halves and the tree's parts at least */
		CHECK(threads >= 2);
		if (f[0] && f[1]) {
			CHECK_EQ_INT(f[0]->nframes, f[1]->nframes);
			CHECK_EQ_INT(f[0]->omitted, f[1]->omitted);
			CHECK(f[0]->min_value == f[1]->min_value);
			CHECK(f[0]->nframes > 50);
			for (size_t i = 0; i < f[0]->nframes && i < f[1]->nframes; i++) {
				const hf__flame_frame *a = &f[0]->frames[i], *b = &f[1]->frames[i];
				if (a->name != b->name || a->depth != b->depth || a->parent != b->parent ||
				    a->inlined != b->inlined || a->start != b->start ||
				    a->value != b->value || a->color != b->color) {
					fprintf(stderr, "round %d: frame %zu differs on two threads\n",
						round, i);
					CHECK(0);
					break;
				}
			}
		}
		CHECK(svg[0] && svg[1] && !strcmp(svg[0], svg[1]));
		for (int two = 0; two < 2; two++) {
			free(svg[two]);
			hf_flame_free(f[two]);
		}
		hf_stacks_free(s);
	}
}

/* flamegraph.pl's difference colours (anchors §2a) */
static void test_diff_colors(void)
{
	const char *lines[] = {"m;grew", "m;shrank", "m;same", "m"};
	int64_t after[] = {300, 50, 70, 10};
	int64_t before[] = {100, 150, 70, 10};
	hf_stacks *s = make_stacks("inuse_space", "bytes", lines, after, before, 4);
	hf_flame *f = NULL;
	hf_flame_options o = HF_FLAME_OPTIONS_INIT;
	o.minwidth = 0;
	CHECK(s && hf_stacks_has_base(s));
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	if (f) {
		/* max |delta| = 200 */
		const hf__flame_frame *g = find_frame(f, "grew", 2), *k = find_frame(f, "shrank", 2);
		const hf__flame_frame *same = find_frame(f, "same", 2), *m = find_frame(f, "m", 1);
		CHECK(g && g->color == rgb(255, 0, 0));
		CHECK(k && k->color == rgb(105, 105, 255)); /* int(210*(200-100)/200) */
		CHECK(same && same->color == rgb(255, 255, 255));
		CHECK(m && m->color == rgb(255, 255, 255)); /* self delta 0 */
		CHECK(g && g->value == 300 && g->base == 100);
		CHECK_EQ_INT(f->frames[0].value, 430);
		char *svg = write_svg(f);
		CHECK_CONTAINS(svg, "grew (300 B, 69.77%; before 100 B, change +200 B)");
		CHECK_CONTAINS(svg, "data-hf-diff=\"1\"");
		free(svg);
	}
	hf_flame_free(f);
	o.negate = true;
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	if (f) {
		CHECK(find_frame(f, "grew", 2)->color == rgb(0, 0, 255));
		CHECK(find_frame(f, "shrank", 2)->color == rgb(255, 105, 105));
	}
	hf_flame_free(f);
	hf_stacks_free(s);
}

static void test_units_in_titles(void)
{
	const char *lines[] = {"main;alloc"};
	int64_t v[] = {1268432};
	hf_stacks *s = make_stacks("alloc_space", "bytes", lines, v, NULL, 1);
	hf_flame *f = NULL;
	CHECK_EQ_INT(hf_flame_layout(&f, s, NULL, NULL), HF_OK);
	char *svg = f ? write_svg(f) : NULL;
	CHECK_CONTAINS(svg, "<title>alloc (1.21 MB, 100.00%; 1,268,432 bytes)</title>");
	CHECK_CONTAINS(svg, "<title>all (1.21 MB, 100%; 1,268,432 bytes)</title>");
	free(svg);
	hf_flame_free(f);
	hf_stacks_free(s);

	int64_t n[] = {1234567};
	s = make_stacks("alloc_objects", "count", lines, n, NULL, 1);
	CHECK_EQ_INT(hf_flame_layout(&f, s, NULL, NULL), HF_OK);
	svg = f ? write_svg(f) : NULL;
	CHECK_CONTAINS(svg, "<title>alloc (1,234,567 objects, 100.00%)</title>");
	CHECK_EQ_INT(f->frames[0].color, rgb(0, 198, 35)); /* _objects: mem */
	free(svg);
	hf_flame_free(f);
	hf_stacks_free(s);

	/* a count named by the profile is escaped in every title */
	s = make_stacks("x<y&z", "count", lines, n, NULL, 1);
	CHECK_EQ_INT(hf_flame_layout(&f, s, NULL, NULL), HF_OK);
	svg = f ? write_svg(f) : NULL;
	CHECK_CONTAINS(svg, "<title>alloc (1,234,567 x&lt;y&amp;z, 100.00%)</title>");
	CHECK_CONTAINS(svg, "<title>all (1,234,567 x&lt;y&amp;z, 100%)</title>");
	free(svg);
	hf_flame_free(f);
	hf_stacks_free(s);

	int64_t ns[] = {1500000000};
	s = make_stacks("cpu", "nanoseconds", lines, ns, NULL, 1);
	CHECK_EQ_INT(hf_flame_layout(&f, s, NULL, NULL), HF_OK);
	svg = f ? write_svg(f) : NULL;
	CHECK_CONTAINS(svg, "<title>alloc (1.50 s, 100.00%; 1,500,000,000 ns)</title>");
	free(svg);
	hf_flame_free(f);
	hf_stacks_free(s);
}

/*
 * The titles' values are written in place, piece by piece (render/format.c);
 * here they are checked against the same text made by snprintf, as it was
 * once built: each piece in a buffer of its own (the value 96 bytes, the
 * percentage 32, the raw count 64), then cut to the caller's size. Units
 * bytes, nanoseconds and counts, count names up to 300 bytes (cut in their
 * piece), diffs, values over all magnitudes and both signs.
 */
static void grouped(int64_t v, char *out, size_t size)
{
	char d[32];
	snprintf(d, sizeof(d), "%llu",
		v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
	size_t n = strlen(d), k = 0;
	char g[48];
	if (v < 0)
		g[k++] = '-';
	for (size_t i = 0; i < n; i++) {
		g[k++] = d[i];
		if ((n - i - 1) % 3 == 0 && i + 1 < n)
			g[k++] = ',';
	}
	g[k] = '\0';
	snprintf(out, size, "%s", g);
}

static void oracle_value(const hf_flame *f, int64_t v, char *out, size_t size)
{
	static const char *const bytes[] = {"B", "kB", "MB", "GB", "TB", "PB"};
	static const char *const ns[] = {"ns", "us", "ms", "s"};
	double a = v < 0 ? -(double)v : (double)v;
	const char *unit = NULL;
	int u = 0;
	if (f->unit == HF_UNIT_BYTES && !f->explicit_count_name) {
		for (; u < 5 && a >= 1024.0; u++)
			a /= 1024.0;
		unit = bytes[u];
	} else if (f->unit == HF_UNIT_NANOSECONDS && !f->explicit_count_name) {
		for (; u < 3 && a >= 1000.0; u++)
			a /= 1000.0;
		unit = ns[u];
	}
	if (unit) {
		char num[64];
		snprintf(num, sizeof(num), "%.2f", v < 0 ? -a : a);
		size_t n = strlen(num);
		if (n > 3 && !strcmp(num + n - 3, ".00"))
			num[n - 3] = '\0';
		snprintf(out, size, "%s %s", num, unit);
	} else {
		char g[48];
		grouped(v, g, sizeof(g));
		snprintf(out, size, "%s %s", g, f->count_name);
	}
}

static void oracle_info(const hf_flame *f, size_t i, char *out, size_t size)
{
	const hf__flame_frame *fr = &f->frames[i];
	char val[96], pct[32], raw[64] = "", g[48];
	oracle_value(f, fr->value, val, sizeof(val));
	if (i == 0)
		snprintf(pct, sizeof(pct), "100%%");
	else
		snprintf(pct, sizeof(pct), "%.2f%%",
			f->total ? 100.0 * (double)fr->value / (double)f->total : 0.0);
	if (f->unit != HF_UNIT_COUNT && !f->explicit_count_name) {
		grouped(fr->value, g, sizeof(g));
		snprintf(raw, sizeof(raw), "; %s %s", g, f->count_name);
	}
	if (!f->diff) {
		snprintf(out, size, "%s, %s%s", val, pct, raw);
		return;
	}
	char before[96], change[96];
	oracle_value(f, fr->base, before, sizeof(before));
	oracle_value(f, fr->value - fr->base, change, sizeof(change));
	snprintf(out, size, "%s, %s; before %s, change %s%s", val, pct, before,
		fr->value - fr->base > 0 ? "+" : "", change);
}

static void test_frame_info_as_snprintf(void)
{
	const char *lines[] = {"main;alloc"};
	int64_t v[] = {1000};
	hf_stacks *s = make_stacks("alloc_space", "bytes", lines, v, NULL, 1);
	hf_flame *f = NULL;
	CHECK_EQ_INT(hf_flame_layout(&f, s, NULL, NULL), HF_OK);
	if (!f) {
		hf_stacks_free(s);
		return;
	}
	char longname[301];
	memset(longname, 'n', 300);
	longname[300] = '\0';
	const char *names[] = {"bytes", "", "objects", "a count name of sixty bytes, give or take a few ..",
		longname + 240, longname + 220, longname + 200, longname};
	const hf__flame_unit units[] = {HF_UNIT_BYTES, HF_UNIT_NANOSECONDS, HF_UNIT_COUNT};
	const size_t sizes[] = {1, 2, 5, 31, 63, 64, 65, 95, 96, 97, 200, 400, 511, 512, 600};
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	size_t mismatches = 0;
	for (int round = 0; round < 20000; round++) {
		f->unit = units[round % 3];
		f->count_name = names[(round / 3) % 8];
		f->explicit_count_name = round % 7 == 0;
		f->diff = round % 5 == 0;
		uint64_t r = harness_xorshift64(&rng);
		int64_t magnitude = (int64_t)1 << (r % 62);
		int64_t value = (int64_t)(harness_xorshift64(&rng) % (uint64_t)magnitude);
		if (round % 11 == 0)
			value = (int64_t[]){0, 1, 1023, 1024, 1048575, 1048576, 999, 1000, 999999,
				INT64_MAX, 5, 10240}[(round / 11) % 12];
		f->frames[1].value = value;
		f->frames[1].base = f->diff ? value / 2 - (int64_t)(r >> 40) : 0;
		if (f->diff && round % 3 == 0)
			f->frames[1].value = -value / 4;
		/* a total at least the value, without overflowing near INT64_MAX */
		int64_t slack = (int64_t)(r % 1000);
		f->total = round % 13 == 0 ? 0 : round % 17 == 0 ? 1
			: value > INT64_MAX - slack ? INT64_MAX : value + slack;
		size_t i = round % 19 == 0 ? 0 : 1;
		f->frames[0].value = f->frames[1].value;
		f->frames[0].base = f->frames[1].base;
		size_t size = sizes[round % (sizeof(sizes) / sizeof(sizes[0]))];
		char want[700], got[700];
		memset(got, 'x', sizeof(got));
		oracle_info(f, i, want, size);
		size_t n = hf__render_frame_info(f, i, got, size);
		if (n != strlen(want) || memcmp(got, want, n + 1) != 0 || got[size] != 'x') {
			if (mismatches++ < 5)
				fprintf(stderr, "frame info (size %zu): got \"%.*s\", want \"%s\"\n", size,
					(int)(n < sizeof(got) ? n : 0), got, want);
		}
		oracle_value(f, f->frames[1].value, want, size);
		memset(got, 'x', sizeof(got));
		hf__render_format_value(f, f->frames[1].value, got, size);
		if (strcmp(got, want) != 0 || got[size] != 'x') {
			if (mismatches++ < 5)
				fprintf(stderr, "value (size %zu): got \"%s\", want \"%s\"\n", size, got,
					want);
		}
	}
	CHECK_EQ_INT(mismatches, 0);
	hf_flame_free(f);
	hf_stacks_free(s);
}

static const char *const hostile[] = {
	"</script><script>alert(1)</script>",
	"<>&\"'",
	"]]><script>alert(2)</script>",
	"line1\nline2\r\t\x01\x7f",
	"bad\xff\xfeutf8\xc3",
	("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
	 "\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5 emoji and euro"),
	"x\" onload=\"alert(3)",
};

static void test_hostile_names_escaped(void)
{
	const char *lines[7];
	int64_t values[7];
	char buf[7][128];
	for (size_t i = 0; i < 7; i++) {
		snprintf(buf[i], sizeof(buf[i]), "root;%s", hostile[i]);
		lines[i] = buf[i];
		values[i] = 100 + (int64_t)i;
	}
	hf_stacks *s = make_stacks("alloc_space", "bytes", lines, values, NULL, 7);
	hf_flame *f = NULL;
	hf_flame_options o = HF_FLAME_OPTIONS_INIT;
	o.title = "<b>title</b> & \"co\"";
	o.subtitle = "]]>";
	o.font_type = "x\"><script>alert(4)</script>";
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	char *svg = f ? write_svg(f) : NULL;
	CHECK(svg != NULL);
	if (svg) {
		/* exactly our own script element, and no raw markup from names */
		CHECK_EQ_INT(count_str(svg, "<script"), 1);
		CHECK_EQ_INT(count_str(svg, "]]>"), 2); /* closing our style and script CDATA */
		CHECK_CONTAINS(svg, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
		CHECK_CONTAINS(svg, "&lt;&gt;&amp;&quot;&apos;");
		CHECK_CONTAINS(svg, "line1&#x240A;line2&#x240D;&#x2409;&#x2401;&#x2421;");
		CHECK_CONTAINS(svg, "bad&#xFFFD;&#xFFFD;utf8&#xFFFD;");
		CHECK_CONTAINS(svg, "x&quot; onload=&quot;alert(3)");
		CHECK_CONTAINS(svg, "&lt;b&gt;title&lt;/b&gt; &amp; &quot;co&quot;");
		CHECK(!strstr(svg, "onload=\""));
		/* no control bytes or invalid UTF-8 in the output */
		size_t len = strlen(svg), i = 0;
		bool clean = true;
		while (i < len) {
			size_t at = i;
			uint32_t cp = hf__utf8_next(svg, len, &i);
			if ((unsigned char)svg[at] >= 0x80 && i - at == 1)
				clean = false;
			if (cp < 0x20 && cp != '\n' && cp != '\t')
				clean = false;
		}
		CHECK(clean);
	}
	free(svg);
	hf_flame_free(f);
	hf_stacks_free(s);
}

/* hf__markup_is_plain (the SVG writer copies names it holds plain) is
 * true exactly when escaping leaves a string as it is, in either style */
static void test_markup_plain(void)
{
	static const hf__markup_style styles[] = {
		{.apos = "&apos;", .invalid = "&#xFFFD;", .invalid_noncharacters = true},
		{.apos = "&#39;", .invalid = "\xef\xbf\xbd", .control = "?", .keep_tab_newline = true},
	};
	static const char *const plain[] = {
		"main.(*T).Method", "", "caf\xc3\xa9 \xe2\x82\xac[k]", "a b/c:12 ~{}|\\",
		"\xf0\x9f\x94\xa5",
	};
	static const char *const other[] = {"a\tb\nc", "\xef\xbf\xbe", "x\xef\xbf\xbf", "end&", "\xc3"};
	const char *all[32];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		all[n++] = hostile[i];
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		all[n++] = plain[i];
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		all[n++] = other[i];
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; i < n; i++) {
			hf_buffer buf = {0};
			hf_writer w = hf_writer_buffer(&buf);
			hf__sink out;
			size_t len = strlen(all[i]);
			CHECK_EQ_INT(hf__sink_init(&out, &w), HF_OK);
			hf__escape_markup(&out, all[i], len, &styles[k]);
			CHECK_EQ_INT(hf__sink_finish(&out, NULL), HF_OK);
			bool same = buf.len == len && (len == 0 || !memcmp(buf.data, all[i], len));
			CHECK_EQ_INT(hf__markup_is_plain(all[i], len, &styles[k]), same);
			hf_buffer_dispose(&buf);
		}
	}
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		CHECK(hf__markup_is_plain(plain[i], strlen(plain[i]), &styles[0]));
	for (size_t i = 0; i < 5; i++) /* the hostile names but the emoji and euro */
		CHECK(!hf__markup_is_plain(hostile[i], strlen(hostile[i]), &styles[0]));
	/* tab and newline pass in the second style, U+FFFE and U+FFFF in it only */
	CHECK(!hf__markup_is_plain("a\tb", 3, &styles[0]) && hf__markup_is_plain("a\tb", 3, &styles[1]));
	CHECK(!hf__markup_is_plain("\xef\xbf\xbe", 3, &styles[0]) &&
		hf__markup_is_plain("\xef\xbf\xbe", 3, &styles[1]));
}

/* labels never end inside a UTF-8 sequence, and fit their box */
static void test_label_fit_utf8(void)
{
	hf__metrics fixed, real;
	CHECK_EQ_INT(hf__render_metrics_init(&fixed, "Verdana", 12, 0.59, NULL), HF_OK);
	CHECK_EQ_INT(hf__render_metrics_init(&real, "Verdana", 12, 0, NULL), HF_OK);
	for (size_t h = 0; h < sizeof(hostile) / sizeof(hostile[0]); h++) {
		const char *name = hostile[h];
		size_t len = strlen(name);
		for (double w = 0; w < 400; w += 0.7) {
			for (int k = 0; k < 2; k++) {
				hf__metrics *m = k ? &real : &fixed;
				bool dots;
				size_t keep = hf__render_fit_label(m, name, len, w, &dots);
				CHECK(keep <= len);
				/* keep is a boundary of the decoder's walk */
				size_t i = 0;
				while (i < keep)
					hf__utf8_next(name, len, &i);
				if (i != keep)
					fprintf(stderr, "label of \"%s\" cut at %zu inside a sequence\n", name, keep);
				CHECK(i == keep);
				if (keep == len)
					CHECK(!dots);
				if (k && keep)
					CHECK(hf__render_metrics_width(m, name, keep) +
						(dots ? hf__render_metrics_width(m, "..", 2) : 0) <= w - 3 + 1e-9);
			}
		}
	}
	/* flamegraph.pl's rule with a fixed width: chars = int(w / 7.08) */
	bool dots;
	CHECK_EQ_INT(hf__render_fit_label(&fixed, "abcdefghij", 10, 7.08 * 5 + 0.01, &dots), 3);
	CHECK(dots);
	CHECK_EQ_INT(hf__render_fit_label(&fixed, "abcdefghij", 10, 7.08 * 10 + 0.01, &dots), 10);
	CHECK_EQ_INT(hf__render_fit_label(&fixed, "abcdefghij", 10, 7.08 * 2.9, &dots), 0);
	/* real metrics: a wide glyph is wider than a narrow one */
	CHECK(hf__render_metrics_width(&real, "W", 1) > hf__render_metrics_width(&real, "i", 1));
	hf__render_metrics_dispose(&fixed);
	hf__render_metrics_dispose(&real);
}

static void test_icicle_and_ids(void)
{
	const char *lines[] = {"a;b", "a;c"};
	int64_t values[] = {10, 20};
	hf_stacks *s = make_stacks("samples", "count", lines, values, NULL, 2);
	hf_flame *f = NULL;
	hf_flame_options o = HF_FLAME_OPTIONS_INIT;
	o.inverted = true;
	o.subtitle = "sub";
	o.id_prefix = "g2";
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	char *svg = f ? write_svg(f) : NULL;
	CHECK_CONTAINS(svg, ">Icicle Graph</text>");
	CHECK_CONTAINS(svg, "id=\"g2\"");
	CHECK_CONTAINS(svg, "id=\"g2-frames\"");
	CHECK_CONTAINS(svg, "#g2 .hf-hide");
	if (f) {
		double x1, x2, y1;
		hf__flame_frame_box(f, 0, &x1, &x2, &y1);
		CHECK(y1 == 36 + 24); /* below the subtitle */
		hf__flame_frame_box(f, 1, &x1, &x2, &y1);
		CHECK(y1 == 36 + 24 + 16);
		CHECK(x1 == 10 && x2 == 1190);
	}
	free(svg);
	hf_flame_free(f);
	/* flame: root at the bottom, flamegraph.pl's geometry */
	CHECK_EQ_INT(hf_flame_layout(&f, s, NULL, NULL), HF_OK);
	if (f) {
		double x1, x2, y1;
		CHECK_EQ_INT(f->image_height, 3 * 16 + 36 + 34);
		hf__flame_frame_box(f, 0, &x1, &x2, &y1);
		CHECK(y1 == f->image_height - 34 - 16 + 1);
		/* derived prefixes differ for different data */
		CHECK(f->id_prefix[0] == 'h' && f->id_prefix[1] == 'f');
	}
	hf_flame_free(f);
	hf_stacks_free(s);
}

/* --random: each frame its own colour of the palette, repeatable by seed */
static void test_random_colors(void)
{
	const char *lines[] = {"a;x", "b;x", "c;x", "d;x", "e;x", "f;x"};
	int64_t values[] = {1, 1, 1, 1, 1, 1};
	hf_stacks *s = make_stacks("samples", "count", lines, values, NULL, 6);
	hf_flame_options o = HF_FLAME_OPTIONS_INIT;
	o.palette = "red";
	uint32_t colors[2][16];
	size_t n[2] = {0, 0};
	for (int run = 0; run < 2; run++) {
		hf_flame *f = NULL;
		o.random_seed = 42;
		CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
		for (size_t i = 0; f && i < f->nframes && n[run] < 16; i++)
			colors[run][n[run]++] = f->frames[i].color;
		hf_flame_free(f);
	}
	CHECK_EQ_INT(n[0], 13);
	CHECK(n[0] == n[1] && !memcmp(colors[0], colors[1], sizeof(uint32_t) * n[0]));
	size_t distinct_x = 0;
	uint32_t first_x = 0;
	hf_flame *f = NULL;
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	for (size_t i = 0; f && i < f->nframes; i++) {
		uint32_t c = f->frames[i].color, r = c >> 16, g = c >> 8 & 0xff, b = c & 0xff;
		/* red = 200 + 55 v1, green = blue = 50 + 80 v1 */
		CHECK(r >= 200 && g >= 50 && g <= 130 && b == g);
		size_t len;
		if (f->frames[i].depth == 2 && *hf__flame_frame_name(f, i, &len) == 'x') {
			distinct_x += first_x && c != first_x;
			if (!first_x)
				first_x = c;
		}
	}
	CHECK(distinct_x > 0); /* the same name, other colours */
	hf_flame_free(f);
	/* without a seed, a name keeps flamegraph.pl's one colour */
	o.random_seed = 0;
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, NULL), HF_OK);
	for (size_t i = 0; f && i < f->nframes; i++)
		if (f->frames[i].depth == 2)
			CHECK_EQ_INT(f->frames[i].color, hf_theme_color(f->theme, "x", 1, false));
	hf_flame_free(f);
	hf_stacks_free(s);
}

static void test_bad_options(void)
{
	const char *lines[] = {"a"};
	int64_t values[] = {1};
	hf_stacks *s = make_stacks("samples", "count", lines, values, NULL, 1);
	hf_flame *f = NULL;
	hf_error err = {0};
	hf_flame_options o = HF_FLAME_OPTIONS_INIT;
	o.palette = "nosuch";
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, &err), HF_EINVALID);
	CHECK(f == NULL);
	o.palette = NULL;
	o.bgcolors = "#12";
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, &err), HF_EINVALID);
	o.bgcolors = "blue";
	o.notes = "a < b";
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, &err), HF_EINVALID);
	o.notes = NULL;
	o.width = 5;
	CHECK_EQ_INT(hf_flame_layout(&f, s, &o, &err), HF_EINVALID);
	hf_stacks_free(s);
}

/* a sample type that totals 0 (inuse of a program that freed everything) */
static void test_empty_total(void)
{
	const char *lines[] = {"a;b"};
	int64_t values[] = {0};
	hf_stacks *s = make_stacks("inuse_space", "bytes", lines, values, NULL, 1);
	hf_flame *f = NULL;
	CHECK_EQ_INT(hf_flame_layout(&f, s, NULL, NULL), HF_OK);
	char *svg = f ? write_svg(f) : NULL;
	CHECK(f && f->nframes == 1 && f->total == 0);
	CHECK_CONTAINS(svg, "No samples: this sample type totals 0");
	CHECK_CONTAINS(svg, "<title>all (0 B, 100%; 0 bytes)</title>");
	free(svg);
	hf_flame_free(f);
	hf_stacks_free(s);
}

/* Every allocation failure is a clean error (ASan checks for leaks). */
static void test_alloc_failures(void)
{
	for (int two = 0; two < 2; two++) {
	/* with the splits on: the tree's second part fails too */
	hf__parallel_force(two ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
	const char *lines[] = {"a;b;c", "a;b;d", "a;e", "\xe2\x82\xac;x"};
	int64_t values[] = {10, 20, 30, 40};
	hf_stacks *s = make_stacks("inuse_space", "bytes", lines, values, NULL, 4);
	int ok = 0, failed = 0;
	for (size_t n = 1; n < 400; n++) {
		hf_flame *f = NULL;
		hf_buffer buf = {0};
		hf_error err = {0};
		hf__alloc_fail_after(n);
		int rc = hf_flame_layout(&f, s, NULL, &err);
		if (rc == HF_OK) {
			hf_writer w = hf_writer_buffer(&buf);
			rc = hf_flame_write_svg(f, &w, &err);
		}
		hf__alloc_fail_after(0);
		if (rc == HF_OK)
			ok++;
		else {
			failed++;
			CHECK(rc == HF_ENOMEM || rc == HF_EIO);
		}
		hf_buffer_dispose(&buf);
		hf_flame_free(f);
	}
	CHECK(ok > 0 && failed > 0);
	hf_stacks_free(s);
	}
	hf__parallel_force(0);
}

/* Out of memory on a built-in's first use is HF_ENOMEM, not "no such
 * theme", and the next use parses it. Runs first: nothing parsed it yet. */
static void test_builtin_theme_oom(void)
{
	const hf_theme *t = NULL;
	hf_error err = {0};
	hf__alloc_fail_after(1);
	int rc = hf_theme_builtin(&t, "wakeup", &err);
	hf__alloc_fail_after(0);
	CHECK_EQ_INT(rc, HF_ENOMEM);
	CHECK(t == NULL);
	CHECK_EQ_INT(hf_theme_builtin(&t, "wakeup", &err), HF_OK);
	CHECK(t != NULL && t == builtin("wakeup"));
}

HARNESS_MAIN(T(test_builtin_theme_oom), T(test_perl_rand_vectors), T(test_palette_vectors), T(test_builtin_themes_load),
	T(test_theme_parse_errors), T(test_theme_parser_mutations), T(test_tree_merge_by_name), T(test_minwidth_and_max_frames), T(test_max_frames_random), T(test_layout_random),
	T(test_layout_two_threads),
	T(test_diff_colors), T(test_units_in_titles), T(test_frame_info_as_snprintf), T(test_hostile_names_escaped), T(test_markup_plain),
	T(test_label_fit_utf8), T(test_icicle_and_ids), T(test_random_colors), T(test_bad_options), T(test_empty_total), T(test_alloc_failures))
