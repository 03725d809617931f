/* ui_challenge: the classroom in the terminal (issue 18).
 *
 * Challenges: `a` lists the scene's goals (goal.h, the ones the explorer
 * and --grade use); Enter picks the one the header tracks; when the run
 * meets it lockstep says so, with the steps used and the fewest known.
 * Predictions: `p` (and, with --predict, each moment the scene marks with
 * LS_PREDICTIONS) asks who moves next, what a value will be or who wakes
 * up; one key per answer; the step is taken and the answer revealed.
 * The state lives in the view (struct ui_classroom); everything here reads
 * the model and never calls the engine: app.c steps. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

/* ---- challenges ---- */

void classroom_load(struct ui_classroom *cl, const struct ls_scene *sc, const long *params,
                    int same_scene)
{
	char active[64] = "";
	if (same_scene && cl->active >= 0 && cl->active < cl->ngoals)
		snprintf(active, sizeof active, "%s", cl->goals[cl->active].id);
	int right = cl->right, total = cl->total;
	memset(cl, 0, sizeof *cl);
	cl->ngoals = goal_scene_list(sc, params, cl->goals, GOAL_MAX);
	cl->npoints = goal_predictions(sc, cl->points, (int)(sizeof cl->points / sizeof cl->points[0]));
	cl->active = -1;
	cl->obj = -1;
	cl->answer = -1;
	for (int i = 0; i < cl->ngoals; i++)
		if (strcmp(cl->goals[i].id, active) == 0)
			cl->active = cl->sel = i;
	if (same_scene) { /* the class's tally goes on across restarts */
		cl->right = right;
		cl->total = total;
	}
}

int classroom_track(struct ui_classroom *cl, const struct model *m, const struct analysis *an,
                    enum ls_outcome out)
{
	if (cl->active < 0 || cl->met)
		return 0;
	if (goal_check(&cl->goals[cl->active], m, an, out) != GOAL_MET)
		return 0;
	cl->met = 1;
	cl->met_steps = m->steps;
	return 1;
}

void classroom_met_line(const struct ui_classroom *cl, char *buf, size_t n)
{
	const struct goal *g = &cl->goals[cl->active];
	char fewest[96];
	if (g->fewest)
		snprintf(fewest, sizeof fewest, _("the fewest known: %d"), g->fewest);
	else
		snprintf(fewest, sizeof fewest, "%s", _("the fewest possible: unknown"));
	snprintf(buf, n,
	         PL_("Challenge met: %s, in %llu step; %s", "Challenge met: %s, in %llu steps; %s",
	             cl->met_steps),
	         _(g->help), (unsigned long long)cl->met_steps, fewest);
}

void classroom_header(const struct ui_classroom *cl, const struct model *m, char *buf, size_t n,
                      int *role)
{
	*buf = 0;
	if (cl->active < 0)
		return;
	const struct goal *g = &cl->goals[cl->active];
	char prog[160];
	if (cl->met) {
		if (g->fewest)
			snprintf(buf, n, _(" %s %s: met in %llu (fewest %d) "), draw_glyph(G_OK), g->id,
			         (unsigned long long)cl->met_steps, g->fewest);
		else
			snprintf(buf, n, _(" %s %s: met in %llu "), draw_glyph(G_OK), g->id,
			         (unsigned long long)cl->met_steps);
		*role = TH_GOOD;
		return;
	}
	goal_progress(g, m, prog, sizeof prog);
	snprintf(buf, n, _(" challenge %s%s%s "), g->id, *prog ? ": " : "", prog);
	*role = TH_HINT;
}

struct lines {
	char l[6][200];
	int n;
};

static void collect(void *ud, const char *s, size_t len)
{
	struct lines *w = ud;
	if (w->n < 6) {
		snprintf(w->l[w->n], sizeof w->l[0], "%.*s", (int)len, s);
		w->n++;
	}
}

/* One challenge's text: what it asks, then impossible's reason or the
 * fewest steps known. */
static void challenge_text(const struct goal *g, char *buf, size_t n)
{
	if (g->kind == GOAL_IMPOSSIBLE)
		snprintf(buf, n, _("%s. Impossible: %s"), _(g->help), _(g->why));
	else if (g->fewest)
		snprintf(buf, n, _("%s. Fewest steps known: %d"), _(g->help), g->fewest);
	else
		snprintf(buf, n, "%s", _(g->help));
}

