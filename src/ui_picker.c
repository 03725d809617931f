/* ui_picker: the `l` overlay: every scene with its title, and the summary
 * of the one under the cursor. Arrows move, Enter starts, Esc cancels; a
 * click chooses, a second click on the chosen row starts. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

static struct rect box(const struct ui_ctx *c)
{
	int n = c->cat ? c->cat->n : 0;
	int w = c->cols - 8 < 100 ? c->cols - 8 : 100;
	int h = n + 14;
	if (h > c->rows - 2)
		h = c->rows - 2;
	return (struct rect){(c->rows - h) / 2, (c->cols - w) / 2, h, w};
}

static int list_rows(struct rect r)
{
	return r.h - 2 - 6; /* the rest shows the summary */
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
	int rows = list_rows(r);
	int sel = c->v->picker_sel;
	int first = sel >= rows ? sel - rows + 1 : 0;
	for (int i = first; i < n && i - first < rows; i++) {
		const struct ls_scene *s = c->cat->scenes[i];
		int y = r.y + 1 + (i - first);
		int role = i == sel ? TH_SELECT : TH_NORMAL;
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
		const char *sum = _(c->cat->scenes[sel]->summary);
		struct wrapctx p = {y + 1, r.x + 2, r.w - 4, r.y + r.h - 1,
		                    text_wrap(sum, r.w - 5, NULL, NULL)};
		text_wrap(sum, r.w - 5, put, &p);
	}
}

int overlay_picker_hit(const struct ui_ctx *c, int y, int x)
{
	struct rect r = box(c);
	int n = c->cat ? c->cat->n : 0;
	int rows = list_rows(r);
	int sel = c->v->picker_sel;
	int first = sel >= rows ? sel - rows + 1 : 0;
	if (x <= r.x || x >= r.x + r.w - 1 || y <= r.y || y > r.y + rows)
		return -1;
	int i = first + (y - r.y - 1);
	return i < n ? i : -1;
}

static enum ui_ov_act picker_key(const struct ui_ctx *c, struct view *v, int key)
{
	int n = c->cat ? c->cat->n : 0;
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
	if (i >= 0 && i == v->picker_sel)
		return picker_key(c, v, '\n');
	if (i >= 0)
		v->picker_sel = i;
	return UI_OV_STAY;
}

const struct overlay_ops overlay_picker = {
	.draw = picker_draw, .on_key = picker_key, .on_click = picker_click,
};
