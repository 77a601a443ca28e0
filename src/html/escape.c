/* Escaping for the HTML report: JSON inside <script>, and HTML text, in
 * the forms the report's tests fix (util's one escaper does the work). */
#include "html.h"

/* HTML text: tab and newline kept (source lines), other control characters
 * as '?', as --list prints them; bytes that are not UTF-8 as U+FFFD. */
static const hf__markup_style text_style = {
	.apos = "&#39;",
	.invalid = "\xef\xbf\xbd",
	.control = "?",
	.keep_tab_newline = true,
};

void hf__html_put_json_chars(hf__sink *out, const char *s, size_t len)
{
	hf__escape_json(out, s, len, true);
}

void hf__html_put_text(hf__sink *out, const char *s, size_t len)
{
	hf__escape_markup(out, s, len, &text_style);
}
