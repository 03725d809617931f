/* Unit tests: the wait-for graph, deadlock cycles, stalls and the Coffman
 * conditions on hand-built models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "fold.h"
#include "unit.h"

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

/* Daemon threads left waiting once main has ended are no stall: their
 * process ends and stops them (py/barrier narrated "Stall" and then
 * finished). One worker the program waits for among them makes it one. */
static void daemons_alone_are_no_stall(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	for (int id = 1; id <= 2; id++) {
		ev(&m, LS_EV_WORKER, id, -1, LS_WK_THREAD, LS_WF_DAEMON, 0, 0);
		text(&m, LS_EV_NAME, id, -1, LS_NAME_WORKER, id == 1 ? "T4" : "T5");
		ev(&m, LS_EV_SPAWN, id, -1, 100 + id, 0, 1, 0);
	}
	object(&m, 0, "gate", LS_OBJ_COND, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_COND_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_COND_WAIT, 1, 0, 0);
	ev(&m, LS_EV_EXIT, 0, -1, 0, LS_EXIT_RETURN, 0, 0);
	analysis_run(&m, &a);
	assert_int_equal(a.live, 2);
	assert_int_equal(a.blocked, 2);
	assert_false(a.stalled);
	/* a worker that is no daemon, waiting with them: a stall */
	worker(&m, 3, "T6", LS_WK_THREAD);
	ev(&m, LS_EV_BLOCKED, 3, 0, LS_OP_COND_WAIT, 1, 0, 0);
	analysis_run(&m, &a);
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

/* ---- the general graph ---- */

static const struct an_edge *edge(const struct analysis *a, int from, int to)
{
	for (int k = 0; k < a->nedges; k++)
		if (a->edges[k].from == from && a->edges[k].to == to)
			return &a->edges[k];
	return NULL;
}

static void ring_edges_are_definite(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	ring(&m, 3);
	analysis_run(&m, &a);
	assert_int_equal(a.nedges, 3);
	for (int i = 0; i < 3; i++) {
		const struct an_edge *e = edge(&a, i, (i + 1) % 3);
		assert_non_null(e);
		assert_int_equal(e->via, (i + 1) % 3);
		assert_true(e->flags & AN_E_DEFINITE);
		assert_true(e->flags & AN_E_IN_CYCLE);
		assert_true(e->flags & AN_E_HOLDER);
		assert_string_equal(e->label, "held by");
	}
	assert_true(a.cycle_definite);
	assert_int_equal(a.cycle_kind, AN_CYCLE_DEADLOCK);
	assert_int_equal(a.stuck, 3);
	/* nodes: three workers then three objects, each by id */
	assert_int_equal(a.nnodes, 6);
	assert_int_equal(a.nodes[0].is_object, 0);
	assert_int_equal(a.nodes[3].is_object, 1);
	assert_int_equal(a.nodes[5].id, 2);
	char buf[128];
	assert_string_equal(analysis_edge_text(&m, edge(&a, 0, 1), buf, sizeof buf),
	                    "T0 waits for L1, held by T1");
	assert_string_equal(analysis_cycle_text(&m, &a, buf, sizeof buf),
	                    "T0 \xe2\x86\x92 L1 \xe2\x86\x92 T1 \xe2\x86\x92 L2 \xe2\x86\x92 T2 \xe2\x86\x92 L0 \xe2\x86\x92 T0");
	model_free(&m);
}

static void self_cycle_is_named(void **state)
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
	assert_true(a.cycle_definite);
	assert_int_equal(a.cycle[0].id, 0);
	assert_int_equal(a.cycle[1].is_object, 1);
	assert_true(a.coffman[AN_COND_CIRCULAR_WAIT].holds);
	/* it holds only what it waits for: no hold-and-wait on another thing */
	assert_false(a.coffman[AN_COND_HOLD_AND_WAIT].holds);
	model_free(&m);
}

/* T0 holds lock L and waits for a unit of semaphore S; T1 holds S's only
 * unit and waits for L. Anyone may post a semaphore, so the edge to T1 is
 * only possible; but nobody else is alive, so the circle is certain. */
static void lock_and_semaphore_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 2);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "S", LS_OBJ_SEM, 1, 1, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 1, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_false(a.cycle_definite);
	const struct an_edge *e = edge(&a, 0, 1);
	assert_non_null(e);
	assert_int_equal(e->via, 1);
	assert_string_equal(e->label, "unit held by");
	assert_true(e->flags & AN_E_HOLDER);
	assert_false(e->flags & AN_E_DEFINITE);
	for (int c = 0; c < AN_NCOND; c++)
		assert_true(a.coffman[c].holds);
	model_free(&m);
}

