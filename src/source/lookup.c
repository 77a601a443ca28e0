/*
 * Source lookup: pprof's search first, byte for byte (its messages too),
 * then the places a Go developer's sources really are.
 */
#define _POSIX_C_SOURCE 200809L
#include "source.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Source files larger than this are refused rather than read whole. */
#define MAX_SOURCE_BYTES ((size_t)256 << 20)

static char *dup_n(const char *s, size_t n)
{
	char *d = hf__malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static char *dup_s(const char *s) { return dup_n(s, strlen(s)); }

/* a + b + c as one new string. */
static char *concat3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *d = hf__malloc(la + lb + lc + 1);
	if (d) {
		memcpy(d, a, la);
		memcpy(d + la, b, lb);
		memcpy(d + la + lb, c, lc + 1);
	}
	return d;
}

char *hf__source_clean(const char *path)
{
	size_t len = strlen(path);
	char *out = hf__malloc(len + 2);
	if (out)
		hf__path_clean(out, path, len);
	return out;
}

/* Go's filepath.Base. */
static char *go_base(const char *path)
{
	size_t n = strlen(path);
	if (n == 0)
		return dup_s(".");
	while (n > 0 && path[n - 1] == '/')
		n--;
	if (n == 0)
		return dup_s("/");
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	return dup_n(path + start, n - start);
}

/* Go's filepath.Dir. */
static char *go_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *head = dup_n(path, slash ? (size_t)(slash - path) + 1 : 0);
	if (!head)
		return NULL;
	char *dir = hf__source_clean(head);
	hf__free(head);
	return dir;
}

/* Go's filepath.Join of two elements. */
static char *go_join(const char *dir, const char *file)
{
	if (!dir[0])
		return hf__source_clean(file);
	if (!file[0])
		return hf__source_clean(dir);
	char *both = concat3(dir, "/", file);
	if (!both)
		return NULL;
	char *clean = hf__source_clean(both);
	hf__free(both);
	return clean;
}

/* Go's filepath.SplitList: entry i of a ':'-separated list ("" has none).
 * Returns false past the end. */
static bool list_entry(const char *list, size_t i, const char **start, size_t *len)
{
	if (!list || !list[0])
		return false;
	const char *p = list;
	for (size_t k = 0; k < i; k++) {
		p = strchr(p, ':');
		if (!p)
			return false;
		p++;
	}
	const char *colon = strchr(p, ':');
	*start = p;
	*len = colon ? (size_t)(colon - p) : strlen(p);
	return true;
}

char *hf__source_trim(const char *path, const char *trim, const char *search)
{
	const char *e;
	size_t elen;
	if (!trim || !trim[0]) {
		for (size_t i = 0; list_entry(search, i, &e, &elen); i++) {
			char *dir = dup_n(e, elen);
			char *base = dir ? go_base(dir) : NULL;
			char *want = base ? concat3("/", base, "/") : NULL;
			hf__free(dir);
			hf__free(base);
			if (!want)
				return NULL;
			const char *found = strstr(path, want);
			size_t wlen = strlen(want);
			hf__free(want);
			if (found)
				return dup_s(found + wlen);
		}
	}
	/* The configured prefixes, then pprof's two fixed ones; each matches
	 * as a directory (a '/' is added when it lacks one). */
	static const char *const fixed[] = {"/proc/self/cwd/./", "/proc/self/cwd/"};
	for (size_t i = 0;; i++) {
		bool listed = list_entry(trim, i, &e, &elen);
		if (!listed) {
			size_t n = 0;
			while (list_entry(trim, n, &e, &elen))
				n++;
			if (i - n >= 2)
				break;
			e = fixed[i - n];
			elen = strlen(e);
		}
		bool slash = elen > 0 && e[elen - 1] == '/';
		if (!strncmp(path, e, elen) && (slash || path[elen] == '/'))
			return dup_s(path + elen + !slash);
	}
	return dup_s(path);
}

/* ---- the environment --------------------------------------------------- */

