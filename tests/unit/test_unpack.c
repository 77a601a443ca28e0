/*
 * The hand-written unpacker (src/profile/unpack.c) against protobuf-c's
 * generated one: on every protobuf fixture, the fuzz corpus and thousands of
 * mutations of them, both must accept or refuse the same bytes and, when
 * they accept, build equal message trees.
 */
#include "harness.h"
#include "profile/profile.h"
#include "profile/unpack.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

typedef Perftools__Profiles__Profile pb_profile;

#define SAME(a, b, what)                                                   \
	do {                                                               \
		if ((a) != (b)) {                                          \
			fprintf(stderr, "%s: %s differs\n", where, what);  \
			return false;                                      \
		}                                                          \
	} while (0)

static bool same_value_type(const char *where, const Perftools__Profiles__ValueType *a,
	const Perftools__Profiles__ValueType *b)
{
	if (!a || !b) {
		SAME(a == NULL, b == NULL, "value type presence");
		return true;
	}
	SAME(a->type, b->type, "value type");
	SAME(a->unit, b->unit, "value unit");
	return true;
}

static bool same_profile(const char *where, const pb_profile *a, const pb_profile *b)
{
	SAME(a->n_sample_type, b->n_sample_type, "n_sample_type");
	for (size_t i = 0; i < a->n_sample_type; i++)
		if (!same_value_type(where, a->sample_type[i], b->sample_type[i]))
			return false;
	SAME(a->n_sample, b->n_sample, "n_sample");
	for (size_t i = 0; i < a->n_sample; i++) {
		const Perftools__Profiles__Sample *x = a->sample[i], *y = b->sample[i];
		SAME(x->n_location_id, y->n_location_id, "n_location_id");
		for (size_t j = 0; j < x->n_location_id; j++)
			SAME(x->location_id[j], y->location_id[j], "location_id");
		SAME(x->n_value, y->n_value, "n_value");
		for (size_t j = 0; j < x->n_value; j++)
			SAME(x->value[j], y->value[j], "value");
		SAME(x->n_label, y->n_label, "n_label");
		for (size_t j = 0; j < x->n_label; j++) {
			SAME(x->label[j]->key, y->label[j]->key, "label key");
			SAME(x->label[j]->str, y->label[j]->str, "label str");
			SAME(x->label[j]->num, y->label[j]->num, "label num");
			SAME(x->label[j]->num_unit, y->label[j]->num_unit, "label num_unit");
		}
	}
	SAME(a->n_mapping, b->n_mapping, "n_mapping");
	for (size_t i = 0; i < a->n_mapping; i++) {
		const Perftools__Profiles__Mapping *x = a->mapping[i], *y = b->mapping[i];
		SAME(x->id, y->id, "mapping id");
		SAME(x->memory_start, y->memory_start, "memory_start");
		SAME(x->memory_limit, y->memory_limit, "memory_limit");
		SAME(x->file_offset, y->file_offset, "file_offset");
		SAME(x->filename, y->filename, "mapping filename");
		SAME(x->build_id, y->build_id, "build_id");
		SAME(!x->has_functions, !y->has_functions, "has_functions");
		SAME(!x->has_filenames, !y->has_filenames, "has_filenames");
		SAME(!x->has_line_numbers, !y->has_line_numbers, "has_line_numbers");
		SAME(!x->has_inline_frames, !y->has_inline_frames, "has_inline_frames");
	}
	SAME(a->n_location, b->n_location, "n_location");
	for (size_t i = 0; i < a->n_location; i++) {
		const Perftools__Profiles__Location *x = a->location[i], *y = b->location[i];
		SAME(x->id, y->id, "location id");
		SAME(x->mapping_id, y->mapping_id, "mapping_id");
		SAME(x->address, y->address, "address");
		SAME(!x->is_folded, !y->is_folded, "is_folded");
		SAME(x->n_line, y->n_line, "n_line");
		for (size_t j = 0; j < x->n_line; j++) {
			SAME(x->line[j]->function_id, y->line[j]->function_id, "function_id");
			SAME(x->line[j]->line, y->line[j]->line, "line");
			SAME(x->line[j]->column, y->line[j]->column, "column");
		}
	}
	SAME(a->n_function, b->n_function, "n_function");
	for (size_t i = 0; i < a->n_function; i++) {
		const Perftools__Profiles__Function *x = a->function[i], *y = b->function[i];
		SAME(x->id, y->id, "function id");
		SAME(x->name, y->name, "name");
		SAME(x->system_name, y->system_name, "system_name");
		SAME(x->filename, y->filename, "function filename");
		SAME(x->start_line, y->start_line, "start_line");
	}
	SAME(a->n_string_table, b->n_string_table, "n_string_table");
	for (size_t i = 0; i < a->n_string_table; i++)
		SAME(strcmp(a->string_table[i], b->string_table[i]) != 0, false, "string");
	SAME(a->drop_frames, b->drop_frames, "drop_frames");
	SAME(a->keep_frames, b->keep_frames, "keep_frames");
	SAME(a->time_nanos, b->time_nanos, "time_nanos");
	SAME(a->duration_nanos, b->duration_nanos, "duration_nanos");
	if (!same_value_type(where, a->period_type, b->period_type))
		return false;
	SAME(a->period, b->period, "period");
	SAME(a->n_comment, b->n_comment, "n_comment");
	for (size_t i = 0; i < a->n_comment; i++)
		SAME(a->comment[i], b->comment[i], "comment");
	SAME(a->default_sample_type, b->default_sample_type, "default_sample_type");
	SAME(a->doc_url, b->doc_url, "doc_url");
	return true;
}