/* T0 holds L and waits to get from an empty queue Q that only T1 has ever
 * put into; T1 waits for L. Both are stuck for certain, in a circle; but
 * T1 holds nothing T0 needs, it only put into Q before: a stall, not a
 * deadlock over resources. */
static void lock_and_queue_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 2);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "Q", LS_OBJ_QUEUE, 0, 4, -1);
	ev(&m, LS_EV_DONE, 1, 1, LS_OP_PUT, 5, 0, 0);
	ev(&m, LS_EV_DONE, 0, 1, LS_OP_GET, 5, 0, 0);
	assert_int_equal(model_roles(&m, 1, 1), LS_ROLE_GIVER);
	assert_int_equal(model_roles(&m, 1, 0), LS_ROLE_TAKER);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_true(a.stalled);
	assert_int_equal(a.stuck, 2);
	assert_int_equal(a.cycle_kind, AN_CYCLE_STALL);
	assert_false(analysis_in_cycle(&a, 0, 0));
	assert_int_equal(a.ncycle, 4);
	assert_int_equal(a.cycle[1].id, 1); /* via Q */
	const struct an_edge *e = edge(&a, 0, 1);
	assert_string_equal(e->label, "filled by");
	assert_false(e->flags & AN_E_DEFINITE); /* anyone may put */
	assert_false(e->flags & AN_E_HOLDER);
	/* mutual exclusion: the lock T1 waits for, held by T0 */
	assert_true(a.coffman[AN_COND_MUTUAL_EXCLUSION].holds);
	assert_int_equal(a.coffman[AN_COND_MUTUAL_EXCLUSION].object, 0);
	assert_int_equal(a.coffman[AN_COND_MUTUAL_EXCLUSION].worker, 0);
	model_free(&m);
}

/* Semaphore S was posted by T1 and T2 before; both now wait for L, held by
 * T0, who waits for S. Either could release T0, but both are stuck: all
 * three are stuck for certain, but T1 and T2 hold no unit of S: a stall. */
static void or_deadlock_through_possible_edges(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 3);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "S", LS_OBJ_SEM, 0, 0, -1);
	ev(&m, LS_EV_RELEASED, 1, 1, LS_OP_SEM_POST, 1, 0, 0);
	ev(&m, LS_EV_RELEASED, 2, 1, LS_OP_SEM_POST, 2, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 1, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 1, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_RELEASED, 0, 1, LS_OP_SEM_POST, 1, 0, 0); /* hold one unit back */
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 1, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_SEM_WAIT, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_true(a.stalled);
	assert_int_equal(a.cycle_kind, AN_CYCLE_STALL);
	const struct an_edge *e = edge(&a, 0, 1);
	assert_non_null(e);
	assert_false(e->flags & AN_E_DEFINITE);
	assert_int_equal(a.stuck, 3);
	model_free(&m);
}

/* The same, but T2 is still running: it could post S, so no deadlock yet,
 * only a circle someone outside can open. */
static void open_cycle_is_no_deadlock(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 3);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "S", LS_OBJ_SEM, 0, 0, -1);
	ev(&m, LS_EV_RELEASED, 1, 1, LS_OP_SEM_POST, 1, 0, 0);
	ev(&m, LS_EV_RELEASED, 2, 1, LS_OP_SEM_POST, 2, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 1, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 1, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_WANT, 2, -1, LS_OP_WORK, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_SEM_WAIT, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_false(a.stalled);
	assert_int_equal(a.cycle_kind, AN_CYCLE_OPEN);
	assert_true(a.coffman[AN_COND_CIRCULAR_WAIT].holds);
	assert_int_equal(a.stuck, 0);
	model_free(&m);
}

/* ABBA where T1 asked for its second lock with a timeout: a circle, but the
 * timeout breaks it. No deadlock, no stall, no preemption does not hold. */
