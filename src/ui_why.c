/* ui_why: the `y` box, "why?" on any row. A list of the scene's workers
 * and objects on the left (↑/↓, a worker's digit or a click choose), and on
 * the right, in words, why the chosen one is in its state, what it waits
 * for, who could release it and what stepping each worker would do now
 * (describe_why: the sentences headless --explain prints). It explains the
 * moment on screen, looked back at or replayed too. */
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

/* The rows: every declared worker, then every declared object. */
static int nrows(const struct model *m)
{
	int n = 0;
	for (int i = 0; i < m->nw; i++)
		n += m->w[i].declared;
	for (int i = 0; i < m->no; i++)
		n += m->o[i].declared;
	return n;
}

/* Row k: its id, and whether it is an object; -1 past the end. */
static int row_at(const struct model *m, int k, int *is_object)
{
	for (int i = 0; i < m->nw; i++)
		if (m->w[i].declared && k-- == 0) {
			*is_object = 0;
			return i;
		}
	for (int i = 0; i < m->no; i++)
		if (m->o[i].declared && k-- == 0) {
			*is_object = 1;
			return i;
		}
	return -1;
}

static int row_of(const struct model *m, int is_object, int id)
{
	int n = nrows(m);
	for (int k = 0; k < n; k++) {
		int obj = 0, i = row_at(m, k, &obj);
		if (obj == is_object && i == id)
			return k;
	}
	return -1;
}

static int kind_in(int kind, int pane)
{
	switch (pane) {
	case PANE_LOCKS: return kind == LS_OBJ_MUTEX || kind == LS_OBJ_RLOCK;
	case PANE_SEMS: return kind == LS_OBJ_SEM;
	case PANE_QUEUES:
		return kind == LS_OBJ_QUEUE || kind == LS_OBJ_PIPE || kind == LS_OBJ_FIFO ||
		       kind == LS_OBJ_MQUEUE;
	default: return 0;
	}
}

void ui_why_open(const struct ui_ctx *c, struct view *v)
{
	const struct model *m = c->m;
	int sel = -1;
	/* the focused pane's first object... */
	for (int i = 0; i < m->no && sel < 0; i++)
		if (m->o[i].declared && kind_in(m->o[i].kind, v->focus))
			sel = row_of(m, 1, i);
	/* ...else the worker the class asks about: in the deadlock, blocked, or
	 * the first one not main */
	for (int i = 0; i < m->nw && sel < 0; i++)
		if (m->w[i].declared && analysis_in_cycle(c->an, 0, i))
			sel = row_of(m, 0, i);
	/* main waiting to join its workers is seldom the question: a blocked
	 * worker of the scene's own first */
	for (int i = 1; i < m->nw && sel < 0; i++)
		if (m->w[i].declared && !(m->w[i].flags & LS_WF_MAIN) && model_blocked(m, i))
			sel = row_of(m, 0, i);
	for (int i = 0; i < m->nw && sel < 0; i++)
		if (m->w[i].declared && model_blocked(m, i))
			sel = row_of(m, 0, i);
	for (int i = 1; i < m->nw && sel < 0; i++)
		if (m->w[i].declared)
			sel = row_of(m, 0, i);
	v->why_sel = sel < 0 ? 0 : sel;
	v->overlay_scroll = 0;
	v->overlay = UI_OV_WHY;
}

static struct rect box(const struct ui_ctx *c)
{
	int w = c->cols - 4 < 110 ? c->cols - 4 : 110;
	int h = c->rows - 4 < 30 ? c->rows - 4 : 30;
	if (h < 6)
		h = c->rows;
	return (struct rect){(c->rows - h) / 2, (c->cols - w) / 2, h, w};
}

/* The list's width, 0 when the box is too narrow for one (then ↑/↓ still
 * choose, and the title names the row). */
static int list_width(struct rect r)
{
	return r.w >= 60 ? 18 : 0;
}

#define WHY_LINES 96
struct lines {
	char l[WHY_LINES][256];
	int n;
};

static void collect(void *ud, const char *s, size_t len)
{
	struct lines *w = ud;
	if (w->n < WHY_LINES) {
		snprintf(w->l[w->n], sizeof w->l[0], "%.*s", (int)len, s);
		w->n++;
	}
}

/* The explanation of the chosen row, wrapped to width. */
static void explain(const struct ui_ctx *c, int width, struct lines *out)
{
	static char text[8192];
	int obj = 0, id = row_at(c->m, c->v->why_sel, &obj);
	out->n = 0;
	if (id < 0)
		return;
	describe_why(c->m, c->an, obj, id, text, sizeof text);
	for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		char one[1024];
		snprintf(one, sizeof one, "%.*s", nl ? (int)(nl - line) : (int)strlen(line), line);
		text_wrap(one, width, collect, out);
	}
}

int overlay_why_scroll_max(const struct ui_ctx *c)
{
	struct rect r = box(c);
	int lw = list_width(r);
	struct lines ls;
	explain(c, r.w - 4 - (lw ? lw + 2 : 0), &ls);
	int rows = r.h - 3;
	return ls.n > rows ? ls.n - rows : 0;
}

