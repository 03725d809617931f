/* threadpool: a pool of worker threads serves tasks from a queue.
 *
 * concurrent.futures.ThreadPoolExecutor in miniature: main submits tasks to
 * a queue and gets a future per task; the pool's threads take tasks, run
 * them and set each result into its future; main waits on the futures.
 * Idle pool threads are WAITING on the empty queue.
 */
#include <stdio.h>

#include "lockstep-scene.h"

#define STOP (-1L)
#define MAX_TASKS 32

static ls_queue *tasks;
static ls_future *fut[MAX_TASKS + 1];
static long work_ms;

static int pool_thread(void *arg)
{
	(void)arg;
	const char *me = ls_worker_name(ls_self());
	for (;;) {
		long k = ls_queue_get(tasks);
		if (k == STOP) {
			ls_say(LS_("%s got the shutdown marker and ends."), me);
			return 0;
		}
		ls_say(LS_("%s runs task %ld (square %ld)."), me, k, k);
		ls_work_ms(work_ms);
		ls_future_set(fut[k], k * k);
		ls_say(LS_("%s set the result of task %ld into its future f%ld and looks for "
		           "more work."), me, k, k);
	}
}

static int run(void)
{
	long n = ls_param("workers"), m = ls_param("tasks");
	work_ms = ls_param("work");
	tasks = ls_queue_new("tasks", (int)(m + n));
	char name[32];
	for (long k = 1; k <= m; k++) {
		snprintf(name, sizeof name, "f%ld", k);
		fut[k] = ls_future_new(name);
	}
	ls_say(LS_("A pool of %ld threads. main submits %ld tasks to the queue and keeps a "
	           "future for each; idle pool threads are WAITING on the empty queue."), n, m);
	ls_worker w[8];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "pool-%ld", i + 1);
		w[i] = ls_spawn(name, pool_thread, NULL, LS_THREAD);
	}
	for (long k = 1; k <= m; k++) {
		ls_queue_put(tasks, k);
		ls_say(LS_("main submitted task %ld; its result will appear in future f%ld."), k, k);
	}
	for (long k = 1; k <= m; k++) {
		long r = ls_future_result(fut[k]);
		ls_say(LS_("main: f%ld.result() = %ld, the result of task %ld."), k, r, k);
	}
	ls_say(LS_("Every result is in. main shuts the pool down: one marker per thread."));
	for (long i = 0; i < n; i++)
		ls_queue_put(tasks, STOP);
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "workers", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 8,
	 .help = LS_N("threads in the pool")},
	{.name = "tasks", .type = LS_PARAM_INT, .def = 8, .min = 1, .max = MAX_TASKS,
	 .help = LS_N("tasks main submits")},
	{.name = "work", .type = LS_PARAM_INT, .def = 20, .min = 0, .max = 5000,
	 .help = LS_N("milliseconds of computation per task")},
	{0},
};

LS_SCENE(.id = "threadpool",
         .title = LS_N("A thread pool runs tasks and returns futures"),
         .summary = LS_N(
             "main submits tasks to a queue and gets a future for each. A fixed pool of "
             "threads takes tasks from the queue, runs them and sets each result into the "
             "task's future. main waits on the futures in order (WAITING until each is "
             "set). Idle pool threads are WAITING on the empty queue, not busy."),
         .help = LS_N(
             "Any schedule: every task runs exactly once, on whichever pool thread takes "
             "it, and f<k> holds the result of task k (k squared). Try workers=1 to see "
             "the tasks run one after another, or tasks=1 to see idle threads wait."),
         .params = params, .run = run);
