/*
 * profile.proto wire data into protobuf-c's message structs, by hand.
 *
 * Pass one walks the top level, samples and locations (a lean unpack's
 * leaves the locations to their reader), checks their framing
 * exactly where protobuf-c would refuse it (tags, wire types of known
 * fields, varints, lengths, packed arrays, groups) and counts the elements
 * of every repeated field. Pass two walks everything, checks the messages
 * pass one skipped (SKIPPED: value types, labels, mappings, lines,
 * functions, which hold nothing to count) and fills arrays allocated once
 * per kind: all samples' location ids in one block, all labels in another,
 * and so on. Either pass refusing means the input is refused.
 * Unknown fields are skipped (protobuf-c keeps them; nothing reads them).
 */
#include "unpack.h"

#include <string.h>

typedef Perftools__Profiles__Profile pb_profile;
typedef Perftools__Profiles__ValueType pb_value_type;
typedef Perftools__Profiles__Sample pb_sample;
typedef Perftools__Profiles__Label pb_label;
typedef Perftools__Profiles__Mapping pb_mapping;
typedef Perftools__Profiles__Location pb_location;
typedef Perftools__Profiles__Line pb_line;
typedef Perftools__Profiles__Function pb_function;

static const pb_profile profile_init = PERFTOOLS__PROFILES__PROFILE__INIT;
static const pb_value_type value_type_init = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
static const pb_sample sample_init = PERFTOOLS__PROFILES__SAMPLE__INIT;
static const pb_label label_init = PERFTOOLS__PROFILES__LABEL__INIT;
static const pb_mapping mapping_init = PERFTOOLS__PROFILES__MAPPING__INIT;
static const pb_location location_init = PERFTOOLS__PROFILES__LOCATION__INIT;
static const pb_line line_init = PERFTOOLS__PROFILES__LINE__INIT;
static const pb_function function_init = PERFTOOLS__PROFILES__FUNCTION__INIT;

enum { WIRE_VARINT = 0, WIRE_64BIT = 1, WIRE_LEN = 2, WIRE_32BIT = 5 };

/* Element counts; in pass two the same fields are fill cursors. */
typedef struct counts {
	size_t sample_types, samples, mappings, locations, functions;
	size_t strings, string_bytes, comments;
	size_t ids, values, labels, lines;
	bool period_type;
} counts;

typedef struct unpacker {
	bool fill;
	/* Pass two checks samples but stores none of them, and leaves
	 * mappings, locations and functions to their reader (see
	 * hf__profile_unpack_lean). */
	bool lean;
	/* Lean, and the samples' contents left to hf__profile_wire_samples_ok
	 * (on another thread): only their top-level framing is walked here. */
	bool samples_apart;
	const uint8_t *samples_end; /* lean: the end of the last sample field */
	/* Lean, one thread: a sample that only pass two refuses, found by
	 * pass one's walk (refused once pass one has allocated, as pass two
	 * would: an out of memory comes first). */
	bool refused_late;
	/* Lean: pass one's runs of samples and tables, [run_from, run_to),
	 * which pass two steps over (it has nothing of them to read); fields
	 * past the last run recorded are walked. */
	const uint8_t *run_from[8], *run_to[8];
	size_t nruns, next_run;
	const uint8_t *data;        /* the whole wire data */
	size_t table_from[3], table_to[3]; /* see hf__wire_table_counts */
	counts n;
	pb_profile *prof;
	pb_value_type *value_types;
	pb_sample *samples;
	uint64_t *ids;
	int64_t *values;
	pb_label *labels;
	pb_label **label_ptrs;
	pb_mapping *mappings;
	pb_location *locations;
	pb_line *lines;
	pb_line **line_ptrs;
	size_t lines_cap; /* pass two: the lines pass one counted */
	pb_function *functions;
	char *string_bytes;
} unpacker;

/* A varint of at most 10 bytes. */
static inline bool get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	if (p < end && *p < 0x80) {
		*out = *p;
		*pp = p + 1;
		return true;
	}
	if (end - p >= 2 && p[1] < 0x80) {
		*out = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
		*pp = p + 2;
		return true;
	}
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 70; shift += 7) {
		if (p == end)
			return false;
		uint8_t b = *p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			*pp = p;
			return true;
		}
	}
	return false;
}

/*
 * A tag, read as protobuf-c reads it: at most 5 bytes, the field number
 * truncated to 32 bits, and only a first byte without field bits refused
 * as "field 0" (a longer, non-canonical zero is an unknown field).
 */
