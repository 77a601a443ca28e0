/*
 * profile.proto into our model. unpack.c (a faster equivalent of
 * protobuf-c's own unpacker) checks the whole wire data and counts every
 * table but the locations' lines (counted as each location is read); it
 * stores only the small parts (sample types, scalars, comments) and the
 * string table: the strings' bytes in the profile's arena, which
 * the model points into, their pointers in a scratch arena dropped once
 * decoded. The functions, mappings and locations are then decoded straight
 * from the wire data into the model, one element at a time, into arrays
 * sized by the counts: a message struct per element beside its decoded
 * form was the peak of a profile of many locations (bench/README.md). The
 * samples are decoded from the wire data last (decode_wire_samples), or,
 * for a lean profile, walked later (hf__profile_walk_samples).
 */
#define _DEFAULT_SOURCE /* madvise's MADV_DONTNEED, sysconf */
#include "profile.h"
#include "unpack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef Perftools__Profiles__Profile pb_profile;

/* Maps ids to indexes: a dense table when ids are 1..n, else sorted pairs. */
typedef struct id_pair {
	uint64_t id;
	uint32_t index;
} id_pair;

typedef struct id_map {
	uint32_t *dense; /* index + 1, 0 = absent */
	size_t ndense;
	id_pair *sorted;
	size_t n;
} id_map;

static int cmp_pair(const void *a, const void *b)
{
	const id_pair *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Builds the map; returns HF_OK or fills err for a zero or repeated id. */
static int id_map_build(id_map *m, hf__arena *arena, const uint64_t *ids,
	size_t stride, size_t n, const char *what, hf_error *err)
{
	memset(m, 0, sizeof(*m));
	bool dense = true;
	for (size_t i = 0; i < n; i++) {
		uint64_t id = *(const uint64_t *)(const void *)((const char *)ids + i * stride);
		if (id == 0)
			return hf__error(err, HF_ECORRUPT, "%s %zu has the reserved id 0", what, i);
		if (id > n)
			dense = false;
	}
	if (dense) {
		m->dense = hf__arena_calloc(arena, n + 1, sizeof(*m->dense));
		if (!m->dense)
			return hf__oom(err);
		m->ndense = n + 1;
		for (size_t i = 0; i < n; i++) {
			uint64_t id = *(const uint64_t *)(const void *)((const char *)ids + i * stride);
			if (m->dense[id])
				return hf__error(err, HF_ECORRUPT, "duplicate %s id %llu", what,
					(unsigned long long)id);
			m->dense[id] = (uint32_t)i + 1;
		}
		return HF_OK;
	}
	m->sorted = hf__arena_alloc(arena, hf__mul(n, sizeof(*m->sorted)));
	if (!m->sorted)
		return hf__oom(err);
	for (size_t i = 0; i < n; i++) {
		m->sorted[i].id = *(const uint64_t *)(const void *)((const char *)ids + i * stride);
		m->sorted[i].index = (uint32_t)i;
	}
	qsort(m->sorted, n, sizeof(*m->sorted), cmp_pair);
	for (size_t i = 1; i < n; i++)
		if (m->sorted[i].id == m->sorted[i - 1].id)
			return hf__error(err, HF_ECORRUPT, "duplicate %s id %llu", what,
				(unsigned long long)m->sorted[i].id);
	m->n = n;
	return HF_OK;
}

/* Index for id, or -1. */
static long id_map_find(const id_map *m, uint64_t id)
{
	if (m->dense)
		return id < m->ndense ? (long)m->dense[id] - 1 : -1;
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->sorted[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->sorted[lo].id == id ? (long)m->sorted[lo].index : -1;
}

/* Reads a varint; returns bytes used, 0 if malformed or truncated. */
static size_t read_varint(const uint8_t *data, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	for (size_t i = 0; i < len && i < 10; i++) {
		v |= (uint64_t)(data[i] & 0x7f) << (7 * i);
		if (!(data[i] & 0x80)) {
			*out = v;
			return i + 1;
		}
	}
	return 0;
}

/*
 * A walk over the top-level fields, before protobuf-c unpacks them.
 * protobuf-c hands strings back NUL-terminated without their length, so a
 * NUL inside a string table entry would silently cut a name short: such
 * entries are refused here. protobuf-c also says only "invalid" about bad
 * framing; the walk records the first framing problem so the error can
 * name it (nested messages are left to protobuf-c).
 */
typedef struct raw_problem {
	const char *what; /* NULL: the top level is well framed */
	size_t offset;
	uint64_t field;
} raw_problem;

static int scan_top_level(const uint8_t *data, size_t len, raw_problem *bad, hf_error *err)
{
	size_t pos = 0, index = 0;
	memset(bad, 0, sizeof(*bad));
	while (pos < len) {
		uint64_t tag, n;
		size_t start = pos;
		size_t used = read_varint(data + pos, len - pos, &tag);
		bad->offset = start;
		if (!used) {
			bad->what = len - pos >= 10 ? "a varint longer than 10 bytes" : "a truncated varint";
			return HF_OK;
		}
		pos += used;
		bad->field = tag >> 3;
		switch (tag & 7) {
		case 0:
			if (!(used = read_varint(data + pos, len - pos, &n))) {
				bad->what = len - pos >= 10 ? "a varint longer than 10 bytes"
							    : "a truncated varint";
				return HF_OK;
			}
			pos += used;
			break;
		case 1:
		case 5:
			n = (tag & 7) == 1 ? 8 : 4;
			if (n > len - pos) {
				bad->what = "a fixed-size value past the end";
				return HF_OK;
			}
			pos += (size_t)n;
			break;
		case 2:
			if (!(used = read_varint(data + pos, len - pos, &n))) {
				bad->what = len - pos >= 10 ? "a length longer than 10 bytes"
							    : "a truncated length";
				return HF_OK;
			}
			pos += used;
			if (n > len - pos) {
				bad->what = (int64_t)n < 0 ? "a negative length" : "a length past the end";
				return HF_OK;
			}
			if (tag >> 3 == 6) {
				if (memchr(data + pos, '\0', (size_t)n))
					return hf__error(err, HF_ECORRUPT,
						"string_table[%zu] contains a NUL byte", index);
				index++;
			}
			pos += (size_t)n;
			break;
		default:
			bad->what = "an invalid wire type";
			return HF_OK;
		}
		if (tag >> 3 == 0) {
			bad->what = "field number 0";
			return HF_OK;
		}
	}
	bad->what = NULL;
	return HF_OK;
}

/* Is s valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF)? */
static bool valid_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		unsigned c = *s;
		size_t n;
		unsigned min, cp;
		if (c < 0x80) {
			s++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, min = 0x80, cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, min = 0x800, cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, min = 0x10000, cp = c & 0x07;
		} else {
			return false;
		}
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += n + 1;
	}
	return true;
}

