/* kind_channel: pipes, FIFOs and message queues as units (unit.h), with
 * READ and WRITE, which also read and write a shared value. */
#include <stdio.h>

#include "i18n.h"
#include "json.h"
#include "theme.h"
#include "unit.h"

/* ---- operations ---- */

static void read_done(struct model *m, struct m_worker *w, struct m_object *o,
                      const struct ls_event *ev)
{
	int64_t v = ev->u.a[1];
	if (model_is_channel(o)) {
		if (ev->u.a[2]) {
			o->eof_seen = 1;
			return;
		}
		model_items_remove_front(m, o, v);
		o->gets++;
	}
	model_note_read(w, v);
}

/* a pipe or FIFO: data, or end-of-file */
static int read_available(const struct model *m, const struct m_worker *w, int id,
                          const struct m_object *o)
{
	(void)m;
	(void)w;
	(void)id;
	return model_is_channel(o) &&
	       (o->nitems > 0 || model_end_holders(o, LS_END_WRITE) == 0);
}

static int read_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = model_worker_name(m, ev->worker);
	long long v = (long long)ev->u.a[1];
	if (model_is_channel(o) && ev->u.a[2])
		return unit_say(buf, n, TH_ENDED, _("%s read end-of-file from %s: no writer is left"),
		                w, o->name);
	if (model_is_channel(o) && model_item_is_text(o, v)) {
		char t[LS_EV_TEXT + 24];
		model_item_str(o, v, t, sizeof t);
		return unit_say(buf, n, TH_RUNNABLE, _("%s read %s from %s (%d left)"), w, t,
		                o->name, o->nitems);
	}
	if (model_is_channel(o))
		return unit_say(buf, n, TH_RUNNABLE, _("%s read %lld from %s (%d left)"), w, v,
		                o->name, o->nitems);
	if (o)
		return unit_say(buf, n, TH_NORMAL, _("%s read %s = %lld"), w, o->name, v);
	return unit_say_did(m, ev, buf, n);
}

static void read_json(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	(void)m;
	if (ev->object >= 0 && ev->u.a[2])
		jw_kbool(j, "eof", 1);
}

const struct unit_op unit_op_READ = {
	.role = {[LS_EV_DONE] = LS_ROLE_TAKER},
	.done = read_done,
	.available = read_available,
	.wait = {{-1, UNIT_BY_GIVERS, N_("written by"), UNIT_ANY, 0,
	          N_("nobody else has written to it yet")},
	         {LS_OBJ_PIPE, UNIT_BY_WRITE_ENDS, N_("write end held by"), UNIT_EXACT_PROCESS, 0,
	          N_("nobody alive holds a write end")},
	         /* a FIFO's writer may be a process that has not opened it yet */
	         {LS_OBJ_FIFO, UNIT_BY_WRITE_ENDS, N_("write end held by"), UNIT_ANY, 0,
	          N_("nobody else has written to it yet")}},
	.say_done = read_say,
	.json_done = read_json,
};

static void write_done(struct model *m, struct m_worker *w, struct m_object *o,
                       const struct ls_event *ev)
{
	(void)w;
	if (model_is_channel(o)) {
		model_items_insert(m, o, ev->u.a[1], 0);
		o->puts++;
	} else if (o) {
		o->writes++;
		/* free runs batch per worker: the newest write by seq wins (the
		 * probe numbers a write with its store) */
		if (!model_owner_stale(o, ev))
			o->value = ev->u.a[1];
	}
}

static int write_available(const struct model *m, const struct m_worker *w, int id,
                           const struct m_object *o)
{
	(void)m;
	(void)w;
	(void)id;
	return model_is_channel(o);
}

static int write_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = model_worker_name(m, ev->worker);
	long long v = (long long)ev->u.a[1];
	if (model_is_channel(o) && model_item_is_text(o, v)) {
		char t[LS_EV_TEXT + 24];
		model_item_str(o, v, t, sizeof t);
		return unit_say(buf, n, TH_RUNNABLE, _("%s wrote %s into %s (%d buffered)"), w, t,
		                o->name, o->nitems);
	}
	if (model_is_channel(o))
		return unit_say(buf, n, TH_RUNNABLE, _("%s wrote %lld into %s (%d buffered)"), w, v,
		                o->name, o->nitems);
	if (o)
		return unit_say(buf, n, TH_NORMAL, _("%s wrote %s = %lld"), w, o->name, v);
	return unit_say_did(m, ev, buf, n);
}

const struct unit_op unit_op_WRITE = {
	.role = {[LS_EV_DONE] = LS_ROLE_GIVER},
	.done = write_done,
	.available = write_available,
	.wait = {{-1, UNIT_BY_TAKERS, N_("read by"), UNIT_ANY, 0,
	          N_("nobody else has read from it yet")}},
	.say_done = write_say,
};

