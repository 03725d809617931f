/* race: threads add and take back the same amount from a shared balance.
 *
 * Each thread does `balance = balance + n; balance = balance - n` several
 * times. Read and write are separate steps, so without a lock two threads
 * can read the same old balance and one write overwrites the other: a lost
 * update. With the lock, read-modify-write is one critical section and the
 * balance always returns to where it started.
 */
#include <stdatomic.h>
#include <stdio.h>

#include "lockstep-scene.h"

static ls_value *balance;
static ls_mutex *lock;
static long rounds, amount, use_lock;

/* What the balance holds now, kept beside it (not a step) so a worker can
 * say on the spot that its write wipes out a change it never saw. Exact in
 * a controlled run, where one worker moves at a time. */
static _Atomic long *truth;
/* The updates wiped out so far, and what they would have added in all:
 * the final words count them, so they agree with the values pane's
 * "expected E, actual A, lost L" (L is that sum). */
static _Atomic long *lost_n, *lost_sum;

static void change(long delta)
{
	const char *me = ls_worker_name(ls_self());
	long seen = ls_value_read(balance);
	ls_say(LS_("%s read balance = %ld and will write %ld."), me, seen, seen + delta);
	ls_value_write(balance, seen + delta);
	ls_value_expect(balance, delta); /* what this update meant: the invariant line */
	long was = atomic_exchange(truth, seen + delta);
	if (was != seen) {
		atomic_fetch_add(lost_n, 1);
		atomic_fetch_add(lost_sum, was - seen);
	}
	if (was != seen)
		ls_say(LS_("%s wrote %ld over a balance of %ld: another thread changed it after "
		           "%s read %ld, and that change is now wiped out. A lost update."),
		       me, seen + delta, was, me, seen);
}

static int worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < rounds; i++) {
		if (use_lock)
			ls_lock(lock);
		change(+amount);
		change(-amount);
		if (use_lock)
			ls_unlock(lock);
	}
	return 0;
}

static int run(void)
{
	long n = ls_param("threads"), start = ls_param("start");
	rounds = ls_param("rounds");
	amount = ls_param("amount");
	use_lock = ls_param("lock") == 0;
	balance = ls_value_new("balance", start);
	truth = ls_shared_alloc(sizeof *truth);
	atomic_store(truth, start);
	lost_n = ls_shared_alloc(sizeof *lost_n);
	lost_sum = ls_shared_alloc(sizeof *lost_sum);
	if (use_lock)
		lock = ls_mutex_new("lock");
	if (use_lock)
		ls_say(LS_("Each thread adds %ld to the balance and takes it back, for %ld round(s), "
		           "holding the lock around each read-modify-write. Only the holder "
		           "touches the balance, so no update can be lost."), amount, rounds);
	else
		ls_say(LS_("Each thread adds %ld to the balance and takes it back, for %ld round(s), "
		           "without a lock. Reading and writing are separate steps: let two "
		           "threads read the same balance before either writes, and one "
		           "update is lost."), amount, rounds);
	ls_worker w[8];
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "T%ld", i + 1);
		w[i] = ls_spawn(name, worker, NULL, LS_THREAD);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	long end = ls_value_read(balance), n_lost = atomic_load(lost_n);
	if (n_lost == 0)
		ls_say(LS_("The balance is back at %ld, where it started."), end);
	else if (end == start)
		ls_say(LS_("%ld updates were lost, but what they would have changed adds up to 0: "
		           "the balance is back at %ld only by luck. This is still a race condition."),
		       n_lost, end);
	else if (n_lost == 1)
		ls_say(LS_("The balance ended at %ld, not %ld: one update was lost, a change of %ld. "
		           "A thread wrote a value computed from a balance another thread had "
		           "already changed. This is a race condition."),
		       end, start, start - end);
	else
		ls_say(LS_("The balance ended at %ld, not %ld: %ld updates were lost, and their "
		           "changes add up to %ld. "
		           "A thread wrote a value computed from a balance another thread had "
		           "already changed. This is a race condition."),
		       end, start, n_lost, start - end);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "lock", .type = LS_PARAM_CHOICE, .def = 1, .choices = "on|off",
	 .help = LS_N("hold a lock around each read-modify-write")},
	{.name = "threads", .type = LS_PARAM_INT, .def = 2, .min = 2, .max = 8,
	 .help = LS_N("number of threads")},
	{.name = "rounds", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 1000,
	 .help = LS_N("times each thread adds and takes back the amount")},
	{.name = "amount", .type = LS_PARAM_INT, .def = 10, .min = 1, .max = 1000000,
	 .help = LS_N("the amount n added and taken back")},
	{.name = "start", .type = LS_PARAM_INT, .def = 100, .min = -1000000, .max = 1000000,
	 .help = LS_N("the balance at the start")},
	{0},
};

LS_GOALS({.id = "lost-update", .value = "balance", .test = LS_GOAL_CHANGED,
          .help = LS_N("the balance does not end where it started: an update was lost")});
LS_PREDICTIONS({.ask = LS_ASK_VALUE, .object = "balance"},
               {.ask = LS_ASK_NEXT, .object = "balance"}, {.ask = LS_ASK_WAKES, .object = "lock"});

LS_SCENE(.id = "race",
         .title = LS_N("Threads update a shared balance: a race condition"),
         .summary = LS_N(
             "Two or more threads each do balance = balance + n, then balance = balance - n, "
             "several times. Each line is a read and a write, two separate steps. "
             "Without a lock, two threads can read the same balance and the second "
             "write overwrites the first: an update is lost and the balance ends wrong. "
             "With lock=on the read-modify-write is a critical section and the balance "
             "always returns to its start value."),
         .help = LS_N(
             "With lock=off rounds=1 (two threads), the schedule T1,T2,T1,T2,T1,T1,T2,T2 "
             "loses an update: T1 reads 100, T2 reads 100, T1 writes 110, T2 writes 110 "
             "(T1's +10 is lost), T1 reads 110 and writes 100, T2 reads 100 and writes 90. "
             "The balance ends at 90. With lock=on no schedule can do this: a thread "
             "that wants the lock while another holds it is BLOCKED until it is released."),
         .params = params, .run = run);
