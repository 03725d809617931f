/* analysis: the wait-for graph, deadlock, stall and the Coffman conditions
 * over the model. See analysis.h for the rules. Pure: no I/O, no clock. */
#include "analysis.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "unit.h"

#define CAND_MAX 64 /* candidates kept per waiter */

struct cand {
	int worker;
	const char *label;
	int holder; /* holds the object the waiter wants */
};

/* ---- who could release a waiter: one function per kind of answer
 * (enum unit_releasers) ---- */

static int add_cand(struct cand *out, int n, int max, int w, const char *label, int holder)
{
	for (int i = 0; i < n; i++)
		if (out[i].worker == w)
			return n;
	if (n < max)
		out[n++] = (struct cand){w, label, holder};
	return n;
}

/* A lock: its owner, alive or not (a dead owner is reported as nobody),
 * with the rule's words ("held by", "written by"). */
static int by_owner(const struct model *m, int waiter, const struct m_object *o, int oid,
                    const char *label, struct cand *out, int max)
{
	(void)waiter;
	(void)oid;
	if (o->owner < 0 || !model_live(m, o->owner))
		return 0;
	return add_cand(out, 0, max, o->owner, label, 1);
}

/* Every live worker that holds it: each must let go before a writer of a
 * read-write lock gets in. */
static int by_holders(const struct model *m, const struct m_object *o, int oid, const char *label,
                      struct cand *out, int max)
{
	(void)o;
	int n = 0;
	for (int i = 0; i < m->nw; i++)
		if (model_live(m, i) && model_hold_units(&m->w[i], oid) > 0)
			n = add_cand(out, n, max, i, label, 1);
	return n;
}

/* Live workers that hold a unit of it and would give it back, then those
 * that have given to it. Holding is not enough: a consumer acquires units of
 * a semaphore that counts items and never posts it. A holder counts when it
 * has posted this semaphore before, or when the semaphore started with units
 * to lend (a lock, a pool) and it has borrowed just one. */
static int holders_and(const struct model *m, const struct m_object *o, int oid, unsigned role,
                       const char *label, struct cand *out, int max)
{
	int n = 0;
	for (int i = 0; i < m->nw; i++) {
		if (!model_live(m, i))
			continue;
		int k = model_hold_units(&m->w[i], oid);
		if (k > 0 && ((model_roles(m, oid, i) & LS_ROLE_GIVER) || (o->initial > 0 && k == 1)))
			n = add_cand(out, n, max, i, N_("unit held by"), 1);
	}
	for (int i = 0; i < m->nw; i++)
		if (model_live(m, i) && (model_roles(m, oid, i) & role))
			n = add_cand(out, n, max, i, label, 0);
	return n;
}

static int by_role(const struct model *m, int oid, unsigned role, const char *label,
                   int except_waiters_of, struct cand *out, int max)
{
	int n = 0;
	for (int i = 0; i < m->nw; i++) {
		if (!model_live(m, i) || !(model_roles(m, oid, i) & role))
			continue;
		if (except_waiters_of >= 0 && m->w[i].wait_obj == except_waiters_of &&
		    model_blocked(m, i))
			continue;
		n = add_cand(out, n, max, i, label, 0);
	}
	return n;
}

/* A pipe or FIFO reader is freed by whoever still holds a write end: it can
 * write, or close it (the last close is end-of-file). */
static int by_write_ends(const struct model *m, int waiter, const struct m_object *o, int oid,
                         struct cand *out, int max)
{
	(void)waiter;
	(void)oid;
	int n = 0;
	for (int k = 0; k < o->nends; k++)
		if ((o->ends[k].mask & LS_END_WRITE) && model_live(m, o->ends[k].worker))
			n = add_cand(out, n, max, o->ends[k].worker, N_("write end held by"), 1);
	return n;
}

/* The rule for a wait (unit.h: the operation's unit holds them): who could
 * release the waiter, and how sure that is. exact: who could release the
 * waiter is known for certain (a lock's owner; the holders of a pipe's
 * write end, whose process alone can write to it); otherwise any live
 * worker might still do it (anyone may post a semaphore, put into a queue
 * or notify a condition, whether or not it has done so before), and the
 * candidates are only those seen in that role so far. exclusive: the
 * object has owners that shut others out (for the Coffman condition of
 * mutual exclusion). none: the words for a wait nobody has been seen
 * releasing yet. A join waits for a worker, not an object: its end, for
 * certain. */
