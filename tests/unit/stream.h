/* stream.h: a long, valid stream of records for the history's tests and
 * benchmark: main joins T1..Tk, which take a lock in turn and read and
 * write a shared value under it, with a narration line now and then, as
 * a controlled run of the race scene with its lock on would. */
#ifndef LS_TEST_STREAM_H
#define LS_TEST_STREAM_H

#include <string.h>

#include "event.h"

struct stream {
	uint32_t seq;
	uint64_t t, step, i;
	int nthreads, turn, phase[8];
	int64_t value;
	struct ls_event *buf; /* the records of the last stream_next */
	int n;
	struct ls_event rec[16];
};

static inline struct ls_event *stream_rec(struct stream *s, int type, int w, int o)
{
	struct ls_event *e = &s->rec[s->n++];
	s->t += 1000 + (s->seq % 7) * 333;
	event_init(e, type, s->seq++, s->t, w, o);
	return e;
}

static inline void stream_text(struct stream *s, int type, int w, int o, int64_t a0, const char *t)
{
	struct ls_event *e = stream_rec(s, type, w, o);
	e->u.s.a0 = a0;
	event_set_text(e, t);
}

/* The declarations: call once, then fold s->rec[0..n). */
static inline void stream_head(struct stream *s, int nthreads)
{
	static const char *names[] = {"main", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"};
	memset(s, 0, sizeof *s);
	s->nthreads = nthreads;
	s->value = 100;
	stream_rec(s, LS_EV_MODE, -1, -1)->u.a[0] = LS_MODE_STEP;
	stream_rec(s, LS_EV_HELLO, -1, -1)->u.a[0] = 4242;
	for (int w = 0; w <= nthreads; w++) {
		struct ls_event *e = stream_rec(s, LS_EV_WORKER, w, -1);
		e->u.a[2] = w ? 0 : -1;
		stream_text(s, LS_EV_NAME, w, -1, LS_NAME_WORKER, names[w]);
		e = stream_rec(s, LS_EV_SPAWN, w, -1);
		e->u.a[0] = 4242;
		e->u.a[1] = 4242 + w;
		e->u.a[2] = 1;
	}
}

/* The next step's records into s->rec[0..n): a GRANT and what it did. */
static inline void stream_next(struct stream *s)
{
	s->n = 0;
	if (s->i == 0) { /* objects, main joins T1 */
		struct ls_event *e = stream_rec(s, LS_EV_OBJECT, 0, 0);
		e->u.a[0] = LS_OBJ_VALUE;
		e->u.a[1] = 100;
		stream_text(s, LS_EV_NAME, 0, 0, LS_NAME_OBJECT, "balance");
		e = stream_rec(s, LS_EV_OBJECT, 0, 1);
		e->u.a[0] = LS_OBJ_MUTEX;
		stream_text(s, LS_EV_NAME, 0, 1, LS_NAME_OBJECT, "lock");
		e = stream_rec(s, LS_EV_WANT, 0, -1);
		e->u.a[0] = LS_OP_JOIN;
		e->u.a[1] = 1;
		for (int w = 1; w <= s->nthreads; w++) {
			e = stream_rec(s, LS_EV_WANT, w, -1);
			e->u.a[0] = LS_OP_LOCK;
			e->u.a[1] = 1;
		}
		stream_rec(s, LS_EV_GRANT, 0, -1)->u.a[0] = (int64_t)++s->step;
		e = stream_rec(s, LS_EV_BLOCKED, 0, -1);
		e->u.a[0] = LS_OP_JOIN;
		e->u.a[1] = 1;
		e->u.a[3] = 1;
		s->i++;
		return;
	}
	/* the lock is held across a read and a write: whoever holds it goes
	 * on until it lets go, then the next in turn */
	int w = 1 + s->turn;
	struct ls_event *e;
	stream_rec(s, LS_EV_GRANT, w, -1)->u.a[0] = (int64_t)++s->step;
	switch (s->phase[s->turn]) {
	case 0:
		e = stream_rec(s, LS_EV_ACQUIRED, w, 1);
		e->u.a[0] = LS_OP_LOCK;
		e->u.a[1] = 1;
		e = stream_rec(s, LS_EV_WANT, w, 0);
		e->u.a[0] = LS_OP_READ;
		break;
	case 1:
		e = stream_rec(s, LS_EV_DONE, w, 0);
		e->u.a[0] = LS_OP_READ;
		e->u.a[1] = s->value;
		if (s->i % 64 == 1)
			stream_text(s, LS_EV_SAY, w, -1, 0, "reads the balance");
		e = stream_rec(s, LS_EV_WANT, w, 0);
		e->u.a[0] = LS_OP_WRITE;
		e->u.a[1] = s->value + 10;
		break;
	case 2:
		s->value += 10;
		e = stream_rec(s, LS_EV_DONE, w, 0);
		e->u.a[0] = LS_OP_WRITE;
		e->u.a[1] = s->value;
		e = stream_rec(s, LS_EV_WANT, w, 1);
		e->u.a[0] = LS_OP_UNLOCK;
		break;
	default:
		e = stream_rec(s, LS_EV_RELEASED, w, 1);
		e->u.a[0] = LS_OP_UNLOCK;
		e = stream_rec(s, LS_EV_WANT, w, 1);
		e->u.a[0] = LS_OP_LOCK;
		e->u.a[1] = 1;
		s->turn = (s->turn + 1) % s->nthreads;
		break;
	}
	s->phase[w - 1] = (s->phase[w - 1] + 1) % 4;
	s->i++;
}

#endif
