/* branches: every run the UI leaves behind is kept, numbered in the order
 * runs started, whatever their count; a run with nothing to look back at
 * is not; over the memory limit the oldest go, never the newest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "branches.h"
#include "history.h"

static const struct ls_scene scene = {.abi = LS_SCENE_ABI, .id = "s", .title = "S", .summary = "s"};
static const long params[LS_PARAMS_MAX] = {7};

/* A run of `steps` steps: main declared, then that many GRANTs, each
 * settled (a moment each, as the UI makes them). */
static void run(struct travel *t, struct timeline *tl, int steps)
{
	assert_int_equal(travel_init(t, 0), 0);
	timeline_init(tl);
	struct model m;
	model_init(&m);
	uint32_t seq = 0;
	struct ls_event e;
	event_init(&e, LS_EV_WORKER, seq++, 1000, 0, -1);
	e.u.a[2] = -1;
	model_apply(&m, &e);
	travel_push(t, &e, &m);
	travel_moment(t, 0); /* step 0 settled */
	for (int i = 1; i <= steps; i++) {
		event_init(&e, LS_EV_GRANT, seq, 1000 + seq, 0, -1);
		seq++;
		e.u.a[0] = i;
		model_apply(&m, &e);
		travel_push(t, &e, &m);
		travel_moment(t, 0);
	}
	model_free(&m);
}

static void every_run_is_kept_and_numbered(void **state)
{
	(void)state;
	struct branches b;
	branches_init(&b, 0);
	for (int i = 1; i <= 20; i++) { /* more than the 8 once kept */
		struct travel t;
		struct timeline tl;
		run(&t, &tl, i);
		struct kept_run *k = branches_keep(&b, &t, &tl, &scene, params, i,
		                                   i % 2 ? KEPT_BRANCH : KEPT_RESTART, "stopped");
		assert_non_null(k);
		assert_int_equal(k->number, i);
		assert_int_equal(travel_steps(&k->tr), (uint64_t)i);
		assert_int_equal(k->params[0], 7);
		assert_ptr_equal(k->scene, &scene);
	}
	assert_int_equal(b.n, 20);
	assert_int_equal(b.dropped, 0);
	assert_string_equal(b.k[0].label, "run 1: 1 step, stopped");
	assert_string_equal(b.k[19].label, "run 20: 20 steps, stopped");
	assert_int_equal(b.k[1].why, KEPT_RESTART);
	branches_free(&b);
}

static void nothing_to_look_back_at_is_not_kept(void **state)
{
	(void)state;
	struct branches b;
	branches_init(&b, 0);
	struct travel t;
	struct timeline tl;
	run(&t, &tl, 0); /* started, never stepped */
	assert_null(branches_keep(&b, &t, &tl, &scene, params, 1, KEPT_RESTART, "stopped"));
	assert_int_equal(b.n, 0);
	travel_free(&t); /* still the caller's */
	timeline_free(&tl);
	branches_free(&b);
}

static void over_the_limit_the_oldest_go(void **state)
{
	(void)state;
	struct travel t;
	struct timeline tl;
	struct branches b;
	branches_init(&b, 0);
	run(&t, &tl, 3);
	size_t full = history_bytes(t.h);
	assert_non_null(branches_keep(&b, &t, &tl, &scene, params, 0, KEPT_BRANCH, "stopped"));
	size_t one = branches_bytes(&b); /* kept, a run is its records, not a 1 MiB block */
	assert_true(one < full / 4);
	branches_free(&b);
	branches_init(&b, one * 3 + one / 2); /* room for three */
	for (int i = 1; i <= 5; i++) {
		run(&t, &tl, 3);
		assert_non_null(branches_keep(&b, &t, &tl, &scene, params, i, KEPT_BRANCH, "stopped"));
	}
	assert_int_equal(b.n, 3);
	assert_int_equal(b.dropped, 2);
	assert_int_equal(b.k[0].number, 3);
	assert_int_equal(b.k[2].number, 5);
	assert_true(branches_bytes(&b) <= b.limit);
	/* a run larger than the limit alone is still kept: the newest stays */
	struct branches small;
	branches_init(&small, 1);
	run(&t, &tl, 3);
	assert_non_null(branches_keep(&small, &t, &tl, &scene, params, 6, KEPT_BRANCH, "stopped"));
	assert_int_equal(small.n, 1);
	branches_free(&small);
	branches_free(&b);
}

/* A history at its limit keeps no more: the banner says so, since the
 * header's count of steps goes on past the last one kept. */
static void a_full_history_says_so(void **state)
{
	(void)state;
	struct travel t;
	assert_int_equal(travel_init(&t, 1), 0); /* room for nothing */
	struct model m;
	model_init(&m);
	struct ls_event e;
	event_init(&e, LS_EV_GRANT, 0, 1000, 0, -1);
	travel_push(&t, &e, &m);
	travel_moment(&t, 0);
	char buf[256];
	assert_non_null(strstr(travel_position(&t, buf, sizeof buf), "later moments are not kept"));
	travel_free(&t);
	struct timeline tl;
	run(&t, &tl, 2);
	assert_null(strstr(travel_position(&t, buf, sizeof buf), "not kept"));
	assert_string_equal(buf, "step 2 of 2");
	travel_free(&t);
	timeline_free(&tl);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_run_is_kept_and_numbered),
		cmocka_unit_test(nothing_to_look_back_at_is_not_kept),
		cmocka_unit_test(over_the_limit_the_oldest_go),
		cmocka_unit_test(a_full_history_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
