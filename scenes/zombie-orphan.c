/* zombie-orphan: a child that has exited but is not yet waited for is a
 * zombie; a child whose parent exits first is an orphan, and is adopted.
 *
 * Act 1: main starts `child`, which exits at once; main sleeps before it
 * waits, so the child stays a ZOMBIE, and /proc agrees ('Z'). main's join
 * (waitpid) reaps it: TERMINATED, and /proc no longer knows the pid.
 * Act 2: main starts `parent`, which starts `orphan` and exits at once with
 * os._exit, without waiting for it. The orphan's parent is now the nearest
 * subreaper, the scene host (main): getppid() says so, and lockstep shows
 * the new parent. main reaps both.
 */
#include <unistd.h>

#include "lockstep-scene.h"

static long delay_ms;

static int child(void *arg)
{
	(void)arg;
	ls_say(LS_("child (pid %ld): I exit at once. Until my parent waits, I am a zombie."),
	       (long)getpid());
	return 0;
}

static int orphan(void *arg)
{
	(void)arg;
	long before = ls_getppid();
	ls_say(LS_("orphan: my parent is pid %ld."), before);
	ls_sleep_ms(delay_ms);
	long after = ls_getppid();
	ls_say(LS_("orphan: my parent is now pid %ld: I was adopted by the scene host (a subreaper), "
	           "as init would adopt me in a plain system."), after);
	return 0;
}

static int parent(void *arg)
{
	(void)arg;
	ls_spawn("orphan", orphan, NULL, LS_PROCESS | LS_ORPHAN_OK);
	ls_sleep_ms(delay_ms / 2);
	ls_say(LS_("parent (pid %ld): I started orphan and exit now with os._exit, without waiting for it."),
	       (long)getpid());
	ls_exit(0);
}

static int run(void)
{
	delay_ms = ls_param("delay");
	ls_say(LS_("Act 1: a zombie. main starts child and waits %ld ms before wait()."), delay_ms);
	ls_worker c = ls_spawn("child", child, NULL, LS_PROCESS);
	ls_sleep_ms(delay_ms);
	int st = ls_proc_state(c);
	ls_say(LS_("/proc/PID/stat of child says state '%c'%s."), st,
	       st == 'Z' ? LS_(": a zombie, exited and not reaped") : "");
	ls_join(c);
	st = ls_proc_state(c);
	ls_say(LS_("After wait(), /proc says '%c': the zombie is gone (reaped)."), st);

	ls_say(LS_("Act 2: an orphan. parent starts orphan and exits first."));
	ls_worker p = ls_spawn("parent", parent, NULL, LS_PROCESS);
	ls_join(p);
	ls_say(LS_("main reaped parent. Its child lives on, adopted by main's process."));
	for (int i = 1; i < 8; i++) {
		if (ls_worker_name(i)[0] == 'o') { /* the orphan: reap it too */
			ls_join(i);
			break;
		}
	}
	ls_say(LS_("main reaped the orphan too: nothing is left behind."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "delay", .type = LS_PARAM_INT, .def = 500, .min = 1, .max = 10000,
	 .help = LS_N("ms main waits before wait(), and the orphan before asking again")},
	{0},
};

LS_SCENE(.id = "zombie-orphan",
         .title = LS_N("Zombie and orphan processes"),
         .summary = LS_N(
             "A child that has exited stays a ZOMBIE until its parent waits for it; /proc "
             "shows it as 'Z'. A child whose parent exits first is an orphan: it is adopted "
             "(here by the scene host, a subreaper; in a plain system by init), and its "
             "getppid() changes."),
         .help = LS_N(
             "Watch child's state go RUNNABLE -> ZOMBIE -> TERMINATED, and orphan's parent "
             "change from 'parent' to 'main'. Any schedule shows both: the sleeps run on "
             "virtual time, so main always waits after the child has exited."),
         .params = params, .run = run);
