/* probe_ipc: processes, signals and the classic IPC mechanisms for scenes.
 *
 * The primitives a course on processes teaches (is_alive, terminate, kill,
 * pause, alarm, pipe, FIFO, POSIX message queue, shared memory array), each
 * over the real kernel mechanism and following
 * the discipline at the top of probe.c: WANT -> gate -> try; in a controlled
 * run a try that would block parks at the gate (a reader of an empty pipe is
 * WAITING on it) and is retried when the model has seen what it waits for;
 * in a free run it waits in the kernel (poll on the descriptor, sigsuspend).
 *
 * Signals: the real handler only announces (one write() of a record, which
 * is async-signal-safe), marks the signal pending and wakes the process's
 * main worker at its gate; the scene's handler then runs there, as CPython
 * runs handlers between bytecodes, and may use this API. So who moves is
 * still decided by the engine: a worker that got a signal counts as moving
 * until its handler has run and it is parked again.
 *
 * Every name this file makes in the file system is recorded before it is
 * made (rundir.h): FIFOs live in the run's private directory, mqueue and shm
 * names are /lockstep-<host pid>-<random token>-<name> and are appended to
 * the run's registry. The host removes them when the scene ends; the UI, or
 * the next lockstep, removes what a killed host left.
 * Uses only probe_internal.h. Never touches curses.
 */
#include "probe_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "rundir.h"
#include "procfs.h"

/* A free-run wait in the kernel wakes this often to notice a switch to step
 * mode (which parks it at its gate instead) or the end of the scene. */
#define FREE_WAIT_TICK_NS 250000000L

/* ---- process-local state (copied by fork, as the kernel's is) ---- */

static int proc_worker;       /* this process's main worker: 0 in the host */
static pid_t start_ppid;      /* parent when this process started */
static int adoption_told;
static volatile sig_atomic_t sig_pending[NSIG];
static ls_handler handlers[NSIG];
static char handler_names[NSIG][LS_EV_TEXT];
static uint64_t handled;      /* scene handlers run in this process */
static int64_t alarm_vdl;     /* controlled runs: virtual instant of SIGALRM */
static uint64_t alarm_rdl; /* free run: when the real alarm rings (monotonic ns), 0 if none */

/* Pipe and FIFO ends open in this process. */
#define CHANS_MAX 64
static struct chan {
	int obj;  /* object id */
	int fd[2]; /* read, write; -1 when closed here */
} chans[CHANS_MAX];
static int nchans;

/* ---- names left in the file system ---- */

#define NAME_PATH_MAX LS_IPC_PATH_MAX
static int worker_of_pid(pid_t pid);

static pid_t host_pid(void)
{
	return probe_arena->w[0].pid;
}

/* In the control block, so the engine can remove them after a killed host. */
static void name_register(enum ls_ipc_kind kind, const char *path)
{
	/* before the object is made: in the control block, so the engine
	 * removes it after a killed host, and for a queue or shared memory in
	 * the run directory's names file, so the next start removes it after a
	 * killed lockstep (FIFOs live in the run directory, removed with it) */
	if (ctl_ipc_register(probe_ctl, kind, path) != 0)
		probe_fatal_misuse("too many named IPC objects, or a name too long");
	if (kind != LS_IPC_FIFO) {
		int e = rundir_record(probe_ctl->rundir, kind == LS_IPC_MQ ? "mq" : "shm", path);
		if (e)
			probe_fatal_errno(e, "cannot record %s in %s/names", path, probe_ctl->rundir);
	}
}

/* The name of a scene's IPC object: "/lockstep-<host pid>-<token>-<name>"
 * for a message queue or shared memory, "<run dir>/<name>" for a FIFO. */
static void ipc_name(char *out, size_t n, enum ls_ipc_kind kind, const char *name)
{
	if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strcmp(name, "names") == 0 || strcmp(name, "owner") == 0 || strcmp(name, "host") == 0)
		probe_fatal("'%s' cannot name an IPC object: no '/', not '.', '..', 'names', 'owner' or 'host'",
		            name);
	int len = kind == LS_IPC_FIFO
	              ? snprintf(out, n, "%s/%s", probe_ctl->rundir, name)
	              : snprintf(out, n, "/lockstep-%d-%s-%s", (int)host_pid(), probe_ctl->token, name);
	if (len < 0 || (size_t)len >= n)
		probe_fatal("the IPC name for '%s' would be too long", name);
}

