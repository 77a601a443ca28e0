/*
 * The interactive SVG: flamegraph.pl's geometry, our own script and style
 * (src/render/flame.js, flame.css, embedded at build time).
 *
 * Everything from a profile is escaped for where it lands (XML text or
 * attributes). The script and style are constants: the data they need is
 * read from attributes of the <svg> element, so no name ever reaches code.
 * Ids carry a prefix so several graphs can share one HTML page.
 */
#include "render.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* A name as XML (text or attribute): control characters shown as their
 * Unicode control pictures, bytes that are not UTF-8 as U+FFFD. */
static const hf__markup_style xml_style = {
	.apos = "&apos;",
	.invalid = "&#xFFFD;",
	.control = NULL,
	.invalid_noncharacters = true,
};

static void put_xml(hf__sink *out, const char *s, size_t len)
{
	hf__escape_markup(out, s, len, &xml_style);
}

static void put_xml_str(hf__sink *out, const char *s)
{
	put_xml(out, s, strlen(s));
}

/* Copies an embedded asset, replacing @KEY@ placeholders. */
static void put_asset(hf__sink *out, const hf_flame *f, const char *name)
{
	const hf__embedded *e = hf__render_embedded_asset(name);
	if (!e)
		return;
	const char *s = (const char *)e->data, *end = s + e->len;
	while (s < end) {
		const char *at = memchr(s, '@', (size_t)(end - s));
		if (!at) {
			hf__sink_put(out, s, (size_t)(end - s));
			break;
		}
		hf__sink_put(out, s, (size_t)(at - s));
		const char *close = memchr(at + 1, '@', (size_t)(end - at - 1));
		size_t klen = close ? (size_t)(close - at - 1) : 0;
		char key[16] = "";
		if (close && klen < sizeof(key)) {
			memcpy(key, at + 1, klen);
			key[klen] = '\0';
		}
		char color[24];
		const hf_theme *t = f->theme;
		if (!strcmp(key, "ID")) {
			hf__sink_puts(out, f->id_prefix);
		} else if (!strcmp(key, "UI") || !strcmp(key, "TEXT") || !strcmp(key, "SEARCH")) {
			uint32_t c = key[0] == 'U' ? t->ui : key[0] == 'T' ? t->text : t->search;
			snprintf(color, sizeof(color), "#%06x", (unsigned)c);
			hf__sink_puts(out, color);
		} else if (!strcmp(key, "TITLESIZE")) {
			hf__sink_printf(out, "%g", f->opts.font_size + 5);
		} else if (!strcmp(key, "FONTSIZE")) {
			hf__sink_printf(out, "%g", f->opts.font_size);
		} else {
			hf__sink_putc(out, '@');
			s = at + 1;
			continue;
		}
		s = close + 1;
	}
}

/* The XML declaration and the <svg> element with the data the script reads. */
static void put_svg_open(hf__sink *out, const hf_flame *f)
{
	const hf_flame_options *o = &f->opts;
	int W = o->width, H = f->image_height;
	hf__sink_puts(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n");
	hf__sink_printf(out, "<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"heapflame\"", W, H, W, H,
		f->id_prefix);
	hf__sink_printf(out, " data-hf-total=\"%lld\" data-hf-fontsize=\"%g\" data-hf-frameheight=\"%d\""
		" data-hf-inverted=\"%d\" data-hf-diff=\"%d\" data-hf-omitted=\"%zu\""
		" data-hf-minvalue=\"%lld\" data-hf-nametype=\"",
		(long long)f->total, o->font_size, o->frame_height, o->inverted ? 1 : 0, f->diff ? 1 : 0,
		f->omitted, (long long)f->min_value);
	put_xml_str(out, o->name_type);
	hf__sink_puts(out, "\">\n");
}

/* --notes as an XML comment: no "--" in it, and only characters XML allows. */
static void put_notes(hf__sink *out, const char *notes)
{
	hf__sink_puts(out, "<!-- ");
	size_t len = strlen(notes);
	for (size_t i = 0; i < len;) {
		size_t at = i;
		uint32_t cp = hf__utf8_next(notes, len, &i);
		if ((cp < 0x20 && cp != '\t') || cp == 0x7f ||
		    ((unsigned char)notes[at] >= 0x80 && i - at == 1))
			hf__sink_putc(out, ' ');
		else if (cp == '-' && i < len && notes[i] == '-')
			hf__sink_putc(out, '_');
		else
			hf__sink_put(out, notes + at, i - at);
	}
	hf__sink_puts(out, " -->\n");
}

/* What was drawn, the background gradient and the style; opens the <g> of text. */
static void put_head(hf__sink *out, const hf_flame *f)
{
	const hf_flame_options *o = &f->opts;
	const char *id = f->id_prefix;
	char minv[96];
	hf__render_format_value(f, f->min_value, minv, sizeof(minv));
	hf__sink_printf(out, "<!-- heapflame %s: %zu frames; %zu frames narrower than %s left out -->\n",
		hf_version(), f->nframes, f->omitted, minv);
	hf__sink_printf(out, "<defs><linearGradient id=\"%s-bg\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
		"<stop stop-color=\"#%06x\" offset=\"5%%\"/><stop stop-color=\"#%06x\" offset=\"95%%\"/>"
		"</linearGradient></defs>\n", id, (unsigned)f->bg_top, (unsigned)f->bg_bottom);
	hf__sink_puts(out, "<style type=\"text/css\"><![CDATA[\n");
	put_asset(out, f, "flame.css");
	hf__sink_puts(out, "]]></style>\n");
	hf__sink_printf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"url(#%s-bg)\"/>\n",
		o->width, f->image_height, id);
	hf__sink_puts(out, "<g font-family=\"");
	put_xml_str(out, o->font_type);
	/* Verdana is often missing: fall back to a sans face, not serif */
	if (!strchr(o->font_type, ','))
		hf__sink_puts(out, ", sans-serif");
	hf__sink_printf(out, "\" font-size=\"%g\">\n", o->font_size);
}