/*
 * The decoder reads the tables from the wire one element at a time
 * (hf__profile_wire_*) after a lean unpack counted them: the counts and
 * every element must be the full unpack's messages.
 */
static bool same_tables_read(const char *where, const pb_profile *a,
	const hf__wire_table_counts *counts, const uint8_t *data, size_t len)
{
	SAME(counts->mappings, a->n_mapping, "the lean unpack's count of mappings");
	SAME(counts->locations, a->n_location, "the lean unpack's count of locations");
	SAME(counts->functions, a->n_function, "the lean unpack's count of functions");
	const uint8_t *end = data + len, *pos, *wire;
	size_t wire_len;
	pos = data;
	for (size_t i = 0; i < a->n_mapping; i++) {
		const Perftools__Profiles__Mapping *x = a->mapping[i];
		Perftools__Profiles__Mapping y;
		SAME(hf__profile_wire_next_field(&pos, end, 3, &wire, &wire_len) &&
			hf__profile_wire_mapping(wire, wire_len, &y), true, "mapping read");
		SAME(x->id, y.id, "mapping.id read");
		SAME(x->memory_start, y.memory_start, "mapping.memory_start read");
		SAME(x->memory_limit, y.memory_limit, "mapping.memory_limit read");
		SAME(x->file_offset, y.file_offset, "mapping.file_offset read");
		SAME(x->filename, y.filename, "mapping.filename read");
		SAME(x->build_id, y.build_id, "mapping.build_id read");
		SAME(x->has_functions, y.has_functions, "mapping.has_functions read");
		SAME(x->has_filenames, y.has_filenames, "mapping.has_filenames read");
		SAME(x->has_line_numbers, y.has_line_numbers, "mapping.has_line_numbers read");
		SAME(x->has_inline_frames, y.has_inline_frames, "mapping.has_inline_frames read");
	}
	SAME(hf__profile_wire_next_field(&pos, end, 3, &wire, &wire_len), false, "mappings' end");
	pos = data;
	for (size_t i = 0; i < a->n_location; i++) {
		const Perftools__Profiles__Location *x = a->location[i];
		Perftools__Profiles__Location y;
		/* Counted first (no room), then read with room for every line. */
		SAME(hf__profile_wire_next_field(&pos, end, 4, &wire, &wire_len) &&
			hf__profile_wire_location(wire, wire_len, &y, NULL, 0), true, "location read");
		SAME(x->n_line, y.n_line, "location.n_line counted");
		Perftools__Profiles__Line *read_lines = malloc((y.n_line + 1) * sizeof(*read_lines));
		bool read = read_lines && hf__profile_wire_location(wire, wire_len, &y, read_lines, y.n_line);
		bool same = read && x->id == y.id && x->mapping_id == y.mapping_id &&
			x->address == y.address && x->is_folded == y.is_folded &&
			x->n_line == y.n_line;
		for (size_t j = 0; same && j < x->n_line; j++)
			same = x->line[j]->function_id == read_lines[j].function_id &&
				x->line[j]->line == read_lines[j].line && x->line[j]->column == read_lines[j].column;
		free(read_lines);
		SAME(same, true, "location read");
	}
	SAME(hf__profile_wire_next_field(&pos, end, 4, &wire, &wire_len), false, "locations' end");
	/* The ranges the decoder reads each table from hold all of it. */
	const uint32_t numbers[3] = {3, 4, 5};
	const size_t kinds[3] = {a->n_mapping, a->n_location, a->n_function};
	for (size_t k = 0; k < 3; k++) {
		size_t found = 0;
		pos = data + counts->from[k];
		while (hf__profile_wire_next_field(&pos, data + counts->to[k], numbers[k], &wire,
			&wire_len))
			found++;
		SAME(found, kinds[k], "the elements in a table's range");
	}
	pos = data;
	for (size_t i = 0; i < a->n_function; i++) {
		const Perftools__Profiles__Function *x = a->function[i];
		Perftools__Profiles__Function y;
		SAME(hf__profile_wire_next_field(&pos, end, 5, &wire, &wire_len) &&
			hf__profile_wire_function(wire, wire_len, &y), true, "function read");
		SAME(x->id, y.id, "function.id read");
		SAME(x->name, y.name, "function.name read");
		SAME(x->system_name, y.system_name, "function.system_name read");
		SAME(x->filename, y.filename, "function.filename read");
		SAME(x->start_line, y.start_line, "function.start_line read");
	}
	SAME(hf__profile_wire_next_field(&pos, end, 5, &wire, &wire_len), false, "functions' end");
	return true;
}