static void timed_wait_in_cycle_is_no_deadlock(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	ring(&m, 2);
	ev(&m, LS_EV_WANT, 1, 0, LS_OP_LOCK, 100, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 100000000, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_false(a.stalled);
	assert_int_equal(a.timed, 1);
	assert_int_equal(a.cycle_kind, AN_CYCLE_TIMED);
	assert_int_equal(a.ncycle, 4);
	const struct an_edge *e = edge(&a, 1, 0);
	assert_true(e->flags & AN_E_TIMED);
	assert_false(e->flags & AN_E_DEFINITE);
	assert_true(a.coffman[AN_COND_CIRCULAR_WAIT].holds);
	assert_true(a.coffman[AN_COND_HOLD_AND_WAIT].holds);
	/* T0 waits without a timeout while it holds L0: it never lets go */
	assert_true(a.coffman[AN_COND_NO_PREEMPTION].holds);
	assert_int_equal(a.coffman[AN_COND_NO_PREEMPTION].worker, 0);
	/* both wait with a timeout: nothing holds on for ever */
	ev(&m, LS_EV_WANT, 0, 1, LS_OP_LOCK, 100, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_LOCK, 1, 100000000, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_false(a.coffman[AN_COND_NO_PREEMPTION].holds);
	assert_int_equal(a.coffman[AN_COND_NO_PREEMPTION].worker, 0);
	char buf[512];
	assert_non_null(strstr(analysis_narrate(&m, &a, buf, sizeof buf), "times out"));
	/* the clock reaches the deadline: T0 can move */
	ev(&m, LS_EV_CLOCK, -1, -1, 100000000, 0, 0, 0);
	analysis_run(&m, &a);
	assert_int_equal(a.cycle_kind, AN_CYCLE_NONE);
	assert_int_equal(a.eligible, 2);
	model_free(&m);
}

/* A timed waiter outside the circle that could release someone in it keeps
 * the circle open: no false positive. */
static void timed_releaser_keeps_it_open(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 3);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "Q", LS_OBJ_QUEUE, 0, 4, -1);
	object(&m, 2, "M", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_DONE, 1, 1, LS_OP_PUT, 1, 0, 0);
	ev(&m, LS_EV_DONE, 2, 1, LS_OP_PUT, 2, 0, 0);
	ev(&m, LS_EV_DONE, 0, 1, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_DONE, 0, 1, LS_OP_GET, 2, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 2, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 2, LS_OP_LOCK, 1, 50000000, 0); /* timed */
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_false(a.stalled);
	assert_int_equal(a.cycle_kind, AN_CYCLE_OPEN);
	model_free(&m);
}

/* Two threads each wait for a message only the other would send, holding
 * nothing. The circle is there, but mutual exclusion and hold-and-wait are
 * not: Coffman's conditions are about resources, and lockstep calls this a
 * stall (both stuck for certain), not a deadlock. */
static void communication_deadlock(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "A", LS_WK_THREAD);
	worker(&m, 1, "B", LS_WK_THREAD);
	object(&m, 0, "QA", LS_OBJ_QUEUE, 0, 1, -1);
	object(&m, 1, "QB", LS_OBJ_QUEUE, 0, 1, -1);
	ev(&m, LS_EV_DONE, 1, 0, LS_OP_PUT, 1, 0, 0);
	ev(&m, LS_EV_DONE, 0, 0, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_DONE, 0, 1, LS_OP_PUT, 1, 0, 0);
	ev(&m, LS_EV_DONE, 1, 1, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_GET, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_true(a.stalled);
	assert_int_equal(a.stuck, 2);
	assert_false(a.coffman[AN_COND_MUTUAL_EXCLUSION].holds);
	assert_false(a.coffman[AN_COND_HOLD_AND_WAIT].holds);
	assert_false(a.coffman[AN_COND_NO_PREEMPTION].holds);
	assert_true(a.coffman[AN_COND_CIRCULAR_WAIT].holds);
	model_free(&m);
}

/* A condition waiter points to those that have notified it; once notified
 * it waits for the mutex like any locker. */
static void condition_waits(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "W", LS_WK_THREAD);
	worker(&m, 1, "N", LS_WK_THREAD);
	object(&m, 0, "M", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "C", LS_OBJ_COND, 0, 0, 0);
	ev(&m, LS_EV_NOTIFY, 1, 1, LS_OP_COND_SIGNAL, -1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_COND_WAIT, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_WANT, 1, 1, LS_OP_COND_SIGNAL, 0, 0, 0);
	analysis_run(&m, &a);
	const struct an_edge *e = edge(&a, 0, 1);
	assert_non_null(e);
	assert_string_equal(e->label, "notified by");
	assert_false(a.deadlock);
	ev(&m, LS_EV_NOTIFY, 1, 1, LS_OP_COND_SIGNAL, 0, 0, 0);
	analysis_run(&m, &a);
	e = edge(&a, 0, 1);
	assert_non_null(e);
	assert_int_equal(e->via, 0); /* now the mutex, held by N */
	assert_string_equal(e->label, "held by");
	model_free(&m);
}

/* condition --param variant=notify: main notified once, then joins W, who
 * waits on the condition. Nobody can move again, but the edge "notified by
 * main" is only history (any worker taking the lock could notify): the
 * circle is not certain, so it is a stall (a lost wake-up), not a claimed
 * deadlock. */