/* Whether string `index` (str) is valid UTF-8, checked on its first
 * question and remembered in verdict[index] (1 valid, 2 not). */
static bool utf8_verdict(uint8_t *verdict, int64_t index, const char *str)
{
	if (!verdict[index])
		verdict[index] = valid_utf8(str) ? 1 : 2;
	return verdict[index] == 1;
}

typedef struct decoder {
	hf_profile *p;
	const pb_profile *pb;
	const hf_parse_options *opts;
	hf_error *err;
	const uint8_t *data; /* the wire data, for the tables */
	size_t len;
	hf__wire_table_counts counts;
} decoder;

/* The wire data that the unpack accepted, read again: cannot fail. */
static int reread_error(decoder *d)
{
	return hf__error(d->err, HF_EFORMAT, "not a pprof profile (invalid protobuf)");
}

/* Where the fields of table `number` (3 mappings, 4 locations, 5
 * functions) lie in the wire data. */
static void table_range(const decoder *d, uint32_t number, const uint8_t **from,
	const uint8_t **to)
{
	*from = d->data + d->counts.from[number - 3];
	*to = d->data + d->counts.to[number - 3];
}

/* Resolves a string index; NULL (with err set) when out of range. */
static const char *str_at(decoder *d, int64_t index, const char *field)
{
	if (index < 0 || (uint64_t)index >= d->pb->n_string_table) {
		hf__error(d->err, HF_ECORRUPT,
			"%s: string index %lld out of range (string table has %zu entries)",
			field, (long long)index, d->pb->n_string_table);
		return NULL;
	}
	return d->pb->string_table[index];
}

#define STR(dst, index, field)                                   \
	do {                                                     \
		if (!((dst) = str_at(d, (index), (field))))      \
			return d->err ? d->err->code : HF_ECORRUPT; \
	} while (0)

static int decode_strings(decoder *d)
{
	const pb_profile *pb = d->pb;
	if (pb->n_string_table == 0 || pb->string_table[0][0] != '\0')
		return hf__error(d->err, HF_ECORRUPT, "string_table[0] must be the empty string");
	for (size_t i = 0; i < pb->n_string_table; i++)
		if (strlen(pb->string_table[i]) > d->opts->max_name)
			return hf__error(d->err, HF_ELIMIT,
				"string %zu is longer than the limit of %zu bytes", i, d->opts->max_name);
	return HF_OK;
}

static int decode_header(decoder *d)
{
	hf_profile *p = d->p;
	const pb_profile *pb = d->pb;

	if (pb->n_sample_type == 0)
		return hf__error(d->err, HF_EFORMAT, "not a pprof profile (no sample types)");
	p->nsample_types = pb->n_sample_type;
	p->sample_types = hf__arena_calloc(&p->arena, pb->n_sample_type, sizeof(*p->sample_types));
	if (!p->sample_types)
		return hf__oom(d->err);
	for (size_t i = 0; i < pb->n_sample_type; i++) {
		STR(p->sample_types[i].type, pb->sample_type[i]->type, "sample_type.type");
		STR(p->sample_types[i].unit, pb->sample_type[i]->unit, "sample_type.unit");
	}
	STR(p->drop_frames, pb->drop_frames, "drop_frames");
	STR(p->keep_frames, pb->keep_frames, "keep_frames");
	STR(p->default_sample_type, pb->default_sample_type, "default_sample_type");
	STR(p->doc_url, pb->doc_url, "doc_url");
	p->period_type.type = p->period_type.unit = "";
	if (pb->period_type) {
		STR(p->period_type.type, pb->period_type->type, "period_type.type");
		STR(p->period_type.unit, pb->period_type->unit, "period_type.unit");
	}
	p->period = pb->period;
	p->time_nanos = pb->time_nanos;
	p->duration_nanos = pb->duration_nanos;
	p->ncomments = pb->n_comment;
	p->comments = hf__arena_calloc(&p->arena, pb->n_comment, sizeof(*p->comments));
	if (!p->comments)
		return hf__oom(d->err);
	for (size_t i = 0; i < pb->n_comment; i++)
		STR(p->comments[i], pb->comment[i], "comment");
	return HF_OK;
}

