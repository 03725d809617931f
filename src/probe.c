/* probe: instrumented primitives, the gate, spawn and join. See probe.h.
 *
 * Discipline of every operation:
 *   announce WANT (op, object)  ->  gate  ->  try the real primitive
 *   success: announce ACQUIRED/DONE
 *   failure, controlled run: announce BLOCKED (parked), wait at the gate for
 *            the engine to grant a retry once the model says it can succeed
 *   failure, free run: announce BLOCKED (kernel), block in the real primitive
 * Anything that can let another worker proceed (unlock, post, notify, put,
 * get, write) is announced and flushed *before* the real operation, so the UI
 * never sees an effect before its cause.
 */
#include "probe.h"
#include "probe_internal.h"
#include "params.h"

#include <errno.h>
#include <libintl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "i18n.h"
#include "procfs.h"

struct ls_sem {
	int id;
	sem_t s;
};

struct ls_cond {
	int id;
	ls_mutex *m;
	pthread_cond_t c;
	int n; /* waiters queued, in order; guarded by m */
	int q[LS_MAX_WORKERS];
};

struct ls_queue {
	int id;
	int cap;
	pthread_mutex_t m;
	pthread_cond_t not_empty, not_full;
	int head, n;
	long items[64];
};

struct ls_value {
	int id;
	_Atomic long v;
	/* Held only around a read or a store and its record, so records are
	 * numbered in the order the memory saw: the model orders writes by seq.
	 * (The lesson's race is between a read and the next write, which this
	 * does not prevent.) */
	pthread_mutex_t order;
};

static void value_order_lock(ls_value *v)
{
	if (pthread_mutex_lock(&v->order) == EOWNERDEAD)
		pthread_mutex_consistent(&v->order); /* a writer died between two lines */
}

struct ls_ctl *probe_ctl;
struct probe_arena *probe_arena;
static const struct ls_scene *scene;
static const long *param_values;
_Thread_local int probe_self = -1;

/* ---- announcing ---- */

uint64_t probe_now_ns(void)
{
	return ctl_now_ns();
}

void probe_emit(int type, int worker, int object, int64_t a0, int64_t a1,
                 int64_t a2, int64_t a3)
{
	struct ls_event ev;
	event_init(&ev, type, atomic_fetch_add(&probe_ctl->seq, 1), probe_now_ns(), worker, object);
	ev.u.a[0] = a0;
	ev.u.a[1] = a1;
	ev.u.a[2] = a2;
	ev.u.a[3] = a3;
	bus_emit(&ev);
}

void probe_emit_text(int type, int worker, int object, int64_t a0, const char *s)
{
	struct ls_event ev;
	event_init(&ev, type, atomic_fetch_add(&probe_ctl->seq, 1), probe_now_ns(), worker, object);
	ev.u.s.a0 = a0;
	event_set_text(&ev, s);
	bus_emit(&ev);
}

/* A line of any length, in as many records as it takes; flags (enum
 * ls_text_flags) go on the last one. */
static void emit_line_flags(int type, int worker, const char *line, int flags)
{
	const char *p = line;
	do {
		struct ls_event ev;
		event_init(&ev, type, atomic_fetch_add(&probe_ctl->seq, 1), probe_now_ns(), worker, -1);
		size_t used = event_set_text(&ev, p);
		p += used;
		ev.u.s.a0 = *p != '\0' ? LS_TEXT_MORE : flags;
		bus_emit(&ev);
		if (used == 0)
			break; /* a byte that cannot start a chunk: give up */
	} while (*p);
}

void probe_emit_line(int type, int worker, const char *line)
{
	emit_line_flags(type, worker, line, 0);
}

void probe_emit_fatal_line(const char *line)
{
	emit_line_flags(LS_EV_OUTPUT, probe_self, line, LS_TEXT_FATAL);
}

/* The limits lockstep-scene.h promises are the ones enforced here. */
_Static_assert(LS_SCENE_MAX_WORKERS == LS_MAX_WORKERS, "lockstep-scene.h: workers");
_Static_assert(LS_SCENE_MAX_OBJECTS == LS_MAX_OBJECTS, "lockstep-scene.h: objects");
_Static_assert(LS_SCENE_SHARED_BYTES == ARENA_HEAP, "lockstep-scene.h: shared memory");
_Static_assert(LS_SCENE_STACK_BYTES == THREAD_STACK, "lockstep-scene.h: stack");
_Static_assert(LS_SCENE_NAME_SHOWN == LS_EV_TEXT - 1, "lockstep-scene.h: names");
_Static_assert(LS_SCENE_IPC_NAMES == LS_IPC_NAMES_MAX, "lockstep-scene.h: IPC names");
_Static_assert(LS_SCENE_PARAMS_MAX == LS_PARAMS_MAX, "lockstep-scene.h: parameters");

/* ---- families (probe_internal.h) ---- */

volatile sig_atomic_t probe_sig_pending;
static const struct probe_family *const *families;

#define EACH_FAMILY(f)                                                         \
	for (const struct probe_family *const *f = families; f && *f; f++)

void probe_set_families(const struct probe_family *const *fams)
{
	families = fams;
}

static void families_forked(int id)
{
	EACH_FAMILY(f) if ((*f)->forked) (*f)->forked(id);
}

static void families_child_init(int id)
{
	EACH_FAMILY(f) if ((*f)->child_init) (*f)->child_init(id);
}

static void families_child_exit(void)
{
	EACH_FAMILY(f) if ((*f)->child_exit) (*f)->child_exit();
}

static int families_run_handlers(void)
{
	int ran = 0;
	EACH_FAMILY(f) if ((*f)->run_handlers) ran |= (*f)->run_handlers();
	return ran;
}

static void families_cleanup(void)
{
	EACH_FAMILY(f) if ((*f)->cleanup) (*f)->cleanup();
}

static _Noreturn void fatal_va(int err, const char *fmt, va_list ap)
{
	char what[384], buf[512];
	vsnprintf(what, sizeof what, fmt, ap);
	if (err)
		snprintf(buf, sizeof buf, _("scene error in %s: %s: %s"),
		         probe_self >= 0 ? ls_worker_name(probe_self) : "host", what, strerror(err));
	else
		snprintf(buf, sizeof buf, _("scene error in %s: %s"),
		         probe_self >= 0 ? ls_worker_name(probe_self) : "host", what);
	/* whole, not its first chunk, marked fatal */
	emit_line_flags(LS_EV_OUTPUT, probe_self, buf, LS_TEXT_FATAL);
	ctl_note_misuse(probe_ctl, buf); /* the engine's error names it */
	bus_flush();
	abort();
}

