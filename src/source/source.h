/*
 * Finding the source file a profile names: pprof's -source_path and
 * -trim_path rules (internal/report/source.go), then the places pprof
 * does not look: the recorded absolute path, $GOROOT/src, the module
 * cache, vendor/ directories and the current directory. Below the report
 * module; uses only util.
 */
#ifndef HF_SOURCE_H
#define HF_SOURCE_H

#include "../util/util.h"

/* Go's filepath.Clean for '/' paths, as a new hf__malloc'd string. */
char *hf__source_clean(const char *path);

/*
 * pprof's trimPath: with no trim list, the heuristic (the base name of a
 * search directory found inside the path: everything up to it goes);
 * else the first matching prefix of `trim` (':'-separated) goes; then
 * "/proc/self/cwd/". Returns a new hf__malloc'd string.
 */
char *hf__source_trim(const char *path, const char *trim, const char *search);

/* One search: options plus what was learnt from the environment. */
typedef struct hf__source_finder {
	hf_source_options opts; /* strings borrowed from the caller */
	const char *search;     /* -source_path, else the working directory */
	char *cwd;
	char *goroot;           /* NULL: none */
	char *modcache;         /* NULL: none */
	bool goroot_known, modcache_known;
} hf__source_finder;

int hf__source_finder_init(hf__source_finder *f, const hf_source_options *opts, hf_error *err);
void hf__source_finder_dispose(hf__source_finder *f);

/*
 * Finds `file` (a path as pprof shows it: the recorded path after
 * -trim_path and cleaning). `recorded` is the path the profile holds.
 * HF_OK: *found is the path to read (hf__malloc'd). HF_ENOTFOUND:
 * *message is pprof's error for it (hf__malloc'd). Else out of memory.
 */
int hf__source_locate(hf__source_finder *f, const char *recorded, const char *file,
	char **found, char **message);

/*
 * Reads a source file into lines the way Go's bufio.Scanner does (split
 * at '\n', a '\r' before it dropped, a last line without '\n' kept).
 * The lines point into *data (hf__malloc'd, NUL after every line).
 */
typedef struct hf__source_text {
	char *data;
	const char **lines;
	size_t *lens;
	size_t nlines;
} hf__source_text;

int hf__source_read(hf__source_text *out, const char *path, hf_error *err);
void hf__source_text_dispose(hf__source_text *t);

#endif
