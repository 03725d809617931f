/* ui_narration: what to press now, then what the scene and its workers
 * said, in plain words, newest first, and the scene's summary. */
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

/* The pane is one document, read from the top: what to press now, a blank
 * row, then the story newest first (what just happened right under the
 * hint, each paragraph from its start), or the scene's summary while the
 * scene has said nothing yet. Lines
 * lockstep itself said in one breath (a deadlock's explanation, split into
 * records) stay in their order. The view scrolls it from the top like any
 * other pane (view.scroll: rows down), so nothing is cut without a ▼ and
 * the scroll keys always move it. */
static struct lines doc; /* too big for the stack; only the loop thread draws */

static int hint_role(const struct ui_ctx *c)
{
	return c->an->deadlock || (c->an->stalled && !ui_waits_signal(c->m) && !c->waits_user)
	               ? TH_ALARM
	               : TH_HINT;
}

static void build(const struct ui_ctx *c, int inner)
{
	static char h[1024];
	ui_hint(c, h, sizeof h);
	doc.n = 0;
	doc.role = hint_role(c);
	text_wrap(h, inner, add, &doc);
	doc.role = TH_NORMAL;
	add(&doc, "", 0);
	const struct model *m = c->m;
	uint64_t first = m->nsays > LS_SAYS_N ? m->nsays - LS_SAYS_N : 0;
	int newest = 1, nseen = 0;
	uint64_t seen[LS_SAYS_N];
	for (uint64_t i = m->nsays; i > first;) {
		const struct m_say *s = &m->says[(i - 1) % LS_SAYS_N];
		if (s->output) {
			i--;
			continue;
		}
		/* a run of lockstep's own lines: back to its first, then forward */
		uint64_t j = i - 1;
		while (s->worker < 0 && j > first && !m->says[(j - 1) % LS_SAYS_N].output &&
		       m->says[(j - 1) % LS_SAYS_N].worker < 0)
			j--;
		/* lockstep explains a state once: a stall that forms again (each
		 * time signals waits for !) is not a new story */
		if (s->worker < 0) {
			uint64_t sum = 1469598103934665603ull;
			for (uint64_t k = j; k < i; k++)
				for (const char *t = m->says[k % LS_SAYS_N].text; *t; t++)
					sum = (sum ^ (unsigned char)*t) * 1099511628211ull;
			int dup = 0;
			for (int k = 0; k < nseen; k++)
				dup |= seen[k] == sum;
			if (dup) {
				i = j;
				continue;
			}
			if (nseen < (int)(sizeof seen / sizeof seen[0]))
				seen[nseen++] = sum;
		}
		doc.role = newest ? TH_ITEM : TH_NORMAL;
		newest = 0;
		for (uint64_t k = j; k < i; k++)
			text_wrap(m->says[k % LS_SAYS_N].text, inner, add, &doc);
		i = j;
	}
	/* the summary until the scene introduces itself: its own first words
	 * know its parameters, and two introductions in different words
	 * contradict each other (the summary stays in the scene list) */
	if (newest) {
		doc.role = TH_DIM;
		text_wrap(_(c->scene->summary), inner, add, &doc);
	}
}

int pane_narration_scroll_max(const struct ui_ctx *c)
{
	if (!c->lay.shown[PANE_NARRATION])
		return 0;
	struct rect r = c->lay.r[PANE_NARRATION];
	build(c, r.w - 4);
	int max = doc.n - (r.h - 2);
	return max > 0 ? max : 0;
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	int inner = r.w - 4, x = r.x + 2;
	int rows = r.h - 2;
	if (rows <= 0)
		return;
	build(c, inner);
	int first = c->v->scroll[PANE_NARRATION];
	if (first > doc.n - rows)
		first = doc.n - rows;
	if (first < 0)
		first = 0;
	for (int i = 0; i < rows && first + i < doc.n; i++) {
		int y = r.y + 1 + i;
		if (doc.l[first + i].role == TH_ALARM)
			draw_fill(y, r.x + 1, r.w - 2, TH_ALARM);
		draw_line(y, x, inner, &doc.l[first + i]);
	}
	draw_scroll_marks(r, first > 0, first + rows < doc.n);
}

const struct pane_ops pane_narration = {PANE_NARRATION, N_("Narration"), NULL, draw};