static int decode_functions(decoder *d, id_map *map)
{
	hf_profile *p = d->p;
	size_t n = d->counts.functions;
	p->nfunctions = n;
	p->functions = hf__arena_calloc(&p->arena, n, sizeof(*p->functions));
	if (!p->functions)
		return hf__oom(d->err);
	/* Each string's verdict once (0: not checked yet): a function's
	 * system name is mostly its name, and files are shared, so checking
	 * the three of each function was three times the strings' work. */
	uint8_t *verdict = hf__calloc(d->pb->n_string_table, 1);
	if (!verdict)
		return hf__oom(d->err);
	const uint8_t *pos, *end, *wire;
	size_t wire_len;
	table_range(d, 5, &pos, &end);
	int rc = HF_OK;
	for (size_t i = 0; i < n; i++) {
		Perftools__Profiles__Function f;
		if (!hf__profile_wire_next_field(&pos, end, 5, &wire, &wire_len) ||
		    !hf__profile_wire_function(wire, wire_len, &f)) {
			rc = reread_error(d);
			break;
		}
		hf__function *out = &p->functions[i];
		out->id = f.id;
		if (!(out->name = str_at(d, f.name, "function.name")) ||
		    !(out->system_name = str_at(d, f.system_name, "function.system_name")) ||
		    !(out->filename = str_at(d, f.filename, "function.filename"))) {
			rc = d->err ? d->err->code : HF_ECORRUPT;
			break;
		}
		out->start_line = f.start_line;
		/* proto3 strings are UTF-8; names reach XML, JavaScript and DOT. */
		if (!utf8_verdict(verdict, f.name, out->name) ||
		    !utf8_verdict(verdict, f.system_name, out->system_name) ||
		    !utf8_verdict(verdict, f.filename, out->filename)) {
			rc = hf__error(d->err, HF_ECORRUPT,
				"function %zu has a name that is not valid UTF-8", i);
			break;
		}
	}
	hf__free(verdict);
	if (rc != HF_OK)
		return rc;
	return id_map_build(map, &p->arena, &p->functions[0].id, sizeof(hf__function),
		p->nfunctions, "function", d->err);
}

static int decode_mappings(decoder *d, id_map *map)
{
	hf_profile *p = d->p;
	size_t n = d->counts.mappings;
	p->nmappings = n;
	p->mappings = hf__arena_calloc(&p->arena, n, sizeof(*p->mappings));
	if (!p->mappings)
		return hf__oom(d->err);
	const uint8_t *pos, *end, *wire;
	size_t wire_len;
	table_range(d, 3, &pos, &end);
	for (size_t i = 0; i < n; i++) {
		Perftools__Profiles__Mapping m;
		if (!hf__profile_wire_next_field(&pos, end, 3, &wire, &wire_len) ||
		    !hf__profile_wire_mapping(wire, wire_len, &m))
			return reread_error(d);
		hf__mapping *out = &p->mappings[i];
		out->id = m.id;
		out->memory_start = m.memory_start;
		out->memory_limit = m.memory_limit;
		out->file_offset = m.file_offset;
		STR(out->filename, m.filename, "mapping.filename");
		STR(out->build_id, m.build_id, "mapping.build_id");
		out->has_functions = m.has_functions;
		out->has_filenames = m.has_filenames;
		out->has_line_numbers = m.has_line_numbers;
		out->has_inline_frames = m.has_inline_frames;
	}
	return id_map_build(map, &p->arena, &p->mappings[0].id, sizeof(hf__mapping),
		p->nmappings, "mapping", d->err);
}

/* The lines' block at first: room for 1.5 lines a location (Go's
 * profiles have 1.1-1.5: inlined calls), doubled as needed. */
static size_t lines_first_cap(size_t nlocations)
{
	return nlocations + nlocations / 2 + 16;
}

