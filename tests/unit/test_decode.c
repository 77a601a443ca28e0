/* The decoder and folder on hand-built profiles: rules and error paths. */
#include "harness.h"
#include "heapflame.h"
#include "pbuild.h"
#include "util/util.h"

#include <zlib.h>

/* Knobs for the small profile below; each test breaks one thing. */
typedef struct spec {
	int unpacked;            /* repeated scalars unpacked */
	uint64_t loc_ids[3];     /* ids of the three locations */
	uint64_t fn_ids[3];      /* ids of the three functions */
	int64_t default_type;    /* string index, 0 = unset */
	const char *string0;     /* string_table[0] */
	int64_t bad_name;        /* a function name index, 0 = fine */
	int extra_value;         /* a sample with 3 values */
	uint64_t missing_loc;    /* a sample referencing this id */
	uint64_t line_fn_zero;   /* location 1's line has function_id 0 */
	int no_types;
} spec;

enum { S_EMPTY, S_ALLOC, S_BYTES, S_INUSE, S_MAIN, S_LEAF, S_INL, S_FILE, NSTR };
static const char *strings[NSTR] = {"", "alloc_space", "bytes", "inuse_space", "main",
	"leaf", "inl", "file.go"};

static void add_ints(pb *b, const spec *sp, unsigned field, const int64_t *v, size_t n)
{
	if (sp->unpacked)
		pb_unpacked(b, field, v, n);
	else
		pb_packed(b, field, v, n);
}

static void add_sample(pb *prof, const spec *sp, const int64_t *locs, size_t nlocs,
	const int64_t *values, size_t nvalues)
{
	pb s = {0};
	add_ints(&s, sp, 1, locs, nlocs);
	add_ints(&s, sp, 2, values, nvalues);
	pb_msg(prof, 2, &s);
}

/*
 * main (loc 0, line 10) calls leaf (loc 1: leaf line 20 with inl line 5
 * inlined into it); loc 2 has no lines (address 0x1234).
 */
static pb build(const spec *sp)
{
	pb prof = {0}, m = {0};
	const uint64_t *loc = sp->loc_ids, *fn = sp->fn_ids;
	if (!sp->no_types) {
		pb_int(&m, 1, S_ALLOC);
		pb_int(&m, 2, S_BYTES);
		pb_msg(&prof, 1, &m);
		pb_int(&m, 1, S_INUSE);
		pb_int(&m, 2, S_BYTES);
		pb_msg(&prof, 1, &m);
	}
	int64_t l01[] = {(int64_t)loc[1], (int64_t)loc[0]};
	int64_t l02[] = {(int64_t)loc[2], (int64_t)loc[0]};
	int64_t v1[] = {100, 10}, v2[] = {5, 0}, v3[] = {1, 1}, v4[] = {1, 2, 3};
	add_sample(&prof, sp, l01, 2, v1, 2);
	add_sample(&prof, sp, l02, 2, v2, 2);
	add_sample(&prof, sp, l01, 2, v3, 2);
	if (sp->extra_value)
		add_sample(&prof, sp, l01, 2, v4, 3);
	if (sp->missing_loc) {
		int64_t bad[] = {(int64_t)sp->missing_loc};
		add_sample(&prof, sp, bad, 1, v3, 2);
	}
	/* locations */
	pb ln = {0};
	pb_int(&m, 1, loc[0]);
	pb_int(&ln, 1, sp->line_fn_zero ? 0 : fn[0]);
	pb_int(&ln, 2, 10);
	pb_msg(&m, 4, &ln);
	pb_msg(&prof, 4, &m);
	pb_int(&m, 1, loc[1]);
	pb_int(&ln, 1, fn[2]);
	pb_int(&ln, 2, 5);
	pb_msg(&m, 4, &ln);
	pb_int(&ln, 1, fn[1]);
	pb_int(&ln, 2, 20);
	pb_msg(&m, 4, &ln);
	pb_msg(&prof, 4, &m);
	pb_int(&m, 1, loc[2]);
	pb_int(&m, 3, 0x1234);
	pb_msg(&prof, 4, &m);
	/* functions */
	for (int i = 0; i < 3; i++) {
		pb_int(&m, 1, fn[i]);
		pb_int(&m, 2, i == 0 && sp->bad_name ? (uint64_t)sp->bad_name : (uint64_t)(S_MAIN + i));
		pb_int(&m, 4, S_FILE);
		pb_msg(&prof, 5, &m);
	}
	for (int i = 0; i < NSTR; i++)
		pb_str(&prof, 6, i == 0 && sp->string0 ? sp->string0 : strings[i]);
	if (sp->default_type)
		pb_int(&prof, 14, (uint64_t)sp->default_type);
	return prof;
}

