/*
 * End to end: bytes (any input format) -> profile -> folded stacks -> flame
 * SVG (flame and icicle, merged from the root and from the leaf) -> call
 * graph DOT and the top table. SVG must be valid UTF-8 without control
 * characters whatever the names; DOT and top pass name bytes through as
 * pprof does, so only control characters are checked there.
 */
#include "fuzz.h"

#include <string.h>

/* The SVG as one thread writes it, or (parallel) with the layout's sort
 * and the frames split over two threads wherever there are two. */
static int write_svg(const hf_stacks *s, bool inverted, bool reverse, bool parallel,
	fuzz_output *out)
{
	hf_flame_options fo = HF_FLAME_OPTIONS_INIT;
	hf_flame *f = NULL;
	hf_error err = {0};
	hf_writer w = {fuzz_collect, out};
	fo.inverted = inverted;
	fo.reverse = reverse;
	fo.font_width = 0.59 * 12; /* flamegraph.pl's fixed width: no font lookup per input */
	hf__parallel_force(parallel ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
	int rc = hf_flame_layout(&f, s, &fo, &err);
	if (rc == HF_OK)
		rc = hf_flame_write_svg(f, &w, &err);
	hf__parallel_force(0);
	hf_flame_free(f);
	return rc;
}

static void check_svg(const hf_stacks *s, bool inverted, bool reverse)
{
	fuzz_output one = {0}, two = {0};
	int rc = write_svg(s, inverted, reverse, false, &one);
	if (write_svg(s, inverted, reverse, true, &two) != rc || one.len != two.len ||
	    (one.len && memcmp(one.data, two.data, one.len) != 0))
		__builtin_trap();
	if (rc == HF_OK)
		fuzz_check_text(&one);
	free(one.data);
	free(two.data);
}

/* The collapsed lines as one thread writes them, or (parallel) with the
 * sort's runs and the lines' formatting split over two threads wherever
 * there are two. */
static int write_collapsed(const hf_stacks *s, bool parallel, hf_writer *w)
{
	hf_error err = {0};
	hf__parallel_force(parallel ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
	int rc = hf_stacks_write_collapsed(s, w, &err);
	hf__parallel_force(0);
	return rc;
}

/* Two threads must end as one thread ended (`one_rc`) having written
 * what it wrote (`one`), byte for byte, failing or not. */
static void check_collapsed_parallel(const hf_stacks *s, int one_rc, const fuzz_output *one)
{
	fuzz_output two = {0};
	hf_writer w = {fuzz_collect, &two};
	if (write_collapsed(s, true, &w) != one_rc || two.len != one->len ||
	    (one->len && memcmp(one->data, two.data, one->len) != 0))
		__builtin_trap();
	free(two.data);
}

/*
 * Folding straight from the bytes (hf_stacks_fold_data, samples read from
 * the wire) must agree with parsing and folding: the same error, or the
 * same collapsed text; on one thread, and with the samples folded in two
 * parts on two threads wherever there are two (`parallel`).
 */
static void check_fold_data(const uint8_t *data, size_t size, const hf_parse_options *o,
	int parse_rc, const hf_error *parse_err, const hf_profile *p, bool parallel)
{
	hf_stacks *whole = NULL, *lean = NULL;
	hf_error whole_err = parse_err ? *parse_err : (hf_error){0}, lean_err = {0};
	int whole_rc = parse_rc;
	if (whole_rc == HF_OK)
		whole_rc = hf_stacks_fold(&whole, p, NULL, &whole_err);
	hf__parallel_force(parallel ? HF_PARALLEL_ALWAYS : HF_PARALLEL_NEVER);
	int lean_rc = hf_stacks_fold_data(&lean, data, size, "fuzz", o, NULL, NULL, &lean_err);
	hf__parallel_force(0);
	if (lean_rc != whole_rc)
		__builtin_trap();
	if (lean_rc != HF_OK && strcmp(lean_err.message, whole_err.message) != 0)
		__builtin_trap();
	if (lean_rc == HF_OK) {
		fuzz_output a = {0}, b = {0};
		hf_writer wa = {fuzz_collect, &a}, wb = {fuzz_collect, &b};
		hf_error e = {0};
		int ra = hf_stacks_write_collapsed(whole, &wa, &e);
		int rb = hf_stacks_write_collapsed(lean, &wb, &e);
		if (ra != rb || a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0) ||
		    hf_stacks_total(whole) != hf_stacks_total(lean) ||
		    hf_stacks_count(whole) != hf_stacks_count(lean))
			__builtin_trap();
		free(a.data);
		free(b.data);
	}
	hf_stacks_free(whole);
	hf_stacks_free(lean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hf_parse_options o = fuzz_parse_options();
	hf_profile *p = NULL;
	hf_stacks *s = NULL;
	hf_graph *g = NULL;
	hf_error err = {0};
	int rc = hf_profile_parse(&p, data, size, "fuzz", &o, &err);
	check_fold_data(data, size, &o, rc, &err, p, false);
	check_fold_data(data, size, &o, rc, &err, p, true);
	if (rc != HF_OK) {
		if (!err.message[0] || strchr(err.message, '\n'))
			__builtin_trap();
		return 0;
	}
	if (hf_stacks_fold(&s, p, NULL, &err) == HF_OK) {
		fuzz_output folded = {0};
		hf_writer w = {fuzz_collect, &folded};
		int folded_rc = write_collapsed(s, false, &w);
		if (folded_rc == HF_OK) {
			/* Collapsed output is bytes as the names were; only its
			 * line structure is ours: no control characters. */
			for (size_t i = 0; i < folded.len; i++)
				if (folded.data[i] < 0x20 && folded.data[i] != '\n')
					__builtin_trap();
		}
		check_collapsed_parallel(s, folded_rc, &folded);
		free(folded.data);
		check_svg(s, false, false);
		check_svg(s, true, true);
	}
	if (hf_graph_build(&g, p, NULL, &err) == HF_OK) {
		fuzz_output dot = {0};
		hf_writer w = {fuzz_collect, &dot};
		/* DOT passes names' bytes through as pprof does (invalid UTF-8
		 * included, which Graphviz warns about): control characters only. */
		if (hf_graph_write_dot(g, &w, &err) == HF_OK)
			fuzz_check_text_utf8(&dot, false);
		free(dot.data);
	}
	fuzz_output top = {0};
	hf_writer tw = {fuzz_collect, &top};
	if (hf_report_write_top(p, NULL, &tw, &err) == HF_OK)
		fuzz_check_text_utf8(&top, false); /* bytes as pprof, like DOT */
	free(top.data);
	hf_graph_free(g);
	hf_stacks_free(s);
	hf_profile_free(p);
	return 0;
}
