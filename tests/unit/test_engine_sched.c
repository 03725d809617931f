/* Unit tests: the one scheduler (engine_sched.c), given model snapshots
 * folded by hand: round-robin after whoever moved, the seeded pick, the
 * schedule's entries and errors, and the one "why can't W move". */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine_sched.h"
#include "fold.h"

enum { MAIN, T1, T2, T3 };
enum { A, B, S };

/* main, T1, T2 and T3, each at its gate wanting a lock of its own (main
 * and T3 share B, free): all four eligible. */
static void four_ready(struct model *m)
{
	model_init(m);
	worker(m, MAIN, "main", LS_WK_THREAD);
	worker(m, T1, "T1", LS_WK_THREAD);
	worker(m, T2, "T2", LS_WK_THREAD);
	worker(m, T3, "T3", LS_WK_THREAD);
	object(m, A, "A", LS_OBJ_MUTEX, 0, 0, -1);
	object(m, B, "B", LS_OBJ_MUTEX, 0, 0, -1);
	object(m, S, "S", LS_OBJ_SEM, 0, 1, -1);
	for (int w = MAIN; w <= T3; w++)
		ev(m, LS_EV_WANT, w, w == T1 ? A : B, LS_OP_LOCK, 0, 0, 0);
}

/* T2 holds A; T1 is parked on it. */
static void t1_blocked_by_t2(struct model *m)
{
	ev(m, LS_EV_ACQUIRED, T2, A, LS_OP_LOCK, 1, 0, 0);
	ev(m, LS_EV_WANT, T2, B, LS_OP_LOCK, 0, 0, 0);
	ev(m, LS_EV_BLOCKED, T1, A, LS_OP_LOCK, 1, 0, 0);
}

static void round_robin_goes_on_after_whoever_moved(void **state)
{
	(void)state;
	struct model m;
	four_ready(&m);
	struct sched s;
	assert_int_equal(sched_init(&s, LS_SCHED_RR, 0, NULL), 0);
	/* declare order, main first: what a headless run and `s` both do */
	assert_int_equal(sched_policy(&s, &m), MAIN);
	sched_granted(&s, MAIN);
	assert_int_equal(sched_policy(&s, &m), T1);
	sched_granted(&s, T1);
	assert_int_equal(sched_policy(&s, &m), T2);
	/* the user stepped T3 by hand: the turn goes on after T3, wrapping */
	sched_granted(&s, T3);
	assert_int_equal(sched_policy(&s, &m), MAIN);
	/* asking twice without a grant gives the same answer */
	assert_int_equal(sched_policy(&s, &m), MAIN);
	assert_int_equal(sched_policy_peek(&s, &m), MAIN);
	sched_free(&s);
	model_free(&m);
}

static void round_robin_skips_who_cannot_move(void **state)
{
	(void)state;
	struct model m;
	four_ready(&m);
	t1_blocked_by_t2(&m);
	struct sched s;
	sched_init(&s, LS_SCHED_RR, 0, NULL);
	sched_granted(&s, MAIN);
	assert_int_equal(sched_policy(&s, &m), T2); /* T1 waits for A */
	/* a cycle: T1 waits for T2 (A), T2 for T3 (B), T3 for T2 (A); main
	 * joins T1. Nobody is eligible: -1, never a worker that cannot move */
	ev(&m, LS_EV_ACQUIRED, T3, B, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, T2, B, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, T3, A, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_BLOCKED, MAIN, -1, LS_OP_JOIN, 1, 0, T1);
	for (int w = MAIN; w <= T3; w++)
		assert_false(model_eligible(&m, w));
	assert_int_equal(sched_policy(&s, &m), -1);
	sched_free(&s);
	model_free(&m);

	struct model empty;
	model_init(&empty);
	sched_init(&s, LS_SCHED_RR, 0, NULL);
	assert_int_equal(sched_policy(&s, &empty), -1);
	char why[64];
	assert_int_equal(sched_pick(&s, &empty, why, sizeof why), -1);
	sched_free(&s);
	model_free(&empty);
}

