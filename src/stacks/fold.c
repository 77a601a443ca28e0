/*
 * Folding: one sample type of a profile into distinct stacks. Frames of a
 * location are computed once (locations are shared by many samples); each
 * sample's stack is then a concatenation of its locations' frames.
 */
#include "stacks.h"
#include "../profile/profile.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct folder {
	const hf_profile *p;
	hf_stacks *s;
	hf_granularity granularity;
	uint32_t *fn_name;   /* per function: interned name (functions mode) */
	uint32_t *loc_start; /* per location: offset into loc_frames, n+1 entries */
	uint32_t *loc_frames;
	uint32_t *stack;     /* the stack being built, root first */
	size_t stack_cap, depth;
	/* A wire sample's stack is added when the next sample comes (or the
	 * walk ends): its slot in the index is prefetched meanwhile. The
	 * pending stack (its own buffer, swapped with stack's) and value. */
	uint32_t *pending;
	size_t pending_cap, pending_depth;
	int64_t pending_value;
	uint32_t pending_hash;
	bool has_pending;
	size_t index;        /* the sample type folded */
	hf_profile *release; /* the profile, freed after: its samples' location
			      * ids go as they are folded */
	hf_error *err;
} folder;

static uint32_t intern(folder *f, const char *s, size_t len)
{
	return hf__intern_get(&f->s->names, s, len);
}

/*
 * The frame name of one Line, interned: "name" (functions), "name:line"
 * (lines), "name file" (filefunctions), "file" (files), "0xADDR name:line"
 * (addresses); "??" for a missing function or file.
 */
static uint32_t line_frame(folder *f, const hf__location *loc, const hf__line *ln)
{
	const char *name = ln->function ? ln->function->name : "??";
	const char *file = ln->function && ln->function->filename && ln->function->filename[0]
		? ln->function->filename : "??";
	if (f->granularity == HF_GRANULARITY_FUNCTIONS) {
		if (!ln->function)
			return intern(f, "??", 2);
		return f->fn_name[ln->function - f->p->functions];
	}
	if (f->granularity == HF_GRANULARITY_FILES)
		return intern(f, file, strlen(file));
	char small[256];
	size_t nlen = strlen(name), flen = strlen(file);
	char addr[24] = "";
	if (f->granularity == HF_GRANULARITY_ADDRESSES)
		snprintf(addr, sizeof(addr), "0x%" PRIx64 " ", loc->address);
	size_t alen = strlen(addr);
	int extra = f->granularity == HF_GRANULARITY_FILEFUNCTIONS ? (int)flen + 1
		: snprintf(NULL, 0, ":%" PRId64, ln->line);
	if (extra < 0)
		return HF_NONE;
	size_t total = alen + nlen + (size_t)extra;
	char *buf = total < sizeof(small) ? small : hf__malloc(total + 1);
	if (!buf)
		return HF_NONE;
	memcpy(buf, addr, alen);
	memcpy(buf + alen, name, nlen);
	if (f->granularity == HF_GRANULARITY_FILEFUNCTIONS) {
		buf[alen + nlen] = ' ';
		memcpy(buf + alen + nlen + 1, file, flen);
	} else {
		snprintf(buf + alen + nlen, (size_t)extra + 1, ":%" PRId64, ln->line);
	}
	uint32_t id = intern(f, buf, total);
	if (buf != small)
		hf__free(buf);
	return id;
}

