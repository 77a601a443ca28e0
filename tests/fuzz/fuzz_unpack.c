/*
 * Differential: our hand-written unpacker (src/profile/unpack.c) against
 * protobuf-c's generated one, which it claims to match. Both must accept
 * or refuse the same bytes, and what both accept must pack back to the
 * same bytes (unknown fields aside: protobuf-c keeps them, we skip them).
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
		free(pa);
		free(pb);
	}
	hf__arena_dispose(&ours);
	hf__arena_dispose(&theirs);
	return 0;
}
