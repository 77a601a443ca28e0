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