static int build_location_frames(folder *f)
{
	const hf_profile *p = f->p;
	size_t total = hf__profile_location_frames(p);
	if (total >= UINT32_MAX)
		return hf__error(f->err, HF_ELIMIT, "too many frames");
	f->loc_start = hf__malloc(hf__mul(p->nlocations + 1, sizeof(*f->loc_start)));
	f->loc_frames = hf__malloc(hf__mul(total, sizeof(*f->loc_frames)));
	if (!f->loc_start || !f->loc_frames)
		return hf__oom(f->err);

	if (f->granularity == HF_GRANULARITY_FUNCTIONS) {
		f->fn_name = hf__malloc(hf__mul(p->nfunctions, sizeof(*f->fn_name)));
		if (!f->fn_name)
			return hf__oom(f->err);
		for (size_t i = 0; i < p->nfunctions; i++) {
			const char *name = p->functions[i].name;
			if ((f->fn_name[i] = intern(f, name, strlen(name))) == HF_NONE)
				return hf__oom(f->err);
		}
	}

	uint32_t n = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const hf__location *loc = &p->locations[i];
		f->loc_start[i] = n;
		if (loc->nlines == 0) {
			char addr[24];
			int len = snprintf(addr, sizeof(addr), "0x%" PRIx64, loc->address);
			uint32_t id = intern(f, addr, (size_t)len);
			if (id == HF_NONE)
				return hf__oom(f->err);
			f->loc_frames[n++] = id;
			continue;
		}
		/* Outermost line first; the lines after it were inlined into it. */
		for (size_t j = loc->nlines; j-- > 0;) {
			uint32_t id = line_frame(f, loc, &loc->lines[j]);
			if (id == HF_NONE)
				return hf__oom(f->err);
			f->loc_frames[n++] = id | (j + 1 < loc->nlines ? HF_FRAME_INLINED : 0);
		}
	}
	f->loc_start[p->nlocations] = n;
	return HF_OK;
}

/* Appends location li's frames to the stack being built (root first). */
static inline bool append_location(folder *f, size_t li)
{
	uint32_t from = f->loc_start[li], to = f->loc_start[li + 1];
	if (to - from > f->stack_cap - f->depth) {
		uint32_t *ns = hf__reserve(f->stack, &f->stack_cap, f->depth, to - from, sizeof(*ns), 256);
		if (!ns)
			return false;
		f->stack = ns;
	}
	/* Most locations are one frame: a store, not a call to memcpy (which
	 * was 14 % of the flame SVG's CPU time, a call per location). */
	if (to - from == 1)
		f->stack[f->depth] = f->loc_frames[from];
	else
		memcpy(f->stack + f->depth, f->loc_frames + from, (to - from) * sizeof(*f->stack));
	f->depth += to - from;
	return true;
}

/* A profile with a base folds "before" into the base column and "after"
 * (values are after - before) into the value column. */
static int sample_values(folder *f, int64_t value, int64_t base, int64_t *v)
{
	if (__builtin_add_overflow(value, base, v))
		return hf__error(f->err, HF_ELIMIT, "sample values overflow 64 bits");
	return HF_OK;
}

static int fold_samples(folder *f, size_t index)
{
	const hf_profile *p = f->p;
	int rc = HF_OK;
	for (size_t i = 0; i < p->nsamples && rc == HF_OK; i++) {
		const hf__sample *s = &p->samples[i];
		int64_t b = s->base_values ? s->base_values[index] : 0;
		int64_t v;
		if ((rc = sample_values(f, s->values[index], b, &v)) != HF_OK)
			break;
		if (v == 0 && b == 0)
			continue;
		/* The stacks' frames grow as the samples' location ids are
		 * passed: a difference's ids (31 MB of 50k-stack -base) and the
		 * frames folded from them were the peak, held whole together. */
		if (f->release)
			hf__profile_release_locs(f->release, s->locations);
		f->depth = 0;
		for (size_t j = s->nlocations; j-- > 0;) {
			if (!append_location(f, (size_t)s->locations[j])) {
				rc = hf__oom(f->err);
				break;
			}
		}
		if (rc == HF_OK)
			rc = hf__stacks_add_diff(f->s, f->stack, f->depth, v, b, f->err);
	}
	return rc;
}

/* A wire sample's stack (its location indexes, leaf first) into
 * f->stack, root first. */
static int build_wire_stack(folder *f, const uint32_t *locations, size_t nlocations,
	hf_error *err)
{
	f->depth = 0;
	for (size_t j = nlocations; j-- > 0;)
		if (!append_location(f, locations[j]))
			return hf__oom(err);
	return HF_OK;
}

