/* ui_footer: the key bar, built from the key table, or a status message. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

/* Entries that stay when the bar is short of room, most wanted first: the
 * order in which they give way is the reverse (docs/DESIGN.md). Stepping a
 * chosen worker gives way first: the narration and the workers pane show
 * each worker's key already. */
static const enum km_action priority[] = {
	KM_SCENE_KEY, KM_FORK, KM_RUN_PAUSE, KM_STEP, KM_SIGNAL, KM_HELP, KM_QUIT, KM_FASTER,
	KM_FOCUS, KM_RESTART, KM_SCENES, KM_STEP_WORKER, KM_EXPLORE, KM_BACK,
};

/* What a follower's keys cannot do: the teacher moves the scene. */
static int moves_scene(enum km_action a)
{
	return a == KM_RUN_PAUSE || a == KM_STEP || a == KM_STEP_WORKER || a == KM_FASTER ||
	       a == KM_RESTART || a == KM_SCENES || a == KM_SCENE_KEY || a == KM_SIGNAL;
}

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

/* The keys as the bar shows them. In ASCII mode an alternative that is not
 * ASCII (the arrow of "s →") is left out: "s ->" would read as "s leads to". */
static const char *bar_keys(const struct ui_ctx *c, const struct km_entry *k, char *buf,
                            size_t n)
{
	const char *keys = _(k->keys);
	if (!c->ascii)
		return keys;
	size_t len = 0;
	buf[0] = '\0';
	for (const char *p = keys; *p;) {
		size_t tok = strcspn(p, " ");
		int plain = 1;
		for (size_t i = 0; i < tok; i++)
			plain &= (unsigned char)p[i] < 0x80;
		if (plain && tok > 0 && len + tok + 2 < n) {
			if (len)
				buf[len++] = ' ';
			memcpy(buf + len, p, tok);
			len += tok;
			buf[len] = '\0';
		}
		p += tok;
		p += strspn(p, " ");
	}
	return buf[0] ? buf : keys;
}

static const char *bar_word(const struct ui_ctx *c, const struct km_entry *k)
{
	if (k->action == KM_RUN_PAUSE && c->v->run == UI_RUNNING)
		return _("pause"); /* what the key does now */
	if (k->action == KM_STEP && c->looking_back)
		return _("later"); /* the view moves, not the scene */
	if (k->action == KM_STEP_WORKER && c->looking_back == 1)
		return _("branch");
	return _(k->bar);
}

/* Each entry is its key, one blank, its word; two blanks between entries,
 * so a word always sits next to its own key. */
static void draw(const struct ui_ctx *c, struct rect r)
{
	draw_fill(r.y, r.x, r.w, TH_NORMAL);
	if (c->v->status[0]) {
		draw_fill(r.y, r.x, r.w, c->v->status_role);
		draw_textf(r.y, r.x, r.w, c->v->status_role, " %s", c->v->status);
		return;
	}
	int use[KM_COUNT] = {0};
	char kb[KM_COUNT][32];
	int room = r.w - 2, count = 0;
	for (size_t i = 0; i < sizeof priority / sizeof priority[0]; i++) {
		const struct km_entry *k = entry(priority[i]);
		if (c->free_run && (k->action == KM_STEP || k->action == KM_STEP_WORKER))
			continue;
		if (k->action == KM_SCENE_KEY && !c->waits_user)
			continue; /* only while the scene waits for it */
		if ((k->action == KM_FORK && !c->attached) || (k->action == KM_BACK && !c->follower) ||
		    (c->follower && moves_scene(k->action)))
			continue;
		if (k->action == KM_SIGNAL && !has_processes(c->m))
			continue;
		/* looking back, these only say the scene waits; in a recording
		 * a worker's key has nothing to step */
		if (c->looking_back && (k->action == KM_RUN_PAUSE || k->action == KM_SCENE_KEY ||
		                        k->action == KM_SIGNAL))
			continue;
		if (c->looking_back == 2 && k->action == KM_STEP_WORKER)
			continue;
		char tmp[32];
		snprintf(kb[k->action], sizeof kb[0], "%s", bar_keys(c, k, tmp, sizeof tmp));
		int w = text_width(kb[k->action]) + 1 + text_width(bar_word(c, k)) + (count ? 2 : 0);
		if (w <= room) {
			use[k->action] = 1;
			room -= w;
			count++;
		}
	}
	/* room to spare: pad each key inside its highlight */
	int pad = room >= 2 * count;
	int x = r.x + 1, first = 1;
	for (int a = 1; a < KM_COUNT; a++) {
		if (!use[a])
			continue;
		const struct km_entry *k = entry(a);
		if (!first)
			x += 2;
		first = 0;
		x += draw_textf(r.y, x, r.x + r.w - x, TH_KEY, pad ? " %s " : "%s", kb[a]);
		x += draw_textf(r.y, x, r.x + r.w - x, TH_NORMAL, " %s", bar_word(c, k));
	}
}

const struct pane_ops pane_footer = {PANE_FOOTER, NULL, NULL, draw};
