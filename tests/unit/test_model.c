/* Unit tests: the model fold for each event type, and its questions
 * (eligible, settled, blocked, next deadline). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fold.h"
#include "history.h"

static void declare_and_name(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	ev(&m, LS_EV_WORKER, 0, -1, LS_WK_THREAD, LS_WF_MAIN, -1, 0);
	assert_int_equal(m.w[0].state, LS_WS_NEW);
	assert_false(model_live(&m, 0));
	text(&m, LS_EV_NAME, 0, -1, LS_NAME_WORKER, "main");
	assert_string_equal(model_worker_name(&m, 0), "main");
	ev(&m, LS_EV_SPAWN, 0, -1, 42, 43, 1, 0);
	assert_int_equal(m.w[0].state, LS_WS_RUNNABLE);
	assert_true(model_live(&m, 0));
	assert_false(model_settled(&m)); /* moving */
	object(&m, 3, "A", LS_OBJ_MUTEX, 0, 0, -1);
	assert_int_equal(m.no, 4);
	assert_string_equal(model_object_name(&m, 3), "A");
	assert_int_equal(m.o[3].owner, -1);
	assert_string_equal(model_object_name(&m, 99), "?");
	model_free(&m);
}

static void lock_owner_and_waiters(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "T1", LS_WK_THREAD);
	worker(&m, 1, "T2", LS_WK_THREAD);
	worker(&m, 2, "T3", LS_WK_THREAD);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_WANT, 0, 0, LS_OP_LOCK, 0, 0, 0);
	assert_int_equal(m.w[0].gate, LS_GATE_READY);
	assert_true(model_eligible(&m, 0));
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	assert_int_equal(m.o[0].owner, 0);
	assert_int_equal(m.w[0].nholds, 1);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0); /* again: no duplicate */
	assert_int_equal(m.o[0].nwaiters, 2);
	assert_int_equal(m.o[0].waiters[0], 1);
	assert_int_equal(m.o[0].waiters[1], 2);
	assert_int_equal(m.w[1].state, LS_WS_BLOCKED);
	assert_false(model_eligible(&m, 1));
	assert_true(model_blocked(&m, 1));
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_UNLOCK, 0, 0, 0);
	assert_int_equal(m.o[0].owner, -1);
	assert_int_equal(m.w[0].nholds, 0);
	/* the lock is free: every waiter is woken and may retry, and every
	 * pane shows them so, never BLOCKED beside a free lock */
	assert_true(model_eligible(&m, 1));
	assert_true(model_eligible(&m, 2));
	assert_int_equal(model_state(&m, 1), LS_WS_RUNNABLE);
	assert_true(model_woken(&m, 1));
	assert_true(model_woken(&m, 2));
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	assert_int_equal(m.o[0].owner, 1);
	assert_int_equal(m.o[0].nwaiters, 1);
	assert_false(model_eligible(&m, 2));
	assert_int_equal(model_state(&m, 2), LS_WS_BLOCKED);
	/* releasing what one never held is an anomaly, never trusted silently */
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_UNLOCK, 0, 0, 0);
	assert_int_equal(m.anomalies, 1);
	model_free(&m);
}

/* Free runs batch records per worker: a newer acquire may arrive before
 * the older release that allowed it. The owner follows the newer record. */
static void reordered_release_and_acquire(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "T1", LS_WK_THREAD);
	worker(&m, 1, "T2", LS_WK_THREAD);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	struct ls_event acq1, rel1, acq2;
	event_init(&acq1, LS_EV_ACQUIRED, 100, 1, 0, 0);
	event_init(&rel1, LS_EV_RELEASED, 101, 2, 0, 0);
	event_init(&acq2, LS_EV_ACQUIRED, 102, 3, 1, 0);
	acq1.u.a[0] = acq2.u.a[0] = LS_OP_LOCK;
	rel1.u.a[0] = LS_OP_UNLOCK;
	model_apply(&m, &acq2); /* T2's batch arrived first */
	assert_int_equal(m.o[0].owner, 1);
	model_apply(&m, &acq1);
	model_apply(&m, &rel1);
	assert_int_equal(m.o[0].owner, 1); /* the older pair changed nothing */
	assert_int_equal(m.w[0].nholds, 0);
	assert_int_equal(m.w[1].nholds, 1);
	assert_int_equal(m.anomalies, 0);
	model_free(&m);
}

