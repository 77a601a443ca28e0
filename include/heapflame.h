/*
 * heapflame.h - turn Go profiles into flame graphs, call graphs and reports.
 *
 * The pipeline mirrors pprof: a profile is parsed into an hf_profile (one
 * arena per profile), folded into hf_stacks for one sample type, and the
 * stacks (or the profile) are drawn by a backend that writes to an
 * hf_writer.
 *
 * Conventions:
 *  - Functions that can fail return 0 (HF_OK) or a negative hf_code and fill
 *    the caller-owned hf_error (which may be NULL) with a one-line message.
 *  - Objects returned through `**out` belong to the caller and have a _free
 *    function that accepts NULL. Getters return borrowed pointers that stay
 *    valid until their parent object is freed.
 *  - The library never prints, exits or aborts.
 */
#ifndef HEAPFLAME_H
#define HEAPFLAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(HEAPFLAME_BUILDING) && defined(__GNUC__)
#define HF_EXTERN __attribute__((visibility("default")))
#else
#define HF_EXTERN
#endif

#define HF_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum hf_code {
	HF_OK = 0,
	HF_ERROR = -1,        /**< generic failure */
	HF_ENOMEM = -2,       /**< out of memory */
	HF_EIO = -3,          /**< reading or writing failed */
	HF_EFORMAT = -4,      /**< input is not in a format we read */
	HF_ECORRUPT = -5,     /**< decoded, but references are invalid */
	HF_EINVALID = -6,     /**< bad argument or option */
	HF_ENOTFOUND = -7,    /**< no such item (sample type, index) */
	HF_EUNSUPPORTED = -8, /**< feature not compiled in */
	HF_ERENDER = -9,      /**< a rendering library failed */
	HF_ELIMIT = -10       /**< a resource limit was exceeded */
} hf_code;

/** A caller-owned error: the code and a one-line message. */
typedef struct hf_error {
	hf_code code;
	char message[256];
} hf_error;

/** A short constant description of a code. */
HF_EXTERN const char *hf_strerror(hf_code code);
/** The library version, "MAJOR.MINOR.PATCH". */
HF_EXTERN const char *hf_version(void);

/* ------------------------------------------------------------------ */
/* Writers                                                             */
/* ------------------------------------------------------------------ */

/** Where output goes. write returns 0 on success, non-zero on failure. */
typedef struct hf_writer {
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
} hf_writer;

/** A growable memory buffer; release its data with hf_buffer_dispose. */
typedef struct hf_buffer {
	char *data;
	size_t len;
	size_t cap;
} hf_buffer;

/** A writer appending to an open stdio stream (not closed by us). */
HF_EXTERN hf_writer hf_writer_file(FILE *fp);
/** A writer appending to `buf`, which must start zeroed. */
HF_EXTERN hf_writer hf_writer_buffer(hf_buffer *buf);
/** Frees the buffer's data and zeroes it. */
HF_EXTERN void hf_buffer_dispose(hf_buffer *buf);

/* ------------------------------------------------------------------ */
/* Profiles                                                            */
/* ------------------------------------------------------------------ */

typedef struct hf_profile hf_profile;

/** Limits that protect against hostile input. 0 means the default. */
typedef struct hf_parse_options {
	size_t max_decompressed; /**< bytes after gunzip (default 2 GiB) */
	size_t max_depth;        /**< frames in one stack (default 65536) */
	size_t max_name;         /**< bytes in one string (default 1 MiB) */
} hf_parse_options;

#define HF_PARSE_OPTIONS_INIT {0, 0, 0}

/**
 * Parses a profile from memory: profile.proto, gzipped or plain.
 * @param[out] out  the profile, owned by the caller (hf_profile_free)
 * @param name      names the input in error messages (e.g. the file name)
 */
HF_EXTERN int hf_profile_parse(hf_profile **out, const void *data, size_t len,
	const char *name, const hf_parse_options *opts, hf_error *err);

/** Reads and parses a file; "-" reads standard input. */
HF_EXTERN int hf_profile_parse_file(hf_profile **out, const char *path,
	const hf_parse_options *opts, hf_error *err);

HF_EXTERN void hf_profile_free(hf_profile *profile);

/** Number of sample types (values per sample). */
HF_EXTERN size_t hf_profile_sample_type_count(const hf_profile *profile);

