/* deadlock-ordered: the two-lock scene, fixed by a global lock order.
 *
 * Each thread needs two locks, in the order its own logic would ask for them
 * (T1 wants A then B, T2 wants B then A, as in the deadlock scene), but it
 * takes them sorted by their place in one global order (the order in which
 * they were created: A before B before C...). No thread ever holds a later
 * lock while it waits for an earlier one, so no circle of waits can form:
 * circular wait, one of the four Coffman conditions, cannot hold. With
 * threads=N, thread i needs locks i and i+1 (the last wraps to the first):
 * the ring that deadlocks without the order.
 */
#include <stdio.h>

#include "lockstep-scene.h"

#define MAXT 8

static ls_mutex *locks[MAXT];
static char names[MAXT][2];
static long nthreads, work_ms;

static int worker(void *arg)
{
	long i = (long)arg;
	long want1 = i, want2 = (i + 1) % nthreads;
	/* in the global order: the lower index first */
	long first = want1 < want2 ? want1 : want2;
	long second = want1 < want2 ? want2 : want1;
	if (first != want1)
		ls_say(LS_("T%ld wants %s then %s, but takes %s first: the global order says so."),
		       i + 1, names[want1], names[want2], names[first]);
	ls_lock(locks[first]);
	ls_work_ms(work_ms);
	ls_lock(locks[second]);
	ls_say(LS_("T%ld holds %s and %s, taken in order: it can finish."), i + 1, names[first],
	       names[second]);
	ls_unlock(locks[second]);
	ls_unlock(locks[first]);
	return 0;
}

static int run(void)
{
	nthreads = ls_param("threads");
	work_ms = ls_param("work");
	for (long i = 0; i < nthreads; i++) {
		names[i][0] = (char)('A' + i);
		names[i][1] = '\0';
		locks[i] = ls_mutex_new(names[i]);
	}
	ls_say(LS_("Every thread takes its two locks in one global order (A before B before C...). "
	           "Whatever the schedule, nobody can hold a later lock while waiting for an "
	           "earlier one, so no circle of waits can form."));
	ls_worker w[MAXT];
	char name[24];
	for (long i = 0; i < nthreads; i++) {
		snprintf(name, sizeof name, "T%ld", i + 1);
		w[i] = ls_spawn(name, worker, (void *)i, LS_THREAD);
	}
	for (long i = 0; i < nthreads; i++)
		ls_join(w[i]);
	ls_say(LS_("Every thread finished: with one lock order, circular wait cannot hold, so "
	           "this scene cannot deadlock."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "threads", .type = LS_PARAM_INT, .def = 2, .min = 2, .max = MAXT,
	 .help = LS_N("threads; thread i needs locks i and i+1 (the last wraps to A)")},
	{.name = "work", .type = LS_PARAM_INT, .def = 50, .min = 0, .max = 5000,
	 .help = LS_N("milliseconds of work each thread does between its two locks")},
	{0},
};

LS_SCENE(.id = "deadlock-ordered",
         .title = LS_N("The two-lock scene fixed by a global lock order"),
         .summary = LS_N(
             "The threads of the deadlock scene, with one rule added: every thread takes "
             "the locks it needs in one global order (A before B). T2 still wants B then "
             "A, but it locks A first. A thread holding B then never waits for A, so no "
             "circle of waits can form: circular wait, one of the four Coffman "
             "conditions, is broken, and the scene finishes under every schedule."),
         .help = LS_N(
             "Try the steps that deadlock the deadlock scene: T1,T2,T1. T1 takes A; T2, "
             "which wants B then A, asks for A first and waits holding nothing; T1 takes B "
             "and finishes, then T2 does. (T1,T2,T1,T2 is refused at its fourth entry: T2 is "
             "blocked on A and cannot move.) Every schedule finishes: the tests try 20 "
             "random ones and every schedule of the first 8 steps. threads=5 makes the "
             "ring of the dining philosophers, fixed the same way."),
         .params = params, .run = run);
