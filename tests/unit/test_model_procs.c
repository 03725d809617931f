/* Unit tests: the model fold for processes and IPC — pipe ends and
 * end-of-file, buffered messages, message queue priorities, shared arrays,
 * signals (a target moves until it has handled its signal), deaths by
 * signal, orphan adoption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fold.h"

static void park(struct model *m, int w, int obj, int op)
{
	ev(m, LS_EV_BLOCKED, w, obj, op, 1, 0, 0);
}

static void pipe_ends_and_eof(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "A", LS_WK_PROCESS);
	worker(&m, 2, "B", LS_WK_PROCESS);
	object(&m, 0, "A->B", LS_OBJ_PIPE, 0, 0, -1);
	ev(&m, LS_EV_ENDS, 0, 0, LS_END_READ | LS_END_WRITE, 0, 0, 0);
	ev(&m, LS_EV_ENDS, 1, 0, LS_END_READ | LS_END_WRITE, 0, 0, 0);
	ev(&m, LS_EV_ENDS, 2, 0, LS_END_READ | LS_END_WRITE, 0, 0, 0);
	assert_int_equal(model_end_holders(&m.o[0], LS_END_WRITE), 3);
	/* B reads the empty pipe: WAITING, not eligible */
	park(&m, 2, 0, LS_OP_READ);
	assert_int_equal(m.w[2].state, LS_WS_WAITING);
	assert_false(model_eligible(&m, 2));
	/* A writes: the message is buffered, B may retry */
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_WRITE, 7, 0, 0);
	assert_int_equal(m.o[0].nitems, 1);
	assert_int_equal(m.o[0].items[0], 7);
	assert_true(model_eligible(&m, 2));
	ev(&m, LS_EV_DONE, 2, 0, LS_OP_READ, 7, 0, 0);
	assert_int_equal(m.o[0].nitems, 0);
	assert_int_equal(m.w[2].last_read, 7);
	/* empty again; every write end closes: end-of-file makes it eligible */
	park(&m, 2, 0, LS_OP_READ);
	ev(&m, LS_EV_ENDS, 0, 0, 0, 0, 0, 0);
	ev(&m, LS_EV_ENDS, 2, 0, LS_END_READ, 0, 0, 0);
	assert_false(model_eligible(&m, 2));
	ev(&m, LS_EV_EXIT, 1, -1, 0, LS_EXIT_RETURN, 0, 0); /* A's ends close with it */
	assert_int_equal(model_end_holders(&m.o[0], LS_END_WRITE), 0);
	assert_true(model_eligible(&m, 2));
	ev(&m, LS_EV_DONE, 2, 0, LS_OP_READ, 0, 1, 0); /* end-of-file */
	assert_true(m.o[0].eof_seen);
	assert_int_equal(m.anomalies, 0);
	model_free(&m);
}

static void pipe_overflow_is_counted(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	object(&m, 0, "p", LS_OBJ_PIPE, 0, 0, -1);
	for (int i = 0; i < LS_QUEUE_MAX + 5; i++)
		ev(&m, LS_EV_DONE, 0, 0, LS_OP_WRITE, i, 0, 0);
	assert_int_equal(m.o[0].nitems, LS_QUEUE_MAX);
	assert_int_equal(m.o[0].overflow, 5);
	for (int i = 0; i < LS_QUEUE_MAX + 5; i++)
		ev(&m, LS_EV_DONE, 0, 0, LS_OP_READ, i, 0, 0);
	assert_int_equal(m.o[0].nitems, 0);
	assert_int_equal(m.o[0].overflow, 0);
	assert_int_equal(m.anomalies, 0);
	model_free(&m);
}

/* main, a reader and a writer process, and a FIFO f */
static void fifo_fixture(struct model *m)
{
	model_init(m);
	worker(m, 0, "main", LS_WK_THREAD);
	worker(m, 1, "reader", LS_WK_PROCESS);
	worker(m, 2, "writer", LS_WK_PROCESS);
	object(m, 0, "f", LS_OBJ_FIFO, 0, 0, -1);
}

static void fifo_open_waits_for_the_other_end(void **state)
{
	(void)state;
	struct model m;
	fifo_fixture(&m);
	ev(&m, LS_EV_ENDS, 1, 0, LS_END_READ, 0, 0, 0);
	park(&m, 1, 0, LS_OP_OPEN_READ);
	assert_false(model_eligible(&m, 1));
	park(&m, 2, 0, LS_OP_OPEN_WRITE);
	assert_true(model_eligible(&m, 2)); /* a reader is there */
	ev(&m, LS_EV_ENDS, 2, 0, LS_END_WRITE, 0, 0, 0);
	assert_true(model_eligible(&m, 1));
	model_free(&m);
}