static inline bool get_tag(const uint8_t **pp, const uint8_t *end, uint32_t *number,
	unsigned *wire)
{
	const uint8_t *p = *pp;
	if (p == end || (p[0] & 0xf8) == 0)
		return false;
	*wire = p[0] & 7;
	uint64_t n = (p[0] & 0x7f) >> 3;
	if (!(p[0] & 0x80)) {
		*number = (uint32_t)n;
		*pp = p + 1;
		return true;
	}
	unsigned shift = 4;
	for (size_t i = 1; i < 5 && p + i < end; i++, shift += 7) {
		n |= (uint64_t)(p[i] & 0x7f) << shift;
		if (!(p[i] & 0x80)) {
			*number = (uint32_t)n;
			*pp = p + i + 1;
			return true;
		}
	}
	return false;
}

/* A length prefix: at most 5 bytes, below 2 GiB (protobuf-c's limits). */
static inline bool get_length(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *start = *pp;
	return get_varint(pp, end, out) && *pp - start <= 5 && *out <= INT32_MAX;
}

typedef struct field {
	uint32_t number;
	unsigned wire;
	uint64_t value;      /* WIRE_VARINT */
	const uint8_t *data; /* WIRE_LEN */
	size_t len;
	const uint8_t *raw;  /* the bytes after the tag up to raw_end (see SET_BOOL) */
	const uint8_t *raw_end;
} field;

static inline bool next_value(const uint8_t **pp, const uint8_t *end, field *f)
{
	switch (f->wire) {
	case WIRE_VARINT:
		return get_varint(pp, end, &f->value);
	case WIRE_64BIT:
	case WIRE_32BIT: {
		size_t n = f->wire == WIRE_64BIT ? 8 : 4;
		if ((size_t)(end - *pp) < n)
			return false;
		*pp += n;
		return true;
	}
	case WIRE_LEN: {
		uint64_t len;
		if (!get_length(pp, end, &len) || len > (uint64_t)(end - *pp))
			return false;
		f->data = *pp;
		f->len = (size_t)len;
		*pp += len;
		return true;
	}
	default: /* groups (3, 4) and 6, 7: protobuf-c refuses them */
		return false;
	}
}

/* The next field of a message; false on malformed data. Inlined into
 * every walker: a call per field was ~15% of its cost. */
static inline __attribute__((always_inline)) bool next_field(const uint8_t **pp, const uint8_t *end, field *f)
{
	const uint8_t *p = *pp;
	/* Only the fields of the wire type read are set below: the others are
	 * empty rather than left over from the previous field. */
	f->value = 0;
	f->data = NULL;
	f->len = 0;
	/* The common case: a one-byte tag of a varint or length-delimited field. */
	if (p < end && p[0] < 0x80 && (p[0] & 0xf8) && ((p[0] & 7) == WIRE_VARINT ||
	    (p[0] & 7) == WIRE_LEN)) {
		f->number = p[0] >> 3;
		f->wire = p[0] & 7;
		f->raw = ++p;
		if (f->wire == WIRE_VARINT) {
			if (!get_varint(&p, end, &f->value))
				return false;
		} else {
			uint64_t len;
			if (!get_length(&p, end, &len) || len > (uint64_t)(end - p))
				return false;
			f->data = p;
			f->len = (size_t)len;
			p += len;
		}
		*pp = f->raw_end = p;
		return true;
	}
	if (!get_tag(pp, end, &f->number, &f->wire))
		return false;
	f->raw = *pp;
	bool ok = next_value(pp, end, f);
	f->raw_end = *pp;
	return ok;
}

/*
 * A packed run of varints: the count of final bytes; *ok false if the last varint is unfinished. Varints longer
 * than 10 bytes are caught by fill_packed.
 */
static size_t count_packed(const uint8_t *p, size_t len, bool *ok)
{
	size_t n = 0, i = 0;
	/* Eight bytes at a time: one bit per final byte, summed by a multiply. */
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t ends = (~w & 0x8080808080808080ull) >> 7;
		n += (size_t)((ends * 0x0101010101010101ull) >> 56);
	}
	for (; i < len; i++)
		n += p[i] < 0x80;
	*ok = len == 0 || p[len - 1] < 0x80;
	return n;
}

/*
 * Decodes a packed run that count_packed accepted into out (count_packed's
 * count of entries); false if a varint is longer than 10 bytes.
 */
static bool fill_packed(const uint8_t *p, size_t len, uint64_t *out, size_t *n)
{
	const uint8_t *end = p + len;
	size_t i = 0;
	while (p < end) {
		if (*p < 0x80) {
			out[i++] = *p++;
			continue;
		}
		if (p + 1 < end && p[1] < 0x80) {
			out[i++] = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
			p += 2;
			continue;
		}
		if (p + 2 < end && p[2] < 0x80) {
			out[i++] = (uint64_t)(p[0] & 0x7f) | (uint64_t)(p[1] & 0x7f) << 7 |
				(uint64_t)p[2] << 14;
			p += 3;
			continue;
		}
		uint64_t v = 0;
		unsigned shift = 0;
		uint8_t b;
		do {
			if (shift >= 70)
				return false;
			b = *p++;
			v |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 63);
			shift += 7;
		} while (b & 0x80);
		out[i++] = v;
	}
	*n += i;
	return true;
}

