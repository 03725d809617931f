/* model: the pure fold. See model.h. No I/O, no clock: only memory. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[LS_WS_COUNT] = {
#define X(e, s) [LS_WS_##e] = s,
	LS_WSTATES(X)
#undef X
};

const char *model_state_name(enum ls_wstate s)
{
	return (unsigned)s < LS_WS_COUNT ? state_names[s] : "?";
}

void model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
	m->mode = LS_MODE_STEP;
	m->global_say.worker = -1;
}

void model_free(struct model *m)
{
	for (int i = 0; i < m->no; i++)
		free(m->o[i].waiters);
	free(m->o);
	free(m->w);
	memset(m, 0, sizeof *m);
}

static void *grow(void *p, int *cap, int need, size_t elem)
{
	int n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	void *q = realloc(p, (size_t)n * elem);
	if (!q)
		abort(); /* out of memory in a fold of at most a few MB */
	memset((char *)q + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
	*cap = n;
	return q;
}

static struct m_worker *worker_at(struct model *m, int id)
{
	if (id < 0 || id >= LS_MAX_WORKERS)
		return NULL;
	if (id >= m->capw)
		m->w = grow(m->w, &m->capw, id + 1, sizeof *m->w);
	while (m->nw <= id) {
		struct m_worker *w = &m->w[m->nw];
		memset(w, 0, sizeof *w);
		snprintf(w->name, sizeof w->name, "w%d", m->nw);
		w->parent = -1;
		w->op_obj = w->wait_obj = w->wait_worker = -1;
		w->reaped_by = -1;
		m->nw++;
	}
	return &m->w[id];
}

static struct m_object *object_at(struct model *m, int id)
{
	if (id < 0 || id >= LS_MAX_OBJECTS)
		return NULL;
	if (id >= m->capo)
		m->o = grow(m->o, &m->capo, id + 1, sizeof *m->o);
	while (m->no <= id) {
		struct m_object *o = &m->o[m->no];
		memset(o, 0, sizeof *o);
		snprintf(o->name, sizeof o->name, "o%d", m->no);
		o->owner = -1;
		o->aux = -1;
		m->no++;
	}
	return &m->o[id];
}

const struct m_worker *model_worker(const struct model *m, int id)
{
	return id >= 0 && id < m->nw ? &m->w[id] : NULL;
}

const struct m_object *model_object(const struct model *m, int id)
{
	return id >= 0 && id < m->no ? &m->o[id] : NULL;
}

const char *model_worker_name(const struct model *m, int id)
{
	const struct m_worker *w = model_worker(m, id);
	return w ? w->name : "?";
}

const char *model_object_name(const struct model *m, int id)
{
	const struct m_object *o = model_object(m, id);
	return o ? o->name : "?";
}

/* ---- waiter lists ---- */

static void waiter_add(struct m_object *o, int w)
{
	for (int i = 0; i < o->nwaiters; i++)
		if (o->waiters[i] == w)
			return;
	if (o->nwaiters == o->capwaiters)
		o->waiters = grow(o->waiters, &o->capwaiters, o->nwaiters + 1, sizeof(int));
	o->waiters[o->nwaiters++] = w;
}

static void waiter_remove(struct m_object *o, int w)
{
	for (int i = 0; i < o->nwaiters; i++)
		if (o->waiters[i] == w) {
			memmove(&o->waiters[i], &o->waiters[i + 1],
			        (size_t)(o->nwaiters - i - 1) * sizeof(int));
			o->nwaiters--;
			return;
		}
}

/* The worker stops waiting for whatever it waited for. */
static void unwait(struct model *m, struct m_worker *w, int id)
{
	struct m_object *o = w->wait_obj >= 0 ? object_at(m, w->wait_obj) : NULL;
	if (o)
		waiter_remove(o, id);
	w->wait_obj = -1;
	w->wait_worker = -1;
	w->wait_op = LS_OP_NONE;
	w->deadline = 0;
	w->notified = 0;
}

static void hold_add(struct m_worker *w, int obj)
{
	if (w->nholds < LS_HOLDS_MAX)
		w->holds[w->nholds++] = obj;
}