/* Title, subtitle, the details line and the buttons the script drives. */
static void put_titles_and_controls(hf__sink *out, const hf_flame *f)
{
	const hf_flame_options *o = &f->opts;
	int W = o->width, H = f->image_height;
	const char *id = f->id_prefix;
	const char *title = o->title ? o->title : o->inverted ? "Icicle Graph" : "Flame Graph";
	hf__sink_printf(out, "<text id=\"%s-title\" class=\"hf-title\" x=\"%.2f\" y=\"24\">", id, W / 2.0);
	put_xml_str(out, title);
	hf__sink_puts(out, "</text>\n");
	if (o->subtitle) {
		hf__sink_printf(out, "<text id=\"%s-subtitle\" class=\"hf-subtitle\" x=\"%.2f\" y=\"48\">",
			id, W / 2.0);
		put_xml_str(out, o->subtitle);
		hf__sink_puts(out, "</text>\n");
	}
	hf__sink_printf(out, "<text id=\"%s-details\" class=\"hf-ui\" x=\"10\" y=\"%d\"> </text>\n", id, H - 17);
	hf__sink_printf(out, "<text id=\"%s-unzoom\" class=\"hf-ui hf-hide\" x=\"10\" y=\"24\">Reset Zoom</text>\n", id);
	hf__sink_printf(out, "<text id=\"%s-search\" class=\"hf-ui hf-btn\" x=\"%d\" y=\"24\">Search</text>\n",
		id, W - 110);
	hf__sink_printf(out, "<text id=\"%s-ic\" class=\"hf-ui hf-btn\" x=\"%d\" y=\"24\">ic</text>\n", id, W - 26);
	hf__sink_printf(out, "<text id=\"%s-matched\" class=\"hf-ui\" x=\"%d\" y=\"%d\"> </text>\n",
		id, W - 110, H - 17);
	if (f->total == 0) {
		/* e.g. inuse_space of a program that freed everything */
		hf__sink_printf(out, "<text class=\"hf-ui\" x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">"
			"No samples: this sample type totals 0 (try another, e.g. -alloc_space)</text>\n",
			W / 2.0, f->frames_bottom - o->frame_height - 8);
	}
}

/*
 * What the frames' text shares, prepared once before they are written
 * (two threads then only read it): whether each name passes into XML as
 * it is (most do: it is then copied, title and label), and each row's two
 * y coordinates (they depend only on the depth).
 */
enum {
	NAME_SEEN = 1,
	NAME_PLAIN = 2,
	ROW_MAX = 32, /* a row's y as text: an int's worth of pixels */
};

typedef struct frame_text {
	const hf_flame *f;
	hf__metrics *m;
	uint8_t *names;            /* per name id, the root's last: NAME_* */
	size_t nnames;
	char (*rows)[2][ROW_MAX];  /* per depth: the box's y ("%.0f"), the label's ("%.1f") */
	uint8_t (*row_len)[2];
	bool info_plain;           /* the values' text needs no escaping */
	char height[24];           /* the boxes' height attribute's value */
	size_t height_len;
} frame_text;

