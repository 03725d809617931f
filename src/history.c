/* history: compact records + model snapshots. See history.h.
 *
 * A record is stored as: type, then varints: seq and t_ns as deltas from
 * the record before (zigzag), worker+1, object+1, then for a text record
 * its a0 and text, else a count of arguments (trailing zeros dropped) and
 * each argument (zigzag). Records live in blocks of BLOCK bytes and never
 * straddle two; a snapshot remembers where its next record starts and the
 * seq and time the deltas continue from.
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BLOCK (1u << 20)
#define REC_MAX (2 + 2 * 10 + 3 * 5 + 6 * 10 + LS_EV_TEXT) /* worst case, bytes */

struct snap {
	struct model m;
	uint32_t block, off; /* where record (index * HISTORY_EVERY) starts */
	uint32_t seq;        /* the seq and time the next delta is from */
	uint64_t t_ns;
};

struct step {
	uint64_t start; /* records before its GRANT */
	unsigned marks;
};

struct history {
	size_t max_bytes, bytes;
	unsigned char **blocks;
	uint32_t nblocks, capblocks, used; /* used: bytes of the last block */
	uint64_t n;
	size_t rec_bytes; /* of encoded records alone */
	uint32_t seq;
	uint64_t t_ns;
	struct snap **snaps; /* each on its own: growing the array moves pointers,
	                        not models */
	size_t nsnaps, capsnaps;
	struct step *steps; /* steps[0]: what came before the first GRANT */
	size_t nsteps, capsteps;
	size_t snap_heap; /* what the snapshots' models hold beyond their struct */
	unsigned last_marks; /* of the record pushed last */
	int full;
	int frozen; /* history_freeze: the last block holds only what it used */
};

/* ---- varints ---- */

