/* pyprobe_proc: processes and signals for the tracer (liblockstep-py.so).
 *
 * What lockstep_trace/_os.py, _signal.py and _mp.py need below Python to
 * announce a program's processes and signals as the C scenes' do
 * (probe_ipc.c): a forked child becomes a process worker of its own and
 * waits until its parent has announced SPAWN; waits for a child (waitpid)
 * park at the gate in a controlled run; kill says what the signal will do
 * (SIGNAL with /proc's verdict) before sending it.
 *
 * Signals, as CPython runs them: the tracer installs the program's Python
 * handler with the real signal.signal() and then swaps CPython's C handler
 * for ours (lsp_sig_hook), which announces DELIVERED (one write, async-
 * signal-safe), marks the signal pending, wakes the process's main worker at
 * its gate and calls CPython's handler, which trips the Python handler. A
 * main thread running Python code runs it at its next bytecode; one parked
 * at its gate (in ctypes, the GIL released) runs it there, through the
 * probe's run_handlers hook, which calls back into Python
 * (PyErr_CheckSignals): so a handler may send signals itself, as ordinary
 * steppable operations, as the conductor's does.
 *
 * Per-process state, copied by fork as the kernel's is. Exported: lsp_*.
 * Never touches curses or the model.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../probe_internal.h"
#include "bus.h"
#include "procfs.h"
#include "rundir.h"

#define LSP_API __attribute__((visibility("default")))

void pyprobe_where_forget(void); /* pyprobe.c */

/* A free-run wait wakes this often to notice a switch to step mode. */
#define FREE_TICK_NS 250000000L
/* Death signal of a traced child: caught, so a child whose forking
 * thread ended (Python may fork from any thread) is not killed with it. */
#define PARENT_GONE_SIGNAL SIGRTMAX

static int proc_worker;          /* this process's main worker: 0 in the program's main */
static pid_t host;               /* the scene host, the subreaper above the program */
static pid_t start_parent;       /* this process's parent when it started */
static void (*cpython_handler[NSIG])(int);
static int (*py_run_handlers)(void); /* the tracer's callback: runs Python's handlers */
static uint64_t handlers_started;    /* Python handlers run in this process */
static int64_t alarm_vdl;        /* controlled run: virtual instant of SIGALRM, 0 none */
/* Signals each worker's process has received, shared by every process of
 * the program (mapped before the first fork): a sender waits until its
 * signal has been announced as delivered (see lsp_kill). */
static _Atomic uint32_t *delivered;

/* ---- who is who ---- */

static int nworkers(void)
{
	return (int)atomic_load(&probe_ctl->nworkers);
}

/* The worker standing for process pid (its main worker), -1 if none. */
LSP_API int lsp_worker_of_pid(long pid)
{
	if (pid <= 0)
		return -1;
	int n = nworkers();
	for (int i = 0; i < n && i < LS_MAX_WORKERS; i++) {
		const struct wrec *r = &probe_arena->w[i];
		if (r->pid == (pid_t)pid && (i == 0 || r->kind == LS_WK_PROCESS))
			return i;
	}
	return -1;
}

/* ---- the family hooks the gate calls ---- */

static int run_handlers(void)
{
	if (!probe_sig_pending || probe_self != proc_worker || !py_run_handlers)
		return 0;
	probe_sig_pending = 0;
	uint64_t before = handlers_started;
	py_run_handlers();
	return handlers_started != before;
}

static const struct probe_family proc_family = {.run_handlers = run_handlers};
static const struct probe_family *const families[] = {&proc_family, NULL};

/* The tracer's process side starts (in the program's main process): cb is
 * called, GIL taken, at a gate where a signal is pending, to run Python's
 * handlers (each says lsp_sig_handling as it starts). */
