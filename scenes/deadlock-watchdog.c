/* deadlock-watchdog: the two-lock scene, recovering by timed lock attempts.
 *
 * T1 takes A then B, T2 takes B then A, exactly as in the deadlock scene, but
 * each asks for its second lock with a timeout. When the timeout runs out it
 * backs off: it lets go of the lock it holds, waits a while (T1 and T2 wait
 * different times, so they do not collide again and again: a livelock) and
 * tries again from the start. A timed wait is a kind of preemption the thread
 * does to itself, so "no preemption" no longer holds and the circle breaks.
 */
#include "lockstep-scene.h"

static ls_mutex *A, *B;
static long work_ms, timeout_ms, backoff_ms, tries;

struct who {
	const char *name;
	ls_mutex **first, **second;
	const char *n1, *n2;
	long backoff; /* this thread's back-off step */
};

static int worker(void *arg)
{
	const struct who *me = arg;
	for (long attempt = 1; attempt <= tries; attempt++) {
		ls_lock(*me->first);
		ls_work_ms(work_ms);
		if (ls_lock_timeout(*me->second, timeout_ms)) {
			ls_say(LS_("%s holds %s and %s: it can finish."), me->name, me->n1, me->n2);
			if (attempt > 1)
				ls_say(LS_("%s recovered: after %ld attempts it got both locks."), me->name,
				       attempt);
			ls_unlock(*me->second);
			ls_unlock(*me->first);
			return 0;
		}
		ls_say(LS_("%s waited %ld ms for %s and timed out: it backs off, lets go of %s and "
		           "tries again in %ld ms. The circle of waits is broken."),
		       me->name, timeout_ms, me->n2, me->n1, me->backoff * attempt);
		ls_unlock(*me->first);
		ls_sleep_ms(me->backoff * attempt);
	}
	ls_say(LS_("%s gave up after %ld attempts."), me->name, tries);
	return 1;
}

static int run(void)
{
	work_ms = ls_param("work");
	timeout_ms = ls_param("timeout");
	backoff_ms = ls_param("backoff");
	tries = ls_param("tries");
	A = ls_mutex_new("A");
	B = ls_mutex_new("B");
	static struct who w1 = {"T1", &A, &B, "A", "B", 0}, w2 = {"T2", &B, &A, "B", "A", 0};
	w1.backoff = backoff_ms;
	w2.backoff = backoff_ms * 5 / 2; /* different, so they do not collide forever */
	ls_say(LS_("T1 locks A then B, T2 locks B then A, as in the deadlock scene, but each "
	           "waits for its second lock only so long. Step T1,T2,T1,T2 and watch the circle "
	           "form, then break."));
	ls_worker t1 = ls_spawn("T1", worker, &w1, LS_THREAD);
	ls_worker t2 = ls_spawn("T2", worker, &w2, LS_THREAD);
	int r1 = ls_join(t1), r2 = ls_join(t2);
	if (r1 == 0 && r2 == 0)
		ls_say(LS_("Both threads finished: the timeouts broke every circle of waits."));
	return r1 || r2;
}

static const struct ls_param_desc params[] = {
	{.name = "work", .type = LS_PARAM_INT, .def = 50, .min = 0, .max = 5000,
	 .help = LS_N("milliseconds of work each thread does between its two locks")},
	{.name = "timeout", .type = LS_PARAM_INT, .def = 100, .min = 1, .max = 10000,
	 .help = LS_N("milliseconds a thread waits for its second lock before it backs off")},
	{.name = "backoff", .type = LS_PARAM_INT, .def = 20, .min = 1, .max = 10000,
	 .help = LS_N("T1 waits this many ms times the attempt before it retries; T2 2.5 times as long")},
	{.name = "tries", .type = LS_PARAM_INT, .def = 10, .min = 1, .max = 100,
	 .help = LS_N("attempts before a thread gives up")},
	{0},
};

LS_SCENE(.id = "deadlock-watchdog",
         .title = LS_N("Timed lock attempts back off and retry, so the system recovers"),
         .summary = LS_N(
             "The threads of the deadlock scene, but each waits for its second lock with a "
             "timeout. When the timeout runs out, the thread gives back the lock it holds, "
             "waits a little (T1 and T2 wait different times, or they could collide again "
             "and again: a livelock) and starts over. The circle of waits still forms, but "
             "it cannot last: a timed wait lets the thread preempt itself, so the Coffman "
             "condition of no preemption does not hold."),
         .help = LS_N(
             "The schedule T1,T2,T1,T2 deadlocks the deadlock scene. Here the same schedule "
             "forms the circle T1 -> B -> T2 -> A, lockstep says a timeout will break it, "
             "virtual time jumps to the timeout, T1 backs off and releases A, T2 takes A and "
             "finishes, and then T1 does. --until=deadlock does not stop it: a circle "
             "with a timeout in it is no deadlock."),
         .params = params, .run = run);
