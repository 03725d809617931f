/* layout: pane rectangles from the terminal size. See layout.h. */
#include "layout.h"

#include <string.h>

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The graph and the conditions beside the narration (wide), or side by
 * side above it (narrow). */
static void analysis_panes(struct layout *out, int top, int bh, int cols, const int *want)
{
	int graph = want[PANE_GRAPH] > 0, conds = want[PANE_CONDS] > 0, conds_want = want[PANE_CONDS];
	int first = graph ? PANE_GRAPH : PANE_CONDS;
	out->shown[first] = out->shown[PANE_NARRATION] = 1;
	if (out->side_by_side) {
		int nw = clamp(cols * 2 / 5, 40, 90);
		/* the log keeps what the graph does not need, if that is enough to read */
		int gh = clamp(want[first], 10, bh);
		if (bh - gh >= 6) {
			out->r[PANE_LOG] = (struct rect){top + gh, 0, bh - gh, cols - nw};
			out->shown[PANE_LOG] = 1;
		} else {
			gh = bh;
		}
		out->r[first] = (struct rect){top, 0, gh, cols - nw};
		int ch = 0;
		if (graph && conds) {
			/* the narration keeps room for a deadlock's hint and a line of
			 * the story: it says what to press now */
			ch = clamp(conds_want, 6, bh - (bh >= 24 ? 7 : 5));
			out->r[PANE_CONDS] = (struct rect){top, cols - nw, ch, nw};
			out->shown[PANE_CONDS] = 1;
		}
		out->r[PANE_NARRATION] = (struct rect){top + ch, cols - nw, bh - ch, nw};
		return;
	}
	int nh = clamp(bh / 4, 4, 6);
	int ah = bh - nh;
	if (graph && conds) {
		int gw = cols / 2;
		out->r[PANE_GRAPH] = (struct rect){top, 0, ah, gw};
		out->r[PANE_CONDS] = (struct rect){top, gw, ah, cols - gw};
		out->shown[PANE_CONDS] = 1;
	} else {
		out->r[first] = (struct rect){top, 0, ah, cols};
	}
	out->r[PANE_NARRATION] = (struct rect){top + ah, 0, nh, cols};
}

void layout_compute(const struct layout_in *in, struct layout *out)
{
	memset(out, 0, sizeof *out);
	int rows = in->rows, cols = in->cols;
	if (rows < LS_MIN_ROWS || cols < LS_MIN_COLS) {
		out->too_small = 1;
		return;
	}
	out->r[PANE_HEADER] = (struct rect){0, 0, 2, cols};
	out->r[PANE_FOOTER] = (struct rect){rows - 1, 0, 1, cols};
	out->shown[PANE_HEADER] = out->shown[PANE_FOOTER] = 1;
	if (in->reserve > 0 && in->reserve < 4) /* the panes end above the rows kept */
		rows -= in->reserve;

	int top = 2, body = rows - 3;
	out->side_by_side = cols >= 110;
	int bottom_min = out->side_by_side ? 7 : 9;

	/* The object panes the scene uses, packed into rows: side by side while
	 * each gets at least its minimum width, queues (boxes) weighing double. */
	static const int minw[PANE_COUNT] = {
		[PANE_LOCKS] = 34, [PANE_SEMS] = 30, [PANE_QUEUES] = 40, [PANE_VALUES] = 26,
	};
	/* The deadlock panes, when asked for, take the place of the log and,
	 * when they would leave the graph too little room, of the object panes
	 * (the graph draws the objects too). */
	int graph = in->want[PANE_GRAPH] > 0, conds = in->want[PANE_CONDS] > 0;
	int objects = 1;
	if (graph || conds) {
		bottom_min = out->side_by_side ? 12 : 15;
		int wsum = clamp(in->want[PANE_WORKERS], 4, body), osum = 0;
		for (int p = PANE_LOCKS; p <= PANE_VALUES; p++)
			osum = in->want[p] > osum ? in->want[p] : osum; /* a row at least */
		objects = body - wsum - osum >= (out->side_by_side ? 20 : 24);
	}
	int orow[4][4], olen[4] = {0}, oh[4] = {0}, nrows = 0, used = 0;
	for (int p = PANE_LOCKS; p <= PANE_VALUES; p++) {
		if (in->want[p] <= 0 || !objects)
			continue;
		if (nrows == 0 || used + minw[p] > cols) {
			nrows++;
			used = 0;
		}
		int k = nrows - 1;
		orow[k][olen[k]++] = p;
		used += minw[p];
		if (in->want[p] > oh[k])
			oh[k] = in->want[p];
	}
	int objmin = 3 * nrows; /* the workers come first: objects can shrink to a line */
	int avail = body - bottom_min;
	int wh = clamp(in->want[PANE_WORKERS] > 0 ? in->want[PANE_WORKERS] : 4, 4, avail - objmin);
	/* on a tall terminal the bottom panes get at least a third */
	if (rows >= 40 && wh > body / 2)
		wh = body / 2 > 4 ? body / 2 : 4;
	out->r[PANE_WORKERS] = (struct rect){top, 0, wh, cols};
	out->shown[PANE_WORKERS] = 1;
	top += wh;

	int room = avail - wh; /* for all object rows */
	for (int k = 0; k < nrows; k++) {
		int h = clamp(oh[k], 3, room - 3 * (nrows - k - 1));
		room -= h;
		int weight = 0;
		for (int i = 0; i < olen[k]; i++)
			weight += orow[k][i] == PANE_QUEUES ? 2 : 1;
		int x = 0, left = cols, wleft = weight;
		for (int i = 0; i < olen[k]; i++) {
			int p = orow[k][i];
			int wgt = p == PANE_QUEUES ? 2 : 1;
			int w = wleft == wgt ? left : cols * wgt / weight;
			out->r[p] = (struct rect){top, x, h, w};
			out->shown[p] = 1;
			x += w;
			left -= w;
			wleft -= wgt;
		}
		top += h;
	}

	int bh = rows - 1 - top;
	if (graph || conds) {
		analysis_panes(out, top, bh, cols, in->want);
		return;
	}
	if (out->side_by_side) {
		int nw = clamp(cols * 2 / 5, 40, 90);
		out->r[PANE_LOG] = (struct rect){top, 0, bh, cols - nw};
		out->r[PANE_NARRATION] = (struct rect){top, cols - nw, bh, nw};
	} else {
		int nh = clamp((bh + 1) / 2, 4, 8);
		out->r[PANE_NARRATION] = (struct rect){top, 0, nh, cols};
		out->r[PANE_LOG] = (struct rect){top + nh, 0, bh - nh, cols};
	}
	out->shown[PANE_LOG] = out->shown[PANE_NARRATION] = 1;
}

int layout_hit(const struct layout *l, int y, int x)
{
	for (int p = 0; p < PANE_COUNT; p++) {
		const struct rect *r = &l->r[p];
		if (l->shown[p] && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w)
			return p;
	}
	return -1;
}