_Noreturn void probe_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fatal_va(0, fmt, ap);
}

_Noreturn void probe_fatal_errno(int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fatal_va(err, fmt, ap);
}

_Noreturn void probe_fatal_misuse(const char *what)
{
	probe_fatal("%s", what);
}

void *probe_must(void *p, const char *what)
{
	if (!p)
		probe_fatal_misuse(what);
	return p;
}

/* ---- the gate ---- */

int probe_mode(void)
{
	return (int)atomic_load(&probe_ctl->mode);
}

void probe_stop_if_stopping(void)
{
	if (!atomic_load(&probe_ctl->stopping))
		return;
	if (probe_arena->w[probe_self].kind == LS_WK_PROCESS && probe_arena->w[probe_self].pid == getpid()) {
		/* a process says it itself, before its _exit(0): that status is
		 * lockstep's, not the program's, and the engine would take it
		 * for a return (1: it has said its end) */
		probe_emit(LS_EV_EXIT, probe_self, -1, 0, LS_EXIT_DAEMON_STOPPED, 0, 0);
		bus_flush();
		atomic_store(&probe_ctl->slots[probe_self].exited, 1);
		ctl_futex_wake(&probe_ctl->slots[probe_self].exited);
		_exit(0);
	}
	bus_flush();
	/* tell the host this worker will say nothing more: only then does it
	 * announce the daemon's stop, so no record of ours can follow that */
	atomic_store(&probe_ctl->slots[probe_self].exited, 2); /* 2: stopped, 1: returned */
	ctl_futex_wake(&probe_ctl->slots[probe_self].exited);
	pthread_exit(NULL);
}

void probe_wait_exited(int w)
{
	struct ls_slot *s = &probe_ctl->slots[w];
	while (!atomic_load(&s->exited)) {
		int parked = probe_mode() == LS_MODE_STEP;
		probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_JOIN, parked, 0, w);
		if (parked) {
			probe_gate_wait();
		} else {
			bus_flush();
			ctl_futex_wait(&s->exited, 0, GATE_WATCHDOG_NS);
			probe_stop_if_stopping();
		}
	}
}

/* Wait until this worker may move: in a free run after the speed delay, in a
 * controlled run when the engine grants a step. Mode changes wake it at once. */
/* The operation a worker announced at its gate, so that it can announce it
 * again after a signal's handler ran there. */
static _Thread_local struct {
	int active, op, obj;
	int64_t arg;
} want;

/* The explorer's runs step at once: a parked worker polls its wake word
 * for a few microseconds (ctl spin_us) before it sleeps on the futex, so a
 * grant that follows right away costs no wakeup. 1: it changed. */
static int spin_for_wake(struct ls_slot *s, uint32_t seen)
{
	uint32_t us = atomic_load(&probe_ctl->spin_us);
	if (!us)
		return 0;
	uint64_t until = probe_now_ns() + (uint64_t)us * 1000u;
	do {
		for (int i = 0; i < 64; i++) {
			if (atomic_load(&s->wake) != seen)
				return 1;
			ctl_cpu_relax();
		}
	} while (probe_now_ns() < until);
	return 0;
}

void probe_gate_wait(void)
{
	struct ls_slot *s = &probe_ctl->slots[probe_self];
	uint64_t start = 0;
	for (;;) {
		uint32_t seen = atomic_load(&s->wake);
		probe_stop_if_stopping();
		if (probe_sig_pending) { /* a signal's handler runs here (a family's hook) */
			int outer = want.active, op = want.op, obj = want.obj;
			int64_t arg = want.arg;
			want.active = 0;
			int ran = families_run_handlers();
			want.active = outer; /* a handler's own gates overwrote the rest */
			want.op = op;
			want.obj = obj;
			want.arg = arg;
			if (ran && !outer)
				return; /* the caller retries what it waited for */
			if (ran) {
				probe_emit(LS_EV_WANT, probe_self, obj, op, arg, 0, 0);
				continue;
			}
		}
		if (probe_mode() == LS_MODE_RUN) {
			atomic_store(&s->used, atomic_load(&s->grants));
			uint64_t d = (uint64_t)atomic_load(&probe_ctl->delay_us) * 1000u;
			uint64_t now = probe_now_ns();
			if (!start)
				start = now;
			if (d == 0 || now >= start + d)
				return;
			bus_flush();
			ctl_futex_wait(&s->wake, seen, (int64_t)(start + d - now));
			continue;
		}
		uint32_t g = atomic_load(&s->grants), u = atomic_load(&s->used);
		if (g != u) {
			atomic_store(&s->used, u + 1);
			return;
		}
		bus_flush();
		if (spin_for_wake(s, seen))
			continue;
		ctl_futex_wait(&s->wake, seen, GATE_PARKED_WATCHDOG_NS);
	}
}

void probe_gate(int op, int object, int64_t arg)
{
	probe_emit(LS_EV_WANT, probe_self, object, op, arg, 0, 0);
	want.active = 1;
	want.op = op;
	want.obj = object;
	want.arg = arg;
	probe_gate_wait();
	want.active = 0;
}

int probe_gate_fast(int op, int object, int64_t arg)
{
	if (probe_mode() != LS_MODE_RUN || atomic_load(&probe_ctl->delay_us) != 0 ||
	    atomic_load(&probe_ctl->stopping) || probe_sig_pending)
		return 0;
	probe_emit(LS_EV_WANT, probe_self, object, op, arg, 0, 0);
	/* probe_gate_wait's free run at full speed, without its loop */
	struct ls_slot *s = &probe_ctl->slots[probe_self];
	atomic_store(&s->used, atomic_load(&s->grants));
	return 1;
}

void probe_must_be_worker(const char *fn)
{
	if (probe_self < 0)
		probe_fatal_misuse(fn);
}

/* ---- time ---- */

int64_t probe_vdeadline_after(long ms)
{
	int64_t d = (int64_t)ms * 1000000;
	return atomic_load(&probe_ctl->vclock) + (d > 0 ? d : 1);
}

void probe_timespec_at(struct timespec *ts, uint64_t ns)
{
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
}

/* ---- shared memory ---- */

