/* Escaping for the HTML report: JSON inside <script>, and HTML text. */
#include "html.h"

#include <stdio.h>

/* Length of the valid UTF-8 sequence at s[0..len), or 0 if invalid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_valid(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

void hf__html_put_json_chars(hf__sink *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, plain = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_valid(s + i, len - i, &cp);
		bool escape = n == 0 || cp < 0x20 || cp == '"' || cp == '\\' || cp == '<' ||
			cp == '>' || cp == '&' || cp == 0x7f || cp == 0x2028 || cp == 0x2029;
		if (!escape) {
			i += n;
			continue;
		}
		hf__sink_put(out, str + plain, i - plain);
		char buf[8];
		if (n == 0) {
			hf__sink_puts(out, "\\ufffd");
			n = 1;
		} else if (cp == '"' || cp == '\\') {
			buf[0] = '\\';
			buf[1] = (char)cp;
			hf__sink_put(out, buf, 2);
		} else if (cp == '\t') {
			hf__sink_puts(out, "\\t"); /* source lines are indented with tabs */
		} else {
			snprintf(buf, sizeof(buf), "\\u%04x", (unsigned)cp);
			hf__sink_put(out, buf, 6);
		}
		i += n;
		plain = i;
	}
	hf__sink_put(out, str + plain, len - plain);
}

void hf__html_put_text(hf__sink *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, plain = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_valid(s + i, len - i, &cp);
		const char *rep = n == 0 ? "\xef\xbf\xbd" : cp == '<' ? "&lt;" : cp == '>' ? "&gt;"
			: cp == '&' ? "&amp;" : cp == '"' ? "&quot;" : cp == '\'' ? "&#39;"
			: (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f ? "?" : NULL;
		if (!rep) {
			i += n;
			continue;
		}
		hf__sink_put(out, str + plain, i - plain);
		hf__sink_puts(out, rep);
		i += n ? n : 1;
		plain = i;
	}
	hf__sink_put(out, str + plain, len - plain);
}
