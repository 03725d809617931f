/* ui_picker: the `l` overlay: every scene with its title, and under it
 * the parameters (value, range or choices) and the summary of the one under
 * the cursor. Arrows move, Enter starts, Esc cancels; a click chooses, a
 * second click on the chosen row starts. Tab (or →) moves to the
 * parameters: ↑/↓ choose one, ←/→ change it, digits type a number, Tab or
 * Esc go back to the list, Enter starts the scene with them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"

#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

/* Rows for the chosen scene's parameters: the most any scene has, up to
 * 5 (the list scrolls them beyond), so the list does not jump. */
static int param_rows(const struct ui_ctx *c)
{
	int most = 0;
	for (int i = 0; c->cat && i < c->cat->n; i++) {
		int k = params_count(c->cat->scenes[i]);
		if (k > most)
			most = k;
	}
	return most < 5 ? most : 5;
}

static struct rect box(const struct ui_ctx *c)
{
	int n = c->cat ? c->cat->n : 0;
	int w = c->cols - 8 < 100 ? c->cols - 8 : 100;
	int h = n + 14 + param_rows(c);
	if (h > c->rows - 2)
		h = c->rows - 2;
	return (struct rect){(c->rows - h) / 2, (c->cols - w) / 2, h, w};
}

static int nparams_shown(const struct ui_ctx *c, const struct ls_scene *sc)
{
	int np = sc ? params_count(sc) : 0;
	return np < param_rows(c) ? np : param_rows(c);
}

/* The list takes what the chosen scene's parameters (and the line saying
 * how to change them) and its summary leave, at least 3 rows: no row of
 * the box stays empty while a line in it is cut. */
static int list_rows(const struct ui_ctx *c, struct rect r)
{
	int n = c->cat ? c->cat->n : 0, sel = c->v->picker_sel;
	const struct ls_scene *sc = sel >= 0 && sel < n ? c->cat->scenes[sel] : NULL;
	int np = nparams_shown(c, sc);
	int info = np + (np > 0) + (sc ? text_wrap(_(sc->summary), r.w - 5, NULL, NULL) : 0);
	int rows = r.h - 3 - info;
	if (rows > n)
		rows = n;
	return rows > 3 ? rows : 3;
}

static const struct ls_scene *chosen(const struct ui_ctx *c, const struct view *v)
{
	int n = c->cat ? c->cat->n : 0;
	return v->picker_sel >= 0 && v->picker_sel < n ? c->cat->scenes[v->picker_sel] : NULL;
}

/* The values shown for the chosen scene: those being edited, else the
 * running scene's own for it, else the defaults. */
static const long *shown_params(const struct ui_ctx *c, const struct view *v, long *buf)
{
	const struct ls_scene *sc = chosen(c, v);
	if (v->picker_params_of == v->picker_sel)
		return v->picker_params;
	if (sc && sc == c->scene && c->params)
		memcpy(buf, c->params, sizeof(long) * LS_PARAMS_MAX);
	else if (sc)
		params_defaults(sc, buf);
	return buf;
}

/* Load the chosen scene's values into the view before they are edited. */
static void sync_params(const struct ui_ctx *c, struct view *v)
{
	if (v->picker_params_of == v->picker_sel)
		return;
	long buf[LS_PARAMS_MAX] = {0};
	memcpy(v->picker_params, shown_params(c, v, buf), sizeof v->picker_params);
	v->picker_params_of = v->picker_sel;
	v->picker_typing = 0;
}

/* "on|off" has 2 choices. */
static int nchoices(const char *choices)
{
	int k = 1;
	for (const char *p = choices; p && *p; p++)
		k += *p == '|';
	return choices && *choices ? k : 0;
}

/* "fix    waiter   (none|order|waiter|trylock)  a waiter lets N-1 sit" */
static void param_line(const struct ls_scene *sc, int i, long v, int width, char *buf, size_t n)
{
	const struct ls_param_desc *p = &sc->params[i];
	char val[64], range[160];
	params_show(sc, i, v, val, sizeof val);
	if (p->type == LS_PARAM_CHOICE)
		snprintf(range, sizeof range, "(%s)", p->choices);
	else
		snprintf(range, sizeof range, "(%ld..%ld)", p->min, p->max);
	snprintf(buf, n, " %-10s %-9s %-14s %s", p->name, val, range, p->help ? _(p->help) : "");
	if (text_width(buf) > width) /* the help only when it fits whole */
		snprintf(buf, n, " %-10s %-9s %s", p->name, val, range);
}

