/*
 * flame_gen DIR: writes the browser test's generated inputs into DIR:
 *   hostile.svg  frames named to break out of XML and script
 *   diff.svg     a differential graph (before/after columns)
 *   big.svg      200,000 distinct stacks (the size budget), with
 *                big.txt giving stacks, frames drawn, omitted, bytes, ms
 * Exits non-zero when the size budget is missed: at most 12 MB of SVG.
 * The time it took is printed, not asserted: bench/run.sh measures speed.
 */
#define _POSIX_C_SOURCE 200809L
#include "flame/flame.h"
#include "stacks/stacks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BIG_STACKS 200000
#define BUDGET_BYTES (12u * 1024u * 1024u)

static int write_file(const char *dir, const char *name, const hf_flame *f, size_t *bytes)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		perror(path);
		return -1;
	}
	hf_writer w = hf_writer_file(fp);
	hf_error err = {0};
	int rc = hf_flame_write_svg(f, &w, &err);
	long size = ftell(fp);
	if (fclose(fp) != 0 || rc != HF_OK) {
		fprintf(stderr, "%s: %s\n", path, err.message);
		return -1;
	}
	if (bytes)
		*bytes = (size_t)size;
	return 0;
}

static uint32_t intern(hf_stacks *s, const char *name)
{
	return hf__intern_get(&s->names, name, strlen(name));
}

static int hostile(const char *dir)
{
	static const char *const names[] = {
		"</script><script>window.pwned=1;alert(1)</script>",
		"<>&\"' ]]> &amp;",
		"line\nbreak\x01\x7f",
		"bad\xff\xfe utf8",
		"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac euro \xf0\x9f\x94\xa5",
		"x\" onmouseover=\"window.pwned=2",
		"<img src=x onerror=\"window.pwned=3\">",
	};
	hf_stacks *s = NULL;
	if (hf__stacks_new(&s, "inuse_space", "bytes", NULL) != HF_OK)
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint32_t fr[3] = {intern(s, "main.main"), intern(s, names[i]), intern(s, "leaf")};
		hf__stacks_add(s, fr, 2 + (i % 2), 1000 * (int64_t)(i + 1), NULL);
	}
	hf_flame *f = NULL;
	hf_flame_options o = HF_FLAME_OPTIONS_INIT;
	o.title = "</script><script>window.pwned=4</script>";
	int rc = hf_flame_layout(&f, s, &o, NULL) == HF_OK ? write_file(dir, "hostile.svg", f, NULL) : -1;
	hf_flame_free(f);
	hf_stacks_free(s);
	return rc;
}

static int diff(const char *dir)
{
	hf_stacks *s = NULL;
	if (hf__stacks_new(&s, "inuse_space", "bytes", NULL) != HF_OK)
		return -1;
	s->has_base = true;
	uint32_t m = intern(s, "main.main");
	uint32_t a[2] = {m, intern(s, "main.grow")}, b[2] = {m, intern(s, "main.shrink")};
	hf__stacks_add_diff(s, a, 2, 3 << 20, 1 << 20, NULL);
	hf__stacks_add_diff(s, b, 2, 1 << 20, 2 << 20, NULL);
	hf_flame *f = NULL;
	int rc = hf_flame_layout(&f, s, NULL, NULL) == HF_OK ? write_file(dir, "diff.svg", f, NULL) : -1;
	hf_flame_free(f);
	hf_stacks_free(s);
	return rc;
}

static uint64_t rng = 88172645463325252ull;
static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static int big(const char *dir)
{
	hf_stacks *s = NULL;
	if (hf__stacks_new(&s, "alloc_space", "bytes", NULL) != HF_OK)
		return -1;
	enum { NFUNCS = 6000 };
	static uint32_t funcs[NFUNCS];
	char name[128];
	for (int i = 0; i < NFUNCS; i++) {
		snprintf(name, sizeof(name), "github.com/acme/pkg%d.(*Type%d).Method%d", i % 97,
			i % 31, i);
		funcs[i] = intern(s, name);
	}
	/* stacks share prefixes like real ones: each frame is drawn from a
	 * small fan-out of its parent's choices */
	uint32_t frames[64];
	while (hf_stacks_count(s) < BIG_STACKS) {
		size_t depth = 4 + next_rand() % 40;
		uint32_t h = 0;
		for (size_t d = 0; d < depth; d++) {
			uint32_t fan = d < 3 ? 3 : d < 8 ? 6 : 40;
			h = h * 2654435761u + 1 + next_rand() % fan;
			frames[d] = funcs[h % NFUNCS];
		}
		int64_t v = 1 + (int64_t)(next_rand() % 100000);
		if (next_rand() % 50 == 0)
			v *= 1000;
		if (hf__stacks_add(s, frames, depth, v, NULL) != HF_OK)
			return -1;
	}
	/* CPU time, reported only: the machine may be busy with other builds */
	clock_t t0 = clock();
	hf_flame *f = NULL;
	size_t bytes = 0;
	int rc = hf_flame_layout(&f, s, NULL, NULL) == HF_OK ? write_file(dir, "big.svg", f, &bytes) : -1;
	double ms = (double)(clock() - t0) * 1e3 / CLOCKS_PER_SEC;
	if (rc == 0) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/big.txt", dir);
		FILE *fp = fopen(path, "w");
		if (fp) {
			fprintf(fp, "stacks %zu\nframes %zu\nomitted %zu\nbytes %zu\nms %.0f\n",
				hf_stacks_count(s), hf_flame_frame_count(f), hf_flame_omitted_count(f),
				bytes, ms);
			fclose(fp);
		}
		printf("big: %zu stacks -> %zu frames drawn, %zu left out, %zu bytes, %.0f ms\n",
			hf_stacks_count(s), hf_flame_frame_count(f), hf_flame_omitted_count(f), bytes, ms);
		if (bytes > BUDGET_BYTES) {
			fprintf(stderr, "big.svg: %zu bytes is over the %u budget\n", bytes, BUDGET_BYTES);
			rc = -1;
		}
	}
	hf_flame_free(f);
	hf_stacks_free(s);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: flame_gen DIR\n");
		return 2;
	}
	if (hostile(argv[1]) != 0 || diff(argv[1]) != 0 || big(argv[1]) != 0)
		return 1;
	return 0;
}