static int challenge_rows(const struct ui_classroom *cl, int w)
{
	int rows = 0;
	char t[600];
	for (int i = 0; i < cl->ngoals; i++) {
		challenge_text(&cl->goals[i], t, sizeof t);
		rows += text_wrap(t, w - 4, NULL, NULL);
	}
	return rows;
}

static void challenges_draw(const struct ui_ctx *c)
{
	const struct ui_classroom *cl = &c->v->cls;
	struct rect r = draw_centred(c->rows, c->cols, 76, 1000);
	int body = cl->ngoals ? challenge_rows(cl, r.w - 4) : 1;
	r = draw_centred(c->rows, c->cols, 76, body + 4);
	draw_clear(r);
	draw_box(r, _("Challenges (Enter tracks one, Esc closes)"), 1, TH_FOCUS);
	int x = r.x + 2, w = r.w - 4, y = r.y + 1, bottom = r.y + r.h - 2;
	if (!cl->ngoals) {
		draw_text(y, x, w, _("This scene sets no challenges."), TH_DIM);
		return;
	}
	char t[600];
	for (int i = 0; i < cl->ngoals && y < bottom; i++) {
		const struct goal *g = &cl->goals[i];
		challenge_text(g, t, sizeof t);
		struct lines ls = {.n = 0};
		text_wrap(t, w - 4, collect, &ls);
		const char *mark = i == cl->active ? (cl->met ? draw_glyph(G_OK) : draw_glyph(G_FOCUS))
		                                   : " ";
		for (int k = 0; k < ls.n && y < bottom; k++, y++) {
			if (k == 0) {
				draw_textf(y, x, 4, i == cl->sel ? TH_SELECT : TH_KEY, "%s%d", mark, i + 1);
			}
			draw_text(y, x + 4, w - 4, ls.l[k],
			          i == cl->sel ? TH_SELECT : g->kind == GOAL_IMPOSSIBLE ? TH_DIM : TH_NORMAL);
		}
	}
	draw_text(r.y + r.h - 2, x, w, _("1-9 or ↑↓ choose; Enter tracks it in the header"), TH_DIM);
}

static enum ui_ov_act challenges_key(const struct ui_ctx *c, struct view *v, int key)
{
	struct ui_classroom *cl = &v->cls;
	if (key >= '1' && key <= '9' && key - '1' < cl->ngoals) {
		cl->sel = key - '1';
		return UI_OV_STAY;
	}
	enum km_action act = km_lookup(key, KM_LIST, NULL);
	switch (act) {
	case KM_CLOSE: case KM_QUIT: return UI_OV_CLOSE;
	case KM_PICK:
		if (cl->ngoals && cl->sel != cl->active) {
			cl->active = cl->sel;
			cl->met = 0; /* tracked from now: app.c checks the model at once */
		}
		return UI_OV_CLOSE;
	default:
		if (key == 'o' || key == 'O')
			return UI_OV_CLOSE;
		if (cl->ngoals)
			cl->sel = ui_scroll_key(act, cl->sel, cl->ngoals - 1, 5);
		return UI_OV_STAY;
	}
}

static enum ui_ov_act challenges_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	return UI_OV_CLOSE;
}

const struct overlay_ops overlay_challenges = {
	.draw = challenges_draw, .on_key = challenges_key, .on_click = challenges_click,
};

/* ---- predictions ---- */

static int releases(int op)
{
	switch (op) {
	case LS_OP_UNLOCK: case LS_OP_SEM_POST: case LS_OP_COND_SIGNAL: case LS_OP_COND_BROADCAST:
	case LS_OP_PUT: case LS_OP_GET: case LS_OP_EVENT_SET: case LS_OP_BARRIER_WAIT:
	case LS_OP_SEND: case LS_OP_RECEIVE:
		return 1;
	default: return 0;
	}
}

static int object_id(const struct model *m, const char *name)
{
	for (int i = 0; name && i < m->no; i++)
		if (m->o[i].declared && strcmp(m->o[i].name, name) == 0)
			return i;
	return -1;
}

/* Who a release of `obj` may wake: its waiters; a lock's waiters, or a
 * condition's, are the workers parked on it. */
static int waiting_on(const struct model *m, int obj, int w)
{
	const struct m_object *o = &m->o[obj];
	for (int i = 0; i < o->nwaiters; i++)
		if (o->waiters[i] == w)
			return 1;
	return 0;
}

