/* kind_queue: queues (put/get, task_done), shared values and arrays as
 * units (unit.h). A value's read and write are the channels' READ and
 * WRITE (kind_channel.c). */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "json.h"
#include "theme.h"
#include "unit.h"

/* ---- operations ---- */

static void put_done(struct model *m, struct m_worker *w, struct m_object *o,
                     const struct ls_event *ev)
{
	(void)w;
	if (!o)
		return;
	if (o->nitems < LS_QUEUE_MAX)
		o->items[o->nitems++] = ev->u.a[1];
	else
		m->anomalies++;
	o->puts++;
}

static int put_available(const struct model *m, const struct m_worker *w, int id,
                         const struct m_object *o)
{
	/* a queue with no bound (cap 0: Python's Queue()) always has room */
	return o && (o->cap <= 0 || (o->cap > o->nitems &&
	                             o->cap - o->nitems > model_queue_rank(m, o, id, w->wait_op)));
}

static int put_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	char t[LS_EV_TEXT + 24], fill[48];
	if (model_item_is_text(o, ev->u.a[1])) {
		model_item_str(o, ev->u.a[1], t, sizeof t);
		return unit_say(buf, n, TH_RUNNABLE, _("%s put %s into %s (%s)"),
		                model_worker_name(m, ev->worker), t, o->name, unit_fill(o, fill, sizeof fill));
	}
	return unit_say(buf, n, TH_RUNNABLE, _("%s put %lld into %s (%s)"),
	                model_worker_name(m, ev->worker), (long long)ev->u.a[1], o->name,
	                unit_fill(o, fill, sizeof fill));
}

const struct unit_op unit_op_PUT = {
	.role = {[LS_EV_DONE] = LS_ROLE_GIVER},
	.done = put_done,
	.available = put_available,
	.wait = {{LS_OBJ_QUEUE, UNIT_BY_TAKERS, N_("emptied by"), UNIT_ANY, 0,
	          N_("nobody else has taken from it yet")},
	         {LS_OBJ_MQUEUE, UNIT_BY_TAKERS, N_("read by"), UNIT_ANY, 0,
	          N_("nobody else has received from it yet")}},
	.say_done = put_say,
};

static void get_done(struct model *m, struct m_worker *w, struct m_object *o,
                     const struct ls_event *ev)
{
	(void)w;
	if (!o)
		return;
	/* the head, in a FIFO queue; a queue declared with aux
	 * LS_QUEUE_ANY_ORDER (Python's LifoQueue and PriorityQueue, lockstep
	 * run) gives the item it names */
	int64_t v = ev->u.a[1];
	int k = 0;
	while (o->aux == LS_QUEUE_ANY_ORDER && k < o->nitems && o->items[k] != v)
		k++;
	if (k == o->nitems || o->items[k] != v) {
		m->anomalies++;
		k = 0;
	}
	if (o->nitems > 0) {
		memmove(&o->items[k], &o->items[k + 1], (size_t)(o->nitems - k - 1) * sizeof o->items[0]);
		o->nitems--;
	}
	o->gets++;
}

static int get_available(const struct model *m, const struct m_worker *w, int id,
                         const struct m_object *o)
{
	return o && o->nitems > 0 && o->nitems > model_queue_rank(m, o, id, w->wait_op);
}

static int get_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	char t[LS_EV_TEXT + 24], fill[48];
	if (model_item_is_text(o, ev->u.a[1])) {
		model_item_str(o, ev->u.a[1], t, sizeof t);
		return unit_say(buf, n, TH_RUNNABLE, _("%s took %s from %s (%s)"),
		                model_worker_name(m, ev->worker), t, o->name, unit_fill(o, fill, sizeof fill));
	}
	return unit_say(buf, n, TH_RUNNABLE, _("%s took %lld from %s (%s)"),
	                model_worker_name(m, ev->worker), (long long)ev->u.a[1], o->name,
	                unit_fill(o, fill, sizeof fill));
}

const struct unit_op unit_op_GET = {
	.role = {[LS_EV_DONE] = LS_ROLE_TAKER},
	.done = get_done,
	.available = get_available,
	.wait = {{LS_OBJ_QUEUE, UNIT_BY_GIVERS, N_("filled by"), UNIT_ANY, 0,
	          N_("nobody else has put into it yet")},
	         {LS_OBJ_MQUEUE, UNIT_BY_GIVERS, N_("written by"), UNIT_ANY, 0,
	          N_("nobody else has sent to it yet")}},
	.say_done = get_say,
};