/* Stepped, the writer tried first and parks (no reader: its open failed).
 * The reader's open gets its end and parks until a writer has opened: a
 * writer that only waits to open does not let it finish, so only the
 * writer can move (the explorer used to step the reader forever). */
static void fifo_parked_opener_waits_for_a_real_open(void **state)
{
	(void)state;
	struct model m;
	fifo_fixture(&m);
	ev(&m, LS_EV_WANT, 1, 0, LS_OP_OPEN_READ, 1, 0, 0);
	park(&m, 2, 0, LS_OP_OPEN_WRITE);
	assert_false(model_eligible(&m, 2)); /* its retry would fail the same way */
	assert_true(model_eligible(&m, 1));  /* a first try always moves */
	ev(&m, LS_EV_ENDS, 1, 0, LS_END_READ, 0, 0, 0);
	park(&m, 1, 0, LS_OP_OPEN_READ);
	assert_false(model_eligible(&m, 1));
	assert_true(model_eligible(&m, 2));
	ev(&m, LS_EV_ENDS, 2, 0, LS_END_WRITE, 0, 0, 0);
	ev(&m, LS_EV_DONE, 2, 0, LS_OP_OPEN_WRITE, 2, 0, 0);
	assert_true(model_eligible(&m, 1));
	model_free(&m);
}

/* In a free run both sides wait in the kernel's open(), which pairs them;
 * one may report only after the other has already written and closed. */
static void fifo_blocking_opens_pair(void **state)
{
	(void)state;
	struct model m;
	fifo_fixture(&m);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_OPEN_READ, 0, 0, 0);
	assert_true(model_blocked(&m, 1));
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_OPEN_WRITE, 0, 0, 0);
	assert_false(model_blocked(&m, 1)); /* the kernel pairs them */
	assert_false(model_blocked(&m, 2));
	ev(&m, LS_EV_ENDS, 2, 0, LS_END_WRITE, 0, 0, 0);
	ev(&m, LS_EV_DONE, 2, 0, LS_OP_OPEN_WRITE, 2, 0, 0);
	ev(&m, LS_EV_ENDS, 2, 0, 0, 0, 0, 0); /* wrote, closed, gone */
	assert_false(model_blocked(&m, 1)); /* its open has returned */
	model_free(&m);
}

static void mqueue_priorities(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	object(&m, 0, "mq", LS_OBJ_MQUEUE, 0, 3, -1);
	park(&m, 0, 0, LS_OP_RECEIVE);
	assert_false(model_eligible(&m, 0));
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_SEND, 1, 1, 0);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_SEND, 2, 5, 0);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_SEND, 3, 1, 0);
	assert_int_equal(m.o[0].items[0], 2);
	assert_int_equal(m.o[0].items[1], 1);
	assert_int_equal(m.o[0].items[2], 3);
	assert_int_equal(m.o[0].item_prio[0], 5);
	park(&m, 0, 0, LS_OP_SEND);
	assert_false(model_eligible(&m, 0)); /* full */
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_RECEIVE, 2, 5, 0);
	park(&m, 0, 0, LS_OP_SEND);
	assert_true(model_eligible(&m, 0));
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_RECEIVE, 3, 1, 0); /* not the front: wrong */
	assert_int_equal(m.anomalies, 1);
	model_free(&m);
}

static void array_cells(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	object(&m, 0, "a", LS_OBJ_ARRAY, 9, 4, -1);
	assert_int_equal(m.o[0].nitems, 4);
	assert_int_equal(m.o[0].items[3], 9);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_ASET, 5, 2, 0);
	assert_int_equal(m.o[0].items[2], 5);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_ASET, 5, 4, 0); /* out of range: ignored */
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_AGET, 5, 2, 0);
	assert_int_equal(m.w[0].last_read, 5);
	model_free(&m);
}

static void signal_moves_target_until_it_parks(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "driver", LS_WK_PROCESS);
	ev(&m, LS_EV_WANT, 0, -1, LS_OP_JOIN, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, -1, LS_OP_PAUSE, 1, 0, 0);
	assert_true(model_settled(&m));
	assert_false(model_eligible(&m, 1)); /* only a signal moves it */
	ev(&m, LS_EV_SIGNAL, -1, -1, 1, 2, LS_SIG_IGNORE, 101); /* ignored: still parked */
	assert_true(model_settled(&m));
	ev(&m, LS_EV_SIGNAL, 0, -1, 1, 10, LS_SIG_HANDLE, 101);
	assert_false(model_settled(&m));
	assert_int_equal(m.w[0].sigs_sent, 1);
	ev(&m, LS_EV_DELIVERED, 1, -1, 10, 0, 0, 0);
	assert_int_equal(m.w[1].last_signal, 10);
	text(&m, LS_EV_HANDLER, 1, -1, 10, "on_usr1");
	assert_int_equal(m.w[1].in_handler, 10);
	ev(&m, LS_EV_DONE, 1, -1, LS_OP_HANDLER, 10, 0, 0);
	assert_int_equal(m.w[1].in_handler, 0);
	ev(&m, LS_EV_BLOCKED, 1, -1, LS_OP_PAUSE, 1, 0, 0);
	assert_true(model_settled(&m));
	ev(&m, LS_EV_DONE, 1, -1, LS_OP_SIGACTION, 2, LS_DISP_IGNORE, 0);
	ev(&m, LS_EV_DONE, 1, -1, LS_OP_SIGACTION, 10, LS_DISP_HANDLE, 0);
	assert_true(m.w[1].sig_ignored & (1ull << 2));
	assert_true(m.w[1].sig_handled & (1ull << 10));
	model_free(&m);
}

