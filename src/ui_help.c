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

struct wrapped {
	char l[4][160];
	int n;
};

static void collect(void *ud, const char *s, size_t len)
{
	struct wrapped *w = ud;
	if (w->n < 4) {
		snprintf(w->l[w->n], sizeof w->l[0], "%.*s", (int)len, s);
		w->n++;
	}
}

/* A key and what it does, wrapped under itself when it is longer than the
 * row: help is read, so it is never cut. Returns the rows it takes. */
static int key_line(int y, int x, int w, int top, int bottom, const char *keys, const char *help)
{
	struct wrapped wr = {.n = 0};
	text_wrap(help, w - 13, collect, &wr);
	for (int i = 0; i < wr.n; i++, y++) {
		if (y < top || y >= bottom)
			continue;
		if (i == 0)
			draw_textf(y, x, 12, TH_KEY, " %s ", keys);
		draw_text(y, x + 13, w - 13, wr.l[i], TH_NORMAL);
	}
	return wr.n;
}

/* The help's rows, for its height and for how far it scrolls. */
static int help_rows(int w)
{
	int rows = 0;
	for (int i = 0; i < KM_COUNT - 1; i++)
		if (km_table[i].keys)
			rows += text_wrap(_(km_table[i].help), w - 13, NULL, NULL);
	rows += text_wrap(_("click a ready worker to step it; click a pane to focus it"), w - 13,
	                  NULL, NULL);
	return rows + 1 + 1 + LS_WS_COUNT + 1 + 1;
}

int overlay_help_scroll_max(const struct ui_ctx *c)
{
	struct rect r = draw_centred(c->rows, c->cols, 78, 1000);
	int max = help_rows(r.w - 4) - (r.h - 2);
	return max > 0 ? max : 0;
}

static void help_draw(const struct ui_ctx *c)
{
	struct rect r = draw_centred(c->rows, c->cols, 78, 1000);
	r = draw_centred(c->rows, c->cols, 78, help_rows(r.w - 4) + 2);
	draw_clear(r);
	draw_box(r, _("Help: keys (? or Esc closes)"), 1, TH_FOCUS);
	int scroll = c->v->overlay_scroll, max = overlay_help_scroll_max(c);
	if (scroll > max)
		scroll = max;
	int y = r.y + 1 - scroll, x = r.x + 2, w = r.w - 4;
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
		y += key_line(y, x, w, top, bottom, _(k->keys), _(k->help));
	}
	y += key_line(y, x, w, top, bottom, _("mouse"),
	              _("click a ready worker to step it; click a pane to focus it"));
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
	draw_scroll_marks(r, scroll > 0, y > bottom);
}

/* The help scrolls with the keys every pane scrolls with. */
static enum ui_ov_act help_key(const struct ui_ctx *c, struct view *v, int key)
{
	enum km_action act = km_lookup(key, KM_LIST, NULL);
	switch (act) {
	case KM_HELP: case KM_CLOSE: case KM_QUIT: return UI_OV_CLOSE;
	default:
		v->overlay_scroll = ui_scroll_key(act, v->overlay_scroll, overlay_help_scroll_max(c),
		                                  c->rows - 6);
		break;
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
