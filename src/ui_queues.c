/* ui_queues: each bounded queue or buffer as a row of slot boxes, head on
 * the left, items in the boxes, empty slots visible (a dot), then who waits
 * to put and who waits to get. With little room, one line per queue. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"
#include "unit.h"

static int is_queue(const struct m_object *o)
{
	return o->declared && unit_kind(o->kind)->pane == UNIT_PANE_QUEUES;
}

static int nqueues(const struct model *m)
{
	int n = 0;
	for (int i = 0; i < m->no; i++)
		n += is_queue(&m->o[i]);
	return n;
}

static int want(const struct ui_ctx *c)
{
	int n = nqueues(c->m);
	return n ? 2 + 5 * n : 0;
}

/* Columns an item's text may take in a slot (a Python item's repr is
 * cut there, with an ellipsis). */
#define ITEM_COLS_MAX 12

/* A slot's text: the item, and for a message queue its priority. Returns
 * its display width. */
static int item_str(const struct m_object *o, int k, char *b, size_t n)
{
	char v[LS_EV_TEXT + 32];
	if (o->kind == LS_OBJ_MQUEUE)
		snprintf(v, sizeof v, _("%lld p%d"), (long long)o->items[k], o->item_prio[k]);
	else
		model_item_str(o, o->items[k], v, sizeof v);
	return text_clip(v, ITEM_COLS_MAX, b, n);
}

static int slot_width(const struct m_object *o)
{
	int w = 3;
	for (int k = 0; k < o->nitems; k++) {
		char b[LS_EV_TEXT + 32];
		int n = item_str(o, k, b, sizeof b);
		if (n > w)
			w = n;
	}
	return w + 2;
}

static int cap_of(const struct m_object *o)
{
	int cap = o->cap > 0 ? (int)o->cap : o->nitems;
	if (cap > LS_QUEUE_MAX)
		cap = LS_QUEUE_MAX;
	return cap < o->nitems ? o->nitems : cap;
}

static void item_text(const struct m_object *o, int k, int sw, char *buf, size_t n)
{
	if (k < o->nitems) {
		char v[LS_EV_TEXT + 32];
		int pad = sw - item_str(o, k, v, sizeof v);
		snprintf(buf, n, "%*s%s%*s", pad / 2, "", v, pad - pad / 2, "");
	} else {
		int pad = sw - 1;
		snprintf(buf, n, "%*s%s%*s", pad / 2, "", draw_glyph(G_DOT), pad - pad / 2, "");
	}
}

/* One row of boxes: slots [from, to). Returns rows used (3). */
static void boxes(int y, int x, const struct m_object *o, int from, int to, int sw)
{
	char buf[128];
	for (int k = from; k < to; k++) {
		int cx = x + (k - from) * (sw + 1);
		draw_text(y, cx, 1, draw_glyph(k == from ? G_UL : G_TT), TH_BORDER);
		draw_text(y + 1, cx, 1, draw_glyph(G_V), TH_BORDER);
		draw_text(y + 2, cx, 1, draw_glyph(k == from ? G_LL : G_BT), TH_BORDER);
		for (int j = 1; j <= sw; j++) {
			draw_text(y, cx + j, 1, draw_glyph(G_H), TH_BORDER);
			draw_text(y + 2, cx + j, 1, draw_glyph(G_H), TH_BORDER);
		}
		item_text(o, k, sw, buf, sizeof buf);
		draw_text(y + 1, cx + 1, sw, buf, k < o->nitems ? TH_ITEM : TH_DIM);
	}
	int ex = x + (to - from) * (sw + 1);
	draw_text(y, ex, 1, draw_glyph(G_UR), TH_BORDER);
	draw_text(y + 1, ex, 1, draw_glyph(G_V), TH_BORDER);
	draw_text(y + 2, ex, 1, draw_glyph(G_LR), TH_BORDER);
}

static void compact(int y, int x, int end, const struct m_object *o, int sw)
{
	char buf[128];
	int cap = cap_of(o);
	/* slots that fit, keeping room for "]" or " +N]" */
	int fit = (end - x - 1) / (sw - 1);
	if (fit < cap) {
		char more[32];
		int mw = snprintf(more, sizeof more, " +%d", cap);
		fit = (end - x - 1 - mw) / (sw - 1);
		if (fit < 0)
			fit = 0;
	}
	x += draw_text(y, x, end - x, "[", TH_BORDER);
	for (int k = 0; k < cap && k < fit && x < end; k++) {
		if (k)
			x += draw_text(y, x, end - x, draw_glyph(G_V), TH_BORDER);
		item_text(o, k, sw - 2, buf, sizeof buf);
		x += draw_text(y, x, end - x, buf, k < o->nitems ? TH_ITEM : TH_DIM);
	}
	if (fit < cap) /* how many slots did not fit, items or empty */
		x += draw_textf(y, x, end - x, TH_DIM, " +%d", cap - fit);
	draw_text(y, x, end - x, "]", TH_BORDER);
}

