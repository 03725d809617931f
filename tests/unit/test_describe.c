/* Unit tests: "why?" on a row (describe_why) and the rows the last step
 * changed (ui_changed), on hand-built models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "describe.h"
#include "fold.h"

/* main (T0) and the deadlock scene's T1 and T2 over locks A (0) and B (1),
 * stepped T1, T2, T1: T1 holds A and is blocked on B, T2 holds B and
 * stands ready to lock A. */
static void half_deadlock(struct model *m)
{
	threads(m, 3);
	object(m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	object(m, 1, "B", LS_OBJ_MUTEX, 0, 0, -1);
	ev(m, LS_EV_WANT, 0, -1, LS_OP_JOIN, 1, 0, 0);
	ev(m, LS_EV_WANT, 1, 0, LS_OP_LOCK, 0, 0, 0);
	ev(m, LS_EV_WANT, 2, 1, LS_OP_LOCK, 0, 0, 0);
	ev(m, LS_EV_GRANT, 1, -1, 1, 0, 0, 0);
	ev(m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(m, LS_EV_WANT, 1, 1, LS_OP_LOCK, 0, 0, 0);
	ev(m, LS_EV_GRANT, 2, -1, 2, 0, 0, 0);
	ev(m, LS_EV_ACQUIRED, 2, 1, LS_OP_LOCK, 1, 0, 0);
	ev(m, LS_EV_WANT, 2, 0, LS_OP_LOCK, 0, 0, 0);
	ev(m, LS_EV_GRANT, 1, -1, 3, 0, 0, 0);
	ev(m, LS_EV_BLOCKED, 1, 1, LS_OP_LOCK, 1, 0, 0);
}

static void why_blocked_worker(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[4096];
	half_deadlock(&m);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	describe_why(&m, &a, 0, 1, buf, sizeof buf);
	/* its state, what it waits for and who holds it, what it holds */
	assert_non_null(strstr(buf, "T1 is BLOCKED: it tried lock(B) and could not go on."));
	assert_non_null(strstr(buf, "T1 waits for B, held by T2"));
	assert_non_null(strstr(buf, "It holds: A"));
	/* what each move does: T2's lock of A closes the circle; main's join waits */
	assert_non_null(strstr(buf, "if you step T2 now, it blocks on A, held by T1: that closes "
	                            "the circle, a deadlock."));
	assert_non_null(strstr(buf, "if you step T0 now, it waits for T1 to end."));
	/* T1 itself cannot move: it is not offered */
	assert_null(strstr(buf, "if you step T1"));
	assert_int_not_equal(buf[strlen(buf) - 1], '\n');
	model_free(&m);
}

static void why_ready_worker(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[4096];
	half_deadlock(&m);
	analysis_run(&m, &a);
	describe_why(&m, &a, 0, 2, buf, sizeof buf);
	assert_non_null(strstr(buf, "T2 is RUNNABLE: it stands at its gate, and its next operation "
	                            "is lock(A)."));
	assert_null(strstr(buf, "It waits, and who could release it"));
	model_free(&m);
}

/* Once T2 has blocked too: the deadlock is named, nobody can move. */
static void why_in_deadlock(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[4096];
	half_deadlock(&m);
	ev(&m, LS_EV_GRANT, 2, -1, 4, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	describe_why(&m, &a, 0, 2, buf, sizeof buf);
	assert_non_null(strstr(buf, "T2 waits for A, held by T1"));
	assert_non_null(strstr(buf, "It is in the deadlock T1 \xe2\x86\x92 B \xe2\x86\x92 T2 "
	                            "\xe2\x86\x92 A \xe2\x86\x92 T1: nobody in it can ever move again."));
	assert_non_null(strstr(buf, "if you step T0 now, it waits for T1 to end."));
	model_free(&m);
}

static void why_lock(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[4096];
	half_deadlock(&m);
	analysis_run(&m, &a);
	describe_why(&m, &a, 1, 1, buf, sizeof buf);
	assert_non_null(strstr(buf, "B is held by T2: only T2 can release it."));
	assert_non_null(strstr(buf, "Waiting for it: T1."));
	/* nobody's next move is on B (T1 waits, T2 goes for A) */
	assert_non_null(strstr(buf, "No worker's next move touches it now."));
	describe_why(&m, &a, 1, 0, buf, sizeof buf);
	assert_non_null(strstr(buf, "A is held by T1"));
	assert_non_null(strstr(buf, "Nobody waits for it."));
	assert_non_null(strstr(buf, "if you step T2 now, it blocks on A, held by T1: that closes"));
	describe_why(&m, &a, 1, 9, buf, sizeof buf);
	assert_string_equal(buf, "No such object.");
	model_free(&m);
}

static void why_semaphore_and_queue(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[4096];
	threads(&m, 3);
	object(&m, 0, "S", LS_OBJ_SEM, 1, 0, -1);
	object(&m, 1, "Q", LS_OBJ_QUEUE, 0, 2, -1);
	ev(&m, LS_EV_WANT, 1, 0, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_WANT, 2, 1, LS_OP_GET, 0, 0, 0);
	analysis_run(&m, &a);
	describe_why(&m, &a, 1, 0, buf, sizeof buf);
	assert_non_null(strstr(buf, "S has 1 unit free, none held."));
	assert_non_null(strstr(buf, "if you step T1 now, it takes a unit of S (1 free now)."));
	assert_null(strstr(buf, "if you step T2"));
	describe_why(&m, &a, 1, 1, buf, sizeof buf);
	assert_non_null(strstr(buf, "Q holds 0 of 2 items (put 0, got 0)."));
	assert_non_null(strstr(buf, "if you step T2 now, it waits: Q is empty."));
	model_free(&m);
}

/* A circle the stepper is not in: stepping into it blocks, but closes no
 * circle of its own, and the walk over the graph ends. */
static void why_outside_a_circle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[4096];
	threads(&m, 4);
	for (int i = 0; i < 3; i++) {
		char name[8];
		snprintf(name, sizeof name, "L%d", i);
		object(&m, i, name, LS_OBJ_MUTEX, 0, 0, -1);
	}
	for (int i = 0; i < 3; i++)
		ev(&m, LS_EV_ACQUIRED, i, i, LS_OP_LOCK, 1, 0, 0);
	for (int i = 0; i < 3; i++)
		ev(&m, LS_EV_BLOCKED, i, (i + 1) % 3, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_WANT, 3, 0, LS_OP_LOCK, 0, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	describe_why(&m, &a, 0, 3, buf, sizeof buf);
	assert_non_null(strstr(buf, "if you step T3 now, it blocks on L0, held by T0."));
	assert_null(strstr(buf, "closes the circle"));
	model_free(&m);
}

/* A free run has no steps to offer: the kernel picks. */
static void why_free_run(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[4096];
	half_deadlock(&m);
	ev(&m, LS_EV_MODE, -1, -1, LS_MODE_RUN, 0, 0, 0);
	analysis_run(&m, &a);
	describe_why(&m, &a, 0, 1, buf, sizeof buf);
	assert_non_null(strstr(buf, "the kernel decides who moves next"));
	assert_null(strstr(buf, "if you step"));
	model_free(&m);
}

/* The log's words for a put and a get: "n/cap" on a bounded queue, a
 * count on one with no bound (capacity 0: Python's Queue(), a Pool's
 * queues), never "n/0"; an item with a text is said by its text. */
static void said_of(struct model *m, int w, int o, int op, int64_t v, char *buf, size_t n)
{
	struct ls_event e;
	event_init(&e, LS_EV_DONE, 900, 1900, w, o);
	e.u.a[0] = op;
	e.u.a[1] = v;
	ev(m, LS_EV_DONE, w, o, op, v, 0, 0);
	describe_event(m, &e, buf, n);
}

static void put_and_get_words(void **state)
{
	(void)state;
	struct model m;
	char buf[512];
	threads(&m, 2);
	object(&m, 0, "Q", LS_OBJ_QUEUE, 0, 2, -1);
	object(&m, 1, "U", LS_OBJ_QUEUE, 0, 0, -1);
	said_of(&m, 1, 0, LS_OP_PUT, 7, buf, sizeof buf);
	assert_string_equal(buf, "T1 put 7 into Q (1/2)");
	said_of(&m, 1, 1, LS_OP_PUT, 7, buf, sizeof buf);
	assert_string_equal(buf, "T1 put 7 into U (1)");
	text(&m, LS_EV_ITEM, 1, 1, 101, "square(3)");
	said_of(&m, 1, 1, LS_OP_PUT, 101, buf, sizeof buf);
	assert_string_equal(buf, "T1 put square(3) into U (2)");
	said_of(&m, 0, 1, LS_OP_GET, 7, buf, sizeof buf);
	assert_string_equal(buf, "T0 took 7 from U (1)");
	said_of(&m, 0, 1, LS_OP_GET, 101, buf, sizeof buf);
	assert_string_equal(buf, "T0 took square(3) from U (0)");
	model_free(&m);
}

/* Hold and wait where the wait is a join (no object): the words say what
 * the worker waits for, never "?". main holds A and joins T1; T1 waits
 * for A with a timeout (so the circle is no deadlock). */
static void hold_and_wait_on_a_join(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[512];
	threads(&m, 2);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	FOLD(&m, {LS_EV_WANT, 0, 0, LS_OP_LOCK, 0, 0, 0}, {LS_EV_GRANT, 0, -1, 1, 0, 0, 0},
	     {LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0}, {LS_EV_WANT, 0, -1, LS_OP_JOIN, 1, 0, 0},
	     {LS_EV_WANT, 1, 0, LS_OP_LOCK, 300, 0, 0}, {LS_EV_GRANT, 0, -1, 2, 0, 0, 0},
	     {LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1}, {LS_EV_GRANT, 1, -1, 3, 0, 0, 0},
	     {LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 300000000, 0});
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_true(a.coffman[AN_COND_HOLD_AND_WAIT].holds);
	analysis_cond_text(&m, &a, AN_COND_HOLD_AND_WAIT, buf, sizeof buf);
	assert_non_null(strstr(buf, "T0 holds A while it waits for T1 to end"));
	assert_null(strchr(buf, '?'));
	describe_cond_now(&m, &a, AN_COND_HOLD_AND_WAIT, 0, buf, sizeof buf);
	assert_non_null(strstr(buf, "Now: T0 holds A while it waits for T1 to end"));
	assert_null(strchr(buf, '?'));
	/* T0's join never times out: nothing takes A from it */
	describe_cond_now(&m, &a, AN_COND_NO_PREEMPTION, 0, buf, sizeof buf);
	assert_non_null(strstr(buf, "its wait for T1 to end"));
	assert_null(strchr(buf, '?'));
	analysis_cond_text(&m, &a, AN_COND_NO_PREEMPTION, buf, sizeof buf);
	assert_null(strchr(buf, '?'));
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(why_blocked_worker),
		cmocka_unit_test(why_ready_worker),
		cmocka_unit_test(why_in_deadlock),
		cmocka_unit_test(why_lock),
		cmocka_unit_test(why_semaphore_and_queue),
		cmocka_unit_test(why_free_run),
		cmocka_unit_test(why_outside_a_circle),
		cmocka_unit_test(put_and_get_words),
		cmocka_unit_test(hold_and_wait_on_a_join),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
