/* explore: the schedule explorer (see explore.h and docs/DESIGN.md, "The
 * schedule explorer").
 *
 * A run is the real scene, started afresh by the engine in a controlled run
 * that steps itself; at every settled point the engine asks choose() who
 * moves. A run is named by its choices, so a schedule is replayed by giving
 * its prefix again: the engine is deterministic in a controlled run.
 *
 * bfs is a stateless search with a work list per preemption count (a step
 * is a preemption when the worker that moved last could move again and
 * another is chosen). Each run follows its item's prefix, then goes on
 * without preempting; every other choice it passes becomes an item of its
 * own, one bucket up if it preempts. Sleep sets (Godefroid) prune schedules
 * that only reorder independent steps: after sibling t has been run from a
 * state, the branches run later from that state keep t asleep until a step
 * that touches one of t's objects; a run in which every eligible worker is
 * asleep is cut short.
 */
#include "explore.h"
#include "goal.h"

#include <errno.h>
#include <ev.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "goal.h"
#include "headless.h"
#include "i18n.h"
#include "json.h"
#include "lockstep-scene.h"
#include "rundir.h"

enum strategy { ST_BFS, ST_PCT, ST_RANDOM };

static const char *const strategy_names[] = {"bfs", "pct", "random"};

/* PENDING_MAX: schedules waiting to be tried, about 70 bytes each (the
 * default philosophers add ~130 a run): past it bfs stops as if its budget
 * were spent, rather than fill a laptop's memory. */
enum { FP_MAX = 8, COST_MAX = 64, RUN_TIMEOUT_S = 20, VALUES_MAX = 32, PENDING_MAX = 4000000 };

/* What a step touched: its objects, or everything (a spawn, an exit, the
 * clock, a declaration: whatever no object names). */
struct fp {
	int global;
	int n;
	int obj[FP_MAX];
};

struct sleeper {
	int w;
	struct fp fp;
};

/* The choices at one state of some run: sib[0] is the one that run made,
 * the others are items; each sibling's footprint is known once run. */
struct group {
	int refs;
	int nz;
	struct sleeper *z; /* the sleep set in force at that state */
	int n, cap;
	struct sib {
		int w, done;
		struct fp fp;
	} *sib;
};

/* Prefixes share their beginnings: a node is one choice after its parent's
 * (the root is NULL), kept while an item or a longer prefix needs it. */
struct pnode {
	struct pnode *parent;
	int w, len, refs;
};

struct item {
	struct pnode *node; /* the prefix's last choice */
	int cost;
	struct group *g;
	int gi;
};

struct bucket {
	struct item *v;
	size_t head, n, cap;
};

struct explorer {
	const struct engine_opts *eo;
	char rundir[RUNDIR_MAX]; /* one run directory for every run (rundir_reuse) */
	struct goal goal; /* goal.h: the one notion the UI and grading share */
	const char *goal_name;
	enum strategy st;
	long budget_runs;
	double budget_s;
	int bound, depth, reduce, map, json, feed;
	uint64_t seed;
	struct ev_loop *loop;
	/* progress */
	uint64_t runs, pruned, skipped, beyond, steps_total;
	int maxlen, level;
	double t0, last_progress;
	int tty;
	/* distinct states: an open-addressing set of fingerprints */
	uint64_t *set;
	size_t setcap, setn;
	/* bfs */
	struct bucket b[COST_MAX + 1];
	size_t pending;
	int full; /* stopped at PENDING_MAX */
	/* the best hit so far */
	int found;
	int *wit;
	int witlen, witcost;
	uint64_t witrun;
	char witnames[4096];
	char witsummary[512];
	struct wstep *witsteps;
	enum ls_outcome witout;
	/* --map */
	uint64_t outcomes[LS_OUT_STOPPED + 1];
	struct { int64_t v; uint64_t n; } values[VALUES_MAX]; /* a scene goal's value at the end */
	int nvalues;
	uint64_t other_values;
	/* a failure that ends the exploration */
	char err[512];
};

/* A step of a run, as the witness tells it: who moved, the operation it
 * was at, and whom it preempted holding what (-1: nobody, nothing). */
struct xstep {
	int w, op, obj, arg, preempted, held;
};

/* The same in names, kept for the witness. */
struct wstep {
	char w[LS_NAME_MAX], op[24], obj[LS_NAME_MAX], pre[LS_NAME_MAX], held[LS_NAME_MAX];
};

