/* barrier: Barrier(3) with 5 threads.
 *
 * A barrier holds every arriving thread until `parties` have arrived; then
 * they all pass together and the barrier resets for the next round. With 5
 * threads and 3 parties one round passes and the last 2 wait forever: no
 * third thread will ever come. With 6 threads two rounds pass.
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_barrier *bar;
static long parties;

static int worker(void *arg)
{
	long i = (long)arg;
	const char *me = ls_worker_name(ls_self());
	ls_sleep_ms(10 * i); /* each does a different amount of work first */
	ls_say(LS_("%s arrives at the barrier and waits until %ld have arrived."), me, parties);
	int index = ls_barrier_wait(bar);
	ls_say(LS_("%s passes the barrier (it arrived number %d of %ld)."), me, index + 1, parties);
	return 0;
}

static int run(void)
{
	long n = ls_param("threads");
	parties = ls_param("parties");
	bar = ls_barrier_new("barrier", (int)parties);
	if (n % parties)
		ls_say(LS_("%ld threads meet at a barrier for %ld. Every %ld arrivals pass "
		           "together; the last %ld threads will find no one to complete their "
		           "round and wait forever: the run stalls."),
		       n, parties, parties, n % parties);
	else
		ls_say(LS_("%ld threads meet at a barrier for %ld: %ld rounds pass, %ld "
		           "threads each."), n, parties, n / parties, parties);
	ls_worker w[16];
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "T%ld", i + 1);
		w[i] = ls_spawn(name, worker, (void *)(i + 1), LS_THREAD);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	ls_say(LS_("Every thread passed the barrier."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "parties", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 8,
	 .help = LS_N("threads needed for a round to pass")},
	{.name = "threads", .type = LS_PARAM_INT, .def = 5, .min = 1, .max = 16,
	 .help = LS_N("threads arriving at the barrier")},
	{0},
};

/* Challenges (lockstep-scene.h, "goals") and the moments to predict. */
LS_GOALS({.id = "stranded", .test = LS_GOAL_STALL,
          .help = LS_N("leave threads waiting at the barrier for ever")},
         {.id = "pass-early", .test = LS_GOAL_IMPOSSIBLE,
          .help = LS_N("get a thread past the barrier before `parties` have arrived"),
          .why = LS_N("wait() returns only once `parties` threads have arrived")});
LS_PREDICTIONS({.ask = LS_ASK_WAKES, .object = "barrier"}, {.ask = LS_ASK_NEXT, .object = "barrier"});

LS_SCENE(.id = "barrier",
         .title = LS_N("Barrier(3) with five threads: two are left waiting"),
         .summary = LS_N(
             "Threads arrive at a barrier one by one and wait (WAITING) until 3 have "
             "arrived; then all 3 pass together and the barrier starts a new round. With "
             "5 threads the first 3 pass and the last 2 wait forever, because no third "
             "thread will come: lockstep reports the stall. With 6 threads, two rounds "
             "pass and everyone finishes."),
         .help = LS_N(
             "Any schedule passes floor(threads/parties) rounds of `parties` threads; the "
             "rest stay WAITING at the barrier and the run ends as stalled (exit 3), not "
             "a crash. The barrier row shows who has arrived in the current round and "
             "how many rounds passed. Try threads=6."),
         .params = params, .run = run);
