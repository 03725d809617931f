/* pyprobe: the probe as a shared library for Python's ctypes
 * (liblockstep-py.so), loaded by the tracer package lockstep_trace.
 *
 * The probe's own code (probe.c, linked whole): the same gate, the same
 * records, the same control block as a scene's workers. What this file adds
 * is only the door a program exec'd by the host needs: attach through the
 * descriptors named in the environment, say which worker the calling
 * thread is, and the few steps of an operation (gate, park, emit) that the
 * tracer strings together around each real Python primitive. Every entry
 * point is called through ctypes, which releases the GIL for the call's
 * duration: a thread parked at its gate lets every other thread run.
 *
 * Exported: lsp_* only (pyprobe.map). Never touches curses or the model.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../probe_internal.h"
#include "bus.h"

#define LSP_API __attribute__((visibility("default")))

static int env_fd(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return -1;
	char *end;
	long fd = strtol(v, &end, 10);
	if (*end || fd < 0 || fd > 1 << 20)
		return -1;
	return (int)fd;
}

/* The API version the tracer checks (bump on an incompatible change). */
LSP_API int lsp_version(void)
{
	return 1;
}

/* Attach this process to the run: 0, -1 when not under lockstep (no
 * descriptors in the environment), or errno. The calling thread becomes
 * worker 0, "main" (declared by the host). */
LSP_API int lsp_attach(void)
{
	int bus = env_fd("LOCKSTEP_BUS_FD"), ctl_fd = env_fd("LOCKSTEP_CTL_FD");
	if (bus < 0 || ctl_fd < 0)
		return -1;
	struct ls_ctl *c = ctl_map_fd(ctl_fd);
	if (!c)
		return errno ? errno : EINVAL;
	/* the program's own children must not inherit them by accident
	 * (a subprocess started with close_fds=False, an exec) */
	int e = probe_attach(c, bus);
	if (e)
		return e;
	probe_self = 0;
	snprintf(probe_arena->w[0].name, sizeof probe_arena->w[0].name, "main");
	probe_arena->w[0].pid = getpid();
	probe_arena->w[0].owner_pid = getpid();
	return 0;
}

/* Which worker the calling thread is (-1: none, an untraced thread). */
LSP_API int lsp_self(void)
{
	return probe_self;
}

LSP_API void lsp_set_self(int w)
{
	probe_self = w;
}

LSP_API int lsp_mode(void)
{
	return probe_mode();
}

LSP_API int lsp_stopping(void)
{
	return (int)atomic_load(&probe_ctl->stopping);
}

LSP_API int64_t lsp_now_ns(void)
{
	return (int64_t)probe_now_ns();
}

LSP_API int64_t lsp_t0_ns(void)
{
	return (int64_t)atomic_load(&probe_ctl->t0);
}

LSP_API int64_t lsp_vclock(void)
{
	return atomic_load(&probe_ctl->vclock);
}

LSP_API int64_t lsp_vdeadline_after_ms(long ms)
{
	return probe_vdeadline_after(ms);
}

/* The program's line of this worker's next operation ("demo.py:12", or
 * NULL): a WHERE record when it is not the line of its last one. */
static _Thread_local char last_where[LS_EV_TEXT];

/* pyprobe_proc.c: a forked child's first operation names its line, even
 * when it is the line of its parent's last one. */
void pyprobe_where_forget(void);
void pyprobe_where_forget(void)
{
	last_where[0] = '\0';
}

/* ---- declaring ---- */

/* A new worker (kind 0 thread, 1 process; flags LS_WF_*), its parent the
 * calling worker. Returns its id; its name is kept for ls_worker_name. */
LSP_API int lsp_declare_worker(const char *name, int kind, int flags)
{
	int id = probe_declare_worker(name, kind, flags);
	probe_arena->w[id].owner_pid = getpid();
	return id;
}

/* The spawner announces the start (before the real start, flushed), so
 * the engine knows the worker before it hears from it. */
