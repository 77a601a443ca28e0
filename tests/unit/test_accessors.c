/*
 * The public getters and the listing and source calls no other test
 * reaches through the command line, each on the repository's own
 * fixtures (tests/data) against what pprof wrote for them: the node count
 * of a graph against pprof's DOT, the base total of differential stacks
 * against the folded goldens, the listing's text and value formatting
 * against pprof's -list golden, and the source lookup against the file
 * pprof's listing names. Public API only.
 */
#include "harness.h"

#include "heapflame.h"

/* A file of tests/data, whole and NUL-terminated (free it); NULL on failure. */
static char *read_data(const char *name, size_t *len)
{
	char dir[4096], path[4200];
	if (!harness_data(dir, sizeof(dir)))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	if (f) {
		for (;;) {
			if (n + 4096 + 1 > cap) {
				cap = cap ? cap * 2 : 65536;
				char *grown = realloc(buf, cap);
				if (!grown)
					break;
				buf = grown;
			}
			size_t got = fread(buf + n, 1, cap - n - 1, f);
			if (got == 0)
				break;
			n += got;
		}
		fclose(f);
	}
	if (buf)
		buf[n] = '\0';
	else
		fprintf(stderr, "cannot read %s\n", path);
	if (len)
		*len = n;
	return buf;
}

static hf_profile *parse_data(const char *name)
{
	char dir[4096], path[4200];
	if (!harness_data(dir, sizeof(dir)))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	hf_profile *p = NULL;
	hf_error err = {0};
	if (hf_profile_parse_file(&p, path, NULL, &err) != HF_OK)
		fprintf(stderr, "%s: %s\n", path, err.message);
	return p;
}

static long sample_index(const hf_profile *p, const char *type)
{
	size_t i = 0;
	hf_error err = {0};
	CHECK(hf_profile_sample_index(p, type, &i, &err) == HF_OK);
	return (long)i;
}

/* pprof's DOT has a line "N<k> [label=..." per node it kept. */
static void graph_node_count(void)
{
	char *dot = read_data("cpu-small.cpu.dot", NULL);
	hf_profile *p = parse_data("cpu-small.pb.gz");
	CHECK(dot && p);
	if (!dot || !p)
		goto done;
	size_t want = 0;
	for (const char *line = dot; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		size_t digits = strspn(line + (line[0] == 'N'), "0123456789");
		if (line[0] == 'N' && digits > 0 && !strncmp(line + 1 + digits, " [", 2))
			want++;
	}
	CHECK(want > 10);
	hf_graph_options go = HF_GRAPH_OPTIONS_INIT;
	go.sample_index = sample_index(p, "cpu");
	hf_graph *g = NULL;
	hf_error err = {0};
	CHECK(hf_graph_build(&g, p, &go, &err) == HF_OK);
	CHECK_EQ_INT(hf_graph_node_count(g), want);
	hf_graph_free(g);
	CHECK_EQ_INT(hf_graph_node_count(NULL), 0);
done:
	hf_profile_free(p);
	free(dot);
}

/* Sums of the BEFORE and AFTER columns of "STACK BEFORE AFTER" lines. */
static void difffolded_totals(const char *text, int64_t *before, int64_t *after)
{
	*before = *after = 0;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		const char *space = end;
		int fields = 0;
		while (space > line && fields < 2)
			if (*--space == ' ')
				fields++;
		long long b = 0, a = 0;
		CHECK(fields == 2 && sscanf(space, " %lld %lld", &b, &a) == 2);
		*before += b;
		*after += a;
		line = *end ? end + 1 : end;
	}
}

static void stacks_base_total(void)
{
	char *golden = read_data("heap-diff.inuse_space.difffolded", NULL);
	hf_profile *later = parse_data("heap-later.pb.gz");
	hf_profile *base = parse_data("heap-base.pb.gz");
	CHECK(golden && later && base);
	if (!golden || !later || !base)
		goto done;
	int64_t before, after;
	difffolded_totals(golden, &before, &after);
	CHECK(before > 0 && after > before); /* the cache leak grew */
	hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
	fo.sample_index = sample_index(later, "inuse_space");
	hf_stacks *s = NULL;
	hf_error err = {0};
	CHECK(hf_stacks_fold_diff(&s, later, base, &fo, &err) == HF_OK);
	CHECK(hf_stacks_has_base(s));
	CHECK_EQ_INT(hf_stacks_base_total(s), before);
	CHECK_EQ_INT(hf_stacks_total(s), after);
	hf_stacks_free(s);

	/* Stacks of one profile have no base. */
	CHECK(hf_stacks_fold(&s, base, &fo, &err) == HF_OK);
	CHECK(!hf_stacks_has_base(s));
	CHECK_EQ_INT(hf_stacks_base_total(s), 0);
	CHECK_EQ_INT(hf_stacks_total(s), before);
	hf_stacks_free(s);

	/* NULL stacks are empty ones, as NULL graphs and flames are. */
	const uint32_t *frames = NULL;
	int64_t value = 7;
	CHECK_EQ_INT(hf_stacks_base_total(NULL), 0);
	CHECK_EQ_INT(hf_stacks_total(NULL), 0);
	CHECK(!hf_stacks_has_base(NULL));
	CHECK_EQ_INT(hf_stacks_base(NULL, 0), 0);
	CHECK_EQ_INT(hf_stacks_count(NULL), 0);
	CHECK_EQ_INT(hf_stacks_frame_count(NULL), 0);
	CHECK(hf_stacks_frame_name(NULL, 0, NULL) == NULL);
	CHECK_EQ_INT(hf_stacks_get(NULL, 0, &frames, &value), 0);
	CHECK(frames == NULL && value == 7);
	CHECK(hf_stacks_sample_type(NULL) == NULL && hf_stacks_sample_unit(NULL) == NULL);
done:
	hf_profile_free(later);
	hf_profile_free(base);
	free(golden);
}