static int set_next(struct ui_classroom *cl, const struct model *m, int obj)
{
	cl->nchoices = 0;
	for (int i = 0; i < m->nw && cl->nchoices < UI_CHOICES; i++)
		if (model_eligible(m, i)) {
			cl->choice[cl->nchoices].worker = i;
			cl->choice[cl->nchoices].steps = m->w[i].steps;
			cl->nchoices++;
		}
	if (cl->nchoices < 2)
		return 0;
	cl->ask = LS_ASK_NEXT;
	cl->obj = obj;
	return 1;
}

static int set_wakes(struct ui_classroom *cl, const struct model *m, int obj)
{
	const struct m_object *o = &m->o[obj];
	cl->nchoices = 0;
	for (int i = 0; i < o->nwaiters && cl->nchoices < UI_CHOICES - 1; i++) {
		int w = o->waiters[i];
		if (model_woken(m, w))
			continue; /* woken already: no news */
		cl->choice[cl->nchoices].worker = w;
		cl->nchoices++;
	}
	if (cl->nchoices == 0)
		return 0;
	cl->choice[cl->nchoices++].worker = -1; /* nobody */
	cl->ask = LS_ASK_WAKES;
	cl->obj = obj;
	return 1;
}

static void add_value(struct ui_classroom *cl, int64_t v)
{
	for (int i = 0; i < cl->nchoices; i++)
		if (cl->choice[i].value == v)
			return;
	int k = cl->nchoices++;
	while (k > 0 && cl->choice[k - 1].value > v) {
		cl->choice[k] = cl->choice[k - 1];
		k--;
	}
	cl->choice[k].value = v;
	cl->choice[k].worker = -1;
}

static int set_value(struct ui_classroom *cl, const struct model *m, int obj, int next)
{
	const struct m_object *o = &m->o[obj];
	cl->nchoices = 0;
	add_value(cl, o->value);
	add_value(cl, m->w[next].op_arg);
	add_value(cl, o->value + 1);
	add_value(cl, o->value - 1);
	cl->ask = LS_ASK_VALUE;
	cl->obj = obj;
	return 1;
}

/* The question a point asks now, if this is its moment. */
static int point_now(struct ui_classroom *cl, const struct model *m, int next,
                     const struct ls_prediction *p)
{
	int obj = object_id(m, p->object);
	if (p->object && obj < 0)
		return 0;
	const struct m_worker *w = &m->w[next];
	switch (p->ask) {
	case LS_ASK_VALUE:
		return w->op == LS_OP_WRITE && w->op_obj == obj && set_value(cl, m, obj, next);
	case LS_ASK_WAKES:
		return releases(w->op) && w->op_obj == obj && set_wakes(cl, m, obj);
	case LS_ASK_NEXT: {
		int touches = obj < 0;
		for (int i = 0; i < m->nw && !touches; i++)
			touches = model_eligible(m, i) && m->w[i].op_obj == obj;
		return touches && set_next(cl, m, obj);
	}
	}
	return 0;
}

int classroom_ask(struct ui_classroom *cl, const struct model *m, int next, int marked_only,
                  char *why, size_t n)
{
	cl->ask = 0;
	cl->answer = -1;
	cl->pending = 0;
	*why = 0;
	if (next < 0 || next >= m->nw) {
		snprintf(why, n, "%s", _("nothing to predict: nobody can move now"));
		return 0;
	}
	for (int i = 0; i < cl->npoints; i++)
		if (point_now(cl, m, next, &cl->points[i]))
			goto asked;
	if (marked_only)
		return 0;
	/* any moment: what the next step does decides the question */
	const struct m_worker *w = &m->w[next];
	if (w->op_obj >= 0 && w->op_obj < m->no && releases(w->op) && set_wakes(cl, m, w->op_obj))
		goto asked;
	if (w->op == LS_OP_WRITE && w->op_obj >= 0 && w->op_obj < m->no &&
	    m->o[w->op_obj].kind == LS_OBJ_VALUE && set_value(cl, m, w->op_obj, next))
		goto asked;
	if (set_next(cl, m, -1))
		goto asked;
	snprintf(why, n, _("nothing to predict: only %s can move"), model_worker_name(m, next));
	return 0;
asked:
	cl->asked_step = m->steps;
	return 1;
}

void classroom_question(const struct ui_classroom *cl, const struct model *m, char *buf, size_t n)
{
	const char *obj = cl->obj >= 0 ? model_object_name(m, cl->obj) : "";
	switch (cl->ask) {
	case LS_ASK_NEXT: snprintf(buf, n, "%s", _("Who moves next (s)?")); break;
	case LS_ASK_WAKES: snprintf(buf, n, _("Who wakes up on %s?"), obj); break;
	case LS_ASK_VALUE: snprintf(buf, n, _("What will %s be after this step?"), obj); break;
	default: *buf = 0; break;
	}
}