LSP_API void lsp_spawned(int id, long pid)
{
	probe_arena->w[id].pid = (pid_t)pid;
	probe_emit(LS_EV_SPAWN, id, -1, pid, 0, getpid(), 0);
	bus_flush();
}

/* In the new thread (or process), first thing: it is worker `id` now. */
LSP_API void lsp_begin(int id)
{
	probe_self = id;
	last_where[0] = '\0';
	probe_emit(LS_EV_DONE, id, -1, LS_OP_START, gettid(), getpid(), 0);
}

/* The calling worker's body returned (code) or ended otherwise: it says
 * so and is no worker any more. */
LSP_API void lsp_end(int code)
{
	int id = probe_self;
	if (id < 0)
		return;
	atomic_store(&probe_ctl->slots[id].exited, 1);
	ctl_futex_wake(&probe_ctl->slots[id].exited);
	probe_emit(LS_EV_EXIT, id, -1, code, LS_EXIT_RETURN, 0, 0);
	bus_flush();
	probe_self = -1;
}

/* A worker that will say nothing more (a daemon thread still running at
 * the program's exit): stopped, as the host stops a scene's daemons. */
LSP_API void lsp_stopped(int id)
{
	uint32_t zero = 0;
	if (atomic_compare_exchange_strong(&probe_ctl->slots[id].exited, &zero, 2))
		probe_emit(LS_EV_EXIT, id, -1, 0, LS_EXIT_DAEMON_STOPPED, 0, 0);
}

LSP_API int lsp_exited(int id)
{
	return (int)atomic_load(&probe_ctl->slots[id].exited);
}

LSP_API int lsp_declare_object(int kind, const char *name, int64_t value, int64_t cap, int64_t aux)
{
	return probe_declare_object(kind, name, value, cap, aux);
}

/* ---- records ---- */

/* Send this thread's batch when someone watches it move: in a controlled
 * run, or a free run slowed to be read. At full speed the batch goes when
 * it is full or 2 ms old (bus.c), a write per operation being most of what
 * a traced Lock would cost. */
static void flush_if_watched(void)
{
	if (probe_mode() == LS_MODE_STEP || atomic_load(&probe_ctl->delay_us) != 0)
		bus_flush();
}


LSP_API void lsp_emit(int type, int obj, int64_t a0, int64_t a1, int64_t a2, int64_t a3)
{
	probe_emit(type, probe_self, obj, a0, a1, a2, a3);
}

/* The record that ends an operation, sent at once when someone watches:
 * what follows is the program's own code, which may wait where lockstep
 * cannot see (a socket, a real sleep, a busy loop), and the screen must
 * not show the worker still asking meanwhile. */
LSP_API void lsp_done(int type, int obj, int64_t a0, int64_t a1, int64_t a2, int64_t a3)
{
	probe_emit(type, probe_self, obj, a0, a1, a2, a3);
	flush_if_watched();
}

LSP_API void lsp_emit_text(int type, int obj, int64_t a0, const char *text)
{
	probe_emit_text(type, probe_self, obj, a0, text);
}

/* A line of any length: SAY or OUTPUT, from the calling worker. */
LSP_API void lsp_emit_line(int type, const char *line)
{
	probe_emit_line(type, probe_self, line);
}

/* The tracer cannot go on (a Python too old, no worker): the run's error. */
LSP_API void lsp_fatal(const char *line)
{
	probe_emit_fatal_line(line);
	ctl_note_misuse(probe_ctl, line);
	bus_flush();
}

LSP_API void lsp_flush(void)
{
	bus_flush();
}

/* ---- the gate ---- */


static void where_is(const char *where)
{
	if (!where || strncmp(where, last_where, sizeof last_where - 1) == 0)
		return;
	snprintf(last_where, sizeof last_where, "%s", where);
	probe_emit_text(LS_EV_WHERE, probe_self, -1, 0, where);
}

LSP_API void lsp_gate(int op, int obj, int64_t arg, const char *where)
{
	where_is(where);
	probe_gate(op, obj, arg);
}