static unsigned char *put_u(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static unsigned char *put_s(unsigned char *p, int64_t v)
{
	return put_u(p, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static const unsigned char *get_u(const unsigned char *p, uint64_t *v)
{
	uint64_t x = 0;
	for (int sh = 0;; sh += 7) {
		unsigned char b = *p++;
		x |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80) || sh >= 63)
			break;
	}
	*v = x;
	return p;
}

static const unsigned char *get_s(const unsigned char *p, int64_t *v)
{
	uint64_t u;
	p = get_u(p, &u);
	*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return p;
}

/* ---- model copies ---- */

static size_t model_bytes(const struct model *m)
{
	size_t b = sizeof *m + (size_t)m->capw * sizeof *m->w + (size_t)m->capo * sizeof *m->o;
	for (int i = 0; i < m->no; i++)
		b += (size_t)m->o[i].capwaiters * sizeof(int) + (size_t)m->o[i].nroles +
		     (m->o[i].texts ? LS_ITEM_TEXTS * sizeof *m->o[i].texts : 0) +
		     (size_t)m->o[i].nslots * sizeof *m->o[i].slots;
	return b;
}

static void *dup_mem(const void *p, size_t n)
{
	if (!p || n == 0)
		return NULL;
	void *q = malloc(n);
	if (!q)
		abort(); /* as the model's own growth does */
	memcpy(q, p, n);
	return q;
}

/* n elements into *p, grown when it holds fewer (never shrunk): a view of
 * the past or the log's catch-up copies a snapshot every frame, into the
 * same arrays each time. */
static void *reuse(void *p, int *cap, int n, size_t elem)
{
	if (n > *cap) {
		p = realloc(p, (size_t)n * elem);
		if (!p)
			abort(); /* as the model's own growth does */
		*cap = n;
	}
	return p;
}

void history_model_copy(struct model *dst, const struct model *src)
{
	model_reset(dst); /* its objects' own arrays go; the two big ones stay */
	struct m_worker *w = dst->w;
	struct m_object *o = dst->o;
	int capw = dst->capw, capo = dst->capo;
	*dst = *src;
	/* the workers and objects in use; past them the model initialises
	 * each entry when it first uses it (worker_at, object_at) */
	dst->w = src->nw > 0 ? reuse(w, &capw, src->nw, sizeof *w) : w;
	dst->o = src->no > 0 ? reuse(o, &capo, src->no, sizeof *o) : o;
	dst->capw = capw;
	dst->capo = capo;
	if (src->nw > 0)
		memcpy(dst->w, src->w, (size_t)src->nw * sizeof *src->w);
	if (src->no > 0)
		memcpy(dst->o, src->o, (size_t)src->no * sizeof *src->o);
	for (int i = 0; i < src->no; i++) {
		dst->o[i].waiters = dup_mem(src->o[i].waiters,
		                            (size_t)src->o[i].capwaiters * sizeof(int));
		dst->o[i].roles = dup_mem(src->o[i].roles, (size_t)src->o[i].nroles);
		if (!dst->o[i].waiters)
			dst->o[i].capwaiters = dst->o[i].nwaiters = 0;
		if (!dst->o[i].roles)
			dst->o[i].nroles = 0;
		dst->o[i].texts = dup_mem(src->o[i].texts,
		                          src->o[i].texts ? LS_ITEM_TEXTS * sizeof *src->o[i].texts : 0);
		if (!dst->o[i].texts)
			dst->o[i].ntexts = 0;
		dst->o[i].slots = dup_mem(src->o[i].slots,
		                          (size_t)src->o[i].nslots * sizeof *src->o[i].slots);
		if (!dst->o[i].slots)
			dst->o[i].nslots = 0;
	}
}

/* ---- life ---- */

static void account(struct history *h);

struct history *history_new(size_t max_bytes)
{
	struct history *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->max_bytes = max_bytes ? max_bytes : HISTORY_DEFAULT_BYTES;
	account(h);
	return h;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (uint32_t i = 0; i < h->nblocks; i++)
		free(h->blocks[i]);
	free(h->blocks);
	for (size_t i = 0; i < h->nsnaps; i++) {
		model_free(&h->snaps[i]->m);
		free(h->snaps[i]);
	}
	free(h->snaps);
	free(h->steps);
	free(h);
}

uint64_t history_len(const struct history *h) { return h->n; }
unsigned history_last_marks(const struct history *h) { return h->last_marks; }
int history_full(const struct history *h) { return h->full; }
size_t history_bytes(const struct history *h) { return h->bytes; }
size_t history_record_bytes(const struct history *h) { return h->rec_bytes; }

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

unsigned history_marks_of(const struct ls_event *ev, const struct model *m)
{
	switch (ev->type) {
	case LS_EV_BLOCKED: return HIST_BLOCK;
	case LS_EV_NOTIFY: return HIST_WAKE;
	case LS_EV_RELEASED: {
		const struct m_object *o = model_object(m, ev->object);
		return o && o->nwaiters > 0 ? HIST_WAKE : 0; /* someone may go on */
	}
	case LS_EV_SIGNAL:
	case LS_EV_DELIVERED: return HIST_SIGNAL;
	case LS_EV_SAY: return ev->worker < 0 ? HIST_ALARM : 0;
	case LS_EV_EXIT:
	case LS_EV_END:
	case LS_EV_CRASH: return HIST_END;
	default: return 0;
	}
}

/* What the history holds, arrays counted by capacity, blocks whole. */
static void account(struct history *h)
{
	size_t blocks = (size_t)h->nblocks * BLOCK;
	if (h->frozen && h->nblocks > 0)
		blocks -= BLOCK - h->used;
	h->bytes = sizeof *h + blocks + h->capblocks * sizeof *h->blocks +
	           h->capsteps * sizeof *h->steps + h->capsnaps * sizeof *h->snaps + h->snap_heap;
}

void history_freeze(struct history *h)
{
	if (h->frozen)
		return;
	h->frozen = 1;
	if (h->nblocks > 0 && h->used > 0) { /* the rest of the last block is never written */
		unsigned char *b = realloc(h->blocks[h->nblocks - 1], h->used);
		if (b)
			h->blocks[h->nblocks - 1] = b;
		else
			h->frozen = 0; /* kept whole: it still holds BLOCK bytes */
	}
	if (h->frozen)
		account(h);
}

static size_t doubling(size_t n, size_t cap, size_t elem)
{
	return n < cap ? 0 : (cap ? cap : 16) * elem;
}

static void prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	const uintptr_t page = 4096;
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1), e = ((uintptr_t)p + n) & ~(page - 1);
	if (e > a + 16 * page) /* worth a call; an old kernel says EINVAL: faults then */
		madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

