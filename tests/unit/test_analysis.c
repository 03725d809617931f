/* Unit tests: deadlock cycles and stalls on hand-built models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "fold.h"

/* n workers, n locks; worker i holds lock i and waits for lock (i+1)%n. */
static void ring(struct model *m, int n)
{
	model_init(m);
	for (int i = 0; i < n; i++) {
		char name[24];
		snprintf(name, sizeof name, "T%d", i);
		worker(m, i, name, LS_WK_THREAD);
		snprintf(name, sizeof name, "L%d", i);
		object(m, i, name, LS_OBJ_MUTEX, 0, 0, -1);
	}
	for (int i = 0; i < n; i++)
		ev(m, LS_EV_ACQUIRED, i, i, LS_OP_LOCK, 1, 0, 0);
	for (int i = 0; i < n; i++)
		ev(m, LS_EV_BLOCKED, i, (i + 1) % n, LS_OP_LOCK, 1, 0, 0);
}

static void two_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	ring(&m, 2);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_true(a.stalled);
	assert_int_equal(a.ncycle, 4);
	/* T0 waits for L1 held by T1, which waits for L0 held by T0 */
	assert_int_equal(a.cycle[0].is_object, 0);
	assert_int_equal(a.cycle[0].id, 0);
	assert_int_equal(a.cycle[1].is_object, 1);
	assert_int_equal(a.cycle[1].id, 1);
	assert_int_equal(a.cycle[2].id, 1);
	assert_int_equal(a.cycle[3].id, 0);
	assert_true(analysis_in_cycle(&a, 1, 0));
	assert_false(analysis_in_cycle(&a, 1, 7));
	model_free(&m);
}

static void n_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	ring(&m, 5);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_int_equal(a.ncycle, 10);
	assert_int_equal(a.blocked, 5);
	model_free(&m);
}

static void self_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "T", LS_WK_THREAD);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_int_equal(a.ncycle, 2);
	model_free(&m);
}

static void chain_is_not_a_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	ring(&m, 3);
	/* T2 lets go of L2 and leaves: T1 can take it */
	ev(&m, LS_EV_TIMEOUT, 2, -1, LS_OP_LOCK, 0, 0, 0);
	ev(&m, LS_EV_RELEASED, 2, 2, LS_OP_UNLOCK, 0, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_false(a.stalled);
	assert_int_equal(a.eligible, 1);
	model_free(&m);
}

static void stall_without_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "A", LS_WK_THREAD);
	worker(&m, 1, "B", LS_WK_THREAD);
	object(&m, 0, "M", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "C", LS_OBJ_COND, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_COND_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_COND_WAIT, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_true(a.stalled);
	model_free(&m);
}

static void timed_wait_is_no_stall(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "A", LS_WK_THREAD);
	object(&m, 1, "C", LS_OBJ_COND, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_COND_WAIT, 1, 5000000, 0);
	analysis_run(&m, &a);
	assert_false(a.stalled);
	assert_int_equal(a.timed, 1);
	model_free(&m);
}

static void join_edges_count(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "T", LS_WK_THREAD);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	/* main holds L and joins T; T waits for L: a cycle through a join */
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_int_equal(a.ncycle, 3); /* main, T, L */
	model_free(&m);
}

static void finished_workers_are_not_stalled(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "T", LS_WK_THREAD);
	ev(&m, LS_EV_EXIT, 0, -1, 0, 0, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.stalled);
	assert_false(a.deadlock);
	assert_int_equal(a.live, 0);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_cycle),
		cmocka_unit_test(n_cycle),
		cmocka_unit_test(self_cycle),
		cmocka_unit_test(chain_is_not_a_cycle),
		cmocka_unit_test(stall_without_cycle),
		cmocka_unit_test(timed_wait_is_no_stall),
		cmocka_unit_test(join_edges_count),
		cmocka_unit_test(finished_workers_are_not_stalled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