/* Whether every element of the tables reads (as the decoder reads them). */
static bool tables_read(const uint8_t *data, const hf__wire_table_counts *counts)
{
	bool ok = true;
	const uint32_t numbers[3] = {3, 4, 5};
	for (size_t k = 0; k < 3 && ok; k++) {
		const uint8_t *pos = data + counts->from[k], *end = data + counts->to[k], *wire;
		size_t wire_len;
		while (ok && hf__profile_wire_next_field(&pos, end, numbers[k], &wire, &wire_len)) {
			Perftools__Profiles__Mapping m;
			Perftools__Profiles__Location l;
			Perftools__Profiles__Function f;
			if (k == 0)
				ok = hf__profile_wire_mapping(wire, wire_len, &m);
			else if (k == 2)
				ok = hf__profile_wire_function(wire, wire_len, &f);
			else if ((ok = hf__profile_wire_location(wire, wire_len, &l, NULL, 0))) {
				Perftools__Profiles__Line *lines = malloc((l.n_line + 1) * sizeof(*lines));
				ok = lines && hf__profile_wire_location(wire, wire_len, &l, lines, l.n_line);
				free(lines);
			}
		}
	}
	return ok;
}

static size_t accepted, refused;
static size_t apart_refused_samples; /* refused by the samples' check alone */

/*
 * The decoder on two threads unpacks lean in two parts, the samples apart
 * (hf__profile_unpack_lean_tables, hf__profile_wire_samples_ok): together
 * they accept exactly what the lean unpack (`lean`, NULL: refused)
 * accepts, with the same samples' end and counts.
 */
static bool lean_apart_agrees(const char *where, const uint8_t *data, size_t len,
	const pb_profile *lean, size_t samples_end, const hf__wire_counts *counts,
	const hf__wire_table_counts *tables)
{
	hf__arena keep = {0}, scratch = {0};
	size_t end = 0;
	hf__wire_table_counts t = {0};
	hf__wire_counts c = {0};
	bool oom, ok = true;
	pb_profile *rest = hf__profile_unpack_lean_tables(&keep, &scratch, data, len, &end, &t,
		&oom);
	bool samples = hf__profile_wire_samples_ok(data, len, false, &c);
	bool framing = hf__profile_wire_samples_ok(data, len, true, NULL);
	if (!oom && (lean != NULL) != (rest && samples)) {
		fprintf(stderr, "%s: the lean unpack %s, apart: the rest %s, the samples %s\n",
			where, lean ? "accepts" : "refuses", rest ? "accepted" : "refused",
			samples ? "accepted" : "refused");
		ok = false;
	}
	if (samples && !framing) {
		fprintf(stderr, "%s: the samples' framing refused, not the samples\n", where);
		ok = false;
	}
	if (rest && !samples)
		apart_refused_samples++;
	if (ok && lean && (end != samples_end || c.samples != counts->samples ||
	    c.ids != counts->ids || c.values != counts->values || c.labels != counts->labels ||
	    memcmp(&t, tables, sizeof(t)) != 0)) {
		fprintf(stderr, "%s: apart, the samples or tables are counted otherwise\n", where);
		ok = false;
	}
	hf__arena_dispose(&scratch);
	hf__arena_dispose(&keep);
	return ok;
}

