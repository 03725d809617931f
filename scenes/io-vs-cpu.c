/* io-vs-cpu: the course's timing table, measured.
 *
 * The same job (`tasks` tasks) done sequentially, on threads and on
 * processes, once CPU-bound (busy computation) and once IO-bound (waiting,
 * as for a disk or the network). Runs freely at full speed: it measures
 * real wall time. With gil=on, CPU-bound threads must hold a mutex that
 * models CPython's GIL (released while waiting for IO, as CPython does).
 */
#include <stdio.h>
#include <time.h>

#include "lockstep-scene.h"

#define MAXT 8
#define SLICE_MS 10

static ls_mutex *gil;
static long cpu_ms, io_ms, use_gil;

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One CPU-bound task: compute in slices; threads hand the GIL over between
 * slices, as CPython's switch interval does. */
static void cpu_task(int threaded)
{
	for (long done = 0; done < cpu_ms; done += SLICE_MS) {
		long s = cpu_ms - done < SLICE_MS ? cpu_ms - done : SLICE_MS;
		if (threaded && use_gil)
			ls_lock(gil);
		ls_compute_ms(s);
		if (threaded && use_gil)
			ls_unlock(gil);
	}
}

/* One IO-bound task: wait, holding nothing. */
static void io_task(void)
{
	ls_sleep_ms(io_ms);
}

static int cpu_thread(void *arg) { (void)arg; cpu_task(1); return 0; }
static int cpu_proc(void *arg) { (void)arg; cpu_task(0); return 0; }
static int io_worker(void *arg) { (void)arg; io_task(); return 0; }

static long measure(int io, int how, long n)
{
	long t0 = now_ms();
	if (how == 0) {
		for (long i = 0; i < n; i++) {
			if (io)
				io_task();
			else
				cpu_task(0);
		}
		return now_ms() - t0;
	}
	ls_worker w[MAXT];
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s%s%ld", io ? "io-" : "cpu-", how == 1 ? "T" : "P", i + 1);
		int (*fn)(void *) = io ? io_worker : how == 1 ? cpu_thread : cpu_proc;
		w[i] = ls_spawn(name, fn, NULL, how == 1 ? LS_THREAD : LS_PROCESS);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	return now_ms() - t0;
}

static int run(void)
{
	long n = ls_param("tasks");
	cpu_ms = ls_param("cpu");
	io_ms = ls_param("io");
	use_gil = ls_param("gil") == 0;
	if (use_gil)
		gil = ls_mutex_new("GIL");
	static const char *const how_name[3] = {"sequential", "threads", "processes"};
	const char *const how_say[3] = {LS_("sequentially"), LS_("on threads"), LS_("on processes")};
	ls_value *cell[2][3];
	char name[32];
	for (int io = 0; io < 2; io++)
		for (int how = 0; how < 3; how++) {
			snprintf(name, sizeof name, "%s.%s_ms", io ? "io" : "cpu", how_name[how]);
			cell[io][how] = ls_value_new(name, -1);
		}
	ls_say(LS_("The same job of %ld tasks, sequentially, on %ld threads and on %ld "
	           "processes; first CPU-bound (%ld ms of computation each), then IO-bound "
	           "(%ld ms of waiting each). This scene runs freely: it measures real time."),
	       n, n, n, cpu_ms, io_ms);
	if (use_gil)
		ls_say(LS_("C threads have no GIL. With gil=on, CPU-bound threads here must hold a "
		           "mutex that models CPython's GIL; waiting for IO releases it."));
	else
		ls_say(LS_("gil=off: plain C threads, which compute in parallel like processes."));
	long t[2][3];
	for (int io = 0; io < 2; io++)
		for (int how = 0; how < 3; how++) {
			ls_say(io ? LS_("Measuring the IO-bound job %s...") : LS_("Measuring the CPU-bound job %s..."),
			       how_say[how]);
			t[io][how] = measure(io, how, n);
			ls_value_write(cell[io][how], t[io][how]);
		}
	ls_say(LS_("Wall time (ms)  sequential  threads  processes"));
	ls_say(LS_("CPU-bound       %10ld  %7ld  %9ld"), t[0][0], t[0][1], t[0][2]);
	ls_say(LS_("IO-bound        %10ld  %7ld  %9ld"), t[1][0], t[1][1], t[1][2]);
	ls_say(LS_("IO-bound: threads and processes wait at the same time, so they beat "
	           "sequential by about %ld times. CPU-bound: processes use every core; "
	           "threads %s."),
	       n, use_gil ? LS_("take turns holding the GIL, so they are no faster than sequential")
	                  : LS_("without a GIL also use every core"));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "tasks", .type = LS_PARAM_INT, .def = 4, .min = 2, .max = MAXT,
	 .help = LS_N("tasks in the job, and threads or processes running them")},
	{.name = "cpu", .type = LS_PARAM_INT, .def = 150, .min = 10, .max = 5000,
	 .help = LS_N("milliseconds of computation per CPU-bound task")},
	{.name = "io", .type = LS_PARAM_INT, .def = 150, .min = 10, .max = 5000,
	 .help = LS_N("milliseconds of waiting per IO-bound task")},
	{.name = "gil", .type = LS_PARAM_CHOICE, .def = 0, .choices = "on|off",
	 .help = LS_N("CPU-bound threads hold a mutex modelling CPython's GIL")},
	{0},
};

LS_SCENE(.id = "io-vs-cpu",
         .title = LS_N("Timing table: sequential vs threads vs processes, CPU vs IO"),
         .summary = LS_N(
             "The course's timing table, measured on this machine: one job of several "
             "tasks, done sequentially, with threads and with processes, once CPU-bound "
             "and once IO-bound. IO-bound work overlaps on threads, so threads beat "
             "sequential clearly. CPU-bound work needs cores: processes win, and threads "
             "under CPython's GIL (modelled here by a mutex, gil=on) do not."),
         .help = LS_N(
             "This scene runs freely at full speed and cannot be stepped: it measures real "
             "time. The table is in the narration and in the values cpu.*_ms and io.*_ms. "
             "Try gil=off to see plain C threads compute in parallel."),
         .params = params, .run = run, .flags = LS_SCENE_FREE_RUN);
