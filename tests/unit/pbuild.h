/*
 * A tiny protobuf encoder for tests: builds profile.proto bytes by hand so
 * tests control every detail (packed or not, sparse ids, broken fields).
 */
#ifndef HF_PBUILD_H
#define HF_PBUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct pb {
	uint8_t *data;
	size_t len, cap;
} pb;

static void pb_raw(pb *b, const void *p, size_t n)
{
	/* an empty buffer gets room too: memcpy to a NULL buffer is undefined
	 * even for 0 bytes */
	if (!b->data || b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->data = realloc(b->data, b->cap);
		if (!b->data)
			abort();
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void pb_varint(pb *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	pb_raw(b, tmp, n);
}

static void pb_int(pb *b, unsigned field, uint64_t v)
{
	pb_varint(b, (uint64_t)field << 3);
	pb_varint(b, v);
}

static void pb_bytes(pb *b, unsigned field, const void *p, size_t n)
{
	pb_varint(b, (uint64_t)field << 3 | 2);
	pb_varint(b, n);
	pb_raw(b, p, n);
}

static void pb_str(pb *b, unsigned field, const char *s)
{
	pb_bytes(b, field, s, strlen(s));
}

/* Appends sub as a length-delimited field and frees it. */
static void pb_msg(pb *b, unsigned field, pb *sub)
{
	pb_bytes(b, field, sub->data, sub->len);
	free(sub->data);
	memset(sub, 0, sizeof(*sub));
}

static void pb_packed(pb *b, unsigned field, const int64_t *v, size_t n)
{
	pb tmp = {0};
	for (size_t i = 0; i < n; i++)
		pb_varint(&tmp, (uint64_t)v[i]);
	if (!tmp.data)
		pb_raw(&tmp, "", 0);
	pb_bytes(b, field, tmp.data, tmp.len);
	free(tmp.data);
}

static void pb_unpacked(pb *b, unsigned field, const int64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pb_int(b, field, (uint64_t)v[i]);
}

#endif
