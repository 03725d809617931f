/* probe_program: the scene host of `lockstep run -- PROGRAM`.
 *
 * A program is not a scene module: it cannot be called, it must be exec'd,
 * and what it does is announced by its own tracer (src/pytrace, through
 * liblockstep-py.so, which is this probe built as a shared library). The
 * host stays a small C process above it, in the group lockstep forked:
 * it says HELLO, declares the program's main thread as worker "main", forks
 * and execs the program with the bus and the control block on inherited
 * descriptors, reaps it (and, as a subreaper, every orphan below it), says
 * how it ended (EXIT of main: its status, or the signal that killed it),
 * removes the names it registered and says END. So the engine sees a
 * program's run exactly as a scene's, and a program killed at any moment
 * still has its outcome told by someone who survived it.
 *
 * Runs only in the forked host. Never touches curses, the model or the
 * catalog.
 */
#include "probe.h"
#include "probe_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "i18n.h"

/* Every child of this process (the program's orphans come back here). */
static void kill_children(void)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	long pid;
	while (fscanf(f, "%ld", &pid) == 1)
		if (pid > 1)
			kill((pid_t)pid, SIGKILL);
	fclose(f);
}

/* The host reaped pid, a process of the program that is not its main one:
 * an orphan it adopted as the subreaper. Its worker (if the tracer made
 * one) is reaped by lockstep (-1), as a C scene's host says of its
 * orphans; else the model would keep it a zombie for ever. */
static void orphan_reaped(pid_t pid, int st, int killed_by_host)
{
	int n = (int)atomic_load(&probe_ctl->nworkers);
	for (int i = 1; i < n && i < LS_MAX_WORKERS; i++) {
		/* the program's arena is its own: the pid is in the shared block */
		if (atomic_load(&probe_ctl->slots[i].pid) != (int32_t)pid)
			continue;
		/* one the host killed at the end without a word of its own is
		 * announced below with the rest: stopped with the program */
		if (killed_by_host && !atomic_load(&probe_ctl->slots[i].exited))
			return;
		/* one killed by a signal said nothing: it is over all the same,
		 * and must not be announced again as stopped with the program */
		uint32_t live = 0;
		atomic_compare_exchange_strong(&probe_ctl->slots[i].exited, &live, 1);
		probe_emit(LS_EV_REAPED, i, -1, st, -1, 0, 0);
		bus_flush();
		return;
	}
}

/* Reap the program's children as they end, until none is left (returns
 * 1), or until `until` passes or, with free_only, the run stops being free
 * (returns 0). killed: the host has killed them (orphan_reaped). */
static int reap_until(uint64_t until, int free_only, int killed)
{
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p > 0) {
			orphan_reaped(p, st, killed);
			continue;
		}
		if (p < 0 && errno != EINTR)
			return 1; /* ECHILD: none left */
		if (probe_now_ns() >= until || (free_only && probe_mode() != LS_MODE_RUN))
			return 0;
		struct timespec ts = {0, 2000000};
		nanosleep(&ts, NULL);
	}
}

/* What the program left running (worker processes of its own) goes with
 * it, as daemons go with a scene. In a free run its orphans first go on by
 * themselves for a second, as they would after a real program's end, and
 * those that end meanwhile end in their own words; in a stepped run the
 * engine decides when anyone moves, and they are stopped at once. Those
 * left are asked to stop, and killed after half a second. */
static void reap_rest(void)
{
	if (reap_until(probe_now_ns() + 1000000000u, 1, 0))
		return;
	atomic_store(&probe_ctl->stopping, 1);
	ctl_wake_all(probe_ctl);
	if (reap_until(probe_now_ns() + 500000000u, 0, 0))
		return;
	kill_children();
	reap_until(UINT64_MAX, 0, 1);
}

