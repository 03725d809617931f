/* xmap: the explorer's feed read back as the UI reads it (progress, the
 * witness, the result), a map's runs as a tree of choices with the outcomes
 * counted and the distance to the goal from any node, the rows the map
 * shows, and the words said at a preemption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fold.h"
#include "xmap.h"

static void line(struct xfeed *f, const char *s)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", s);
	assert_int_equal(xfeed_line(f, buf), 0);
}

static void progress_and_witness(void **state)
{
	(void)state;
	struct xfeed f;
	xfeed_init(&f);
	line(&f, "progress\t5\t102\t38\t0\t-1\t0");
	assert_int_equal(f.runs, 5);
	assert_int_equal(f.ms, 102);
	assert_int_equal(f.states, 38);
	assert_int_equal(f.found, 0);
	line(&f, "progress\t8\t190\t48\t1\t1\t1");
	assert_int_equal(f.found, 1);
	assert_int_equal(f.cost, 1);
	assert_int_equal(f.done, 0);
	line(&f, "outcome\tfinished\t7");
	line(&f, "outcome\tdeadlock\t1");
	line(&f, "witness\t5\t1\t8\tdeadlock\tmain,T1,T2,T2,T1");
	line(&f, "step\tmain\tjoin\tT1\t\t");
	line(&f, "step\tT2\tlock\tB\tT1\tA");
	line(&f, "summary\tdeadlock: T1 → B → T2 → A → T1");
	line(&f, "result\tfound\t8\t-1\t0");
	assert_string_equal(f.witness, "main,T1,T2,T2,T1");
	assert_int_equal(f.witlen, 5);
	assert_int_equal(f.witcost, 1);
	assert_int_equal(f.witrun, 8);
	assert_int_equal(f.nsteps, 2);
	assert_string_equal(f.steps[0].obj, "T1");
	assert_string_equal(f.steps[0].pre, ""); /* empty fields stay fields */
	assert_string_equal(f.steps[1].pre, "T1");
	assert_string_equal(f.steps[1].held, "A");
	assert_string_equal(f.summary, "deadlock: T1 → B → T2 → A → T1");
	assert_int_equal(f.noutcomes, 2);
	assert_string_equal(f.outcome_name[1], "deadlock");
	assert_int_equal(f.done, 1);
	assert_int_equal(f.complete, 0);
	assert_string_equal(f.result, "found");
	assert_int_equal(f.bad, 0);
	xfeed_free(&f);
}

static void bad_lines_are_counted(void **state)
{
	(void)state;
	struct xfeed f;
	xfeed_init(&f);
	const char *bad[] = {"", "progress\t1\t2", "progress\tx\t2\t3\t4\t5\t6", "result\tfound\t8",
	                     "run\tfinished\tyes\t-\tmain", "what\tever"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s", bad[i]);
		assert_int_equal(xfeed_line(&f, buf), -1);
	}
	assert_int_equal(f.bad, 6);
	assert_int_equal(f.done, 0);
	assert_int_equal(f.tree_runs, 0);
	xfeed_free(&f);
}

/* Four runs of a small scene: two finish, one deadlocks, one deadlocks
 * sooner on another branch. */
static void small_map(struct xfeed *f)
{
	xfeed_init(f);
	line(f, "run\tfinished\t0\t-\tmain,T1,T1,T2,T2");
	line(f, "run\tdeadlock\t1\t-\tmain,T1,T2,T2,T1");
	line(f, "run\tfinished\t0\t-\tmain,T2,T2,T1,T1");
	line(f, "run\tdeadlock\t1\t-\tmain,T2,T1");
	line(f, "result\tfound\t4\t-1\t1");
}

static void runs_make_a_tree(void **state)
{
	(void)state;
	struct xfeed f;
	small_map(&f);
	assert_int_equal(f.tree_runs, 4);
	assert_int_equal(f.complete, 1);
	const struct xnode *root = &f.node[0];
	assert_int_equal(root->n[XC_HIT], 2);
	assert_int_equal(root->n[XC_FINISHED], 2);
	assert_int_equal(xmap_total(root), 4);
	/* from the start the nearest deadlock is main,T2,T1: 3 steps */
	assert_int_equal(root->hit_dist, 3);
	int t1 = xmap_find(&f, "main,T1");
	assert_true(t1 > 0);
	assert_int_equal(f.node[t1].hit_dist, 3); /* main,T1 then T2,T2,T1 */
	assert_int_equal(xmap_total(&f.node[t1]), 2);
	int safe = xmap_find(&f, "main,T1,T1");
	assert_true(safe > 0);
	assert_int_equal(f.node[safe].hit_dist, -1); /* nothing from here deadlocks */
	int hit = xmap_find(&f, "main,T2,T1");
	assert_int_equal(f.node[hit].leaf, XC_HIT);
	assert_int_equal(f.node[hit].hit_dist, 0);
	assert_int_equal(xmap_find(&f, ""), 0);
	assert_int_equal(xmap_find(&f, "main,T3"), -1);    /* a worker the map never chose */
	assert_int_equal(xmap_find(&f, "main,key"), -1);   /* a key press: off the map */
	char *s = xmap_schedule(&f, hit);
	assert_string_equal(s, "main,T2,T1");
	free(s);
	s = xmap_schedule(&f, 0);
	assert_string_equal(s, "");
	free(s);
	xfeed_free(&f);
}

