/*
 * The profile builder (see build.h). Items are found by byte keys in
 * interning tables, so building is linear in the input; the result is
 * copied once into the profile's arena.
 */
#include "build.h"

#include <string.h>

int hf__profile_builder_init(hf__builder *b, hf_profile *p, bool with_base, hf_error *err)
{
	memset(b, 0, sizeof(*b));
	b->p = p;
	b->err = err;
	b->nvalues = p->nsample_types;
	b->with_base = with_base;
	/* Function keys hold the names themselves, so they live with the
	 * profile; the other keys are dropped with the builder. */
	hf__intern_init(&b->function_keys, &p->arena);
	hf__intern_init(&b->label_strings, &p->arena);
	hf__intern_init(&b->mapping_keys, &b->scratch);
	hf__intern_init(&b->location_keys, &b->scratch);
	return HF_OK;
}

void hf__profile_builder_dispose(hf__builder *b)
{
	hf__intern_dispose(&b->function_keys);
	hf__intern_dispose(&b->label_strings);
	hf__intern_dispose(&b->mapping_keys);
	hf__intern_dispose(&b->location_keys);
	hf__arena_dispose(&b->scratch);
	hf__free(b->sample_hash);
	hf__free(b->sample_slots);
	hf__free(b->functions);
	hf__free(b->mappings);
	hf__free(b->locations);
	hf__free(b->lines);
	hf__free(b->samples);
	hf__free(b->values);
	hf__free(b->base_values);
	hf__free(b->labels);
	hf__free(b->key);
	hf__free(b->key2);
	memset(b, 0, sizeof(*b));
}

int hf__profile_builder_enable_base(hf__builder *b)
{
	if (b->with_base)
		return HF_OK;
	if (b->values_cap) {
		b->base_values = hf__calloc(b->values_cap * b->nvalues + 1, sizeof(int64_t));
		if (!b->base_values)
			return hf__oom(b->err);
	}
	b->with_base = true;
	return HF_OK;
}

#define RESERVE(b, arr, len, cap, more) HF_RESERVE((b)->arr, &(b)->cap, (b)->len, (more), 64)

/* The key buffer, cleared; key_put appends bytes to it. */
typedef struct key_buf {
	char **buf;
	size_t *cap;
	size_t len;
	bool failed;
} key_buf;

#define KEY_BUF(b) {&(b)->key, &(b)->key_cap, 0, false}

static void key_put(key_buf *k, const void *data, size_t len)
{
	if (k->failed)
		return;
	if (len > *k->cap - k->len) {
		char *grown = hf__reserve(*k->buf, k->cap, k->len, len, 1, 256);
		if (!grown) {
			k->failed = true;
			return;
		}
		*k->buf = grown;
	}
	memcpy(*k->buf + k->len, data, len);
	k->len += len;
}

static void key_str(key_buf *k, const char *s)
{
	key_put(k, s ? s : "", (s ? strlen(s) : 0) + 1);
}

static void key_u64(key_buf *k, uint64_t v)
{
	key_put(k, &v, sizeof(v));
}

/* Interns the key; sets *is_new when it was not seen before. */
static uint32_t key_intern(key_buf *k, hf__intern *table, bool *is_new)
{
	if (k->failed)
		return HF_NONE;
	uint32_t before = table->count;
	uint32_t id = hf__intern_get(table, *k->buf, k->len);
	*is_new = id != HF_NONE && id == before && table->count > before;
	return id;
}

uint32_t hf__profile_builder_function(hf__builder *b, const char *name, const char *system_name,
	const char *filename, int64_t start_line)
{
	key_buf k = KEY_BUF(b);
	key_str(&k, name);
	key_str(&k, system_name);
	key_str(&k, filename);
	key_u64(&k, (uint64_t)start_line);
	bool is_new;
	uint32_t id = key_intern(&k, &b->function_keys, &is_new);
	if (id == HF_NONE) {
		hf__oom(b->err);
		return HF_NONE;
	}
	if (!is_new)
		return id;
	if (!RESERVE(b, functions, nfunctions, functions_cap, 1)) {
		hf__oom(b->err);
		return HF_NONE;
	}
	/* The interned key is "name\0system\0file\0...": point into it. */
	const char *key = b->function_keys.names[id];
	hf__function *f = &b->functions[b->nfunctions++];
	f->id = b->nfunctions;
	f->name = key;
	f->system_name = key + strlen(key) + 1;
	f->filename = f->system_name + strlen(f->system_name) + 1;
	f->start_line = start_line;
	return id;
}

