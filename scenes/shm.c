/* shm: processes add to a shared Value and fill a shared Array.
 *
 * Each of N processes adds 1 to the shared total `rounds` times, reading and
 * then writing (two separate steps, as `total.value += 1` is), and records
 * its own progress in its cell of a shared-memory Array (shm_open). With
 * lock=on each addition holds a process-shared lock and the total is exact;
 * with lock=off an unlucky schedule loses updates, e.g. with the defaults
 * P1,P2,P1,P2: both read 0, both write 1 (then the same again: total 2).
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_value *total;
static ls_array *cells;
static ls_mutex *lock;
static long rounds;

static int adder(void *arg)
{
	long me = (long)arg;
	for (long r = 1; r <= rounds; r++) {
		if (lock)
			ls_lock(lock);
		long v = ls_value_read(total);
		ls_value_write(total, v + 1);
		ls_value_expect(total, 1); /* meant to add 1: the invariant line counts it */
		if (lock)
			ls_unlock(lock);
		ls_array_set(cells, (int)me, r);
	}
	ls_say(LS_("P%ld is done: it added %ld."), me + 1, rounds);
	return 0;
}

static int run(void)
{
	long n = ls_param("processes");
	rounds = ls_param("rounds");
	int use_lock = ls_param("lock") == 0;
	total = ls_value_new("total", 0);
	cells = ls_array_new("progress", (int)n, 0);
	lock = use_lock ? ls_mutex_new("lock") : NULL;
	ls_say(use_lock ? LS_("%ld processes each add 1 to a shared total %ld times, holding a "
	                      "process-shared lock.")
	                : LS_("%ld processes each add 1 to a shared total %ld times, without a lock: "
	                      "a read and a write are two steps, and another process can come between."),
	       n, rounds);
	ls_worker w[8];
	char name[24];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "P%ld", i + 1);
		w[i] = ls_spawn(name, adder, (void *)i, LS_PROCESS);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	long got = ls_value_read(total);
	if (got == n * rounds)
		ls_say(LS_("The total is %ld, as it should be."), got);
	else
		ls_say(LS_("The total is %ld, not %ld: %ld updates were lost."), got, n * rounds,
		       n * rounds - got);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "processes", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 8,
	 .help = LS_N("adding processes")},
	{.name = "rounds", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 50,
	 .help = LS_N("additions each process makes")},
	{.name = "lock", .type = LS_PARAM_CHOICE, .def = 0, .choices = "on|off",
	 .help = LS_N("hold a process-shared lock around each addition")},
	{0},
};

LS_GOALS({.id = "lost-update", .value = "total", .test = LS_GOAL_BELOW,
          .params = "processes*rounds",
          .help = LS_N("the total ends below processes x rounds: an update was lost")});

LS_SCENE(.id = "shm",
         .title = LS_N("Shared memory: a Value, an Array, and a lost update"),
         .summary = LS_N(
             "Processes share memory only when it is made shared before fork: a Value and an "
             "Array here (a POSIX shared memory object). Adding to a shared Value is a read "
             "and a write; without a lock another process can come between them and an "
             "update is lost. With a process-shared lock the total is exact."),
         .help = LS_N(
             "Documented schedule: --param lock=off --schedule=P1,P2,P1,P2 loses updates "
             "(both read 0, both write 1, and again in the next round: the total is 2, not "
             "4). With lock=on, --schedule=P1,P2,P1,P1,P1,P2 shows P2 BLOCKED on the lock "
             "while P1 reads, writes and unlocks, and the total is exact. The Array's cells "
             "show each process's progress as it changes."),
         .params = params, .run = run);
