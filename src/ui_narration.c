/* ui_narration: what to press now (pinned on top), then the scene's summary
 * and what its workers said, in plain words, newest at the bottom. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

#define MAX_LINES 512

struct line {
	const char *s;
	size_t len;
	int role;
};

struct lines {
	struct line l[MAX_LINES];
	int n, role;
};

static void add(void *ud, const char *s, size_t len)
{
	struct lines *ls = ud;
	if (ls->n < MAX_LINES)
		ls->l[ls->n++] = (struct line){s, len, ls->role};
}

static void draw_line(int y, int x, int w, const struct line *l)
{
	char buf[LS_SAY_MAX + 8];
	size_t n = l->len < sizeof buf - 1 ? l->len : sizeof buf - 1;
	memcpy(buf, l->s, n);
	buf[n] = '\0';
	draw_text(y, x, w, buf, l->role);
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	int inner = r.w - 4, x = r.x + 2;
	int y = r.y + 1, bottom = r.y + r.h - 1;
	static struct lines hint, body; /* too big for the stack; only the loop thread draws */
	char h[1024];
	ui_hint(c, h, sizeof h);
	hint.n = 0;
	hint.role = c->an->deadlock || (c->an->stalled && !ui_waits_signal(c->m) && !c->waits_user)
	                    ? TH_ALARM
	                    : TH_HINT;
	text_wrap(h, inner, add, &hint);
	int pinned = hint.n;
	if (pinned > r.h - 2)
		pinned = r.h - 2; /* what to press now matters most */
	for (int i = 0; i < pinned && y < bottom; i++, y++) {
		if (hint.role == TH_ALARM)
			draw_fill(y, r.x + 1, r.w - 2, TH_ALARM);
		draw_line(y, x, inner, &hint.l[i]);
	}
	if (r.h - 2 - pinned > 2)
		y++; /* a blank row between what to do and the story */

	/* the story so far: summary, then every narration line */
	body.n = 0;
	body.role = TH_DIM;
	text_wrap(_(c->scene->summary), inner, add, &body);
	const struct model *m = c->m;
	uint64_t first = m->nsays > LS_SAYS_N ? m->nsays - LS_SAYS_N : 0;
	uint64_t newest = 0;
	for (uint64_t i = first; i < m->nsays; i++)
		if (!m->says[i % LS_SAYS_N].output)
			newest = i + 1;
	for (uint64_t i = first; i < m->nsays; i++) {
		const struct m_say *s = &m->says[i % LS_SAYS_N];
		if (s->output)
			continue;
		body.role = i + 1 == newest ? TH_ITEM : TH_NORMAL;
		text_wrap(s->text, inner, add, &body);
	}
	int rows = bottom - y;
	if (rows <= 0)
		return;
	int back = c->v->scroll[PANE_NARRATION];
	if (back > body.n - rows)
		back = body.n - rows;
	if (back < 0)
		back = 0;
	int start = body.n - rows - back;
	if (start < 0)
		start = 0;
	for (int i = start; i < body.n && y < bottom; i++, y++)
		draw_line(y, x, inner, &body.l[i]);
	draw_scroll_marks(r, start > 0, back > 0);
}

const struct pane_ops pane_narration = {PANE_NARRATION, N_("Narration"), NULL, draw};
