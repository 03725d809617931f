/* The kernel's column beside the model's state (kernel_verdict): a task
 * that has ended has no kernel state, whatever was read before; a reading
 * older than the worker's last change is stale, not shown as now; a task on
 * its way into a wait is not yet a disagreement; a real one is named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fold.h"
#include "kernel.h"

/* A reading of every worker as the model has it now, each showing `letter`. */
static void reading(struct kview *kv, const struct model *m, char letter)
{
	free(kv->w);
	kv->n = kv->cap = m->nw;
	kv->w = calloc((size_t)m->nw, sizeof *kv->w);
	assert_non_null(kv->w);
	for (int i = 0; i < m->nw; i++) {
		kv->w[i].state = letter;
		kv->w[i].read = 1;
		kv->w[i].mstate = m->w[i].state;
		kv->w[i].mgate = m->w[i].gate;
	}
	kv->taken_ns = 1;
}

static void setup(struct model *m)
{
	model_init(m);
	worker(m, 0, "main", LS_WK_THREAD);
	worker(m, 1, "P", LS_WK_PROCESS);
	ev(m, LS_EV_BLOCKED, 1, -1, LS_OP_PAUSE, 1, 0, 0); /* parked in pause() */
}

static void a_parked_worker_sleeps(void **state)
{
	(void)state;
	struct model m;
	struct kview kv;
	kview_init(&kv);
	setup(&m);
	reading(&kv, &m, 'S');
	assert_int_equal(kernel_verdict(&m, &kv, 1), KV_AGREES);
	reading(&kv, &m, 'R'); /* announced the wait, not yet in it */
	assert_int_equal(kernel_verdict(&m, &kv, 1), KV_ON_ITS_WAY);
	kview_free(&kv);
	model_free(&m);
}

static void a_contradiction_is_named(void **state)
{
	(void)state;
	struct model m;
	struct kview kv;
	kview_init(&kv);
	setup(&m);
	reading(&kv, &m, 'T'); /* stopped: lockstep never lets that happen */
	assert_int_equal(kernel_verdict(&m, &kv, 1), KV_DISAGREES);
	char buf[256];
	const char *why = kernel_disagreement(&m, &kv, 1, buf, sizeof buf);
	assert_non_null(strstr(why, "P"));
	assert_non_null(strstr(why, "stopped"));
	assert_string_equal(kernel_verdict_key(KV_DISAGREES), "disagrees");
	reading(&kv, &m, 0); /* parked, yet /proc has no such task */
	assert_int_equal(kernel_verdict(&m, &kv, 1), KV_DISAGREES);
	assert_non_null(strstr(kernel_disagreement(&m, &kv, 1, buf, sizeof buf), "no such task"));
	kview_free(&kv);
	model_free(&m);
}

static void a_reading_before_the_last_change_is_stale(void **state)
{
	(void)state;
	struct model m;
	struct kview kv;
	kview_init(&kv);
	setup(&m);
	reading(&kv, &m, 'S');
	ev(&m, LS_EV_EXIT, 1, -1, 0, LS_EXIT_RETURN, 0, 0); /* a zombie now */
	assert_int_equal(kernel_verdict(&m, &kv, 1), KV_STALE);
	reading(&kv, &m, 'Z');
	assert_int_equal(kernel_verdict(&m, &kv, 1), KV_AGREES);
	kview_free(&kv);
	model_free(&m);
}

/* The case seen at the end of signals, pipe, zombie-orphan, shm and crowd:
 * "TERMINATED, reaped" beside a Z, S or R read while it was alive. */
static void an_ended_task_has_no_kernel_state(void **state)
{
	(void)state;
	struct model m;
	struct kview kv;
	kview_init(&kv);
	setup(&m);
	reading(&kv, &m, 'S');
	ev(&m, LS_EV_EXIT, 1, -1, 0, LS_EXIT_RETURN, 0, 0);
	reading(&kv, &m, 'Z');
	ev(&m, LS_EV_REAPED, 1, -1, 0, 0, 0, 0);
	assert_int_equal(kernel_verdict(&m, &kv, 1), KV_GONE);
	ev(&m, LS_EV_EXIT, 0, -1, 0, LS_EXIT_RETURN, 0, 0); /* main's thread returned */
	assert_int_equal(kernel_verdict(&m, &kv, 0), KV_GONE);
	assert_int_equal(kernel_verdict(&m, NULL, 0), KV_GONE); /* never read: gone all the same */
	assert_string_equal(kernel_verdict_key(KV_GONE), "gone");
	kview_free(&kv);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_parked_worker_sleeps),
		cmocka_unit_test(a_contradiction_is_named),
		cmocka_unit_test(a_reading_before_the_last_change_is_stale),
		cmocka_unit_test(an_ended_task_has_no_kernel_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
