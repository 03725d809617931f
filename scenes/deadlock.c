/* deadlock: two threads take locks A and B in opposite order.
 *
 * The classic ABBA deadlock. T1 takes A then B, T2 takes B then A, with a
 * little work in between. If each gets its first lock before the other asks
 * for its second, both wait forever: the four Coffman conditions all hold.
 */
#include "lockstep-scene.h"

static ls_mutex *A, *B;
static long work_ms;

static int t1(void *arg)
{
	(void)arg;
	ls_lock(A);
	ls_say(LS_("T1 holds A and does some work before it needs B."));
	ls_work_ms(work_ms);
	ls_lock(B);
	ls_say(LS_("T1 holds both A and B: it can finish."));
	ls_unlock(B);
	ls_unlock(A);
	return 0;
}

static int t2(void *arg)
{
	(void)arg;
	ls_lock(B);
	ls_say(LS_("T2 holds B and does some work before it needs A."));
	ls_work_ms(work_ms);
	ls_lock(A);
	ls_say(LS_("T2 holds both B and A: it can finish."));
	ls_unlock(A);
	ls_unlock(B);
	return 0;
}

static int run(void)
{
	work_ms = ls_param("work");
	A = ls_mutex_new("A");
	B = ls_mutex_new("B");
	ls_say(LS_("Two threads, two locks, taken in opposite order. Step T1 and T2 "
	           "alternately and watch each wait for the lock the other holds."));
	ls_worker w1 = ls_spawn("T1", t1, NULL, LS_THREAD);
	ls_worker w2 = ls_spawn("T2", t2, NULL, LS_THREAD);
	ls_join(w1);
	ls_join(w2);
	ls_say(LS_("Both threads finished: this time the order of steps avoided the deadlock."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "work", .type = LS_PARAM_INT, .def = 50, .min = 0, .max = 5000,
	 .help = LS_N("milliseconds of work each thread does between its two locks")},
	{0},
};

LS_SCENE(.id = "deadlock",
         .title = LS_N("Two threads lock A and B in opposite order"),
         .summary = LS_N(
             "T1 locks A then B; T2 locks B then A. When each holds its first lock and "
             "asks for the other's, neither can go on: a deadlock. All four Coffman "
             "conditions hold: mutual exclusion (a lock has one owner), hold and wait "
             "(each holds one lock while waiting for another), no preemption (nobody "
             "can take a lock away) and circular wait (T1 waits for T2, T2 for T1)."),
         .help = LS_N(
             "Schedules to try: T1,T2,T1,T2 deadlocks (each takes its first lock, then "
             "each asks for the other's). T1,T1,T1,T1 lets T1 finish first, and then "
             "T2 runs alone: no deadlock. Break any one condition and the deadlock "
             "cannot happen; taking locks in one global order breaks circular wait."),
         .params = params, .run = run);