int hf__source_finder_init(hf__source_finder *f, const hf_source_options *opts, hf_error *err)
{
	static const hf_source_options defaults = HF_SOURCE_OPTIONS_INIT;
	memset(f, 0, sizeof(*f));
	f->opts = opts ? *opts : defaults;
	if (f->opts.source_path && f->opts.source_path[0]) {
		f->search = f->opts.source_path;
		return HF_OK;
	}
	/* pprof searches the working directory when no -source_path is given. */
	size_t cap = 256;
	for (;;) {
		f->cwd = hf__malloc(cap);
		if (!f->cwd)
			return hf__oom(err);
		if (getcwd(f->cwd, cap))
			break;
		int e = errno;
		hf__free(f->cwd);
		f->cwd = NULL;
		if (e != ERANGE || cap > ((size_t)1 << 20))
			return hf__error(err, HF_EIO, "could not stat current dir: %s", strerror(e));
		cap *= 2;
	}
	f->search = f->cwd;
	return HF_OK;
}

void hf__source_finder_dispose(hf__source_finder *f)
{
	hf__free(f->cwd);
	hf__free(f->goroot);
	hf__free(f->modcache);
	memset(f, 0, sizeof(*f));
}

/* A copy of s into *field; -1 when out of memory. */
static int set_copy(char **field, const char *s)
{
	*field = dup_s(s);
	return *field ? 0 : -1;
}

/* $GOROOT, else what `go env GOROOT` says (when a go is on PATH); *out
 * NULL when there is none. -1 when out of memory. */
static int finder_goroot(hf__source_finder *f, const char **out)
{
	if (!f->goroot_known) {
		const char *env = getenv("GOROOT");
		int rc = 0;
		if (f->opts.goroot) {
			if (f->opts.goroot[0])
				rc = set_copy(&f->goroot, f->opts.goroot);
		} else if (env && env[0]) {
			rc = set_copy(&f->goroot, env);
		} else {
			FILE *go = popen("go env GOROOT 2>/dev/null", "r");
			char line[4096];
			bool ok = go && fgets(line, sizeof(line), go) != NULL;
			if (go && pclose(go) != 0)
				ok = false;
			if (ok) {
				line[strcspn(line, "\r\n")] = '\0';
				if (line[0] == '/')
					rc = set_copy(&f->goroot, line);
			}
		}
		if (rc != 0)
			return -1;
		f->goroot_known = true;
	}
	*out = f->goroot;
	return 0;
}

/* $GOMODCACHE, else the first $GOPATH entry's pkg/mod, else ~/go/pkg/mod;
 * *out NULL when there is none. -1 when out of memory. */
static int finder_modcache(hf__source_finder *f, const char **out)
{
	if (!f->modcache_known) {
		const char *env = getenv("GOMODCACHE");
		const char *e;
		size_t elen;
		if (f->opts.modcache) {
			if (f->opts.modcache[0] && !(f->modcache = dup_s(f->opts.modcache)))
				return -1;
		} else if (env && env[0]) {
			if (!(f->modcache = dup_s(env)))
				return -1;
		} else if (list_entry(getenv("GOPATH"), 0, &e, &elen) && elen > 0) {
			char *first = dup_n(e, elen);
			f->modcache = first ? concat3(first, "/", "pkg/mod") : NULL;
			hf__free(first);
			if (!f->modcache)
				return -1;
		} else if ((env = getenv("HOME")) && env[0]) {
			if (!(f->modcache = concat3(env, "/", "go/pkg/mod")))
				return -1;
		}
		f->modcache_known = true;
	}
	*out = f->modcache;
	return 0;
}

/* ---- probing ----------------------------------------------------------- */

/* Opens like os.Open, but a directory is no source file. 0, or errno. */
static int probe(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno ? errno : ENOENT;
	struct stat st;
	int rc = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR : 0;
	close(fd);
	return rc;
}

/* Tries dir/rel, then each parent of dir (pprof's walk up). *found set
 * when it exists; -1 when out of memory, else 0. */