void *ls_shared_alloc(size_t size)
{
	size = (size + 63) & ~(size_t)63;
	size_t off = atomic_fetch_add(&probe_arena->used, size);
	if (off + size > ARENA_HEAP)
		probe_fatal_misuse("shared probe_arena exhausted");
	return probe_arena->heap + off;
}

int probe_declare_object(int kind, const char *name, int64_t value, int64_t cap, int64_t aux)
{
	uint32_t id = atomic_fetch_add(&probe_ctl->nobjects, 1);
	if (id >= LS_MAX_OBJECTS)
		probe_fatal_misuse("too many objects");
	probe_emit(LS_EV_OBJECT, probe_self, (int)id, kind, value, cap, aux);
	probe_emit_text(LS_EV_NAME, probe_self, (int)id, LS_NAME_OBJECT, name);
	return (int)id;
}

/* ---- parameters and text ---- */

const char *ls_tr(const char *msgid)
{
	return dgettext("lockstep", msgid);
}

static int param_index(const char *name)
{
	for (int i = 0; scene->params && scene->params[i].name; i++)
		if (strcmp(scene->params[i].name, name) == 0)
			return i;
	return -1;
}

long ls_param(const char *name)
{
	int i = param_index(name);
	if (i < 0)
		probe_fatal_misuse("ls_param: no such parameter");
	return param_values[i];
}

const char *ls_param_str(const char *name)
{
	int i = param_index(name);
	if (i < 0 || scene->params[i].type != LS_PARAM_CHOICE)
		return NULL;
	static _Thread_local char buf[64];
	return params_show(scene, i, param_values[i], buf, sizeof buf);
}

/* A line as records of `type` from this worker, in chunks. */
static void emit_line(int type, const char *line)
{
	probe_emit_line(type, probe_self, line);
}

void ls_say(const char *fmt, ...)
{
	char buf[LS_SCENE_SAY_MAX + 1];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	emit_line(LS_EV_SAY, buf);
}

/* The process's own standard output, line by line, as OUTPUT records from
 * this worker: the scene host's stdout is one pipe for every process of
 * the group, so only the bus can say which process printed a line, and
 * in which order with its other operations. */
void ls_print(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* one record per line, as print() would write them; a newline at the
	 * very end ends the last line and starts none */
	char *line = buf;
	for (;;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		emit_line(LS_EV_OUTPUT, line);
		if (!nl || !nl[1])
			break;
		line = nl + 1;
	}
}

/* ---- workers ---- */

ls_worker ls_self(void)
{
	return probe_self;
}

const char *ls_worker_name(ls_worker w)
{
	if (w < 0 || w >= (int)atomic_load(&probe_ctl->nworkers))
		return "?";
	return probe_arena->w[w].name;
}

static int declare_worker(const char *name, int kind, int flags)
{
	uint32_t id = atomic_fetch_add(&probe_ctl->nworkers, 1);
	if (id >= LS_MAX_WORKERS)
		probe_fatal_misuse("too many workers");
	struct wrec *r = &probe_arena->w[id];
	r->kind = kind;
	r->flags = flags;
	snprintf(r->name, sizeof r->name, "%s", name);
	probe_emit(LS_EV_WORKER, (int)id, -1, kind, flags, probe_self, 0);
	probe_emit_text(LS_EV_NAME, (int)id, -1, LS_NAME_WORKER, name);
	return (int)id;
}

int probe_declare_worker(const char *name, int kind, int flags)
{
	return declare_worker(name, kind, flags);
}

static void crash_handler(int sig)
{
	struct ls_event ev;
	event_init(&ev, LS_EV_CRASH, atomic_fetch_add(&probe_ctl->seq, 1), probe_now_ns(), probe_self, -1);
	ev.u.a[0] = sig;
	ev.u.a[1] = getpid();
	bus_emit_signal_safe(&ev);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_crash_handlers(void)
{
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

/* The new worker waits here until its spawner has announced SPAWN, so the
 * model always learns of a worker before it hears from it. */
static void wait_for_go(struct wrec *r, pid_t parent)
{
	while (!atomic_load(&r->go)) {
		/* only its spawner lets it go: if that died first, nobody will */
		if (parent && getppid() != parent)
			_exit(137);
		ctl_futex_wait(&r->go, 0, GATE_WATCHDOG_NS);
	}
}

static void let_go(struct wrec *r)
{
	atomic_store(&r->go, 1);
	ctl_futex_wake(&r->go);
}

static void finish_children(void);

/* An orphan-to-be must outlive its parent but not the scene. Its parent's
 * death signal is this one, caught: by then the kernel has made the host (a
 * subreaper) its parent, so from now on it dies with the host, as every
 * other worker process does. If the host is already gone too (lockstep was
 * killed), it goes at once. Async-signal-safe: prctl, getppid and _exit. */
#define ORPHANED_SIGNAL SIGRTMAX
static pid_t orphan_host;

static void on_orphaned(int sig)
{
	(void)sig;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != orphan_host)
		_exit(137);
}

static void die_with_scene(const struct wrec *r, pid_t parent)
{
	if (!(r->flags & LS_WF_ORPHAN_OK)) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent) /* it died before we asked: no signal comes */
			_exit(137);
		return;
	}
	orphan_host = probe_arena->w[0].pid;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_orphaned;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(ORPHANED_SIGNAL, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, ORPHANED_SIGNAL);
	if (getppid() != parent) /* the parent died before we asked */
		on_orphaned(ORPHANED_SIGNAL);
}

static _Noreturn void process_body(int id, pid_t parent)
{
	struct wrec *r = &probe_arena->w[id];
	probe_self = id;
	bus_forget();
	die_with_scene(r, parent);
	wait_for_go(r, parent);
	probe_emit(LS_EV_DONE, id, -1, LS_OP_START, gettid(), getpid(), 0);
	families_child_init(id);
	int code = r->fn(r->arg);
	finish_children();
	families_child_exit();
	atomic_store(&probe_ctl->slots[id].exited, 1);
	probe_emit(LS_EV_EXIT, id, -1, code, LS_EXIT_RETURN, 0, 0);
	bus_flush();
	_exit(code & 0xff);
}

static void *thread_body(void *p)
{
	int id = (int)(intptr_t)p;
	struct wrec *r = &probe_arena->w[id];
	probe_self = id;
	wait_for_go(r, 0);
	probe_emit(LS_EV_DONE, id, -1, LS_OP_START, gettid(), getpid(), 0);
	r->code = r->fn(r->arg);
	atomic_store(&probe_ctl->slots[id].exited, 1);
	ctl_futex_wake(&probe_ctl->slots[id].exited);
	probe_emit(LS_EV_EXIT, id, -1, r->code, LS_EXIT_RETURN, 0, 0);
	bus_flush();
	return NULL;
}