void classroom_choice(const struct ui_classroom *cl, const struct model *m, int i, char *buf,
                      size_t n)
{
	if (cl->ask == LS_ASK_VALUE)
		snprintf(buf, n, "%lld", (long long)cl->choice[i].value);
	else if (cl->choice[i].worker < 0)
		snprintf(buf, n, "%s", _("nobody"));
	else
		snprintf(buf, n, "%s", model_worker_name(m, cl->choice[i].worker));
}

/* Did choice i come true in m, the model after the step? */
static int came_true(const struct ui_classroom *cl, const struct model *m, int i)
{
	int w = cl->choice[i].worker;
	switch (cl->ask) {
	case LS_ASK_NEXT: return w >= 0 && w < m->nw && m->w[w].steps > cl->choice[i].steps;
	case LS_ASK_VALUE: return cl->obj >= 0 && m->o[cl->obj].value == cl->choice[i].value;
	case LS_ASK_WAKES:
		if (w >= 0) /* out of the object's line, or woken in it */
			return !waiting_on(m, cl->obj, w) || model_woken(m, w);
		for (int k = 0; k < cl->nchoices; k++) /* nobody: every waiter still waits */
			if (cl->choice[k].worker >= 0 && came_true(cl, m, k))
				return 0;
		return 1;
	}
	return 0;
}

int classroom_reveal(struct ui_classroom *cl, const struct model *m, char *buf, size_t n)
{
	int right = came_true(cl, m, cl->answer);
	char said[64], was[256] = "";
	size_t len = 0;
	classroom_choice(cl, m, cl->answer, said, sizeof said);
	for (int i = 0; i < cl->nchoices && len < sizeof was - 70; i++)
		if (came_true(cl, m, i)) {
			char c[64];
			classroom_choice(cl, m, i, c, sizeof c);
			len += (size_t)snprintf(was + len, sizeof was - len, "%s%s", len ? ", " : "", c);
		}
	if (!*was)
		snprintf(was, sizeof was, "%s", "?");
	cl->total++;
	cl->right += right;
	if (right)
		snprintf(buf, n, _("%s Right: %s (%d of %d right)"), draw_glyph(G_OK), was, cl->right,
		         cl->total);
	else
		snprintf(buf, n, _("%s Not so: %s, not %s (%d of %d right)"), draw_glyph(G_ALARM), was,
		         said, cl->right, cl->total);
	cl->pending = 0;
	cl->ask = 0;
	return right;
}

static void predict_draw(const struct ui_ctx *c)
{
	const struct ui_classroom *cl = &c->v->cls;
	char q[256], ch[64];
	classroom_question(cl, c->m, q, sizeof q);
	struct rect r = draw_centred(c->rows, c->cols, 60, cl->nchoices + 5);
	draw_clear(r);
	draw_box(r, _("Predict, then step (Esc: no)"), 1, TH_FOCUS);
	int x = r.x + 2, w = r.w - 4, y = r.y + 1;
	draw_text(y++, x, w, q, TH_PANE_TITLE);
	y++;
	for (int i = 0; i < cl->nchoices && y < r.y + r.h - 1; i++, y++) {
		classroom_choice(cl, c->m, i, ch, sizeof ch);
		draw_textf(y, x, 4, TH_KEY, " %d ", i + 1);
		draw_text(y, x + 4, w - 4, ch, TH_NORMAL);
	}
}

static enum ui_ov_act predict_key(const struct ui_ctx *c, struct view *v, int key)
{
	struct ui_classroom *cl = &v->cls;
	if (key >= '1' && key <= '9' && key - '1' < cl->nchoices) {
		cl->answer = key - '1';
		cl->pending = 1;
		return UI_OV_PREDICTED;
	}
	enum km_action act = km_lookup(key, KM_LIST, NULL);
	if (act == KM_CLOSE || act == KM_QUIT || key == 'p' || key == 'P') {
		cl->ask = 0;
		return UI_OV_CLOSE;
	}
	return UI_OV_STAY;
}

static enum ui_ov_act predict_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	return UI_OV_STAY; /* an answer is a key: a stray click must not take one */
}

const struct overlay_ops overlay_predict = {
	.draw = predict_draw, .on_key = predict_key, .on_click = predict_click,
};