static void probe_ipc_cleanup(void)
{
	/* the host is a subreaper: orphans it adopted are its children now, and
	 * it reaps them as init would */
	int st;
	pid_t child;
	while ((child = waitpid(-1, &st, 0)) > 0 || (child < 0 && errno == EINTR)) {
		int w = child > 0 ? worker_of_pid(child) : -1;
		if (w > 0) {
			atomic_store(&probe_arena->w[w].joined, 1);
			probe_emit(LS_EV_REAPED, w, -1, st, 0, 0, 0);
		}
	}
	bus_flush();
	ctl_ipc_unlink_all(probe_ctl);
}

/* ---- helpers ---- */

static int self_check(const char *fn)
{
	probe_must_be_worker(fn);
	return probe_self;
}

static int nworkers(void)
{
	return (int)atomic_load(&probe_ctl->nworkers);
}

static struct wrec *wrec_of(ls_worker w, const char *fn)
{
	if (w < 0 || w >= nworkers())
		probe_fatal_misuse(fn);
	return &probe_arena->w[w];
}

/* The worker that stands for process pid: a process worker, or main for
 * the host. -1 if none (the UI, init). */
static int worker_of_pid(pid_t pid)
{
	if (pid == host_pid())
		return 0;
	int n = nworkers();
	for (int i = 1; i < n; i++)
		if (probe_arena->w[i].kind == LS_WK_PROCESS && probe_arena->w[i].pid == pid)
			return i;
	return -1;
}

static int is_step(void)
{
	return probe_mode() == LS_MODE_STEP;
}

static void announce_ends(const struct chan *c)
{
	int mask = (c->fd[0] >= 0 ? LS_END_READ : 0) | (c->fd[1] >= 0 ? LS_END_WRITE : 0);
	probe_emit(LS_EV_ENDS, proc_worker, c->obj, mask, 0, 0, 0);
}

static struct chan *chan_of(int obj)
{
	for (int i = 0; i < nchans; i++)
		if (chans[i].obj == obj)
			return &chans[i];
	if (nchans == CHANS_MAX)
		probe_fatal_misuse("too many pipes and FIFOs");
	struct chan *c = &chans[nchans++];
	c->obj = obj;
	c->fd[0] = c->fd[1] = -1;
	return c;
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* ---- hooks: probe_ipc_family, at the end of this file ---- */

/* Announced by the parent, before the child can run: fork gave the child
 * every end the parent holds now. */
static void probe_ipc_forked(int id)
{
	for (int i = 0; i < nchans; i++) {
		const struct chan *c = &chans[i];
		int mask = (c->fd[0] >= 0 ? LS_END_READ : 0) | (c->fd[1] >= 0 ? LS_END_WRITE : 0);
		if (mask)
			probe_emit(LS_EV_ENDS, id, c->obj, mask, 0, 0, 0);
	}
}

static void probe_ipc_child_init(int id)
{
	proc_worker = id;
	start_ppid = probe_arena->w[id].owner_pid; /* the forking process, even if gone */
	adoption_told = 0;
	probe_sig_pending = 0;
	for (int s = 0; s < NSIG; s++)
		sig_pending[s] = 0;
}

/* A worker process is about to exit: its ends close, and the model hears it
 * before anyone could see the end-of-file. */
static void probe_ipc_child_exit(void)
{
	for (int i = 0; i < nchans; i++) {
		struct chan *c = &chans[i];
		if (c->fd[0] < 0 && c->fd[1] < 0)
			continue;
		probe_emit(LS_EV_ENDS, proc_worker, c->obj, 0, 0, 0, 0);
	}
	bus_flush();
	for (int i = 0; i < nchans; i++)
		for (int k = 0; k < 2; k++)
			if (chans[i].fd[k] >= 0) {
				close(chans[i].fd[k]);
				chans[i].fd[k] = -1;
			}
}

/* Run the scene's handlers of pending signals, in the process's main worker
 * only. Returns 1 if any ran. */
static int probe_ipc_run_handlers(void)
{
	static int depth;
	if (!probe_sig_pending || probe_self != proc_worker || depth > 3)
		return 0;
	int ran = 0;
	probe_sig_pending = 0;
	for (int s = 1; s < NSIG; s++) {
		if (!sig_pending[s])
			continue;
		sig_pending[s] = 0;
		if (!handlers[s])
			continue;
		depth++;
		probe_emit_text(LS_EV_HANDLER, probe_self, -1, s, handler_names[s]);
		handlers[s](s);
		probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_HANDLER, s, 0, 0);
		bus_flush();
		depth--;
		handled++;
		ran = 1;
	}
	return ran;
}