/* The resource limit that may explain a failure with err: " (ulimit -u is
 * 50)" for EAGAIN, " (ulimit -v is 20000)" for ENOMEM (and EAGAIN, as thread
 * stacks need address space), "" when no such limit is set. */
static const char *limits_hint(int err, char *buf, size_t n)
{
	struct rlimit u, v;
	buf[0] = '\0';
	int hu = err == EAGAIN && getrlimit(RLIMIT_NPROC, &u) == 0 && u.rlim_cur != RLIM_INFINITY;
	int hv = (err == EAGAIN || err == ENOMEM) && getrlimit(RLIMIT_AS, &v) == 0 &&
	         v.rlim_cur != RLIM_INFINITY;
	if (hu && hv)
		snprintf(buf, n, _(" (ulimit -u is %llu, ulimit -v is %llu)"), (unsigned long long)u.rlim_cur,
		         (unsigned long long)v.rlim_cur / 1024);
	else if (hu)
		snprintf(buf, n, _(" (ulimit -u is %llu)"), (unsigned long long)u.rlim_cur);
	else if (hv)
		snprintf(buf, n, _(" (ulimit -v is %llu)"), (unsigned long long)v.rlim_cur / 1024);
	return buf;
}

static void start_worker(int id)
{
	struct wrec *r = &probe_arena->w[id];
	bus_flush(); /* the declaration reaches the UI before the worker can */
	if (r->kind == LS_WK_PROCESS) {
		pid_t parent = getpid();
		pid_t pid = fork();
		char hint[96];
		if (pid < 0)
			probe_fatal(_("cannot start process %s: fork: %s%s"), r->name, strerror(errno),
			            limits_hint(errno, hint, sizeof hint));
		if (pid == 0)
			process_body(id, parent);
		r->pid = pid;
		r->owner_pid = getpid();
	} else {
		pthread_attr_t at;
		pthread_attr_init(&at);
		pthread_attr_setstacksize(&at, THREAD_STACK);
		r->pid = getpid();
		r->owner_pid = getpid();
		int e = pthread_create(&r->th, &at, thread_body, (void *)(intptr_t)id);
		char hint[96];
		if (e != 0)
			probe_fatal(_("cannot create thread %s: %s%s"), r->name, strerror(e),
			            limits_hint(e, hint, sizeof hint));
		pthread_attr_destroy(&at);
	}
	probe_emit(LS_EV_SPAWN, id, -1, r->pid, 0, getpid(), 0);
	if (r->kind == LS_WK_PROCESS)
		families_forked(id); /* the pipe ends it inherited */
	bus_flush();
	let_go(r);
}

ls_worker ls_create(const char *name, int (*fn)(void *), void *arg, int flags)
{
	probe_must_be_worker("ls_create");
	int kind = (flags & LS_PROCESS) ? LS_WK_PROCESS : LS_WK_THREAD;
	int wf = (flags & LS_DAEMON) ? LS_WF_DAEMON : 0;
	if ((flags & LS_ORPHAN_OK) && kind == LS_WK_PROCESS)
		wf |= LS_WF_ORPHAN_OK;
	int id = declare_worker(name, kind, wf);
	probe_arena->w[id].fn = fn;
	probe_arena->w[id].arg = arg;
	return id;
}

void ls_start(ls_worker w)
{
	probe_must_be_worker("ls_start");
	if (w <= 0 || w >= (int)atomic_load(&probe_ctl->nworkers) || probe_arena->w[w].owner_pid)
		probe_fatal_misuse("ls_start: not a new worker");
	probe_gate(LS_OP_START, -1, w);
	start_worker(w);
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_START, w, 0, 0);
}

ls_worker ls_spawn(const char *name, int (*fn)(void *), void *arg, int flags)
{
	int id = ls_create(name, fn, arg, flags);
	start_worker(id);
	return id;
}

static int reap(int w, int block)
{
	struct wrec *r = &probe_arena->w[w];
	int st;
	for (;;) {
		pid_t p = waitpid(r->pid, &st, block ? 0 : WNOHANG);
		if (p == r->pid)
			break;
		if (p < 0 && errno == EINTR)
			continue;
		return 0;
	}
	atomic_store(&r->joined, 1);
	r->code = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
	probe_emit(LS_EV_REAPED, w, -1, st, probe_self, 0, 0);
	return 1;
}

int ls_join(ls_worker w)
{
	probe_must_be_worker("ls_join");
	if (w <= 0 || w >= (int)atomic_load(&probe_ctl->nworkers) || w == probe_self)
		probe_fatal_misuse("ls_join: no such worker");
	struct wrec *r = &probe_arena->w[w];
	if (r->owner_pid != getpid() && !(r->kind == LS_WK_PROCESS && procfs_ppid(r->pid) == getpid()))
		probe_fatal_misuse("ls_join: only the creating (or adopting) process can join a worker");
	probe_gate(LS_OP_JOIN, -1, w);
	if (r->kind == LS_WK_PROCESS) {
		while (!reap(w, 0)) {
			if (atomic_load(&probe_ctl->slots[w].exited)) {
				reap(w, 1); /* it announced its exit: moments away */
				break;
			}
			if (probe_mode() == LS_MODE_STEP) {
				probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_JOIN, 1, 0, w);
				probe_gate_wait();
				continue;
			}
			probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_JOIN, 0, 0, w);
			bus_flush();
			reap(w, 1);
			break;
		}
	} else {
		probe_wait_exited(w);
		pthread_join(r->th, NULL);
		atomic_store(&r->joined, 1);
	}
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_JOIN, r->code, w, 0);
	return r->code;
}

/* Wait for what this process started and did not join: non-daemon threads
 * first (Python waits for them), then child processes. */
static void finish_children(void)
{
	pid_t me = getpid();
	int n = (int)atomic_load(&probe_ctl->nworkers);
	for (int i = 1; i < n; i++) {
		struct wrec *r = &probe_arena->w[i];
		if (r->owner_pid != me || atomic_load(&r->joined) || r->kind != LS_WK_THREAD ||
		    (r->flags & LS_WF_DAEMON))
			continue;
		pthread_join(r->th, NULL);
		atomic_store(&r->joined, 1);
	}
	for (int i = 1; i < n; i++) {
		struct wrec *r = &probe_arena->w[i];
		if (r->owner_pid == me && !atomic_load(&r->joined) && r->kind == LS_WK_PROCESS)
			reap(i, 1);
	}
}

