/* crowd: many worker threads contending on a few locks and semaphores.
 *
 * A scale scene: up to 1,000 threads each take a lock and a semaphore unit a
 * few times. Locks are always taken before semaphore units and released in
 * reverse, so the crowd never deadlocks; it only queues.
 */
#include <stdio.h>

#include "lockstep-scene.h"

#define MAX_LOCKS 16
#define MAX_SEMS 8

static ls_mutex *locks[MAX_LOCKS];
static ls_sem *sems[MAX_SEMS];
static long nlocks, nsems, rounds;

static int member(void *arg)
{
	long i = (long)arg;
	for (long r = 0; r < rounds; r++) {
		ls_mutex *m = locks[(i + r) % nlocks];
		ls_sem *s = sems[i % nsems];
		ls_lock(m);
		ls_sem_wait(s);
		ls_sem_post(s);
		ls_unlock(m);
	}
	return 0;
}

static int run(void)
{
	long n = ls_param("workers");
	nlocks = ls_param("locks");
	nsems = ls_param("semaphores");
	rounds = ls_param("rounds");
	char name[32];
	for (long k = 0; k < nlocks; k++) {
		snprintf(name, sizeof name, "L%ld", k + 1);
		locks[k] = ls_mutex_new(name);
	}
	for (long k = 0; k < nsems; k++) {
		snprintf(name, sizeof name, "S%ld", k + 1);
		sems[k] = ls_sem_new(name, 2);
	}
	ls_say(LS_("%ld threads share %ld locks and %ld semaphores of 2 units each."), n, nlocks,
	       nsems);
	ls_worker *w = ls_shared_alloc((size_t)n * sizeof *w);
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "w%ld", i + 1);
		w[i] = ls_spawn(name, member, (void *)i, LS_THREAD);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	ls_say(LS_("Every member of the crowd finished its rounds."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "workers", .type = LS_PARAM_INT, .def = 1000, .min = 2, .max = 1000,
	 .help = LS_N("number of threads")},
	{.name = "locks", .type = LS_PARAM_INT, .def = 4, .min = 1, .max = MAX_LOCKS,
	 .help = LS_N("number of locks")},
	{.name = "semaphores", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = MAX_SEMS,
	 .help = LS_N("number of semaphores (2 units each)")},
	{.name = "rounds", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 100,
	 .help = LS_N("times each thread takes a lock and a unit")},
	{0},
};

LS_SCENE(.id = "crowd",
         .title = LS_N("A thousand threads queue for a few locks"),
         .summary = LS_N(
             "Many threads contend for a few locks and semaphores. Each takes a lock, "
             "then a semaphore unit, and gives them back in reverse order, so nobody "
             "deadlocks: the threads only queue. A test of how lockstep copes with scale."),
         .help = LS_N("Try workers=50 to follow individual threads."),
         .params = params, .run = run);
