/* The one escaper of names for markup (SVG, HTML) and for JSON inside an
 * HTML <script>: the flame graph, the HTML report and the growth page call
 * it, each with the forms its format and its tests fix. */
#include "util.h"

#include <stdio.h>

/* What may pass through as is: printable ASCII but for what is special in
 * the format. Everything else goes through the UTF-8 decoder. A table, as
 * names are escaped byte by byte (a flame graph's frames write theirs
 * twice: ~1,000 instructions a frame with seven tests per byte). */
#define PLAIN_8(c) (c) >= 0x20 && (c) < 0x7f && (c) != '&' && (c) != '<' && (c) != '>' && \
	(c) != '"' && (c) != '\''
#define PLAIN_ROW(r) PLAIN_8(r), PLAIN_8(r + 1), PLAIN_8(r + 2), PLAIN_8(r + 3), \
	PLAIN_8(r + 4), PLAIN_8(r + 5), PLAIN_8(r + 6), PLAIN_8(r + 7)
static const bool markup_plain[256] = {
	PLAIN_ROW(0x00), PLAIN_ROW(0x08), PLAIN_ROW(0x10), PLAIN_ROW(0x18),
	PLAIN_ROW(0x20), PLAIN_ROW(0x28), PLAIN_ROW(0x30), PLAIN_ROW(0x38),
	PLAIN_ROW(0x40), PLAIN_ROW(0x48), PLAIN_ROW(0x50), PLAIN_ROW(0x58),
	PLAIN_ROW(0x60), PLAIN_ROW(0x68), PLAIN_ROW(0x70), PLAIN_ROW(0x78),
	/* 0x80 and up: false */
};

/*
 * Where hf__escape_markup's next change to s[0..len) starts at or after i
 * (len when none): *next is set past the bytes it replaces. Well-formed
 * UTF-8 passes through, and so do tab and newline where the style keeps
 * them.
 */
static size_t next_change(const char *s, size_t len, size_t i, const hf__markup_style *style,
	size_t *next)
{
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (markup_plain[c]) {
			i++;
			continue;
		}
		size_t at = i;
		uint32_t cp = hf__utf8_next(s, len, &i);
		bool multi = c >= 0x80 && i - at > 1;
		if (multi && !(style->invalid_noncharacters && (cp == 0xfffe || cp == 0xffff)))
			continue; /* well-formed UTF-8 passes through */
		if (style->keep_tab_newline && (c == '\t' || c == '\n'))
			continue;
		*next = i;
		return at;
	}
	*next = len;
	return len;
}

bool hf__markup_is_plain(const char *s, size_t len, const hf__markup_style *style)
{
	size_t next;
	return next_change(s, len, 0, style, &next) == len;
}

void hf__escape_markup(hf__sink *out, const char *s, size_t len, const hf__markup_style *style)
{
	size_t run = 0; /* start of the pending run of bytes that pass through */
	for (;;) {
		size_t next, at = next_change(s, len, run, style, &next);
		hf__sink_put(out, s + run, at - run);
		if (at == len)
			return;
		unsigned char c = (unsigned char)s[at];
		run = next;
		switch (c) {
		case '&': hf__sink_puts(out, "&amp;"); break;
		case '<': hf__sink_puts(out, "&lt;"); break;
		case '>': hf__sink_puts(out, "&gt;"); break;
		case '"': hf__sink_puts(out, "&quot;"); break;
		case '\'': hf__sink_puts(out, style->apos); break;
		default:
			if (c >= 0x80)
				hf__sink_puts(out, style->invalid);
			else if (style->control)
				hf__sink_puts(out, style->control);
			else /* its control picture: U+2400 + c, U+2421 for DEL */
				hf__sink_printf(out, "&#x%X;", c == 0x7f ? 0x2421u : 0x2400u + c);
			break;
		}
	}
}

void hf__escape_json(hf__sink *out, const char *s, size_t len, bool short_forms)
{
	size_t run = 0, i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
			i++;
			continue;
		}
		size_t at = i;
		uint32_t cp = hf__utf8_next(s, len, &i);
		bool multi = c >= 0x80 && i - at > 1;
		if (multi && cp != 0x2028 && cp != 0x2029)
			continue; /* well-formed UTF-8 passes through */
		hf__sink_put(out, s + run, at - run);
		run = i;
		if (short_forms && (c == '"' || c == '\\'))
			hf__sink_put(out, c == '"' ? "\\\"" : "\\\\", 2);
		else if (short_forms && c == '\t')
			hf__sink_puts(out, "\\t");
		else
			hf__sink_printf(out, "\\u%04x", c >= 0x80 && !multi ? 0xfffdu : (unsigned)cp);
	}
	hf__sink_put(out, s + run, len - run);
}