static int hold_remove(struct m_worker *w, int obj)
{
	for (int i = 0; i < w->nholds; i++)
		if (w->holds[i] == obj) {
			memmove(&w->holds[i], &w->holds[i + 1],
			        (size_t)(w->nholds - i - 1) * sizeof(int));
			w->nholds--;
			return 1;
		}
	return 0;
}

static int holds(const struct m_worker *w, int obj)
{
	for (int i = 0; i < w->nholds; i++)
		if (w->holds[i] == obj)
			return 1;
	return 0;
}

/* ---- narration ---- */

static void say_push(struct model *m, int worker, int output, const char *text)
{
	struct m_say *s = &m->says[m->nsays % LS_SAYS_N];
	s->worker = worker;
	s->output = output;
	snprintf(s->text, sizeof s->text, "%s", text);
	m->nsays++;
}

static void say_chunk(struct model *m, const struct ls_event *ev, int output)
{
	char *buf;
	size_t *len, glen;
	if (ev->worker >= 0 && !output) {
		struct m_worker *w = worker_at(m, ev->worker);
		buf = w->say;
		len = &w->say_len;
	} else {
		buf = m->global_say.text;
		glen = strlen(buf);
		len = &glen;
	}
	size_t add = strnlen(ev->u.s.text, LS_EV_TEXT);
	if (*len + add >= LS_SAY_MAX)
		add = LS_SAY_MAX - 1 - *len;
	memcpy(buf + *len, ev->u.s.text, add);
	*len += add;
	buf[*len] = '\0';
	if (ev->u.s.a0 == 0) { /* last chunk */
		say_push(m, output ? -1 : ev->worker, output, buf);
		*len = 0;
		buf[0] = '\0';
	}
}

/* ---- the fold ---- */

/* Everyone waiting on o at this moment may go on (an event set, a barrier
 * tripped, a future resolved): they stay parked at their gates, RUNNABLE,
 * until the scheduler lets them retry. */
static void wake_all_waiters(struct model *m, struct m_object *o)
{
	for (int i = 0; i < o->nwaiters; i++) {
		struct m_worker *t = worker_at(m, o->waiters[i]);
		if (!t)
			continue;
		t->notified = 1;
		t->state = LS_WS_RUNNABLE;
	}
	o->nwaiters = 0;
}

static enum ls_wstate blocked_state(int op, int64_t deadline)
{
	if (deadline > 0 || op == LS_OP_SLEEP)
		return LS_WS_TIMED_WAITING;
	switch (op) {
	case LS_OP_LOCK:
	case LS_OP_TRYLOCK:
	case LS_OP_SEM_WAIT:
		return LS_WS_BLOCKED;
	default:
		return LS_WS_WAITING;
	}
}

static void apply_acquired(struct model *m, struct m_worker *w, int wid,
                           struct m_object *o, const struct ls_event *ev)
{
	int oid = ev->object;
	switch (o->kind) {
	case LS_OBJ_MUTEX:
		if (o->owner >= 0 && o->owner != wid)
			m->anomalies++;
		o->owner = wid;
		o->count = 1;
		hold_add(w, oid);
		break;
	case LS_OBJ_RLOCK:
		if (o->owner >= 0 && o->owner != wid)
			m->anomalies++;
		o->owner = wid;
		o->count = (int)ev->u.a[1];
		if (!holds(w, oid))
			hold_add(w, oid);
		break;
	case LS_OBJ_SEM:
		/* count ourselves: in a free run the reported value can be stale */
		o->value--;
		hold_add(w, oid);
		break;
	default:
		o->value = ev->u.a[1];
		break;
	}
}

static void apply_released(struct model *m, struct m_worker *w, int wid,
                           struct m_object *o, const struct ls_event *ev)
{
	int oid = ev->object;
	switch (o->kind) {
	case LS_OBJ_MUTEX:
		if (o->owner != wid)
			m->anomalies++;
		o->owner = -1;
		o->count = 0;
		hold_remove(w, oid);
		break;
	case LS_OBJ_RLOCK:
		o->count = (int)ev->u.a[1];
		if (o->count <= 0) {
			o->owner = -1;
			o->count = 0;
			hold_remove(w, oid);
		}
		break;
	case LS_OBJ_SEM:
		o->value++;
		hold_remove(w, oid); /* a poster that never acquired holds nothing */
		break;
	default:
		o->value = ev->u.a[1];
		break;
	}
}

