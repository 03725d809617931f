/* ui: the pane table, layout and one frame. See ui.h. */
#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "keymap.h"
#include "ui_draw.h"
#include "ui_text.h"

static const struct pane_ops *const panes[PANE_COUNT] = {
	[PANE_HEADER] = &pane_header,       [PANE_WORKERS] = &pane_workers,
	[PANE_LOCKS] = &pane_locks,         [PANE_SEMS] = &pane_sems,
	[PANE_QUEUES] = &pane_queues,       [PANE_VALUES] = &pane_values,
	[PANE_LOG] = &pane_log,             [PANE_NARRATION] = &pane_narration,
	[PANE_FOOTER] = &pane_footer,       [PANE_GRAPH] = &pane_graph,
	[PANE_CONDS] = &pane_conds,
};

void ui_layout(struct ui_ctx *c)
{
	struct layout_in in = {.rows = c->rows, .cols = c->cols, .reserve = c->strip};
	for (int p = 0; p < PANE_COUNT; p++)
		in.want[p] = panes[p]->want ? panes[p]->want(c) : 0;
	layout_compute(&in, &c->lay);
	/* presenter zoom: the focused pane takes every row between the header
	 * and the key bar, the other panes give way */
	int f = c->v->focus;
	if (c->v->zoom && !c->lay.too_small && f > PANE_HEADER && f < PANE_FOOTER &&
	    c->lay.shown[f]) {
		for (int p = PANE_HEADER + 1; p < PANE_FOOTER; p++) {
			c->lay.zoom_hid[p] = c->lay.shown[p] && p != f; /* Tab still reaches it */
			c->lay.shown[p] = p == f;
		}
		c->lay.r[f] = (struct rect){2, 0, c->rows - 3, c->cols};
	}
}

int ui_focusable(const struct ui_ctx *c, int pane)
{
	return pane != PANE_HEADER && pane != PANE_FOOTER &&
	       (c->lay.shown[pane] || c->lay.zoom_hid[pane]);
}

static void too_small(const struct ui_ctx *c)
{
	char l1[160], l2[160];
	snprintf(l1, sizeof l1, _("lockstep needs at least %dx%d"), LS_MIN_COLS, LS_MIN_ROWS);
	snprintf(l2, sizeof l2, _("this window is %dx%d: please make it larger"), c->cols, c->rows);
	const char *l3 = _("(q quits)");
	int y = c->rows / 2 - 1;
	const char *lines[3] = {l1, l2, l3};
	for (int i = 0; i < 3; i++) {
		int w = text_width(lines[i]);
		int x = (c->cols - w) / 2;
		draw_text(y + i, x < 0 ? 0 : x, c->cols, lines[i], i == 0 ? TH_HINT : TH_NORMAL);
	}
}

void ui_frame(const struct ui_ctx *c)
{
	erase();
	draw_set_zoom(c->v->zoom);
	if (c->lay.too_small) {
		too_small(c);
	} else {
		for (int p = 0; p < PANE_COUNT; p++) {
			if (!c->lay.shown[p])
				continue;
			struct rect r = c->lay.r[p];
			if (panes[p]->title)
				draw_box(r, _(panes[p]->title), c->v->focus == p, TH_BORDER);
			panes[p]->draw(c, r);
		}
		const struct overlay_ops *ov = ui_overlay_of(c->v);
		if (ov)
			ov->draw(c);
	}
	wnoutrefresh(stdscr);
}

int ui_scroll_key(int action, int cur, int max, int page)
{
	switch (action) {
	case KM_UP: cur--; break;
	case KM_DOWN: cur++; break;
	case KM_PAGE_UP: cur -= page > 1 ? page : 1; break;
	case KM_PAGE_DOWN: cur += page > 1 ? page : 1; break;
	case KM_HOME: cur = 0; break;
	case KM_END: cur = max; break;
	default: break;
	}
	return cur < 0 ? 0 : cur > max ? max : cur;
}