/* One run. */
struct xrun {
	struct explorer *x;
	struct engine *e;
	const struct item *it;
	int *prefix, plen;  /* the item's choices, spelled out */
	struct pnode *path; /* the choices so far, as a node (bfs) */
	int *ch;
	struct xstep *st;
	int depth, cap, prev, cost, stepping;
	struct fp cur;
	struct sleeper *z;
	int nz, capz;
	struct group *pg; /* the group whose sibling this step is */
	int pgi;
	int pruned, nondet;
	int met; /* a goal of a moment (a full buffer, a line printed) was met */
	uint64_t rng;
	int *prio; /* pct */
	int *change;
	ev_timer timeout_w;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		abort();
	return q;
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* ---- footprints ---- */

static void fp_add(struct fp *f, int obj)
{
	if (f->global)
		return;
	for (int i = 0; i < f->n; i++)
		if (f->obj[i] == obj)
			return;
	if (f->n == FP_MAX)
		f->global = 1;
	else
		f->obj[f->n++] = obj;
}

/* Steps that touch no common object commute. */
static int fp_indep(const struct fp *a, const struct fp *b)
{
	if (a->global || b->global)
		return 0;
	for (int i = 0; i < a->n; i++)
		for (int k = 0; k < b->n; k++)
			if (a->obj[i] == b->obj[k])
				return 0;
	return 1;
}

static void fp_record(struct fp *f, const struct ls_event *ev)
{
	switch ((enum ls_ev_type)ev->type) {
	case LS_EV_WANT:   /* the next gate: nothing done yet */
	case LS_EV_SAY:    /* words */
	case LS_EV_OUTPUT:
	case LS_EV_WHERE:  /* a source line */
	case LS_EV_ITEM:   /* an item's text: its number is in the put */
	case LS_EV_NAME:   /* follows its declaration, which is global */
	case LS_EV_GRANT:
	case LS_EV_MODE:
	case LS_EV_HELLO:
		return;
	case LS_EV_BLOCKED:
	case LS_EV_ACQUIRED:
	case LS_EV_RELEASED:
	case LS_EV_DONE:
	case LS_EV_NOTIFY:
	case LS_EV_TIMEOUT:
	case LS_EV_ENDS:
		if (ev->object >= 0)
			fp_add(f, ev->object);
		else if (!(ev->type == LS_EV_DONE && ev->u.a[0] == LS_OP_WORK))
			f->global = 1; /* a sleep, a process query: time and kin */
		return;
	default:
		f->global = 1;
		return;
	}
}

/* ---- distinct states ---- */

static uint64_t mix(uint64_t h, int64_t v)
{
	h ^= (uint64_t)v;
	return h * 0x100000001b3u;
}

/* What the model shows at a settled point, with each worker's step count
 * standing for where it is in its code. */
static uint64_t fingerprint(const struct model *m)
{
	uint64_t h = 0xcbf29ce484222325u;
	h = mix(h, m->vclock);
	for (int i = 0; i < m->nw; i++) {
		const struct m_worker *w = &m->w[i];
		h = mix(h, model_state(m, i));
		h = mix(h, w->gate);
		h = mix(h, w->op);
		h = mix(h, w->op_obj);
		h = mix(h, w->wait_obj);
		h = mix(h, (int64_t)w->steps);
		for (int k = 0; k < w->nholds; k++)
			h = mix(h, w->holds[k] * 64 + w->hold_units[k]);
	}
	for (int i = 0; i < m->no; i++) {
		const struct m_object *o = &m->o[i];
		h = mix(h, o->owner);
		h = mix(h, o->value);
		h = mix(h, o->count);
		for (int k = 0; k < o->nitems; k++)
			h = mix(h, o->items[k]);
		for (int k = 0; k < o->nwaiters; k++)
			h = mix(h, o->waiters[k]);
	}
	return h ? h : 1;
}

static void set_add(struct explorer *x, uint64_t h)
{
	if (2 * (x->setn + 1) > x->setcap) {
		size_t cap = x->setcap ? x->setcap * 2 : 1024;
		uint64_t *n = calloc(cap, sizeof *n);
		if (!n)
			abort();
		for (size_t i = 0; i < x->setcap; i++)
			if (x->set[i])
				for (size_t k = x->set[i] & (cap - 1);; k = (k + 1) & (cap - 1))
					if (!n[k]) {
						n[k] = x->set[i];
						break;
					}
		free(x->set);
		x->set = n;
		x->setcap = cap;
	}
	for (size_t k = h & (x->setcap - 1);; k = (k + 1) & (x->setcap - 1)) {
		if (x->set[k] == h)
			return;
		if (!x->set[k]) {
			x->set[k] = h;
			x->setn++;
			return;
		}
	}
}

/* ---- the work list ---- */

static void group_unref(struct group *g)
{
	if (g && --g->refs == 0) {
		free(g->z);
		free(g->sib);
		free(g);
	}
}

static void push(struct explorer *x, struct item it)
{
	struct bucket *b = &x->b[it.cost];
	if (b->head + b->n == b->cap) {
		if (b->head > b->cap / 2) {
			memmove(b->v, b->v + b->head, b->n * sizeof *b->v);
			b->head = 0;
		} else {
			b->cap = b->cap ? b->cap * 2 : 64;
			b->v = xrealloc(b->v, b->cap * sizeof *b->v);
		}
	}
	b->v[b->head + b->n++] = it;
	x->pending++;
}

/* The next item, cheapest bucket first; 0 when none is left. */
static int pop(struct explorer *x, struct item *out)
{
	for (int c = 0; c <= COST_MAX; c++) {
		struct bucket *b = &x->b[c];
		if (b->n) {
			*out = b->v[b->head++];
			b->n--;
			x->pending--;
			x->level = c;
			return 1;
		}
	}
	return 0;
}

static struct pnode *node_new(struct pnode *parent, int w)
{
	struct pnode *n = malloc(sizeof *n);
	if (!n)
		abort();
	*n = (struct pnode){parent, w, parent ? parent->len + 1 : 1, 1};
	if (parent)
		parent->refs++;
	return n;
}

static void node_unref(struct pnode *n)
{
	while (n && --n->refs == 0) {
		struct pnode *p = n->parent;
		free(n);
		n = p;
	}
}

static void free_item(struct item *it)
{
	node_unref(it->node);
	group_unref(it->g);
	it->node = NULL;
	it->g = NULL;
}

/* ---- one run ---- */

static void sleep_push(struct xrun *r, int w, const struct fp *fp)
{
	for (int i = 0; i < r->nz; i++)
		if (r->z[i].w == w)
			return;
	if (r->nz == r->capz) {
		r->capz = r->capz ? r->capz * 2 : 8;
		r->z = xrealloc(r->z, (size_t)r->capz * sizeof *r->z);
	}
	r->z[r->nz++] = (struct sleeper){w, *fp};
}

static int asleep(const struct xrun *r, int w)
{
	for (int i = 0; i < r->nz; i++)
		if (r->z[i].w == w)
			return 1;
	return 0;
}

/* The step in progress is over: note its footprint where it is needed and
 * wake the sleepers it depends on. */
static void end_step(struct xrun *r)
{
	if (!r->stepping)
		return;
	r->stepping = 0;
	if (r->pg) {
		r->pg->sib[r->pgi].fp = r->cur;
		r->pg->sib[r->pgi].done = 1;
		group_unref(r->pg);
		r->pg = NULL;
	}
	int k = 0;
	for (int i = 0; i < r->nz; i++)
		if (fp_indep(&r->z[i].fp, &r->cur))
			r->z[k++] = r->z[i];
	r->nz = k;
}

static void on_event(void *ud, const struct ls_event *ev)
{
	struct xrun *r = ud;
	if (r->stepping)
		fp_record(&r->cur, ev);
}

static void progress(struct explorer *x, int final);

/* A field of the feed: the line's separators never come from a name. */
static void feed_str(const char *s)
{
	for (; *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* The choice at a fresh point of a bfs run: go on without preempting
 * (whoever moved last, else the first awake in declare order); every other
 * awake worker is an item. -1: all asleep. */
static int bfs_choose(struct xrun *r, const int *el, int nel)
{
	struct explorer *x = r->x;
	int t = -1;
	for (int i = 0; i < nel; i++)
		if (el[i] == r->prev && !asleep(r, el[i]))
			t = el[i];
	for (int i = 0; i < nel && t < 0; i++)
		if (!asleep(r, el[i]))
			t = el[i];
	if (t < 0)
		return -1;
	int prev_el = 0;
	for (int i = 0; i < nel; i++)
		prev_el |= el[i] == r->prev;
	struct group *g = NULL;
	for (int i = 0; i < nel; i++) {
		int u = el[i];
		if (u == t)
			continue;
		if (asleep(r, u)) {
			x->skipped++;
			continue;
		}
		int cost = r->cost + (prev_el && u != r->prev);
		if ((x->bound >= 0 && cost > x->bound) || cost > COST_MAX) {
			x->beyond++;
			continue;
		}
		if (!g) {
			g = calloc(1, sizeof *g);
			if (!g)
				abort();
			g->refs = 1; /* this run, until its own step's footprint is in */
			g->nz = r->nz;
			g->z = xrealloc(NULL, (size_t)(r->nz ? r->nz : 1) * sizeof *g->z);
			if (r->nz) /* r->z may be NULL when nothing sleeps */
				memcpy(g->z, r->z, (size_t)r->nz * sizeof *g->z);
			g->cap = nel;
			g->sib = xrealloc(NULL, (size_t)nel * sizeof *g->sib);
			g->sib[g->n++] = (struct sib){.w = t};
		}
		g->sib[g->n] = (struct sib){.w = u};
		struct item it = {.node = node_new(r->path, u), .cost = cost, .g = g, .gi = g->n++};
		g->refs++;
		push(x, it);
	}
	if (g) {
		r->pg = g;
		r->pgi = 0;
	}
	return t;
}

static int pct_choose(struct xrun *r, const int *el, int nel)
{
	struct explorer *x = r->x;
	for (int i = 0; i < nel; i++)
		if (r->prio[el[i]] < 0) /* first seen: a random priority above every change */
			r->prio[el[i]] = x->depth + (int)(splitmix(&r->rng) % 1000000);
	int best = el[0];
	for (int i = 1; i < nel; i++)
		if (r->prio[el[i]] > r->prio[best])
			best = el[i];
	for (int k = 0; k < x->depth - 1; k++)
		if (r->change[k] == r->depth) { /* change point k+1: the runner drops below all */
			r->prio[best] = k + 1;
			best = el[0];
			for (int i = 1; i < nel; i++)
				if (r->prio[el[i]] > r->prio[best])
					best = el[i];
		}
	return best;
}

static int choose(void *ud)
{
	struct xrun *r = ud;
	struct explorer *x = r->x;
	const struct model *m = engine_model(r->e);
	end_step(r);
	if (!r->met && goal_of_moment(&x->goal) &&
	    goal_check(&x->goal, m, engine_analysis(r->e), LS_OUT_NONE) == GOAL_MET) {
		r->met = 1; /* the run that got here is a witness: end it here */
		if (!x->map) {
			engine_finish(r->e, LS_OUT_STOPPED, _("the goal is met"));
			return -1;
		}
	}
	set_add(x, fingerprint(m));
	int el[LS_MAX_WORKERS], nel = 0;
	for (int i = 0; i < m->nw && i < LS_MAX_WORKERS; i++)
		if (model_eligible(m, i))
			el[nel++] = i;
	if (nel == 0)
		return -1;
	int c;
	if (r->depth < r->plen) {
		c = r->prefix[r->depth];
		if (!model_eligible(m, c)) { /* the same choices led elsewhere */
			r->nondet = 1;
			engine_finish(r->e, LS_OUT_STOPPED, NULL);
			return -1;
		}
		if (r->depth == r->plen - 1 && x->reduce) {
			/* this run's branch: asleep are the sleepers of that state
			 * and the siblings run before it */
			const struct group *g = r->it->g;
			for (int i = 0; i < g->nz; i++)
				sleep_push(r, g->z[i].w, &g->z[i].fp);
			for (int i = 0; i < g->n; i++)
				if (g->sib[i].done && i != r->it->gi)
					sleep_push(r, g->sib[i].w, &g->sib[i].fp);
			r->pg = r->it->g;
			r->pgi = r->it->gi;
			r->pg->refs++;
		}
	} else if (x->st == ST_BFS) {
		c = bfs_choose(r, el, nel);
		if (c < 0) { /* every eligible worker is asleep: a reordering of a run made */
			r->pruned = 1;
			engine_finish(r->e, LS_OUT_STOPPED, NULL);
			return -1;
		}
	} else if (x->st == ST_PCT) {
		c = pct_choose(r, el, nel);
	} else {
		c = el[splitmix(&r->rng) % (uint64_t)nel];
	}
	int prev_el = 0;
	for (int i = 0; i < nel; i++)
		prev_el |= el[i] == r->prev;
	int preempts = prev_el && c != r->prev;
	r->cost += preempts;
	if (r->depth == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->ch = xrealloc(r->ch, (size_t)r->cap * sizeof *r->ch);
		r->st = xrealloc(r->st, (size_t)r->cap * sizeof *r->st);
	}
	const struct m_worker *cw = &m->w[c], *pw = preempts ? &m->w[r->prev] : NULL;
	r->st[r->depth] = (struct xstep){c, cw->op, cw->op_obj, (int)cw->op_arg,
	                                 preempts ? r->prev : -1,
	                                 pw && pw->nholds ? pw->holds[0] : -1};
	r->ch[r->depth++] = c;
	if (x->st == ST_BFS && r->depth > r->plen) {
		struct pnode *n = node_new(r->path, c);
		node_unref(r->path);
		r->path = n;
	}
	r->prev = c;
	r->cur = (struct fp){0};
	r->stepping = 1;
	return c;
}

static void on_ended(void *ud)
{
	(void)ud;
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct xrun *r = w->data;
	engine_finish(r->e, LS_OUT_TIMEOUT, _("a run took longer than 20 s"));
}

/* The shared value a scene goal watches, or NULL. */
static const struct m_object *goal_value(const struct explorer *x, const struct model *m)
{
	if (x->goal.kind != GOAL_CHANGED && x->goal.kind != GOAL_BELOW)
		return NULL;
	for (int i = 0; i < m->no; i++)
		if (m->o[i].declared && m->o[i].kind == LS_OBJ_VALUE &&
		    strcmp(m->o[i].name, x->goal.value) == 0)
			return &m->o[i];
	return NULL;
}

/* ^C or SIGTERM: the run in progress is stopped, the search ends. */
static int signalled;
static struct xrun *current;

/* A goal about a shared value's end: --map counts the values. */
static int goal_value_kind(const struct goal *g)
{
	return g->kind == GOAL_CHANGED || g->kind == GOAL_BELOW;
}

/* The hitting run in words: its outcome and what it shows. */
static void run_summary(struct engine *e, char *buf, size_t n)
{
	const struct model *m = engine_model(e);
	const struct analysis *an = engine_analysis(e);
	enum ls_outcome out = engine_outcome(e);
	char cyc[400];
	if (out == LS_OUT_DEADLOCK && an->deadlock) {
		snprintf(buf, n, _("deadlock: %s"), analysis_cycle_text(m, an, cyc, sizeof cyc));
	} else if (out == LS_OUT_STALLED) {
		size_t len = (size_t)snprintf(buf, n, "%s", _("stall: every live worker waits:"));
		for (int i = 0; i < m->nw && len < n - LS_NAME_MAX - 2; i++)
			if (model_blocked(m, i))
				len += (size_t)snprintf(buf + len, n - len, " %s", m->w[i].name);
	} else if (*engine_error(e)) {
		snprintf(buf, n, "%s: %s", engine_outcome_name(out), engine_error(e));
	} else {
		snprintf(buf, n, "%s", engine_outcome_name(out));
	}
}

/* --map with a scene goal: how often each end value came out, in order. */
static void count_value(struct explorer *x, int64_t v)
{
	int k = 0;
	while (k < x->nvalues && x->values[k].v < v)
		k++;
	if (k < x->nvalues && x->values[k].v == v) {
		x->values[k].n++;
		return;
	}
	if (x->nvalues == VALUES_MAX) {
		x->other_values++;
		return;
	}
	memmove(x->values + k + 1, x->values + k, (size_t)(x->nvalues - k) * sizeof *x->values);
	x->values[k].v = v;
	x->values[k].n = 1;
	x->nvalues++;
}

/* Runs the scene once along `it` (NULL: from nothing). Returns 0, or -1
 * when the exploration must stop (x->err says why). */
static int one_run(struct explorer *x, const struct item *it, uint64_t idx)
{
	struct xrun r = {.x = x, .it = it, .prev = -1};
	if (it) {
		r.path = it->node;
		r.path->refs++;
		r.plen = it->node->len;
		r.prefix = xrealloc(NULL, (size_t)r.plen * sizeof *r.prefix);
		for (const struct pnode *n = it->node; n; n = n->parent)
			r.prefix[n->len - 1] = n->w;
	}
	r.rng = x->seed ^ (idx * 0x9e3779b97f4a7c15u);
	splitmix(&r.rng);
	if (x->st == ST_PCT) {
		r.prio = xrealloc(NULL, LS_MAX_WORKERS * sizeof *r.prio);
		for (int i = 0; i < LS_MAX_WORKERS; i++)
			r.prio[i] = -1;
		r.change = xrealloc(NULL, (size_t)(x->depth > 1 ? x->depth : 1) * sizeof *r.change);
		int k = x->maxlen > 0 ? x->maxlen : 1;
		for (int i = 0; i < x->depth - 1; i++)
			r.change[i] = (int)(splitmix(&r.rng) % (uint64_t)k);
	}
	struct engine_opts eo = *x->eo;
	eo.autostep = 1;
	eo.mode = LS_MODE_STEP;
	eo.schedule = NULL;
	eo.sched = LS_SCHED_RR;
	eo.settle_warn_s = 0;
	eo.free_run = 0;
	eo.until_deadlock = 0;
	eo.no_kernel_view = 1; /* nobody shows it; reading /proc was a sixth of a run */
	/* runs follow each other at once: a step's answer and the next grant
	 * come within microseconds, so the engine and parked workers poll
	 * briefly instead of sleeping, and one run directory serves every run */
	eo.spin_us = 50;
	eo.rundir = x->rundir[0] ? x->rundir : NULL;
	eo.detach_at_end = 1; /* the next run starts while the kernel ends this one */
	struct engine_cb cb = {.event = on_event, .ended = on_ended, .choose = choose};
	r.e = engine_new(x->loop, &eo, &cb, &r);
	int rc = 0;
	if (!r.e) {
		snprintf(x->err, sizeof x->err, "%s", _("out of memory"));
		rc = -1;
		goto out;
	}
	char err[256];
	if (engine_start(r.e, err, sizeof err) != 0) {
		snprintf(x->err, sizeof x->err, _("cannot start scene %s: %s"), eo.scene->id, err);
		rc = -1;
		goto out;
	}
	ev_timer_init(&r.timeout_w, timeout_cb, RUN_TIMEOUT_S, 0.);
	r.timeout_w.data = &r;
	ev_timer_start(x->loop, &r.timeout_w);
	current = &r;
	if (signalled)
		engine_finish(r.e, LS_OUT_STOPPED, _("interrupted"));
	ev_run(x->loop, 0);
	current = NULL;
	ev_timer_stop(x->loop, &r.timeout_w);
	end_step(&r);
	x->runs++;
	x->steps_total += (uint64_t)r.depth;
	if (r.depth > x->maxlen)
		x->maxlen = r.depth;
	enum ls_outcome out = engine_outcome(r.e);
	char names[4096];
	size_t len = 0;
	names[0] = 0;
	const struct model *m = engine_model(r.e);
	for (int i = 0; i < r.depth && len < sizeof names - LS_NAME_MAX - 2; i++)
		len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? "," : "",
		                        model_worker_name(m, r.ch[i]));
	if (signalled) {
		x->runs--; /* cut short by the user: no schedule was run */
	} else if (r.nondet) {
		snprintf(x->err, sizeof x->err,
		         _("the scene went another way on the same schedule (%s): it is not "
		           "deterministic under lockstep's control"), names);
		rc = -1;
	} else if (engine_check_failed(r.e) || out == LS_OUT_ERROR || out == LS_OUT_TIMEOUT ||
	           (out == LS_OUT_CRASHED && x->goal.kind != GOAL_CRASH)) {
		snprintf(x->err, sizeof x->err, _("run %llu (--schedule=%s) failed: %s"),
		         (unsigned long long)x->runs, names,
		         *engine_error(r.e) ? engine_error(r.e) : engine_outcome_name(out));
		rc = -1;
	} else if (r.pruned) {
		x->pruned++;
	} else {
		x->outcomes[out]++;
		const struct m_object *o =
			out == LS_OUT_FINISHED ? goal_value(x, m) : NULL;
		if (o && x->map)
			count_value(x, o->value);
		int hit = r.met || goal_check(&x->goal, m, engine_analysis(r.e), out) == GOAL_MET;
		if (x->feed && x->map) { /* xmap.h: run OUTCOME HIT VALUE SCHEDULE */
			printf("run\t%s\t%d\t", engine_outcome_name(out), hit);
			if (o)
				printf("%lld", (long long)o->value);
			else
				putchar('-');
			putchar('\t');
			feed_str(names);
			putchar('\n');
		}
		if (hit && (!x->found || r.cost < x->witcost)) {
			x->found = 1;
			x->witcost = r.cost;
			x->witlen = r.depth;
			x->witrun = x->runs;
			x->witout = out;
			snprintf(x->witnames, sizeof x->witnames, "%s", names);
			x->witsteps = xrealloc(x->witsteps, (size_t)(r.depth ? r.depth : 1) *
			                                        sizeof *x->witsteps);
			for (int i = 0; i < r.depth; i++) {
				const struct xstep *q = &r.st[i];
				struct wstep *ws = &x->witsteps[i];
				memset(ws, 0, sizeof *ws);
				snprintf(ws->w, sizeof ws->w, "%s", model_worker_name(m, q->w));
				snprintf(ws->op, sizeof ws->op, "%s", event_op_name(q->op));
				if (q->obj >= 0)
					snprintf(ws->obj, sizeof ws->obj, "%s", model_object_name(m, q->obj));
				else if (q->op == LS_OP_JOIN && model_worker(m, q->arg))
					snprintf(ws->obj, sizeof ws->obj, "%s", model_worker_name(m, q->arg));
				if (q->preempted >= 0)
					snprintf(ws->pre, sizeof ws->pre, "%s",
					         model_worker_name(m, q->preempted));
				if (q->held >= 0)
					snprintf(ws->held, sizeof ws->held, "%s", model_object_name(m, q->held));
			}
			run_summary(r.e, x->witsummary, sizeof x->witsummary);
			if (x->goal.scene_own) { /* a scene goal: say what it watches */
				char what[400];
				goal_what(&x->goal, m, engine_analysis(r.e), out, what, sizeof what);
				snprintf(x->witsummary, sizeof x->witsummary, "%s: %s", x->goal_name, what);
			}
		}
	}
out:
	engine_free(r.e);
	/* hosts end in the background: the loop's SIGCHLD handler reaps them
	 * (libev waits for every child), explore() waits for the last */
	if (r.pg)
		group_unref(r.pg);
	free(r.ch);
	free(r.st);
	free(r.prefix);
	node_unref(r.path);
	free(r.z);
	free(r.prio);
	free(r.change);
	return rc;
}

/* ---- the search ---- */

static int budget_left(const struct explorer *x)
{
	if (x->budget_runs > 0 && x->runs >= (uint64_t)x->budget_runs)
		return 0;
	if (x->budget_s > 0 && now_s() - x->t0 >= x->budget_s)
		return 0;
	return 1;
}

static void progress(struct explorer *x, int final)
{
	double t = now_s();
	if (!final && t - x->last_progress < (x->feed ? 0.1 : x->tty ? 0.25 : 1.0))
		return;
	x->last_progress = t;
	double el = t - x->t0;
	if (x->feed) { /* xmap.h: progress RUNS MS STATES FOUND COST LEVEL */
		printf("progress\t%llu\t%lld\t%zu\t%d\t%d\t%d\n", (unsigned long long)x->runs,
		       (long long)(el * 1000), x->setn, x->found, x->found ? x->witcost : -1, x->level);
		fflush(stdout);
		return;
	}
	char best[64];
	if (x->found)
		snprintf(best, sizeof best,
		         ngettext("best: %d preemption", "best: %d preemptions", (unsigned long)x->witcost),
		         x->witcost);
	else
		snprintf(best, sizeof best, "%s", _("no hit yet"));
	fprintf(stderr, _("%sexplore %s: %llu runs, %.0f runs/s, %zu distinct states, %s"),
	        x->tty ? "\r" : "", x->eo->scene->id, (unsigned long long)x->runs,
	        el > 0 ? (double)x->runs / el : 0.0, x->setn, best);
	if (x->st == ST_BFS)
		fprintf(stderr, _(", preemptions %d"), x->level);
	fputs(x->tty ? "\033[K" : "\n", stderr);
	if (final && x->tty)
		fputc('\n', stderr);
}

static void sig_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	signalled = 1;
	if (current) /* end the run now: it may be one that takes its time */
		engine_finish(current->e, LS_OUT_STOPPED, _("interrupted"));
}

/* 1: stop now (a hit that nothing cheaper can beat, or the map is done) */
static int search(struct explorer *x)
{
	if (x->st != ST_BFS) {
		for (uint64_t i = 0; budget_left(x) && !signalled; i++) {
			if (one_run(x, NULL, i) != 0)
				return -1;
			progress(x, 0);
			if (x->found)
				return 1;
		}
		return 0;
	}
	if (one_run(x, NULL, 0) != 0)
		return -1;
	progress(x, 0);
	struct item it;
	for (;;) {
		if (x->found && !x->map) {
			/* every item left costs at least x->level: a hit that
			 * costs no more is one of the cheapest */
			int lowest = COST_MAX + 1;
			for (int c = 0; c <= COST_MAX; c++)
				if (x->b[c].n) {
					lowest = c;
					break;
				}
			if (x->witcost <= lowest)
				return 1;
		}
		if (!budget_left(x) || signalled)
			return 0;
		if (x->pending > PENDING_MAX) {
			x->full = 1;
			return 0;
		}
		if (!pop(x, &it))
			return 2; /* exhausted */
		int rc = one_run(x, &it, x->runs);
		free_item(&it);
		if (rc != 0)
			return -1;
		progress(x, 0);
	}
}

static void drain(struct explorer *x)
{
	struct item it;
	while (pop(x, &it))
		free_item(&it);
	for (int c = 0; c <= COST_MAX; c++)
		free(x->b[c].v);
}

static int usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "lockstep: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s\n", _("Try 'lockstep --help'."));
	return LS_EXIT_USAGE;
}

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void explore_list_goals(const struct ls_scene *sc, const long *params, FILE *f)
{
	static const char *const builtin[] = {"deadlock", "stall", "crash"};
	struct goal g;
	for (int i = 0; i < 3; i++)
		if (goal_find(sc, params, builtin[i], &g) == 0)
			fprintf(f, "%s  %s\n", g.id, _(g.help));
	struct goal own[GOAL_MAX];
	int n = goal_scene_list(sc, params, own, GOAL_MAX);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s  %s\n", own[i].id, own[i].help ? _(own[i].help) : "");
}

