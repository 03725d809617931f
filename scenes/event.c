/* event: workers wait on an Event until it is set.
 *
 * threading.Event is a flag with a waiting room. wait() returns at once if
 * the flag is set, else the worker is WAITING until someone calls set();
 * set() wakes every worker waiting at that moment. clear() lowers the flag,
 * so a worker that comes later waits again.
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_event_obj *go;
static long delay_ms, by_user;

static int waiter(void *arg)
{
	(void)arg;
	const char *me = ls_worker_name(ls_self());
	ls_say(LS_("%s waits for the event 'go': it is WAITING until someone sets it."), me);
	ls_event_wait(go);
	ls_say(LS_("%s saw 'go' set and goes on."), me);
	return 0;
}

/* The thread variant sleeps, the user variant waits for the key. */
static void set_go(const char *why)
{
	const char *me = ls_worker_name(ls_self());
	if (by_user) {
		ls_wait_user(LS_("Press the scene key (k) to set the event 'go'."));
		ls_say(LS_("You pressed the key: %s sets 'go' %s."), me, why);
	} else {
		ls_say(LS_("%s sleeps %ld ms, then sets 'go' %s."), me, delay_ms, why);
		ls_sleep_ms(delay_ms);
	}
	ls_event_set(go);
	ls_say(LS_("%s set 'go': every worker waiting on it is RUNNABLE now."), me);
}

static int setter(void *arg)
{
	(void)arg;
	set_go(LS_("for the waiters"));
	return 0;
}

static int run(void)
{
	long n = ls_param("waiters");
	delay_ms = ls_param("delay");
	by_user = ls_param("setter") == 1;
	go = ls_event_new("go");
	ls_say(LS_("%ld workers wait on the event 'go'; %s will set it. Nobody passes "
	           "before it is set, and nobody misses it."),
	       n, by_user ? LS_("you (with the scene key)") : LS_("the thread 'setter'"));
	ls_worker w[8];
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "W%ld", i + 1);
		w[i] = ls_spawn(name, waiter, NULL, LS_THREAD);
	}
	ls_worker s = ls_spawn("setter", setter, NULL, LS_THREAD);
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	ls_join(s);
	if (ls_param("late") == 0) {
		ls_event_clear(go);
		ls_say(LS_("main cleared 'go'. A worker that comes now must wait again."));
		ls_worker late = ls_spawn("late", waiter, NULL, LS_THREAD);
		set_go(LS_("again, for the late worker"));
		ls_join(late);
	}
	ls_say(LS_("Every waiter passed once the event was set."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "waiters", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 8,
	 .help = LS_N("workers waiting on the event")},
	{.name = "setter", .type = LS_PARAM_CHOICE, .def = 0, .choices = "thread|user",
	 .help = LS_N("who sets it: a thread after a delay, or you with the scene key")},
	{.name = "delay", .type = LS_PARAM_INT, .def = 500, .min = 0, .max = 60000,
	 .help = LS_N("milliseconds the setter thread sleeps before setting")},
	{.name = "late", .type = LS_PARAM_CHOICE, .def = 0, .choices = "on|off",
	 .help = LS_N("then clear the event and let a late worker wait again")},
	{0},
};

LS_SCENE(.id = "event",
         .title = LS_N("Workers wait on an Event until it is set"),
         .summary = LS_N(
             "An Event is a flag that workers can wait for. Each waiter is WAITING while "
             "the flag is down; set() raises it and makes every waiter RUNNABLE at once, "
             "and none misses it. clear() lowers it again: a worker that waits after the "
             "clear waits until the next set()."),
         .help = LS_N(
             "setter=thread: the thread 'setter' sleeps `delay` ms (virtual time when "
             "stepping, so the waiters always wait first) and sets the event. "
             "setter=user: the event is set when you press the scene key; headless, the "
             "schedule entry 'key' presses it, or it is pressed by itself when nothing "
             "else can move. With late=on main then clears the event and starts 'late', "
             "which waits again until the event is set a second time."),
         .params = params, .run = run);