static const struct unit_wait join_rule = {-1, UNIT_BY_OWNER, N_("joins"), UNIT_EXACT, 0,
                                           N_("nobody alive could release it")};

static int releasers(const struct model *m, int waiter, const struct m_object *o, int oid,
                     const struct unit_wait *r, struct cand *out, int max)
{
	switch (r->who) {
	case UNIT_BY_OWNER:
		return by_owner(m, waiter, o, oid, r->label, out, max);
	case UNIT_BY_HOLDERS:
		return by_holders(m, o, oid, r->label, out, max);
	case UNIT_BY_HOLDERS_GIVERS:
		return holders_and(m, o, oid, LS_ROLE_GIVER, r->label, out, max);
	case UNIT_BY_GIVERS:
		return by_role(m, oid, LS_ROLE_GIVER, r->label, -1, out, max);
	case UNIT_BY_TAKERS:
		return by_role(m, oid, LS_ROLE_TAKER, r->label, -1, out, max);
	case UNIT_BY_ARRIVALS:
		return by_role(m, oid, LS_ROLE_GIVER | LS_ROLE_TAKER, r->label, oid, out, max);
	case UNIT_BY_WRITE_ENDS:
		return by_write_ends(m, waiter, o, oid, out, max);
	}
	return 0;
}

/* The rule for a blocked worker's wait, or NULL: a sleep, a wait only the
 * user or time can end (pause(), the scene key, a FIFO's open), or an
 * operation no rule knows. Those are never part of a deadlock. */
static const struct unit_wait *wait_rule_of(const struct model *m, const struct m_worker *w)
{
	if (w->wait_op == LS_OP_JOIN)
		return &join_rule;
	const struct m_object *o = model_object(m, w->wait_obj);
	return o ? unit_wait_rule(w->wait_op, o->kind) : NULL;
}

/* Candidates for one blocked worker, the same for every waiter on it. */
static int candidates(const struct model *m, int id, struct cand *out, int max)
{
	const struct m_worker *w = &m->w[id];
	if (w->wait_op == LS_OP_JOIN) {
		const struct m_worker *t = model_worker(m, w->wait_worker);
		if (t && model_live(m, w->wait_worker))
			return add_cand(out, 0, max, w->wait_worker, N_("joins"), 0);
		return 0;
	}
	const struct m_object *o = model_object(m, w->wait_obj);
	const struct unit_wait *r = o ? unit_wait_rule(w->wait_op, o->kind) : NULL;
	return r ? releasers(m, id, o, w->wait_obj, r, out, max) : 0;
}

/* ---- building the graph ---- */

static int is_timed(const struct m_worker *w)
{
	return w->deadline > 0 || w->wait_op == LS_OP_SLEEP;
}

/* Scratch for one run: node membership bitmaps, the first edge of each
 * worker (edges are added in worker order), the rule of each blocked
 * worker's wait, and a small cache of candidate lists by (object, wait),
 * since many waiters often share one object. */
struct scratch {
	unsigned char *wnode, *onode;
	int *efirst, *ecount;
	const struct unit_wait **rule;
	int nw, no;
	struct {
		int oid, op, n, nwoken;
		struct cand c[CAND_MAX];
		int woken[CAND_MAX]; /* waiters on it whose wait is over: first in line */
	} cache[8];
	int ncache, next_slot;
};

static void add_node(struct analysis *a, struct scratch *sc, int is_obj, int id)
{
	unsigned char *seen = is_obj ? sc->onode : sc->wnode;
	if (id < 0 || id >= (is_obj ? sc->no : sc->nw) || seen[id])
		return;
	seen[id] = 1;
	if (a->nnodes < AN_NODES_MAX)
		a->nodes[a->nnodes++] = (struct ls_node){is_obj, id};
	else
		a->truncated = 1;
}

