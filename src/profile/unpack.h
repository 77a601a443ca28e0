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
Perftools__Profiles__Profile *hf__unpack_profile(hf_arena *arena, const uint8_t *data,
	size_t len, bool *oom);

/*
 * The same, with the arrays a decoded model points into (samples' location
 * ids and values, the bytes of the string table) in `keep` and everything
 * else (message structs, pointer arrays) in `scratch`, which the caller can
 * drop once it has copied what it needs.
 */
Perftools__Profiles__Profile *hf__unpack_profile_split(hf_arena *keep, hf_arena *scratch,
	const uint8_t *data, size_t len, bool *oom);

#endif
