/* history: any moment folded from the nearest snapshot is the moment the
 * live fold went through; records come back as they went in; steps and
 * marks are where the records say; the memory limit holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "history.h"
#include "model.h"
#include "stream.h"

/* What the panes read of a model, hashed: two models that hash alike show
 * alike. */
static uint64_t mix(uint64_t h, int64_t v)
{
	return (h ^ (uint64_t)v) * 1099511628211ull;
}

static uint64_t digest(const struct model *m)
{
	uint64_t h = 1469598103934665603ull;
	h = mix(h, m->nw);
	h = mix(h, m->no);
	h = mix(h, (int64_t)m->events);
	h = mix(h, (int64_t)m->steps);
	h = mix(h, m->vclock);
	h = mix(h, (int64_t)m->nsays);
	h = mix(h, (int64_t)m->nlog);
	h = mix(h, (int64_t)m->anomalies);
	for (int i = 0; i < m->nw; i++) {
		const struct m_worker *w = &m->w[i];
		h = mix(h, w->declared);
		h = mix(h, w->state);
		h = mix(h, w->gate);
		h = mix(h, w->op);
		h = mix(h, w->op_obj);
		h = mix(h, w->op_arg);
		h = mix(h, w->wait_obj);
		h = mix(h, w->nholds);
		for (int k = 0; k < w->nholds; k++)
			h = mix(h, w->holds[k]);
		h = mix(h, (int64_t)w->steps);
		h = mix(h, (int64_t)w->events);
		h = mix(h, w->last_read);
		for (const char *c = w->name; *c; c++)
			h = mix(h, *c);
	}
	for (int i = 0; i < m->no; i++) {
		const struct m_object *o = &m->o[i];
		h = mix(h, o->owner);
		h = mix(h, o->value);
		h = mix(h, o->nwaiters);
		for (int k = 0; k < o->nwaiters; k++)
			h = mix(h, o->waiters[k]);
		h = mix(h, o->nroles);
		for (int k = 0; k < o->nroles; k++)
			h = mix(h, o->roles[k]);
	}
	if (m->nsays)
		for (const char *c = m->says[(m->nsays - 1) % LS_SAYS_N].text; *c; c++)
			h = mix(h, *c);
	return h;
}

#define N (3 * HISTORY_EVERY + 1234)

static struct ls_event *events;
static uint64_t *digests; /* digests[n]: after the first n records */

/* Fold the stream live, keeping each record and each moment's digest. */
static struct history *build(size_t limit, uint64_t *count)
{
	struct history *h = history_new(limit);
	assert_non_null(h);
	struct stream s;
	struct model m;
	model_init(&m);
	uint64_t n = 0;
	digests[0] = digest(&m);
	stream_head(&s, 3);
	for (;;) {
		for (int i = 0; i < s.n && n < N; i++) {
			model_apply(&m, &s.rec[i]);
			char why[512];
			if (model_check(&m, why, sizeof why))
				fail_msg("the stream breaks an invariant at record %llu: %s",
				         (unsigned long long)n, why);
			events[n] = s.rec[i];
			if (history_push(h, &s.rec[i], &m) != 0)
				goto done;
			digests[++n] = digest(&m);
		}
		if (n >= N)
			break;
		stream_next(&s);
	}
done:
	*count = n;
	model_free(&m);
	return h;
}

static void any_moment_is_the_live_one(void **state)
{
	(void)state;
	uint64_t n;
	struct history *h = build(0, &n);
	assert_int_equal(n, N);
	assert_int_equal(history_len(h), N);
	assert_false(history_full(h));
	struct model m;
	model_init(&m);
	uint64_t at[] = {0, 1, 2, 17, HISTORY_EVERY - 1, HISTORY_EVERY, HISTORY_EVERY + 1,
	                 2 * HISTORY_EVERY + 77, 3 * HISTORY_EVERY, N - 1, N};
	for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
		assert_int_equal(history_model_at(h, at[k], &m), 0);
		if (digest(&m) != digests[at[k]])
			fail_msg("the model after %llu records differs from the live fold",
			         (unsigned long long)at[k]);
	}
	/* folding forward from a moment reaches the later one */
	assert_int_equal(history_model_at(h, 100, &m), 0);
	assert_int_equal(history_fold(h, 100, 2 * HISTORY_EVERY + 5, &m), 0);
	assert_true(digest(&m) == digests[2 * HISTORY_EVERY + 5]);
	assert_int_equal(history_model_at(h, N + 1, &m), -1);
	model_free(&m);
	history_free(h);
}