/* Adds the pending stack, if any. */
static int add_pending(folder *f, hf_error *err)
{
	if (!f->has_pending)
		return HF_OK;
	f->has_pending = false;
	return hf__stacks_add_hashed(f->s, f->pending, f->pending_depth, f->pending_hash,
		f->pending_value, 0, err);
}

/*
 * One sample of a lean profile (hf__profile_walk_samples): the previous
 * sample's stack is added, then this one's is built, hashed, its slot
 * prefetched and left pending while the walk reads the next sample (the
 * slot of a new stack among a million was a cache miss per stack). The
 * add's errors keep one walk's order: the previous sample's add comes
 * before this one's building, and the walk's own errors come before any
 * of fn's; fold_walk adds the last one.
 */
static int fold_wire_sample(void *ctx, const uint32_t *locations, size_t nlocations,
	const int64_t *values, hf_error *err)
{
	folder *f = ctx;
	f->err = err;
	int rc = add_pending(f, err);
	int64_t v = values[f->index];
	if (rc != HF_OK || v == 0)
		return rc;
	if ((rc = build_wire_stack(f, locations, nlocations, err)) != HF_OK)
		return rc;
	uint32_t h = hf__stacks_hash(f->stack, f->depth);
	hf__stacks_prefetch(f->s, h);
	uint32_t *built = f->stack;
	size_t built_cap = f->stack_cap;
	f->stack = f->pending;
	f->stack_cap = f->pending_cap;
	f->pending = built;
	f->pending_cap = built_cap;
	f->pending_depth = f->depth;
	f->pending_value = v;
	f->pending_hash = h;
	f->has_pending = true;
	return HF_OK;
}

/* Walks the samples (all of them, or a part) with fold_wire_sample and
 * adds the last one's stack: the walk's error, if any, is the one it
 * reports (it comes before any of fn's, the pending add's included). */
static int fold_walk(folder *f, const hf_profile *p, size_t split, bool part, bool second,
	hf_error *err)
{
	int rc = part ? hf__profile_walk_samples_part(p, split, second, fold_wire_sample, f, err)
		      : hf__profile_walk_samples(p, fold_wire_sample, f, err);
	if (rc == HF_OK)
		return add_pending(f, err);
	f->has_pending = false;
	return rc;
}

/* Below this many bytes of samples one thread folds them: a MiB is ~15
 * ms of walking, against ~0.1 ms to start a thread and the adding of the
 * second part's samples. */
enum { FOLD_PARALLEL_MIN = 1 << 20 };

/*
 * The second part's samples, kept as they come (depth, value, the 32 bits
 * of their hash the index uses, frames), not as stacks of their own:
 * stacks of both parts held at once while the second's were added to the
 * first's took --folded's peak from 23 to 30 MB. The recording thread
 * hands them over as it goes (chunk_handoff); the first part's thread,
 * once its own part is folded, adds them while the second part is still
 * walked, and frees each chunk once its samples are added.
 */
typedef struct sample_chunk {
	struct sample_chunk *next;
	size_t used, cap; /* words */
	uint32_t words[];
} sample_chunk;

/*
 * A chunk is 1 MiB: above the CLI's fixed mmap threshold (cli/main.c), so
 * each is mapped on its own and a freed one goes back to the system at
 * once, and the stacks growing as its samples are added can take its pages.
 * Chunks of 256 KiB, below the threshold, came from the recording thread's
 * malloc arena, where freed ones stayed resident beside the stacks: the 1M
 * --folded's peak rose by what was waiting when the adds began (370 ->
 * 376-471 MB, 340-621 chunks waiting: varying with the threads' timing).
 * What is handed over is finer than a chunk: every SAMPLE_GIVE_WORDS (64
 * KiB, ~250 samples of synthetic-large), so that little is left to add
 * once the second part's walk ends.
 */
enum {
	SAMPLE_CHUNK_WORDS = 1 << 18,
	SAMPLE_GIVE_WORDS = 1 << 14,
	SAMPLE_HEADER_WORDS = 4
};

/*
 * The second part's samples, handed from the thread that records them to
 * the one that adds them: a count of full chunks and how much of the chunk
 * after them is written. What the counts cover is the adder's to read and
 * (a full chunk, once added) to free; the recorder writes only beyond it.
 */