/*
 * A repeated varint field, packed (length-delimited) or not: appends to
 * `out` at *cursor in pass two, counts in pass one.
 */
static bool repeated_varint(const unpacker *u, const field *f, uint64_t *out, size_t *cursor)
{
	if (f->wire == WIRE_VARINT) {
		if (u->fill)
			out[*cursor] = f->value;
		(*cursor)++;
		return true;
	}
	if (f->wire != WIRE_LEN)
		return false;
	if (u->fill) /* an empty run may meet an array never allocated */
		return f->len == 0 || fill_packed(f->data, f->len, out + *cursor, cursor);
	bool ok;
	*cursor += count_packed(f->data, f->len, &ok);
	return ok;
}

/* Scalar fields: a varint only; the last occurrence wins. */
#define SET_U64(dst, f)                                 \
	do {                                            \
		if ((f).wire != WIRE_VARINT)            \
			return false;                   \
		if (out)                                \
			(dst) = (f).value;              \
	} while (0)
#define SET_I64(dst, f)                                 \
	do {                                            \
		if ((f).wire != WIRE_VARINT)            \
			return false;                   \
		if (out)                                \
			(dst) = (int64_t)(f).value;     \
	} while (0)
/*
 * protobuf-c takes a bool of any wire type, true when any byte after the
 * tag (a length prefix included) has a low bit set. So do we.
 */
#define SET_BOOL(dst, f)                                \
	do {                                            \
		if (out)                                \
			(dst) = any_low_bits(&(f));     \
	} while (0)

static bool any_low_bits(const field *f)
{
	for (const uint8_t *p = f->raw; p < f->raw_end; p++)
		if (*p & 0x7f)
			return true;
	return false;
}

static bool walk_value_type(const uint8_t *p, const uint8_t *end, pb_value_type *out)
{
	field f;
	if (!out)
		return true; /* pass one: nothing to count inside (see SKIPPED) */
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		if (f.number == 1)
			SET_I64(out->type, f);
		else if (f.number == 2)
			SET_I64(out->unit, f);
	}
	return true;
}

static bool walk_label(const uint8_t *p, const uint8_t *end, pb_label *out)
{
	field f;
	if (!out)
		return true; /* pass one: nothing to count inside (see SKIPPED) */
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		switch (f.number) {
		case 1: SET_I64(out->key, f); break;
		case 2: SET_I64(out->str, f); break;
		case 3: SET_I64(out->num, f); break;
		case 4: SET_I64(out->num_unit, f); break;
		default: break;
		}
	}
	return true;
}

static bool walk_sample(unpacker *u, const uint8_t *p, const uint8_t *end, pb_sample *out)
{
	size_t ids = u->n.ids, values = u->n.values, labels = u->n.labels;
	field f;
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		switch (f.number) {
		case 1:
			if (!repeated_varint(u, &f, u->ids, &u->n.ids))
				return false;
			break;
		case 2:
			/* int64 values: the same bits as the varint. */
			if (!repeated_varint(u, &f, (uint64_t *)(void *)u->values, &u->n.values))
				return false;
			break;
		case 3: {
			if (f.wire != WIRE_LEN)
				return false;
			pb_label *l = NULL;
			if (out) {
				l = &u->labels[u->n.labels];
				*l = label_init;
				u->label_ptrs[u->n.labels] = l;
			}
			if (!walk_label(f.data, f.data + f.len, l))
				return false;
			u->n.labels++;
			break;
		}
		default:
			break;
		}
	}
	if (out) {
		out->n_location_id = u->n.ids - ids;
		out->location_id = out->n_location_id ? u->ids + ids : NULL;
		out->n_value = u->n.values - values;
		out->value = out->n_value ? u->values + values : NULL;
		out->n_label = u->n.labels - labels;
		out->label = out->n_label ? u->label_ptrs + labels : NULL;
	}
	return true;
}

/*
 * count_packed, and the check of fill_packed's (no varint of the run
 * longer than 10 bytes: no 10 continuation bytes in a row), in one pass
 * for a walk that checks a sample as both passes would: adds the run's
 * varints to *n; false if the last is unfinished or one is too long.
 * Eight bytes at a time: the gaps between the bytes that end a varint
 * (high bit clear), `last` one past the last such byte seen.
 */