static int out_of_range(const struct ls_scene *sc, int i, long v)
{
	const struct ls_param_desc *p = &sc->params[i];
	return p->type == LS_PARAM_INT ? v < p->min || v > p->max
	                               : v < 0 || v >= nchoices(p->choices);
}

struct wrapctx {
	int y, x, w, bottom, lines; /* lines: those still to come, this one included */
};

static void put(void *ud, const char *s, size_t len)
{
	struct wrapctx *p = ud;
	if (p->y >= p->bottom)
		return;
	char buf[512];
	if (len >= sizeof buf - 4)
		len = sizeof buf - 4;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (p->y == p->bottom - 1 && p->lines > 1) /* the summary goes on: say so */
		snprintf(buf + len, sizeof buf - len, "%s", draw_glyph(G_ELLIPSIS));
	draw_text(p->y++, p->x, p->w, buf, TH_NORMAL);
	p->lines--;
}

static void picker_draw(const struct ui_ctx *c)
{
	struct rect r = box(c);
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
	draw_box(r, _("Scenes: arrows choose, Enter starts, Esc cancels"), 1, TH_FOCUS);
	int n = c->cat ? c->cat->n : 0;
	int rows = list_rows(c, r);
	int sel = c->v->picker_sel;
	int first = sel >= rows ? sel - rows + 1 : 0;
	for (int i = first; i < n && i - first < rows; i++) {
		const struct ls_scene *s = c->cat->scenes[i];
		int y = r.y + 1 + (i - first);
		int role = i == sel && c->v->picker_edit < 0 ? TH_SELECT : TH_NORMAL;
		draw_fill(y, r.x + 1, r.w - 2, role);
		char line[256];
		snprintf(line, sizeof line, " %s %-20s %s%s", i == sel ? draw_glyph(G_READY) : " ",
		         s->id, _(s->title), s == c->scene ? _("  (current)") : "");
		char clip[512];
		text_clip(line, r.w - 3, clip, sizeof clip);
		draw_text(y, r.x + 1, r.w - 2, clip, role);
	}
	if (n == 0)
		draw_text(r.y + 1, r.x + 2, r.w - 4, _("(no scenes found)"), TH_DIM);
	draw_scroll_marks((struct rect){r.y, r.x, rows + 2, r.w}, first > 0, first + rows < n);
	int y = r.y + 1 + rows;
	for (int x = r.x + 1; x < r.x + r.w - 1; x++)
		draw_text(y, x, 1, draw_glyph(G_H), TH_FOCUS);
	if (sel >= 0 && sel < n) {
		const struct ls_scene *sc = c->cat->scenes[sel];
		long buf[LS_PARAMS_MAX] = {0};
		const long *pv = shown_params(c, c->v, buf);
		int np = params_count(sc), prow = nparams_shown(c, sc), ed = c->v->picker_edit;
		int pfirst = ed >= prow ? ed - prow + 1 : 0;
		y++;
		for (int i = pfirst; i < np && i - pfirst < prow; i++, y++) {
			char line[512], clip[512];
			param_line(sc, i, pv[i], r.w - 4, line, sizeof line);
			if (i == ed) { /* the one being changed: a glyph too, never the colour alone */
				char mark[512];
				snprintf(mark, sizeof mark, "%s%s", draw_glyph(G_READY), line + 1);
				snprintf(line, sizeof line, "%s", mark);
			}
			int role = i == ed ? TH_SELECT : out_of_range(sc, i, pv[i]) ? TH_ALARM : TH_NORMAL;
			if (i == ed)
				draw_fill(y, r.x + 1, r.w - 2, role);
			text_clip(line, r.w - 4, clip, sizeof clip);
			draw_text(y, r.x + 2, r.w - 4, clip, role);
		}
		if (np > 0) {
			draw_text(y++, r.x + 2, r.w - 4,
			          ed < 0 ? _("Tab: change the parameters")
			                 : _("left/right or digits change it, Tab back to the list, Enter starts"),
			          TH_DIM);
		}
		/* the summary right after them, on every row left */
		const char *sum = _(sc->summary);
		struct wrapctx p = {y, r.x + 2, r.w - 4, r.y + r.h - 1,
		                    text_wrap(sum, r.w - 5, NULL, NULL)};
		text_wrap(sum, r.w - 5, put, &p);
	}
}

int overlay_picker_hit(const struct ui_ctx *c, int y, int x)
{
	struct rect r = box(c);
	int n = c->cat ? c->cat->n : 0;
	int rows = list_rows(c, r);
	int sel = c->v->picker_sel;
	int first = sel >= rows ? sel - rows + 1 : 0;
	if (x <= r.x || x >= r.x + r.w - 1 || y <= r.y || y > r.y + rows)
		return -1;
	int i = first + (y - r.y - 1);
	return i < n ? i : -1;
}