static void seeded_pick_is_reproducible_and_eligible(void **state)
{
	(void)state;
	struct model m;
	four_ready(&m);
	t1_blocked_by_t2(&m);
	struct sched s1, s2, s3;
	sched_init(&s1, LS_SCHED_SEED, 7, NULL);
	sched_init(&s2, LS_SCHED_SEED, 7, NULL);
	sched_init(&s3, LS_SCHED_SEED, 8, NULL);
	int seen[4] = {0}, differs = 0;
	for (int i = 0; i < 200; i++) {
		int a = sched_policy(&s1, &m), b = sched_policy(&s2, &m), c = sched_policy(&s3, &m);
		assert_int_equal(a, b);
		assert_true(a >= 0 && a < 4);
		assert_true(model_eligible(&m, a));
		differs += a != c;
		seen[a]++;
	}
	assert_int_equal(seen[T1], 0); /* blocked: never picked */
	/* a peek says what the next pick will be and takes no turn */
	for (int i = 0; i < 20; i++) {
		int peek = sched_policy_peek(&s1, &m);
		assert_int_equal(sched_policy_peek(&s1, &m), peek);
		assert_int_equal(sched_policy(&s1, &m), peek);
	}
	assert_true(seen[MAIN] > 0 && seen[T2] > 0 && seen[T3] > 0);
	assert_true(differs > 0); /* another seed, another order */
	sched_free(&s1);
	sched_free(&s2);
	sched_free(&s3);
	model_free(&m);
}

static void schedule_entries_in_order(void **state)
{
	(void)state;
	struct model m;
	four_ready(&m);
	struct sched s;
	assert_int_equal(sched_init(&s, LS_SCHED_RR, 0, "T2,1,rest,key,signal:T1:INT"), 0);
	assert_int_equal(s.nent, 5);
	char why[256], target[LS_NAME_MAX];
	int sig = 0;
	assert_int_equal(sched_peek(&s, &m, target, sizeof target, &sig), SCHED_WORKER);
	assert_int_equal(sched_pick(&s, &m, why, sizeof why), T2);
	sched_granted(&s, T2);
	assert_int_equal(sched_pick(&s, &m, why, sizeof why), T1); /* by index */
	sched_granted(&s, T1);
	/* "rest": the policy picks and the entry stays until nobody can move */
	assert_int_equal(sched_peek(&s, &m, target, sizeof target, &sig), SCHED_REST);
	assert_int_equal(sched_pick(&s, &m, why, sizeof why), T2);
	assert_int_equal(sched_peek(&s, &m, target, sizeof target, &sig), SCHED_REST);
	sched_consume(&s);
	assert_int_equal(sched_peek(&s, &m, target, sizeof target, &sig), SCHED_KEY);
	sched_consume(&s);
	assert_int_equal(sched_peek(&s, &m, target, sizeof target, &sig), SCHED_SIGNAL);
	assert_string_equal(target, "T1");
	assert_int_equal(sig, SIGINT);
	sched_consume(&s);
	assert_int_equal(sched_peek(&s, &m, target, sizeof target, &sig), SCHED_NONE);
	sched_consume(&s); /* past the end: harmless */
	assert_int_equal(s.pos, 5);
	sched_free(&s);
	model_free(&m);

	/* a worker named key is stepped, not the scene key pressed */
	model_init(&m);
	worker(&m, 0, "key", LS_WK_THREAD);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	ev(&m, LS_EV_WANT, 0, 0, LS_OP_LOCK, 0, 0, 0);
	sched_init(&s, LS_SCHED_RR, 0, "key");
	assert_int_equal(sched_peek(&s, &m, target, sizeof target, &sig), SCHED_WORKER);
	assert_int_equal(sched_pick(&s, &m, why, sizeof why), 0);
	sched_free(&s);
	model_free(&m);
}

static void schedule_errors_say_why(void **state)
{
	(void)state;
	struct model m;
	four_ready(&m);
	t1_blocked_by_t2(&m);
	struct sched s;
	char why[256];
	sched_init(&s, LS_SCHED_RR, 0, "nobody");
	assert_int_equal(sched_pick(&s, &m, why, sizeof why), -2);
	assert_string_equal(why, "schedule entry 1: no worker named 'nobody'");
	sched_free(&s);
	sched_init(&s, LS_SCHED_RR, 0, "T2,T1");
	assert_int_equal(sched_pick(&s, &m, why, sizeof why), T2);
	assert_int_equal(sched_pick(&s, &m, why, sizeof why), -2);
	assert_string_equal(why, "schedule entry 2: T1 cannot move: it waits for A, held by T2");
	assert_int_equal(s.pos, 1); /* the bad entry is not consumed */
	sched_free(&s);
	model_free(&m);
}

