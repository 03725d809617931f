/* ui_workers: one row per worker: the key that steps it, name, state (glyph
 * and word), what it does or will do next, what it holds, what it waits for,
 * thread or process and its id. Ready workers show their next operation
 * ("▸ lock(B)") beside a highlighted key; the deadlock cycle is marked. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"
#include "unit.h"

static int nshown(const struct model *m)
{
	int n = 0;
	for (int i = 0; i < m->nw; i++)
		n += m->w[i].declared;
	return n;
}

static int want(const struct ui_ctx *c)
{
	int n = nshown(c->m);
	if (n == 0)
		n = 1;
	return 3 + n + (n - 1) * ui_spacing(c);
}

/* Rows that fit, the spacing used, the first worker shown, and whether a
 * census line (a crowd too big for the pane) takes the first row. */
struct geom {
	int spacing, first, fit, n, census;
};

static struct geom geometry(const struct ui_ctx *c, struct rect r)
{
	struct geom g = {.n = nshown(c->m)};
	int rows = r.h - 3;
	g.spacing = ui_spacing(c);
	while (g.spacing > 0 && g.n + (g.n - 1) * g.spacing > rows)
		g.spacing--;
	if (g.n > rows && rows >= 2) {
		g.census = 1;
		rows--;
	}
	g.fit = (rows + g.spacing) / (1 + g.spacing);
	if (g.fit < 1)
		g.fit = 1;
	g.first = c->v->scroll[PANE_WORKERS];
	if (g.first > g.n - g.fit)
		g.first = g.n - g.fit;
	if (g.first < 0)
		g.first = 0;
	return g;
}

/* The id of the k-th declared worker. */
static int nth(const struct model *m, int k)
{
	for (int i = 0; i < m->nw; i++)
		if (m->w[i].declared && k-- == 0)
			return i;
	return -1;
}

static int can_step(const struct ui_ctx *c, int id)
{
	return !c->free_run && c->out == LS_OUT_NONE && c->v->run != UI_RUNNING && c->settled &&
	       model_eligible(c->m, id);
}

/* How a process ended, in the few columns an 80-column row leaves. */
static int ended_short(const struct m_worker *w, enum ls_wstate st, char *buf, size_t n)
{
	/* the state column already says ZOMBIE (not reaped) or TERMINATED */
	if (w->term_signal)
		snprintf(buf, n, "%s %d", describe_signal(w->term_signal), w->exit_code);
	else
		snprintf(buf, n, _("exit %d"), w->exit_code);
	return st == LS_WS_ZOMBIE ? TH_ZOMBIE : TH_ENDED;
}

static int doing(const struct ui_ctx *c, int id, int width, char *buf, size_t n)
{
	const struct m_worker *w = &c->m->w[id];
	char op[128 + LS_EV_TEXT];
	ui_op_text(c->m, w, op, sizeof op);
	if (w->where[0]) { /* a Python program's line: lock(A) demo.py:12 */
		size_t len = strlen(op);
		snprintf(op + len, sizeof op - len, " %s", w->where);
	}
	enum ls_wstate st = model_state(c->m, id); /* the state every pane shows */
	if (width < 20 && w->kind == LS_WK_PROCESS &&
	    (st == LS_WS_TERMINATED || st == LS_WS_ZOMBIE))
		return ended_short(w, st, buf, n);
	switch (st) {
	case LS_WS_NEW:
		snprintf(buf, n, "%s", _("not started"));
		return TH_NEW;
	case LS_WS_TERMINATED:
		if (w->term_signal)
			snprintf(buf, n, _("killed by %s (exit code %d)"), describe_signal(w->term_signal),
			         w->exit_code);
		else if (w->exit_how == LS_EXIT_DAEMON_STOPPED)
			snprintf(buf, n, "%s", _("daemon, stopped when main ended"));
		else if (w->kind == LS_WK_PROCESS && w->reaped_by >= 0)
			snprintf(buf, n, _("exit %d, reaped by %s"), w->exit_code,
			         model_worker_name(c->m, w->reaped_by));
		else
			snprintf(buf, n, _("ended, exit %d"), w->exit_code);
		return TH_ENDED;
	case LS_WS_ZOMBIE:
		if (w->term_signal)
			snprintf(buf, n, _("killed by %s, not reaped yet"), describe_signal(w->term_signal));
		else
			snprintf(buf, n, _("exited %d, not reaped yet"), w->exit_code);
		return TH_ZOMBIE;
	default:
		break;
	}
	if (w->in_handler) {
		snprintf(buf, n, _("in its handler of %s"), describe_signal(w->in_handler));
		return TH_KEY;
	}
	if (w->gate == LS_GATE_READY) {
		snprintf(buf, n, "%s %s", draw_glyph(G_READY), op);
		return TH_READY;
	}
	if (w->gate == LS_GATE_PARKED && model_eligible(c->m, id)) {
		snprintf(buf, n, _("%s retry %s"), draw_glyph(G_READY), op);
		return TH_READY;
	}
	if (w->gate == LS_GATE_MOVING) {
		snprintf(buf, n, _("%s..."), op);
		return TH_RUNNABLE;
	}
	snprintf(buf, n, "%s", op);
	return draw_state_role(model_state(c->m, id));
}