static spec good(void)
{
	spec sp;
	memset(&sp, 0, sizeof(sp));
	sp.loc_ids[0] = 1, sp.loc_ids[1] = 2, sp.loc_ids[2] = 3;
	sp.fn_ids[0] = 1, sp.fn_ids[1] = 2, sp.fn_ids[2] = 3;
	return sp;
}

static int parse(const pb *b, hf_profile **p, hf_error *err)
{
	memset(err, 0, sizeof(*err));
	return hf_profile_parse(p, b->data, b->len, "test.pb", NULL, err);
}

/* Folds sample type `index` to collapsed text (caller frees). */
static char *fold_text(const hf_profile *p, long index, hf_granularity gran)
{
	hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
	fo.sample_index = index;
	fo.granularity = gran;
	hf_stacks *s = NULL;
	hf_error err;
	if (hf_stacks_fold(&s, p, &fo, &err) != HF_OK)
		return NULL;
	hf_buffer buf = {0};
	hf_writer w = hf_writer_buffer(&buf);
	int rc = hf_stacks_write_collapsed(s, &w, &err);
	hf_stacks_free(s);
	char nul = 0;
	w.write(w.ctx, &nul, 1);
	if (rc != HF_OK) {
		hf_buffer_dispose(&buf);
		return NULL;
	}
	return buf.data;
}

static void expect_folds(const spec *sp)
{
	pb b = build(sp);
	hf_profile *p = NULL;
	hf_error err;
	CHECK_EQ_INT(parse(&b, &p, &err), HF_OK);
	if (p) {
		char *t = fold_text(p, 0, HF_GRANULARITY_FUNCTIONS);
		CHECK_STR(t, "main;0x1234 5\nmain;leaf;inl 101\n");
		free(t);
		t = fold_text(p, 1, HF_GRANULARITY_FUNCTIONS);
		CHECK_STR(t, "main;leaf;inl 11\n");
		free(t);
		t = fold_text(p, 0, HF_GRANULARITY_LINES);
		CHECK_STR(t, "main:10;0x1234 5\nmain:10;leaf:20;inl:5 101\n");
		free(t);
	}
	hf_profile_free(p);
	free(b.data);
}

static void folds_packed(void)
{
	spec sp = good();
	expect_folds(&sp);
}

static void folds_unpacked(void)
{
	spec sp = good();
	sp.unpacked = 1;
	expect_folds(&sp);
}

static void folds_sparse_ids(void)
{
	spec sp = good();
	sp.loc_ids[0] = 9000, sp.loc_ids[1] = 17, sp.loc_ids[2] = 1ull << 40;
	sp.fn_ids[0] = 77, sp.fn_ids[1] = 5, sp.fn_ids[2] = 123456789;
	expect_folds(&sp);
}

static void marks_inlined_frames(void)
{
	spec sp = good();
	pb b = build(&sp);
	hf_profile *p = NULL;
	hf_stacks *s = NULL;
	hf_error err;
	CHECK_EQ_INT(parse(&b, &p, &err), HF_OK);
	hf_fold_options fo = HF_FOLD_OPTIONS_INIT;
	fo.sample_index = 0;
	CHECK_EQ_INT(hf_stacks_fold(&s, p, &fo, &err), HF_OK);
	int found = 0;
	for (size_t i = 0; s && i < hf_stacks_count(s); i++) {
		const uint32_t *f;
		int64_t v;
		size_t n = hf_stacks_get(s, i, &f, &v);
		if (n == 3) {
			found = 1;
			CHECK_STR(hf_stacks_frame_name(s, f[2], NULL), "inl");
			CHECK((f[2] & HF_FRAME_INLINED) != 0);
			CHECK((f[1] & HF_FRAME_INLINED) == 0);
			CHECK_EQ_INT(v, 101);
		}
	}
	CHECK(found);
	CHECK_EQ_INT(s ? hf_stacks_total(s) : 0, 106);
	hf_stacks_free(s);
	hf_profile_free(p);
	free(b.data);
}