int ui_worker_role(const struct model *m, int id)
{
	const struct m_worker *w = model_worker(m, id);
	return w ? draw_state_role(model_state(m, id)) : TH_NORMAL;
}

void ui_op_text(const struct model *m, const struct m_worker *w, char *buf, size_t n)
{
	/* operation names are the API the course's programs call (lock, join,
	 * pause, signal): never translated, as in the code students read */
	const char *op = event_op_name(w->op);
	const char *obj = w->op_obj >= 0 ? model_object_name(m, w->op_obj) : NULL;
	switch (w->op) {
	case LS_OP_JOIN:
		snprintf(buf, n, "%s(%s)", op, model_worker_name(m, (int)w->op_arg));
		return;
	case LS_OP_PUT:
	case LS_OP_WRITE: {
		/* the item as the queues pane shows it (a Python item's text) */
		char item[LS_EV_TEXT + 24];
		model_item_str(w->op_obj >= 0 ? model_object(m, w->op_obj) : NULL, w->op_arg, item,
		               sizeof item);
		snprintf(buf, n, "%s(%s, %s)", op, obj ? obj : "?", item);
		return;
	}
	case LS_OP_SLEEP:
	case LS_OP_WORK:
		snprintf(buf, n, _("%s(%lld ms)"), op, (long long)w->op_arg);
		return;
	default:
		if (obj)
			snprintf(buf, n, "%s(%s)", op, obj);
		else
			snprintf(buf, n, "%s", op);
	}
}

/* In a controlled run lockstep wakes waiters first come, first served, so
 * they are drawn as a queue (T4 → T5). In a free run the kernel picks who
 * wakes: they are drawn as a set, and the row says so. Waiters all woken
 * at once (a free lock's) are a set too: any of them may retry first. */
int ui_waiters(const struct ui_ctx *c, int y, int x, int end, const int *ids, int n, int woken)
{
	int set = woken || c->m->mode != LS_MODE_STEP;
	if (c->m->mode != LS_MODE_STEP && n > 1) {
		const char *note = _("(the kernel picks) ");
		if (x + text_width(note) + 8 < end)
			x += draw_text(y, x, end - x, note, TH_DIM);
	}
	for (int k = 0; k < n && x < end; k++) {
		const char *name = model_worker_name(c->m, ids[k]);
		int need = (k ? 3 : 0) + text_width(name);
		char more[32];
		snprintf(more, sizeof more, _("  +%d more"), n - k);
		/* keep room to say how many did not fit */
		if (k < n - 1 && x + need + text_width(more) + 3 > end) {
			x += draw_text(y, x, end - x, more, TH_DIM);
			break;
		}
		if (k && set)
			x += draw_text(y, x, end - x, ", ", TH_DIM);
		else if (k)
			x += draw_textf(y, x, end - x, TH_DIM, " %s ", draw_glyph(G_ARROW));
		x += draw_text(y, x, end - x, name,
		               analysis_in_cycle(c->an, 0, ids[k]) ? TH_CYCLE : ui_worker_role(c->m, ids[k]));
	}
	return x;
}

void ui_object_rows(const struct ui_ctx *c, struct rect r, int pane, ui_obj_filter shown,
                    int lo, int hi, ui_obj_row row)
{
	const struct model *m = c->m;
	int namew = lo;
	for (int i = 0; i < m->no && lo < hi; i++)
		if (shown(&m->o[i]) && text_width(m->o[i].name) > namew)
			namew = text_width(m->o[i].name);
	if (namew > hi)
		namew = hi;
	int skip = c->v->scroll[pane], rows = r.h - 2, n = 0, total = 0;
	for (int i = 0; i < m->no; i++) {
		if (!shown(&m->o[i]))
			continue;
		if (total++ < skip || n >= rows)
			continue;
		if (ui_changed(m, 1, i)) /* the last step touched it */
			draw_text(r.y + 1 + n, r.x + 1, 1, draw_glyph(G_CHANGED), TH_HINT);
		row(c, i, r.y + 1 + n++, r.x + 2, r.x + r.w - 1, namew);
	}
	draw_scroll_marks(r, skip > 0, total > skip + rows);
}

