/*
 * Fetching profiles over HTTP(S) with libcurl, as pprof's fetch does:
 * "?seconds=N" for CPU and delta profiles, a timeout that outlasts the
 * profiling window, a bound on the answer's size, and errors that say
 * what went wrong (refused connection, HTTP status with the body's first
 * line). Built without libcurl (-DHEAPFLAME_WITH_CURL=OFF), hf_fetch checks
 * its arguments as usual and then fails with HF_EUNSUPPORTED.
 */
#include "../util/util.h"

#ifdef HF_HAVE_CURL
#include <curl/curl.h>
#endif
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_MAX_SIZE ((size_t)512 << 20)
#define DEFAULT_TIMEOUT 60L

void hf_string_free(char *s)
{
	hf__free(s);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *hf_fetch_url(const char *url, long seconds)
{
	size_t len = strlen(url);
	char *out = hf__malloc(len + 48);
	if (!out)
		return NULL;
	const char *q = strchr(url, '?');
	const char *hash = strchr(url, '#');
	size_t base_len = q ? (size_t)(q - url) : hash ? (size_t)(hash - url) : len;
	memcpy(out, url, base_len);
	size_t n = base_len;
	bool first = true;
	if (q) {
		/* Keep every parameter but an old "seconds" (pprof replaces it). */
		const char *p = q + 1, *end = hash && hash > q ? hash : url + len;
		while (p < end) {
			const char *amp = memchr(p, '&', (size_t)(end - p));
			const char *pe = amp ? amp : end;
			bool drop = seconds > 0 && ((size_t)(pe - p) >= 8 && !memcmp(p, "seconds=", 8));
			if (!drop && pe > p) {
				out[n++] = first ? '?' : '&';
				memcpy(out + n, p, (size_t)(pe - p));
				n += (size_t)(pe - p);
				first = false;
			}
			p = amp ? amp + 1 : end;
		}
	}
	if (seconds > 0)
		n += (size_t)snprintf(out + n, 40, "%sseconds=%ld", first ? "?" : "&", seconds);
	out[n] = '\0';
	return out;
}

#ifdef HF_HAVE_CURL
/*
 * libcurl is opened when a URL is fetched, not linked (hf__dl_open): loading
 * it and its TLS and auth stack (about 30 libraries) cost every run, URL or
 * not, ~6 MB of memory and ~20 M instructions of dynamic linking
 * (bench/README.md).
 */
#define CURL_SONAME "libcurl.so.4" /* libcurl 7.16 and later, 8.x included */

typedef struct curl_api {
	void *handle;
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
} curl_api;

static int curl_open(curl_api *api, hf_error *err)
{
	static const hf__dl_symbol symbols[] = {
		{"curl_easy_init", offsetof(curl_api, easy_init)},
		{"curl_easy_setopt", offsetof(curl_api, easy_setopt)},
		{"curl_easy_perform", offsetof(curl_api, easy_perform)},
		{"curl_easy_getinfo", offsetof(curl_api, easy_getinfo)},
		{"curl_easy_cleanup", offsetof(curl_api, easy_cleanup)},
		{"curl_easy_strerror", offsetof(curl_api, easy_strerror)},
	};
	memset(api, 0, sizeof(*api));
	api->handle = hf__dl_open(CURL_SONAME, symbols, sizeof(symbols) / sizeof(symbols[0]), api,
		"URLs cannot be fetched", err);
	return api->handle ? HF_OK : HF_EUNSUPPORTED;
}

typedef struct fetch_state {
	hf_buffer *out;
	size_t max;
	bool too_big;
	bool out_of_memory;
	const hf_fetch_options *opts;
	double last_report;
} fetch_state;

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
	fetch_state *st = ctx;
	size_t n = size * nmemb;
	hf_buffer *b = st->out;
	if (n > st->max - b->len) {
		st->too_big = true;
		return 0;
	}
	if (!HF_RESERVE(b->data, &b->cap, b->len, n, 65536)) {
		st->out_of_memory = true;
		return 0;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return n;
}

/* The body's first line, for error messages (at most 160 bytes). */
static void first_line(const hf_buffer *b, char *line, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < b->len && n + 1 < size; i++) {
		char c = b->data[i];
		if (c == '\n' || c == '\r')
			break;
		line[n++] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	line[n] = '\0';
}

typedef struct progress_ctx {
	fetch_state *st;
	const curl_api *api;
	CURL *curl;
} progress_ctx;

static int on_progress_timed(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
	curl_off_t ultotal, curl_off_t ulnow)
{
	progress_ctx *pc = ctx;
	fetch_state *st = pc->st;
	curl_off_t elapsed_us = 0;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (pc->api->easy_getinfo(pc->curl, CURLINFO_TOTAL_TIME_T, &elapsed_us) != CURLE_OK)
		return 0;
	double elapsed = (double)elapsed_us / 1e6;
	if (elapsed - st->last_report >= 1.0) {
		st->last_report = elapsed;
		st->opts->progress(st->opts->progress_ctx, elapsed, st->opts->seconds);
	}
	return 0;
}

/* GETs the URL `full` (query complete) with libcurl. */
static int fetch_full(hf_buffer *out, const char *full, bool insecure, long timeout, size_t max,
	const hf_fetch_options *opts, hf_error *err)
{
	hf_fetch_options o = *opts;
	curl_api api;
	int rc = curl_open(&api, err);
	if (rc != HF_OK)
		return rc;
	CURL *curl = api.easy_init();
	if (!curl) {
		hf__dl_close(api.handle);
		return hf__oom(err);
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	fetch_state st = {out, max, false, false, &o, 0};
	progress_ctx pc = {&st, &api, curl};
	api.easy_setopt(curl, CURLOPT_URL, full);
	api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	api.easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	api.easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	api.easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
	api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout < 20 ? timeout : 20L);
	api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	api.easy_setopt(curl, CURLOPT_USERAGENT, "heapflame/" HF_VERSION);
	api.easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	api.easy_setopt(curl, CURLOPT_WRITEDATA, &st);
	api.easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	if (insecure) {
		api.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
		api.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o.progress) {
		api.easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress_timed);
		api.easy_setopt(curl, CURLOPT_XFERINFODATA, &pc);
		api.easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	}
	CURLcode cc = api.easy_perform(curl);
	long status = 0;
	api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	api.easy_cleanup(curl);

	rc = HF_OK;
	if (st.out_of_memory) {
		rc = hf__oom(err);
	} else if (st.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		rc = hf__error(err, HF_ELIMIT, "the answer exceeds the limit of %zu bytes", max);
	} else if (cc == CURLE_OPERATION_TIMEDOUT) {
		rc = hf__error(err, HF_EIO, "no complete answer within %ld s (see --timeout)", timeout);
	} else if (cc != CURLE_OK) {
		rc = hf__error(err, HF_EIO, "fetch failed: %s",
			errbuf[0] ? errbuf : api.easy_strerror(cc));
	} else if (status != 200) {
		char line[161];
		first_line(out, line, sizeof(line));
		rc = hf__error(err, HF_EIO, "server answered HTTP %ld%s%s", status,
			line[0] ? ": " : "", line);
	}
	hf__dl_close(api.handle);
	if (rc != HF_OK)
		hf_buffer_dispose(out);
	return rc;
}
#else
static int fetch_full(hf_buffer *out, const char *full, bool insecure, long timeout, size_t max,
	const hf_fetch_options *opts, hf_error *err)
{
	(void)out;
	(void)full;
	(void)insecure;
	(void)timeout;
	(void)max;
	(void)opts;
	return hf__error(err, HF_EUNSUPPORTED,
		"URLs cannot be fetched: heapflame was built without libcurl "
		"(HEAPFLAME_WITH_CURL=OFF); save the profile to a file and give its name");
}
#endif

