/* The default view: flame and icicle graphs as SVG, PNG or PDF. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cli_flame_defaults(cli_options *o)
{
	hf_flame_options init = HF_FLAME_OPTIONS_INIT;
	o->flame = init;
}

static int parse_double(const char *name, const char *value, double min, double max, double *out)
{
	char *end;
	double d = strtod(value, &end);
	if (end == value || *end || !(d >= min && d <= max)) {
		cli_error(NULL, "--%s: expected a number from %g to %g, got \"%s\"", name, min, max, value);
		return -1;
	}
	*out = d;
	return 0;
}

int cli_set_flame(cli_options *o, const char *name, const char *value)
{
	hf_flame_options *f = &o->flame;
	double d;
	if (!strcmp(name, "inverted") || !strcmp(name, "icicle")) {
		f->inverted = true;
	} else if (!strcmp(name, "reverse")) {
		f->reverse = true;
	} else if (!strcmp(name, "hash")) {
		f->hash = true;
	} else if (!strcmp(name, "random")) {
		/* flamegraph.pl seeds from the clock too: a new picture each run */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		f->random_seed = ((uint64_t)ts.tv_sec << 32 ^ (uint64_t)ts.tv_nsec ^
			(uint64_t)getpid() << 16) | 1;
	} else if (!strcmp(name, "sort")) {
		if (!strcmp(value, "name"))
			f->sort = HF_FLAME_SORT_NAME;
		else if (!strcmp(value, "weight"))
			f->sort = HF_FLAME_SORT_WEIGHT;
		else {
			cli_error(NULL, "--sort: expected name or weight, got \"%s\"", value);
			return -1;
		}
	} else if (!strcmp(name, "minwidth")) {
		size_t n = strlen(value);
		char buf[64];
		bool pct = n > 0 && value[n - 1] == '%';
		snprintf(buf, sizeof(buf), "%.*s", (int)(pct ? n - 1 : n), value);
		if (parse_double(name, buf, 0, pct ? 100 : 1e9, &f->minwidth) != 0)
			return -1;
		f->minwidth_percent = pct;
	} else if (!strcmp(name, "max-frames")) {
		if (parse_double(name, value, 1, 1e8, &d) != 0)
			return -1;
		f->max_frames = (size_t)d;
	} else if (!strcmp(name, "width")) {
		if (parse_double(name, value, 100, 100000, &d) != 0)
			return -1;
		f->width = (int)d;
	} else if (!strcmp(name, "height")) {
		if (parse_double(name, value, 4, 1000, &d) != 0)
			return -1;
		f->frame_height = (int)d;
	} else if (!strcmp(name, "fontsize")) {
		if (parse_double(name, value, 1, 200, &f->font_size) != 0)
			return -1;
	} else if (!strcmp(name, "fontwidth")) {
		if (parse_double(name, value, 0.01, 10, &f->font_width) != 0)
			return -1;
	} else if (!strcmp(name, "title")) {
		f->title = value;
	} else if (!strcmp(name, "subtitle")) {
		f->subtitle = value;
	} else if (!strcmp(name, "fonttype")) {
		f->font_type = value;
	} else if (!strcmp(name, "nametype")) {
		f->name_type = value;
	} else if (!strcmp(name, "notes")) {
		if (strpbrk(value, "<>")) {
			cli_error(NULL, "--notes: may not contain < or >");
			return -1;
		}
		f->notes = value;
	} else if (!strcmp(name, "bgcolors")) {
		f->bgcolors = value;
	} else if (!strcmp(name, "colors")) {
		const hf_theme *builtin;
		hf_error err = {0};
		int rc = hf_theme_builtin(&builtin, value, &err);
		if (rc == HF_ENOTFOUND) {
			char names[512] = "";
			size_t used = 0;
			for (const char *const *n = hf_theme_builtin_names(); *n && used < sizeof(names); n++)
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
					used ? ", " : "", *n);
			cli_error(NULL, "--colors: no palette \"%s\" (try %s)", value, names);
			return -1;
		}
		if (rc != HF_OK) {
			cli_fail("--colors", &err);
			return -1;
		}
		f->palette = value;
	} else if (!strcmp(name, "theme")) {
		o->theme = value;
	} else if (!strcmp(name, "cp")) {
		f->palette_map = "palette.map";
	} else if (!strcmp(name, "id-prefix")) {
		f->id_prefix = value;
	}
	return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static int pick_format(const cli_options *o, hf_flame_format *out)
{
	const char *fmt = o->format;
	if (!fmt) {
		const char *path = o->output;
		*out = HF_FLAME_SVG;
		if (path && (has_suffix(path, ".png") || has_suffix(path, ".PNG")))
			*out = HF_FLAME_PNG;
		else if (path && (has_suffix(path, ".pdf") || has_suffix(path, ".PDF")))
			*out = HF_FLAME_PDF;
		return 0;
	}
	if (!strcmp(fmt, "svg"))
		*out = HF_FLAME_SVG;
	else if (!strcmp(fmt, "png"))
		*out = HF_FLAME_PNG;
	else if (!strcmp(fmt, "pdf"))
		*out = HF_FLAME_PDF;
	else {
		cli_error(NULL, "--format: a flame graph is svg, png or pdf, not \"%s\"", fmt);
		return -1;
	}
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* The default subtitle: what the graph shows and of what, e.g.
 * "alloc_space, total 18.35 MB, heap.pb.gz (base: before.pb.gz)". */
static void default_subtitle(const cli_options *o, const hf_stacks *s, char *buf, size_t size)
{
	const char *type = hf_stacks_sample_type(s), *unit = hf_stacks_sample_unit(s);
	int64_t total = hf_stacks_total(s);
	double a = total < 0 ? -(double)total : (double)total;
	char value[64];
	int u = 0;
	if (unit && !strcmp(unit, "bytes")) {
		static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
		while (u < 5 && a >= 1024.0) {
			a /= 1024.0;
			u++;
		}
		snprintf(value, sizeof(value), "%s%.2f %s", total < 0 ? "-" : "", a, units[u]);
	} else if (unit && !strcmp(unit, "nanoseconds")) {
		static const char *const units[] = {"ns", "us", "ms", "s"};
		while (u < 3 && a >= 1000.0) {
			a /= 1000.0;
			u++;
		}
		snprintf(value, sizeof(value), "%s%.2f %s", total < 0 ? "-" : "", a, units[u]);
	} else {
		snprintf(value, sizeof(value), "%lld %s", (long long)total, unit && *unit ? unit : "samples");
	}
	int n = snprintf(buf, size, "%s, total %s", type && *type ? type : "samples", value);
	if (n < 0 || (size_t)n >= size)
		return;
	if (o->nsources > 0)
		n += snprintf(buf + n, size - (size_t)n, ", %s%s", base_name(o->sources[0]),
			o->nsources > 1 ? " (merged with others)" : "");
	if (o->base && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (%s: %s)", o->diff_base ? "diff_base" : "base",
			base_name(o->base));
}

struct flame_output {
	const hf_flame *flame;
	hf_flame_format format;
};

static int write_flame(void *ctx, hf_writer *w, hf_error *err)
{
	const struct flame_output *out = ctx;
	return hf_flame_render(out->flame, out->format, w, err);
}

int cmd_flame(const cli_options *o)
{
	hf_flame_format format;
	if (pick_format(o, &format) != 0)
		return EXIT_USAGE;
	hf_theme *theme = NULL;
	hf_error err = {0};
	hf_flame_options fo = o->flame;
	fo.negate = fo.negate || o->negate;
	if (o->theme) {
		const hf_theme *builtin;
		int found = hf_theme_builtin(&builtin, o->theme, &err);
		if (found == HF_OK) {
			fo.theme = builtin;
		} else if (found != HF_ENOTFOUND) {
			return cli_fail(o->theme, &err);
		} else if (hf_theme_load(&theme, o->theme, &err) != HF_OK) {
			return cli_fail(o->theme, &err);
		} else {
			fo.theme = theme;
		}
	}

	/* pango and fontconfig take tens of milliseconds to open: on a second
	 * core, while the profile is read and folded */
	hf_flame_fonts *fonts = NULL;
	if (hf_flame_fonts_start(&fonts, &fo, &err) != HF_OK) {
		hf_theme_free(theme);
		return cli_fail(NULL, &err);
	}
	fo.fonts = fonts;

	hf_profile *p = NULL;
	hf_stacks *s = NULL;
	hf_flame *flame = NULL;
	int rc = cli_load_stacks(o, &p, &s);
	/* the stacks own their names: the decoded profile can go before the
	 * layout, the peak (a fifth of it on a 50k-stack profile) */
	const char *name = rc != EXIT_OK ? NULL : p ? hf_profile_source(p) : o->sources[0];
	char *source = name ? malloc(strlen(name) + 1) : NULL;
	if (source) {
		memcpy(source, name, strlen(name) + 1);
		hf_profile_free(p);
		p = NULL;
	}
	/* --countname on a profile (not collapsed input, where it is the
	 * unit already): flamegraph.pl's label for the counts */
	const char *unit = s ? hf_stacks_sample_unit(s) : NULL;
	if (o->parse.count_name && (!unit || strcmp(unit, o->parse.count_name) != 0))
		fo.count_name = o->parse.count_name;
	char subtitle[512];
	if (rc == EXIT_OK && !fo.subtitle) {
		default_subtitle(o, s, subtitle, sizeof(subtitle));
		fo.subtitle = subtitle;
	}
	if (rc == EXIT_OK && hf_flame_layout(&flame, s, &fo, &err) != HF_OK)
		rc = cli_fail(err.code == HF_EINVALID ? NULL : source ? source : name,
			&err);
	if (rc == EXIT_OK) {
		struct flame_output out = {flame, format};
		rc = cli_write_output(o, NULL, write_flame, &out);
	}
	if (rc == EXIT_OK && fo.palette_map && hf_flame_save_palette(flame, &err) != HF_OK)
		rc = cli_fail(fo.palette_map, &err);
	hf_flame_free(flame);
	hf_flame_fonts_free(fonts);
	hf_stacks_free(s);
	hf_profile_free(p);
	free(source);
	hf_theme_free(theme);
	return rc;
}
