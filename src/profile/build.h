/*
 * A profile builder: the text parsers and the merger add functions,
 * locations and samples through it; equal items are found by key (as
 * pprof's Merge does), and hf__profile_builder_finish lays the result out in the
 * profile's arena as dense arrays.
 */
#ifndef HF_PROFILE_BUILD_H
#define HF_PROFILE_BUILD_H

#include "profile.h"

typedef struct hf__bline {
	uint32_t function; /* HF_NONE: a line without a function */
	int64_t line, column;
} hf__bline;

typedef struct hf__blocation {
	uint64_t address;
	uint32_t mapping;  /* HF_NONE: no mapping */
	uint32_t line_start, nlines;
	bool is_folded;
} hf__blocation;

typedef struct hf__bsample {
	uint32_t *locs;  /* in a locs chunk (the profile's arena) */
	size_t nlocs;
	size_t label_start, nlabels;
	bool has_base;
} hf__bsample;

typedef struct hf__builder {
	hf_profile *p;
	hf_error *err;
	size_t nvalues;       /* values per sample (= sample types) */
	bool with_base;       /* samples also carry base (before) values */
	hf__arena scratch;     /* keys of locations and samples */
	hf__intern function_keys, mapping_keys, location_keys;
	hf__intern label_strings; /* copies in the profile's arena */
	/* Samples are found by the hash of their key (locations, labels as
	 * a set); the key itself is rebuilt from the sample to confirm, so
	 * no copy of every stack is kept. */
	uint64_t *sample_hash;   /* per sample */
	uint32_t *sample_slots;  /* open addressing; HF_NONE = empty */
	size_t sample_nslots;

	hf__function *functions;
	size_t nfunctions, functions_cap;
	hf__mapping *mappings;
	size_t nmappings, mappings_cap;
	hf__blocation *locations;
	size_t nlocations, locations_cap;
	hf__bline *lines;
	size_t nlines, lines_cap;
	hf__bsample *samples;
	size_t nsamples, samples_cap;
	/* Location indexes of the samples, in chunks of the profile's arena
	 * that never move: the finished samples keep them as they are (they
	 * are the largest part of a merge, so they are never copied). */
	struct hf__locs_chunk *locs_tail;
	int64_t *values;      /* nvalues per sample */
	int64_t *base_values; /* with_base: nvalues per sample */
	size_t values_cap;    /* in samples */
	hf__label *labels;
	size_t nlabels, labels_cap;
	char *key, *key2;     /* reusable key buffers */
	size_t key_cap, key2_cap;
} hf__builder;

/* Starts building into p (whose sample types must be set already). */
int hf__profile_builder_init(hf__builder *b, hf_profile *p, bool with_base, hf_error *err);
/* Frees the builder's own memory (not the profile). */
void hf__profile_builder_dispose(hf__builder *b);
/* From now on samples carry base values too (zero for those added so
 * far): a merge learns that only when a profile with a base comes. */
int hf__profile_builder_enable_base(hf__builder *b);

/* Each returns the item's index, or HF_NONE on error (err is filled). */
uint32_t hf__profile_builder_function(hf__builder *b, const char *name, const char *system_name,
	const char *filename, int64_t start_line);
/*
 * A mapping, identified as pprof does (size rounded up to 4 KiB, file
 * offset, build id or else file name) so the same object loaded at other
 * addresses (ASLR) is one mapping; *shift is what to add to the source's
 * addresses to place them in the mapping kept.
 */
uint32_t hf__profile_builder_mapping(hf__builder *b, const hf__mapping *m, int64_t *shift);
/* A location; equal address, mapping and lines give the same index. */
uint32_t hf__profile_builder_location(hf__builder *b, uint64_t address, uint32_t mapping,
	const hf__bline *lines, size_t nlines, bool is_folded);

/*
 * Adds a sample (locations leaf first). With `merge`, a sample with the
 * same locations and labels as an earlier one adds its values to it.
 * `base` may be NULL (then zero); labels' strings are copied.
 */
int hf__profile_builder_sample(hf__builder *b, const uint32_t *locs, size_t nlocs,
	const int64_t *values, const int64_t *base, const hf__label *labels,
	size_t nlabels, bool merge);

/* Lays everything out in the profile's arena. */
int hf__profile_builder_finish(hf__builder *b);



/* Text decoders (text.c dispatches to them). */
int hf__profile_decode_legacy_heap(hf_profile *p, const char *data, size_t len,
	const hf_parse_options *opts, hf_error *err);
int hf__profile_decode_collapsed(hf_profile *p, const char *data, size_t len,
	const hf_parse_options *opts, hf_error *err);

/* A line of text: [start, end) without the newline. */
typedef struct hf__text_line {
	const char *start, *end;
} hf__text_line;

/* Advances *pos over one line of [*pos, end); false at the end. */
static inline bool hf__next_line(const char **pos, const char *end, hf__text_line *line)
{
	const char *s = *pos;
	if (s >= end)
		return false;
	const char *nl = s;
	while (nl < end && *nl != '\n')
		nl++;
	line->start = s;
	line->end = nl > s && nl[-1] == '\r' ? nl - 1 : nl;
	*pos = nl < end ? nl + 1 : end;
	return true;
}

/* A read position in a line of text (legacy.c, memmap.c). */
typedef struct hf__cursor {
	const char *s, *end;
} hf__cursor;

static inline bool hf__cursor_at_end(const hf__cursor *c)
{
	return c->s >= c->end;
}

/* Steps over ch if it is next. */
static inline bool hf__cursor_eat(hf__cursor *c, char ch)
{
	if (c->s < c->end && *c->s == ch) {
		c->s++;
		return true;
	}
	return false;
}

static inline bool hf__is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A legacy profile's memory map (memmap.c): the mappings as read, each
 * added to the builder; file and build id point into the text. */
typedef struct hf__memmap_entry {
	uint64_t start, limit, offset;
	hf__text_line file, build_id;
	uint32_t id; /* in the builder */
} hf__memmap_entry;

typedef struct hf__memmap {
	hf__memmap_entry *entries;
	size_t n, cap;
} hf__memmap;

/* Does this line start the map ("--- Memory map: ---", "MAPPED_LIBRARIES:")? */
bool hf__profile_memmap_sentinel(const char *s, const char *end);
/* Reads the map in [pos, end) (the lines after the sentinel) with pprof's
 * fixes and adds its mappings to b; names over max_name are HF_ELIMIT. */
int hf__profile_memmap_read(hf__memmap *map, hf__builder *b, const char *pos, const char *end,
	size_t max_name, hf_error *err);
/* The builder's id of the mapping that holds address (pprof's rules), or
 * HF_NONE. May move a mapping's start back by its offset, as pprof does. */
uint32_t hf__profile_memmap_find(hf__memmap *map, uint64_t address);
void hf__profile_memmap_dispose(hf__memmap *map);
#endif