/* Keys while a parameter is being changed. */
static enum ui_ov_act param_key(const struct ui_ctx *c, struct view *v, int key)
{
	const struct ls_scene *sc = chosen(c, v);
	int np = sc ? params_count(sc) : 0;
	if (np == 0 || v->picker_edit >= np) {
		v->picker_edit = -1;
		return UI_OV_STAY;
	}
	sync_params(c, v);
	int i = v->picker_edit;
	const struct ls_param_desc *p = &sc->params[i];
	long *val = &v->picker_params[i];
	long lo = p->type == LS_PARAM_INT ? p->min : 0;
	long hi = p->type == LS_PARAM_INT ? p->max : nchoices(p->choices) - 1;
	if (key >= '0' && key <= '9' && p->type == LS_PARAM_INT) {
		long d = key - '0';
		*val = v->picker_typing && *val < 100000000L ? *val * 10 + d : d;
		v->picker_typing = 1;
		return UI_OV_STAY;
	}
	if ((key == KM_KEY_BACKSPACE || key == 127 || key == 8) && p->type == LS_PARAM_INT) {
		*val /= 10;
		v->picker_typing = 1;
		return UI_OV_STAY;
	}
	int typed = v->picker_typing;
	v->picker_typing = 0;
	if (typed && *val < lo) /* a number typed is taken within the range */
		*val = lo;
	if (typed && *val > hi)
		*val = hi;
	if (key == KM_KEY_LEFT || key == '-') {
		*val = *val > lo ? *val - 1 : p->type == LS_PARAM_CHOICE ? hi : lo;
		return UI_OV_STAY;
	}
	if (key == KM_KEY_RIGHT || key == '+') {
		*val = *val < hi ? *val + 1 : p->type == LS_PARAM_CHOICE ? lo : hi;
		return UI_OV_STAY;
	}
	if (key == '\t' || key == KM_KEY_BTAB || key == 27) { /* back to the list */
		v->picker_edit = -1;
		return UI_OV_STAY;
	}
	switch (km_lookup(key, KM_LIST, NULL)) {
	case KM_UP: if (v->picker_edit > 0) v->picker_edit--; break;
	case KM_DOWN: if (v->picker_edit < np - 1) v->picker_edit++; break;
	case KM_PICK: return UI_OV_START_SCENE;
	case KM_QUIT: return UI_OV_CLOSE;
	default: break;
	}
	return UI_OV_STAY;
}

static enum ui_ov_act picker_key(const struct ui_ctx *c, struct view *v, int key)
{
	int n = c->cat ? c->cat->n : 0;
	const struct ls_scene *cur = chosen(c, v);
	if (v->picker_edit >= 0 && cur && v->picker_edit < params_count(cur))
		return param_key(c, v, key);
	v->picker_edit = -1;
	if (key == '\t' || key == KM_KEY_RIGHT) { /* to the chosen scene's parameters */
		const struct ls_scene *sc = chosen(c, v);
		if (sc && params_count(sc) > 0) {
			sync_params(c, v);
			v->picker_edit = 0;
		}
		return UI_OV_STAY;
	}
	switch (km_lookup(key, KM_LIST, NULL)) {
	case KM_UP: if (v->picker_sel > 0) v->picker_sel--; break;
	case KM_DOWN: if (v->picker_sel < n - 1) v->picker_sel++; break;
	case KM_HOME: v->picker_sel = 0; break;
	case KM_END: v->picker_sel = n > 0 ? n - 1 : 0; break;
	case KM_PICK: return v->picker_sel >= 0 && v->picker_sel < n ? UI_OV_START_SCENE : UI_OV_CLOSE;
	case KM_CLOSE: case KM_QUIT: return UI_OV_CLOSE;
	default:
		if (key == 'l' || key == 'L') /* the key that opened it */
			return UI_OV_CLOSE;
		break;
	}
	return UI_OV_STAY;
}

/* A click chooses a row; a click on the chosen row starts its scene. */
static enum ui_ov_act picker_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	int i = overlay_picker_hit(c, y, x);
	if (i >= 0)
		v->picker_edit = -1; /* a click on the list: the list has the keys again */
	if (i >= 0 && i == v->picker_sel)
		return picker_key(c, v, '\n');
	if (i >= 0)
		v->picker_sel = i;
	return UI_OV_STAY;
}

const struct overlay_ops overlay_picker = {
	.draw = picker_draw, .on_key = picker_key, .on_click = picker_click,
};