static void rlock_counts(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "T", LS_WK_THREAD);
	worker(&m, 1, "U", LS_WK_THREAD);
	object(&m, 0, "R", LS_OBJ_RLOCK, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 2, 0, 0);
	assert_int_equal(m.o[0].count, 2);
	assert_int_equal(m.w[0].nholds, 1);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	assert_true(model_eligible(&m, 0)); /* its own rlock */
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	assert_false(model_eligible(&m, 1));
	ev(&m, LS_EV_WANT, 0, 0, LS_OP_UNLOCK, 0, 0, 0);
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_UNLOCK, 1, 0, 0);
	assert_int_equal(m.o[0].owner, 0);
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_UNLOCK, 0, 0, 0);
	assert_int_equal(m.o[0].owner, -1);
	assert_true(model_eligible(&m, 1));
	model_free(&m);
}

/* A consumer takes many units and never gives them back; the lock it takes
 * afterwards must still show among its holds. */
static void many_units_do_not_crowd_out_holds(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "C", LS_WK_THREAD);
	object(&m, 0, "items", LS_OBJ_SEM, 100, 100, -1);
	object(&m, 1, "L", LS_OBJ_MUTEX, 0, 0, -1);
	for (int i = 0; i < 40; i++)
		ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 1, LS_OP_LOCK, 1, 0, 0);
	assert_int_equal(m.w[0].nholds, 2);
	assert_int_equal(m.w[0].hold_units[0], 40);
	assert_int_equal(m.w[0].holds[1], 1);
	assert_int_equal(m.o[0].value, 60);
	model_free(&m);
}

/* A process that died holding a robust lock: the next taker can win it. */
static void dead_owner_lock_is_available(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "A", LS_WK_PROCESS);
	worker(&m, 1, "B", LS_WK_PROCESS);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	assert_false(model_eligible(&m, 1));
	ev(&m, LS_EV_EXIT, 0, -1, 0, 0, 0, 0);
	assert_true(model_eligible(&m, 1));
	model_free(&m);
}

static void semaphore_value(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "T", LS_WK_THREAD);
	object(&m, 0, "S", LS_OBJ_SEM, 1, 1, -1);
	assert_int_equal(m.o[0].value, 1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_SEM_WAIT, 0, 0, 0);
	assert_int_equal(m.o[0].value, 0);
	assert_int_equal(m.w[0].nholds, 1);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	assert_false(model_eligible(&m, 0));
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_SEM_POST, 1, 0, 0);
	assert_int_equal(m.o[0].value, 1);
	assert_true(model_eligible(&m, 0));
	model_free(&m);
}

static void queue_items(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "P", LS_WK_THREAD);
	worker(&m, 1, "C", LS_WK_THREAD);
	object(&m, 0, "Q", LS_OBJ_QUEUE, 0, 2, -1);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_GET, 1, 0, 0);
	assert_int_equal(m.w[1].state, LS_WS_WAITING);
	assert_false(model_eligible(&m, 1));
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_PUT, 11, 0, 0);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_PUT, 12, 0, 0);
	assert_int_equal(m.o[0].nitems, 2);
	assert_true(model_eligible(&m, 1));
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_PUT, 1, 0, 0);
	assert_false(model_eligible(&m, 0)); /* full */
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_GET, 11, 0, 0);
	assert_int_equal(m.o[0].nitems, 1);
	assert_int_equal(m.o[0].items[0], 12);
	assert_true(model_eligible(&m, 0));
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_GET, 99, 0, 0); /* not the head: anomaly */
	assert_int_equal(m.anomalies, 1);
	model_free(&m);
}

/* A Python LifoQueue or PriorityQueue (lockstep run) gives any item: the
 * get takes the one it names, no anomaly; a FIFO queue still wants its
 * head. */