/* The gate when it lets the worker through at once (a free run at full
 * speed), called holding the GIL (ctypes.PyDLL): WANT, and 1; else 0 and
 * nothing sent: the caller then finds its line and calls lsp_gate without
 * the GIL (ctypes.CDLL). Never waits. At full speed nobody can read a line
 * between two operations, and finding it is most of what the tracer's
 * Python costs: the line is sent when the worker waits (at its gate, or
 * blocked: the tracer says where first). */
LSP_API int lsp_gate_try(int op, int obj, int64_t arg)
{
	return probe_gate_fast(op, obj, arg);
}

LSP_API void lsp_where(const char *where)
{
	where_is(where);
}

/* Gate, then one record: a release (RELEASED, NOTIFY...) in one call. */
LSP_API void lsp_gate_emit(int op, int obj, int64_t arg, const char *where, int type, int64_t a0,
                           int64_t a1)
{
	where_is(where);
	probe_gate(op, obj, arg);
	probe_emit(type, probe_self, obj, a0, a1, 0, 0);
	flush_if_watched();
}

/* The same three, with int arguments only: ctypes converts arguments
 * through argtypes at about a microsecond a call, and without argtypes it
 * can pass nothing wider than an int safely. The tracer's hot paths (a
 * Lock's acquire and release) call these with plain Python ints. */
LSP_API int lsp_int_gate_try(int op, int obj, int arg)
{
	return probe_gate_fast(op, obj, arg);
}

LSP_API void lsp_int_done(int type, int obj, int a0, int a1)
{
	probe_emit(type, probe_self, obj, a0, a1, 0, 0);
	flush_if_watched();
}

LSP_API int lsp_int_gate_emit_try(int op, int obj, int arg, int type, int a0, int a1)
{
	if (!probe_gate_fast(op, obj, arg))
		return 0;
	probe_emit(type, probe_self, obj, a0, a1, 0, 0);
	flush_if_watched();
	return 1;
}

/* lsp_gate_emit when the gate would not wait (holding the GIL): 1 and the
 * record is sent; else 0, nothing sent: the caller calls lsp_gate_emit. */
LSP_API int lsp_gate_emit_try(int op, int obj, int64_t arg, int type, int64_t a0, int64_t a1)
{
	if (!probe_gate_fast(op, obj, arg))
		return 0;
	probe_emit(type, probe_self, obj, a0, a1, 0, 0);
	flush_if_watched();
	return 1;
}

LSP_API void lsp_gate_wait(void)
{
	probe_gate_wait();
}

/* Controlled run, the real primitive said no: BLOCKED (parked, with a
 * virtual deadline or 0), then wait at the gate for a retry. */
LSP_API void lsp_park(int op, int obj, int64_t vdeadline, int64_t aux)
{
	probe_emit(LS_EV_BLOCKED, probe_self, obj, op, 1, vdeadline, aux);
	probe_gate_wait();
}

/* Free run, about to wait in the real primitive: BLOCKED (kernel) with
 * the real deadline (absolute CLOCK_MONOTONIC ns, 0 none), flushed. */
LSP_API void lsp_blocked_kernel(int op, int obj, int64_t deadline_ns, int64_t aux)
{
	probe_emit(LS_EV_BLOCKED, probe_self, obj, op, 0,
	           deadline_ns ? deadline_ns - (int64_t)atomic_load(&probe_ctl->t0) : 0, aux);
	bus_flush();
}

/* Leave now if the run is being torn down (the thread ends). */
LSP_API void lsp_stop_if_stopping(void)
{
	if (probe_self >= 0)
		probe_stop_if_stopping();
}

/* ---- waits the tracer cannot do with a Python primitive ---- */

/* Join a traced thread: wait (parked in a controlled run, on the exit word
 * in a free one) until it has announced its end; the caller then joins
 * the real thread, which is moments from ending. */
LSP_API void lsp_join_wait(int w)
{
	probe_wait_exited(w);
}

/* A condition's waiters, CPython's way: each has its own word, which a
 * notify sets. */
LSP_API void lsp_notified_reset(void)
{
	atomic_store(&probe_arena->w[probe_self].notified, 0);
}