/* ---- processes ---- */

int ls_is_alive(ls_worker w)
{
	self_check("ls_is_alive");
	struct wrec *r = wrec_of(w, "ls_is_alive: no such worker");
	probe_gate(LS_OP_IS_ALIVE, -1, w);
	int alive;
	if (atomic_load(&r->joined)) {
		alive = 0;
	} else if (r->kind != LS_WK_PROCESS) {
		alive = !atomic_load(&probe_ctl->slots[w].exited);
	} else {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		/* it announced its exit: it is moments away from being a zombie */
		int flags = WEXITED | WNOWAIT | (atomic_load(&probe_ctl->slots[w].exited) ? 0 : WNOHANG);
		if (waitid(P_PID, (id_t)r->pid, &si, flags) == 0)
			alive = si.si_pid == 0;
		else
			alive = procfs_state(r->pid) != 'Z' && procfs_state(r->pid) != '?';
	}
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_IS_ALIVE, alive, w, 0);
	return alive;
}

static void kill_impl(int op, ls_worker w, int sig)
{
	struct wrec *r = wrec_of(w, "ls_kill: no such worker");
	if (r->kind != LS_WK_PROCESS && w != 0)
		probe_fatal_misuse("ls_kill: signals go to processes");
	probe_gate(op, -1, w);
	pid_t pid = w == 0 ? host_pid() : r->pid;
	int outcome = procfs_sig_outcome(pid, sig);
	probe_emit(LS_EV_SIGNAL, probe_self, -1, w, sig, outcome, pid);
	bus_flush();
	if (kill(pid, sig) != 0)
		probe_emit_text(LS_EV_SAY, probe_self, -1, 0, _("kill: no such process"));
	probe_emit(LS_EV_DONE, probe_self, -1, op, sig, w, 0);
	/* a signal to ourselves is handled before kill() returns, as in C */
	probe_ipc_run_handlers();
}

void ls_kill(ls_worker w, int sig)
{
	self_check("ls_kill");
	kill_impl(LS_OP_SIGNAL, w, sig);
}

void ls_terminate(ls_worker w)
{
	self_check("ls_terminate");
	kill_impl(LS_OP_TERMINATE, w, SIGTERM);
}

void ls_kill_parent(int sig)
{
	self_check("ls_kill_parent");
	int w = worker_of_pid(getppid());
	if (w < 0)
		probe_fatal_misuse("ls_kill_parent: the parent is not part of the scene");
	kill_impl(LS_OP_SIGNAL, w, sig);
}

_Noreturn void ls_exit(int code)
{
	self_check("ls_exit");
	if (proc_worker == 0 || probe_self != proc_worker)
		probe_fatal_misuse("ls_exit: only a worker process's main worker can _exit");
	probe_ipc_child_exit();
	atomic_store(&probe_ctl->slots[probe_self].exited, 1);
	probe_emit(LS_EV_EXIT, probe_self, -1, code, LS_EXIT_RETURN, 0, 0);
	bus_flush();
	_exit(code & 0xff);
}

long ls_getppid(void)
{
	self_check("ls_getppid");
	probe_gate(LS_OP_GETPPID, -1, 0);
	int old = worker_of_pid(start_ppid);
	/* a parent that announced its exit is moments from being gone */
	if (proc_worker != 0 && old > 0 && atomic_load(&probe_ctl->slots[old].exited))
		while (getppid() == start_ppid)
			usleep(1000);
	pid_t p = getppid();
	int pw = worker_of_pid(p);
	if (proc_worker != 0 && p != start_ppid && !adoption_told) {
		adoption_told = 1;
		probe_emit(LS_EV_ADOPTED, proc_worker, -1, p, pw, 0, 0);
	}
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_GETPPID, p, pw, 0);
	return p;
}