static int decode_locations(decoder *d, const id_map *functions,
	const id_map *mappings, id_map *map)
{
	hf_profile *p = d->p;
	size_t n = d->counts.locations;
	p->nlocations = n;
	p->locations = p->own_locations = hf__calloc(n ? n : 1, sizeof(*p->locations));
	/* The lines are counted as they are read, each location read once:
	 * the unpack no longer walks the locations to count them. Their
	 * block grows, so the locations point into it once all are read. */
	size_t lines_cap = lines_first_cap(n), nlines = 0;
	p->own_lines = hf__malloc(hf__mul(lines_cap, sizeof(*p->own_lines)));
	if (!p->locations || !p->own_lines)
		return hf__oom(d->err);
	const uint8_t *pos, *end, *wire;
	size_t wire_len;
	table_range(d, 4, &pos, &end);
	/* One location's lines as read, before they are checked: the
	 * mapping (which may follow them in the wire) is checked first. */
	Perftools__Profiles__Line few[8], *read = few;
	size_t read_cap = sizeof(few) / sizeof(few[0]);
	int rc = HF_OK;
	for (size_t i = 0; i < n && rc == HF_OK; i++) {
		Perftools__Profiles__Location l;
		if (!hf__profile_wire_next_field(&pos, end, 4, &wire, &wire_len) ||
		    !hf__profile_wire_location(wire, wire_len, &l, read, read_cap)) {
			rc = reread_error(d);
			break;
		}
		if (l.n_line > read_cap) {
			Perftools__Profiles__Line *more = hf__malloc(hf__mul(l.n_line, sizeof(*more)));
			if (!more) {
				rc = hf__oom(d->err);
				break;
			}
			if (read != few)
				hf__free(read);
			read = more;
			read_cap = l.n_line;
			if (!hf__profile_wire_location(wire, wire_len, &l, read, read_cap)) {
				rc = reread_error(d);
				break;
			}
		}
		if (l.n_line > lines_cap - nlines &&
		    !HF_RESERVE(p->own_lines, &lines_cap, nlines, l.n_line, 16)) {
			rc = hf__oom(d->err);
			break;
		}
		hf__location *out = &p->locations[i];
		out->id = l.id;
		out->address = l.address;
		out->is_folded = l.is_folded;
		if (l.mapping_id) {
			long m = id_map_find(mappings, l.mapping_id);
			if (m < 0) {
				rc = hf__error(d->err, HF_ECORRUPT, "mapping id %llu not found",
					(unsigned long long)l.mapping_id);
				break;
			}
			out->mapping = &p->mappings[m];
		}
		out->nlines = l.n_line;
		hf__line *lines = p->own_lines + nlines;
		for (size_t j = 0; j < l.n_line; j++) {
			const Perftools__Profiles__Line *ln = &read[j];
			lines[j].function = NULL;
			if (ln->function_id) {
				long f = id_map_find(functions, ln->function_id);
				if (f < 0) {
					rc = hf__error(d->err, HF_ECORRUPT, "function id %llu not found",
						(unsigned long long)ln->function_id);
					break;
				}
				lines[j].function = &p->functions[f];
			}
			lines[j].line = ln->line;
			lines[j].column = ln->column;
		}
		nlines += l.n_line;
	}
	if (read != few)
		hf__free(read);
	if (rc != HF_OK)
		return rc;
	/* The block cut to its lines (in place, or its pages given back),
	 * then each location pointed at its own, in order. */
	if (nlines < lines_cap) {
		hf__line *cut = hf__realloc(p->own_lines, hf__mul(nlines ? nlines : 1,
			sizeof(*cut)));
		if (cut)
			p->own_lines = cut;
	}
	hf__line *at = p->own_lines;
	for (size_t k = 0; k < n; k++) {
		p->locations[k].lines = at;
		at += p->locations[k].nlines;
	}
	return id_map_build(map, &p->arena, &p->locations[0].id, sizeof(hf__location),
		p->nlocations, "location", d->err);
}

/*
 * The samples, read from the wire data (a prefix of it ends with the last
 * sample) after the tables are decoded and the unpacked messages dropped:
 * their decoded form is allocated once from pass one's counts, and the
 * message structs and 8-byte id arrays of a full unpack never exist beside
 * it. The errors and their precedence are the full decode's: the counts
 * of every sample (values, depth) first, then location ids and label
 * strings in order.
 */
typedef struct sample_reader {
	hf_profile *p;
	const char **strings;   /* the string table */
	size_t nstrings;
	const id_map *locations;
	size_t max_depth;
	hf__wire_counts counts;  /* pass one's */
	hf_error *err;
} sample_reader;

static const char *wire_str(const sample_reader *r, int64_t index)
{
	return index >= 0 && (uint64_t)index < r->nstrings ? r->strings[index] : NULL;
}

/* Pages are given back up to a 2 MiB boundary at a time: each madvise
 * call costs a TLB flush on every CPU the process runs on, and a huge
 * page given back in part is split into small ones (large blocks are
 * advised into huge pages: hf__malloc_filled). */
#define GIVE_BACK_STEP ((uintptr_t)2 << 20)

/*
 * Gives back the whole pages of [*from, to), up to a 2 MiB boundary
 * (`last`: all of them), moving *from on. The pages lie inside the owned
 * block (the walk's range is), so the allocator's own words around it are
 * not touched; the block is freed as a whole later, its pages given back
 * already or not.
 */
static void give_back_passed(uintptr_t *from, const uint8_t *to, uintptr_t page, bool last)
{
	uintptr_t end = (uintptr_t)to & ~((last ? page : GIVE_BACK_STEP) - 1);
	if (end <= *from)
		return;
	(void)madvise((void *)*from, end - *from, MADV_DONTNEED); /* as free() would */
	*from = end;
}

