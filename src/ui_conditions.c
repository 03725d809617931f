/* ui_conditions: the four Coffman conditions. Each one is defined (the
 * definition does not change with the state: a mutex stays exclusive and
 * only its owner releases it even when nobody waits), says which of the
 * scene's resources it is always true of, and then, separately, whether the
 * present state shows it (a glyph and words, never colour alone) with its
 * witness; then how to break it and which scene shows the fix
 * (analysis_cond_fix). Words from describe.c. On a short pane it says less:
 * first the fixes shrink to their scene, then what the state shows to a
 * line, then the resources go (the scene that shows a fix matters more to
 * the lesson), then each text to a line, then only the present state. Reads the model and the analysis; draws through
 * ui_draw.h.
 */
#include <stdio.h>
#include <string.h>

#include "describe.h"
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

/* How much to say, from the most to the least. Each text is 2 wrapped, 1
 * on one line, 0 left out: the definition, the resources it is always true
 * of, what the present state shows; the fix is 2 how and where, 1 only the
 * scene, 0 left out. Titles always. */
static const struct detail {
	int def, res, now, fix;
} details[] = {
	{2, 2, 2, 2}, {2, 2, 2, 1}, {2, 1, 2, 1}, {2, 1, 1, 1}, {2, 0, 2, 1}, {1, 0, 2, 1}, {2, 1, 2, 0},
	{2, 0, 2, 0}, {1, 0, 2, 0}, {1, 0, 1, 0}, {0, 0, 1, 0}, {0, 0, 0, 0},
};
#define NDETAILS (int)(sizeof details / sizeof details[0])

/* Per condition: the title, the resources, now, the fix. */
struct ctext {
	char title[256], res[512], now[512], fix[512];
};

static void compose(const struct ui_ctx *c, int width, struct detail d, struct lines *ls,
                    struct ctext *t)
{
	ls->n = 0;
	for (int k = 0; k < AN_NCOND; k++) {
		enum an_cond cond = (enum an_cond)k;
		const struct an_coffman *cf = &c->an->coffman[k];
		const char *scene = NULL;
		const char *how = analysis_cond_fix(cond, &scene);
		/* the glyph and the words say whether this state shows it; the
		 * definition stays true whatever the state */
		snprintf(t[k].title, sizeof t[k].title, "%s %s: %s",
		         cf->holds ? (c->ascii ? "[x]" : "\xe2\x97\x8f") : (c->ascii ? "[ ]" : "\xe2\x97\x8b"),
		         _(analysis_cond_title(cond)), cf->holds ? _("seen now") : _("not seen now"));
		add_wrapped(ls, t[k].title, width, cf->holds ? TH_BLOCKED : TH_ITEM, 0, 1);
		if (d.def)
			add_wrapped(ls, describe_cond_definition(cond), width, TH_NORMAL, 4, d.def == 1);
		if (d.res && *describe_cond_resources(c->m, cond, t[k].res, sizeof t[k].res))
			add_wrapped(ls, t[k].res, width, TH_DIM, 4, d.res == 1);
		if (d.now) {
			describe_cond_now(c->m, c->an, cond, c->ascii, t[k].now, sizeof t[k].now);
			add_wrapped(ls, t[k].now, width, cf->holds ? TH_BLOCKED : TH_GOOD, 4, d.now == 1);
		}
		t[k].fix[0] = '\0';
		if (d.fix == 2)
			snprintf(t[k].fix, sizeof t[k].fix,
			         scene ? _("to break it: %s (scene %s)") : _("to break it: %s"), how, scene);
		else if (d.fix == 1 && scene)
			snprintf(t[k].fix, sizeof t[k].fix, _("fix shown in: %s"), scene);
		if (t[k].fix[0])
			add_wrapped(ls, t[k].fix, width, TH_HINT, 4, 0);
	}
}

static int want(const struct ui_ctx *c)
{
	if (!c->v->show_conds)
		return 0;
	return 2 + 4 * 9; /* title, definition, resources, now, fix: a few lines each */
}

static void draw(const struct ui_ctx *c, struct rect r)
{
	static struct lines ls;
	static struct ctext text[AN_NCOND];
	int inner_w = r.w - 3, inner_h = r.h - 2, x0 = r.x + 2;
	if (inner_w < 8 || inner_h < 1)
		return;
	for (int i = 0; i < NDETAILS; i++) {
		compose(c, inner_w, details[i], &ls, text);
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
