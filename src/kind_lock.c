/* kind_lock: locks (mutex, rlock, rwlock), semaphores and conditions as units
 * (unit.h): how their records fold, when a waiter may retry, who could
 * release it, and their words. */
#include <stdio.h>

#include "describe.h"
#include "i18n.h"
#include "json.h"
#include "theme.h"
#include "unit.h"

/* ---- operations ---- */

/* A free lock wakes every waiter, and the scheduler picks who retries
 * first (the first in line, unless the user chooses); a robust lock whose
 * owner died goes to the next taker, who is told EOWNERDEAD: that retry
 * must be offered. An rlock is free to its owner. */
static int lock_available(const struct model *m, const struct m_worker *w, int id,
                          const struct m_object *o)
{
	(void)w;
	if (!o)
		return 0;
	if (o->kind == LS_OBJ_RLOCK && o->owner == id)
		return 1;
	return o->owner < 0 || !model_live(m, o->owner);
}

#define LOCK_WAITS                                                                       \
	{                                                                                \
		{LS_OBJ_MUTEX, UNIT_BY_OWNER, N_("held by"), UNIT_EXACT, 1,               \
		 N_("nobody alive could release it")},                                    \
		{LS_OBJ_RLOCK, UNIT_BY_OWNER, N_("held by"), UNIT_EXACT, 1,               \
		 N_("nobody alive could release it")},                                    \
	}

const struct unit_op unit_op_LOCK = {
	.waits_as = LS_WS_BLOCKED,
	.available = lock_available,
	.wait = LOCK_WAITS,
};

const struct unit_op unit_op_TRYLOCK = {
	.waits_as = LS_WS_BLOCKED,
	.available = lock_available,
	.wait = LOCK_WAITS,
};

const struct unit_op unit_op_UNLOCK = {0};

static int sem_available(const struct model *m, const struct m_worker *w, int id,
                         const struct m_object *o)
{
	return o && o->value > 0 && o->value > model_queue_rank(m, o, id, w->wait_op);
}

const struct unit_op unit_op_SEM_WAIT = {
	.waits_as = LS_WS_BLOCKED,
	.role = {[LS_EV_ACQUIRED] = LS_ROLE_TAKER},
	.available = sem_available,
	.wait = {{LS_OBJ_SEM, UNIT_BY_HOLDERS_GIVERS, N_("posted by"), UNIT_ANY, 1,
	          N_("nobody else has posted it yet")}},
};

const struct unit_op unit_op_SEM_POST = {
	.role = {[LS_EV_RELEASED] = LS_ROLE_GIVER},
};

/* only a notify moves a condition waiter (to its lock) */
const struct unit_op unit_op_COND_WAIT = {
	.wait = {{-1, UNIT_BY_GIVERS, N_("notified by"), UNIT_ANY, 0,
	          N_("nobody else has notified it yet")}},
};

const struct unit_op unit_op_COND_SIGNAL = {
	.role = {[LS_EV_NOTIFY] = LS_ROLE_GIVER},
};

const struct unit_op unit_op_COND_BROADCAST = {
	.role = {[LS_EV_NOTIFY] = LS_ROLE_GIVER},
};

/* A read-write lock, glibc's default kind: it prefers readers. A reader
 * may take it whenever no writer holds it, even while a writer waits (the
 * probe's tryrdlock agrees); a writer only when nobody holds it. A holder
 * that ended keeps its hold: the rwlock is not robust. */
static int rwlock_rd_available(const struct model *m, const struct m_worker *w, int id,
                               const struct m_object *o)
{
	(void)w;
	(void)id;
	(void)m;
	return o && o->owner < 0;
}

static int rwlock_wr_available(const struct model *m, const struct m_worker *w, int id,
                               const struct m_object *o)
{
	(void)m;
	(void)w;
	(void)id;
	return o && o->owner < 0 && o->count <= 0;
}

/* a reader waits for the writer; a writer for every holder, for certain */
const struct unit_op unit_op_RWLOCK_RD = {
	.waits_as = LS_WS_BLOCKED,
	.available = rwlock_rd_available,
	.wait = {{LS_OBJ_RWLOCK, UNIT_BY_OWNER, N_("written by"), UNIT_EXACT, 1,
	          N_("nobody alive could release it")}},
};