static bool count_packed_checked(const uint8_t *p, size_t len, size_t *n)
{
	size_t count = 0, last = 0, i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t ends = ~w & UINT64_C(0x8080808080808080);
		if (!ends)
			continue;
		count += (size_t)(((ends >> 7) * UINT64_C(0x0101010101010101)) >> 56);
		/* Byte order: the lowest set bit is the first end byte on a
		 * little-endian machine; count from either side otherwise. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		size_t first = (size_t)__builtin_clzll(ends) / 8, final = 7 - (size_t)__builtin_ctzll(ends) / 8;
#else
		size_t first = (size_t)__builtin_ctzll(ends) / 8, final = 7 - (size_t)__builtin_clzll(ends) / 8;
#endif
		if (i + first - last >= 10)
			return false;
		last = i + final + 1;
	}
	for (; i < len; i++)
		if (!(p[i] & 0x80)) {
			if (i - last >= 10)
				return false;
			last = i + 1;
			count++;
		}
	*n += count;
	return last == len;
}

static bool walk_mapping(const uint8_t *p, const uint8_t *end, pb_mapping *out)
{
	field f;
	if (!out)
		return true; /* pass one: nothing to count inside (see SKIPPED) */
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		switch (f.number) {
		case 1: SET_U64(out->id, f); break;
		case 2: SET_U64(out->memory_start, f); break;
		case 3: SET_U64(out->memory_limit, f); break;
		case 4: SET_U64(out->file_offset, f); break;
		case 5: SET_I64(out->filename, f); break;
		case 6: SET_I64(out->build_id, f); break;
		case 7: SET_BOOL(out->has_functions, f); break;
		case 8: SET_BOOL(out->has_filenames, f); break;
		case 9: SET_BOOL(out->has_line_numbers, f); break;
		case 10: SET_BOOL(out->has_inline_frames, f); break;
		default: break;
		}
	}
	return true;
}

static bool walk_line(const uint8_t *p, const uint8_t *end, pb_line *out)
{
	field f;
	if (!out)
		return true; /* pass one: nothing to count inside (see SKIPPED) */
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		switch (f.number) {
		case 1: SET_U64(out->function_id, f); break;
		case 2: SET_I64(out->line, f); break;
		case 3: SET_I64(out->column, f); break;
		default: break;
		}
	}
	return true;
}

/*
 * One location's fields, its lines into lines[0, cap) and those past cap
 * checked into a scratch one, *nlines their count. With out NULL (pass one)
 * the lines are only counted (see SKIPPED).
 */
static bool read_location(const uint8_t *p, const uint8_t *end, pb_location *out,
	pb_line *lines, size_t cap, size_t *nlines)
{
	size_t n = 0;
	pb_line scratch;
	field f;
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		switch (f.number) {
		case 1: SET_U64(out->id, f); break;
		case 2: SET_U64(out->mapping_id, f); break;
		case 3: SET_U64(out->address, f); break;
		case 4:
			if (f.wire != WIRE_LEN)
				return false;
			if (out) {
				pb_line *l = n < cap ? &lines[n] : &scratch;
				*l = line_init;
				if (!walk_line(f.data, f.data + f.len, l))
					return false;
			}
			n++;
			break;
		case 5: SET_BOOL(out->is_folded, f); break;
		default: break;
		}
	}
	*nlines = n;
	return true;
}

/* A location in the unpack's passes: a full pass two stores its lines; a
 * lean one (hf__profile_wire_tables_ok) checks them, storing none. */
static bool walk_location(unpacker *u, const uint8_t *p, const uint8_t *end, pb_location *out)
{
	bool store = out && !u->lean;
	size_t first = u->n.lines, n;
	/* No room: u->lines may be NULL (a profile without lines). */
	size_t room = store ? u->lines_cap - first : 0;
	if (!read_location(p, end, out, room ? u->lines + first : NULL, room, &n))
		return false;
	u->n.lines += n;
	if (store) {
		for (size_t i = 0; i < n; i++)
			u->line_ptrs[first + i] = &u->lines[first + i];
		out->n_line = n;
		out->line = n ? u->line_ptrs + first : NULL;
	}
	return true;
}

static bool walk_function(const uint8_t *p, const uint8_t *end, pb_function *out)
{
	field f;
	if (!out)
		return true; /* pass one: nothing to count inside (see SKIPPED) */
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		switch (f.number) {
		case 1: SET_U64(out->id, f); break;
		case 2: SET_I64(out->name, f); break;
		case 3: SET_I64(out->system_name, f); break;
		case 4: SET_I64(out->filename, f); break;
		case 5: SET_I64(out->start_line, f); break;
		default: break;
		}
	}
	return true;
}

/*
 * One sample as a lean unpack's two passes take it, in one walk: counted
 * as pass one counts it and checked as pass two checks it (walk_sample
 * without and with a message: an over-long packed varint, a malformed
 * label); false where either refuses.
 */