/* ---- the blocking skeleton ---- */

uint64_t probe_watch_until(uint64_t deadline)
{
	uint64_t until = probe_now_ns() + (uint64_t)GATE_WATCHDOG_NS;
	return deadline && deadline < until ? deadline : until;
}

int probe_watch_verdict(uint64_t deadline)
{
	if (deadline && probe_now_ns() >= deadline)
		return 0;
	probe_stop_if_stopping();
	return probe_mode() == LS_MODE_STEP ? PROBE_PARK : 1;
}

/* How a free run waits in the kernel: a primitive's own blocking call, or
 * a bounded wait the probe loops. */
struct kernel_wait {
	try_fn try;
	block_fn block;
	kwait_fn kwait;
};

static int wait_in_kernel(const struct kernel_wait *k, void *obj, long *io, uint64_t rdl)
{
	if (k->block)
		return k->block(obj, io, rdl);
	for (;;) {
		if (rdl && probe_now_ns() >= rdl)
			return k->try(obj, io);
		if (k->kwait(obj, io, probe_watch_until(rdl)))
			return 1;
		probe_stop_if_stopping();
		if (probe_mode() == LS_MODE_STEP)
			return PROBE_PARK;
	}
}

static int blocking_core(int op, int obj_id, void *obj, const struct kernel_wait *k,
                         long timeout_ms, long *io)
{
	int64_t vdl = timeout_ms >= 0 ? probe_vdeadline_after(timeout_ms) : 0;
	uint64_t rdl = timeout_ms >= 0 ? probe_now_ns() + (uint64_t)timeout_ms * 1000000u : 0;
	for (;;) {
		if (k->try(obj, io))
			return 1;
		if (timeout_ms == 0)
			return 0;
		if (probe_mode() == LS_MODE_STEP) {
			if (vdl && atomic_load(&probe_ctl->vclock) >= vdl)
				return 0;
			probe_emit(LS_EV_BLOCKED, probe_self, obj_id, op, 1, vdl, 0);
			probe_gate_wait();
			continue;
		}
		probe_emit(LS_EV_BLOCKED, probe_self, obj_id, op, 0,
		           rdl ? (int64_t)(rdl - atomic_load(&probe_ctl->t0)) : 0, 0);
		bus_flush();
		int r = wait_in_kernel(k, obj, io, rdl);
		if (r != PROBE_PARK)
			return r;
	}
}

int probe_blocking_op(int op, int obj_id, void *obj, try_fn try, block_fn block,
                      long timeout_ms, long *io)
{
	const struct kernel_wait k = {.try = try, .block = block};
	return blocking_core(op, obj_id, obj, &k, timeout_ms, io);
}

int probe_blocking_op_kwait(int op, int obj_id, void *obj, try_fn try, kwait_fn kwait,
                            long timeout_ms, long *io)
{
	const struct kernel_wait k = {.try = try, .kwait = kwait};
	return blocking_core(op, obj_id, obj, &k, timeout_ms, io);
}

/* ---- mutex ---- */

void probe_init_pshared_mutex(pthread_mutex_t *m, int robust)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	if (robust)
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LS_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define LS_TSAN 1
#endif

int probe_mutex_lock_until(pthread_mutex_t *m, uint64_t deadline_ns)
{
	struct timespec ts;
#ifdef LS_TSAN
	uint64_t now = probe_now_ns(), left = deadline_ns > now ? deadline_ns - now : 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t real = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + left;
	probe_timespec_at(&ts, real);
	return pthread_mutex_timedlock(m, &ts);
#else
	probe_timespec_at(&ts, deadline_ns);
	return pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &ts);
#endif
}

void probe_init_pshared_cond(pthread_cond_t *c)
{
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(c, &a);
	pthread_condattr_destroy(&a);
}

/* A robust mutex whose owner died is ours now, in a consistent state. */
int probe_lock_result(ls_mutex *m, int r)
{
	if (r == EOWNERDEAD) {
		pthread_mutex_consistent(&m->m);
		probe_emit_text(LS_EV_SAY, probe_self, -1, 0, "the previous owner died holding this lock");
		return 0;
	}
	return r;
}

ls_mutex *ls_mutex_new(const char *name)
{
	probe_must_be_worker("ls_mutex_new");
	ls_mutex *m = probe_must(ls_shared_alloc(sizeof *m), "alloc");
	probe_init_pshared_mutex(&m->m, 1);
	m->kind = LS_OBJ_MUTEX;
	m->id = probe_declare_object(LS_OBJ_MUTEX, name, 0, 0, -1);
	return m;
}

static int mutex_try(void *o, long *io)
{
	(void)io;
	ls_mutex *m = o;
	return probe_lock_result(m, pthread_mutex_trylock(&m->m)) == 0;
}

static int mutex_block(void *o, long *io, uint64_t deadline)
{
	(void)io;
	ls_mutex *m = o;
	for (;;) {
		int r = probe_lock_result(m, probe_mutex_lock_until(&m->m, probe_watch_until(deadline)));
		if (r == 0)
			return 1;
		if (r != ETIMEDOUT)
			return 0;
		if ((r = probe_watch_verdict(deadline)) != 1)
			return r;
	}
}

static int lock_impl(ls_mutex *m, int op, long timeout_ms)
{
	probe_must_be_worker("ls_lock");
	probe_gate(op, m->id, timeout_ms);
	if (probe_blocking_op(op, m->id, m, mutex_try, mutex_block, timeout_ms, NULL)) {
		probe_emit(LS_EV_ACQUIRED, probe_self, m->id, op, 1, 0, 0);
		return 1;
	}
	probe_emit(op == LS_OP_TRYLOCK ? LS_EV_DONE : LS_EV_TIMEOUT, probe_self, m->id, op, 0, 0, 0);
	return 0;
}

void ls_lock(ls_mutex *m)
{
	lock_impl(m, LS_OP_LOCK, -1);
}

int ls_trylock(ls_mutex *m)
{
	return lock_impl(m, LS_OP_TRYLOCK, 0);
}

int ls_lock_timeout(ls_mutex *m, long ms)
{
	return lock_impl(m, LS_OP_LOCK, ms < 0 ? 0 : ms);
}

