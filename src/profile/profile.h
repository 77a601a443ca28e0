/*
 * The decoded profile, shared by the library's modules. Every parser
 * (protobuf, legacy text, collapsed text) produces this model; every
 * backend reads it. All memory lives in the profile's arena.
 */
#ifndef HF_PROFILE_H
#define HF_PROFILE_H

#include "../util/util.h"

typedef struct hf__function {
	uint64_t id;
	const char *name;
	const char *system_name;
	const char *filename;
	int64_t start_line;
} hf__function;

typedef struct hf__line {
	const hf__function *function; /* NULL: a line without a function */
	int64_t line;
	int64_t column;
} hf__line;

typedef struct hf__mapping {
	uint64_t id;
	uint64_t memory_start, memory_limit, file_offset;
	const char *filename;
	const char *build_id;
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
} hf__mapping;

typedef struct hf__location {
	uint64_t id;
	uint64_t address;
	const hf__mapping *mapping; /* may be NULL */
	hf__line *lines;            /* lines[0] is the innermost (inlined) call */
	size_t nlines;
	bool is_folded;
} hf__location;

typedef struct hf__label {
	const char *key;
	const char *str;  /* NULL for numeric labels */
	int64_t num;
	const char *num_unit;
} hf__label;

typedef struct hf__sample {
	/* Indexes into the profile's locations, leaf first: 4 bytes a frame
	 * (a pointer took 8; frames are most of a decoded profile). */
	uint32_t *locations;
	size_t nlocations;
	int64_t *values;               /* one per sample type */
	hf__label *labels;
	size_t nlabels;
	/* With a base (-base, -diff_base, two-column input): the base's part
	 * ("before") of each value; values hold after - before, as pprof. */
	int64_t *base_values;
} hf__sample;

/* One "# Key = value" line of a legacy heap profile's runtime.MemStats. */
typedef struct hf__memstat {
	const char *key;
	const char *value;
} hf__memstat;

typedef struct hf__value_type {
	const char *type;
	const char *unit;
} hf__value_type;

struct hf_profile {
	hf__arena arena;
	const char *source;

	hf__value_type *sample_types;
	size_t nsample_types;
	hf__sample *samples;
	size_t nsamples;
	hf__mapping *mappings;
	size_t nmappings;
	hf__location *locations;
	size_t nlocations;
	hf__function *functions;
	size_t nfunctions;

	const char *drop_frames, *keep_frames;
	int64_t time_nanos, duration_nanos;
	hf__value_type period_type;
	int64_t period;
	const char **comments;
	size_t ncomments;
	const char *default_sample_type;
	const char *doc_url;

	bool has_base;          /* samples carry base_values (see hf__sample) */
	bool samples_merged;    /* pprof's Merge is done (legacy text: before its
				 * pruning made some stacks equal): views list
				 * samples as they are */
	int64_t *unfiltered_totals; /* per sample type, set by hf_profile_filter */
	hf__memstat *memstats;   /* legacy heap text only */
	size_t nmemstats;

	/* A lean protobuf profile (hf__profile_parse_file_lean): no samples
	 * decoded; they are read from the wire data by hf__profile_walk_samples. */
	struct hf__wire_profile *wire;

	/* The samples' location ids (a builder's: a merge, a difference,
	 * text; or the protobuf decoder's): chunks in the order of the
	 * samples, freed with the profile, or one by one as a fold or a
	 * merge passes them (hf__profile_release_locs). */
	struct hf__locs_chunk *locs_chunks;

	/* The locations and their lines: a block each outside the arena
	 * (hf__malloc'd; freed with the profile), so that a view which needs
	 * them only to find its nodes can free them before the rest of its
	 * work (hf__profile_drop_locations): the many-functions profile's
	 * 114k locations and 165k lines are 9.4 MB. */
	hf__location *own_locations;
	hf__line *own_lines;
};

/* Frees the locations and their lines (p->locations is NULL and
 * nlocations 0 after): the samples' location indexes then name nothing,
 * so only for a view that has read what it needs of them and frees the
 * profile after (hf_report_write_top_free), and for hf_profile_free. */
void hf__profile_drop_locations(hf_profile *p);

struct hf__locs_chunk {
	struct hf__locs_chunk *next;
	size_t cap, used;
	uint32_t data[];
};

/* A new empty chunk for `cap` location ids, linked after `tail` (the
 * profile's first when NULL); NULL when out of memory. A chunk of a huge
 * page or more is advised into huge pages (hf__malloc_filled). */
struct hf__locs_chunk *hf__profile_locs_chunk_add(hf_profile *p, struct hf__locs_chunk *tail,
	size_t cap);

/* Frees the chunks of sample location ids before the one holding `locs`
 * (the locations of the next sample a fold reads): the samples keep the
 * builder's order, so no later sample points into them. Nothing is freed
 * when `locs` is in none; NULL frees them all. The profile's samples
 * before it are then unreadable: only for a fold that frees the profile
 * after, and for hf_profile_free. */
void hf__profile_release_locs(hf_profile *p, const uint32_t *locs);

/* Creates an empty profile named `source` (for parsers and merging). */
int hf__profile_new(hf_profile **out, const char *source, hf_error *err);

/* Decoders, each filling an empty profile; `data` is already inflated. */
int hf__profile_decode_proto(hf_profile *p, const uint8_t *data, size_t len,
	const hf_parse_options *opts, hf_error *err);