typedef struct chunk_handoff {
	pthread_mutex_t lock;
	pthread_cond_t more;
	size_t full;      /* chunks full (their used and next are final) */
	size_t tail_used; /* words given of the chunk after the full ones */
	bool ended;       /* the walk has ended: tail_used is that chunk's used */
	bool waiting;     /* the adder waits on `more` */
} chunk_handoff;

/* One part of a lean profile's samples. */
typedef struct fold_part {
	folder f;
	const hf_profile *p;
	size_t split;
	bool second;
	sample_chunk *head, *tail; /* the second part's samples */
	size_t given;              /* of tail's words, the ones handed over */
	chunk_handoff *handoff;    /* the second part's */
	hf_error err;
	int rc;
} fold_part;

/* Hands over the second part's chunks up to its tail's `used` words (and
 * a new tail after them if `new_tail`). */
static void give_recorded(fold_part *part, bool new_tail, bool ended)
{
	chunk_handoff *h = part->handoff;
	pthread_mutex_lock(&h->lock);
	if (new_tail) {
		h->full++;
		h->tail_used = 0;
	} else {
		h->tail_used = part->tail ? part->tail->used : 0;
	}
	h->ended = ended;
	if (h->waiting)
		pthread_cond_signal(&h->more);
	pthread_mutex_unlock(&h->lock);
	part->given = new_tail ? 0 : h->tail_used;
}

static int record_sample(void *ctx, const uint32_t *locations, size_t nlocations,
	const int64_t *values, hf_error *err)
{
	fold_part *part = ctx;
	folder *f = &part->f;
	int64_t v = values[f->index];
	if (v == 0)
		return HF_OK;
	int rc = build_wire_stack(f, locations, nlocations, err);
	if (rc != HF_OK)
		return rc;
	if (f->depth >= UINT32_MAX - SAMPLE_HEADER_WORDS)
		return hf__error(err, HF_ELIMIT, "stack too deep");
	size_t need = SAMPLE_HEADER_WORDS + f->depth;
	sample_chunk *c = part->tail;
	if (!c || c->cap - c->used < need) {
		size_t cap = need > SAMPLE_CHUNK_WORDS ? need : SAMPLE_CHUNK_WORDS;
		c = hf__malloc(sizeof(*c) + cap * sizeof(c->words[0]));
		if (!c)
			return hf__oom(err);
		*c = (sample_chunk){.cap = cap};
		if (part->tail)
			part->tail->next = c; /* before it is given as full */
		else
			part->head = c;
		sample_chunk *full = part->tail;
		part->tail = c;
		if (full)
			give_recorded(part, true, false);
	}
	uint32_t *w = c->words + c->used;
	uint64_t u = (uint64_t)v;
	w[0] = (uint32_t)f->depth;
	w[1] = (uint32_t)u;
	w[2] = (uint32_t)(u >> 32);
	/* Hashed here, on the second thread: the join adds it alone. */
	w[3] = hf__stacks_hash(f->stack, f->depth);
	memcpy(w + SAMPLE_HEADER_WORDS, f->stack, f->depth * sizeof(*w));
	c->used += need;
	if (c->used - part->given >= SAMPLE_GIVE_WORDS)
		give_recorded(part, false, false);
	return HF_OK;
}

static void fold_part_run(void *arg)
{
	fold_part *part = arg;
	if (!part->second) {
		part->rc = fold_walk(&part->f, part->p, part->split, true, false, &part->err);
		return;
	}
	part->rc = hf__profile_walk_samples_part(part->p, part->split, true, record_sample, part,
		&part->err);
	give_recorded(part, false, true);
}

/* How many recorded samples ahead the join prefetches their slots: an
 * add takes less time than a cache miss. */
enum { JOIN_PREFETCH_AHEAD = 4 };

/* Adds the samples of c's words [from, to) to s in their order, unless
 * !ok; returns whether every add succeeded. */
