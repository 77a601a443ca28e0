/*
 * Numbers in the flame graph's text: the SVG's fixed-point coordinates
 * without printf, and values in the flame's unit for titles and tooltips.
 */
#include "render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * snprintf's "%.*f" for 0..3 decimals without the C library's general
 * float-to-decimal machinery, which was a third of the flame SVG's
 * instructions. Exact, as glibc: the double's binary value m * 2^e times
 * 10^decimals is rounded to an integer with integer arithmetic, ties to
 * even; the sign is kept for values that round to zero ("-0.0"). Values of
 * 2^53 or more, infinities and NaNs go to snprintf.
 */
size_t hf__render_format_fixed(char *buf, size_t size, double v, int decimals)
{
	static const uint64_t pow10[] = {1, 10, 100, 1000};
	uint64_t bits;
	memcpy(&bits, &v, sizeof(bits));
	int ex = (int)(bits >> 52 & 0x7ff);
	uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
	int e;
	if (ex == 0) {
		e = -1074; /* subnormal */
	} else {
		m |= UINT64_C(1) << 52;
		e = ex - 1075;
	}
	if (ex == 0x7ff || e > 0 || decimals < 0 || decimals > 3) {
		int n = snprintf(buf, size, "%.*f", decimals, v);
		return n < 0 ? 0 : (size_t)n;
	}
	uint64_t p = m * pow10[decimals]; /* < 2^53 * 1000 < 2^63 */
	uint64_t q;
	if (e == 0) {
		q = p;
	} else if (-e >= 64) {
		q = 0; /* p / 2^64 < 1/2 */
	} else {
		int s = -e;
		q = p >> s;
		uint64_t r = p & ((UINT64_C(1) << s) - 1), half = UINT64_C(1) << (s - 1);
		if (r > half || (r == half && (q & 1)))
			q++;
	}
	char tmp[32];
	char *t = tmp + sizeof(tmp);
	for (int d = 0; d < decimals; d++) {
		*--t = (char)('0' + q % 10);
		q /= 10;
	}
	if (decimals > 0)
		*--t = '.';
	do {
		*--t = (char)('0' + q % 10);
		q /= 10;
	} while (q);
	if (bits >> 63)
		*--t = '-';
	size_t n = (size_t)(tmp + sizeof(tmp) - t);
	if (size) {
		size_t k = n < size ? n : size - 1;
		memcpy(buf, t, k);
		buf[k] = '\0';
	}
	return n;
}

/* snprintf's truncation for a string built in pieces: at most size - 1
 * bytes are kept, always NUL-terminated (size > 0). */
typedef struct strbuf {
	char *buf;
	size_t size, len;
} strbuf;

static void sb_put(strbuf *b, const char *s, size_t n)
{
	size_t room = b->size - 1 - b->len;
	if (n > room)
		n = room;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

static void sb_puts(strbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static strbuf sb_init(char *buf, size_t size)
{
	strbuf b = {buf, size, 0};
	buf[0] = '\0';
	return b;
}

/* "1,234,567" into tmp (48 bytes); returns the length */
static size_t thousands(int64_t v, char *tmp)
{
	char digits[24];
	char *d = digits + sizeof(digits);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--d = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	int n = (int)(digits + sizeof(digits) - d);
	size_t k = 0;
	if (v < 0)
		tmp[k++] = '-';
	for (int i = 0; i < n; i++) {
		tmp[k++] = d[i];
		if ((n - i - 1) % 3 == 0 && i != n - 1)
			tmp[k++] = ',';
	}
	tmp[k] = '\0';
	return k;
}

static void format_scaled(double v, const char *unit, char *buf, size_t size)
{
	char num[64];
	size_t n = hf__render_format_fixed(num, sizeof(num), v, 2);
	if (n >= sizeof(num))
		n = sizeof(num) - 1;
	if (n > 3 && !strcmp(num + n - 3, ".00"))
		n -= 3;
	strbuf b = sb_init(buf, size);
	sb_put(&b, num, n);
	sb_put(&b, " ", 1);
	sb_puts(&b, unit);
}

void hf__render_format_value(const hf_flame *f, int64_t v, char *buf, size_t size)
{
	if (!size)
		return;
	double a = v < 0 ? -(double)v : (double)v;
	if (f->unit == HF_UNIT_BYTES && !f->explicit_count_name) {
		static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
		int u = 0;
		while (u < 5 && a >= 1024.0) {
			a /= 1024.0;
			u++;
		}
		format_scaled(v < 0 ? -a : a, units[u], buf, size);
	} else if (f->unit == HF_UNIT_NANOSECONDS && !f->explicit_count_name) {
		static const char *const units[] = {"ns", "us", "ms", "s"};
		int u = 0;
		while (u < 3 && a >= 1000.0) {
			a /= 1000.0;
			u++;
		}
		format_scaled(v < 0 ? -a : a, units[u], buf, size);
	} else {
		char num[48];
		strbuf b = sb_init(buf, size);
		sb_put(&b, num, thousands(v, num));
		sb_put(&b, " ", 1);
		sb_puts(&b, f->count_name);
	}
}

size_t hf__render_frame_info(const hf_flame *f, size_t i, char *buf, size_t size)
{
	if (!size)
		return 0;
	const hf__flame_frame *fr = &f->frames[i];
	char val[96], raw[64], pct[32];
	hf__render_format_value(f, fr->value, val, sizeof(val));
	if (i == 0) {
		memcpy(pct, "100%", 5);
	} else {
		double p = f->total ? 100.0 * (double)fr->value / (double)f->total : 0.0;
		size_t n = hf__render_format_fixed(pct, sizeof(pct), p, 2);
		strbuf b = {pct, sizeof(pct), n < sizeof(pct) ? n : sizeof(pct) - 1};
		sb_put(&b, "%", 1);
	}
	/* scaled units also show the raw count, with thousands separators */
	raw[0] = '\0';
	if (f->unit != HF_UNIT_COUNT && !f->explicit_count_name) {
		char num[48];
		strbuf b = sb_init(raw, sizeof(raw));
		sb_put(&b, "; ", 2);
		sb_put(&b, num, thousands(fr->value, num));
		sb_put(&b, " ", 1);
		sb_puts(&b, f->count_name);
	}
	strbuf b = sb_init(buf, size);
	sb_puts(&b, val);
	sb_put(&b, ", ", 2);
	sb_puts(&b, pct);
	if (!f->diff) {
		sb_puts(&b, raw);
		return b.len;
	}
	char before[96], change[96];
	hf__render_format_value(f, fr->base, before, sizeof(before));
	hf__render_format_value(f, fr->value - fr->base, change, sizeof(change));
	sb_puts(&b, "; before ");
	sb_puts(&b, before);
	sb_puts(&b, ", change ");
	if (fr->value - fr->base > 0)
		sb_put(&b, "+", 1);
	sb_puts(&b, change);
	return b.len;
}
