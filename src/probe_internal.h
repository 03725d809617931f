/* probe_internal: what the probe's files share with each other.
 *
 * The probe is split by family of primitives (probe.c: workers, locks,
 * semaphores, conditions, queues, values, time; further probe_*.c files add
 * more). Each follows the discipline described at the top of probe.c and
 * uses only what this header offers. Scenes never include it.
 */
#ifndef LS_PROBE_INTERNAL_H
#define LS_PROBE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "../scenes/lockstep-scene.h"
#include "bus.h"
#include "control.h"
#include "event.h"

#define ARENA_HEAP (32u << 20)
#define THREAD_STACK (256u << 10)
#define GATE_WATCHDOG_NS 1000000000LL /* re-check at least once a second */
/* A worker parked at its gate needs no re-check: every change it waits for
 * (mode, delay, a grant, stopping, a signal) bumps its wake word and wakes
 * it. The timeout is only a safety net, kept long because a paused scene
 * must not wake: at 1 s, 1,000 parked threads woke 1,000 times a second
 * (11 ms of CPU a second, tests/bench "idle CPU, paused crowd"). */
#define GATE_PARKED_WATCHDOG_NS 30000000000LL

struct wrec {
	int kind, flags;
	pid_t pid;       /* process id (the process it runs in) */
	pid_t owner_pid; /* the process that created it: pthread_t valid there */
	pthread_t th;
	int (*fn)(void *);
	void *arg;
	_Atomic uint32_t go; /* futex: the spawner has announced SPAWN */
	_Atomic int joined;
	_Atomic uint32_t notified; /* futex: condition wait picked by a notify */
	int code;
	char name[LS_EV_TEXT];
};

struct probe_arena {
	_Atomic size_t used;
	struct wrec w[LS_MAX_WORKERS];
	_Alignas(64) unsigned char heap[];
};

struct ls_mutex {
	int id;
	int kind; /* LS_OBJ_MUTEX */
	pthread_mutex_t m;
};

extern struct ls_ctl *probe_ctl;
extern struct probe_arena *probe_arena;
extern _Thread_local int probe_self; /* this thread's worker id, -1 if none */

uint64_t probe_now_ns(void);
/* Queue a record (flushed at the next gate, or now with bus_flush()). */
void probe_emit(int type, int worker, int object, int64_t a0, int64_t a1,
                int64_t a2, int64_t a3);
void probe_emit_text(int type, int worker, int object, int64_t a0, const char *s);
/* A line of any length (SAY, OUTPUT) as chunks the model joins again. */
void probe_emit_line(int type, int worker, const char *line);
/* The run's error, whole, as the last OUTPUT record marked fatal (the
 * engine makes it the run's error); the caller then ends. */
void probe_emit_fatal_line(const char *line);
/* A scene used the API wrongly: say so in the log and abort the host. */
_Noreturn void probe_fatal_misuse(const char *what);
/* The scene cannot go on: say what failed (and, with err, why: strerror)
 * in full on the bus, marked fatal, then abort. */
_Noreturn void probe_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void probe_fatal_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *probe_must(void *p, const char *what);
void probe_must_be_worker(const char *fn);

int probe_mode(void); /* enum ls_mode */
void probe_stop_if_stopping(void);
/* Join a thread worker: wait, announced as BLOCKED on join (parked in a
 * controlled run, on its exit word in a free one), until it has said it
 * ended; the caller then joins the real thread. */
void probe_wait_exited(int w);
/* Announce WANT(op, object, arg), then wait at the gate. */
void probe_gate(int op, int object, int64_t arg);
/* probe_gate when it would not wait (a free run at full speed): WANT, and
 * 1; else 0 and nothing is sent: the caller then calls probe_gate. For a
 * caller that must not wait here (a traced Python thread holding the GIL,
 * src/pytrace). */
int probe_gate_fast(int op, int object, int64_t arg);
/* Wait at the gate without announcing (after a BLOCKED, say). */
void probe_gate_wait(void);

