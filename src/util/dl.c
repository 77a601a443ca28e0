/*
 * Opening an optional shared library at run time (dlopen) and looking up
 * the functions a module calls into a table of pointers: libcurl for URLs,
 * cairo/pango for PNG, PDF and font metrics, Graphviz for drawn call
 * graphs. Linking them made every run load and relocate their ~45
 * libraries, --folded and --top included (bench/README.md). The handle is
 * the caller's own: dlopen counts references, and RTLD_NODELETE keeps a
 * library loaded after the last dlclose (cairo's, fontconfig's and the TLS
 * libraries' process-wide state does not expect to be unloaded).
 */
#include "util.h"

#if defined(HF_HAVE_CURL) || defined(HF_HAVE_CAIRO) || defined(HF_HAVE_GRAPHVIZ)
#include <dlfcn.h>

void *hf__dl_open(const char *soname, const hf__dl_symbol *symbols, size_t count, void *table,
	const char *what, hf_error *err)
{
	void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!handle) {
		const char *why = dlerror();
		hf__error(err, HF_EUNSUPPORTED, "%s: %s", what, why ? why : soname);
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		void *sym = dlsym(handle, symbols[i].name);
		if (!sym) {
			dlclose(handle);
			hf__error(err, HF_EUNSUPPORTED, "%s: %s has no %s", what, soname, symbols[i].name);
			return NULL;
		}
		/* A function pointer's bytes: ISO C has no cast from void * to one. */
		memcpy((char *)table + symbols[i].offset, &sym, sizeof(sym));
	}
	return handle;
}

void hf__dl_close(void *handle)
{
	if (handle)
		dlclose(handle);
}
#endif
