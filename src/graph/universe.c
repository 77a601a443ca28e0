/*
 * The node universe: every NodeInfo (pprof's node key: name, file,
 * object, line, address as the granularity keeps them) the profile can
 * produce, each location's nodes, and each sample's labels as tag kinds,
 * all found once before any graph is built.
 */
#include "build.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hf__graph_universe_dispose(universe *u)
{
	hf__intern_dispose(&u->keys);
	hf__intern_dispose(&u->strings);
	hf__arena_dispose(&u->scratch);
	hf__free(u->key);
	hf__free(u->infos);
	hf__free(u->loc_start);
	hf__free(u->loc_nodes);
	hf__free(u->fn_info);
	hf__free(u->sample_tag_start);
	hf__free(u->tag_kind);
	hf__free(u->tag_value);
	hf__graph_map_dispose(&u->kinds);
	hf__free(u->kind_group);
	hf__free(u->kind_name);
}

const char *hf__graph_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* The file name as pprof shows it (filepath.Clean), in the arena. */
static char *clean_path(hf__arena *arena, const char *path)
{
	size_t len = strlen(path);
	char *out = hf__arena_alloc(arena, len + 2);
	if (out)
		hf__path_clean(out, path, len);
	return out;
}

static uint32_t info_intern(universe *u, const char *name, size_t nlen, const char *file,
	size_t flen, const char *objfile, size_t olen, const char *num, size_t numlen,
	int64_t lineno, int64_t start_line, uint64_t address);

/* Finds or adds the info for one Line of a location (NULL line: none). */
static uint32_t info_for(universe *u, const hf__location *loc, const hf__line *line)
{
	const char *objfile = loc->mapping && loc->mapping->filename ? loc->mapping->filename : "";
	const char *name = "", *file = "";
	int64_t lineno = 0, start_line = 0;
	uint32_t *cached = NULL;
	hf_granularity gran = u->granularity;
	/* pprof's Aggregate: what each granularity keeps of a location. */
	bool keep_name = gran != HF_GRANULARITY_FILES;
	bool keep_file = gran != HF_GRANULARITY_FUNCTIONS;
	bool keep_line = gran == HF_GRANULARITY_LINES || gran == HF_GRANULARITY_ADDRESSES;
	uint64_t address = gran == HF_GRANULARITY_ADDRESSES ? loc->address : 0;
	if (line && line->function && (gran == HF_GRANULARITY_FUNCTIONS ||
		gran == HF_GRANULARITY_FILEFUNCTIONS)) {
		/* A named function's node is its name (and file) alone: looked
		 * up once. */
		cached = &u->fn_info[line->function - u->p->functions];
		if (*cached != HF_NONE)
			return *cached;
	}
	if (line && line->function) {
		name = keep_name ? hf__measure_function_name(&u->scratch, u->p, line->function) : "";
		if (!name)
			return HF_NONE;
		if (!name[0])
			cached = NULL;
		if (keep_line)
			lineno = line->line;
		if (keep_file)
			file = line->function->filename ? line->function->filename : "";
		if (name[0])
			objfile = "";
		else
			start_line = line->function->start_line;
	}
	size_t nlen = strlen(name), flen = strlen(file), olen = strlen(objfile);
	char num[80];
	int numlen = snprintf(num, sizeof(num), "%" PRId64 ":%" PRId64 ":%" PRIu64, lineno,
		start_line, address);
	uint32_t id = info_intern(u, name, nlen, file, flen, objfile, olen, num, (size_t)numlen,
		lineno, start_line, address);
	if (cached && id != HF_NONE)
		*cached = id;
	return id;
}

/* PrintableName: the address, the name, then file:line / file /
 * [objfile] / <unknown>. Most nodes (function granularity) are their name
 * alone: they share its copy, and the rest take exactly their length (a
 * graph of many functions holds one per function until it is freed). */
static const char *printable_name(hf__arena *arena, const hf__ginfo *info, size_t nlen,
	size_t olen)
{
	if (info->address == 0 && info->lineno == 0 && !info->file[0] && nlen)
		return info->name;
	const char *obj_base = hf__graph_base_name(info->objfile);
	const char *sep = nlen ? " " : "";
	char addr[20] = "";
	if (info->address != 0)
		snprintf(addr, sizeof(addr), "%016" PRIx64 " ", info->address);
	char *printable = NULL;
	size_t size = 0;
	/* Twice: the length, then the text in exactly that much. */
	for (int pass = 0; pass < 2; pass++) {
		int n;
		if (info->lineno != 0)
			n = snprintf(printable, size, "%s%s%s%s:%" PRId64, addr, info->name, sep,
				info->file, info->lineno);
		else if (info->file[0])
			n = snprintf(printable, size, "%s%s%s%s", addr, info->name, sep, info->file);
		else if (nlen)
			n = snprintf(printable, size, "%s%s", addr, info->name);
		else if (olen)
			n = snprintf(printable, size, "%s[%s]", addr, obj_base);
		else
			n = snprintf(printable, size, "%s<unknown>", addr);
		if (n < 0)
			return NULL;
		if (pass == 0) {
			size = (size_t)n + 1;
			if (!(printable = hf__arena_alloc(arena, size)))
				return NULL;
		}
	}
	return printable;
}

