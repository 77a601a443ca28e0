/*
 * Where profiles come from: files, standard input, http(s) URLs (also
 * go-torch's -u BASE --suffix PATH), several merged, a -base or
 * -diff_base subtracted, and pprof's filters applied; and --info.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GO_TORCH_SUFFIX "/debug/pprof/profile"
#define GO_TORCH_SECONDS 30

int cli_set_base(cli_options *o, const char *name, const char *value)
{
	if (o->base) {
		cli_error(NULL, "give one of -base and -diff_base, once");
		return -1;
	}
	o->base = value;
	o->diff_base = strcmp(name, "diff_base") == 0;
	return 0;
}

int cli_set_negate(cli_options *o, const char *name, const char *value)
{
	(void)name;
	(void)value;
	o->negate = true;
	return 0;
}

int cli_set_filter(cli_options *o, const char *name, const char *value)
{
	const char **field = !strcmp(name, "focus") ? &o->filter.focus
		: !strcmp(name, "ignore") ? &o->filter.ignore
		: !strcmp(name, "hide") ? &o->filter.hide
		: !strcmp(name, "show") ? &o->filter.show
		: !strcmp(name, "show_from") ? &o->filter.show_from : &o->filter.prune_from;
	*field = value;
	return 0;
}

int cli_set_countname(cli_options *o, const char *name, const char *value)
{
	(void)name;
	if (!*value) {
		cli_error(NULL, "--countname: give a unit name such as bytes");
		return -1;
	}
	o->parse.count_name = value;
	return 0;
}

int cli_set_seconds(cli_options *o, const char *name, const char *value)
{
	char *end;
	long n = strtol(value, &end, 10);
	if (end == value || *end || n <= 0 || n > 86400) {
		cli_error(NULL, "-%s: expected a number of seconds (1..86400), got \"%s\"",
			name, value);
		return -1;
	}
	if (!strcmp(name, "timeout"))
		o->timeout = n;
	else
		o->seconds = n;
	return 0;
}

int cli_set_url(cli_options *o, const char *name, const char *value)
{
	if (!strcmp(name, "suffix"))
		o->suffix = value;
	else
		o->url = value;
	return 0;
}

static bool is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
	       strncmp(s, "https+insecure://", 17) == 0;
}

typedef struct progress_line {
	const char *url;
	bool shown;
} progress_line;

static void show_progress(void *ctx, double elapsed, long seconds)
{
	progress_line *pl = ctx;
	fprintf(stderr, "\rheapflame: %s: profiling, %.0f of %ld s ", pl->url, elapsed, seconds);
	fflush(stderr);
	pl->shown = true;
}

static int load_url(const cli_options *o, const char *url, long seconds, hf_profile **out)
{
	hf_error err = {0};
	hf_buffer body = {0};
	hf_fetch_options fo = HF_FETCH_OPTIONS_INIT;
	progress_line pl = {url, false};
	fo.seconds = seconds;
	fo.timeout = o->timeout;
	if (o->parse.max_decompressed)
		fo.max_size = o->parse.max_decompressed;
	if (seconds > 0 && isatty(STDERR_FILENO)) {
		fo.progress = show_progress;
		fo.progress_ctx = &pl;
	}
	int rc = hf_fetch(&body, url, &fo, &err);
	if (pl.shown)
		fputc('\n', stderr);
	if (rc != HF_OK)
		return cli_fail(url, &err);
	rc = hf_profile_parse(out, body.data, body.len, url, &o->parse, &err);
	hf_buffer_dispose(&body);
	if (rc == HF_EFORMAT) {
		cli_error(url, "the answer is not a profile (%s)", err.message);
		return EXIT_INPUT;
	}
	return rc == HF_OK ? EXIT_OK : cli_fail(url, &err);
}

static int load_one(const cli_options *o, const char *source, long seconds, hf_profile **out)
{
	hf_error err = {0};
	if (is_url(source))
		return load_url(o, source, seconds, out);
	if (hf_profile_parse_file(out, source, &o->parse, &err) != HF_OK)
		return cli_fail(source, &err);
	return EXIT_OK;
}

bool cli_is_url(const char *s)
{
	return is_url(s);
}

int cli_fetch(const cli_options *o, const char *url, hf_buffer *body, hf_error *err)
{
	hf_fetch_options fo = HF_FETCH_OPTIONS_INIT;
	fo.timeout = o->timeout;
	if (o->parse.max_decompressed)
		fo.max_size = o->parse.max_decompressed;
	return hf_fetch(body, url, &fo, err);
}

void cli_warn_unmatched(const cli_options *o, const hf_filter_result *matched)
{
	const struct { const char *name, *re; bool hit; } used[] = {
		{"focus", o->filter.focus, matched->focus},
		{"ignore", o->filter.ignore, matched->ignore},
		{"hide", o->filter.hide, matched->hide},
		{"show", o->filter.show, matched->show},
		{"show_from", o->filter.show_from, matched->show_from},
	};
	for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++)
		if (used[i].re && *used[i].re && !used[i].hit)
			cli_error(NULL, "warning: -%s=%s matched no frames", used[i].name, used[i].re);
}

int cli_load_profile(const cli_options *o, hf_profile **out)
{
	hf_filter_result matched;
	int rc = cli_load_profile_matching(o, out, &matched);
	if (rc == EXIT_OK)
		cli_warn_unmatched(o, &matched);
	return rc;
}

int cli_load_profile_matching(const cli_options *o, hf_profile **out, hf_filter_result *matched)
{
	hf_error err = {0};
	*out = NULL;
	char *go_torch = NULL;
	size_t n = o->nsources + (o->url != NULL);
	if (o->suffix && !o->url) {
		cli_error(NULL, "--suffix goes with -u/--url BASE");
		return EXIT_USAGE;
	}
	if (n == 0) {
		cli_error(NULL, "no profile given (see --help)");
		return EXIT_USAGE;
	}
	size_t stdin_uses = o->base && !strcmp(o->base, "-");
	for (size_t i = 0; i < o->nsources; i++)
		stdin_uses += !strcmp(o->sources[i], "-");
	if (stdin_uses > 1) {
		cli_error(NULL, "standard input (-) can be read only once");
		return EXIT_USAGE;
	}
	/* Sources are loaded one at a time and folded into the merge, each
	 * freed before the next is read: memory holds the merge so far and
	 * one profile, not every source. */
	hf_merger *merger = NULL;
	hf_profile *merged = NULL, *base = NULL;
	int rc = EXIT_OK;
	for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
		const char *name = i < o->nsources ? o->sources[i] : NULL;
		long seconds = o->seconds;
		if (!name) {
			/* go-torch: BASE + suffix, profiling 30 s unless told. */
			const char *suffix = o->suffix ? o->suffix : GO_TORCH_SUFFIX;
			size_t len = strlen(o->url);
			while (len > 0 && o->url[len - 1] == '/' && suffix[0] == '/')
				len--;
			go_torch = malloc(len + strlen(suffix) + 1);
			if (!go_torch) {
				cli_error(NULL, "out of memory");
				rc = EXIT_INPUT;
				break;
			}
			memcpy(go_torch, o->url, len);
			strcpy(go_torch + len, suffix);
			name = go_torch;
			seconds = o->seconds ? o->seconds : GO_TORCH_SECONDS;
			if (!is_url(go_torch)) {
				cli_error(go_torch, "--url needs an http:// or https:// address");
				rc = EXIT_USAGE;
				break;
			}
		}
		hf_profile *one = NULL;
		if ((rc = load_one(o, name, seconds, &one)) != EXIT_OK)
			break;
		if (n == 1) {
			merged = one;
			break;
		}
		if (!merger && hf_merger_new(&merger, &err) != HF_OK) {
			cli_error(NULL, "%s", err.message);
			rc = EXIT_INPUT;
			hf_profile_free(one);
		} else if (hf_merger_add_free(merger, one, &err) != HF_OK) {
			/* freed as it is added: the merge grows as it shrinks */
			cli_error(name, "%s", err.message);
			rc = EXIT_INPUT;
		}
	}
	if (rc == EXIT_OK && merger && hf_merger_finish(merger, &merged, &err) != HF_OK) {
		cli_error(NULL, "%s", err.message);
		rc = EXIT_INPUT;
	}
	hf_merger_free(merger);
	if (rc == EXIT_OK && o->base) {
		/* The sources' profile goes into a merger and is freed before the
		 * base is read, the base before the difference is built: memory
		 * holds one decoded profile besides the difference, not three
		 * (hf_profile_subtract's result). */
		if (hf_merger_new(&merger, &err) != HF_OK) {
			cli_error(o->base, "%s", err.message);
			rc = EXIT_INPUT;
			hf_profile_free(merged);
		} else if (hf_merger_add_free(merger, merged, &err) != HF_OK) {
			cli_error(o->base, "%s", err.message);
			rc = EXIT_INPUT;
		}
		merged = NULL;
		if (rc == EXIT_OK)
			rc = load_one(o, o->base, o->seconds, &base);
		/* The base is freed as it is subtracted (its location indexes
		 * as they are passed): at the end of the subtraction, -base's
		 * peak, the difference is no longer held beside all of it. */
		if (rc == EXIT_OK && hf_merger_subtract_free(merger, base, o->diff_base, &err) != HF_OK) {
			cli_error(o->base, "%s", err.message);
			rc = EXIT_INPUT;
		}
		base = NULL;
		if (rc == EXIT_OK && hf_merger_finish(merger, &merged, &err) != HF_OK) {
			cli_error(o->base, "%s", err.message);
			rc = EXIT_INPUT;
		}
		hf_merger_free(merger);
	}
	if (rc == EXIT_OK) {
		if (hf_profile_filter(merged, &o->filter, matched, &err) != HF_OK) {
			rc = err.code == HF_EINVALID ? EXIT_USAGE : EXIT_INPUT;
			cli_error(NULL, "%s", err.message);
		}
	}
	free(go_torch);
	hf_profile_free(base);
	if (rc != EXIT_OK) {
		hf_profile_free(merged);
		return rc;
	}
	*out = merged;
	return EXIT_OK;
}

