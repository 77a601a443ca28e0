/* UTF-8 decoding shared by the theme colour hash and the label fitting. */
#include "util.h"

uint32_t hf__utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t p = *i;
	uint32_t c = s[p];
	size_t need;
	uint32_t min;
	if (c < 0x80) {
		*i = p + 1;
		return c;
	} else if ((c & 0xe0) == 0xc0) {
		need = 1, min = 0x80, c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		need = 2, min = 0x800, c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		need = 3, min = 0x10000, c &= 0x07;
	} else {
		*i = p + 1;
		return s[p];
	}
	if (p + need >= len) { /* truncated sequence */
		*i = p + 1;
		return s[p];
	}
	for (size_t k = 1; k <= need; k++) {
		if ((s[p + k] & 0xc0) != 0x80) {
			*i = p + 1;
			return s[p];
		}
		c = (c << 6) | (s[p + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*i = p + 1;
		return s[p];
	}
	*i = p + need + 1;
	return c;
}

size_t hf__utf8_printable(const unsigned char *s, size_t n, bool keep_tab)
{
	if (s[0] < 0x80)
		return (keep_tab && s[0] == '\t') || (s[0] >= 0x20 && s[0] != 0x7f);
	uint32_t c;
	size_t len;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1fu;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0fu;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
		(c >= 0xd800 && c <= 0xdfff) || (c >= 0x80 && c <= 0x9f))
		return 0;
	return len;
}