static void holds_text(const struct model *m, const struct m_worker *w, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int k = 0; k < w->nholds && len < n; k++) {
		int r = snprintf(buf + len, n - len, "%s%s", k ? ", " : "",
		                 model_object_name(m, w->holds[k]));
		if (r < 0)
			break;
		len += (size_t)r;
	}
	if (!buf[0])
		snprintf(buf, n, "%s", draw_glyph(G_DOT));
}

/* what it waits for, in describe.c's words; a dot when nothing */
static int waits_text(const struct model *m, int id, char *buf, size_t n)
{
	int role = describe_waits(m, id, buf, n);
	if (role >= 0)
		return role;
	snprintf(buf, n, "%s", draw_glyph(G_DOT));
	return TH_DIM;
}

/* A worker's kind and id: "thread 4242", "pid 31306 (parent 30049)", or
 * where room is short "pid 31306 ppid 30049". */
static void kind_text(const struct model *m, const struct m_worker *w, int wide, char *buf,
                      size_t n)
{
	int64_t pid = w->kind == LS_WK_PROCESS ? w->pid : w->tid;
	const char *par = w->parent >= 0 ? model_worker_name(m, w->parent) : _("lockstep");
	if (w->kind == LS_WK_PROCESS && pid && w->adopted && wide)
		snprintf(buf, n, _("pid %lld, adopted by %s"), (long long)pid, par);
	else if (w->kind == LS_WK_PROCESS && pid && w->adopted)
		snprintf(buf, n, _("pid %lld, adopted"), (long long)pid);
	else if (w->kind == LS_WK_PROCESS && pid && w->ppid && wide)
		snprintf(buf, n, _("pid %lld (parent %lld)"), (long long)pid, (long long)w->ppid);
	else if (w->kind == LS_WK_PROCESS && pid && w->ppid)
		snprintf(buf, n, _("pid %lld ppid %lld"), (long long)pid, (long long)w->ppid);
	else if (pid)
		snprintf(buf, n, "%s %lld", w->kind == LS_WK_PROCESS ? _("process") : _("thread"),
		         (long long)pid);
	else
		snprintf(buf, n, "%s", w->kind == LS_WK_PROCESS ? _("process") : _("thread"));
}

/* Column widths for an inner width. */
struct cols {
	int key, mark, name, state, kern, doing, holds, waits, kind, steps, kind_wide;
};

static int atleast(int a, int b) { return a > b ? a : b; }
static int atmost(int a, int b) { return a < b ? a : b; }

/* The widths the columns would like: their widest cell or title. */
struct wants {
	int doing, holds, waits, kind, kind_short;
};

