/* ui_sems: each semaphore's value as a bar against its initial value, and
 * its waiters in order. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"
#include "unit.h"

#define BAR_MAX 12

static int is_sem(const struct m_object *o)
{
	return o->declared && unit_kind(o->kind)->pane == UNIT_PANE_SEMS;
}

static int want(const struct ui_ctx *c)
{
	int n = 0;
	for (int i = 0; i < c->m->no; i++)
		n += is_sem(&c->m->o[i]);
	return n ? n + 2 : 0;
}

static void draw_row(const struct ui_ctx *c, int i, int y, int x, int end, int namew)
{
	const struct m_object *o = &c->m->o[i];
	char clip[64];
	text_clip(o->name, namew, clip, sizeof clip);
	x += draw_text(y, x, end - x, clip, TH_ITEM) + 1;
	/* the words first: the bar (a picture of the same numbers) takes what
	 * room they leave, and gives way before them */
	char held[64], text[160];
	int role = o->value > 0 ? TH_GOOD : TH_BLOCKED;
	snprintf(held, sizeof held, PL_("%lld held", "%lld held", o->initial - o->value),
	         (long long)(o->initial - o->value));
	int lends = o->initial > 0 && o->value >= 0 && o->value <= o->initial;
	if (lends) /* the invariant: permits = held + free */
		snprintf(text, sizeof text,
		         PL_(" %lld permit: %s, %lld free", " %lld permits: %s, %lld free", o->initial),
		         (long long)o->initial, held, (long long)o->value);
	else if (o->initial > 0) /* posted beyond its start: it counts, it does not lend */
		snprintf(text, sizeof text, _(" value %lld (started at %lld)"), (long long)o->value,
		         (long long)o->initial), role = TH_GOOD;
	else /* a semaphore that starts at 0 counts signals, not free units */
		snprintf(text, sizeof text, _("value %lld"), (long long)o->value);
	int64_t full = o->initial > o->value ? o->initial : o->value;
	int cells = full > BAR_MAX ? BAR_MAX : (int)full;
	if (lends && cells + 2 + text_width(text) > end - x) /* narrow: the short form */
		snprintf(text, sizeof text, _(" %lld of %lld free"), (long long)o->value,
		         (long long)o->initial);
	if (cells + 2 + text_width(text) > end - x)
		cells = end - x - 2 - text_width(text);
	if (cells < (full < 3 ? full : 3))
		cells = 0; /* shrunk too small to read as a bar */
	int on = full > 0 ? (int)((o->value < 0 ? 0 : o->value) * cells / full) : 0;
	if (cells > 0)
		x += draw_text(y, x, end - x, "[", TH_NORMAL);
	for (int k = 0; k < cells; k++)
		x += draw_text(y, x, end - x, draw_glyph(k < on ? G_BAR_FULL : G_BAR_EMPTY),
		               k < on ? TH_BAR : TH_DIM);
	if (cells > 0)
		x += draw_text(y, x, end - x, "]", TH_NORMAL);
	x += draw_text(y, x, end - x, text, role);
	x += 2;
	if (o->nwaiters == 0)
		return;
	x += draw_text(y, x, end - x, _("waiters: "), TH_NORMAL);
	ui_waiters(c, y, x, end, o->waiters, o->nwaiters, 0);
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	ui_object_rows(c, r, PANE_SEMS, is_sem, 10, 10, draw_row);
}

const struct pane_ops pane_sems = {PANE_SEMS, N_("Semaphores"), want, draw};
