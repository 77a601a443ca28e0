/* pprof's -traces: each sample's stack, leaf first, with its labels. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char separator[] = "-----------+-------------------------------------------------------\n";

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A frame's name as the traces show it: PrintableName of what pprof's
 * Aggregate keeps at the granularity (the address at -addresses, the name
 * but at -files, the file but at -functions, the line at -lines and
 * -addresses). */
static void put_frame(hf__sink *s, const char *const *names, const char *const *files,
	const hf_profile *p, const hf__location *loc, const hf__line *line, hf_granularity gran)
{
	const char *name = "";
	if (gran == HF_GRANULARITY_ADDRESSES && loc->address != 0)
		hf__sink_printf(s, "%016llx ", (unsigned long long)loc->address);
	if (line && line->function) {
		const hf__function *f = line->function;
		const char *file = gran != HF_GRANULARITY_FUNCTIONS ? files[f - p->functions] : "";
		int64_t lineno = gran == HF_GRANULARITY_LINES || gran == HF_GRANULARITY_ADDRESSES
			? line->line : 0;
		if (gran != HF_GRANULARITY_FILES)
			name = names[f - p->functions];
		if (lineno != 0 || file[0]) {
			hf__measure_put_text(s, name);
			if (name[0])
				hf__sink_putc(s, ' ');
			hf__measure_put_text(s, file);
			if (lineno != 0)
				hf__sink_printf(s, ":%lld", (long long)lineno);
			return;
		}
	}
	if (name[0]) {
		hf__measure_put_text(s, name);
	} else if (loc->mapping && loc->mapping->filename && loc->mapping->filename[0]) {
		hf__sink_putc(s, '[');
		hf__measure_put_text(s, base_name(loc->mapping->filename));
		hf__sink_putc(s, ']');
	} else {
		hf__sink_puts(s, "<unknown>");
	}
}

/* The unit of each numeric label key, looked up once per key (the lookup
 * scans every sample). */
typedef struct unit_cache {
	const char *keys[16];
	const char *units[16];
	size_t count;
} unit_cache;

static const char *label_unit(unit_cache *c, const hf_profile *p, const char *key)
{
	for (size_t i = 0; i < c->count; i++)
		if (!strcmp(c->keys[i], key))
			return c->units[i];
	const char *unit = hf__measure_num_label_unit(p, key);
	if (c->count < 16) {
		c->keys[c->count] = key;
		c->units[c->count++] = unit;
	}
	return unit;
}

/* Formats "%10s:  v1 v2\n" lines for one sample's labels into `lines`. */
static int label_lines(hf__arena *scratch, const hf_profile *p, unit_cache *units,
	const hf__sample *smp, bool numeric, const char ***out, size_t *count)
{
	*count = 0;
	*out = hf__arena_alloc(scratch, (smp->nlabels + 1) * sizeof(**out));
	if (!*out)
		return -1;
	for (size_t l = 0; l < smp->nlabels; l++) {
		const hf__label *lb = &smp->labels[l];
		if ((lb->str == NULL) != numeric)
			continue;
		bool first = true;
		for (size_t k = 0; k < l; k++)
			if ((smp->labels[k].str == NULL) == numeric && !strcmp(smp->labels[k].key, lb->key))
				first = false;
		if (!first)
			continue;
		/* All values of this key, in order. */
		size_t len = 32 + strlen(lb->key);
		for (size_t k = l; k < smp->nlabels; k++)
			if ((smp->labels[k].str == NULL) == numeric && !strcmp(smp->labels[k].key, lb->key))
				len += (numeric ? HF_LABEL_MAX : strlen(smp->labels[k].str)) + 1;
		char *line = hf__arena_alloc(scratch, len);
		if (!line)
			return -1;
		size_t w = (size_t)snprintf(line, len, "%10s:  ", lb->key);
		const char *unit = numeric ? label_unit(units, p, lb->key) : NULL;
		bool any = false;
		for (size_t k = l; k < smp->nlabels; k++) {
			const hf__label *v = &smp->labels[k];
			if ((v->str == NULL) != numeric || strcmp(v->key, lb->key))
				continue;
			if (any)
				line[w++] = ' ';
			any = true;
			if (numeric) {
				char val[HF_LABEL_MAX];
				hf__measure_scaled_label(val, v->num, unit, "auto");
				w += (size_t)snprintf(line + w, len - w, "%s", val);
			} else {
				w += (size_t)snprintf(line + w, len - w, "%s", v->str);
			}
		}
		line[w++] = '\n';
		line[w] = '\0';
		(*out)[(*count)++] = line;
	}
	if (*count > 1)
		qsort(*out, *count, sizeof(**out), cmp_strings);
	return 0;
}

