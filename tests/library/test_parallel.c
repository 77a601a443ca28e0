/*
 * The work that splits over two threads (src/util/thread.c): a lean
 * profile's samples folded in two parts, the flame layout's sort in two
 * halves and its tree in two parts, the SVG's frames written in two halves, the label font
 * measured ahead (hf_flame_fonts_start), and the call graph's walks over
 * the samples in two parts (--top and --dot of every sample type, and an
 * edge residual in one part only), and the decode's two byte ranges
 * (the decoder checks the samples on a second thread while it decodes
 * the tables). The test build's knob
 * (hf__parallel_force) runs every split of two items or more on two
 * threads, whatever the thresholds and the CPUs, or none. Every input of
 * tests/data and tests/must-fail is folded straight from its file and
 * drawn both ways: the return codes and error messages, the collapsed
 * stacks, the flame and icicle SVGs, the -top tables (flat and cum order)
 * and the DOT graphs (pprof's default 80 nodes, every node, 3 and 10) must be the
 * same byte for byte,
 * and threads must have run for each profile that has two samples or
 * more (and never when they are off). Run under ThreadSanitizer
 * (scripts/test.sh tsan): a race in a split fails it.
 *
 * Usage: test_parallel DATA_DIR MUST_FAIL_DIR
 */
#define _DEFAULT_SOURCE /* strdup, d_type */
#include "heapflame.h"
#include "stacks/stacks.h"
#include "util/util.h"
#include "../unit/pbuild.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OUT_COLLAPSED, OUT_FLAME, OUT_ICICLE, OUT_TOP, OUT_DOT, NOUTPUTS };
static const char *const output_names[NOUTPUTS] = {"collapsed", "flame SVG", "icicle SVG",
	"-top tables", "DOT graphs"};

typedef struct outputs {
	int rc;
	hf_error err;
	size_t nstacks;
	size_t graph_threads; /* threads started by the graphs' walks */
	hf_buffer out[NOUTPUTS];
} outputs;

static int draw_flame(const hf_stacks *s, bool icicle, bool fonts_ahead, hf_writer *w,
	hf_error *err)
{
	hf_flame_options fo = HF_FLAME_OPTIONS_INIT;
	fo.inverted = icicle;
	fo.reverse = icicle;
	hf_flame_fonts *fonts = NULL;
	hf_flame *f = NULL;
	int rc = fonts_ahead ? hf_flame_fonts_start(&fonts, &fo, err) : HF_OK;
	fo.fonts = fonts;
	if (rc == HF_OK)
		rc = hf_flame_layout(&f, s, &fo, err);
	if (rc == HF_OK)
		rc = hf_flame_write_svg(f, w, err);
	hf_flame_free(f);
	hf_flame_fonts_free(fonts);
	return rc;
}

/* A report's or graph's error, written into its output (an empty graph
 * fails as it does on one thread). */
static void put_result(hf_writer *w, int rc, const hf_error *err)
{
	char line[600];
	int n = snprintf(line, sizeof(line), "rc %d %s\n", rc, rc == HF_OK ? "" : err->message);
	w->write(w->ctx, line, (size_t)n);
}

/* --top (flat and cum order) and --dot (80 nodes and every node) of each
 * sample type of the decoded profile. */
static void draw_graphs(const char *path, hf_writer *top, hf_writer *dot, outputs *o)
{
	hf_profile *p = NULL;
	hf_error err = {0};
	size_t before = hf__threads_started();
	if (hf_profile_parse_file(&p, path, NULL, &err) != HF_OK) {
		put_result(top, HF_EINVALID, &err);
		return;
	}
	for (size_t si = 0; si < 8; si++) {
		size_t index;
		char name[8];
		snprintf(name, sizeof(name), "%zu", si);
		if (hf_profile_sample_index(p, name, &index, &err) != HF_OK)
			break;
		for (int cum = 0; cum < 2; cum++) {
			hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
			go.sample_index = (long)index;
			go.cum = cum;
			put_result(top, hf_report_write_top(p, &go, top, &err), &err);
		}
		/* pprof's 80 nodes, every node, and few: residual edges */
		static const long nodecounts[] = {-1, 0, 3, 10};
		for (size_t i = 0; i < sizeof(nodecounts) / sizeof(nodecounts[0]); i++) {
			hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
			go.sample_index = (long)index;
			go.nodecount = nodecounts[i];
			hf_graph *g = NULL;
			int rc = hf_graph_build(&g, p, &go, &err);
			if (rc == HF_OK)
				rc = hf_graph_write_dot(g, dot, &err);
			put_result(dot, rc, &err);
			hf_graph_free(g);
		}
	}
	o->graph_threads = hf__threads_started() - before;
	hf_profile_free(p);
}

