/* fork-join: a parent starts three processes, watches them, joins them.
 *
 * A returns 0, B returns the exit code chosen by the `code` parameter, C
 * waits in pause() until the parent terminates it (SIGTERM), as
 * multiprocessing.Process.terminate() does. The parent asks is_alive()
 * before and after, and join() (waitpid) reaps each: a child that has
 * exited and is not yet joined is a ZOMBIE; joined, it is TERMINATED. The
 * exit codes are 0, the chosen code, and -15 (killed by SIGTERM).
 */
#include <stdio.h>
#include <unistd.h>

#include "lockstep-scene.h"

static long chosen;

static int child_ok(void *arg)
{
	(void)arg;
	ls_say(LS_("A (pid %ld, parent %ld) does its work and returns 0."), (long)getpid(),
	       (long)getppid());
	ls_sleep_ms(100);
	return 0;
}

static int child_code(void *arg)
{
	(void)arg;
	ls_say(LS_("B (pid %ld) works a little longer and exits with code %ld."), (long)getpid(),
	       chosen);
	ls_sleep_ms(200);
	return (int)chosen;
}

static int child_forever(void *arg)
{
	(void)arg;
	ls_say(LS_("C (pid %ld) waits in pause() for a signal that will never be handled."),
	       (long)getpid());
	for (;;)
		ls_pause();
	return 0;
}

static int run(void)
{
	chosen = ls_param("code");
	ls_say(LS_("The parent starts three child processes with fork(): A, B and C."));
	ls_worker a = ls_spawn("A", child_ok, NULL, LS_PROCESS);
	ls_worker b = ls_spawn("B", child_code, NULL, LS_PROCESS);
	ls_worker c = ls_spawn("C", child_forever, NULL, LS_PROCESS);
	int alive = ls_is_alive(a) + ls_is_alive(b) + ls_is_alive(c);
	ls_say(LS_("is_alive(): %d of 3 children are alive."), alive);
	int code = ls_join(a);
	ls_say(LS_("join(A) returned: A.exitcode = %d. A is reaped (TERMINATED)."), code);
	code = ls_join(b);
	ls_say(LS_("join(B) returned: B.exitcode = %d."), code);
	ls_say(LS_("C would wait forever: the parent calls C.terminate(), which sends SIGTERM."));
	ls_terminate(c);
	code = ls_join(c);
	ls_say(LS_("join(C) returned: C.exitcode = %d (negative: killed by signal %d, SIGTERM)."),
	       code, -code);
	ls_say(LS_("is_alive(C) after the join: %s."), ls_is_alive(c) ? LS_("yes") : LS_("no"));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "code", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 255,
	 .help = LS_N("the exit code B returns")},
	{0},
};

LS_SCENE(.id = "fork-join",
         .title = LS_N("A parent starts, watches and joins three processes"),
         .summary = LS_N(
             "multiprocessing.Process in C: the parent forks A, B and C, asks is_alive(), "
             "and join()s each. A returns 0, B returns a chosen exit code, C is terminated "
             "with SIGTERM, so its exit code is -15. A child that has exited but is not yet "
             "joined is a ZOMBIE; the join (waitpid) reaps it."),
         .help = LS_N(
             "Each worker shows its pid and its parent. Step the parent alone (schedule "
             "main,main,...) to see a child stay RUNNABLE while the parent waits in join; "
             "step A first to see A become a ZOMBIE before the parent joins it. "
             "Try --param code=42."),
         .params = params, .run = run);