/* Label entries of one sample, ordered by kind and key (values of one key
 * keep their order), for the merge key. */
typedef struct label_ref {
	const hf__label *label;
	size_t pos;
} label_ref;

static int cmp_label_refs(const void *pa, const void *pb)
{
	const label_ref *a = pa, *b = pb;
	bool an = a->label->str == NULL, bn = b->label->str == NULL;
	if (an != bn)
		return an ? 1 : -1;
	int c = strcmp(a->label->key, b->label->key);
	if (c)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

typedef struct merge_key {
	hf_buffer buf;
	bool failed;
} merge_key;

static void key_put(merge_key *key, const void *data, size_t len)
{
	hf_writer w = hf_writer_buffer(&key->buf);
	if (w.write(w.ctx, data, len) != 0)
		key->failed = true;
}

static void key_put_string(merge_key *key, const char *s)
{
	size_t len = s ? strlen(s) + 1 : 0;
	key_put(key, &len, sizeof(len));
	if (s)
		key_put(key, s, len);
}

/* pprof's merge key of a sample: its locations, then its labels in order.
 * Returns 0, or -1 when out of memory. */
static int sample_key(merge_key *key, const hf__sample *smp,
	label_ref **refs, size_t *refs_cap)
{
	key->buf.len = 0;
	for (size_t l = 0; l < smp->nlocations; l++) {
		size_t loc = (size_t)smp->locations[l];
		key_put(key, &loc, sizeof(loc));
	}
	if (smp->nlabels > *refs_cap) {
		hf__free(*refs);
		*refs_cap = smp->nlabels * 2;
		*refs = hf__malloc(hf__mul(*refs_cap, sizeof(**refs)));
		if (!*refs) {
			*refs_cap = 0;
			return -1;
		}
	}
	for (size_t l = 0; l < smp->nlabels; l++)
		(*refs)[l] = (label_ref){&smp->labels[l], l};
	if (smp->nlabels > 1) /* refs is NULL until a sample has labels */
		qsort(*refs, smp->nlabels, sizeof(**refs), cmp_label_refs);
	for (size_t l = 0; l < smp->nlabels; l++) {
		const hf__label *lb = (*refs)[l].label;
		key_put_string(key, lb->key);
		key_put_string(key, lb->str);
		if (!lb->str) {
			key_put(key, &lb->num, sizeof(lb->num));
			key_put_string(key, lb->num_unit);
		}
	}
	key_put(key, "", 1);
	return key->failed ? -1 : 0;
}

/*
 * pprof merges the profiles it reads (profile.Merge), even a single one:
 * samples with all values zero go away and samples with the same stack
 * and labels become one, at the place of the first, values summed. The
 * traces show that merged list (a profile whose samples_merged is set was
 * merged before its frames were pruned: it is listed as it is). Returns,
 * per merged sample, the index of its first sample in `first` and the
 * summed values in `sums`.
 */
static int merge_samples(const hf_profile *p, size_t si, size_t **first, int64_t **sums,
	size_t *count, hf_error *err)
{
	hf__arena arena = {0};
	hf__intern keys;
	hf__intern_init(&keys, &arena);
	merge_key key = {{0}, false};
	label_ref *refs = NULL;
	size_t refs_cap = 0;
	*first = hf__malloc(hf__mul(p->nsamples + 1, sizeof(size_t)));
	*sums = hf__malloc(hf__mul(p->nsamples + 1, sizeof(int64_t)));
	*count = 0;
	int rc = HF_OK;
	if (!*first || !*sums) {
		rc = hf__oom(err);
		goto done;
	}
	for (size_t i = 0; i < p->nsamples; i++) {
		const hf__sample *smp = &p->samples[i];
		bool zero = true;
		for (size_t v = 0; v < p->nsample_types; v++)
			zero = zero && smp->values[v] == 0;
		if (zero)
			continue;
		/* already merged (before pruning): listed as it is */
		uint32_t id = (uint32_t)*count;
		if (!p->samples_merged &&
		    (sample_key(&key, smp, &refs, &refs_cap) != 0 ||
		     (id = hf__intern_get(&keys, key.buf.data, key.buf.len)) == HF_NONE)) {
			rc = hf__oom(err);
			goto done;
		}
		if (id == *count) {
			(*first)[id] = i;
			(*sums)[id] = 0;
			(*count)++;
		}
		if (__builtin_add_overflow((*sums)[id], smp->values[si], &(*sums)[id])) {
			rc = hf__error(err, HF_ELIMIT, "sample values overflow 64 bits");
			goto done;
		}
	}
done:
	hf__free(refs);
	hf_buffer_dispose(&key.buf);
	hf__intern_dispose(&keys);
	hf__arena_dispose(&arena);
	return rc;
}

int hf_report_write_traces(const hf_profile *p, const hf_graph_options *opts, hf_writer *writer,
	hf_error *err)
{
	static const hf_graph_options defaults = HF_GRAPH_OPTIONS_INIT;
	const hf_graph_options *o = opts ? opts : &defaults;
	if (!p || !writer)
		return hf__error(err, HF_EINVALID, "hf_report_write_traces: NULL argument");
	if (p->nsample_types == 0)
		return hf__error(err, HF_EINVALID, "the profile has no sample types");
	size_t si = o->sample_index < 0 ? hf_profile_default_sample_index(p) : (size_t)o->sample_index;
	if (si >= p->nsample_types)
		return hf__error(err, HF_ENOTFOUND, "no sample type %ld", o->sample_index);
	hf__arena scratch = {0};
	hf__report_labels labels = {0};
	int64_t total = o->total ? o->total : hf__measure_report_total(p, si);
	const char *unit = p->sample_types[si].unit;
	if (hf__measure_profile_labels(&labels, &scratch, p, si, total, "minimum") < 0) {
		hf__arena_dispose(&scratch);
		return hf__oom(err);
	}
	hf__sink s;
	if (hf__sink_init(&s, writer) != 0) {
		hf__arena_dispose(&scratch);
		return hf__oom(err);
	}
	for (size_t i = 0; i < labels.count; i++) {
		hf__measure_put_text(&s, labels.lines[i]);
		hf__sink_putc(&s, '\n');
	}
	unit_cache units = {{NULL}, {NULL}, 0};
	/* Each function's shown name and file (cleaned, as pprof's nodeInfo
	 * does), computed once. */
	const char **names = hf__arena_alloc(&scratch, hf__mul(p->nfunctions + 1, sizeof(*names)));
	const char **files = hf__arena_alloc(&scratch, hf__mul(p->nfunctions + 1, sizeof(*files)));
	bool ok = names && files;
	for (size_t f = 0; f < p->nfunctions && ok; f++) {
		const char *file = p->functions[f].filename ? p->functions[f].filename : "";
		size_t flen = strlen(file);
		char *clean = flen ? hf__arena_alloc(&scratch, flen + 2) : NULL;
		if (clean)
			hf__path_clean(clean, file, flen);
		files[f] = flen ? clean : "";
		names[f] = hf__measure_function_name(&scratch, p, &p->functions[f]);
		ok = names[f] && files[f];
	}
	if (!ok) {
		hf__arena_dispose(&scratch);
		hf__sink_finish(&s, NULL);
		return hf__oom(err);
	}
	size_t *first = NULL, nmerged = 0;
	int64_t *sums = NULL;
	int rc = merge_samples(p, si, &first, &sums, &nmerged, err);
	for (size_t m = 0; m < nmerged && rc == HF_OK; m++) {
		const hf__sample *smp = &p->samples[first[m]];
		if (smp->nlocations == 0)
			continue;
		hf__sink_puts(&s, separator);
		const char **lines;
		size_t n;
		for (int numeric = 0; numeric < 2; numeric++) {
			if (label_lines(&scratch, p, &units, smp, numeric, &lines, &n) != 0) {
				rc = hf__oom(err);
				break;
			}
			for (size_t k = 0; k < n; k++) {
				size_t len = strlen(lines[k]); /* ends in '\n' */
				char *line = (char *)lines[k];
				line[len - 1] = '\0';
				hf__measure_put_text(&s, line);
				hf__sink_putc(&s, '\n');
			}
		}
		bool leaf = true;
		for (size_t l = 0; l < smp->nlocations; l++) {
			const hf__location *loc = &p->locations[smp->locations[l]];
			size_t nlines = loc->nlines ? loc->nlines : 1;
			for (size_t k = 0; k < nlines; k++) {
				char value[HF_LABEL_MAX] = "";
				if (leaf)
					hf__measure_scaled_label(value, sums[m], unit, "minimum");
				leaf = false;
				if (value[0])
					hf__sink_printf(&s, "%10s   ", value);
				else
					hf__sink_puts(&s, "             ");
				put_frame(&s, names, files, p, loc, loc->nlines ? &loc->lines[k] : NULL, o->granularity);
				hf__sink_puts(&s, k != nlines - 1 ? " (inline)\n" : "\n");
			}
		}
	}
	hf__sink_puts(&s, separator);
	hf__free(first);
	hf__free(sums);
	hf__arena_dispose(&scratch);
	int frc = hf__sink_finish(&s, err);
	return rc != HF_OK ? rc : frc;
}