/* The info for one key, added with its strings when new. */
static uint32_t info_intern(universe *u, const char *name, size_t nlen, const char *file,
	size_t flen, const char *objfile, size_t olen, const char *num, size_t numlen,
	int64_t lineno, int64_t start_line, uint64_t address)
{
	size_t klen = nlen + flen + olen + numlen + 3;
	/* Built in one reused buffer: only a new key is copied (by the
	 * intern, into the graph's arena). */
	char *key = hf__reserve(u->key, &u->key_cap, 0, klen, 1, 256);
	if (!key)
		return HF_NONE;
	u->key = key;
	char *k = key;
	memcpy(k, name, nlen + 1);
	k += nlen + 1;
	memcpy(k, file, flen + 1);
	k += flen + 1;
	memcpy(k, objfile, olen + 1);
	k += olen + 1;
	memcpy(k, num, numlen);
	uint32_t id = hf__intern_get(&u->keys, key, klen);
	if (id == HF_NONE || id < u->ninfos)
		return id;
	hf__ginfo *infos = hf__grow(u->infos, &u->cap, u->ninfos, sizeof(*infos), 256);
	if (!infos)
		return HF_NONE;
	u->infos = infos;
	hf__ginfo *info = &u->infos[u->ninfos++];
	/* The name and object file are the key copy's first and third
	 * parts, each ending in its NUL: no copies of their own (the many-
	 * functions profile's universe made 2 MB of them at its peak). */
	const char *copy = u->keys.names[id];
	info->name = copy;
	info->file = flen ? clean_path(u->arena, file) : "";
	info->objfile = copy + nlen + 1 + flen + 1;
	info->lineno = lineno;
	info->start_line = start_line;
	info->address = address;
	if (!info->name || !info->file || !info->objfile)
		return HF_NONE;
	info->printable = printable_name(u->arena, info, nlen, olen);
	return info->printable ? id : HF_NONE;
}

static int cmp_label_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The kind id of (group, name) tags; name HF_NONE for the label group. */
static uint32_t kind_id(universe *u, uint32_t group, uint32_t name)
{
	bool added;
	uint32_t k = hf__graph_map_get_or_add(&u->kinds, (uint64_t)group << 32 | name, (uint32_t)u->nkinds,
		&added);
	if (k == HF_NONE || !added)
		return k;
	if (u->nkinds == u->kinds_cap) {
		const hf__column columns[] = {HF_COLUMN(u->kind_group), HF_COLUMN(u->kind_name)};
		if (hf__grow_columns(columns, 2, &u->kinds_cap, u->nkinds, 64) != 0)
			return HF_NONE;
	}
	u->kind_group[k] = group;
	u->kind_name[k] = name;
	u->nkinds++;
	return k;
}

/* Per sample: the joined string labels (pprof's joinLabels) and the
 * formatted "bytes" numeric labels, as tag kinds. Text reports show no
 * tags, so they skip all of it (visual false). */
