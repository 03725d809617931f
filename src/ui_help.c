/* ui_help: the `?` overlay, written from the key table (the same one that
 * drives the keymap and --help), with the legend of state glyphs; arrows
 * scroll it, ?, Esc, q or a click close it. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

static struct rect centred(const struct ui_ctx *c, int w, int h)
{
	if (w > c->cols - 4)
		w = c->cols - 4;
	if (h > c->rows - 2)
		h = c->rows - 2;
	return (struct rect){(c->rows - h) / 2, (c->cols - w) / 2, h, w};
}

static void clear_rect(struct rect r)
{
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
}

static void help_draw(const struct ui_ctx *c)
{
	int nkeys = 0;
	for (int i = 0; i < KM_COUNT - 1; i++)
		nkeys += km_table[i].keys != NULL;
	int lines = nkeys + 1 + 2 + LS_WS_COUNT + 2;
	struct rect r = centred(c, 78, lines + 2);
	clear_rect(r);
	draw_box(r, _("Help: keys (? or Esc closes)"), 1, TH_FOCUS);
	int y = r.y + 1 - c->v->overlay_scroll, x = r.x + 2, w = r.w - 4;
	int top = r.y + 1, bottom = r.y + r.h - 1;
#define LINE(...)                                                                  \
	do {                                                                       \
		if (y >= top && y < bottom) {                                      \
			__VA_ARGS__;                                               \
		}                                                                  \
		y++;                                                               \
	} while (0)
	for (int i = 0; i < KM_COUNT - 1; i++) {
		const struct km_entry *k = &km_table[i];
		if (!k->keys)
			continue;
		LINE(draw_textf(y, x, 12, TH_KEY, " %s ", _(k->keys));
		     draw_text(y, x + 13, w - 13, _(k->help), TH_NORMAL));
	}
	LINE(draw_textf(y, x, 12, TH_KEY, " %s ", _("mouse"));
	     draw_text(y, x + 13, w - 13, _("click a ready worker to step it; click a pane to focus it"),
	               TH_NORMAL));
	y++;
	LINE(draw_text(y, x, w, _("Worker states (glyph, word, colour):"), TH_PANE_TITLE));
	for (int s = 0; s < LS_WS_COUNT; s++) {
		static const char *const what[LS_WS_COUNT] = {
			N_("declared, not started"), N_("running or ready to run"),
			N_("blocked on a lock or semaphore"),
			N_("waiting: condition, join, empty or full queue"),
			N_("waiting with a timeout, or sleeping"), N_("ended"),
			N_("process ended, its parent has not reaped it"),
		};
		LINE(draw_textf(y, x + 1, 18, draw_state_role((enum ls_wstate)s), "%s %s",
		                draw_state_glyph((enum ls_wstate)s),
		                _(model_state_name((enum ls_wstate)s)));
		     draw_text(y, x + 20, w - 20, what[s] ? _(what[s]) : "", TH_NORMAL));
	}
	y++;
	LINE(draw_textf(y, x, w, TH_DIM, _("%s key  ready worker: press its key to step it.  %s  in a deadlock cycle"),
	                draw_glyph(G_READY), draw_glyph(G_ALARM)));
#undef LINE
	draw_scroll_marks(r, c->v->overlay_scroll > 0, y > bottom);
}

#define HELP_SCROLL_MAX 30

static enum ui_ov_act help_key(const struct ui_ctx *c, struct view *v, int key)
{
	(void)c;
	switch (km_lookup(key, KM_LIST, NULL)) {
	case KM_UP: if (v->overlay_scroll > 0) v->overlay_scroll--; break;
	case KM_DOWN: if (v->overlay_scroll < HELP_SCROLL_MAX) v->overlay_scroll++; break;
	case KM_HELP: case KM_CLOSE: case KM_QUIT: return UI_OV_CLOSE;
	default: break;
	}
	return UI_OV_STAY;
}

/* A click anywhere closes the help. */
static enum ui_ov_act help_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	return UI_OV_CLOSE;
}

const struct overlay_ops overlay_help = {
	.draw = help_draw, .on_key = help_key, .on_click = help_click,
};
