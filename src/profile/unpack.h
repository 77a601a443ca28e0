/*
 * A specialised unpacker for profile.proto. It builds the same message tree
 * as protobuf-c's perftools__profiles__profile__unpack, and accepts and
 * refuses the same wire data, but in two passes (validate and count, then
 * fill) with every array of one kind in a single arena block: protobuf-c's
 * generic, descriptor-driven unpacking was the largest cost of reading a
 * big profile (see bench/README.md).
 */
#ifndef HF_UNPACK_H
#define HF_UNPACK_H

#include "../util/util.h"
#include "profile.pb-c.h"

/*
 * Returns the unpacked profile, allocated in `arena`; NULL if the data is
 * not valid protobuf for profile.proto, or (with *oom set) if the arena
 * could not allocate.
 */
Perftools__Profiles__Profile *hf__profile_unpack(hf__arena *arena, const uint8_t *data,
	size_t len, bool *oom);

/*
 * The same, with the arrays a decoded model points into (samples' location
 * ids and values, the bytes of the string table) in `keep` and everything
 * else (message structs, pointer arrays) in `scratch`, which the caller can
 * drop once it has copied what it needs.
 */
Perftools__Profiles__Profile *hf__profile_unpack_split(hf__arena *keep, hf__arena *scratch,
	const uint8_t *data, size_t len, bool *oom);

/* What pass one counted in the samples of a lean unpack: enough to
 * allocate their decoded form exactly before reading them again. */
typedef struct hf__wire_counts {
	size_t samples, ids, values, labels;
} hf__wire_counts;

/* The same for the tables: mappings, locations, functions (a
 * location's lines are counted by its reader); and where each kind's
 * fields lie in the data, [from[k], to[k]) for field number 3 + k
 * (mappings, locations, functions), so that reading them skips no other
 * field but those among them (pprof writes each table in one run). */
typedef struct hf__wire_table_counts {
	size_t mappings, locations, functions;
	size_t from[3], to[3];
} hf__wire_table_counts;

/*
 * The same as hf__profile_unpack_split, but the samples, mappings,
 * locations and functions are not stored: the profile has none of them,
 * and they are read from `data` when they are wanted
 * (hf__profile_wire_samples_next, and the table readers below), straight
 * into a model, without a message struct per element beside it. What is
 * stored: the sample types, the scalars, the comments and the string
 * table. The samples are checked as the full unpack checks them (pass
 * two refuses what it would refuse storing them); the contents of the
 * tables' elements (a mapping's, a location's and its lines', a
 * function's fields) are left to the readers, which refuse what the full
 * unpack refuses: data accepted here is what hf__profile_unpack_split accepts only if
 * hf__profile_wire_tables_ok says so too, or every element was read.
 * *samples_end is where the last sample ends (Go writes the samples
 * first, so it is a prefix of the profile).
 */
Perftools__Profiles__Profile *hf__profile_unpack_lean(hf__arena *keep, hf__arena *scratch,
	const uint8_t *data, size_t len, size_t *samples_end, hf__wire_counts *sample_counts,
	hf__wire_table_counts *table_counts, bool *oom);

/*
 * hf__profile_unpack_lean in two parts for two threads, over the same
 * data: hf__profile_unpack_lean_tables is hf__profile_unpack_lean with the
 * samples' contents left out (their top-level fields are walked, so
 * *samples_end is the same), and hf__profile_wire_samples_ok checks and
 * counts them as the lean unpack's two passes would. Both accept exactly
 * what hf__profile_unpack_lean accepts (a refusal of either is its
 * refusal). With `framing_only`, hf__profile_wire_samples_ok checks only
 * what the unpack refuses of the samples before it allocates (an out of
 * memory there comes before the refusals of pass two's checks, which the
 * lean unpack's pass one makes but keeps until it has allocated).
 * They read `data` only: the two may run at once.
 */
Perftools__Profiles__Profile *hf__profile_unpack_lean_tables(hf__arena *keep,
	hf__arena *scratch, const uint8_t *data, size_t len, size_t *samples_end,
	hf__wire_table_counts *table_counts, bool *oom);
bool hf__profile_wire_samples_ok(const uint8_t *data, size_t len, bool framing_only,
	hf__wire_counts *out);

/* Whether every mapping, location (with its lines) and function of wire
 * data that hf__profile_unpack_lean accepted is what the full unpack
 * accepts: for a decoder that meets a problem before it has read them all
 * (the full unpack's refusal comes first). */
bool hf__profile_wire_tables_ok(const uint8_t *data, size_t len);

/* Whether every location is framed as the full unpack's pass one wants
 * it (what it refuses before it allocates; the lean unpack leaves the
 * locations whole to their reader): for an out of memory of the lean
 * unpack, which the full one's refusal of a location comes before. */
bool hf__profile_wire_locations_framed(const uint8_t *data, size_t len);

/*
 * The tables of wire data that hf__profile_unpack_lean accepted, read one
 * element at a time, as the full unpack would have filled its message
 * (the last of a repeated scalar wins). hf__profile_wire_next_field finds
 * the next top-level field `number` (length-delimited) from *pos and
 * moves past it; false at the end. The element readers are false on data
 * the full unpack refuses (and only then).
 */
bool hf__profile_wire_next_field(const uint8_t **pos, const uint8_t *end, uint32_t number,
	const uint8_t **data, size_t *len);
bool hf__profile_wire_mapping(const uint8_t *data, size_t len,
	Perftools__Profiles__Mapping *out);
bool hf__profile_wire_function(const uint8_t *data, size_t len,
	Perftools__Profiles__Function *out);
/* A location and its first `cap` lines, in order, into `lines` (`line`
 * stays NULL): n_line is the count of all of them, which may be more
 * than cap (then read it again with room for them: the lines past cap
 * are checked, not stored). */
bool hf__profile_wire_location(const uint8_t *data, size_t len,
	Perftools__Profiles__Location *out, Perftools__Profiles__Line *lines, size_t cap);

/* One sample read from the wire; the arrays are the reader's, valid until
 * the next call. */
typedef struct hf__wire_sample {
	const uint64_t *ids;
	size_t nids;
	const int64_t *values;
	size_t nvalues;
	const Perftools__Profiles__Label *labels;
	size_t nlabels;
} hf__wire_sample;

/* Reads the samples of wire data that hf__profile_unpack_lean accepted. */
typedef struct hf__wire_samples {
	const uint8_t *pos, *end;
	uint64_t *ids;
	size_t ids_cap;
	int64_t *values;
	size_t values_cap;
	Perftools__Profiles__Label *labels;
	size_t labels_cap;
} hf__wire_samples;

void hf__profile_wire_samples_init(hf__wire_samples *it, const uint8_t *data, size_t len);
/* Where wire data that hf__profile_unpack_lean accepted splits in two: the
 * start of the first top-level field at or past byte `at`, so that each
 * side is whole fields; 0 when there is none (past the last field, or
 * malformed). */
size_t hf__profile_wire_split(const uint8_t *data, size_t len, size_t at);
/* 1: *out is the next sample; 0: no more; -1: out of memory; -2: malformed
 * (not after hf__profile_unpack_lean accepted the data). */
int hf__profile_wire_samples_next(hf__wire_samples *it, hf__wire_sample *out);
void hf__profile_wire_samples_dispose(hf__wire_samples *it);

#endif
