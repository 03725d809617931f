/* pool: a Pool of worker processes runs apply_async and map.
 *
 * main makes a Pool of N processes. apply_async(square, x) hands a task to
 * whichever pool process takes it first and returns at once; get() waits
 * for that result. map(square, [1..k]) runs the tasks on the pool and
 * returns the results in the order of the arguments, whichever process ran
 * each one and whenever it finished.
 */
#include <stdio.h>
#include <string.h>

#include "lockstep-scene.h"

static long square(long x)
{
	ls_work_ms(2 * x);
	return x * x;
}

static int run(void)
{
	long n = ls_param("processes"), k = ls_param("tasks");
	ls_say(LS_("main makes a Pool of %ld processes."), n);
	ls_pool *p = ls_pool_new("pool", (int)n, square);
	int t1 = ls_pool_apply_async(p, 7);
	int t2 = ls_pool_apply_async(p, 3);
	ls_say(LS_("apply_async(square, 7) and apply_async(square, 3) returned at once."));
	long r2 = ls_pool_get(p, t2);
	long r1 = ls_pool_get(p, t1);
	ls_say(LS_("get(): square(3) = %ld (ran on %s), square(7) = %ld (ran on %s)."), r2,
	       ls_worker_name(ls_pool_ran_on(p, t2)), r1, ls_worker_name(ls_pool_ran_on(p, t1)));
	long args[30], res[30];
	for (long i = 0; i < k; i++)
		args[i] = i + 1;
	ls_pool_map(p, args, res, (int)k);
	char buf[256];
	size_t len = 0;
	for (long i = 0; i < k && len < sizeof buf - 16; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%ld", i ? ", " : "", res[i]);
	ls_say(LS_("map(square, 1..%ld) = [%s]"), k, buf);
	ls_pool_close_join(p);
	ls_say(LS_("close() and join(): the pool processes ended and were reaped."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "processes", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 8,
	 .help = LS_N("processes in the pool")},
	{.name = "tasks", .type = LS_PARAM_INT, .def = 6, .min = 1, .max = 30,
	 .help = LS_N("arguments given to map")},
	{0},
};

LS_SCENE(.id = "pool",
         .title = LS_N("A Pool of processes: apply_async and map"),
         .summary = LS_N(
             "multiprocessing.Pool: a fixed set of worker processes takes tasks from a "
             "shared task queue and puts results back. apply_async returns at once and get() "
             "waits for its result; map returns the results in the order of its arguments, "
             "whichever process ran each task."),
         .help = LS_N(
             "Watch pool.tasks and pool.results: every task is taken exactly once by some "
             "pool process. Try processes=1 to see the tasks run one after another."),
         .params = params, .run = run);