static struct wants column_wants(const struct ui_ctx *c, struct geom g)
{
	const struct model *m = c->m;
	struct wants w = {text_width(_("doing / next")), text_width(P_("worker column", "holds")),
	                  text_width(_("waits for")), text_width(_("kind  id")),
	                  text_width(_("kind  id"))};
	char buf[256];
	/* the rows on screen: a crowd's thousand rows cost nothing off screen */
	for (int k = g.first; k < g.first + g.fit && k < g.n; k++) {
		int i = nth(m, k);
		if (i < 0)
			break;
		doing(c, i, 100, buf, sizeof buf);
		w.doing = atleast(w.doing, text_width(buf));
		holds_text(m, &m->w[i], buf, sizeof buf);
		w.holds = atleast(w.holds, text_width(buf));
		waits_text(m, i, buf, sizeof buf);
		w.waits = atleast(w.waits, text_width(buf));
		kind_text(m, &m->w[i], 1, buf, sizeof buf);
		w.kind = atleast(w.kind, text_width(buf));
		kind_text(m, &m->w[i], 0, buf, sizeof buf);
		w.kind_short = atleast(w.kind_short, text_width(buf));
	}
	return w;
}

/* The key, name and state always show. Then what the worker does and waits
 * for, and what it holds (where something can be held), each at least a
 * few columns. What room is left goes, in this order, to the optional
 * columns that fit whole: the kernel's view and the kind and id (kind
 * first in a scene of processes without locks: pid and parent are its
 * lesson), then the step count; the rest widens doing, holds and waits up
 * to their widest cell. So a column gives way before any cell is cut, and a
 * cell is cut (with an ellipsis) only when no column is left to give way. */
static struct cols columns(const struct ui_ctx *c, int inner, struct geom g)
{
	struct cols k = {.key = 4, .mark = 2, .name = 6, .state = 16};
	for (int i = 0; i < c->m->nw; i++) {
		int w = text_width(c->m->w[i].name);
		if (w > k.name)
			k.name = w;
	}
	if (k.name > 14)
		k.name = 14;
	if (ui_large(c) && !c->ascii)
		k.state++;
	int room = inner - k.key - k.mark - k.name - k.state - 2;
	int procs = 0, holdable = 0;
	for (int i = 0; i < c->m->nw; i++)
		procs |= c->m->w[i].declared && c->m->w[i].kind == LS_WK_PROCESS;
	/* nothing in the scene can be held: the holds column would stay empty */
	for (int i = 0; i < c->m->no; i++) {
		holdable |= c->m->o[i].declared && unit_kind(c->m->o[i].kind)->holdable;
	}
	struct wants w = column_wants(c, g);
	k.doing = atmost(w.doing, 14);
	k.waits = atmost(w.waits, 14);
	k.holds = holdable ? atmost(w.holds, 6) : 0;
	int used = k.doing + 1 + k.waits + 1 + (k.holds ? k.holds + 1 : 0);
	int order[3] = {0, 1, 2}; /* 0 kernel, 1 kind, 2 steps */
	if (procs && !holdable)
		order[0] = 1, order[1] = 0;
	/* zoomed for a class: what it reads from the back, not the kernel and ids */
	for (int j = 0; j < 3 && !c->v->zoom; j++) {
		if (order[j] == 0) {
			int kw = ui_kernel_width(c, room - used);
			if (kw && used + kw + 1 <= room)
				k.kern = kw, used += kw + 1;
		} else if (order[j] == 1) {
			/* placed before the kernel's view (a scene of processes), the
			 * kind takes its wide form only if the kernel's view still
			 * fits after it: a zombie's Z is that lesson too */
			int reserve = 0;
			if (!k.kern && j == 0) {
				int kw = ui_kernel_width(c, room - used - w.kind_short - 1);
				reserve = kw ? kw + 1 : 0;
			}
			if (used + w.kind + 1 + reserve <= room)
				k.kind = w.kind, k.kind_wide = 1;
			else if (used + w.kind_short + 1 <= room)
				k.kind = w.kind_short;
			else if (procs && !holdable && room - used - 1 >= 16)
				k.kind = room - used - 1; /* the lesson: cut, never dropped */
			used += k.kind ? k.kind + 1 : 0;
		} else if (!procs && used + 8 <= room) {
			k.steps = 7;
			used += 8;
		}
	}
	/* widen the cut columns toward their widest cell, a column at a time */
	int left = room - used, grew = 1;
	while (left > 0 && grew) {
		grew = 0;
		if (k.doing < w.doing && left > 0)
			k.doing++, left--, grew = 1;
		if (k.holds && k.holds < w.holds && left > 0)
			k.holds++, left--, grew = 1;
		if (k.waits < w.waits && left > 0)
			k.waits++, left--, grew = 1;
	}
	/* and what is still free goes between them: a wide screen reads as a table */
	int cols = 3 + (k.holds > 0);
	int extra = left / cols;
	if (extra > 6)
		extra = 6;
	k.doing += extra;
	k.waits += extra;
	if (k.holds)
		k.holds += extra;
	if (k.kind)
		k.kind += extra;
	return k;
}