static int task_done_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	if (!model_object(m, ev->object))
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_NORMAL, _("%s marked a task done (%lld unfinished)"),
	                model_worker_name(m, ev->worker), (long long)ev->u.a[1]);
}

const struct unit_op unit_op_TASK_DONE = {
	.role = {[LS_EV_DONE] = LS_ROLE_GIVER},
	.done = unit_fold_nothing,
	.say_done = task_done_say,
};

static void aset_done(struct model *m, struct m_worker *w, struct m_object *o,
                      const struct ls_event *ev)
{
	(void)m;
	(void)w;
	if (o && ev->u.a[2] >= 0 && ev->u.a[2] < o->nitems) {
		o->items[ev->u.a[2]] = ev->u.a[1];
		o->writes++;
	}
}

static int aset_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_NORMAL, _("%s set %s[%lld] = %lld"),
	                model_worker_name(m, ev->worker), o->name, (long long)ev->u.a[2],
	                (long long)ev->u.a[1]);
}

static void json_index(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	(void)m;
	jw_kint(j, "index", ev->u.a[2]);
}

const struct unit_op unit_op_ASET = {
	.done = aset_done,
	.say_done = aset_say,
	.json_done = json_index,
};

static void aget_done(struct model *m, struct m_worker *w, struct m_object *o,
                      const struct ls_event *ev)
{
	(void)m;
	(void)o;
	model_note_read(w, ev->u.a[1]);
}

static int aget_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_NORMAL, _("%s read %s[%lld] = %lld"),
	                model_worker_name(m, ev->worker), o->name, (long long)ev->u.a[2],
	                (long long)ev->u.a[1]);
}

const struct unit_op unit_op_AGET = {
	.done = aget_done,
	.say_done = aget_say,
	.json_done = json_index,
};

/* ls_value_expect: what the scene meant an update to add; a declaration,
 * not a step, shown as the value's invariant line and never in the log */
static void expect_done(struct model *m, struct m_worker *w, struct m_object *o,
                        const struct ls_event *ev)
{
	(void)m;
	(void)w;
	if (o) {
		o->expect += ev->u.a[1];
		o->expecting = 1;
	}
}

static int say_nothing(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	(void)m;
	(void)ev;
	(void)buf;
	(void)n;
	return -1;
}

const struct unit_op unit_op_EXPECT = {
	.done = expect_done,
	.say_done = say_nothing,
};

/* ---- kinds ---- */

static int queue_say_blocked(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = model_worker_name(m, ev->worker);
	char fill[48];
	if (ev->u.a[0] == LS_OP_PUT)
		return unit_say(buf, n, TH_WAITING, _("%s waits: %s is full (%s)"), w, o->name,
		                unit_fill(o, fill, sizeof fill));
	return unit_say(buf, n, TH_WAITING, _("%s waits: %s is empty"), w, o->name);
}

static void queue_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	jw_kint(j, "capacity", o->cap);
	unit_json_items(j, "items", o);
}

static int queue_waits(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_worker *w = model_worker(m, id);
	const struct m_object *o = model_object(m, w->wait_obj);
	if (w->wait_op == LS_OP_PUT)
		return unit_say(buf, n, TH_WAITING,
		                o->cap <= 0 || o->nitems < o->cap ? _("room in %s (others are first in line)")
		                                   : _("room in %s (full)"),
		                o->name);
	return unit_say(buf, n, TH_WAITING,
	                o->nitems > 0 ? _("an item in %s (others are first in line)")
	                              : _("an item in %s (empty)"),
	                o->name);
}

const struct unit_kind unit_kind_QUEUE = {
	.pane = UNIT_PANE_QUEUES,
	.say_blocked = queue_say_blocked,
	.json_object = queue_json,
	.say_waits = queue_waits,
};

static void value_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	jw_kint(j, "value", o->value);
	if (o->expecting) /* ls_value_expect: what was meant */
		jw_kint(j, "expected", o->initial + o->expect);
}

const struct unit_kind unit_kind_VALUE = {.json_object = value_json};

static void array_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	unit_json_ints(j, "cells", o->items, o->nitems);
}

const struct unit_kind unit_kind_ARRAY = {.json_object = array_json};
