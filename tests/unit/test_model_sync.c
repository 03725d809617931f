/* Unit tests: the model's rules for the thread primitives of probe_sync.c
 * (event, barrier, future, thread-local, the user's key) and the analysis
 * of a thread that deadlocks on its own plain lock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "fold.h"

static void event_set_wakes_present_waiters(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "S", LS_WK_THREAD);
	worker(&m, 1, "W1", LS_WK_THREAD);
	worker(&m, 2, "W2", LS_WK_THREAD);
	worker(&m, 3, "late", LS_WK_THREAD);
	object(&m, 0, "go", LS_OBJ_EVENT, 0, 0, -1);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_EVENT_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_EVENT_WAIT, 1, 0, 0);
	assert_int_equal(m.w[1].state, LS_WS_WAITING);
	assert_int_equal(m.o[0].nwaiters, 2);
	assert_false(model_eligible(&m, 1));
	assert_true(model_blocked(&m, 2));
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_EVENT_SET, 1, 0, 0);
	assert_int_equal(m.o[0].value, 1);
	assert_int_equal(m.o[0].nwaiters, 0);
	assert_int_equal(m.w[1].state, LS_WS_RUNNABLE);
	assert_true(model_eligible(&m, 1));
	assert_true(model_eligible(&m, 2));
	/* cleared before they ran: those present at the set still go on */
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_EVENT_CLEAR, 0, 0, 0);
	assert_int_equal(m.o[0].value, 0);
	assert_true(model_eligible(&m, 1));
	/* one who comes after the clear waits again */
	ev(&m, LS_EV_BLOCKED, 3, 0, LS_OP_EVENT_WAIT, 1, 0, 0);
	assert_false(model_eligible(&m, 3));
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_EVENT_WAIT, 1, 0, 0);
	assert_int_equal(m.w[1].gate, LS_GATE_MOVING);
	/* a timed wait becomes eligible at its deadline */
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_EVENT_WAIT, 1, 500, 0);
	assert_int_equal(m.w[2].state, LS_WS_TIMED_WAITING);
	assert_false(model_eligible(&m, 2));
	ev(&m, LS_EV_CLOCK, -1, -1, 500, 0, 0, 0);
	assert_true(model_eligible(&m, 2));
	model_free(&m);
}

static void barrier_rounds(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	for (int i = 0; i < 4; i++)
		worker(&m, i, i == 0 ? "T0" : i == 1 ? "T1" : i == 2 ? "T2" : "T3", LS_WK_THREAD);
	object(&m, 0, "b", LS_OBJ_BARRIER, 0, 3, -1);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_BARRIER_WAIT, 1, 0, 1);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_BARRIER_WAIT, 1, 0, 2);
	assert_int_equal(m.o[0].nwaiters, 2);
	assert_int_equal(m.w[0].state, LS_WS_WAITING);
	assert_false(model_eligible(&m, 0));
	/* the third trips it */
	ev(&m, LS_EV_DONE, 2, 0, LS_OP_BARRIER_WAIT, 1, 1, 2);
	assert_int_equal(m.o[0].value, 1);
	assert_int_equal(m.o[0].nwaiters, 0);
	assert_true(model_eligible(&m, 0));
	assert_true(model_eligible(&m, 1));
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_BARRIER_WAIT, 1, 0, 0);
	assert_int_equal(m.o[0].value, 1); /* a passing waiter changes nothing */
	/* the fourth waits for a round that never fills: a stall */
	ev(&m, LS_EV_BLOCKED, 3, 0, LS_OP_BARRIER_WAIT, 1, 0, 1);
	assert_true(model_blocked(&m, 3));
	model_free(&m);
}

