/*
 * Theme files: the parser, colours for a few names with and without
 * --hash, and a small flame graph drawn with the theme (theme values end up
 * in SVG attributes and CSS).
 */
#include "fuzz.h"

#include <string.h>

static hf_stacks *sample_stacks(void)
{
	static hf_stacks *stacks;
	static const char folded[] = "main;alloc 100\nmain;leak;runtime.mallocgc 50\n"
				     "java/lang/Thread.run;perl::x 7\n[unknown];-;_[k] 3\n";
	if (!stacks) {
		hf_profile *p = NULL;
		if (hf_profile_parse(&p, folded, sizeof(folded) - 1, "seed", NULL, NULL) == HF_OK)
			hf_stacks_fold(&stacks, p, NULL, NULL);
		hf_profile_free(p);
	}
	return stacks;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"main.main", "runtime.mallocgc", "", "a;b",
		"java/lang/Object.<init>", "[unknown]", "perl::x", "_[k]", "\xc3\xa9t\xc3\xa9"};
	hf_theme *t = NULL;
	hf_error err = {0};
	if (hf_theme_parse(&t, (const char *)data, size, "fuzz", &err) != HF_OK) {
		if (!err.message[0] || strchr(err.message, '\n'))
			__builtin_trap();
		return 0;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* Colours are 0xRRGGBB: nothing above 24 bits. */
		if (hf_theme_color(t, names[i], strlen(names[i]), false) > 0xffffff ||
		    hf_theme_color(t, names[i], strlen(names[i]), true) > 0xffffff)
			__builtin_trap();
	}
	const hf_stacks *s = sample_stacks();
	if (s) {
		hf_flame_options fo = HF_FLAME_OPTIONS_INIT;
		hf_flame *f = NULL;
		fuzz_output out = {0};
		hf_writer w = {fuzz_collect, &out};
		fo.theme = t;
		fo.font_width = 0.59 * 12;
		if (hf_flame_layout(&f, s, &fo, &err) == HF_OK && hf_flame_write_svg(f, &w, &err) == HF_OK)
			fuzz_check_text(&out);
		hf_flame_free(f);
		free(out.data);
	}
	hf_theme_free(t);
	return 0;
}
