/* signals-free: the driver and conductor homework in a free run, with main
 * playing the keyboard (ls_kill to each process). Exercises the free-run
 * paths: a real pause (ppoll with the handled signals unblocked), handlers
 * run on the way out of it, a pipe read that waits in the kernel. */
#include <signal.h>

#include "lockstep-scene.h"

static ls_pipe *ready;
static ls_worker conductor_w;
static int arrived, off;

static void c_int(int s) { (void)s; ls_kill_parent(SIGUSR1); }
static void c_quit(int s) { (void)s; ls_kill_parent(SIGUSR2); }
static void c_usr1(int s) { (void)s; ls_say("conductor: arrived"); off = 1; }
static void d_usr1(int s) { (void)s; ls_say("driver: off we go"); }
static void d_usr2(int s) { (void)s; ls_say("driver: seat belts"); }
static void d_tstp(int s) { (void)s; ls_kill(conductor_w, SIGUSR1); arrived = 1; }

static int conductor(void *a)
{
	(void)a;
	ls_signal_ignore(SIGTSTP);
	ls_signal_handle(SIGINT, c_int, "c_int");
	ls_signal_handle(SIGQUIT, c_quit, "c_quit");
	ls_signal_handle(SIGUSR1, c_usr1, "c_usr1");
	ls_pipe_write(ready, 2);
	while (!off)
		ls_pause();
	return 0;
}

static int driver(void *a)
{
	(void)a;
	ls_signal_handle(SIGUSR1, d_usr1, "d_usr1");
	ls_signal_handle(SIGUSR2, d_usr2, "d_usr2");
	ls_signal_handle(SIGTSTP, d_tstp, "d_tstp");
	conductor_w = ls_spawn("conductor", conductor, NULL, LS_PROCESS);
	ls_pipe_write(ready, 1);
	while (!arrived)
		ls_pause();
	ls_join(conductor_w);
	return 0;
}

static int run(void)
{
	ready = ls_pipe_new("ready");
	ls_signal_ignore(SIGINT);
	ls_signal_ignore(SIGQUIT);
	ls_signal_ignore(SIGTSTP);
	ls_worker d = ls_spawn("driver", driver, NULL, LS_PROCESS);
	long m;
	ls_pipe_read(ready, &m);
	ls_pipe_read(ready, &m); /* both have their handlers */
	ls_kill(2, SIGINT);      /* the conductor is worker 2: main 0, driver 1 */
	ls_sleep_ms(100);
	ls_kill(2, SIGQUIT);
	ls_sleep_ms(100);
	ls_kill(d, SIGTSTP);
	ls_join(d);
	return 0;
}

LS_SCENE(.id = "test-signals-free", .title = "test: the signals homework, free run",
         .summary = "main sends the keyboard's signals itself, at full speed.", .run = run,
         .flags = LS_SCENE_FREE_RUN);
