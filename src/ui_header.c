/* ui_header: title, mode, speed, running time, event count, and the alarm
 * bar when a deadlock or a stall is found. Two rows, no border. */
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

static void draw(const struct ui_ctx *c, struct rect r)
{
	const struct view *v = c->v;
	/* row 1: what is running */
	draw_fill(r.y, r.x, r.w, TH_TITLE);
	char title[256];
	snprintf(title, sizeof title, "%s %s: %s", draw_glyph(G_SEP), c->scene->id,
	         _(c->scene->title));
	char right[160], vt[48] = "";
	if (c->m->vclock > 0) /* controlled runs: sleeps and timeouts use virtual time */
		snprintf(vt, sizeof vt, _("virtual %.3fs %s "), (double)c->m->vclock / 1e9,
		         draw_glyph(G_DOT));
	snprintf(right, sizeof right, _("events %llu %s step %llu %s %stime %02ld:%02ld "),
	         (unsigned long long)c->m->events, draw_glyph(G_DOT),
	         (unsigned long long)c->m->steps, draw_glyph(G_DOT), vt, v->elapsed_s / 60,
	         v->elapsed_s % 60);
	int rw = text_width(right);
	if (r.w - rw < text_width(title) + 12) { /* keep room for the scene's title */
		if (c->m->vclock > 0)
			snprintf(vt, sizeof vt, "v%.2fs %s ", (double)c->m->vclock / 1e9, draw_glyph(G_DOT));
		snprintf(right, sizeof right, _("%llu ev %s step %llu %s %s%02ld:%02ld "),
		         (unsigned long long)c->m->events, draw_glyph(G_DOT),
		         (unsigned long long)c->m->steps, draw_glyph(G_DOT), vt, v->elapsed_s / 60,
		         v->elapsed_s % 60);
		rw = text_width(right);
	}
	int x = r.x + draw_text(r.y, r.x, r.w - rw - 1, " lockstep ", TH_TITLE);
	char clip[512];
	text_clip(title, r.w - rw - 1 - (x - r.x), clip, sizeof clip);
	draw_text(r.y, x, r.w - rw - 1 - (x - r.x), clip, TH_TITLE);
	draw_text_right(r.y, r.x + r.w, rw, right, TH_TITLE);

	/* row 2: mode, speed, then an alarm or the outcome */
	int y = r.y + 1;
	x = r.x;
	char badge[64];
	int role;
	if (v->run == UI_RUNNING) {
		snprintf(badge, sizeof badge, " %s %s ", draw_glyph(G_RUN), _("RUN"));
		role = TH_MODE_RUN;
	} else if (v->run == UI_STEPPING) {
		snprintf(badge, sizeof badge, " %s %s ", draw_glyph(G_STEP), _("STEP"));
		role = TH_MODE_PAUSE;
	} else {
		snprintf(badge, sizeof badge, " %s %s ", draw_glyph(G_PAUSE), _("PAUSE"));
		role = TH_MODE_PAUSE;
	}
	x += draw_text(y, x, r.w, badge, role);
	if (c->free_run) /* the speed delay would distort what it measures */
		x += draw_text(y, x, r.w - x, _("  full speed  "), TH_HEADER);
	else
		x += draw_textf(y, x, r.w - x, TH_HEADER, _("  speed %d/9  "), v->speed);

	char msg[512];
	role = TH_ALARM;
	if (c->an->deadlock) {
		char cyc[256];
		describe_cycle_arrows(c->m, c->an, c->ascii, cyc, sizeof cyc);
		snprintf(msg, sizeof msg, _(" %s DEADLOCK %s  %s  (r restarts) "), draw_glyph(G_ALARM),
		         draw_glyph(G_ALARM), cyc);
	} else if (c->an->stalled && ui_waits_signal(c->m)) {
		snprintf(msg, sizeof msg, _(" %s waiting for a signal: press ! to send one "),
		         draw_glyph(G_PAUSE));
		role = TH_HINT;
	} else if (c->an->stalled && c->waits_user) {
		snprintf(msg, sizeof msg, _(" %s waiting for you: press k "), draw_glyph(G_PAUSE));
		role = TH_HINT;
	} else if (c->an->stalled) {
		snprintf(msg, sizeof msg, _(" %s STALLED %s  every worker waits, nobody can wake them "),
		         draw_glyph(G_ALARM), draw_glyph(G_ALARM));
	} else if (c->out == LS_OUT_FINISHED) {
		snprintf(msg, sizeof msg, _(" %s FINISHED "), draw_glyph(G_OK));
		role = TH_GOOD;
	} else if (c->out != LS_OUT_NONE && c->out != LS_OUT_STOPPED) {
		snprintf(msg, sizeof msg, _(" %s %s %s  %s "), draw_glyph(G_ALARM),
		         c->out == LS_OUT_CRASHED ? _("CRASHED") : _("STOPPED"), draw_glyph(G_ALARM),
		         c->err ? c->err : "");
	} else if (c->free_run) {
		snprintf(msg, sizeof msg, "%s",
		         _("runs freely at full speed: it measures real time, so it cannot be stepped"));
		role = TH_DIM;
	} else {
		msg[0] = '\0';
	}
	if (msg[0]) {
		int w = r.w - (x - r.x);
		if (role == TH_ALARM)
			draw_fill(y, x, w, role); /* the whole rest of the row: unmistakable */
		draw_text(y, x, w, msg, role);
	}
}

const struct pane_ops pane_header = {PANE_HEADER, NULL, NULL, draw};
