/* Unit tests: the table of units (src/unit.h). Each operation and kind is
 * one struct; these check what the model, the analysis and the words rely
 * on across the whole table, so a new primitive that forgets a part fails
 * here, not in a lecture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "describe.h"
#include "fold.h"
#include "unit.h"

static void unknown_numbers_get_the_empty_unit(void **state)
{
	(void)state;
	const int bad[] = {-1, LS_OP_COUNT, 1000};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct unit_op *u = unit_op(bad[i]);
		assert_non_null(u);
		assert_null(u->done);
		assert_null(u->available);
		assert_null(u->say_done);
		assert_null(unit_wait_rule(bad[i], LS_OBJ_MUTEX));
		const struct unit_kind *k = unit_kind(bad[i] == LS_OP_COUNT ? LS_OBJ_COUNT : bad[i]);
		assert_non_null(k);
		assert_null(k->acquired);
	}
	/* every number in event.h has its own unit */
	for (int op = 0; op < LS_OP_COUNT; op++)
		assert_ptr_not_equal(unit_op(op), unit_op(-1));
	for (int k = 0; k < LS_OBJ_COUNT; k++)
		assert_ptr_not_equal(unit_kind(k), unit_kind(-1));
}

/* A rule for the exact kind wins over one for any kind: a read of a pipe
 * is released only by a write end's holder; a read of a FIFO by one, not
 * for certain; a read of a value by anyone who wrote it. */
static void exact_kind_wins(void **state)
{
	(void)state;
	const struct unit_wait *r = unit_wait_rule(LS_OP_READ, LS_OBJ_PIPE);
	assert_non_null(r);
	assert_int_equal(r->who, UNIT_BY_WRITE_ENDS);
	assert_int_equal(r->exact, UNIT_EXACT_PROCESS);
	r = unit_wait_rule(LS_OP_READ, LS_OBJ_FIFO);
	assert_int_equal(r->who, UNIT_BY_WRITE_ENDS);
	assert_int_equal(r->exact, UNIT_ANY);
	r = unit_wait_rule(LS_OP_READ, LS_OBJ_VALUE);
	assert_int_equal(r->kind, -1);
	assert_int_equal(r->who, UNIT_BY_GIVERS);
	/* no rule: a lock op on a semaphore, a sleep, a future's result */
	assert_null(unit_wait_rule(LS_OP_LOCK, LS_OBJ_SEM));
	assert_null(unit_wait_rule(LS_OP_SLEEP, LS_OBJ_MUTEX));
	assert_null(unit_wait_rule(LS_OP_FUTURE_GET, LS_OBJ_FUTURE));
}

/* What the rest of lockstep assumes of every unit. */
static void every_unit_is_whole(void **state)
{
	(void)state;
	for (int op = 0; op < LS_OP_COUNT; op++) {
		const struct unit_op *u = unit_op(op);
		int rules = 0, exclusive = 0;
		for (int k = -1; k < LS_OBJ_COUNT; k++) {
			const struct unit_wait *r = unit_wait_rule(op, k);
			if (!r)
				continue;
			rules++;
			exclusive |= r->exclusive;
			/* the graph's label and the words for nobody yet */
			assert_non_null(r->label);
			assert_non_null(r->none);
			/* released by its holders: workers hold it, so the holds
			 * column, the trace and the Coffman words show it, and a
			 * pane of locks or semaphores draws it */
			if (k >= 0 && (r->who == UNIT_BY_OWNER || r->who == UNIT_BY_HOLDERS ||
			               r->who == UNIT_BY_HOLDERS_GIVERS)) {
				assert_true(unit_kind(k)->holdable);
				assert_true(unit_kind(k)->pane == UNIT_PANE_LOCKS ||
				            unit_kind(k)->pane == UNIT_PANE_SEMS);
			}
		}
		/* a wait the analysis reads must be one the model can end:
		 * only a condition's waiter is moved by a notify alone */
		if (rules && op != LS_OP_COND_WAIT)
			assert_non_null(u->available);
		/* BLOCKED is the state of a wait for a lock: its owner shuts
		 * others out */
		if (u->waits_as == LS_WS_BLOCKED)
			assert_true(exclusive);
		else
			assert_true(u->waits_as == 0 || u->waits_as == LS_WS_TIMED_WAITING);
		for (int t = 0; t < LS_EV_COUNT; t++)
			assert_int_equal(u->role[t] & ~(LS_ROLE_GIVER | LS_ROLE_TAKER), 0);
	}
}

/* The cycle is phrased in one place: the header's arrows and the JSON's
 * are the same line, the JSON naming a process with its pid. */
static void cycle_said_one_way(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	worker(&m, 0, "T0", LS_WK_THREAD);
	worker(&m, 1, "P1", LS_WK_PROCESS);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "B", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 0, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	analysis_run(&m, &a);
	assert_int_equal(a.cycle_kind, AN_CYCLE_DEADLOCK);
	char json[128], header[128], ascii[128];
	analysis_cycle_text(&m, &a, json, sizeof json);
	describe_cycle_arrows(&m, &a, 0, header, sizeof header);
	describe_cycle_arrows(&m, &a, 1, ascii, sizeof ascii);
	assert_string_equal(header, "T0 \xe2\x86\x92 B \xe2\x86\x92 P1 \xe2\x86\x92 A \xe2\x86\x92 T0");
	assert_string_equal(json, "T0 \xe2\x86\x92 B \xe2\x86\x92 P1 (pid 101) \xe2\x86\x92 A "
	                          "\xe2\x86\x92 T0");
	assert_string_equal(ascii, "T0 -> B -> P1 -> A -> T0");
	/* cut short, never past the buffer */
	char small[8];
	describe_cycle_arrows(&m, &a, 1, small, sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_numbers_get_the_empty_unit),
		cmocka_unit_test(exact_kind_wins),
		cmocka_unit_test(every_unit_is_whole),
		cmocka_unit_test(cycle_said_one_way),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