static void queue_any_order(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "P", LS_WK_THREAD);
	object(&m, 0, "stack", LS_OBJ_QUEUE, 0, 0, LS_QUEUE_ANY_ORDER);
	object(&m, 1, "fifo", LS_OBJ_QUEUE, 0, 0, -1);
	for (int i = 1; i <= 3; i++) {
		ev(&m, LS_EV_DONE, 0, 0, LS_OP_PUT, i, 0, 0);
		ev(&m, LS_EV_DONE, 0, 1, LS_OP_PUT, i, 0, 0);
	}
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_GET, 3, 0, 0); /* last in, first out */
	assert_int_equal(m.o[0].nitems, 2);
	assert_int_equal(m.o[0].items[0], 1);
	assert_int_equal(m.o[0].items[1], 2);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_GET, 1, 0, 0);
	assert_int_equal(m.o[0].nitems, 1);
	assert_int_equal(m.o[0].items[0], 2);
	assert_int_equal(m.anomalies, 0);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_GET, 7, 0, 0); /* not in it: anomaly */
	assert_int_equal(m.anomalies, 1);
	ev(&m, LS_EV_DONE, 0, 1, LS_OP_GET, 2, 0, 0); /* a FIFO's second item */
	assert_int_equal(m.anomalies, 2);
	assert_int_equal(m.o[1].items[0], 2); /* the head went, as before */
	model_free(&m);
}

/* WHERE: the line of a worker's next operation, kept until the next. */
static void where_is_kept(void **state)
{
	(void)state;
	struct model m;
	threads(&m, 2);
	assert_string_equal(m.w[0].where, "");
	text(&m, LS_EV_WHERE, 0, -1, 0, "demo.py:12");
	ev(&m, LS_EV_WANT, 0, -1, LS_OP_SLEEP, 5, 0, 0);
	assert_string_equal(m.w[0].where, "demo.py:12");
	assert_string_equal(m.w[1].where, "");
	text(&m, LS_EV_WHERE, 0, -1, 0, "demo.py:13");
	assert_string_equal(m.w[0].where, "demo.py:13");
	model_free(&m);
}

/* ITEM: a queue keeps the text of items that are not ints, by number;
 * a table full of items still inside gives up its oldest, and an item
 * without text shows as its number ("#n" in the text range). */
static void item_texts_are_kept(void **state)
{
	(void)state;
	struct model m;
	char b[64];
	threads(&m, 1);
	object(&m, 0, "Q", LS_OBJ_QUEUE, 0, 0, LS_QUEUE_ANY_ORDER); /* a get names its item */
	int64_t apple = LS_ITEM_TEXT_BASE + 1;
	text(&m, LS_EV_ITEM, 0, 0, apple, "'apple'");
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_PUT, apple, 0, 0);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_PUT, 7, 0, 0);
	assert_string_equal(model_item_text(&m.o[0], apple), "'apple'");
	assert_null(model_item_text(&m.o[0], 7));
	model_item_str(&m.o[0], m.o[0].items[0], b, sizeof b);
	assert_string_equal(b, "'apple'");
	model_item_str(&m.o[0], m.o[0].items[1], b, sizeof b);
	assert_string_equal(b, "7");
	model_item_str(&m.o[0], LS_ITEM_TEXT_BASE + 99, b, sizeof b);
	assert_string_equal(b, "#99");
	/* a text given again replaces the old one */
	text(&m, LS_EV_ITEM, 0, 0, apple, "'APPLE'");
	assert_string_equal(model_item_text(&m.o[0], apple), "'APPLE'");
	/* more texts than the table holds: those of items gone go first */
	for (int k = 2; k < LS_ITEM_TEXTS + 10; k++) {
		char t[16];
		snprintf(t, sizeof t, "'i%d'", k);
		text(&m, LS_EV_ITEM, 0, 0, LS_ITEM_TEXT_BASE + k, t);
		ev(&m, LS_EV_DONE, 0, 0, LS_OP_PUT, LS_ITEM_TEXT_BASE + k, 0, 0);
		ev(&m, LS_EV_DONE, 0, 0, LS_OP_GET, LS_ITEM_TEXT_BASE + k, 0, 0);
	}
	/* apple (inside, head) kept its text while gone items made room */
	assert_int_equal(m.anomalies, 0);
	assert_int_equal(m.o[0].nitems, 2);
	assert_int_equal(m.o[0].items[0], apple);
	assert_string_equal(model_item_text(&m.o[0], apple), "'APPLE'");
	snprintf(b, sizeof b, "'i%d'", LS_ITEM_TEXTS + 9);
	assert_string_equal(model_item_text(&m.o[0], LS_ITEM_TEXT_BASE + LS_ITEM_TEXTS + 9), b);
	assert_true(m.o[0].ntexts <= LS_ITEM_TEXTS);
	model_free(&m);
}