/* A new last chunk of sample location indexes with room for `need`
 * (LOCS_CHUNK, or what is left to come if less); NULL when out of memory. */
static struct hf__locs_chunk *locs_chunk_add(hf_profile *p, struct hf__locs_chunk *tail,
	size_t need, size_t left)
{
	/* 2 MiB of indexes: a chunk that size is a huge page of its own
	 * (hf__malloc_filled), not 512 first-touch faults of small pages. */
	enum { LOCS_CHUNK = 512 * 1024 };
	size_t cap = left < LOCS_CHUNK ? left : LOCS_CHUNK;
	return hf__profile_locs_chunk_add(p, tail, cap < need ? need : cap);
}

/* `give_back`: data is a block of the caller's, freed after: the pages
 * passed are given back as the samples' decoded form is made (-base's
 * peak is the base's decode beside the merge). */
static int decode_wire_samples(const sample_reader *r, const uint8_t *data, size_t len,
	bool give_back)
{
	hf_profile *p = r->p;
	const hf__wire_counts *n = &r->counts;
	if (n->samples == 0)
		return HF_OK;
	p->samples = hf__arena_calloc(&p->arena, n->samples, sizeof(*p->samples));
	/* Every reference and value is written below (or the profile is
	 * refused): no need to clear them first. */
	int64_t *values = n->values ? hf__arena_alloc(&p->arena, hf__mul(n->values, sizeof(*values))) : NULL;
	hf__label *labels = hf__arena_calloc(&p->arena, n->labels, sizeof(*labels));
	if (!p->samples || (n->values && !values) || !labels)
		return hf__oom(r->err);
	/* The location indexes go in the profile's chunks, as a builder's
	 * (hf__locs_chunk): a caller that frees the profile after can free
	 * each chunk once it has passed its samples (hf__profile_release_locs:
	 * -base adds its base to the difference so). */
	struct hf__locs_chunk *tail = NULL;
	/* The first id or label problem, reported once no count problem of
	 * a later sample is found (the full decode checks counts first). */
	const char *late_field = NULL;
	int64_t late_value = 0;
	bool late = false;
	size_t nids = 0, nvalues = 0, nlabels = 0, i = 0;
	hf__wire_samples it;
	hf__wire_sample s;
	int got, rc = HF_OK;
	hf__profile_wire_samples_init(&it, data, len);
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t passed = ((uintptr_t)data + page - 1) & ~(page - 1);
	for (; (got = hf__profile_wire_samples_next(&it, &s)) == 1; i++) {
		/* s is in the reader's own arrays: the bytes read are passed. */
		if (give_back && (uintptr_t)it.pos >= passed + GIVE_BACK_STEP)
			give_back_passed(&passed, it.pos, page, false);
		if (s.nvalues != p->nsample_types) {
			rc = hf__error(r->err, HF_ECORRUPT,
				"sample %zu has %zu values, want %zu (one per sample type)",
				i, s.nvalues, p->nsample_types);
			break;
		}
		if (s.nids > r->max_depth) {
			rc = hf__error(r->err, HF_ELIMIT,
				"sample %zu has %zu locations, more than the limit of %zu",
				i, s.nids, r->max_depth);
			break;
		}
		if (late)
			continue;
		if (i >= n->samples || s.nids > n->ids - nids || s.nvalues > n->values - nvalues ||
			s.nlabels > n->labels - nlabels) {
			got = -2; /* not what pass one counted: cannot happen */
			break;
		}
		hf__sample *out = &p->samples[i];
		out->values = s.nvalues ? values + nvalues : NULL;
		if (s.nvalues)
			memcpy(out->values, s.values, s.nvalues * sizeof(*values));
		nvalues += s.nvalues;
		if (n->ids && (!tail || tail->cap - tail->used < s.nids) &&
		    !(tail = locs_chunk_add(p, tail, s.nids, n->ids - nids))) {
			rc = hf__oom(r->err);
			break;
		}
		/* A sample without locations points into its chunk too (at its
		 * place in the order), as a builder's does. */
		uint32_t *ref = tail ? tail->data + tail->used : NULL;
		if (tail)
			tail->used += s.nids;
		out->locations = ref;
		out->nlocations = s.nids;
		nids += s.nids;
		for (size_t j = 0; j < s.nids; j++) {
			long l = id_map_find(r->locations, s.ids[j]);
			if (l < 0) {
				late = true;
				late_value = (int64_t)s.ids[j];
				break;
			}
			ref[j] = (uint32_t)l;
		}
		hf__label *lb = labels + nlabels;
		out->labels = lb;
		out->nlabels = s.nlabels;
		nlabels += s.nlabels;
		for (size_t j = 0; j < s.nlabels && !late; j++) {
			const Perftools__Profiles__Label *w = &s.labels[j];
			lb[j].num = w->num;
			if (!(lb[j].key = wire_str(r, w->key)))
				late_field = "label.key", late_value = w->key;
			else if (w->str && !(lb[j].str = wire_str(r, w->str)))
				late_field = "label.str", late_value = w->str;
			else if (!(lb[j].num_unit = wire_str(r, w->num_unit)))
				late_field = "label.num_unit", late_value = w->num_unit;
			late = late_field != NULL;
		}
	}
	if (rc == HF_OK && got == -1)
		rc = hf__oom(r->err);
	else if (rc == HF_OK && got == -2)
		rc = hf__error(r->err, HF_EFORMAT, "not a pprof profile (invalid protobuf)");
	else if (rc == HF_OK && late && !late_field)
		rc = hf__error(r->err, HF_ECORRUPT, "location id %llu not found",
			(unsigned long long)(uint64_t)late_value);
	else if (rc == HF_OK && late)
		rc = hf__error(r->err, HF_ECORRUPT,
			"%s: string index %lld out of range (string table has %zu entries)",
			late_field, (long long)late_value, r->nstrings);
	if (rc == HF_OK)
		p->nsamples = i;
	hf__profile_wire_samples_dispose(&it);
	return rc;
}