static void lost_wakeup_is_a_stall(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "W", LS_WK_THREAD);
	object(&m, 0, "M", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "C", LS_OBJ_COND, 0, 0, 0);
	ev(&m, LS_EV_NOTIFY, 0, 1, LS_OP_COND_SIGNAL, -1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_COND_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1);
	analysis_run(&m, &a);
	const struct an_edge *e = edge(&a, 1, 0);
	assert_non_null(e);
	assert_string_equal(e->label, "notified by");
	assert_false(e->flags & AN_E_DEFINITE);
	assert_true(a.stalled);
	assert_false(a.deadlock);
	char buf[1024];
	assert_non_null(strstr(analysis_narrate(&m, &a, buf, sizeof buf), "Stall"));
	model_free(&m);
}

/* A pipe's reader waits for whoever holds a write end; the main process
 * holds one and joins the reader: a certain circle (pipe close_unused=no). */
static void held_write_end_closes_the_circle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_PROCESS);
	worker(&m, 1, "A", LS_WK_PROCESS);
	worker(&m, 2, "B", LS_WK_PROCESS);
	object(&m, 0, "P", LS_OBJ_PIPE, 0, 0, -1);
	ev(&m, LS_EV_ENDS, 0, 0, LS_END_READ | LS_END_WRITE, 0, 0, 0);
	ev(&m, LS_EV_ENDS, 1, 0, LS_END_READ | LS_END_WRITE, 0, 0, 0);
	ev(&m, LS_EV_ENDS, 2, 0, LS_END_WRITE, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_READ, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, -1, LS_OP_JOIN, 1, 0, 1);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_true(analysis_in_cycle(&a, 0, 0));
	assert_true(analysis_in_cycle(&a, 1, 0));
	model_free(&m);
}

/* A wait nobody alive could release: a queue nobody ever filled. Stuck, but
 * no circle. A lock whose owner has ended is not such a wait: the lock is
 * robust, so the next taker wins it (EOWNERDEAD) and may retry. */
static void orphaned_waits(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "C", LS_WK_THREAD);
	worker(&m, 1, "T", LS_WK_THREAD);
	worker(&m, 2, "gone", LS_WK_THREAD);
	object(&m, 0, "Q", LS_OBJ_QUEUE, 0, 2, -1);
	object(&m, 1, "L", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 2, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_EXIT, 2, -1, 0, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_true(model_eligible(&m, 1)); /* the dead owner's lock */
	assert_false(a.stalled);
	assert_int_equal(a.nedges, 1);
	assert_int_equal(a.edges[0].to, -1);
	/* T is alive and may still put into Q: not an orphan, not stuck */
	assert_false(a.wflags[0] & AN_N_ORPHAN);
	assert_false(a.wflags[0] & AN_N_STUCK);
	assert_string_equal(a.edges[0].label, "nobody else has put into it yet");
	/* once T has taken it and left, C alone is stuck for good */
	ev(&m, LS_EV_ACQUIRED, 1, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_EXIT, 1, -1, 0, 0, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.stalled);
	assert_true(a.wflags[0] & AN_N_ORPHAN);
	assert_true(a.wflags[0] & AN_N_STUCK);
	/* in a queue's words: nobody put into it is left, not "released" */
	assert_string_equal(a.edges[0].label, "nobody else is alive");
	char buf[512];
	assert_non_null(strstr(analysis_narrate(&m, &a, buf, sizeof buf), "Stall"));
	assert_non_null(strstr(buf, "C waits for Q: nobody else is alive"));
	model_free(&m);
}

/* A circle of possible waits with a timeout in it is not "formed": main
 * waits (timed) for a result that T1 or T2 may put, T2 waits for a task
 * only main has put so far. T1 is still running and may put a result: the
 * circle main -> R -> T2 -> Q -> main is only possible, timeout or not. A
 * circle certain but for its timeout (main holds A and joins T1, T1 waits
 * for A with a timeout) is TIMED. */
static void timed_circle_needs_sure_edges(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	char buf[1024];
	threads(&m, 3);
	object(&m, 0, "Q", LS_OBJ_QUEUE, 0, 0, -1);
	object(&m, 1, "R", LS_OBJ_QUEUE, 0, 0, -1);
	/* T0 gives each of T1 and T2 a task, each puts its result back */
	FOLD(&m, {LS_EV_DONE, 0, 0, LS_OP_PUT, 1, 0, 0}, {LS_EV_DONE, 1, 0, LS_OP_GET, 1, 0, 0},
	     {LS_EV_DONE, 1, 1, LS_OP_PUT, 10, 0, 0}, {LS_EV_DONE, 0, 1, LS_OP_GET, 10, 0, 0},
	     {LS_EV_DONE, 0, 0, LS_OP_PUT, 2, 0, 0}, {LS_EV_DONE, 2, 0, LS_OP_GET, 2, 0, 0},
	     {LS_EV_DONE, 2, 1, LS_OP_PUT, 20, 0, 0}, {LS_EV_DONE, 0, 1, LS_OP_GET, 20, 0, 0},
	     {LS_EV_BLOCKED, 0, 1, LS_OP_GET, 1, 500000000, 0}, {LS_EV_BLOCKED, 2, 0, LS_OP_GET, 1, 0, 0});
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_int_equal(a.cycle_kind, AN_CYCLE_OPEN);
	assert_string_equal(analysis_narrate(&m, &a, buf, sizeof buf), "");
	model_free(&m);

	threads(&m, 2);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	FOLD(&m, {LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0}, {LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1},
	     {LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 500000000, 0});
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_int_equal(a.cycle_kind, AN_CYCLE_TIMED);
	assert_non_null(strstr(analysis_narrate(&m, &a, buf, sizeof buf), "A circle of waits formed"));
	model_free(&m);
}