static void apply_done(struct model *m, struct m_worker *w, const struct ls_event *ev)
{
	struct m_object *o = ev->object >= 0 ? object_at(m, ev->object) : NULL;
	int64_t v = ev->u.a[1];
	switch (ev->u.a[0]) {
	case LS_OP_PUT:
		if (!o)
			break;
		if (o->nitems < LS_QUEUE_MAX)
			o->items[o->nitems++] = v;
		else
			m->anomalies++;
		o->puts++;
		break;
	case LS_OP_GET:
		if (!o)
			break;
		if (o->nitems == 0 || o->items[0] != v)
			m->anomalies++;
		if (o->nitems > 0) {
			memmove(&o->items[0], &o->items[1],
			        (size_t)(o->nitems - 1) * sizeof o->items[0]);
			o->nitems--;
		}
		o->gets++;
		break;
	case LS_OP_READ:
		w->last_read = v;
		w->has_read = 1;
		break;
	case LS_OP_WRITE:
		if (o) {
			o->value = v;
			o->writes++;
		}
		break;
	case LS_OP_START:
		if (!o && w->tid == 0 && ev->u.a[2])
			w->tid = v; /* the worker's own START: its thread id */
		break;
	/* thread primitives: add DONE cases here */
	case LS_OP_EVENT_SET:
		if (!o)
			break;
		o->value = 1;
		wake_all_waiters(m, o);
		break;
	case LS_OP_EVENT_CLEAR:
		if (o)
			o->value = 0;
		break;
	case LS_OP_BARRIER_WAIT:
		if (o && ev->u.a[2]) { /* the last party arrived: the round passes */
			o->value = v;
			wake_all_waiters(m, o);
		}
		break;
	case LS_OP_FUTURE_SET:
		if (!o)
			break;
		if (o->count)
			m->anomalies++;
		o->value = v;
		o->count = 1;
		wake_all_waiters(m, o);
		break;
	case LS_OP_FUTURE_GET:
	case LS_OP_LOCAL_GET:
		w->last_read = v;
		w->has_read = 1;
		break;
	case LS_OP_LOCAL_SET:
		if (o)
			o->writes++;
		break;
	case LS_OP_EVENT_WAIT:
	case LS_OP_USER_WAIT:
		break;
	case LS_OP_WORK:
	case LS_OP_SLEEP:
		break;
	/* process and IPC primitives: add DONE cases here */
	default:
		if (o && ev->u.a[2])
			o->value = v; /* a generic op that reports a new value */
		break;
	}
}