uint32_t hf__profile_builder_mapping(hf__builder *b, const hf__mapping *m, int64_t *shift)
{
	const uint64_t rounding = 0x1000;
	uint64_t size = m->memory_limit - m->memory_start;
	size = (size + rounding - 1) / rounding * rounding;
	key_buf k = KEY_BUF(b);
	key_u64(&k, size);
	key_u64(&k, m->file_offset);
	/* A mapping with neither is a fake one: all fakes are one mapping. */
	key_str(&k, m->build_id && *m->build_id ? m->build_id : m->filename);
	bool is_new;
	uint32_t id = key_intern(&k, &b->mapping_keys, &is_new);
	if (id == HF_NONE || (is_new && !RESERVE(b, mappings, nmappings, mappings_cap, 1))) {
		hf__oom(b->err);
		return HF_NONE;
	}
	if (is_new) {
		hf__mapping *n = &b->mappings[b->nmappings++];
		*n = *m;
		n->id = b->nmappings;
		n->filename = hf__arena_strndup(&b->p->arena, m->filename ? m->filename : "",
			m->filename ? strlen(m->filename) : 0);
		n->build_id = hf__arena_strndup(&b->p->arena, m->build_id ? m->build_id : "",
			m->build_id ? strlen(m->build_id) : 0);
		if (!n->filename || !n->build_id) {
			hf__oom(b->err);
			return HF_NONE;
		}
	}
	*shift = (int64_t)(b->mappings[id].memory_start - m->memory_start);
	return id;
}

uint32_t hf__profile_builder_location(hf__builder *b, uint64_t address, uint32_t mapping,
	const hf__bline *lines, size_t nlines, bool is_folded)
{
	key_buf k = KEY_BUF(b);
	key_u64(&k, address);
	key_u64(&k, mapping);
	key_u64(&k, is_folded);
	for (size_t i = 0; i < nlines; i++) {
		key_u64(&k, lines[i].function);
		key_u64(&k, (uint64_t)lines[i].line);
		key_u64(&k, (uint64_t)lines[i].column);
	}
	bool is_new;
	uint32_t id = key_intern(&k, &b->location_keys, &is_new);
	if (id == HF_NONE) {
		hf__oom(b->err);
		return HF_NONE;
	}
	if (!is_new)
		return id;
	if (!RESERVE(b, locations, nlocations, locations_cap, 1) ||
	    !RESERVE(b, lines, nlines, lines_cap, nlines)) {
		hf__oom(b->err);
		return HF_NONE;
	}
	hf__blocation *l = &b->locations[b->nlocations++];
	l->address = address;
	l->mapping = mapping;
	l->line_start = (uint32_t)b->nlines;
	l->nlines = (uint32_t)nlines;
	l->is_folded = is_folded;
	if (nlines)
		memcpy(b->lines + b->nlines, lines, nlines * sizeof(*lines));
	b->nlines += nlines;
	return id;
}

static int label_cmp(const hf__label *a, const hf__label *b)
{
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (!a->str != !b->str)
		return a->str ? -1 : 1;
	if (a->str)
		return strcmp(a->str, b->str);
	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	return strcmp(a->num_unit ? a->num_unit : "", b->num_unit ? b->num_unit : "");
}

static int add_to(int64_t *dst, const int64_t *src, size_t n, hf_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (__builtin_add_overflow(dst[i], src[i], &dst[i]))
			return hf__error(err, HF_ELIMIT, "sample values overflow 64 bits");
	return HF_OK;
}

/* pprof's sample key: location ids, then the labels as a set. Labels are
 * few (usually 0-2), so an insertion sort puts the first 16 in order; any
 * beyond keep their given order. */
