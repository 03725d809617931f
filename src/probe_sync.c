/* probe_sync: the thread primitives beyond lock, semaphore and condition:
 * reentrant lock, read-write lock, event, barrier, future, thread-local
 * slot, the user's key, and the scene clock.
 *
 * Each follows the discipline at the top of probe.c (WANT -> gate -> try;
 * parked at the gate in a controlled run, the real kernel wait in a free
 * run; announce and flush before anything that lets another worker go on).
 * Each lives in the shared arena with process-shared attributes, so it works
 * between threads and between forked processes. Who wakes is never the
 * kernel's choice in a controlled run: waiters park at their gates, and the
 * model (model.c, available()) says when they may retry.
 * Uses only probe_internal.h; never touches curses or the model.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "probe_internal.h"

/* Waits go through probe_blocking_op_kwait: a free-run kernel wait wakes at
 * least once a second to look at the mode, so when the user switches to step
 * mode the worker leaves the kernel and parks at its gate (a kernel wait that
 * lasted until someone else moved would keep it "moving" forever, since that
 * someone now waits for a step). */

/* pthread_cond_clockwait until `until`; 0 or ETIMEDOUT. */
static int cond_wait_until(pthread_cond_t *c, pthread_mutex_t *m, uint64_t until)
{
	struct timespec ts;
	probe_timespec_at(&ts, until);
	return pthread_cond_clockwait(c, m, CLOCK_MONOTONIC, &ts);
}

/* ---- reentrant lock: a recursive, robust, process-shared mutex ---- */

struct ls_rlock {
	int id;
	pthread_mutex_t m;
	int count; /* holds by the owner; only the owner touches it */
};

ls_rlock *ls_rlock_new(const char *name)
{
	probe_must_be_worker("ls_rlock_new");
	ls_rlock *r = probe_must(ls_shared_alloc(sizeof *r), "alloc");
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	int e = pthread_mutex_init(&r->m, &a);
	if (e != 0)
		probe_fatal_errno(e, "pthread_mutex_init (recursive) of %s", name);
	pthread_mutexattr_destroy(&a);
	r->id = probe_declare_object(LS_OBJ_RLOCK, name, 0, 0, -1);
	return r;
}

static int rlock_result(ls_rlock *r, int rc)
{
	if (rc == EOWNERDEAD) {
		pthread_mutex_consistent(&r->m);
		r->count = 0; /* the dead owner's holds died with it */
		ls_say("%s", LS_("the previous owner died holding this reentrant lock"));
		return 0;
	}
	return rc;
}

static int rlock_try(void *o, long *io)
{
	(void)io;
	ls_rlock *r = o;
	return rlock_result(r, pthread_mutex_trylock(&r->m)) == 0;
}

static int rlock_kwait(void *o, long *io, uint64_t until)
{
	(void)io;
	ls_rlock *r = o;
	return rlock_result(r, probe_mutex_lock_until(&r->m, until)) == 0;
}

static int rlock_impl(ls_rlock *r, long timeout_ms)
{
	probe_must_be_worker("ls_rlock_acquire");
	probe_gate(LS_OP_LOCK, r->id, timeout_ms);
	if (probe_blocking_op_kwait(LS_OP_LOCK, r->id, r, rlock_try, rlock_kwait, timeout_ms, NULL)) {
		r->count++;
		probe_emit(LS_EV_ACQUIRED, probe_self, r->id, LS_OP_LOCK, r->count, 0, 0);
		return 1;
	}
	probe_emit(LS_EV_TIMEOUT, probe_self, r->id, LS_OP_LOCK, 0, 0, 0);
	return 0;
}

void ls_rlock_acquire(ls_rlock *r)
{
	rlock_impl(r, -1);
}

int ls_rlock_acquire_timeout(ls_rlock *r, long ms)
{
	return rlock_impl(r, ms < 0 ? 0 : ms);
}

void ls_rlock_release(ls_rlock *r)
{
	probe_must_be_worker("ls_rlock_release");
	probe_gate(LS_OP_UNLOCK, r->id, 0);
	if (r->count <= 0)
		probe_fatal_misuse("release of an rlock this worker does not hold");
	/* only the last release lets another worker in, but announce every one
	 * before it happens so the count on screen never runs behind */
	probe_emit(LS_EV_RELEASED, probe_self, r->id, LS_OP_UNLOCK, r->count - 1, 0, 0);
	bus_flush();
	r->count--;
	if (pthread_mutex_unlock(&r->m) != 0)
		probe_fatal_misuse("release of an rlock this worker does not hold");
}

