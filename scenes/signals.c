/* signals: the course's homework, the driver and the conductor (售票员和司机).
 *
 * The driver is a process; the conductor is its child. The keyboard's
 * signals go to the whole process group (as ^C, ^\ and ^Z do in a terminal),
 * so each process ignores the ones that are not its own:
 *   SIGINT  reaches the conductor -> it sends SIGUSR1 to the driver, who
 *           says 老司机开车了 (the old driver is off!)
 *   SIGQUIT reaches the conductor -> SIGUSR2 to the driver: 系好安全带，小心甩出去
 *           (fasten your seat belts, or you'll be thrown out)
 *   SIGTSTP reaches the driver    -> SIGUSR1 to the conductor: 到站了，下车吧
 *           (we've arrived, off you get); the conductor gets off (exits)
 *           first, then the driver, who waited for it.
 * A prologue shows alarm() and pause() in main. Handlers run as Python runs
 * them (see lockstep-scene.h), so they may send signals themselves. The
 * three lines are printed (ls_print), exactly, as each process's own output;
 * the narration gives their meaning in the user's language.
 */
#include <signal.h>
#include <unistd.h>

#include "lockstep-scene.h"

static ls_worker conductor_w;
static int arrived; /* driver: SIGTSTP came */
static int off;     /* conductor: told to get off */

/* ---- the conductor (the child) ---- */

static void conductor_on_int(int sig)
{
	(void)sig;
	ls_say(LS_("Conductor: SIGINT is mine. I signal the driver to start (SIGUSR1)."));
	ls_kill_parent(SIGUSR1);
}

static void conductor_on_quit(int sig)
{
	(void)sig;
	ls_say(LS_("Conductor: SIGQUIT is mine. I warn the driver (SIGUSR2)."));
	ls_kill_parent(SIGUSR2);
}

static void conductor_on_usr1(int sig)
{
	(void)sig;
	ls_print("到站了，下车吧"); /* the homework's line, exactly */
	ls_say(LS_("The conductor printed: We've arrived, off you get."));
	off = 1;
}

static int conductor(void *arg)
{
	(void)arg;
	ls_signal_ignore(SIGTSTP); /* the driver's */
	ls_signal_handle(SIGINT, conductor_on_int, "conductor_on_int");
	ls_signal_handle(SIGQUIT, conductor_on_quit, "conductor_on_quit");
	ls_signal_handle(SIGUSR1, conductor_on_usr1, "conductor_on_usr1");
	ls_say(LS_("Conductor (pid %ld, child of %ld): I handle SIGINT and SIGQUIT, and ignore SIGTSTP."),
	       (long)getpid(), (long)getppid());
	while (!off)
		ls_pause();
	ls_say(LS_("Conductor gets off the bus first."));
	return 0;
}

/* ---- the driver (the parent) ---- */

static void driver_on_usr1(int sig)
{
	(void)sig;
	ls_print("老司机开车了");
	ls_say(LS_("The driver printed: The old driver is off!"));
}

static void driver_on_usr2(int sig)
{
	(void)sig;
	ls_print("系好安全带，小心甩出去");
	ls_say(LS_("The driver printed: Fasten your seat belts, or you'll be thrown out!"));
}

static void driver_on_tstp(int sig)
{
	(void)sig;
	ls_say(LS_("Driver: SIGTSTP is mine. We have arrived: I tell the conductor (SIGUSR1)."));
	ls_kill(conductor_w, SIGUSR1);
	arrived = 1;
}

static int driver(void *arg)
{
	(void)arg;
	/* SIGINT and SIGQUIT stay ignored, as inherited from main */
	ls_signal_handle(SIGUSR1, driver_on_usr1, "driver_on_usr1");
	ls_signal_handle(SIGUSR2, driver_on_usr2, "driver_on_usr2");
	ls_signal_handle(SIGTSTP, driver_on_tstp, "driver_on_tstp");
	conductor_w = ls_spawn("conductor", conductor, NULL, LS_PROCESS);
	ls_say(LS_("Driver (pid %ld): I handle SIGTSTP, SIGUSR1 and SIGUSR2, and ignore SIGINT and SIGQUIT."),
	       (long)getpid());
	while (!arrived)
		ls_pause();
	ls_join(conductor_w);
	ls_say(LS_("Driver: the conductor is off; I get off last."));
	return 0;
}

/* ---- main: the alarm/pause prologue, then the bus ---- */

static void on_alarm(int sig)
{
	(void)sig;
	ls_say(LS_("main: SIGALRM! The alarm rang, pause() returns."));
}

static int run(void)
{
	ls_say(LS_("Prologue: main asks for SIGALRM in %ld second(s) with alarm(), then waits in pause()."),
	       ls_param("alarm"));
	ls_signal_handle(SIGALRM, on_alarm, "on_alarm");
	ls_alarm((unsigned)ls_param("alarm"));
	ls_pause();
	ls_say(LS_("main ignores the keyboard's signals (it is in the group too) and starts the driver."));
	ls_signal_ignore(SIGINT);
	ls_signal_ignore(SIGQUIT);
	ls_signal_ignore(SIGTSTP);
	ls_worker d = ls_spawn("driver", driver, NULL, LS_PROCESS);
	ls_say(LS_("Send signals as the terminal would, to the whole group: SIGINT (^C) starts the "
	           "bus, SIGQUIT (^\\) warns the passengers, SIGTSTP (^Z) arrives."));
	ls_join(d);
	ls_say(LS_("Everyone got off: the conductor first, then the driver."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "alarm", .type = LS_PARAM_INT, .def = 1, .min = 1, .max = 10,
	 .help = LS_N("seconds before the prologue's SIGALRM")},
	{0},
};

/* Challenges (lockstep-scene.h, "goals") and the moments to predict. */
LS_GOALS({.id = "drive", .value = "老司机开车了", .test = LS_GOAL_PRINTED,
          .help = LS_N("make the driver say 老司机开车了 (send the right signal to the right process)")},
         {.id = "driver-first", .test = LS_GOAL_IMPOSSIBLE,
          .help = LS_N("make the driver get off before the conductor"),
          .why = LS_N("the driver joins the conductor: it cannot end before the conductor has")});
LS_PREDICTIONS({.ask = LS_ASK_NEXT, .object = NULL});

LS_SCENE(.id = "signals",
         .title = LS_N("The driver and the conductor: signals between processes (售票员和司机)"),
         .summary = LS_N(
             "The course's homework. The driver (parent) and the conductor (child) wait in "
             "pause(). SIGINT reaching the conductor makes it send SIGUSR1 to the driver, who "
             "says 老司机开车了 (the old driver is off!); SIGQUIT makes it send SIGUSR2, and the "
             "driver says 系好安全带，小心甩出去 (fasten your seat belts, or you'll be thrown "
             "out!); SIGTSTP reaching the driver makes it send SIGUSR1 to the conductor, who "
             "says 到站了，下车吧 (we've arrived, off you get) and gets off first; then the "
             "driver. Each ignores the keyboard's signals that are not its own. A prologue "
             "shows alarm() and pause()."),
         .help = LS_N(
             "Use the send-signal action: to the whole group, as ^C, ^\\ and ^Z would, or to "
             "one process, as kill(1) would. Headless, the documented schedule is "
             "rest,signal:group:INT,rest,signal:group:QUIT,rest,signal:group:TSTP "
             "('rest' lets everyone run until all wait in pause()). Sending SIGINT only to "
             "the driver does nothing: it ignores it."),
         .params = params, .run = run);
