/*
 * flamegraph.pl's --cp palette map: a file of "name->rgb(r,g,b)" lines
 * read before the layout (names keep the colours they had) and written
 * back sorted after it (hf_flame_save_palette).
 */
#define _POSIX_C_SOURCE 200809L
#include "flame.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_palette(const void *a, const void *b)
{
	return strcmp(((const hf__palette_entry *)a)->name, ((const hf__palette_entry *)b)->name);
}

int hf__flame_palette_add(hf_flame *f, const char *name, size_t len, uint32_t color)
{
	hf__palette_entry *palette = hf__grow(f->palette, &f->palette_cap, f->npalette,
		sizeof(*palette), 256);
	if (!palette)
		return HF_ENOMEM;
	f->palette = palette;
	const char *copy = hf__arena_strndup(&f->arena, name, len);
	if (!copy)
		return HF_ENOMEM;
	f->palette[f->npalette].name = copy;
	f->palette[f->npalette].color = color;
	f->npalette++;
	return HF_OK;
}

/* Reads "name->rgb(r,g,b)" lines; a missing file is an empty map. */
int hf__flame_palette_read(hf_flame *f, const char *path, hf_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return errno == ENOENT ? HF_OK
			: hf__error(err, HF_EIO, "%s: cannot open (%s)", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = HF_OK;
	while (rc == HF_OK && (n = getline(&line, &cap, fp)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *arrow = NULL;
		for (char *p = strstr(line, "->rgb("); p; p = strstr(p + 1, "->rgb("))
			arrow = p; /* the last one: names may contain "->" */
		unsigned r, g, b;
		char tail;
		if (!arrow || sscanf(arrow, "->rgb(%u,%u,%u%c", &r, &g, &b, &tail) != 4 ||
		    tail != ')' || r > 255 || g > 255 || b > 255) {
			if (n > 0)
				rc = hf__error(err, HF_EFORMAT, "%s: expected name->rgb(r,g,b)", path);
			continue;
		}
		if (hf__flame_palette_add(f, line, (size_t)(arrow - line), r << 16 | g << 8 | b) != HF_OK)
			rc = hf__oom(err);
	}
	free(line);
	fclose(fp);
	if (rc == HF_OK) {
		qsort(f->palette, f->npalette, sizeof(*f->palette), cmp_palette);
		f->palette_read = f->npalette;
	}
	return rc;
}

const hf__palette_entry *hf__flame_palette_find(const hf_flame *f, const char *name)
{
	hf__palette_entry key = {name, 0};
	if (f->palette_read == 0)
		return NULL;
	return bsearch(&key, f->palette, f->palette_read, sizeof(key), cmp_palette);
}

int hf_flame_save_palette(const hf_flame *f, hf_error *err)
{
	if (!f || !f->opts.palette_map)
		return HF_OK;
	const char *path = f->opts.palette_map;
	qsort(f->palette, f->npalette, sizeof(*f->palette), cmp_palette);
	size_t n = strlen(path);
	char *tmp = hf__malloc(n + 8);
	if (!tmp)
		return hf__oom(err);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp", 5);
	FILE *fp = fopen(tmp, "wb");
	if (!fp) {
		int rc = hf__error(err, HF_EIO, "%s: cannot write (%s)", tmp, strerror(errno));
		hf__free(tmp);
		return rc;
	}
	for (size_t i = 0; i < f->npalette; i++) {
		uint32_t c = f->palette[i].color;
		if (strchr(f->palette[i].name, '\n'))
			continue; /* one entry per line: such a name cannot be kept */
		fprintf(fp, "%s->rgb(%u,%u,%u)\n", f->palette[i].name, c >> 16, (c >> 8) & 255,
			c & 255);
	}
	int bad = ferror(fp);
	bad |= fclose(fp);
	int rc = HF_OK;
	if (bad || rename(tmp, path) != 0) {
		rc = hf__error(err, HF_EIO, "%s: cannot write", path);
		remove(tmp);
	}
	hf__free(tmp);
	return rc;
}