LSP_API void lsp_proc_init(int (*cb)(void))
{
	py_run_handlers = cb;
	if (!delivered) {
		void *p = mmap(NULL, LS_MAX_WORKERS * sizeof *delivered, PROT_READ | PROT_WRITE,
		               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		delivered = p == MAP_FAILED ? NULL : p;
	}
	proc_worker = probe_self >= 0 ? probe_self : 0;
	host = getppid();
	start_parent = host;
	probe_set_families(families);
}

/* Record a name the program will make in the file system (a
 * multiprocessing semaphore, "/sem.mp-..."), before it exists, so the run
 * removes it however the program ends. 0 or errno. */
LSP_API int lsp_register_shm(const char *path)
{
	(void)ctl_ipc_register(probe_ctl, LS_IPC_SHM, path); /* a table of 64: best effort */
	return rundir_record(probe_ctl->rundir, "shm", path);
}

/* ---- fork ---- */

static void on_parent_gone(int sig)
{
	(void)sig;
	int saved = errno;
	pid_t p = getppid();
	if (p == start_parent) {
		errno = saved; /* only the forking thread ended: the parent lives */
		return;
	}
	if (p != host)
		_exit(137); /* the host is gone too: the run is over */
	/* adopted by the host: from now on, die with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != host)
		_exit(137);
	errno = saved;
}

/* Around fork, every signal is blocked: one that reaches the child before
 * it knows which worker it is would be announced as its parent's, and its
 * handler would run as the parent's worker. The child unblocks them once it
 * is its own worker (lsp_fork_child), the parent right after fork. */
static sigset_t fork_saved_mask;

LSP_API void lsp_fork_block(void)
{
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &fork_saved_mask);
}

LSP_API void lsp_fork_unblock(void)
{
	pthread_sigmask(SIG_SETMASK, &fork_saved_mask, NULL);
}

/* In the parent, after fork: the child is worker id, process pid. Announce
 * it and the ends it inherited (the tracer's lsp_emit_as), then lsp_let_go. */
LSP_API void lsp_fork_parent(int id, long pid)
{
	struct wrec *r = &probe_arena->w[id];
	r->pid = (pid_t)pid;
	r->owner_pid = getpid();
	atomic_store(&probe_ctl->slots[id].pid, (int32_t)pid); /* the host reaps orphans by it */
	probe_emit(LS_EV_SPAWN, id, -1, pid, 0, getpid(), 0);
}

/* Let the child go, and wait until it is its own worker with signals
 * unblocked: a signal the program sends it from now on is announced with
 * what it will really do (handled, not "blocked"), and reaches the child's
 * own worker. */
LSP_API void lsp_let_go(int id)
{
	struct wrec *r = &probe_arena->w[id];
	bus_flush();
	atomic_store(&r->go, 1);
	ctl_futex_wake(&r->go);
	while (atomic_load(&r->go) == 1) {
		int st = procfs_state(r->pid);
		if (st == 'Z' || st == '?')
			break; /* it died on its way: nobody will answer */
		ctl_futex_wait(&r->go, 1, 50000000);
	}
}

/* In the child, first thing after fork: it is worker id, the main worker of
 * a process of its own; it waits until its parent has announced it. */
LSP_API void lsp_fork_child(int id, long parent)
{
	struct wrec *r = &probe_arena->w[id];
	probe_self = id;
	proc_worker = id;
	start_parent = (pid_t)parent;
	bus_forget(); /* the parent's unflushed records are the parent's */
	pyprobe_where_forget();
	probe_sig_pending = 0;
	alarm_vdl = 0; /* fork does not copy a pending alarm */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_parent_gone;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(PARENT_GONE_SIGNAL, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, PARENT_GONE_SIGNAL);
	if (getppid() != (pid_t)parent)
		on_parent_gone(PARENT_GONE_SIGNAL); /* it died before we asked */
	while (!atomic_load(&r->go)) {
		if (getppid() != (pid_t)parent)
			_exit(137); /* only the parent lets us go: it is gone */
		ctl_futex_wait(&r->go, 0, GATE_WATCHDOG_NS);
	}
	probe_emit(LS_EV_DONE, id, -1, LS_OP_START, gettid(), getpid(), 0);
	lsp_fork_unblock(); /* what came meanwhile is delivered now, as ours */
	atomic_store(&r->go, 2);
	ctl_futex_wake(&r->go);
}

/* In a child that is not traced (a Manager's server: the Manager's
 * insides, as a Pool's threads are the Pool's), first thing after fork:
 * it says nothing, neither the parent's unflushed records nor its own. */
LSP_API void lsp_fork_untraced(void)
{
	bus_forget();
	pyprobe_where_forget();
	probe_sig_pending = 0;
	probe_self = -1;
	proc_worker = -1;
}

/* A process's main worker ends (os._exit, or its Process's body returned):
 * everything it said is sent, and its slot says it is ending, so a joiner
 * waits in the kernel for moments and the host does not announce it as
 * stopped. EXIT itself is the engine's, from the process's pidfd with the
 * kernel's exit status: announced any earlier, the model would show a
 * zombie the kernel does not have yet, and a parent reading /proc right
 * then would contradict the screen. */
LSP_API void lsp_proc_exit(int code)
{
	int id = probe_self;
	if (id < 0)
		return;
	atomic_store(&probe_ctl->slots[id].exited, 1);
	ctl_futex_wake(&probe_ctl->slots[id].exited);
	/* An orphan is reaped by the host the moment it dies, before the
	 * engine can read its status from /proc: it says it ends itself (and
	 * nobody of the program can look at its zombie) */
	if (getppid() != start_parent)
		probe_emit(LS_EV_EXIT, id, -1, code, LS_EXIT_RETURN, 0, 0);
	bus_flush();
}

/* A record from another worker than the caller: the ends a child inherited,
 * announced by its parent before the child can run. */
LSP_API void lsp_emit_as(int worker, int type, int obj, int64_t a0, int64_t a1, int64_t a2, int64_t a3)
{
	probe_emit(type, worker, obj, a0, a1, a2, a3);
}

/* ---- waiting for a child ---- */

static int is_step(void)
{
	return probe_mode() == LS_MODE_STEP;
}

LSP_API void lsp_reaped(long pid, int st);

static long reaped(long p, int st)
{
	int w = lsp_worker_of_pid(p);
	lsp_reaped(p, st);
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : 0;
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_JOIN, code, w, 0);
	bus_flush(); /* the program's code follows, and may wait unseen */
	return p;
}

