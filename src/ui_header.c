/* ui_header: title, mode, speed, running time, event count, and the alarm
 * bar when a deadlock or a stall is found. Two rows, no border. */
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

/* One format per counter in every scene and at every width: events, steps,
 * the virtual clock (only where the scene sleeps or times out) and the
 * running time. When the row is short, the scene's title gives way, then
 * the program's name; the counters never change their format. */
static void draw(const struct ui_ctx *c, struct rect r)
{
	const struct view *v = c->v;
	/* row 1: what is running */
	draw_fill(r.y, r.x, r.w, TH_TITLE);
	char title[512], params[256];
	/* the variant shown (fix=waiter) before the title, which gives way first */
	if (ui_params_text(c->scene, c->params, params, sizeof params))
		snprintf(title, sizeof title, "%s %s: %s", c->scene->id, params, _(c->scene->title));
	else
		snprintf(title, sizeof title, "%s: %s", c->scene->id, _(c->scene->title));
	char right[160], vt[48] = "";
	const char *dot = draw_glyph(G_DOT);
	if (c->m->vclock > 0) /* controlled runs: sleeps and timeouts use virtual time */
		snprintf(vt, sizeof vt, _("virtual %.3fs"), (double)c->m->vclock / 1e9);
	snprintf(right, sizeof right, _("events %llu %s step %llu %s %s%s%02ld:%02ld "),
	         (unsigned long long)c->m->events, dot, (unsigned long long)c->m->steps, dot, vt,
	         vt[0] ? (c->ascii ? " . " : " \xc2\xb7 ") : "", v->elapsed_s / 60,
	         v->elapsed_s % 60);
	int rw = text_width(right);
	int room = r.w - rw - 1;
	int x = r.x;
	char brand[64];
	snprintf(brand, sizeof brand, " lockstep %s ", draw_glyph(G_SEP));
	if (room - text_width(brand) >= 16)
		x += draw_text(r.y, x, room, brand, TH_TITLE);
	else
		x += draw_text(r.y, x, room, " ", TH_TITLE);
	draw_text(r.y, x, room - (x - r.x), title, TH_TITLE);
	draw_text_right(r.y, r.x + r.w, rw, right, TH_TITLE);

	/* row 2: mode, speed, then an alarm or the outcome */
	int y = r.y + 1;
	x = r.x;
	char badge[64];
	int role;
	if (v->run == UI_RUNNING) {
		snprintf(badge, sizeof badge, " %s %s ", draw_glyph(G_RUN), _("RUN"));
		role = TH_MODE_RUN;
	} else {
		/* stepped or not yet: the scene waits for the next step either way */
		snprintf(badge, sizeof badge, " %s %s ", draw_glyph(G_PAUSE), _("PAUSE"));
		role = TH_MODE_PAUSE;
	}
	x += draw_text(y, x, r.w, badge, role);
	if (c->free_run) /* the speed delay would distort what it measures */
		x += draw_text(y, x, r.w - x, _("  full speed  "), TH_HEADER);
	else
		x += draw_textf(y, x, r.w - x, TH_HEADER, _("  speed %d/9  "), v->speed);
	if (c->net) /* a lecture served or followed: how many watch, or what */
		x += draw_textf(y, x, r.w - x, TH_HEADER, "%s %s  ", draw_glyph(G_SEP), c->net);

	/* the alarm: its middle (a long cycle) gives way, never what to press */
	char msg[512], tail[128] = "";
	role = TH_ALARM;
	if (c->an->deadlock) {
		char cyc[256];
		describe_cycle_arrows(c->m, c->an, c->ascii, cyc, sizeof cyc);
		snprintf(msg, sizeof msg, _(" %s DEADLOCK %s  %s"), draw_glyph(G_ALARM),
		         draw_glyph(G_ALARM), cyc);
		snprintf(tail, sizeof tail, "%s", _("  (r restarts) "));
	} else if (c->an->stalled && ui_waits_signal(c->m)) {
		snprintf(msg, sizeof msg, _(" %s waiting for a signal: press ! to send one "),
		         draw_glyph(G_PAUSE));
		role = TH_HINT;
	} else if (c->an->stalled && c->waits_user) {
		snprintf(msg, sizeof msg, _(" %s waiting for you: press k "), draw_glyph(G_PAUSE));
		role = TH_HINT;
	} else if (c->an->stalled) {
		snprintf(msg, sizeof msg, _(" %s STALLED %s  every worker waits, nobody can wake them"),
		         draw_glyph(G_ALARM), draw_glyph(G_ALARM));
		snprintf(tail, sizeof tail, "%s", _("  (r restarts) "));
	} else if (c->out == LS_OUT_FINISHED) {
		snprintf(msg, sizeof msg, _(" %s FINISHED "), draw_glyph(G_OK));
		role = TH_GOOD;
	} else if (c->out != LS_OUT_NONE && c->out != LS_OUT_STOPPED) {
		snprintf(msg, sizeof msg, _(" %s %s %s  %s"), draw_glyph(G_ALARM),
		         c->out == LS_OUT_CRASHED ? _("CRASHED") : _("STOPPED"), draw_glyph(G_ALARM),
		         c->err ? c->err : "");
		snprintf(tail, sizeof tail, "%s", _("  (r restarts) "));
	} else if (c->free_run) {
		snprintf(msg, sizeof msg, "%s",
		         _("runs freely at full speed: it measures real time, so it cannot be stepped"));
		role = TH_DIM;
	} else {
		msg[0] = '\0';
	}
	/* the challenge tracked (a), at the row's end: beside an alarm at most
	 * half of what is left, so the alarm and what to press keep their room */
	char ch[256];
	int chrole = TH_HINT, end = r.x + r.w;
	classroom_header(&v->cls, c->m, ch, sizeof ch, &chrole);
	if (ch[0]) {
		int cw = text_width(ch), left = r.w - (x - r.x);
		if (msg[0] && cw > left / 2) /* beside an alarm: half the room at most */
			cw = left / 2;
		else if (cw > left - 1)
			cw = left - 1;
		if (cw >= 8) {
			draw_text_right(y, end, cw, ch, chrole);
			end -= cw + 1;
		}
	}
	if (c->follower)
		tail[0] = '\0'; /* r is the teacher's key, not a follower's */
	if (msg[0]) {
		int w = end - x;
		if (role == TH_ALARM)
			draw_fill(y, x, w, role); /* the whole rest of the row: unmistakable */
		int tw = text_width(tail);
		if (tw > w)
			tw = 0, tail[0] = '\0';
		x += draw_text(y, x, w - tw, msg, role);
		draw_text(y, x, tw, tail, role);
	}
}

const struct pane_ops pane_header = {PANE_HEADER, NULL, NULL, draw};
