/* fold.h: build a model by folding hand-written records (unit tests). */
#ifndef LS_TEST_FOLD_H
#define LS_TEST_FOLD_H

#include <stdio.h>

#include "check.h"
#include "model.h"

/* Every record folded is followed by the invariant check (src/check.h); a
 * test that builds a broken state on purpose clears fold_check first. */
static int fold_check = 1;

static uint32_t seq;

static inline void ev(struct model *m, int type, int w, int o, int64_t a0, int64_t a1, int64_t a2, int64_t a3)
{
	struct ls_event e;
	uint32_t sq = seq++;
	event_init(&e, type, sq, 1000 + sq, w, o);
	e.u.a[0] = a0;
	e.u.a[1] = a1;
	e.u.a[2] = a2;
	e.u.a[3] = a3;
	assert_int_equal(event_validate(&e), LS_EV_OK);
	model_apply(m, &e);
	char why[512];
	if (fold_check && model_check(m, why, sizeof why))
		fail_msg("after record %u (%s): %s", sq, event_type_name(type), why);
}

static inline void text(struct model *m, int type, int w, int o, int64_t a0, const char *s)
{
	struct ls_event e;
	uint32_t sq = seq++;
	event_init(&e, type, sq, 1000 + sq, w, o);
	e.u.s.a0 = a0;
	event_set_text(&e, s);
	model_apply(m, &e);
	char why[512];
	if (fold_check && model_check(m, why, sizeof why))
		fail_msg("after record %u (%s): %s", sq, event_type_name(type), why);
}

static inline void worker(struct model *m, int id, const char *name, int kind)
{
	ev(m, LS_EV_WORKER, id, -1, kind, 0, id ? 0 : -1, 0);
	text(m, LS_EV_NAME, id, -1, LS_NAME_WORKER, name);
	ev(m, LS_EV_SPAWN, id, -1, 100 + id, 0, 1, 0);
}

/* Threads T0..T(n-1), model_init'ed first: the usual start of a test. */
static inline void threads(struct model *m, int n)
{
	model_init(m);
	for (int i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof name, "T%d", i);
		worker(m, i, name, LS_WK_THREAD);
	}
}

static inline void object(struct model *m, int id, const char *name, int kind, int64_t value, int64_t cap, int64_t aux)
{
	ev(m, LS_EV_OBJECT, 0, id, kind, value, cap, aux);
	text(m, LS_EV_NAME, 0, id, LS_NAME_OBJECT, name);
}

/* A run of records, one per row: {type, worker, object, a0, a1, a2, a3}.
 * A test's story reads as a table rather than as lines of calls. */
struct rec {
	int type, w, o;
	int64_t a0, a1, a2, a3;
};

static inline void fold(struct model *m, const struct rec *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ev(m, r[i].type, r[i].w, r[i].o, r[i].a0, r[i].a1, r[i].a2, r[i].a3);
}
#define FOLD(m, ...)                                                                               \
	do {                                                                                       \
		static const struct rec rows_[] = {__VA_ARGS__};                                   \
		fold((m), rows_, sizeof rows_ / sizeof rows_[0]);                                  \
	} while (0)

#endif