/**
 * The type and unit of sample type `index`, borrowed from the profile.
 * @return HF_OK, or HF_ENOTFOUND past the end
 */
HF_EXTERN int hf_profile_sample_type(const hf_profile *profile, size_t index,
	const char **type, const char **unit);

/** pprof's default: default_sample_type if set, else the last type. */
HF_EXTERN size_t hf_profile_default_sample_index(const hf_profile *profile);

/**
 * Finds a sample type by name or number as pprof's -sample_index does
 * ("inuse_" may be dropped to match "space"/"objects" types). NULL or ""
 * gives the default. An unknown name is HF_ENOTFOUND with a message that
 * lists the profile's types.
 */
HF_EXTERN int hf_profile_sample_index(const hf_profile *profile,
	const char *name, size_t *out, hf_error *err);

/** The name the profile was parsed under (file name, "-", URL). */
HF_EXTERN const char *hf_profile_source(const hf_profile *profile);

/* ------------------------------------------------------------------ */
/* Stacks: the folded model                                            */
/* ------------------------------------------------------------------ */

typedef struct hf_stacks hf_stacks;

typedef enum hf_granularity {
	HF_GRANULARITY_FUNCTIONS = 0, /**< a frame per function (default) */
	HF_GRANULARITY_LINES = 1      /**< a frame per "function:line" */
} hf_granularity;

typedef struct hf_fold_options {
	long sample_index;          /**< -1: the profile's default */
	hf_granularity granularity;
} hf_fold_options;

#define HF_FOLD_OPTIONS_INIT {-1, HF_GRANULARITY_FUNCTIONS}

/**
 * Frame references in a stack are frame ids, with this bit set when the
 * frame was inlined into the frame before it (its caller).
 */
#define HF_FRAME_INLINED 0x80000000u
#define HF_FRAME_ID(ref) ((ref) & ~HF_FRAME_INLINED)

/**
 * Folds one sample type of a profile into distinct stacks. Frames are
 * interned in the stacks' own table, so the stacks outlive the profile.
 * @param[out] out  the stacks, owned by the caller (hf_stacks_free)
 */
HF_EXTERN int hf_stacks_fold(hf_stacks **out, const hf_profile *profile,
	const hf_fold_options *opts, hf_error *err);

HF_EXTERN void hf_stacks_free(hf_stacks *stacks);

/**
 * Writes the collapsed form, "root;...;leaf VALUE\n" per distinct stack,
 * sorted by stack in byte order, stacks summing to 0 left out. Differential
 * stacks are written "STACK BEFORE AFTER" (FlameGraph's difffolded form).
 */
HF_EXTERN int hf_stacks_write_collapsed(const hf_stacks *stacks,
	hf_writer *writer, hf_error *err);

/** Number of distinct stacks (distinct frame and inline sequences). */
HF_EXTERN size_t hf_stacks_count(const hf_stacks *stacks);
/** Number of distinct frame names. */
HF_EXTERN size_t hf_stacks_frame_count(const hf_stacks *stacks);
/** Name of frame `id` (NUL-terminated; `len` may be NULL). */
HF_EXTERN const char *hf_stacks_frame_name(const hf_stacks *stacks,
	uint32_t id, size_t *len);
/**
 * Stack `i`: its frame references, root first (see HF_FRAME_INLINED), and
 * its value. @return the number of frames
 */
HF_EXTERN size_t hf_stacks_get(const hf_stacks *stacks, size_t i,
	const uint32_t **frames, int64_t *value);
/** Sum of all stack values. */
HF_EXTERN int64_t hf_stacks_total(const hf_stacks *stacks);
/**
 * Differential stacks (made against a base profile) carry a second value
 * per stack, the base ("before"); hf_stacks_get's value is "after".
 */
HF_EXTERN bool hf_stacks_has_base(const hf_stacks *stacks);
HF_EXTERN int64_t hf_stacks_base(const hf_stacks *stacks, size_t i);
HF_EXTERN int64_t hf_stacks_base_total(const hf_stacks *stacks);
/** The sample type and unit the stacks were folded for. */
HF_EXTERN const char *hf_stacks_sample_type(const hf_stacks *stacks);
HF_EXTERN const char *hf_stacks_sample_unit(const hf_stacks *stacks);

#ifdef __cplusplus
}
#endif

#endif /* HEAPFLAME_H */
