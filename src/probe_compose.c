/* probe_compose: primitives built out of other primitives.
 *
 * JoinableQueue (a queue, a lock, a condition and a count) and Pool (a task
 * queue, a result queue and worker processes) are what CPython's
 * multiprocessing builds them from, so a class sees their parts move. They
 * are a layer above the probe's primitives: they call the scene API
 * (ls_lock, ls_cond_wait, ls_queue_put, ls_spawn, ls_join) and, for the
 * count a JoinableQueue shows, the probe's object declaration; probe.c,
 * probe_sync.c and probe_ipc.c never call back into this file.
 * Never touches curses.
 */
#include "probe_internal.h"

#include <stdio.h>

/* ---- JoinableQueue: a queue, a lock, a condition and a count ---- */

struct ls_jqueue {
	ls_queue *q;
	ls_mutex *m;
	ls_cond *all_done;
	int count_id;
	long unfinished; /* guarded by m */
};

ls_jqueue *ls_jqueue_new(const char *name, int capacity)
{
	probe_must_be_worker("ls_jqueue_new");
	ls_jqueue *j = probe_must(ls_shared_alloc(sizeof *j), "alloc");
	char buf[LS_EV_TEXT + 16];
	j->q = ls_queue_new(name, capacity);
	snprintf(buf, sizeof buf, "%s.lock", name);
	j->m = ls_mutex_new(buf);
	snprintf(buf, sizeof buf, "%s.all_done", name);
	j->all_done = ls_cond_new(buf, j->m);
	snprintf(buf, sizeof buf, "%s.unfinished", name);
	j->count_id = probe_declare_object(LS_OBJ_VALUE, buf, 0, 0, -1);
	return j;
}

static void count_to(ls_jqueue *j, long v)
{
	j->unfinished = v;
	probe_emit(LS_EV_DONE, probe_self, j->count_id, LS_OP_WRITE, v, 0, 0);
}

void ls_jqueue_put(ls_jqueue *j, long item)
{
	probe_must_be_worker("ls_jqueue_put");
	ls_lock(j->m);
	count_to(j, j->unfinished + 1);
	ls_unlock(j->m);
	ls_queue_put(j->q, item);
}

long ls_jqueue_get(ls_jqueue *j)
{
	return ls_queue_get(j->q);
}

void ls_jqueue_task_done(ls_jqueue *j)
{
	probe_must_be_worker("ls_jqueue_task_done");
	ls_lock(j->m);
	if (j->unfinished <= 0)
		probe_fatal_misuse("task_done() called too many times");
	probe_emit(LS_EV_DONE, probe_self, j->count_id, LS_OP_TASK_DONE, j->unfinished - 1, 0, 0);
	count_to(j, j->unfinished - 1);
	if (j->unfinished == 0)
		ls_cond_broadcast(j->all_done);
	ls_unlock(j->m);
}

void ls_jqueue_join(ls_jqueue *j)
{
	probe_must_be_worker("ls_jqueue_join");
	ls_lock(j->m);
	while (j->unfinished > 0)
		ls_cond_wait(j->all_done);
	ls_unlock(j->m);
}

/* ---- Pool ---- */

#define POOL_MAX_TASKS LS_SCENE_POOL_TASKS
#define POOL_MAX_PROCS LS_SCENE_POOL_PROCS

struct ls_pool {
	ls_queue *tasks, *results;
	int n, ntasks;
	ls_worker w[POOL_MAX_PROCS];
	long (*fn)(long);
	long args[POOL_MAX_TASKS], res[POOL_MAX_TASKS];
	int done[POOL_MAX_TASKS];
	int ran_on[POOL_MAX_TASKS];
};

static int pool_worker(void *arg)
{
	ls_pool *p = arg;
	for (;;) {
		long t = ls_queue_get(p->tasks);
		if (t < 0)
			return 0;
		long r = p->fn(p->args[t]);
		p->res[t] = r;
		p->ran_on[t] = ls_self();
		ls_queue_put(p->results, t);
	}
}

ls_pool *ls_pool_new(const char *name, int processes, long (*fn)(long))
{
	probe_must_be_worker("ls_pool_new");
	if (processes < 1 || processes > POOL_MAX_PROCS)
		probe_fatal_misuse("ls_pool_new: 1..16 processes");
	ls_pool *p = probe_must(ls_shared_alloc(sizeof *p), "alloc");
	char buf[LS_EV_TEXT + 16];
	snprintf(buf, sizeof buf, "%s.tasks", name);
	p->tasks = ls_queue_new(buf, POOL_MAX_TASKS);
	snprintf(buf, sizeof buf, "%s.results", name);
	p->results = ls_queue_new(buf, POOL_MAX_TASKS);
	p->fn = fn;
	p->n = processes;
	for (int i = 0; i < processes; i++) {
		snprintf(buf, sizeof buf, "%s-%d", name, i + 1);
		p->w[i] = ls_spawn(buf, pool_worker, p, LS_PROCESS);
	}
	return p;
}

int ls_pool_apply_async(ls_pool *p, long arg)
{
	if (p->ntasks >= POOL_MAX_TASKS)
		probe_fatal_misuse("ls_pool_apply_async: at most 32 tasks");
	int t = p->ntasks++;
	p->args[t] = arg;
	ls_queue_put(p->tasks, t);
	return t;
}

long ls_pool_get(ls_pool *p, int t)
{
	if (t < 0 || t >= p->ntasks)
		probe_fatal_misuse("ls_pool_get: no such task");
	while (!p->done[t]) {
		long k = ls_queue_get(p->results);
		if (k >= 0 && k < POOL_MAX_TASKS)
			p->done[k] = 1;
	}
	return p->res[t];
}

void ls_pool_map(ls_pool *p, const long *args, long *results, int n)
{
	if (n < 0 || p->ntasks + n > POOL_MAX_TASKS)
		probe_fatal_misuse("ls_pool_map: at most 32 tasks");
	int first = p->ntasks;
	for (int i = 0; i < n; i++)
		ls_pool_apply_async(p, args[i]);
	for (int i = 0; i < n; i++)
		results[i] = ls_pool_get(p, first + i);
}

void ls_pool_close_join(ls_pool *p)
{
	for (int i = 0; i < p->n; i++)
		ls_queue_put(p->tasks, -1);
	for (int i = 0; i < p->n; i++)
		ls_join(p->w[i]);
}

ls_worker ls_pool_ran_on(ls_pool *p, int t)
{
	return t >= 0 && t < p->ntasks && p->done[t] ? p->ran_on[t] : -1;
}