/* Both unpackers on the same bytes; true when they agree. */
static bool agree(const char *where, const uint8_t *data, size_t len)
{
	pb_profile *want = perftools__profiles__profile__unpack(NULL, len, data);
	hf__arena arena = {0}, scratch = {0};
	bool oom;
	pb_profile *got = hf__profile_unpack_split(&arena, &scratch, data, len, &oom);
	bool ok = !oom && (want == NULL) == (got == NULL);
	if (!ok)
		fprintf(stderr, "%s: protobuf-c %s, unpack.c %s\n", where,
			want ? "accepts" : "refuses", got ? "accepts" : oom ? "ran out of memory" : "refuses");
	else if (want)
		ok = same_profile(where, want, got);
	/* The decoder unpacks lean (samples checked, then read from the wire):
	 * it must accept exactly the same bytes, and count the same samples. */
	hf__arena lean_keep = {0}, lean_scratch = {0};
	size_t samples_end;
	hf__wire_counts counts;
	hf__wire_table_counts tables;
	pb_profile *lean = hf__profile_unpack_lean(&lean_keep, &lean_scratch, data, len,
		&samples_end, &counts, &tables, &oom);
	if (!oom && !lean_apart_agrees(where, data, len, lean, samples_end, &counts, &tables))
		ok = false;
	/* It leaves the tables' elements to their readers: what it accepts,
	 * they accept all of only if hf__profile_wire_tables_ok does. */
	bool tables_ok = lean && hf__profile_wire_tables_ok(data, len);
	if (lean && !oom && tables_ok != tables_read(data, &tables)) {
		fprintf(stderr, "%s: hf__profile_wire_tables_ok %s what the readers %s\n", where,
			tables_ok ? "accepts" : "refuses", tables_ok ? "refuse" : "accept");
		ok = false;
	}
	/* It leaves the locations' framing to their reader too: what the
	 * full unpack's pass one refuses of it (before it allocates), the
	 * reader and hf__profile_wire_locations_framed refuse. */
	bool framed = hf__profile_wire_locations_framed(data, len);
	if ((got && !framed) || (lean && !oom && !framed && tables_ok)) {
		fprintf(stderr, "%s: hf__profile_wire_locations_framed %s a location the %s\n",
			where, framed ? "accepts" : "refuses",
			got ? "full unpack accepts" : "readers accept");
		ok = false;
	}
	if (!tables_ok)
		lean = NULL;
	if (ok && !oom && (lean == NULL) != (got == NULL)) {
		fprintf(stderr, "%s: the lean unpack %s what unpack.c %s\n", where,
			lean ? "accepts" : "refuses", got ? "accepts" : "refuses");
		ok = false;
	} else if (ok && lean) {
		size_t ids = 0, values = 0, labels = 0;
		for (size_t i = 0; i < got->n_sample; i++) {
			ids += got->sample[i]->n_location_id;
			values += got->sample[i]->n_value;
			labels += got->sample[i]->n_label;
		}
		if (counts.samples != got->n_sample || counts.ids != ids || counts.values != values ||
			counts.labels != labels) {
			fprintf(stderr, "%s: the lean unpack counts other samples\n", where);
			ok = false;
		}
		if (ok && !same_tables_read(where, got, &tables, data, len))
			ok = false;
	}
	hf__arena_dispose(&lean_scratch);
	hf__arena_dispose(&lean_keep);
	want ? accepted++ : refused++;
	if (want)
		perftools__profiles__profile__free_unpacked(want, NULL);
	hf__arena_dispose(&scratch);
	hf__arena_dispose(&arena);
	return ok;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(fp);
	*len = n;
	return buf;
}

/* The file's protobuf bytes (inflated if gzipped), or NULL. */
static uint8_t *load_proto(const char *path, size_t *len)
{
	size_t n;
	uint8_t *raw = read_file(path, &n);
	if (!raw || n < 2 || raw[0] != 0x1f || raw[1] != 0x8b) {
		*len = n;
		return raw;
	}
	uint8_t *out = NULL;
	hf_error err;
	int rc = hf__profile_gunzip(raw, n, (size_t)1 << 30, &out, len, &err);
	free(raw);
	return rc == HF_OK ? out : NULL;
}

static uint64_t rng = 12345;

static uint64_t next_random(void)
{
	return harness_xorshift64(&rng);
}

