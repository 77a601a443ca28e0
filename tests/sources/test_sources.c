/*
 * The sources API on real fixtures: merging, subtracting, differential
 * folding, filtering with unfiltered totals, URL query handling, and
 * every allocation failing in turn in the text parsers, merge and filter.
 */
#include "harness.h"
#include "pbuild.h"
#include "util/util.h"

#include <stdlib.h>

/* A profile or golden of the repository's own set, tests/data. */
static char *fixture(const char *name)
{
	static char path[4200];
	char dir[4096];
	snprintf(path, sizeof(path), "%s/%s", harness_data(dir, sizeof(dir)) ? dir : ".", name);
	return path;
}

static hf_profile *load(const char *name)
{
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf_profile_parse_file(&p, fixture(name), NULL, &err) != HF_OK)
		fprintf(stderr, "%s: %s\n", name, err.message);
	return p;
}

/* synthetic-large from the shared fixtures (`fixtures`, from
 * harness_fixtures): millions of location ids, many of a builder's chunks. */
static hf_profile *load_synthetic_large(const char *fixtures)
{
	char path[4200];
	hf_profile *p = NULL;
	snprintf(path, sizeof(path), "%s/synthetic-large.pb.gz", fixtures);
	CHECK(hf_profile_parse_file(&p, path, NULL, NULL) == HF_OK);
	return p;
}

/* Collapsed output of one sample type, into a NUL-terminated buffer. */
static char *folded(const hf_profile *p, const char *type)
{
	size_t index;
	hf_stacks *s = NULL;
	hf_buffer buf = {0};
	hf_writer w = hf_writer_buffer(&buf);
	hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
	if (hf_profile_sample_index(p, type, &index, NULL) != HF_OK)
		return NULL;
	fo.sample_index = (long)index;
	if (hf_stacks_fold(&s, p, &fo, NULL) != HF_OK ||
	    hf_stacks_write_collapsed(s, &w, NULL) != HF_OK || w.write(w.ctx, "", 1) != 0) {
		hf_stacks_free(s);
		hf_buffer_dispose(&buf);
		return NULL;
	}
	hf_stacks_free(s);
	return buf.data;
}