static void missing_function_is_question_marks(void)
{
	spec sp = good();
	sp.line_fn_zero = 1;
	pb b = build(&sp);
	hf_profile *p = NULL;
	hf_error err;
	CHECK_EQ_INT(parse(&b, &p, &err), HF_OK);
	char *t = p ? fold_text(p, 1, HF_GRANULARITY_FUNCTIONS) : NULL;
	CHECK_STR(t, "??;leaf;inl 11\n");
	free(t);
	hf_profile_free(p);
	free(b.data);
}

static void sample_index_rules(void)
{
	spec sp = good();
	pb b = build(&sp);
	hf_profile *p = NULL;
	hf_error err;
	size_t idx = 99;
	CHECK_EQ_INT(parse(&b, &p, &err), HF_OK);
	if (!p)
		return;
	CHECK_EQ_INT(hf_profile_default_sample_index(p), 1); /* the last type */
	CHECK_EQ_INT(hf_profile_sample_index(p, NULL, &idx, &err), HF_OK);
	CHECK_EQ_INT(idx, 1);
	CHECK_EQ_INT(hf_profile_sample_index(p, "alloc_space", &idx, &err), HF_OK);
	CHECK_EQ_INT(idx, 0);
	CHECK_EQ_INT(hf_profile_sample_index(p, "1", &idx, &err), HF_OK);
	CHECK_EQ_INT(idx, 1);
	CHECK_EQ_INT(hf_profile_sample_index(p, "2", &idx, &err), HF_ENOTFOUND);
	CHECK_CONTAINS(err.message, "outside the range [0..1]");
	CHECK_EQ_INT(hf_profile_sample_index(p, "cpu", &idx, &err), HF_ENOTFOUND);
	CHECK_CONTAINS(err.message, "alloc_space, inuse_space");
	const char *type, *unit;
	CHECK_EQ_INT(hf_profile_sample_type(p, 0, &type, &unit), HF_OK);
	CHECK_STR(type, "alloc_space");
	CHECK_STR(unit, "bytes");
	CHECK_EQ_INT(hf_profile_sample_type(p, 2, &type, &unit), HF_ENOTFOUND);
	hf_profile_free(p);
	free(b.data);

	sp.default_type = S_ALLOC;
	b = build(&sp);
	CHECK_EQ_INT(parse(&b, &p, &err), HF_OK);
	if (p)
		CHECK_EQ_INT(hf_profile_default_sample_index(p), 0);
	hf_profile_free(p);
	free(b.data);
}

/* Parses the spec'd profile and expects failure with code and message. */
static void expect_error(const spec *sp, hf_code code, const char *message)
{
	pb b = build(sp);
	hf_profile *p = (hf_profile *)&p;
	hf_error err;
	CHECK_EQ_INT(parse(&b, &p, &err), code);
	CHECK(p == NULL);
	CHECK_EQ_INT(err.code, code);
	CHECK_CONTAINS(err.message, message);
	CHECK(strchr(err.message, '\n') == NULL);
	free(b.data);
}

static void rejects_bad_references(void)
{
	spec sp = good();
	sp.string0 = "x";
	expect_error(&sp, HF_ECORRUPT, "string_table[0] must be the empty string");
	sp = good();
	sp.bad_name = 99;
	expect_error(&sp, HF_ECORRUPT, "string index 99 out of range");
	sp = good();
	sp.extra_value = 1;
	expect_error(&sp, HF_ECORRUPT, "sample 3 has 3 values, want 2");
	sp = good();
	sp.missing_loc = 17;
	expect_error(&sp, HF_ECORRUPT, "location id 17 not found");
	sp = good();
	sp.fn_ids[2] = 0;
	expect_error(&sp, HF_ECORRUPT, "function 2 has the reserved id 0");
	sp = good();
	sp.fn_ids[1] = 1;
	expect_error(&sp, HF_ECORRUPT, "duplicate function id 1");
	sp = good();
	sp.loc_ids[1] = 500;
	sp.loc_ids[2] = 500;
	expect_error(&sp, HF_ECORRUPT, "duplicate location id 500");
	sp = good();
	sp.no_types = 1;
	expect_error(&sp, HF_EFORMAT, "not a pprof profile");
}

