/* The one escaper of names for markup (SVG, HTML) and for JSON inside an
 * HTML <script>: the flame graph, the HTML report and the growth page call
 * it, each with the forms its format and its tests fix. */
#include "util.h"

#include <stdio.h>

/* What may pass through as is: printable ASCII but for what is special in
 * the format. Everything else goes through the UTF-8 decoder. */
static bool markup_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
}

void hf__escape_markup(hf__sink *out, const char *s, size_t len, const hf__markup_style *style)
{
	size_t run = 0; /* start of the pending run of bytes that pass through */
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (markup_plain(c)) {
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
		hf__sink_put(out, s + run, at - run);
		run = i;
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
	hf__sink_put(out, s + run, len - run);
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