const struct unit_op unit_op_RWLOCK_WR = {
	.waits_as = LS_WS_BLOCKED,
	.available = rwlock_wr_available,
	.wait = {{LS_OBJ_RWLOCK, UNIT_BY_HOLDERS, N_("held by"), UNIT_EXACT, 1,
	          N_("nobody alive could release it")}},
};

/* ---- kinds ---- */

static void mutex_acquired(struct model *m, struct m_worker *w, struct m_object *o,
                           const struct ls_event *ev)
{
	model_hold_add(m, w, ev->object);
	if (model_owner_stale(o, ev))
		return;
	o->owner = ev->worker;
	o->count = 1;
}

static void mutex_released(struct model *m, struct m_worker *w, struct m_object *o,
                           const struct ls_event *ev)
{
	if (!model_hold_remove(w, ev->object))
		m->anomalies++; /* released what it never held */
	if (model_owner_stale(o, ev))
		return;
	o->owner = -1;
	o->count = 0;
}

static void rlock_acquired(struct model *m, struct m_worker *w, struct m_object *o,
                           const struct ls_event *ev)
{
	if (!model_hold_units(w, ev->object))
		model_hold_add(m, w, ev->object);
	if (model_owner_stale(o, ev))
		return;
	o->owner = ev->worker;
	o->count = (int)ev->u.a[1];
}

static void rlock_released(struct model *m, struct m_worker *w, struct m_object *o,
                           const struct ls_event *ev)
{
	(void)m;
	if (ev->u.a[1] <= 0)
		model_hold_remove(w, ev->object);
	if (model_owner_stale(o, ev))
		return;
	o->count = (int)ev->u.a[1];
	if (o->count <= 0) {
		o->owner = -1;
		o->count = 0;
	}
}

static int lock_say_blocked(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = model_worker_name(m, ev->worker);
	if (o->owner >= 0 && o->owner != ev->worker)
		return unit_say(buf, n, TH_BLOCKED, _("%s blocked on %s, held by %s"), w, o->name,
		                model_worker_name(m, o->owner));
	return unit_say(buf, n, TH_BLOCKED, _("%s blocked on %s"), w, o->name);
}

static void lock_json_blocked(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	unit_json_name(j, "holder", m, 0, model_object(m, ev->object)->owner);
}

static void mutex_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	unit_json_name(j, "owner", m, 0, o->owner);
}

static void rlock_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	unit_json_name(j, "owner", m, 0, o->owner);
	jw_kint(j, "count", o->count);
}

static int lock_waits(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, model_worker(m, id)->wait_obj);
	if (o->owner >= 0)
		return unit_say(buf, n, TH_BLOCKED, _("%s, held by %s"), o->name,
		                model_worker_name(m, o->owner));
	return unit_say(buf, n, TH_BLOCKED, _("%s (free; another is first in line)"), o->name);
}

const struct unit_kind unit_kind_MUTEX = {
	.pane = UNIT_PANE_LOCKS,
	.holdable = 1,
	.acquired = mutex_acquired,
	.released = mutex_released,
	.say_blocked = lock_say_blocked,
	.json_blocked = lock_json_blocked,
	.json_object = mutex_json,
	.say_waits = lock_waits,
};

const struct unit_kind unit_kind_RLOCK = {
	.pane = UNIT_PANE_LOCKS,
	.holdable = 1,
	.acquired = rlock_acquired,
	.released = rlock_released,
	.say_blocked = lock_say_blocked,
	.json_blocked = lock_json_blocked,
	.json_object = rlock_json,
	.say_waits = lock_waits,
};

/* A read-write lock: owner is its writer (-1: none), count its readers,
 * counted here (readers come and go in any order); every holder holds it
 * once (model_hold_add). RELEASED's a2 says which hold went. */