static int add_edge(struct analysis *a, int from, int via, int to, int op, const char *label,
                    unsigned flags)
{
	if (a->nedges >= AN_EDGES_MAX) {
		a->truncated = 1;
		return 0;
	}
	a->edges[a->nedges++] = (struct an_edge){from, via, to, op, label, flags};
	return 1;
}

static void count(const struct model *m, struct analysis *a)
{
	for (int i = 0; i < m->nw; i++) {
		if (!model_live(m, i))
			continue;
		a->live++;
		const struct m_worker *w = &m->w[i];
		if (!(w->flags & LS_WF_DAEMON))
			a->live_nondaemon++;
		if (model_eligible(m, i))
			a->eligible++;
		else if (model_blocked(m, i)) {
			a->blocked++;
			if (w->deadline > 0)
				a->timed++;
		} else if (w->gate == LS_GATE_MOVING || w->gate == LS_GATE_KERNEL)
			a->moving++;
	}
	/* daemon threads left waiting once every other worker has ended are
	 * not stuck: their process is ending and stops them (the host's EXITs
	 * follow), so a stall needs a worker the program waits for */
	a->stalled = a->live > 0 && a->blocked == a->live && a->timed == 0 && a->live_nondaemon > 0;
}

/* Candidates for worker id's wait, from the cache when another waiter on
 * the same object asked already (they do not depend on the waiter; what
 * does, the waiter itself and its place in line, is filtered by build()). */
static int cached_candidates(const struct model *m, struct scratch *sc, int id, int *slot_out)
{
	const struct m_worker *w = &m->w[id];
	int key = w->wait_op == LS_OP_JOIN ? -2 - w->wait_worker : w->wait_obj;
	for (int k = 0; k < sc->ncache; k++)
		if (sc->cache[k].oid == key && sc->cache[k].op == w->wait_op) {
			*slot_out = k;
			return sc->cache[k].n;
		}
	int slot = sc->next_slot;
	sc->next_slot = (sc->next_slot + 1) % 8;
	if (sc->ncache < 8)
		sc->ncache++;
	sc->cache[slot].oid = key;
	sc->cache[slot].op = w->wait_op;
	sc->cache[slot].n = candidates(m, id, sc->cache[slot].c, CAND_MAX);
	sc->cache[slot].nwoken = 0;
	const struct m_object *o = w->wait_op == LS_OP_JOIN ? NULL : model_object(m, w->wait_obj);
	for (int k = 0; o && k < o->nwaiters && sc->cache[slot].nwoken < CAND_MAX; k++) {
		int x = o->waiters[k];
		if (x != id && m->w[x].wait_op == w->wait_op && model_woken(m, x))
			sc->cache[slot].woken[sc->cache[slot].nwoken++] = x;
	}
	*slot_out = slot;
	return sc->cache[slot].n;
}