int hf__profile_decode_proto(hf_profile *p, const uint8_t *data, size_t len,
	const hf_parse_options *opts, hf_error *err)
{
	return hf__profile_decode_proto_owned(p, data, len, NULL, opts, err);
}

/* What a lean profile keeps to read its samples later (see profile.h). */
struct hf__wire_profile {
	const uint8_t *data;
	size_t len;          /* up to the end of the last sample */
	uint8_t *owned;      /* data, when the profile owns it (hf__free) */
	size_t nstrings;     /* entries of the string table */
	size_t max_depth;
	id_map locations;    /* its arrays hf__malloc'd: they outlive the model */
	bool give_back;      /* walks give back the owned pages they pass */
};

/* A copy of m's arrays out of the profile's arena. */
static bool id_map_copy(id_map *to, const id_map *m)
{
	*to = *m;
	to->dense = NULL;
	to->sorted = NULL;
	if (m->dense && !(to->dense = hf__malloc(hf__mul(m->ndense, sizeof(*m->dense)))))
		return false;
	if (m->sorted && m->n && !(to->sorted = hf__malloc(hf__mul(m->n, sizeof(*m->sorted)))))
		return false;
	if (m->dense)
		memcpy(to->dense, m->dense, m->ndense * sizeof(*m->dense));
	if (m->sorted && m->n)
		memcpy(to->sorted, m->sorted, m->n * sizeof(*m->sorted));
	return true;
}

/* The second thread of a decode: the top level scanned, then the samples
 * checked and counted (hf__profile_wire_samples_ok). */
typedef struct samples_check {
	const uint8_t *data;
	size_t len;
	raw_problem bad;
	hf_error err; /* the scan's, copied to the caller's once joined */
	int rc;
	hf__wire_counts counts;
	bool ok;
} samples_check;

static void samples_check_run(void *arg)
{
	samples_check *c = arg;
	c->rc = scan_top_level(c->data, c->len, &c->bad, &c->err);
	c->ok = c->rc == HF_OK && hf__profile_wire_samples_ok(c->data, c->len, false, &c->counts);
}

/* Below this many bytes of wire data one thread unpacks and decodes it:
 * 256 KiB is ~1.5 ms of scanning and checking the samples on the second
 * thread, against ~0.1 ms to start it. */
enum { DECODE_PARALLEL_MIN = 256 << 10 };

