/* Themes: palettes, name rules and interface colours (themes/NAME.theme). */
#ifndef HF_THEME_H
#define HF_THEME_H

#include "../util/util.h"

#include <regex.h>

#define HF_THEME_MAX_COLORS 64
/* Room in the built-in theme cache (themes/ holds fewer). */
#define HF_THEME_MAX_BUILTINS 64

/* One colour channel of a formula palette: base + int(scale * v[var]). */
typedef struct hf__channel {
	int base;
	double scale;
	int var; /* 0, 1, 2 for v1, v2, v3 */
} hf__channel;

typedef struct hf__theme_rule {
	regex_t re;
	bool is_color;
	uint32_t color;
	const hf_theme *palette; /* a built-in theme whose palette is used */
} hf__theme_rule;

struct hf_theme {
	char name[64];
	bool is_list;
	hf__channel channel[3];
	uint32_t colors[HF_THEME_MAX_COLORS];
	size_t ncolors;
	hf__theme_rule *rules;
	size_t nrules;
	uint32_t bg_top, bg_bottom;
	uint32_t ui;        /* title, buttons, details text */
	uint32_t text;      /* frame labels */
	uint32_t search;    /* fill of matched frames */
	bool strip_annotations; /* drop _[k] _[w] _[i] _[j] from labels */
};

/* The values flamegraph.pl derives from a name (default or --hash mode). */
void hf__theme_values(const char *name, size_t len, bool hash, double v[3]);
/* The colour for a name from values already drawn (flamegraph.pl's
 * --random draws them per frame); rules and special names still apply. */
uint32_t hf__theme_color_values(const hf_theme *t, const char *name, size_t len,
	const double v[3]);
/* Perl's rand(1) right after srand(seed) (Perl >= 5.20 drand48). */
double hf__theme_perl_rand_seeded(uint32_t seed);
/* flamegraph.pl's namehash over code points, `reverse`d if asked. */
double hf__theme_namehash(const char *name, size_t len, bool reverse);
/* Parses "#rrggbb"; returns false if it is not one. */
bool hf__theme_parse_rgb(const char *s, size_t len, uint32_t *out);
/* The built-in themes (the files of themes/, compiled in by cmake/embed.cmake). */
extern const hf__embedded hf__embedded_themes[];
extern const size_t hf__embedded_theme_count;
/* The built-in theme names, NULL-terminated, in hf__embedded_themes' order. */
extern const char *const hf__embedded_theme_names[];

#endif
