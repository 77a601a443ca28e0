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

/*
 * The same, but the samples are only checked (pass two refuses what it
 * would refuse storing them) and not stored: the profile has no samples,
 * and hf__profile_wire_samples_next reads them from `data` when they are wanted.
 * *samples_end is where the last sample ends: nothing after it is read
 * again (Go writes the samples first, so it is a prefix of the profile).
 */
/* What pass one counted in the samples of a lean unpack: enough to
 * allocate their decoded form exactly before reading them again. */
typedef struct hf__wire_counts {
	size_t samples, ids, values, labels;
} hf__wire_counts;

Perftools__Profiles__Profile *hf__profile_unpack_lean(hf__arena *keep, hf__arena *scratch,
	const uint8_t *data, size_t len, size_t *samples_end, hf__wire_counts *sample_counts, bool *oom);

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
