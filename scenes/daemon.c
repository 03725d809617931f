/* daemon: main ends; the program waits for the non-daemon, not the daemon.
 *
 * Python keeps the program alive until every non-daemon thread has ended,
 * then stops daemon threads wherever they are. Here main starts a daemon
 * that ticks forever and a worker with a finite job, and returns at once.
 */
#include "lockstep-scene.h"

static ls_value *ticks, *progress;
static long tick_ms, steps;

static int daemon_fn(void *arg)
{
	(void)arg;
	for (;;) {
		ls_sleep_ms(tick_ms);
		long t = ls_value_read(ticks) + 1;
		ls_value_write(ticks, t);
		ls_say(LS_("daemon: tick %ld. It never ends by itself."), t);
	}
	return 0;
}

static int worker(void *arg)
{
	(void)arg;
	for (long i = 1; i <= steps; i++) {
		ls_sleep_ms(tick_ms);
		ls_value_write(progress, i);
		ls_say(LS_("worker: part %ld of %ld done."), i, steps);
	}
	ls_say(LS_("worker is done. It was the last non-daemon thread: the program now "
	           "ends and the daemon is stopped wherever it is."));
	return 0;
}

static int run(void)
{
	tick_ms = ls_param("tick");
	steps = ls_param("parts");
	ticks = ls_value_new("ticks", 0);
	progress = ls_value_new("progress", 0);
	ls_spawn("daemon", daemon_fn, NULL, LS_THREAD | LS_DAEMON);
	ls_spawn("worker", worker, NULL, LS_THREAD);
	ls_say(LS_("main started a daemon thread (ticks forever) and a worker (%ld parts), "
	           "and returns now without joining them. The program waits for the "
	           "worker, a non-daemon, but not for the daemon."), steps);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "tick", .type = LS_PARAM_INT, .def = 100, .min = 1, .max = 10000,
	 .help = LS_N("milliseconds between the daemon's ticks and the worker's parts")},
	{.name = "parts", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 100,
	 .help = LS_N("parts of the worker's job")},
	{0},
};

LS_SCENE(.id = "daemon",
         .title = LS_N("Daemon and non-daemon threads when main ends"),
         .summary = LS_N(
             "main starts a daemon thread that ticks forever and an ordinary worker with "
             "a finite job, then ends. The program does not end with main: it waits until "
             "the worker, a non-daemon thread, is done. Then the daemon is stopped where "
             "it stands: its row shows it stopped as a daemon, not finished."),
         .help = LS_N(
             "Any schedule: main TERMINATES first, the worker runs its parts to the end, "
             "and only then is the daemon stopped (exit 'daemon stopped'). A daemon must "
             "not hold anything that needs cleaning up: it gets no chance to."),
         .params = params, .run = run);