/* An edge that one part of the samples sees direct and the other across a
 * dropped node (x: residual), with 3 nodes or fewer kept: the edge a -> b
 * must come out as one walk makes it (not residual: pprof keeps the flag of
 * any sample that had it). Each line is a sample; the walk splits them at
 * half the frames, between the two. */
static int check_residual_merge(void)
{
	static const char stacks[] = "a;b 100\na;x;b 1\n";
	hf_buffer out[2] = {{0}};
	int failures = 0;
	for (int two = 0; two < 2; two++) {
		hf__parallel_force(two ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
		hf_profile *p = NULL;
		hf_error err = {0};
		hf_writer w = hf_writer_buffer(&out[two]);
		int rc = hf_profile_parse(&p, stacks, sizeof(stacks) - 1, "residual", NULL, &err);
		for (long nodecount = 2; rc == HF_OK && nodecount <= 3; nodecount++) {
			hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
			go.nodecount = nodecount;
			hf_graph *g = NULL;
			rc = hf_graph_build(&g, p, &go, &err);
			if (rc == HF_OK)
				rc = hf_graph_write_dot(g, &w, &err);
			hf_graph_free(g);
		}
		if (rc != HF_OK) {
			fprintf(stderr, "residual edges: %s\n", err.message);
			failures++;
		}
		hf_profile_free(p);
	}
	hf__parallel_force(0);
	if (out[0].len != out[1].len || memcmp(out[0].data, out[1].data, out[0].len) != 0) {
		fprintf(stderr, "residual edges: the DOT graph on two threads differs from one\n");
		failures++;
	}
	hf_buffer_dispose(&out[0]);
	hf_buffer_dispose(&out[1]);
	return failures;
}

/* Folds the file straight from its bytes and draws it. */
static void draw(const char *path, bool fonts_ahead, outputs *o)
{
	hf_writer w[NOUTPUTS];
	for (int i = 0; i < NOUTPUTS; i++)
		w[i] = hf_writer_buffer(&o->out[i]);
	hf_stacks *s = NULL;
	int rc = hf_stacks_fold_file(&s, path, NULL, NULL, NULL, &o->err);
	o->nstacks = hf_stacks_count(s);
	if (rc == HF_OK)
		rc = hf_stacks_write_collapsed(s, &w[OUT_COLLAPSED], &o->err);
	if (rc == HF_OK)
		rc = draw_flame(s, false, fonts_ahead, &w[OUT_FLAME], &o->err);
	if (rc == HF_OK)
		rc = draw_flame(s, true, fonts_ahead, &w[OUT_ICICLE], &o->err);
	hf_stacks_free(s);
	o->rc = rc;
	if (rc == HF_OK)
		draw_graphs(path, &w[OUT_TOP], &w[OUT_DOT], o);
}

static void outputs_dispose(outputs *o)
{
	for (int i = 0; i < NOUTPUTS; i++)
		hf_buffer_dispose(&o->out[i]);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* One input, both ways; returns the failures. */
static int check(const char *dir, const char *name, size_t *profiles)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	outputs one = {0}, two = {0};
	hf__parallel_force(HF_PARALLEL_NEVER);
	size_t before = hf__threads_started();
	draw(path, false, &one);
	int failures = 0;
	if (hf__threads_started() != before) {
		fprintf(stderr, "%s: threads ran while they were off\n", name);
		failures++;
	}
	hf__parallel_force(HF_PARALLEL_ALWAYS);
	before = hf__threads_started();
	draw(path, true, &two);
	size_t started = hf__threads_started() - before;
	hf__parallel_force(0);
	if (one.rc != two.rc || strcmp(one.err.message, two.err.message) != 0) {
		fprintf(stderr, "%s: one thread: %d \"%s\", two: %d \"%s\"\n", name, one.rc,
			one.err.message, two.rc, two.err.message);
		failures++;
	}
	for (int i = 0; i < NOUTPUTS; i++)
		if (one.out[i].len != two.out[i].len || (one.out[i].len > 0 &&
		    memcmp(one.out[i].data, two.out[i].data, one.out[i].len) != 0)) {
			fprintf(stderr, "%s: %s on two threads differs from one\n", name,
				output_names[i]);
			failures++;
		}
	/* a protobuf profile of two stacks or more: the fold, the sort and the
	 * frames of both SVGs split */
	if (one.rc == HF_OK && one.nstacks >= 2 && (has_suffix(name, ".pb.gz") ||
	    has_suffix(name, ".pb"))) {
		(*profiles)++;
		if (started < 4) {
			fprintf(stderr, "%s: %zu threads ran, want 4 or more\n", name, started);
			failures++;
		}
		/* the decode alone: the samples checked on a second thread
		 * while the tables are decoded */
		hf__parallel_force(HF_PARALLEL_ALWAYS);
		before = hf__threads_started();
		hf_profile *p = NULL;
		hf_error err;
		int rc = hf_profile_parse_file(&p, path, NULL, &err);
		size_t decode_threads = hf__threads_started() - before;
		hf__parallel_force(0);
		hf_profile_free(p);
		if (rc != HF_OK || decode_threads != 1) {
			fprintf(stderr, "%s: the decode ran %zu threads, want 1\n", name,
				decode_threads);
			failures++;
		}
		/* each sample type's graphs: two walks for each -top, and more
		 * for each DOT graph */
		if (two.graph_threads < 4) {
			fprintf(stderr, "%s: %zu threads ran for the graphs, want 4 or more\n", name,
				two.graph_threads);
			failures++;
		}
	}
	printf("%s: %s, %zu stacks, %zu threads\n", name,
		one.rc == HF_OK ? "drawn" : one.err.message, one.nstacks, started);
	outputs_dispose(&one);
	outputs_dispose(&two);
	return failures;
}

static int check_dir(const char *dir, size_t *inputs, size_t *profiles)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	int failures = 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		const char *name = e->d_name;
		/* the inputs: profiles, folded and legacy text, not the goldens'
		 * tables and graphs or the scripts */
		if (name[0] == '.' || e->d_type == DT_DIR || has_suffix(name, ".md") || has_suffix(name, ".py") ||
		    has_suffix(name, ".sh") || has_suffix(name, ".awk") || has_suffix(name, ".supp") ||
		    has_suffix(name, ".dot") || has_suffix(name, "CMakeLists.txt"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **more = realloc(names, cap * sizeof(*names));
			if (!more)
				abort();
			names = more;
		}
		if (!(names[n++] = strdup(name)))
			abort();
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		failures += check(dir, names[i], profiles);
		free(names[i]);
	}
	free(names);
	*inputs += n;
	return failures;
}