/* "R1, R2" (the readers but except), or "" */
static const char *rwlock_reader_names(const struct model *m, int oid, int except, char *buf,
                                       size_t n)
{
	const struct m_object *o = model_object(m, oid);
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; o && i < m->nw && len < n; i++)
		if (i != o->owner && i != except && model_hold_units(&m->w[i], oid) > 0)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "",
			                        model_worker_name(m, i));
	return buf;
}

static void rwlock_acquired(struct model *m, struct m_worker *w, struct m_object *o,
                            const struct ls_event *ev)
{
	model_hold_add(m, w, ev->object);
	if (ev->u.a[0] == LS_OP_RWLOCK_RD) {
		o->count++;
		return;
	}
	if (!model_owner_stale(o, ev))
		o->owner = ev->worker;
}

static void rwlock_released(struct model *m, struct m_worker *w, struct m_object *o,
                            const struct ls_event *ev)
{
	if (!model_hold_remove(w, ev->object))
		m->anomalies++; /* released what it never held */
	if (ev->u.a[2] == LS_OP_RWLOCK_RD) {
		if (o->count > 0)
			o->count--;
		return;
	}
	if (!model_owner_stale(o, ev) && o->owner == ev->worker)
		o->owner = -1;
}

/* "held for writing by W" or "read by R1, R2" (the holders but except) */
static int rwlock_holders(const struct model *m, int oid, int except, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, oid);
	char names[256];
	if (o->owner >= 0 && o->owner != except)
		return snprintf(buf, n, _("held for writing by %s"), model_worker_name(m, o->owner)) > 0;
	if (*rwlock_reader_names(m, oid, except, names, sizeof names))
		return snprintf(buf, n, _("read by %s"), names) > 0;
	buf[0] = '\0';
	return 0;
}

static int rwlock_say_blocked(const struct model *m, const struct ls_event *ev, char *buf,
                              size_t n)
{
	const char *w = model_worker_name(m, ev->worker);
	const char *name = model_object_name(m, ev->object);
	char who[300];
	int writer = ev->u.a[0] == LS_OP_RWLOCK_WR;
	if (rwlock_holders(m, ev->object, ev->worker, who, sizeof who))
		return unit_say(buf, n, TH_BLOCKED,
		                writer ? _("%s waits to write %s, %s") : _("%s waits to read %s, %s"), w,
		                name, who);
	return unit_say(buf, n, TH_BLOCKED, writer ? _("%s waits to write %s") : _("%s waits to read %s"),
	                w, name);
}

static int rwlock_say_acquired(const struct model *m, const struct ls_event *ev, char *buf,
                               size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = model_worker_name(m, ev->worker);
	if (ev->u.a[0] == LS_OP_RWLOCK_WR)
		return unit_say(buf, n, TH_GOOD, _("%s writes %s, alone"), w, o->name);
	return unit_say(buf, n, TH_GOOD,
	                PL_("%s reads %s (%d reader in)", "%s reads %s (%d readers in)", o->count), w,
	                o->name, o->count);
}

static int rwlock_say_released(const struct model *m, const struct ls_event *ev, char *buf,
                               size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = model_worker_name(m, ev->worker);
	if (ev->u.a[2] != LS_OP_RWLOCK_RD)
		return unit_say(buf, n, TH_NORMAL, _("%s finished writing %s"), w, o->name);
	if (o->count == 0)
		return unit_say(buf, n, TH_NORMAL, _("%s finished reading %s, the last reader out"), w,
		                o->name);
	return unit_say(buf, n, TH_NORMAL,
	                PL_("%s finished reading %s (%d reader still in)",
	                    "%s finished reading %s (%d readers still in)", o->count),
	                w, o->name, o->count);
}

static int rwlock_waits(const struct model *m, int id, char *buf, size_t n)
{
	int oid = model_worker(m, id)->wait_obj;
	const char *name = model_object_name(m, oid);
	char who[300];
	if (rwlock_holders(m, oid, id, who, sizeof who))
		return unit_say(buf, n, TH_BLOCKED, "%s, %s", name, who);
	return unit_say(buf, n, TH_BLOCKED, _("%s (free; another is first in line)"), name);
}