int history_push(struct history *h, const struct ls_event *ev, const struct model *m)
{
	if (h->full || h->frozen)
		return -1;
	/* what this record may add, before anything is allocated */
	int newblock = h->nblocks == 0 || h->used + REC_MAX > BLOCK;
	int snap = (h->n + 1) % HISTORY_EVERY == 0; /* snapshot k: after record k*EVERY */
	size_t need = REC_MAX;
	if (newblock)
		need += BLOCK + doubling(h->nblocks, h->capblocks, sizeof *h->blocks);
	if (ev->type == LS_EV_GRANT || h->nsteps == 0)
		need += doubling(h->nsteps + 1, h->capsteps, sizeof *h->steps);
	if (snap)
		need += sizeof(struct snap) + model_bytes(m) - sizeof *m + doubling(h->nsnaps, h->capsnaps, sizeof *h->snaps);
	if (h->bytes + need > h->max_bytes) {
		h->full = 1;
		return -1;
	}
	if (newblock) {
		size_t cap = h->capblocks;
		unsigned char *b = malloc(BLOCK);
		if (!b || grow((void **)&h->blocks, &cap, h->nblocks + 1, sizeof *h->blocks) != 0) {
			free(b);
			h->full = 1;
			return -1;
		}
		h->capblocks = (uint32_t)cap;
		prefault(b, BLOCK);
		h->blocks[h->nblocks++] = b;
		h->used = 0;
	}
	if (h->nsteps == 0) {
		if (grow((void **)&h->steps, &h->capsteps, 1, sizeof *h->steps) != 0) {
			h->full = 1;
			return -1;
		}
		h->steps[0] = (struct step){0, 0};
		h->nsteps = 1;
	}
	unsigned char *start = h->blocks[h->nblocks - 1] + h->used, *p = start;
	*p++ = ev->type;
	p = put_s(p, (int64_t)(int32_t)(ev->seq - h->seq));
	p = put_s(p, (int64_t)(ev->t_ns - h->t_ns));
	p = put_u(p, (uint64_t)((int64_t)ev->worker + 1));
	p = put_u(p, (uint64_t)((int64_t)ev->object + 1));
	if (event_has_text(ev->type)) {
		p = put_s(p, ev->u.s.a0);
		size_t tl = strnlen(ev->u.s.text, LS_EV_TEXT - 1);
		p = put_u(p, tl);
		memcpy(p, ev->u.s.text, tl);
		p += tl;
	} else {
		int k = 5;
		while (k > 0 && ev->u.a[k - 1] == 0)
			k--;
		*p++ = (unsigned char)k;
		for (int i = 0; i < k; i++)
			p = put_s(p, ev->u.a[i]);
	}
	h->used += (uint32_t)(p - start);
	h->rec_bytes += (size_t)(p - start);
	h->seq = ev->seq;
	h->t_ns = ev->t_ns;
	if (ev->type == LS_EV_GRANT) {
		if (grow((void **)&h->steps, &h->capsteps, h->nsteps + 1, sizeof *h->steps) != 0) {
			h->full = 1;
			return -1;
		}
		h->steps[h->nsteps++] = (struct step){h->n, 0};
	}
	h->last_marks = history_marks_of(ev, m);
	h->steps[h->nsteps - 1].marks |= h->last_marks;
	h->n++;
	if (snap) {
		if (grow((void **)&h->snaps, &h->capsnaps, h->nsnaps + 1, sizeof *h->snaps) != 0) {
			h->full = 1;
			return -1;
		}
		struct snap *s = malloc(sizeof *s);
		struct m_worker *w = m->nw > 0 ? malloc((size_t)m->nw * sizeof *w) : NULL;
		if (!s || (m->nw > 0 && !w)) {
			free(s);
			free(w);
			h->full = 1;
			return -1;
		}
		/* fresh memory, a few hundred KB for a crowd: its pages made in
		 * one call, not one fault each as the copy first writes them */
		prefault(s, sizeof *s);
		memset(s, 0, sizeof *s);
		prefault(w, (size_t)m->nw * sizeof *w);
		s->m.w = w;
		s->m.capw = m->nw;
		h->snaps[h->nsnaps++] = s;
		history_model_copy(&s->m, m);
		s->block = h->nblocks - 1;
		s->off = h->used;
		s->seq = h->seq;
		s->t_ns = h->t_ns;
		h->snap_heap += sizeof *s + model_bytes(&s->m) - sizeof *m;
	}
	account(h);
	return 0;
}

/* ---- reading back ---- */

struct cursor {
	const struct history *h;
	uint32_t block, off;
	uint32_t seq;
	uint64_t t_ns;
};

static void decode(struct cursor *c, struct ls_event *ev)
{
	const struct history *h = c->h;
	if (c->off + REC_MAX > BLOCK) { /* where the writer began a new block */
		c->block++;
		c->off = 0;
	}
	const unsigned char *start = h->blocks[c->block] + c->off, *p = start;
	uint64_t u;
	int64_t s;
	memset(ev, 0, sizeof *ev);
	ev->magic = LS_EV_MAGIC;
	ev->version = LS_EV_VERSION;
	ev->type = *p++;
	p = get_s(p, &s);
	ev->seq = c->seq + (uint32_t)s;
	p = get_s(p, &s);
	ev->t_ns = c->t_ns + (uint64_t)s;
	p = get_u(p, &u);
	ev->worker = (int32_t)((int64_t)u - 1);
	p = get_u(p, &u);
	ev->object = (int32_t)((int64_t)u - 1);
	if (event_has_text(ev->type)) {
		p = get_s(p, &ev->u.s.a0);
		p = get_u(p, &u);
		memcpy(ev->u.s.text, p, (size_t)u);
		p += u;
	} else {
		int k = *p++;
		for (int i = 0; i < k; i++)
			p = get_s(p, &ev->u.a[i]);
	}
	c->off += (uint32_t)(p - start);
	c->seq = ev->seq;
	c->t_ns = ev->t_ns;
}