static int parse_bytes(const void *data, size_t len, hf_error *err, const hf_parse_options *o)
{
	hf_profile *p = NULL;
	memset(err, 0, sizeof(*err));
	int rc = hf_profile_parse(&p, data, len, "x", o, err);
	hf_profile_free(p);
	return rc;
}

static size_t gzip_bytes(const void *in, size_t len, uint8_t *out, size_t cap)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	size_t n = cap - zs.avail_out;
	deflateEnd(&zs);
	return n;
}

static void rejects_bad_bytes(void)
{
	hf_error err;
	CHECK_EQ_INT(parse_bytes("", 0, &err, NULL), HF_EFORMAT);
	CHECK_STR(err.message, "empty file");

	uint8_t noise[300];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (uint8_t)(x >> 24);
	}
	CHECK(parse_bytes(noise, sizeof(noise), &err, NULL) != HF_OK);
	CHECK_CONTAINS(err.message, "not a pprof profile");

	uint8_t gz[4096];
	size_t n = gzip_bytes(noise, sizeof(noise), gz, sizeof(gz));
	CHECK_EQ_INT(parse_bytes(gz, n, &err, NULL), HF_EFORMAT);
	CHECK_STR(err.message, "gzip data is not a pprof profile");

	spec sp = good();
	pb b = build(&sp);
	n = gzip_bytes(b.data, b.len, gz, sizeof(gz));
	hf_profile *p = NULL;
	CHECK_EQ_INT(hf_profile_parse(&p, gz, n, "x", NULL, &err), HF_OK);
	hf_profile_free(p);
	CHECK_EQ_INT(parse_bytes(gz, n - 9, &err, NULL), HF_EFORMAT);
	CHECK_STR(err.message, "truncated gzip stream");
	CHECK_EQ_INT(parse_bytes(gz, 12, &err, NULL), HF_EFORMAT);
	CHECK_STR(err.message, "truncated gzip stream");

	uint8_t junk[4200];
	memcpy(junk, gz, n);
	memcpy(junk + n, "JUNK", 4);
	CHECK_EQ_INT(parse_bytes(junk, n + 4, &err, NULL), HF_EFORMAT);
	CHECK_STR(err.message, "4 bytes of trailing garbage after the gzip stream");

	hf_parse_options small = HF_PARSE_OPTIONS_INIT;
	small.max_decompressed = 64;
	CHECK_EQ_INT(parse_bytes(gz, n, &err, &small), HF_ELIMIT);
	CHECK_CONTAINS(err.message, "exceeds the limit of 64 bytes");
	free(b.data);
}

/*
 * The tables in an order of their own (strings, then functions, a
 * mapping, the sample between two locations, and pprof's order nowhere);
 * one location of 12 inlined lines (the decoder reads 8 at first) whose
 * mapping id follows its lines; a function's name given twice (the last
 * wins, as in protobuf).
 */
