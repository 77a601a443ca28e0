/*
 * Rendering the call graph in-process with Graphviz: our DOT text is read
 * by libcgraph, laid out by the dot engine and rendered by the core (SVG)
 * or cairo (PNG, PDF) plugins, all opened in-process when a graph is
 * drawn (no `dot` program, no plugin configuration file needed). Graphviz
 * reports problems through a global hook; we collect them into the
 * hf_error. Built without Graphviz
 * (-DHEAPFLAME_WITH_GRAPHVIZ=OFF), rendering fails with HF_EUNSUPPORTED;
 * the DOT text is still written.
 */
#include "graph.h"

#include <string.h>

#ifdef HF_HAVE_GRAPHVIZ
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <pthread.h>
#include <stdio.h>

#include <stddef.h>

/*
 * Graphviz is opened when a call graph is drawn, not linked: libgvc and its
 * plugins (the cairo one brings pango, fontconfig, X11's libraries) were
 * loaded and relocated by every run, --top and --folded included. The
 * plugins are built in from their libraries' descriptors (no `dot -c`
 * configuration file): the dot layout and the core renderer (SVG, text
 * widths from Graphviz's own font metrics); PNG and PDF add the cairo
 * plugin, whose fontconfig keeps process-wide caches it never frees. The
 * names are set by the build from the libraries it found.
 */
#define GV_FUNCTIONS(X) \
	X(aglasterr) X(agseterrf) X(agseterr) X(agreseterrors) X(agmemread) X(agclose) \
	X(gvContextPlugins) X(gvLayout) X(gvRenderData) X(gvFreeLayout) X(gvFreeContext) \
	X(gvFreeRenderData)

typedef struct gv_api {
	void *handle, *dot_layout, *core, *pango;
#define GV_MEMBER(name) __typeof__(name) *name;
	GV_FUNCTIONS(GV_MEMBER)
#undef GV_MEMBER
	/* the plugins' descriptors (data) */
	gvplugin_library_t *dot_layout_library, *core_library, *pango_library;
} gv_api;

static void gv_close(gv_api *G)
{
	hf__dl_close(G->pango);
	hf__dl_close(G->core);
	hf__dl_close(G->dot_layout);
	hf__dl_close(G->handle);
}

/* Opens libgvc and the plugins a `cairo` (PNG, PDF) or SVG render needs. */
static int gv_open(gv_api *G, bool cairo, const char *format, hf_error *err)
{
	static const hf__dl_symbol functions[] = {
#define GV_SYMBOL(name) {#name, offsetof(gv_api, name)},
		GV_FUNCTIONS(GV_SYMBOL)
#undef GV_SYMBOL
	};
	static const hf__dl_symbol dot_layout[] = {
		{"gvplugin_dot_layout_LTX_library", offsetof(gv_api, dot_layout_library)}};
	static const hf__dl_symbol core[] = {
		{"gvplugin_core_LTX_library", offsetof(gv_api, core_library)}};
	static const hf__dl_symbol pango[] = {
		{"gvplugin_pango_LTX_library", offsetof(gv_api, pango_library)}};
	char what[64];
	snprintf(what, sizeof(what), "the call graph cannot be drawn as %s", format);
	memset(G, 0, sizeof(*G));
	G->handle = hf__dl_open(HF_GVC_SONAME, functions, sizeof(functions) / sizeof(functions[0]),
		G, what, err);
	if (G->handle)
		G->dot_layout = hf__dl_open(HF_GV_PLUGIN_DIR "/" HF_GV_DOT_LAYOUT_SONAME, dot_layout, 1,
			G, what, err);
	if (G->dot_layout)
		G->core = hf__dl_open(HF_GV_PLUGIN_DIR "/" HF_GV_CORE_SONAME, core, 1, G, what, err);
	if (G->core && cairo)
		G->pango = hf__dl_open(HF_GV_PLUGIN_DIR "/" HF_GV_PANGO_SONAME, pango, 1, G, what, err);
	if (!G->core || (cairo && !G->pango)) {
		gv_close(G);
		return HF_EUNSUPPORTED;
	}
	return HF_OK;
}

