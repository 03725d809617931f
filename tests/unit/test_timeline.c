/* timeline: a strip per worker keeps one span per change of state, not
 * per column; lookups by column give the state and the marks there, with
 * or without a hint; steps map to their columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fold.h"
#include "timeline.h"

static void spans_are_run_lengths(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "T1", LS_WK_THREAD);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, 0);
	struct timeline t;
	timeline_init(&t);
	for (int i = 0; i < 1000; i++) /* nothing changes: one span each */
		timeline_close_column(&t, &m);
	assert_int_equal(timeline_spans(&t, 0), 1);
	assert_int_equal(timeline_spans(&t, 1), 1);
	assert_int_equal(t.now, 1000);
	/* T1 blocks on A held by main: a new span from column 1000 */
	ev(&m, LS_EV_WANT, 0, 0, LS_OP_LOCK, 0, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 0, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_WANT, 1, 0, LS_OP_LOCK, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	timeline_mark(&t, 1, TL_SIGNAL);
	timeline_mark(&t, 1, TL_DEADLOCK); /* two marks in one column */
	timeline_close_column(&t, &m);
	assert_int_equal(timeline_spans(&t, 1), 2);
	assert_int_equal(timeline_state_at(&t, 1, 999, NULL), LS_WS_RUNNABLE);
	assert_int_equal(timeline_state_at(&t, 1, 1000, NULL), LS_WS_BLOCKED);
	assert_int_equal(timeline_state_at(&t, 1, 5000, NULL), LS_WS_BLOCKED);
	assert_int_equal(timeline_marks_at(&t, 1, 1000, NULL), TL_SIGNAL | TL_DEADLOCK);
	assert_int_equal(timeline_marks_at(&t, 1, 999, NULL), 0);
	assert_int_equal(timeline_marks_at(&t, 0, 1000, NULL), 0);
	/* a worker never seen, a column before anything */
	assert_int_equal(timeline_state_at(&t, 7, 3, NULL), 0xff);
	/* walking with a hint gives what lookups without one give */
	size_t sh = 0, mh = 0;
	for (uint32_t at = 990; at < 1005; at++) {
		assert_int_equal(timeline_state_at(&t, 1, at, &sh), timeline_state_at(&t, 1, at, NULL));
		assert_int_equal(timeline_marks_at(&t, 1, at, &mh), timeline_marks_at(&t, 1, at, NULL));
	}
	timeline_free(&t);
	model_free(&m);
}

static void steps_have_columns(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	struct timeline t;
	timeline_init(&t);
	timeline_note_step(&t, 0);
	timeline_close_column(&t, &m);
	for (int i = 0; i < 5; i++) /* a free run between: five columns */
		timeline_close_column(&t, &m);
	timeline_note_step(&t, 1);
	timeline_close_column(&t, &m);
	assert_int_equal(timeline_column_of_step(&t, 0), 0);
	assert_int_equal(timeline_column_of_step(&t, 1), 6);
	assert_int_equal(timeline_column_of_step(&t, 9), t.now);
	timeline_free(&t);
	model_free(&m);
}

/* The wall time axis: each column keeps its time, and a time finds the
 * last column closed by then. */
static void columns_have_times(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	struct timeline t;
	timeline_init(&t);
	assert_int_equal(timeline_column_by_time(&t, 5), -1);
	assert_int_equal(timeline_time_cells(&t, 100), 0); /* no record yet */
	timeline_note_time(&t, 1000);
	timeline_close_column(&t, &m); /* column 0 at 1000 */
	timeline_note_time(&t, 1500);
	timeline_note_time(&t, 1400); /* a little out of order: time never goes back */
	timeline_close_column(&t, &m); /* column 1 at 1500 */
	timeline_close_column(&t, &m); /* column 2 at 1500: nothing happened between */
	timeline_note_time(&t, 4000);
	timeline_close_column(&t, &m); /* column 3 at 4000 */
	timeline_note_time(&t, 4250);  /* column 4 is being made */
	assert_int_equal(timeline_column_by_time(&t, 999), -1);
	assert_int_equal(timeline_column_by_time(&t, 1000), 0);
	assert_int_equal(timeline_column_by_time(&t, 1499), 0);
	assert_int_equal(timeline_column_by_time(&t, 1500), 2);
	assert_int_equal(timeline_column_by_time(&t, 3999), 2);
	assert_int_equal(timeline_column_by_time(&t, 1u << 30), 3);
	assert_int_equal(timeline_column_time(&t, 1), 1500);
	assert_int_equal(timeline_column_time(&t, 3), 4000);
	assert_int_equal(timeline_column_time(&t, 4), 4250); /* the column being made: the latest */
	assert_int_equal(timeline_time_cells(&t, 100), 32); /* 1000 .. 4250 */
	timeline_free(&t);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spans_are_run_lengths),
		cmocka_unit_test(steps_have_columns),
		cmocka_unit_test(columns_have_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