/* A poll (waitpid with WNOHANG: Process.exitcode, is_alive) reaped pid:
 * not an operation of its own, but the zombie is gone. */
LSP_API void lsp_reaped(long pid, int st)
{
	int w = lsp_worker_of_pid(pid);
	if (w > 0) {
		atomic_store(&probe_arena->w[w].joined, 1);
		/* one killed by a signal said nothing: it is over all the same,
		 * and the host must not announce it again as stopped */
		uint32_t live = 0;
		atomic_compare_exchange_strong(&probe_ctl->slots[w].exited, &live, 1);
		probe_emit(LS_EV_REAPED, w, -1, st, probe_self, 0, 0);
		if (probe_self < 0)
			bus_flush(); /* no gate of this thread will */
	}
}

/* This process's parent is not the one it started with: it was adopted
 * (by the host, the subreaper above the program). */
LSP_API void lsp_adopted(long ppid)
{
	probe_emit(LS_EV_ADOPTED, proc_worker, -1, ppid, lsp_worker_of_pid(ppid), 0, 0);
}

/* A free run's wait for a child, in the kernel: until it can be reaped
 * (its pidfd, or a short tick for "any child"), a signal's handler is due
 * (-EINTR: checked with every signal blocked, then waited for with ppoll,
 * so one that comes just before the wait is not missed, as it would be by
 * a plain waitpid) or the run is stepped (0). The pid reaped otherwise. */