/* The result for the terminal UI (xmap.h), each line tab-separated. */
static void print_feed(struct explorer *x, int res)
{
	for (int o = 0; o <= LS_OUT_STOPPED; o++)
		if (x->outcomes[o])
			printf("outcome\t%s\t%llu\n", engine_outcome_name((enum ls_outcome)o),
			       (unsigned long long)x->outcomes[o]);
	if (x->found) {
		printf("witness\t%d\t%d\t%llu\t%s\t", x->witlen, x->witcost,
		       (unsigned long long)x->witrun, engine_outcome_name(x->witout));
		feed_str(x->witnames);
		putchar('\n');
		for (int i = 0; i < x->witlen; i++) {
			const struct wstep *ws = &x->witsteps[i];
			const char *f[] = {ws->w, ws->op, ws->obj, ws->pre, ws->held};
			printf("step");
			for (int k = 0; k < 5; k++) {
				putchar('\t');
				feed_str(f[k]);
			}
			putchar('\n');
		}
		printf("summary\t");
		feed_str(x->witsummary);
		putchar('\n');
	}
	printf("result\t%s\t%llu\t%d\t%d\n", x->found ? "found" : res == 2 ? "exhausted" : "budget",
	       (unsigned long long)x->runs, x->bound, res == 2);
}

