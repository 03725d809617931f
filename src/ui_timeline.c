/* ui_timeline: the timeline (t): a strip per worker across time, each cell
 * the worker's state as glyph and colour, with marks where it acquired
 * (+) or released (-) something, got a signal (!) or entered a deadlock
 * (‼). Drawn over the bottom of the screen, above the key bar. Reads
 * only the columns it shows (timeline.h), so a long run costs no more per
 * frame than a short one. */
#include <curses.h>
#include <stdio.h>

#include "i18n.h"
#include "timeline.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

#define NAME_W 10

static const char *mark_glyph(unsigned kinds, int ascii)
{
	if (kinds & TL_DEADLOCK)
		return ascii ? "#" : "\xe2\x80\xbc"; /* ‼ */
	if (kinds & TL_SIGNAL)
		return "!";
	if (kinds & TL_ACQUIRE)
		return "+";
	if (kinds & TL_RELEASE)
		return "-";
	return NULL;
}

int ui_timeline_height(const struct ui_ctx *c)
{
	int n = 0;
	for (int i = 0; i < c->m->nw; i++)
		n += c->m->w[i].declared;
	int h = n + 3; /* borders and the axis */
	int max = c->rows / 3;
	if (h > max)
		h = max;
	return h < 4 ? 0 : h;
}

void ui_timeline_draw(const struct ui_ctx *c, const struct timeline *t, uint32_t end, int live,
                      int zoom, int scroll)
{
	int h = ui_timeline_height(c);
	if (c->lay.too_small || h == 0 || c->cols < NAME_W + 12)
		return;
	if (zoom < 1)
		zoom = 1;
	struct rect r = {.y = c->rows - 1 - h, .x = 0, .h = h, .w = c->cols};
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, 0, r.w, TH_NORMAL);
	char title[160];
	int step_mode = c->m->mode == LS_MODE_STEP;
	if (zoom == 1)
		snprintf(title, sizeof title, _("Timeline: %s per column, t hides"),
		         step_mode ? _("a step") : _("0.1 s"));
	else if (step_mode)
		snprintf(title, sizeof title, _("Timeline: %d steps per column (z), t hides"), zoom);
	else
		snprintf(title, sizeof title, _("Timeline: %.1f s per column (z), t hides"), zoom / 10.0);
	draw_box(r, title, 0, TH_BORDER);
	int cols = r.w - 2 - NAME_W - 1;
	/* scrolled back: the window ends `scroll` cells before `end` */
	uint64_t back = (uint64_t)scroll * (uint64_t)zoom;
	if (back > end)
		back = end;
	uint32_t last = end - (uint32_t)back;
	live = live && back == 0;
	uint64_t span = (uint64_t)cols * (uint64_t)zoom;
	uint32_t first = last + 1 > span ? (uint32_t)(last + 1 - span) : 0;
	first -= first % (uint32_t)zoom; /* cells on multiples of the zoom */
	int y = r.y + 1, rows = r.h - 3;
	for (int i = 0; i < c->m->nw && y < r.y + 1 + rows; i++) {
		if (!c->m->w[i].declared)
			continue;
		draw_text(y, r.x + 1, NAME_W, model_worker_name(c->m, i), TH_NORMAL);
		size_t sh = 0, mh = 0;
		for (int x = 0; x < cols; x++) {
			uint64_t lo = (uint64_t)first + (uint64_t)x * (uint64_t)zoom;
			if (lo > last)
				break;
			uint64_t hi = lo + (uint64_t)zoom - 1;
			if (hi > last)
				hi = last;
			/* a cell: the state at its last column, the marks of all of them */
			unsigned mk = 0;
			for (uint64_t at = lo; at <= hi; at++)
				mk |= timeline_marks_at(t, i, (uint32_t)at, &mh);
			int st = hi == end && live ? (int)model_state(c->m, i)
			                           : timeline_state_at(t, i, (uint32_t)hi, &sh);
			if (st == 0xff)
				continue;
			const char *g = mark_glyph(mk, c->ascii);
			int role = draw_state_role((enum ls_wstate)st);
			if (mk & TL_DEADLOCK)
				role = TH_CYCLE;
			draw_text(y, r.x + 1 + NAME_W + 1 + x, 1, g ? g : draw_state_glyph((enum ls_wstate)st),
			          role);
		}
		y++;
	}
	/* the axis: where the window starts and ends */
	char left[32], right[48];
	snprintf(left, sizeof left, "%lu", (unsigned long)first);
	snprintf(right, sizeof right, live ? _("%lu now") : _("%lu viewed"), (unsigned long)last);
	int ay = r.y + r.h - 2;
	draw_text(ay, r.x + 1 + NAME_W + 1, cols, left, TH_DIM);
	int rw = text_width(right);
	int rx = r.x + 1 + NAME_W + 1 + (int)((last - first) / (uint32_t)zoom) - rw + 1;
	if (rx < r.x + 1 + NAME_W + 1 + text_width(left) + 1)
		rx = r.x + 1 + NAME_W + 1 + text_width(left) + 1;
	draw_text(ay, rx, r.x + r.w - 1 - rx, right, TH_DIM);
	wnoutrefresh(stdscr);
}
