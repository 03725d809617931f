/* ui_footer: the key bar, built from the key table, or a status message. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

/* Entries that stay when the bar is short of room, most wanted first. */
static const enum km_action priority[] = {
	KM_SCENE_KEY, KM_RUN_PAUSE, KM_STEP, KM_STEP_WORKER, KM_SIGNAL, KM_HELP, KM_QUIT,
	KM_RESTART, KM_SCENES, KM_FASTER, KM_FOCUS,
};

/* Signals go to processes: the menu is offered when the scene has some
 * besides its host. */
static int has_processes(const struct model *m)
{
	for (int i = 1; i < m->nw; i++)
		if (m->w[i].declared && m->w[i].kind == LS_WK_PROCESS)
			return 1;
	return 0;
}

static const struct km_entry *entry(enum km_action a)
{
	return &km_table[a - 1];
}

static int entry_width(const struct km_entry *k)
{
	int w = text_width(_(k->bar));
	if (k->action == KM_RUN_PAUSE && text_width(_("pause")) > w)
		w = text_width(_("pause"));
	return text_width(_(k->keys)) + 2 + w + 1; /* " keys " then " word", one blank after */
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	draw_fill(r.y, r.x, r.w, TH_NORMAL);
	if (c->v->status[0]) {
		draw_fill(r.y, r.x, r.w, c->v->status_role);
		draw_textf(r.y, r.x, r.w, c->v->status_role, " %s", c->v->status);
		return;
	}
	int use[KM_COUNT] = {0};
	int room = r.w - 1;
	for (size_t i = 0; i < sizeof priority / sizeof priority[0]; i++) {
		const struct km_entry *k = entry(priority[i]);
		if (c->free_run && (k->action == KM_STEP || k->action == KM_STEP_WORKER))
			continue;
		if (k->action == KM_SCENE_KEY && !c->waits_user)
			continue; /* only while the scene waits for it */
		if (k->action == KM_SIGNAL && !has_processes(c->m))
			continue;
		int w = entry_width(k);
		if (w <= room) {
			use[k->action] = 1;
			room -= w;
		}
	}
	int count = 0;
	for (int a = 1; a < KM_COUNT; a++)
		count += use[a];
	int gap = room >= count ? 1 : 0; /* a second blank between entries when it fits */
	int x = r.x + 1;
	for (int a = 1; a < KM_COUNT; a++) {
		if (!use[a])
			continue;
		const struct km_entry *k = entry(a);
		x += draw_textf(r.y, x, r.x + r.w - x, TH_KEY, " %s ", _(k->keys));
		const char *word = _(k->bar);
		if (k->action == KM_RUN_PAUSE && c->v->run == UI_RUNNING)
			word = _("pause"); /* what the key does now */
		x += draw_textf(r.y, x, r.x + r.w - x, TH_NORMAL, " %s ", word) - 1 + gap;
	}
}

const struct pane_ops pane_footer = {PANE_FOOTER, NULL, NULL, draw};