static bool add_chunk_words(hf_stacks *s, const sample_chunk *c, size_t from, size_t to,
	bool ok)
{
	/* `ahead` runs JOIN_PREFETCH_AHEAD samples before i (the first ones
	 * given at a time are not prefetched). */
	size_t ahead = from;
	for (int k = 0; ok && k < JOIN_PREFETCH_AHEAD && ahead < to; k++)
		ahead += SAMPLE_HEADER_WORDS + c->words[ahead];
	for (size_t i = from; ok && i < to;) {
		if (ahead < to) {
			hf__stacks_prefetch(s, c->words[ahead + 3]);
			ahead += SAMPLE_HEADER_WORDS + c->words[ahead];
		}
		const uint32_t *w = c->words + i;
		int64_t v = (int64_t)((uint64_t)w[1] | (uint64_t)w[2] << 32);
		ok = hf__stacks_add_hashed(s, w + SAMPLE_HEADER_WORDS, w[0], w[3], v, 0, NULL) ==
		     HF_OK;
		i += SAMPLE_HEADER_WORDS + w[0];
	}
	return ok;
}

/*
 * Adds the second part's samples to s (NULL: none) in their order as its
 * thread hands them over, until that thread's walk has ended, and frees
 * every chunk once its samples are added (or, after an add failed, once it
 * is handed over). Returns whether every add succeeded.
 */
static bool add_recorded(hf_stacks *s, fold_part *second)
{
	chunk_handoff *h = second->handoff;
	sample_chunk *c = NULL; /* the chunk being added; NULL: the head */
	size_t taken = 0;       /* full chunks added and freed */
	size_t at = 0;          /* c's words added */
	bool ok = s != NULL;
	for (;;) {
		pthread_mutex_lock(&h->lock);
		while (taken == h->full && at >= h->tail_used && !h->ended) {
			h->waiting = true;
			pthread_cond_wait(&h->more, &h->lock);
		}
		h->waiting = false;
		bool is_full = taken < h->full, ended = h->ended;
		size_t tail_used = h->tail_used;
		pthread_mutex_unlock(&h->lock);
		c = c ? c : second->head;
		if (!c) /* ended with nothing recorded */
			break;
		size_t to = is_full ? c->used : tail_used;
		ok = add_chunk_words(s, c, at, to, ok);
		at = to;
		if (is_full) {
			sample_chunk *next = c->next;
			hf__free(c);
			c = next;
			taken++;
			at = 0;
		} else if (ended) {
			hf__free(c); /* the last */
			break;
		}
	}
	return ok;
}

/* What fold_in_parts did. */
typedef enum { PARTS_NOT_WALKED, PARTS_FOLDED, PARTS_FAILED } parts_result;

/*
 * A lean profile's samples walked in two parts on two threads: the first
 * folded into f->s, the second recorded as it comes and handed over 64
 * KiB at a time, added in its order once the first part is folded (while
 * the second is still walked), so every stack's value is summed in the
 * order one walk sums it. As long as neither part met a problem, the
 * stacks, their order and their values are those one walk makes.
 * Otherwise (or if adding the second part fails: an overflow one walk
 * would also meet, or memory) PARTS_FAILED, with f->s empty again: all
 * the samples are to be walked by one walk, which reports what one walk
 * reports, in its precedence. PARTS_NOT_WALKED: no sample was walked (no
 * split, or no thread).
 */