static bool count_check_sample(unpacker *u, const uint8_t *p, const uint8_t *end)
{
	field f;
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		switch (f.number) {
		case 1:
		case 2: {
			size_t *n = f.number == 1 ? &u->n.ids : &u->n.values;
			if (f.wire == WIRE_VARINT)
				(*n)++;
			else if (f.wire != WIRE_LEN || !count_packed_checked(f.data, f.len, n))
				return false;
			break;
		}
		case 3: {
			pb_label scratch = label_init;
			if (f.wire != WIRE_LEN || !walk_label(f.data, f.data + f.len, &scratch))
				return false;
			u->n.labels++;
			break;
		}
		default:
			break;
		}
	}
	return true;
}

/* Takes the next element of a per-kind array in pass two, NULL in pass one. */
#define NEXT(u, array, cursor, init) \
	((u)->fill ? ((u)->array[(u)->n.cursor] = (init), &(u)->array[(u)->n.cursor]) : NULL)

static bool walk_profile(unpacker *u, const uint8_t *p, const uint8_t *end)
{
	pb_profile *out = u->fill ? u->prof : NULL;
	/* A lean pass two leaves the tables to their reader (see
	 * hf__profile_wire_tables_ok). */
	bool skip_tables = u->fill && u->lean;
	field f;
	while (p < end) {
		const uint8_t *start = p;
		if (skip_tables && u->next_run < u->nruns && p == u->run_from[u->next_run]) {
			p = u->run_to[u->next_run++];
			continue;
		}
		if (!next_field(&p, end, &f))
			return false;
		if (u->lean && !u->fill && f.number >= 2 && f.number <= 5) {
			size_t r = u->nruns;
			if (r && u->run_to[r - 1] == start)
				u->run_to[r - 1] = p;
			else if (r < sizeof(u->run_from) / sizeof(u->run_from[0])) {
				u->run_from[r] = start;
				u->run_to[r] = p;
				u->nruns++;
			}
		}
		if (!u->fill && f.number >= 3 && f.number <= 5) {
			size_t k = f.number - 3;
			if (!u->table_to[k])
				u->table_from[k] = (size_t)(start - u->data);
			u->table_to[k] = (size_t)(p - u->data);
		}
		/* Field 0 (a non-canonical tag) is unknown, any wire type. */
		if ((f.number >= 1 && f.number <= 6) || f.number == 11) {
			/* Messages and strings: length-delimited only. */
			if (f.wire != WIRE_LEN)
				return false;
		}
		/* Only length-delimited fields have data (f.data is NULL or stale
		 * for the others, and NULL + 0 is undefined). */
		const uint8_t *data = f.wire == WIRE_LEN ? f.data : NULL;
		const uint8_t *data_end = f.wire == WIRE_LEN ? f.data + f.len : NULL;
		switch (f.number) {
		case 1:
			if (!walk_value_type(data, data_end,
				NEXT(u, value_types, sample_types, value_type_init)))
				return false;
			if (out)
				out->sample_type[u->n.sample_types] = &u->value_types[u->n.sample_types];
			u->n.sample_types++;
			break;
		case 2: {
			if (u->lean) {
				/* Pass one takes each sample whole (counted and
				 * checked in one walk); pass two has nothing to do. */
				if (u->fill)
					break;
				u->samples_end = p;
				u->n.samples++;
				if (u->samples_apart || count_check_sample(u, data, data_end))
					break;
				/* Refused: by pass one's checks now, by pass two's
				 * once pass one has allocated. */
				if (!walk_sample(u, data, data_end, NULL))
					return false;
				u->refused_late = true;
				break;
			}
			pb_sample *s = NEXT(u, samples, samples, sample_init);
			if (!walk_sample(u, data, data_end, s))
				return false;
			if (out)
				out->sample[u->n.samples] = s;
			u->n.samples++;
			break;
		}
		case 3:
			if (skip_tables)
				break;
			if (!walk_mapping(data, data_end, NEXT(u, mappings, mappings, mapping_init)))
				return false;
			if (out)
				out->mapping[u->n.mappings] = &u->mappings[u->n.mappings];
			u->n.mappings++;
			break;
		case 4: {
			/* A lean unpack leaves each location whole to its reader,
			 * which counts its lines as it reads them (walking every
			 * location here to count them was 12.6 M instructions of
			 * synthetic-large's decode); its framing is checked there
			 * (hf__profile_wire_locations_framed for an out of memory
			 * before it). */
			if (u->lean) {
				u->n.locations++;
				break;
			}
			pb_location *l = NEXT(u, locations, locations, location_init);
			if (!walk_location(u, data, data_end, l))
				return false;
			if (out)
				out->location[u->n.locations] = l;
			u->n.locations++;
			break;
		}
		case 5:
			if (skip_tables)
				break;
			if (!walk_function(data, data_end, NEXT(u, functions, functions, function_init)))
				return false;
			if (out)
				out->function[u->n.functions] = &u->functions[u->n.functions];
			u->n.functions++;
			break;
		case 6:
			if (out) {
				char *s = u->string_bytes + u->n.string_bytes;
				if (f.len)
					memcpy(s, data, f.len);
				s[f.len] = '\0';
				out->string_table[u->n.strings] = s;
			}
			u->n.strings++;
			u->n.string_bytes += f.len + 1;
			break;
		case 7: SET_I64(out->drop_frames, f); break;
		case 8: SET_I64(out->keep_frames, f); break;
		case 9: SET_I64(out->time_nanos, f); break;
		case 10: SET_I64(out->duration_nanos, f); break;
		case 11:
			/* A repeated optional message: the last one wins, as in
			 * protobuf-c and pprof (which do not merge them). */
			if (out)
				*out->period_type = value_type_init;
			if (!walk_value_type(data, data_end, out ? out->period_type : NULL))
				return false;
			u->n.period_type = true;
			break;
		case 12: SET_I64(out->period, f); break;
		case 13:
			if (!repeated_varint(u, &f, out ? (uint64_t *)(void *)out->comment : NULL,
				&u->n.comments))
				return false;
			break;
		case 14: SET_I64(out->default_sample_type, f); break;
		case 15: SET_I64(out->doc_url, f); break;
		default: break;
		}
	}
	return true;
}

