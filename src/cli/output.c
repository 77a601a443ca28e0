#define _GNU_SOURCE /* renameat2's RENAME_EXCHANGE (glibc 2.28) */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/magic.h>
#include <sys/vfs.h>
#endif

/*
 * A large output is written into blocks reserved ahead of it
 * (fallocate(FALLOC_FL_KEEP_SIZE), so the file's size stays what was
 * written): ext4 then maps each written page to a reserved extent instead
 * of reserving a delayed-allocation block per page as it is copied into
 * the page cache. Measured on ext4 (bench/README.md, issue 14's eleventh
 * session): a 2.4 GB file written in 128 KiB calls 0.78-1.39 -> 0.59-0.64 s
 * of system time, 600 MB 0.21 -> 0.16 s, 45 MB 16 -> 13 ms. Only on ext4:
 * on tmpfs fallocate zeroes the pages before they are written (600 MB
 * 0.40 -> 0.47 s), elsewhere it is not measured. The reservation starts
 * at RESERVE_FROM bytes and runs ahead by what was written so far (to a
 * whole MiB), at most RESERVE_AHEAD_MAX: a small output reserves nothing
 * and a large one holds at most 64 MiB of disk beyond its end until it is
 * closed. It allocates blocks without writing them: no wait on the disk.
 */
#define RESERVE_FROM (1LL << 20)
#define RESERVE_AHEAD_MAX (64LL << 20)

/* Whether FD's file system is one where reserving blocks ahead pays. */
static bool reserve_pays(int fd)
{
#if defined(__linux__) && defined(FALLOC_FL_KEEP_SIZE)
	struct statfs fs;
	return fd >= 0 && fstatfs(fd, &fs) == 0 && fs.f_type == EXT4_SUPER_MAGIC;
#else
	(void)fd;
	return false;
#endif
}

/* Reserves the next blocks once the writes come within RESERVE_FROM of
 * the reserved end (so the reservations double up to 64 MiB each). A
 * failure (a full disk, a file size limit) stops the reservation: the
 * writes then meet the error themselves, or fit without it. */
static void reserve_ahead(cli_output *out)
{
#if defined(__linux__) && defined(FALLOC_FL_KEEP_SIZE)
	long long ahead = out->written < RESERVE_AHEAD_MAX ? out->written : RESERVE_AHEAD_MAX;
	if (out->written < RESERVE_FROM || out->written + RESERVE_FROM <= out->reserved)
		return;
	long long from = out->reserved > out->written ? out->reserved : out->written;
	long long to = (out->written + ahead + RESERVE_FROM - 1) / RESERVE_FROM * RESERVE_FROM;
	if (fallocate(fileno(out->fp), FALLOC_FL_KEEP_SIZE, (off_t)from, (off_t)(to - from)) != 0) {
		out->reserve = false;
		return;
	}
	out->reserved = to;
#else
	out->reserve = false;
#endif
}

/*
 * The file a path names once its symbolic links are followed, even when
 * the last one dangles (a shell's "> link" creates the link's target):
 * the temporary file must be renamed over the target, not over the link,
 * which would replace the link with a file. Returns a malloc'd path or
 * NULL with errno set (ENOMEM, or ELOOP for a loop of links).
 */
static char *follow_links(const char *path)
{
	char *current = strdup(path);
	for (int hops = 0; current && hops < 40; hops++) {
		struct stat st;
		if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode))
			return current;
		char *link = malloc((size_t)st.st_size + 1);
		ssize_t n = link ? readlink(current, link, (size_t)st.st_size + 1) : -1;
		if (n < 0 || n > st.st_size) {
			int error = !link ? ENOMEM : n < 0 ? errno : EIO;
			free(link);
			free(current);
			errno = error;
			return NULL;
		}
		link[n] = '\0';
		const char *slash = strrchr(current, '/');
		size_t dir_len = link[0] == '/' || !slash ? 0 : (size_t)(slash - current) + 1;
		char *next = malloc(dir_len + (size_t)n + 1);
		if (next) {
			memcpy(next, current, dir_len);
			memcpy(next + dir_len, link, (size_t)n + 1);
		}
		free(link);
		free(current);
		current = next;
	}
	errno = current ? ELOOP : ENOMEM;
	free(current);
	return NULL;
}

/*
 * Output goes to a temporary file first: a failure at any stage then leaves
 * no half-written file behind (and nothing on stdout).
 */
