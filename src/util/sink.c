#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SINK_SIZE (256u * 1024u)

static int file_write(void *ctx, const void *buf, size_t len)
{
	return fwrite(buf, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

hf_writer hf_writer_file(FILE *fp)
{
	hf_writer w = {file_write, fp};
	return w;
}

static int buffer_write(void *ctx, const void *buf, size_t len)
{
	hf_buffer *b = ctx;
	if (len > SIZE_MAX - b->len)
		return -1;
	if (!HF_RESERVE(b->data, &b->cap, b->len, len, 4096))
		return -1;
	memcpy(b->data + b->len, buf, len);
	b->len += len;
	return 0;
}

hf_writer hf_writer_buffer(hf_buffer *buf)
{
	hf_writer w = {buffer_write, buf};
	return w;
}

void hf_buffer_dispose(hf_buffer *buf)
{
	if (!buf)
		return;
	hf__free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}

int hf__sink_init(hf__sink *sink, hf_writer *writer)
{
	sink->writer = writer;
	sink->len = 0;
	sink->cap = SINK_SIZE;
	sink->failed = 0;
	sink->buf = hf__malloc(SINK_SIZE);
	if (!sink->buf) {
		sink->failed = HF_ENOMEM;
		sink->cap = 0;
		return HF_ENOMEM;
	}
	return HF_OK;
}

static void sink_flush(hf__sink *sink)
{
	if (!sink->failed && sink->len &&
	    sink->writer->write(sink->writer->ctx, sink->buf, sink->len) != 0)
		sink->failed = HF_EIO;
	sink->len = 0;
}

void hf__sink_put_slow(hf__sink *sink, const void *data, size_t len)
{
	if (sink->failed)
		return;
	if (len > sink->cap - sink->len) {
		sink_flush(sink);
		if (len > sink->cap) {
			if (!sink->failed && sink->writer->write(sink->writer->ctx, data, len) != 0)
				sink->failed = HF_EIO;
			return;
		}
	}
	memcpy(sink->buf + sink->len, data, len);
	sink->len += len;
}

void hf__sink_put_through(hf__sink *sink, const void *data, size_t len)
{
	sink_flush(sink);
	if (!sink->failed && len && sink->writer->write(sink->writer->ctx, data, len) != 0)
		sink->failed = HF_EIO;
}

char *hf__sink_room_slow(hf__sink *sink, size_t n)
{
	if (sink->failed)
		return NULL;
	sink_flush(sink);
	return !sink->failed && n <= sink->cap ? sink->buf : NULL;
}

void hf__sink_puts(hf__sink *sink, const char *s)
{
	hf__sink_put(sink, s, strlen(s));
}

const char hf__digit_pairs[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

void hf__sink_i64(hf__sink *sink, int64_t v)
{
	char tmp[24];
	hf__sink_put(sink, tmp, (size_t)(hf__i64_text(tmp, v) - tmp));
}

void hf__sink_printf(hf__sink *sink, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		sink->failed = HF_EIO;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		hf__sink_put(sink, small, (size_t)n);
		return;
	}
	char *big = hf__malloc((size_t)n + 1);
	if (!big) {
		sink->failed = HF_ENOMEM;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	hf__sink_put(sink, big, (size_t)n);
	hf__free(big);
}

int hf__sink_finish(hf__sink *sink, hf_error *err)
{
	sink_flush(sink);
	hf__free(sink->buf);
	sink->buf = NULL;
	/* Later puts go to the slow path, which drops them. */
	sink->len = sink->cap = 0;
	int failed = sink->failed;
	if (!failed)
		sink->failed = HF_EIO;
	if (failed == HF_ENOMEM)
		return hf__oom(err);
	if (failed)
		return hf__error(err, HF_EIO, "write failed");
	return HF_OK;
}