static void build(const struct model *m, struct analysis *a, struct scratch *sc)
{
	for (int i = 0; i < sc->nw; i++) {
		sc->efirst[i] = a->nedges;
		sc->rule[i] = NULL;
		if (!model_blocked(m, i))
			continue;
		const struct m_worker *w = &m->w[i];
		a->wflags[i] |= AN_N_BLOCKED;
		int timed = is_timed(w);
		if (timed)
			a->wflags[i] |= AN_N_TIMED;
		if (w->wait_op == LS_OP_SLEEP)
			continue; /* waits for time, not for anyone */
		const struct unit_wait *r = wait_rule_of(m, w);
		if (!r)
			continue;
		sc->rule[i] = r;
		int slot, n = cached_candidates(m, sc, i, &slot);
		const struct cand *c = sc->cache[slot].c;
		add_node(a, sc, 0, i);
		if (w->wait_obj >= 0 && w->wait_op != LS_OP_JOIN)
			add_node(a, sc, 1, w->wait_obj);
		int via = w->wait_op == LS_OP_JOIN ? -1 : w->wait_obj;
		int complete = n < CAND_MAX && sc->cache[slot].nwoken < CAND_MAX;
		/* who may free it: those first in line, whose turn it is now, then
		 * those the rule names; a waiter never frees itself unless it owns
		 * what it waits for (a lock taken twice) */
		struct cand mine[2 * CAND_MAX];
		int nm = 0;
		for (int k = 0; k < sc->cache[slot].nwoken; k++)
			nm = add_cand(mine, nm, 2 * CAND_MAX, sc->cache[slot].woken[k],
			              N_("first in line"), 0);
		for (int k = 0; k < n; k++)
			if (c[k].worker != i || (r->exact && c[k].holder))
				nm = add_cand(mine, nm, 2 * CAND_MAX, c[k].worker, c[k].label, c[k].holder);
		if (nm == 0) {
			/* nobody could (an exact rule, or nobody else is alive), or
			 * nobody has yet */
			int orphan = r->exact || a->live <= 1; /* i is live: nobody else is */
			if (orphan)
				a->wflags[i] |= AN_N_ORPHAN;
			/* exact: its releaser is gone; else anyone could, and
			 * nobody else is left (a queue's get, a condition's wait:
			 * "release" is a lock's word) */
			const char *why = !orphan    ? r->none
			                  : r->exact ? N_("nobody alive could release it")
			                             : N_("nobody else is alive");
			complete &= add_edge(a, i, via, -1, w->wait_op, why, timed ? AN_E_TIMED : 0);
		}
		for (int k = 0; k < nm; k++) {
			unsigned f = (timed ? AN_E_TIMED : 0) | (mine[k].holder ? AN_E_HOLDER : 0);
			/* definite: the only one who could, for certain */
			if (r->exact && nm == 1)
				f |= AN_E_ONE | (timed ? 0 : AN_E_DEFINITE);
			add_node(a, sc, 0, mine[k].worker);
			complete &= add_edge(a, i, via, mine[k].worker, w->wait_op, mine[k].label, f);
		}
		sc->ecount[i] = a->nedges - sc->efirst[i];
		/* an exact wait whose releasers did not all fit is never called
		 * stuck: one left out might be free */
		if (!complete)
			a->wflags[i] |= AN_N_PARTIAL;
	}
	/* what a blocked worker holds is part of the picture (hold and wait) */
	for (int i = 0; i < sc->nw; i++)
		if (a->wflags[i] & AN_N_BLOCKED)
			for (int k = 0; k < m->w[i].nholds; k++)
				add_node(a, sc, 1, m->w[i].holds[k]);
	/* nodes: workers first, then objects, each by id, the same every run */
	int nn = 0;
	for (int i = 0; i < sc->nw && nn < a->nnodes; i++)
		if (sc->wnode[i])
			a->nodes[nn++] = (struct ls_node){0, i};
	for (int i = 0; i < sc->no && nn < a->nnodes; i++)
		if (sc->onode[i])
			a->nodes[nn++] = (struct ls_node){1, i};
}

/* ---- cycles ---- */

/* Could worker r, named as a releaser, still act? It can unless it is in
 * the stuck set; for a pipe's write end, any live thread of its process can
 * write to it. */
static int releaser_free(const struct model *m, const unsigned char *in, int nw, int r, int process)
{
	if (r < 0 || r >= nw)
		return 0;
	if (!in[r] && model_live(m, r))
		return 1;
	int64_t pid = m->w[r].pid;
	if (!process || pid <= 0)
		return 0;
	for (int j = 0; j < nw; j++)
		if (!in[j] && model_live(m, j) && m->w[j].pid == pid)
			return 1;
	return 0;
}

/* The stuck set: the workers that, for certain, can never move again (the
 * greatest fixed point). A worker starts in it when it is blocked, untimed,
 * on a wait a rule knows. It leaves when someone could still free it: for
 * an exact wait, one of its releasers is not stuck; for any other wait, any
 * live worker besides it is not stuck, because that worker may yet post,
 * put or notify even if it never has. Workers outside any rule (a sleep,
 * pause(), the scene key) are never stuck: time or the user moves them. */