static void why_draw(const struct ui_ctx *c)
{
	const struct model *m = c->m;
	struct rect r = box(c);
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
	int obj = 0, id = row_at(m, c->v->why_sel, &obj);
	char title[160];
	snprintf(title, sizeof title, _("Why? %s"),
	         id < 0 ? "" : obj ? model_object_name(m, id) : model_worker_name(m, id));
	draw_box(r, title, 1, TH_FOCUS);
	int lw = list_width(r), top = r.y + 1, bottom = r.y + r.h - 2;
	int n = nrows(m);
	if (lw) {
		int rows = bottom - top;
		int first = c->v->why_sel >= rows ? c->v->why_sel - rows + 1 : 0;
		for (int k = first; k < n && top + k - first < bottom; k++) {
			int o = 0, i = row_at(m, k, &o);
			int y = top + k - first, role = k == c->v->why_sel ? TH_SELECT : TH_NORMAL;
			char line[128];
			if (o)
				snprintf(line, sizeof line, " %s %s", m->o[i].name,
				         _(event_obj_kind_name(m->o[i].kind)));
			else
				snprintf(line, sizeof line, " %s %s", draw_state_glyph(model_state(m, i)),
				         m->w[i].name);
			draw_fill(y, r.x + 1, lw, role);
			char clip[256];
			text_clip(line, lw, clip, sizeof clip);
			draw_text(y, r.x + 1, lw, clip, role);
		}
		for (int y = top; y < bottom; y++)
			draw_text(y, r.x + 1 + lw, 1, draw_glyph(G_V), TH_BORDER);
	}
	int x = r.x + 2 + (lw ? lw + 1 : 0), w = r.x + r.w - 2 - x;
	struct lines ls;
	explain(c, w, &ls);
	int skip = c->v->overlay_scroll, y = top;
	for (int i = skip; i < ls.n && y < bottom; i++, y++)
		draw_text(y, x, w, ls.l[i], i == 0 ? TH_ITEM : TH_NORMAL);
	draw_scroll_marks((struct rect){r.y, r.x, r.h - 1, r.w}, skip > 0, skip + (bottom - top) < ls.n);
	char keys[160], clip[256];
	snprintf(keys, sizeof keys, "%s",
	         _("↑↓ or a worker's key choose, PgUp PgDn scroll, y or Esc closes"));
	text_clip(keys, r.w - 4, clip, sizeof clip);
	draw_text(bottom, r.x + 2, r.w - 4, clip, TH_DIM);
}

static enum ui_ov_act why_key(const struct ui_ctx *c, struct view *v, int key)
{
	int n = nrows(c->m), arg = 0;
	if (key == 'y' || key == 'Y')
		return UI_OV_CLOSE;
	enum km_action act = km_lookup(key, KM_LIST, &arg);
	switch (act) {
	case KM_UP:
	case KM_DOWN:
	case KM_HOME:
	case KM_END: {
		int s = ui_scroll_key(act, v->why_sel, n > 0 ? n - 1 : 0, 1);
		if (s != v->why_sel)
			v->overlay_scroll = 0;
		v->why_sel = s;
		break;
	}
	case KM_PAGE_UP:
	case KM_PAGE_DOWN:
		v->overlay_scroll = ui_scroll_key(act, v->overlay_scroll, overlay_why_scroll_max(c),
		                                  box(c).h - 4);
		break;
	case KM_PICK:
	case KM_CLOSE:
	case KM_QUIT: return UI_OV_CLOSE;
	default:
		if (key >= '0' && key <= '9') { /* a worker's key, as beside its row */
			int id = km_worker_for_digit(c->m, key - '0');
			int k = id >= 0 ? row_of(c->m, 0, id) : -1;
			if (k >= 0) {
				v->why_sel = k;
				v->overlay_scroll = 0;
			}
		}
		break;
	}
	return UI_OV_STAY;
}

int overlay_why_hit(const struct ui_ctx *c, int y, int x)
{
	struct rect r = box(c);
	int lw = list_width(r), top = r.y + 1, bottom = r.y + r.h - 2;
	if (!lw || x <= r.x || x > r.x + lw || y < top || y >= bottom)
		return -1;
	int rows = bottom - top;
	int first = c->v->why_sel >= rows ? c->v->why_sel - rows + 1 : 0;
	int k = first + y - top;
	return k < nrows(c->m) ? k : -1;
}

/* A click on the list chooses; a click outside the box closes it. */
static enum ui_ov_act why_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	struct rect r = box(c);
	if (y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w)
		return UI_OV_CLOSE;
	int k = overlay_why_hit(c, y, x);
	if (k >= 0 && k != v->why_sel) {
		v->why_sel = k;
		v->overlay_scroll = 0;
	}
	return UI_OV_STAY;
}

const struct overlay_ops overlay_why = {
	.draw = why_draw, .on_key = why_key, .on_click = why_click,
};