int hf_fetch(hf_buffer *out, const char *url, const hf_fetch_options *opts, hf_error *err)
{
	hf_fetch_options o = HF_FETCH_OPTIONS_INIT;
	if (opts)
		o = *opts;
	/* pprof's "https+insecure://": https without certificate checks. */
	bool insecure = has_prefix(url, "https+insecure://");
	char *rewritten = NULL;
	if (insecure) {
		size_t len = strlen(url);
		if (!(rewritten = hf__malloc(len)))
			return hf__oom(err);
		memcpy(rewritten, "https://", 8);
		memcpy(rewritten + 8, url + 17, len - 17 + 1);
		url = rewritten;
	}
	if (!has_prefix(url, "http://") && !has_prefix(url, "https://"))
		return hf__error(err, HF_EUNSUPPORTED,
			"only http://, https:// and https+insecure:// URLs can be fetched");
	if (o.seconds < 0 || o.timeout < 0) {
		hf__free(rewritten);
		return hf__error(err, HF_EINVALID, "seconds and timeout must not be negative");
	}
	long timeout = o.timeout;
	if (timeout == 0) {
		/* The server profiles for `seconds` before it answers. */
		long margin = o.seconds / 2 > 15 ? o.seconds / 2 : 15;
		timeout = o.seconds > 0 ? o.seconds + margin : DEFAULT_TIMEOUT;
	}
	size_t max = o.max_size ? o.max_size : DEFAULT_MAX_SIZE;

	char *full = hf_fetch_url(url, o.seconds);
	hf__free(rewritten);
	if (!full)
		return hf__oom(err);
	int rc = fetch_full(out, full, insecure, timeout, max, &o, err);
	hf__free(full);
	return rc;
}
