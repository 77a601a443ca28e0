/*
 * heapflame_gen: writes a synthetic but realistic Go heap profile
 * (profile.proto, gzipped when the output name ends in .gz) of a given
 * number of distinct stacks, depth, functions and inline ratio, from a seed.
 *
 * Shape: a call graph of locations in which each location calls a few fixed
 * callees, so stacks share prefixes near the root and fan out below, as real
 * programs do; some locations carry 2-3 Line entries (inlined calls); some
 * stacks recurse; a few function names are odd (spaces, <>&", non-ASCII) so
 * escaping paths run too. Samples carry the four heap sample types and a
 * numeric "bytes" label, as the Go runtime writes them.
 *
 * The profile is streamed: sub-messages are packed one at a time with
 * protobuf-c and framed by hand as fields of Profile, so 1M stacks need no
 * more memory than a few arrays of ids.
 */
#include "profile.pb-c.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct options {
	unsigned long stacks;
	unsigned long depth;
	unsigned long funcs;
	unsigned long locations;
	double inline_ratio;
	double dup_ratio;
	uint64_t seed;
	uint64_t variant;
	const char *out;
} options;

/* Output: plain file or gzip stream. */
typedef struct out_stream {
	FILE *fp;
	gzFile gz;
	int failed;
} out_stream;

static void out_write(out_stream *o, const void *data, size_t len)
{
	if (o->failed || len == 0)
		return;
	if (o->gz) {
		if (gzwrite(o->gz, data, (unsigned)len) != (int)len)
			o->failed = 1;
	} else if (fwrite(data, 1, len, o->fp) != len) {
		o->failed = 1;
	}
}

static void out_varint(out_stream *o, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (uint8_t)v;
	out_write(o, b, n);
}

/* One length-delimited field of Profile (wire type 2). */
static void out_bytes_field(out_stream *o, unsigned field, const void *data, size_t len)
{
	out_varint(o, (uint64_t)field << 3 | 2);
	out_varint(o, len);
	out_write(o, data, len);
}

static void out_varint_field(out_stream *o, unsigned field, uint64_t v)
{
	out_varint(o, (uint64_t)field << 3);
	out_varint(o, v);
}

/* A reusable buffer for packing one sub-message at a time. */
static uint8_t *pack_buf;
static size_t pack_cap;

static void out_message(out_stream *o, unsigned field, const ProtobufCMessage *m)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	if (len > pack_cap) {
		pack_cap = len * 2;
		pack_buf = realloc(pack_buf, pack_cap);
		if (!pack_buf) {
			fprintf(stderr, "heapflame_gen: out of memory\n");
			exit(2);
		}
	}
	protobuf_c_message_pack(m, pack_buf);
	out_bytes_field(o, field, pack_buf, len);
}

/* splitmix64: small, fast, and the same on every machine. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double rnd_unit(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "heapflame_gen: out of memory\n");
		exit(2);
	}
	return p;
}

/*
 * The string table: fixed strings first, then one name per function, then
 * file names. Names are generated on the fly from their index.
 */
enum {
	S_EMPTY,
	S_ALLOC_OBJECTS, S_COUNT, S_ALLOC_SPACE, S_BYTES, S_INUSE_OBJECTS, S_INUSE_SPACE,
	S_SPACE, S_MAIN_BIN, S_LIBC, S_VDSO, S_BUILD_ID, S_COMMENT,
	S_FIXED_COUNT
};

static const char *const fixed_strings[S_FIXED_COUNT] = {
	"", "alloc_objects", "count", "alloc_space", "bytes", "inuse_objects",
	"inuse_space", "space", "/usr/local/bin/server", "/usr/lib/x86_64-linux-gnu/libc.so.6",
	"[vdso]", "4f0e2c1a9b7d6e5f", "synthetic profile written by heapflame_gen",
};

#define NFILES_PER_FUNC 4

static const char *const odd_names[] = {
	"main.(*Server).handle<T>",
	"encoding/json.\"quoted\".Marshal & friends",
	"github.com/acme/ünïcode/päckage.Función",
	"main.func with spaces",
	"type..eq.[2]interface {}",
	"runtime.mallocgc",
	"main.main.func1.2",
	"runtime.goexit",
};
#define NODD (sizeof(odd_names) / sizeof(odd_names[0]))