/* Mutations: flipped bytes, varint-ish bytes, truncations, cut-outs. */
static void mutate_and_compare(const char *name, const uint8_t *data, size_t len, int rounds)
{
	uint8_t *buf = malloc(len + 16);
	char where[4200];
	for (int r = 0; r < rounds && buf; r++) {
		memcpy(buf, data, len);
		size_t n = len;
		int edits = 1 + (int)(next_random() % 4);
		for (int e = 0; e < edits && n; e++) {
			size_t at = (size_t)(next_random() % n);
			switch (next_random() % 5) {
			case 0: buf[at] ^= (uint8_t)(1u << (next_random() % 8)); break;
			case 1: buf[at] = (uint8_t)next_random(); break;
			case 2: buf[at] = next_random() % 2 ? 0x80 : 0xff; break;
			case 3: n = at; break;
			default: {
				size_t cut = 1 + (size_t)(next_random() % 8);
				if (at + cut < n) {
					memmove(buf + at, buf + at + cut, n - at - cut);
					n -= cut;
				}
				break;
			}
			}
		}
		snprintf(where, sizeof(where), "%s mutation %d", name, r);
		CHECK(agree(where, buf, n));
	}
	free(buf);
}

static void check_dir(const char *dir, int rounds, size_t max_mutate)
{
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	struct dirent *e;
	char path[4096];
	int files = 0;
	while ((e = readdir(d))) {
		size_t nl = strlen(e->d_name);
		bool gz = nl > 6 && strcmp(e->d_name + nl - 6, ".pb.gz") == 0;
		bool pb = nl > 3 && strcmp(e->d_name + nl - 3, ".pb") == 0;
		bool corpus = strstr(dir, "corpus") != NULL && e->d_name[0] != '.';
		if (!gz && !pb && !corpus)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		size_t len;
		uint8_t *data = load_proto(path, &len);
		if (!data)
			continue;
		files++;
		CHECK(agree(path, data, len));
		if (len <= max_mutate)
			mutate_and_compare(path, data, len, rounds);
		free(data);
	}
	closedir(d);
	CHECK(files > 0);
}

static void fixtures_and_mutations(void)
{
	char data[4096];
	if (harness_data(data, sizeof(data)))
		check_dir(data, 3000, 64 * 1024);
}

static void fuzz_corpus(void)
{
	const char *src = getenv("SRC");
	char dir[4096];
	CHECK(src != NULL);
	if (!src)
		return;
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/proto", src);
	check_dir(dir, 3000, 64 * 1024);
	/* The mutations must have reached both sides of the decision. */
	CHECK(accepted > 100);
	CHECK(refused > 100);
	/* and data refused by the samples' check alone (the decoder's second
	 * thread) */
	CHECK(apart_refused_samples > 10);
}

/*
 * Samples that only a check of their contents refuses (the lean unpack's
 * pass two; the decoder's second thread): each alone in a profile, the
 * two unpackers and the samples' check apart agree, and the check refuses
 * it (it accepts the last, the control); only some of them are refused by
 * the framing (the lean unpack's pass one) already.
 */
static void samples_refused_apart(void)
{
	static const struct {
		const char *what;
		uint8_t bytes[20];
		size_t len;
		bool ok, framing; /* the check's answers, of all and of the framing */
	} cases[] = {
		{"a packed varint of 11 bytes",
			{0x12, 0x0d, 0x0a, 0x0b, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
				0x80, 0x01}, 15, false, true},
		{"a packed value of 11 bytes",
			{0x12, 0x0d, 0x12, 0x0b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				0xff, 0x01}, 15, false, true},
		{"an unfinished packed varint", {0x12, 0x03, 0x0a, 0x01, 0x80}, 5, false, false},
		{"a label's key as bytes", {0x12, 0x04, 0x1a, 0x02, 0x0a, 0x00}, 6, false, true},
		{"a label as a varint", {0x12, 0x02, 0x18, 0x01}, 4, false, false},
		{"ids of 10 bytes, a label",
			{0x12, 0x0e, 0x0a, 0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
				0x01, 0x1a, 0x00}, 16, true, true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hf__wire_counts c;
		CHECK(agree(cases[i].what, cases[i].bytes, cases[i].len));
		CHECK(hf__profile_wire_samples_ok(cases[i].bytes, cases[i].len, false, &c) ==
			cases[i].ok);
		CHECK(hf__profile_wire_samples_ok(cases[i].bytes, cases[i].len, true, NULL) ==
			cases[i].framing);
	}
}

HARNESS_MAIN(T(fixtures_and_mutations), T(fuzz_corpus), T(samples_refused_apart))