static void print_result(struct explorer *x, int res, double el)
{
	const char *g = x->goal_name;
	const char *scene = x->eo->scene->id;
	uint64_t without = x->runs + x->skipped;
	double factor = x->runs ? (double)without / (double)x->runs : 1.0;
	if (x->feed) {
		print_feed(x, res);
		return;
	}
	if (x->json) {
		struct jw j = {0};
		jw_begin(&j, '{');
		jw_kstr(&j, "type", "explore");
		jw_kstr(&j, "scene", scene);
		jw_kstr(&j, "goal", g);
		jw_kstr(&j, "strategy", strategy_names[x->st]);
		jw_kstr(&j, "result", x->found ? "found" : res == 2 ? "exhausted" : "budget");
		jw_kint(&j, "runs", (int64_t)x->runs);
		jw_kint(&j, "pruned_runs", (int64_t)x->pruned);
		jw_kint(&j, "distinct_states", (int64_t)x->setn);
		jw_kint(&j, "steps", (int64_t)x->steps_total);
		jw_kint(&j, "elapsed_ms", (int64_t)(el * 1000));
		jw_kint(&j, "runs_per_s", el > 0 ? (int64_t)((double)x->runs / el) : 0);
		jw_kstr(&j, "reduction", x->reduce ? "sleep-sets" : "none");
		jw_kint(&j, "skipped_branches", (int64_t)x->skipped);
		jw_kint(&j, "reduction_factor_x100", (int64_t)(factor * 100 + 0.5));
		jw_key(&j, "bound");
		if (x->bound >= 0)
			jw_int(&j, x->bound);
		else
			jw_null(&j);
		jw_kint(&j, "seed", (int64_t)x->seed);
		if (x->st == ST_BFS) {
			jw_kint(&j, "pending", (int64_t)x->pending);
			jw_kbool(&j, "list_full", x->full);
		}
		if (x->map) {
			jw_key(&j, "outcomes");
			jw_begin(&j, '{');
			for (int o = 0; o <= LS_OUT_STOPPED; o++)
				if (x->outcomes[o])
					jw_kint(&j, engine_outcome_name((enum ls_outcome)o),
					        (int64_t)x->outcomes[o]);
			jw_end(&j, '}');
			jw_kbool(&j, "complete", res == 2);
			if (goal_value_kind(&x->goal)) {
				char key[32];
				jw_kstr(&j, "value", x->goal.value);
				jw_key(&j, "values");
				jw_begin(&j, '{');
				for (int k = 0; k < x->nvalues; k++) {
					snprintf(key, sizeof key, "%lld", (long long)x->values[k].v);
					jw_kint(&j, key, (int64_t)x->values[k].n);
				}
				if (x->other_values)
					jw_kint(&j, "other", (int64_t)x->other_values);
				jw_end(&j, '}');
			}
		}
		if (x->found) {
			jw_key(&j, "witness");
			jw_begin(&j, '{');
			jw_kstr(&j, "schedule", x->witnames);
			jw_kint(&j, "length", x->witlen);
			jw_kint(&j, "preemptions", x->witcost);
			jw_kint(&j, "run", (int64_t)x->witrun);
			jw_kstr(&j, "outcome", engine_outcome_name(x->witout));
			jw_kstr(&j, "summary", x->witsummary);
			jw_key(&j, "steps");
			jw_begin(&j, '[');
			for (int i = 0; i < x->witlen; i++) {
				const struct wstep *ws = &x->witsteps[i];
				jw_begin(&j, '{');
				jw_kstr(&j, "worker", ws->w);
				jw_kstr(&j, "op", ws->op);
				if (*ws->obj)
					jw_kstr(&j, "object", ws->obj);
				if (*ws->pre)
					jw_kstr(&j, "preempts", ws->pre);
				if (*ws->held)
					jw_kstr(&j, "preempted_holds", ws->held);
				jw_end(&j, '}');
			}
			jw_end(&j, ']');
			jw_end(&j, '}');
		}
		jw_end(&j, '}');
		jw_line(&j, stdout);
		jw_free(&j);
		return;
	}
	if (x->map) {
		printf(_("%s: %s the outcomes of %llu schedules:"), scene,
		       res == 2 ? _("every schedule run;") : _("budget spent;"),
		       (unsigned long long)x->runs);
		const char *sep = " ";
		for (int o = 0; o <= LS_OUT_STOPPED; o++)
			if (x->outcomes[o]) {
				printf("%s%s %llu", sep, engine_outcome_name((enum ls_outcome)o),
				       (unsigned long long)x->outcomes[o]);
				sep = ", ";
			}
		printf("\n");
		if (goal_value_kind(&x->goal) && (x->nvalues || x->other_values)) {
			printf("%s", x->goal.value);
			for (int k = 0; k < x->nvalues; k++)
				printf("%s %lld: %llu", k ? "," : "", (long long)x->values[k].v,
				       (unsigned long long)x->values[k].n);
			if (x->other_values)
				printf(_(", other values: %llu"), (unsigned long long)x->other_values);
			printf("\n");
		}
	}
	if (x->found) {
		printf(_("%s reaches %s in run %llu of %llu.\n"), scene, g,
		       (unsigned long long)x->witrun, (unsigned long long)x->runs);
		printf(_("witness: --schedule=%s\n"), x->witnames);
		printf(ngettext("length %d steps, ", "length %d steps, ", (unsigned long)x->witlen),
		       x->witlen);
		printf(ngettext("%d preemption\n", "%d preemptions\n", (unsigned long)x->witcost),
		       x->witcost);
		for (int i = 0; i < x->witlen; i++) {
			const struct wstep *ws = &x->witsteps[i];
			printf("  %d. %s: %s%s%s", i + 1, ws->w, ws->op, *ws->obj ? " " : "", ws->obj);
			if (*ws->pre && *ws->held)
				printf(_(" (here %s is switched in while %s holds %s)"), ws->w, ws->pre,
				       ws->held);
			else if (*ws->pre)
				printf(_(" (here %s is switched in while %s could go on)"), ws->w, ws->pre);
			printf("\n");
		}
		printf("%s\n", x->witsummary);
		printf(_("replay: lockstep %s --headless --schedule=%s\n"), scene, x->witnames);
	} else if (res == 2 && x->bound >= 0) {
		printf(ngettext("no schedule with up to %d preemption reaches %s (%llu runs)\n",
		                "no schedule with up to %d preemptions reaches %s (%llu runs)\n",
		                (unsigned long)x->bound),
		       x->bound, g, (unsigned long long)x->runs);
	} else if (res == 2 && x->reduce) {
		printf(_("no schedule reaches %s: every interleaving was run, up to reordering "
		         "independent steps (%llu runs)\n"),
		       g, (unsigned long long)x->runs);
	} else if (res == 2) {
		printf(_("no schedule reaches %s: every interleaving was run (%llu runs)\n"), g,
		       (unsigned long long)x->runs);
	} else {
		printf(_("budget spent: %llu runs, none reached %s\n"), (unsigned long long)x->runs, g);
		if (x->full)
			printf(_("(stopped with %zu schedules still to try, as many as it keeps in memory: "
			         "try --preemptions, smaller parameters, or --strategy=pct)\n"),
			       x->pending);
	}
	if (x->reduce)
		printf(_("sleep sets skipped %llu branches and cut %llu runs short: %llu runs instead "
		         "of at least %llu (%.1fx)\n"),
		       (unsigned long long)x->skipped, (unsigned long long)x->pruned,
		       (unsigned long long)x->runs, (unsigned long long)without, factor);
}