static void fetch_url_adds_seconds(void)
{
	struct { const char *in; long seconds; const char *want; } cases[] = {
		{"http://h:1/debug/pprof/profile", 5, "http://h:1/debug/pprof/profile?seconds=5"},
		{"http://h/p?debug=1", 2, "http://h/p?debug=1&seconds=2"},
		{"http://h/p?seconds=30&gc=1", 3, "http://h/p?gc=1&seconds=3"},
		{"http://h/p?seconds=30", 0, "http://h/p?seconds=30"},
		{"https://h/p#frag", 1, "https://h/p?seconds=1"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = hf_fetch_url(cases[i].in, cases[i].seconds);
		CHECK_STR(got, cases[i].want);
		hf_string_free(got);
	}
}

static void fetch_refuses_other_schemes(void)
{
	hf_buffer buf = {0};
	hf_error err = {0};
	CHECK_EQ_INT(hf_fetch(&buf, "file:///etc/passwd", NULL, &err), HF_EUNSUPPORTED);
	CHECK_CONTAINS(err.message, "only http://, https:// and https+insecure://");
	CHECK(buf.data == NULL);
}

static void merge_needs_same_types(void)
{
	hf_profile *a = load("heap-small.pb.gz"), *b = load("cpu-small.pb.gz"), *m = NULL;
	hf_error err = {0};
	hf_profile *both[2] = {a, b};
	CHECK(a && b);
	CHECK_EQ_INT(hf_profile_merge(&m, both, 2, &err), HF_EINVALID);
	CHECK(m == NULL);
	CHECK_CONTAINS(err.message, "types differ");
	hf_profile_free(a);
	hf_profile_free(b);
}

/* The incremental merge gives what merging all at once gives; a profile
 * that does not fit is refused and the merge goes on without it. */
static void merger_equals_merge(void)
{
	const char *names[] = {"heap-small.pb.gz", "heap-base.pb.gz", "heap-later.pb.gz"};
	hf_profile *ps[3], *all = NULL, *inc = NULL, *cpu = load("cpu-small.pb.gz");
	hf_merger *m = NULL;
	hf_error err = {0};
	for (size_t i = 0; i < 3; i++)
		ps[i] = load(names[i]);
	CHECK(ps[0] && ps[1] && ps[2] && cpu);
	CHECK(hf_profile_merge(&all, ps, 3, NULL) == HF_OK);
	CHECK(hf_merger_new(&m, NULL) == HF_OK);
	for (size_t i = 0; i < 3; i++) {
		CHECK(hf_merger_add(m, ps[i], NULL) == HF_OK);
		if (i == 0) {
			CHECK_EQ_INT(hf_merger_add(m, cpu, &err), HF_EINVALID);
			CHECK_CONTAINS(err.message, "types differ");
		}
		hf_profile_free(ps[i]); /* not needed once added */
	}
	CHECK(hf_merger_finish(m, &inc, NULL) == HF_OK);
	hf_merger_free(m);
	CHECK(all && inc);
	CHECK_EQ_INT((long)hf_profile_sample_count(inc), (long)hf_profile_sample_count(all));
	const char *types[] = {"alloc_space", "inuse_objects"};
	for (size_t t = 0; t < 2; t++) {
		char *a = folded(all, types[t]), *b = folded(inc, types[t]);
		CHECK(a && b && strcmp(a, b) == 0);
		free(a);
		free(b);
	}
	int64_t ta, da, tb, db;
	hf_profile_time(all, &ta, &da);
	hf_profile_time(inc, &tb, &db);
	CHECK(ta == tb && da == db);
	hf_profile_free(all);
	hf_profile_free(inc);
	hf_profile_free(cpu);
	CHECK(hf_merger_new(&m, NULL) == HF_OK);
	CHECK_EQ_INT(hf_merger_finish(m, &inc, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "no profiles to merge");
	hf_merger_free(m);
	hf_merger_free(NULL);
}

/* hf_merger_subtract: adding P, subtracting B and finishing, with P freed
 * before B is read (as the CLI's -base does), gives hf_profile_subtract's
 * result (-base and -diff_base); a base whose types differ is refused. */
static void merger_subtract_equals_subtract(void)
{
	hf_error err = {0};
	for (int diff_base = 0; diff_base < 2; diff_base++) {
		hf_profile *later = load("heap-later.pb.gz"), *base = load("heap-base.pb.gz");
		hf_profile *cpu = load("cpu-small.pb.gz"), *want = NULL, *got = NULL;
		hf_merger *m = NULL;
		CHECK(later && base && cpu);
		CHECK(hf_profile_subtract(&want, later, base, diff_base, NULL) == HF_OK);
		CHECK(hf_merger_new(&m, NULL) == HF_OK);
		CHECK(hf_merger_add(m, later, NULL) == HF_OK);
		hf_profile_free(later);
		CHECK_EQ_INT(hf_merger_subtract(m, cpu, diff_base, &err), HF_EINVALID);
		CHECK_CONTAINS(err.message, "types differ");
		CHECK(hf_merger_subtract(m, base, diff_base, NULL) == HF_OK);
		CHECK(hf_merger_finish(m, &got, NULL) == HF_OK);
		hf_merger_free(m);
		CHECK(want && got && hf_profile_has_base(got));
		CHECK_EQ_INT((long)hf_profile_sample_count(got), (long)hf_profile_sample_count(want));
		CHECK_EQ_INT(hf_profile_total(got, 1), hf_profile_total(want, 1));
		const char *types[] = {"alloc_space", "inuse_objects"};
		for (size_t t = 0; t < 2; t++) {
			char *a = want ? folded(want, types[t]) : NULL, *b = got ? folded(got, types[t]) : NULL;
			CHECK(a && b && strcmp(a, b) == 0);
			free(a);
			free(b);
		}
		hf_profile_free(want);
		hf_profile_free(got);
		hf_profile_free(base);
		hf_profile_free(cpu);
	}
	hf_merger *m = NULL;
	hf_profile *heap = load("heap-base.pb.gz");
	CHECK(hf_merger_new(&m, NULL) == HF_OK);
	CHECK_EQ_INT(hf_merger_subtract(m, heap, false, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "nothing to subtract from");
	CHECK_EQ_INT(hf_merger_subtract(NULL, heap, false, &err), HF_EINVALID);
	hf_merger_free(m);
	hf_profile_free(heap);
}

static void library_argument_errors(void)
{
	hf_profile *heap = load("heap-small.pb.gz"), *cpu = load("cpu-small.pb.gz"), *m = NULL;
	hf_stacks *s = NULL;
	hf_buffer buf = {0};
	hf_fetch_options fo = HF_FETCH_OPTIONS_INIT;
	hf_fold_options fold = HF_FOLD_OPTIONS_INIT;
	hf_error err = {0};
	CHECK_EQ_INT(hf_profile_merge(&m, NULL, 0, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "no profiles to merge");
	CHECK_EQ_INT(hf_profile_subtract(&m, heap, cpu, false, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "types differ");
	fold.sample_index = 0; /* alloc_objects against samples */
	CHECK_EQ_INT(hf_stacks_fold_diff(&s, heap, cpu, &fold, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "cannot compare alloc_objects with samples");
	CHECK(s == NULL);
	CHECK(hf_profile_subtract(&m, heap, heap, false, NULL) == HF_OK);
	CHECK_EQ_INT(hf_stacks_fold_diff(&s, m, heap, NULL, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "is already a difference");
	hf_profile_free(m);
	fo.seconds = -1;
	CHECK_EQ_INT(hf_fetch(&buf, "http://127.0.0.1:1/", &fo, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "must not be negative");
	CHECK_EQ_INT(hf_profile_memstat(heap, 0, NULL, NULL), HF_ENOTFOUND);
	hf_profile_free(heap);
	hf_profile_free(cpu);
}

/* A profile with one sample in lib.so mapped at `start`: the same code
 * (offset 0x100 into the mapping) wherever the loader put it. */
static hf_profile *aslr_profile(uint64_t start, int64_t value)
{
	pb prof = {0}, sub = {0}, line = {0};
	const char *strings[] = {"", "space", "bytes", "lib.so", "lib_func"};
	pb_int(&sub, 1, 1);
	pb_int(&sub, 2, 2);
	pb_msg(&prof, 1, &sub); /* sample_type space/bytes */
	int64_t loc = 7;
	pb_packed(&sub, 1, &loc, 1);
	pb_unpacked(&sub, 2, &value, 1); /* values unpacked, ids packed */
	pb_msg(&prof, 2, &sub); /* sample */
	pb_int(&sub, 1, 3);
	pb_int(&sub, 2, start);
	pb_int(&sub, 3, start + 0x4000);
	pb_int(&sub, 5, 3);
	pb_msg(&prof, 3, &sub); /* mapping 3: lib.so */
	pb_int(&line, 1, 9);
	pb_int(&line, 2, 42);
	pb_int(&sub, 1, 7);
	pb_int(&sub, 2, 3);
	pb_int(&sub, 3, start + 0x100);
	pb_msg(&sub, 4, &line);
	pb_msg(&prof, 4, &sub); /* location 7 */
	pb_int(&sub, 1, 9);
	pb_int(&sub, 2, 4);
	pb_int(&sub, 3, 4);
	pb_msg(&prof, 5, &sub); /* function 9 */
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		pb_str(&prof, 6, strings[i]);
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf_profile_parse(&p, prof.data, prof.len, "aslr", NULL, &err) != HF_OK)
		fprintf(stderr, "aslr profile: %s\n", err.message);
	free(prof.data);
	return p;
}

static void merge_across_load_addresses(void)
{
	/* pprof keys mappings by size, offset and file, not by address. */
	hf_profile *a = aslr_profile(0x7f0000000000, 100), *b = aslr_profile(0x7f1234560000, 30);
	hf_profile *both[2] = {a, b}, *m = NULL, *d = NULL;
	CHECK(a && b);
	CHECK(hf_profile_merge(&m, both, 2, NULL) == HF_OK);
	CHECK_EQ_INT(m ? hf_profile_sample_count(m) : 0, 1);
	CHECK_EQ_INT(m ? hf_profile_total(m, 0) : 0, 130);
	CHECK(hf_profile_subtract(&d, a, b, false, NULL) == HF_OK);
	CHECK_EQ_INT(d ? hf_profile_total(d, 0) : 0, 70);
	char *text = d ? folded(d, "space") : NULL;
	CHECK_STR(text, "lib_func 30 100\n");
	free(text);
	hf_profile_free(m);
	hf_profile_free(d);
	hf_profile_free(a);
	hf_profile_free(b);
}

static void subtract_self_is_zero(void)
{
	hf_profile *a = load("heap-small.pb.gz"), *d = NULL;
	CHECK(a && hf_profile_subtract(&d, a, a, false, NULL) == HF_OK);
	if (!d) {
		hf_profile_free(a);
		return;
	}
	CHECK(hf_profile_has_base(d));
	for (size_t i = 0; i < 4; i++)
		CHECK_EQ_INT(hf_profile_total(d, i), 0);
	/* Both columns are the profile's own stacks. */
	char *got = folded(d, "alloc_space"), *one = folded(a, "alloc_space");
	CHECK(got && one);
	size_t lines = 0;
	for (char *line = got; got && *line; lines++) {
		char *nl = strchr(line, '\n');
		char *last = nl;
		while (last > line && last[-1] != ' ')
			last--;
		char *prev = last - 1;
		while (prev > line && prev[-1] != ' ')
			prev--;
		CHECK(strncmp(prev, last, (size_t)(nl - last)) == 0);
		line = nl + 1;
	}
	size_t want = 0;
	for (char *c = one; one && *c; c++)
		want += *c == '\n';
	CHECK_EQ_INT(lines, want);
	free(got);
	free(one);
	hf_profile_free(d);
	hf_profile_free(a);
}

static void fold_diff_equals_subtract(void)
{
	hf_profile *base = load("heap-base.pb.gz"), *later = load("heap-later.pb.gz"), *d = NULL;
	hf_stacks *s = NULL;
	hf_buffer buf = {0};
	hf_writer w = hf_writer_buffer(&buf);
	hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
	CHECK(base && later);
	CHECK(hf_profile_subtract(&d, later, base, true, NULL) == HF_OK);
	fo.sample_index = 1; /* alloc_space */
	CHECK(hf_stacks_fold_diff(&s, later, base, &fo, NULL) == HF_OK);
	CHECK(s && hf_stacks_has_base(s));
	CHECK(s && hf_stacks_write_collapsed(s, &w, NULL) == HF_OK && w.write(w.ctx, "", 1) == 0);
	char *want = d ? folded(d, "alloc_space") : NULL;
	CHECK(want && buf.data && strcmp(want, buf.data) == 0);
	/* -diff_base: percentages of the base's total. */
	CHECK_EQ_INT(hf_profile_total(d, 1), hf_profile_total(base, 1));
	free(want);
	hf_buffer_dispose(&buf);
	hf_stacks_free(s);
	hf_profile_free(d);
	hf_profile_free(base);
	hf_profile_free(later);
}

/* hf_stacks_fold_free, which frees a difference's samples as it folds
 * them, gives hf_stacks_fold's stacks: on synthetic-large (millions of
 * location ids, many of the builder's chunks) minus a base, as it is and
 * with a filter that cuts the samples' locations in place. */
static void fold_free_equals_fold(void)
{
	const char *fixtures = harness_fixtures();
	if (!fixtures)
		return;
	hf_profile *large = load_synthetic_large(fixtures), *base = load("heap-base.pb.gz");
	CHECK(large && base);
	for (int filtered = 0; filtered < 2; filtered++) {
		hf_profile *d = NULL;
		CHECK(hf_profile_subtract(&d, large, base, false, NULL) == HF_OK);
		hf_filter_options fl = HF_FILTER_OPTIONS_INIT;
		fl.hide = "runtime";
		CHECK(!filtered || hf_profile_filter(d, &fl, NULL, NULL) == HF_OK);
		char *want = d ? folded(d, "alloc_space") : NULL;
		hf_stacks *s = NULL;
		hf_buffer buf = {0};
		hf_writer w = hf_writer_buffer(&buf);
		hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
		fo.sample_index = 1; /* alloc_space */
		CHECK(d && hf_stacks_fold_free(&s, d, &fo, NULL) == HF_OK);
		CHECK(s && hf_stacks_has_base(s));
		CHECK(s && hf_stacks_write_collapsed(s, &w, NULL) == HF_OK && w.write(w.ctx, "", 1) == 0);
		CHECK(want && strlen(want) > 1000000 && buf.data && strcmp(want, buf.data) == 0);
		free(want);
		hf_buffer_dispose(&buf);
		hf_stacks_free(s);
	}
	hf_error err = {0};
	hf_stacks *s = NULL;
	CHECK_EQ_INT(hf_stacks_fold_free(&s, NULL, NULL, &err), HF_EINVALID);
	CHECK(s == NULL);
	hf_profile_free(large);
	hf_profile_free(base);
}

/* hf_merger_add_free and hf_merger_subtract_free, which free what they
 * have read of a profile as they go (its locations once mapped, each
 * chunk of its samples' location indexes once passed), give what
 * hf_merger_add and hf_merger_subtract give: synthetic-large (millions of
 * location ids, many chunks) as the source and as the base, and a merge
 * of three; errors free the profile too (the sanitizer lanes' leak
 * check). */
static void merger_free_equals_merger(void)
{
	const char *fixtures = harness_fixtures();
	if (!fixtures)
		return;
	for (int large_is_base = 0; large_is_base < 3; large_is_base++) {
		hf_profile *in[2][3] = {{NULL}};
		for (int k = 0; k < 2; k++) {
			in[k][0] = load_synthetic_large(fixtures);
			in[k][1] = load("heap-base.pb.gz");
			in[k][2] = load("heap-later.pb.gz");
		}
		hf_profile *want = NULL, *got = NULL;
		hf_merger *m = NULL, *mf = NULL;
		CHECK(hf_merger_new(&m, NULL) == HF_OK && hf_merger_new(&mf, NULL) == HF_OK);
		/* 0: large - base; 1: later - large; 2: large + base + later */
		size_t first = large_is_base == 1 ? 2 : 0, second = large_is_base == 1 ? 0 : 1;
		CHECK(hf_merger_add(m, in[0][first], NULL) == HF_OK);
		CHECK(hf_merger_add_free(mf, in[1][first], NULL) == HF_OK);
		if (large_is_base == 2) {
			CHECK(hf_merger_add(m, in[0][1], NULL) == HF_OK);
			CHECK(hf_merger_add_free(mf, in[1][1], NULL) == HF_OK);
			CHECK(hf_merger_add(m, in[0][2], NULL) == HF_OK);
			CHECK(hf_merger_add_free(mf, in[1][2], NULL) == HF_OK);
		} else {
			CHECK(hf_merger_subtract(m, in[0][second], false, NULL) == HF_OK);
			CHECK(hf_merger_subtract_free(mf, in[1][second], false, NULL) == HF_OK);
			hf_profile_free(in[1][3 - first - second]);
		}
		CHECK(hf_merger_finish(m, &want, NULL) == HF_OK);
		CHECK(hf_merger_finish(mf, &got, NULL) == HF_OK);
		hf_merger_free(m);
		hf_merger_free(mf);
		for (size_t i = 0; i < 3; i++)
			hf_profile_free(in[0][i]);
		CHECK(want && got);
		CHECK_EQ_INT((long)hf_profile_sample_count(got), (long)hf_profile_sample_count(want));
		const char *types[] = {"alloc_space", "inuse_objects"};
		for (size_t t = 0; t < 2 && want && got; t++) {
			char *a = folded(want, types[t]), *b = folded(got, types[t]);
			CHECK(a && b && strlen(a) > 1000 && strcmp(a, b) == 0);
			free(a);
			free(b);
		}
		hf_profile_free(want);
		hf_profile_free(got);
	}
	hf_error err = {0};
	hf_merger *m = NULL;
	CHECK(hf_merger_new(&m, NULL) == HF_OK);
	CHECK_EQ_INT(hf_merger_subtract_free(m, load("heap-base.pb.gz"), false, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "nothing to subtract from");
	CHECK_EQ_INT(hf_merger_add_free(m, load("heap-base.pb.gz"), NULL), HF_OK);
	CHECK_EQ_INT(hf_merger_add_free(m, load("cpu-small.pb.gz"), &err), HF_EINVALID);
	CHECK_EQ_INT(hf_merger_subtract_free(m, load("cpu-small.pb.gz"), false, &err), HF_EINVALID);
	CHECK_EQ_INT(hf_merger_add_free(NULL, load("heap-base.pb.gz"), &err), HF_EINVALID);
	CHECK_EQ_INT(hf_merger_subtract_free(NULL, load("heap-base.pb.gz"), false, &err), HF_EINVALID);
	CHECK_EQ_INT(hf_merger_add_free(m, NULL, &err), HF_EINVALID);
	hf_merger_free(m);
}

static void filter_keeps_unfiltered_total(void)
{
	hf_profile *p = load("heap-small.pb.gz");
	hf_filter_options fo = HF_FILTER_OPTIONS_INIT;
	hf_filter_result r;
	hf_error err = {0};
	CHECK(p != NULL);
	if (!p)
		return;
	int64_t total = hf_profile_total(p, 3);
	size_t before = hf_profile_sample_count(p);
	fo.focus = "sessionCache";
	CHECK(hf_profile_filter(p, &fo, &r, &err) == HF_OK);
	CHECK(r.focus);
	CHECK(hf_profile_sample_count(p) < before && hf_profile_sample_count(p) > 0);
	CHECK_EQ_INT(hf_profile_total(p, 3), total);
	fo.focus = "[";
	CHECK_EQ_INT(hf_profile_filter(p, &fo, &r, &err), HF_EINVALID);
	CHECK_CONTAINS(err.message, "-focus: bad regular expression");
	hf_profile_free(p);
}

/* Runs `step` with allocation n failing, for every n until it succeeds. */
static void every_allocation_fails(const char *what, int (*step)(void))
{
	size_t n;
	for (n = 1; n < 100000; n++) {
		hf__alloc_fail_after(n);
		int rc = step();
		hf__alloc_fail_after(0);
		if (rc == HF_OK)
			break;
		if (rc != HF_ENOMEM) {
			fprintf(stderr, "%s: allocation %zu failing gave %d, want HF_ENOMEM\n", what, n, rc);
			harness_failed_checks++;
			return;
		}
	}
	printf("%s: ok with every one of %zu allocations failing in turn\n", what, n - 1);
	CHECK(n > 1 && n < 100000);
}

static char *legacy_text, *collapsed_text;
static size_t legacy_len, collapsed_len;

static int parse_legacy(void)
{
	hf_profile *p = NULL;
	int rc = hf_profile_parse(&p, legacy_text, legacy_len, "legacy", NULL, NULL);
	hf_profile_free(p);
	return rc;
}

static int parse_collapsed(void)
{
	hf_profile *p = NULL;
	int rc = hf_profile_parse(&p, collapsed_text, collapsed_len, "collapsed", NULL, NULL);
	hf_profile_free(p);
	return rc;
}

static hf_profile *alloc_base, *alloc_later;

static int subtract_and_filter(void)
{
	hf_profile *d = NULL;
	hf_filter_options fo = HF_FILTER_OPTIONS_INIT;
	int rc = hf_profile_subtract(&d, alloc_later, alloc_base, false, NULL);
	fo.hide = "json";
	fo.show_from = "main";
	fo.prune_from = "remember";
	if (rc == HF_OK)
		rc = hf_profile_filter(d, &fo, NULL, NULL);
	hf_profile_free(d);
	return rc;
}

static int merge_incrementally(void)
{
	hf_merger *m = NULL;
	hf_profile *out = NULL;
	int rc = hf_merger_new(&m, NULL);
	if (rc == HF_OK)
		rc = hf_merger_add(m, alloc_base, NULL);
	if (rc == HF_OK)
		rc = hf_merger_add(m, alloc_later, NULL);
	if (rc == HF_OK)
		rc = hf_merger_finish(m, &out, NULL);
	hf_merger_free(m);
	hf_profile_free(out);
	return rc;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = malloc(1 << 20);
	*len = fp && buf ? fread(buf, 1, 1 << 20, fp) : 0;
	if (fp)
		fclose(fp);
	return buf;
}

static void allocation_failures_are_clean(void)
{
	legacy_text = slurp(fixture("heap-legacy.txt"), &legacy_len);
	collapsed_text = slurp(fixture("heap-diff.inuse_space.difffolded"), &collapsed_len);
	CHECK(legacy_len > 0 && collapsed_len > 0);
	every_allocation_fails("legacy", parse_legacy);
	every_allocation_fails("collapsed", parse_collapsed);
	free(legacy_text);
	free(collapsed_text);
	alloc_base = load("heap-base.pb.gz");
	alloc_later = load("heap-later.pb.gz");
	CHECK(alloc_base && alloc_later);
	every_allocation_fails("subtract+filter", subtract_and_filter);
	every_allocation_fails("incremental merge", merge_incrementally);
	hf_profile_free(alloc_base);
	hf_profile_free(alloc_later);
}

HARNESS_MAIN(T(fetch_url_adds_seconds), T(fetch_refuses_other_schemes), T(merge_needs_same_types),
	T(merger_equals_merge),
	T(merger_subtract_equals_subtract),
	T(library_argument_errors), T(merge_across_load_addresses),
	T(subtract_self_is_zero), T(fold_diff_equals_subtract), T(fold_free_equals_fold),
	T(merger_free_equals_merger),
	T(filter_keeps_unfiltered_total),
	T(allocation_failures_are_clean))