/*
 * Graphviz 2.42 is not thread-safe: its error hook, its graph parser and
 * parts of its layout state are globals. Every use of it here holds
 * gv_lock, so renders from several threads run one at a time (everything
 * else in the library runs in parallel). gv_messages, Graphviz's messages
 * (errors and warnings) of the current call, is guarded by it too.
 */
static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
static char gv_messages[512];

static int collect_message(char *msg)
{
	size_t have = strlen(gv_messages);
	if (have + 1 < sizeof(gv_messages))
		snprintf(gv_messages + have, sizeof(gv_messages) - have, "%s", msg);
	return 0;
}

/* The first line of what Graphviz said, or `fallback`. */
static int gv_error(const gv_api *G, hf_error *err, const char *what, const char *fallback)
{
	char line[256];
	const char *msg = gv_messages[0] ? gv_messages : G->aglasterr();
	snprintf(line, sizeof(line), "%.200s", msg && msg[0] ? msg : fallback);
	line[strcspn(line, "\n")] = '\0';
	return hf__error(err, HF_ERENDER, "graphviz %s: %s", what, line);
}

/* Copies DOT text for Graphviz with invalid UTF-8 and control bytes
 * replaced by '?', so the SVG it writes is well-formed XML. */
static char *sanitize(const char *text, size_t len)
{
	char *out = hf__malloc(len + 1);
	if (!out)
		return NULL;
	const unsigned char *s = (const unsigned char *)text;
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		bool ok = n > 0 && i + n <= len && !(n == 2 && c < 0xc2) && !(n == 4 && c > 0xf4);
		for (size_t k = 1; ok && k < n; k++)
			ok = (s[i + k] & 0xc0) == 0x80;
		if (ok && n == 3)
			ok = !(c == 0xe0 && s[i + 1] < 0xa0) && !(c == 0xed && s[i + 1] >= 0xa0);
		if (ok && n == 4)
			ok = !(c == 0xf0 && s[i + 1] < 0x90) && !(c == 0xf4 && s[i + 1] >= 0x90);
		if (ok && n == 1 && ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f))
			ok = false;
		if (!ok) {
			out[i++] = '?';
			continue;
		}
		memcpy(out + i, s + i, n);
		i += n;
	}
	out[len] = '\0';
	return out;
}

/* Pan (drag), zoom (wheel, +/-) and reset (double click, 0) by moving the
 * root viewBox; nothing from the profile goes into this script. */
static const char pan_zoom_js[] =
	"<script type=\"text/ecmascript\"><![CDATA[\n"
	"(function () {\n"
	"  var svg = document.documentElement;\n"
	"  if (!svg.viewBox || !svg.viewBox.baseVal) return;\n"
	"  var vb = svg.viewBox.baseVal;\n"
	"  var home = [vb.x, vb.y, vb.width, vb.height];\n"
	"  function scale() {\n"
	"    var r = svg.getBoundingClientRect();\n"
	"    return Math.min(r.width / vb.width, r.height / vb.height) || 1;\n"
	"  }\n"
	"  function toGraph(cx, cy) {\n"
	"    var r = svg.getBoundingClientRect(), s = scale();\n"
	"    var ox = r.left + (r.width - vb.width * s) / 2, oy = r.top + (r.height - vb.height * s) / 2;\n"
	"    return [vb.x + (cx - ox) / s, vb.y + (cy - oy) / s];\n"
	"  }\n"
	"  function zoom(k, cx, cy) {\n"
	"    var p = toGraph(cx, cy);\n"
	"    vb.x = p[0] - (p[0] - vb.x) * k; vb.y = p[1] - (p[1] - vb.y) * k;\n"
	"    vb.width *= k; vb.height *= k;\n"
	"  }\n"
	"  svg.addEventListener('wheel', function (e) {\n"
	"    e.preventDefault();\n"
	"    zoom(Math.pow(1.002, e.deltaMode ? e.deltaY * 30 : e.deltaY), e.clientX, e.clientY);\n"
	"  }, {passive: false});\n"
	"  var drag = null;\n"
	"  svg.addEventListener('mousedown', function (e) {\n"
	"    if (e.button !== 0) return;\n"
	"    drag = [e.clientX, e.clientY, vb.x, vb.y, scale()];\n"
	"    svg.style.cursor = 'move';\n"
	"    e.preventDefault();\n"
	"  });\n"
	"  window.addEventListener('mousemove', function (e) {\n"
	"    if (!drag) return;\n"
	"    vb.x = drag[2] - (e.clientX - drag[0]) / drag[4];\n"
	"    vb.y = drag[3] - (e.clientY - drag[1]) / drag[4];\n"
	"  });\n"
	"  window.addEventListener('mouseup', function () { drag = null; svg.style.cursor = ''; });\n"
	"  function reset() { vb.x = home[0]; vb.y = home[1]; vb.width = home[2]; vb.height = home[3]; }\n"
	"  svg.addEventListener('dblclick', reset);\n"
	"  window.addEventListener('keydown', function (e) {\n"
	"    var r = svg.getBoundingClientRect(), cx = r.left + r.width / 2, cy = r.top + r.height / 2;\n"
	"    if (e.key === '+' || e.key === '=') zoom(0.8, cx, cy);\n"
	"    else if (e.key === '-') zoom(1.25, cx, cy);\n"
	"    else if (e.key === '0') reset();\n"
	"  });\n"
	"})();\n"
	"]]></script>\n";

