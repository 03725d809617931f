/* ui_fix: the `u` overlay, the fixes one key away. It lists the variants of
 * the running scene's `fix` parameter and every fix the conditions pane
 * names ("philosophers --param fix=trylock", "deadlock-ordered"); Enter (or
 * its digit) asks the front end to open it (UI_OV_OPEN_FIX), which re-runs
 * the same schedule up to the moment on screen when it is the same scene,
 * so the class sees the same moment with the fix. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "params.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

static int same(const struct ui_fix *f, const struct ls_scene *sc, const long *v)
{
	return f->sc == sc && memcmp(f->params, v, sizeof f->params) == 0;
}

/* A fix as the conditions pane names it: "SCENE [--param K=V]...". */
static int parse_fix(const struct catalog *cat, const char *text, struct ui_fix *f)
{
	char id[64];
	const char *sp = strchr(text, ' ');
	size_t n = sp ? (size_t)(sp - text) : strlen(text);
	if (n >= sizeof id)
		return -1;
	memcpy(id, text, n);
	id[n] = '\0';
	f->sc = cat ? catalog_find(cat, id) : NULL;
	if (!f->sc)
		return -1;
	memset(f->params, 0, sizeof f->params);
	params_defaults(f->sc, f->params);
	for (const char *p = strstr(text, "--param "); p; p = strstr(p + 1, "--param ")) {
		char kv[128], err[128];
		const char *s = p + 8, *e = strchr(s, ' ');
		snprintf(kv, sizeof kv, "%.*s", e ? (int)(e - s) : (int)strlen(s), s);
		if (params_set(f->sc, f->params, kv, err, sizeof err) != 0)
			return -1;
	}
	return 0;
}

int ui_fixes(const struct ui_ctx *c, struct ui_fix *out, int max)
{
	int n = 0;
	const struct ls_scene *sc = c->scene;
	long cur[LS_PARAMS_MAX] = {0};
	if (sc && c->params)
		memcpy(cur, c->params, sizeof cur);
	else if (sc)
		params_defaults(sc, cur);
	/* the running scene's own variants */
	int np = sc ? params_count(sc) : 0;
	for (int i = 0; i < np && i < LS_PARAMS_MAX; i++) {
		const struct ls_param_desc *p = &sc->params[i];
		if (p->type != LS_PARAM_CHOICE || strcmp(p->name, "fix") != 0)
			continue;
		long nch = 1;
		for (const char *q = p->choices; q && *q; q++)
			nch += *q == '|';
		for (long v = 0; v < nch && n < max; v++) {
			char val[64];
			params_show(sc, i, v, val, sizeof val);
			if (v == cur[i])
				continue;
			struct ui_fix *f = &out[n];
			f->sc = sc;
			memcpy(f->params, cur, sizeof f->params);
			f->params[i] = v;
			snprintf(f->label, sizeof f->label, "%s --param %s=%s", sc->id, p->name, val);
			n++;
		}
	}
	/* the fixes the conditions pane names */
	for (int k = 0; k < AN_NCOND && n < max; k++) {
		const char *scene = NULL;
		analysis_cond_fix((enum an_cond)k, &scene);
		if (!scene || parse_fix(c->cat, scene, &out[n]) != 0)
			continue;
		int dup = same(&out[n], sc, cur);
		for (int j = 0; j < n && !dup; j++)
			dup = same(&out[j], out[n].sc, out[n].params);
		if (dup)
			continue;
		snprintf(out[n].label, sizeof out[n].label, "%s (%s)", scene,
		         _(analysis_cond_title((enum an_cond)k)));
		n++;
	}
	return n;
}

static struct rect box(const struct ui_ctx *c, int n)
{
	int w = c->cols - 8 < 80 ? c->cols - 8 : 80;
	int h = n + 5;
	if (h > c->rows - 2)
		h = c->rows - 2;
	return (struct rect){(c->rows - h) / 2, (c->cols - w) / 2, h, w};
}

static void fix_draw(const struct ui_ctx *c)
{
	struct ui_fix fx[UI_FIX_MAX];
	int n = ui_fixes(c, fx, UI_FIX_MAX);
	struct rect r = box(c, n > 0 ? n : 1);
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
	draw_box(r, _("Show a fix at the same moment"), 1, TH_FOCUS);
	int x = r.x + 2, inner = r.w - 4, y = r.y + 1;
	draw_text(y++, x, inner, _("The same steps are taken again in the variant, up to now:"), TH_DIM);
	if (n == 0)
		draw_text(y, x, inner, _("(no fix is known for this scene)"), TH_DIM);
	int rows = r.h - 4, first = c->v->fix_sel >= rows ? c->v->fix_sel - rows + 1 : 0;
	for (int i = first; i < n && y < r.y + r.h - 2; i++, y++) {
		int role = i == c->v->fix_sel ? TH_SELECT : TH_NORMAL;
		char line[256], clip[512];
		snprintf(line, sizeof line, "%s %d  %s", i == c->v->fix_sel ? draw_glyph(G_READY) : " ",
		         i + 1, fx[i].label);
		draw_fill(y, r.x + 1, r.w - 2, role);
		text_clip(line, inner, clip, sizeof clip);
		draw_text(y, x, inner, clip, role);
	}
	draw_text(r.y + r.h - 2, x, inner, _("arrows or a digit choose, Enter shows it, Esc cancels"),
	          TH_DIM);
}

static enum ui_ov_act fix_key(const struct ui_ctx *c, struct view *v, int key)
{
	struct ui_fix fx[UI_FIX_MAX];
	int n = ui_fixes(c, fx, UI_FIX_MAX);
	if (key == 'u' || key == 'U')
		return UI_OV_CLOSE;
	if (key >= '1' && key <= '9') {
		if (key - '1' >= n)
			return UI_OV_STAY;
		v->fix_sel = key - '1';
		return UI_OV_OPEN_FIX;
	}
	switch (km_lookup(key, KM_LIST, NULL)) {
	case KM_UP: if (v->fix_sel > 0) v->fix_sel--; break;
	case KM_DOWN: if (v->fix_sel < n - 1) v->fix_sel++; break;
	case KM_PICK: return n > 0 ? UI_OV_OPEN_FIX : UI_OV_CLOSE;
	case KM_CLOSE: case KM_QUIT: return UI_OV_CLOSE;
	default: break;
	}
	return UI_OV_STAY;
}

static enum ui_ov_act fix_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	struct ui_fix fx[UI_FIX_MAX];
	int n = ui_fixes(c, fx, UI_FIX_MAX);
	struct rect r = box(c, n > 0 ? n : 1);
	if (y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w)
		return UI_OV_CLOSE;
	int rows = r.h - 4, first = v->fix_sel >= rows ? v->fix_sel - rows + 1 : 0;
	int i = first + y - (r.y + 2);
	if (y < r.y + 2 || i >= n)
		return UI_OV_STAY;
	if (i == v->fix_sel)
		return UI_OV_OPEN_FIX;
	v->fix_sel = i;
	return UI_OV_STAY;
}

const struct overlay_ops overlay_fix = {
	.draw = fix_draw, .on_key = fix_key, .on_click = fix_click,
};
