/* sampler: a test scene that uses one of each kind of object, so the
 * terminal tests can see every pane: locks and a condition, a semaphore, a
 * queue and a shared value. */
#include "lockstep-scene.h"

static ls_mutex *m;
static ls_cond *c;
static ls_sem *s;
static ls_queue *q;
static ls_value *x;

static int first(void *arg)
{
	(void)arg;
	ls_sem_wait(s);
	ls_value_write(x, ls_value_read(x) + 1);
	ls_queue_put(q, 7);
	ls_lock(m);
	ls_cond_signal(c);
	ls_unlock(m);
	ls_sem_post(s);
	return 0;
}

static int second(void *arg)
{
	(void)arg;
	ls_lock(m);
	ls_cond_wait_timeout(c, 1000);
	ls_unlock(m);
	ls_sem_wait(s);
	ls_queue_get(q);
	ls_sem_post(s);
	return 0;
}

static int run(void)
{
	m = ls_mutex_new("M");
	c = ls_cond_new("C", m);
	s = ls_sem_new("S", 2);
	q = ls_queue_new("Q", 3);
	x = ls_value_new("X", 0);
	ls_worker a = ls_spawn("W1", first, NULL, LS_THREAD);
	ls_worker b = ls_spawn("W2", second, NULL, LS_THREAD);
	ls_join(a);
	ls_join(b);
	return 0;
}

LS_SCENE(.id = "test-sampler", .title = "test: one of each object",
         .summary = "Two workers use a lock, a condition, a semaphore, a queue and a value.",
         .run = run);