/* history_each_from: a model carried from one call to the next (the live
 * log's catch-up) folds on from where it stood, or starts again from a
 * snapshot when that is nearer; either way each record comes once, in
 * order, with the model after it. */
struct seen {
	uint64_t next;
	int bad;
};

static void see(void *ud, const struct model *m, const struct ls_event *ev)
{
	struct seen *s = ud;
	if (ev->seq != events[s->next].seq || ev->type != events[s->next].type ||
	    digest(m) != digests[s->next + 1])
		s->bad = 1;
	s->next++;
}

static void a_model_folds_on_from_where_it_stood(void **state)
{
	(void)state;
	uint64_t n;
	struct history *h = build(0, &n);
	struct model m;
	model_init(&m);
	struct history_pos pos = {.n = HISTORY_NOWHERE};
	/* near steps (folded on), a jump past snapshots (from one), and back
	 * (a model cannot fold backwards: from a snapshot again) */
	uint64_t spans[][2] = {{0, 10},       {10, 300},   {290, 1000}, {1200, 1300},
	                       {2 * HISTORY_EVERY + 9, 2 * HISTORY_EVERY + 700},
	                       {2 * HISTORY_EVERY + 700, N}, {5, 40}, {40, 40}};
	for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
		struct seen s = {spans[k][0], 0};
		assert_int_equal(history_each_from(h, &pos, spans[k][0], spans[k][1], &m, see, &s), 0);
		if (s.bad || s.next != spans[k][1])
			fail_msg("records %llu..%llu: not each once with its model",
			         (unsigned long long)spans[k][0], (unsigned long long)spans[k][1]);
		assert_true(pos.n == spans[k][1]);
		assert_true(digest(&m) == digests[spans[k][1]]);
	}
	assert_int_equal(history_each_from(h, &pos, 10, N + 1, &m, see, NULL), -1);
	model_free(&m);
	history_free(h);
}

static void records_come_back_as_they_went_in(void **state)
{
	(void)state;
	uint64_t n;
	struct history *h = build(0, &n);
	struct ls_event ev;
	uint64_t at[] = {0, 5, 99, HISTORY_EVERY - 1, HISTORY_EVERY, 2 * HISTORY_EVERY + 3, N - 1};
	for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
		assert_int_equal(history_event(h, at[k], &ev), 0);
		assert_memory_equal(&ev, &events[at[k]], sizeof ev);
	}
	assert_int_equal(history_event(h, N, &ev), -1);
	/* compact: a quarter of the 64 bytes of a record or less (the
	 * snapshots and whole blocks besides: tests/bench measures them over
	 * 10 million records) */
	size_t per = history_record_bytes(h) / N;
	if (per > LS_EV_SIZE / 4)
		fail_msg("%zu bytes per record", per);
	assert_true(history_bytes(h) > history_record_bytes(h));
	history_free(h);
}

static void steps_and_marks(void **state)
{
	(void)state;
	uint64_t n;
	struct history *h = build(0, &n);
	uint64_t grants = 0, last = 0;
	for (uint64_t i = 0; i < n; i++)
		if (events[i].type == LS_EV_GRANT) {
			grants++;
			assert_int_equal(history_step_start(h, grants), i);
			assert_int_equal(history_step_of(h, i), grants - 1); /* before its GRANT */
			assert_int_equal(history_step_of(h, i + 1), grants);
			last = i;
		}
	assert_int_equal(history_steps(h), grants);
	assert_int_equal(history_step_of(h, n), grants);
	assert_int_equal(history_step_start(h, 0), 0);
	assert_true(last > 0);
	/* step 1 is main blocking in its join: a block */
	assert_true(history_step_marks(h, 1) & HIST_BLOCK);
	/* a step that only reads marks nothing */
	unsigned seen = 0;
	for (uint64_t k = 2; k < 10; k++)
		seen |= history_step_marks(h, k);
	assert_false(seen & (HIST_BLOCK | HIST_SIGNAL | HIST_ALARM));
	history_free(h);
}