static size_t name_slot(const frame_text *ft, const hf__flame_frame *fr)
{
	return fr->name == HF_FLAME_ROOT ? ft->nnames : fr->name;
}

/* Whether a name's code points beyond ASCII were measured (or there were
 * none): false when the metrics' cache could not be made. */
static bool measure_name(hf__metrics *m, const char *name, size_t len)
{
	for (size_t j = 0; j < len; j++) {
		if ((unsigned char)name[j] >= 0x80) {
			hf__render_metrics_width(m, name, len);
			return m->fixed > 0 || m->bmp;
		}
	}
	return true;
}

/*
 * Prepares ft for the frames of f. With `measure`, also measures every
 * code point of the names beyond ASCII, so that two threads fitting labels
 * only read the metrics (measuring fills their cache through one pango
 * layout, which is not for two threads at once); *measured is false when
 * that cache could not be made (out of memory: the threads would each
 * try). HF_ENOMEM when ft could not be made.
 */
static int frame_text_init(frame_text *ft, const hf_flame *f, hf__metrics *m, bool measure,
	bool *measured)
{
	memset(ft, 0, sizeof(*ft));
	ft->f = f;
	ft->m = m;
	ft->nnames = hf_stacks_frame_count(f->stacks);
	size_t nrows = (size_t)f->depth_max + 1;
	ft->names = hf__calloc(ft->nnames + 1, 1);
	ft->rows = hf__malloc(hf__mul(nrows, sizeof(*ft->rows)));
	ft->row_len = hf__malloc(hf__mul(nrows, sizeof(*ft->row_len)));
	if (!ft->names || !ft->rows || !ft->row_len)
		return HF_ENOMEM;
	*measured = true;
	for (size_t i = 0; i < f->nframes; i++) {
		uint8_t *flags = &ft->names[name_slot(ft, &f->frames[i])];
		if (*flags)
			continue;
		size_t len;
		const char *name = hf__flame_frame_name(f, i, &len);
		*flags = NAME_SEEN | (hf__markup_is_plain(name, len, &xml_style) ? NAME_PLAIN : 0);
		if (measure && *measured)
			*measured = measure_name(m, name, len);
	}
	double half_row = (f->opts.frame_height - 1) / 2.0 + 3;
	for (size_t d = 0; d < nrows; d++) {
		double y = hf__flame_row_y(f, (uint32_t)d);
		ft->row_len[d][0] = (uint8_t)hf__render_format_fixed(ft->rows[d][0], ROW_MAX, y, 0);
		ft->row_len[d][1] = (uint8_t)hf__render_format_fixed(ft->rows[d][1], ROW_MAX,
			y + half_row, 1);
	}
	const char *unit = f->count_name;
	ft->info_plain = hf__markup_is_plain(unit, strlen(unit), &xml_style);
	ft->height_len = (size_t)snprintf(ft->height, sizeof(ft->height), "%d",
		f->opts.frame_height - 1);
	return HF_OK;
}

static void frame_text_dispose(frame_text *ft)
{
	hf__free(ft->names);
	hf__free(ft->rows);
	hf__free(ft->row_len);
}

/*
 * A frame's text is written straight into the sink's buffer, a part at a
 * time, each part's room reserved first: its attributes, then (after the
 * name) the values' text and the box, whose coordinates are never cut
 * (HF__FIXED_MAX holds any double's "%.3f"). The names go through the sink.
 */
enum {
	INFO_MAX = 512,
	HEAD_MAX = 128,
	BODY_MAX = INFO_MAX + 3 * HF__FIXED_MAX + 2 * ROW_MAX + 256,
};

static void put_name(hf__sink *out, const char *name, size_t len, bool plain)
{
	if (plain)
		hf__sink_put(out, name, len);
	else
		put_xml(out, name, len);
}