/* ---- read-write lock: glibc's default pthread_rwlock_t, process-shared ----
 *
 * The default kind prefers readers (PTHREAD_RWLOCK_PREFER_READER_NP): a
 * reader's tryrdlock succeeds whenever no writer holds it, even while a
 * writer waits, and the model's availability says the same (kind_lock.c).
 * held[w] is what worker w holds (0, or the operation that took it), kept
 * by the holder alone: it says which hold an unlock gives back, and turns
 * the misuses glibc would not report (unlock without a hold, a second hold)
 * into a clear line. A read hold asking for the write lock is allowed: it
 * is the classic upgrade deadlock, a wait-for cycle of one. */

struct ls_rwlock {
	int id;
	pthread_rwlock_t rw;
	unsigned char held[LS_MAX_WORKERS];
};

ls_rwlock *ls_rwlock_new(const char *name)
{
	probe_must_be_worker("ls_rwlock_new");
	ls_rwlock *l = probe_must(ls_shared_alloc(sizeof *l), "alloc");
	pthread_rwlockattr_t a;
	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	int e = pthread_rwlock_init(&l->rw, &a);
	if (e != 0)
		probe_fatal_errno(e, "pthread_rwlock_init of %s", name);
	pthread_rwlockattr_destroy(&a);
	l->id = probe_declare_object(LS_OBJ_RWLOCK, name, 0, 0, -1);
	return l;
}

static int rwlock_try_rd(void *o, long *io)
{
	(void)io;
	return pthread_rwlock_tryrdlock(&((ls_rwlock *)o)->rw) == 0;
}

static int rwlock_try_wr(void *o, long *io)
{
	(void)io;
	return pthread_rwlock_trywrlock(&((ls_rwlock *)o)->rw) == 0;
}

static int rwlock_kwait_rd(void *o, long *io, uint64_t until)
{
	(void)io;
	struct timespec ts;
	probe_timespec_at(&ts, until);
	return pthread_rwlock_clockrdlock(&((ls_rwlock *)o)->rw, CLOCK_MONOTONIC, &ts) == 0;
}

static int rwlock_kwait_wr(void *o, long *io, uint64_t until)
{
	(void)io;
	struct timespec ts;
	probe_timespec_at(&ts, until);
	return pthread_rwlock_clockwrlock(&((ls_rwlock *)o)->rw, CLOCK_MONOTONIC, &ts) == 0;
}

static int rwlock_impl(ls_rwlock *l, int op, long timeout_ms)
{
	probe_must_be_worker(op == LS_OP_RWLOCK_RD ? "ls_rwlock_rdlock" : "ls_rwlock_wrlock");
	int have = l->held[probe_self];
	if (have == LS_OP_RWLOCK_WR || (have && op == LS_OP_RWLOCK_RD))
		probe_fatal_misuse(have == LS_OP_RWLOCK_WR
		                       ? "lock of an rwlock this worker already holds for writing"
		                       : "read lock of an rwlock this worker already holds for reading");
	probe_gate(op, l->id, timeout_ms);
	int ok = op == LS_OP_RWLOCK_RD
	             ? probe_blocking_op_kwait(op, l->id, l, rwlock_try_rd, rwlock_kwait_rd,
	                                       timeout_ms, NULL)
	             : probe_blocking_op_kwait(op, l->id, l, rwlock_try_wr, rwlock_kwait_wr,
	                                       timeout_ms, NULL);
	if (ok) {
		l->held[probe_self] = (unsigned char)op;
		probe_emit(LS_EV_ACQUIRED, probe_self, l->id, op, 1, 0, 0);
		return 1;
	}
	probe_emit(LS_EV_TIMEOUT, probe_self, l->id, op, 0, 0, 0);
	return 0;
}

void ls_rwlock_rdlock(ls_rwlock *l)
{
	rwlock_impl(l, LS_OP_RWLOCK_RD, -1);
}

void ls_rwlock_wrlock(ls_rwlock *l)
{
	rwlock_impl(l, LS_OP_RWLOCK_WR, -1);
}

int ls_rwlock_rdlock_timeout(ls_rwlock *l, long ms)
{
	return rwlock_impl(l, LS_OP_RWLOCK_RD, ms < 0 ? 0 : ms);
}