/* "1000 workers: 992 BLOCKED, 4 RUNNABLE, 3 WAITING, 1 TERMINATED": every
 * worker counted in the state every pane shows (model_state), the largest
 * group first. */
static void census(const struct model *m, char *buf, size_t n)
{
	int count[LS_WS_COUNT] = {0}, total = 0;
	for (int i = 0; i < m->nw; i++) {
		if (!m->w[i].declared)
			continue;
		enum ls_wstate st = model_state(m, i);
		if ((unsigned)st < LS_WS_COUNT)
			count[st]++;
		total++;
	}
	size_t len = (size_t)snprintf(buf, n, PL_("%d worker:", "%d workers:", total), total);
	for (int done = 0; done < LS_WS_COUNT && len < n; done++) {
		int best = -1;
		for (int s = 0; s < LS_WS_COUNT; s++)
			if (count[s] > 0 && (best < 0 || count[s] > count[best]))
				best = s;
		if (best < 0)
			break;
		int r = snprintf(buf + len, n - len, "%s %d %s", done ? "," : "", count[best],
		                 _(model_state_name((enum ls_wstate)best)));
		if (r < 0)
			break;
		len += (size_t)r;
		count[best] = 0;
	}
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	const struct model *m = c->m;
	struct geom g = geometry(c, r);
	int inner = r.w - 2, x0 = r.x + 1;
	struct cols k = columns(c, inner, g);
	int y = r.y + 1;
	/* column header */
	int x = x0;
	draw_fill(y, x0, inner, TH_COLUMN);
	draw_text(y, x, k.key, _("key"), TH_COLUMN);
	x += k.key + k.mark;
	draw_text(y, x, k.name, _("worker"), TH_COLUMN);
	x += k.name + 1;
	draw_text(y, x, k.state, _("state"), TH_COLUMN);
	x += k.state + 1;
	if (k.kern) {
		draw_text(y, x, k.kern, ui_kernel_title(), TH_COLUMN);
		x += k.kern + 1;
	}
	draw_text(y, x, k.doing, _("doing / next"), TH_COLUMN);
	x += k.doing + 1;
	if (k.holds) {
		draw_text(y, x, k.holds, P_("worker column", "holds"), TH_COLUMN);
		x += k.holds + 1;
	}
	draw_text(y, x, k.waits, _("waits for"), TH_COLUMN);
	x += k.waits + 1;
	if (k.kind) {
		draw_text(y, x, k.kind, _("kind  id"), TH_COLUMN);
		x += k.kind + 1;
	}
	if (k.steps)
		draw_text(y, x, k.steps, _("steps"), TH_COLUMN);
	if (g.n == 0) {
		draw_text(r.y + 2, x0 + 1, inner - 1, _("(the scene is starting)"), TH_DIM);
		return;
	}

	if (g.census) {
		char line[512];
		census(m, line, sizeof line);
		draw_text(r.y + 2, x0 + 1, inner - 1, line, TH_HINT);
	}
	for (int row = 0; row < g.fit && g.first + row < g.n; row++) {
		int id = nth(m, g.first + row);
		const struct m_worker *w = &m->w[id];
		y = r.y + 2 + g.census + row * (1 + g.spacing);
		if (y >= r.y + r.h - 1)
			break;
		x = x0;
		int d = km_digit_for_worker(m, id);
		int in_cycle = analysis_in_cycle(c->an, 0, id);
		if (d >= 0 && can_step(c, id))
			draw_textf(y, x, k.key, TH_KEY, " %d ", d);
		else if (d >= 0)
			draw_textf(y, x, k.key, TH_DIM, " %d ", d);
		x += k.key;
		if (in_cycle)
			draw_text(y, x, k.mark, draw_glyph(G_ALARM), TH_CYCLE);
		else if (ui_changed(m, 0, id)) /* the last step moved it: a glyph, not a colour */
			draw_text(y, x, k.mark, draw_glyph(G_CHANGED), TH_HINT);
		x += k.mark;
		char buf[256], clip[512];
		text_clip(w->name, k.name, clip, sizeof clip);
		draw_text(y, x, k.name, clip, in_cycle ? TH_CYCLE : TH_ITEM);
		x += k.name + 1;
		enum ls_wstate st = model_state(c->m, id);
		int srole = draw_state_role(st);
		snprintf(buf, sizeof buf, "%s %s", draw_state_glyph(st), _(model_state_name(st)));
		draw_text(y, x, k.state, buf, srole);
		x += k.state + 1;
		if (k.kern) {
			ui_kernel_cell(c, y, x, k.kern, id);
			x += k.kern + 1;
		}
		int role = doing(c, id, k.doing, buf, sizeof buf);
		text_clip(buf, k.doing, clip, sizeof clip);
		draw_text(y, x, k.doing, clip, role);
		x += k.doing + 1;
		if (k.holds) {
			holds_text(m, w, buf, sizeof buf);
			text_clip(buf, k.holds, clip, sizeof clip);
			draw_text(y, x, k.holds, clip,
			          w->nholds ? (in_cycle ? TH_CYCLE : TH_ITEM) : TH_DIM);
			x += k.holds + 1;
		}
		role = waits_text(m, id, buf, sizeof buf);
		text_clip(buf, k.waits, clip, sizeof clip);
		draw_text(y, x, k.waits, clip, in_cycle && role == TH_BLOCKED ? TH_CYCLE : role);
		x += k.waits + 1;
		if (k.kind) {
			kind_text(m, w, k.kind_wide, buf, sizeof buf);
			text_clip(buf, k.kind, clip, sizeof clip);
			draw_text(y, x, k.kind, clip, w->adopted ? TH_WAITING : TH_DIM);
			x += k.kind + 1;
		}
		if (k.steps)
			draw_textf(y, x, k.steps, TH_DIM, "%5llu", (unsigned long long)w->steps);
	}
	draw_scroll_marks(r, g.first > 0, g.first + g.fit < g.n);
	if (k.kern) {
		char why[512], clip[512];
		if (ui_kernel_disagreement(c, why, sizeof why)) {
			text_clip(why, r.w - 4, clip, sizeof clip);
			draw_text(r.y + r.h - 1, r.x + 2, r.w - 4, clip, TH_ALARM);
		}
	}
}

