/* kind_sync: events, barriers, futures and thread-local slots as units
 * (unit.h). */
#include <stdio.h>

#include "i18n.h"
#include "json.h"
#include "theme.h"
#include "unit.h"

/* ---- operations ---- */

static int event_wait_available(const struct model *m, const struct m_worker *w, int id,
                                const struct m_object *o)
{
	(void)m;
	(void)id;
	return o && (o->value != 0 || w->notified);
}

static int event_wait_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_RUNNABLE, _("%s passed %s"), model_worker_name(m, ev->worker),
	                unit_kind_name(o, _("event")));
}

const struct unit_op unit_op_EVENT_WAIT = {
	.role = {[LS_EV_DONE] = LS_ROLE_TAKER},
	.done = unit_fold_nothing,
	.available = event_wait_available,
	.wait = {{-1, UNIT_BY_GIVERS, N_("set by"), UNIT_ANY, 0, N_("nobody else has set it yet")}},
	.say_done = event_wait_say,
};

static void event_set_done(struct model *m, struct m_worker *w, struct m_object *o,
                           const struct ls_event *ev)
{
	(void)w;
	(void)ev;
	if (!o)
		return;
	o->value = 1;
	model_wake_all_waiters(m, o);
}

static int event_set_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_GOOD, _("%s set %s: every waiter may go"),
	                model_worker_name(m, ev->worker), unit_kind_name(o, _("event")));
}

const struct unit_op unit_op_EVENT_SET = {
	.role = {[LS_EV_DONE] = LS_ROLE_GIVER, [LS_EV_RELEASED] = LS_ROLE_GIVER,
	         [LS_EV_NOTIFY] = LS_ROLE_GIVER},
	.done = event_set_done,
	.say_done = event_set_say,
};

static void event_clear_done(struct model *m, struct m_worker *w, struct m_object *o,
                             const struct ls_event *ev)
{
	(void)m;
	(void)w;
	(void)ev;
	if (o)
		o->value = 0;
}

static int event_clear_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_NORMAL, _("%s cleared %s"), model_worker_name(m, ev->worker),
	                unit_kind_name(o, _("event")));
}

const struct unit_op unit_op_EVENT_CLEAR = {
	.done = event_clear_done,
	.say_done = event_clear_say,
};

static void barrier_done(struct model *m, struct m_worker *w, struct m_object *o,
                         const struct ls_event *ev)
{
	(void)w;
	if (o && ev->u.a[2]) { /* the last party arrived: the round passes */
		o->value = ev->u.a[1];
		model_wake_all_waiters(m, o);
	}
}

static int barrier_available(const struct model *m, const struct m_worker *w, int id,
                             const struct m_object *o)
{
	(void)m;
	(void)id;
	return o && w->notified;
}

static int barrier_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = model_worker_name(m, ev->worker);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	if (ev->u.a[2])
		return unit_say(buf, n, TH_GOOD, _("%s arrived last at %s: the round passes"), w,
		                o->name);
	return unit_say(buf, n, TH_RUNNABLE, _("%s passed %s"), w, unit_kind_name(o, _("barrier")));
}

static void barrier_json(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	(void)m;
	jw_kbool(j, "tripped", ev->u.a[2] != 0);
	jw_kint(j, "index", ev->u.a[3]);
}

/* a barrier opens when the others arrive: every party gives and takes */
const struct unit_op unit_op_BARRIER_WAIT = {
	.role = {[LS_EV_WANT] = LS_ROLE_GIVER | LS_ROLE_TAKER,
	         [LS_EV_DONE] = LS_ROLE_GIVER | LS_ROLE_TAKER},
	.done = barrier_done,
	.available = barrier_available,
	.wait = {{-1, UNIT_BY_ARRIVALS, N_("completed by"), UNIT_ANY, 0,
	          N_("nobody else has arrived yet")}},
	.say_done = barrier_say,
	.json_done = barrier_json,
};

static void future_set_done(struct model *m, struct m_worker *w, struct m_object *o,
                            const struct ls_event *ev)
{
	(void)w;
	if (!o)
		return;
	if (o->count)
		m->anomalies++;
	o->value = ev->u.a[1];
	o->count = 1;
	model_wake_all_waiters(m, o);
}