static void stuck_set(const struct model *m, struct analysis *a, const struct scratch *sc,
                      unsigned char *in)
{
	int nw = sc->nw, nin = 0, live = 0;
	for (int i = 0; i < nw; i++) {
		const struct unit_wait *r = sc->rule[i];
		in[i] = (a->wflags[i] & AN_N_BLOCKED) && r && !(a->wflags[i] & AN_N_TIMED) &&
		        !(r->exact && (a->wflags[i] & AN_N_PARTIAL));
		nin += in[i];
		live += model_live(m, i);
	}
	for (int changed = 1; changed && nin > 0;) {
		changed = 0;
		for (int i = 0; i < nw; i++) {
			if (!in[i])
				continue;
			const struct unit_wait *r = sc->rule[i];
			int out = 0;
			if (!r->exact)
				out = nin < live; /* someone alive is not stuck */
			else
				for (int k = sc->efirst[i]; k < sc->efirst[i] + sc->ecount[i] && !out; k++)
					out = releaser_free(m, in, nw, a->edges[k].to,
					                    r->exact == UNIT_EXACT_PROCESS);
			if (out) {
				in[i] = 0;
				nin--;
				changed = 1;
			}
		}
	}
}

/* Depth-first search for a cycle among edges whose endpoints pass `ok`
 * (NULL: any) and, if `need` is not 0, that have one of the flags in need. Returns the
 * number of edge indexes written to path (the cycle, in order), 0 if none.
 * Starts from the lowest worker id so the answer is the same on every run. */
static int find_cycle(const struct model *m, const struct analysis *a, const struct scratch *sc,
                      const unsigned char *ok, unsigned need, int *path)
{
	(void)m;
	int nw = sc->nw;
	unsigned char *colour = calloc((size_t)nw, 1); /* 0 new, 1 on stack, 2 done */
	int *stack_edge = calloc((size_t)nw, sizeof(int)); /* edge we left by */
	int *next = calloc((size_t)nw, sizeof(int));       /* next edge to try */
	int *stack = calloc((size_t)nw, sizeof(int));
	int found = 0;
	if (!colour || !stack_edge || !next || !stack)
		goto out;
	for (int s = 0; s < nw && !found; s++) {
		if (colour[s] || (ok && !ok[s]) || sc->ecount[s] == 0)
			continue;
		int sp = 0;
		stack[sp++] = s;
		colour[s] = 1;
		next[s] = sc->efirst[s];
		while (sp > 0 && !found) {
			int u = stack[sp - 1];
			int end = sc->efirst[u] + sc->ecount[u];
			int k = next[u];
			for (; k < end; k++) {
				const struct an_edge *e = &a->edges[k];
				if (e->to < 0 || e->to >= nw)
					continue;
				if (need && !(e->flags & need))
					continue;
				if (ok && !ok[e->to])
					continue;
				if (colour[e->to] == 2)
					continue;
				break;
			}
			next[u] = k + 1;
			if (k >= end) {
				colour[u] = 2;
				sp--;
				continue;
			}
			int v = a->edges[k].to;
			stack_edge[u] = k;
			if (colour[v] == 1) {
				/* the cycle: from v's place on the stack to the top */
				int from = 0;
				while (stack[from] != v)
					from++;
				for (int i = from; i < sp && found < LS_CYCLE_MAX; i++)
					path[found++] = stack_edge[stack[i]];
				break;
			}
			colour[v] = 1;
			next[v] = sc->efirst[v];
			stack[sp++] = v;
		}
	}
out:
	free(colour);
	free(stack_edge);
	free(next);
	free(stack);
	return found;
}

/* Write the cycle (edge indexes in order) into a->cycle, rotated to start at
 * its lowest worker id. mark: flag its workers, objects and edges as in the
 * cycle (not for an open one, which is only possible and must not look like
 * an alarm anywhere). */
static void set_cycle(struct analysis *a, const int *path, int n, int mark)
{
	int lo = 0;
	for (int i = 1; i < n; i++)
		if (a->edges[path[i]].from < a->edges[path[lo]].from)
			lo = i;
	a->ncycle = 0;
	a->cycle_definite = 1;
	for (int j = 0; j < n; j++) {
		struct an_edge *e = &a->edges[path[(lo + j) % n]];
		if (!(e->flags & AN_E_DEFINITE))
			a->cycle_definite = 0;
		a->cycle[a->ncycle++] = (struct ls_node){0, e->from};
		if (e->via >= 0)
			a->cycle[a->ncycle++] = (struct ls_node){1, e->via};
		if (!mark)
			continue;
		e->flags |= AN_E_IN_CYCLE;
		a->wflags[e->from] |= AN_N_IN_CYCLE;
		if (e->via >= 0 && e->via < LS_MAX_OBJECTS)
			a->oflags[e->via] |= AN_N_IN_CYCLE;
	}
}

