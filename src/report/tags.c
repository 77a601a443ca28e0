/*
 * pprof's -tags: for every label key, the total of the samples carrying it
 * and each value's share. Numeric labels are shown formatted in their
 * unit (a Go heap profile's "bytes" label: the allocation sizes).
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* One (key, value) pair and the sum of the values of its samples. */
typedef struct tag_entry {
	uint32_t key;      /* id in keys */
	const char *value; /* the label text (escaped), in the scratch arena */
	size_t value_len;
	int64_t sum;
} tag_entry;

typedef struct tag_table {
	hf__arena scratch;
	hf__intern keys;    /* label keys */
	hf__intern pairs;   /* "key\0value" -> entry index */
	tag_entry *entries;
	size_t nentries, cap;
	int64_t *key_sums; /* per key */
} tag_table;

static void table_dispose(tag_table *t)
{
	hf__intern_dispose(&t->keys);
	hf__intern_dispose(&t->pairs);
	hf__free(t->entries);
	hf__free(t->key_sums);
	hf__arena_dispose(&t->scratch);
}

/* Control characters become '?' (as hf__measure_put_text writes them), so a
 * label stays on its line and in its column. */
static char *escaped_copy(hf__arena *arena, const char *s, size_t len)
{
	char *out = hf__arena_strndup(arena, s, len);
	if (out)
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
				out[i] = '?';
	return out;
}

/* Adds `w` to the (key, value) pair. */
static int table_add(tag_table *t, const char *key, const char *value, int64_t w)
{
	size_t klen = strlen(key), vlen = strlen(value);
	char small[256];
	size_t plen = klen + 1 + vlen;
	char *pair = plen <= sizeof(small) ? small : hf__malloc(plen);
	if (!pair)
		return -1;
	memcpy(pair, key, klen + 1);
	memcpy(pair + klen + 1, value, vlen);
	uint32_t id = hf__intern_get(&t->pairs, pair, plen);
	if (pair != small)
		hf__free(pair);
	if (id == HF_NONE)
		return -1;
	if (id == t->nentries) {
		tag_entry *grown = hf__grow(t->entries, &t->cap, t->nentries, sizeof(*grown), 64);
		if (!grown)
			return -1;
		t->entries = grown;
		uint32_t k = hf__intern_get(&t->keys, key, klen);
		char *text = escaped_copy(&t->scratch, value, vlen);
		if (k == HF_NONE || !text)
			return -1;
		t->entries[id] = (tag_entry){k, text, vlen, 0};
		t->nentries++;
	}
	t->entries[id].sum = hf__wadd(t->entries[id].sum, w);
	return 0;
}

/* The unit of each numeric label key, looked up once per key. */
typedef struct unit_memo {
	const char *key;
	const char *unit;
} unit_memo;

static int collect(tag_table *t, const hf_profile *p, size_t si)
{
	unit_memo memo[32];
	size_t nmemo = 0;
	for (size_t s = 0; s < p->nsamples; s++) {
		const hf__sample *smp = &p->samples[s];
		int64_t w = smp->values[si];
		/* pprof's profile.Merge, which every profile it reads goes
		 * through, drops the samples whose values are all zero (here
		 * such samples can remain of a -base, for its "before" side). */
		bool zero = true;
		for (size_t v = 0; v < p->nsample_types && zero; v++)
			zero = smp->values[v] == 0;
		if (zero)
			continue;
		for (size_t l = 0; l < smp->nlabels; l++) {
			const hf__label *lb = &smp->labels[l];
			if (lb->str) {
				if (table_add(t, lb->key, lb->str, w) != 0)
					return -1;
				continue;
			}
			const char *unit = NULL;
			for (size_t m = 0; m < nmemo && !unit; m++)
				if (!strcmp(memo[m].key, lb->key))
					unit = memo[m].unit;
			if (!unit) {
				unit = hf__measure_num_label_unit(p, lb->key);
				if (nmemo < sizeof(memo) / sizeof(memo[0]))
					memo[nmemo++] = (unit_memo){lb->key, unit};
			}
			char label[HF_LABEL_MAX];
			hf__measure_scaled_label(label, lb->num, unit, "minimum");
			if (table_add(t, lb->key, label, w) != 0)
				return -1;
		}
	}
	return 0;
}

/* pprof's SortTags(flat): |value| descending, then name. */
static int cmp_entries(const void *pa, const void *pb)
{
	const tag_entry *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	int64_t aa = hf__wabs(a->sum), ab = hf__wabs(b->sum);
	if (aa != ab)
		return aa > ab ? -1 : 1;
	return strcmp(a->value, b->value);
}

/* Characters as Go's tabwriter counts them: UTF-8 runes, an invalid
 * byte counting as one. */
static size_t rune_count(const char *s)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
			: (*p & 0xf8) == 0xf0 ? 4 : 1;
		size_t k = 1;
		while (k < len && (p[k] & 0xc0) == 0x80)
			k++;
		p += k == len ? len : 1;
		n++;
	}
	return n;
}

static void pad(hf__sink *s, size_t n)
{
	static const char spaces[] = "                                ";
	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		hf__sink_put(s, spaces, k);
		n -= k;
	}
}

/* "%.1f%s" of a value scaled from the sample unit to the smallest unit. */
static void scaled_one_decimal(char out[HF_LABEL_MAX], int64_t v, const char *unit)
{
	const char *u;
	double f = hf__measure_scale(v, unit, "minimum", &u);
	snprintf(out, HF_LABEL_MAX, "%.1f%s", f, u);
}

