/* The call graph as DOT text, byte for byte as pprof's ComposeDot. */
#include "graph.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int64_t abs64(int64_t v) { return hf__wabs(v); }

static bool is_control(char c)
{
	return ((unsigned char)c < 0x20 && c != '\n') || c == 0x7f;
}

/* pprof's escapeForDot: backslash and quote escaped, newline -> \l; other
 * control characters (which pprof passes through) become '?'. */
static void put_escaped(hf__sink *s, const char *str)
{
	const char *run = str;
	for (const char *p = str; *p; p++) {
		const char *rep = *p == '\\' ? "\\\\" : *p == '"' ? "\\\"" : *p == '\n' ? "\\l"
			: is_control(*p) ? "?" : NULL;
		if (!rep)
			continue;
		hf__sink_put(s, run, (size_t)(p - run));
		hf__sink_puts(s, rep);
		run = p + 1;
	}
	hf__sink_puts(s, run);
}

/* pprof's dotColor: grey for small shares, red for large positive ones,
 * green for negative ones (differences). */
static void dot_color(char out[8], double score, bool background)
{
	double saturation = background ? 0.1 : 1.0;
	double value = background ? 0.93 : 0.7;
	score = fmax(-1.0, fmin(1.0, score));
	if (fabs(score) < 0.2)
		saturation *= fabs(score) / 0.2;
	if (score > 0.0)
		score = pow(score, 1.0 - 0.7);
	if (score < 0.0)
		score = -pow(-score, 1.0 - 0.7);
	double r, g, b;
	if (score < 0.0) {
		g = value;
		r = value * (1 + saturation * score);
	} else {
		r = value;
		g = value * (1 - saturation * score);
	}
	b = value * (1 - saturation);
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)(uint8_t)(r * 255.0),
		(unsigned)(uint8_t)(g * 255.0), (unsigned)(uint8_t)(b * 255.0));
}

/* A short name for a box: "." and "::" become line breaks, "[...]" an
 * ellipsis, escaped as put_escaped does. */
static void put_replaced_name(hf__sink *s, const char *name)
{
	for (const char *p = name; *p;) {
		if (p[0] == ':' && p[1] == ':') {
			hf__sink_puts(s, "\\n");
			p += 2;
		} else if (!strncmp(p, "[...]", 5)) {
			hf__sink_puts(s, "[\xe2\x80\xa6]");
			p += 5;
		} else if (*p == '.') {
			hf__sink_puts(s, "\\n");
			p++;
		} else if (*p == '\\') {
			hf__sink_puts(s, "\\\\");
			p++;
		} else if (*p == '"') {
			hf__sink_puts(s, "\\\"");
			p++;
		} else if (*p == '\n') {
			hf__sink_puts(s, "\\l");
			p++;
		} else if (is_control(*p)) {
			hf__sink_putc(s, '?');
			p++;
		} else {
			hf__sink_putc(s, *p++);
		}
	}
}

/* multilinePrintableName: short name with "." and "::" as line breaks,
 * then the file:line or object components, each line ending in \n. */
static int put_multiline_name(hf__sink *s, hf__arena *scratch, const hf__ginfo *info)
{
	bool any = false;
	if (info->address != 0) {
		hf__sink_printf(s, "%016llx", (unsigned long long)info->address);
		any = true;
	}
	if (info->name[0]) {
		if (any)
			hf__sink_puts(s, "\\n");
		const char *shortname = hf__measure_shorten_function_name(scratch, info->name);
		if (!shortname)
			return -1;
		put_replaced_name(s, shortname);
		any = true;
	}
	const char *file = info->file[0] ? hf__graph_base_name(info->file) : "";
	if (info->lineno != 0) {
		if (any)
			hf__sink_puts(s, "\\n");
		put_escaped(s, file);
		hf__sink_printf(s, ":%lld", (long long)info->lineno);
	} else if (file[0]) {
		if (any)
			hf__sink_puts(s, "\\n");
		put_escaped(s, file);
	} else if (!info->name[0]) {
		if (any)
			hf__sink_puts(s, "\\n");
		if (info->objfile[0]) {
			hf__sink_putc(s, '[');
			put_escaped(s, hf__graph_base_name(info->objfile));
			hf__sink_putc(s, ']');
		} else {
			hf__sink_puts(s, "<unknown>");
		}
	}
	hf__sink_puts(s, "\\n");
	return 0;
}