static void rows_chain_single_choices(void **state)
{
	(void)state;
	struct xfeed f;
	small_map(&f);
	struct xrow rows[32];
	/* closed: one row, "main", the only first step */
	int n = xmap_rows(&f, rows, 32);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].first, xmap_find(&f, "main"));
	assert_int_equal(rows[0].last, xmap_find(&f, "main"));
	/* the first hit, revealed: every branch on its way opens */
	int hit = xmap_next_leaf(&f, 0, XC_HIT);
	assert_int_equal(hit, xmap_find(&f, "main,T1,T2,T2,T1")); /* first in the order run */
	xmap_reveal(&f, hit);
	n = xmap_rows(&f, rows, 32);
	/* main / T1 / (T1 T2 T2) (T2 T2 T1) / T2 */
	assert_int_equal(n, 5);
	assert_int_equal(rows[1].indent, 1);
	assert_int_equal(rows[2].first, xmap_find(&f, "main,T1,T1"));
	assert_int_equal(rows[2].last, xmap_find(&f, "main,T1,T1,T2,T2")); /* a chain, one row */
	assert_int_equal(rows[2].indent, 2);
	assert_int_equal(rows[3].last, hit);
	assert_int_equal(rows[4].indent, 1);
	/* the next hit after it, then round to the first again */
	int next = xmap_next_leaf(&f, hit, XC_HIT);
	assert_int_equal(next, xmap_find(&f, "main,T2,T1"));
	assert_int_equal(xmap_next_leaf(&f, next, XC_HIT), hit);
	assert_int_equal(xmap_next_leaf(&f, 0, XC_CRASHED), -1);
	xfeed_free(&f);
}

static void scene_goal_values(void **state)
{
	(void)state;
	struct xfeed f;
	xfeed_init(&f);
	line(&f, "run\tfinished\t0\t100\tmain,A,B");
	line(&f, "run\tfinished\t1\t90\tmain,B,A");
	line(&f, "run\tdeadlock\t0\t-\tmain,B,B");
	assert_int_equal(f.node[xmap_find(&f, "main,A,B")].value, 100);
	assert_int_equal(f.node[xmap_find(&f, "main,B,A")].leaf, XC_HIT);
	assert_int_equal(f.node[xmap_find(&f, "main,B,B")].leaf, XC_DEADLOCK);
	assert_int_equal(xmap_class("stalled", 0), XC_STALLED);
	assert_int_equal(xmap_class("timeout", 0), XC_OTHER);
	assert_int_equal(xmap_class("deadlock", 1), XC_HIT);
	xfeed_free(&f);
}

static void preemption_words(void **state)
{
	(void)state;
	struct model m;
	threads(&m, 3); /* T0 T1 T2 */
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, 0);
	object(&m, 1, "B", LS_OBJ_MUTEX, 0, 0, 0);
	ev(&m, LS_EV_WANT, 1, 0, LS_OP_LOCK, 0, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_WANT, 1, 1, LS_OP_LOCK, 0, 0, 0);
	ev(&m, LS_EV_WANT, 2, 1, LS_OP_LOCK, 0, 0, 0);
	char buf[200];
	/* T1 could go on holding A: T2 switched in is a preemption */
	assert_string_equal(xmap_preemption_text(&m, 2, 1, buf, sizeof buf),
	                    "here T2 is switched in while T1 holds A");
	/* T2 holds nothing */
	assert_string_equal(xmap_preemption_text(&m, 1, 2, buf, sizeof buf),
	                    "here T1 is switched in while T2 could go on");
	/* the same worker again, or nobody before: no preemption */
	assert_string_equal(xmap_preemption_text(&m, 1, 1, buf, sizeof buf), "");
	assert_string_equal(xmap_preemption_text(&m, 1, -1, buf, sizeof buf), "");
	/* T2 takes B; T1, now parked on B, could not go on: no preemption */
	ev(&m, LS_EV_ACQUIRED, 2, 1, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, 1, 1, LS_OP_LOCK, 1, 0, 0);
	assert_false(model_eligible(&m, 1));
	assert_string_equal(xmap_preemption_text(&m, 2, 1, buf, sizeof buf), "");
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(progress_and_witness),
		cmocka_unit_test(bad_lines_are_counted),
		cmocka_unit_test(runs_make_a_tree),
		cmocka_unit_test(rows_chain_single_choices),
		cmocka_unit_test(scene_goal_values),
		cmocka_unit_test(preemption_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