int ls_rwlock_wrlock_timeout(ls_rwlock *l, long ms)
{
	return rwlock_impl(l, LS_OP_RWLOCK_WR, ms < 0 ? 0 : ms);
}

void ls_rwlock_unlock(ls_rwlock *l)
{
	probe_must_be_worker("ls_rwlock_unlock");
	probe_gate(LS_OP_UNLOCK, l->id, 0);
	int have = l->held[probe_self];
	if (!have)
		probe_fatal_misuse("unlock of an rwlock this worker does not hold");
	/* announced before the real unlock, as every release is; a2 says
	 * which hold goes */
	probe_emit(LS_EV_RELEASED, probe_self, l->id, LS_OP_UNLOCK, 0, have, 0);
	bus_flush();
	l->held[probe_self] = 0;
	if (pthread_rwlock_unlock(&l->rw) != 0)
		probe_fatal_misuse("unlock of an rwlock this worker does not hold");
}

/* ---- event: a flag, a mutex and a condition, as CPython builds it ---- */

struct ls_event_obj {
	int id;
	pthread_mutex_t m;
	pthread_cond_t c;
	int flag;
	long gen; /* sets so far: a waiter present at a set is woken by it */
};

ls_event_obj *ls_event_new(const char *name)
{
	probe_must_be_worker("ls_event_new");
	ls_event_obj *e = probe_must(ls_shared_alloc(sizeof *e), "alloc");
	probe_init_pshared_mutex(&e->m, 0);
	probe_init_pshared_cond(&e->c);
	e->id = probe_declare_object(LS_OBJ_EVENT, name, 0, 0, -1);
	return e;
}

/* io: the generation this waiter first saw (-1 before its first try). */
static int event_ready_locked(ls_event_obj *e, long *io)
{
	if (*io < 0)
		*io = e->gen;
	return e->flag || e->gen != *io;
}

static int event_try(void *o, long *io)
{
	ls_event_obj *e = o;
	pthread_mutex_lock(&e->m);
	int ok = event_ready_locked(e, io);
	pthread_mutex_unlock(&e->m);
	return ok;
}

static int event_kwait(void *o, long *io, uint64_t until)
{
	ls_event_obj *e = o;
	pthread_mutex_lock(&e->m);
	int ok;
	while (!(ok = event_ready_locked(e, io)))
		if (cond_wait_until(&e->c, &e->m, until) == ETIMEDOUT) {
			ok = event_ready_locked(e, io);
			break;
		}
	pthread_mutex_unlock(&e->m);
	return ok;
}

static int event_wait_impl(ls_event_obj *e, long timeout_ms)
{
	probe_must_be_worker("ls_event_wait");
	long gen = -1;
	probe_gate(LS_OP_EVENT_WAIT, e->id, timeout_ms);
	if (probe_blocking_op_kwait(LS_OP_EVENT_WAIT, e->id, e, event_try, event_kwait, timeout_ms, &gen)) {
		probe_emit(LS_EV_DONE, probe_self, e->id, LS_OP_EVENT_WAIT, 1, 0, 0);
		return 1;
	}
	probe_emit(LS_EV_TIMEOUT, probe_self, e->id, LS_OP_EVENT_WAIT, 0, 0, 0);
	return 0;
}

void ls_event_wait(ls_event_obj *e)
{
	event_wait_impl(e, -1);
}

int ls_event_wait_timeout(ls_event_obj *e, long ms)
{
	return event_wait_impl(e, ms < 0 ? 0 : ms);
}

void ls_event_set(ls_event_obj *e)
{
	probe_must_be_worker("ls_event_set");
	probe_gate(LS_OP_EVENT_SET, e->id, 0);
	probe_emit(LS_EV_DONE, probe_self, e->id, LS_OP_EVENT_SET, 1, 0, 0);
	bus_flush();
	pthread_mutex_lock(&e->m);
	e->flag = 1;
	e->gen++;
	pthread_cond_broadcast(&e->c);
	pthread_mutex_unlock(&e->m);
}

void ls_event_clear(ls_event_obj *e)
{
	probe_must_be_worker("ls_event_clear");
	probe_gate(LS_OP_EVENT_CLEAR, e->id, 0);
	pthread_mutex_lock(&e->m);
	e->flag = 0;
	pthread_mutex_unlock(&e->m);
	probe_emit(LS_EV_DONE, probe_self, e->id, LS_OP_EVENT_CLEAR, 0, 0, 0);
}