/* A worker joining one in the circle is stuck behind it, not part of it. */
static void stuck_behind_the_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "T1", LS_WK_THREAD);
	worker(&m, 2, "T2", LS_WK_THREAD);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "B", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 2, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_int_equal(a.ncycle, 4);
	assert_int_equal(a.cycle[0].id, 1); /* T1, B, T2, A: from the lowest id in it */
	assert_int_equal(a.cycle[1].id, 1);
	assert_int_equal(a.cycle[2].id, 2);
	assert_int_equal(a.cycle[3].id, 0);
	assert_false(a.wflags[0] & AN_N_IN_CYCLE);
	assert_true(a.wflags[0] & AN_N_STUCK);
	assert_int_equal(a.stuck, 3);
	const struct an_edge *e = edge(&a, 0, 1);
	assert_int_equal(e->via, -1);
	assert_false(e->flags & AN_E_IN_CYCLE);
	/* Coffman witnesses come from the circle */
	assert_int_equal(a.coffman[AN_COND_HOLD_AND_WAIT].worker, 1);
	assert_int_equal(a.coffman[AN_COND_HOLD_AND_WAIT].object, 0);
	assert_int_equal(a.coffman[AN_COND_HOLD_AND_WAIT].object2, 1);
	assert_int_equal(a.coffman[AN_COND_MUTUAL_EXCLUSION].object, 1);
	assert_int_equal(a.coffman[AN_COND_MUTUAL_EXCLUSION].worker, 2);
	assert_int_equal(a.coffman[AN_COND_CIRCULAR_WAIT].worker, 1);
	char buf[2048];
	analysis_narrate(&m, &a, buf, sizeof buf);
	assert_non_null(strstr(buf, "Deadlock: T1 waits for B, held by T2; T2 waits for A, held by T1"));
	assert_non_null(strstr(buf, "All four Coffman conditions hold"));
	assert_non_null(strstr(buf, "deadlock-ordered"));
	assert_string_equal(analysis_cond_key(AN_COND_NO_PREEMPTION), "no_preemption");
	model_free(&m);
}

/* Processes are named with their pids. */
static void processes_named_with_pids(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "P1", LS_WK_PROCESS);
	worker(&m, 1, "P2", LS_WK_PROCESS);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "B", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	char buf[256];
	assert_string_equal(analysis_cycle_text(&m, &a, buf, sizeof buf),
	                    "P1 (pid 100) \xe2\x86\x92 B \xe2\x86\x92 P2 (pid 101) \xe2\x86\x92 A \xe2\x86\x92 P1 (pid 100)");
	model_free(&m);
}

/* Consumers take units of a semaphore that counts items and never post it:
 * holding those units makes them no releaser. With the producer gone, two
 * consumers waiting for items are a stall, not a circle between them. */
static void consumers_are_not_holders(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "P", LS_WK_THREAD);
	worker(&m, 1, "C1", LS_WK_THREAD);
	worker(&m, 2, "C2", LS_WK_THREAD);
	object(&m, 0, "items", LS_OBJ_SEM, 0, 0, -1);
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_SEM_POST, 1, 0, 0);
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_SEM_POST, 2, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 2, 0, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	analysis_run(&m, &a);
	/* the producer is alive: each consumer waits for it */
	assert_non_null(edge(&a, 1, 0));
	assert_null(edge(&a, 1, 2));
	assert_string_equal(edge(&a, 1, 0)->label, "posted by");
	ev(&m, LS_EV_EXIT, 0, -1, 0, 0, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_true(a.stalled);
	assert_int_equal(a.edges[0].to, -1);
	model_free(&m);
}

/* More possible releasers than the graph keeps. A semaphore's waiter is
 * stuck only when every other live worker is, whoever they are, so the edges
 * left out change nothing: here all 81 are stuck for certain (a stall: the
 * posters hold no unit of S). */