/* A FIFO's open waits for the other end: one open, one opening, or one
 * opened since it began to wait (the count it saw then is its mark). */
static void open_blocked(struct model *m, struct m_worker *w, struct m_object *o,
                         const struct ls_event *ev)
{
	(void)m;
	int op = (int)ev->u.a[0];
	if (o && (w->wait_obj != ev->object || w->wait_op != op))
		w->wait_mark = o->opens[op == LS_OP_OPEN_READ ? LS_END_WRITE : LS_END_READ];
}

/* In a controlled run the probe opens without blocking and waits at its
 * gate (probe_ipc.c ls_fifo_open): a reader's O_RDONLY open always gets
 * its end, then it waits until some writer has opened; a writer's O_WRONLY
 * open fails (ENXIO) until a reader has the FIFO open. A parked opener can
 * move only when that holds: a writer merely waiting to open does not let
 * the reader's step finish, and stepping it again and again changed
 * nothing (the explorer looped on fifo for 20 s). In a free run both wait
 * in the kernel's open, which pairs them as soon as both are there. */
static int open_read_available(const struct model *m, const struct m_worker *w, int id,
                               const struct m_object *o)
{
	(void)id;
	if (o && w->gate == LS_GATE_PARKED)
		return o->opens[LS_END_WRITE] > 0;
	return o && (model_end_holders(o, LS_END_WRITE) > 0 ||
	             model_opening(m, w->wait_obj, LS_OP_OPEN_WRITE) ||
	             o->opens[LS_END_WRITE] > w->wait_mark);
}

static int open_write_available(const struct model *m, const struct m_worker *w, int id,
                                const struct m_object *o)
{
	(void)id;
	if (o && w->gate == LS_GATE_PARKED)
		return model_end_holders(o, LS_END_READ) > 0;
	return o && (model_end_holders(o, LS_END_READ) > 0 ||
	             model_opening(m, w->wait_obj, LS_OP_OPEN_READ) ||
	             o->opens[LS_END_READ] > w->wait_mark);
}

static int open_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_NORMAL, _("%s opened %s for %s"),
	                model_worker_name(m, ev->worker), o->name,
	                ev->u.a[0] == LS_OP_OPEN_READ ? _("reading") : _("writing"));
}

const struct unit_op unit_op_OPEN_READ = {
	.done = unit_fold_nothing,
	.blocked = open_blocked,
	.available = open_read_available,
	.say_done = open_say,
};

const struct unit_op unit_op_OPEN_WRITE = {
	.done = unit_fold_nothing,
	.blocked = open_blocked,
	.available = open_write_available,
	.say_done = open_say,
};

static int close_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_NORMAL, _("%s closed its end of %s"),
	                model_worker_name(m, ev->worker), o->name);
}

const struct unit_op unit_op_CLOSE = {
	.done = unit_fold_nothing,
	.say_done = close_say,
};

static void send_done(struct model *m, struct m_worker *w, struct m_object *o,
                      const struct ls_event *ev)
{
	(void)w;
	if (!o)
		return;
	model_items_insert(m, o, ev->u.a[1], (int)ev->u.a[2]);
	o->puts++;
}

static int send_available(const struct model *m, const struct m_worker *w, int id,
                          const struct m_object *o)
{
	return o && o->cap > o->nitems &&
	       o->cap - o->nitems > model_queue_rank(m, o, id, w->wait_op);
}

static int send_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_RUNNABLE, _("%s sent %lld (priority %lld) to %s (%d queued)"),
	                model_worker_name(m, ev->worker), (long long)ev->u.a[1],
	                (long long)ev->u.a[2], o->name, o->nitems);
}

static void prio_json(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	(void)m;
	jw_kint(j, "prio", ev->u.a[2]);
}

const struct unit_op unit_op_SEND = {
	.role = {[LS_EV_DONE] = LS_ROLE_GIVER},
	.done = send_done,
	.available = send_available,
	.wait = {{LS_OBJ_MQUEUE, UNIT_BY_TAKERS, N_("read by"), UNIT_ANY, 0,
	          N_("nobody else has received from it yet")}},
	.say_done = send_say,
	.json_done = prio_json,
};

static void receive_done(struct model *m, struct m_worker *w, struct m_object *o,
                         const struct ls_event *ev)
{
	if (!o)
		return;
	model_items_remove_front(m, o, ev->u.a[1]);
	o->gets++;
	model_note_read(w, ev->u.a[1]);
}

