/* ui_lecture: what the lecture view adds over the panes (issue 14): the
 * pace of slow motion, and which rows the last step changed.
 *
 * Pure reads of the model: the renderer keeps no state of its own, so the
 * marks follow the moment shown (live, looked back at, or replayed). */
#include "ui.h"

#include <stdio.h>

#include "params.h"

/* Slow motion (speeds 1-5): one step at a time, this many ms apart. From
 * one every 1.5 s to five a second, each speed about 1.65 times the last.
 * Speeds 6-9 run freely (0). */
static const int pace_ms[10] = {0, 1500, 900, 550, 330, 200, 0, 0, 0, 0};

int ui_pace_ms(int speed)
{
	return speed >= 0 && speed <= 9 ? pace_ms[speed] : 0;
}

/* A step's records stay under this many; past it nothing is marked (a
 * free run has no grant to find). */
#define CHANGED_SCAN 256

int ui_changed(const struct model *m, int object, int id)
{
	if (m->mode != LS_MODE_STEP || id < 0)
		return 0;
	uint64_t n = m->nlog, stop = n > CHANGED_SCAN ? n - CHANGED_SCAN : 0;
	if (n - stop > LS_LOG_N)
		stop = n - LS_LOG_N;
	int hit = 0;
	for (uint64_t k = n; k > stop; k--) {
		const struct ls_event *ev = &m->log[(k - 1) % LS_LOG_N];
		if (object) {
			/* a WANT names the object of the next operation: not changed yet */
			if (ev->object == id && ev->type != LS_EV_OBJECT && ev->type != LS_EV_WANT)
				hit = 1;
		} else if ((ev->worker == id && ev->type != LS_EV_WORKER && ev->type != LS_EV_NAME) ||
		           (ev->type == LS_EV_NOTIFY && ev->u.a[1] == id) ||
		           (ev->type == LS_EV_SIGNAL && ev->u.a[0] == id)) {
			hit = 1;
		}
		if (ev->type == LS_EV_GRANT)
			return hit; /* the step began here: what came before is older */
	}
	return 0; /* no step yet (or a free run): nothing is "the last step's" */
}

int ui_params_text(const struct ls_scene *sc, const long *v, char *buf, size_t n)
{
	int k = 0;
	size_t len = 0;
	buf[0] = '\0';
	if (!sc || !v)
		return 0;
	long def[LS_PARAMS_MAX];
	params_defaults(sc, def);
	int np = params_count(sc);
	for (int i = 0; i < np && i < LS_PARAMS_MAX && len < n; i++) {
		if (v[i] == def[i])
			continue;
		char val[64];
		params_show(sc, i, v[i], val, sizeof val);
		int r = snprintf(buf + len, n - len, "%s%s=%s", k++ ? " " : "", sc->params[i].name, val);
		if (r < 0)
			break;
		len += (size_t)r;
	}
	return k;
}

int ui_spacing(const struct ui_ctx *c)
{
	return c->v->zoom && c->th->spacing < 1 ? 1 : c->th->spacing;
}

int ui_large(const struct ui_ctx *c)
{
	return c->th->large_glyphs || c->v->zoom;
}