static int decode(hf_profile *p, const uint8_t *data, size_t len, uint8_t **owned, bool lean,
	const hf_parse_options *opts, hf_error *err)
{
	/*
	 * The samples (checked, counted) and the rest (unpacked, the tables
	 * decoded) are independent byte ranges: with a CPU to spare, a second
	 * thread scans the top level and checks the samples meanwhile. Joined,
	 * its findings come first, in one thread's order: the scan's error,
	 * then the samples' refusal (one unpack refuses them before anything
	 * is decoded).
	 */
	samples_check check = {.data = data, .len = len, .rc = HF_OK};
	hf__thread *t = hf__parallel_pays(len, DECODE_PARALLEL_MIN)
		? hf__thread_start(samples_check_run, &check) : NULL;
	int rc = HF_OK;
	if (!t)
		rc = scan_top_level(data, len, &check.bad, err);
	if (rc != HF_OK)
		return rc;
	/* The message structs are only read here: they go in a scratch arena
	 * dropped once the tables are decoded; what the model points into
	 * stays in p->arena. The samples are left in the wire data: a lean
	 * profile keeps it for hf__profile_walk_samples, a full one decodes
	 * them from it once the scratch arena is gone. */
	bool oom;
	size_t samples_end = 0;
	hf__wire_counts counts = {0};
	hf__wire_table_counts table_counts = {0};
	hf__arena scratch = {0};
	pb_profile *pb = t ? hf__profile_unpack_lean_tables(&p->arena, &scratch, data, len,
		&samples_end, &table_counts, &oom)
		: hf__profile_unpack_lean(&p->arena, &scratch, data, len, &samples_end, &counts,
		&table_counts, &oom);

	decoder d = {p, pb, opts, err, data, len, table_counts};
	id_map functions, mappings, locations;
	rc = HF_OK;
	if (pb && ((rc = decode_strings(&d)) != HF_OK ||
	    (rc = decode_header(&d)) != HF_OK ||
	    (rc = decode_functions(&d, &functions)) != HF_OK ||
	    (rc = decode_mappings(&d, &mappings)) != HF_OK ||
	    (rc = decode_locations(&d, &functions, &mappings, &locations)) != HF_OK)) {
		/* The lean unpack left the tables' elements to their reading:
		 * those not read yet may hold what the full unpack refuses,
		 * and that refusal comes first. */
		if (!hf__profile_wire_tables_ok(data, len))
			rc = hf__error(err, HF_EFORMAT, "not a pprof profile (invalid protobuf)");
	}
	if (t) {
		hf__thread_join(t);
		if (check.rc != HF_OK) {
			hf__arena_dispose(&scratch);
			if (err)
				*err = check.err;
			return check.rc;
		}
		counts = check.counts;
		/* One unpack refuses bad samples before anything is decoded; an
		 * out of memory only after the checks of its pass one. */
		if (!check.ok && !(!pb && oom && hf__profile_wire_samples_ok(data, len, true, NULL))) {
			pb = NULL;
			oom = false;
		}
	}
	const raw_problem bad = check.bad;
	if (!pb)
		hf__arena_dispose(&scratch);
	/* The full unpack's pass one refuses a badly framed location before
	 * it allocates; the lean one leaves the locations to their reader. */
	if (!pb && oom && !hf__profile_wire_locations_framed(data, len))
		oom = false;
	if (!pb && oom)
		return hf__oom(err);
	if (!pb && bad.what)
		return hf__error(err, HF_EFORMAT,
			"not a pprof profile (invalid protobuf: %s in field %llu at offset %zu)",
			bad.what, (unsigned long long)bad.field, bad.offset);
	if (!pb)
		return hf__error(err, HF_EFORMAT, "not a pprof profile (invalid protobuf)");
	if (rc != HF_OK) {
		hf__arena_dispose(&scratch);
		return rc;
	}
	if (owned && samples_end) {
		/* Only the samples are read again (Go writes them first): the
		 * tables after them are decoded, so what the wire data kept of
		 * them goes before the samples' decoded form is made. */
		uint8_t *kept = hf__realloc(*owned, samples_end);
		if (kept) {
			*owned = kept;
			data = kept;
		}
	}
	sample_reader r = {p, NULL, pb->n_string_table, &locations, opts->max_depth, counts, err};
	if (lean) {
		struct hf__wire_profile *w = hf__calloc(1, sizeof(*w));
		if (w)
			p->wire = w; /* freed with the profile from here on */
		if (!w || !id_map_copy(&w->locations, &locations)) {
			hf__arena_dispose(&scratch);
			return hf__oom(err);
		}
		w->nstrings = pb->n_string_table;
		w->max_depth = opts->max_depth;
	} else if (counts.labels > 0) {
		/* The string table's pointers live in the scratch arena; the
		 * strings themselves in p->arena. */
		r.strings = hf__malloc(hf__mul(pb->n_string_table, sizeof(*r.strings)));
		if (!r.strings) {
			hf__arena_dispose(&scratch);
			return hf__oom(err);
		}
		memcpy(r.strings, pb->string_table, pb->n_string_table * sizeof(*r.strings));
	}
	hf__arena_dispose(&scratch);
	if (lean) {
		p->wire->data = data;
		p->wire->len = samples_end;
		if (owned) {
			p->wire->owned = *owned;
			*owned = NULL;
		}
		return HF_OK;
	}
	rc = decode_wire_samples(&r, data, samples_end, owned && *owned == data);
	hf__free(r.strings);
	if (owned) {
		hf__free(*owned);
		*owned = NULL;
	}
	return rc;
}

int hf__profile_decode_proto_owned(hf_profile *p, const uint8_t *data, size_t len,
	uint8_t **owned, const hf_parse_options *opts, hf_error *err)
{
	return decode(p, data, len, owned, false, opts, err);
}

int hf__profile_decode_proto_lean(hf_profile *p, const uint8_t *data, size_t len,
	uint8_t **owned, const hf_parse_options *opts, hf_error *err)
{
	return decode(p, data, len, owned, true, opts, err);
}

void hf__profile_wire_free(hf_profile *p)
{
	if (p->wire) {
		hf__free(p->wire->owned);
		hf__free(p->wire->locations.dense);
		hf__free(p->wire->locations.sorted);
		hf__free(p->wire);
		p->wire = NULL;
	}
}

void hf__profile_drop_model(hf_profile *p)
{
	struct hf__wire_profile *wire = p->wire;
	size_t nsample_types = p->nsample_types;
	hf__profile_release_locs(p, NULL);
	hf__profile_drop_locations(p);
	hf__arena_dispose(&p->arena);
	memset(p, 0, sizeof(*p));
	p->wire = wire;
	p->nsample_types = nsample_types;
	p->source = "";
}

/*
 * The first problem decode_samples would have found among the ids and
 * labels (its second loop), kept while the walk goes on: a count problem
 * of any later sample (its first loop) still comes first.
 */
