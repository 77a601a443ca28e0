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
 * 2^53 or more, infinities and NaNs go to snprintf. Written in place, two
 * digits at a time: the frames' coordinates are three of these each.
 */
char *hf__render_fixed_at(char *p, double v, int decimals)
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
		int n = snprintf(p, HF__FIXED_MAX, "%.*f", decimals, v);
		return p + (n < 0 ? 0 : n < HF__FIXED_MAX ? n : HF__FIXED_MAX - 1);
	}
	uint64_t q = m * pow10[decimals]; /* < 2^53 * 1000 < 2^63 */
	if (e < 0) {
		int s = -e;
		if (s >= 64) {
			q = 0; /* q / 2^64 < 1/2 */
		} else {
			uint64_t r = q & ((UINT64_C(1) << s) - 1), half = UINT64_C(1) << (s - 1);
			q >>= s;
			if (r > half || (r == half && (q & 1)))
				q++;
		}
	}
	if (bits >> 63)
		*p++ = '-';
	uint64_t whole = q / pow10[decimals];
	unsigned frac = (unsigned)(q % pow10[decimals]);
	p = hf__u64_text(p, whole);
	switch (decimals) {
	case 1:
		p[0] = '.';
		p[1] = (char)('0' + frac);
		return p + 2;
	case 2:
		p[0] = '.';
		memcpy(p + 1, hf__digit_pairs + 2 * frac, 2);
		return p + 3;
	case 3:
		p[0] = '.';
		p[1] = (char)('0' + frac / 100);
		memcpy(p + 2, hf__digit_pairs + 2 * (frac % 100), 2);
		return p + 4;
	default:
		return p;
	}
}

size_t hf__render_format_fixed(char *buf, size_t size, double v, int decimals)
{
	if (decimals < 0 || decimals > 3) {
		int n = snprintf(buf, size, "%.*f", decimals, v);
		return n < 0 ? 0 : (size_t)n;
	}
	char tmp[HF__FIXED_MAX];
	size_t n = (size_t)(hf__render_fixed_at(tmp, v, decimals) - tmp);
	if (size) {
		size_t k = n < size ? n : size - 1;
		memcpy(buf, tmp, k);
		buf[k] = '\0';
	}
	return n;
}

/*
 * The values' text is written in place, piece by piece, each piece cut as
 * the buffer it was once built in by snprintf cut it (the value to 95
 * bytes, the percentage to 31, the raw count to 63); the pieces' own
 * numbers are short (|v| < 2^63 scales to under 2^53), only the count's
 * name is copied no further than its piece's end.
 */
enum {
	VALUE_SIZE = 96,
	PCT_SIZE = 32,
	RAW_SIZE = 64,
	NUM_SIZE = 64,
	/* the longest title (a diff's: 95 + 2 + 31 + 9 + 95 + 9 + 1 + 95)
	 * and on the way the percentage before its cut (2 + 95 + HF__FIXED_MAX) */
	INFO_WORK = 512,
};

static char *cut(char *start, char *end, size_t size)
{
	return (size_t)(end - start) < size ? end : start + size - 1;
}

/* s after p, but not past limit */
static char *put_upto(char *p, const char *s, size_t len, const char *limit)
{
	size_t room = p < limit ? (size_t)(limit - p) : 0;
	if (len > room)
		len = room;
	memcpy(p, s, len);
	return p + len;
}

/* "1,234,567" at p (at most 26 bytes); returns the end */
static char *thousands_at(char *p, int64_t v)
{
	char digits[24];
	const char *d = digits, *end = hf__i64_text(digits, v);
	if (*d == '-')
		*p++ = *d++;
	size_t n = (size_t)(end - d), head = (n - 1) % 3 + 1;
	memcpy(p, d, head);
	p += head;
	for (d += head; d < end; d += 3) {
		*p++ = ',';
		memcpy(p, d, 3);
		p += 3;
	}
	return p;
}