static int walk_up(const char *dir0, const char *rel, char **found)
{
	char *dir = dup_s(dir0);
	if (!dir)
		return -1;
	for (;;) {
		char *name = go_join(dir, rel);
		if (!name) {
			hf__free(dir);
			return -1;
		}
		if (probe(name) == 0) {
			*found = name;
			hf__free(dir);
			return 0;
		}
		hf__free(name);
		char *parent = go_dir(dir);
		if (!parent) {
			hf__free(dir);
			return -1;
		}
		bool top = !strcmp(parent, dir);
		hf__free(dir);
		dir = parent;
		if (top)
			break;
	}
	hf__free(dir);
	return 0;
}

/* Tries rel under every entry of a ':'-separated list, walking up. */
static int walk_list(const char *list, const char *rel, char **found)
{
	const char *e;
	size_t elen;
	for (size_t i = 0; !*found && list_entry(list, i, &e, &elen); i++) {
		char *dir = dup_n(e, elen);
		if (!dir || walk_up(dir, rel, found) != 0) {
			hf__free(dir);
			return -1;
		}
		hf__free(dir);
	}
	return 0;
}

/* Tries one exact path. */
static int try_path(const char *path, char **found)
{
	if (probe(path) != 0)
		return 0;
	*found = dup_s(path);
	return *found ? 0 : -1;
}

/* The first path component of rel, as a length. */
static size_t first_component(const char *rel)
{
	return strcspn(rel, "/");
}

/* A standard-library file relative to $GOROOT/src: "bytes/buffer.go" as
 * recorded by -trimpath builds, or the part after ".../goXXX/src/" of an
 * absolute path from another machine's GOROOT. Import paths of other
 * code start with a domain ("github.com/..."), which has a dot. */
static const char *std_relative(const char *rel, const char *recorded)
{
	const char *cand = NULL;
	if (rel[0] != '/') {
		cand = rel;
	} else if (recorded[0] == '/') {
		for (const char *s = strstr(recorded, "/src/"); s; s = strstr(s + 1, "/src/")) {
			const char *comp = s;
			while (comp > recorded && comp[-1] != '/')
				comp--;
			if (!strncmp(comp, "go", 2))
				cand = s + 5;
		}
	}
	if (!cand || !cand[0])
		return NULL;
	size_t n = first_component(cand);
	if (n == 0 || cand[n] != '/' || memchr(cand, '.', n) || memchr(cand, '@', n))
		return NULL;
	return cand;
}

/* A module file relative to the module cache: "github.com/x/y@v1/z.go",
 * as -trimpath records it, or the part after ".../pkg/mod/". */
static const char *module_relative(const char *rel, const char *recorded)
{
	const char *cand = NULL;
	if (rel[0] != '/') {
		cand = rel;
	} else {
		for (const char *s = strstr(recorded, "/pkg/mod/"); s; s = strstr(s + 1, "/pkg/mod/"))
			cand = s + 9;
	}
	if (!cand)
		return NULL;
	const char *at = strchr(cand, '@');
	return at && strchr(at, '/') ? cand : NULL;
}

/* The module cache's case escaping ("!b" for "B") of the module path and
 * version, which end at the first '/' after the '@'; the file's path
 * inside the module is not escaped. */
static char *escape_module(const char *rel)
{
	const char *end = strchr(strchr(rel, '@'), '/');
	size_t upper = 0;
	for (const char *p = rel; p < end; p++)
		upper += isupper((unsigned char)*p) != 0;
	size_t len = strlen(rel);
	char *out = hf__malloc(len + upper + 1);
	if (!out)
		return NULL;
	size_t w = 0;
	for (const char *p = rel; *p; p++) {
		if (p < end && isupper((unsigned char)*p)) {
			out[w++] = '!';
			out[w++] = (char)tolower((unsigned char)*p);
		} else {
			out[w++] = *p;
		}
	}
	out[w] = '\0';
	return out;
}

/* The path of a module file inside vendor/: the module path without its
 * "@version"; a GOPATH-style import path ("github.com/x/y/z.go") as is. */
static int vendor_relative(const char *rel, const char *modrel, char **out)
{
	*out = NULL;
	if (modrel) {
		const char *at = strchr(modrel, '@');
		char *head = dup_n(modrel, (size_t)(at - modrel));
		*out = head ? concat3(head, "", strchr(at, '/')) : NULL;
		hf__free(head);
		return *out ? 0 : -1;
	}
	if (rel[0] == '/')
		return 0;
	size_t n = first_component(rel);
	if (rel[n] != '/' || !memchr(rel, '.', n))
		return 0;
	*out = dup_s(rel);
	return *out ? 0 : -1;
}

