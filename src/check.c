/* check: invariants of the model and the analysis. See check.h. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>

static int fail(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return 1;
}

static int is_waiting(enum ls_wstate s)
{
	return s == LS_WS_BLOCKED || s == LS_WS_WAITING || s == LS_WS_TIMED_WAITING;
}

static int listed(const struct m_object *o, int w)
{
	for (int i = 0; i < o->nwaiters; i++)
		if (o->waiters[i] == w)
			return 1;
	return 0;
}

static int is_lock(const struct m_object *o)
{
	return o->kind == LS_OBJ_MUTEX || o->kind == LS_OBJ_RLOCK;
}

static int64_t units_held(const struct model *m, int oid)
{
	int64_t n = 0;
	for (int i = 0; i < m->nw; i++)
		n += model_hold_units(&m->w[i], oid);
	return n;
}

static int check_worker(const struct model *m, int id, char *why, size_t n)
{
	const struct m_worker *w = &m->w[id];
	enum ls_wstate st = model_state(m, id);
	const char *name = w->name;
	if (st == LS_WS_TERMINATED || st == LS_WS_ZOMBIE) {
		if (w->nholds > 0)
			return fail(why, n, "%s has ended (%s) but still holds %s", name,
			            model_state_name(st), model_object_name(m, w->holds[0]));
		if (w->wait_obj >= 0 || w->wait_op != LS_OP_NONE)
			return fail(why, n, "%s has ended (%s) but still waits (%s on %s)", name,
			            model_state_name(st), event_op_name(w->wait_op),
			            model_object_name(m, w->wait_obj));
		return 0;
	}
	if (!model_live(m, id))
		return 0;
	if (model_woken(m, id) && is_waiting(st))
		return fail(why, n, "%s's wait is over but it is shown %s", name, model_state_name(st));
	if (is_waiting(st) && w->wait_obj >= 0 && w->wait_op != LS_OP_SLEEP) {
		const struct m_object *o = model_object(m, w->wait_obj);
		if (!o)
			return fail(why, n, "%s waits on object %d, which does not exist", name,
			            w->wait_obj);
		/* a woken barrier or event waiter has left the list: it is not
		 * waiting any more, so it is not shown as waiting */
		if (!listed(o, id))
			return fail(why, n, "%s is %s on %s, but %s does not list it as a waiter", name,
			            model_state_name(st), o->name, o->name);
	}
	if (st == LS_WS_BLOCKED && w->wait_op == LS_OP_NONE)
		return fail(why, n, "%s is BLOCKED on nothing", name);
	return 0;
}

static int check_object(const struct model *m, int oid, char *why, size_t n)
{
	const struct m_object *o = &m->o[oid];
	if (!o->declared)
		return 0;
	for (int i = 0; i < o->nwaiters; i++) {
		const struct m_worker *w = model_worker(m, o->waiters[i]);
		if (!w)
			return fail(why, n, "%s lists waiter %d, who does not exist", o->name,
			            o->waiters[i]);
		if (w->wait_obj != oid)
			return fail(why, n, "%s lists %s as a waiter, but %s waits for %s", o->name,
			            w->name, w->name,
			            w->wait_obj >= 0 ? model_object_name(m, w->wait_obj) : "nothing");
		if (!model_live(m, o->waiters[i]))
			return fail(why, n, "%s lists %s as a waiter, but %s has ended", o->name, w->name,
			            w->name);
	}
	if (is_lock(o)) {
		int first = -1; /* the first in line (it may be on its way already) */
		for (int i = 0; i < o->nwaiters && first < 0; i++) {
			const struct m_worker *w = &m->w[o->waiters[i]];
			if (w->wait_op == LS_OP_LOCK || w->wait_op == LS_OP_TRYLOCK)
				first = o->waiters[i];
		}
		int free = o->owner < 0 || !model_live(m, o->owner);
		const struct m_worker *fw = first >= 0 ? &m->w[first] : NULL;
		if (free && fw && (fw->gate == LS_GATE_PARKED || fw->gate == LS_GATE_KERNEL) &&
		    !model_woken(m, first))
			return fail(why, n, "%s is free, yet its first waiter %s is not woken", o->name,
			            m->w[first].name);
		if (o->owner >= 0 && model_live(m, o->owner)) {
			const struct m_worker *ow = &m->w[o->owner];
			if (!model_hold_units(ow, oid))
				return fail(why, n, "%s is owned by %s, who does not hold it", o->name,
				            ow->name);
		}
	}
	if (o->kind == LS_OBJ_RWLOCK) {
		/* readers or one writer, never both; every live reader holding it
		 * is counted (a reader that ended keeps its hold, uncounted
		 * below: the lock is not robust) */
		int readers = 0;
		for (int i = 0; i < m->nw; i++)
			if (i != o->owner && model_live(m, i) && model_hold_units(&m->w[i], oid) > 0)
				readers++;
		if (o->count < 0)
			return fail(why, n, "rwlock %s has %lld readers", o->name, (long long)o->count);
		if (o->owner >= 0 && o->count > 0)
			return fail(why, n, "rwlock %s is held for writing by %s and read by %lld at once",
			            o->name, model_worker_name(m, o->owner), (long long)o->count);
		if (o->count < readers)
			return fail(why, n, "rwlock %s counts %lld readers, but %d live workers read it",
			            o->name, (long long)o->count, readers);
	}
	if (o->kind == LS_OBJ_SEM) {
		if (o->value < 0)
			return fail(why, n, "semaphore %s has value %lld", o->name, (long long)o->value);
		/* a semaphore whose every post came from a holder lends a fixed
		 * number of units: free + held + left by the dead = the start */
		if (o->unheld_posts == 0) {
			int64_t held = units_held(m, oid);
			if (o->value + held + o->abandoned != o->initial)
				return fail(why, n,
				            "semaphore %s: %lld free + %lld held + %lld left by ended "
				            "workers != %lld at the start",
				            o->name, (long long)o->value, (long long)held,
				            (long long)o->abandoned, (long long)o->initial);
		}
	}
	if (o->kind == LS_OBJ_QUEUE || o->kind == LS_OBJ_MQUEUE || o->kind == LS_OBJ_PIPE ||
	    o->kind == LS_OBJ_FIFO) {
		int64_t len = o->nitems + o->overflow;
		if ((uint64_t)len != o->puts - o->gets && o->puts >= o->gets)
			return fail(why, n, "%s holds %lld items, but %llu were put and %llu taken",
			            o->name, (long long)len, (unsigned long long)o->puts,
			            (unsigned long long)o->gets);
		if (o->gets > o->puts)
			return fail(why, n, "%s: %llu taken but only %llu put", o->name,
			            (unsigned long long)o->gets, (unsigned long long)o->puts);
		if ((o->kind == LS_OBJ_QUEUE || o->kind == LS_OBJ_MQUEUE) && o->cap > 0 &&
		    o->nitems > o->cap)
			return fail(why, n, "%s holds %d items, over its capacity %lld", o->name,
			            o->nitems, (long long)o->cap);
	}
	return 0;
}

