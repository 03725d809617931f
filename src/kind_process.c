/* kind_process: what a process does with signals and other processes, as
 * units (unit.h). A sent signal is its own record (SIGNAL); these are the
 * operations around it. */
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "json.h"
#include "theme.h"
#include "unit.h"

static int signal_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	(void)m;
	(void)ev;
	(void)buf;
	(void)n;
	return -1; /* the SIGNAL record already said it */
}

const struct unit_op unit_op_SIGNAL = {
	.done = unit_fold_nothing,
	.say_done = signal_say,
};

static int pause_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	return unit_say(buf, n, TH_RUNNABLE, _("%s returns from pause()"),
	                model_worker_name(m, ev->worker));
}

static int pause_say_blocked(const struct model *m, const struct ls_event *ev, char *buf,
                             size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("%s waits in pause() for a signal"),
	                model_worker_name(m, ev->worker));
}

/* the signals whose handler would end this pause(), as the lesson needs:
 * "a signal: INT QUIT USR1" */
static int pause_waits(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_worker *w = model_worker(m, id);
	size_t len = (size_t)snprintf(buf, n, "%s", _("a signal"));
	const char *sep = ": ";
	for (int sig = 1; sig < 64 && len < n; sig++) {
		const char *abbr = sigabbrev_np(sig);
		if (!(w->sig_handled & (1ull << sig)) || !abbr)
			continue;
		int r = snprintf(buf + len, n - len, "%s%s", sep, abbr);
		if (r < 0)
			break;
		len += (size_t)r;
		sep = " ";
	}
	if (!w->sig_handled && len < n)
		snprintf(buf + len, n - len, "%s", _(" (pause)"));
	return TH_WAITING;
}

const struct unit_op unit_op_PAUSE = {
	.done = unit_fold_nothing,
	.say_done = pause_say,
	.say_blocked = pause_say_blocked,
	.say_waits = pause_waits,
};

static void handler_done(struct model *m, struct m_worker *w, struct m_object *o,
                         const struct ls_event *ev)
{
	(void)m;
	(void)o;
	(void)ev;
	w->in_handler = 0;
}

static int handler_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	return unit_say(buf, n, TH_DIM, _("%s finished its handler of %s"),
	                model_worker_name(m, ev->worker), describe_signal((int)ev->u.a[1]));
}

const struct unit_op unit_op_HANDLER = {
	.done = handler_done,
	.say_done = handler_say,
};

static void sigaction_done(struct model *m, struct m_worker *w, struct m_object *o,
                           const struct ls_event *ev)
{
	(void)m;
	(void)o;
	int64_t v = ev->u.a[1];
	if (v > 0 && v < 64) {
		uint64_t bit = 1ull << v;
		w->sig_handled &= ~bit;
		w->sig_ignored &= ~bit;
		if (ev->u.a[2] == LS_DISP_HANDLE)
			w->sig_handled |= bit;
		else if (ev->u.a[2] == LS_DISP_IGNORE)
			w->sig_ignored |= bit;
	}
}

static int sigaction_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const char *w = model_worker_name(m, ev->worker);
	const char *s = describe_signal((int)ev->u.a[1]);
	switch (ev->u.a[2]) {
	case LS_DISP_HANDLE:
		return unit_say(buf, n, TH_NORMAL, _("%s will handle %s"), w, s);
	case LS_DISP_IGNORE:
		return unit_say(buf, n, TH_NORMAL, _("%s will ignore %s"), w, s);
	default:
		return unit_say(buf, n, TH_NORMAL, _("%s restores the default action of %s"), w, s);
	}
}

static void sigaction_json(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	(void)m;
	unit_json_signal(j, "signal", ev->u.a[1]);
}

const struct unit_op unit_op_SIGACTION = {
	.done = sigaction_done,
	.say_done = sigaction_say,
	.json_done = sigaction_json,
};

static int alarm_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	return unit_say(buf, n, TH_TIMED, _("%s asked for SIGALRM in %lld s (alarm)"),
	                model_worker_name(m, ev->worker), (long long)ev->u.a[1]);
}

const struct unit_op unit_op_ALARM = {
	.done = unit_fold_nothing,
	.say_done = alarm_say,
};

/* getppid, is_alive, proc_state, terminate: a2 is the process asked about */
static void target_json(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	unit_json_name(j, "target", m, 0, (int)ev->u.a[2]);
}

const struct unit_op unit_op_IS_ALIVE = {.done = unit_fold_nothing, .json_done = target_json};
const struct unit_op unit_op_GETPPID = {.done = unit_fold_nothing, .json_done = target_json};
const struct unit_op unit_op_PROC_STATE = {.done = unit_fold_nothing, .json_done = target_json};
const struct unit_op unit_op_TERMINATE = {.done = unit_fold_nothing, .json_done = target_json};
