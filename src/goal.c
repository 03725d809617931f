/* goal: what a scene dares a student to make happen, and whether a run has
 * (goal.h). The scene's arrays are read through the module the descriptor
 * came from; the tests are pure reads of the model and the analysis. */
#include "goal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"

/* The module a descriptor lives in, loaded already (the catalog keeps it):
 * symbol `name` in it, or NULL. */
static const void *scene_symbol(const struct ls_scene *sc, const char *name)
{
	Dl_info info;
	if (!sc || !dladdr(sc, &info) || !info.dli_fname)
		return NULL;
	void *h = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
	if (!h)
		return NULL;
	const void *p = dlsym(h, name);
	dlclose(h); /* the catalog keeps it loaded */
	return p;
}

/* The product of the parameters "a*b" names; -1 if one is unknown. */
static long param_product(const struct ls_scene *sc, const long *params, const char *names)
{
	long v = 1;
	const char *p = names ? names : "";
	while (*p) {
		size_t len = strcspn(p, "*");
		int idx = -1;
		for (int i = 0; sc->params && sc->params[i].name; i++)
			if (strlen(sc->params[i].name) == len && strncmp(sc->params[i].name, p, len) == 0)
				idx = i;
		if (idx < 0)
			return -1;
		v *= params[idx];
		p += len + (p[len] == '*');
	}
	return v;
}

/* A module built before the goals grew `why` and `fewest` exports no
 * size: its entries end where `why` begins. */
static size_t goal_stride(const struct ls_scene *sc)
{
	const unsigned *size = scene_symbol(sc, "lockstep_goal_size");
	if (!size)
		return offsetof(struct ls_goal, why);
	return *size;
}

/* One declared goal, resolved; -1 if declared wrongly. */
static int resolve(const struct ls_scene *sc, const long *params, const struct ls_goal *d,
                   struct goal *g)
{
	memset(g, 0, sizeof *g);
	snprintf(g->id, sizeof g->id, "%s", d->id);
	g->help = d->help;
	g->value = d->value;
	g->why = d->why;
	g->fewest = d->fewest > 0 ? d->fewest : 0;
	g->scene_own = 1;
	switch (d->test) {
	case LS_GOAL_CHANGED: g->kind = GOAL_CHANGED; break;
	case LS_GOAL_BELOW: g->kind = GOAL_BELOW; break;
	case LS_GOAL_DEADLOCK: g->kind = GOAL_DEADLOCK; break;
	case LS_GOAL_STALL: g->kind = GOAL_STALL; break;
	case LS_GOAL_FULL: g->kind = GOAL_FULL; break;
	case LS_GOAL_PRINTED: g->kind = GOAL_PRINTED; break;
	case LS_GOAL_IMPOSSIBLE: g->kind = GOAL_IMPOSSIBLE; break;
	default: return -1;
	}
	switch (g->kind) {
	case GOAL_CHANGED:
	case GOAL_FULL:
	case GOAL_PRINTED:
		return g->value ? 0 : -1;
	case GOAL_BELOW:
		if (!g->value)
			return -1;
		__attribute__((fallthrough)); /* the bound */
	case GOAL_DEADLOCK:
		g->bound = d->params ? param_product(sc, params, d->params) : 0;
		return g->bound < 0 ? -1 : 0;
	case GOAL_IMPOSSIBLE:
		return g->why ? 0 : -1;
	default:
		return 0;
	}
}

/* Calls fn for each declared entry, copied whole whatever the module's
 * struct size; stops when fn returns nonzero. */
static int each_declared(const struct ls_scene *sc, int (*fn)(const struct ls_goal *d, void *ud),
                         void *ud)
{
	const char *arr = scene_symbol(sc, "lockstep_goals");
	if (!arr)
		return 0;
	size_t stride = goal_stride(sc);
	if (stride < offsetof(struct ls_goal, why))
		return 0;
	for (int i = 0; i < GOAL_MAX * 4; i++) {
		struct ls_goal d = {0};
		memcpy(&d, arr + (size_t)i * stride, stride < sizeof d ? stride : sizeof d);
		if (!d.id)
			break;
		int r = fn(&d, ud);
		if (r)
			return r;
	}
	return 0;
}

struct list_ud {
	const struct ls_scene *sc;
	const long *params;
	struct goal *out;
	int n, max;
	const char *want; /* goal_find: this id */
	int found;        /* 1 found, -2 declared wrongly */
};

static int list_one(const struct ls_goal *d, void *ud)
{
	struct list_ud *u = ud;
	if (u->want) {
		if (strcmp(d->id, u->want) != 0)
			return 0;
		u->found = resolve(u->sc, u->params, d, u->out) == 0 ? 1 : -2;
		return 1;
	}
	if (u->n < u->max && resolve(u->sc, u->params, d, &u->out[u->n]) == 0)
		u->n++;
	return u->n >= u->max;
}

int goal_scene_list(const struct ls_scene *sc, const long *params, struct goal *out, int max)
{
	struct list_ud u = {.sc = sc, .params = params, .out = out, .max = max};
	each_declared(sc, list_one, &u);
	return u.n;
}

int goal_find(const struct ls_scene *sc, const long *params, const char *id, struct goal *g)
{
	static const struct {
		const char *id, *help;
		enum goal_kind kind;
	} builtin[] = {
		{"deadlock", N_("a circle of workers, each waiting for the next"), GOAL_DEADLOCK},
		{"stall", N_("every live worker waits and nobody can wake them, without a circle"),
		 GOAL_STALL},
		{"crash", N_("the scene dies of a signal"), GOAL_CRASH},
	};
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		if (strcmp(id, builtin[i].id) == 0) {
			memset(g, 0, sizeof *g);
			snprintf(g->id, sizeof g->id, "%s", id);
			g->help = builtin[i].help;
			g->kind = builtin[i].kind;
			return 0;
		}
	struct list_ud u = {.sc = sc, .params = params, .out = g, .want = id};
	each_declared(sc, list_one, &u);
	return u.found == 1 ? 0 : u.found == -2 ? -2 : -1;
}