/* The text of the golden's line that starts with `prefix`, up to its end. */
static void golden_field(const char *golden, const char *prefix, char *out, size_t size)
{
	const char *at = strstr(golden, prefix);
	out[0] = '\0';
	if (at) {
		at += strlen(prefix);
		size_t n = strcspn(at, "\n");
		snprintf(out, size, "%.*s", (int)n, at);
	}
}

/* pprof -list 'main\.' -source_path=tests/data on cpu-small (its golden). */
static void listing_against_pprof(void)
{
	char dir[4096];
	size_t want_len = 0;
	char *golden = read_data("cpu-small.cpu.list.txt", &want_len);
	hf_profile *p = parse_data("cpu-small.pb.gz");
	CHECK(golden && p && harness_data(dir, sizeof(dir)));
	if (!golden || !p)
		goto done;
	hf_list_options lo = HF_LIST_OPTIONS_INIT;
	lo.sample_index = sample_index(p, "cpu");
	lo.regex = "main\\.";
	lo.source.source_path = dir;
	hf_listing *l = NULL;
	hf_error err = {0};
	CHECK(hf_listing_build(&l, p, &lo, &err) == HF_OK);
	if (!l)
		goto done;

	hf_buffer text = {0};
	hf_writer w = hf_writer_buffer(&text);
	CHECK(hf_listing_write_text(l, &w, &err) == HF_OK);
	CHECK(text.len == want_len && !memcmp(text.data, golden, want_len));
	hf_buffer_dispose(&text);

	/* "Total: 270ms", then the first routine's "30ms 80ms (flat, cum)". */
	char want[64], got[64], flat[64], cum[64];
	golden_field(golden, "Total: ", want, sizeof(want));
	hf_listing_format_value(l, l->total, got, sizeof(got));
	CHECK_STR(got, want);
	CHECK(l->nroutines > 0);
	golden_field(golden, "ROUTINE ======================== ", want, sizeof(want));
	char name_file[200];
	snprintf(name_file, sizeof(name_file), "%s in %s", l->routines[0].name,
		l->routines[0].file);
	CHECK_STR(name_file, want);
	const char *values = strchr(strstr(golden, "ROUTINE"), '\n') + 1;
	CHECK(sscanf(values, " %63s %63s (flat, cum)", flat, cum) == 2);
	hf_listing_format_value(l, l->routines[0].flat, got, sizeof(got));
	CHECK_STR(got, flat);
	hf_listing_format_value(l, l->routines[0].cum, got, sizeof(got));
	CHECK_STR(got, cum);
	hf_listing_format_value(l, 0, got, sizeof(got));
	CHECK_STR(got, "0");
	hf_listing_free(l);
done:
	hf_profile_free(p);
	free(golden);
}

/* The file pprof's listing names (programs/shop/main.go) under tests/data. */
static void source_find(void)
{
	char dir[4096], want[4200];
	if (!harness_data(dir, sizeof(dir)))
		return;
	snprintf(want, sizeof(want), "%s/programs/shop/main.go", dir);
	hf_source_options so = HF_SOURCE_OPTIONS_INIT;
	so.source_path = dir;
	so.pprof_only = true;
	char *path = NULL;
	hf_error err = {0};
	CHECK(hf_source_find(&path, "programs/shop/main.go", &so, &err) == HF_OK);
	CHECK_STR(path, want);
	hf_string_free(path);

	/* pprof's message when it is not there. */
	path = NULL;
	CHECK(hf_source_find(&path, "programs/shop/gone.go", &so, &err) == HF_ENOTFOUND);
	CHECK(path == NULL);
	char message[4400];
	snprintf(message, sizeof(message), "could not find file programs/shop/gone.go on path %s",
		dir);
	CHECK_CONTAINS(err.message, message);
	CHECK(hf_source_find(&path, NULL, &so, &err) == HF_EINVALID);
}

HARNESS_MAIN(T(graph_node_count), T(stacks_base_total), T(listing_against_pprof),
	T(source_find))