/* ---- --info -------------------------------------------------------------- */

static const char *memstat(const hf_profile *p, const char *key)
{
	const char *k, *v;
	for (size_t i = 0; hf_profile_memstat(p, i, &k, &v) == HF_OK; i++)
		if (!strcmp(k, key))
			return v;
	return NULL;
}

static void print_bytes(const char *label, const char *value)
{
	if (!value)
		return;
	double b = strtod(value, NULL);
	const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;
	double v = b;
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	printf("  %-10s %s B", label, value);
	if (u)
		printf(" (%.1f %s)", v, units[u]);
	printf("\n");
}

static void print_duration_ns(double ns)
{
	if (ns >= 1e9)
		printf("%.2f s", ns / 1e9);
	else if (ns >= 1e6)
		printf("%.2f ms", ns / 1e6);
	else if (ns >= 1e3)
		printf("%.1f us", ns / 1e3);
	else
		printf("%.0f ns", ns);
}

/* Go's PauseNs is a ring of the last 256 pauses; zeros are unused slots. */
static void print_pauses(const char *pauses)
{
	if (!pauses)
		return;
	const char *s = strchr(pauses, '[');
	s = s ? s + 1 : pauses;
	double total = 0, max = 0;
	size_t count = 0;
	for (;;) {
		char *end;
		double v = strtod(s, &end);
		if (end == s)
			break;
		if (v > 0) {
			count++;
			total += v;
			if (v > max)
				max = v;
		}
		s = end;
	}
	printf("  %-10s %zu recorded", "GC pauses", count);
	if (count) {
		printf(", total ");
		print_duration_ns(total);
		printf(", mean ");
		print_duration_ns(total / (double)count);
		printf(", max ");
		print_duration_ns(max);
	}
	printf("\n");
}