/*
 * One key's block, laid out as pprof's tabwriter (right-aligned cells,
 * padding 1) lays out "KEY:\t Total T" and " \tVALUE (PCT):\t NAME".
 */
static int write_key(hf__sink *s, const char *key, const tag_entry *e, size_t n,
	const char *unit)
{
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total = hf__wadd(total, e[i].sum);
	char **cells = hf__malloc(hf__mul(n + 1, sizeof(*cells)));
	if (!cells)
		return -1;
	size_t width1 = 0;
	for (size_t i = 0; i < n; i++) {
		char value[HF_LABEL_MAX], pct[HF_LABEL_MAX];
		scaled_one_decimal(value, e[i].sum, unit);
		cells[i] = hf__malloc(2 * HF_LABEL_MAX + 4);
		if (!cells[i]) {
			for (size_t k = 0; k < i; k++)
				hf__free(cells[k]);
			hf__free(cells);
			return -1;
		}
		if (total > 0) {
			hf__measure_percentage(pct, e[i].sum, total);
			snprintf(cells[i], 2 * HF_LABEL_MAX + 4, "%s (%s):", value, pct);
		} else {
			snprintf(cells[i], 2 * HF_LABEL_MAX + 4, "%s:", value);
		}
		size_t w = strlen(cells[i]);
		if (w > width1)
			width1 = w;
	}
	/* Column 0 holds "KEY:" and the value lines' " ". */
	size_t key_width = rune_count(key) + 1;
	size_t width0 = (key_width > 1 ? key_width : 1) + 1;
	char total_text[HF_LABEL_MAX];
	scaled_one_decimal(total_text, total, unit);
	pad(s, width0 - key_width);
	hf__measure_put_text(s, key);
	hf__sink_printf(s, ": Total %s\n", total_text);
	for (size_t i = 0; i < n; i++) {
		pad(s, width0 - 1);
		hf__sink_putc(s, ' ');
		pad(s, width1 + 1 - strlen(cells[i]));
		hf__sink_puts(s, cells[i]);
		hf__sink_putc(s, ' ');
		hf__sink_put(s, e[i].value, e[i].value_len);
		hf__sink_putc(s, '\n');
		hf__free(cells[i]);
	}
	hf__sink_putc(s, '\n');
	hf__free(cells);
	return 0;
}

static int cmp_key_names(const void *pa, const void *pb, const tag_table *t)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	return strcmp(t->keys.names[a], t->keys.names[b]);
}

/* qsort has no context argument: keys are ordered by name with a small
 * insertion sort (a profile has few label keys). */
static inline int key_order(const tag_table *t, const uint32_t *a, const uint32_t *b)
{
	return cmp_key_names(a, b, t);
}

HF_INSERTION_SORT(sort_keys, uint32_t, const tag_table *, key_order)

int hf_report_write_tags(const hf_profile *profile, const hf_graph_options *opts,
	hf_writer *writer, hf_error *err)
{
	if (!profile || !writer)
		return hf__error(err, HF_EINVALID, "hf_report_write_tags: NULL argument");
	if (profile->nsample_types == 0)
		return hf__error(err, HF_EINVALID, "the profile has no sample types");
	long index = opts ? opts->sample_index : -1;
	size_t si;
	if (index < 0)
		si = hf_profile_default_sample_index(profile);
	else if ((size_t)index < profile->nsample_types)
		si = (size_t)index;
	else
		return hf__error(err, HF_ENOTFOUND, "no sample type %ld", index);
	const char *unit = profile->sample_types[si].unit;
	/* Every sum below adds some samples' values: when the magnitudes sum
	 * within 64 bits, none can overflow (the other reports refuse such a
	 * profile the same way). */
	int sums = hf__profile_check_magnitudes(profile, si, err);
	if (sums != HF_OK)
		return sums;

	tag_table t;
	memset(&t, 0, sizeof(t));
	hf__intern_init(&t.keys, &t.scratch);
	hf__intern_init(&t.pairs, &t.scratch);
	uint32_t *order = NULL;
	hf__sink s;
	int rc = HF_OK;
	if (collect(&t, profile, si) != 0) {
		rc = hf__oom(err);
		goto done;
	}
	/* Entries grouped by key (in key-id order), each group sorted. */
	if (t.nentries > 1)
		qsort(t.entries, t.nentries, sizeof(*t.entries), cmp_entries);
	size_t nkeys = t.keys.count;
	size_t *start = hf__calloc(nkeys + 1, sizeof(size_t));
	order = hf__malloc(hf__mul(nkeys + 1, sizeof(uint32_t)));
	if (!start || !order) {
		hf__free(start);
		rc = hf__oom(err);
		goto done;
	}
	for (size_t i = 0; i < t.nentries; i++)
		start[t.entries[i].key + 1]++;
	for (size_t k = 0; k < nkeys; k++) {
		start[k + 1] += start[k];
		order[k] = (uint32_t)k;
	}
	sort_keys(order, nkeys, &t);
	if (hf__sink_init(&s, writer) != 0) {
		hf__free(start);
		rc = hf__oom(err);
		goto done;
	}
	for (size_t k = 0; k < nkeys && !s.failed; k++) {
		uint32_t key = order[k];
		if (write_key(&s, t.keys.names[key], &t.entries[start[key]],
			start[key + 1] - start[key], unit) != 0) {
			hf__free(start);
			hf__sink_finish(&s, NULL);
			rc = hf__oom(err);
			goto done;
		}
	}
	hf__free(start);
	rc = hf__sink_finish(&s, err);
done:
	hf__free(order);
	table_dispose(&t);
	return rc;
}
