/* model: the pure fold. See model.h. No I/O, no clock: only memory. */
#include "model.h"
#include "unit.h"

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
	for (int i = 0; i < LS_SAY_OPEN; i++)
		m->open_says[i].worker = -2;
}

void model_free(struct model *m)
{
	model_reset(m);
	free(m->o);
	free(m->w);
	memset(m, 0, sizeof *m);
}

void model_reset(struct model *m)
{
	for (int i = 0; i < m->no; i++) {
		free(m->o[i].waiters);
		free(m->o[i].roles);
		free(m->o[i].texts);
		free(m->o[i].slots);
	}
	struct m_worker *w = m->w;
	struct m_object *o = m->o;
	int capw = m->capw, capo = m->capo;
	model_init(m); /* an entry past nw or no is set up when first used */
	m->w = w;
	m->o = o;
	m->capw = capw;
	m->capo = capo;
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

/* One entry per object, with a count of units: a consumer that takes many
 * units of a semaphore must not crowd out the lock it takes next. */
void model_hold_add(struct model *m, struct m_worker *w, int obj)
{
	for (int i = 0; i < w->nholds; i++)
		if (w->holds[i] == obj) {
			w->hold_units[i]++;
			return;
		}
	if (w->nholds == LS_HOLDS_MAX) {
		m->anomalies++; /* more distinct objects than we can show */
		return;
	}
	w->holds[w->nholds] = obj;
	w->hold_units[w->nholds++] = 1;
}

int model_hold_remove(struct m_worker *w, int obj)
{
	for (int i = 0; i < w->nholds; i++)
		if (w->holds[i] == obj) {
			if (--w->hold_units[i] > 0)
				return 1;
			memmove(&w->holds[i], &w->holds[i + 1],
			        (size_t)(w->nholds - i - 1) * sizeof(int));
			memmove(&w->hold_units[i], &w->hold_units[i + 1],
			        (size_t)(w->nholds - i - 1) * sizeof(int));
			w->nholds--;
			return 1;
		}
	return 0;
}

int model_hold_units(const struct m_worker *w, int obj)
{
	for (int i = 0; i < w->nholds; i++)
		if (w->holds[i] == obj)
			return w->hold_units[i];
	return 0;
}

/* ---- roles, for the deadlock analysis ----
 *
 * Which record makes a worker a giver or a taker of an object: the unit of
 * the record's operation says (unit_op()->role), in O(1) per event. */
static void note_role(struct model *m, const struct ls_event *ev)
{
	if (ev->worker < 0 || ev->object < 0 || ev->worker >= LS_MAX_WORKERS ||
	    ev->type >= LS_EV_COUNT || ev->u.a[0] < 0 || ev->u.a[0] >= LS_OP_COUNT)
		return;
	unsigned role = unit_op((int)ev->u.a[0])->role[ev->type];
	if (!role)
		return;
	struct m_object *o = object_at(m, ev->object);
	if (!o || o->kind == LS_OBJ_VALUE)
		return; /* nobody ever waits on a shared value */
	if (ev->worker >= o->nroles) {
		int cap = o->nroles;
		o->roles = grow(o->roles, &cap, ev->worker + 1, 1);
		o->nroles = cap;
	}
	o->roles[ev->worker] |= (unsigned char)role;
}

unsigned model_roles(const struct model *m, int obj, int w)
{
	const struct m_object *o = model_object(m, obj);
	return o && w >= 0 && w < o->nroles ? o->roles[w] : 0;
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

/* The narration a worker is reassembling: its open slot, else a free one,
 * else the one opened longest ago, whose text so far becomes a line now. */
static struct m_say_open *say_open(struct model *m, int worker)
{
	struct m_say_open *free_slot = NULL, *oldest = &m->open_says[0];
	for (int i = 0; i < LS_SAY_OPEN; i++) {
		struct m_say_open *s = &m->open_says[i];
		if (s->worker == worker)
			return s;
		if (s->worker == -2 && !free_slot)
			free_slot = s;
		if (s->opened < oldest->opened)
			oldest = s;
	}
	if (!free_slot) {
		say_push(m, oldest->worker, oldest->output, oldest->text);
		free_slot = oldest;
	}
	free_slot->worker = worker;
	free_slot->opened = m->events;
	free_slot->len = 0;
	free_slot->text[0] = '\0';
	return free_slot;
}

static void say_chunk(struct model *m, const struct ls_event *ev, int output)
{
	int worker = ev->worker >= 0 ? ev->worker : -1;
	if (worker >= 0 && !worker_at(m, worker))
		return;
	struct m_say_open *s = say_open(m, worker);
	int add = (int)strnlen(ev->u.s.text, LS_EV_TEXT);
	if (s->len + add >= LS_SAY_MAX)
		add = LS_SAY_MAX - 1 - s->len;
	s->output = output;
	memcpy(s->text + s->len, ev->u.s.text, (size_t)add);
	s->len += add;
	s->text[s->len] = '\0';
	if (!(ev->u.s.a0 & LS_TEXT_MORE)) { /* last chunk */
		if (output && (ev->u.s.a0 & LS_TEXT_FATAL))
			snprintf(m->fatal, sizeof m->fatal, "%s", s->text);
		say_push(m, worker, output, s->text);
		s->worker = -2;
		s->len = 0;
		s->text[0] = '\0';
	}
}

/* ---- processes and IPC ---- */

int model_end_holders(const struct m_object *o, int end)
{
	int n = 0;
	for (int i = 0; i < o->nends; i++)
		n += (o->ends[i].mask & end) != 0;
	return n;
}

static void ends_set(struct m_object *o, int worker, int mask)
{
	for (int i = 0; i < o->nends; i++)
		if (o->ends[i].worker == worker) {
			int added = mask & ~o->ends[i].mask;
			if (added & LS_END_READ)
				o->opens[LS_END_READ]++;
			if (added & LS_END_WRITE)
				o->opens[LS_END_WRITE]++;
			if (mask) {
				o->ends[i].mask = mask;
			} else {
				memmove(&o->ends[i], &o->ends[i + 1],
				        (size_t)(o->nends - i - 1) * sizeof o->ends[0]);
				o->nends--;
			}
			return;
		}
	if (mask & LS_END_READ)
		o->opens[LS_END_READ]++;
	if (mask & LS_END_WRITE)
		o->opens[LS_END_WRITE]++;
	if (mask && o->nends < LS_ENDS_MAX) {
		o->ends[o->nends].worker = worker;
		o->ends[o->nends].mask = mask;
		o->nends++;
	}
}

/* A worker that ends holds nothing any more. A lock keeps its dead owner
 * (the next taker is told EOWNERDEAD); a semaphore's units are gone for
 * good, and counted as such. */
static void drop_holds(struct model *m, struct m_worker *w)
{
	for (int k = 0; k < w->nholds; k++) {
		struct m_object *o = object_at(m, w->holds[k]);
		if (o && o->kind == LS_OBJ_SEM)
			o->abandoned += w->hold_units[k];
	}
	w->nholds = 0;
}

/* A process that ends closes every descriptor it had. */
static void drop_ends(struct model *m, int worker)
{
	if (m->w[worker].kind != LS_WK_PROCESS)
		return;
	for (int i = 0; i < m->no; i++)
		if (m->o[i].nends)
			ends_set(&m->o[i], worker, 0);
}

/* ---- thread-local slots ---- */

int model_local_slot(const struct m_object *o, int worker, int64_t *value)
{
	if (!o || worker < 0 || worker >= o->nslots || !o->slots[worker].set)
		return 0;
	*value = o->slots[worker].value;
	return 1;
}

void model_local_store(struct m_object *o, int worker, int64_t value)
{
	if (worker < 0 || worker >= LS_MAX_WORKERS)
		return;
	if (worker >= o->nslots) /* new slots are zero: not set */
		o->slots = grow(o->slots, &o->nslots, worker + 1, sizeof *o->slots);
	o->slots[worker] = (struct m_slot){value, 1};
}

/* ---- item texts (lockstep run) ---- */

static int item_inside(const struct m_object *o, int64_t v)
{
	for (int k = 0; k < o->nitems; k++)
		if (o->items[k] == v)
			return 1;
	return 0;
}

/* Keep v's text: in its own slot if it has one, else a free slot, else
 * that of an item no longer inside, else the oldest (the table is full of
 * items still inside: the oldest of them shows as its number). */
static void item_text(struct m_object *o, int64_t v, const char *text)
{
	if (!o->texts) {
		o->texts = calloc(LS_ITEM_TEXTS, sizeof *o->texts);
		if (!o->texts)
			abort(); /* as the model's own growth does */
		o->ntexts = 0;
	}
	int at = -1;
	for (int k = 0; k < o->ntexts && at < 0; k++)
		if (o->texts[k].item == v)
			at = k;
	if (at < 0 && o->ntexts < LS_ITEM_TEXTS)
		at = o->ntexts++;
	for (int k = 0; k < o->ntexts && at < 0; k++)
		if (!item_inside(o, o->texts[k].item))
			at = k;
	if (at < 0)
		at = 0;
	/* the newest last: a lookup finds the most recent first */
	memmove(&o->texts[at], &o->texts[at + 1], (size_t)(o->ntexts - 1 - at) * sizeof o->texts[0]);
	o->texts[o->ntexts - 1].item = v;
	snprintf(o->texts[o->ntexts - 1].text, sizeof o->texts[0].text, "%s", text);
}

const char *model_item_text(const struct m_object *o, int64_t v)
{
	if (!o || !o->texts)
		return NULL;
	for (int k = o->ntexts - 1; k >= 0; k--)
		if (o->texts[k].item == v)
			return o->texts[k].text;
	return NULL;
}

int model_item_is_text(const struct m_object *o, int64_t v)
{
	return model_item_text(o, v) || v >= LS_ITEM_TEXT_BASE;
}

int model_item_str(const struct m_object *o, int64_t v, char *buf, size_t n)
{
	const char *t = model_item_text(o, v);
	if (t)
		return snprintf(buf, n, "%s", t);
	if (v >= LS_ITEM_TEXT_BASE)
		return snprintf(buf, n, "#%lld", (long long)(v - LS_ITEM_TEXT_BASE));
	return snprintf(buf, n, "%lld", (long long)v);
}

void model_items_remove_front(struct model *m, struct m_object *o, int64_t v)
{
	if (o->nitems == 0 && o->overflow > 0) {
		o->overflow--; /* one of those too many to show */
		return;
	}
	if (o->nitems == 0 || o->items[0] != v)
		m->anomalies++;
	if (o->nitems > 0) {
		memmove(&o->items[0], &o->items[1], (size_t)(o->nitems - 1) * sizeof o->items[0]);
		memmove(&o->item_prio[0], &o->item_prio[1],
		        (size_t)(o->nitems - 1) * sizeof o->item_prio[0]);
		o->nitems--;
	}
}

/* Message queues keep higher priorities first, FIFO within one priority. */
void model_items_insert(struct model *m, struct m_object *o, int64_t v, int prio)
{
	if (o->kind != LS_OBJ_MQUEUE && (o->overflow > 0 || o->nitems >= LS_QUEUE_MAX)) {
		o->overflow++; /* a pipe can buffer 64 KiB: show the oldest, count the rest */
		return;
	}
	if (o->nitems >= LS_QUEUE_MAX) {
		m->anomalies++;
		return;
	}
	int at = o->nitems;
	while (at > 0 && o->item_prio[at - 1] < prio)
		at--;
	memmove(&o->items[at + 1], &o->items[at], (size_t)(o->nitems - at) * sizeof o->items[0]);
	memmove(&o->item_prio[at + 1], &o->item_prio[at],
	        (size_t)(o->nitems - at) * sizeof o->item_prio[0]);
	o->items[at] = v;
	o->item_prio[at] = prio;
	o->nitems++;
}

int model_is_channel(const struct m_object *o)
{
	return o && (o->kind == LS_OBJ_PIPE || o->kind == LS_OBJ_FIFO);
}

/* A signal was sent. A target that will run a handler, or die of it, is
 * moving until it reports (DESIGN.md, "Signals"). */
static void apply_signal(struct model *m, struct m_worker *sender, const struct ls_event *ev)
{
	const int64_t *a = ev->u.a;
	if (sender)
		sender->sigs_sent++;
	struct m_worker *t = worker_at(m, (int)a[0]);
	if (!t) {
		m->anomalies++;
		return;
	}
	if ((a[2] == LS_SIG_HANDLE || a[2] == LS_SIG_TERM) && model_live(m, (int)a[0]) &&
	    t->gate != LS_GATE_NONE)
		t->gate = LS_GATE_MOVING;
}

/* ---- the fold ---- */

/* Everyone waiting on o at this moment may go on (an event set, a barrier
 * tripped, a future resolved): they stay parked at their gates, RUNNABLE,
 * until the scheduler lets them retry. */
void model_wake_all_waiters(struct model *m, struct m_object *o)
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
	enum ls_wstate st = unit_op(op)->waits_as;
	if (deadline > 0 || st == LS_WS_TIMED_WAITING)
		return LS_WS_TIMED_WAITING;
	return st ? st : LS_WS_WAITING;
}

/* Workers batch their records, so in a free run T2's "acquired A" can reach
 * us before T1's "released A" that allowed it. Sequence numbers are taken
 * before a release and after an acquire, so the newer record wins the
 * owner; an older one only updates its own worker's holds. Step mode never
 * reorders: one worker moves at a time. */
int model_owner_stale(struct m_object *o, const struct ls_event *ev)
{
	if (o->owner_seq != 0 && (int32_t)(ev->seq - o->owner_seq) < 0)
		return 1;
	o->owner_seq = ev->seq ? ev->seq : 1;
	return 0;
}

void model_note_read(struct m_worker *w, int64_t v)
{
	w->last_read = v;
	w->has_read = 1;
}

/* ACQUIRED and RELEASED: the object's kind folds them; by default the
 * record reports the object's new value */
static void apply_hold(struct m_object *o, unit_fold_fn *fold, struct model *m,
                       struct m_worker *w, const struct ls_event *ev)
{
	if (!o)
		return;
	if (fold)
		fold(m, w, o, ev);
	else
		o->value = ev->u.a[1];
}

/* DONE: the operation folds it; a generic op (a scene's own) may report
 * the object's new value */
static void apply_done(struct model *m, struct m_worker *w, const struct ls_event *ev)
{
	struct m_object *o = ev->object >= 0 ? object_at(m, ev->object) : NULL;
	const struct unit_op *u = unit_op((int)ev->u.a[0]);
	if (u->done)
		u->done(m, w, o, ev);
	else if (o && ev->u.a[2])
		o->value = ev->u.a[1];
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
	if (!event_has_text(ev->type))
		note_role(m, ev);

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
		if (o->kind == LS_OBJ_ARRAY) /* cells, all starting at the value */
			for (o->nitems = 0; o->nitems < a[2] && o->nitems < LS_QUEUE_MAX; o->nitems++)
				o->items[o->nitems] = a[1];
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
		w->wait_worker = -1;
		if (unit_op((int)a[0])->blocked)
			unit_op((int)a[0])->blocked(m, w, o, ev);
		w->wait_op = (int)a[0];
		w->wait_obj = ev->object;
		w->deadline = a[2];
		w->notified = 0;
		w->state = blocked_state((int)a[0], a[2]);
		w->gate = a[1] ? LS_GATE_PARKED : LS_GATE_KERNEL;
		if (o)
			waiter_add(o, ev->worker);
		break;
	case LS_EV_ACQUIRED:
		unwait(m, w, ev->worker);
		apply_hold(o, unit_kind(o ? o->kind : -1)->acquired, m, w, ev);
		w->state = LS_WS_RUNNABLE;
		w->gate = LS_GATE_MOVING;
		break;
	case LS_EV_RELEASED:
		apply_hold(o, unit_kind(o ? o->kind : -1)->released, m, w, ev);
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
			/* the woken waiter must now win its mutex back; aux is
			 * untrusted, and making its object may move o (and every
			 * object) in memory: o is not used past here */
			int aux = o->aux;
			o = NULL;
			struct m_object *mo = object_at(m, aux);
			if (!mo) {
				/* no such mutex: woken, with nothing left to wait for */
				m->anomalies++;
				unwait(m, t, (int)a[1]);
				t->state = LS_WS_RUNNABLE;
				break;
			}
			t->wait_op = LS_OP_LOCK;
			t->wait_obj = aux;
			t->deadline = 0;
			t->notified = 1;
			t->state = LS_WS_BLOCKED;
			waiter_add(mo, (int)a[1]);
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
	case LS_EV_ITEM:
		item_text(o, a[0], ev->u.s.text);
		break;
	case LS_EV_WHERE:
		snprintf(w->where, sizeof w->where, "%s", ev->u.s.text);
		break;
	case LS_EV_EXIT:
		unwait(m, w, ev->worker);
		w->exit_code = (int)a[0];
		w->exit_how = (int)a[1];
		if (a[1] == LS_EXIT_SIGNALED)
			w->term_signal = (int)-a[0];
		w->state = w->kind == LS_WK_PROCESS ? LS_WS_ZOMBIE : LS_WS_TERMINATED;
		w->gate = LS_GATE_NONE;
		w->in_handler = 0;
		drop_ends(m, ev->worker);
		drop_holds(m, w);
		break;
	case LS_EV_REAPED:
		unwait(m, w, ev->worker);
		w->wait_status = a[0];
		w->reaped_by = (int)a[1];
		if (w->state != LS_WS_ZOMBIE && w->state != LS_WS_TERMINATED) {
			/* it died without a word (a signal): the wait status tells */
			int st = (int)a[0];
			if ((st & 0x7f) != 0 && (st & 0x7f) != 0x7f) {
				w->term_signal = st & 0x7f;
				w->exit_code = -(st & 0x7f);
				w->exit_how = LS_EXIT_SIGNALED;
			} else {
				w->exit_code = (st >> 8) & 0xff;
			}
		}
		w->in_handler = 0;
		drop_ends(m, ev->worker);
		drop_holds(m, w);
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
	case LS_EV_SIGNAL:
		apply_signal(m, w, ev);
		break;
	case LS_EV_DELIVERED:
		w->last_signal = (int)a[0];
		w->sigs_got++;
		/* its handler runs now: moving until it has, even if it said it
		 * waits after the signal was sent and before it came */
		if (model_live(m, ev->worker) && w->gate != LS_GATE_NONE)
			w->gate = LS_GATE_MOVING;
		break;
	case LS_EV_HANDLER:
		w->in_handler = (int)ev->u.s.a0;
		w->state = LS_WS_RUNNABLE;
		w->gate = LS_GATE_MOVING;
		break;
	case LS_EV_ENDS:
		ends_set(o, ev->worker, (int)a[0]);
		break;
	case LS_EV_ADOPTED:
		w->adopted = 1;
		w->ppid = a[0];
		w->parent = (int)a[1];
		break;
	}
}