void ls_unlock(ls_mutex *m)
{
	probe_must_be_worker("ls_unlock");
	probe_gate(LS_OP_UNLOCK, m->id, 0);
	/* numbered before the real unlock: the model orders owners by it, so
	 * no flush is needed here (see owner_stale in model.c) */
	probe_emit(LS_EV_RELEASED, probe_self, m->id, LS_OP_UNLOCK, 0, 0, 0);
	if (pthread_mutex_unlock(&m->m) != 0)
		probe_fatal_misuse("unlock of a lock this worker does not hold");
}

/* ---- semaphore ---- */

ls_sem *ls_sem_new(const char *name, unsigned value)
{
	probe_must_be_worker("ls_sem_new");
	ls_sem *s = probe_must(ls_shared_alloc(sizeof *s), "alloc");
	if (sem_init(&s->s, 1, value) != 0)
		probe_fatal_errno(errno, "sem_init of %s", name);
	s->id = probe_declare_object(LS_OBJ_SEM, name, value, value, -1);
	return s;
}

static int sem_try(void *o, long *io)
{
	(void)io;
	return sem_trywait(&((ls_sem *)o)->s) == 0;
}

static int sem_block(void *o, long *io, uint64_t deadline)
{
	(void)io;
	ls_sem *s = o;
	for (;;) {
		struct timespec ts;
		probe_timespec_at(&ts, probe_watch_until(deadline));
		if (sem_clockwait(&s->s, CLOCK_MONOTONIC, &ts) == 0)
			return 1;
		if (errno == EINTR)
			continue;
		if (errno != ETIMEDOUT)
			return 0;
		int v = probe_watch_verdict(deadline);
		if (v != 1)
			return v;
	}
}

static int sem_value(ls_sem *s)
{
	int v = 0;
	sem_getvalue(&s->s, &v);
	return v;
}

void ls_sem_wait(ls_sem *s)
{
	probe_must_be_worker("ls_sem_wait");
	probe_gate(LS_OP_SEM_WAIT, s->id, 0);
	probe_blocking_op(LS_OP_SEM_WAIT, s->id, s, sem_try, sem_block, -1, NULL);
	probe_emit(LS_EV_ACQUIRED, probe_self, s->id, LS_OP_SEM_WAIT, sem_value(s), 0, 0);
}

void ls_sem_post(ls_sem *s)
{
	probe_must_be_worker("ls_sem_post");
	probe_gate(LS_OP_SEM_POST, s->id, 0);
	probe_emit(LS_EV_RELEASED, probe_self, s->id, LS_OP_SEM_POST, sem_value(s) + 1, 0, 0);
	bus_flush();
	sem_post(&s->s);
}

/* ---- condition variable ---- */

ls_cond *ls_cond_new(const char *name, ls_mutex *m)
{
	probe_must_be_worker("ls_cond_new");
	ls_cond *c = probe_must(ls_shared_alloc(sizeof *c), "alloc");
	probe_init_pshared_cond(&c->c);
	c->m = m;
	c->id = probe_declare_object(LS_OBJ_COND, name, 0, 0, m->id);
	return c;
}

static void cond_dequeue(ls_cond *c, int w)
{
	for (int i = 0; i < c->n; i++)
		if (c->q[i] == w) {
			memmove(&c->q[i], &c->q[i + 1], (size_t)(c->n - i - 1) * sizeof c->q[0]);
			c->n--;
			return;
		}
}

/* CPython's Condition: each waiter has its own place in line; notify picks
 * the first. A free run sleeps in the real pthread_cond_wait (woken by a
 * broadcast, re-sleeping until picked); a controlled run parks at the gate. */
static int cond_wait_impl(ls_cond *c, long timeout_ms)
{
	probe_must_be_worker("ls_cond_wait");
	ls_mutex *m = c->m;
	struct wrec *me = &probe_arena->w[probe_self];
	probe_gate(LS_OP_COND_WAIT, c->id, timeout_ms);
	if (c->n >= LS_MAX_WORKERS)
		probe_fatal_misuse("condition queue full");
	c->q[c->n++] = probe_self;
	atomic_store(&me->notified, 0);
	probe_emit(LS_EV_RELEASED, probe_self, m->id, LS_OP_COND_WAIT, 0, 0, 0);
	int64_t vdl = timeout_ms >= 0 ? probe_vdeadline_after(timeout_ms) : 0;
	uint64_t rdl = timeout_ms >= 0 ? probe_now_ns() + (uint64_t)timeout_ms * 1000000u : 0;
	int holding = 1, timed_out = 0, rewait = 0;
	for (;;) {
		int picked = atomic_load(&me->notified) || timed_out;
		if (picked && holding)
			break;
		if (probe_mode() == LS_MODE_STEP) {
			rewait = 0;
			if (picked) {
				if (pthread_mutex_trylock(&m->m) == 0) {
					holding = 1;
					continue;
				}
				probe_emit(LS_EV_BLOCKED, probe_self, m->id, LS_OP_LOCK, 1, 0, 0);
			} else {
				if (vdl && atomic_load(&probe_ctl->vclock) >= vdl) {
					cond_dequeue(c, probe_self); /* only mover: safe */
					timed_out = 1;
					probe_emit(LS_EV_TIMEOUT, probe_self, c->id, LS_OP_COND_WAIT, 0, 0, 0);
					continue;
				}
				probe_emit(LS_EV_BLOCKED, probe_self, c->id, LS_OP_COND_WAIT, 1, vdl, m->id);
			}
			/* unlock before the BLOCKED goes out: once the engine sees
			 * this worker parked it may grant the lock to another, whose
			 * trylock must find it free */
			if (holding) {
				pthread_mutex_unlock(&m->m);
				holding = 0;
			}
			bus_flush();
			probe_gate_wait();
			continue;
		}
		/* free run. As in CPython, a waiter sleeps on its own word (its
		 * "waiter lock"), not holding the mutex; once picked, or out of
		 * time, it wins the mutex back. Both waits wake at least once a
		 * second, so a switch to step mode parks the worker at its gate
		 * (inside pthread_cond_wait it would be stuck winning the mutex
		 * back from a holder that now waits for a step). */
		uint64_t now = probe_now_ns(), until = probe_watch_until(rdl);
		int late = rdl && now >= rdl;
		if (holding && !picked && late) {
			cond_dequeue(c, probe_self);
			timed_out = 1;
			probe_emit(LS_EV_TIMEOUT, probe_self, c->id, LS_OP_COND_WAIT, 0, 0, 0);
			continue;
		}
		if (!holding && (picked || late)) {
			if (!rewait) {
				probe_emit(LS_EV_BLOCKED, probe_self, m->id, LS_OP_LOCK, 0, 0, 0);
				bus_flush();
			}
			holding = probe_lock_result(m, probe_mutex_lock_until(&m->m, probe_watch_until(0))) == 0;
			rewait = !holding;
			if (!holding)
				probe_stop_if_stopping();
			continue;
		}
		if (holding) {
			probe_emit(LS_EV_BLOCKED, probe_self, c->id, LS_OP_COND_WAIT, 0,
			     rdl ? (int64_t)(rdl - atomic_load(&probe_ctl->t0)) : 0, m->id);
			bus_flush();
			pthread_mutex_unlock(&m->m);
			holding = 0;
		}
		ctl_futex_wait(&me->notified, 0, (int64_t)(until - now));
		probe_stop_if_stopping();
	}
	probe_emit(LS_EV_ACQUIRED, probe_self, m->id, LS_OP_LOCK, 1, 0, 0);
	return !timed_out;
}