static long wait_free(pid_t pid, int *st, int options)
{
	int pfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	long out;
	for (;;) {
		pid_t p = waitpid(pid, st, options | WNOHANG);
		if (p > 0 || (p < 0 && errno != EINTR)) {
			out = p > 0 ? p : -errno;
			break;
		}
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		int r = 0, e = 0;
		if (!probe_sig_pending) {
			struct pollfd pf = {.fd = pfd, .events = POLLIN};
			struct timespec tick = {.tv_sec = 0, .tv_nsec = pfd >= 0 ? FREE_TICK_NS : 10000000L};
			r = ppoll(pfd >= 0 ? &pf : NULL, pfd >= 0 ? 1 : 0, &tick, &old);
			e = errno;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (probe_sig_pending || (r < 0 && e == EINTR)) {
			out = -EINTR;
			break;
		}
		probe_stop_if_stopping();
		if (is_step()) {
			out = 0;
			break;
		}
	}
	if (pfd >= 0)
		close(pfd);
	return out;
}

/* waitpid(pid, options) as a traced join of worker w (the child waited for;
 * for pid -1 the one shown). gate: announce WANT first (0 on a retry after
 * a signal's handler ran). Returns the pid reaped (status in *st), 0 with
 * WNOHANG and nothing yet, -EINTR when a signal is pending (the caller lets
 * Python run its handler and calls again with gate 0), or -errno. */
LSP_API long lsp_waitpid(int w, long pid, int options, int gate, int *st)
{
	if (gate)
		probe_gate(LS_OP_JOIN, -1, w);
	for (;;) {
		pid_t p = waitpid((pid_t)pid, st, (options | WNOHANG));
		if (p > 0)
			return reaped(p, *st);
		if (p < 0 && errno != EINTR) {
			int e = errno;
			probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_JOIN, -e, w, 0);
			return -e;
		}
		if (options & WNOHANG) {
			probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_JOIN, 0, w, 0);
			return 0;
		}
		if (w > 0 && atomic_load(&probe_ctl->slots[w].exited)) {
			/* it announced its exit: moments away from being a zombie */
			p = waitpid((pid_t)pid, st, options);
			if (p > 0)
				return reaped(p, *st);
			continue;
		}
		if (is_step()) {
			/* Parked, a signal's handler may run here (the gate's hook).
			 * Retry only once granted: right after the handler, whether
			 * the child is dead yet is the kernel's timing (its own
			 * handler may be ending it), and a re-run would take another
			 * step. */
			for (;;) {
				uint64_t ran = handlers_started;
				probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_JOIN, 1, 0, w);
				probe_gate_wait();
				if (!is_step() || handlers_started == ran)
					break; /* granted (or the run is free now) */
			}
			continue;
		}
		probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_JOIN, 0, 0, w);
		bus_flush();
		long r = wait_free((pid_t)pid, st, options);
		if (r > 0)
			return reaped(r, *st);
		if (r == -EINTR)
			return -EINTR; /* Python runs the handler, then waits on (PEP 475) */
		/* 0: the run is stepped now: park at the gate */
	}
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
	if (delivered) {
		atomic_fetch_add(&delivered[proc_worker], 1);
		ctl_futex_wake(&delivered[proc_worker]);
	}
	probe_sig_pending = 1;
	struct ls_slot *s = &probe_ctl->slots[proc_worker];
	atomic_fetch_add(&s->wake, 1);
	ctl_futex_wake(&s->wake);
	if (cpython_handler[sig])
		cpython_handler[sig](sig);
	errno = saved;
}

/* After the real signal.signal(sig, handler) installed CPython's C handler:
 * put ours in front of it. 0 or errno. */
LSP_API int lsp_sig_hook(int sig)
{
	if (sig <= 0 || sig >= NSIG)
		return EINVAL;
	struct sigaction old, sa;
	if (sigaction(sig, NULL, &old) != 0)
		return errno;
	if ((old.sa_flags & SA_SIGINFO) || old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN)
		return 0; /* not CPython's trip: nothing of Python's runs, nothing to announce */
	if (old.sa_handler == on_signal)
		return 0;
	cpython_handler[sig] = old.sa_handler;
	sa = old;
	sa.sa_handler = on_signal;
	return sigaction(sig, &sa, NULL) == 0 ? 0 : errno;
}

/* A Python handler starts running: what made it pending is being handled. */
LSP_API void lsp_sig_handling(void)
{
	probe_sig_pending = 0;
	handlers_started++;
}

/* What kill(pid, sig) will do to its target, per /proc (LS_SIG_*). */
LSP_API int lsp_sig_outcome(long pid, int sig)
{
	return procfs_sig_outcome((pid_t)pid, sig);
}

/* kill(pid, sig) as a traced operation (op: LS_OP_SIGNAL or _TERMINATE):
 * WANT, gate, SIGNAL saying what it will do, flushed, the real kill. 0 or
 * -errno. */