int ls_proc_state(ls_worker w)
{
	self_check("ls_proc_state");
	struct wrec *r = wrec_of(w, "ls_proc_state: no such worker");
	probe_gate(LS_OP_PROC_STATE, -1, w);
	if (r->kind == LS_WK_PROCESS && atomic_load(&probe_ctl->slots[w].exited) &&
	    !atomic_load(&r->joined)) {
		/* it announced its exit: let the kernel catch up with the model */
		for (int i = 0; i < 1000 && procfs_state(r->pid) != 'Z' && procfs_state(r->pid) != '?'; i++)
			usleep(1000);
	}
	int c = procfs_state(r->pid);
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_PROC_STATE, c, w, 0);
	return c;
}

/* ---- signals ---- */

static void on_signal(int sig)
{
	int saved = errno;
	struct ls_event ev;
	event_init(&ev, LS_EV_DELIVERED, atomic_fetch_add(&probe_ctl->seq, 1), probe_now_ns(),
	           proc_worker, -1);
	ev.u.a[0] = sig;
	bus_emit_signal_safe(&ev);
	sig_pending[sig] = 1;
	probe_sig_pending = 1;
	struct ls_slot *s = &probe_ctl->slots[proc_worker];
	atomic_fetch_add(&s->wake, 1);
	ctl_futex_wake(&s->wake);
	errno = saved;
}

static void set_disposition(int sig, int disp, ls_handler fn, const char *name)
{
	self_check("ls_signal");
	if (sig <= 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP)
		probe_fatal_misuse("ls_signal: this signal cannot be caught or ignored");
	probe_gate(LS_OP_SIGACTION, -1, sig);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	handlers[sig] = fn;
	snprintf(handler_names[sig], sizeof handler_names[sig], "%s", name ? name : "");
	sa.sa_handler = disp == LS_DISP_HANDLE ? on_signal : disp == LS_DISP_IGNORE ? SIG_IGN : SIG_DFL;
	sigaction(sig, &sa, NULL);
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_SIGACTION, sig, disp, 0);
}

void ls_signal_handle(int sig, ls_handler fn, const char *name)
{
	if (!fn)
		probe_fatal_misuse("ls_signal_handle: no handler");
	set_disposition(sig, LS_DISP_HANDLE, fn, name);
}

void ls_signal_ignore(int sig)
{
	set_disposition(sig, LS_DISP_IGNORE, NULL, NULL);
}

void ls_signal_default(int sig)
{
	set_disposition(sig, LS_DISP_DEFAULT, NULL, NULL);
}

void ls_alarm(unsigned seconds)
{
	self_check("ls_alarm");
	probe_gate(LS_OP_ALARM, -1, seconds);
	if (is_step()) {
		alarm_vdl = seconds ? probe_vdeadline_after((long)seconds * 1000) : 0;
		alarm(0);
	} else {
		alarm_vdl = 0;
		alarm(seconds);
		alarm_rdl = seconds ? probe_now_ns() + (uint64_t)seconds * 1000000000u : 0;
	}
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_ALARM, seconds, 0, 0);
}

void ls_pause(void)
{
	self_check("ls_pause");
	probe_gate(LS_OP_PAUSE, -1, 0);
	uint64_t before = handled;
	int told = 0; /* free run: BLOCKED announced for this wait */
	while (handled == before) {
		if (probe_ipc_run_handlers()) {
			told = 0;
			continue;
		}
		if (is_step()) {
			if (alarm_vdl && atomic_load(&probe_ctl->vclock) >= alarm_vdl) {
				alarm_vdl = 0;
				raise(SIGALRM); /* the alarm rings: a real signal */
				continue;
			}
			probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_PAUSE, 1, alarm_vdl, 0);
			probe_gate_wait();
			told = 0;
			continue;
		}
		if (alarm_vdl) { /* switched to a free run: the rest in real time */
			int64_t left = alarm_vdl - atomic_load(&probe_ctl->vclock);
			alarm_vdl = 0;
			alarm((unsigned)((left + 999999999) / 1000000000));
		}
		sigset_t all, old;
		sigfillset(&all);
		if (!told) {
			/* a pending alarm makes this a timed wait, not a stall */
			uint64_t now = probe_now_ns();
			int64_t dl = alarm_rdl > now ? (int64_t)(alarm_rdl - atomic_load(&probe_ctl->t0)) : 0;
			probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_PAUSE, 0, dl, 0);
			bus_flush();
			told = 1;
		}
		pthread_sigmask(SIG_BLOCK, &all, &old);
		/* the real pause() without its race (sigsuspend), waking now and
		 * then to notice a switch to step mode or the end of the scene */
		struct timespec tick = {.tv_sec = 0, .tv_nsec = FREE_WAIT_TICK_NS};
		if (!probe_sig_pending)
			ppoll(NULL, 0, &tick, &old);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		probe_stop_if_stopping();
	}
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_PAUSE, 0, 0, 0);
}