static const struct m_object *object_named(const struct model *m, const char *name, int kind)
{
	for (int i = 0; i < m->no; i++)
		if (m->o[i].declared && (kind < 0 || m->o[i].kind == kind) &&
		    strcmp(m->o[i].name, name) == 0)
			return &m->o[i];
	return NULL;
}

static int full_now(const struct m_object *o)
{
	switch (o->kind) {
	case LS_OBJ_QUEUE:
	case LS_OBJ_PIPE:
	case LS_OBJ_FIFO:
	case LS_OBJ_MQUEUE: return o->cap > 0 && o->nitems >= o->cap;
	case LS_OBJ_SEM: return o->value <= 0;
	default: return 0;
	}
}

static int printed(const struct model *m, const char *line)
{
	uint64_t first = m->nsays > LS_SAYS_N ? m->nsays - LS_SAYS_N : 0;
	for (uint64_t i = first; i < m->nsays; i++) {
		const struct m_say *s = &m->says[i % LS_SAYS_N];
		if (s->output && strstr(s->text, line))
			return 1;
	}
	return 0;
}

static int workers_in_cycle(const struct analysis *an)
{
	int n = 0;
	for (int i = 0; i < an->ncycle; i++)
		n += !an->cycle[i].is_object;
	return n;
}

enum goal_verdict goal_check(const struct goal *g, const struct model *m,
                             const struct analysis *an, enum ls_outcome out)
{
	int over = out != LS_OUT_NONE;
	int met = 0;
	switch (g->kind) {
	case GOAL_DEADLOCK:
		met = (out == LS_OUT_DEADLOCK ||
		       (an->deadlock && an->cycle_kind == AN_CYCLE_DEADLOCK)) &&
		      (g->bound <= 0 || workers_in_cycle(an) >= g->bound);
		break;
	case GOAL_STALL:
		met = out == LS_OUT_STALLED || (out == LS_OUT_NONE && an->stalled && !an->deadlock);
		break;
	case GOAL_CRASH: met = out == LS_OUT_CRASHED; break;
	case GOAL_CHANGED:
	case GOAL_BELOW: {
		const struct m_object *o =
		    out == LS_OUT_FINISHED ? object_named(m, g->value, LS_OBJ_VALUE) : NULL;
		met = o && (g->kind == GOAL_CHANGED ? o->value != o->initial : o->value < g->bound);
		break;
	}
	case GOAL_FULL: {
		const struct m_object *o = object_named(m, g->value, -1);
		met = o && full_now(o);
		break;
	}
	case GOAL_PRINTED: met = printed(m, g->value); break;
	case GOAL_IMPOSSIBLE: met = 0; break;
	}
	return met ? GOAL_MET : over ? GOAL_MISSED : GOAL_OPEN;
}

int goal_of_moment(const struct goal *g)
{
	return g->kind == GOAL_FULL || g->kind == GOAL_PRINTED;
}

void goal_progress(const struct goal *g, const struct model *m, char *buf, size_t n)
{
	*buf = 0;
	const struct m_object *o;
	switch (g->kind) {
	case GOAL_CHANGED:
	case GOAL_BELOW:
		if ((o = object_named(m, g->value, LS_OBJ_VALUE)))
			snprintf(buf, n, _("%s %lld (from %lld)"), o->name, (long long)o->value,
			         (long long)o->initial);
		break;
	case GOAL_FULL:
		if ((o = object_named(m, g->value, -1)) && o->kind == LS_OBJ_SEM)
			snprintf(buf, n, _("%s: %lld free"), o->name, (long long)o->value);
		else if (o)
			snprintf(buf, n, _("%s: %d of %lld"), o->name, o->nitems, (long long)o->cap);
		break;
	case GOAL_IMPOSSIBLE: snprintf(buf, n, "%s", _("impossible")); break;
	default: break;
	}
}

void goal_what(const struct goal *g, const struct model *m, const struct analysis *an,
               enum ls_outcome out, char *buf, size_t n)
{
	const struct m_object *o;
	switch (g->kind) {
	case GOAL_DEADLOCK: {
		char cyc[400] = "";
		if (an->deadlock)
			analysis_cycle_text(m, an, cyc, sizeof cyc);
		snprintf(buf, n, _("deadlock: %s"), cyc);
		return;
	}
	case GOAL_CHANGED:
	case GOAL_BELOW:
		if ((o = object_named(m, g->value, LS_OBJ_VALUE))) {
			snprintf(buf, n, _("%s ended at %lld, not %lld"), o->name, (long long)o->value,
			         (long long)(g->kind == GOAL_CHANGED ? o->initial : g->bound));
			return;
		}
		break;
	case GOAL_FULL:
		if ((o = object_named(m, g->value, -1))) {
			snprintf(buf, n, _("%s is full"), o->name);
			return;
		}
		break;
	case GOAL_PRINTED: snprintf(buf, n, _("printed: %s"), g->value); return;
	case GOAL_IMPOSSIBLE: snprintf(buf, n, "%s", _(g->why)); return;
	default: break;
	}
	snprintf(buf, n, "%s", engine_outcome_name(out));
}

int goal_predictions(const struct ls_scene *sc, struct ls_prediction *out, int max)
{
	const struct ls_prediction *p = scene_symbol(sc, "lockstep_predictions");
	int n = 0;
	for (int i = 0; p && p[i].ask && n < max; i++)
		out[n++] = p[i];
	return n;
}
