/* PNG and PDF: the SVG's layout drawn through cairo and pango (opened
 * for the call: render.h's hf__pango). */
#include "render.h"

#include <string.h>

#ifdef HF_HAVE_CAIRO

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
	hf_writer *w = closure;
	return w->write(w->ctx, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void set_rgb(const hf__pango *P, cairo_t *cr, uint32_t c)
{
	P->cairo_set_source_rgb(cr, (c >> 16) / 255.0, ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

/* Pango wants valid UTF-8 without controls: the same substitutions as the
 * SVG's (control pictures, U+FFFD). */
static size_t clean_utf8(const char *s, size_t len, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < len && k + 4 < cap;) {
		size_t at = i;
		uint32_t cp = hf__utf8_next(s, len, &i);
		if ((unsigned char)s[at] >= 0x80 && i - at == 1)
			cp = 0xfffd;
		else if (cp < 0x20)
			cp += 0x2400;
		else if (cp == 0x7f)
			cp = 0x2421;
		if (cp < 0x80) {
			out[k++] = (char)cp;
		} else if (cp < 0x800) {
			out[k++] = (char)(0xc0 | cp >> 6);
			out[k++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out[k++] = (char)(0xe0 | cp >> 12);
			out[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[k++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[k++] = (char)(0xf0 | cp >> 18);
			out[k++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			out[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[k++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	out[k] = '\0';
	return k;
}

static void draw_text(const hf__pango *P, cairo_t *cr, PangoLayout *layout, const char *s, size_t len,
	double x, double baseline, bool centre, char *buf, size_t cap)
{
	size_t n = clean_utf8(s, len, buf, cap);
	P->pango_layout_set_text(layout, buf, (int)n);
	int width, h;
	P->pango_layout_get_pixel_size(layout, &width, &h);
	double base = P->pango_layout_get_baseline(layout) / (double)PANGO_SCALE;
	P->cairo_move_to(cr, centre ? x - width / 2.0 : x, baseline - base);
	P->pango_cairo_show_layout(cr, layout);
}

static void draw(const hf__pango *P, const hf_flame *f, cairo_t *cr, hf__metrics *m, char *buf, size_t cap)
{
	const hf_flame_options *o = &f->opts;
	int W = o->width, H = f->image_height;
	cairo_pattern_t *bg = P->cairo_pattern_create_linear(0, 0, 0, H);
	uint32_t t = f->bg_top, b = f->bg_bottom;
	P->cairo_pattern_add_color_stop_rgb(bg, 0.05, (t >> 16) / 255.0, ((t >> 8) & 255) / 255.0,
		(t & 255) / 255.0);
	P->cairo_pattern_add_color_stop_rgb(bg, 0.95, (b >> 16) / 255.0, ((b >> 8) & 255) / 255.0,
		(b & 255) / 255.0);
	P->cairo_rectangle(cr, 0, 0, W, H);
	P->cairo_set_source(cr, bg);
	P->cairo_fill(cr);
	P->cairo_pattern_destroy(bg);

	PangoLayout *layout = P->pango_cairo_create_layout(cr);
	PangoFontDescription *fd = P->pango_font_description_from_string(o->font_type);
	P->pango_font_description_set_absolute_size(fd, (o->font_size + 5) * PANGO_SCALE);
	P->pango_layout_set_font_description(layout, fd);
	const char *title = o->title ? o->title : o->inverted ? "Icicle Graph" : "Flame Graph";
	set_rgb(P, cr, f->theme->ui);
	draw_text(P, cr, layout, title, strlen(title), W / 2.0, 24, true, buf, cap);
	P->pango_font_description_set_absolute_size(fd, o->font_size * PANGO_SCALE);
	P->pango_layout_set_font_description(layout, fd);
	P->pango_font_description_free(fd);
	if (o->subtitle) {
		P->cairo_set_source_rgb(cr, 160 / 255.0, 160 / 255.0, 160 / 255.0);
		draw_text(P, cr, layout, o->subtitle, strlen(o->subtitle), W / 2.0, 48, true, buf, cap);
	}

	double rh = o->frame_height - 1;
	for (size_t i = 0; i < f->nframes; i++) {
		double x1, x2, y1;
		hf__flame_frame_box(f, i, &x1, &x2, &y1);
		double w = x2 - x1;
		/* rounded corners as the SVG's rx=2 */
		double r = w < 4 ? w / 2 : 2;
		P->cairo_new_sub_path(cr);
		P->cairo_arc(cr, x1 + w - r, y1 + r, r, -1.5707963, 0);
		P->cairo_arc(cr, x1 + w - r, y1 + rh - r, r, 0, 1.5707963);
		P->cairo_arc(cr, x1 + r, y1 + rh - r, r, 1.5707963, 3.1415927);
		P->cairo_arc(cr, x1 + r, y1 + r, r, 3.1415927, 4.712389);
		P->cairo_close_path(cr);
		set_rgb(P, cr, f->frames[i].color);
		P->cairo_fill(cr);
		size_t len;
		const char *name = hf__flame_frame_name(f, i, &len);
		bool dots;
		size_t keep = hf__render_fit_label(m, name, len, w, &dots);
		if (keep == 0)
			continue;
		char label[1024];
		size_t n = clean_utf8(name, keep, label, sizeof(label) - 3);
		if (dots) {
			memcpy(label + n, "..", 3);
			n += 2;
		}
		P->cairo_save(cr);
		P->cairo_rectangle(cr, x1, y1, w, rh);
		P->cairo_clip(cr);
		set_rgb(P, cr, f->theme->text);
		draw_text(P, cr, layout, label, n, x1 + 3, y1 + rh / 2 + 3, false, buf, cap);
		P->cairo_restore(cr);
	}
	P->g_object_unref(layout);
}

int hf_flame_render(const hf_flame *f, hf_flame_format format, hf_writer *w, hf_error *err)
{
	if (format == HF_FLAME_SVG)
		return hf_flame_write_svg(f, w, err);
	if (format != HF_FLAME_PNG && format != HF_FLAME_PDF)
		return hf__error(err, HF_EINVALID, "unknown flame graph format");
	hf__pango api;
	int rc = hf__render_pango_open(&api, format == HF_FLAME_PNG
		? "PNG cannot be drawn" : "PDF cannot be drawn", err);
	if (rc != HF_OK)
		return rc;
	const hf__pango *P = &api;
	hf__metrics own, *m;
	rc = hf__render_metrics_acquire(f, &own, &m, err);
	if (rc != HF_OK) {
		hf__render_pango_close(&api);
		return rc;
	}
	enum { BUF = 8192 };
	char *buf = hf__malloc(BUF);
	if (!buf) {
		hf__render_metrics_release(m, &own);
		hf__render_pango_close(&api);
		return hf__oom(err);
	}
	int W = f->opts.width, H = f->image_height;
	cairo_surface_t *surface = format == HF_FLAME_PDF
		? P->cairo_pdf_surface_create_for_stream(write_cb, w, W, H)
		: P->cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
	cairo_t *cr = P->cairo_create(surface);
	draw(P, f, cr, m, buf, BUF);
	/* cairo's status is sticky: one check after drawing */
	cairo_status_t st = P->cairo_status(cr);
	P->cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS) {
		if (format == HF_FLAME_PNG)
			st = P->cairo_surface_write_to_png_stream(surface, write_cb, w);
		else
			P->cairo_surface_finish(surface);
	}
	if (st == CAIRO_STATUS_SUCCESS)
		st = P->cairo_surface_status(surface);
	P->cairo_surface_destroy(surface);
	hf__free(buf);
	hf__render_metrics_release(m, &own);
	if (st != CAIRO_STATUS_SUCCESS && st != CAIRO_STATUS_WRITE_ERROR)
		rc = hf__error(err, HF_ERENDER, "cairo: %s", P->cairo_status_to_string(st));
	else if (st == CAIRO_STATUS_WRITE_ERROR)
		rc = hf__error(err, HF_EIO, "write failed");
	hf__render_pango_close(&api);
	return rc;
}

#else

int hf_flame_render(const hf_flame *f, hf_flame_format format, hf_writer *w, hf_error *err)
{
	if (format == HF_FLAME_SVG)
		return hf_flame_write_svg(f, w, err);
	return hf__error(err, HF_EUNSUPPORTED, "PNG and PDF need a build with cairo");
}

#endif