static void too_many_releasers_still_certain(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	const int n = 80;
	model_init(&m);
	worker(&m, 0, "T0", LS_WK_THREAD);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "S", LS_OBJ_SEM, 0, 0, -1);
	for (int i = 1; i <= n; i++) {
		char name[16];
		snprintf(name, sizeof name, "P%d", i);
		worker(&m, i, name, LS_WK_THREAD);
		ev(&m, LS_EV_RELEASED, i, 1, LS_OP_SEM_POST, i, 0, 0);
	}
	for (int i = 1; i <= n; i++)
		ev(&m, LS_EV_ACQUIRED, 0, 1, LS_OP_SEM_WAIT, n - i, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	for (int i = 1; i <= n; i++)
		ev(&m, LS_EV_BLOCKED, i, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_SEM_WAIT, 1, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.wflags[0] & AN_N_PARTIAL);
	assert_false(a.deadlock);
	assert_true(a.stalled);
	assert_int_equal(a.stuck, n + 1);
	assert_int_equal(a.live, n + 1);
	/* one poster is still free to run: nobody is stuck */
	ev(&m, LS_EV_WANT, n, -1, LS_OP_WORK, 0, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_int_equal(a.stuck, 0);
	model_free(&m);
}

/* The condition scene, seed 1: odd waits on the condition; only odd has
 * notified it so far, and even (notified, its mutex free) is about to run.
 * A waiter is never its own releaser, and a live worker that has not yet
 * notified still may: no deadlock, nobody stuck. */
static void self_is_never_a_releaser(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "odd", LS_WK_THREAD);
	worker(&m, 2, "even", LS_WK_THREAD);
	object(&m, 0, "lock", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "cond", LS_OBJ_COND, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, -1, LS_OP_JOIN, 1, 0, 1);
	ev(&m, LS_EV_BLOCKED, 2, 1, LS_OP_COND_WAIT, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_NOTIFY, 1, 1, LS_OP_COND_SIGNAL, 2, 0, 0);
	ev(&m, LS_EV_RELEASED, 1, 0, LS_OP_COND_WAIT, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_COND_WAIT, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_int_equal(a.stuck, 0);
	assert_int_equal(a.cycle_kind, AN_CYCLE_NONE);
	assert_null(edge(&a, 1, 1));
	assert_true(model_eligible(&m, 2));
	assert_int_equal(model_state(&m, 2), LS_WS_RUNNABLE);
	char buf[512];
	assert_string_equal(analysis_narrate(&m, &a, buf, sizeof buf), "");
	model_free(&m);
}

/* Philosophers with a waiter: P3 posted `seats` before and waits for a seat
 * again while P1 eats. P1 has never posted, but it will: an alive worker
 * that is not stuck keeps every semaphore wait open. */
static void poster_to_be_keeps_it_open(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "P1", LS_WK_THREAD);
	worker(&m, 1, "P3", LS_WK_THREAD);
	object(&m, 0, "seats", LS_OBJ_SEM, 1, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_RELEASED, 1, 0, LS_OP_SEM_POST, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_WANT, 0, -1, LS_OP_WORK, 0, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_int_equal(a.stuck, 0);
	assert_false(analysis_in_cycle(&a, 0, 1));
	assert_null(edge(&a, 1, 1)); /* never "P3 waits for seats, posted by P3" */
	assert_non_null(edge(&a, 1, 0)); /* P1 holds the unit */
	model_free(&m);
}

/* A semaphore's waiters queue: behind a woken first-in-line waiter, the
 * second waits for it, not for a free unit with nobody to give it. */
static void second_in_line_waits_for_the_first(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 3);
	object(&m, 0, "S", LS_OBJ_SEM, 1, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_SEM_WAIT, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_SEM_POST, 1, 0, 0);
	ev(&m, LS_EV_EXIT, 0, -1, 0, 0, 0, 0);
	analysis_run(&m, &a);
	assert_true(model_woken(&m, 1));
	assert_false(model_woken(&m, 2));
	assert_false(a.deadlock);
	assert_false(a.stalled);
	assert_int_equal(a.stuck, 0);
	const struct an_edge *e = edge(&a, 2, 1);
	assert_non_null(e);
	assert_string_equal(e->label, "first in line");
	assert_false(a.wflags[2] & AN_N_ORPHAN);
	model_free(&m);
}

/* An open circle (someone outside may still break it) is possible, never an
 * alarm: nobody is marked as in a cycle. */
static void open_cycle_marks_nobody(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 3);
	object(&m, 0, "L", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "Q", LS_OBJ_QUEUE, 0, 2, -1);
	ev(&m, LS_EV_DONE, 1, 1, LS_OP_PUT, 1, 0, 0);
	ev(&m, LS_EV_DONE, 0, 1, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_GET, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_WANT, 2, 1, LS_OP_PUT, 7, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_int_equal(a.cycle_kind, AN_CYCLE_OPEN);
	assert_true(a.ncycle > 0);
	assert_false(analysis_in_cycle(&a, 0, 0));
	assert_false(a.wflags[0] & AN_N_IN_CYCLE);
	for (int k = 0; k < a.nedges; k++)
		assert_false(a.edges[k].flags & AN_E_IN_CYCLE);
	model_free(&m);
}

