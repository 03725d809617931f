/* condition: threads take turns with one Condition (wait / notify).
 *
 * alternate: thread 'odd' prints 1, 3, 5, ... and 'even' prints 2, 4, 6, ...
 * Each holds the lock, and while it is not its turn it waits on the
 * condition (releasing the lock); after printing it notifies the other.
 * notify_all: several workers wait for a flag; one notify_all wakes them all.
 * notify: the same, but a single notify wakes only the first in line.
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_mutex *m;
static ls_cond *turn;
static ls_value *number, *printed, *ready;
static long last;

static int printer(void *arg)
{
	long parity = (long)arg; /* 1: odd, 0: even */
	const char *me = ls_worker_name(ls_self());
	for (;;) {
		ls_lock(m);
		long n = ls_value_read(number);
		while (n <= last && n % 2 != parity) {
			ls_say(LS_("%s: the next number is %ld, not mine. I wait on the condition "
			           "(and let go of the lock)."), me, n);
			ls_cond_wait(turn);
			n = ls_value_read(number);
		}
		if (n > last) {
			ls_cond_signal(turn); /* the other may be waiting: let it see the end */
			ls_unlock(m);
			return 0;
		}
		ls_value_write(printed, n);
		ls_say(LS_("%s prints %ld."), me, n);
		ls_value_write(number, n + 1);
		ls_cond_signal(turn);
		ls_unlock(m);
	}
}

static int waiter(void *arg)
{
	(void)arg;
	const char *me = ls_worker_name(ls_self());
	ls_lock(m);
	while (ls_value_read(ready) == 0) {
		ls_say(LS_("%s: not ready yet, I wait on the condition."), me);
		ls_cond_wait(turn);
	}
	ls_say(LS_("%s was woken, holds the lock again and sees ready = 1."), me);
	ls_unlock(m);
	return 0;
}

static int run(void)
{
	long variant = ls_param("variant");
	m = ls_mutex_new("lock");
	turn = ls_cond_new("cond", m);
	if (variant == 0) {
		last = ls_param("count");
		number = ls_value_new("next", 1);
		printed = ls_value_new("printed", 0);
		ls_say(LS_("'odd' prints the odd numbers, 'even' the even ones, up to %ld, in "
		           "strict turn. Whoever holds the lock when it is not its turn waits on "
		           "the condition; after printing it notifies the other."), last);
		ls_worker o = ls_spawn("odd", printer, (void *)1L, LS_THREAD);
		ls_worker e = ls_spawn("even", printer, (void *)0L, LS_THREAD);
		ls_join(o);
		ls_join(e);
		ls_say(LS_("Printed 1 to %ld, alternating, whatever the order of steps."), last);
		return 0;
	}
	long n = ls_param("waiters");
	ready = ls_value_new("ready", 0);
	ls_say(LS_("%ld workers wait on one condition for 'ready'. main will set it and "
	           "call %s."), n, variant == 1 ? "notify_all()" : "notify()");
	ls_worker w[8];
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "W%ld", i + 1);
		w[i] = ls_spawn(name, waiter, NULL, LS_THREAD);
	}
	ls_sleep_ms(100); /* let them all arrive (virtual time when stepping) */
	ls_lock(m);
	ls_value_write(ready, 1);
	if (variant == 1) {
		ls_say(LS_("main sets ready = 1 and calls notify_all(): every waiter is woken "
		           "and queues for the lock."));
		ls_cond_broadcast(turn);
	} else {
		ls_say(LS_("main sets ready = 1 and calls notify(): only the first waiter in "
		           "line is woken. The others wait on, with nobody left to notify them."));
		ls_cond_signal(turn);
	}
	ls_unlock(m);
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	ls_say(LS_("Every waiter was woken and finished."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "variant", .type = LS_PARAM_CHOICE, .def = 0,
	 .choices = "alternate|notify_all|notify",
	 .help = LS_N("odd/even in turn, or several waiters woken by notify_all or notify")},
	{.name = "count", .type = LS_PARAM_INT, .def = 10, .min = 1, .max = 1000,
	 .help = LS_N("alternate: print the numbers 1 to count")},
	{.name = "waiters", .type = LS_PARAM_INT, .def = 3, .min = 2, .max = 8,
	 .help = LS_N("notify_all / notify: workers waiting on the condition")},
	{0},
};

/* Challenges (lockstep-scene.h, "goals") and the moments to predict. */
LS_GOALS({.id = "lost-wakeup", .test = LS_GOAL_STALL,
          .help = LS_N("with variant=notify, leave waiters asleep for ever: a lost wake-up")},
         {.id = "out-of-turn", .test = LS_GOAL_IMPOSSIBLE,
          .help = LS_N("make a number print out of turn (variant=alternate)"),
          .why = LS_N("each checks whose turn it is under the lock and waits on the condition "
                      "until it is its own")});
LS_PREDICTIONS({.ask = LS_ASK_WAKES, .object = "cond"}, {.ask = LS_ASK_VALUE, .object = "next"},
               {.ask = LS_ASK_NEXT, .object = "lock"});

LS_SCENE(.id = "condition",
         .title = LS_N("Odd and even take turns with one Condition"),
         .summary = LS_N(
             "A Condition lets a thread wait, without holding the lock, until another "
             "tells it something changed. 'odd' and 'even' print 1, 2, 3, ... in strict "
             "turn: each checks whose turn it is under the lock, waits on the condition "
             "when it is not its own (WAITING), and notifies the other after printing. "
             "The notify_all variant wakes every waiter at once; notify wakes only one."),
         .help = LS_N(
             "alternate: any schedule prints 1, 2, 3, ... alternately; a woken thread "
             "first has to win the lock back (BLOCKED), then re-checks the turn in a "
             "loop. notify_all: main sleeps 100 ms so that every waiter waits, then sets "
             "ready and notifies all: each wakes and takes the lock in turn. notify: "
             "only the first waiter wakes; the rest wait forever and the run stalls."),
         .params = params, .run = run);