static _Noreturn void exec_program(char *const *argv, int go_fd, int bus_fd, int ctl_fd,
                                   pid_t host)
{
	/* the program dies with its host, as every worker process does (the
	 * death signal survives execve): a lockstep killed with SIGKILL takes
	 * its host along, and the host must not leave the program behind */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != host) /* it died before we asked: no signal comes */
		_exit(137);
	char b;
	/* wait until main's SPAWN is on the bus: the engine must know the
	 * worker before the program speaks as it */
	while (read(go_fd, &b, 1) < 0 && errno == EINTR)
		;
	close(go_fd);
	/* the program's tracer writes records: these two cross execve */
	fcntl(bus_fd, F_SETFD, 0);
	fcntl(ctl_fd, F_SETFD, 0);
	char num[16];
	snprintf(num, sizeof num, "%d", bus_fd);
	setenv("LOCKSTEP_BUS_FD", num, 1);
	snprintf(num, sizeof num, "%d", ctl_fd);
	setenv("LOCKSTEP_CTL_FD", num, 1);
	execvp(argv[0], argv);
	int e = errno;
	char line[512];
	snprintf(line, sizeof line, _("cannot run %s: %s"), argv[0], strerror(e));
	probe_self = 0;
	probe_emit_fatal_line(line);
	ctl_note_misuse(probe_ctl, line);
	bus_flush();
	_exit(127);
}

_Noreturn void probe_program_main(char *const *argv, struct ls_ctl *c, int bus_fd, int ctl_fd)
{
	int e = probe_attach(c, bus_fd);
	if (e) {
		ctl_note_misuse(c, strerror(e));
		_exit(70);
	}
	probe_emit(LS_EV_HELLO, -1, -1, getpid(), LS_SCENE_ABI, 0, 0);
	int main_id = probe_declare_worker("main", LS_WK_THREAD, LS_WF_MAIN);
	int go[2];
	if (pipe2(go, O_CLOEXEC) != 0) {
		ctl_note_misuse(c, strerror(errno));
		_exit(70);
	}
	bus_flush();
	pid_t host = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		ctl_note_misuse(c, strerror(errno));
		_exit(70);
	}
	if (pid == 0) {
		close(go[1]);
		exec_program(argv, go[0], bus_fd, ctl_fd, host);
	}
	close(go[0]);
	/* The user's signals to the group (the keyboard's, as the homework's
	 * driver and conductor expect them, or any other from the signal
	 * menu) are the program's: the host, in the group too, ignores them,
	 * or one ^C would end the run. Only here: an ignored disposition
	 * would cross the program's execve. SIGTERM still stops the host;
	 * SIGCHLD keeps its default (ignoring it would reap for us). */
	static const int keyboard[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP,
	                               SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGWINCH};
	for (size_t i = 0; i < sizeof keyboard / sizeof keyboard[0]; i++)
		signal(keyboard[i], SIG_IGN);
	probe_arena->w[main_id].pid = pid;
	probe_arena->w[main_id].owner_pid = getpid();
	/* the program's main thread: its tid is its pid */
	probe_emit(LS_EV_SPAWN, main_id, -1, pid, pid, getpid(), 0);
	bus_flush();
	if (write(go[1], "g", 1) != 1) { /* cannot fail: the child holds the read end */
	}
	close(go[1]);

	int st = 0;
	for (;;) {
		pid_t p = waitpid(-1, &st, 0);
		if (p == pid)
			break;
		if (p > 0)
			orphan_reaped(p, st, 0);
		if (p < 0 && errno != EINTR)
			break;
	}
	reap_rest();

	int code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : 0;
	int how = WIFSIGNALED(st) ? LS_EXIT_SIGNALED : LS_EXIT_RETURN;
	/* workers that said nothing more: ended with the program */
	int n = (int)atomic_load(&probe_ctl->nworkers);
	for (int i = 1; i < n && i < LS_MAX_WORKERS; i++)
		if (!atomic_load(&probe_ctl->slots[i].exited)) {
			atomic_store(&probe_ctl->slots[i].exited, 2);
			probe_emit(LS_EV_EXIT, i, -1, how == LS_EXIT_SIGNALED ? code : 0,
			           how == LS_EXIT_SIGNALED ? how : LS_EXIT_DAEMON_STOPPED, 0, 0);
		}
	if (!atomic_load(&probe_ctl->slots[main_id].exited)) {
		atomic_store(&probe_ctl->slots[main_id].exited, 1);
		probe_emit(LS_EV_EXIT, main_id, -1, code, how, 0, 0);
	}
	ctl_ipc_unlink_all(probe_ctl);
	probe_emit(LS_EV_END, -1, -1, code, st, 0, 0);
	bus_flush();
	_exit(0);
}