static pb scrambled(int bad_name, int malformed_function)
{
	pb prof = {0}, m = {0}, ln = {0};
	for (int i = 0; i < NSTR; i++)
		pb_str(&prof, 6, strings[i]);
	pb_int(&m, 1, 1);
	pb_int(&m, 2, S_LEAF);
	pb_int(&m, 2, bad_name ? 99 : S_MAIN);
	pb_msg(&prof, 5, &m);
	pb_int(&m, 1, 2);
	if (malformed_function)
		pb_str(&m, 2, "a name, not a string index"); /* a varint field as bytes */
	else
		pb_int(&m, 2, S_LEAF);
	pb_msg(&prof, 5, &m);
	pb_int(&m, 1, 7);
	pb_int(&m, 5, S_FILE);
	pb_msg(&prof, 3, &m);
	pb_int(&m, 1, 1);
	pb_int(&m, 2, S_ALLOC);
	pb_int(&m, 2, S_BYTES);
	pb_msg(&prof, 1, &m);
	pb_int(&m, 1, 40);
	for (int j = 0; j < 12; j++) {
		pb_int(&ln, 1, j % 2 ? 2 : 1);
		pb_int(&ln, 2, 100 + j);
		pb_msg(&m, 4, &ln);
	}
	pb_int(&m, 2, 7);
	pb_msg(&prof, 4, &m);
	int64_t locs[] = {40, 41}, values[] = {3};
	add_sample(&prof, &(spec){0}, locs, 2, values, 1);
	pb_int(&m, 1, 41);
	pb_int(&m, 3, 0x99);
	pb_msg(&prof, 4, &m);
	return prof;
}

static void reads_tables_in_any_order(void)
{
	pb b = scrambled(0, 0);
	hf_profile *p = NULL;
	hf_error err;
	CHECK_EQ_INT(parse(&b, &p, &err), HF_OK);
	char *t = p ? fold_text(p, 0, HF_GRANULARITY_LINES) : NULL;
	/* Root first: the location's outermost line (the 12th) to its
	 * innermost (the first), then the caller location's address. */
	CHECK_STR(t, "0x99;leaf:111;main:110;leaf:109;main:108;leaf:107;main:106;leaf:105;"
		"main:104;leaf:103;main:102;leaf:101;main:100 3\n");
	free(t);
	hf_profile_free(p);
	free(b.data);

	/* A bad reference in the first function, a malformed second one: the
	 * malformed data is refused first, as a full unpack refuses it. */
	b = scrambled(1, 0);
	CHECK_EQ_INT(parse(&b, &p, &err), HF_ECORRUPT);
	CHECK_STR(err.message, "function.name: string index 99 out of range "
		"(string table has 8 entries)");
	free(b.data);
	b = scrambled(1, 1);
	CHECK_EQ_INT(parse(&b, &p, &err), HF_EFORMAT);
	CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
	free(b.data);
	b = scrambled(0, 1);
	CHECK_EQ_INT(parse(&b, &p, &err), HF_EFORMAT);
	CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
	free(b.data);
}

/* Parses b on one thread and on two (the samples checked on the second,
 * the tables decoded on the first): the same code and message, returned. */
static int parse_both_ways(const pb *b, hf_error *err)
{
	hf_error two;
	hf_profile *p = NULL;
	hf__parallel_force(HF_PARALLEL_NEVER);
	size_t before = hf__threads_started();
	int rc = parse(b, &p, err);
	CHECK_EQ_INT(hf__threads_started(), before);
	hf_profile_free(p);
	p = NULL;
	hf__parallel_force(HF_PARALLEL_ALWAYS);
	before = hf__threads_started();
	CHECK_EQ_INT(parse(b, &p, &two), rc);
	CHECK_EQ_INT(hf__threads_started(), before + 1);
	hf__parallel_force(0);
	hf_profile_free(p);
	CHECK_STR(two.message, err->message);
	return rc;
}

/*
 * A decode on two threads reports what one reports: the top level's NUL
 * string first, then a sample that only a check of its contents refuses
 * (before the tables' errors, as one unpack refuses it before anything is
 * decoded), then the tables' errors, then the samples' own.
 */
static void errors_on_two_threads(void)
{
	static const uint8_t bad_label[] = {0x12, 0x04, 0x1a, 0x02, 0x0a, 0x00};
	static const uint8_t long_id[] = {0x12, 0x0d, 0x0a, 0x0b, 0x80, 0x80, 0x80, 0x80, 0x80,
		0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
	hf_error err;
	spec sp = good();
	pb b = build(&sp);
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_OK);
	pb_raw(&b, bad_label, sizeof(bad_label));
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_EFORMAT);
	CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
	free(b.data);

	sp.bad_name = 99;
	b = build(&sp);
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_ECORRUPT);
	CHECK_CONTAINS(err.message, "function.name: string index 99 out of range");
	pb_raw(&b, long_id, sizeof(long_id));
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_EFORMAT);
	CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
	pb_raw(&b, (const uint8_t[]){0x32, 0x03, 'a', 0, 'b'}, 5);
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_ECORRUPT);
	CHECK_STR(err.message, "string_table[8] contains a NUL byte");
	free(b.data);

	sp = good();
	sp.extra_value = 1;
	b = build(&sp);
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_ECORRUPT);
	CHECK_CONTAINS(err.message, "sample 3 has 3 values, want 2");
	free(b.data);
	b = scrambled(1, 1);
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_EFORMAT);
	CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
	free(b.data);
}