void ls_cond_wait(ls_cond *c)
{
	cond_wait_impl(c, -1);
}

int ls_cond_wait_timeout(ls_cond *c, long ms)
{
	return cond_wait_impl(c, ms < 0 ? 0 : ms);
}

static void notify(ls_cond *c, int op, int all)
{
	probe_must_be_worker("ls_cond_signal");
	probe_gate(op, c->id, 0);
	if (c->n == 0)
		probe_emit(LS_EV_NOTIFY, probe_self, c->id, op, -1, 0, 0);
	while (c->n > 0) {
		int w = c->q[0];
		cond_dequeue(c, w);
		atomic_store(&probe_arena->w[w].notified, 1);
		ctl_futex_wake(&probe_arena->w[w].notified);
		probe_emit(LS_EV_NOTIFY, probe_self, c->id, op, w, 0, 0);
		if (!all)
			break;
	}
	bus_flush();
	pthread_cond_broadcast(&c->c);
}

void ls_cond_signal(ls_cond *c)
{
	notify(c, LS_OP_COND_SIGNAL, 0);
}

void ls_cond_broadcast(ls_cond *c)
{
	notify(c, LS_OP_COND_BROADCAST, 1);
}

/* ---- bounded queue ---- */

ls_queue *ls_queue_new(const char *name, int capacity)
{
	probe_must_be_worker("ls_queue_new");
	if (capacity < 1 || capacity > LS_SCENE_QUEUE_MAX)
		probe_fatal_misuse("queue capacity must be 1..64");
	ls_queue *q = probe_must(ls_shared_alloc(sizeof *q), "alloc");
	probe_init_pshared_mutex(&q->m, 0);
	probe_init_pshared_cond(&q->not_empty);
	probe_init_pshared_cond(&q->not_full);
	q->cap = capacity;
	q->id = probe_declare_object(LS_OBJ_QUEUE, name, 0, capacity, -1);
	return q;
}

/* Both ends announce under the queue's own lock and flush there, so the
 * model sees puts and gets in the order they happened. */
static void queue_put_locked(ls_queue *q, long item)
{
	q->items[(q->head + q->n) % q->cap] = item;
	q->n++;
	probe_emit(LS_EV_DONE, probe_self, q->id, LS_OP_PUT, item, 0, 0);
	bus_flush();
	pthread_cond_signal(&q->not_empty);
}

static long queue_get_locked(ls_queue *q)
{
	long item = q->items[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	probe_emit(LS_EV_DONE, probe_self, q->id, LS_OP_GET, item, 0, 0);
	bus_flush();
	pthread_cond_signal(&q->not_full);
	return item;
}

static int put_try(void *o, long *io)
{
	ls_queue *q = o;
	pthread_mutex_lock(&q->m);
	int ok = q->n < q->cap;
	if (ok)
		queue_put_locked(q, *io);
	pthread_mutex_unlock(&q->m);
	return ok;
}

/* Wait on a queue condition until a watchdog wake-up; the caller loops. */
static int queue_wait(pthread_cond_t *c, pthread_mutex_t *m, uint64_t deadline)
{
	struct timespec ts;
	probe_timespec_at(&ts, probe_watch_until(deadline));
	if (pthread_cond_clockwait(c, m, CLOCK_MONOTONIC, &ts) != ETIMEDOUT)
		return 1;
	pthread_mutex_unlock(m);
	int v = probe_watch_verdict(deadline);
	pthread_mutex_lock(m);
	return v;
}

static int put_block(void *o, long *io, uint64_t deadline)
{
	ls_queue *q = o;
	pthread_mutex_lock(&q->m);
	while (q->n == q->cap) {
		int v = queue_wait(&q->not_full, &q->m, deadline);
		if (v != 1 && q->n == q->cap) {
			pthread_mutex_unlock(&q->m);
			return v;
		}
	}
	queue_put_locked(q, *io);
	pthread_mutex_unlock(&q->m);
	return 1;
}

static int get_try(void *o, long *io)
{
	ls_queue *q = o;
	pthread_mutex_lock(&q->m);
	int ok = q->n > 0;
	if (ok)
		*io = queue_get_locked(q);
	pthread_mutex_unlock(&q->m);
	return ok;
}

static int get_block(void *o, long *io, uint64_t deadline)
{
	ls_queue *q = o;
	pthread_mutex_lock(&q->m);
	while (q->n == 0) {
		int v = queue_wait(&q->not_empty, &q->m, deadline);
		if (v != 1 && q->n == 0) {
			pthread_mutex_unlock(&q->m);
			return v;
		}
	}
	*io = queue_get_locked(q);
	pthread_mutex_unlock(&q->m);
	return 1;
}

void ls_queue_put(ls_queue *q, long item)
{
	probe_must_be_worker("ls_queue_put");
	probe_gate(LS_OP_PUT, q->id, item);
	probe_blocking_op(LS_OP_PUT, q->id, q, put_try, put_block, -1, &item);
}

long ls_queue_get(ls_queue *q)
{
	probe_must_be_worker("ls_queue_get");
	long item = 0;
	probe_gate(LS_OP_GET, q->id, 0);
	probe_blocking_op(LS_OP_GET, q->id, q, get_try, get_block, -1, &item);
	return item;
}

/* ---- shared integer ---- */

ls_value *ls_value_new(const char *name, long initial)
{
	probe_must_be_worker("ls_value_new");
	ls_value *v = probe_must(ls_shared_alloc(sizeof *v), "alloc");
	atomic_store(&v->v, initial);
	probe_init_pshared_mutex(&v->order, 1);
	v->id = probe_declare_object(LS_OBJ_VALUE, name, initial, 0, -1);
	return v;
}

long ls_value_read(ls_value *v)
{
	probe_must_be_worker("ls_value_read");
	probe_gate(LS_OP_READ, v->id, 0);
	value_order_lock(v);
	long x = atomic_load(&v->v);
	probe_emit(LS_EV_DONE, probe_self, v->id, LS_OP_READ, x, 0, 0);
	pthread_mutex_unlock(&v->order);
	return x;
}

void ls_value_write(ls_value *v, long value)
{
	probe_must_be_worker("ls_value_write");
	probe_gate(LS_OP_WRITE, v->id, value);
	value_order_lock(v);
	atomic_store(&v->v, value);
	probe_emit(LS_EV_DONE, probe_self, v->id, LS_OP_WRITE, value, 0, 0);
	pthread_mutex_unlock(&v->order);
}

void ls_value_expect(ls_value *v, long delta)
{
	probe_must_be_worker("ls_value_expect");
	/* not an operation: no gate, no step; announced in order after the write */
	probe_emit(LS_EV_DONE, probe_self, v->id, LS_OP_EXPECT, delta, 0, 0);
}

/* ---- time ---- */

void ls_sleep_ms(long ms)
{
	probe_must_be_worker("ls_sleep_ms");
	if (ms < 0)
		ms = 0;
	probe_gate(LS_OP_SLEEP, -1, ms);
	struct ls_slot *s = &probe_ctl->slots[probe_self];
	uint64_t rdl = probe_now_ns() + (uint64_t)ms * 1000000u;
	int64_t vdl = 0;
	for (;;) {
		if (probe_mode() == LS_MODE_STEP) {
			if (!vdl) /* entering (or re-entering) virtual time */
				vdl = probe_vdeadline_after(ms);
			if (atomic_load(&probe_ctl->vclock) >= vdl)
				break;
			probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_SLEEP, 1, vdl, 0);
			probe_gate_wait();
			continue;
		}
		uint64_t now = probe_now_ns();
		if (now >= rdl)
			break;
		uint32_t seen = atomic_load(&s->wake);
		probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_SLEEP, 0,
		     (int64_t)(rdl - atomic_load(&probe_ctl->t0)), 0);
		bus_flush();
		/* sleep on the gate word so a switch to step mode takes over */
		ctl_futex_wait(&s->wake, seen, (int64_t)(rdl - now));
		probe_stop_if_stopping();
	}
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_SLEEP, ms, 0, 0);
}