/* Virtual deadline ms from now (controlled runs). */
int64_t probe_vdeadline_after(long ms);
void probe_timespec_at(struct timespec *ts, uint64_t ns);

/* Declare a worker: WORKER + NAME records, its parent the calling worker.
 * Returns its id. */
int probe_declare_worker(const char *name, int kind, int flags);
/* A process that is not a forked scene host joins a run (a program exec'd
 * by the host: lockstep run): the control block, the bus, a fresh arena.
 * 0, or errno. */
int probe_attach(struct ls_ctl *c, int bus_fd);

/* Declare an object: OBJECT + NAME records. Returns its id. */
int probe_declare_object(int kind, const char *name, int64_t value, int64_t cap, int64_t aux);

/* try: 1 on success. block: the real blocking call for a free run, given an
 * absolute CLOCK_MONOTONIC deadline (0: none); 1 on success, 0 on timeout,
 * or PROBE_PARK when the user switched to step mode meanwhile: the worker
 * then leaves the kernel and parks at its gate (see probe_watch_until). */
typedef int (*try_fn)(void *obj, long *io);
typedef int (*block_fn)(void *obj, long *io, uint64_t deadline);
#define PROBE_PARK (-1)

/* For block functions: when to wake from the kernel wait next, at most a
 * watchdog interval from now and never past the deadline (0: none). */
uint64_t probe_watch_until(uint64_t deadline);
/* After such a wake-up without success: 0 (timed out) when the deadline has
 * passed, PROBE_PARK when the run is now stepped, 1 to wait on. Stops the
 * worker if the scene is being torn down. */
int probe_watch_verdict(uint64_t deadline);

int probe_blocking_op(int op, int obj_id, void *obj, try_fn try, block_fn block,
                      long timeout_ms, long *io);
/* The same, for primitives whose kernel wait is a bounded "wait until
 * ready or `until`" (1 ready and taken, 0 not yet): the probe loops it,
 * re-checking the deadline, a switch to step mode and teardown. */
typedef int (*kwait_fn)(void *obj, long *io, uint64_t until);
int probe_blocking_op_kwait(int op, int obj_id, void *obj, try_fn try, kwait_fn kwait,
                            long timeout_ms, long *io);

void probe_init_pshared_mutex(pthread_mutex_t *m, int robust);
/* pthread_mutex_clocklock(CLOCK_MONOTONIC) until the absolute deadline ns.
 * ThreadSanitizer (LLVM 14) does not intercept clocklock and then reports
 * every unlock of a mutex taken that way; under TSan this uses timedlock
 * with the same interval on CLOCK_REALTIME instead. */
int probe_mutex_lock_until(pthread_mutex_t *m, uint64_t deadline_ns);
void probe_init_pshared_cond(pthread_cond_t *c);
int probe_lock_result(ls_mutex *m, int r);

/* ---- families of primitives ---- */

#include <signal.h>
/* Set by a real signal handler (probe_ipc.c): a scene's handler waits to
 * run at the process's main worker's next gate. */
extern volatile sig_atomic_t probe_sig_pending;

/* A family of primitives that keeps per-process state (probe_ipc.c: pipe
 * ends, signal handlers, named objects) hears about processes through these
 * hooks. The probe's core (probe.c) never calls a family by name: the host
 * hands it the families (probe_host_main), so a family is a layer above
 * the core and the linker holds it there. Any hook may be NULL. */
struct probe_family {
	/* in the parent, right after fork: the child holds what we held */
	void (*forked)(int id);
	/* a worker process starts (after its START) / is about to exit */
	void (*child_init)(int id);
	void (*child_exit)(void);
	/* at a gate or a wait of the process's main worker, with
	 * probe_sig_pending set: run the scene's handlers; 1 if any ran */
	int (*run_handlers)(void);
	/* the host is ending: reap adopted orphans, remove named objects */
	void (*cleanup)(void);
};

/* A process that is not a forked scene host (a traced program) hands the
 * probe its families itself. */
void probe_set_families(const struct probe_family *const *fams);

#endif