static void rwlock_json_readers(struct jw *j, const struct model *m, int oid)
{
	const struct m_object *o = model_object(m, oid);
	jw_key(j, "readers");
	jw_begin(j, '[');
	for (int i = 0; i < m->nw; i++)
		if (i != o->owner && model_hold_units(&m->w[i], oid) > 0)
			jw_str(j, model_worker_name(m, i));
	jw_end(j, ']');
}

static void rwlock_json_blocked(struct jw *j, const struct model *m, const struct ls_event *ev)
{
	unit_json_name(j, "writer", m, 0, model_object(m, ev->object)->owner);
	rwlock_json_readers(j, m, ev->object);
}

static void rwlock_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	unit_json_name(j, "writer", m, 0, o->owner);
	rwlock_json_readers(j, m, (int)(o - m->o));
	jw_kstr(j, "prefers", "readers");
}

static int rwlock_say_holders(const struct model *m, int oid, char *buf, size_t n)
{
	return rwlock_holders(m, oid, -1, buf, n);
}

const struct unit_kind unit_kind_RWLOCK = {
	.pane = UNIT_PANE_LOCKS,
	.holdable = 1,
	.say_holders = rwlock_say_holders,
	.acquired = rwlock_acquired,
	.released = rwlock_released,
	.say_blocked = rwlock_say_blocked,
	.say_acquired = rwlock_say_acquired,
	.say_released = rwlock_say_released,
	.json_blocked = rwlock_json_blocked,
	.json_object = rwlock_json,
	.say_waits = rwlock_waits,
};

/* count ourselves: in a free run the reported value can be stale */
static void sem_acquired(struct model *m, struct m_worker *w, struct m_object *o,
                         const struct ls_event *ev)
{
	o->value--;
	model_hold_add(m, w, ev->object);
}

static void sem_released(struct model *m, struct m_worker *w, struct m_object *o,
                         const struct ls_event *ev)
{
	(void)m;
	o->value++;
	if (!model_hold_remove(w, ev->object)) /* a poster that never acquired holds nothing */
		o->unheld_posts++;
}

static int sem_say_blocked(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	return unit_say(buf, n, TH_BLOCKED, _("%s blocked on %s (value %lld)"),
	                model_worker_name(m, ev->worker), unit_kind_name(o, _("semaphore")),
	                (long long)o->value);
}

static int sem_say_acquired(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	return unit_say(buf, n, TH_GOOD, _("%s acquired %s (value now %lld)"),
	                model_worker_name(m, ev->worker), unit_kind_name(o, _("semaphore")),
	                (long long)o->value);
}

static int sem_say_released(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	return unit_say(buf, n, TH_NORMAL, _("%s released %s (value now %lld)"),
	                model_worker_name(m, ev->worker), unit_kind_name(o, _("semaphore")),
	                (long long)o->value);
}

static void value_json(struct jw *j, const struct model *m, const struct m_object *o)
{
	jw_kint(j, "value", o->value);
}

static int sem_waits(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, model_worker(m, id)->wait_obj);
	if (o->value > 0)
		return unit_say(buf, n, TH_BLOCKED, _("%s (value %lld; others are first in line)"),
		                o->name, (long long)o->value);
	return unit_say(buf, n, TH_BLOCKED, _("%s (value %lld)"), o->name, (long long)o->value);
}

const struct unit_kind unit_kind_SEM = {
	.pane = UNIT_PANE_SEMS,
	.holdable = 1,
	.acquired = sem_acquired,
	.released = sem_released,
	.say_blocked = sem_say_blocked,
	.say_acquired = sem_say_acquired,
	.say_released = sem_say_released,
	.json_object = value_json,
	.say_waits = sem_waits,
};

static int cond_say_blocked(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("%s waits on %s"), model_worker_name(m, ev->worker),
	                unit_kind_name(model_object(m, ev->object), _("condition")));
}

static int cond_waits(const struct model *m, int id, char *buf, size_t n)
{
	return unit_say(buf, n, TH_WAITING, _("a notify on %s"),
	                model_object_name(m, model_worker(m, id)->wait_obj));
}

const struct unit_kind unit_kind_COND = {
	.pane = UNIT_PANE_LOCKS,
	.say_blocked = cond_say_blocked,
	.say_waits = cond_waits,
};