/* ---- questions the engine and analysis ask ---- */

int model_live(const struct model *m, int id)
{
	const struct m_worker *w = model_worker(m, id);
	return w && w->declared && w->state != LS_WS_NEW &&
	       w->state != LS_WS_TERMINATED && w->state != LS_WS_ZOMBIE;
}

/* Someone waits in a FIFO's open for this end: the kernel pairs the two. */
int model_opening(const struct model *m, int obj, int op)
{
	for (int i = 0; i < m->nw; i++)
		if (model_live(m, i) && m->w[i].wait_obj == obj && m->w[i].wait_op == op)
			return 1;
	return 0;
}

/* How many live waiters for the same operation stand ahead of `id` in o's
 * queue (asked only when something is free, so a crowd waiting on an empty
 * object costs nothing). In a controlled run lockstep decides who wakes, first come first
 * served, so a queue drawn in order is the order kept; in a free run the
 * kernel picks, and every waiter has the same chance (rank 0). */
int model_queue_rank(const struct model *m, const struct m_object *o, int id, int op)
{
	if (m->mode != LS_MODE_STEP)
		return 0;
	int r = 0;
	for (int i = 0; i < o->nwaiters; i++) {
		int x = o->waiters[i];
		if (x == id)
			return r;
		const struct m_worker *t = model_worker(m, x);
		if (t && model_live(m, x) && t->wait_op == op)
			r++;
	}
	return r;
}

/* Is what the worker waits for available to it now? */
static int available(const struct model *m, const struct m_worker *w, int id)
{
	if (w->deadline > 0 && m->vclock >= w->deadline && w->gate == LS_GATE_PARKED)
		return 1;
	const struct unit_op *u = unit_op(w->wait_op);
	return u->available ? u->available(m, w, id, model_object(m, w->wait_obj)) : 0;
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

enum ls_wstate model_state(const struct model *m, int id)
{
	const struct m_worker *w = model_worker(m, id);
	if (!w)
		return LS_WS_NEW;
	if (!model_live(m, id))
		return w->state;
	/* granted a step or running its handler; or woken: it retries when it
	 * next moves */
	if (w->gate == LS_GATE_MOVING || model_woken(m, id))
		return LS_WS_RUNNABLE;
	return w->state;
}

int model_woken(const struct model *m, int id)
{
	const struct m_worker *w = model_worker(m, id);
	return w && model_live(m, id) && (w->gate == LS_GATE_PARKED || w->gate == LS_GATE_KERNEL) &&
	       available(m, w, id);
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