/* Frame i: a <g> with its values, tooltip, box and the label that fits. */
static void put_frame(hf__sink *out, const frame_text *ft, size_t i)
{
	const hf_flame *f = ft->f;
	const hf__flame_frame *fr = &f->frames[i];
	double x1, x2, y1;
	hf__flame_frame_box(f, i, &x1, &x2, &y1);
	size_t len;
	const char *name = hf__flame_frame_name(f, i, &len);
	bool plain = (ft->names[name_slot(ft, fr)] & NAME_PLAIN) != 0;
	char *p = hf__sink_room(out, HEAD_MAX);
	if (!p)
		return; /* the sink failed */
	p = HF__PUT_LITERAL(p, "<g data-v=\"");
	p = hf__i64_text(p, fr->value);
	*p++ = '"';
	if (f->diff) {
		p = HF__PUT_LITERAL(p, " data-b=\"");
		p = hf__i64_text(p, fr->base);
		*p++ = '"';
	}
	if (fr->inlined)
		p = HF__PUT_LITERAL(p, " class=\"hf-inl\"");
	p = HF__PUT_LITERAL(p, "><title>");
	out->len = (size_t)(p - out->buf);
	put_name(out, name, len, plain);

	if (!(p = hf__sink_room(out, BODY_MAX)))
		return;
	p = HF__PUT_LITERAL(p, " (");
	size_t n = hf__render_frame_info(f, i, p, INFO_MAX);
	if (ft->info_plain) {
		p += n;
	} else {
		char info[INFO_MAX];
		memcpy(info, p, n);
		out->len = (size_t)(p - out->buf);
		put_xml(out, info, n);
		if (!(p = hf__sink_room(out, BODY_MAX)))
			return;
	}
	const char *row = ft->rows[fr->depth][0], *label_row = ft->rows[fr->depth][1];
	p = HF__PUT_LITERAL(p, ")</title><rect x=\"");
	p = hf__render_fixed_at(p, x1, 1);
	p = HF__PUT_LITERAL(p, "\" y=\"");
	memcpy(p, row, ft->row_len[fr->depth][0]);
	p += ft->row_len[fr->depth][0];
	p = HF__PUT_LITERAL(p, "\" width=\"");
	p = hf__render_fixed_at(p, x2 - x1, 1);
	p = HF__PUT_LITERAL(p, "\" height=\"");
	memcpy(p, ft->height, ft->height_len);
	p += ft->height_len;
	p = HF__PUT_LITERAL(p, "\" fill=\"rgb(");
	p = hf__i64_text(p, (int64_t)(fr->color >> 16));
	*p++ = ',';
	p = hf__i64_text(p, (int64_t)((fr->color >> 8) & 255));
	*p++ = ',';
	p = hf__i64_text(p, (int64_t)(fr->color & 255));
	p = HF__PUT_LITERAL(p, ")\" rx=\"2\" ry=\"2\"/><text x=\"");
	p = hf__render_fixed_at(p, x1 + 3, 2);
	p = HF__PUT_LITERAL(p, "\" y=\"");
	memcpy(p, label_row, ft->row_len[fr->depth][1]);
	p += ft->row_len[fr->depth][1];
	p = HF__PUT_LITERAL(p, "\">");
	out->len = (size_t)(p - out->buf);

	bool dots;
	size_t keep = hf__render_fit_label(ft->m, name, len, x2 - x1, &dots);
	put_name(out, name, keep, plain);
	if (dots)
		hf__sink_put(out, "..</text></g>\n", 14);
	else
		hf__sink_put(out, "</text></g>\n", 12);
}

/* Below this many frames the SVG is written by one thread: starting a
 * second is ~0.1 ms, 2,000 frames are ~1 ms of writing. */
enum { SVG_PARALLEL_MIN = 2000, SVG_CHUNK_MAX = 256, SVG_FRAME_BYTES = 256 };

/*
 * Two threads write the frames in chunks, each claimed through one
 * counter: the calling thread takes them from the front and writes them
 * to the sink, the second from the back into a buffer of its own, until
 * they meet. Neither then waits for the other longer than a chunk takes
 * (~0.2 ms), though the second starts later and pays for its buffer;
 * halves fixed in advance kept the first waiting ~4 ms. The buffer's
 * chunks follow the caller's, in order.
 */
typedef struct frames_job {
	const frame_text *ft;
	size_t nframes, chunk, nchunks;
	atomic_size_t claimed;   /* chunks taken by either thread */
	size_t taken;            /* chunks the second thread wrote */
	size_t *ends;            /* [k]: where its k-th chunk ends in buf */
	hf_buffer buf;
	int rc;
} frames_job;

static bool claim_chunk(frames_job *job)
{
	return atomic_fetch_add(&job->claimed, 1) < job->nchunks;
}

static void put_chunk(hf__sink *out, const frames_job *job, size_t chunk)
{
	size_t from = chunk * job->chunk;
	size_t to = job->nframes - from < job->chunk ? job->nframes : from + job->chunk;
	for (size_t i = from; i < to; i++)
		put_frame(out, job->ft, i);
}