LSP_API int lsp_notified(void)
{
	return (int)atomic_load(&probe_arena->w[probe_self].notified);
}

LSP_API void lsp_notify(int w)
{
	atomic_store(&probe_arena->w[w].notified, 1);
	ctl_futex_wake(&probe_arena->w[w].notified);
}

/* Free run: sleep on this worker's notify word at most timeout_ns (and at
 * most the watchdog), so a switch to step mode is seen. */
LSP_API void lsp_wait_notified(int64_t timeout_ns)
{
	if (timeout_ns < 0 || timeout_ns > GATE_WATCHDOG_NS)
		timeout_ns = GATE_WATCHDOG_NS;
	ctl_futex_wait(&probe_arena->w[probe_self].notified, 0, timeout_ns);
	probe_stop_if_stopping();
}

/* time.sleep: virtual time in a controlled run, real time in a free one
 * (ls_sleep_ms, the scene API's sleep). */
LSP_API void lsp_sleep_ms(long ms, const char *where)
{
	where_is(where);
	ls_sleep_ms(ms);
}

/* A name the program made in the file system (a named semaphore, a queue):
 * removed by the host however the program ends. kind: enum ls_ipc_kind. */
LSP_API int lsp_register_name(int kind, const char *path)
{
	return ctl_ipc_register(probe_ctl, (enum ls_ipc_kind)kind, path);
}

/* ---- processes (os.fork, multiprocessing): the child's side ---- */

/* In a forked child: this thread is worker `id` in the new process; the
 * records its parent's thread had batched are not its own. */
LSP_API void lsp_forked_child(int id)
{
	bus_forget();
	probe_self = id;
	last_where[0] = '\0';
	probe_arena->w[id].pid = getpid();
	probe_emit(LS_EV_DONE, id, -1, LS_OP_START, gettid(), getpid(), 0);
}

/* ---- constants ---- */

/* The value of an enum of event.h by its name without the LS_ prefix
 * ("EV_BLOCKED", "OP_LOCK", "OBJ_MUTEX", "MODE_STEP", "WF_DAEMON"), so
 * the tracer never copies a number that another table could move; -1
 * when there is no such name. */
LSP_API int lsp_const(const char *name)
{
	static const struct {
		const char *name;
		int value;
	} table[] = {
#define X(e, s, w, o) {"EV_" #e, LS_EV_##e},
		LS_EVENT_TYPES(X)
#undef X
#define X(e, s) {"OP_" #e, LS_OP_##e},
		LS_OPS(X)
#undef X
#define X(e, s) {"OBJ_" #e, LS_OBJ_##e},
		LS_OBJ_KINDS(X)
#undef X
		{"WK_THREAD", LS_WK_THREAD}, {"WK_PROCESS", LS_WK_PROCESS},
		{"WF_DAEMON", LS_WF_DAEMON}, {"WF_MAIN", LS_WF_MAIN}, {"WF_ORPHAN_OK", LS_WF_ORPHAN_OK},
		{"EXIT_RETURN", LS_EXIT_RETURN}, {"EXIT_DAEMON_STOPPED", LS_EXIT_DAEMON_STOPPED},
		{"EXIT_SIGNALED", LS_EXIT_SIGNALED},
		{"MODE_RUN", LS_MODE_RUN}, {"MODE_STEP", LS_MODE_STEP},
		{"TEXT_MORE", LS_TEXT_MORE}, {"TEXT_FATAL", LS_TEXT_FATAL},
		{"NAME_WORKER", LS_NAME_WORKER}, {"NAME_OBJECT", LS_NAME_OBJECT},
		{"IPC_FIFO", LS_IPC_FIFO}, {"IPC_MQ", LS_IPC_MQ}, {"IPC_SHM", LS_IPC_SHM},
		{"QUEUE_ANY_ORDER", LS_QUEUE_ANY_ORDER},
		{"EV_TEXT", LS_EV_TEXT}, {"MAX_WORKERS", LS_MAX_WORKERS},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(table[i].name, name) == 0)
			return table[i].value;
	return -1;
}