static struct explore_stats last;

void explore_last_stats(struct explore_stats *s)
{
	*s = last;
}

static int explore(const struct engine_opts *eo, const struct explore_opts *xo);

int explore_main(const struct engine_opts *eo, const struct explore_opts *xo)
{
	last = (struct explore_stats){0};
	last.exit_code = explore(eo, xo);
	return last.exit_code;
}

static int explore(const struct engine_opts *eo, const struct explore_opts *xo)
{
	struct explorer x = {.eo = eo, .bound = xo->bound, .seed = xo->seed, .json = xo->json,
	                     .feed = xo->feed,
	                     .map = xo->map, .depth = xo->depth > 0 ? xo->depth : 3};
	x.goal_name = xo->goal ? xo->goal : "deadlock";
	int gr = goal_find(eo->scene, eo->params, x.goal_name, &x.goal);
	if (gr == -1)
		return usage(_("--goal takes deadlock, stall, crash or a goal of the scene's "
		               "own, not '%s' (see --list-goals SCENE)"),
		             xo->goal);
	if (gr == -2) {
		fprintf(stderr, _("lockstep: scene %s declares goal %s wrongly (a value to watch, "
		                  "a test, and for 'below' the parameters it names)\n"),
		        eo->scene->id, x.goal_name);
		return LS_EXIT_ERROR;
	}
	int v = 0;
	v = xo->strategy ? lookup(xo->strategy, strategy_names, 3) : 0;
	if (v < 0)
		return usage(_("--strategy takes bfs, pct or random, not '%s'"), xo->strategy);
	x.st = (enum strategy)v;
	/* sleep sets keep one schedule of each class of reorderings, but not
	 * always the one with the fewest preemptions: on by request, for the
	 * exhaustive "never" (DESIGN.md) */
	x.reduce = 0;
	if (xo->reduction && strcmp(xo->reduction, "sleep") == 0)
		x.reduce = 1;
	else if (xo->reduction && strcmp(xo->reduction, "none") != 0)
		return usage(_("--reduction takes sleep or none, not '%s'"), xo->reduction);
	if (eo->scene->flags & LS_SCENE_FREE_RUN) {
		fprintf(stderr, _("lockstep: scene %s measures real time and only runs freely: it has "
		                  "no schedules to explore\n"),
		        eo->scene->id);
		return LS_EXIT_USAGE;
	}
	if (xo->depth > 0 && x.st != ST_PCT)
		return usage("%s", _("--depth is pct's: it needs --strategy=pct"));
	if (x.st != ST_BFS && (x.bound >= 0 || x.map || x.reduce))
		return usage("%s", _("--preemptions, --map and --reduction=sleep need --strategy=bfs"));
	/* a bound and the reduction do not mix: a schedule within the bound
	 * may be skipped as a reordering of one beyond it (DESIGN.md); the
	 * map counts schedules, not classes of them */
	if (x.reduce && (x.bound >= 0 || x.map))
		return usage("%s", _("--reduction=sleep explores without --preemptions or --map"));
	x.budget_s = 60;
	if (xo->budget) {
		char *end;
		errno = 0;
		double b = strtod(xo->budget, &end);
		if (errno || end == xo->budget || b <= 0 || b > 1e9 ||
		    (*end && strcmp(end, "s") != 0) || (!*end && b != (double)(long)b))
			return usage(_("--budget takes a number of runs (500) or of seconds (30s), "
			               "not '%s'"),
			             xo->budget);
		if (*end) {
			x.budget_s = b;
		} else {
			x.budget_runs = (long)b;
			x.budget_s = 0;
		}
	}
	x.tty = isatty(2);
	x.loop = EV_DEFAULT;
	ev_signal int_w, term_w;
	ev_signal_init(&int_w, sig_cb, SIGINT);
	ev_signal_init(&term_w, sig_cb, SIGTERM);
	ev_signal_start(x.loop, &int_w);
	ev_signal_start(x.loop, &term_w);
	x.t0 = x.last_progress = now_s();
	if (!x.reduce)
		x.skipped = 0;
	char token[RUNDIR_TOKEN], why[256];
	if (rundir_make(x.rundir, token, why, sizeof why) != 0)
		x.rundir[0] = '\0'; /* each run makes its own, and says why if it cannot */
	int res = search(&x);
	double el = now_s() - x.t0;
	last.runs = x.runs;
	last.pruned = x.pruned;
	last.seconds = el;
	progress(&x, 1);
	ev_signal_stop(x.loop, &int_w);
	ev_signal_stop(x.loop, &term_w);
	int rc;
	if (res < 0) {
		fprintf(stderr, "lockstep: %s\n", x.err);
		rc = LS_EXIT_ERROR;
	} else if (signalled && !x.found) {
		fprintf(stderr, "lockstep: %s\n", _("interrupted"));
		rc = LS_EXIT_ERROR;
	} else {
		print_result(&x, res, el);
		fflush(stdout);
		rc = x.found ? LS_EXIT_OK : res == 2 ? LS_EXIT_EXHAUSTED : LS_EXIT_BUDGET;
	}
	drain(&x);
	engine_reap_all();
	rundir_remove(x.rundir);
	free(x.set);
	free(x.witsteps);
	return rc;
}