/* The ready workers as "1 (T1 ▸ lock(A)) or 2 (T2 ▸ lock(B))". */
static size_t ready_list(const struct ui_ctx *c, char *buf, size_t n)
{
	const struct model *m = c->m;
	size_t len = 0;
	int count = 0, total = 0;
	/* main (key 0) only when nobody else can move: its join is rarely the lesson */
	int from = 1;
	for (int i = 1; i < m->nw; i++)
		total += model_eligible(m, i) && km_digit_for_worker(m, i) >= 0;
	if (total == 0) {
		from = 0;
		total = model_eligible(m, 0);
	}
	for (int i = from; i < m->nw && len < n; i++) {
		if (!model_eligible(m, i))
			continue;
		int d = km_digit_for_worker(m, i);
		if (d < 0)
			continue;
		const struct m_worker *w = &m->w[i];
		char op[96];
		ui_op_text(m, w, op, sizeof op);
		count++;
		const char *sep = count == 1 ? "" : count == total ? _(" or ") : ", ";
		int r = snprintf(buf + len, n - len, _("%s%d (%s %s %s)"), sep, d, w->name,
		                 draw_glyph(G_READY), op);
		if (r < 0)
			break;
		len += (size_t)r;
		if (count >= 4 && total > 4) {
			snprintf(buf + len, len < n ? n - len : 0, "%s", _(", ..."));
			break;
		}
	}
	return (size_t)count;
}

