/* ui_values: shared values, and every object the other panes do not draw,
 * one line each in words: an event SET or clear, a barrier's arrivals and
 * generation, a future pending or its result, thread-local slots, a pipe's
 * or FIFO's buffered messages (oldest first) with who holds each end and
 * EOF, an array's cells with the one just set marked, a JoinableQueue's
 * unfinished count. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"
#include "unit.h"

static int shown(const struct m_object *o)
{
	/* locks, semaphores and queues have panes of their own */
	return o->declared && unit_kind(o->kind)->pane == UNIT_PANE_VALUES;
}

static int want(const struct ui_ctx *c)
{
	int n = 0;
	for (int i = 0; i < c->m->no; i++)
		n += shown(&c->m->o[i]);
	return n ? n + 2 : 0;
}

/* The cell of an array set most recently, from the model's event ring
 * (render stays a pure read), or -1. */
static int last_cell(const struct model *m, int obj)
{
	uint64_t n = m->nlog < LS_LOG_N ? m->nlog : LS_LOG_N;
	for (uint64_t k = 1; k <= n && k <= 256; k++) {
		const struct ls_event *ev = &m->log[(m->nlog - k) % LS_LOG_N];
		if (ev->type == LS_EV_DONE && ev->object == obj && ev->u.a[0] == LS_OP_ASET)
			return (int)ev->u.a[2];
	}
	return -1;
}

static int ends_text(const struct model *m, const struct m_object *o, int end, char *buf, size_t n)
{
	size_t len = 0;
	int count = 0;
	buf[0] = '\0';
	for (int k = 0; k < o->nends && len < n; k++) {
		if (!(o->ends[k].mask & end))
			continue;
		int r = snprintf(buf + len, n - len, "%s%s", count ? " " : "",
		                 model_worker_name(m, o->ends[k].worker));
		if (r < 0)
			break;
		len += (size_t)r;
		count++;
	}
	if (!count)
		snprintf(buf, n, "%s", _("nobody"));
	return count;
}

/* Items of a pipe, FIFO: oldest first, as the reader will get them. */
static int items(int y, int x, int end, const struct m_object *o)
{
	int x0 = x;
	if (o->nitems == 0)
		return draw_text(y, x, end - x, _("empty"), TH_DIM);
	x += draw_text(y, x, end - x, "[", TH_BORDER);
	for (int k = 0; k < o->nitems && x < end; k++)
		x += draw_textf(y, x, end - x, TH_ITEM, "%s%lld", k ? " " : "", (long long)o->items[k]);
	if (o->overflow)
		x += draw_textf(y, x, end - x, TH_DIM, _(" +%lld more"), (long long)o->overflow);
	x += draw_text(y, x, end - x, "]", TH_BORDER);
	return x - x0;
}

static void waiters(const struct ui_ctx *c, int y, int x, int end, const struct m_object *o,
                    const char *label)
{
	if (!o->nwaiters || x >= end)
		return;
	x += draw_textf(y, x, end - x, TH_NORMAL, "  %s ", label);
	ui_waiters(c, y, x, end, o->waiters, o->nwaiters, 0);
}