int cmd_info(const cli_options *o)
{
	hf_profile *p = NULL;
	int rc = cli_load_profile(o, &p);
	if (rc != EXIT_OK)
		return rc;
	size_t def = hf_profile_default_sample_index(p);
	printf("Source: %s", hf_profile_source(p));
	if (o->nsources + (o->url != NULL) > 1)
		printf(" (+%zu merged)", o->nsources + (o->url != NULL) - 1);
	printf("\n");
	if (o->base)
		printf("Base: %s (%s)\n", o->base, o->diff_base ? "-diff_base" : "-base");
	int64_t when, duration;
	hf_profile_time(p, &when, &duration);
	if (when) {
		time_t t = (time_t)(when / 1000000000);
		struct tm tm;
		char buf[64];
		if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm))
			printf("Time: %s\n", buf);
	}
	if (duration) {
		printf("Duration: ");
		print_duration_ns((double)duration);
		printf("\n");
	}
	const char *ptype, *punit;
	int64_t period = hf_profile_period(p, &ptype, &punit);
	if (period || *ptype)
		printf("Period: %" PRId64 " %s/%s\n", period, ptype, punit);
	printf("Samples: %zu\n", hf_profile_sample_count(p));
	printf("Sample types (total):\n");
	for (size_t i = 0; i < hf_profile_sample_type_count(p); i++) {
		const char *type, *unit;
		hf_profile_sample_type(p, i, &type, &unit);
		printf("  %zu %s/%s%s  %" PRId64 "\n", i, type, unit, i == def ? " *" : "",
			hf_profile_total(p, i));
	}
	if (hf_profile_memstat(p, 0, NULL, NULL) == HF_OK) {
		printf("runtime.MemStats:\n");
		print_bytes("HeapAlloc", memstat(p, "HeapAlloc"));
		print_bytes("HeapInuse", memstat(p, "HeapInuse"));
		print_bytes("HeapSys", memstat(p, "HeapSys"));
		print_bytes("Sys", memstat(p, "Sys"));
		print_bytes("TotalAlloc", memstat(p, "TotalAlloc"));
		const char *v;
		if ((v = memstat(p, "HeapObjects")))
			printf("  %-10s %s\n", "HeapObjects", v);
		if ((v = memstat(p, "NumGC")))
			printf("  %-10s %s\n", "NumGC", v);
		print_pauses(memstat(p, "PauseNs"));
	}
	hf_profile_free(p);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_INPUT;
}