/* The snapshot before record i (NULL: the start) and a cursor where it
 * was taken; returns the record the cursor is at. */
static uint64_t snap_before(const struct history *h, uint64_t i, const struct snap **snap,
                            struct cursor *c)
{
	uint64_t k = i / HISTORY_EVERY;
	if (k > h->nsnaps)
		k = h->nsnaps;
	*snap = k > 0 ? h->snaps[k - 1] : NULL;
	*c = *snap ? (struct cursor){h, (*snap)->block, (*snap)->off, (*snap)->seq, (*snap)->t_ns}
	           : (struct cursor){h, 0, 0, 0, 0};
	return k * HISTORY_EVERY;
}

/* A cursor at record i: from the snapshot before it, decoded forward. */
static void seek(const struct history *h, uint64_t i, struct cursor *c)
{
	const struct snap *s;
	struct ls_event ev;
	for (uint64_t j = snap_before(h, i, &s, c); j < i; j++)
		decode(c, &ev);
}

int history_fold(const struct history *h, uint64_t from, uint64_t to, struct model *m)
{
	return history_each(h, from, to, m, NULL, NULL);
}

int history_each(const struct history *h, uint64_t from, uint64_t to, struct model *m,
                 void (*fn)(void *ud, const struct model *m, const struct ls_event *ev),
                 void *ud)
{
	if (from > to || to > h->n)
		return -1;
	struct cursor c;
	seek(h, from, &c);
	struct ls_event ev;
	for (uint64_t i = from; i < to; i++) {
		decode(&c, &ev);
		if (m)
			model_apply(m, &ev);
		if (fn)
			fn(ud, m, &ev);
	}
	return 0;
}

int history_each_from(const struct history *h, struct history_pos *pos, uint64_t from,
                      uint64_t to, struct model *m,
                      void (*fn)(void *ud, const struct model *m, const struct ls_event *ev),
                      void *ud)
{
	if (from > to || to > h->n)
		return -1;
	const struct snap *s;
	struct cursor c;
	uint64_t i = snap_before(h, from, &s, &c);
	/* a snapshot costs a copy of the model, about what folding a quarter
	 * of the records between snapshots costs */
	if (pos->n != HISTORY_NOWHERE && pos->n <= from &&
	    from - pos->n <= from - i + HISTORY_EVERY / 4) {
		i = pos->n;
		c = (struct cursor){h, pos->block, pos->off, pos->seq, pos->t_ns};
	} else if (s) {
		history_model_copy(m, &s->m);
	} else {
		model_reset(m);
	}
	struct ls_event ev;
	for (; i < to; i++) {
		decode(&c, &ev);
		model_apply(m, &ev);
		if (fn && i >= from)
			fn(ud, m, &ev);
	}
	*pos = (struct history_pos){to, c.block, c.off, c.seq, c.t_ns};
	return 0;
}

int history_model_at(const struct history *h, uint64_t n, struct model *out)
{
	struct history_pos nowhere = {.n = HISTORY_NOWHERE};
	return history_each_from(h, &nowhere, n, n, out, NULL, NULL);
}

int history_event(const struct history *h, uint64_t i, struct ls_event *ev)
{
	if (i >= h->n)
		return -1;
	struct cursor c;
	seek(h, i, &c);
	decode(&c, ev);
	return 0;
}

uint64_t history_steps(const struct history *h)
{
	return h->nsteps ? h->nsteps - 1 : 0;
}

uint64_t history_step_start(const struct history *h, uint64_t k)
{
	if (k == 0 || k >= h->nsteps)
		return k == 0 ? 0 : h->n;
	return h->steps[k].start;
}

uint64_t history_step_of(const struct history *h, uint64_t n)
{
	/* the last step whose GRANT is among the first n records */
	uint64_t lo = 0, hi = h->nsteps ? h->nsteps - 1 : 0;
	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;
		if (h->steps[mid].start < n)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

unsigned history_step_marks(const struct history *h, uint64_t k)
{
	return k < h->nsteps ? h->steps[k].marks : 0;
}