static int receive_available(const struct model *m, const struct m_worker *w, int id,
                             const struct m_object *o)
{
	return o && o->nitems > 0 && o->nitems > model_queue_rank(m, o, id, w->wait_op);
}

static int receive_say(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	if (!o)
		return unit_say_did(m, ev, buf, n);
	return unit_say(buf, n, TH_RUNNABLE, _("%s received %lld from %s (%d left)"),
	                model_worker_name(m, ev->worker), (long long)ev->u.a[1], o->name,
	                o->nitems);
}

const struct unit_op unit_op_RECEIVE = {
	.role = {[LS_EV_DONE] = LS_ROLE_TAKER},
	.done = receive_done,
	.available = receive_available,
	.wait = {{LS_OBJ_MQUEUE, UNIT_BY_GIVERS, N_("written by"), UNIT_ANY, 0,
	          N_("nobody else has sent to it yet")}},
	.say_done = receive_say,
	.json_done = prio_json,
};

/* ---- kinds ---- */

static int channel_say_blocked(const struct model *m, const struct ls_event *ev, char *buf,
                               size_t n)
{
	const char *w = model_worker_name(m, ev->worker);
	const char *on = model_object_name(m, ev->object);
	int op = (int)ev->u.a[0];
	if (op == LS_OP_OPEN_READ || op == LS_OP_OPEN_WRITE)
		return unit_say(buf, n, TH_WAITING, _("%s waits in open(%s) for the other end"), w, on);
	if (op == LS_OP_WRITE)
		return unit_say(buf, n, TH_WAITING, _("%s waits: %s is full"), w, on);
	return unit_say(buf, n, TH_WAITING, _("%s waits: %s is empty"), w, on);
}

static int mqueue_say_blocked(const struct model *m, const struct ls_event *ev, char *buf,
                              size_t n)
{
	const char *w = model_worker_name(m, ev->worker);
	const char *q = unit_kind_name(model_object(m, ev->object), _("message queue"));
	if (ev->u.a[0] == LS_OP_SEND)
		return unit_say(buf, n, TH_WAITING, _("%s waits: %s is full"), w, q);
	return unit_say(buf, n, TH_WAITING, _("%s waits: %s is empty"), w, q);
}

/* what is buffered, how much more than shown, and who holds which end */
static void channel_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	unit_json_items(j, "items", o);
	if (o->overflow)
		jw_kint(j, "more", o->overflow);
	jw_key(j, "ends");
	jw_begin(j, '{');
	for (int k = 0; k < o->nends; k++)
		jw_kstr(j, model_worker_name(m, o->ends[k].worker), unit_ends_name(o->ends[k].mask));
	jw_end(j, '}');
}

static void mqueue_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	unit_json_items(j, "items", o);
	jw_key(j, "prios");
	jw_begin(j, '[');
	for (int k = 0; k < o->nitems; k++)
		jw_int(j, o->item_prio[k]);
	jw_end(j, ']');
}

static int channel_waits(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_worker *w = model_worker(m, id);
	const struct m_object *o = model_object(m, w->wait_obj);
	if (w->wait_op == LS_OP_OPEN_READ || w->wait_op == LS_OP_OPEN_WRITE)
		return unit_say(buf, n, TH_WAITING, _("the other end of %s (open)"), o->name);
	if (w->wait_op == LS_OP_WRITE)
		return unit_say(buf, n, TH_WAITING, _("room in %s (full)"), o->name);
	if (o->nitems > 0)
		return unit_say(buf, n, TH_WAITING, _("data in %s (there is some now)"), o->name);
	return unit_say(buf, n, TH_WAITING, _("data in %s (empty)"), o->name);
}

static int mqueue_waits(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_worker *w = model_worker(m, id);
	const struct m_object *o = model_object(m, w->wait_obj);
	if (w->wait_op == LS_OP_SEND)
		return unit_say(buf, n, TH_WAITING, _("room in %s (full)"), o->name);
	return unit_say(buf, n, TH_WAITING,
	                o->nitems > 0 ? _("a message in %s (others are first in line)")
	                              : _("a message in %s (empty)"),
	                o->name);
}

const struct unit_kind unit_kind_PIPE = {.say_blocked = channel_say_blocked,
                                         .say_waits = channel_waits,
                                         .json_object = channel_json};
const struct unit_kind unit_kind_FIFO = {.say_blocked = channel_say_blocked,
                                         .say_waits = channel_waits,
                                         .json_object = channel_json};
const struct unit_kind unit_kind_MQUEUE = {.pane = UNIT_PANE_QUEUES,
                                           .say_blocked = mqueue_say_blocked,
                                           .say_waits = mqueue_waits,
                                           .json_object = mqueue_json};