static void condition_notify_moves_waiter_to_mutex(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "W", LS_WK_THREAD);
	worker(&m, 1, "N", LS_WK_THREAD);
	object(&m, 0, "M", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "C", LS_OBJ_COND, 0, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_COND_WAIT, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_COND_WAIT, 1, 0, 0);
	assert_int_equal(m.w[0].state, LS_WS_WAITING);
	assert_false(model_eligible(&m, 0));
	assert_int_equal(m.o[1].nwaiters, 1);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_NOTIFY, 1, 1, LS_OP_COND_SIGNAL, 0, 0, 0);
	assert_int_equal(m.o[1].nwaiters, 0);
	assert_int_equal(m.w[0].state, LS_WS_BLOCKED);
	assert_int_equal(m.w[0].wait_obj, 0);
	assert_false(model_eligible(&m, 0)); /* N still holds M */
	ev(&m, LS_EV_RELEASED, 1, 0, LS_OP_UNLOCK, 0, 0, 0);
	assert_true(model_eligible(&m, 0));
	ev(&m, LS_EV_NOTIFY, 1, 1, LS_OP_COND_SIGNAL, -1, 0, 0); /* nobody waiting */
	assert_int_equal(m.anomalies, 0);
	model_free(&m);
}

/* Found by the fuzzer: a condition whose mutex id is out of range. */
static void notify_with_bad_mutex_is_an_anomaly(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "W", LS_WK_THREAD);
	object(&m, 1, "C", LS_OBJ_COND, 0, 0, 999999);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_COND_WAIT, 1, 0, 0);
	ev(&m, LS_EV_NOTIFY, 0, 1, LS_OP_COND_SIGNAL, 0, 0, 0);
	assert_int_equal(m.anomalies, 1);
	ev(&m, LS_EV_NOTIFY, 0, 1, LS_OP_COND_SIGNAL, 5000, 0, 0); /* no such worker */
	assert_int_equal(m.anomalies, 2);
	model_free(&m);
}

/* Found by the fuzzer: a condition whose mutex is an object not made yet,
 * past the objects' array; making it moved the array under the condition
 * (a use after free, under ASan). The waiter now waits for that mutex. */
static void notify_with_a_mutex_not_made_yet(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "W", LS_WK_THREAD);
	object(&m, 1, "C", LS_OBJ_COND, 0, 0, 300);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_COND_WAIT, 1, 0, 0);
	ev(&m, LS_EV_NOTIFY, 0, 1, LS_OP_COND_SIGNAL, 0, 0, 0);
	assert_int_equal(m.w[0].wait_obj, 300);
	assert_int_equal(m.w[0].wait_op, LS_OP_LOCK);
	assert_int_equal(m.o[1].nwaiters, 0);
	assert_int_equal(m.o[300].nwaiters, 1);
	model_free(&m);
}

static void values_and_reads(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "T", LS_WK_THREAD);
	object(&m, 0, "balance", LS_OBJ_VALUE, 100, 0, -1);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_READ, 100, 0, 0);
	assert_int_equal(m.w[0].last_read, 100);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_WRITE, 105, 0, 0);
	assert_int_equal(m.o[0].value, 105);
	assert_int_equal(m.o[0].writes, 1);
	model_free(&m);
}

/* Two writers' batches can arrive in either order; the later write (by
 * seq, numbered with its store) is the value. */