void ls_work_ms(long ms)
{
	probe_must_be_worker("ls_work_ms");
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_WORK, ms, 0, 0);
	bus_flush(); /* what happened before the work is on screen during it */
	/* A controlled run moves one worker at a time and its clock moves only
	 * for sleeps and timed waits, so spinning here changes no state anyone
	 * can see: it only made every stepped run (and the explorer's
	 * thousands of runs) wait out the scene's work in wall time. */
	if (probe_mode() == LS_MODE_STEP)
		return;
	uint64_t end = probe_now_ns() + (uint64_t)(ms > 0 ? ms : 0) * 1000000u;
	volatile uint64_t spin = 0;
	while (probe_now_ns() < end)
		spin++;
}

/* ---- the host ---- */

static int map_arena(void)
{
	probe_arena = mmap(NULL, sizeof(struct probe_arena) + ARENA_HEAP, PROT_READ | PROT_WRITE,
	             MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (probe_arena == MAP_FAILED) {
		probe_arena = NULL;
		return errno;
	}
	return 0;
}

int probe_attach(struct ls_ctl *c, int bus_fd)
{
	probe_ctl = c;
	bus_writer_init(bus_fd);
	return map_arena();
}

_Noreturn void probe_host_main(const struct ls_scene *sc, const long *params,
                               struct ls_ctl *c, int bus_fd,
                               const struct probe_family *const *fams)
{
	families = fams;
	probe_ctl = c;
	scene = sc;
	param_values = params;
	bus_writer_init(bus_fd);
	int e = map_arena();
	if (e) {
		char hint[96];
		probe_fatal(_("cannot map the scene's shared arena (%zu MiB): %s%s"),
		            (sizeof(struct probe_arena) + ARENA_HEAP) >> 20, strerror(e),
		            limits_hint(e, hint, sizeof hint));
	}
	install_crash_handlers();

	probe_emit(LS_EV_HELLO, -1, -1, getpid(), sc->abi, 0, 0);
	probe_self = declare_worker("main", LS_WK_THREAD, LS_WF_MAIN);
	probe_arena->w[0].pid = getpid();
	probe_arena->w[0].owner_pid = getpid();
	probe_emit(LS_EV_SPAWN, 0, -1, getpid(), gettid(), getppid(), 0);
	int code = sc->run();
	atomic_store(&probe_ctl->slots[0].exited, 1);
	probe_emit(LS_EV_EXIT, 0, -1, code, LS_EXIT_RETURN, 0, 0);
	bus_flush();
	probe_self = -1;

	finish_children();
	/* daemons die with the program, as in Python */
	atomic_store(&probe_ctl->stopping, 1);
	ctl_wake_all(probe_ctl);
	int n = (int)atomic_load(&probe_ctl->nworkers);
	/* give each daemon a moment to reach a gate and stop (it then sends
	 * nothing more); one stuck in a kernel wait or in long work is
	 * announced stopped anyway: the process group goes with the host */
	uint64_t until = probe_now_ns() + 500000000u;
	for (int i = 1; i < n; i++) {
		struct ls_slot *sl = &probe_ctl->slots[i];
		if (!(probe_arena->w[i].flags & LS_WF_DAEMON))
			continue;
		uint64_t now;
		while (!atomic_load(&sl->exited) && (now = probe_now_ns()) < until)
			ctl_futex_wait(&sl->exited, 0, (int64_t)(until - now));
		if (atomic_load(&sl->exited) != 1) /* 1: it returned and said so */
			probe_emit(LS_EV_EXIT, i, -1, 0, LS_EXIT_DAEMON_STOPPED, 0, 0);
	}
	families_cleanup();
	probe_emit(LS_EV_END, -1, -1, code, 0, 0, 0);
	bus_flush();
	_exit(0);
}
