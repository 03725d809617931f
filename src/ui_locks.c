/* ui_locks: each lock with its owner and its waiters in queue order (first
 * in line first); reentrant locks show their count, conditions their
 * waiters; a lock with many holders (a read-write lock's readers) says
 * them in its kind's words. A lock in the deadlock cycle is marked. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"
#include "unit.h"

static int shown(const struct m_object *o)
{
	return o->declared && unit_kind(o->kind)->pane == UNIT_PANE_LOCKS;
}

static int want(const struct ui_ctx *c)
{
	int n = 0;
	for (int i = 0; i < c->m->no; i++)
		n += shown(&c->m->o[i]);
	return n ? n + 2 : 0;
}

static void draw_row(const struct ui_ctx *c, int i, int y, int x, int end, int namew)
{
	const struct model *m = c->m;
	const struct m_object *o = &m->o[i];
	int cyc = analysis_in_cycle(c->an, 1, i);
	const struct unit_kind *k = unit_kind(o->kind);
	char holders[256];
	int held = k->say_holders ? k->say_holders(m, i, holders, sizeof holders) : 0;
	draw_text(y, x, 2, cyc ? draw_glyph(G_ALARM) : " ", cyc ? TH_CYCLE : TH_NORMAL);
	x += 2;
	char clip[128];
	text_clip(o->name, namew, clip, sizeof clip);
	draw_text(y, x, namew, clip, cyc ? TH_CYCLE : TH_ITEM);
	x += namew + 1;
	if (o->kind == LS_OBJ_COND) {
		x += draw_textf(y, x, end - x, TH_DIM, _("condition of %s"),
		                model_object_name(m, o->aux));
	} else if (held) {
		x += draw_textf(y, x, end - x, cyc ? TH_CYCLE : TH_BLOCKED, "%s ",
		                draw_state_glyph(LS_WS_BLOCKED));
		x += draw_text(y, x, end - x, holders, cyc ? TH_CYCLE : TH_ITEM);
	} else if (o->owner >= 0 && !model_live(m, o->owner)) {
		/* a robust lock whose owner ended: the next taker is told */
		x += draw_textf(y, x, end - x, TH_HINT, _("left held by %s, who ended"),
		                model_worker_name(m, o->owner));
	} else if (o->owner >= 0) {
		x += draw_textf(y, x, end - x, cyc ? TH_CYCLE : TH_BLOCKED, "%s %s",
		                draw_state_glyph(LS_WS_BLOCKED), _("held by"));
		x += draw_textf(y, x, end - x, cyc ? TH_CYCLE : TH_ITEM, " %s",
		                model_worker_name(m, o->owner));
		if (o->kind == LS_OBJ_RLOCK)
			x += draw_textf(y, x, end - x, TH_NORMAL, _(", hold count %d"), o->count);
	} else {
		x += draw_textf(y, x, end - x, TH_GOOD, "%s %s", draw_state_glyph(LS_WS_NEW),
		                _("free"));
	}
	x += 2;
	if (o->nwaiters == 0) {
		draw_text(y, x, end - x, _("no waiters"), TH_DIM);
		return;
	}
	/* a free lock with waiters: all are woken and one of them takes it
	 * when it next moves; never shown as waiting beside a free lock */
	int free = o->kind != LS_OBJ_COND && (o->owner < 0 || !model_live(m, o->owner));
	if (held) /* readers in, a reader woken: the model says who may retry */
		free = model_woken(m, o->waiters[0]);
	x += draw_text(y, x, end - x, free ? _("woken, to retry: ") : _("waiters: "),
	               free ? TH_READY : TH_NORMAL);
	ui_waiters(c, y, x, end, o->waiters, o->nwaiters, free);
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	ui_object_rows(c, r, PANE_LOCKS, shown, 4, 12, draw_row);
}

const struct pane_ops pane_locks = {PANE_LOCKS, N_("Locks"), want, draw};