/* A wait only the user can end (pause() for a signal, the scene key) is
 * never stuck, so a semaphore waiter beside it is not stuck either. */
static void user_waits_keep_others_open(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "W", LS_WK_THREAD);
	worker(&m, 1, "U", LS_WK_THREAD);
	object(&m, 0, "S", LS_OBJ_SEM, 0, 0, -1);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_SEM_WAIT, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, -1, LS_OP_USER_WAIT, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_int_equal(a.stuck, 0);
	assert_false(a.wflags[0] & AN_N_STUCK);
	model_free(&m);
}

/* An unknown wait (a primitive with no rule yet) draws no edge and never
 * makes a false deadlock. */
static void unknown_wait_draws_nothing(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "T", LS_WK_THREAD);
	object(&m, 0, "X", LS_OBJ_ARRAY, 0, 0, -1);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_CUSTOM, 1, 0, 0);
	analysis_run(&m, &a);
	assert_int_equal(a.nedges, 0);
	assert_false(a.deadlock);
	assert_true(a.stalled);
	model_free(&m);
}


/* ---- read-write lock: readers share, a writer waits for every holder ---- */

static const struct an_edge *edge_from(const struct analysis *a, int from, int to)
{
	for (int k = 0; k < a->nedges; k++)
		if (a->edges[k].from == from && a->edges[k].to == to)
			return &a->edges[k];
	return NULL;
}

/* T0 and T1 read RW together; T2's write waits for exactly both */
static void rwlock_writer_waits_for_every_reader(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 3);
	object(&m, 0, "RW", LS_OBJ_RWLOCK, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	assert_int_equal(m.o[0].count, 2);
	assert_int_equal(m.o[0].owner, -1);
	assert_int_equal(model_hold_units(&m.w[0], 0), 1);
	assert_int_equal(model_hold_units(&m.w[1], 0), 1);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_RWLOCK_WR, 1, 0, 0);
	assert_int_equal(model_state(&m, 2), LS_WS_BLOCKED);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_int_equal(a.nedges, 2);
	for (int r = 0; r < 2; r++) {
		const struct an_edge *e = edge_from(&a, 2, r);
		assert_non_null(e);
		assert_int_equal(e->via, 0);
		assert_true(e->flags & AN_E_HOLDER);
		assert_string_equal(e->label, "held by");
	}
	char buf[128];
	assert_int_equal(unit_kind(LS_OBJ_RWLOCK)->say_holders(&m, 0, buf, sizeof buf), 1);
	assert_string_equal(buf, "read by T0, T1");
	/* one reader leaves: still waiting, for the other alone (certain) */
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_UNLOCK, 0, LS_OP_RWLOCK_RD, 0);
	assert_int_equal(m.o[0].count, 1);
	assert_int_equal(model_state(&m, 2), LS_WS_BLOCKED);
	analysis_run(&m, &a);
	assert_int_equal(a.nedges, 1);
	assert_true(edge_from(&a, 2, 1)->flags & AN_E_DEFINITE);
	/* the last reader leaves: the writer may retry, and gets it alone */
	ev(&m, LS_EV_RELEASED, 1, 0, LS_OP_UNLOCK, 0, LS_OP_RWLOCK_RD, 0);
	assert_int_equal(m.o[0].count, 0);
	assert_true(model_woken(&m, 2));
	assert_int_equal(unit_kind(LS_OBJ_RWLOCK)->say_holders(&m, 0, buf, sizeof buf), 0);
	ev(&m, LS_EV_ACQUIRED, 2, 0, LS_OP_RWLOCK_WR, 1, 0, 0);
	assert_int_equal(m.o[0].owner, 2);
	unit_kind(LS_OBJ_RWLOCK)->say_holders(&m, 0, buf, sizeof buf);
	assert_string_equal(buf, "held for writing by T2");
	ev(&m, LS_EV_RELEASED, 2, 0, LS_OP_UNLOCK, 0, LS_OP_RWLOCK_WR, 0);
	assert_int_equal(m.o[0].owner, -1);
	assert_int_equal(m.w[2].nholds, 0);
	assert_int_equal(m.anomalies, 0);
	model_free(&m);
}

/* A reader waits for the writer, for certain; glibc's default prefers
 * readers, so a reader may join other readers even while a writer waits */
