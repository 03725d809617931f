/* ui_diff: the `d` overlay, two runs side by side at the step where they
 * part: a row per worker and object, A's words beside B's, the rows that
 * differ marked (*) and coloured. Arrows scroll it; d, Esc, q, Enter or a
 * click close it. */
#include "ui_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

int ui_diff_set(struct ui_diff *d, const struct model *a, const struct model *b,
                const char *title, const char *head_a, const char *head_b)
{
	ui_diff_free(d);
	d->text_a = statediff_describe(a);
	d->text_b = statediff_describe(b);
	if (statediff_table(d->text_a, d->text_b, &d->t) != 0) {
		ui_diff_free(d);
		return -1;
	}
	snprintf(d->title, sizeof d->title, "%s", title);
	snprintf(d->head_a, sizeof d->head_a, "%s", head_a);
	snprintf(d->head_b, sizeof d->head_b, "%s", head_b);
	return 0;
}

void ui_diff_free(struct ui_diff *d)
{
	statediff_table_free(&d->t);
	free(d->text_a);
	free(d->text_b);
	memset(d, 0, sizeof *d);
}

static struct rect box(const struct ui_ctx *c)
{
	/* as tall as the screen allows: it covers the panes below whole */
	int w = c->cols - 4 < 130 ? c->cols - 4 : 130;
	int h = c->rows - 2;
	return (struct rect){(c->rows - h) / 2, (c->cols - w) / 2, h, w};
}

int overlay_diff_scroll_max(const struct ui_ctx *c)
{
	const struct ui_diff *d = c->v->diff;
	int rows = box(c).h - 5;
	int max = (d ? (int)d->t.n : 0) - (rows > 0 ? rows : 0);
	return max > 0 ? max : 0;
}

/* n bytes of s, clipped by draw_text to w columns. */
static void field(int y, int x, int w, const char *s, int n, int role)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%.*s", n, s);
	draw_text(y, x, w, buf, role);
}

static void diff_draw(const struct ui_ctx *c)
{
	const struct ui_diff *d = c->v->diff;
	struct rect r = box(c);
	if (!d || r.h < 6 || r.w < 40)
		return;
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
	char title[160];
	snprintf(title, sizeof title,
	         PL_("Two runs side by side: %zu row differs (d or Esc closes)",
	             "Two runs side by side: %zu rows differ (d or Esc closes)", d->t.differ),
	         d->t.differ);
	draw_box(r, title, 1, TH_FOCUS);
	int x = r.x + 2, w = r.w - 4;
	int namew = w / 6 < 14 ? w / 6 : 14, colw = (w - 2 - namew - 2) / 2;
	int xa = x + 2 + namew + 1, xb = xa + colw + 1;
	draw_text(r.y + 1, x, w, d->title, TH_HINT);
	draw_text(r.y + 2, xa, colw, d->head_a, TH_COLUMN);
	draw_text(r.y + 2, xb, colw, d->head_b, TH_COLUMN);
	int rows = r.h - 5, scroll = c->v->overlay_scroll, max = overlay_diff_scroll_max(c);
	if (scroll > max)
		scroll = max;
	for (int i = 0; i < rows && (size_t)(scroll + i) < d->t.n; i++) {
		const struct sd_row *row = &d->t.rows[scroll + i];
		int y = r.y + 3 + i, role = row->same ? TH_NORMAL : TH_HINT;
		draw_text(y, x, 1, row->same ? " " : "*", role);
		field(y, x + 2, namew, row->name, row->name_len, role);
		field(y, xa, colw, row->a ? row->a : "-", row->a ? row->a_len : 1, role);
		field(y, xb, colw, row->b ? row->b : "-", row->b ? row->b_len : 1, role);
	}
	draw_scroll_marks(r, scroll > 0, scroll < max);
}

static enum ui_ov_act diff_key(const struct ui_ctx *c, struct view *v, int key)
{
	if (key == 'd' || key == 'D')
		return UI_OV_CLOSE;
	enum km_action act = km_lookup(key, KM_LIST, NULL);
	switch (act) {
	case KM_CLOSE: case KM_QUIT: case KM_PICK: return UI_OV_CLOSE;
	default:
		v->overlay_scroll = ui_scroll_key(act, v->overlay_scroll, overlay_diff_scroll_max(c),
		                                  box(c).h - 6);
		break;
	}
	return UI_OV_STAY;
}

static enum ui_ov_act diff_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	return UI_OV_CLOSE;
}

const struct overlay_ops overlay_diff = {
	.draw = diff_draw, .on_key = diff_key, .on_click = diff_click,
};
