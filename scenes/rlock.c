/* rlock: a recursive function takes the same lock at every level.
 *
 * With a reentrant lock (threading.RLock) the owner may acquire it again:
 * the hold count rises at each level and falls as the calls return, and
 * other threads wait until it reaches zero. With a plain lock the second
 * acquire waits for the lock's owner, which is the thread itself: it
 * deadlocks alone, a cycle of one.
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_rlock *rl;
static ls_mutex *plain;
static long depth, reentrant;

static void visit(long level)
{
	const char *me = ls_worker_name(ls_self());
	if (reentrant) {
		ls_rlock_acquire(rl);
		ls_say(LS_("%s entered level %ld and holds the rlock %ld time(s)."), me, level, level);
	} else {
		if (level > 1)
			ls_say(LS_("%s calls itself at level %ld and asks again for the lock it "
			           "already holds. A plain lock does not know its owner: %s will "
			           "wait for itself forever."), me, level, me);
		ls_lock(plain);
		ls_say(LS_("%s entered level %ld holding the lock."), me, level);
	}
	if (level < depth)
		visit(level + 1);
	if (reentrant) {
		ls_say(LS_("%s leaves level %ld: the hold count falls to %ld%s"), me, level, level - 1,
		       level == 1 ? LS_(", and the lock is free for others.") : ".");
		ls_rlock_release(rl);
	} else {
		ls_unlock(plain);
	}
}

static int worker(void *arg)
{
	(void)arg;
	visit(1);
	return 0;
}

static int run(void)
{
	long n = ls_param("threads");
	depth = ls_param("depth");
	reentrant = ls_param("kind") == 0;
	if (reentrant) {
		rl = ls_rlock_new("R");
		ls_say(LS_("A recursive function takes the reentrant lock R at each of %ld levels. "
		           "Its owner may take it again: watch the hold count rise and fall. "
		           "Other threads are BLOCKED until it is back at zero."), depth);
	} else {
		plain = ls_mutex_new("L");
		ls_say(LS_("The same recursive function with a plain lock L. The second level "
		           "asks for L while already holding it."));
	}
	ls_worker w[4];
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "T%ld", i + 1);
		w[i] = ls_spawn(name, worker, NULL, LS_THREAD);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	ls_say(LS_("Every thread went down %ld levels and came back up: each acquire was "
	           "matched by a release."), depth);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "kind", .type = LS_PARAM_CHOICE, .def = 0, .choices = "rlock|lock",
	 .help = LS_N("a reentrant lock (RLock) or a plain lock (Lock)")},
	{.name = "depth", .type = LS_PARAM_INT, .def = 3, .min = 2, .max = 10,
	 .help = LS_N("levels of recursion, one acquire each")},
	{.name = "threads", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 4,
	 .help = LS_N("threads running the recursive function")},
	{0},
};

LS_SCENE(.id = "rlock",
         .title = LS_N("A recursive function re-acquires its lock: RLock vs Lock"),
         .summary = LS_N(
             "A recursive function acquires the same lock at every level. A reentrant "
             "lock (RLock) remembers its owner and counts its holds: the owner may "
             "acquire it again, the count rises with each level and falls with each "
             "release, and the lock is free only when it reaches zero. A plain lock "
             "does not: the second acquire waits for the owner, which is the thread "
             "itself, and it deadlocks alone (a wait-for cycle of one thread)."),
         .help = LS_N(
             "kind=rlock: any schedule finishes; the R row shows the owner and the hold "
             "count 1, 2, 3, 2, 1, 0. kind=lock: any schedule deadlocks: the first thread "
             "to reach level 2 waits for itself (cycle T, L), and the others wait for it. "
             "Try threads=1 to see the smallest deadlock there is."),
         .params = params, .run = run);