static void put_node(hf__sink *s, hf__arena *scratch, const hf_graph *g, size_t i, double max_flat,
	int *failed)
{
	const hf__gnode *n = &g->nodes[i];
	char flat_v[HF_LABEL_MAX], cum_v[HF_LABEL_MAX], pct[HF_LABEL_MAX];
	hf__sink_printf(s, "N%zu [label=\"", i + 1);
	if (put_multiline_name(s, scratch, n->info) != 0)
		*failed = 1;
	hf__graph_value(g, flat_v, n->flat);
	if (n->flat != 0) {
		hf__measure_percentage_trimmed(pct, n->flat, g->total);
		hf__sink_printf(s, "%s (%s)", flat_v, pct);
	} else {
		hf__sink_putc(s, '0');
	}
	const char *cum_label = flat_v;
	if (n->cum != n->flat) {
		hf__sink_puts(s, n->flat != 0 ? "\\n" : " ");
		hf__graph_value(g, cum_v, n->cum);
		hf__measure_percentage_trimmed(pct, n->cum, g->total);
		hf__sink_printf(s, "of %s (%s)", cum_v, pct);
		cum_label = cum_v;
	}
	int font = 8;
	double flat = (double)abs64(n->flat);
	if (max_flat != 0 && n->flat != 0 && flat <= max_flat)
		font += (int)ceil(16.0 * sqrt(flat / max_flat));
	char fg[8], bg[8];
	double share = (double)n->cum / (double)abs64(g->total);
	dot_color(fg, share, false);
	dot_color(bg, share, true);
	hf__sink_printf(s, "\" id=\"node%zu\" fontsize=%d shape=box tooltip=\"", i + 1, font);
	put_escaped(s, n->info->printable);
	hf__sink_printf(s, " (%s)\" color=\"%s\" fillcolor=\"%s\"]\n", cum_label, fg, bg);
}

/* A nodelet box and its edge. Label nodelets hang off their node as
 * N<node>_<i>; numeric ones off the node (NN<node>_<j>) or off a label
 * nodelet (NN<node>_<i>_<j>), as pprof names them. */
static void put_nodelet(hf__sink *s, const hf_graph *g, const hf__gnodelet *nl)
{
	char source[64], id[80], w[HF_LABEL_MAX];
	if (nl->numeric && nl->parent >= 0)
		snprintf(source, sizeof(source), "N%u_%d", nl->node + 1, nl->parent);
	else
		snprintf(source, sizeof(source), "N%u", nl->node + 1);
	if (nl->numeric)
		snprintf(id, sizeof(id), "N%s_%d", source, nl->index);
	else
		snprintf(id, sizeof(id), "N%u_%d", nl->node + 1, nl->index);
	hf__graph_value(g, w, nl->weight);
	hf__sink_printf(s, "%s [label = \"", id);
	/* A label nodelet's parts, each escaped, joined as pprof joins them:
	 * with a literal \n (a DOT line break). */
	for (size_t at = 0; at <= nl->label_len; at += strlen(nl->label + at) + 1) {
		if (at)
			hf__sink_puts(s, "\\n");
		put_escaped(s, nl->label + at);
	}
	hf__sink_printf(s, "\" id=\"%s\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", id, w);
	hf__sink_printf(s, "%s -> %s [label=\" %s\" weight=100 tooltip=\"%s\" labeltooltip=\"%s\"%s]\n",
		source, id, w, w, w, nl->dotted ? " style=\"dotted\"" : "");
}

