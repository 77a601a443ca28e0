/*
 * Differential: our hand-written unpacker (src/profile/unpack.c) against
 * protobuf-c's generated one, which it claims to match. Both must accept
 * or refuse the same bytes, and what both accept must pack back to the
 * same bytes (unknown fields aside: protobuf-c keeps them, we skip them).
 * The decoder's own way, a lean unpack with the tables then read from the
 * wire one element at a time (hf__profile_wire_*), must accept the same
 * bytes and, put together, pack to the same bytes too.
 */
#include "fuzz.h"
#include "profile/unpack.h"

#include <stdio.h>

static void *arena_alloc(void *data, size_t size)
{
	return hf__arena_alloc(data, size);
}

static void arena_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;
}

static void drop_unknown(Perftools__Profiles__Profile *p)
{
	p->base.n_unknown_fields = 0;
	for (size_t i = 0; i < p->n_sample_type; i++)
		p->sample_type[i]->base.n_unknown_fields = 0;
	if (p->period_type)
		p->period_type->base.n_unknown_fields = 0;
	for (size_t i = 0; i < p->n_sample; i++) {
		p->sample[i]->base.n_unknown_fields = 0;
		for (size_t j = 0; j < p->sample[i]->n_label; j++)
			p->sample[i]->label[j]->base.n_unknown_fields = 0;
	}
	for (size_t i = 0; i < p->n_mapping; i++)
		p->mapping[i]->base.n_unknown_fields = 0;
	for (size_t i = 0; i < p->n_location; i++) {
		p->location[i]->base.n_unknown_fields = 0;
		for (size_t j = 0; j < p->location[i]->n_line; j++)
			p->location[i]->line[j]->base.n_unknown_fields = 0;
	}
	for (size_t i = 0; i < p->n_function; i++)
		p->function[i]->base.n_unknown_fields = 0;
}

/* The lean unpack of data with its mappings, locations and functions read
 * as the decoder reads them, put into its message; NULL if refused. */
static Perftools__Profiles__Profile *unpack_as_decoded(hf__arena *arena, const uint8_t *data,
	size_t size, bool *oom)
{
	size_t samples_end;
	hf__wire_counts samples;
	hf__wire_table_counts n;
	Perftools__Profiles__Profile *p = hf__profile_unpack_lean(arena, arena, data, size,
		&samples_end, &samples, &n, oom);
	/* The tables' elements are left to their readers, and to this check
	 * for a decoder that has not read them all (below, every one must
	 * read when it passes). */
	if (!p || !hf__profile_wire_tables_ok(data, size))
		return NULL;
	p->mapping = hf__arena_calloc(arena, n.mappings, sizeof(*p->mapping));
	p->location = hf__arena_calloc(arena, n.locations, sizeof(*p->location));
	p->function = hf__arena_calloc(arena, n.functions, sizeof(*p->function));
	if (!p->mapping || !p->location || !p->function) {
		*oom = true;
		return NULL;
	}
	const uint8_t *end = data + size, *pos, *wire;
	size_t len;
	for (pos = data; p->n_mapping < n.mappings; p->n_mapping++) {
		Perftools__Profiles__Mapping *m = hf__arena_alloc(arena, sizeof(*m));
		if (!m || !hf__profile_wire_next_field(&pos, end, 3, &wire, &len) ||
		    !hf__profile_wire_mapping(wire, len, m))
			__builtin_trap(); /* (or out of memory) */
		p->mapping[p->n_mapping] = m;
	}
	for (pos = data; p->n_location < n.locations; p->n_location++) {
		Perftools__Profiles__Location *l = hf__arena_alloc(arena, sizeof(*l));
		if (!l || !hf__profile_wire_next_field(&pos, end, 4, &wire, &len) ||
		    !hf__profile_wire_location(wire, len, l, NULL, 0))
			__builtin_trap(); /* (or out of memory) */
		Perftools__Profiles__Line *read = hf__arena_alloc(arena, (l->n_line + 1) * sizeof(*read));
		Perftools__Profiles__Line **lines = hf__arena_alloc(arena, (l->n_line + 1) * sizeof(*lines));
		if (!read || !lines || !hf__profile_wire_location(wire, len, l, read, l->n_line))
			__builtin_trap();
		l->line = l->n_line ? lines : NULL;
		for (size_t j = 0; j < l->n_line; j++)
			lines[j] = &read[j];
		p->location[p->n_location] = l;
	}
	for (pos = data; p->n_function < n.functions; p->n_function++) {
		Perftools__Profiles__Function *f = hf__arena_alloc(arena, sizeof(*f));
		if (!f || !hf__profile_wire_next_field(&pos, end, 5, &wire, &len) ||
		    !hf__profile_wire_function(wire, len, f))
			__builtin_trap();
		p->function[p->n_function] = f;
	}
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hf__arena ours = {0}, theirs = {0};
	bool oom = false;
	Perftools__Profiles__Profile *a = hf__profile_unpack(&ours, data, size, &oom);
	ProtobufCAllocator alloc = {arena_alloc, arena_free, &theirs};
	Perftools__Profiles__Profile *b = perftools__profiles__profile__unpack(&alloc, size, data);
	if (!oom && !a != !b) {
		/* One accepts what the other refuses. */
		fprintf(stderr, "unpack.c %s, protobuf-c %s\n", a ? "accepts" : "refuses",
			b ? "accepts" : "refuses");
		__builtin_trap();
	}
	hf__arena decoded = {0};
	bool decoded_oom = false;
	Perftools__Profiles__Profile *c = unpack_as_decoded(&decoded, data, size, &decoded_oom);
	if (!oom && !decoded_oom && !a != !c) {
		fprintf(stderr, "unpack.c %s, its lean unpack %s\n", a ? "accepts" : "refuses",
			c ? "accepts" : "refuses");
		__builtin_trap();
	}
	if (a && c) {
		/* The samples are read elsewhere (the proto target's business):
		 * the full unpack's stand in for them. */
		c->n_sample = a->n_sample;
		c->sample = a->sample;
	}
	if (a && b) {
		drop_unknown(a);
		drop_unknown(b);
		size_t na = perftools__profiles__profile__get_packed_size(a);
		size_t nb = perftools__profiles__profile__get_packed_size(b);
		if (na != nb)
			__builtin_trap();
		uint8_t *pa = malloc(na ? na : 1), *pb = malloc(nb ? nb : 1);
		if (pa && pb) {
			perftools__profiles__profile__pack(a, pa);
			perftools__profiles__profile__pack(b, pb);
			if (memcmp(pa, pb, na) != 0)
				__builtin_trap(); /* the same bytes unpack differently */
		}
		if (c && pb) {
			drop_unknown(c);
			uint8_t *pc = NULL;
			if (perftools__profiles__profile__get_packed_size(c) != nb)
				__builtin_trap();
			if ((pc = malloc(nb ? nb : 1))) {
				perftools__profiles__profile__pack(c, pc);
				if (memcmp(pc, pb, nb) != 0)
					__builtin_trap(); /* the decoder's reading differs */
			}
			free(pc);
		}
		free(pa);
		free(pb);
	}
	hf__arena_dispose(&decoded);
	hf__arena_dispose(&ours);
	hf__arena_dispose(&theirs);
	return 0;
}