/* A sleeper in a stepped run: its key cannot move it, and the sentence
 * says what will (py/deadlock: pressing 1 2 1 2 left both threads asleep
 * and the footer only said "TIMED_WAITING"). */
static void why_not_a_sleeper_says_when_time_passes(void **state)
{
	(void)state;
	struct model m;
	four_ready(&m);
	ev(&m, LS_EV_MODE, -1, -1, LS_MODE_STEP, 0, 0, 0);
	ev(&m, LS_EV_BLOCKED, T3, -1, LS_OP_SLEEP, 1, 250000000, 0);
	char buf[256];
	assert_string_equal(sched_why_not(&m, T3, buf, sizeof buf),
	                    "T3 cannot move: it is TIMED_WAITING until 0.25 s; time passes when no "
	                    "other worker can move (step them, or press s)");
	model_free(&m);
}

static void why_not_in_one_sentence(void **state)
{
	(void)state;
	struct model m;
	four_ready(&m);
	t1_blocked_by_t2(&m);
	char buf[256];
	assert_string_equal(sched_why_not(&m, T1, buf, sizeof buf),
	                    "T1 cannot move: it waits for A, held by T2");
	ev(&m, LS_EV_BLOCKED, T3, S, LS_OP_SEM_WAIT, 1, 0, 0);
	assert_string_equal(sched_why_not(&m, T3, buf, sizeof buf), "T3 cannot move: it waits for S");
	ev(&m, LS_EV_BLOCKED, MAIN, -1, LS_OP_JOIN, 1, 0, T3);
	assert_string_equal(sched_why_not(&m, MAIN, buf, sizeof buf),
	                    "main cannot move: it waits for T3 to end");
	ev(&m, LS_EV_EXIT, T2, -1, 0, LS_EXIT_RETURN, 0, 0);
	assert_string_equal(sched_why_not(&m, T2, buf, sizeof buf), "T2 cannot move: it is TERMINATED");
	assert_string_equal(sched_why_not(&m, 9, buf, sizeof buf), "no worker 9");
	/* a sentence never overflows its buffer */
	char small[12];
	sched_why_not(&m, T1, small, sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
	model_free(&m);
}

static void schedule_syntax(void **state)
{
	(void)state;
	assert_null(sched_check(NULL));
	assert_null(sched_check("T1,2,rest,key,signal:group:INT,signal:A:15"));
	assert_non_null(sched_check(""));
	assert_non_null(sched_check("T1,,T2"));
	assert_non_null(sched_check("T1;T2"));
	assert_non_null(sched_check("signal:T1:NOPE"));
	assert_non_null(sched_check("signal:T1"));
	assert_non_null(sched_check("averyveryveryveryveryverylongname"));
	assert_int_equal(sched_signal_number("INT"), SIGINT);
	assert_int_equal(sched_signal_number("sigusr1"), SIGUSR1);
	assert_int_equal(sched_signal_number("15"), SIGTERM);
	assert_int_equal(sched_signal_number("0"), 0);
	assert_int_equal(sched_signal_number("999"), 0);
	assert_int_equal(sched_signal_number(""), 0);
	/* resolve: by name first, then by index among the declared */
	struct model m;
	four_ready(&m);
	assert_int_equal(sched_resolve(&m, "T3"), T3);
	assert_int_equal(sched_resolve(&m, "2"), T2);
	assert_int_equal(sched_resolve(&m, "4"), -1);
	assert_int_equal(sched_resolve(&m, ""), -1);
	assert_int_equal(sched_resolve(&m, "-1"), -1);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_robin_goes_on_after_whoever_moved),
		cmocka_unit_test(round_robin_skips_who_cannot_move),
		cmocka_unit_test(seeded_pick_is_reproducible_and_eligible),
		cmocka_unit_test(schedule_entries_in_order),
		cmocka_unit_test(schedule_errors_say_why),
		cmocka_unit_test(why_not_in_one_sentence),
		cmocka_unit_test(why_not_a_sleeper_says_when_time_passes),
		cmocka_unit_test(schedule_syntax),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