/* pprof's own search: the trimmed path, absolute or under each search
 * directory and its parents. HF_OK with *found, or HF_ENOTFOUND with
 * pprof's message in *message. */
static int pprof_locate(hf__source_finder *f, const char *path, char **found, char **message)
{
	if (path[0] == '/') {
		int e = probe(path);
		if (e == 0)
			return (*found = dup_s(path)) ? HF_OK : HF_ENOMEM;
		/* Go's os.Open error text: the C library's, first letter lowered. */
		const char *why = strerror(e);
		size_t n = strlen(path) + strlen(why) + 16;
		*message = hf__malloc(n);
		if (!*message)
			return HF_ENOMEM;
		snprintf(*message, n, "open %s: %c%s", path, tolower((unsigned char)why[0]), why + 1);
		return HF_ENOTFOUND;
	}
	if (walk_list(f->search, path, found) != 0)
		return HF_ENOMEM;
	if (*found)
		return HF_OK;
	size_t n = strlen(path) + strlen(f->search) + 40;
	*message = hf__malloc(n);
	if (!*message)
		return HF_ENOMEM;
	snprintf(*message, n, "could not find file %s on path %s", path, f->search);
	return HF_ENOTFOUND;
}

/* Beyond pprof, in the documented order. -1 when out of memory. */
static int extra_locate(hf__source_finder *f, const char *recorded, const char *path,
	char **found)
{
	/* 1. The path as recorded, when absolute (-trim_path may have cut it). */
	if (recorded[0] == '/' && strcmp(recorded, path) != 0 && try_path(recorded, found) != 0)
		return -1;
	/* 2. The standard library under $GOROOT/src. */
	const char *std = *found ? NULL : std_relative(path, recorded);
	if (std) {
		const char *goroot;
		if (finder_goroot(f, &goroot) != 0)
			return -1;
		if (goroot) {
			char *name = concat3(goroot, "/src/", std);
			if (!name || try_path(name, found) != 0) {
				hf__free(name);
				return -1;
			}
			hf__free(name);
		}
	}
	/* 3. The module cache, with its case escaping. */
	const char *mod = module_relative(path, recorded);
	if (!*found && mod) {
		const char *cache;
		if (finder_modcache(f, &cache) != 0)
			return -1;
		if (cache) {
			char *escaped = escape_module(mod);
			char *name = escaped ? concat3(cache, "/", escaped) : NULL;
			int rc = name ? try_path(name, found) : -1;
			hf__free(escaped);
			hf__free(name);
			if (rc != 0)
				return -1;
		}
	}
	/* 4. vendor/ directories under the search path or the working
	 * directory, or any of their parents. */
	char *vrel = NULL;
	if (!*found && vendor_relative(path, mod, &vrel) != 0)
		return -1;
	if (vrel) {
		char *rel = concat3("vendor", "/", vrel);
		int rc = rel ? walk_list(f->search, rel, found) : -1;
		if (rc == 0 && !*found && f->search != f->cwd) {
			char cwd[4096];
			if (getcwd(cwd, sizeof(cwd)))
				rc = walk_up(cwd, rel, found);
		}
		hf__free(rel);
		hf__free(vrel);
		if (rc != 0)
			return -1;
	}
	/* 5. The working directory and its parents (pprof looks there only
	 * without -source_path). */
	if (!*found && path[0] != '/' && f->search != f->cwd) {
		char cwd[4096];
		if (getcwd(cwd, sizeof(cwd)) && walk_up(cwd, path, found) != 0)
			return -1;
	}
	return 0;
}