static void the_memory_limit_holds(void **state)
{
	(void)state;
	size_t limit = (1u << 20) + 150000; /* a block and a little */
	uint64_t n;
	struct history *h = build(limit, &n);
	assert_true(n < N);
	assert_true(n > 1000);
	assert_true(history_full(h));
	assert_true(history_bytes(h) <= limit);
	assert_int_equal(history_len(h), n);
	struct ls_event more = events[0];
	assert_int_equal(history_push(h, &more, NULL), -1); /* full stays full */
	struct model m;
	model_init(&m);
	assert_int_equal(history_model_at(h, n, &m), 0); /* what it kept is whole */
	assert_true(digest(&m) == digests[n]);
	model_free(&m);
	history_free(h);
}

static void a_copy_is_deep(void **state)
{
	(void)state;
	uint64_t n;
	struct history *h = build(0, &n);
	struct model a, b;
	model_init(&a);
	model_init(&b);
	assert_int_equal(history_model_at(h, 200, &a), 0);
	history_model_copy(&b, &a);
	uint64_t before = digest(&b);
	assert_int_equal(history_fold(h, 200, 400, &a), 0); /* the original moves on */
	assert_true(digest(&b) == before);
	model_free(&a);
	model_free(&b);
	history_free(h);
}

/* An item's text (lockstep run's ITEM) is the copy's own: it outlives
 * the original and a new text in one is not in the other. */
static void a_copy_keeps_item_texts(void **state)
{
	(void)state;
	struct model a, b;
	model_init(&a);
	model_init(&b);
	struct ls_event ev;
	event_init(&ev, LS_EV_OBJECT, 1, 0, -1, 0);
	ev.u.a[0] = LS_OBJ_QUEUE;
	ev.u.a[3] = -1;
	model_apply(&a, &ev);
	event_init(&ev, LS_EV_ITEM, 2, 0, -1, 0);
	ev.u.s.a0 = LS_ITEM_TEXT_BASE + 1;
	event_set_text(&ev, "'apple'");
	model_apply(&a, &ev);
	history_model_copy(&b, &a);
	event_init(&ev, LS_EV_ITEM, 3, 0, -1, 0);
	ev.u.s.a0 = LS_ITEM_TEXT_BASE + 2;
	event_set_text(&ev, "'pear'");
	model_apply(&a, &ev);
	assert_null(model_item_text(&b.o[0], LS_ITEM_TEXT_BASE + 2));
	model_free(&a);
	assert_string_equal(model_item_text(&b.o[0], LS_ITEM_TEXT_BASE + 1), "'apple'");
	/* and a copy of the copy, once that is gone too */
	model_init(&a);
	history_model_copy(&a, &b);
	model_free(&b);
	assert_string_equal(model_item_text(&a.o[0], LS_ITEM_TEXT_BASE + 1), "'apple'");
	model_free(&a);
}

/* A frozen history (a run kept to look back at) gives back the unused
 * rest of its last block, still reads every moment, and takes no more. */
static void a_frozen_history_is_smaller_and_the_same(void **state)
{
	(void)state;
	uint64_t n;
	struct history *h = build(0, &n);
	size_t before = history_bytes(h);
	history_freeze(h);
	assert_true(history_bytes(h) < before);
	assert_true(history_bytes(h) - history_record_bytes(h) < before - history_record_bytes(h));
	assert_false(history_full(h)); /* frozen is not full: nothing was lost */
	struct model m;
	model_init(&m);
	uint64_t at[] = {0, HISTORY_EVERY + 1, N - 1, N};
	for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
		assert_int_equal(history_model_at(h, at[k], &m), 0);
		assert_true(digest(&m) == digests[at[k]]);
	}
	struct ls_event ev;
	assert_int_equal(history_event(h, N - 1, &ev), 0);
	assert_memory_equal(&ev, &events[N - 1], sizeof ev);
	assert_int_equal(history_push(h, &ev, &m), -1);
	assert_int_equal(history_len(h), N);
	history_freeze(h); /* twice is once */
	model_free(&m);
	history_free(h);
}

int main(void)
{
	events = calloc(N + 1, sizeof *events);
	digests = calloc(N + 2, sizeof *digests);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(any_moment_is_the_live_one),
		cmocka_unit_test(records_come_back_as_they_went_in),
		cmocka_unit_test(a_model_folds_on_from_where_it_stood),
		cmocka_unit_test(steps_and_marks),
		cmocka_unit_test(the_memory_limit_holds),
		cmocka_unit_test(a_copy_is_deep),
		cmocka_unit_test(a_copy_keeps_item_texts),
		cmocka_unit_test(a_frozen_history_is_smaller_and_the_same),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(events);
	free(digests);
	return rc;
}
