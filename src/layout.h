/* layout: where each pane goes for a terminal size and what the panes want.
 *
 * Pure arithmetic, unit tested: no curses, no model. The header takes the
 * top two rows and the key bar the last; workers come first, then the
 * object panes side by side (only those the scene uses), then the log and
 * the narration, side by side when the terminal is wide, stacked otherwise.
 */
#ifndef LS_LAYOUT_H
#define LS_LAYOUT_H

#define LS_MIN_COLS 80
#define LS_MIN_ROWS 24

enum pane_id {
	PANE_HEADER,
	PANE_WORKERS,
	PANE_LOCKS,
	PANE_SEMS,
	PANE_QUEUES,
	PANE_VALUES,
	PANE_LOG,
	PANE_NARRATION,
	PANE_GRAPH, /* the deadlock panes: shown instead of the objects and log */
	PANE_CONDS,
	PANE_FOOTER,
	PANE_COUNT
};

struct rect {
	int y, x, h, w;
};

struct layout_in {
	int rows, cols;
	/* rows each pane would like, borders included; 0: the scene does not
	 * use it (object panes), or it is switched off (graph, conditions).
	 * Header, log, narration and footer ignore it. */
	int want[PANE_COUNT];
	/* rows kept free above the key bar (the explorer's strip, ui_explore.c) */
	int reserve;
};

struct layout {
	int too_small;
	int side_by_side; /* log and narration share a row */
	int shown[PANE_COUNT];
	struct rect r[PANE_COUNT];
	int zoom_hid[PANE_COUNT]; /* laid out, but hidden by the presenter zoom (ui.c) */
};

void layout_compute(const struct layout_in *in, struct layout *out);
/* Which shown pane holds this cell, or -1. */
int layout_hit(const struct layout *l, int y, int x);

#endif