int hf__source_locate(hf__source_finder *f, const char *recorded, const char *file,
	char **found, char **message)
{
	*found = NULL;
	*message = NULL;
	char *path = hf__source_trim(file, f->opts.trim_path, f->search);
	if (!path)
		return HF_ENOMEM;
	int rc = pprof_locate(f, path, found, message);
	if (rc == HF_ENOTFOUND && !f->opts.pprof_only) {
		if (extra_locate(f, recorded ? recorded : file, path, found) != 0) {
			rc = HF_ENOMEM;
		} else if (*found) {
			hf__free(*message);
			*message = NULL;
			rc = HF_OK;
		}
	}
	if (rc == HF_ENOMEM) {
		hf__free(*found);
		hf__free(*message);
		*found = *message = NULL;
	}
	hf__free(path);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

int hf__source_read(hf__source_text *out, const char *path, hf_error *err)
{
	memset(out, 0, sizeof(*out));
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return hf__error(err, HF_EIO, "%s: %s", path, strerror(errno));
	/* grown by hand, not by hf__reserve: a byte past cap for the NUL, and
	 * the limit checked before each doubling */
	size_t cap = 1 << 16, len = 0;
	char *data = hf__malloc(cap + 1);
	int rc = data ? HF_OK : hf__oom(err);
	while (rc == HF_OK) {
		if (len == cap) {
			if (cap >= MAX_SOURCE_BYTES) {
				rc = hf__error(err, HF_ELIMIT, "%s: source file larger than %zu MiB", path,
					MAX_SOURCE_BYTES >> 20);
				break;
			}
			char *bigger = hf__realloc(data, cap * 2 + 1);
			if (!bigger) {
				rc = hf__oom(err);
				break;
			}
			data = bigger;
			cap *= 2;
		}
		size_t n = fread(data + len, 1, cap - len, fp);
		len += n;
		if (n == 0) {
			if (ferror(fp))
				rc = hf__error(err, HF_EIO, "%s: read failed", path);
			break;
		}
	}
	fclose(fp);
	if (rc != HF_OK) {
		hf__free(data);
		return rc;
	}
	data[len] = '\0';
	size_t nlines = 0;
	for (size_t i = 0; i < len; i++)
		nlines += data[i] == '\n';
	nlines += len > 0 && data[len - 1] != '\n';
	out->data = data;
	out->lines = hf__malloc(hf__mul(nlines + 1, sizeof(*out->lines)));
	out->lens = hf__malloc(hf__mul(nlines + 1, sizeof(*out->lens)));
	if (!out->lines || !out->lens) {
		hf__source_text_dispose(out);
		return hf__oom(err);
	}
	size_t start = 0;
	for (size_t i = 0; i <= len && out->nlines < nlines; i++) {
		if (i < len && data[i] != '\n')
			continue;
		size_t end = i;
		if (end > start && data[end - 1] == '\r')
			end--;
		data[end] = '\0';
		out->lines[out->nlines] = data + start;
		out->lens[out->nlines++] = end - start;
		start = i + 1;
	}
	return HF_OK;
}

void hf__source_text_dispose(hf__source_text *t)
{
	hf__free(t->data);
	hf__free(t->lines);
	hf__free(t->lens);
	memset(t, 0, sizeof(*t));
}

/* ---- the public lookup ---------------------------------------------- */

int hf_source_find(char **out, const char *file, const hf_source_options *opts, hf_error *err)
{
	if (!out || !file)
		return hf__error(err, HF_EINVALID, "hf_source_find: NULL argument");
	*out = NULL;
	hf__source_finder f;
	int rc = hf__source_finder_init(&f, opts, err);
	if (rc != HF_OK)
		return rc;
	char *clean = NULL, *trimmed = NULL, *message = NULL;
	/* As pprof shows the file: trimmed against -source_path, cleaned. */
	trimmed = hf__source_trim(file, f.opts.trim_path, f.opts.source_path);
	clean = trimmed ? hf__source_clean(trimmed) : NULL;
	rc = clean ? hf__source_locate(&f, file, clean, out, &message) : HF_ENOMEM;
	if (rc == HF_ENOMEM)
		rc = hf__oom(err);
	else if (rc == HF_ENOTFOUND)
		rc = hf__error(err, HF_ENOTFOUND, "%s", message);
	hf__free(message);
	hf__free(trimmed);
	hf__free(clean);
	hf__source_finder_dispose(&f);
	return rc;
}
