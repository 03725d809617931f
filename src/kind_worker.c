/* kind_worker: what a worker does that involves no object of its own
 * (start, sleep, join, simulated work, the scene key, a scene's own
 * operation), as units (unit.h). */
#include <stdio.h>

#include "i18n.h"
#include "json.h"
#include "theme.h"
#include "unit.h"

const struct unit_op unit_op_NONE = {0};

/* a scene's own operation: a2 set means a1 is the object's new value */
const struct unit_op unit_op_CUSTOM = {0};

static void start_done(struct model *m, struct m_worker *w, struct m_object *o,
                       const struct ls_event *ev)
{
	(void)m;
	if (!o && w->tid == 0 && ev->u.a[2])
		w->tid = ev->u.a[1]; /* the worker's own START: its thread id */
}

static int start_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	if (model_object(m, ev->object))
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_RUNNABLE, _("%s is running"), model_worker_name(m, ev->worker));
}

const struct unit_op unit_op_START = {
	.done = start_done,
	.say_done = start_say,
};

static int sleep_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	return unit_say(buf, n, TH_DIM, _("%s woke up"), model_worker_name(m, ev->worker));
}

static int sleep_say_blocked(const struct model *m, const struct ls_event *ev, char *buf,
                             size_t n)
{
	return unit_say(buf, n, TH_TIMED, _("%s sleeps"), model_worker_name(m, ev->worker));
}

/* waits for time, not for anyone: no wait rule, never in a deadlock */
static int sleep_waits(const struct model *m, int id, char *buf, size_t n)
{
	return unit_say(buf, n, TH_TIMED, "%s", _("time to pass"));
}

const struct unit_op unit_op_SLEEP = {
	.waits_as = LS_WS_TIMED_WAITING,
	.done = unit_fold_nothing,
	.say_done = sleep_say,
	.say_blocked = sleep_say_blocked,
	.say_waits = sleep_waits,
};

static int work_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	return unit_say(buf, n, TH_DIM, _("%s worked %lld ms"), model_worker_name(m, ev->worker),
	                (long long)ev->u.a[1]);
}

const struct unit_op unit_op_WORK = {
	.done = unit_fold_nothing,
	.say_done = work_say,
};

/* join waits for a worker, not an object: a3 of BLOCKED is the target
 * (the analysis' rule for it is in analysis.c, since it has no object) */
static void join_blocked(struct model *m, struct m_worker *w, struct m_object *o,
                         const struct ls_event *ev)
{
	(void)m;
	(void)o;
	w->wait_worker = (int)ev->u.a[3];
}

static int join_available(const struct model *m, const struct m_worker *w, int id,
                          const struct m_object *o)
{
	(void)id;
	(void)o;
	const struct m_worker *t = model_worker(m, w->wait_worker);
	return t && (t->state == LS_WS_TERMINATED || t->state == LS_WS_ZOMBIE);
}

static int join_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_worker *x = model_worker(m, ev->worker);
	const char *w = model_worker_name(m, ev->worker);
	if (x)
		return unit_say(buf, n, TH_RUNNABLE, _("%s joined %s"), w,
		                model_worker_name(m, (int)x->op_arg));
	return unit_say(buf, n, TH_RUNNABLE, _("%s joined"), w);
}

static int join_say_blocked(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("%s waits for %s to finish (join)"),
	                model_worker_name(m, ev->worker), model_worker_name(m, (int)ev->u.a[3]));
}

static void join_json_blocked(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	unit_json_name(j, "target", m, 0, (int)ev->u.a[3]);
}

static int join_waits(const struct model *m, int id, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("%s to end (join)"),
	                model_worker_name(m, model_worker(m, id)->wait_worker));
}

const struct unit_op unit_op_JOIN = {
	.blocked = join_blocked,
	.available = join_available,
	.say_done = join_say,
	.say_blocked = join_say_blocked,
	.say_waits = join_waits,
	.json_blocked = join_json_blocked,
};

static int user_wait_available(const struct model *m, const struct m_worker *w, int id,
                               const struct m_object *o)
{
	(void)id;
	(void)o;
	return m->presses > (uint64_t)w->op_arg;
}

static int user_wait_say_blocked(const struct model *m, const struct ls_event *ev, char *buf,
                                 size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("%s waits for the user to press k"),
	                model_worker_name(m, ev->worker));
}

static int user_wait_waits(const struct model *m, int id, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, "%s", _("you to press k"));
}

const struct unit_op unit_op_USER_WAIT = {
	.done = unit_fold_nothing,
	.available = user_wait_available,
	.say_blocked = user_wait_say_blocked,
	.say_waits = user_wait_waits,
};
