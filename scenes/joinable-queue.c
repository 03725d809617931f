/* joinable-queue: a producer waits until every task is done.
 *
 * The producer puts tasks into a JoinableQueue and calls join(); consumer
 * processes get tasks, work on them and call task_done(). The queue counts
 * unfinished tasks: put adds one, task_done removes one, and join waits
 * until the count is zero, so it returns only after the last task_done.
 * Then the producer puts one stop marker per consumer.
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_jqueue *jq;
static long ntasks, nconsumers;

static int consumer(void *arg)
{
	long me = (long)arg;
	for (;;) {
		long t = ls_jqueue_get(jq);
		if (t < 0) {
			ls_jqueue_task_done(jq);
			ls_say(LS_("C%ld got the stop marker."), me);
			return 0;
		}
		ls_work_ms(5);
		ls_say(LS_("C%ld finished task %ld and calls task_done()."), me, t);
		ls_jqueue_task_done(jq);
	}
}

static int producer(void *arg)
{
	(void)arg;
	for (long t = 1; t <= ntasks; t++)
		ls_jqueue_put(jq, t);
	ls_say(LS_("producer put %ld tasks and calls join()."), ntasks);
	ls_jqueue_join(jq);
	ls_say(LS_("producer: join() returned: every task is done."));
	for (long i = 0; i < nconsumers; i++)
		ls_jqueue_put(jq, -1);
	return 0;
}

static int run(void)
{
	ntasks = ls_param("tasks");
	nconsumers = ls_param("consumers");
	jq = ls_jqueue_new("jq", 16);
	ls_say(LS_("A JoinableQueue: put counts an unfinished task, task_done uncounts one, "
	           "join waits for zero."));
	ls_worker p = ls_spawn("producer", producer, NULL, LS_PROCESS);
	ls_worker c[8];
	char name[24];
	for (long i = 0; i < nconsumers; i++) {
		snprintf(name, sizeof name, "C%ld", i + 1);
		c[i] = ls_spawn(name, consumer, (void *)(i + 1), LS_PROCESS);
	}
	ls_join(p);
	for (long i = 0; i < nconsumers; i++)
		ls_join(c[i]);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "tasks", .type = LS_PARAM_INT, .def = 5, .min = 1, .max = 12,
	 .help = LS_N("tasks the producer puts")},
	{.name = "consumers", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 4,
	 .help = LS_N("consumer processes")},
	{0},
};

LS_SCENE(.id = "joinable-queue",
         .title = LS_N("JoinableQueue: join until every task is done"),
         .summary = LS_N(
             "multiprocessing.JoinableQueue: consumers mark each task done with task_done(), "
             "and the producer's join() waits until as many tasks are done as were put. "
             "Taking a task out is not enough: join waits for task_done."),
         .help = LS_N(
             "Watch jq.unfinished count up with each put and down with each task_done; the "
             "producer waits on jq.all_done until it reaches zero."),
         .params = params, .run = run);