static parts_result fold_in_parts(folder *f, const hf_profile *p)
{
	/* This thread folds the first part (a hash probe per sample) and
	 * then adds the second part's samples as they come; the second
	 * thread only walks and records. Timed on synthetic-large, both
	 * threads end together with the cut at about 1/3 of the bytes (at
	 * 3/8, this thread went on ~2 ms after the other had ended; at 5/16
	 * it waited for the last of the recorded samples). */
	size_t bytes = hf__profile_samples_bytes(p);
	size_t split = hf__profile_samples_split(p, bytes / 3);
	if (split == 0)
		return PARTS_NOT_WALKED;
	chunk_handoff handoff = {.full = 0, .tail_used = 0, .ended = false, .waiting = false};
	fold_part first = {.f = *f, .p = p, .split = split, .rc = HF_OK};
	fold_part second = {.f = *f, .p = p, .split = split, .second = true,
		.handoff = &handoff, .rc = HF_OK};
	second.f.stack = hf__malloc(second.f.stack_cap * sizeof(*second.f.stack));
	second.f.s = NULL;
	hf__thread *t = NULL;
	if (second.f.stack && pthread_mutex_init(&handoff.lock, NULL) == 0) {
		if (pthread_cond_init(&handoff.more, NULL) == 0) {
			if ((t = hf__thread_start(fold_part_run, &second)) == NULL)
				pthread_cond_destroy(&handoff.more);
		}
		if (!t)
			pthread_mutex_destroy(&handoff.lock);
	}
	hf__free(t ? NULL : second.f.stack);
	if (!t)
		return PARTS_NOT_WALKED;
	fold_part_run(&first);
	/* the first part's walk may have grown (and swapped) the stack
	 * buffers */
	f->stack = first.f.stack;
	f->stack_cap = first.f.stack_cap;
	f->pending = first.f.pending;
	f->pending_cap = first.f.pending_cap;
	bool added = add_recorded(first.rc == HF_OK ? f->s : NULL, &second);
	hf__thread_join(t);
	pthread_cond_destroy(&handoff.more);
	pthread_mutex_destroy(&handoff.lock);
	hf__free(second.f.stack);
	if (!added || second.rc != HF_OK) {
		hf__stacks_clear(f->s);
		return PARTS_FAILED;
	}
	return PARTS_FOLDED;
}

/*
 * hf_stacks_fold; `lean` (the profile itself, owned by the caller, which
 * frees it after) is a lean profile whose model can go once its locations'
 * frames are known: the samples then need only the wire data. With `redo`
 * (not NULL: the caller can parse the source again), the walks give back
 * the wire data's pages as they pass them; if the samples would then have
 * to be walked again (a part failed), *redo is set and an error returned:
 * the caller parses the source again and folds it without redo.
 */
static int fold(hf_stacks **out, const hf_profile *profile, hf_profile *lean,
	hf_profile *release, const hf_fold_options *opts, bool *redo, hf_error *err)
{
	hf_fold_options o = HF_FOLD_OPTIONS_INIT;
	if (opts)
		o = *opts;
	*out = NULL;
	size_t index = o.sample_index < 0 ? hf_profile_default_sample_index(profile)
					  : (size_t)o.sample_index;
	if (index >= profile->nsample_types)
		return hf__error(err, HF_ENOTFOUND, "sample index %zu out of range", index);
	if ((unsigned)o.granularity > HF_GRANULARITY_ADDRESSES)
		return hf__error(err, HF_EINVALID, "unknown granularity %d", (int)o.granularity);

	folder f = {0};
	f.p = profile;
	f.granularity = o.granularity;
	f.err = err;
	int rc = hf__stacks_new(&f.s, profile->sample_types[index].type,
		profile->sample_types[index].unit, err);
	if (rc == HF_OK) {
		f.s->has_base = profile->has_base;
		rc = build_location_frames(&f);
	}
	if (rc == HF_OK && lean)
		hf__profile_drop_model(lean);
	f.index = index;
	f.release = release;
	f.stack_cap = 256;
	f.pending_cap = 256;
	if (rc == HF_OK && (!(f.stack = hf__malloc(f.stack_cap * sizeof(*f.stack))) ||
			    !(f.pending = hf__malloc(f.pending_cap * sizeof(*f.pending)))))
		rc = hf__oom(err);
	if (rc == HF_OK && profile->wire) {
		bool given_back = redo && lean && hf__profile_wire_give_back(lean);
		parts_result parts = PARTS_NOT_WALKED;
		if (hf__parallel_pays(hf__profile_samples_bytes(profile), FOLD_PARALLEL_MIN))
			parts = fold_in_parts(&f, profile);
		if (parts == PARTS_FAILED && given_back) {
			*redo = true;
			rc = hf__error(err, HF_ERROR, "the samples are to be walked again");
		} else if (parts != PARTS_FOLDED) {
			rc = fold_walk(&f, profile, 0, false, false, err);
		}
		f.err = err;
	} else if (rc == HF_OK) {
		rc = fold_samples(&f, index);
	}
	hf__free(f.stack);
	hf__free(f.pending);
	hf__free(f.fn_name);
	hf__free(f.loc_start);
	hf__free(f.loc_frames);
	if (rc != HF_OK) {
		hf_stacks_free(f.s);
		return rc;
	}
	*out = f.s;
	return HF_OK;
}

