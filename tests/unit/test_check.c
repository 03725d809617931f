/* Unit tests: the invariant checker says no to each kind of contradiction a
 * pane could show, and yes to a consistent model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "check.h"
#include "fold.h"

static char why[512];

/* T0 holds L; T1 waits for it; S is a semaphore of 2, one unit held by T0. */
static void base(struct model *m)
{
	model_init(m);
	worker(m, 0, "T0", LS_WK_THREAD);
	worker(m, 1, "T1", LS_WK_THREAD);
	object(m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	object(m, 1, "S", LS_OBJ_SEM, 2, 0, -1);
	object(m, 2, "Q", LS_OBJ_QUEUE, 0, 2, -1);
	ev(m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(m, LS_EV_ACQUIRED, 0, 1, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
}

static void consistent_model_passes(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	base(&m);
	assert_int_equal(model_check(&m, why, sizeof why), 0);
	analysis_run(&m, &a);
	assert_int_equal(analysis_check(&m, &a, why, sizeof why), 0);
	model_free(&m);
}

/* Two readers share a read-write lock; a writer and a reader never hold it
 * at once, and every live reader is counted. */
static void rwlock_readers_or_one_writer(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "R1", LS_WK_THREAD);
	worker(&m, 1, "R2", LS_WK_THREAD);
	worker(&m, 2, "W", LS_WK_THREAD);
	object(&m, 0, "RW", LS_OBJ_RWLOCK, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	assert_int_equal(model_check(&m, why, sizeof why), 0);
	m.o[0].owner = 2; /* W shown writing while two read */
	assert_int_equal(model_check(&m, why, sizeof why), 1);
	assert_non_null(strstr(why, "held for writing by W and read by 2 at once"));
	m.o[0].owner = -1;
	m.o[0].count = 1; /* one of the two readers forgotten */
	assert_int_equal(model_check(&m, why, sizeof why), 1);
	assert_non_null(strstr(why, "counts 1 readers, but 2 live workers read it"));
	model_free(&m);
}

static void waiter_not_listed(void **state)
{
	(void)state;
	struct model m;
	base(&m);
	m.o[0].nwaiters = 0; /* L forgets T1 */
	assert_int_equal(model_check(&m, why, sizeof why), 1);
	assert_non_null(strstr(why, "does not list it"));
	model_free(&m);
}

static void free_lock_with_a_waiter_not_woken(void **state)
{
	(void)state;
	struct model m;
	base(&m);
	fold_check = 0;
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_UNLOCK, 0, 0, 0);
	fold_check = 1;
	/* consistent: the free lock's waiter is woken */
	assert_int_equal(model_check(&m, why, sizeof why), 0);
	assert_true(model_woken(&m, 1));
	/* an ended worker keeps holding: a contradiction */
	m.w[0].state = LS_WS_TERMINATED;
	m.w[0].gate = LS_GATE_NONE;
	assert_int_equal(model_check(&m, why, sizeof why), 1);
	assert_non_null(strstr(why, "has ended"));
	model_free(&m);
}

static void semaphore_units_must_add_up(void **state)
{
	(void)state;
	struct model m;
	base(&m);
	m.o[1].value = 2; /* one held, two free, of two */
	assert_int_equal(model_check(&m, why, sizeof why), 1);
	assert_non_null(strstr(why, "semaphore S"));
	m.o[1].value = -1;
	assert_int_equal(model_check(&m, why, sizeof why), 1);
	model_free(&m);
}

static void queue_counts_must_add_up(void **state)
{
	(void)state;
	struct model m;
	base(&m);
	ev(&m, LS_EV_DONE, 0, 2, LS_OP_PUT, 7, 0, 0);
	assert_int_equal(model_check(&m, why, sizeof why), 0);
	m.o[2].puts = 3;
	assert_int_equal(model_check(&m, why, sizeof why), 1);
	assert_non_null(strstr(why, "were put"));
	m.o[2].puts = 1;
	m.o[2].nitems = 3;
	m.o[2].puts = 3;
	assert_int_equal(model_check(&m, why, sizeof why), 1);
	assert_non_null(strstr(why, "capacity"));
	model_free(&m);
}

static void stuck_needs_stuck_releasers(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	base(&m);
	analysis_run(&m, &a);
	/* claim T1 stuck while T0, its lock's owner, can still move */
	a.wflags[1] |= AN_N_STUCK;
	assert_int_equal(analysis_check(&m, &a, why, sizeof why), 1);
	assert_non_null(strstr(why, "could release it"));
	/* and a deadlock nobody is stuck in */
	analysis_run(&m, &a);
	a.deadlock = 1;
	assert_int_equal(analysis_check(&m, &a, why, sizeof why), 1);
	/* and counts that disagree with the model */
	analysis_run(&m, &a);
	a.blocked++;
	assert_int_equal(analysis_check(&m, &a, why, sizeof why), 1);
	assert_non_null(strstr(why, "counts"));
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(consistent_model_passes),
		cmocka_unit_test(waiter_not_listed),
		cmocka_unit_test(rwlock_readers_or_one_writer),
		cmocka_unit_test(free_lock_with_a_waiter_not_woken),
		cmocka_unit_test(semaphore_units_must_add_up),
		cmocka_unit_test(queue_counts_must_add_up),
		cmocka_unit_test(stuck_needs_stuck_releasers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