/* Writes Graphviz's SVG with width/height set to 100% (the viewBox keeps
 * the aspect), tooltips as <title> elements and our pan/zoom script
 * before </svg>. */
static int write_svg(hf_writer *w, const char *svg, size_t len, hf_error *err)
{
	const char *open = strstr(svg, "<svg");
	const char *close = NULL;
	for (const char *p = svg; (p = strstr(p, "</svg>")) != NULL; p++)
		close = p;
	const char *tag_end = open ? strchr(open, '>') : NULL;
	if (!open || !close || !tag_end || close < tag_end)
		return hf__error(err, HF_ERENDER, "graphviz wrote an SVG without an <svg> element");
	hf__sink s;
	if (hf__sink_init(&s, w) != 0)
		return hf__oom(err);
	hf__sink_put(&s, svg, (size_t)(open - svg));
	/* The <svg> start tag, attribute by attribute. */
	const char *p = open;
	while (p < tag_end) {
		const char *attr = NULL;
		if (!strncmp(p, " width=\"", 8) || !strncmp(p, "\nwidth=\"", 8))
			attr = "width";
		else if (!strncmp(p, " height=\"", 9) || !strncmp(p, "\nheight=\"", 9))
			attr = "height";
		if (attr) {
			const char *q = strchr(p + strlen(attr) + 3, '"');
			if (q && q < tag_end) {
				hf__sink_printf(&s, " %s=\"100%%\"", attr);
				p = q + 1;
				continue;
			}
		}
		hf__sink_putc(&s, *p++);
	}
	/* Tooltips: Graphviz writes <a xlink:title="T">; we write <a><title>T
	 * </title>, which browsers show the same way, so names from the profile
	 * are only ever element text (the escaping is the same). */
	static const char anchor[] = "<a xlink:title=\"";
	p = tag_end;
	for (const char *a; (a = strstr(p, anchor)) != NULL && a < close;) {
		const char *value = a + sizeof(anchor) - 1;
		const char *end = strchr(value, '"');
		if (!end || end > close || end[1] != '>')
			break;
		hf__sink_put(&s, p, (size_t)(a - p));
		hf__sink_puts(&s, "<a><title>");
		hf__sink_put(&s, value, (size_t)(end - value));
		hf__sink_puts(&s, "</title>");
		p = end + 2;
	}
	hf__sink_put(&s, p, (size_t)(close - p));
	hf__sink_puts(&s, pan_zoom_js);
	hf__sink_put(&s, close, len - (size_t)(close - svg));
	return hf__sink_finish(&s, err);
}
#endif /* HF_HAVE_GRAPHVIZ */

/* Graphviz's device for an output format, or NULL (with err filled). */
static const char *device_for(const char *format, hf_error *err)
{
	const char *device = !strcmp(format, "svg") ? "svg:svg:core"
		: !strcmp(format, "png") ? "png:cairo"
		: !strcmp(format, "pdf") ? "pdf:cairo" : NULL;
	if (!device)
		hf__error(err, HF_EINVALID, "cannot render the call graph as \"%s\" (svg, png or pdf)",
			format);
	return device;
}