static void frames_job_run(void *arg)
{
	frames_job *job = arg;
	hf_writer w = hf_writer_buffer(&job->buf);
	hf__sink out;
	if (hf__sink_init(&out, &w) != HF_OK) {
		job->rc = HF_ENOMEM; /* no chunk claimed: the caller writes them all */
		return;
	}
	while (!out.failed && claim_chunk(job)) {
		put_chunk(&out, job, job->nchunks - 1 - job->taken);
		job->ends[job->taken++] = job->buf.len + out.len;
	}
	job->rc = hf__sink_finish(&out, NULL);
}

/*
 * The frames, in order: where it pays, on two threads (frames_job).
 * HF_ENOMEM when the second thread's buffer could not be made.
 */
static int put_frames(hf__sink *out, const hf_flame *f, hf__metrics *m)
{
	bool parallel = hf__parallel_pays(f->nframes, SVG_PARALLEL_MIN), measured;
	frame_text ft;
	if (frame_text_init(&ft, f, m, parallel, &measured) != HF_OK) {
		frame_text_dispose(&ft);
		return HF_ENOMEM;
	}
	frames_job job = {.ft = &ft, .nframes = f->nframes, .rc = HF_OK};
	/* chunks of up to SVG_CHUNK_MAX frames, at least 64 of them (tests
	 * force two threads on a few frames) */
	job.chunk = f->nframes / 64 < 1 ? 1 : f->nframes / 64 > SVG_CHUNK_MAX ? SVG_CHUNK_MAX
		: f->nframes / 64;
	job.nchunks = (f->nframes + job.chunk - 1) / job.chunk;
	atomic_init(&job.claimed, 0);
	hf__thread *t = NULL;
	/* The second thread's buffer is sized ahead for its share (a frame's
	 * text is ~230 bytes, it writes fewer than half), so that it does
	 * not grow while the frames are written; it grows if need be. */
	if (parallel && measured && (job.ends = hf__malloc(hf__mul(job.nchunks, sizeof(size_t)))) &&
	    HF_RESERVE(job.buf.data, &job.buf.cap, 0, hf__mul(f->nframes, SVG_FRAME_BYTES / 2), 1))
		t = hf__thread_start(frames_job_run, &job);
	size_t mine = 0;
	if (!t) {
		for (size_t i = 0; i < f->nframes && !out->failed; i++)
			put_frame(out, &ft, i);
	} else {
		while (!out->failed && claim_chunk(&job))
			put_chunk(out, &job, mine++);
	}
	hf__thread_join(t);
	int rc = HF_OK;
	if (t && !out->failed) {
		if (job.rc != HF_OK || mine + job.taken != job.nchunks) {
			rc = HF_ENOMEM;
		} else {
			/* its chunks in order, the last it wrote first, each
			 * written from its buffer, not copied into the sink */
			for (size_t k = job.taken; k-- > 0;) {
				size_t start = k ? job.ends[k - 1] : 0;
				hf__sink_put_through(out, job.buf.data + start, job.ends[k] - start);
			}
		}
	}
	hf_buffer_dispose(&job.buf);
	hf__free(job.ends);
	frame_text_dispose(&ft);
	return rc;
}

int hf_flame_write_svg(const hf_flame *f, hf_writer *writer, hf_error *err)
{
	hf__sink out;
	hf__metrics own, *m;
	if (hf__sink_init(&out, writer) != HF_OK)
		return hf__oom(err);
	int rc = hf__render_metrics_acquire(f, &own, &m, err);
	if (rc != HF_OK) {
		hf__sink_finish(&out, NULL);
		return rc;
	}
	put_svg_open(&out, f);
	if (f->opts.notes)
		put_notes(&out, f->opts.notes);
	put_head(&out, f);
	put_titles_and_controls(&out, f);
	hf__sink_printf(&out, "<g id=\"%s-frames\">\n", f->id_prefix);
	if (put_frames(&out, f, m) != HF_OK) {
		hf__render_metrics_release(m, &own);
		hf__sink_finish(&out, NULL);
		return hf__oom(err);
	}
	hf__sink_puts(&out, "</g>\n</g>\n<script type=\"text/ecmascript\"><![CDATA[\n");
	put_asset(&out, f, "flame.js");
	hf__sink_puts(&out, "]]></script>\n</svg>\n");
	hf__render_metrics_release(m, &own);
	return hf__sink_finish(&out, err);
}

const hf__embedded *hf__render_embedded_asset(const char *name)
{
	for (size_t i = 0; i < hf__embedded_asset_count; i++)
		if (!strcmp(hf__embedded_assets[i].name, name))
			return &hf__embedded_assets[i];
	return NULL;
}