static void future_result(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "pool", LS_WK_THREAD);
	object(&m, 0, "f1", LS_OBJ_FUTURE, 0, 0, -1);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_FUTURE_GET, 1, 0, 0);
	assert_int_equal(m.w[0].state, LS_WS_WAITING);
	assert_false(model_eligible(&m, 0));
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_FUTURE_SET, 49, 0, 0);
	assert_int_equal(m.o[0].count, 1);
	assert_int_equal(m.o[0].value, 49);
	assert_true(model_eligible(&m, 0));
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_FUTURE_GET, 49, 0, 0);
	assert_int_equal(m.w[0].last_read, 49);
	assert_int_equal(m.anomalies, 0);
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_FUTURE_SET, 50, 0, 0); /* set twice */
	assert_int_equal(m.anomalies, 1);
	model_free(&m);
}

static void local_reads_are_per_worker(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "T1", LS_WK_THREAD);
	worker(&m, 1, "T2", LS_WK_THREAD);
	object(&m, 0, "mine", LS_OBJ_LOCAL, 0, 0, -1);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_LOCAL_SET, 100, 0, 0);
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_LOCAL_SET, 200, 0, 0);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_LOCAL_GET, 100, 1, 0);
	assert_int_equal(m.w[0].last_read, 100);
	assert_false(m.w[1].has_read);
	assert_int_equal(m.o[0].writes, 2);
	model_free(&m);
}

static void user_key(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "S", LS_WK_THREAD);
	ev(&m, LS_EV_WANT, 0, -1, LS_OP_USER_WAIT, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_USER_WAIT, 1, 0, 0);
	assert_int_equal(m.w[0].state, LS_WS_WAITING);
	assert_false(model_eligible(&m, 0));
	ev(&m, LS_EV_USER, -1, -1, 1, 0, 0, 0);
	assert_int_equal(m.presses, 1);
	assert_true(model_eligible(&m, 0));
	ev(&m, LS_EV_DONE, 0, -1, LS_OP_USER_WAIT, 1, 0, 0);
	/* a second wait asks for a press after the first */
	ev(&m, LS_EV_WANT, 0, -1, LS_OP_USER_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_USER_WAIT, 1, 0, 1);
	assert_false(model_eligible(&m, 0));
	model_free(&m);
}

static void plain_lock_self_deadlock(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "T1", LS_WK_THREAD);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_int_equal(a.ncycle, 2);
	assert_int_equal(a.cycle[0].id, 1);
	assert_int_equal(a.cycle[1].is_object, 1);
	/* the same with a reentrant lock is no deadlock: the owner may go on */
	object(&m, 1, "R", LS_OBJ_RLOCK, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 1, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_true(model_eligible(&m, 1));
	model_free(&m);
}

static void daemons_rest_once_nondaemons_end(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	ev(&m, LS_EV_WORKER, 1, -1, LS_WK_THREAD, LS_WF_DAEMON, 0, 0);
	ev(&m, LS_EV_SPAWN, 1, -1, 101, 0, 1, 0);
	ev(&m, LS_EV_WANT, 1, -1, LS_OP_SLEEP, 100, 0, 0);
	assert_true(model_eligible(&m, 1));
	ev(&m, LS_EV_EXIT, 0, -1, 0, LS_EXIT_RETURN, 0, 0);
	assert_false(model_eligible(&m, 1)); /* the program is ending */
	assert_true(model_live(&m, 1));
	ev(&m, LS_EV_EXIT, 1, -1, 0, LS_EXIT_DAEMON_STOPPED, 0, 0);
	assert_int_equal(m.w[1].state, LS_WS_TERMINATED);
	assert_int_equal(m.w[1].exit_how, LS_EXIT_DAEMON_STOPPED);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(event_set_wakes_present_waiters),
		cmocka_unit_test(barrier_rounds),
		cmocka_unit_test(future_result),
		cmocka_unit_test(local_reads_are_per_worker),
		cmocka_unit_test(user_key),
		cmocka_unit_test(plain_lock_self_deadlock),
		cmocka_unit_test(daemons_rest_once_nondaemons_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