static int future_set_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_GOOD, _("%s set the result of %s to %lld"),
	                model_worker_name(m, ev->worker), o->name, (long long)ev->u.a[1]);
}

const struct unit_op unit_op_FUTURE_SET = {
	.done = future_set_done,
	.say_done = future_set_say,
};

static void read_done(struct model *m, struct m_worker *w, struct m_object *o,
                      const struct ls_event *ev)
{
	(void)m;
	(void)o;
	model_note_read(w, ev->u.a[1]);
}

static int future_get_available(const struct model *m, const struct m_worker *w, int id,
                                const struct m_object *o)
{
	(void)m;
	(void)w;
	(void)id;
	return o && o->count != 0;
}

static int future_get_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_RUNNABLE, _("%s got the result of %s: %lld"),
	                model_worker_name(m, ev->worker), o->name, (long long)ev->u.a[1]);
}

/* no wait rule: a future's setter is not known before it sets it */
const struct unit_op unit_op_FUTURE_GET = {
	.done = read_done,
	.available = future_get_available,
	.say_done = future_get_say,
};

static void local_set_done(struct model *m, struct m_worker *w, struct m_object *o,
                           const struct ls_event *ev)
{
	(void)m;
	(void)w;
	if (!o)
		return;
	o->writes++;
	model_local_store(o, ev->worker, ev->u.a[1]);
}

static int local_set_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_NORMAL, _("%s stored %lld in its own slot of %s"),
	                model_worker_name(m, ev->worker), (long long)ev->u.a[1], o->name);
}

const struct unit_op unit_op_LOCAL_SET = {
	.done = local_set_done,
	.say_done = local_set_say,
};

static int local_get_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_NORMAL,
	                ev->u.a[2] ? _("%s read its own slot of %s: %lld")
	                           : _("%s read its own slot of %s: not set (%lld)"),
	                model_worker_name(m, ev->worker), o->name, (long long)ev->u.a[1]);
}

static void local_get_json(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	(void)m;
	jw_kbool(j, "was_set", ev->u.a[2] != 0);
}

const struct unit_op unit_op_LOCAL_GET = {
	.done = read_done,
	.say_done = local_get_say,
	.json_done = local_get_json,
};

/* ---- kinds ---- */

static int event_say_blocked(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("%s waits for %s to be set"),
	                model_worker_name(m, ev->worker),
	                unit_kind_name(model_object(m, ev->object), _("event")));
}

static int barrier_say_blocked(const struct model *m, const struct ls_event *ev, char *buf,
                               size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	return unit_say(buf, n, TH_WAITING, _("%s waits at %s (%d of %lld arrived)"),
	                model_worker_name(m, ev->worker), unit_kind_name(o, _("barrier")),
	                o->nwaiters, (long long)o->cap);
}

static int future_say_blocked(const struct model *m, const struct ls_event *ev, char *buf,
                              size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("%s waits for the result of %s"),
	                model_worker_name(m, ev->worker), model_object_name(m, ev->object));
}

static void event_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	jw_kbool(j, "set", o->value != 0);
}

static void barrier_json_object(struct jw *j, const struct model *m, const struct m_object *o)
{
	jw_kint(j, "parties", o->cap);
	jw_kint(j, "generation", o->value);
}

static void future_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	jw_kbool(j, "done", o->count != 0);
	if (o->count)
		jw_kint(j, "result", o->value);
}

static int event_waits(const struct model *m, int id, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("%s to be set"),
	                model_object_name(m, model_worker(m, id)->wait_obj));
}

static int barrier_waits(const struct model *m, int id, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("all parties at %s"),
	                model_object_name(m, model_worker(m, id)->wait_obj));
}

static int future_waits(const struct model *m, int id, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("the result of %s"),
	                model_object_name(m, model_worker(m, id)->wait_obj));
}

const struct unit_kind unit_kind_EVENT = {.say_blocked = event_say_blocked,
                                          .say_waits = event_waits,
                                          .json_object = event_json};
const struct unit_kind unit_kind_BARRIER = {.say_blocked = barrier_say_blocked,
                                            .say_waits = barrier_waits,
                                            .json_object = barrier_json_object};
const struct unit_kind unit_kind_FUTURE = {.say_blocked = future_say_blocked,
                                           .say_waits = future_waits,
                                           .json_object = future_json};
const struct unit_kind unit_kind_LOCAL = {0};