static void put_edge(hf__sink *s, const hf_graph *g, const hf__gedge *e, bool src_has_nodelets)
{
	char w[HF_LABEL_MAX];
	hf__graph_value(g, w, e->weight);
	hf__sink_printf(s, "N%u -> N%u [label=\" %s%s\"", e->src + 1, e->dst + 1, w,
		e->is_inline ? "\\n (inline)" : "");
	if (g->total != 0) {
		int64_t weight = abs64(hf__wdiv(hf__wmul(e->weight, 100), g->total));
		int64_t width = abs64(hf__wdiv(hf__wmul(e->weight, 5), g->total));
		weight = 1 + (weight < 100 ? weight : 100);
		width = 1 + (width < 5 ? width : 5);
		if (weight > 1)
			hf__sink_printf(s, " weight=%lld", (long long)weight);
		if (width > 1)
			hf__sink_printf(s, " penwidth=%lld", (long long)width);
		char color[8];
		dot_color(color, (double)e->weight / (double)abs64(g->total), false);
		hf__sink_printf(s, " color=\"%s\"", color);
	}
	for (int k = 0; k < 2; k++) {
		hf__sink_puts(s, k ? " labeltooltip=\"" : " tooltip=\"");
		put_escaped(s, g->nodes[e->src].info->printable);
		hf__sink_puts(s, e->residual ? " ... " : " -> ");
		put_escaped(s, g->nodes[e->dst].info->printable);
		hf__sink_printf(s, " (%s)\"", w);
	}
	if (e->residual)
		hf__sink_puts(s, " style=\"dotted\"");
	if (src_has_nodelets)
		hf__sink_puts(s, " minlen=2");
	hf__sink_puts(s, "]\n");
}

int hf_graph_write_dot(const hf_graph *g, hf_writer *writer, hf_error *err)
{
	hf__sink s;
	if (!g || !writer)
		return hf__error(err, HF_EINVALID, "hf_graph_write_dot: NULL argument");
	if (hf__sink_init(&s, writer) != 0)
		return hf__oom(err);
	hf__arena scratch = {0};
	int failed = 0;
	hf__sink_puts(&s, "digraph \"");
	put_escaped(&s, g->title[0] ? g->title : "unnamed");
	hf__sink_puts(&s, "\" {\nnode [style=filled fillcolor=\"#f8f8f8\"]\n");
	if (g->legend.count > 0) {
		hf__sink_puts(&s, "subgraph cluster_L { \"");
		put_escaped(&s, g->legend.lines[0]);
		hf__sink_puts(&s, "\" [shape=box fontsize=16 label=\"");
		for (size_t i = 0; i < g->legend.count; i++) {
			put_escaped(&s, g->legend.lines[i]);
			hf__sink_puts(&s, "\\l");
		}
		hf__sink_putc(&s, '"');
		if (g->title[0]) {
			hf__sink_puts(&s, " tooltip=\"");
			put_escaped(&s, g->title);
			hf__sink_putc(&s, '"');
		}
		hf__sink_puts(&s, "] }\n");
	}
	double max_flat = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		if ((double)abs64(g->nodes[i].flat) > max_flat)
			max_flat = (double)abs64(g->nodes[i].flat);
	bool *has_nodelets = hf__calloc(g->nnodes + 1, sizeof(bool));
	if (!has_nodelets)
		failed = 1;
	size_t k = 0;
	for (size_t i = 0; i < g->nnodes && !failed; i++) {
		put_node(&s, &scratch, g, i, max_flat, &failed);
		for (; k < g->nnodelets && g->nodelets[k].node == i; k++) {
			put_nodelet(&s, g, &g->nodelets[k]);
			has_nodelets[i] = true;
		}
	}
	for (size_t e = 0; e < g->nedges && !failed; e++)
		put_edge(&s, g, &g->edges[e], has_nodelets[g->edges[e].src]);
	hf__sink_puts(&s, "}\n");
	hf__free(has_nodelets);
	hf__arena_dispose(&scratch);
	int rc = hf__sink_finish(&s, err);
	if (failed && rc == HF_OK)
		return hf__oom(err);
	return rc;
}