void ui_hint(const struct ui_ctx *c, char *buf, size_t n)
{
	char more[512];
	if (c->follower) { /* the teacher's keys move this scene, not the viewer's */
		char d[640] = "";
		if (c->an->deadlock) {
			describe_cycle(c->m, c->an, more, sizeof more);
			snprintf(d, sizeof d, _("DEADLOCK: %s. "), more);
		}
		snprintf(buf, n, _("%sFollowing the teacher: each step shows here as it is taken. n "
		                   "makes a private copy at this step to try things alone, b looks "
		                   "back, ? lists every key."), d);
		return;
	}
	if (c->an->deadlock) {
		describe_cycle(c->m, c->an, more, sizeof more);
		snprintf(buf, n,
		         _("DEADLOCK: %s. Each holds what the next one needs, so none of them can "
		           "ever move. Press r to restart, l for another scene."),
		         more);
		return;
	}
	switch (c->out) {
	case LS_OUT_NONE:
		break;
	case LS_OUT_FINISHED:
		snprintf(buf, n, "%s",
		         _("The scene finished. Press r to run it again, l to pick another scene, "
		           "q to quit."));
		return;
	case LS_OUT_STOPPED:
		snprintf(buf, n, "%s", _("The scene was stopped. Press r to restart it."));
		return;
	default:
		snprintf(buf, n, _("The scene stopped: %s. Press r to restart it."),
		         c->err && *c->err ? c->err : _(engine_outcome_name(c->out)));
		return;
	}
	if (c->an->stalled && ui_waits_signal(c->m)) {
		snprintf(buf, n, "%s",
		         _("Everyone waits, some in pause() for a signal: press ! to send one, to the "
		           "whole group as the keyboard would, or to one process."));
		return;
	}
	if (c->an->stalled && c->waits_user) {
		snprintf(buf, n, "%s",
		         _("Everyone waits, and the scene waits for you: press k (the scene's key)."));
		return;
	}
	if (c->an->stalled) {
		snprintf(buf, n, "%s",
		         _("STALLED: every worker waits and nothing can wake them. Press r to "
		           "restart."));
		return;
	}
	if (c->looking_back == 2) {
		snprintf(buf, n, "%s",
		         _("A recording: nothing runs. space plays, s and b step, . goes to the end."));
		return;
	}
	if (c->looking_back) { /* the keys do other things in the past: say what */
		if (c->m->mode == LS_MODE_RUN || c->free_run)
			snprintf(buf, n, "%s",
			         _("Looking back at a free run: s and b move in time, . returns to now. "
			           "The kernel chose who moved, so no branch can start here."));
		else if (ready_list(c, more, sizeof more) > 0)
			snprintf(buf, n,
			         _("Looking back: press %s to start a new branch here (the scene runs "
			           "again to this step, then that worker moves). s and b move in time, . "
			           "returns to now."),
			         more);
		else
			snprintf(buf, n, "%s",
			         _("Looking back: nobody could move here. s and b move in time, . returns "
			           "to now."));
		return;
	}
	if (c->waits_user) {
		snprintf(buf, n, "%s",
		         _("The scene waits for you: press k (the scene's key) to let it go on."));
		return;
	}
	if (c->free_run) {
		snprintf(buf, n, "%s",
		         _("This scene measures real time, so it runs freely and cannot be stepped. "
		           "+ and - change the speed, r restarts."));
		return;
	}
	if (c->v->run == UI_RUNNING && ui_pace_ms(c->v->speed) > 0) {
		snprintf(buf, n,
		         _("Slow motion at speed %d: one worker moves at a time, in turn, and %s "
		           "marks what the last step changed. Press space to pause, + or - to change "
		           "the speed (6 and up: the kernel decides who moves)."),
		         c->v->speed, draw_glyph(G_CHANGED));
		return;
	}
	if (c->v->run == UI_RUNNING) {
		snprintf(buf, n,
		         _("Running freely at speed %d: the kernel decides who moves. Press space "
		           "to pause, + or - to change the speed."),
		         c->v->speed);
		return;
	}
	if (!c->settled) {
		snprintf(buf, n, "%s", _("Moving..."));
		return;
	}
	if (ready_list(c, more, sizeof more) > 0) {
		const struct m_worker *next = model_worker(c->m, c->next_worker);
		int slow = ui_pace_ms(c->v->speed) > 0; /* what space does at this speed */
		if (next)
			snprintf(buf, n,
			         slow ? _("Your move: press %s, or s for the next in turn (%s). space "
			                  "plays it in slow motion, ? lists every key.")
			              : _("Your move: press %s, or s for the next in turn (%s). space runs "
			                  "freely, ? lists every key."),
			         more, next->name);
		else
			snprintf(buf, n,
			         slow ? _("Your move: press %s, or s for the next in turn. space plays it "
			                  "in slow motion, ? lists every key.")
			              : _("Your move: press %s, or s for the next in turn. space runs "
			                  "freely, ? lists every key."),
			         more);
		return;
	}
	if (c->an->timed > 0) {
		snprintf(buf, n, "%s",
		         _("Everyone waits for time to pass. Press s: the virtual clock jumps to the "
		           "next wake-up."));
		return;
	}
	snprintf(buf, n, "%s", _("Nobody can move now. Press r to restart, ? for help."));
}

const struct overlay_ops *ui_overlay_of(const struct view *v)
{
	switch (v->overlay) {
	case UI_OV_HELP: return &overlay_help;
	case UI_OV_PICKER: return &overlay_picker;
	case UI_OV_SIGNAL: return &overlay_signal;
	case UI_OV_DIFF: return v->diff ? &overlay_diff : NULL;
	case UI_OV_RUNS: return v->kept ? &overlay_runs : NULL;
	case UI_OV_CHALLENGES: return &overlay_challenges;
	case UI_OV_PREDICT: return &overlay_predict;
	case UI_OV_WHY: return &overlay_why;
	case UI_OV_FIX: return &overlay_fix;
	case UI_OV_EXPLORE: return &overlay_explore;
	case UI_OV_NONE: break;
	}
	return NULL;
}
