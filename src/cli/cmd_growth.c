/*
 * --growth: the growth report over saved snapshots, or over snapshots
 * collected now from a URL (--every DURATION --count N), each saved as it
 * arrives so an interrupted run keeps everything it fetched.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_COUNT 10
#define DEFAULT_SAVE_DIR "./heapflame-snapshots"

int cli_set_growth(cli_options *o, const char *name, const char *value)
{
	if (!strcmp(name, "growth"))
		o->growth = true;
	else if (!strcmp(name, "every"))
		o->every = value;
	else if (!strcmp(name, "count"))
		o->count = value;
	else if (!strcmp(name, "save-dir"))
		o->save_dir = value;
	else if (!strcmp(name, "ascii"))
		o->ascii = true;
	return 0;
}

/* Go's duration syntax, the common part: "300ms", "30s", "1m30s", "1.5h". */
static int parse_duration(const char *text, double *seconds)
{
	static const struct { const char *unit; double s; } units[] = {
		{"ns", 1e-9}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}};
	const char *p = text;
	double total = 0;
	if (!*p)
		return -1;
	while (*p) {
		char *end;
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return -1;
		double v = strtod(p, &end);
		if (end == p)
			return -1;
		p = end;
		size_t best = 0, best_len = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t len = strlen(units[i].unit);
			if (!strncmp(p, units[i].unit, len) && len > best_len) {
				best = i;
				best_len = len;
			}
		}
		if (!best_len)
			return -1;
		total += v * units[best].s;
		p += best_len;
	}
	if (!(total > 0 && total <= 86400 * 7))
		return -1;
	*seconds = total;
	return 0;
}

static bool wants_html(const cli_options *o)
{
	/* --html (before or after --growth), else -o/--format as for --html. */
	return o->view == VIEW_HTML || cli_wants_html(o);
}

/* ---- collecting --------------------------------------------------------- */

/* Set by SIGINT/SIGTERM while collecting: the loop stops after saving
 * what it has. A signal handler can only talk through a static. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static double now_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t now_nanos(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleeps until the monotonic time `until`, or until a signal stops us. */
static void sleep_until(double until)
{
	while (!interrupted) {
		double left = until - now_monotonic();
		if (left <= 0)
			return;
		struct timespec ts;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL); /* EINTR: the loop looks at the flag */
	}
}

static int make_dirs(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return -1;
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			free(copy);
			return -1;
		}
		*p = '/';
	}
	int rc = mkdir(copy, 0777) != 0 && errno != EEXIST ? -1 : 0;
	free(copy);
	return rc;
}

/* What the server sent: gzip (a .pb.gz as Go serves it), legacy text
 * (?debug=1), or plain protobuf. */