/* Whether a worker of the cycle path[0..n) waits with a timeout. */
static int timed_in(const struct analysis *a, const int *path, int n)
{
	for (int k = 0; k < n; k++)
		if (a->edges[path[k]].flags & AN_E_TIMED)
			return 1;
	return 0;
}

static void cycles(const struct model *m, struct analysis *a, const struct scratch *sc)
{
	int nw = sc->nw;
	if (nw == 0 || a->nedges == 0)
		return;
	unsigned char *in = calloc((size_t)nw, 1);
	int path[LS_CYCLE_MAX];
	if (!in)
		return;
	stuck_set(m, a, sc, in);
	for (int i = 0; i < nw; i++)
		if (in[i]) {
			a->wflags[i] |= AN_N_STUCK;
			a->stuck++;
		}
	/* a definite cycle first: the classic deadlock, named the same way
	 * every time; then a cycle among stuck workers in which each waits for
	 * something the next one holds (a lock, a semaphore's unit, a pipe's
	 * write end) or for the next to end: Coffman's circular wait over
	 * resources, and certain, since nobody in the stuck set can ever move
	 * again. Stuck workers whose circle runs through an edge known only
	 * from the past (W waits for a notify; main notified once) are a
	 * stall: everyone waits and nobody holds what another needs, as in a
	 * lost wake-up. */
	int n = a->stuck ? find_cycle(m, a, sc, in, AN_E_DEFINITE, path) : 0;
	if (!n && a->stuck)
		n = find_cycle(m, a, sc, in, AN_E_DEFINITE | AN_E_HOLDER, path);
	if (n) {
		set_cycle(a, path, n, 1);
		a->deadlock = 1;
		a->cycle_kind = AN_CYCLE_DEADLOCK;
	} else if (a->stuck && (n = find_cycle(m, a, sc, in, 0, path)) > 0) {
		set_cycle(a, path, n, 0);
		a->cycle_kind = AN_CYCLE_STALL;
	} else if ((n = find_cycle(m, a, sc, NULL, AN_E_ONE, path)) > 0 && timed_in(a, path, n)) {
		/* a circle that is certain but for a timeout, which will break
		 * it: real, and shown as one */
		set_cycle(a, path, n, 1);
		a->cycle_kind = AN_CYCLE_TIMED;
	} else if ((n = find_cycle(m, a, sc, NULL, 0, path)) > 0) {
		/* a circle someone outside it may still open (or whose waits
		 * have more than one possible releaser) is only possible: a
		 * timeout in it does not make it real */
		set_cycle(a, path, n, 0);
		a->cycle_kind = AN_CYCLE_OPEN;
	}
	free(in);
}

/* ---- the Coffman conditions ---- */

static int exclusive_held(const struct model *m, const struct an_edge *e)
{
	const struct m_object *o = model_object(m, e->via);
	if (!o || e->to < 0 || !(e->flags & AN_E_HOLDER))
		return 0;
	const struct unit_wait *r = unit_wait_rule(e->op, o->kind);
	return r && r->exclusive;
}

/* Pick a witness: the first edge (cycle edges first) that `test` accepts. */
static const struct an_edge *witness(const struct model *m, const struct analysis *a,
                                     int (*test)(const struct model *, const struct an_edge *))
{
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < a->nedges; k++) {
			const struct an_edge *e = &a->edges[k];
			if ((pass == 0) != ((e->flags & AN_E_IN_CYCLE) != 0))
				continue;
			if (test(m, e))
				return e;
		}
	return NULL;
}

static int holds_while_waiting(const struct model *m, const struct an_edge *e)
{
	const struct m_worker *w = model_worker(m, e->from);
	if (!w)
		return 0;
	for (int i = 0; i < w->nholds; i++)
		if (w->holds[i] != e->via)
			return 1;
	return 0;
}