/* ---- pipes and FIFOs: the shared read/write path ---- */

struct chan_io {
	int fd;
	int obj;
	long msg;
	int eof;
};

static int read_try(void *o, long *io)
{
	(void)io;
	struct chan_io *c = o;
	long v;
	ssize_t n = read(c->fd, &v, sizeof v);
	if (n == (ssize_t)sizeof v) {
		c->msg = v;
		probe_emit(LS_EV_DONE, probe_self, c->obj, LS_OP_READ, v, 0, 0);
		return 1;
	}
	if (n == 0) {
		c->eof = 1;
		probe_emit(LS_EV_DONE, probe_self, c->obj, LS_OP_READ, 0, 1, 0);
		return 1;
	}
	if (n > 0)
		probe_fatal_misuse("a pipe message was torn");
	return 0;
}

/* Free run: wait in the kernel until the descriptor is ready; a signal's
 * handler runs, then the wait goes on (PEP 475). */
static void wait_fd(int fd, short events)
{
	for (;;) {
		struct pollfd p = {.fd = fd, .events = events};
		int r = poll(&p, 1, FREE_WAIT_TICK_NS / 1000000);
		if (r > 0)
			return;
		if (r < 0 && errno != EINTR)
			return;
		probe_ipc_run_handlers();
		probe_stop_if_stopping();
		if (is_step())
			return; /* the caller retries, parking at its gate */
	}
}

static int read_block(void *o, long *io, uint64_t deadline)
{
	(void)deadline;
	struct chan_io *c = o;
	for (;;) {
		if (read_try(o, io))
			return 1;
		if (is_step())
			return probe_blocking_op(LS_OP_READ, c->obj, o, read_try, read_block, -1, io);
		wait_fd(c->fd, POLLIN);
	}
}

static int chan_read(int obj, int fd, long *msg)
{
	if (fd < 0)
		probe_fatal_misuse("read from an end this process has closed");
	probe_gate(LS_OP_READ, obj, 0);
	struct chan_io c = {.fd = fd, .obj = obj};
	probe_blocking_op(LS_OP_READ, obj, &c, read_try, read_block, -1, NULL);
	if (c.eof)
		return 0;
	if (msg)
		*msg = c.msg;
	return 1;
}

static void chan_write(int obj, int fd, long msg)
{
	if (fd < 0)
		probe_fatal_misuse("write to an end this process has closed");
	probe_gate(LS_OP_WRITE, obj, msg);
	/* the model hears of the message before a reader can see it */
	probe_emit(LS_EV_DONE, probe_self, obj, LS_OP_WRITE, msg, 0, 0);
	bus_flush();
	for (;;) {
		ssize_t n = write(fd, &msg, sizeof msg);
		if (n == (ssize_t)sizeof msg)
			return;
		if (n < 0 && errno == EPIPE) {
			probe_emit_text(LS_EV_SAY, probe_self, -1, 0, _("EPIPE: no reader is left"));
			return;
		}
		if (n < 0 && errno == EAGAIN && is_step()) {
			/* a full pipe (64 KiB): park, and let the reader take a step */
			probe_emit(LS_EV_BLOCKED, probe_self, obj, LS_OP_WRITE, 1, 0, 0);
			probe_gate_wait();
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			wait_fd(fd, POLLOUT);
			continue;
		}
		probe_fatal_errno(errno, "write to a pipe");
	}
}

/* ---- pipe ---- */

struct ls_pipe {
	int id;
	int fd[2];
};