typedef struct late_problem {
	enum { LATE_NONE, LATE_LOCATION, LATE_STRING } kind;
	const char *field;
	int64_t value;
} late_problem;

static bool check_label_string(late_problem *late, const struct hf__wire_profile *w,
	int64_t index, const char *field)
{
	if (index >= 0 && (uint64_t)index < w->nstrings)
		return true;
	late->kind = LATE_STRING;
	late->field = field;
	late->value = index;
	return false;
}

size_t hf__profile_samples_bytes(const hf_profile *p)
{
	return p->wire->len;
}

size_t hf__profile_samples_split(const hf_profile *p, size_t at)
{
	return hf__profile_wire_split(p->wire->data, p->wire->len, at);
}

bool hf__profile_wire_give_back(hf_profile *p)
{
	if (!p->wire || !p->wire->owned)
		return false;
	p->wire->give_back = true;
	return true;
}

static int walk_samples(const hf_profile *p, size_t from, size_t to, hf__wire_sample_fn fn,
	void *ctx, hf_error *err)
{
	const struct hf__wire_profile *w = p->wire;
	hf__wire_samples it;
	hf__wire_sample s;
	late_problem late = {LATE_NONE, NULL, 0};
	hf_error fn_err = {0};
	int fn_rc = HF_OK, rc = HF_OK, got;
	uint32_t *indexes = NULL;
	size_t indexes_cap = 0;
	hf__profile_wire_samples_init(&it, w->data + from, to - from);
	/* The first whole page of the range, for give_back_passed. */
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t passed = ((uintptr_t)(w->data + from) + page - 1) & ~(page - 1);
	for (size_t i = 0; (got = hf__profile_wire_samples_next(&it, &s)) == 1; i++) {
		/* s is in the reader's own arrays: the bytes read are passed. */
		if (w->give_back && (uintptr_t)it.pos >= passed + GIVE_BACK_STEP)
			give_back_passed(&passed, it.pos, page, false);
		if (s.nvalues != p->nsample_types) {
			rc = hf__error(err, HF_ECORRUPT,
				"sample %zu has %zu values, want %zu (one per sample type)",
				i, s.nvalues, p->nsample_types);
			break;
		}
		if (s.nids > w->max_depth) {
			rc = hf__error(err, HF_ELIMIT,
				"sample %zu has %zu locations, more than the limit of %zu",
				i, s.nids, w->max_depth);
			break;
		}
		if (late.kind != LATE_NONE)
			continue;
		if (s.nids > indexes_cap) {
			uint32_t *ni = hf__reserve(indexes, &indexes_cap, 0, s.nids, sizeof(*ni), 256);
			if (!ni) {
				rc = hf__oom(err);
				break;
			}
			indexes = ni;
		}
		for (size_t j = 0; j < s.nids; j++) {
			long l = id_map_find(&w->locations, s.ids[j]);
			if (l < 0) {
				late.kind = LATE_LOCATION;
				late.value = (int64_t)s.ids[j];
				break;
			}
			indexes[j] = (uint32_t)l;
		}
		for (size_t j = 0; j < s.nlabels && late.kind == LATE_NONE; j++) {
			const Perftools__Profiles__Label *lb = &s.labels[j];
			if (check_label_string(&late, w, lb->key, "label.key") &&
			    (!lb->str || check_label_string(&late, w, lb->str, "label.str")))
				check_label_string(&late, w, lb->num_unit, "label.num_unit");
		}
		if (late.kind == LATE_NONE && fn && fn_rc == HF_OK)
			fn_rc = fn(ctx, indexes, s.nids, s.values, &fn_err);
	}
	if (rc == HF_OK && got == -1)
		rc = hf__oom(err);
	else if (rc == HF_OK && got == -2)
		rc = hf__error(err, HF_EFORMAT, "not a pprof profile (invalid protobuf)");
	else if (rc == HF_OK && late.kind == LATE_LOCATION)
		rc = hf__error(err, HF_ECORRUPT, "location id %llu not found",
			(unsigned long long)(uint64_t)late.value);
	else if (rc == HF_OK && late.kind == LATE_STRING)
		rc = hf__error(err, HF_ECORRUPT,
			"%s: string index %lld out of range (string table has %zu entries)",
			late.field, (long long)late.value, w->nstrings);
	else if (rc == HF_OK && fn_rc != HF_OK) {
		if (err)
			*err = fn_err;
		rc = fn_rc;
	}
	if (w->give_back)
		give_back_passed(&passed, w->data + to, page, true);
	hf__free(indexes);
	hf__profile_wire_samples_dispose(&it);
	return rc;
}

int hf__profile_walk_samples(const hf_profile *p, hf__wire_sample_fn fn, void *ctx,
	hf_error *err)
{
	return walk_samples(p, 0, p->wire->len, fn, ctx, err);
}

int hf__profile_walk_samples_part(const hf_profile *p, size_t split, bool second,
	hf__wire_sample_fn fn, void *ctx, hf_error *err)
{
	return second ? walk_samples(p, split, p->wire->len, fn, ctx, err)
		      : walk_samples(p, 0, split, fn, ctx, err);
}