int hf_stacks_fold(hf_stacks **out, const hf_profile *profile,
	const hf_fold_options *opts, hf_error *err)
{
	return fold(out, profile, NULL, NULL, opts, NULL, err);
}

int hf_stacks_fold_free(hf_stacks **out, hf_profile *profile, const hf_fold_options *opts,
	hf_error *err)
{
	if (!profile) {
		*out = NULL;
		return hf__error(err, HF_EINVALID, "hf_stacks_fold_free: NULL profile");
	}
	int rc = fold(out, profile, NULL, profile, opts, NULL, err);
	hf_profile_free(profile);
	return rc;
}

/* The first of a lean profile's own problems, or rc as it is. */
static int wire_problem_first(const hf_profile *p, int rc, hf_error *err)
{
	hf_error walk_err = {0};
	if (p->wire && hf__profile_walk_samples(p, NULL, NULL, &walk_err) != HF_OK) {
		if (err)
			*err = walk_err;
		return walk_err.code;
	}
	return rc;
}

/* Folds a lean profile (or a whole one, from text) and frees it; `redo`
 * as fold's. */
static int fold_lean(hf_stacks **out, hf_profile *p, const char *sample_index,
	const hf_fold_options *opts, bool *redo, hf_error *err)
{
	hf_fold_options o = HF_FOLD_OPTIONS_INIT;
	if (opts)
		o = *opts;
	size_t index;
	int rc;
	/* A decoded profile's sample problems came before these. */
	if ((rc = hf_profile_sample_index(p, sample_index, &index, err)) != HF_OK) {
		rc = wire_problem_first(p, rc, err);
	} else if ((unsigned)o.granularity > HF_GRANULARITY_ADDRESSES) {
		rc = wire_problem_first(p, hf__error(err, HF_EINVALID, "unknown granularity %d",
			(int)o.granularity), err);
	} else {
		o.sample_index = (long)index;
		rc = fold(out, p, p->wire ? p : NULL, NULL, &o, redo, err);
	}
	hf_profile_free(p);
	return rc;
}

/* Whether path can be read again as it was read (a regular file; not
 * stdin or a pipe). */
static bool readable_again(const char *path)
{
	struct stat st;
	return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int hf_stacks_fold_file(hf_stacks **out, const char *path, const hf_parse_options *parse,
	const char *sample_index, const hf_fold_options *opts, hf_error *err)
{
	hf_profile *p = NULL;
	bool redo = false;
	*out = NULL;
	int rc = hf__profile_parse_file_lean(&p, path, parse, err);
	if (rc == HF_OK)
		rc = fold_lean(out, p, sample_index, opts, readable_again(path) ? &redo : NULL,
			err);
	if (redo && (rc = hf__profile_parse_file_lean(&p, path, parse, err)) == HF_OK)
		rc = fold_lean(out, p, sample_index, opts, NULL, err);
	return rc;
}

int hf_stacks_fold_data(hf_stacks **out, const void *data, size_t len, const char *name,
	const hf_parse_options *parse, const char *sample_index,
	const hf_fold_options *opts, hf_error *err)
{
	hf_profile *p = NULL;
	bool redo = false;
	*out = NULL;
	int rc = hf__profile_parse_lean(&p, data, len, name, parse, err);
	if (rc == HF_OK)
		rc = fold_lean(out, p, sample_index, opts, &redo, err);
	if (redo && (rc = hf__profile_parse_lean(&p, data, len, name, parse, err)) == HF_OK)
		rc = fold_lean(out, p, sample_index, opts, NULL, err);
	return rc;
}
