/* ui_signal: the `!` overlay that lets the user play the keyboard (or
 * kill(1)): first whom to signal (the scene's whole process group, as ^C
 * does, or one process), then which signal. Its keys and clicks move
 * through the two stages here; sending is the front end's (app.c, through
 * engine_send_signal()), asked for by UI_OV_SEND_SIGNAL. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

const int ui_menu_signals[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTERM, SIGUSR1, SIGUSR2,
                               SIGALRM, SIGHUP, SIGCONT, SIGKILL};
const int ui_menu_nsignals = (int)(sizeof ui_menu_signals / sizeof ui_menu_signals[0]);

int ui_waits_signal(const struct model *m)
{
	for (int i = 0; i < m->nw; i++)
		if (model_live(m, i) && m->w[i].wait_op == LS_OP_PAUSE && m->w[i].deadline == 0 &&
		    model_state(m, i) != LS_WS_RUNNABLE)
			return 1;
	return 0;
}

static const char *signal_help(int sig)
{
	switch (sig) {
	case SIGINT: return _("interrupt: what ^C sends");
	case SIGQUIT: return _("quit: what ^\\ sends");
	case SIGTSTP: return _("stop from the keyboard: what ^Z sends");
	case SIGTERM: return _("terminate politely: kill's default");
	case SIGUSR1: return _("user-defined 1");
	case SIGUSR2: return _("user-defined 2");
	case SIGALRM: return _("alarm clock: what alarm() sends");
	case SIGHUP: return _("hang-up: the terminal closed");
	case SIGCONT: return _("continue a stopped process");
	case SIGKILL: return _("kill: cannot be caught or ignored");
	default: return "";
	}
}

static void target_text(const struct ui_ctx *c, int id, char *buf, size_t n)
{
	if (id < 0) {
		snprintf(buf, n, "%s", _("the whole process group, as the terminal's keyboard does"));
		return;
	}
	const struct m_worker *w = model_worker(c->m, id);
	if (!w) {
		snprintf(buf, n, "?");
		return;
	}
	snprintf(buf, n, _("%s (pid %lld)"), w->name, (long long)w->pid);
}

static struct rect box(const struct ui_ctx *c, int n)
{
	int w = c->cols - 8 < 72 ? c->cols - 8 : 72;
	int h = n + 5;
	if (h > c->rows - 2)
		h = c->rows - 2;
	return (struct rect){(c->rows - h) / 2, (c->cols - w) / 2, h, w};
}

/* The first row shown, so that the selection stays in view. */
static int first_row(const struct ui_sigmenu *s, struct rect r)
{
	int rows = r.h - 4;
	return s->sel >= rows ? s->sel - rows + 1 : 0;
}

int overlay_signal_hit(const struct ui_ctx *c, int y, int x)
{
	const struct ui_sigmenu *s = &c->v->sig;
	int n = s->stage == 0 ? s->ntargets : ui_menu_nsignals;
	struct rect r = box(c, n);
	if (x <= r.x || x >= r.x + r.w - 1 || y < r.y + 2 || y >= r.y + r.h - 2)
		return -1;
	int i = first_row(s, r) + (y - (r.y + 2));
	return i < n ? i : -1;
}

static void signal_draw(const struct ui_ctx *c)
{
	const struct ui_sigmenu *s = &c->v->sig;
	int n = s->stage == 0 ? s->ntargets : ui_menu_nsignals;
	struct rect r = box(c, n);
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
	draw_box(r, s->stage == 0 ? _("Send a signal: to whom?") : _("Send a signal: which one?"), 1,
	         TH_FOCUS);
	char line[256], what[160];
	int y = r.y + 1, x = r.x + 2, inner = r.w - 4;
	if (s->stage == 1) {
		target_text(c, s->target, what, sizeof what);
		snprintf(line, sizeof line, _("to %s"), what);
		draw_text(y, x, inner, line, TH_DIM);
	} else {
		draw_text(y, x, inner, _("Pick who receives it:"), TH_DIM);
	}
	y++;
	int first = first_row(s, r);
	for (int i = first; i < n && y < r.y + r.h - 2; i++, y++) {
		int role = i == s->sel ? TH_SELECT : TH_NORMAL;
		draw_fill(y, r.x + 1, r.w - 2, role);
		if (s->stage == 0) {
			target_text(c, s->targets[i], what, sizeof what);
		} else {
			int sig = ui_menu_signals[i];
			snprintf(what, sizeof what, "%-8s %s", describe_signal(sig), signal_help(sig));
		}
		snprintf(line, sizeof line, " %s %s", i == s->sel ? draw_glyph(G_READY) : " ", what);
		draw_text(y, x, inner, line, role);
	}
	/* the list's rows: marks when it scrolls, as in every pane */
	draw_scroll_marks((struct rect){r.y + 1, r.x, r.h - 3, r.w}, first > 0, first + (r.h - 4) < n);
	draw_text(r.y + r.h - 2, x, inner,
	          s->stage == 0 ? _("arrows choose, Enter picks, Esc cancels")
	                        : _("arrows choose, Enter sends, Left goes back, Esc cancels"),
	          TH_DIM);
}

static enum ui_ov_act signal_key(const struct ui_ctx *c, struct view *v, int key)
{
	(void)c;
	struct ui_sigmenu *s = &v->sig;
	int n = s->stage == 0 ? s->ntargets : ui_menu_nsignals;
	switch (km_lookup(key, KM_LIST, NULL)) {
	case KM_UP: if (s->sel > 0) s->sel--; break;
	case KM_DOWN: if (s->sel < n - 1) s->sel++; break;
	case KM_HOME: s->sel = 0; break;
	case KM_END: s->sel = n - 1; break;
	case KM_PICK:
		if (s->stage == 1)
			return UI_OV_SEND_SIGNAL;
		if (s->sel >= 0 && s->sel < s->ntargets) {
			s->target = s->targets[s->sel];
			s->stage = 1;
			s->sel = 0;
		}
		break;
	case KM_CLOSE: case KM_QUIT: return UI_OV_CLOSE;
	default:
		if (key == KM_KEY_LEFT && s->stage == 1) { /* back to the targets */
			s->stage = 0;
			s->sel = 0;
			for (int i = 0; i < s->ntargets; i++)
				if (s->targets[i] == s->target)
					s->sel = i;
		} else if (key == '!') { /* the key that opened it */
			return UI_OV_CLOSE;
		}
		break;
	}
	return UI_OV_STAY;
}

/* A click chooses a row; a click on the chosen row takes it, as Enter. */
static enum ui_ov_act signal_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	int i = overlay_signal_hit(c, y, x);
	if (i >= 0 && i == v->sig.sel)
		return signal_key(c, v, '\n');
	if (i >= 0)
		v->sig.sel = i;
	return UI_OV_STAY;
}

const struct overlay_ops overlay_signal = {
	.draw = signal_draw, .on_key = signal_key, .on_click = signal_click,
};
