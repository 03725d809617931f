/* ui_values: shared values, and any other object the other panes do not
 * draw (events, barriers, pipes...), with their value and waiters. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

static int shown(const struct m_object *o)
{
	if (!o->declared)
		return 0;
	switch (o->kind) {
	case LS_OBJ_MUTEX:
	case LS_OBJ_RLOCK:
	case LS_OBJ_COND:
	case LS_OBJ_SEM:
	case LS_OBJ_QUEUE:
		return 0;
	default:
		return 1;
	}
}

static int want(const struct ui_ctx *c)
{
	int n = 0;
	for (int i = 0; i < c->m->no; i++)
		n += shown(&c->m->o[i]);
	return n ? n + 2 : 0;
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	const struct model *m = c->m;
	int skip = c->v->scroll[PANE_VALUES], rows = r.h - 2, row = 0, total = 0;
	for (int i = 0; i < m->no; i++) {
		const struct m_object *o = &m->o[i];
		if (!shown(o))
			continue;
		if (total++ < skip || row >= rows)
			continue;
		int y = r.y + 1 + row++;
		int x = r.x + 2, end = r.x + r.w - 1;
		char clip[64];
		text_clip(o->name, 12, clip, sizeof clip);
		x += draw_text(y, x, end - x, clip, TH_ITEM);
		if (o->kind != LS_OBJ_VALUE)
			x += draw_textf(y, x, end - x, TH_DIM, " (%s)", _(event_obj_kind_name(o->kind)));
		x += draw_textf(y, x, end - x, TH_ITEM, " = %lld", (long long)o->value);
		if (o->kind == LS_OBJ_VALUE && o->writes)
			x += draw_textf(y, x, end - x, TH_DIM, _("  (%llu writes)"),
			                (unsigned long long)o->writes);
		if (o->nwaiters) {
			x += draw_text(y, x, end - x, _("  waiters: "), TH_NORMAL);
			for (int k = 0; k < o->nwaiters && x < end; k++)
				x += draw_textf(y, x, end - x, ui_worker_role(m, o->waiters[k]), "%s%s",
				                k ? " " : "", model_worker_name(m, o->waiters[k]));
		}
	}
	draw_scroll_marks(r, skip > 0, total > skip + rows);
}

const struct pane_ops pane_values = {PANE_VALUES, N_("Shared values"), want, draw};