int ls_event_is_set(ls_event_obj *e)
{
	pthread_mutex_lock(&e->m);
	int f = e->flag;
	pthread_mutex_unlock(&e->m);
	return f;
}

/* ---- barrier: a count, a generation, a mutex and a condition (CPython's
 * Barrier is built on a Condition the same way; a pthread_barrier_t cannot
 * be tried without blocking, so a controlled run could not park on it) ---- */

struct ls_barrier {
	int id;
	int parties;
	pthread_mutex_t m;
	pthread_cond_t c;
	int count; /* arrived in this round */
	long gen;  /* rounds passed */
};

ls_barrier *ls_barrier_new(const char *name, int parties)
{
	probe_must_be_worker("ls_barrier_new");
	if (parties < 1)
		probe_fatal_misuse("a barrier needs at least one party");
	ls_barrier *b = probe_must(ls_shared_alloc(sizeof *b), "alloc");
	probe_init_pshared_mutex(&b->m, 0);
	probe_init_pshared_cond(&b->c);
	b->parties = parties;
	b->id = probe_declare_object(LS_OBJ_BARRIER, name, 0, parties, -1);
	return b;
}

int ls_barrier_wait(ls_barrier *b)
{
	probe_must_be_worker("ls_barrier_wait");
	probe_gate(LS_OP_BARRIER_WAIT, b->id, 0);
	pthread_mutex_lock(&b->m);
	long mygen = b->gen;
	int index = b->count++;
	if (b->count == b->parties) {
		/* the last to arrive trips it: announce, then let everyone go */
		b->count = 0;
		b->gen++;
		probe_emit(LS_EV_DONE, probe_self, b->id, LS_OP_BARRIER_WAIT, b->gen, 1, index);
		bus_flush();
		pthread_cond_broadcast(&b->c);
		pthread_mutex_unlock(&b->m);
		return index;
	}
	for (;;) {
		if (b->gen != mygen)
			break;
		if (probe_mode() == LS_MODE_STEP) {
			probe_emit(LS_EV_BLOCKED, probe_self, b->id, LS_OP_BARRIER_WAIT, 1, 0, b->count);
			bus_flush();
			pthread_mutex_unlock(&b->m);
			probe_gate_wait();
			pthread_mutex_lock(&b->m);
			continue;
		}
		probe_emit(LS_EV_BLOCKED, probe_self, b->id, LS_OP_BARRIER_WAIT, 0, 0, b->count);
		bus_flush();
		while (b->gen == mygen && probe_mode() == LS_MODE_RUN) {
			cond_wait_until(&b->c, &b->m, probe_now_ns() + (uint64_t)GATE_WATCHDOG_NS);
			if (atomic_load(&probe_ctl->stopping)) {
				pthread_mutex_unlock(&b->m);
				probe_stop_if_stopping();
			}
		}
	}
	pthread_mutex_unlock(&b->m);
	probe_emit(LS_EV_DONE, probe_self, b->id, LS_OP_BARRIER_WAIT, mygen + 1, 0, index);
	return index;
}

/* ---- future: set once, waited for ---- */

struct ls_future {
	int id;
	pthread_mutex_t m;
	pthread_cond_t c;
	int done;
	long value;
};

ls_future *ls_future_new(const char *name)
{
	probe_must_be_worker("ls_future_new");
	ls_future *f = probe_must(ls_shared_alloc(sizeof *f), "alloc");
	probe_init_pshared_mutex(&f->m, 0);
	probe_init_pshared_cond(&f->c);
	f->id = probe_declare_object(LS_OBJ_FUTURE, name, 0, 0, -1);
	return f;
}

void ls_future_set(ls_future *f, long result)
{
	probe_must_be_worker("ls_future_set");
	probe_gate(LS_OP_FUTURE_SET, f->id, result);
	if (f->done)
		probe_fatal_misuse("a future's result can be set only once");
	probe_emit(LS_EV_DONE, probe_self, f->id, LS_OP_FUTURE_SET, result, 0, 0);
	bus_flush();
	pthread_mutex_lock(&f->m);
	f->value = result;
	f->done = 1;
	pthread_cond_broadcast(&f->c);
	pthread_mutex_unlock(&f->m);
}

static int future_try(void *o, long *io)
{
	ls_future *f = o;
	pthread_mutex_lock(&f->m);
	int ok = f->done;
	if (ok)
		*io = f->value;
	pthread_mutex_unlock(&f->m);
	return ok;
}