static void draw_one(const struct ui_ctx *c, int i, int y, int x, int end)
{
	const struct model *m = c->m;
	const struct m_object *o = &m->o[i];
	char buf[256];
	int kind = o->kind;
	/* the kind, unless the name says it already: never "barrier (barrier)" */
	const char *kname = _(event_obj_kind_name(kind));
	if (kind != LS_OBJ_VALUE && !strcasestr(o->name, kname) &&
	    !strcasestr(o->name, event_obj_kind_name(kind)))
		x += draw_textf(y, x, end - x, TH_DIM, " (%s)", kname);
	x += 1;
	switch (kind) {
	case LS_OBJ_EVENT:
		x += draw_textf(y, x, end - x, o->value ? TH_GOOD : TH_WAITING, "%s %s",
		                draw_state_glyph(o->value ? LS_WS_RUNNABLE : LS_WS_WAITING),
		                o->value ? _("SET") : _("clear"));
		waiters(c, y, x, end, o, _("waiting:"));
		return;
	case LS_OBJ_BARRIER:
		x += draw_textf(y, x, end - x, TH_ITEM, _("%d of %lld arrived"), o->nwaiters,
		                (long long)o->cap);
		x += draw_textf(y, x, end - x, TH_DIM, _(", generation %lld"), (long long)o->value);
		waiters(c, y, x, end, o, _("at the barrier:"));
		return;
	case LS_OBJ_FUTURE:
		if (o->count)
			x += draw_textf(y, x, end - x, TH_GOOD, _("%s result %lld"), draw_glyph(G_OK),
			                (long long)o->value);
		else
			x += draw_textf(y, x, end - x, TH_WAITING, "%s %s",
			                draw_state_glyph(LS_WS_WAITING), _("pending"));
		waiters(c, y, x, end, o, _("waiting:"));
		return;
	case LS_OBJ_LOCAL: {
		x += draw_textf(y, x, end - x, TH_NORMAL, PL_("one slot per thread, %llu write", "one slot per thread, %llu writes", o->writes),
		                (unsigned long long)o->writes);
		/* what each thread stored in its own slot (the model keeps it) */
		for (int w = 0; w < m->nw && x < end; w++) {
			int64_t v;
			if (m->w[w].declared && model_local_slot(o, w, &v))
				x += draw_textf(y, x, end - x, TH_ITEM, "  %s:%lld", m->w[w].name,
				                (long long)v);
		}
		return;
	}
	case LS_OBJ_PIPE:
	case LS_OBJ_FIFO:
		x += items(y, x, end, o);
		ends_text(m, o, LS_END_WRITE, buf, sizeof buf);
		x += draw_textf(y, x, end - x, TH_DIM, _("  write end: %s"), buf);
		ends_text(m, o, LS_END_READ, buf, sizeof buf);
		x += draw_textf(y, x, end - x, TH_DIM, _("  read end: %s"), buf);
		if (o->eof_seen)
			x += draw_text(y, x, end - x, _("  EOF"), TH_ENDED);
		waiters(c, y, x, end, o, _("waiting:"));
		return;
	case LS_OBJ_ARRAY: {
		int hot = last_cell(m, i);
		x += draw_text(y, x, end - x, "[", TH_BORDER);
		for (int k = 0; k < o->nitems && x < end; k++) {
			if (k)
				x += draw_text(y, x, end - x, " ", TH_NORMAL);
			if (k == hot) /* the cell that just changed: reverse and marked */
				x += draw_textf(y, x, end - x, TH_SELECT, "%s%lld", draw_glyph(G_READY),
				                (long long)o->items[k]);
			else
				x += draw_textf(y, x, end - x, TH_ITEM, "%lld", (long long)o->items[k]);
		}
		x += draw_text(y, x, end - x, "]", TH_BORDER);
		if (o->writes)
			draw_textf(y, x, end - x, TH_DIM, PL_("  (%llu write)", "  (%llu writes)", o->writes),
			           (unsigned long long)o->writes);
		return;
	}
	default:
		break;
	}
	const char *dot = strrchr(o->name, '.');
	x += draw_textf(y, x, end - x, TH_ITEM, "= %lld", (long long)o->value);
	if (dot && strcmp(dot, ".unfinished") == 0) /* a JoinableQueue's count */
		x += draw_text(y, x, end - x, _("  unfinished tasks (join waits for 0)"), TH_DIM);
	else if (o->kind == LS_OBJ_VALUE && o->writes)
		x += draw_textf(y, x, end - x, TH_DIM, PL_("  (%llu write)", "  (%llu writes)", o->writes),
		                (unsigned long long)o->writes);
	if (o->kind == LS_OBJ_VALUE && o->expecting) {
		/* the invariant the scene declared (ls_value_expect): what every
		 * update meant, against what the value holds */
		long long want = (long long)(o->initial + o->expect), got = (long long)o->value;
		char inv[160];
		if (want == got)
			snprintf(inv, sizeof inv, _("  expected %lld, actual %lld, nothing lost"), want, got);
		else if (want > got)
			snprintf(inv, sizeof inv, _("  expected %lld, actual %lld, lost %lld"), want, got,
			         want - got);
		else
			snprintf(inv, sizeof inv, _("  expected %lld, actual %lld, %lld too many"), want, got,
			         got - want);
		x += draw_text(y, x, end - x, inv, want == got ? TH_GOOD : TH_ALARM);
	}
	waiters(c, y, x, end, o, _("waiters:"));
}

static void draw_row(const struct ui_ctx *c, int i, int y, int x, int end, int namew)
{
	char clip[64];
	text_clip(c->m->o[i].name, namew, clip, sizeof clip);
	draw_text(y, x, namew, clip, TH_ITEM);
	draw_one(c, i, y, x + namew, end);
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	ui_object_rows(c, r, PANE_VALUES, shown, 1, 16, draw_row);
}

const struct pane_ops pane_values = {PANE_VALUES, N_("Shared values"), want, draw};