static const char *const packages[] = {
	"net/http", "encoding/json", "github.com/acme/server/internal/cache",
	"github.com/acme/server/api", "bytes", "strings", "sort", "compress/gzip",
	"github.com/acme/server/storage", "google.golang.org/protobuf/proto",
	"runtime", "sync", "regexp", "github.com/acme/server/internal/queue",
};
#define NPACKAGES (sizeof(packages) / sizeof(packages[0]))

static void function_name(char *buf, size_t cap, unsigned long i)
{
	if (i < NODD) {
		snprintf(buf, cap, "%s", odd_names[i]);
		return;
	}
	uint64_t h = mix(i);
	const char *pkg = packages[h % NPACKAGES];
	switch ((h >> 8) % 4) {
	case 0:
		snprintf(buf, cap, "%s.(*Type%lu).Method%lu", pkg, (unsigned long)((h >> 16) % 97), i);
		break;
	case 1:
		snprintf(buf, cap, "%s.func%lu", pkg, i);
		break;
	case 2:
		snprintf(buf, cap, "%s.(*Type%lu).Method%lu.func%lu", pkg,
			(unsigned long)((h >> 16) % 97), i, (unsigned long)((h >> 24) % 5 + 1));
		break;
	default:
		snprintf(buf, cap, "%s.helper%lu", pkg, i);
		break;
	}
}

/*
 * Like the Go runtime, a profile holds only the locations its samples use
 * and the functions those use, numbered 1..n in order of first use.
 */
typedef struct id_table {
	uint32_t *id_of;   /* per location or function index: its id, 0 = unused */
	uint32_t *index_of; /* per id: the index */
	uint32_t n;
} id_table;

static id_table used_locations, used_functions;

static void id_table_init(id_table *t, unsigned long size)
{
	t->id_of = xcalloc(size, sizeof(*t->id_of));
	t->index_of = xcalloc(size + 1, sizeof(*t->index_of));
	t->n = 0;
}

static uint32_t id_table_use(id_table *t, unsigned long index)
{
	if (!t->id_of[index]) {
		t->id_of[index] = ++t->n;
		t->index_of[t->n] = (uint32_t)index;
	}
	return t->id_of[index];
}

static void write_string_table(out_stream *o, unsigned long nfiles)
{
	char buf[512];
	for (size_t i = 0; i < S_FIXED_COUNT; i++)
		out_bytes_field(o, 6, fixed_strings[i], strlen(fixed_strings[i]));
	for (uint32_t id = 1; id <= used_functions.n; id++) {
		function_name(buf, sizeof(buf), used_functions.index_of[id]);
		out_bytes_field(o, 6, buf, strlen(buf));
	}
	for (unsigned long i = 0; i < nfiles; i++) {
		int n = snprintf(buf, sizeof(buf), "/src/github.com/acme/server/%s/file%lu.go",
			packages[mix(i + 7) % NPACKAGES], i);
		out_bytes_field(o, 6, buf, (size_t)n);
	}
}

/* Hot functions are called from many places: skew the choice to low ids. */
static unsigned long pick_function(const options *opt)
{
	double u = rnd_unit();
	return (unsigned long)((double)opt->funcs * u * u) % opt->funcs;
}

static void write_functions(out_stream *o, unsigned long nfiles)
{
	for (uint32_t id = 1; id <= used_functions.n; id++) {
		unsigned long i = used_functions.index_of[id];
		Perftools__Profiles__Function f = PERFTOOLS__PROFILES__FUNCTION__INIT;
		f.id = id;
		f.name = f.system_name = (int64_t)(S_FIXED_COUNT + id - 1);
		f.filename = (int64_t)(S_FIXED_COUNT + used_functions.n + i % nfiles);
		f.start_line = (int64_t)(mix(i) % 2000 + 1);
		out_message(o, 5, &f.base);
	}
}

static void write_mappings(out_stream *o)
{
	static const int64_t files[3] = {S_MAIN_BIN, S_LIBC, S_VDSO};
	for (int i = 0; i < 3; i++) {
		Perftools__Profiles__Mapping m = PERFTOOLS__PROFILES__MAPPING__INIT;
		m.id = (uint64_t)i + 1;
		m.memory_start = 0x400000ull + (uint64_t)i * 0x10000000ull;
		m.memory_limit = m.memory_start + 0x8000000ull;
		m.filename = files[i];
		m.build_id = i == 0 ? S_BUILD_ID : 0;
		m.has_functions = m.has_filenames = m.has_line_numbers = m.has_inline_frames = i == 0;
		out_message(o, 3, &m.base);
	}
}