void model_apply(struct model *m, const struct ls_event *ev)
{
	m->events++;
	if (m->t_first == 0)
		m->t_first = ev->t_ns;
	if (ev->t_ns > m->t_last)
		m->t_last = ev->t_ns;
	m->log[m->nlog % LS_LOG_N] = *ev;
	m->nlog++;

	struct m_worker *w = ev->worker >= 0 ? worker_at(m, ev->worker) : NULL;
	struct m_object *o = ev->object >= 0 ? object_at(m, ev->object) : NULL;
	if (w)
		w->events++;
	const int64_t *a = ev->u.a;

	switch ((enum ls_ev_type)ev->type) {
	case LS_EV_HELLO:
		m->host_pid = a[0];
		break;
	case LS_EV_WORKER:
		w->declared = 1;
		w->kind = (int)a[0];
		w->flags = (int)a[1];
		w->parent = (int)a[2];
		w->state = LS_WS_NEW;
		w->gate = LS_GATE_NONE;
		break;
	case LS_EV_OBJECT:
		o->declared = 1;
		o->kind = (int)a[0];
		o->value = o->initial = a[1];
		o->cap = a[2];
		o->aux = (int)a[3];
		break;
	case LS_EV_NAME:
		if (ev->u.s.a0 == LS_NAME_WORKER && w)
			snprintf(w->name, sizeof w->name, "%s", ev->u.s.text);
		else if (ev->u.s.a0 == LS_NAME_OBJECT && o)
			snprintf(o->name, sizeof o->name, "%s", ev->u.s.text);
		break;
	case LS_EV_SPAWN:
		w->pid = a[0];
		w->tid = a[1];
		w->ppid = a[2];
		w->state = LS_WS_RUNNABLE;
		w->gate = LS_GATE_MOVING;
		break;
	case LS_EV_WANT:
		unwait(m, w, ev->worker);
		w->op = (int)a[0];
		w->op_obj = ev->object;
		w->op_arg = a[1];
		w->state = LS_WS_RUNNABLE;
		w->gate = LS_GATE_READY;
		break;
	case LS_EV_BLOCKED:
		if (w->wait_obj != ev->object)
			unwait(m, w, ev->worker);
		w->wait_op = (int)a[0];
		w->wait_obj = ev->object;
		w->deadline = a[2];
		w->wait_worker = a[0] == LS_OP_JOIN ? (int)a[3] : -1;
		w->notified = 0;
		w->state = blocked_state((int)a[0], a[2]);
		w->gate = a[1] ? LS_GATE_PARKED : LS_GATE_KERNEL;
		if (o)
			waiter_add(o, ev->worker);
		break;
	case LS_EV_ACQUIRED:
		unwait(m, w, ev->worker);
		apply_acquired(m, w, ev->worker, o, ev);
		w->state = LS_WS_RUNNABLE;
		w->gate = LS_GATE_MOVING;
		break;
	case LS_EV_RELEASED:
		apply_released(m, w, ev->worker, o, ev);
		break;
	case LS_EV_DONE:
		unwait(m, w, ev->worker);
		apply_done(m, w, ev);
		w->state = LS_WS_RUNNABLE;
		w->gate = LS_GATE_MOVING;
		break;
	case LS_EV_NOTIFY:
		if (a[1] >= 0) {
			struct m_worker *t = worker_at(m, (int)a[1]);
			if (!t) {
				m->anomalies++;
				break;
			}
			waiter_remove(o, (int)a[1]);
			/* the woken waiter must now win its mutex back */
			int mx = o->aux;
			t->wait_op = LS_OP_LOCK;
			t->wait_obj = mx;
			t->deadline = 0;
			t->notified = 1;
			t->state = LS_WS_BLOCKED;
			if (mx >= 0)
				waiter_add(object_at(m, mx), (int)a[1]);
		}
		break;
	case LS_EV_TIMEOUT:
		unwait(m, w, ev->worker);
		w->state = LS_WS_RUNNABLE;
		w->gate = LS_GATE_MOVING;
		break;
	case LS_EV_SAY:
		say_chunk(m, ev, 0);
		break;
	case LS_EV_OUTPUT:
		say_chunk(m, ev, 1);
		break;
	case LS_EV_EXIT:
		unwait(m, w, ev->worker);
		w->exit_code = (int)a[0];
		w->exit_how = (int)a[1];
		w->state = w->kind == LS_WK_PROCESS ? LS_WS_ZOMBIE : LS_WS_TERMINATED;
		w->gate = LS_GATE_NONE;
		break;
	case LS_EV_REAPED:
		unwait(m, w, ev->worker);
		w->wait_status = a[0];
		w->reaped_by = (int)a[1];
		w->state = LS_WS_TERMINATED;
		w->gate = LS_GATE_NONE;
		break;
	case LS_EV_CRASH:
		m->crashed = 1;
		m->crash_signal = (int)a[0];
		m->crash_worker = ev->worker;
		break;
	case LS_EV_END:
		m->ended = 1;
		m->end_status = (int)a[0];
		break;
	case LS_EV_GRANT:
		w->gate = LS_GATE_MOVING;
		w->steps++;
		m->steps++;
		break;
	case LS_EV_CLOCK:
		m->vclock = a[0];
		break;
	case LS_EV_MODE:
		m->mode = (int)a[0];
		break;
	/* thread primitives: add event types here */
	case LS_EV_USER:
		m->presses = (uint64_t)a[0];
		break;
	case LS_EV_NONE:
	case LS_EV_COUNT:
		m->anomalies++;
		break;
	/* process and IPC primitives: add event types here */
	}
}

