/* cairo and pango opened on use (render.h: hf__pango). */
#include "render.h"

#ifdef HF_HAVE_CAIRO
#include <stddef.h>

/* Set by the build from the library it found (pango/cairo's run-time name);
 * its dependencies, cairo, pango and gobject, are searched with it. */
#ifndef HF_PANGOCAIRO_SONAME
#define HF_PANGOCAIRO_SONAME "libpangocairo-1.0.so.0"
#endif

int hf__render_pango_open(hf__pango *P, const char *what, hf_error *err)
{
	static const hf__dl_symbol symbols[] = {
#define HF_PANGO_SYMBOL(name) {#name, offsetof(hf__pango, name)},
		HF_PANGO_FUNCTIONS(HF_PANGO_SYMBOL)
#undef HF_PANGO_SYMBOL
	};
	memset(P, 0, sizeof(*P));
	P->handle = hf__dl_open(HF_PANGOCAIRO_SONAME, symbols, sizeof(symbols) / sizeof(symbols[0]),
		P, what, err);
	return P->handle ? HF_OK : HF_EUNSUPPORTED;
}

void hf__render_pango_close(hf__pango *P)
{
	hf__dl_close(P->handle);
	memset(P, 0, sizeof(*P));
}
#endif
