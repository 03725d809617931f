/* ui_timeline: the timeline (t): a strip per worker across time, each cell
 * the worker's state as glyph and colour, with marks where it acquired
 * (+) or released (-) something, got a signal (!) or entered a deadlock
 * (‼). Drawn over the bottom of the screen, above the key bar. Reads
 * only the columns it shows (timeline.h), so a long run costs no more per
 * frame than a short one. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

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

#define TICK_NS 100000000ull /* the wall time axis: a tenth of a second */

/* The title says what a cell is and the timeline's own keys. */
static void title_of(const struct ui_ctx *c, const struct timeline *t, const struct tl_window *w,
                     char *buf, size_t n)
{
	char unit[96];
	int steps = c->m->mode == LS_MODE_STEP;
	if (w->wall && w->zoom == 1)
		snprintf(unit, sizeof unit, "%s", _("0.1 s of wall time"));
	else if (w->wall)
		snprintf(unit, sizeof unit, _("%.1f s of wall time"), w->zoom / 10.0);
	else if (steps && w->zoom == 1)
		snprintf(unit, sizeof unit, "%s", _("a step"));
	else if (steps)
		snprintf(unit, sizeof unit, _("%d steps"), w->zoom);
	else if (w->zoom == 1) /* a free run's moments: tenths of a second that moved */
		snprintf(unit, sizeof unit, "%s", _("0.1 s of activity"));
	else
		snprintf(unit, sizeof unit, _("%.1f s of activity"), w->zoom / 10.0);
	const char *other = !w->wall ? _("a wall time") : t->nsteps > 0 ? _("a steps") : _("a activity");
	snprintf(buf, n, _("Timeline: %s per column (z zooms, %s, t hides)"), unit, other);
}

/* One cell of a strip: its state (0xff: none yet) and marks. */
static void cell(const struct ui_ctx *c, int y, int x, int st, unsigned mk)
{
	if (st == 0xff)
		return;
	const char *g = mark_glyph(mk, c->ascii);
	int role = draw_state_role((enum ls_wstate)st);
	if (mk & TL_DEADLOCK)
		role = TH_CYCLE;
	draw_text(y, x, 1, g ? g : draw_state_glyph((enum ls_wstate)st), role);
}

/* Where the window starts and ends, under the strips. */
static void axis(struct rect r, int cols, int cells, const char *left, const char *right)
{
	int ay = r.y + r.h - 2, x0 = r.x + 1 + NAME_W + 1;
	draw_text(ay, x0, cols, left, TH_DIM);
	int rw = text_width(right);
	int rx = x0 + cells - rw;
	if (rx < x0 + text_width(left) + 1)
		rx = x0 + text_width(left) + 1;
	draw_text(ay, rx, r.x + r.w - 1 - rx, right, TH_DIM);
}

/* A cell per `zoom` columns: the state at its last column, the marks of
 * all of them. */
static void draw_steps(const struct ui_ctx *c, const struct timeline *t, const struct tl_window *w,
                       struct rect r, int cols)
{
	int zoom = w->zoom;
	uint32_t end = w->end;
	/* scrolled back: the window ends `scroll` cells before `end` */
	uint64_t back = (uint64_t)w->scroll * (uint64_t)zoom;
	if (back > end)
		back = end;
	uint32_t last = end - (uint32_t)back;
	int live = w->live && back == 0;
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
			unsigned mk = 0;
			for (uint64_t at = lo; at <= hi; at++)
				mk |= timeline_marks_at(t, i, (uint32_t)at, &mh);
			int st = hi == end && live ? (int)model_state(c->m, i)
			                           : timeline_state_at(t, i, (uint32_t)hi, &sh);
			cell(c, y, r.x + 1 + NAME_W + 1 + x, st, mk);
		}
		y++;
	}
	char left[32], right[48];
	snprintf(left, sizeof left, "%lu", (unsigned long)first);
	snprintf(right, sizeof right, live ? _("%lu now") : _("%lu viewed"), (unsigned long)last);
	axis(r, cols, (int)((last - first) / (uint32_t)zoom) + 1, left, right);
}

