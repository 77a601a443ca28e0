/* Flame graph layout: stacks merged as a tree, pruned, placed. */
#ifndef HF_FLAME_H
#define HF_FLAME_H

#include "../stacks/stacks.h"
#include "../theme/theme.h"
#include "../util/util.h"

#define HF_FLAME_ROOT UINT32_MAX /* name of the root frame ("all") */
#define HF_FLAME_XPAD 10
#define HF_FLAME_DEFAULT_MAX_FRAMES 40000

typedef struct hf__flame_frame {
	uint32_t name;    /* frame id in the stacks, or HF_FLAME_ROOT */
	uint32_t depth;
	uint32_t parent;  /* index of the parent frame (root: itself) */
	bool inlined;     /* every merged occurrence was an inlined call */
	int64_t start;    /* offset from the left, in sample units */
	int64_t value;    /* width ("after" in a diff) */
	int64_t base;     /* diff: "before" */
	int64_t delta;    /* diff: self change (flamegraph.pl colours by it) */
	uint32_t color;   /* 0xRRGGBB */
} hf__flame_frame;

typedef enum hf__flame_unit {
	HF_UNIT_COUNT = 0, /* objects, samples, ...: plain numbers */
	HF_UNIT_BYTES,
	HF_UNIT_NANOSECONDS
} hf__flame_unit;

/* One --cp palette map entry. */
typedef struct hf__palette_entry {
	const char *name;
	uint32_t color;
} hf__palette_entry;

struct hf_flame {
	hf_flame_options opts;      /* strings point into `arena` */
	hf__arena arena;
	const hf_stacks *stacks;
	const hf_theme *theme;
	hf__flame_frame *frames;     /* preorder: a frame's subtree follows it */
	size_t nframes;
	size_t omitted;             /* frames left out as too narrow */
	int64_t min_value;          /* narrowest value drawn */
	uint32_t depth_max;
	int64_t total;
	int64_t base_total;
	int64_t max_delta;
	bool diff;
	hf__flame_unit unit;
	const char *count_name;     /* "bytes", "objects", "samples", ... */
	bool explicit_count_name;   /* --countname: raw counts in titles */
	double width_per_value;     /* px per sample unit */
	int image_height;
	int frames_top;             /* y of the first frame row (icicle) */
	int frames_bottom;          /* y below the last frame row (flame) */
	uint32_t bg_top, bg_bottom;
	char id_prefix[40];
	uint64_t random_state;      /* --random: splitmix64 state */
	hf__palette_entry *palette;  /* --cp: read entries + new ones */
	size_t npalette, palette_read, palette_cap;
};

/* --cp palette map (palette.c): adds a name's colour (copied into the
 * flame's arena), reads the map file, finds a name read from it. */
int hf__flame_palette_add(hf_flame *f, const char *name, size_t len, uint32_t color);
int hf__flame_palette_read(hf_flame *f, const char *path, hf_error *err);
const hf__palette_entry *hf__flame_palette_find(const hf_flame *f, const char *name);

/* The top (y, in px) of the frames at `depth`. */
double hf__flame_row_y(const hf_flame *f, uint32_t depth);
/* Geometry of frame `i`: x1, x2 and y1 (top) in px. */
void hf__flame_frame_box(const hf_flame *f, size_t i, double *x1, double *x2, double *y1);
/* Name of frame `i` as shown (annotations stripped when the theme asks). */
const char *hf__flame_frame_name(const hf_flame *f, size_t i, size_t *len);

#endif