static void rwlock_reader_waits_for_the_writer(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 3);
	object(&m, 0, "RW", LS_OBJ_RWLOCK, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_RWLOCK_WR, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	assert_false(model_woken(&m, 1));
	analysis_run(&m, &a);
	assert_int_equal(a.nedges, 1);
	const struct an_edge *e = edge_from(&a, 1, 0);
	assert_non_null(e);
	assert_true(e->flags & AN_E_DEFINITE);
	assert_string_equal(e->label, "written by");
	ev(&m, LS_EV_RELEASED, 0, 0, LS_OP_UNLOCK, 0, LS_OP_RWLOCK_WR, 0);
	assert_true(model_woken(&m, 1));
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	/* T0 now waits to write; T2 reading is let in beside T1 */
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_RWLOCK_WR, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	assert_true(model_woken(&m, 2));
	assert_false(model_woken(&m, 0));
	model_free(&m);
}

/* T0 reads A and wants to write B; T1 reads B and wants to write A */
static void rwlock_read_then_write_cycle(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 2);
	object(&m, 0, "A", LS_OBJ_RWLOCK, 0, 0, -1);
	object(&m, 1, "B", LS_OBJ_RWLOCK, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 1, LS_OP_RWLOCK_RD, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_RWLOCK_WR, 1, 0, 0);
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_RWLOCK_WR, 1, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_int_equal(a.ncycle, 4);
	assert_true(analysis_in_cycle(&a, 1, 0));
	assert_true(analysis_in_cycle(&a, 1, 1));
	model_free(&m);
}

/* A reader asking to write the lock it reads waits for itself */
static void rwlock_upgrade_is_a_cycle_of_one(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 2);
	object(&m, 0, "RW", LS_OBJ_RWLOCK, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 0, LS_OP_RWLOCK_WR, 1, 0, 0);
	analysis_run(&m, &a);
	assert_true(a.deadlock);
	assert_int_equal(a.ncycle, 2);
	model_free(&m);
}

/* two readers and a writer waiting: nobody is stuck while a reader runs */
static void rwlock_readers_sharing_is_no_deadlock(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	threads(&m, 3);
	object(&m, 0, "A", LS_OBJ_RWLOCK, 0, 0, -1);
	object(&m, 1, "B", LS_OBJ_RWLOCK, 0, 0, -1);
	/* T0 reads A and B, T1 reads A; T2 waits to write A, then B */
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 1, LS_OP_RWLOCK_RD, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_RWLOCK_RD, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 2, 0, LS_OP_RWLOCK_WR, 1, 0, 0);
	/* T1 reading A also wants B to read: a reader is never shut out by readers */
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_RWLOCK_RD, 1, 0, 0);
	assert_true(model_woken(&m, 1));
	analysis_run(&m, &a);
	assert_false(a.deadlock);
	assert_false(a.stalled);
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
		cmocka_unit_test(daemons_alone_are_no_stall),
		cmocka_unit_test(join_edges_count),
		cmocka_unit_test(finished_workers_are_not_stalled),
		cmocka_unit_test(ring_edges_are_definite),
		cmocka_unit_test(self_cycle_is_named),
		cmocka_unit_test(lock_and_semaphore_cycle),
		cmocka_unit_test(lock_and_queue_cycle),
		cmocka_unit_test(or_deadlock_through_possible_edges),
		cmocka_unit_test(open_cycle_is_no_deadlock),
		cmocka_unit_test(timed_wait_in_cycle_is_no_deadlock),
		cmocka_unit_test(timed_releaser_keeps_it_open),
		cmocka_unit_test(communication_deadlock),
		cmocka_unit_test(condition_waits),
		cmocka_unit_test(lost_wakeup_is_a_stall),
		cmocka_unit_test(held_write_end_closes_the_circle),
		cmocka_unit_test(orphaned_waits),
		cmocka_unit_test(timed_circle_needs_sure_edges),
		cmocka_unit_test(stuck_behind_the_cycle),
		cmocka_unit_test(processes_named_with_pids),
		cmocka_unit_test(unknown_wait_draws_nothing),
		cmocka_unit_test(consumers_are_not_holders),
		cmocka_unit_test(too_many_releasers_still_certain),
		cmocka_unit_test(self_is_never_a_releaser),
		cmocka_unit_test(poster_to_be_keeps_it_open),
		cmocka_unit_test(second_in_line_waits_for_the_first),
		cmocka_unit_test(open_cycle_marks_nobody),
		cmocka_unit_test(user_waits_keep_others_open),
		cmocka_unit_test(rwlock_writer_waits_for_every_reader),
		cmocka_unit_test(rwlock_reader_waits_for_the_writer),
		cmocka_unit_test(rwlock_read_then_write_cycle),
		cmocka_unit_test(rwlock_upgrade_is_a_cycle_of_one),
		cmocka_unit_test(rwlock_readers_sharing_is_no_deadlock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
