/* ui_log: the last events in words, newest at the bottom; scrolls back.
 * Wide terminals also show when each happened. Captured scene output shows
 * here too, marked, so it never lands on the screen by itself. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

static void draw(const struct ui_ctx *c, struct rect r)
{
	const struct view *v = c->v;
	int rows = r.h - 2, inner = r.w - 2;
	uint64_t avail = v->nlog < UI_LOG_N ? v->nlog : UI_LOG_N;
	uint64_t back = (uint64_t)(v->scroll[PANE_LOG] > 0 ? v->scroll[PANE_LOG] : 0);
	if (avail > (uint64_t)rows && back > avail - (uint64_t)rows)
		back = avail - (uint64_t)rows;
	if (avail <= (uint64_t)rows)
		back = 0;
	uint64_t last = v->nlog - back; /* one past the newest line shown */
	int shown = rows < (int)(avail - back) ? rows : (int)(avail - back);
	int timew = inner >= 90 ? 10 : 0;
	for (int i = 0; i < shown; i++) {
		const struct ui_logline *l = &v->log[(last - (uint64_t)shown + (uint64_t)i) % UI_LOG_N];
		int y = r.y + 1 + rows - shown + i;
		int x = r.x + 2;
		if (timew) {
			double t = l->t_ns > v->t0_ns ? (double)(l->t_ns - v->t0_ns) / 1e9 : 0;
			x += draw_textf(y, x, timew, TH_DIM, "%8.3fs", t) + 2;
		}
		char clip[UI_LOG_TEXT * 2];
		text_clip(l->text, r.x + r.w - 1 - x, clip, sizeof clip);
		draw_text(y, x, r.x + r.w - 1 - x, clip, l->role);
	}
	if (avail == 0)
		draw_text(r.y + 1, r.x + 2, inner - 2, _("(no events yet)"), TH_DIM);
	if (back > 0) {
		char t[96];
		snprintf(t, sizeof t, _(" %llu newer below %s End "), (unsigned long long)back,
		         draw_glyph(G_MORE_DOWN));
		draw_text_right(r.y + r.h - 1, r.x + r.w - 2, r.w - 4, t, TH_FOCUS);
	}
	draw_scroll_marks(r, last - (uint64_t)shown > (v->nlog > avail ? v->nlog - avail : 0), back > 0);
}

const struct pane_ops pane_log = {PANE_LOG, N_("Log"), NULL, draw};