/* A cell per `zoom` tenths of a second since the first record: the state
 * of the last column closed by the cell's end, the marks of the columns
 * closed within it. Each cell's columns are found once, by binary search
 * over the columns' times, for every strip. */
static void draw_wall(const struct ui_ctx *c, const struct timeline *t, const struct tl_window *w,
                      struct rect r, int cols)
{
	uint64_t dt = (uint64_t)w->zoom * TICK_NS, t0 = t->t_first;
	uint64_t tend = w->live ? t->t_last : timeline_column_time(t, w->end);
	if (!t0 || tend < t0)
		tend = t0;
	uint64_t last = (tend - t0) / dt, back = (uint64_t)w->scroll;
	if (back > last)
		back = last;
	last -= back;
	int live = w->live && back == 0;
	uint64_t first = last + 1 > (uint64_t)cols ? last + 1 - (uint64_t)cols : 0;
	int n = (int)(last - first) + 1;
	long *col = malloc(((size_t)n + 1) * sizeof *col); /* col[k]: the last column by cell k-1's end */
	if (!col)
		return;
	col[0] = first > 0 ? timeline_column_by_time(t, t0 + first * dt - 1) : -1;
	for (int k = 0; k < n; k++) {
		uint64_t b = first + (uint64_t)k;
		long cc = timeline_column_by_time(t, b == last && back == 0 ? tend : t0 + (b + 1) * dt - 1);
		if (!w->live && cc > (long)w->end)
			cc = (long)w->end; /* the moment viewed ends what is shown */
		col[k + 1] = cc > col[k] ? cc : col[k];
	}
	int y = r.y + 1, rows = r.h - 3;
	for (int i = 0; i < c->m->nw && y < r.y + 1 + rows; i++) {
		if (!c->m->w[i].declared)
			continue;
		draw_text(y, r.x + 1, NAME_W, model_worker_name(c->m, i), TH_NORMAL);
		size_t sh = 0, mh = 0;
		for (int k = 0; k < n; k++) {
			int now_cell = live && k == n - 1;
			unsigned mk = 0;
			for (long at = col[k] + 1; at <= col[k + 1]; at++)
				mk |= timeline_marks_at(t, i, (uint32_t)at, &mh);
			if (now_cell) /* the column being made */
				mk |= timeline_marks_at(t, i, t->now, &mh);
			int st = now_cell ? (int)model_state(c->m, i)
			         : col[k + 1] >= 0 ? timeline_state_at(t, i, (uint32_t)col[k + 1], &sh) : 0xff;
			cell(c, y, r.x + 1 + NAME_W + 1 + k, st, mk);
		}
		y++;
	}
	free(col);
	char left[32], right[48];
	snprintf(left, sizeof left, _("%.1f s"), (double)(first * dt) / 1e9);
	double end_s = back == 0 ? (double)(tend - t0) / 1e9 : (double)((last + 1) * dt) / 1e9;
	snprintf(right, sizeof right, live ? _("%.1f s now") : _("%.1f s viewed"), end_s);
	axis(r, cols, n, left, right);
}

void ui_timeline_draw(const struct ui_ctx *c, const struct timeline *t, const struct tl_window *w)
{
	int h = ui_timeline_height(c);
	if (c->lay.too_small || h == 0 || c->cols < NAME_W + 12)
		return;
	struct tl_window win = *w;
	if (win.zoom < 1)
		win.zoom = 1;
	struct rect r = {.y = c->rows - 1 - h, .x = 0, .h = h, .w = c->cols};
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, 0, r.w, TH_NORMAL);
	char title[256];
	title_of(c, t, &win, title, sizeof title);
	draw_box(r, title, 0, TH_BORDER);
	int cols = r.w - 2 - NAME_W - 1;
	if (win.wall)
		draw_wall(c, t, &win, r, cols);
	else
		draw_steps(c, t, &win, r, cols);
	wnoutrefresh(stdscr);
}