static void reordered_value_writes(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "T1", LS_WK_THREAD);
	worker(&m, 1, "T2", LS_WK_THREAD);
	object(&m, 0, "balance", LS_OBJ_VALUE, 100, 0, -1);
	struct ls_event w1, w2;
	event_init(&w1, LS_EV_DONE, 500, 1, 0, 0);
	event_init(&w2, LS_EV_DONE, 501, 2, 1, 0);
	w1.u.a[0] = w2.u.a[0] = LS_OP_WRITE;
	w1.u.a[1] = 105;
	w2.u.a[1] = 95;
	model_apply(&m, &w2);
	model_apply(&m, &w1);
	assert_int_equal(m.o[0].value, 95);
	assert_int_equal(m.o[0].writes, 2);
	model_free(&m);
}

static void lifecycle_exit_zombie_reaped(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "child", LS_WK_PROCESS);
	worker(&m, 2, "T", LS_WK_THREAD);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1);
	assert_int_equal(m.w[0].state, LS_WS_WAITING);
	assert_false(model_eligible(&m, 0));
	ev(&m, LS_EV_EXIT, 1, -1, 3, LS_EXIT_RETURN, 0, 0);
	assert_int_equal(m.w[1].state, LS_WS_ZOMBIE);
	assert_int_equal(m.w[1].exit_code, 3);
	assert_true(model_eligible(&m, 0));
	ev(&m, LS_EV_REAPED, 1, -1, 3 << 8, 0, 0, 0);
	assert_int_equal(m.w[1].state, LS_WS_TERMINATED);
	ev(&m, LS_EV_EXIT, 2, -1, 0, LS_EXIT_RETURN, 0, 0);
	assert_int_equal(m.w[2].state, LS_WS_TERMINATED);
	assert_false(model_live(&m, 2));
	model_free(&m);
}

static void sleep_deadline_and_clock(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "A", LS_WK_THREAD);
	worker(&m, 1, "B", LS_WK_THREAD);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_SLEEP, 1, 5000, 0);
	ev(&m, LS_EV_BLOCKED, 1, -1, LS_OP_SLEEP, 1, 3000, 0);
	assert_int_equal(m.w[0].state, LS_WS_TIMED_WAITING);
	assert_true(model_settled(&m));
	assert_int_equal(model_next_deadline(&m), 3000);
	assert_false(model_eligible(&m, 1));
	ev(&m, LS_EV_CLOCK, -1, -1, 3000, 0, 0, 0);
	assert_true(model_eligible(&m, 1));
	assert_false(model_eligible(&m, 0));
	ev(&m, LS_EV_GRANT, 1, -1, 1, 0, 0, 0);
	assert_int_equal(m.w[1].gate, LS_GATE_MOVING);
	assert_false(model_settled(&m));
	assert_int_equal(m.steps, 1);
	model_free(&m);
}

/* Semaphore(1) with three waiters. In a controlled run lockstep wakes them
 * first come, first served, so the queue drawn is the order kept: only the
 * first is eligible and shown RUNNABLE. In a free run the kernel picks:
 * every waiter may win. */
static void semaphore_waiters_fifo_in_controlled_runs(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	for (int i = 0; i < 4; i++) {
		char name[8];
		snprintf(name, sizeof name, "T%d", i);
		worker(&m, i, name, LS_WK_THREAD);
	}
	object(&m, 0, "S", LS_OBJ_SEM, 1, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_SEM_WAIT, 0, 0, 0);
	for (int i = 1; i < 4; i++)
		ev(&m, LS_EV_BLOCKED, i, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	for (int i = 1; i < 4; i++) {
		assert_false(model_eligible(&m, i));
		assert_int_equal(model_state(&m, i), LS_WS_BLOCKED);
	}
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_SEM_POST, 1, 0, 0);
	assert_int_equal(m.o[0].value, 1);
	assert_true(model_eligible(&m, 1));
	assert_int_equal(model_state(&m, 1), LS_WS_RUNNABLE);
	assert_false(model_eligible(&m, 2));
	assert_false(model_eligible(&m, 3));
	assert_int_equal(model_state(&m, 3), LS_WS_BLOCKED);
	/* a second post wakes the second in line */
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_SEM_POST, 2, 0, 0);
	assert_true(model_eligible(&m, 2));
	assert_false(model_eligible(&m, 3));
	/* a free run: the kernel decides, so all of them may retry */
	ev(&m, LS_EV_MODE, -1, -1, LS_MODE_RUN, 0, 0, 0);
	assert_true(model_eligible(&m, 3));
	model_free(&m);
}