/* v in the flame's unit ("1.21 MB", "1,234 objects") at p, cut to size - 1
 * bytes: size >= NUM_SIZE, so the number itself is never cut; returns the
 * end */
static char *value_at(const hf_flame *f, int64_t v, char *p, size_t size)
{
	char *start = p;
	const char *limit = p + size - 1, *unit;
	double a = v < 0 ? -(double)v : (double)v;
	if (f->unit == HF_UNIT_BYTES && !f->explicit_count_name) {
		static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
		int u = 0;
		while (u < 5 && a >= 1024.0) {
			a /= 1024.0;
			u++;
		}
		unit = units[u];
	} else if (f->unit == HF_UNIT_NANOSECONDS && !f->explicit_count_name) {
		static const char *const units[] = {"ns", "us", "ms", "s"};
		int u = 0;
		while (u < 3 && a >= 1000.0) {
			a /= 1000.0;
			u++;
		}
		unit = units[u];
	} else {
		p = thousands_at(p, v);
		*p++ = ' ';
		return cut(start, put_upto(p, f->count_name, strlen(f->count_name), limit), size);
	}
	/* "1.21 MB", "512 B": two decimals unless both are 0 */
	p = cut(start, hf__render_fixed_at(p, v < 0 ? -a : a, 2), NUM_SIZE);
	if (p - start > 3 && !memcmp(p - 3, ".00", 3))
		p -= 3;
	*p++ = ' ';
	return cut(start, put_upto(p, unit, strlen(unit), limit), size);
}

void hf__render_format_value(const hf_flame *f, int64_t v, char *buf, size_t size)
{
	if (!size)
		return;
	char tmp[NUM_SIZE];
	char *p = size >= NUM_SIZE ? buf : tmp;
	size_t n = (size_t)(value_at(f, v, p, size >= NUM_SIZE ? size : NUM_SIZE) - p);
	if (n >= size)
		n = size - 1;
	if (p != buf)
		memcpy(buf, p, n);
	buf[n] = '\0';
}

/* The frame's values' text at p (at most INFO_WORK bytes); returns the end. */
static char *frame_info_at(const hf_flame *f, size_t i, char *p)
{
	const hf__flame_frame *fr = &f->frames[i];
	p = value_at(f, fr->value, p, VALUE_SIZE);
	p = HF__PUT_LITERAL(p, ", ");
	if (i == 0) {
		p = HF__PUT_LITERAL(p, "100%");
	} else {
		char *pct = p;
		double share = f->total ? 100.0 * (double)fr->value / (double)f->total : 0.0;
		p = cut(pct, hf__render_fixed_at(p, share, 2), PCT_SIZE);
		*p++ = '%';
		p = cut(pct, p, PCT_SIZE);
	}
	if (!f->diff) {
		/* scaled units also show the raw count, with thousands separators */
		if (f->unit != HF_UNIT_COUNT && !f->explicit_count_name) {
			char *raw = p;
			p = HF__PUT_LITERAL(p, "; ");
			p = thousands_at(p, fr->value);
			*p++ = ' ';
			p = put_upto(p, f->count_name, strlen(f->count_name), raw + RAW_SIZE - 1);
		}
		return p;
	}
	p = HF__PUT_LITERAL(p, "; before ");
	p = value_at(f, fr->base, p, VALUE_SIZE);
	p = HF__PUT_LITERAL(p, ", change ");
	if (fr->value - fr->base > 0)
		*p++ = '+';
	return value_at(f, fr->value - fr->base, p, VALUE_SIZE);
}

size_t hf__render_frame_info(const hf_flame *f, size_t i, char *buf, size_t size)
{
	if (!size)
		return 0;
	char tmp[INFO_WORK];
	char *p = size >= INFO_WORK ? buf : tmp;
	size_t n = (size_t)(frame_info_at(f, i, p) - p);
	if (n >= size)
		n = size - 1;
	if (p != buf)
		memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}
