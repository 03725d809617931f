/* gil: CPU-bound work on threads under an interpreter lock, and on processes.
 *
 * C threads have no GIL: they compute in parallel on every core. CPython's
 * threads do not, because each must hold the Global Interpreter Lock to run
 * Python code and hands it over every so often. This scene models that lock
 * with a real mutex: threads must hold it to compute a slice and drop it
 * every `interval` slices. Processes each have their own interpreter and so
 * their own GIL: nothing stops them computing at the same time.
 */
#include <stdio.h>
#include <time.h>

#include "lockstep-scene.h"

#define MAXW 8

static ls_mutex *gil, *pgil[MAXW];
static ls_value *wall[3];
static long work, interval, slice_ms;

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void compute(ls_mutex *lock)
{
	const char *me = ls_worker_name(ls_self());
	long done = 0;
	while (done < work) {
		ls_lock(lock);
		if (lock == gil)
			ls_say(LS_("%s holds the GIL and computes; the other threads cannot."), me);
		else
			ls_say(LS_("%s holds its own GIL and computes."), me);
		for (long k = 0; k < interval && done < work; k++, done++)
			ls_compute_ms(slice_ms);
		if (done < work)
			ls_say(LS_("%s computed %ld slices and drops the lock so another may run."), me,
			       interval);
		ls_unlock(lock);
	}
}

static int thread_fn(void *arg)
{
	(void)arg;
	compute(gil);
	return 0;
}

static int process_fn(void *arg)
{
	compute(pgil[(long)arg]);
	return 0;
}

static int run(void)
{
	long n = ls_param("workers");
	work = ls_param("work");
	interval = ls_param("interval");
	slice_ms = ls_param("slice");
	gil = ls_mutex_new("GIL");
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "GIL of P%ld", i + 1);
		pgil[i] = ls_mutex_new(name);
	}
	wall[0] = ls_value_new("sequential_ms", 0);
	wall[1] = ls_value_new("threads_ms", 0);
	wall[2] = ls_value_new("processes_ms", 0);
	ls_say(LS_("C threads have no GIL: real C threads compute in parallel. The lock named "
	           "GIL here is a real mutex that models CPython's Global Interpreter Lock: a "
	           "thread must hold it to compute, and drops it every %ld slices."), interval);

	ls_say(LS_("First, sequentially: main computes all %ld x %ld slices itself."), n, work);
	long t0 = now_ms();
	for (long i = 0; i < n * work; i++)
		ls_compute_ms(slice_ms);
	long seq = now_ms() - t0;
	ls_value_write(wall[0], seq);

	ls_say(LS_("Now %ld threads share one GIL: at most one computes at any moment, the "
	           "others are BLOCKED on the GIL."), n);
	ls_worker w[MAXW];
	t0 = now_ms();
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "T%ld", i + 1);
		w[i] = ls_spawn(name, thread_fn, NULL, LS_THREAD);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	long thr = now_ms() - t0;
	ls_value_write(wall[1], thr);

	ls_say(LS_("Now %ld processes, each with its own interpreter and its own GIL: none "
	           "waits for another, they compute in parallel."), n);
	t0 = now_ms();
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "P%ld", i + 1);
		w[i] = ls_spawn(name, process_fn, (void *)i, LS_PROCESS);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	long proc = now_ms() - t0;
	ls_value_write(wall[2], proc);

	ls_say(LS_("Wall time: sequential %ld ms, threads with the GIL %ld ms, processes %ld ms."),
	       seq, thr, proc);
	if (ls_controlled())
		ls_say(LS_("(Stepping moves one worker at a time, so these times measure the "
		           "stepping. Run freely to see threads with the GIL take about as long "
		           "as sequential work, and processes less, one core each.)"));
	else
		ls_say(LS_("Threads with the GIL took about as long as doing it all in one "
		           "thread; processes used the cores in parallel."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "workers", .type = LS_PARAM_INT, .def = 4, .min = 1, .max = MAXW,
	 .help = LS_N("threads, and then processes")},
	{.name = "work", .type = LS_PARAM_INT, .def = 6, .min = 1, .max = 1000,
	 .help = LS_N("slices of computation each worker does")},
	{.name = "interval", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 1000,
	 .help = LS_N("slices computed before the GIL is handed over")},
	{.name = "slice", .type = LS_PARAM_INT, .def = 20, .min = 0, .max = 1000,
	 .help = LS_N("milliseconds of computation per slice")},
	{0},
};

LS_SCENE(.id = "gil",
         .title = LS_N("CPU-bound threads under a modelled GIL vs processes"),
         .summary = LS_N(
             "C threads have no GIL; this scene models CPython's with a real mutex. The "
             "same CPU-bound job runs sequentially, on 4 threads that must hold the GIL "
             "to compute and hand it over every few slices, and on 4 processes that each "
             "have their own interpreter and GIL. With the GIL at most one thread "
             "computes at any moment, so threads take about as long as sequential work; "
             "processes compute in parallel."),
         .help = LS_N(
             "Any schedule: only the holder of GIL computes, the other threads are "
             "BLOCKED on it; the processes never wait for one another. The measured wall "
             "times are at the end of the narration and in the values sequential_ms, "
             "threads_ms and processes_ms; they mean something in a free run only."),
         .params = params, .run = run);