/* A notified condition waiter moves to the mutex; once the mutex is free it
 * is woken, never shown BLOCKED beside a free lock. */
static void notified_waiter_on_a_free_lock_is_woken(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "odd", LS_WK_THREAD);
	worker(&m, 1, "even", LS_WK_THREAD);
	object(&m, 0, "lock", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "cond", LS_OBJ_COND, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_COND_WAIT, 1, 0, 0);
	assert_int_equal(model_state(&m, 1), LS_WS_WAITING);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_NOTIFY, 0, 1, LS_OP_COND_SIGNAL, 1, 0, 0);
	assert_int_equal(model_state(&m, 1), LS_WS_BLOCKED); /* the lock is held */
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_COND_WAIT, 0, 0, 0);
	assert_int_equal(m.o[0].owner, -1);
	assert_int_equal(m.o[0].nwaiters, 1);
	assert_int_equal(model_state(&m, 1), LS_WS_RUNNABLE);
	assert_true(model_woken(&m, 1));
	model_free(&m);
}

/* Narrations reassembled at once by several workers, their chunks
 * interleaved: each line is its worker's own; past LS_SAY_OPEN workers
 * between chunks, the one that began first ends its line early. */
/* Thread-local data: what each thread stored stays in its slot however
 * many records come after (the pane read it from the last 1,024 records
 * once, and a value set earlier vanished from the screen), and a copy of
 * the model (the history's) keeps it. */
static void local_slots_outlive_the_log(void **state)
{
	(void)state;
	struct model m, c;
	model_init(&m);
	model_init(&c);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "T1", LS_WK_THREAD);
	worker(&m, 2, "T2", LS_WK_THREAD);
	object(&m, 0, "data", LS_OBJ_LOCAL, 0, 0, -1);
	object(&m, 1, "n", LS_OBJ_VALUE, 0, 0, -1);
	ev(&m, LS_EV_DONE, 2, 0, LS_OP_LOCAL_SET, 7, 0, 0);
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_LOCAL_SET, 5, 0, 0);
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_LOCAL_SET, 6, 0, 0);
	for (int i = 0; i < 3 * LS_LOG_N; i++)
		ev(&m, LS_EV_DONE, 0, 1, LS_OP_READ, i, 0, 0);
	int64_t v = 0;
	assert_true(model_local_slot(&m.o[0], 1, &v));
	assert_int_equal(v, 6);
	assert_true(model_local_slot(&m.o[0], 2, &v));
	assert_int_equal(v, 7);
	assert_false(model_local_slot(&m.o[0], 0, &v)); /* main never stored */
	assert_false(model_local_slot(&m.o[1], 1, &v)); /* not thread-local */
	history_model_copy(&c, &m);
	model_free(&m);
	assert_true(model_local_slot(&c.o[0], 2, &v));
	assert_int_equal(v, 7);
	model_free(&c);
}

