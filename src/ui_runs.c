/* ui_runs: the `v` overlay, every run since lockstep started: the live one
 * first, then each run kept (branches.h), newest first, with how it ended
 * and why it was kept. Arrows choose, Enter shows the chosen run, v or Esc
 * closes; a click chooses, a second click on the chosen row shows it. Row
 * 0 is the live run, row k the k-th newest kept run. */
#include <stdio.h>
#include <string.h>

#include "branches.h"
#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

static int nrows(const struct ui_ctx *c)
{
	return 1 + (c->v->kept ? c->v->kept->n : 0);
}

static struct rect box(const struct ui_ctx *c)
{
	/* as tall as the scene list: an overlay covers the panes it is over
	 * whole, never half a pane's rows beside its own */
	int w = c->cols - 8 < 100 ? c->cols - 8 : 100;
	int h = c->rows - 2;
	return (struct rect){(c->rows - h) / 2, (c->cols - w) / 2, h, w};
}

/* The first row shown: the chosen one is always on screen. */
static int first_row(const struct ui_ctx *c, struct rect r)
{
	int rows = r.h - 2, sel = c->v->runs_sel;
	return sel >= rows ? sel - rows + 1 : 0;
}

static void row_text(const struct ui_ctx *c, int i, char *buf, size_t n)
{
	const struct branches *b = c->v->kept;
	if (i == 0) {
		snprintf(buf, n, _("%s (the live run)"), c->v->live_label);
		return;
	}
	const struct kept_run *k = &b->k[b->n - i];
	snprintf(buf, n, "%s, %s%s%s", k->label,
	         k->why == KEPT_BRANCH ? _("kept when a branch began") : _("kept at a restart"),
	         k->scene != c->scene ? ", " : "", k->scene != c->scene ? k->scene->id : "");
}

static void runs_draw(const struct ui_ctx *c)
{
	struct rect r = box(c);
	if (r.h < 3 || r.w < 20)
		return;
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
	draw_box(r, _("Runs since lockstep started: Enter shows one, v or Esc closes"), 1, TH_FOCUS);
	int n = nrows(c), rows = r.h - 2, first = first_row(c, r);
	for (int i = first; i < n && i - first < rows; i++) {
		int y = r.y + 1 + (i - first), sel = i == c->v->runs_sel;
		int role = sel ? TH_SELECT : TH_NORMAL;
		char text[400], line[460];
		row_text(c, i, text, sizeof text);
		snprintf(line, sizeof line, " %s %s %s", sel ? draw_glyph(G_READY) : " ",
		         i == c->v->runs_shown ? "*" : " ", text);
		draw_fill(y, r.x + 1, r.w - 2, role);
		draw_text(y, r.x + 1, r.w - 2, line, role);
	}
	draw_scroll_marks(r, first > 0, first + rows < n);
	if (c->v->kept && c->v->kept->dropped > 0)
		draw_textf(r.y + r.h - 1, r.x + 2, r.w - 4, TH_DIM,
		           PL_(" %d older run let go: the kept runs were over the memory limit ",
		               " %d older runs let go: the kept runs were over the memory limit ",
		               c->v->kept->dropped),
		           c->v->kept->dropped);
}

int overlay_runs_hit(const struct ui_ctx *c, int y, int x)
{
	struct rect r = box(c);
	if (x <= r.x || x >= r.x + r.w - 1 || y <= r.y || y >= r.y + r.h - 1)
		return -1;
	int i = first_row(c, r) + (y - r.y - 1);
	return i < nrows(c) ? i : -1;
}

static enum ui_ov_act runs_key(const struct ui_ctx *c, struct view *v, int key)
{
	if (key == 'v' || key == 'V') /* the key that opened it */
		return UI_OV_CLOSE;
	enum km_action act = km_lookup(key, KM_LIST, NULL);
	switch (act) {
	case KM_PICK: return UI_OV_SHOW_RUN;
	case KM_CLOSE: case KM_QUIT: return UI_OV_CLOSE;
	default:
		v->runs_sel = ui_scroll_key(act, v->runs_sel, nrows(c) - 1, box(c).h - 3);
		break;
	}
	return UI_OV_STAY;
}

static enum ui_ov_act runs_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	int i = overlay_runs_hit(c, y, x);
	if (i >= 0 && i == v->runs_sel)
		return UI_OV_SHOW_RUN;
	if (i >= 0)
		v->runs_sel = i;
	return UI_OV_STAY;
}

const struct overlay_ops overlay_runs = {
	.draw = runs_draw, .on_key = runs_key, .on_click = runs_click,
};