/* A target that announced its wait after the signal was sent to it and
 * before it came (a free run: the kill and the target's BLOCKED race) is
 * moving again once DELIVERED says its handler runs: it is never counted
 * among those waiting for ever while its handler is due. */
static void delivered_moves_a_target_that_said_it_waits(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "driver", LS_WK_THREAD);
	worker(&m, 1, "conductor", LS_WK_PROCESS);
	ev(&m, LS_EV_SIGNAL, 1, -1, 0, 10, LS_SIG_HANDLE, 100);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 0, 0, 1); /* in the kernel, after the kill */
	ev(&m, LS_EV_BLOCKED, 1, -1, LS_OP_PAUSE, 0, 0, 0);
	assert_int_equal(m.w[0].gate, LS_GATE_KERNEL);
	ev(&m, LS_EV_DELIVERED, 0, -1, 10, 0, 0, 0);
	assert_int_equal(m.w[0].gate, LS_GATE_MOVING);
	assert_false(model_settled(&m));
	text(&m, LS_EV_HANDLER, 0, -1, 10, "driver_on_usr1");
	ev(&m, LS_EV_DONE, 0, -1, LS_OP_HANDLER, 10, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 0, 0, 1);
	assert_int_equal(m.w[0].gate, LS_GATE_KERNEL);
	/* an ended worker stays ended */
	ev(&m, LS_EV_EXIT, 1, -1, 0, LS_EXIT_RETURN, 0, 0);
	ev(&m, LS_EV_DELIVERED, 1, -1, 10, 0, 0, 0);
	assert_int_equal(m.w[1].gate, LS_GATE_NONE);
	assert_int_equal(m.anomalies, 0);
	model_free(&m);
}

static void death_by_signal_and_adoption(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "C", LS_WK_PROCESS);
	worker(&m, 2, "orphan", LS_WK_PROCESS);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1);
	ev(&m, LS_EV_BLOCKED, 1, -1, LS_OP_PAUSE, 1, 0, 0);
	ev(&m, LS_EV_SIGNAL, 0, -1, 1, 15, LS_SIG_TERM, 101);
	assert_false(model_settled(&m)); /* dying */
	assert_false(model_eligible(&m, 0));
	ev(&m, LS_EV_EXIT, 1, -1, -15, LS_EXIT_SIGNALED, 0, 0); /* the engine saw it die */
	assert_int_equal(m.w[1].state, LS_WS_ZOMBIE);
	assert_int_equal(m.w[1].term_signal, 15);
	assert_true(model_eligible(&m, 0)); /* its joiner may go on */
	ev(&m, LS_EV_REAPED, 1, -1, 15, 0, 0, 0);
	assert_int_equal(m.w[1].state, LS_WS_TERMINATED);
	assert_int_equal(m.w[1].exit_code, -15);
	/* reaped without an EXIT: the wait status tells */
	ev(&m, LS_EV_REAPED, 2, -1, 9, 0, 0, 0);
	assert_int_equal(m.w[2].exit_code, -9);
	assert_int_equal(m.w[2].term_signal, 9);
	ev(&m, LS_EV_ADOPTED, 2, -1, 100, 0, 0, 0);
	assert_true(m.w[2].adopted);
	assert_int_equal(m.w[2].parent, 0);
	assert_int_equal(m.w[2].ppid, 100);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pipe_ends_and_eof),
		cmocka_unit_test(pipe_overflow_is_counted),
		cmocka_unit_test(fifo_open_waits_for_the_other_end),
		cmocka_unit_test(fifo_parked_opener_waits_for_a_real_open),
		cmocka_unit_test(fifo_blocking_opens_pair),
		cmocka_unit_test(mqueue_priorities),
		cmocka_unit_test(array_cells),
		cmocka_unit_test(signal_moves_target_until_it_parks),
		cmocka_unit_test(delivered_moves_a_target_that_said_it_waits),
		cmocka_unit_test(death_by_signal_and_adoption),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