static int future_kwait(void *o, long *io, uint64_t until)
{
	ls_future *f = o;
	pthread_mutex_lock(&f->m);
	while (!f->done)
		if (cond_wait_until(&f->c, &f->m, until) == ETIMEDOUT)
			break;
	int ok = f->done;
	if (ok)
		*io = f->value;
	pthread_mutex_unlock(&f->m);
	return ok;
}

long ls_future_result(ls_future *f)
{
	probe_must_be_worker("ls_future_result");
	long v = 0;
	probe_gate(LS_OP_FUTURE_GET, f->id, 0);
	probe_blocking_op_kwait(LS_OP_FUTURE_GET, f->id, f, future_try, future_kwait, -1, &v);
	probe_emit(LS_EV_DONE, probe_self, f->id, LS_OP_FUTURE_GET, v, 0, 0);
	return v;
}

/* ---- thread-local slot: a pthread key ---- */

struct ls_local {
	int id;
	pthread_key_t key;
};

ls_local *ls_local_new(const char *name)
{
	probe_must_be_worker("ls_local_new");
	ls_local *l = probe_must(ls_shared_alloc(sizeof *l), "alloc");
	int e = pthread_key_create(&l->key, free);
	if (e != 0)
		probe_fatal_errno(e, "pthread_key_create for %s", name);
	l->id = probe_declare_object(LS_OBJ_LOCAL, name, 0, 0, -1);
	return l;
}

void ls_local_set(ls_local *l, long value)
{
	probe_must_be_worker("ls_local_set");
	probe_gate(LS_OP_LOCAL_SET, l->id, value);
	long *slot = pthread_getspecific(l->key);
	if (!slot) {
		slot = probe_must(malloc(sizeof *slot), "malloc");
		int e = pthread_setspecific(l->key, slot);
		if (e != 0)
			probe_fatal_errno(e, "pthread_setspecific");
	}
	*slot = value;
	probe_emit(LS_EV_DONE, probe_self, l->id, LS_OP_LOCAL_SET, value, 0, 0);
}

long ls_local_get(ls_local *l, long dflt)
{
	probe_must_be_worker("ls_local_get");
	probe_gate(LS_OP_LOCAL_GET, l->id, 0);
	long *slot = pthread_getspecific(l->key);
	long v = slot ? *slot : dflt;
	probe_emit(LS_EV_DONE, probe_self, l->id, LS_OP_LOCAL_GET, v, slot != NULL, 0);
	return v;
}

/* ---- the user's key ---- */

void ls_wait_user(const char *prompt)
{
	probe_must_be_worker("ls_wait_user");
	uint32_t seen = atomic_load(&probe_ctl->presses);
	if (prompt && *prompt)
		ls_say("%s", prompt);
	probe_gate(LS_OP_USER_WAIT, -1, seen);
	while (atomic_load(&probe_ctl->presses) == seen) {
		if (probe_mode() == LS_MODE_STEP) {
			probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_USER_WAIT, 1, 0, seen);
			probe_gate_wait();
			continue;
		}
		probe_emit(LS_EV_BLOCKED, probe_self, -1, LS_OP_USER_WAIT, 0, 0, seen);
		bus_flush();
		ctl_futex_wait(&probe_ctl->presses, seen, GATE_WATCHDOG_NS);
		probe_stop_if_stopping();
	}
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_USER_WAIT, atomic_load(&probe_ctl->presses), 0, 0);
}

/* ---- computation measured in CPU time ---- */

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ls_compute_ms(long ms)
{
	probe_must_be_worker("ls_compute_ms");
	probe_emit(LS_EV_DONE, probe_self, -1, LS_OP_WORK, ms, 0, 0);
	bus_flush();
	uint64_t end = thread_cpu_ns() + (uint64_t)(ms > 0 ? ms : 0) * 1000000u;
	volatile uint64_t spin = 0;
	while (thread_cpu_ns() < end)
		spin++;
}

/* ---- the scene's clock ---- */

long ls_now_ms(void)
{
	if (probe_mode() == LS_MODE_STEP)
		return (long)(atomic_load(&probe_ctl->vclock) / 1000000);
	return (long)((probe_now_ns() - atomic_load(&probe_ctl->t0)) / 1000000u);
}

int ls_controlled(void)
{
	return probe_mode() == LS_MODE_STEP;
}
