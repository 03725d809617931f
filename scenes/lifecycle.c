/* lifecycle: one thread through every state a thread can be in.
 *
 * NEW (created, not started) -> RUNNABLE (started) -> TIMED_WAITING (sleep)
 * -> BLOCKED (a lock main holds) -> WAITING (a condition) -> TERMINATED.
 * main arranges each state with virtual-time sleeps, so the order is the
 * same under every schedule.
 */
#include "lockstep-scene.h"

static ls_mutex *L;
static ls_cond *C;
static ls_value *flag;

static int body(void *arg)
{
	(void)arg;
	ls_say(LS_("T was started: it is RUNNABLE, it may run whenever it is scheduled."));
	ls_say(LS_("T sleeps 100 ms: TIMED_WAITING, it waits for a time, not for anyone."));
	ls_sleep_ms(100);
	ls_say(LS_("T woke (RUNNABLE) and asks for lock L, which main holds: T is BLOCKED "
	           "until main releases it."));
	ls_lock(L);
	ls_say(LS_("T got L. Now it waits on condition C until main says go: WAITING, with "
	           "no time limit (the lock is released while it waits)."));
	while (ls_value_read(flag) == 0)
		ls_cond_wait(C);
	ls_say(LS_("T was notified and took L back. It returns: TERMINATED."));
	ls_unlock(L);
	return 0;
}

static int run(void)
{
	L = ls_mutex_new("L");
	C = ls_cond_new("C", L);
	flag = ls_value_new("go", 0);
	ls_worker t = ls_create("T", body, NULL, LS_THREAD);
	ls_say(LS_("main created thread T but has not started it: T is NEW."));
	ls_lock(L);
	ls_say(LS_("main holds lock L and starts T."));
	ls_start(t);
	ls_sleep_ms(300);
	ls_say(LS_("main releases L (at 300 ms): T, BLOCKED on it, can take it."));
	ls_unlock(L);
	ls_sleep_ms(300);
	ls_lock(L);
	ls_value_write(flag, 1);
	ls_say(LS_("main sets go = 1 and notifies C (at 600 ms): T must now win L back."));
	ls_cond_signal(C);
	ls_unlock(L);
	ls_say(LS_("main joins T: main itself is WAITING until T ends."));
	ls_join(t);
	ls_say(LS_("T is TERMINATED. It went NEW, RUNNABLE, TIMED_WAITING, BLOCKED, WAITING, "
	           "TERMINATED."));
	return 0;
}

LS_SCENE(.id = "lifecycle",
         .title = LS_N("One thread through NEW, RUNNABLE, waiting states, TERMINATED"),
         .summary = LS_N(
             "Follow thread T through its life: NEW when created, RUNNABLE when started, "
             "TIMED_WAITING while it sleeps, BLOCKED while it wants a lock main holds, "
             "WAITING on a condition until main notifies it (and BLOCKED again while it "
             "wins the lock back), TERMINATED when it returns. main is WAITING too while "
             "it joins T."),
         .help = LS_N(
             "Any schedule shows the states in this order: main holds L until 300 ms and "
             "notifies at 600 ms, while T sleeps only 100 ms; in a controlled run the "
             "clock is virtual and moves only when nobody can, so T always reaches each "
             "wait before main lets it go on."),
         .params = NULL, .run = run);