static int prepare_samples(universe *u, bool visual)
{
	const hf_profile *p = u->p;
	size_t ntags = 0;
	if (visual)
		for (size_t s = 0; s < p->nsamples; s++)
			for (size_t l = 0; l < p->samples[s].nlabels; l++)
				ntags += !p->samples[s].labels[l].str ||
					strcmp(p->samples[s].labels[l].key, "pprof::base") != 0;
	if (hf__intern_get(&u->strings, "", 0) != 0)
		return hf__oom(u->err);
	if (!visual)
		return HF_OK;
	u->sample_tag_start = hf__calloc(p->nsamples + 1, sizeof(uint32_t));
	u->tag_kind = hf__malloc(hf__mul(ntags + 1, sizeof(uint32_t)));
	u->tag_value = hf__malloc(hf__mul(ntags + 1, sizeof(int64_t)));
	if (!u->sample_tag_start || !u->tag_kind || !u->tag_value)
		return hf__oom(u->err);
	u->bytes_unit = hf__measure_num_label_unit(p, "bytes");
	u64map labels = {0}; /* "bytes" value -> its formatted label's id */
	int rc = HF_OK;
	uint32_t nt = 0;
	for (size_t s = 0; s < p->nsamples && rc == HF_OK; s++) {
		const hf__sample *smp = &p->samples[s];
		u->sample_tag_start[s] = nt;
		size_t nstr = 0, total_len = 0;
		for (size_t l = 0; l < smp->nlabels; l++) {
			const hf__label *lb = &smp->labels[l];
			if (lb->str && !strcmp(lb->key, "pprof::base")) {
				continue; /* pprof removes the diff-base marker first */
			} else if (lb->str) {
				nstr++;
				total_len += strlen(lb->key) + strlen(lb->str) + 3;
			}
		}
		uint32_t group = 0;
		if (nstr > 0) {
			const char **parts = hf__arena_alloc(&u->scratch, nstr * sizeof(*parts));
			char *joined = hf__arena_alloc(&u->scratch, total_len + 1);
			if (!parts || !joined) {
				rc = hf__oom(u->err);
				break;
			}
			size_t k = 0;
			for (size_t l = 0; l < smp->nlabels && rc == HF_OK; l++) {
				const hf__label *lb = &smp->labels[l];
				if (!lb->str || !strcmp(lb->key, "pprof::base"))
					continue;
				size_t klen = strlen(lb->key), vlen = strlen(lb->str);
				char *part = hf__arena_alloc(&u->scratch, klen + vlen + 2);
				if (!part) {
					rc = hf__oom(u->err);
					break;
				}
				memcpy(part, lb->key, klen);
				part[klen] = ':';
				memcpy(part + klen + 1, lb->str, vlen + 1);
				parts[k++] = part;
			}
			if (rc != HF_OK)
				break;
			qsort(parts, nstr, sizeof(*parts), cmp_label_strings);
			size_t w = 0;
			for (size_t i = 0; i < nstr; i++) {
				/* NUL between parts: the group stays raw and its parts
				 * found again (pprof joins with a literal \n, which
				 * the DOT writer puts between the escaped parts). */
				if (i)
					joined[w++] = '\0';
				size_t n = strlen(parts[i]);
				memcpy(joined + w, parts[i], n);
				w += n;
			}
			group = hf__intern_get(&u->strings, joined, w);
			uint32_t kind = group == HF_NONE ? HF_NONE : kind_id(u, group, HF_NONE);
			if (kind == HF_NONE) {
				rc = hf__oom(u->err);
				break;
			}
			u->tag_kind[nt] = kind;
			u->tag_value[nt++] = 0;
		}
		for (size_t l = 0; l < smp->nlabels; l++) {
			const hf__label *lb = &smp->labels[l];
			if (lb->str || strcmp(lb->key, "bytes") != 0 ||
				(lb->num == 0 && !(lb->num_unit && lb->num_unit[0])))
				continue;
			/* Few distinct sizes: each is formatted once. */
			bool added;
			uint32_t name = hf__graph_map_get_or_add(&labels, (uint64_t)lb->num, 0, &added);
			if (name != HF_NONE && added) {
				char label[HF_LABEL_MAX];
				hf__measure_scaled_label(label, lb->num, u->bytes_unit, "minimum");
				name = hf__intern_get(&u->strings, label, strlen(label));
				if (name != HF_NONE)
					labels.vals[hf__graph_map_slot(&labels, (uint64_t)lb->num)] = name;
			}
			uint32_t kind = name == HF_NONE ? HF_NONE : kind_id(u, group, name);
			if (kind == HF_NONE) {
				rc = hf__oom(u->err);
				break;
			}
			u->tag_kind[nt] = kind;
			u->tag_value[nt++] = lb->num;
		}
	}
	u->sample_tag_start[p->nsamples] = nt;
	hf__graph_map_dispose(&labels);
	return rc;
}

int hf__graph_universe_init(universe *u, const hf_profile *p, hf__arena *arena, size_t sample_index,
	hf_granularity granularity, bool visual, hf_error *err)
{
	memset(u, 0, sizeof(*u));
	u->p = p;
	u->arena = arena;
	u->sample_index = sample_index;
	u->granularity = granularity;
	u->err = err;
	/* The keys' copies live in the graph's arena: the infos' names and
	 * object files point into them. */
	hf__intern_init(&u->keys, arena);
	hf__intern_init(&u->strings, arena);
	size_t total = 0;
	for (size_t i = 0; i < p->nlocations; i++)
		total += p->locations[i].nlines ? p->locations[i].nlines : 1;
	if (total >= HF_NONE)
		return hf__error(err, HF_ELIMIT, "too many frames");
	u->loc_start = hf__malloc(hf__mul(p->nlocations + 1, sizeof(uint32_t)));
	u->loc_nodes = hf__malloc(hf__mul(total + 1, sizeof(uint32_t)));
	u->fn_info = hf__malloc(hf__mul(p->nfunctions + 1, sizeof(uint32_t)));
	if (!u->loc_start || !u->loc_nodes || !u->fn_info)
		return hf__oom(err);
	memset(u->fn_info, 0xff, (p->nfunctions + 1) * sizeof(uint32_t));
	uint32_t n = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const hf__location *loc = &p->locations[i];
		u->loc_start[i] = n;
		if (loc->nlines == 0) {
			if ((u->loc_nodes[n++] = info_for(u, loc, NULL)) == HF_NONE)
				return hf__oom(err);
		}
		for (size_t l = 0; l < loc->nlines; l++)
			if ((u->loc_nodes[n++] = info_for(u, loc, &loc->lines[l])) == HF_NONE)
				return hf__oom(err);
	}
	u->loc_start[p->nlocations] = n;
	int rc = prepare_samples(u, visual);
	/* The keys and the scratch text are for finding infos and label
	 * groups: done with here, so they are not held while graphs are
	 * built from the samples. */
	hf__intern_dispose(&u->keys);
	hf__arena_dispose(&u->scratch);
	hf__free(u->key);
	u->key = NULL;
	u->key_cap = 0;
	return rc;
}
