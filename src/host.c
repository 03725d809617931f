/* host: fork, process group, kill, reap. See host.h. */
#include "host.h"

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
#include "probe.h"
#include "program.h"

void host_become_subreaper(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
}

/* The host inherits libev's and curses' handlers: give every signal back
 * its default, unblock everything, so kill() means what it says. */
static void reset_signals(void)
{
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

/* The run's directory is done with: removed, unless it is the caller's. */
static void host_drop_dir(struct host *h)
{
	if (!h->kept_dir)
		rundir_remove(h->rundir);
	h->rundir[0] = '\0';
}

int host_start(struct host *h, const struct ls_scene *sc, const struct program *prog,
               const long *params, enum ls_mode mode, unsigned delay_us,
               const char *keep_dir, char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	h->bus_fd = h->out_fd = -1;
	int bus[2], out[2];
	char token[RUNDIR_TOKEN];
	int e;
	if (keep_dir) {
		snprintf(h->rundir, sizeof h->rundir, "%s", keep_dir);
		h->kept_dir = 1;
		if ((e = rundir_reuse(h->rundir, token)) != 0) {
			snprintf(err, errlen, "%s: %s", h->rundir, strerror(e));
			h->rundir[0] = '\0';
			return e;
		}
	} else if ((e = rundir_make(h->rundir, token, err, errlen)) != 0) {
		return e;
	}
	e = bus_pipe(bus);
	if (e) {
		snprintf(err, errlen, "pipe: %s", strerror(e));
		host_drop_dir(h);
		return e;
	}
	if (pipe2(out, O_CLOEXEC) != 0) {
		e = errno;
		snprintf(err, errlen, "pipe: %s", strerror(e));
		close(bus[0]);
		close(bus[1]);
		host_drop_dir(h);
		return e;
	}
	fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
	/* a program's tracer maps the block again after exec: a memfd */
	int ctl_fd = -1;
	h->ctl = prog ? ctl_create_fd(&ctl_fd) : ctl_create();
	if (!h->ctl) {
		e = errno;
		snprintf(err, errlen, "mmap: %s", strerror(e));
		close(bus[0]); close(bus[1]); close(out[0]); close(out[1]);
		host_drop_dir(h);
		return e;
	}
	memcpy(h->ctl->rundir, h->rundir, sizeof h->ctl->rundir);
	memcpy(h->ctl->token, token, sizeof h->ctl->token);
	atomic_store(&h->ctl->mode, (uint32_t)mode);
	atomic_store(&h->ctl->delay_us, delay_us);
	pid_t parent = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		e = errno;
		snprintf(err, errlen, "fork: %s", strerror(e));
		close(bus[0]); close(bus[1]); close(out[0]); close(out[1]);
		if (ctl_fd >= 0)
			close(ctl_fd);
		ctl_destroy(h->ctl);
		h->ctl = NULL;
		host_drop_dir(h);
		return e;
	}
	if (pid == 0) {
		setpgid(0, 0);
		reset_signals();
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(72);
		host_become_subreaper();
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		dup2(bus[1], 3);
		/* workers fork and keep it; a program the scene execs must not
		 * be able to write records */
		fcntl(3, F_SETFD, FD_CLOEXEC);
		if (prog) {
			dup2(ctl_fd, 4);
			fcntl(4, F_SETFD, FD_CLOEXEC); /* probe_program_main hands both down */
			close_range(5, ~0u, 0);
			for (char *const *v = prog->env; *v; v++)
				putenv(*v);
			probe_program_main(prog->argv, h->ctl, 3, 4);
		}
		close_range(4, ~0u, 0);
		static const struct probe_family *const families[] = {&probe_ipc_family, NULL};
		probe_host_main(sc, params, h->ctl, 3, families);
	}
	if (ctl_fd >= 0)
		close(ctl_fd);
	setpgid(pid, pid);
	/* from now on the directory is the group's: swept once it is dead */
	rundir_set_host(h->rundir, pid);
	close(bus[1]);
	close(out[1]);
	h->pid = pid;
	h->bus_fd = bus[0];
	h->out_fd = out[0];
	return 0;
}

void host_kill(struct host *h)
{
	if (h->pid > 1)
		kill(-h->pid, SIGKILL);
}

int host_group_alive(const struct host *h)
{
	return h->pid > 1 && kill(-h->pid, 0) == 0;
}

/* Run directories whose group was still dying when its run ended: removed
 * by host_reap_all(), once every child is reaped. */
#define PENDING_MAX 64
static struct {
	pid_t pid;
	char dir[RUNDIR_MAX];
} pending[PENDING_MAX];

/* A free entry of pending[], after removing the directories of groups
 * that have died since they were put there; -1 when every one is dying. */
static int pending_slot(void)
{
	int free_slot = -1;
	for (int i = 0; i < PENDING_MAX; i++) {
		if (pending[i].pid && !rundir_group_alive(pending[i].pid)) {
			rundir_remove(pending[i].dir);
			pending[i].pid = 0;
		}
		if (!pending[i].pid && free_slot < 0)
			free_slot = i;
	}
	return free_slot;
}

void host_cleanup(struct host *h)
{
	if (!h->rundir[0])
		return;
	host_kill(h);
	if (h->kept_dir) { /* the caller's, cleared before its next run */
		h->rundir[0] = '\0';
		return;
	}
	/* SIGKILL takes effect in microseconds; a process in an uninterruptible
	 * wait can take longer, and then the next start sweeps */
	struct timespec ts = {0, 1000000};
	for (int i = 0; i < 40 && h->pid > 1 && rundir_group_alive(h->pid); i++) {
		nanosleep(&ts, NULL);
		if (ts.tv_nsec < 50000000)
			ts.tv_nsec *= 2;
	}
	if (h->pid > 1 && rundir_group_alive(h->pid)) {
		/* still dying (a loaded machine): removed once reaped; a kept
		 * directory is its owner's to remove, after host_reap_all() */
		int slot = pending_slot();
		if (slot >= 0) {
			pending[slot].pid = h->pid;
			memcpy(pending[slot].dir, h->rundir, sizeof pending[slot].dir);
			return;
		}
		/* 64 groups still dying: this one is waited for rather than
		 * forgotten (a forgotten directory would outlive lockstep), up to
		 * 10 s more; a group stuck longer than that is the next start's */
		for (int i = 0; i < 150 && rundir_group_alive(h->pid); i++)
			nanosleep(&ts, NULL);
		if (rundir_group_alive(h->pid))
			return;
	}
	host_drop_dir(h);
}

void host_close(struct host *h)
{
	if (h->bus_fd >= 0)
		close(h->bus_fd);
	if (h->out_fd >= 0)
		close(h->out_fd);
	ctl_destroy(h->ctl);
	h->bus_fd = h->out_fd = -1;
	h->ctl = NULL;
}

void host_reap_all(void)
{
	for (;;) {
		pid_t p = waitpid(-1, NULL, 0);
		if (p > 0 || (p < 0 && errno == EINTR))
			continue;
		break;
	}
	for (int i = 0; i < PENDING_MAX; i++) {
		if (!pending[i].pid)
			continue;
		/* every child is reaped; what is left of the group (adopted
		 * elsewhere) gets a last moment to die */
		struct timespec ts = {0, 10000000};
		for (int k = 0; k < 100 && rundir_group_alive(pending[i].pid); k++)
			nanosleep(&ts, NULL);
		if (!rundir_group_alive(pending[i].pid))
			rundir_remove(pending[i].dir);
		pending[i].pid = 0;
	}
}
