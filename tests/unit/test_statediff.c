/* statediff: a state described a line per worker and object, and two
 * descriptions paired by name, so the rows that differ are the ones that
 * changed, whatever order or number of workers each run has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fold.h"
#include "statediff.h"

static void two_workers_one_lock(struct model *m)
{
	model_init(m);
	worker(m, 0, "main", LS_WK_THREAD);
	worker(m, 1, "T1", LS_WK_THREAD);
	object(m, 0, "A", LS_OBJ_MUTEX, 0, 0, 0);
}

static const struct sd_row *row(const struct sd_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if ((size_t)t->rows[i].name_len == strlen(name) &&
		    memcmp(t->rows[i].name, name, strlen(name)) == 0)
			return &t->rows[i];
	return NULL;
}

static void same_state_same_rows(void **state)
{
	(void)state;
	struct model m;
	two_workers_one_lock(&m);
	char *a = statediff_describe(&m), *b = statediff_describe(&m);
	struct sd_table t;
	assert_int_equal(statediff_table(a, b, &t), 0);
	assert_int_equal(t.n, 3); /* main, T1, A */
	assert_int_equal(t.differ, 0);
	assert_int_equal(t.rows[0].kind, 'w');
	assert_int_equal(t.rows[2].kind, 'o');
	statediff_table_free(&t);
	free(a);
	free(b);
	model_free(&m);
}

static void a_lock_taken_differs_on_its_rows(void **state)
{
	(void)state;
	struct model ma, mb;
	two_workers_one_lock(&ma);
	two_workers_one_lock(&mb);
	ev(&mb, LS_EV_WANT, 1, 0, LS_OP_LOCK, 0, 0, 0);
	ev(&mb, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	char *a = statediff_describe(&ma), *b = statediff_describe(&mb);
	struct sd_table t;
	assert_int_equal(statediff_table(a, b, &t), 0);
	assert_int_equal(t.differ, 2);
	assert_true(row(&t, "main")->same);
	const struct sd_row *t1 = row(&t, "T1"), *lock = row(&t, "A");
	assert_false(t1->same);
	assert_non_null(strstr(t1->b, "holds A"));
	assert_null(memmem(t1->a, (size_t)t1->a_len, "holds", 5));
	assert_false(lock->same);
	assert_memory_equal(lock->b, "held by T1", 10);
	statediff_table_free(&t);
	free(a);
	free(b);
	model_free(&ma);
	model_free(&mb);
}

/* A worker only one run has gets its own row; the others stay paired
 * with their own names, not shifted onto the next one's. */
static void a_worker_only_one_run_has(void **state)
{
	(void)state;
	struct model ma, mb;
	two_workers_one_lock(&ma);
	model_init(&mb);
	worker(&mb, 0, "main", LS_WK_THREAD);
	worker(&mb, 1, "T0", LS_WK_THREAD);
	worker(&mb, 2, "T1", LS_WK_THREAD);
	object(&mb, 0, "A", LS_OBJ_MUTEX, 0, 0, 0);
	char *a = statediff_describe(&ma), *b = statediff_describe(&mb);
	struct sd_table t;
	assert_int_equal(statediff_table(a, b, &t), 0);
	assert_int_equal(t.n, 4);
	assert_int_equal(t.differ, 1);
	assert_true(row(&t, "T1")->same);
	assert_true(row(&t, "A")->same);
	const struct sd_row *t0 = row(&t, "T0");
	assert_null(t0->a);
	assert_non_null(t0->b);
	assert_false(t0->same);
	assert_ptr_equal(t0, &t.rows[3]); /* after A's rows */
	statediff_table_free(&t);
	free(a);
	free(b);
	model_free(&ma);
	model_free(&mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_state_same_rows),
		cmocka_unit_test(a_lock_taken_differs_on_its_rows),
		cmocka_unit_test(a_worker_only_one_run_has),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