static void sample_key(key_buf *k, const uint32_t *locs, size_t nlocs, const hf__label *labels,
	size_t nlabels)
{
	key_put(k, locs, nlocs * sizeof(*locs));
	key_u64(k, HF_NONE);
	size_t order[16];
	size_t n = nlabels < 16 ? nlabels : 16;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && label_cmp(&labels[order[j - 1]], &labels[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t i = 0; i < nlabels; i++) {
		const hf__label *l = &labels[i < n ? order[i] : i];
		key_str(k, l->key);
		key_put(k, l->str ? "s" : "n", 1);
		key_str(k, l->str);
		key_u64(k, (uint64_t)l->num);
		key_str(k, l->num_unit);
	}
}

/* A sample looked up by its key (in b->key): its slot holds the id of a
 * sample with an equal key, or none; `failed` when out of memory (which
 * ends the probe too). */
typedef struct sample_probe {
	hf__builder *b;
	size_t key_len;
	uint64_t hash;
	bool failed;
} sample_probe;

static bool is_sample(void *probe, size_t slot)
{
	sample_probe *q = probe;
	hf__builder *b = q->b;
	uint32_t id = b->sample_slots[slot];
	if (id == HF_NONE)
		return true;
	if (b->sample_hash[id] != q->hash)
		return false;
	/* Same hash: the same key, rebuilt from the sample? */
	const hf__bsample *c = &b->samples[id];
	key_buf k2 = {&b->key2, &b->key2_cap, 0, false};
	/* A label-less sample may have no label array to point into. */
	const hf__label *c_labels = c->nlabels ? b->labels + c->label_start : NULL;
	sample_key(&k2, c->locs, c->nlocs, c_labels, c->nlabels);
	q->failed = k2.failed;
	return k2.failed || (k2.len == q->key_len && memcmp(b->key, b->key2, q->key_len) == 0);
}

/* A label's key, string or unit, one copy of each distinct one (labels
 * repeat: a heap profile's "bytes" on every sample); NULL when out of
 * memory. */
static const char *label_string(hf__builder *b, const char *s)
{
	uint32_t id = hf__intern_get(&b->label_strings, s, strlen(s));
	return id == HF_NONE ? NULL : b->label_strings.names[id];
}

int hf__profile_builder_sample(hf__builder *b, const uint32_t *locs, size_t nlocs,
	const int64_t *values, const int64_t *base, const hf__label *labels,
	size_t nlabels, bool merge)
{
	uint64_t hash = 0;
	size_t slot = 0;
	if (merge) {
		key_buf k = KEY_BUF(b);
		sample_key(&k, locs, nlocs, labels, nlabels);
		if (k.failed)
			return hf__oom(b->err);
		hash = hf__hash_bytes(b->key, k.len, 0);
		if ((b->nsamples + 1) * 2 > b->sample_nslots &&
		    hf__index_grow(&b->sample_slots, &b->sample_nslots, 1024, b->sample_hash,
			    sizeof(*b->sample_hash), 0) != 0)
			return hf__oom(b->err);
		sample_probe q = {b, k.len, hash, false};
		slot = hf__index_probe(b->sample_nslots, hash, is_sample, &q);
		if (q.failed)
			return hf__oom(b->err);
		uint32_t id = b->sample_slots[slot];
		if (id != HF_NONE) {
			int rc = add_to(b->values + id * b->nvalues, values, b->nvalues, b->err);
			if (rc == HF_OK && b->with_base && base)
				rc = add_to(b->base_values + id * b->nvalues, base, b->nvalues, b->err);
			return rc;
		}
	}
	if (b->nsamples >= HF_NONE)
		return hf__error(b->err, HF_ELIMIT, "too many samples");
	if (!RESERVE(b, samples, nsamples, samples_cap, 1) ||
	    !RESERVE(b, labels, nlabels, labels_cap, nlabels))
		return hf__oom(b->err);
	if (b->nsamples == b->values_cap) {
		/* base values last: only with_base has them */
		const hf__column columns[] = {HF_COLUMN(b->sample_hash),
			{&b->values, b->nvalues * sizeof(*b->values)},
			{&b->base_values, b->nvalues * sizeof(*b->base_values)}};
		if (hf__grow_columns(columns, b->with_base ? 3 : 2, &b->values_cap, b->nsamples, 64) != 0)
			return hf__oom(b->err);
	}
	struct hf__locs_chunk *chunk = b->locs_tail;
	if (!chunk || chunk->cap - chunk->used < nlocs) {
		enum { LOCS_CHUNK = 256 * 1024 };
		size_t cap = nlocs > LOCS_CHUNK ? nlocs : LOCS_CHUNK;
		/* Owned by the profile (the finished samples point into it), not
		 * in its arena: a fold that frees the profile after frees them
		 * as it goes (hf__profile_release_locs). */
		chunk = hf__profile_locs_chunk_add(b->p, b->locs_tail, cap);
		if (!chunk)
			return hf__oom(b->err);
		b->locs_tail = chunk;
	}
	hf__bsample *s = &b->samples[b->nsamples];
	s->locs = chunk->data + chunk->used;
	s->nlocs = nlocs;
	s->label_start = b->nlabels;
	s->nlabels = nlabels;
	if (nlocs)
		memcpy(chunk->data + chunk->used, locs, nlocs * sizeof(*locs));
	chunk->used += nlocs;
	b->sample_hash[b->nsamples] = hash;
	if (merge)
		b->sample_slots[slot] = (uint32_t)b->nsamples;
	for (size_t i = 0; i < nlabels; i++) {
		hf__label *l = &b->labels[b->nlabels + i];
		*l = labels[i];
		l->key = label_string(b, labels[i].key);
		l->str = labels[i].str ? label_string(b, labels[i].str) : NULL;
		l->num_unit = label_string(b, labels[i].num_unit ? labels[i].num_unit : "");
		if (!l->key || (labels[i].str && !l->str) || !l->num_unit)
			return hf__oom(b->err);
	}
	b->nlabels += nlabels;
	memcpy(b->values + b->nsamples * b->nvalues, values, b->nvalues * sizeof(*values));
	if (b->with_base) {
		int64_t *dst = b->base_values + b->nsamples * b->nvalues;
		if (base)
			memcpy(dst, base, b->nvalues * sizeof(*base));
		else
			memset(dst, 0, b->nvalues * sizeof(*dst));
	}
	b->nsamples++;
	return HF_OK;
}

/* Frees a builder array once it has been copied (finish keeps the peak
 * near the size of the result). */
#define DROP(b, arr) (hf__free((b)->arr), (b)->arr = NULL)

int hf__profile_builder_finish(hf__builder *b)
{
	hf_profile *p = b->p;
	hf__arena *a = &p->arena;
	size_t nv = b->nvalues;

	/* The lookup tables are done with (function names stay: they live in
	 * the profile's arena). */
	hf__intern_dispose(&b->function_keys);
	hf__intern_dispose(&b->label_strings);
	hf__intern_dispose(&b->mapping_keys);
	hf__intern_dispose(&b->location_keys);
	hf__arena_dispose(&b->scratch);
	DROP(b, sample_hash);
	DROP(b, sample_slots);
	b->sample_nslots = 0;
	DROP(b, key);
	DROP(b, key2);
	b->key_cap = b->key2_cap = 0;

	p->functions = hf__arena_calloc(a, b->nfunctions ? b->nfunctions : 1, sizeof(*p->functions));
	p->mappings = hf__arena_calloc(a, b->nmappings ? b->nmappings : 1, sizeof(*p->mappings));
	p->locations = p->own_locations = hf__calloc(b->nlocations ? b->nlocations : 1,
		sizeof(*p->locations));
	hf__line *lines = p->own_lines = hf__calloc(b->nlines ? b->nlines : 1, sizeof(*lines));
	if (!p->functions || !p->mappings || !p->locations || !lines)
		return hf__oom(b->err);
	if (b->nfunctions)
		memcpy(p->functions, b->functions, b->nfunctions * sizeof(*p->functions));
	p->nfunctions = b->nfunctions;
	if (b->nmappings)
		memcpy(p->mappings, b->mappings, b->nmappings * sizeof(*p->mappings));
	p->nmappings = b->nmappings;
	for (size_t i = 0; i < b->nlines; i++) {
		lines[i].function = b->lines[i].function == HF_NONE ? NULL
			: &p->functions[b->lines[i].function];
		lines[i].line = b->lines[i].line;
		lines[i].column = b->lines[i].column;
	}
	for (size_t i = 0; i < b->nlocations; i++) {
		const hf__blocation *bl = &b->locations[i];
		hf__location *l = &p->locations[i];
		l->id = i + 1;
		l->address = bl->address;
		l->mapping = bl->mapping == HF_NONE ? NULL : &p->mappings[bl->mapping];
		l->lines = lines + bl->line_start;
		l->nlines = bl->nlines;
		l->is_folded = bl->is_folded;
	}
	p->nlocations = b->nlocations;
	DROP(b, functions);
	DROP(b, mappings);
	DROP(b, locations);
	DROP(b, lines);
	b->nfunctions = b->nmappings = b->nlocations = b->nlines = 0;

	int64_t *values = hf__arena_calloc(a, hf__mul(b->nsamples, nv) ? b->nsamples * nv : 1,
		sizeof(*values));
	int64_t *base = b->with_base ? hf__arena_calloc(a, b->nsamples * nv + 1, sizeof(*base)) : NULL;
	if (!values || (b->with_base && !base))
		return hf__oom(b->err);
	if (b->nsamples) {
		memcpy(values, b->values, b->nsamples * nv * sizeof(*values));
		if (base)
			memcpy(base, b->base_values, b->nsamples * nv * sizeof(*base));
	}
	DROP(b, values);
	DROP(b, base_values);
	hf__label *labels = hf__arena_calloc(a, b->nlabels ? b->nlabels : 1, sizeof(*labels));
	if (!labels)
		return hf__oom(b->err);
	if (b->nlabels)
		memcpy(labels, b->labels, b->nlabels * sizeof(*labels));
	DROP(b, labels);
	b->nlabels = 0;

	p->samples = hf__arena_calloc(a, b->nsamples ? b->nsamples : 1, sizeof(*p->samples));
	if (!p->samples)
		return hf__oom(b->err);
	for (size_t i = 0; i < b->nsamples; i++) {
		const hf__bsample *bs = &b->samples[i];
		hf__sample *s = &p->samples[i];
		s->locations = bs->locs; /* already in the profile's arena */
		s->nlocations = bs->nlocs;
		s->labels = labels + bs->label_start;
		s->nlabels = bs->nlabels;
		s->values = values + i * nv;
		s->base_values = base ? base + i * nv : NULL;
	}
	b->locs_tail = NULL;
	p->nsamples = b->nsamples;
	p->has_base = b->with_base;
	return HF_OK;
}