LSP_API int lsp_kill(int op, long pid, int sig)
{
	int w = lsp_worker_of_pid(pid);
	probe_gate(op, -1, w);
	int outcome = sig == 0 ? LS_SIG_DFL_IGN : procfs_sig_outcome((pid_t)pid, sig);
	if (sig != 0 && w >= 0)
		probe_emit(LS_EV_SIGNAL, probe_self, -1, w, sig, outcome, pid);
	bus_flush();
	uint32_t before = delivered && w >= 0 ? atomic_load(&delivered[w]) : 0;
	int r = kill((pid_t)pid, sig), e = errno;
	if (r == 0 && delivered && w >= 0 && outcome == LS_SIG_HANDLE && (pid_t)pid != getpid()) {
		/* Its arrival is announced before this worker goes on: else a free
		 * run could show sender and target both waiting, the signal still
		 * in flight, and call it a stall. Bounded: a target that is
		 * stopped or gone never answers. */
		uint64_t until = probe_now_ns() + 1000000000u;
		while (atomic_load(&delivered[w]) == before && probe_now_ns() < until) {
			int st = procfs_state((pid_t)pid);
			if (st == 'Z' || st == '?' || st == 'T')
				break;
			ctl_futex_wait(&delivered[w], before, 10000000);
		}
	}
	if (r == 0 && w >= 0 && outcome == LS_SIG_TERM && is_step()) {
		/* In a controlled run the step that kills ends with its target
		 * dead: what the killer does next (Process.terminate() then
		 * is_alive(), a join) must not depend on how soon the kernel
		 * gets to it, or a re-run would take other steps. */
		uint64_t until = probe_now_ns() + 2000000000u;
		for (;;) {
			int st = procfs_state((pid_t)pid);
			if (st == 'Z' || st == '?' || probe_now_ns() >= until)
				break;
			struct timespec ts = {0, 200000};
			nanosleep(&ts, NULL);
		}
	}
	probe_emit(LS_EV_DONE, probe_self, -1, op, sig, w, 0);
	bus_flush();
	return r == 0 ? 0 : -e;
}

/* alarm(seconds): in a controlled run on the virtual clock (the pause that
 * waits for it raises SIGALRM when the clock gets there), else the real
 * one. Returns the seconds left of the previous alarm. */
LSP_API unsigned lsp_alarm(unsigned seconds)
{
	unsigned left;
	if (is_step()) {
		int64_t now = atomic_load(&probe_ctl->vclock);
		left = alarm_vdl > now ? (unsigned)((alarm_vdl - now + 999999999) / 1000000000) : 0;
		left += alarm(0);
		alarm_vdl = seconds ? probe_vdeadline_after((long)seconds * 1000) : 0;
	} else {
		alarm_vdl = 0;
		left = alarm(seconds);
	}
	return left;
}

/* pause() once, after WANT and the gate: returns when a signal came (its
 * Python handler then runs as the call returns), or, in a free run, after a
 * tick, so a switch to step mode is noticed. In a controlled run it parks
 * (BLOCKED pause, with the alarm's virtual instant), and rings the virtual
 * alarm when the clock has reached it. */
LSP_API void lsp_pause_once(void)
{
	if (is_step()) {
		if (alarm_vdl && atomic_load(&probe_ctl->vclock) >= alarm_vdl) {
			alarm_vdl = 0;
			raise(SIGALRM);
			return;
		}
		probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_PAUSE, 1, alarm_vdl, 0);
		probe_gate_wait();
		return;
	}
	if (alarm_vdl) { /* switched to a free run: the rest in real time */
		int64_t left = alarm_vdl - atomic_load(&probe_ctl->vclock);
		alarm_vdl = 0;
		alarm((unsigned)((left + 999999999) / 1000000000));
	}
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	/* the real pause() without its race: sigsuspend, with a tick */
	struct timespec tick = {.tv_sec = 0, .tv_nsec = FREE_TICK_NS};
	if (!probe_sig_pending)
		ppoll(NULL, 0, &tick, &old);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	probe_stop_if_stopping();
}

/* Free run: BLOCKED pause, announced once per wait. */
LSP_API void lsp_pause_blocked(void)
{
	unsigned left = alarm(0);
	if (left)
		alarm(left);
	int64_t dl = left ? (int64_t)(probe_now_ns() + (uint64_t)left * 1000000000u -
	                              atomic_load(&probe_ctl->t0))
	                  : 0;
	probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_PAUSE, 0, dl, 0);
	bus_flush();
}
