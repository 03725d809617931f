/* semaphore: Semaphore(3) guards a resource that 8 threads want.
 *
 * A counting semaphore lets at most `permits` workers in at once: acquire
 * takes a permit (or waits for one), release gives it back. The rest queue
 * on the semaphore and get their turn as permits come back.
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_sem *sem;
static long use_ms, visits;

static int worker(void *arg)
{
	(void)arg;
	const char *me = ls_worker_name(ls_self());
	for (long v = 0; v < visits; v++) {
		ls_sem_wait(sem);
		ls_say(LS_("%s took a permit and uses the resource."), me);
		ls_sleep_ms(use_ms);
		ls_say(LS_("%s is done and gives its permit back: a queued thread may enter."), me);
		ls_sem_post(sem);
	}
	return 0;
}

static int run(void)
{
	long n = ls_param("threads"), permits = ls_param("permits");
	use_ms = ls_param("use");
	visits = ls_param("visits");
	sem = ls_sem_new("pool", (unsigned)permits);
	ls_say(LS_("A semaphore with %ld permits guards a resource %ld threads want. At "
	           "most %ld are inside at once; the others are BLOCKED in the semaphore's "
	           "queue until someone releases a permit."), permits, n, permits);
	ls_worker w[16];
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "T%ld", i + 1);
		w[i] = ls_spawn(name, worker, NULL, LS_THREAD);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	ls_say(LS_("Every thread had its turn, and never more than %ld at once."), permits);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "permits", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 8,
	 .help = LS_N("the semaphore's initial value: holders allowed at once")},
	{.name = "threads", .type = LS_PARAM_INT, .def = 8, .min = 1, .max = 16,
	 .help = LS_N("threads that want the resource")},
	{.name = "use", .type = LS_PARAM_INT, .def = 100, .min = 0, .max = 5000,
	 .help = LS_N("milliseconds each holder uses the resource")},
	{.name = "visits", .type = LS_PARAM_INT, .def = 1, .min = 1, .max = 20,
	 .help = LS_N("times each thread uses the resource")},
	{0},
};

/* Challenges (lockstep-scene.h, "goals") and the moments to predict. */
LS_GOALS({.id = "all-taken", .value = "pool", .test = LS_GOAL_FULL,
          .help = LS_N("take every permit at once: the next thread must wait")},
         {.id = "crowd", .test = LS_GOAL_IMPOSSIBLE,
          .help = LS_N("get more threads in than there are permits"),
          .why = LS_N("acquire() waits while no permit is free: at most `permits` threads "
                      "hold one")});
LS_PREDICTIONS({.ask = LS_ASK_WAKES, .object = "pool"}, {.ask = LS_ASK_NEXT, .object = "pool"});

LS_SCENE(.id = "semaphore",
         .title = LS_N("Semaphore(3) guards a resource eight threads want"),
         .summary = LS_N(
             "A counting semaphore starts with 3 permits. Each thread acquires a permit "
             "before using the resource and releases it after. While all permits are "
             "taken, further threads are BLOCKED in the semaphore's queue; each release "
             "lets one of them in. Never more than 3 use the resource at once, and every "
             "thread gets its turn."),
         .help = LS_N(
             "Any schedule keeps at most `permits` holders: the semaphore row shows the "
             "permits left and the queue. Try permits=1 (a lock), or use=0 to see the "
             "queue move faster."),
         .params = params, .run = run);