/* A writer that takes `room` bytes, then fails. */
typedef struct failing_writer {
	hf_buffer got;
	size_t room;
} failing_writer;

static int write_until_full(void *ctx, const void *buf, size_t len)
{
	failing_writer *fw = ctx;
	if (len > fw->room - fw->got.len)
		return -1;
	hf_writer w = hf_writer_buffer(&fw->got);
	return w.write(w.ctx, buf, len);
}

/* The collapsed text of s on one thread and on two, a writer failing
 * after `room` bytes; returns the failures. */
static int collapsed_both_ways(const hf_stacks *s, size_t room, int want_rc, const char *what)
{
	failing_writer fw[2] = {{{0}, room}, {{0}, room}};
	hf_error err[2];
	int rc[2], failures = 0;
	for (int two = 0; two < 2; two++) {
		hf_writer w = {write_until_full, &fw[two]};
		hf__parallel_force(two ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
		size_t threads = hf__threads_started();
		memset(&err[two], 0, sizeof(err[two]));
		rc[two] = hf_stacks_write_collapsed(s, &w, &err[two]);
		if ((hf__threads_started() > threads) != (two == 1)) {
			fprintf(stderr, "%s: threads %s\n", what, two ? "did not run" : "ran");
			failures++;
		}
	}
	hf__parallel_force(0);
	const hf_buffer *one = &fw[0].got, *two = &fw[1].got;
	if (rc[0] != want_rc || rc[1] != want_rc || strcmp(err[0].message, err[1].message) != 0) {
		fprintf(stderr, "%s: rc %d (%s) and %d (%s), want %d\n", what, rc[0],
			err[0].message, rc[1], err[1].message, want_rc);
		failures++;
	}
	/* Where a failing writer stops depends on the calls' sizes: both took
	 * a prefix of the text and nothing past the room. */
	size_t n = one->len < two->len ? one->len : two->len;
	if ((want_rc != HF_EIO && one->len != two->len) || one->len > room ||
	    two->len > room || (n && memcmp(one->data, two->data, n) != 0)) {
		fprintf(stderr, "%s: the collapsed text differs (%zu and %zu bytes)\n", what,
			one->len, two->len);
		failures++;
	}
	hf_buffer_dispose(&fw[0].got);
	hf_buffer_dispose(&fw[1].got);
	return failures;
}

static uint32_t rng = 7;

static uint32_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/*
 * The collapsed text written on two threads (src/stacks/stacks.c: chunks
 * of lines formatted into bounded slots while the calling thread writes
 * them) is the one thread's, byte for byte, on more lines than a chunk:
 * 20,000 random stacks, each line two of them (so that chunks are cut
 * inside lines), lines of zero skipped, lines of 100,000-byte names that
 * overflow a slot part way and lines longer than a slot; the same error
 * and the same bytes before it when a late line's sum overflows; a failing
 * writer fails both ways. Returns the failures.
 */
static int check_collapsed_chunks(void)
{
	enum { SHORT = 300, LONG = 3, LONG_LEN = 100000, MAX_DEPTH = 60 };
	hf_stacks *s = NULL;
	hf_error err;
	char *name = malloc(LONG_LEN);
	if (!name || hf__stacks_new(&s, "t", "u", &err) != HF_OK) {
		fprintf(stderr, "collapsed chunks: out of memory\n");
		free(name);
		return 1;
	}
	int failures = 0;
	uint32_t ids[SHORT + LONG], frames[MAX_DEPTH];
	for (size_t i = 0; i < SHORT; i++) {
		int n = snprintf(name, 32, "pkg.f%zu", i * 7919 % 1000);
		ids[i] = hf__intern_get(&s->names, name, (size_t)n);
	}
	for (size_t i = 0; i < LONG; i++) {
		memset(name, 'k' + (int)i, LONG_LEN);
		ids[SHORT + i] = hf__intern_get(&s->names, name, LONG_LEN);
	}
	/* Random stacks, many sharing a prefix with the one before. */
	size_t prev_depth = 0;
	for (size_t n = 0; n < 20000; n++) {
		size_t depth = 1 + next_random() % MAX_DEPTH;
		size_t keep = next_random() % (prev_depth + 1);
		for (size_t d = keep < depth ? keep : depth; d < depth; d++)
			frames[d] = ids[next_random() % SHORT];
		failures += hf__stacks_add(s, frames, depth, 1, &err) != HF_OK;
		prev_depth = depth;
	}
	/* Every line of two stacks, inline flags apart. */
	for (size_t i = 0, n = hf_stacks_count(s); i < n; i++) {
		const uint32_t *f;
		size_t depth = hf_stacks_get(s, i, &f, NULL);
		memcpy(frames, f, depth * sizeof(*f));
		frames[depth - 1] ^= HF_FRAME_INLINED;
		failures += hf__stacks_add(s, frames, depth, 1, &err) != HF_OK;
	}
	/* Lines of long names, some of value zero. */
	for (size_t n = 0; n < 40; n++) {
		size_t depth = 1 + n % 6;
		for (size_t d = 0; d < depth; d++)
			frames[d] = ids[next_random() % 2 ? SHORT + next_random() % LONG
				: next_random() % SHORT];
		failures += hf__stacks_add(s, frames, depth, (int64_t)(n % 3), &err) != HF_OK;
	}
	failures += collapsed_both_ways(s, SIZE_MAX, HF_OK, "collapsed chunks");
	failures += collapsed_both_ways(s, 1000000, HF_EIO, "collapsed chunks, writer failing");
	/* The total stays in range; the last line's sum does not. */
	uint32_t last = hf__intern_get(&s->names, "zz.last", 7);
	uint32_t early[] = {ids[1]}, big[] = {ids[0], last};
	uint32_t more[] = {ids[0], last | HF_FRAME_INLINED};
	failures += hf__stacks_add(s, early, 1, -(INT64_MAX / 2), &err) != HF_OK;
	failures += hf__stacks_add(s, big, 2, INT64_MAX - 1, &err) != HF_OK;
	failures += hf__stacks_add(s, more, 2, 5, &err) != HF_OK;
	failures += collapsed_both_ways(s, SIZE_MAX, HF_ELIMIT, "collapsed chunks, overflow");
	hf_stacks_free(s);
	free(name);
	return failures;
}

/*
 * A profile whose samples repeat stacks across the parts' cut (and within
 * each part), empty stacks and zero values among them: both parts' joins
 * find a stack of the first part by the hash the second thread recorded,
 * and the walks add each sample's stack one sample later (its slot
 * prefetched meanwhile), the last one at the walk's end. The second part
 * (2/3 of the samples' ~10 MB) is recorded into ~6 chunks of 1 MiB, handed
 * over in 64 KiB steps while it is walked and added as they come: a chunk
 * lost, a step added twice, or a chunk freed or written over before it
 * was added changes the stacks or their values. Folded on one thread and
 * (REPEAT_TWO_THREADS times, the threads' timing differing) on two, the
 * stacks, in first-seen order, and their values must be those the samples
 * sum to.
 */
enum {
	REPEAT_FUNCS = 300,
	REPEAT_STACKS = 700,
	REPEAT_SAMPLES = 100000,
	REPEAT_DEPTH = 40,
	REPEAT_TWO_THREADS = 4
};

static int check_repeated_stacks(void)
{
	static uint32_t depth[REPEAT_STACKS], frames[REPEAT_STACKS][REPEAT_DEPTH];
	static int64_t want[REPEAT_STACKS];
	static uint32_t first_seen[REPEAT_STACKS];
	int failures = 0;
	pb prof = {0}, m = {0}, sub = {0};
	pb_int(&m, 1, 1); /* sample_type: alloc_space, bytes */
	pb_int(&m, 2, 2);
	pb_msg(&prof, 1, &m);
	for (uint32_t i = 0; i < REPEAT_STACKS; i++) {
		/* stack 0 is empty; the others share prefixes of stack i/2 and
		 * are distinct (drawn again if not) */
		bool distinct;
		do {
			depth[i] = i == 0 ? 0 : 1 + next_random() % REPEAT_DEPTH;
			uint32_t shared = i ? depth[i / 2] < depth[i] ? depth[i / 2] : depth[i] - 1 : 0;
			for (uint32_t j = 0; j < depth[i]; j++)
				frames[i][j] = j < shared ? frames[i / 2][j]
							  : 1 + next_random() % REPEAT_FUNCS;
			distinct = true;
			for (uint32_t e = 0; e < i && distinct; e++)
				distinct = depth[e] != depth[i] ||
					memcmp(frames[e], frames[i], depth[i] * sizeof(frames[i][0])) != 0;
		} while (!distinct);
	}
	uint32_t nseen = 0;
	int64_t total = 0;
	memset(first_seen, 0xff, sizeof(first_seen));
	for (uint32_t k = 0; k < REPEAT_SAMPLES; k++) {
		/* from the first half's stacks as often as the second's, so
		 * that samples after the cut repeat stacks before it */
		uint32_t i = next_random() % (k < REPEAT_SAMPLES / 2 ? REPEAT_STACKS / 2 : REPEAT_STACKS);
		int64_t v = k % 7 == 3 ? 0 : (int64_t)(next_random() % 100000) - 1000;
		int64_t ids[REPEAT_DEPTH], vals[1] = {v};
		for (uint32_t j = 0; j < depth[i]; j++) /* leaf first */
			ids[j] = frames[i][depth[i] - 1 - j];
		pb_packed(&sub, 1, ids, depth[i]);
		if (k % 2) /* either encoding of a repeated field */
			pb_unpacked(&sub, 2, vals, 1);
		else
			pb_packed(&sub, 2, vals, 1);
		pb_msg(&prof, 2, &sub);
		if (v == 0)
			continue;
		if (first_seen[i] == UINT32_MAX)
			first_seen[i] = nseen++;
		want[first_seen[i]] += v;
		total += v;
	}
	for (uint32_t f = 1; f <= REPEAT_FUNCS; f++) {
		pb line = {0};
		pb_int(&sub, 1, f); /* location f: one line, function f */
		pb_int(&line, 1, f);
		pb_msg(&sub, 4, &line);
		pb_msg(&prof, 4, &sub);
		pb_int(&sub, 1, f); /* function f: name string 2 + f */
		pb_int(&sub, 2, 2 + f);
		pb_msg(&prof, 5, &sub);
	}
	pb_str(&prof, 6, "");
	pb_str(&prof, 6, "alloc_space");
	pb_str(&prof, 6, "bytes");
	for (uint32_t f = 1; f <= REPEAT_FUNCS; f++) {
		char name[16];
		snprintf(name, sizeof(name), "f%u", f);
		pb_str(&prof, 6, name);
	}
	hf_buffer out[2] = {{0}};
	for (int run = 0; run < 1 + REPEAT_TWO_THREADS; run++) {
		int way = run > 0;
		hf__parallel_force(way ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
		size_t before = hf__threads_started();
		hf_stacks *s = NULL;
		hf_error err = {0};
		int rc = hf_stacks_fold_data(&s, prof.data, prof.len, "repeated", NULL, NULL, NULL,
			&err);
		size_t started = hf__threads_started() - before;
		hf__parallel_force(0);
		const char *how = way ? "two threads" : "one thread";
		if (rc != HF_OK) {
			fprintf(stderr, "repeated stacks, %s: %s\n", how, err.message);
			failures++;
			continue;
		}
		if ((way == 1) != (started > 0)) {
			fprintf(stderr, "repeated stacks, %s: %zu threads ran\n", how, started);
			failures++;
		}
		if (hf_stacks_count(s) != nseen || hf_stacks_total(s) != total) {
			fprintf(stderr, "repeated stacks, %s: %zu stacks summing to %lld, want %u, %lld\n",
				how, hf_stacks_count(s), (long long)hf_stacks_total(s), nseen,
				(long long)total);
			failures++;
		}
		for (uint32_t i = 0; i < REPEAT_STACKS; i++) {
			if (first_seen[i] == UINT32_MAX || first_seen[i] >= hf_stacks_count(s))
				continue;
			const uint32_t *got;
			int64_t value;
			size_t n = hf_stacks_get(s, first_seen[i], &got, &value);
			bool same = n == depth[i] && value == want[first_seen[i]];
			for (size_t j = 0; same && j < n; j++) /* names are "f<function>" */
				same = strtoul(hf_stacks_frame_name(s, got[j], NULL) + 1, NULL, 10) ==
					frames[i][j];
			if (!same) {
				fprintf(stderr, "repeated stacks, %s: stack %u is not the samples' %u\n",
					how, first_seen[i], i);
				failures++;
				break;
			}
		}
		hf_writer w = hf_writer_buffer(&out[way]);
		if (hf_stacks_write_collapsed(s, &w, &err) != HF_OK) {
			fprintf(stderr, "repeated stacks, %s: %s\n", how, err.message);
			failures++;
		}
		hf_stacks_free(s);
		if (way && (out[0].len != out[1].len ||
			       memcmp(out[0].data, out[1].data, out[0].len) != 0)) {
			fprintf(stderr, "repeated stacks: the collapsed text on two threads differs\n");
			failures++;
		}
		hf_buffer_dispose(&out[1]);
		out[1] = (hf_buffer){0};
	}
	printf("repeated stacks: %u distinct of %d samples, %d failures\n", nseen,
		REPEAT_SAMPLES, failures);
	hf_buffer_dispose(&out[0]);
	hf_buffer_dispose(&out[1]);
	free(prof.data);
	return failures;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_parallel DATA_DIR MUST_FAIL_DIR\n");
		return 2;
	}
	size_t inputs = 0, profiles = 0;
	int failures = check_dir(argv[1], &inputs, &profiles) + check_dir(argv[2], &inputs, &profiles) +
		check_residual_merge() + check_collapsed_chunks() + check_repeated_stacks();
	if (profiles < 5) {
		fprintf(stderr, "only %zu profiles were split (want the fixtures' 5 or more)\n", profiles);
		failures++;
	}
	printf("%zu inputs, %zu profiles split over two threads: %d failures\n", inputs, profiles,
		failures);
	return failures ? 1 : 0;
}
