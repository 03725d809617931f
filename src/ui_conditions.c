/* ui_conditions: the four Coffman conditions for the current state. Each one
 * says whether it holds (a glyph and a word, never colour alone), the worker
 * and object that make it hold (analysis_cond_text), how to break it and
 * which scene shows the fix (analysis_cond_fix). On a short pane it says
 * less: first the fixes shrink to their scene, then each condition to a
 * line. Reads the analysis only; draws through ui_draw.h.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

#define LINES_MAX 64

struct cline {
	const char *s;
	size_t len;
	int role, indent;
};

struct lines {
	int n, role, indent;
	struct cline l[LINES_MAX];
};

static void add(void *ud, const char *s, size_t len)
{
	struct lines *ls = ud;
	if (ls->n < LINES_MAX)
		ls->l[ls->n++] = (struct cline){s, len, ls->role, ls->indent};
}

static void add_wrapped(struct lines *ls, const char *s, int width, int role, int indent, int one)
{
	ls->role = role;
	ls->indent = indent;
	if (one) {
		add(ls, s, strlen(s));
		return;
	}
	text_wrap(s, width - indent, add, ls);
}

/* How much to say: the witness sentence (2 wrapped, 1 one line, 0 not at
 * all) and the fix (2 how and where, 1 only the scene, 0 not at all), from
 * the most to the least; titles always. */
static const struct detail {
	int text, fix;
} details[] = {{2, 2}, {2, 1}, {1, 1}, {1, 0}, {0, 0}};
#define NDETAILS (int)(sizeof details / sizeof details[0])

static void compose(const struct ui_ctx *c, int width, struct detail d, struct lines *ls,
                    char (*text)[512], char (*fix)[512])
{
	ls->n = 0;
	for (int k = 0; k < AN_NCOND; k++) {
		const struct an_coffman *cf = &c->an->coffman[k];
		const char *scene = NULL;
		const char *how = analysis_cond_fix((enum an_cond)k, &scene);
		analysis_cond_text(c->m, c->an, (enum an_cond)k, text[k], sizeof text[k]);
		/* the title line: built here, kept in fix[k]'s second half */
		char *title = fix[k] + 256;
		snprintf(title, 256, "%s %s", cf->holds ? (c->ascii ? "[x]" : "\xe2\x97\x8f")
		                                        : (c->ascii ? "[ ]" : "\xe2\x97\x8b"),
		         _(analysis_cond_title((enum an_cond)k)));
		if (d.text == 0) {
			size_t len = strlen(title);
			snprintf(title + len, 256 - len, ": %s",
			         cf->holds ? _("holds") : _("does not hold"));
		}
		add_wrapped(ls, title, width, cf->holds ? TH_BLOCKED : TH_GOOD, 0, 1);
		if (d.text > 0)
			add_wrapped(ls, text[k], width, cf->holds ? TH_NORMAL : TH_DIM, 4, d.text == 1);
		fix[k][0] = '\0';
		if (d.fix == 2)
			snprintf(fix[k], 256, scene ? _("to break it: %s (scene %s)") : _("to break it: %s"),
			         how, scene);
		else if (d.fix == 1 && scene)
			snprintf(fix[k], 256, _("fix shown in: %s"), scene);
		if (fix[k][0])
			add_wrapped(ls, fix[k], width, TH_HINT, 4, 0);
	}
}

static int want(const struct ui_ctx *c)
{
	if (!c->v->show_conds)
		return 0;
	return 2 + 4 * 6; /* title, two lines of witness, three of fix */
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	static struct lines ls;
	static char text[AN_NCOND][512], fix[AN_NCOND][512];
	int inner_w = r.w - 3, inner_h = r.h - 2, x0 = r.x + 2;
	if (inner_w < 8 || inner_h < 1)
		return;
	for (int i = 0; i < NDETAILS; i++) {
		compose(c, inner_w, details[i], &ls, text, fix);
		if (ls.n <= inner_h)
			break;
	}
	for (int i = 0; i < ls.n && i < inner_h; i++) {
		char line[512], clip[512];
		size_t len = ls.l[i].len < sizeof line - 1 ? ls.l[i].len : sizeof line - 1;
		memcpy(line, ls.l[i].s, len);
		line[len] = '\0';
		text_clip(line, inner_w - ls.l[i].indent, clip, sizeof clip);
		draw_text(r.y + 1 + i, x0 + ls.l[i].indent, inner_w - ls.l[i].indent, clip, ls.l[i].role);
	}
}

const struct pane_ops pane_conds = {PANE_CONDS, N_("Four conditions for deadlock"), want, draw};