/*
 * Location i: 1 line, or 2-3 lines (inlined calls) for inline_ratio of them.
 * Its content comes from (seed, i) alone, so every -variant of a program
 * describes location i alike whatever id it gets.
 */
static void write_locations(out_stream *o, const options *opt)
{
	Perftools__Profiles__Line lines[3];
	Perftools__Profiles__Line *line_ptrs[3] = {&lines[0], &lines[1], &lines[2]};
	for (uint32_t id = 1; id <= used_locations.n; id++) {
		unsigned long i = used_locations.index_of[id];
		rng_state = mix(opt->seed * 0x9e3779b97f4a7c15ull + i + 1);
		Perftools__Profiles__Location l = PERFTOOLS__PROFILES__LOCATION__INIT;
		l.id = id;
		l.mapping_id = i % 50 == 49 ? 2 : 1;
		l.address = 0x400000ull + (uint64_t)i * 0x40 + mix(i) % 0x30;
		size_t n = 1;
		if (rnd_unit() < opt->inline_ratio)
			n = 2 + rnd() % 2;
		for (size_t j = 0; j < n; j++) {
			Perftools__Profiles__Line ln = PERFTOOLS__PROFILES__LINE__INIT;
			unsigned long fn = i < opt->funcs ? i : pick_function(opt);
			if (j > 0)
				fn = pick_function(opt);
			ln.function_id = id_table_use(&used_functions, fn);
			ln.line = (int64_t)(mix(fn) % 2000 + 1 + rnd() % 200);
			lines[j] = ln;
		}
		l.n_line = n;
		l.line = line_ptrs;
		out_message(o, 4, &l.base);
	}
}

/* Distinct-stack check: open addressing over 64-bit stack hashes. */
typedef struct hash_set {
	uint64_t *slots;
	size_t mask;
} hash_set;

static int hash_set_add(hash_set *s, uint64_t h)
{
	h |= 1; /* 0 marks an empty slot */
	for (size_t i = (size_t)h & s->mask;; i = (i + 1) & s->mask) {
		if (s->slots[i] == h)
			return 0;
		if (s->slots[i] == 0) {
			s->slots[i] = h;
			return 1;
		}
	}
}

#define FANOUT 3
#define NROOTS 4
#define RECENT 1024

/*
 * One stack, root first into `stack`: a walk down the call graph in which
 * location p calls mix(p, k) for k < FANOUT, so prefixes are shared. Now and
 * then a short cycle repeats (recursion).
 */
static size_t walk_stack(const options *opt, uint64_t *stack)
{
	size_t lo = opt->depth / 10 ? opt->depth / 10 : 1;
	/* Most stacks are of middling depth, a few reach the maximum. */
	double u = rnd_unit();
	size_t depth = lo + (size_t)((double)(opt->depth - lo + 1) * u * u);
	if (depth > opt->depth)
		depth = opt->depth;
	uint64_t loc = rnd() % NROOTS;
	size_t n = 0;
	while (n < depth) {
		if (n >= 4 && rnd() % 64 == 0) {
			size_t cycle = 1 + rnd() % 3, times = 1 + rnd() % 4;
			for (size_t t = 0; t < times && n + cycle <= depth; t++) {
				memmove(stack + n, stack + n - cycle, cycle * sizeof(*stack));
				n += cycle;
			}
			continue;
		}
		stack[n++] = loc;
		/* Hot paths: the first callee is taken most often. */
		uint64_t r = rnd() % 10, k = r < 6 ? 0 : r < 9 ? 1 : 2;
		loc = mix(loc * FANOUT + k + 1) % opt->locations;
	}
	return n;
}

static const int64_t object_sizes[] = {8, 16, 24, 32, 48, 64, 96, 128, 256, 512, 1024,
	2048, 4096, 8192, 32768};
#define NSIZES (sizeof(object_sizes) / sizeof(object_sizes[0]))

