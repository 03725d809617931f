/* philosophers: Dijkstra's dining philosophers, and three ways out.
 *
 * N philosophers sit at a round table with one fork between each pair. To
 * eat, philosopher i needs the fork on its left (Fi) and the one on its right
 * (Fi+1; the last philosopher's right fork is F1). With fix=none each picks
 * up the left fork, then the right: if all pick up their left fork at once,
 * each waits for its right neighbour forever, a circle of N.
 *  fix=order   forks are numbered and taken lowest first, so the last
 *              philosopher reaches for F1 before FN: no circle (circular wait)
 *  fix=waiter  a waiter (a semaphore of N-1 seats) lets at most N-1 sit down
 *              at once: one of them always gets both forks (circular wait)
 *  fix=trylock pick up the left fork, try the right; if it is taken, put the
 *              left one down and think a while (hold and wait)
 */
#include <stdio.h>

#include "lockstep-scene.h"

#define MAXP 10

enum fix { FIX_NONE, FIX_ORDER, FIX_WAITER, FIX_TRYLOCK };

static ls_mutex *fork_[MAXP];
static ls_sem *seats;
static long n, meals, eat_ms;
static enum fix fix;

static void eat(long i, long left, long right)
{
	ls_say(LS_("P%ld has F%ld and F%ld and eats."), i + 1, left + 1, right + 1);
	ls_work_ms(eat_ms);
}

static int philosopher(void *arg)
{
	long i = (long)arg;
	long left = i, right = (i + 1) % n;
	for (long meal = 0; meal < meals; meal++) {
		switch (fix) {
		case FIX_NONE:
			ls_lock(fork_[left]);
			ls_lock(fork_[right]);
			eat(i, left, right);
			ls_unlock(fork_[right]);
			ls_unlock(fork_[left]);
			break;
		case FIX_ORDER: {
			long lo = left < right ? left : right, hi = left < right ? right : left;
			if (lo != left)
				ls_say(LS_("P%ld reaches for F%ld before F%ld: lowest number first."), i + 1,
				       lo + 1, hi + 1);
			ls_lock(fork_[lo]);
			ls_lock(fork_[hi]);
			eat(i, left, right);
			ls_unlock(fork_[hi]);
			ls_unlock(fork_[lo]);
			break;
		}
		case FIX_WAITER:
			ls_sem_wait(seats);
			ls_lock(fork_[left]);
			ls_lock(fork_[right]);
			eat(i, left, right);
			ls_unlock(fork_[right]);
			ls_unlock(fork_[left]);
			ls_sem_post(seats);
			break;
		case FIX_TRYLOCK:
			for (long attempt = 1;; attempt++) {
				ls_lock(fork_[left]);
				if (ls_trylock(fork_[right]))
					break;
				ls_say(LS_("P%ld finds F%ld taken, puts F%ld down and thinks a while."), i + 1,
				       right + 1, left + 1);
				ls_unlock(fork_[left]);
				/* different for each, or they could all retry in step forever */
				ls_sleep_ms((i + 1) * 7 * attempt);
			}
			eat(i, left, right);
			ls_unlock(fork_[right]);
			ls_unlock(fork_[left]);
			break;
		}
	}
	return 0;
}

static int run(void)
{
	n = ls_param("n");
	meals = ls_param("meals");
	eat_ms = ls_param("eat");
	fix = (enum fix)ls_param("fix");
	char name[24];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "F%ld", i + 1);
		fork_[i] = ls_mutex_new(name);
	}
	if (fix == FIX_WAITER)
		seats = ls_sem_new("seats", (unsigned)(n - 1));
	static const char *const how[] = {
		LS_N("Each philosopher picks up the left fork, then the right. Step each once and "
		     "they all hold a left fork and wait for a right one: a circle of waits."),
		LS_N("Forks are taken lowest number first: the last philosopher reaches for F1 "
		     "before its left fork, so the circle can never close."),
		LS_N("A waiter lets at most N-1 philosophers sit at once (a semaphore of N-1 seats): "
		     "with one chair empty, someone always gets both forks."),
		LS_N("A philosopher who finds the right fork taken puts the left one down and thinks "
		     "a while: nobody holds a fork while it waits."),
	};
	ls_say("%s", LS_(how[fix]));
	ls_worker w[MAXP];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "P%ld", i + 1);
		w[i] = ls_spawn(name, philosopher, (void *)i, LS_THREAD);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	ls_say(LS_("Every philosopher has eaten %ld times."), meals);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "n", .type = LS_PARAM_INT, .def = 5, .min = 2, .max = MAXP,
	 .help = LS_N("philosophers, and forks")},
	{.name = "fix", .type = LS_PARAM_CHOICE, .def = FIX_NONE, .choices = "none|order|waiter|trylock",
	 .help = LS_N("none, order (lowest fork first), waiter (N-1 seats), trylock (put down and retry)")},
	{.name = "meals", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 100,
	 .help = LS_N("meals each philosopher eats")},
	{.name = "eat", .type = LS_PARAM_INT, .def = 20, .min = 0, .max = 5000,
	 .help = LS_N("milliseconds a meal takes")},
	{0},
};

/* Challenges (lockstep-scene.h, "goals") and the moments to predict. */
LS_GOALS({.id = "all-stuck", .test = LS_GOAL_DEADLOCK, .params = "n", .fewest = 10,
          .help = LS_N("get every philosopher stuck, each holding one fork (fix=none)")},
         {.id = "fork-shared", .test = LS_GOAL_IMPOSSIBLE,
          .help = LS_N("make two neighbours eat with the same fork"),
          .why = LS_N("each fork is a mutex: only its owner holds it until put down")});
LS_PREDICTIONS({.ask = LS_ASK_NEXT, .object = NULL}, {.ask = LS_ASK_WAKES, .object = "seats"});

LS_SCENE(.id = "philosophers",
         .title = LS_N("The dining philosophers, and three ways to stop them starving"),
         .summary = LS_N(
             "N philosophers share N forks around a table; each needs both neighbouring "
             "forks to eat. If every one picks up the left fork first, all wait for a right "
             "fork forever: a deadlock whose circle runs round the whole table. Three fixes "
             "each break one Coffman condition: take forks in number order or let a waiter "
             "seat at most N-1 (circular wait), or put the left fork down when the right is "
             "taken (hold and wait)."),
         .help = LS_N(
             "With fix=none and n=5 the schedule P1,P2,P3,P4,P5,P1,P2,P3,P4,P5 deadlocks: the "
             "first five steps each take a left fork, the next five each wait for a right "
             "one, and lockstep names the circle P1 -> F2 -> P2 -> F3 -> P3 -> F4 -> P4 -> "
             "F5 -> P5 -> F1. For other n, step P1..Pn twice. The same schedule with "
             "fix=order, fix=waiter or fix=trylock finishes, as does every random "
             "schedule (the tests try 20 for each fix)."),
         .params = params, .run = run);
