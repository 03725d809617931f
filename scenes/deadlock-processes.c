/* deadlock-processes: the ABBA deadlock between two processes.
 *
 * The same two locks as the deadlock scene, but the workers are forked
 * processes, not threads, and the locks are process-shared mutexes in shared
 * memory (PTHREAD_PROCESS_SHARED). P1 locks A then B, P2 locks B then A. The
 * circle of waits now spans processes: lockstep names it with their pids, and
 * /proc shows both processes sleeping, each in its own address space, each
 * waiting for the other.
 */
#include "lockstep-scene.h"

static ls_mutex *A, *B;
static long work_ms;

static int p1(void *arg)
{
	(void)arg;
	ls_lock(A);
	ls_say(LS_("P1 holds A and does some work before it needs B."));
	ls_work_ms(work_ms);
	ls_lock(B);
	ls_say(LS_("P1 holds both A and B: it can finish."));
	ls_unlock(B);
	ls_unlock(A);
	return 0;
}

static int p2(void *arg)
{
	(void)arg;
	ls_lock(B);
	ls_say(LS_("P2 holds B and does some work before it needs A."));
	ls_work_ms(work_ms);
	ls_lock(A);
	ls_say(LS_("P2 holds both B and A: it can finish."));
	ls_unlock(A);
	ls_unlock(B);
	return 0;
}

static int run(void)
{
	work_ms = ls_param("work");
	A = ls_mutex_new("A");
	B = ls_mutex_new("B");
	ls_say(LS_("Two processes share two locks that live in shared memory. P1 locks A then "
	           "B, P2 locks B then A. Step P1 and P2 alternately."));
	ls_worker w1 = ls_spawn("P1", p1, NULL, LS_PROCESS);
	ls_worker w2 = ls_spawn("P2", p2, NULL, LS_PROCESS);
	ls_join(w1);
	ls_join(w2);
	ls_say(LS_("Both processes finished: this time the order of steps avoided the deadlock."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "work", .type = LS_PARAM_INT, .def = 50, .min = 0, .max = 5000,
	 .help = LS_N("milliseconds of work each process does between its two locks")},
	{0},
};

LS_SCENE(.id = "deadlock-processes",
         .title = LS_N("Two processes lock A and B in opposite order"),
         .summary = LS_N(
             "The deadlock scene between two processes instead of two threads. The locks "
             "are process-shared mutexes in a shared memory mapping, so a lock taken in "
             "one address space shuts out the other. When each process holds its first "
             "lock and waits for the other's, the circle of waits spans two processes: no "
             "debugger attached to one of them would see it, and the kernel sees only two "
             "sleeping processes."),
         .help = LS_N(
             "The schedule P1,P2,P1,P2 deadlocks: lockstep names the circle P1 -> B -> P2 "
             "-> A with both pids. Compare the kernel's view: both processes sleep (S) in a "
             "futex wait. P1,P1,P1,P1 lets P1 finish first and avoids it. Taking the locks "
             "in one order fixes it here too (see deadlock-ordered)."),
         .params = params, .run = run);