static const char *body_extension(const hf_buffer *b)
{
	const unsigned char *d = (const unsigned char *)b->data;
	if (b->len >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		return "pb.gz";
	size_t check = b->len < 64 ? b->len : 64;
	for (size_t i = 0; i < check; i++)
		if (d[i] < 0x09 || (d[i] > 0x0d && d[i] < 0x20))
			return "pb";
	return "txt";
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Saves a snapshot atomically: written to a temporary file in the same
 * directory, then linked under its final name (never replacing a file:
 * on a clash the sequence number goes up) and the temporary removed. A
 * reader (or an interrupted run) sees complete files only.
 */
static int save_snapshot(const char *dir, const hf_buffer *body, const hf_profile *p,
	int64_t when, unsigned *seq, char **saved)
{
	size_t dlen = strlen(dir);
	char *tmp = malloc(dlen + 32);
	if (!tmp) {
		cli_error(dir, "out of memory");
		return -1;
	}
	snprintf(tmp, dlen + 32, "%s/.heapflame.tmp.XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		cli_error(dir, "cannot create a file (%s)", strerror(errno));
		free(tmp);
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if (write_all(fd, body->data, body->len) != 0 || fsync(fd) != 0) {
		cli_error(tmp, "write failed (%s)", strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	close(fd);
	int rc = -1;
	for (int tries = 0; tries < 1000; tries++, (*seq)++) {
		char *name = hf_series_snapshot_name(p, when, *seq, body_extension(body));
		char *path = name ? malloc(dlen + strlen(name) + 2) : NULL;
		if (!path) {
			hf_string_free(name);
			cli_error(dir, "out of memory");
			break;
		}
		sprintf(path, "%s/%s", dir, name);
		hf_string_free(name);
		if (link(tmp, path) == 0) {
			rc = 0;
		} else if (errno == EEXIST) {
			free(path);
			continue;
		} else if (rename(tmp, path) == 0) {
			/* no hard links here (some file systems): rename instead */
			free(tmp);
			tmp = NULL;
			rc = 0;
		} else {
			cli_error(path, "cannot save (%s)", strerror(errno));
		}
		if (rc == 0) {
			*saved = path;
			(*seq)++;
		} else {
			free(path);
		}
		break;
	}
	if (tmp)
		unlink(tmp);
	free(tmp);
	return rc;
}

typedef struct collector {
	const cli_options *o;
	const char *url;
	const char *dir;
	double every;
	long count;
	bool tty;
	bool line_shown;
} collector;

static void end_progress(collector *c)
{
	if (c->line_shown) {
		fputc('\n', stderr);
		c->line_shown = false;
	}
}

/* One attempt: fetch, parse, save, add. 1: fetched and kept; 0: the fetch
 * failed (retry at the next tick); else an exit status. */
static int collect_one(collector *c, hf_series *series, unsigned *seq, long got)
{
	hf_error err = {0};
	hf_buffer body = {0};
	int64_t fetched_at = now_nanos();
	if (cli_fetch(c->o, c->url, &body, &err) != HF_OK) {
		hf_buffer_dispose(&body);
		end_progress(c);
		cli_error(c->url, "%s (snapshot %ld of %ld: retrying at the next tick)",
			err.message[0] ? err.message : hf_strerror(err.code), got + 1, c->count);
		return 0;
	}
	hf_profile *p = NULL;
	if (hf_profile_parse(&p, body.data, body.len, c->url, &c->o->parse, &err) != HF_OK) {
		hf_buffer_dispose(&body);
		end_progress(c);
		cli_error(c->url, "the answer is not a profile (%s)", err.message);
		return EXIT_INPUT;
	}
	int rc = 1;
	char *saved = NULL;
	/* Legacy text has no time of its own: the fetch time orders it. */
	int64_t when, duration;
	hf_profile_time(p, &when, &duration);
	if (!when)
		when = fetched_at;
	if (save_snapshot(c->dir, &body, p, when, seq, &saved) != 0) {
		rc = EXIT_INPUT;
	} else if (hf_series_add(series, p, when, &err) != HF_OK) {
		end_progress(c);
		cli_error(saved, "%s", err.message);
		rc = EXIT_INPUT;
	} else if (c->tty) {
		const char *base = strrchr(saved, '/');
		fprintf(stderr, "\rheapflame: %s: snapshot %ld of %ld saved (%s) ", c->url, got + 1,
			c->count, base ? base + 1 : saved);
		fflush(stderr);
		c->line_shown = true;
	}
	free(saved);
	hf_profile_free(p);
	hf_buffer_dispose(&body);
	return rc;
}

static int collect(const cli_options *o, hf_series *series)
{
	collector c = {o, o->sources[0], o->save_dir ? o->save_dir : DEFAULT_SAVE_DIR, 0,
		DEFAULT_COUNT, isatty(STDERR_FILENO) != 0, false};
	if (!o->every) {
		cli_error(NULL, "--count goes with --every DURATION and a URL");
		return EXIT_USAGE;
	}
	if (parse_duration(o->every, &c.every) != 0) {
		cli_error(NULL, "--every: expected a duration such as 30s, 500ms or 1m, got \"%s\"",
			o->every);
		return EXIT_USAGE;
	}
	if (o->count) {
		char *end;
		errno = 0;
		c.count = strtol(o->count, &end, 10);
		if (end == o->count || *end || errno || c.count < 2 || c.count > 100000) {
			cli_error(NULL, "--count: expected a number of snapshots (2..100000), got \"%s\"",
				o->count);
			return EXIT_USAGE;
		}
	}
	if (o->nsources != 1 || !cli_is_url(o->sources[0])) {
		cli_error(NULL, "--every collects from one http(s) URL, e.g. "
			"http://127.0.0.1:6060/debug/pprof/heap");
		return EXIT_USAGE;
	}
	if (make_dirs(c.dir) != 0) {
		cli_error(c.dir, "cannot create the directory (%s)", strerror(errno));
		return EXIT_INPUT;
	}
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	/* A failed fetch is retried at the next tick; this many failures in
	 * all end the collection. */
	long max_failures = c.count < 3 ? 3 : c.count;
	long got = 0, failed = 0;
	unsigned seq = 1;
	int rc = EXIT_OK;
	double start = now_monotonic();
	for (long tick = 0; got < c.count && failed < max_failures && !interrupted; tick++) {
		sleep_until(start + (double)tick * c.every);
		if (interrupted)
			break;
		int r = collect_one(&c, series, &seq, got);
		if (r == 1)
			got++;
		else if (r == 0)
			failed++;
		else {
			rc = r;
			break;
		}
		/* Behind (a slow fetch): skip the ticks already past. */
		double next = floor((now_monotonic() - start) / c.every) + 1;
		if (next > (double)tick + 1)
			tick = (long)next - 1;
	}
	end_progress(&c);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rc != EXIT_OK)
		return rc;
	if (interrupted) {
		cli_error(c.url, "interrupted: %ld of %ld snapshots saved in %s", got, c.count, c.dir);
		return 130;
	}
	if (got < c.count) {
		cli_error(c.url, "%ld of %ld snapshots fetched, %ld fetches failed: giving up "
			"(the %ld saved are in %s)", got, c.count, failed, got, c.dir);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* ---- saved snapshots ------------------------------------------------------ */

static int load_saved(const cli_options *o, hf_series *series)
{
	if (o->nsources < 2) {
		cli_error(NULL, "--growth needs two or more snapshots (or --every and --count with a URL)");
		return EXIT_USAGE;
	}
	/* One source at a time through the usual loader (files, URLs,
	 * filters), each freed once its functions are folded in. */
	cli_options one = *o;
	one.nsources = 1;
	one.base = NULL;
	one.url = NULL;
	/* A filter is said to match nothing once, if it matched in no snapshot. */
	hf_filter_result anywhere = {0};
	for (size_t i = 0; i < o->nsources; i++) {
		hf_profile *p = NULL;
		hf_error err = {0};
		hf_filter_result matched;
		one.sources = &o->sources[i];
		int rc = cli_load_profile_matching(&one, &p, &matched);
		if (rc != EXIT_OK)
			return rc;
		anywhere.focus |= matched.focus;
		anywhere.ignore |= matched.ignore;
		anywhere.hide |= matched.hide;
		anywhere.show |= matched.show;
		anywhere.show_from |= matched.show_from;
		rc = hf_series_add(series, p, 0, &err);
		hf_profile_free(p);
		if (rc != HF_OK) {
			cli_error(o->sources[i], "%s", err.message);
			return EXIT_INPUT;
		}
	}
	cli_warn_unmatched(o, &anywhere);
	return EXIT_OK;
}

/* ---- the report ------------------------------------------------------------ */

struct report {
	const hf_series *series;
	hf_series_report_options opts;
	bool html;
};

static int write_report(void *ctx, hf_writer *w, hf_error *err)
{
	const struct report *r = ctx;
	if (r->html)
		return hf_series_write_html(r->series, &r->opts, w, err);
	return hf_series_write_text(r->series, &r->opts, w, err);
}

int cmd_growth(const cli_options *o)
{
	if (o->base || o->url) {
		cli_error(NULL, "--growth compares its snapshots with each other: no -base or --url");
		return EXIT_USAGE;
	}
	struct report r;
	hf_series_report_options ro = HF_SERIES_REPORT_OPTIONS_INIT;
	ro.cum = o->cum;
	ro.ascii = o->ascii;
	if (o->nodecount && cli_parse_nodecount(o->nodecount, &ro.nodecount))
		return EXIT_USAGE;
	r.opts = ro;
	r.html = wants_html(o);
	if (o->format && strcmp(o->format, "html") && strcmp(o->format, "text") &&
	    strcmp(o->format, "txt")) {
		cli_error(NULL, "--growth writes text or html, not \"%s\"", o->format);
		return EXIT_USAGE;
	}
	hf_series_options so = HF_SERIES_OPTIONS_INIT;
	so.sample_type = o->sample_index;
	so.granularity = o->granularity;
	so.keep_stacks = r.html;
	hf_series *series = NULL;
	hf_error err = {0};
	if (hf_series_new(&series, &so, &err) != HF_OK)
		return cli_fail(NULL, &err);
	int rc = o->every || o->count ? collect(o, series) : load_saved(o, series);
	if (rc == EXIT_OK && hf_series_finish(series, &err) != HF_OK) {
		cli_error(NULL, "%s", err.message);
		rc = EXIT_INPUT;
	}
	if (rc == EXIT_OK) {
		r.series = series;
		rc = cli_write_output(o, NULL, write_report, &r);
	}
	hf_series_free(series);
	return rc;
}