/* ---- questions the engine and analysis ask ---- */

int model_live(const struct model *m, int id)
{
	const struct m_worker *w = model_worker(m, id);
	return w && w->declared && w->state != LS_WS_NEW &&
	       w->state != LS_WS_TERMINATED && w->state != LS_WS_ZOMBIE;
}

/* Is what the worker waits for available to it now? */
static int available(const struct model *m, const struct m_worker *w, int id)
{
	if (w->deadline > 0 && m->vclock >= w->deadline && w->gate == LS_GATE_PARKED)
		return 1;
	if (w->wait_op == LS_OP_USER_WAIT)
		return m->presses > (uint64_t)w->op_arg;
	if (w->wait_op == LS_OP_JOIN) {
		const struct m_worker *t = model_worker(m, w->wait_worker);
		return t && (t->state == LS_WS_TERMINATED || t->state == LS_WS_ZOMBIE);
	}
	const struct m_object *o = model_object(m, w->wait_obj);
	if (!o)
		return 0;
	switch (w->wait_op) {
	case LS_OP_LOCK:
	case LS_OP_TRYLOCK:
		if (o->kind == LS_OBJ_RLOCK)
			return o->owner < 0 || o->owner == id;
		return o->owner < 0;
	case LS_OP_SEM_WAIT:
		return o->value > 0;
	case LS_OP_GET:
		return o->nitems > 0;
	case LS_OP_PUT:
		return o->nitems < o->cap;
	/* thread primitives: add availability cases here */
	case LS_OP_EVENT_WAIT:
		return o->value != 0 || w->notified;
	case LS_OP_BARRIER_WAIT:
		return w->notified;
	case LS_OP_FUTURE_GET:
		return o->count != 0;
	case LS_OP_COND_WAIT:
		return 0; /* only a notify moves a condition waiter */
	/* process and IPC primitives: add availability cases here */
	default:
		return 0;
	}
}

/* Some worker that is not a daemon is still live: the program goes on. */
static int nondaemon_live(const struct model *m)
{
	for (int i = 0; i < m->nw; i++)
		if (model_live(m, i) && !(m->w[i].flags & LS_WF_DAEMON))
			return 1;
	return 0;
}

int model_eligible(const struct model *m, int id)
{
	if (!model_live(m, id))
		return 0;
	const struct m_worker *w = &m->w[id];
	/* once the last non-daemon has ended, daemons are being stopped: no
	 * more steps for them, so where they stop does not depend on timing */
	if ((w->flags & LS_WF_DAEMON) && !nondaemon_live(m))
		return 0;
	if (w->gate == LS_GATE_READY)
		return 1;
	if (w->gate == LS_GATE_PARKED)
		return available(m, w, id);
	return 0;
}

int model_blocked(const struct model *m, int id)
{
	if (!model_live(m, id))
		return 0;
	const struct m_worker *w = &m->w[id];
	if (w->gate == LS_GATE_PARKED)
		return !available(m, w, id);
	if (w->gate == LS_GATE_KERNEL)
		return !available(m, w, id);
	return 0;
}

int model_settled(const struct model *m)
{
	for (int i = 0; i < m->nw; i++)
		if (model_live(m, i) &&
		    (m->w[i].gate == LS_GATE_MOVING || m->w[i].gate == LS_GATE_KERNEL))
			return 0;
	return 1;
}

int64_t model_next_deadline(const struct model *m)
{
	int64_t best = 0;
	for (int i = 0; i < m->nw; i++) {
		const struct m_worker *w = &m->w[i];
		if (model_live(m, i) && w->gate == LS_GATE_PARKED && w->deadline > 0 &&
		    (best == 0 || w->deadline < best))
			best = w->deadline;
	}
	return best;
}