static int write_samples(out_stream *o, const options *opt, unsigned long *nsamples,
	int64_t totals[4])
{
	hash_set seen;
	size_t nslots = 1024;
	while (nslots < opt->stacks * 2)
		nslots *= 2;
	seen.slots = xcalloc(nslots, sizeof(*seen.slots));
	seen.mask = nslots - 1;
	uint64_t *stack = xcalloc(opt->depth, sizeof(*stack));
	uint64_t *ids = xcalloc(opt->depth, sizeof(*ids));
	/* Recent stacks are re-sampled with other sizes: duplicate samples. */
	uint64_t *recent = xcalloc((size_t)RECENT * opt->depth, sizeof(*recent));
	size_t *recent_len = xcalloc(RECENT, sizeof(*recent_len));
	size_t nrecent = 0;

	Perftools__Profiles__Label label = PERFTOOLS__PROFILES__LABEL__INIT;
	Perftools__Profiles__Label *labels[1] = {&label};
	label.key = S_BYTES;
	int64_t values[4];
	unsigned long made = 0, samples = 0, misses = 0;
	while (made < opt->stacks) {
		size_t n;
		if (nrecent && rnd_unit() < opt->dup_ratio) {
			size_t r = rnd() % (nrecent < RECENT ? nrecent : RECENT);
			n = recent_len[r];
			memcpy(stack, recent + r * opt->depth, n * sizeof(*stack));
		} else {
			n = walk_stack(opt, stack);
			if (!hash_set_add(&seen, mix(n) ^ crc32(0, (const Bytef *)stack,
				(uInt)(n * sizeof(*stack))) * 0x9e3779b97f4a7c15ull)) {
				if (++misses > opt->stacks * 50 + 1000) {
					fprintf(stderr, "heapflame_gen: cannot make %lu distinct stacks "
						"of depth %lu from %lu locations; raise -locations or -depth\n",
						opt->stacks, opt->depth, opt->locations);
					return -1;
				}
				continue;
			}
			size_t r = nrecent++ % RECENT;
			memcpy(recent + r * opt->depth, stack, n * sizeof(*stack));
			recent_len[r] = n;
			made++;
		}
		/* location_id is leaf first. */
		for (size_t i = 0; i < n; i++)
			ids[i] = id_table_use(&used_locations, stack[n - 1 - i]);
		int64_t size = object_sizes[rnd() % NSIZES];
		int64_t objects = 1 + (int64_t)(rnd() % 64) * (int64_t)(rnd() % 64);
		int64_t inuse = rnd() % 10 < 3 ? (int64_t)(rnd() % (uint64_t)objects) + 1 : 0;
		values[0] = objects;
		values[1] = objects * size;
		values[2] = inuse;
		values[3] = inuse * size;
		for (int t = 0; t < 4; t++)
			totals[t] += values[t];
		label.num = size;
		Perftools__Profiles__Sample s = PERFTOOLS__PROFILES__SAMPLE__INIT;
		s.n_location_id = n;
		s.location_id = ids;
		s.n_value = 4;
		s.value = values;
		s.n_label = 1;
		s.label = labels;
		out_message(o, 2, &s.base);
		samples++;
	}
	*nsamples = samples;
	free(seen.slots);
	free(stack);
	free(ids);
	free(recent);
	free(recent_len);
	return 0;
}

static void usage(FILE *fp)
{
	fputs("usage: heapflame_gen [options] -o FILE[.gz]\n"
	      "  -stacks N     distinct stacks (default 50000)\n"
	      "  -depth N      maximum locations per stack (default 120)\n"
	      "  -funcs N      functions (default 8000)\n"
	      "  -locations N  locations (default 6 x funcs)\n"
	      "  -inline R     fraction of locations with inlined lines, 0..1 (default 0.3)\n"
	      "  -dups R       fraction of extra samples repeating a recent stack (default 0.04)\n"
	      "  -seed N       random seed (default 1)\n"
	      "  -variant N    another snapshot of the same program: same locations and\n"
	      "                functions as -seed gives, other samples (default 0)\n"
	      "  -o FILE       output; gzipped when FILE ends in .gz\n", fp);
}