/* n elements of `size` from the arena, or NULL for none; false when out of memory. */
/* n items of `size` from the arena into the pointer at out_at (any T **:
 * written with memcpy, see HF_RESERVE), NULL for none. */
static bool take(hf__arena *arena, size_t n, size_t size, void *out_at)
{
	void *items = NULL;
	size_t total = hf__mul(n, size);
	if (n && total != SIZE_MAX)
		items = hf__arena_alloc(arena, total);
	memcpy(out_at, &items, sizeof(items));
	return n == 0 || items != NULL;
}

static pb_profile *unpack(hf__arena *keep, hf__arena *scratch, const uint8_t *data,
	size_t len, bool lean, bool samples_apart, size_t *samples_end,
	hf__wire_counts *wire_counts, hf__wire_table_counts *table_counts, bool *oom)
{
	unpacker u;
	memset(&u, 0, sizeof(u));
	u.lean = lean;
	u.samples_apart = samples_apart;
	u.data = data;
	*oom = false;
	if (!walk_profile(&u, data, data + len))
		return NULL;

	counts n = u.n;
	if (wire_counts) {
		wire_counts->samples = n.samples;
		wire_counts->ids = n.ids;
		wire_counts->values = n.values;
		wire_counts->labels = n.labels;
	}
	if (table_counts) {
		table_counts->mappings = n.mappings;
		table_counts->locations = n.locations;
		table_counts->functions = n.functions;
		for (size_t k = 0; k < 3; k++) {
			table_counts->from[k] = u.table_from[k];
			table_counts->to[k] = u.table_to[k];
		}
	}
	if (lean)
		n.samples = n.ids = n.values = n.labels = n.mappings = n.locations = n.lines =
			n.functions = 0;
	pb_profile *prof = hf__arena_alloc(scratch, sizeof(*prof));
	void *vt_ptrs, *sample_ptrs, *mapping_ptrs, *location_ptrs, *function_ptrs, *strings,
		*comments, *period;
	if (!prof ||
	    !take(scratch, n.sample_types, sizeof(pb_value_type), &u.value_types) ||
	    !take(scratch, n.sample_types, sizeof(pb_value_type *), &vt_ptrs) ||
	    !take(scratch, n.samples, sizeof(pb_sample), &u.samples) ||
	    !take(scratch, n.samples, sizeof(pb_sample *), &sample_ptrs) ||
	    !take(keep, n.ids, sizeof(uint64_t), &u.ids) ||
	    !take(keep, n.values, sizeof(int64_t), &u.values) ||
	    !take(scratch, n.labels, sizeof(pb_label), &u.labels) ||
	    !take(scratch, n.labels, sizeof(pb_label *), &u.label_ptrs) ||
	    !take(scratch, n.mappings, sizeof(pb_mapping), &u.mappings) ||
	    !take(scratch, n.mappings, sizeof(pb_mapping *), &mapping_ptrs) ||
	    !take(scratch, n.locations, sizeof(pb_location), &u.locations) ||
	    !take(scratch, n.locations, sizeof(pb_location *), &location_ptrs) ||
	    !take(scratch, n.lines, sizeof(pb_line), &u.lines) ||
	    !take(scratch, n.lines, sizeof(pb_line *), &u.line_ptrs) ||
	    !take(scratch, n.functions, sizeof(pb_function), &u.functions) ||
	    !take(scratch, n.functions, sizeof(pb_function *), &function_ptrs) ||
	    !take(scratch, n.strings, sizeof(char *), &strings) ||
	    !take(keep, n.string_bytes, 1, &u.string_bytes) ||
	    !take(scratch, n.comments, sizeof(int64_t), &comments) ||
	    !take(scratch, n.period_type ? 1 : 0, sizeof(pb_value_type), &period)) {
		*oom = true;
		return NULL;
	}
	u.lines_cap = n.lines;
	*prof = profile_init;
	prof->n_sample_type = n.sample_types;
	prof->sample_type = vt_ptrs;
	prof->n_sample = n.samples;
	prof->sample = sample_ptrs;
	prof->n_mapping = n.mappings;
	prof->mapping = mapping_ptrs;
	prof->n_location = n.locations;
	prof->location = location_ptrs;
	prof->n_function = n.functions;
	prof->function = function_ptrs;
	prof->n_string_table = n.strings;
	prof->string_table = strings;
	prof->n_comment = n.comments;
	prof->comment = comments;
	prof->period_type = period;
	if (period)
		*prof->period_type = value_type_init;

	if (u.refused_late)
		return NULL;
	memset(&u.n, 0, sizeof(u.n));
	u.fill = true;
	u.prof = prof;
	/* Pass one accepted the framing; only an over-long packed varint is
	 * left to find (the arena is freed with the profile). */
	if (!walk_profile(&u, data, data + len))
		return NULL;
	if (samples_end)
		*samples_end = u.samples_end ? (size_t)(u.samples_end - data) : 0;
	return prof;
}