ls_pipe *ls_pipe_new(const char *name)
{
	self_check("ls_pipe_new");
	ls_pipe *p = probe_must(ls_shared_alloc(sizeof *p), "alloc");
	if (pipe(p->fd) != 0)
		probe_fatal_errno(errno, "pipe for %s", name);
	set_nonblock(p->fd[0]);
	set_nonblock(p->fd[1]);
	p->id = probe_declare_object(LS_OBJ_PIPE, name, 0, 0, -1);
	struct chan *c = chan_of(p->id);
	c->fd[0] = p->fd[0];
	c->fd[1] = p->fd[1];
	announce_ends(c);
	return p;
}

void ls_pipe_write(ls_pipe *p, long msg)
{
	self_check("ls_pipe_write");
	chan_write(p->id, chan_of(p->id)->fd[1], msg);
}

int ls_pipe_read(ls_pipe *p, long *msg)
{
	self_check("ls_pipe_read");
	return chan_read(p->id, chan_of(p->id)->fd[0], msg);
}

static void chan_close(int obj, int end)
{
	struct chan *c = chan_of(obj);
	probe_gate(LS_OP_CLOSE, obj, end);
	int fds[2] = {-1, -1};
	for (int k = 0; k < 2; k++)
		if ((end & (1 << k)) && c->fd[k] >= 0) {
			fds[k] = c->fd[k];
			c->fd[k] = -1;
		}
	announce_ends(c); /* before the close a reader could see */
	probe_emit(LS_EV_DONE, probe_self, obj, LS_OP_CLOSE, end, 0, 0);
	bus_flush();
	for (int k = 0; k < 2; k++)
		if (fds[k] >= 0)
			close(fds[k]);
}

void ls_pipe_close(ls_pipe *p, int end)
{
	self_check("ls_pipe_close");
	chan_close(p->id, end & (LS_READ_END | LS_WRITE_END));
}

/* ---- FIFO ---- */

struct ls_fifo {
	int id;
	_Atomic int readers, writers; /* opens so far, every process */
	char path[NAME_PATH_MAX];
};

ls_fifo *ls_fifo_new(const char *name)
{
	self_check("ls_fifo_new");
	ls_fifo *f = probe_must(ls_shared_alloc(sizeof *f), "alloc");
	ipc_name(f->path, sizeof f->path, LS_IPC_FIFO, name);
	f->id = probe_declare_object(LS_OBJ_FIFO, name, 0, 0, -1);
	name_register(LS_IPC_FIFO, f->path);
	bus_flush(); /* the UI knows the name before it exists */
	if (mkfifo(f->path, 0600) != 0)
		probe_fatal_errno(errno, "mkfifo %s", f->path);
	return f;
}

const char *ls_fifo_path(ls_fifo *f)
{
	return f->path;
}