static int waiters_line(const struct ui_ctx *c, int y, int x, int end, const struct m_object *o)
{
	const struct model *m = c->m;
	if (o->nwaiters == 0)
		return 0;
	for (int k = 0; k < o->nwaiters && x < end; k++) {
		const struct m_worker *w = model_worker(m, o->waiters[k]);
		if (!w)
			continue;
		x += draw_textf(y, x, end - x, ui_worker_role(m, o->waiters[k]), "%s%s", k ? "  " : "",
		                w->name);
		int put = w->wait_op == LS_OP_PUT || w->wait_op == LS_OP_SEND;
		if (model_woken(m, o->waiters[k])) /* its wait is over */
			x += draw_textf(y, x, end - x, TH_READY, " %s",
			                put ? _("woken, will put") : _("woken, will get"));
		else
			x += draw_textf(y, x, end - x, TH_DIM, " %s",
			                put ? _("waits to put") : _("waits to get"));
	}
	return 1;
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	const struct model *m = c->m;
	int n = nqueues(m);
	int y = r.y + 1, bottom = r.y + r.h - 1;
	int x0 = r.x + 2, end = r.x + r.w - 1;
	for (int i = 0; i < m->no && y < bottom; i++) {
		const struct m_object *o = &m->o[i];
		if (!is_queue(o))
			continue;
		int cap = cap_of(o), sw = slot_width(o);
		int per = (end - x0 - 1) / (sw + 1);
		if (per < 1)
			per = 1;
		int boxrows = (cap + per - 1) / per;
		int room = (bottom - y) / (n > 0 ? n : 1);
		int full = 1 + 3 * boxrows + (o->nwaiters ? 1 : 0);
		int x = x0;
		char clip[64];
		text_clip(o->name, 16, clip, sizeof clip);
		if (ui_changed(m, 1, i)) /* the last step touched it */
			draw_text(y, x0 - 1, 1, draw_glyph(G_CHANGED), TH_HINT);
		x += draw_text(y, x, end - x, clip, TH_ITEM);
		/* "3/4", or "3" for a queue with no bound (Python's Queue() and
		 * Pool), which is never full */
		char fill[48];
		unit_fill(o, fill, sizeof fill);
		int64_t inside = o->nitems + o->overflow;
		int full_now = o->cap > 0 && inside >= o->cap;
		if (room <= 1) { /* one line: name, count, the slots */
			x += draw_textf(y, x, end - x, TH_DIM, " %s ", fill);
			compact(y, x, end, o, sw);
			y++;
			continue;
		}
		x += draw_textf(y, x, end - x, full_now ? TH_BLOCKED : inside ? TH_GOOD : TH_WAITING,
		                _("  %s items%s"), fill,
		                full_now     ? _(", full")
		                : inside == 0 ? _(", empty")
		                : o->cap <= 0 ? _(", no bound")
		                              : "");
		/* the invariant: what went in less what came out is what is inside */
		char inv[160];
		snprintf(inv, sizeof inv,
		         o->kind == LS_OBJ_MQUEUE ? _("  sent %llu - received %llu = %lld in %s")
		                                  : _("  put %llu - got %llu = %lld in %s"),
		         (unsigned long long)o->puts, (unsigned long long)o->gets, (long long)inside,
		         o->name);
		if (text_width(inv) > end - x) /* narrow: the sum without the name, whole */
			snprintf(inv, sizeof inv,
			         o->kind == LS_OBJ_MQUEUE ? _("  sent %llu - received %llu = %lld")
			                                  : _("  put %llu - got %llu = %lld"),
			         (unsigned long long)o->puts, (unsigned long long)o->gets, (long long)inside);
		if (o->puts >= o->gets && (int64_t)(o->puts - o->gets) == inside)
			x += draw_text(y, x, end - x, inv, TH_DIM);
		else /* it started with items: the counts alone */
			x += draw_textf(y, x, end - x, TH_DIM,
			                o->kind == LS_OBJ_MQUEUE ? _("  (sent %llu, received %llu)")
			                                         : _("  (put %llu, got %llu)"),
			                (unsigned long long)o->puts, (unsigned long long)o->gets);
		if (o->kind == LS_OBJ_MQUEUE)
			draw_text(y, x, end - x, _("  highest priority (pN) first"), TH_DIM);
		y++;
		if (full <= room) {
			for (int b = 0; b < boxrows; b++) {
				int from = b * per, to = from + per < cap ? from + per : cap;
				boxes(y, x0, o, from, to, sw);
				y += 3;
			}
		} else if (y < bottom) {
			/* short of room: the slots on one line, the waiters after them */
			compact(y, x0, end, o, sw);
			y++;
		}
		if (y < bottom && waiters_line(c, y, x0, end, o))
			y++;
	}
}

const struct pane_ops pane_queues = {PANE_QUEUES, N_("Queues and buffers"), want, draw};