/* The same; `owned` (*owned == data, from hf__malloc), if given, is cut
 * to the samples once the tables are decoded and freed (and set to NULL)
 * once the samples are: they are decoded last, from the wire data, after
 * the unpacked tables are dropped, so the two never coexist. */
int hf__profile_decode_proto_owned(hf_profile *p, const uint8_t *data, size_t len,
	uint8_t **owned, const hf_parse_options *opts, hf_error *err);

/*
 * Reads and parses a file as hf_profile_parse_file, but a protobuf
 * profile's samples are left in the wire data (kept with the profile)
 * rather than decoded: nsamples is 0 and p->wire is set. Only
 * hf__profile_walk_samples reads them; nothing else may be given such a
 * profile. Other inputs are parsed whole (p->wire NULL).
 */
int hf__profile_decode_proto_lean(hf_profile *p, const uint8_t *data, size_t len,
	uint8_t **owned, const hf_parse_options *opts, hf_error *err);
/* Frees what a lean profile keeps of its wire data (hf_profile_free does). */
void hf__profile_wire_free(hf_profile *p);
/*
 * Frees a lean profile's decoded model (functions, locations, strings,
 * ...: everything in its arena) once what the samples name has been read
 * from it: only nsample_types, hf__profile_walk_samples and
 * hf_profile_free are left to use.
 */
void hf__profile_drop_model(hf_profile *p);
int hf__profile_parse_file_lean(hf_profile **out, const char *path,
	const hf_parse_options *opts, hf_error *err);
/* The same from memory (hf_profile_parse): the profile reads `data`, which
 * must outlive it. */
int hf__profile_parse_lean(hf_profile **out, const void *data, size_t len,
	const char *name, const hf_parse_options *opts, hf_error *err);

/*
 * Calls fn for each sample of a lean profile, in order, with its location
 * indexes (into p->locations, leaf first) and values (one per sample type),
 * and checks each as decoding would have, with the same errors in the
 * same precedence (counts of any sample, then ids and labels in order, then
 * fn's own first error; fn is not called after an error). fn may be NULL
 * (only checking).
 */
typedef int (*hf__wire_sample_fn)(void *ctx, const uint32_t *locations, size_t nlocations,
	const int64_t *values, hf_error *err);
int hf__profile_walk_samples(const hf_profile *p, hf__wire_sample_fn fn, void *ctx,
	hf_error *err);
/*
 * The samples in two parts, for two threads (hf__profile_samples_bytes:
 * the wire bytes they take): hf__profile_samples_split is
 * where they split (the start of the first sample at or past byte `at` of
 * them; 0: they do not), and hf__profile_walk_samples_part walks the first
 * or the second part as hf__profile_walk_samples walks all of them. Only
 * the absence of errors means what it does for the whole: a part's error
 * (its sample numbers count from the part's start, and a count problem
 * of the other part would come first) is for the caller to replace by
 * walking the whole.
 */
size_t hf__profile_samples_bytes(const hf_profile *p);
/*
 * From now on the walks of a lean profile's samples give the pages of its
 * wire data that they have passed back to the system (the inflated
 * samples of a 1M-stack profile are ~140 MB, held beside the stacks
 * folded from them), so the samples can be walked once: a caller that
 * may have to walk them again (after a part failed) must parse the
 * source again. Does nothing, and returns false, when the profile does
 * not own its wire data.
 */
bool hf__profile_wire_give_back(hf_profile *p);
size_t hf__profile_samples_split(const hf_profile *p, size_t at);
int hf__profile_walk_samples_part(const hf_profile *p, size_t split, bool second,
	hf__wire_sample_fn fn, void *ctx, hf_error *err);

/* Frames the locations make: a frame per line, or one for a location
 * without lines. */
size_t hf__profile_location_frames(const hf_profile *p);

/*
 * Refuses (HF_ELIMIT, "sample values overflow 64 bits") a profile whose
 * sample type si's |values| do not sum within 64 bits: a report that only
 * sums some samples' values then never overflows.
 */
int hf__profile_check_magnitudes(const hf_profile *p, size_t si, hf_error *err);

/* Text formats (legacy heap profiles, collapsed stacks). */
/* Protobuf always has control bytes early (tags, lengths); text never
 * does: true when the first 512 bytes have none (parse.c, gzip.c). */
bool hf__profile_looks_like_text(const uint8_t *data, size_t len);
int hf__profile_decode_text(hf_profile *p, const uint8_t *data, size_t len,
	const hf_parse_options *opts, hf_error *err);

/* Inflates gzip data into a new hf__malloc'd buffer, bounded by `max`. */
int hf__profile_gunzip(const uint8_t *data, size_t len, size_t max, uint8_t **out,
	size_t *out_len, hf_error *err);
/* The same, for a profile: once the inflated bytes are certainly not one
 * (a bad top-level protobuf field, a NUL in text) and at least `keep` bytes
 * are held, the rest is inflated and dropped (*cut set): a bomb costs
 * `keep` bytes, not its size. What is kept shows the decoder the problem. */
int hf__profile_gunzip_checked(const uint8_t *data, size_t len, size_t max, size_t keep,
	uint8_t **out, size_t *out_len, bool *cut, hf_error *err);

#endif