pb_profile *hf__profile_unpack_split(hf__arena *keep, hf__arena *scratch,
	const uint8_t *data, size_t len, bool *oom)
{
	return unpack(keep, scratch, data, len, false, false, NULL, NULL, NULL, oom);
}

pb_profile *hf__profile_unpack_lean(hf__arena *keep, hf__arena *scratch,
	const uint8_t *data, size_t len, size_t *samples_end, hf__wire_counts *sample_counts,
	hf__wire_table_counts *table_counts, bool *oom)
{
	return unpack(keep, scratch, data, len, true, false, samples_end, sample_counts,
		table_counts, oom);
}

pb_profile *hf__profile_unpack_lean_tables(hf__arena *keep, hf__arena *scratch,
	const uint8_t *data, size_t len, size_t *samples_end, hf__wire_table_counts *table_counts,
	bool *oom)
{
	return unpack(keep, scratch, data, len, true, true, samples_end, NULL, table_counts,
		oom);
}

pb_profile *hf__profile_unpack(hf__arena *arena, const uint8_t *data, size_t len, bool *oom)
{
	return unpack(arena, arena, data, len, false, false, NULL, NULL, NULL, oom);
}

bool hf__profile_wire_samples_ok(const uint8_t *data, size_t len, bool framing_only,
	hf__wire_counts *out)
{
	unpacker u;
	memset(&u, 0, sizeof(u));
	u.lean = true;
	u.data = data;
	const uint8_t *p = data, *end = data + len;
	field f;
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		if (f.number != 2)
			continue;
		if (f.wire != WIRE_LEN)
			return false;
		if (framing_only ? !walk_sample(&u, f.data, f.data + f.len, NULL)
				 : !count_check_sample(&u, f.data, f.data + f.len))
			return false;
		u.n.samples++;
	}
	if (out) {
		out->samples = u.n.samples;
		out->ids = u.n.ids;
		out->values = u.n.values;
		out->labels = u.n.labels;
	}
	return true;
}

/* ---- samples read from the wire, one at a time ---- */

void hf__profile_wire_samples_init(hf__wire_samples *it, const uint8_t *data, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->pos = data;
	it->end = data + len;
}

void hf__profile_wire_samples_dispose(hf__wire_samples *it)
{
	hf__free(it->ids);
	hf__free(it->values);
	hf__free(it->labels);
	memset(it, 0, sizeof(*it));
}

/* A repeated varint field of a sample, appended to the array at buf_at (a
 * uint64_t ** or int64_t **: read and written with memcpy) of n entries. */