static int never_lets_go(const struct model *m, const struct an_edge *e)
{
	return holds_while_waiting(m, e) && !(e->flags & AN_E_TIMED);
}

static int first_other_hold(const struct model *m, int w, int except)
{
	const struct m_worker *x = model_worker(m, w);
	for (int i = 0; x && i < x->nholds; i++)
		if (x->holds[i] != except)
			return x->holds[i];
	return -1;
}

static void coffman(const struct model *m, struct analysis *a)
{
	for (int c = 0; c < AN_NCOND; c++)
		a->coffman[c] = (struct an_coffman){0, -1, -1, -1};
	const struct an_edge *e = witness(m, a, exclusive_held);
	if (e)
		a->coffman[AN_COND_MUTUAL_EXCLUSION] = (struct an_coffman){1, e->to, e->via, -1};
	e = witness(m, a, holds_while_waiting);
	if (e)
		a->coffman[AN_COND_HOLD_AND_WAIT] =
		    (struct an_coffman){1, e->from, first_other_hold(m, e->from, e->via), e->via};
	e = witness(m, a, never_lets_go);
	if (e)
		a->coffman[AN_COND_NO_PREEMPTION] =
		    (struct an_coffman){1, e->from, first_other_hold(m, e->from, e->via), e->via};
	else if ((e = witness(m, a, holds_while_waiting)) != NULL)
		/* it holds and waits, but its wait times out: say who */
		a->coffman[AN_COND_NO_PREEMPTION] =
		    (struct an_coffman){0, e->from, first_other_hold(m, e->from, e->via), e->via};
	if (a->ncycle > 0)
		a->coffman[AN_COND_CIRCULAR_WAIT] =
		    (struct an_coffman){1, a->cycle[0].id, a->ncycle > 1 && a->cycle[1].is_object
		                                              ? a->cycle[1].id : -1, -1};
}

void analysis_run(const struct model *m, struct analysis *a)
{
	/* clear what this run fills; edges and nodes past their counts and
	 * flags past the model's ids are never read (see analysis.h) */
	memset(a, 0, offsetof(struct analysis, edges));
	struct scratch sc = {0};
	sc.nw = m->nw < LS_MAX_WORKERS ? m->nw : LS_MAX_WORKERS;
	sc.no = m->no < LS_MAX_OBJECTS ? m->no : LS_MAX_OBJECTS;
	memset(a->wflags, 0, (size_t)sc.nw);
	memset(a->oflags, 0, (size_t)sc.no);
	count(m, a);
	size_t nw = (size_t)sc.nw + 1, no = (size_t)sc.no + 1;
	sc.wnode = calloc(nw, 1);
	sc.onode = calloc(no, 1);
	sc.efirst = calloc(nw, sizeof(int));
	sc.ecount = calloc(nw, sizeof(int));
	sc.rule = calloc(nw, sizeof *sc.rule);
	if (sc.wnode && sc.onode && sc.efirst && sc.ecount && sc.rule && a->blocked > 0) {
		build(m, a, &sc);
		cycles(m, a, &sc);
	}
	coffman(m, a);
	free(sc.wnode);
	free(sc.onode);
	free(sc.efirst);
	free(sc.ecount);
	free(sc.rule);
}

int analysis_in_cycle(const struct analysis *a, int is_object, int id)
{
	if (a->cycle_kind == AN_CYCLE_OPEN || a->cycle_kind == AN_CYCLE_STALL)
		return 0; /* possible, or a stall: never marked as a deadlock's circle */
	for (int i = 0; i < a->ncycle; i++)
		if (a->cycle[i].is_object == is_object && a->cycle[i].id == id)
			return 1;
	return 0;
}

/* ---- the conditions' keys (JSON); their words are describe.c's ---- */

static const char *const cond_keys[AN_NCOND] = {
#define X(e, k, t) [AN_COND_##e] = k,
	AN_CONDS(X)
#undef X
};
const char *analysis_cond_key(enum an_cond c)
{
	return (unsigned)c < AN_NCOND ? cond_keys[c] : "?";
}
