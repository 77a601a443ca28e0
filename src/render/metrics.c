/*
 * Label fitting with real font metrics: advance widths per code point,
 * measured once with pango for the chosen font (ASCII up front, the rest of
 * the BMP on first use). Without cairo, or with an explicit --fontwidth,
 * every character is font_size * font_width wide, as in flamegraph.pl.
 */
#include "render.h"

#include <string.h>

#ifdef HF_HAVE_CAIRO
typedef struct pango_state {
	hf__pango P;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoLayout *layout;
} pango_state;

static double measure(hf__metrics *m, uint32_t cp)
{
	pango_state *ps = m->impl;
	char buf[8];
	int n;
	if (cp < 0x80) {
		buf[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		buf[0] = (char)(0xc0 | cp >> 6), buf[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | cp >> 12), buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		return m->size;
	}
	ps->P.pango_layout_set_text(ps->layout, buf, n);
	PangoRectangle logical;
	ps->P.pango_layout_get_extents(ps->layout, NULL, &logical);
	return (double)logical.width / PANGO_SCALE;
}
#endif

int hf__render_metrics_init(hf__metrics *m, const char *font, double size, double fixed_width,
	hf_error *err)
{
	memset(m, 0, sizeof(*m));
	m->size = size;
	m->fixed = fixed_width > 0 ? fixed_width * size : 0;
#ifdef HF_HAVE_CAIRO
	if (m->fixed == 0) {
		pango_state *ps = hf__calloc(1, sizeof(*ps));
		if (!ps)
			return hf__oom(err);
		int rc = hf__render_pango_open(&ps->P,
			"labels cannot be measured (--fontwidth sets a fixed width)", err);
		if (rc != HF_OK) {
			hf__free(ps);
			return rc;
		}
		const hf__pango *P = &ps->P;
		ps->surface = P->cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
		ps->cr = P->cairo_create(ps->surface);
		ps->layout = P->pango_cairo_create_layout(ps->cr);
		if (!ps->layout) {
			P->cairo_destroy(ps->cr);
			P->cairo_surface_destroy(ps->surface);
			hf__render_pango_close(&ps->P);
			hf__free(ps);
			return hf__error(err, HF_ERENDER, "pango: cannot create a layout");
		}
		PangoFontDescription *fd = P->pango_font_description_from_string(font ? font : "Verdana");
		P->pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
		P->pango_layout_set_font_description(ps->layout, fd);
		P->pango_font_description_free(fd);
		m->impl = ps;
		for (uint32_t c = 0; c < 128; c++)
			m->ascii[c] = c < 32 || c == 127 ? 0 : measure(m, c);
		return HF_OK;
	}
#else
	(void)font;
	(void)err;
#endif
	if (m->fixed == 0)
		m->fixed = 0.59 * size;
	return HF_OK;
}

static double cp_width(hf__metrics *m, uint32_t cp)
{
	if (m->fixed > 0)
		return m->fixed;
	if (cp < 128)
		return m->ascii[cp];
#ifdef HF_HAVE_CAIRO
	if (cp < 0x10000) {
		if (!m->bmp) {
			m->bmp = hf__malloc(0x10000 * sizeof(float));
			if (!m->bmp)
				return m->size;
			for (size_t i = 0; i < 0x10000; i++)
				m->bmp[i] = -1.0f;
		}
		if (m->bmp[cp] < 0)
			m->bmp[cp] = (float)measure(m, cp);
		return m->bmp[cp];
	}
#endif
	return m->size;
}

double hf__render_metrics_width(hf__metrics *m, const char *s, size_t len)
{
	double w = 0;
	for (size_t i = 0; i < len;)
		w += cp_width(m, hf__utf8_next(s, len, &i));
	return w;
}

size_t hf__render_fit_label(hf__metrics *m, const char *name, size_t len, double width, bool *dots)
{
	*dots = false;
	if (m->fixed > 0 && !m->impl) {
		/* flamegraph.pl: chars = int(width / (fontsize * fontwidth)); at
		 * least 3, the last two replaced by ".." when cut */
		double c = width / m->fixed;
		size_t chars = c > 1e9 ? (size_t)1e9 : (size_t)c;
		if (chars < 3)
			return 0;
		size_t i = 0, n = 0;
		while (i < len && n < chars) {
			hf__utf8_next(name, len, &i);
			n++;
		}
		if (i == len)
			return len;
		/* cut: keep chars - 2 code points */
		i = 0;
		for (size_t k = 0; k + 2 < chars; k++)
			hf__utf8_next(name, len, &i);
		*dots = true;
		return i;
	}
	double avail = width - 3;
	double dot2 = 2 * cp_width(m, '.');
	if (avail <= dot2)
		return 0;
	double w = 0;
	size_t i = 0, fit = 0;
	while (i < len) {
		size_t j = i;
		w += cp_width(m, hf__utf8_next(name, len, &j));
		if (w > avail)
			break;
		if (w + dot2 <= avail)
			fit = j;
		i = j;
	}
	if (i == len)
		return len;
	if (fit == 0)
		return 0;
	*dots = true;
	return fit;
}

void hf__render_metrics_dispose(hf__metrics *m)
{
#ifdef HF_HAVE_CAIRO
	pango_state *ps = m->impl;
	if (ps) {
		ps->P.g_object_unref(ps->layout);
		ps->P.cairo_destroy(ps->cr);
		ps->P.cairo_surface_destroy(ps->surface);
		hf__render_pango_close(&ps->P);
		hf__free(ps);
	}
#endif
	hf__free(m->bmp);
	memset(m, 0, sizeof(*m));
}

/* A label font measured ahead of the render, on a second thread. */
struct hf_flame_fonts {
	char *font;          /* the font_type measured (a copy) */
	double size, width;  /* font_size, font_width */
	hf__thread *thread;  /* measuring; joined by the first render */
	int rc;              /* HF_OK: metrics are measured */
	hf__metrics metrics;
};

static void measure_fonts(void *arg)
{
	hf_flame_fonts *fonts = arg;
	/* an error is the render's to report: it measures again and meets it */
	fonts->rc = hf__render_metrics_init(&fonts->metrics, fonts->font, fonts->size,
		fonts->width, NULL);
}

int hf_flame_fonts_start(hf_flame_fonts **out, const hf_flame_options *given, hf_error *err)
{
	const hf_flame_options defaults = HF_FLAME_OPTIONS_INIT;
	const hf_flame_options *opts = given ? given : &defaults;
	const char *font = opts->font_type ? opts->font_type : "Verdana";
	size_t len = strlen(font);
	hf_flame_fonts *fonts = hf__calloc(1, sizeof(*fonts));
	*out = NULL;
	if (!fonts || !(fonts->font = hf__malloc(len + 1))) {
		hf__free(fonts);
		return hf__oom(err);
	}
	memcpy(fonts->font, font, len + 1);
	fonts->size = opts->font_size;
	fonts->width = opts->font_width;
	fonts->rc = HF_ENOTFOUND; /* not measured: each render measures its own */
#ifdef HF_HAVE_CAIRO
	/* Only pango is slow to start; fixed widths are a multiplication. */
	if (opts->font_width <= 0 && hf__parallel_pays(2, 2))
		fonts->thread = hf__thread_start(measure_fonts, fonts);
#endif
	*out = fonts;
	return HF_OK;
}

void hf_flame_fonts_free(hf_flame_fonts *fonts)
{
	if (!fonts)
		return;
	hf__thread_join(fonts->thread);
	if (fonts->rc == HF_OK)
		hf__render_metrics_dispose(&fonts->metrics);
	hf__free(fonts->font);
	hf__free(fonts);
}

int hf__render_metrics_acquire(const hf_flame *f, hf__metrics *own, hf__metrics **out,
	hf_error *err)
{
	const hf_flame_options *o = &f->opts;
	hf_flame_fonts *fonts = o->fonts;
	if (fonts) {
		hf__thread_join(fonts->thread);
		fonts->thread = NULL;
		if (fonts->rc == HF_OK && !strcmp(fonts->font, o->font_type) &&
		    fonts->size == o->font_size && fonts->width == o->font_width) {
			*out = &fonts->metrics;
			return HF_OK;
		}
	}
	int rc = hf__render_metrics_init(own, o->font_type, o->font_size, o->font_width, err);
	*out = rc == HF_OK ? own : NULL;
	return rc;
}

void hf__render_metrics_release(hf__metrics *m, hf__metrics *own)
{
	if (m == own)
		hf__render_metrics_dispose(own);
}