static int wire_varints(const field *f, void *buf_at, size_t *cap, size_t *n)
{
	uint64_t *buf;
	if (f->wire == WIRE_VARINT) {
		if (!hf__reserve_at(buf_at, cap, *n, 1, sizeof(*buf), 64))
			return -1;
		memcpy(&buf, buf_at, sizeof(buf));
		buf[(*n)++] = f->value;
		return 1;
	}
	if (f->wire != WIRE_LEN)
		return -2;
	if (f->len == 0)
		return 1;
	/* An unfinished last varint was refused when the data was checked;
	 * each varint has a byte at least, so len entries are room enough
	 * (counting them first cost a second pass over every run). */
	if (f->data[f->len - 1] & 0x80)
		return -2;
	if (!hf__reserve_at(buf_at, cap, *n, f->len, sizeof(*buf), 64))
		return -1;
	memcpy(&buf, buf_at, sizeof(buf));
	return fill_packed(f->data, f->len, buf + *n, n) ? 1 : -2;
}

size_t hf__profile_wire_split(const uint8_t *data, size_t len, size_t at)
{
	const uint8_t *pos = data, *end = data + len, *cut = data + (at < len ? at : len);
	field f;
	while (pos < cut)
		if (!next_field(&pos, end, &f))
			return 0;
	return pos < end ? (size_t)(pos - data) : 0;
}

int hf__profile_wire_samples_next(hf__wire_samples *it, hf__wire_sample *out)
{
	field f;
	while (it->pos < it->end) {
		if (!next_field(&it->pos, it->end, &f))
			return -2;
		if (f.number != 2)
			continue;
		if (f.wire != WIRE_LEN)
			return -2;
		size_t nids = 0, nvalues = 0, nlabels = 0;
		const uint8_t *p = f.data, *end = f.data + f.len;
		field g;
		while (p < end) {
			if (!next_field(&p, end, &g))
				return -2;
			int rc = 1;
			if (g.number == 1)
				rc = wire_varints(&g, &it->ids, &it->ids_cap, &nids);
			else if (g.number == 2)
				rc = wire_varints(&g, &it->values, &it->values_cap, &nvalues);
			else if (g.number == 3) {
				if (g.wire != WIRE_LEN)
					return -2;
				if (!HF_RESERVE(it->labels, &it->labels_cap, nlabels, 1, 64))
					return -1;
				pb_label *l = &it->labels[nlabels++];
				*l = label_init;
				if (!walk_label(g.data, g.data + g.len, l))
					return -2;
			}
			if (rc != 1)
				return rc;
		}
		out->ids = it->ids;
		out->nids = nids;
		out->values = it->values;
		out->nvalues = nvalues;
		out->labels = it->labels;
		out->nlabels = nlabels;
		return 1;
	}
	return 0;
}

/* ---- the tables read from the wire, one element at a time ---- */

bool hf__profile_wire_tables_ok(const uint8_t *data, size_t len)
{
	unpacker u;
	memset(&u, 0, sizeof(u));
	u.lean = true; /* walk_location: each line checked into a scratch one */
	u.fill = true;
	const uint8_t *p = data, *end = data + len;
	field f;
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		if (f.number < 3 || f.number > 5)
			continue;
		if (f.wire != WIRE_LEN)
			return false;
		pb_mapping m = mapping_init;
		pb_location l = location_init;
		pb_function fn = function_init;
		if ((f.number == 3 && !walk_mapping(f.data, f.data + f.len, &m)) ||
		    (f.number == 4 && !walk_location(&u, f.data, f.data + f.len, &l)) ||
		    (f.number == 5 && !walk_function(f.data, f.data + f.len, &fn)))
			return false;
	}
	return true;
}

bool hf__profile_wire_locations_framed(const uint8_t *data, size_t len)
{
	unpacker u;
	memset(&u, 0, sizeof(u));
	const uint8_t *p = data, *end = data + len;
	field f;
	while (p < end) {
		if (!next_field(&p, end, &f))
			return false;
		if (f.number == 4 &&
		    (f.wire != WIRE_LEN || !walk_location(&u, f.data, f.data + f.len, NULL)))
			return false;
	}
	return true;
}

bool hf__profile_wire_next_field(const uint8_t **pos, const uint8_t *end, uint32_t number,
	const uint8_t **data, size_t *len)
{
	field f;
	while (*pos < end) {
		if (!next_field(pos, end, &f))
			return false;
		if (f.number == number && f.wire == WIRE_LEN) {
			*data = f.data;
			*len = f.len;
			return true;
		}
	}
	return false;
}

bool hf__profile_wire_mapping(const uint8_t *data, size_t len, pb_mapping *out)
{
	*out = mapping_init;
	return walk_mapping(data, data + len, out);
}

bool hf__profile_wire_function(const uint8_t *data, size_t len, pb_function *out)
{
	*out = function_init;
	return walk_function(data, data + len, out);
}

bool hf__profile_wire_location(const uint8_t *data, size_t len, pb_location *out,
	pb_line *lines, size_t cap)
{
	*out = location_init;
	return read_location(data, data + len, out, lines, cap, &out->n_line);
}