static int parse_ulong(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || end == s)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, options *opt)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		while (*a == '-')
			a++;
		if (strcmp(a, "h") == 0 || strcmp(a, "help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (i + 1 >= argc)
			return -1;
		const char *v = argv[++i];
		unsigned long n = 0;
		unsigned long *target = NULL;
		if (strcmp(a, "o") == 0) {
			opt->out = v;
			continue;
		} else if (strcmp(a, "inline") == 0 || strcmp(a, "dups") == 0) {
			char *end;
			double r = strtod(v, &end);
			if (*end || r < 0 || r > 1)
				return -1;
			*(a[0] == 'i' ? &opt->inline_ratio : &opt->dup_ratio) = r;
			continue;
		} else if (strcmp(a, "stacks") == 0) {
			target = &opt->stacks;
		} else if (strcmp(a, "depth") == 0) {
			target = &opt->depth;
		} else if (strcmp(a, "funcs") == 0) {
			target = &opt->funcs;
		} else if (strcmp(a, "locations") == 0) {
			target = &opt->locations;
		} else if (strcmp(a, "seed") == 0 || strcmp(a, "variant") == 0) {
			if (parse_ulong(v, &n) != 0)
				return -1;
			*(a[0] == 's' ? &opt->seed : &opt->variant) = n;
			continue;
		} else {
			return -1;
		}
		if (parse_ulong(v, target) != 0)
			return -1;
	}
	if (!opt->out || !opt->stacks || !opt->depth || !opt->funcs)
		return -1;
	if (!opt->locations)
		opt->locations = opt->funcs * 6;
	return 0;
}

int main(int argc, char **argv)
{
	options opt = {50000, 120, 8000, 0, 0.3, 0.04, 1, 0, NULL};
	if (parse_args(argc, argv, &opt) != 0) {
		usage(stderr);
		return 1;
	}
	unsigned long nfiles = opt.funcs / NFILES_PER_FUNC + 1;

	out_stream o = {0};
	size_t olen = strlen(opt.out);
	if (olen > 3 && strcmp(opt.out + olen - 3, ".gz") == 0)
		o.gz = gzopen(opt.out, "wb1"); /* the Go runtime writes BestSpeed */
	else
		o.fp = fopen(opt.out, "wb");
	if (!o.gz && !o.fp) {
		fprintf(stderr, "heapflame_gen: %s: cannot open (%s)\n", opt.out, strerror(errno));
		return 2;
	}

	static const int64_t types[4][2] = {{S_ALLOC_OBJECTS, S_COUNT}, {S_ALLOC_SPACE, S_BYTES},
		{S_INUSE_OBJECTS, S_COUNT}, {S_INUSE_SPACE, S_BYTES}};
	for (int i = 0; i < 4; i++) {
		Perftools__Profiles__ValueType vt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
		vt.type = types[i][0];
		vt.unit = types[i][1];
		out_message(&o, 1, &vt.base);
	}
	unsigned long nsamples = 0;
	int64_t totals[4] = {0};
	id_table_init(&used_locations, opt.locations);
	id_table_init(&used_functions, opt.funcs);
	/* Two streams: samples vary with -variant, the program (locations) not. */
	rng_state = mix(opt.seed) ^ mix(opt.variant + 0x5bd1e995u);
	int rc = write_samples(&o, &opt, &nsamples, totals);
	write_mappings(&o);
	write_locations(&o, &opt);
	write_functions(&o, nfiles);
	write_string_table(&o, nfiles);
	out_varint_field(&o, 9, 1700000000000000000ull);
	Perftools__Profiles__ValueType period_type = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	period_type.type = S_SPACE;
	period_type.unit = S_BYTES;
	out_message(&o, 11, &period_type.base);
	out_varint_field(&o, 12, 524288);
	out_varint_field(&o, 13, S_COMMENT);

	int close_failed = o.gz ? gzclose(o.gz) != Z_OK : fclose(o.fp) != 0;
	free(pack_buf);
	free(used_locations.id_of);
	free(used_locations.index_of);
	free(used_functions.id_of);
	free(used_functions.index_of);
	if (rc != 0 || o.failed || close_failed) {
		if (rc == 0)
			fprintf(stderr, "heapflame_gen: %s: write failed\n", opt.out);
		remove(opt.out);
		return 2;
	}
	/* The totals let a test check a reader against the writer. */
	fprintf(stderr, "heapflame_gen: %s: %lu stacks, %lu samples, %lu locations, %lu functions; "
		"totals alloc_objects=%lld alloc_space=%lld inuse_objects=%lld inuse_space=%lld\n",
		opt.out, opt.stacks, nsamples, (unsigned long)used_locations.n,
		(unsigned long)used_functions.n, (long long)totals[0],
		(long long)totals[1], (long long)totals[2], (long long)totals[3]);
	return 0;
}