int pane_workers_scroll_max(const struct ui_ctx *c)
{
	if (!c->lay.shown[PANE_WORKERS])
		return 0;
	struct geom g = geometry(c, c->lay.r[PANE_WORKERS]);
	return g.n > g.fit ? g.n - g.fit : 0;
}

void pane_workers_shown(const struct ui_ctx *c, int *lo, int *hi)
{
	*lo = *hi = 0;
	if (!c->lay.shown[PANE_WORKERS])
		return;
	struct geom g = geometry(c, c->lay.r[PANE_WORKERS]);
	int last = g.first + g.fit < g.n ? g.first + g.fit : g.n;
	if (last <= g.first)
		return;
	*lo = nth(c->m, g.first);
	*hi = nth(c->m, last - 1) + 1;
}

int pane_workers_hit(const struct ui_ctx *c, int y)
{
	if (!c->lay.shown[PANE_WORKERS])
		return -1;
	struct rect r = c->lay.r[PANE_WORKERS];
	struct geom g = geometry(c, r);
	int off = y - (r.y + 2 + g.census);
	if (off < 0 || y >= r.y + r.h - 1)
		return -1;
	int k = g.first + off / (1 + g.spacing);
	return k < g.n ? nth(c->m, k) : -1;
}

const struct pane_ops pane_workers = {PANE_WORKERS, N_("Workers"), want, draw};