/*
 * A profile of one sample over two locations: location 1 has `nlines`
 * inlined lines (more than the decoder's first room for lines: they are
 * counted as read, the block grown), location 2 one. Functions 1-3 are
 * named "a", "b", "b" (strings 3, 4), their system names the same and
 * their files "a", unless `sys`/`file` give another string; string 5 is
 * not UTF-8.
 */
static pb lines_and_names(size_t nlines, const int64_t sys[3], const int64_t file[3])
{
	static const char *names[] = {"", "alloc_space", "bytes", "a", "b", "bad\xff"};
	pb prof = {0}, m = {0}, ln = {0};
	pb_int(&m, 1, 1);
	pb_int(&m, 2, 2);
	pb_msg(&prof, 1, &m);
	int64_t locs[] = {1, 2}, values[] = {7};
	add_sample(&prof, &(spec){0}, locs, 2, values, 1);
	pb_int(&m, 1, 1);
	for (size_t j = 0; j < nlines; j++) {
		pb_int(&ln, 1, j % 2 ? 2 : 1);
		pb_int(&ln, 2, (uint64_t)(100 + j));
		pb_msg(&m, 4, &ln);
	}
	pb_msg(&prof, 4, &m);
	pb_int(&m, 1, 2);
	pb_int(&ln, 1, 1);
	pb_int(&ln, 2, 9);
	pb_msg(&m, 4, &ln);
	pb_msg(&prof, 4, &m);
	for (int i = 0; i < 3; i++) {
		pb_int(&m, 1, (uint64_t)i + 1);
		uint64_t name = i == 2 ? 4 : 3 + (uint64_t)i;
		pb_int(&m, 2, name);
		pb_int(&m, 3, sys[i] ? (uint64_t)sys[i] : name);
		pb_int(&m, 4, (uint64_t)(file[i] ? file[i] : 3));
		pb_msg(&prof, 5, &m);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		pb_str(&prof, 6, names[i]);
	return prof;
}

/* How many allocations, failing from the Nth on (N = 1, 2, ...), end the
 * parse of b in HF_ENOMEM before it ends otherwise (one thread or two). */
static size_t enomem_runs(const pb *b, int mode)
{
	size_t n = 0;
	hf__parallel_force(mode);
	for (;; n++) {
		hf_profile *p = NULL;
		hf_error err;
		hf__alloc_fail_after(n + 1);
		int rc = parse(b, &p, &err);
		hf__alloc_fail_after(0);
		hf_profile_free(p);
		if (rc != HF_ENOMEM) {
			CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
			break;
		}
	}
	hf__parallel_force(0);
	return n;
}

/*
 * The checks the decoder moved, on one thread and on two, each with an
 * input that fails it: a location's framing (checked by its reader, no
 * longer by the unpack's pass one: refused before an earlier table's
 * error, and before an out of memory of the unpack's allocations, as the
 * full unpack refuses it); a location's lines counted as they are read
 * (the block grown past its first room); a name's UTF-8 (checked once a
 * string: the first function that names a bad string is the one named);
 * a sample only pass two refuses (found by one thread's pass one, refused
 * after the unpack's allocations: their out of memory comes first).
 */
static void moved_checks_both_ways(void)
{
	static const uint8_t loc_line_varint[] = {0x22, 0x04, 0x08, 0x09, 0x20, 0x01};
	static const uint8_t sample_cut_varint[] = {0x12, 0x02, 0x08, 0x80};
	static const uint8_t sample_long_id[] = {0x12, 0x0d, 0x0a, 0x0b, 0x80, 0x80, 0x80,
		0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
	const int64_t none[3] = {0, 0, 0};
	hf_error err;

	/* 300 lines in one location: the lines' block grows while read. */
	pb b = lines_and_names(300, none, none);
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_OK);
	hf_profile *p = NULL;
	CHECK_EQ_INT(parse(&b, &p, &err), HF_OK);
	char *t = p ? fold_text(p, 0, HF_GRANULARITY_LINES) : NULL;
	char want[8192];
	size_t used = (size_t)snprintf(want, sizeof(want), "a:9");
	for (int j = 299; j >= 0; j--)
		used += (size_t)snprintf(want + used, sizeof(want) - used, ";%s:%d",
			j % 2 ? "b" : "a", 100 + j);
	snprintf(want + used, sizeof(want) - used, " 7\n");
	CHECK_STR(t, want);
	free(t);
	hf_profile_free(p);
	/* A badly framed location after the others (a line given as a
	 * varint) is refused... */
	pb_raw(&b, loc_line_varint, sizeof(loc_line_varint));
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_EFORMAT);
	CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
	/* ... before the unpack's out of memory, as a badly framed sample is. */
	pb framed = lines_and_names(3, none, none);
	pb_raw(&framed, sample_cut_varint, sizeof(sample_cut_varint));
	CHECK_EQ_INT(parse_both_ways(&framed, &err), HF_EFORMAT);
	CHECK_EQ_INT(enomem_runs(&b, HF_PARALLEL_NEVER), enomem_runs(&framed, HF_PARALLEL_NEVER));
	CHECK_EQ_INT(enomem_runs(&b, HF_PARALLEL_ALWAYS), enomem_runs(&framed, HF_PARALLEL_ALWAYS));
	free(b.data);
	/* A sample refused by pass two's checks only: after the unpack's
	 * allocations (more runs end out of memory than for bad framing). */
	b = lines_and_names(3, none, none);
	pb_raw(&b, sample_long_id, sizeof(sample_long_id));
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_EFORMAT);
	CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
	CHECK(enomem_runs(&b, HF_PARALLEL_NEVER) > enomem_runs(&framed, HF_PARALLEL_NEVER));
	CHECK(enomem_runs(&b, HF_PARALLEL_ALWAYS) > enomem_runs(&framed, HF_PARALLEL_ALWAYS));
	free(b.data);
	free(framed.data);

	/* Names: string 5 is not UTF-8. Function 1's system name is the
	 * first to name it (function 0 names only good strings, function 2
	 * names it too, as its file): function 1 is refused. */
	b = lines_and_names(2, (const int64_t[3]){0, 5, 0}, (const int64_t[3]){0, 0, 5});
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_ECORRUPT);
	CHECK_STR(err.message, "function 1 has a name that is not valid UTF-8");
	/* Before a later table's error and after the framing's refusal. */
	pb c = {0};
	pb_raw(&c, b.data, b.len);
	pb_raw(&b, (const uint8_t[]){0x22, 0x04, 0x08, 0x09, 0x10, 0x05}, 6); /* mapping 5 */
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_ECORRUPT);
	CHECK_STR(err.message, "function 1 has a name that is not valid UTF-8");
	pb_raw(&c, loc_line_varint, sizeof(loc_line_varint));
	CHECK_EQ_INT(parse_both_ways(&c, &err), HF_EFORMAT);
	CHECK_STR(err.message, "not a pprof profile (invalid protobuf)");
	free(c.data);
	free(b.data);
	/* The same bad string first named as a file, by function 0, whose
	 * name and system name are good strings checked before it. */
	b = lines_and_names(2, none, (const int64_t[3]){5, 0, 0});
	CHECK_EQ_INT(parse_both_ways(&b, &err), HF_ECORRUPT);
	CHECK_STR(err.message, "function 0 has a name that is not valid UTF-8");
	free(b.data);
}

HARNESS_MAIN(T(folds_packed), T(folds_unpacked), T(folds_sparse_ids), T(marks_inlined_frames),
	T(missing_function_is_question_marks), T(sample_index_rules),
	T(rejects_bad_references), T(rejects_bad_bytes), T(reads_tables_in_any_order),
	T(errors_on_two_threads), T(moved_checks_both_ways))