static void says_interleave(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	for (int i = 0; i < LS_SAY_OPEN + 1; i++)
		worker(&m, i, "T", LS_WK_THREAD);
	for (int i = 0; i < LS_SAY_OPEN; i++)
		text(&m, LS_EV_SAY, i, -1, 1, i % 2 ? "odd " : "even ");
	assert_int_equal(m.nsays, 0);
	for (int i = LS_SAY_OPEN - 1; i >= 0; i--)
		text(&m, LS_EV_SAY, i, -1, 0, "done");
	assert_int_equal(m.nsays, LS_SAY_OPEN);
	for (uint64_t k = 0; k < m.nsays; k++) {
		const struct m_say *s = &m.says[k % LS_SAYS_N];
		assert_string_equal(s->text, s->worker % 2 ? "odd done" : "even done");
	}
	/* one more worker between chunks than there is room for: worker 0
	 * began first, its line so far is said now, and the rest follows */
	for (int i = 0; i < LS_SAY_OPEN + 1; i++)
		text(&m, LS_EV_SAY, i, -1, 1, "part ");
	assert_int_equal(m.nsays, LS_SAY_OPEN + 1);
	assert_int_equal(m.says[LS_SAY_OPEN % LS_SAYS_N].worker, 0);
	assert_string_equal(m.says[LS_SAY_OPEN % LS_SAYS_N].text, "part ");
	for (int i = 1; i < LS_SAY_OPEN + 1; i++)
		text(&m, LS_EV_SAY, i, -1, 0, "end");
	text(&m, LS_EV_SAY, 0, -1, 0, "end"); /* worker 0's rest: a line of its own */
	assert_int_equal(m.nsays, 2 * LS_SAY_OPEN + 2);
	assert_string_equal(m.says[(m.nsays - 2) % LS_SAYS_N].text, "part end");
	assert_int_equal(m.says[(m.nsays - 1) % LS_SAYS_N].worker, 0);
	assert_string_equal(m.says[(m.nsays - 1) % LS_SAYS_N].text, "end");
	model_free(&m);
}

static void say_chunks_reassemble(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "T", LS_WK_THREAD);
	text(&m, LS_EV_SAY, 0, -1, 1, "Hello, ");
	assert_int_equal(m.nsays, 0);
	text(&m, LS_EV_SAY, 0, -1, 0, "world.");
	assert_int_equal(m.nsays, 1);
	assert_string_equal(m.says[0].text, "Hello, world.");
	assert_int_equal(m.says[0].worker, 0);
	text(&m, LS_EV_OUTPUT, -1, -1, 0, "printed");
	assert_int_equal(m.nsays, 2);
	assert_true(m.says[1].output);
	assert_int_equal(m.says[1].worker, -1); /* captured stdout: nobody knows whose */
	/* a worker's print(): its own line, in chunks, kept apart from narration */
	text(&m, LS_EV_OUTPUT, 0, -1, 1, "老司机");
	text(&m, LS_EV_OUTPUT, 0, -1, 0, "开车了");
	assert_int_equal(m.nsays, 3);
	assert_true(m.says[2].output);
	assert_int_equal(m.says[2].worker, 0);
	assert_string_equal(m.says[2].text, "老司机开车了");
	ev(&m, LS_EV_END, -1, -1, 0, 0, 0, 0);
	assert_true(m.ended);
	ev(&m, LS_EV_CRASH, 0, -1, 11, 0, 0, 0);
	assert_true(m.crashed);
	assert_int_equal(m.crash_signal, 11);
	assert_int_equal(m.nlog, m.events);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(declare_and_name),
		cmocka_unit_test(lock_owner_and_waiters),
		cmocka_unit_test(reordered_release_and_acquire),
		cmocka_unit_test(rlock_counts),
		cmocka_unit_test(semaphore_value),
		cmocka_unit_test(many_units_do_not_crowd_out_holds),
		cmocka_unit_test(dead_owner_lock_is_available),
		cmocka_unit_test(queue_items),
		cmocka_unit_test(queue_any_order),
		cmocka_unit_test(where_is_kept),
		cmocka_unit_test(item_texts_are_kept),
		cmocka_unit_test(condition_notify_moves_waiter_to_mutex),
		cmocka_unit_test(notify_with_bad_mutex_is_an_anomaly),
		cmocka_unit_test(values_and_reads),
		cmocka_unit_test(reordered_value_writes),
		cmocka_unit_test(lifecycle_exit_zombie_reaped),
		cmocka_unit_test(sleep_deadline_and_clock),
		cmocka_unit_test(say_chunks_reassemble),
		cmocka_unit_test(says_interleave),
		cmocka_unit_test(local_slots_outlive_the_log),
		cmocka_unit_test(semaphore_waiters_fifo_in_controlled_runs),
		cmocka_unit_test(notified_waiter_on_a_free_lock_is_woken),
		cmocka_unit_test(notify_with_a_mutex_not_made_yet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
