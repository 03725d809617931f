/* sync-procs: a test scene that uses every thread primitive of probe_sync.c
 * between forked processes: an event, a barrier, a reentrant lock, futures,
 * a thread-local slot. They live in the shared arena with process-shared
 * attributes, so they must work across fork exactly as between threads. */
#include <stdio.h>

#include "lockstep-scene.h"

#define N 3

static ls_event_obj *go;
static ls_barrier *bar;
static ls_rlock *rl;
static ls_local *loc;
static ls_future *fut[N + 1];
static ls_value *p1_got, *cond_timed_out;

static int proc(void *arg)
{
	long i = (long)arg;
	if (i == 1) /* main holds R until 200 ms: a 10 ms try times out */
		ls_value_write(p1_got, ls_rlock_acquire_timeout(rl, 10));
	ls_local_set(loc, i);
	ls_event_wait(go);
	ls_barrier_wait(bar);
	ls_rlock_acquire(rl);
	ls_rlock_acquire(rl);
	ls_rlock_release(rl);
	ls_rlock_release(rl);
	ls_future_set(fut[i], 10 * ls_local_get(loc, -1));
	return 0;
}

static int run(void)
{
	go = ls_event_new("go");
	bar = ls_barrier_new("bar", N);
	rl = ls_rlock_new("R");
	loc = ls_local_new("loc");
	p1_got = ls_value_new("p1_got", -1);
	cond_timed_out = ls_value_new("cond_timed_out", -1);
	ls_mutex *m = ls_mutex_new("M");
	ls_cond *c = ls_cond_new("C", m);
	ls_lock(m);
	ls_value_write(cond_timed_out, !ls_cond_wait_timeout(c, 10)); /* nobody notifies */
	ls_unlock(m);
	ls_rlock_acquire(rl);
	if (!ls_rlock_acquire_timeout(rl, 10)) /* its owner gets it at once */
		return 2;
	char name[32];
	for (long i = 1; i <= N; i++) {
		snprintf(name, sizeof name, "f%ld", i);
		fut[i] = ls_future_new(name);
	}
	ls_worker w[N + 1];
	for (long i = 1; i <= N; i++) {
		snprintf(name, sizeof name, "P%ld", i);
		w[i] = ls_spawn(name, proc, (void *)i, LS_PROCESS);
	}
	ls_sleep_ms(200);
	ls_rlock_release(rl);
	ls_rlock_release(rl);
	ls_event_set(go);
	long sum = 0;
	for (long i = 1; i <= N; i++)
		sum += ls_future_result(fut[i]);
	for (long i = 1; i <= N; i++)
		ls_join(w[i]);
	ls_say("sum %ld", sum);
	return sum == 60 ? 0 : 1;
}

LS_SCENE(.id = "test-sync-procs", .title = "test: thread primitives between processes",
         .summary = "Processes share an event, a barrier, an rlock and futures.", .run = run);