int model_check(const struct model *m, char *why, size_t n)
{
	for (int i = 0; i < m->nw; i++)
		if (m->w[i].declared && check_worker(m, i, why, n))
			return 1;
	for (int i = 0; i < m->no; i++)
		if (check_object(m, i, why, n))
			return 1;
	why[0] = '\0';
	return 0;
}

int analysis_check(const struct model *m, const struct analysis *a, char *why, size_t n)
{
	int live = 0, blocked = 0, eligible = 0;
	for (int i = 0; i < m->nw; i++) {
		if (!model_live(m, i))
			continue;
		live++;
		blocked += model_blocked(m, i);
		eligible += model_eligible(m, i);
	}
	if (a->live != live || a->blocked != blocked || a->eligible != eligible)
		return fail(why, n, "the analysis counts %d live, %d blocked, %d eligible; the model "
		            "%d, %d, %d", a->live, a->blocked, a->eligible, live, blocked, eligible);
	int nw = m->nw < LS_MAX_WORKERS ? m->nw : LS_MAX_WORKERS;
	int any_stuck = 0, all_live_stuck = 1;
	for (int i = 0; i < nw; i++) {
		if (a->wflags[i] & AN_N_STUCK) {
			any_stuck = 1;
			if (!model_blocked(m, i))
				return fail(why, n, "%s is called stuck but it is not blocked",
				            m->w[i].name);
			if (a->wflags[i] & AN_N_TIMED)
				return fail(why, n, "%s is called stuck but its wait times out",
				            m->w[i].name);
		} else if (model_live(m, i)) {
			all_live_stuck = 0;
		}
	}
	/* a stuck worker waits only for stuck workers (or nobody) */
	for (int k = 0; k < a->nedges; k++) {
		const struct an_edge *e = &a->edges[k];
		if (e->from < 0 || e->from >= nw || !(a->wflags[e->from] & AN_N_STUCK))
			continue;
		if (e->to >= 0 && e->to < nw && !(a->wflags[e->to] & AN_N_STUCK))
			return fail(why, n, "%s is called stuck, but %s, who could release it, is not",
			            m->w[e->from].name, m->w[e->to].name);
		if (e->from == e->to && !(e->flags & AN_E_HOLDER))
			return fail(why, n, "%s is named as its own releaser of %s", m->w[e->from].name,
			            model_object_name(m, e->via));
		/* a wait anyone may end (not a lock, a join or a pipe's end) is
		 * stuck only when every live worker is */
		if (!(e->flags & (AN_E_DEFINITE | AN_E_HOLDER)) && e->op != LS_OP_JOIN &&
		    !all_live_stuck && e->to >= 0)
			return fail(why, n, "%s is called stuck on %s while some live worker is not",
			            m->w[e->from].name, model_object_name(m, e->via));
	}
	if (a->deadlock) {
		if (!any_stuck || a->ncycle == 0)
			return fail(why, n, "a deadlock is claimed with nobody stuck");
		for (int i = 0; i < a->ncycle; i++) {
			const struct ls_node *x = &a->cycle[i];
			if (!x->is_object && !(a->wflags[x->id] & AN_N_STUCK))
				return fail(why, n, "%s is in the deadlock cycle but not stuck",
				            model_worker_name(m, x->id));
		}
	}
	if (a->cycle_kind == AN_CYCLE_OPEN)
		for (int i = 0; i < nw; i++)
			if (a->wflags[i] & AN_N_IN_CYCLE)
				return fail(why, n, "%s is marked in a cycle that is only possible",
				            m->w[i].name);
	if (a->stalled && a->blocked != a->live)
		return fail(why, n, "a stall is claimed while %d of %d live workers are not blocked",
		            a->live - a->blocked, a->live);
	why[0] = '\0';
	return 0;
}
