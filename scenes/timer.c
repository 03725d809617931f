/* timer: a Timer runs a function after a delay; another is cancelled.
 *
 * threading.Timer is a thread that waits on its own Event with a timeout:
 * if the wait times out, it runs the function; cancel() sets the event, so
 * the wait returns early and the function never runs. This scene builds two
 * timers exactly that way, A and B, and main cancels B before it fires.
 */
#include "lockstep-scene.h"

struct timer {
	const char *name;
	long delay;
	ls_event_obj *finished;
	ls_value *runs, *fired_at;
};

static struct timer A = {.name = "A"}, B = {.name = "B"};

/* The function a timer runs when it fires. */
static void function(struct timer *t)
{
	long now = ls_now_ms();
	ls_value_write(t->fired_at, now);
	ls_value_write(t->runs, ls_value_read(t->runs) + 1);
	ls_say(LS_("Timer %s fired at %ld ms (its delay was %ld ms) and ran its function."),
	       t->name, now, t->delay);
}

static int timer_thread(void *arg)
{
	struct timer *t = arg;
	ls_say(LS_("Timer %s waits %ld ms on its event (TIMED_WAITING). If nobody cancels "
	           "it by then, it runs its function."), t->name, t->delay);
	if (ls_event_wait_timeout(t->finished, t->delay))
		ls_say(LS_("Timer %s was cancelled: its wait ended early and the function "
		           "never runs."), t->name);
	else
		function(t);
	ls_event_set(t->finished);
	return 0;
}

static void make(struct timer *t, long delay, const char *ev, const char *runs, const char *at)
{
	t->delay = delay;
	t->finished = ls_event_new(ev);
	t->runs = ls_value_new(runs, 0);
	t->fired_at = ls_value_new(at, -1);
}

static int run(void)
{
	long cancel_at = ls_param("cancel_at");
	make(&A, ls_param("delay_a"), "A.finished", "A.runs", "A.fired_at_ms");
	make(&B, ls_param("delay_b"), "B.finished", "B.runs", "B.fired_at_ms");
	ls_say(LS_("Two timers: A fires after %ld ms, B would fire after %ld ms, but main "
	           "cancels B at %ld ms."), A.delay, B.delay, cancel_at);
	ls_worker ta = ls_spawn("timer-A", timer_thread, &A, LS_THREAD);
	ls_worker tb = ls_spawn("timer-B", timer_thread, &B, LS_THREAD);
	ls_sleep_ms(cancel_at);
	ls_say(LS_("main calls B.cancel() at %ld ms: it sets B's event."), ls_now_ms());
	ls_event_set(B.finished);
	ls_join(ta);
	ls_join(tb);
	long a = ls_value_read(A.runs), b = ls_value_read(B.runs);
	ls_say(LS_("Timer A ran its function %ld time(s), at %ld ms; timer B %ld time(s)."), a,
	       ls_value_read(A.fired_at), b);
	if (b == 0)
		ls_say(LS_("B was cancelled before its delay was over, so its function never ran."));
	else
		ls_say(LS_("The cancel came after B's delay: B had already fired. cancel() only "
		           "stops a timer that is still waiting."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "delay_a", .type = LS_PARAM_INT, .def = 300, .min = 0, .max = 60000,
	 .help = LS_N("milliseconds before timer A fires")},
	{.name = "delay_b", .type = LS_PARAM_INT, .def = 600, .min = 0, .max = 60000,
	 .help = LS_N("milliseconds before timer B would fire")},
	{.name = "cancel_at", .type = LS_PARAM_INT, .def = 100, .min = 0, .max = 60000,
	 .help = LS_N("when main cancels B (cancel after B's delay: too late)")},
	{0},
};

LS_SCENE(.id = "timer",
         .title = LS_N("A Timer fires after its delay; a cancelled one never runs"),
         .summary = LS_N(
             "A Timer is a thread that waits, TIMED_WAITING, on its own event for a "
             "delay and then runs a function. cancel() sets that event: the wait ends "
             "early and the function never runs. Timer A fires once after its delay; "
             "main cancels timer B before its delay is over, so B never runs."),
         .help = LS_N(
             "When stepping, time is virtual: the clock jumps to the next wake-up only "
             "when nobody else can move, so A fires at exactly delay_a ms and main "
             "cancels B at cancel_at ms on every run and under any schedule. Set "
             "cancel_at above delay_b to see a cancel that comes too late."),
         .params = params, .run = run);