int hf_graph_render(const hf_graph *graph, const char *format, hf_writer *writer, hf_error *err)
{
	if (!graph || !writer || !format)
		return hf__error(err, HF_EINVALID, "hf_graph_render: NULL argument");
	if (!device_for(format, err))
		return HF_EINVALID;
	hf_buffer dot = {0};
	hf_writer to_buffer = hf_writer_buffer(&dot);
	int rc = hf_graph_write_dot(graph, &to_buffer, err);
	if (rc == HF_OK)
		rc = hf__graph_render_dot(dot.data, dot.len, format, writer, err);
	hf_buffer_dispose(&dot);
	return rc;
}

int hf__graph_render_dot(const char *dot, size_t dot_len, const char *format, hf_writer *writer,
	hf_error *err)
{
	const char *device = device_for(format, err);
	if (!device)
		return HF_EINVALID;
#ifndef HF_HAVE_GRAPHVIZ
	(void)dot;
	(void)dot_len;
	(void)writer;
	return hf__error(err, HF_EUNSUPPORTED,
		"the call graph cannot be drawn as %s: heapflame was built without Graphviz "
		"(HEAPFLAME_WITH_GRAPHVIZ=OFF); --dot writes it as DOT text", format);
#else
	char *text = sanitize(dot, dot_len);
	if (!text)
		return hf__oom(err);
	/* The legend as a plain subgraph: Graphviz 2.42's dot layout leaks the
	 * skeleton nodes of every cluster (named_virtual_node); the legend
	 * keeps its box, only the frame around it goes. */
	char *legend = strstr(text, "\nsubgraph cluster_L { ");
	if (legend)
		memcpy(legend + 10, "legend_L_", 9);

	bool svg = !strcmp(format, "svg");
	gv_api api;
	int rc = gv_open(&api, !svg, format, err);
	if (rc != HF_OK) {
		hf__free(text);
		return rc;
	}
	const gv_api *G = &api;
	/* SVG needs only the layout and the core renderer; PNG and PDF add
	 * cairo/pango */
	lt_symlist_t plugins[] = {
		{"gvplugin_dot_layout_LTX_library", api.dot_layout_library},
		{"gvplugin_core_LTX_library", api.core_library},
		{svg ? NULL : "gvplugin_pango_LTX_library", api.pango_library},
		{NULL, NULL},
	};

	pthread_mutex_lock(&gv_lock);
	gv_messages[0] = '\0';
	agusererrf previous = G->agseterrf(collect_message);
	agerrlevel_t previous_level = G->agseterr(AGWARN);
	G->agreseterrors();
	GVC_t *gvc = G->gvContextPlugins(plugins, 0);
	Agraph_t *g = NULL;
	char *data = NULL;
	unsigned int len = 0;
	bool laid_out = false;
	if (!gvc) {
		rc = gv_error(G, err, "context", "could not start");
		goto done;
	}
	g = G->agmemread(text);
	if (!g) {
		rc = gv_error(G, err, "could not read the graph", "syntax error");
		goto done;
	}
	if (G->gvLayout(gvc, g, "dot") != 0) {
		rc = gv_error(G, err, "layout failed", "unknown error");
		goto done;
	}
	laid_out = true;
	if (G->gvRenderData(gvc, g, device, &data, &len) != 0 || !data)
		rc = gv_error(G, err, "rendering failed", "unknown error");
done:
	if (laid_out)
		G->gvFreeLayout(gvc, g);
	if (g)
		G->agclose(g);
	if (gvc)
		G->gvFreeContext(gvc);
	G->agseterrf(previous);
	G->agseterr(previous_level);
	pthread_mutex_unlock(&gv_lock);
	/* the rendered bytes are ours: written without holding the lock */
	if (rc == HF_OK && svg)
		rc = write_svg(writer, data, len, err);
	else if (rc == HF_OK && writer->write(writer->ctx, data, len) != 0)
		rc = hf__error(err, HF_EIO, "write failed");
	if (data)
		G->gvFreeRenderData(data);
	gv_close(&api);
	hf__free(text);
	return rc;
#endif
}
