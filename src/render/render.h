/*
 * Drawing a laid-out flame graph: our SVG writer (svg.c, with the embedded
 * script and style), PNG/PDF through cairo (cairo.c) and the font metrics
 * that fit labels into frames (metrics.c). Above flame/ and theme/.
 */
#ifndef HF_RENDER_H
#define HF_RENDER_H

#include "../flame/flame.h"
#include "../theme/theme.h"

/* Numbers (format.c). */
/* The title text of frame `i` (without the name), e.g. "1.21 MB, 4.56%",
 * cut to size - 1 bytes as snprintf would; returns its length. */
size_t hf__render_frame_info(const hf_flame *f, size_t i, char *buf, size_t size);
/* Formats a value in the flame's unit ("1.21 MB", "1,234 objects"). */
void hf__render_format_value(const hf_flame *f, int64_t v, char *buf, size_t size);
/*
 * snprintf(buf, size, "%.*f", decimals, v), byte for byte, for decimals
 * 0..3, without the C library's float formatting for |v| < 2^53. Returns
 * the length snprintf would return.
 */
size_t hf__render_format_fixed(char *buf, size_t size, double v, int decimals);
/*
 * The same written at p, which has room for HF__FIXED_MAX bytes (any
 * double's "%.3f"), for decimals 0..3; returns the end. Not terminated
 * (values of 2^53 or more leave snprintf's NUL after the end).
 */
enum { HF__FIXED_MAX = 330 };
char *hf__render_fixed_at(char *p, double v, int decimals);
/* The string literal s written at p (no NUL); the end. The frames' and
 * values' text is written in place with it (svg.c, format.c). */
#define HF__PUT_LITERAL(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

/*
 * Label fitting with font metrics: advance widths per code point from
 * pango when built with cairo, else font_size * font_width per character.
 */
typedef struct hf__metrics {
	double size;
	double fixed;      /* > 0: flamegraph.pl's fixed glyph width */
	double ascii[128];
	float *bmp;        /* lazily measured; < 0 = not yet */
	void *impl;        /* pango state */
} hf__metrics;

int hf__render_metrics_init(hf__metrics *m, const char *font, double size, double fixed_width,
	hf_error *err);
double hf__render_metrics_width(hf__metrics *m, const char *s, size_t len);
void hf__render_metrics_dispose(hf__metrics *m);
/*
 * The metrics a render of f uses (*out): those of its options' fonts
 * (hf_flame_fonts_start, waited for here) when they were measured for the
 * same font, size and width, else `own`, measured now with the errors
 * hf__render_metrics_init gives. hf__render_metrics_release disposes of
 * `own` if it was used.
 */
int hf__render_metrics_acquire(const hf_flame *f, hf__metrics *own, hf__metrics **out,
	hf_error *err);
void hf__render_metrics_release(hf__metrics *m, hf__metrics *own);
/*
 * The label for a name in `width` px: the whole name, or a prefix (never
 * cut inside a UTF-8 sequence) followed by "..", or nothing. Returns the
 * prefix length in bytes and sets *dots when ".." follows.
 */
size_t hf__render_fit_label(hf__metrics *m, const char *name, size_t len, double width, bool *dots);

/* The viewer's files (flame.js, flame.css), compiled in by cmake/embed.cmake. */
extern const hf__embedded hf__embedded_assets[];
extern const size_t hf__embedded_asset_count;

#ifdef HF_HAVE_CAIRO
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

/*
 * cairo and pango, opened when a run draws PNG or PDF or measures labels
 * (pango.c), not linked: their ~40 libraries (fontconfig, freetype,
 * harfbuzz, glib, X11's) are loaded by those runs only. The table's members
 * are named as the functions they point to: P->cairo_create(...).
 */
#define HF_PANGO_FUNCTIONS(X) \
	X(cairo_arc) X(cairo_clip) X(cairo_close_path) X(cairo_create) X(cairo_destroy) \
	X(cairo_fill) X(cairo_image_surface_create) X(cairo_move_to) X(cairo_new_sub_path) \
	X(cairo_pattern_add_color_stop_rgb) X(cairo_pattern_create_linear) \
	X(cairo_pattern_destroy) X(cairo_pdf_surface_create_for_stream) X(cairo_rectangle) \
	X(cairo_restore) X(cairo_save) X(cairo_set_source) X(cairo_set_source_rgb) \
	X(cairo_status) X(cairo_status_to_string) X(cairo_surface_destroy) \
	X(cairo_surface_finish) X(cairo_surface_status) X(cairo_surface_write_to_png_stream) \
	X(g_object_unref) X(pango_cairo_create_layout) X(pango_cairo_show_layout) \
	X(pango_font_description_free) X(pango_font_description_from_string) \
	X(pango_font_description_set_absolute_size) X(pango_layout_get_baseline) \
	X(pango_layout_get_extents) X(pango_layout_get_pixel_size) \
	X(pango_layout_set_font_description) X(pango_layout_set_text)

typedef struct hf__pango {
	void *handle;
#define HF_PANGO_MEMBER(name) __typeof__(name) *name;
	HF_PANGO_FUNCTIONS(HF_PANGO_MEMBER)
#undef HF_PANGO_MEMBER
} hf__pango;

/* Opens cairo and pango into *P; HF_EUNSUPPORTED ("WHAT: why") when they
 * cannot be loaded. */
int hf__render_pango_open(hf__pango *P, const char *what, hf_error *err);
void hf__render_pango_close(hf__pango *P);
#endif

/* The embedded viewer files (flame.js, flame.css) by name, or NULL. */
const hf__embedded *hf__render_embedded_asset(const char *name);

#endif
