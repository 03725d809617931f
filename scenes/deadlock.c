/* deadlock: two workers take locks A and B in opposite order.
 *
 * The classic ABBA deadlock. The first worker takes A then B, the second B
 * then A, with a little work in between. If each gets its first lock before
 * the other asks for its second, both wait forever: the four Coffman
 * conditions all hold.
 *
 * Built twice: as `deadlock` with two threads, and with LS_DEADLOCK_PROCESSES
 * as `deadlock-processes`, where the workers are forked processes and the
 * locks process-shared mutexes in shared memory, so the circle of waits spans
 * two address spaces.
 */
#include "lockstep-scene.h"

#ifdef LS_DEADLOCK_PROCESSES
#define WORKER_KIND LS_PROCESS
#define FIRST "P1"
#define SECOND "P2"
#else
#define WORKER_KIND LS_THREAD
#define FIRST "T1"
#define SECOND "T2"
#endif

static ls_mutex *A, *B;
static long work_ms;

struct side {
	const char *name;
	ls_mutex **first, **second;
	const char *first_name, *second_name;
};

static const struct side sides[2] = {
	{FIRST, &A, &B, "A", "B"},
	{SECOND, &B, &A, "B", "A"},
};

static int taker(void *arg)
{
	const struct side *s = arg;
	ls_lock(*s->first);
	ls_say(LS_("%s holds %s and does some work before it needs %s."), s->name, s->first_name,
	       s->second_name);
	ls_work_ms(work_ms);
	ls_lock(*s->second);
	ls_say(LS_("%s holds both %s and %s: it can finish."), s->name, s->first_name,
	       s->second_name);
	ls_unlock(*s->second);
	ls_unlock(*s->first);
	return 0;
}

static int run(void)
{
	work_ms = ls_param("work");
	A = ls_mutex_new("A");
	B = ls_mutex_new("B");
#ifdef LS_DEADLOCK_PROCESSES
	ls_say("%s", LS_("Two processes share two locks that live in shared memory. P1 locks A "
	                 "then B, P2 locks B then A. Step P1 and P2 alternately."));
#else
	ls_say("%s", LS_("Two threads, two locks, taken in opposite order. Step T1 and T2 "
	                 "alternately and watch each wait for the lock the other holds."));
#endif
	ls_worker w1 = ls_spawn(FIRST, taker, (void *)&sides[0], WORKER_KIND);
	ls_worker w2 = ls_spawn(SECOND, taker, (void *)&sides[1], WORKER_KIND);
	ls_join(w1);
	ls_join(w2);
	ls_say("%s", LS_("Both finished: this time the order of steps avoided the deadlock."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "work", .type = LS_PARAM_INT, .def = 50, .min = 0, .max = 5000,
	 .help = LS_N("milliseconds of work each worker does between its two locks")},
	{0},
};

/* Challenges (lockstep-scene.h, "goals") and the moments to predict. */
LS_GOALS({.id = "both-stuck", .test = LS_GOAL_DEADLOCK, .fewest = 4,
          .help = LS_N("make both deadlock: each holds one lock and waits for the other's")},
         {.id = "both-hold", .test = LS_GOAL_IMPOSSIBLE,
          .help = LS_N("make two workers hold lock A at the same time"),
          .why = LS_N("a mutex has one owner: a second lock() waits until the owner's unlock()")});
LS_PREDICTIONS({.ask = LS_ASK_NEXT, .object = "B"}, {.ask = LS_ASK_WAKES, .object = "A"},
               {.ask = LS_ASK_WAKES, .object = "B"});

#ifdef LS_DEADLOCK_PROCESSES
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
#else
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
#endif