void ls_fifo_open(ls_fifo *f, int end)
{
	self_check("ls_fifo_open");
	struct chan *c = chan_of(f->id);
	int reading = end == LS_READ_END;
	int op = reading ? LS_OP_OPEN_READ : LS_OP_OPEN_WRITE;
	if (c->fd[reading ? 0 : 1] >= 0)
		probe_fatal_misuse("ls_fifo_open: this end is already open here");
	probe_gate(op, f->id, end);
	int fd;
	for (;;) {
		if (is_step()) {
			/* open without blocking; wait for the other side at the gate */
			fd = open(f->path, (reading ? O_RDONLY : O_WRONLY) | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0 && errno != ENXIO)
				probe_fatal_errno(errno, "open %s", f->path);
		} else {
			probe_emit(LS_EV_BLOCKED, probe_self, f->id, op, 0, 0, 0);
			bus_flush();
			fd = open(f->path, (reading ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
			if (fd < 0 && errno == EINTR) {
				probe_ipc_run_handlers();
				continue;
			}
			if (fd < 0)
				probe_fatal_errno(errno, "open %s", f->path);
			set_nonblock(fd);
		}
		if (fd >= 0)
			break;
		probe_emit(LS_EV_BLOCKED, probe_self, f->id, op, 1, 0, 0);
		probe_gate_wait();
	}
	atomic_fetch_add(reading ? &f->readers : &f->writers, 1);
	c->fd[reading ? 0 : 1] = fd;
	/* no flush here: in a free run the end and the DONE below go out
	 * together, or the model would see an opened FIFO still waiting */
	announce_ends(c);
	/* a reader's open returns once a writer has opened too */
	while (reading && is_step() && atomic_load(&f->writers) == 0) {
		probe_emit(LS_EV_BLOCKED, probe_self, f->id, op, 1, 0, 0);
		probe_gate_wait();
	}
	probe_emit(LS_EV_DONE, probe_self, f->id, op, end, 0, 0);
}

void ls_fifo_write(ls_fifo *f, long msg)
{
	self_check("ls_fifo_write");
	chan_write(f->id, chan_of(f->id)->fd[1], msg);
}

int ls_fifo_read(ls_fifo *f, long *msg)
{
	self_check("ls_fifo_read");
	return chan_read(f->id, chan_of(f->id)->fd[0], msg);
}

void ls_fifo_close(ls_fifo *f)
{
	self_check("ls_fifo_close");
	chan_close(f->id, LS_READ_END | LS_WRITE_END);
}

/* ---- POSIX message queue ---- */

struct ls_mq {
	int id;
	mqd_t q;
	char name[NAME_PATH_MAX];
	/* held from a send's check of room to its record, and from a receive
	 * to its record: the model then sees sends and receives in the order
	 * the kernel did them, never more messages than the queue can hold */
	pthread_mutex_t order;
};

static void mq_order_lock(ls_mq *q)
{
	if (pthread_mutex_lock(&q->order) == EOWNERDEAD)
		pthread_mutex_consistent(&q->order); /* a process died in between */
}

ls_mq *ls_mq_new(const char *name, int capacity)
{
	self_check("ls_mq_new");
	if (capacity < 1 || capacity > LS_SCENE_MQ_MAX)
		probe_fatal_misuse("ls_mq_new: capacity must be 1..10 (msg_max)");
	ls_mq *q = probe_must(ls_shared_alloc(sizeof *q), "alloc");
	ipc_name(q->name, sizeof q->name, LS_IPC_MQ, name);
	q->id = probe_declare_object(LS_OBJ_MQUEUE, name, 0, capacity, -1);
	probe_init_pshared_mutex(&q->order, 1);
	name_register(LS_IPC_MQ, q->name);
	bus_flush();
	struct mq_attr a = {.mq_maxmsg = capacity, .mq_msgsize = sizeof(long)};
	q->q = mq_open(q->name, O_CREAT | O_EXCL | O_RDWR | O_NONBLOCK | O_CLOEXEC, 0600, &a);
	if (q->q == (mqd_t)-1)
		probe_fatal_errno(errno, "mq_open %s", q->name);
	return q;
}

struct mq_io {
	ls_mq *q;
	long msg;
	unsigned prio;
};

static int mq_send_try(void *o, long *io)
{
	(void)io;
	struct mq_io *m = o;
	struct mq_attr a;
	mq_order_lock(m->q);
	if (mq_getattr(m->q->q, &a) != 0 || a.mq_curmsgs >= a.mq_maxmsg) {
		pthread_mutex_unlock(&m->q->order);
		return 0;
	}
	probe_emit(LS_EV_DONE, probe_self, m->q->id, LS_OP_SEND, m->msg, m->prio, 0);
	bus_flush();
	/* room was checked under the order lock, which every sender takes */
	while (mq_send(m->q->q, (const char *)&m->msg, sizeof m->msg, m->prio) != 0)
		if (errno != EINTR)
			probe_fatal_errno(errno, "mq_send to %s", m->q->name);
	pthread_mutex_unlock(&m->q->order);
	return 1;
}

static int mq_send_block(void *o, long *io, uint64_t deadline)
{
	(void)deadline;
	struct mq_io *m = o;
	while (!mq_send_try(o, io)) {
		if (is_step())
			return probe_blocking_op(LS_OP_SEND, m->q->id, o, mq_send_try, mq_send_block, -1, io);
		wait_fd((int)m->q->q, POLLOUT);
	}
	return 1;
}

void ls_mq_send(ls_mq *q, long msg, unsigned prio)
{
	self_check("ls_mq_send");
	probe_gate(LS_OP_SEND, q->id, msg);
	struct mq_io m = {.q = q, .msg = msg, .prio = prio};
	probe_blocking_op(LS_OP_SEND, q->id, &m, mq_send_try, mq_send_block, -1, NULL);
}

static int mq_recv_try(void *o, long *io)
{
	(void)io;
	struct mq_io *m = o;
	char buf[sizeof(long)];
	mq_order_lock(m->q);
	ssize_t n = mq_receive(m->q->q, buf, sizeof buf, &m->prio);
	if (n != (ssize_t)sizeof(long)) {
		pthread_mutex_unlock(&m->q->order);
		return 0;
	}
	memcpy(&m->msg, buf, sizeof m->msg);
	probe_emit(LS_EV_DONE, probe_self, m->q->id, LS_OP_RECEIVE, m->msg, m->prio, 0);
	bus_flush();
	pthread_mutex_unlock(&m->q->order);
	return 1;
}

static int mq_recv_block(void *o, long *io, uint64_t deadline)
{
	(void)deadline;
	struct mq_io *m = o;
	while (!mq_recv_try(o, io)) {
		if (is_step())
			return probe_blocking_op(LS_OP_RECEIVE, m->q->id, o, mq_recv_try, mq_recv_block, -1, io);
		wait_fd((int)m->q->q, POLLIN);
	}
	return 1;
}

long ls_mq_receive(ls_mq *q, unsigned *prio)
{
	self_check("ls_mq_receive");
	probe_gate(LS_OP_RECEIVE, q->id, 0);
	struct mq_io m = {.q = q};
	probe_blocking_op(LS_OP_RECEIVE, q->id, &m, mq_recv_try, mq_recv_block, -1, NULL);
	if (prio)
		*prio = m.prio;
	return m.msg;
}

/* ---- shared memory array ---- */

struct ls_array {
	int id;
	int n;
	long *cells;
	char name[NAME_PATH_MAX];
};

ls_array *ls_array_new(const char *name, int n, long initial)
{
	self_check("ls_array_new");
	if (n < 1 || n > 64)
		probe_fatal_misuse("ls_array_new: n must be 1..64");
	ls_array *a = probe_must(ls_shared_alloc(sizeof *a), "alloc");
	a->n = n;
	ipc_name(a->name, sizeof a->name, LS_IPC_SHM, name);
	a->id = probe_declare_object(LS_OBJ_ARRAY, name, initial, n, -1);
	name_register(LS_IPC_SHM, a->name);
	bus_flush();
	int fd = shm_open(a->name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		probe_fatal_errno(errno, "shm_open %s", a->name);
	size_t size = (size_t)n * sizeof(long);
	if (ftruncate(fd, (off_t)size) != 0)
		probe_fatal_errno(errno, "ftruncate %s", a->name);
	a->cells = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (a->cells == MAP_FAILED)
		probe_fatal_errno(errno, "mmap %s", a->name);
	for (int i = 0; i < n; i++)
		a->cells[i] = initial;
	return a;
}

long ls_array_get(ls_array *a, int i)
{
	self_check("ls_array_get");
	if (i < 0 || i >= a->n)
		probe_fatal_misuse("ls_array_get: index out of range");
	probe_gate(LS_OP_AGET, a->id, i);
	long v = __atomic_load_n(&a->cells[i], __ATOMIC_SEQ_CST);
	probe_emit(LS_EV_DONE, probe_self, a->id, LS_OP_AGET, v, i, 0);
	return v;
}

void ls_array_set(ls_array *a, int i, long v)
{
	self_check("ls_array_set");
	if (i < 0 || i >= a->n)
		probe_fatal_misuse("ls_array_set: index out of range");
	probe_gate(LS_OP_ASET, a->id, v);
	probe_emit(LS_EV_DONE, probe_self, a->id, LS_OP_ASET, v, i, 0);
	bus_flush();
	__atomic_store_n(&a->cells[i], v, __ATOMIC_SEQ_CST);
}

long *ls_array_raw(ls_array *a)
{
	return a->cells;
}

/* ---- the hooks probe.c calls, through the host ---- */

const struct probe_family probe_ipc_family = {
	.forked = probe_ipc_forked,
	.child_init = probe_ipc_child_init,
	.child_exit = probe_ipc_child_exit,
	.run_handlers = probe_ipc_run_handlers,
	.cleanup = probe_ipc_cleanup,
};