int cli_output_open(cli_output *out, const char *path)
{
	memset(out, 0, sizeof(*out));
	if (!path || strcmp(path, "-") == 0) {
		out->fp = tmpfile();
		if (!out->fp) {
			cli_error("stdout", "cannot create a temporary file (%s)", strerror(errno));
			return -1;
		}
		out->reserve = reserve_pays(fileno(out->fp));
		return 0;
	}
	out->path = path;
	/* A device, FIFO or socket (-o /dev/null, -o /dev/stderr) is written
	 * in place: renaming the temporary file over it would replace it with
	 * a regular file (run as root, /dev/null itself). */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		if (!(out->fp = fopen(path, "wb"))) {
			cli_error(path, "cannot create (%s)", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!(out->target = follow_links(path))) {
		cli_error(path, "cannot create (%s)", strerror(errno));
		return -1;
	}
	size_t n = strlen(out->target);
	if (!(out->tmp_path = malloc(n + 16))) {
		free(out->target);
		out->target = NULL;
		cli_error(path, "out of memory");
		return -1;
	}
	memcpy(out->tmp_path, out->target, n);
	memcpy(out->tmp_path + n, ".tmp.XXXXXX", 12);
	int fd = mkstemp(out->tmp_path);
	if (fd < 0 || !(out->fp = fdopen(fd, "wb"))) {
		cli_error(path, "cannot create (%s)", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(out->tmp_path);
		}
		free(out->tmp_path);
		out->tmp_path = NULL;
		free(out->target);
		out->target = NULL;
		return -1;
	}
	/* mkstemp makes 0600; give the file the mode a plain create would. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	out->reserve = reserve_pays(fd);
	return 0;
}

/*
 * Puts the finished temporary file in the target's place. An existing
 * regular file is exchanged with it (one atomic step, as a rename) and
 * then unlinked under the temporary name. A rename over an existing file
 * makes ext4 start writing the new file's data back at once (its
 * auto_da_alloc, for programs that replace a file without fsync): the
 * rename then cost the process 1.8 % of --folded's CPU on synthetic-large
 * (44.8 MB), and a -o FILE rewritten in a loop was written to disk every
 * time. Where the exchange is not supported, a plain rename.
 */
static int replace_target(const char *tmp, const char *target)
{
#ifdef RENAME_EXCHANGE
	struct stat st;
	if (lstat(target, &st) == 0 && S_ISREG(st.st_mode) &&
	    renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
		/* The old file, now under the temporary name. */
		(void)unlink(tmp);
		return 0;
	}
#endif
	return rename(tmp, target);
}

static int copy_to_stdout(FILE *fp)
{
	char buf[1 << 16];
	size_t n;
	rewind(fp);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return -1;
	if (ferror(fp) || fflush(stdout) != 0)
		return -1;
	return 0;
}

int cli_output_close(cli_output *out, bool ok)
{
	int rc = 0;
	if (!out->fp)
		return -1;
	if (ok && fflush(out->fp) != 0) {
		cli_error(out->path ? out->path : "stdout", "write failed (%s)", strerror(errno));
		ok = false;
		rc = -1;
	}
	if (!out->path) {
		if (ok && copy_to_stdout(out->fp) != 0) {
			cli_error("stdout", "write failed (%s)", strerror(errno));
			rc = -1;
		}
		fclose(out->fp);
		out->fp = NULL;
		return ok ? rc : -1;
	}
	/* The blocks reserved past the end go back (a truncation to the same
	 * size frees them). A failure is left alone: the file's content and
	 * size are right either way, only the blocks stay with it. */
	if (ok && out->reserved > out->written && ftruncate(fileno(out->fp), (off_t)out->written) != 0)
		out->reserved = 0;
	if (fclose(out->fp) != 0 && ok) {
		cli_error(out->path, "write failed (%s)", strerror(errno));
		ok = false;
		rc = -1;
	}
	out->fp = NULL;
	if (ok && out->tmp_path && replace_target(out->tmp_path, out->target) != 0) {
		cli_error(out->path, "cannot write (%s)", strerror(errno));
		rc = -1;
		ok = false;
	}
	if (!ok && out->tmp_path)
		unlink(out->tmp_path);
	free(out->tmp_path);
	out->tmp_path = NULL;
	free(out->target);
	out->target = NULL;
	return ok ? rc : -1;
}

static int output_write(void *ctx, const void *buf, size_t len)
{
	cli_output *out = ctx;
	if (fwrite(buf, 1, len, out->fp) != len)
		return -1;
	out->written += (long long)len;
	if (out->reserve)
		reserve_ahead(out);
	return 0;
}

int cli_write_output(const cli_options *o, const char *source, cli_write_fn write, void *ctx)
{
	cli_output out;
	if (cli_output_open(&out, o->output) != 0)
		return EXIT_INPUT;
	hf_writer w = {output_write, &out};
	hf_error err = {0};
	int rc = EXIT_OK;
	if (write(ctx, &w, &err) != HF_OK) {
		const char *output = o->output ? o->output : "stdout";
		rc = cli_fail(err.code == HF_EIO || !source ? output : source, &err);
	}
	if (cli_output_close(&out, rc == EXIT_OK) != 0 && rc == EXIT_OK)
		rc = EXIT_INPUT;
	return rc;
}
