/* app: the terminal front end over the engine, and the one libev loop.
 *
 * Every wait is a watcher here: keys on stdin, SIGWINCH/INT/TERM/HUP/QUIT/
 * TSTP/CONT, a frame timer, a one-second clock that runs only while the
 * scene runs; the engine adds the bus, the scene's output and the host's
 * ev_child. Handlers change the view or tell the engine and mark the
 * screen dirty; an ev_prepare draws at most one frame per loop pass and
 * about 125 a second (see FRAME_S), only when something is dirty, so an idle
 * or paused lockstep sleeps in the kernel. No domain logic: the engine decides what
 * a step is, the model what happened, ui_* how it looks.
 *
 * For benchmarks only: with LOCKSTEP_FRAME_LOG=FILE in the environment, each
 * frame appends "f START END" (CLOCK_MONOTONIC ns; END is just after the
 * terminal update), "c FRAME_CPU UI_CPU" (ns: the frame's, and the UI
 * process's so far), "s STEPS EVENTS", the live model's counts it showed
 * (tests: slow motion gives each step a frame of its own), and, for the
 * records it is the first to show, "e T_NS END WEIGHT": every one, or past
 * UNDRAWN_MAX a uniform sample, each standing for WEIGHT of them. Unset, it
 * costs one test of a null pointer per event and per frame.
 */
#include "app.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <ev.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "describe.h"
#include "i18n.h"
#include "keymap.h"
#include "record.h"
#include "serve.h"
#include "term.h"
#include "theme.h"
#include "timeline.h"
#include "trace.h"
#include "travel.h"
#include "branches.h"
#include "ui_diff.h"
#include "ui_prompt.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_explore.h"
#include "ui_text.h"

/* At most 125 frames a second on average, but FRAME_BURST of them may follow
 * each other at once: the workers of a scene wake together after each speed
 * delay, and the first records of such a burst would otherwise get a frame
 * to themselves while the rest, a fraction of a millisecond behind, waited
 * a whole FRAME_S (measured: p50 17 ms from event to screen at speed 7).
 * Under a steady stream an event waits up to FRAME_S plus one frame (about
 * 1 ms at 200x60): a cap of 1/100 s kept that within one 60 Hz refresh, where
 * 1/60 s gave a p99 of 19 ms and 1/80 s 16.5 ms for crowd at speed 8 on a
 * loaded machine (13.8 ms with 1/100; tests/bench, "event-to-screen").
 * With 1/100 crowd at speed 8 still reached 13-15 ms on a quiet machine,
 * too close to 16 for every run: 1/125 gives 12-13 ms. A frame at 200x60
 * costs under 1 ms, so a steady stream costs at most a tenth of a core in
 * drawing; an idle UI draws nothing. */
#define FRAME_S (1.0 / 125)
#define FRAME_BURST 2.0
/* A frame of more records than the log can describe as they come (full
 * speed, eager_off): nobody reads those, and each frame costs the analysis,
 * the log's catch-up and a diff of the whole screen. 100 a second there
 * lets the UI absorb a fifth more records; an event still reaches the
 * screen within 1/100 s plus one frame (p99 about 11 ms for crowd at
 * speed 9, tests/bench). */
#define FRAME_FULL_S (1.0 / 100)
/* While records stream in (a wakeup read a few hundred), the bus is read
 * every half millisecond instead of at each wakeup: a frame shows them no
 * sooner, and the UI then reads six hundred records at a time instead of
 * eighty, with a fifth of the wakeups (docs/DESIGN.md). */
#define GATHER_US 500

enum { SIG_WINCH, SIG_INT, SIG_TERM, SIG_HUP, SIG_QUIT, SIG_TSTP, SIG_CONT, NSIGW };
static const int watched[NSIGW] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT};

struct app {
	struct ev_loop *loop;
	struct engine *e;
	struct engine_opts eo;
	const struct app_opts *ao;
	struct theme th;
	struct view v;
	struct ui_logline *log;
	ev_io in_w;
	ev_prepare draw_w;
	ev_timer frame_w, clock_w, kern_w;
	ev_signal sig_w[NSIGW];
	int dirty, rows, cols, rc, idle_reads, mouse_down;
	int was_deadlock, kern_tries; /* the deadlock panes; kernel re-reads left */
	char check_msg[2048];         /* LOCKSTEP_CHECK=1: the invariant that broke */
	long frames;
	ev_tstamp last_frame, run_since;
	double frame_credit; /* frames that may be drawn now without waiting, as of last_frame */
	double run_acc;
	/* steps asked for while the scene was still moving, granted in order as
	 * it settles: a worker, or -1 for the next in turn */
	int pend[16], npend;
	int sig_group; /* a signal to the group was just sent: say so before its targets */
	char sig_group_line[UI_LOG_TEXT];
	struct ui_ctx ctx; /* the last frame's, for mouse hits */
	FILE *frame_log;   /* LOCKSTEP_FRAME_LOG, or NULL */
	uint64_t *undrawn; /* t_ns of records no frame has shown yet: all of
	                      them, or a uniform sample of UNDRAWN_MAX */
	size_t nundrawn;
	uint64_t nseen, sample_rng; /* records since the last frame; the sampler */
	/* The log's words cost a third of the UI's time per record; at full
	 * speed a frame shows a few dozen of the thousands that came. Past
	 * EAGER_LINES records in a frame they are left undescribed, and the
	 * draw describes the newest from the history, each from the model as
	 * it was then (the way the past view's log is made). */
	uint64_t frame_records; /* records described since the last frame */
	uint64_t eager_lines;   /* EAGER_LINES, or LOCKSTEP_LOG_EAGER (tests) */
	int lazy;               /* records from lazy_from on are not described yet */
	int eager_off;          /* the last frame had too many: describe none as they come */
	uint64_t lazy_from;     /* history index of the first of them */
	struct ls_event lazy_ev;/* the first of them (its time, for the line that counts them) */
	struct model *relog_m;  /* the model the draw re-folds them with */
	struct history_pos relog_pos; /* where relog_m stands */
	struct travel tr;  /* the past (b ← [ ] .): history and the moment viewed */
	struct view pv;    /* the view drawn while the past is shown: its log */
	const char *replay; /* --replay=FILE: a recording, no scene running */
	int playing;       /* replay: steps forward at the speed's pace */
	ev_timer play_w;
	int last_layer;  /* the overlay, prompt and banner of the last frame (frame()) */
	ev_timer pace_w; /* slow motion (speeds 1-5): a step is due at each tick */
	int pace_due;
	char replay_err[600]; /* a damaged recording: said on quit, exit 1 */
	/* runs left for a branch or a restart, kept to look at (v): their
	 * history and timeline; view_br is the one shown, -1 the live run */
	struct branches br;
	int view_br;
	int run_no; /* the live run's number: runs started since lockstep started */
	struct ui_diff diff; /* d: a kept run beside the live one */
	struct ui_prompt prompt; /* e: the file to export to, typed */
	const char *rerun_sched; /* --rerun: the recorded steps, played at the first start */
	int rerunning;
	char *branch_sched; /* a branch: the schedule re-driven, then... */
	int branch_worker;  /* ...the worker the user chose, or -1 */
	int fixing;         /* u: branch_sched re-driven in a fixed variant, then pause */
	uint64_t branch_step;
	const char *record; /* --record=FILE: the first run's file */
	int runs;           /* runs started: each has its own recording */
	char record_n[4096];
	struct timeline tl; /* each worker's state across time (t) */
	int show_tl, tl_deadlock;
	int tl_zoom, tl_scroll; /* columns per cell; cells back from the end */
	int tl_axis; /* 0: steps in a controlled run, wall time in a free one; 1 steps, 2 wall (a) */
	uint64_t tick_ns; /* free runs: a moment (and a column) per tenth of a second */
	/* one lecture, many screens (serve.h, attach.h) */
	struct serve *srv;   /* --serve: each run's stream goes to viewers */
	int nviewers;
	struct attach *att;  /* --attach: the engine folds the teacher's stream */
	int forked;          /* f: a private copy runs instead; the stream is kept */
	int att_lost;        /* the stream stopped: the last state stays shown */
	char net[200];       /* the header's word on it */
};

/* big (the log ring): not on the stack; file scope so that --attach can
 * name it to its callbacks before the UI starts */
static struct app the_app;

#define UNDRAWN_MAX 128 /* records a frame logs; more are sampled */

/* A free run (speeds 6-9): each worker waits this long at each gate, all
 * at once; 9 is full speed. Speeds 1-5 are slow motion (ui_pace_ms): a
 * controlled run stepped one worker at a time, so their delay here is only
 * what a worker waits out if the user switches back to a free run. */
static const unsigned delays_us[10] = {0, 3000000, 1500000, 800000, 500000, 300000,
                                       300000, 50000, 10000, 0};

static int free_run(const struct app *a)
{
	return (a->eo.scene->flags & LS_SCENE_FREE_RUN) != 0;
}

/* Speeds 1-5 are slow motion: a controlled run the UI steps itself, one
 * worker at a time and evenly spaced (ui_pace_ms), so every operation gets
 * a frame of its own. A free run at such a speed bunched: every worker
 * waited out the same delay at once, then all moved in the same frame, and
 * a consumer blocked in the kernel took an item the moment it was put. */
static int slow_motion(const struct app *a)
{
	return !a->replay && !free_run(a) && ui_pace_ms(a->v.speed) > 0;
}

static void status(struct app *a, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void status(struct app *a, int role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->v.status, sizeof a->v.status, fmt, ap);
	va_end(ap);
	a->v.status_role = role;
	a->dirty = 1;
}

/* ---- the running-time clock: ticks only while the scene runs ---- */

static void clock_update(struct app *a)
{
	double t = a->run_acc;
	if (ev_is_active(&a->clock_w))
		t += ev_now(a->loop) - a->run_since;
	a->v.elapsed_s = (long)t;
}

static void clock_run(struct app *a, int on)
{
	if (on && !ev_is_active(&a->clock_w)) {
		a->run_since = ev_now(a->loop);
		ev_timer_again(a->loop, &a->clock_w);
	} else if (!on && ev_is_active(&a->clock_w)) {
		a->run_acc += ev_now(a->loop) - a->run_since;
		ev_timer_stop(a->loop, &a->clock_w);
	}
	clock_update(a);
}

static void clock_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct app *a = w->data;
	clock_update(a);
	a->dirty = 1;
}

/* ---- engine callbacks ---- */

static void log_push(struct app *a, const struct ls_event *ev, int role, const char *text)
{
	struct ui_logline *l = &a->log[a->v.nlog % UI_LOG_N];
	l->t_ns = ev->t_ns;
	l->seq = ev->seq;
	l->role = role;
	snprintf(l->text, sizeof l->text, "%s", text);
	if (a->v.t0_ns == 0)
		a->v.t0_ns = ev->t_ns;
	a->v.nlog++;
	if (a->v.scroll[PANE_LOG] > 0) /* reading back: keep the same lines in view */
		a->v.scroll[PANE_LOG]++;
}

#define EAGER_LINES 512   /* records described as they come, per frame */
#define LAZY_BACK 64      /* at least this many records the draw describes
                             (a screenful if more); more when read back */

static int log_lazy_ok(const struct app *a, uint64_t hlen_before)
{
	/* the record just went into the history, which can give it back */
	return a->tr.h && history_len(a->tr.h) == hlen_before + 1;
}

static void relive_line(void *ud, const struct ls_event *ev, int role, const char *text)
{
	log_push(ud, ev, role, text);
}

/* The records left undescribed, described now: the newest LAZY_BACK (all
 * the log can hold while it is read back), each from the model as it was
 * after it. Those before are too many to read at that speed; one line
 * says how many, and travelling back (b) shows any of them. */
static void log_catch_up(struct app *a)
{
	if (!a->lazy)
		return;
	a->lazy = 0;
	struct history *h = a->tr.h;
	uint64_t end = history_len(h), from = a->lazy_from;
	/* what the log pane can show, or all it holds while it is read back */
	uint64_t back = (uint64_t)(a->rows > LAZY_BACK ? a->rows : LAZY_BACK);
	if (a->v.scroll[PANE_LOG] > 0)
		back = 2 * UI_LOG_N;
	/* a frame of more records than EAGER_LINES: the next one describes
	 * none as they come (they would scroll away unread), only its last */
	a->eager_off = end - from + a->frame_records > a->eager_lines;
	if (end - from > back) {
		uint64_t skipped = end - back - from;
		char line[UI_LOG_TEXT];
		snprintf(line, sizeof line,
		         PL_("… %llu record not described: too fast to read (b looks back at any "
		             "moment)",
		             "… %llu records not described: too fast to read (b looks back at any "
		             "moment)",
		             skipped),
		         (unsigned long long)skipped);
		log_push(a, &a->lazy_ev, TH_DIM, line);
		from = end - back;
	}
	if (!a->relog_m) {
		if (!(a->relog_m = calloc(1, sizeof *a->relog_m)))
			return;
		model_init(a->relog_m);
		a->relog_pos.n = HISTORY_NOWHERE;
	}
	/* one pass: on from where the last frame left relog_m, or from the
	 * snapshot before `from`, whichever folds less */
	struct log_describer r = {.line = relive_line, .ud = a};
	if (a->relog_pos.n > end)
		a->relog_pos.n = HISTORY_NOWHERE; /* another run's history */
	if (history_each_from(h, &a->relog_pos, from, end, a->relog_m, log_describe, &r) != 0)
		a->relog_pos.n = HISTORY_NOWHERE;
}

/* A moment to come back to, and the timeline's column for it: a step
 * has settled, or a tenth of a second of a free run went by. */
static void moment(struct app *a, int free)
{
	timeline_close_column(&a->tl, engine_model(a->e));
	travel_moment(&a->tr, free);
}

static void on_event(void *ud, const struct ls_event *ev)
{
	struct app *a = ud;
	const struct model *m = engine_model(a->e);
	if (a->frame_log) {
		/* a uniform sample of the frame's records (reservoir sampling), so
		 * that logging every record's time does not slow the UI it measures */
		if (a->nundrawn < UNDRAWN_MAX) {
			a->undrawn[a->nundrawn++] = ev->t_ns;
		} else {
			a->sample_rng ^= a->sample_rng << 13;
			a->sample_rng ^= a->sample_rng >> 7;
			a->sample_rng ^= a->sample_rng << 17;
			uint64_t j = a->sample_rng % (a->nseen + 1);
			if (j < UNDRAWN_MAX)
				a->undrawn[j] = ev->t_ns;
		}
		a->nseen++;
	}
	uint64_t hlen = a->tr.h ? history_len(a->tr.h) : 0;
	travel_push(&a->tr, ev, m);
	timeline_note_time(&a->tl, ev->t_ns);
	if (m->mode == LS_MODE_RUN && ev->t_ns >= a->tick_ns + 100000000ull) {
		if (a->tick_ns) /* the first record only starts the clock */
			moment(a, 1);
		a->tick_ns = ev->t_ns;
	}
	switch (ev->type) {
	case LS_EV_ACQUIRED: timeline_mark(&a->tl, ev->worker, TL_ACQUIRE); break;
	case LS_EV_RELEASED: timeline_mark(&a->tl, ev->worker, TL_RELEASE); break;
	case LS_EV_SIGNAL: timeline_mark(&a->tl, (int)ev->u.a[0], TL_SIGNAL); break;
	case LS_EV_DELIVERED: timeline_mark(&a->tl, ev->worker, TL_SIGNAL); break;
	default: break;
	}
	int kept = log_lazy_ok(a, hlen);
	if ((ev->type == LS_EV_SIGNAL && ev->worker < 0 && a->sig_group) || (a->lazy && !kept))
		log_catch_up(a); /* the user's line, or a record the full history
		                    could not keep, goes after what came before */
	else if (a->lazy || (a->frame_records >= (a->eager_off ? 0 : a->eager_lines) && kept)) {
		if (!a->lazy) {
			a->lazy = 1;
			a->lazy_from = hlen;
			a->lazy_ev = *ev;
		}
		return;
	}
	a->frame_records++;
	if (ev->type == LS_EV_OUTPUT) {
		if (!(ev->u.s.a0 & LS_TEXT_MORE) && m->nsays > 0) {
			char clean[UI_LOG_TEXT], line[UI_LOG_TEXT + 16];
			describe_output(m->says[(m->nsays - 1) % LS_SAYS_N].text, clean, sizeof clean);
			if (ev->worker >= 0) /* print() of a worker: which process said it */
				snprintf(line, sizeof line, _("%s output: %s"), model_worker_name(m, ev->worker),
				         clean);
			else
				snprintf(line, sizeof line, _("output: %s"), clean);
			log_push(a, ev, TH_OUTPUT, line);
		}
		return;
	}
	if (ev->type == LS_EV_SIGNAL && ev->worker < 0 && a->sig_group) {
		a->sig_group = 0;
		log_push(a, ev, TH_KEY, a->sig_group_line);
	}
	char text[UI_LOG_TEXT];
	int role = describe_event(m, ev, text, sizeof text);
	if (role >= 0)
		log_push(a, ev, role, text);
}

static void why_not(struct app *a, int id)
{
	char buf[256];
	status(a, TH_HINT, "%s", engine_why_not(a->e, id, buf, sizeof buf));
}

static void try_pending(struct app *a)
{
	if (a->npend == 0 || !engine_settled(a->e) || engine_mode(a->e) != LS_MODE_STEP ||
	    engine_outcome(a->e) != LS_OUT_NONE)
		return;
	int want = a->pend[0];
	memmove(&a->pend[0], &a->pend[1], (size_t)(a->npend - 1) * sizeof a->pend[0]);
	a->npend--;
	if (want >= 0 && !model_eligible(engine_model(a->e), want)) {
		why_not(a, want);
		a->npend = 0; /* the steps after it were planned on a different state */
		return;
	}
	if (want < 0) /* a schedule loaded from the explorer (x, m) leads */
		want = xui_guide_next(engine_model(a->e));
	/* -1: the engine's policy, the worker a headless run would step */
	if (engine_step(a->e, want) < 0 && want < 0)
		status(a, TH_HINT, "%s", _("nobody can move now"));
	a->dirty = 1;
}

/* ---- slow motion ---- */

/* Step now if a step is due and the last one is over: at the pace timer's
 * tick, or when a step that took longer than the pace has settled. */
static void pace_try(struct app *a)
{
	if (!a->pace_due || a->v.run != UI_RUNNING || !slow_motion(a) || a->npend > 0 ||
	    engine_mode(a->e) != LS_MODE_STEP || !engine_settled(a->e) ||
	    engine_outcome(a->e) != LS_OUT_NONE)
		return;
	a->pace_due = 0;
	if (engine_step(a->e, -1) < 0) { /* nobody can move: rest until something changes */
		ev_timer_stop(a->loop, &a->pace_w);
		return;
	}
	ev_timer_again(a->loop, &a->pace_w); /* the next step a whole pace after this one */
	a->dirty = 1;
}

static void pace_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct app *a = w->data;
	a->pace_due = 1;
	pace_try(a);
}

/* The pace timer runs while the view runs in slow motion, at its speed. */
static void pace(struct app *a)
{
	if (!a->e || a->v.run != UI_RUNNING || !slow_motion(a) ||
	    engine_outcome(a->e) != LS_OUT_NONE) {
		ev_timer_stop(a->loop, &a->pace_w);
		a->pace_due = 0;
		return;
	}
	double s = ui_pace_ms(a->v.speed) / 1000.0;
	if (!ev_is_active(&a->pace_w) || a->pace_w.repeat != s) {
		a->pace_w.repeat = s;
		ev_timer_again(a->loop, &a->pace_w);
	}
}

/* The timeline: the moment a deadlock forms is marked on its workers. */
static void timeline_deadlock(struct app *a)
{
	const struct analysis *an = engine_analysis(a->e);
	if (an->deadlock && !a->tl_deadlock)
		for (int i = 0; i < an->ncycle; i++)
			if (!an->cycle[i].is_object)
				timeline_mark(&a->tl, an->cycle[i].id, TL_DEADLOCK);
	a->tl_deadlock = an->deadlock;
}

/* ---- the classroom (ui_challenge.c): challenges and predictions ---- */

static struct travel *vtr(struct app *a);

static void classroom_update(struct app *a)
{
	struct ui_classroom *cl = &a->v.cls;
	if (classroom_track(cl, engine_model(a->e), engine_analysis(a->e), engine_outcome(a->e))) {
		char line[512];
		classroom_met_line(cl, line, sizeof line);
		status(a, TH_GOOD, "%s", line);
	}
}

/* p, or a moment the scene marks (--predict): ask before the step */
static int predict(struct app *a, int marked_only)
{
	struct ui_classroom *cl = &a->v.cls;
	const struct model *m = engine_model(a->e);
	char why[256];
	if (free_run(a) || a->replay || vtr(a)->on || engine_outcome(a->e) != LS_OUT_NONE ||
	    engine_mode(a->e) != LS_MODE_STEP || !engine_settled(a->e) || a->npend) {
		if (!marked_only)
			status(a, TH_HINT, "%s", _("predict in step mode, once the step is over"));
		return 0;
	}
	if (!classroom_ask(cl, m, engine_next(a->e), marked_only, why, sizeof why)) {
		if (!marked_only)
			status(a, TH_HINT, "%s", why);
		return 0;
	}
	cl->marked_step = m->steps;
	a->v.overlay = UI_OV_PREDICT;
	a->dirty = 1;
	return 1;
}

/* a step is over: reveal a prediction, or ask at a marked moment */
static void classroom_settled(struct app *a)
{
	struct ui_classroom *cl = &a->v.cls;
	const struct model *m = engine_model(a->e);
	if (cl->pending && m->steps > cl->asked_step && a->npend == 0) {
		char line[512];
		int right = classroom_reveal(cl, m, line, sizeof line);
		status(a, right ? TH_GOOD : TH_ALARM, "%s", line);
	}
	if (a->ao->predict && !cl->pending && a->v.overlay == UI_OV_NONE &&
	           a->v.run != UI_RUNNING && cl->marked_step != m->steps + 1) {
		if (predict(a, 1))
			cl->marked_step = m->steps + 1; /* once per moment */
	}
}

/* What the UI does when the analysis changes: the deadlock's moment on the
 * timeline, the clock stopped, the cycle's panes shown the moment it forms,
 * a challenge met. Each acts on a change only, so calling it again for the
 * same analysis does nothing. */
static void follow_analysis(struct app *a)
{
	if (!a->e)
		return;
	const struct analysis *an = engine_analysis(a->e);
	timeline_deadlock(a);
	if (an->deadlock || an->stalled)
		clock_run(a, 0);
	if (an->deadlock && !a->was_deadlock) /* show the cycle the moment it forms */
		a->v.show_graph = a->v.show_conds = 1;
	a->was_deadlock = an->deadlock;
	classroom_update(a);
}

static void on_changed(void *ud)
{
	struct app *a = ud;
	/* a free run is analysed once per frame (draw_cb), on the model the
	 * frame draws; a stepped one after each batch, as the engine does */
	if (engine_mode(a->e) == LS_MODE_STEP || engine_outcome(a->e) != LS_OUT_NONE)
		follow_analysis(a);
	a->kern_tries = 4;
	try_pending(a);
	pace(a); /* slow motion that rested (nobody could move) goes on */
	a->dirty = 1;
}

/* The explorer's guide and map follow the run: its steps so far, as the
 * schedule that would re-drive it. */
static void explore_sync(struct app *a)
{
	if (!xui_wants_path())
		return;
	char why[256];
	char *s = travel_schedule(&a->tr, engine_model(a->e)->steps, why, sizeof why);
	xui_path(s, engine_model(a->e));
	free(s);
}

static void on_settled(void *ud)
{
	struct app *a = ud;
	const struct model *m = engine_model(a->e);
	timeline_deadlock(a);
	explore_sync(a);
	if (a->tl.nsteps <= m->steps) { /* this step's column, once */
		timeline_note_step(&a->tl, m->steps);
		moment(a, 0);
	}
	if (a->rerunning && engine_schedule_left(a->e) == 0) {
		a->rerunning = 0;
		status(a, TH_HINT, _("the recorded steps are done (step %llu): your move"),
		       (unsigned long long)m->steps);
	}
	if (a->branch_worker >= 0 && engine_schedule_left(a->e) == 0) {
		int id = a->branch_worker;
		a->branch_worker = -1;
		if (m->steps != a->branch_step)
			status(a, TH_ALARM, _("the re-run reached step %llu, not %llu: the branch stops here"),
			       (unsigned long long)m->steps, (unsigned long long)a->branch_step);
		else if (!model_eligible(m, id))
			why_not(a, id);
		else {
			if (a->branch_step == 0)
				status(a, TH_HINT, _("a new branch: from the start, %s moves first"),
				       model_worker_name(m, id));
			else
				status(a, TH_HINT, _("a new branch: steps 1-%llu as before, then %s"),
				       (unsigned long long)a->branch_step, model_worker_name(m, id));
			if (a->npend < (int)(sizeof a->pend / sizeof a->pend[0]))
				a->pend[a->npend++] = id;
		}
	}
	if (a->fixing && engine_schedule_left(a->e) == 0) {
		char ps[256];
		a->fixing = 0;
		if (!ui_params_text(a->eo.scene, a->eo.params, ps, sizeof ps))
			snprintf(ps, sizeof ps, "%s", a->eo.scene->id);
		if (*engine_drive_stop(a->e))
			status(a, TH_ALARM, _("with %s the run goes another way at step %llu: %s"), ps,
			       (unsigned long long)m->steps + 1, engine_drive_stop(a->e));
		else
			status(a, TH_HINT, _("%s at the same moment: steps 1-%llu as before (v: the run "
			                     "without it)"), ps, (unsigned long long)m->steps);
	}
	try_pending(a);
	classroom_update(a);
	classroom_settled(a);
	pace_try(a);
	a->dirty = 1;
}

static void quit(struct app *a, int rc);

static void on_ended(void *ud)
{
	struct app *a = ud;
	clock_run(a, 0);
	pace(a);
	a->dirty = 1;
	classroom_update(a); /* a value's challenge is met once the scene has finished */
	if (engine_check_failed(a->e)) {
		/* LOCKSTEP_CHECK=1: a broken invariant fails the run, said on
		 * stderr once the terminal is back */
		snprintf(a->check_msg, sizeof a->check_msg, "%s", engine_error(a->e));
		quit(a, 1);
	}
}

static void on_notice(void *ud, const char *msg)
{
	status(ud, TH_HINT, "%s", msg);
}

/* ---- starting and stopping scenes ---- */

static void build_ctx(struct app *a);
static void keep_run(struct app *a, enum kept_why why);

static int start_scene(struct app *a, const struct ls_scene *sc, int fresh_params, char *err,
                       size_t errlen)
{
	if (a->view_br >= 0) /* the kept run shown is put aside */
		travel_rest(&a->br.k[a->view_br].tr);
	if (a->e && !a->replay)
		keep_run(a, KEPT_RESTART); /* v shows it again; a branch has kept it already */
	a->view_br = -1;
	a->run_no++;
	if (a->e)
		engine_free(a->e);
	a->e = NULL;
	term_set_scene(0);
	if (a->eo.scene != sc || fresh_params)
		params_defaults(sc, a->eo.params);
	classroom_load(&a->v.cls, sc, a->eo.params, a->eo.scene == sc);
	a->eo.scene = sc;
	xui_scene_changed(sc, a->eo.params);
	memset(a->v.scroll, 0, sizeof a->v.scroll);
	if (travel_reset(&a->tr) != 0)
		term_fatal("%s", _("out of memory"));
	timeline_free(&a->tl);
	timeline_init(&a->tl);
	a->tl_deadlock = 0;
	a->tick_ns = 0;
	a->v.nlog = 0;
	a->v.t0_ns = 0;
	a->lazy = 0;
	a->relog_pos.n = HISTORY_NOWHERE; /* a new history */
	a->eager_off = 0;
	a->frame_records = 0;
	a->npend = 0;
	a->was_deadlock = 0;
	a->run_acc = 0;
	ev_timer_stop(a->loop, &a->clock_w);
	if (free_run(a))
		a->v.run = UI_RUNNING;
	else if (a->v.run == UI_STEPPING)
		a->v.run = UI_PAUSED;
	a->eo.mode = a->v.run == UI_RUNNING && !slow_motion(a) ? LS_MODE_RUN : LS_MODE_STEP;
	a->eo.delay_us = free_run(a) ? 0 : delays_us[a->v.speed];
	static const struct engine_cb cb = {
		.event = on_event, .changed = on_changed, .settled = on_settled,
		.ended = on_ended, .notice = on_notice,
	};
	/* with --record, every run started (a restart, a branch) keeps its own
	 * file: FILE, then FILE-2.rec, FILE-3.rec..., so both branches of a
	 * lesson can be replayed, exported and diffed */
	if (a->record && ++a->runs > 1) {
		size_t n = strlen(a->record);
		int ext = n > 4 && strcmp(a->record + n - 4, ".rec") == 0;
		snprintf(a->record_n, sizeof a->record_n, "%.*s-%d%s", (int)(ext ? n - 4 : n), a->record,
		         a->runs, ext ? ".rec" : "");
		a->eo.record = a->record_n;
	}
	a->eo.schedule = a->branch_worker >= 0 || a->fixing ? a->branch_sched : NULL;
	a->eo.drive_schedule = a->branch_worker >= 0 || a->fixing;
	a->eo.drive_lenient = a->fixing; /* the fix may go another way: say where */
	if (a->branch_worker < 0 && a->rerun_sched) { /* --rerun: once, at the start */
		a->eo.schedule = a->rerun_sched;
		a->eo.drive_schedule = 1;
		a->rerun_sched = NULL;
		a->rerunning = 1;
	}
	a->eo.gather_us = GATHER_US;
	a->eo.analyse_on_demand = 1; /* a free run: once per frame (follow_analysis) */
	a->e = engine_new(a->loop, &a->eo, &cb, a);
	a->eo.schedule = NULL; /* the engine has its copy: r starts afresh */
	if (!a->e)
		term_fatal("%s", _("out of memory"));
	int r = engine_start(a->e, err, errlen);
	if (r != 0) {
		engine_finish(a->e, LS_OUT_ERROR, err);
		build_ctx(a);
		return -1;
	}
	term_set_scene(engine_host_pgid(a->e)); /* what a crash kills: never a pid from the bus */
	clock_run(a, a->v.run == UI_RUNNING);
	pace(a);
	build_ctx(a); /* a click read with the key that restarted must not see the old model */
	a->dirty = 1;
	return 0;
}

static void quit(struct app *a, int rc)
{
	a->rc = rc;
	ev_break(a->loop, EVBREAK_ALL);
}

/* ---- actions ---- */

static int can_step_now(struct app *a)
{
	if (free_run(a)) {
		status(a, TH_HINT, "%s", _("this scene measures real time: it runs freely and cannot be stepped"));
		return 0;
	}
	if (engine_outcome(a->e) != LS_OUT_NONE) {
		status(a, TH_HINT, "%s", _("the scene has ended: r restarts it"));
		return 0;
	}
	return 1;
}

static void step(struct app *a, int worker)
{
	if (!can_step_now(a))
		return;
	clock_run(a, 0);
	if (engine_mode(a->e) == LS_MODE_RUN)
		engine_set_mode(a->e, LS_MODE_STEP); /* steps wait until all are at a gate */
	a->v.run = UI_STEPPING;
	if (a->npend < (int)(sizeof a->pend / sizeof a->pend[0]))
		a->pend[a->npend++] = worker;
	try_pending(a);
	a->dirty = 1;
}

static void step_worker(struct app *a, int id)
{
	if (!can_step_now(a))
		return;
	if (engine_mode(a->e) == LS_MODE_STEP && engine_settled(a->e) && a->npend == 0 &&
	    !model_eligible(engine_model(a->e), id)) {
		why_not(a, id);
		return;
	}
	step(a, id);
}

static void run_pause(struct app *a)
{
	if (free_run(a)) {
		status(a, TH_HINT, "%s", _("this scene measures real time: it cannot be paused"));
		return;
	}
	if (engine_outcome(a->e) != LS_OUT_NONE) {
		status(a, TH_HINT, "%s", _("the scene has ended: r restarts it"));
		return;
	}
	if (a->v.run == UI_RUNNING) {
		engine_set_mode(a->e, LS_MODE_STEP);
		a->v.run = UI_PAUSED;
		clock_run(a, 0);
	} else {
		a->npend = 0;
		engine_set_delay(a->e, delays_us[a->v.speed]);
		a->v.run = UI_RUNNING;
		engine_set_mode(a->e, slow_motion(a) ? LS_MODE_STEP : LS_MODE_RUN);
		const struct analysis *an = engine_analysis(a->e);
		clock_run(a, !an->deadlock && !an->stalled);
	}
	a->dirty = 1;
}

static void speed(struct app *a, int delta)
{
	int s = a->v.speed + delta;
	if (s < 1 || s > 9)
		return;
	a->v.speed = s;
	if (!free_run(a)) {
		engine_set_delay(a->e, delays_us[s]);
		if (a->v.run == UI_RUNNING && engine_outcome(a->e) == LS_OUT_NONE) /* 5 <-> 6 */
			engine_set_mode(a->e, slow_motion(a) ? LS_MODE_STEP : LS_MODE_RUN);
	}
	pace(a);
	a->dirty = 1;
}

static void restart(struct app *a, const struct ls_scene *sc)
{
	char err[256];
	if (start_scene(a, sc, 0, err, sizeof err) != 0)
		status(a, TH_ALARM, _("cannot start %s: %s"), sc->id, err);
}

static void scene_key(struct app *a)
{
	if (engine_outcome(a->e) != LS_OUT_NONE) {
		status(a, TH_HINT, "%s", _("the scene has ended: r restarts it"));
		return;
	}
	int waited = engine_waits_for_user(a->e);
	engine_press_key(a->e);
	if (!waited)
		status(a, TH_HINT, "%s", _("k pressed before the scene asked: it takes the press when it asks"));
	a->dirty = 1;
}

/* ---- looking back (issue 15) ---- */

/* The run shown: the live one, or a kept branch (v). */
static struct travel *vtr(struct app *a)
{
	return a->view_br >= 0 ? &a->br.k[a->view_br].tr : &a->tr;
}

static struct timeline *vtl(struct app *a)
{
	return a->view_br >= 0 ? &a->br.k[a->view_br].tl : &a->tl;
}

/* ---- the timeline's window (< > z a) ---- */

/* The timeline's axis: wall time or a column per step (a switches; by
 * default a free run's is wall time, a controlled run's its steps). */
static int tl_wall(struct app *a)
{
	if (a->tl_axis)
		return a->tl_axis == 2;
	return (vtr(a)->on ? vtr(a)->m.mode : engine_model(a->e)->mode) == LS_MODE_RUN;
}

static void timeline_key(struct app *a, enum km_action act)
{
	static const int zooms[] = {1, 2, 5, 10, 50, 100};
	const int nz = (int)(sizeof zooms / sizeof zooms[0]);
	if (!a->show_tl) {
		status(a, TH_HINT, "%s", _("t shows the timeline first"));
		return;
	}
	int half = (a->cols - 14) / 2 > 1 ? (a->cols - 14) / 2 : 1;
	int was = a->tl_scroll;
	if (act == KM_TL_BACK)
		a->tl_scroll += half;
	else if (act == KM_TL_FORWARD)
		a->tl_scroll = a->tl_scroll > half ? a->tl_scroll - half : 0;
	else if (act == KM_TL_AXIS) {
		a->tl_axis = tl_wall(a) ? 1 : 2;
		a->tl_scroll = 0; /* a cell back is not the same time on the other axis */
	} else {
		int k = 0;
		while (k < nz && zooms[k] != a->tl_zoom)
			k++;
		a->tl_zoom = zooms[(k + 1) % nz];
	}
	uint32_t zoom = (uint32_t)(a->tl_zoom > 0 ? a->tl_zoom : 1);
	uint32_t cells = tl_wall(a) ? timeline_time_cells(vtl(a), zoom * 100000000ull)
	                            : vtl(a)->now / zoom;
	if ((uint32_t)a->tl_scroll > cells) /* never scroll past the start */
		a->tl_scroll = (int)cells;
	if (act == KM_TL_BACK && a->tl_scroll == was && was > 0) /* not silently: it is the start */
		status(a, TH_HINT, "%s", _("the timeline's start: nothing earlier (> scrolls forward)"));
	else if (act == KM_TL_BACK && cells == 0)
		status(a, TH_HINT, "%s", _("the whole timeline is on screen: nothing earlier"));
	else if (act == KM_TL_FORWARD && was == 0)
		status(a, TH_HINT, "%s", _("the timeline already ends at the moment shown (< scrolls back)"));
	a->dirty = 1;
}

/* Entering the past pauses the live run: it must not move on under a
 * class that is looking at an earlier moment. */
static void past_enter(struct app *a)
{
	a->npend = 0;
	if (!a->replay && !(a->att && !a->forked) && a->v.run == UI_RUNNING && !free_run(a) &&
	    engine_outcome(a->e) == LS_OUT_NONE) {
		engine_set_mode(a->e, LS_MODE_STEP);
		a->v.run = UI_PAUSED;
		clock_run(a, 0);
	}
	pace(a);
}

static void past_move(struct app *a, enum km_action act)
{
	struct travel *t = vtr(a);
	int r = 0;
	switch (act) {
	case KM_BACK:
		r = travel_back(t);
		if (r != 0)
			status(a, TH_HINT, "%s", travel_moments(t) == 0
			                         ? _("nothing to look back at yet")
			                         : _("this is the first moment: nothing earlier"));
		break;
	case KM_STEP: r = travel_forward(t); break;
	case KM_NEXT_MARK:
		r = travel_mark(t, 1);
		if (r != 0)
			status(a, TH_HINT, "%s", _("] moves forward while looking back: b or [ first"));
		break;
	case KM_PREV_MARK:
		r = travel_mark(t, -1);
		if (r != 0)
			status(a, TH_HINT, "%s", _("no earlier block, wake, signal or deadlock"));
		break;
	default:
		a->view_br = -1; /* . is the live run, now */
		travel_now(&a->tr);
		break;
	}
	if (a->view_br >= 0 && !t->on) { /* a kept run's "now" is its end */
		const char *label = a->br.k[a->view_br].label;
		travel_end(t);
		if (act == KM_STEP || act == KM_NEXT_MARK) /* not silently: the key went nowhere */
			status(a, TH_HINT, _("the end of %.*s: v shows the next run, . the live one"),
			       (int)strcspn(label, ":"), label);
	}
	if (r == 0 && vtr(a)->on)
		past_enter(a);
	a->dirty = 1;
}

/* v: the list of runs since lockstep started, the live one first, then
 * those kept when a branch began or the scene started again, newest
 * first; the one after the run shown is chosen, so v Enter goes through
 * them in turn. */
static void switch_branch(struct app *a)
{
	if (a->br.n == 0) {
		status(a, TH_HINT, "%s", _("no other run yet: look back (b) and press a worker's key, or r"));
		return;
	}
	const struct model *m = engine_model(a->e);
	enum ls_outcome o = engine_outcome(a->e);
	snprintf(a->v.live_label, sizeof a->v.live_label,
	         PL_("run %d: %llu step, %s", "run %d: %llu steps, %s", m->steps), a->run_no,
	         (unsigned long long)m->steps,
	         o != LS_OUT_NONE ? engine_outcome_name(o)
	         : engine_analysis(a->e)->deadlock ? "deadlock" : _("not ended"));
	a->v.kept = &a->br;
	a->v.runs_shown = a->view_br < 0 ? 0 : a->br.n - a->view_br;
	a->v.runs_sel = (a->v.runs_shown + 1) % (a->br.n + 1);
	a->v.overlay = UI_OV_RUNS;
	a->dirty = 1;
}

/* The run chosen in the list: row 0 the live one, row k the k-th newest. */
static void show_run(struct app *a, int row)
{
	if (a->view_br >= 0) /* the run shown until now is put aside */
		travel_rest(&a->br.k[a->view_br].tr);
	a->view_br = row <= 0 || row > a->br.n ? -1 : a->br.n - row;
	if (a->view_br >= 0) {
		travel_end(&a->br.k[a->view_br].tr);
		past_enter(a);
	} else {
		travel_now(&a->tr);
	}
	a->dirty = 1;
}

/* d: where the kept run shown and the live run part, and that step of
 * the kept run on screen (the step before it is where a class chose). */
static void diff_branch(struct app *a)
{
	if (a->view_br < 0) {
		status(a, TH_HINT, "%s", _("d compares a kept run with the live one: v shows one first"));
		return;
	}
	struct kept_run *k = &a->br.k[a->view_br];
	if (k->scene != a->eo.scene) {
		status(a, TH_HINT, _("%.*s ran %s, the live run %s: d compares runs of one scene"),
		       (int)strcspn(k->label, ":"), k->label, k->scene->id, a->eo.scene->id);
		return;
	}
	uint64_t step;
	int wk, wl;
	if (travel_part(&k->tr, &a->tr, &step, &wk, &wl) != 0) {
		status(a, TH_HINT, "%s", _("the two runs take the same steps"));
		return;
	}
	long mo = travel_moment_of_step(&k->tr, step);
	if (mo >= 0)
		travel_to(&k->tr, (size_t)mo);
	else /* it ended before that step: its end is what it has there */
		travel_end(&k->tr);
	const struct model *lm = engine_model(a->e);
	char run[64];
	snprintf(run, sizeof run, "%.*s", (int)strcspn(k->label, ":"), k->label);
	status(a, TH_HINT, _("they part at step %llu: %s moved in %.*s, %s in the live run"),
	       (unsigned long long)step, wk >= 0 ? model_worker_name(&k->tr.m, wk) : _("nobody"),
	       (int)strlen(run), run, wl >= 0 ? model_worker_name(lm, wl) : _("nobody"));
	/* the two states there, side by side: what --diff prints */
	struct model ma, mb;
	model_init(&ma);
	model_init(&mb);
	char ha[200], hb[200];
	enum ls_outcome lo = engine_outcome(a->e);
	uint64_t sa, sb; /* a run that never settled that step shows its end */
	int ok = travel_model_at_step(&k->tr, step, &ma, &sa) == 0 &&
	         travel_model_at_step(&a->tr, step, &mb, &sb) == 0;
	if (ok) {
		snprintf(ha, sizeof ha, _("%s (shown at step %llu)"), k->label, (unsigned long long)sa);
		snprintf(hb, sizeof hb, _("the live run: %llu steps, %s (shown at step %llu)"),
		         (unsigned long long)lm->steps,
		         lo != LS_OUT_NONE ? engine_outcome_name(lo)
		         : engine_analysis(a->e)->deadlock ? "deadlock" : _("not ended"),
		         (unsigned long long)sb);
	}
	if (ok && ui_diff_set(&a->diff, &ma, &mb, a->v.status, ha, hb) == 0) {
		a->v.diff = &a->diff;
		a->v.overlay = UI_OV_DIFF;
		a->v.overlay_scroll = 0;
	}
	model_free(&ma);
	model_free(&mb);
}

/* The live run is left (a branch begins, or the scene starts again):
 * it is kept, to come back to with v, whether or not it was recorded. */
static void keep_run(struct app *a, enum kept_why why)
{
	const char *out = engine_outcome(a->e) != LS_OUT_NONE ? engine_outcome_name(engine_outcome(a->e))
	                  : engine_analysis(a->e)->deadlock ? "deadlock" : "stopped";
	int dropped = a->br.dropped;
	if (!branches_keep(&a->br, &a->tr, &a->tl, a->eo.scene, a->eo.params, a->run_no, why, out))
		return; /* nothing to look back at: the caller starts afresh anyway */
	if (travel_init(&a->tr, 0) != 0)
		term_fatal("%s", _("out of memory"));
	timeline_init(&a->tl);
	if (a->br.dropped > dropped)
		status(a, TH_HINT, _("the oldest kept runs were let go: the kept runs hold over %zu MiB"),
		       a->br.limit >> 20);
}

/* A worker's key while looking back at step k: threads cannot be un-run,
 * so the scene starts again, is re-driven through steps 1..k as recorded
 * (a controlled run reaches the same states), then the chosen worker
 * moves: the other choice, on real threads. */
static void branch(struct app *a, int id)
{
	char why[256];
	struct travel *t = vtr(a);
	char *sched = travel_schedule(t, t->step, why, sizeof why);
	if (!sched) {
		status(a, TH_HINT, "%s", why);
		return;
	}
	if (!model_eligible(&t->m, id)) { /* it could not have moved then */
		free(sched);
		status(a, TH_HINT, "%s", sched_why_not(&t->m, id, why, sizeof why));
		return;
	}
	char name[LS_NAME_MAX];
	snprintf(name, sizeof name, "%s", model_worker_name(&t->m, id));
	/* the run viewed may be a kept run of another scene, or parameters */
	const struct ls_scene *sc = a->view_br >= 0 ? a->br.k[a->view_br].scene : a->eo.scene;
	long params[LS_PARAMS_MAX];
	memcpy(params, a->view_br >= 0 ? a->br.k[a->view_br].params : a->eo.params, sizeof params);
	if (sc->flags & LS_SCENE_FREE_RUN) {
		free(sched);
		status(a, TH_HINT, "%s", _("this scene measures real time: it cannot be stepped"));
		return;
	}
	free(a->branch_sched);
	a->branch_sched = sched;
	a->branch_worker = id;
	a->branch_step = t->step;
	if (a->view_br >= 0) /* the kept run shown is put aside */
		travel_rest(&a->br.k[a->view_br].tr);
	keep_run(a, KEPT_BRANCH); /* t may be a kept run: nothing of it is used below */
	a->view_br = -1;
	travel_now(&a->tr);
	a->v.run = UI_PAUSED;
	if (a->branch_step == 0) { /* nothing to re-drive */
		free(a->branch_sched);
		a->branch_sched = NULL;
	}
	a->eo.scene = sc; /* its parameters too: start_scene keeps them for the same scene */
	memcpy(a->eo.params, params, sizeof params);
	restart(a, sc);
	if (a->branch_step == 0)
		status(a, TH_HINT, _("starting again, then %s moves first (v shows the run before)"), name);
	else
		status(a, TH_HINT, _("re-running steps 1-%llu, then %s moves (v shows the run before)"),
		       (unsigned long long)a->branch_step, name);
	if (a->eo.record && a->branch_step == 0)
		status(a, TH_HINT, _("starting again, then %s moves first (recorded in %s)"), name,
		       a->eo.record);
	else if (a->eo.record)
		status(a, TH_HINT, _("re-running steps 1-%llu, then %s moves (recorded in %s)"),
		       (unsigned long long)a->branch_step, name, a->eo.record);
}

/* u: a fix at the same moment. The same scene with other parameters re-runs
 * the steps taken so far (up to the moment on screen) in the variant, as a
 * branch re-drives them, then waits: the class sees the same moment with
 * the fix, or the step where the fix goes another way. Another scene starts
 * from its beginning. */
static void open_fix(struct app *a, int k)
{
	struct ui_fix fx[UI_FIX_MAX];
	int n = ui_fixes(&a->ctx, fx, UI_FIX_MAX);
	if (k < 0 || k >= n)
		return;
	const struct ui_fix *f = &fx[k];
	struct travel *t = vtr(a);
	uint64_t step = t->on ? t->step : engine_model(a->e)->steps;
	char why[256], *sched = NULL;
	if (f->sc == a->eo.scene && step > 0 && !free_run(a)) {
		sched = travel_schedule(t, step, why, sizeof why);
		if (!sched)
			status(a, TH_HINT, "%s", why);
	}
	if (a->view_br >= 0) /* the kept run shown is put aside */
		travel_rest(&a->br.k[a->view_br].tr);
	if (a->e && !a->replay) /* v shows the run without the fix, under its own parameters */
		keep_run(a, KEPT_BRANCH);
	a->view_br = -1;
	travel_now(&a->tr);
	a->v.run = UI_PAUSED;
	free(a->branch_sched);
	a->branch_sched = sched;
	a->branch_worker = -1;
	a->fixing = sched != NULL;
	memcpy(a->eo.params, f->params, sizeof a->eo.params);
	a->eo.scene = f->sc; /* start_scene keeps the parameters of the scene it is given */
	char label[160];
	snprintf(label, sizeof label, "%s", f->label);
	restart(a, f->sc);
	if (a->fixing)
		status(a, TH_HINT, _("%s: re-running steps 1-%llu in it..."), label,
		       (unsigned long long)step);
	else if (!sched)
		status(a, TH_HINT, _("%s: from its start"), label);
}

/* e: the run shown so far, from its history, as Chrome trace-event JSON.
 * The user types the file's name (a fresh <scene>-N.trace.json in the
 * current directory is offered); an existing file is replaced only once
 * the user says so; any failure is one line on the status line. */
struct export_ctx {
	struct trace *tr;
};

static void export_one(void *ud, const struct model *m, const struct ls_event *ev)
{
	trace_event(((struct export_ctx *)ud)->tr, m, ev);
}

static void export_trace(struct app *a)
{
	char path[256];
	const struct ls_scene *sc = a->view_br >= 0 ? a->br.k[a->view_br].scene : a->eo.scene;
	for (int k = 1; k < 1000; k++) { /* offer a name no export has taken */
		snprintf(path, sizeof path, "%s-%d.trace.json", sc->id, k);
		for (char *p = path; *p; p++)
			if (*p == '/') /* py/NAME: a file here, not a directory */
				*p = '-';
		if (access(path, F_OK) != 0)
			break;
	}
	prompt_open(&a->prompt, _("export the trace to (Enter writes, Esc cancels):"), path);
	a->dirty = 1;
}

static void export_write(struct app *a, const char *path, int replace)
{
	char err[1024];
	struct export_ctx x = {trace_create(path, replace, err, sizeof err)};
	if (!x.tr) {
		status(a, TH_ALARM, "%s", err);
		return;
	}
	struct model m;
	model_init(&m);
	history_each(vtr(a)->h, 0, history_len(vtr(a)->h), &m, export_one, &x);
	int r = trace_close(x.tr, &m, err, sizeof err);
	model_free(&m);
	if (r != 0)
		status(a, TH_ALARM, "%s", err);
	else
		status(a, TH_HINT, _("trace written to %s: open it in ui.perfetto.dev"), path);
}

/* A key while the name is typed. */
static void export_key(struct app *a, int key, int keycode)
{
	struct ui_prompt *p = &a->prompt;
	enum prompt_act act = prompt_key(p, key, keycode);
	a->dirty = 1;
	if (act == PROMPT_STAY || act == PROMPT_NO)
		return;
	if (act == PROMPT_CANCEL) {
		prompt_close(p);
		status(a, TH_HINT, "%s", _("nothing exported"));
		return;
	}
	char path[1200];
	if (strncmp(p->text, "~/", 2) == 0 && getenv("HOME")) /* as a shell would */
		snprintf(path, sizeof path, "%s%s", getenv("HOME"), p->text + 1);
	else
		snprintf(path, sizeof path, "%s", p->text);
	if (!path[0]) {
		prompt_close(p);
		status(a, TH_HINT, "%s", _("no file name: nothing exported"));
		return;
	}
	struct stat st;
	if (!p->confirming && stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			prompt_close(p);
			status(a, TH_ALARM, _("%s is not a regular file: nothing exported"), p->text);
			return;
		}
		char q[400];
		snprintf(q, sizeof q, _("%s exists: replace it? (y/n, Esc cancels)"), p->text);
		prompt_confirm(p, q);
		return;
	}
	int replace = p->confirming;
	prompt_close(p);
	export_write(a, path, replace);
}

/* ---- playing a recording (--replay) ---- */

static void play(struct app *a, int on)
{
	a->playing = on && a->tr.on;
	if (a->playing) {
		ev_timer_set(&a->play_w, 0., delays_us[a->v.speed] / 1e6 + 0.02);
		ev_timer_again(a->loop, &a->play_w);
	} else {
		ev_timer_stop(a->loop, &a->play_w);
	}
	a->v.run = a->playing ? UI_RUNNING : UI_PAUSED;
	a->dirty = 1;
}

static void play_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct app *a = w->data;
	if (travel_forward(&a->tr) != 0 || !a->tr.on)
		play(a, 0); /* the end of the recording */
	a->dirty = 1;
}

static void replay_key(struct app *a, enum km_action act)
{
	switch (act) {
	case KM_RUN_PAUSE:
		if (!a->tr.on && !a->playing) /* at the end: play from the start */
			travel_to(&a->tr, 0);
		play(a, !a->playing);
		break;
	case KM_STEP:
	case KM_BACK:
	case KM_NEXT_MARK:
	case KM_PREV_MARK:
	case KM_NOW:
		play(a, 0);
		past_move(a, act);
		break;
	case KM_RESTART:
		play(a, 0);
		travel_to(&a->tr, 0);
		break;
	case KM_FASTER:
	case KM_SLOWER: {
		int sp = a->v.speed + (act == KM_FASTER ? 1 : -1);
		if (sp >= 1 && sp <= 9)
			a->v.speed = sp;
		play(a, a->playing);
		break;
	}
	default:
		status(a, TH_HINT, "%s", _("a recording: nothing runs (space plays, s and b step, q quits)"));
		break;
	}
	a->dirty = 1;
}

/* ---- the send-signal menu ---- */

static void signal_menu(struct app *a)
{
	struct ui_sigmenu *s = &a->v.sig;
	if (engine_outcome(a->e) != LS_OUT_NONE) {
		status(a, TH_HINT, "%s", _("the scene has ended: r restarts it"));
		return;
	}
	memset(s, 0, sizeof *s);
	s->targets[s->ntargets++] = -1;
	const struct model *m = engine_model(a->e);
	for (int i = 0; i < m->nw && s->ntargets < UI_SIG_TARGETS; i++)
		if (engine_can_signal(a->e, i))
			s->targets[s->ntargets++] = i;
	a->v.overlay = UI_OV_SIGNAL;
	a->dirty = 1;
}

static void signal_send(struct app *a)
{
	struct ui_sigmenu *s = &a->v.sig;
	int sig = ui_menu_signals[s->sel];
	char why[256] = "";
	a->v.overlay = UI_OV_NONE;
	if (s->target < 0) {
		snprintf(a->sig_group_line, sizeof a->sig_group_line,
		         _("user sent %s to the group (as the terminal's keyboard does)"),
		         describe_signal(sig));
		a->sig_group = 1;
	}
	if (engine_send_signal(a->e, s->target, sig, why, sizeof why) != 0)
		status(a, TH_ALARM, _("%s not sent: %s"), describe_signal(sig), why);
	a->sig_group = 0;
	a->dirty = 1;
}

/* ---- scrolling and focus ---- */

static int scroll_max(struct app *a, int pane)
{
	const struct rect *r = &a->ctx.lay.r[pane];
	int rows = r->h - 2;
	if (pane == PANE_LOG) {
		uint64_t n = a->v.nlog < UI_LOG_N ? a->v.nlog : UI_LOG_N;
		return n > (uint64_t)rows ? (int)(n - (uint64_t)rows) : 0;
	}
	if (pane == PANE_NARRATION || pane == PANE_WORKERS)
		return pane == PANE_WORKERS ? pane_workers_scroll_max(&a->ctx) : pane_narration_scroll_max(&a->ctx);
	const struct model *m = engine_model(a->e);
	int n = pane == PANE_WORKERS ? m->nw : m->no;
	return n > rows - 1 ? n - rows + 1 : 0;
}

static void scroll_by(struct app *a, int lines)
{
	int p = a->v.focus;
	if (!a->ctx.lay.shown[p])
		return;
	int back = p == PANE_LOG; /* counted from the newest */
	int s = a->v.scroll[p] + (back ? -lines : lines);
	int max = scroll_max(a, p);
	a->v.scroll[p] = s < 0 ? 0 : s > max ? max : s;
	a->dirty = 1;
}

static void focus_next(struct app *a, int dir)
{
	for (int k = 1; k < PANE_COUNT; k++) {
		int p = (a->v.focus + dir * k + PANE_COUNT) % PANE_COUNT;
		if (ui_focusable(&a->ctx, p)) {
			a->v.focus = p;
			break;
		}
	}
	a->dirty = 1;
}

static int page(struct app *a)
{
	int h = a->ctx.lay.r[a->v.focus].h - 3;
	return h > 1 ? h : 1;
}

/* ---- keys and mouse ---- */

/* Do what an overlay's key or click asked (ui.h, struct overlay_ops). */
static void overlay_act(struct app *a, enum ui_ov_act act)
{
	switch (act) {
	case UI_OV_STAY:
		break;
	case UI_OV_CLOSE:
		a->v.overlay = UI_OV_NONE;
		break;
	case UI_OV_START_SCENE: {
		a->v.overlay = UI_OV_NONE;
		const struct ls_scene *sc = a->ao->catalog->scenes[a->v.picker_sel];
		if (!(sc->flags & LS_SCENE_FREE_RUN) && a->v.run == UI_RUNNING && sc != a->eo.scene)
			a->v.run = UI_PAUSED; /* a new scene starts paused */
		if (a->v.picker_params_of == a->v.picker_sel) { /* with the parameters chosen there */
			memcpy(a->eo.params, a->v.picker_params, sizeof a->eo.params);
			a->eo.scene = sc;
		}
		restart(a, sc);
		break;
	}
	case UI_OV_SEND_SIGNAL:
		signal_send(a);
		break;
	case UI_OV_SHOW_RUN:
		a->v.overlay = UI_OV_NONE;
		show_run(a, a->v.runs_sel);
		break;
	case UI_OV_PREDICTED:
		a->v.overlay = UI_OV_NONE;
		step(a, -1);
		break;
	case UI_OV_OPEN_FIX:
		a->v.overlay = UI_OV_NONE;
		open_fix(a, a->v.fix_sel);
		break;
	case UI_OV_LOAD_SCHEDULE: /* the scene again, paused: s steps the schedule */
		a->v.overlay = UI_OV_NONE;
		a->view_br = -1;
		travel_now(&a->tr);
		if (a->v.run != UI_PAUSED)
			a->v.run = UI_PAUSED;
		restart(a, a->eo.scene);
		explore_sync(a);
		break;
	}
	if (a->e && a->v.overlay == UI_OV_NONE)
		classroom_update(a); /* a challenge just picked may be met already */
	a->dirty = 1;
}

static int follow_key(struct app *a, enum km_action act);

static void key_main(struct app *a, int key)
{
	int arg = 0;
	enum km_action act = km_lookup(key, KM_MAIN, &arg);
	if (a->att && follow_key(a, act))
		return;
	if (a->replay && act != KM_QUIT && act != KM_HELP && act != KM_FOCUS && act != KM_GRAPH &&
	    act != KM_CONDITIONS && act != KM_TIMELINE && act != KM_EXPORT && act != KM_TL_BACK &&
	    act != KM_TL_FORWARD && act != KM_TL_ZOOM && act != KM_TL_AXIS && act != KM_WHY &&
	    act != KM_ZOOM &&
	    (act < KM_UP || act > KM_END)) {
		replay_key(a, act);
		return;
	}
	if (act == KM_BRANCHES && !a->replay) {
		switch_branch(a);
		return;
	}
	if (act == KM_DIFF && !a->replay) {
		diff_branch(a);
		return;
	}
	if (vtr(a)->on || act == KM_BACK || act == KM_PREV_MARK || act == KM_NEXT_MARK ||
	    act == KM_NOW) {
		switch (act) {
		case KM_BACK: case KM_STEP: case KM_NEXT_MARK: case KM_PREV_MARK: case KM_NOW:
			past_move(a, act);
			return;
		case KM_STEP_WORKER: {
			int id = km_worker_for_digit(&vtr(a)->m, arg);
			if (id < 0)
				status(a, TH_HINT, _("no worker has the key %d"), arg);
			else
				branch(a, id);
			return;
		}
		case KM_RUN_PAUSE: case KM_SCENE_KEY: case KM_SIGNAL:
			status(a, TH_HINT, "%s", _("looking back: the scene waits; press . for now"));
			return;
		default:
			break;
		}
	}
	switch (act) {
	case KM_RUN_PAUSE: run_pause(a); break;
	case KM_STEP: step(a, -1); break;
	case KM_STEP_WORKER: {
		int id = km_worker_for_digit(engine_model(a->e), arg);
		if (id < 0)
			status(a, TH_HINT, _("no worker has the key %d"), arg);
		else
			step_worker(a, id);
		break;
	}
	case KM_FASTER: speed(a, +1); break;
	case KM_SLOWER: speed(a, -1); break;
	case KM_RESTART: restart(a, a->eo.scene); break;
	case KM_SCENES: {
		a->v.overlay = UI_OV_PICKER;
		a->v.picker_sel = 0;
		a->v.picker_params_of = -1;
		a->v.picker_edit = -1;
		const struct catalog *c = a->ao->catalog;
		for (int i = 0; c && i < c->n; i++)
			if (c->scenes[i] == a->eo.scene)
				a->v.picker_sel = i;
		break;
	}
	case KM_SCENE_KEY: scene_key(a); break;
	case KM_SIGNAL: signal_menu(a); break;
	case KM_CHALLENGES:
		a->v.overlay = UI_OV_CHALLENGES;
		a->v.cls.sel = a->v.cls.active >= 0 ? a->v.cls.active : 0;
		break;
	case KM_PREDICT: predict(a, 0); break;
	case KM_EXPLORE:
	case KM_MAP:
		if (free_run(a)) {
			status(a, TH_HINT, "%s", _("this scene measures real time: it has no schedules to explore"));
			break;
		}
		xui_open(a->eo.scene, a->eo.params, act == KM_MAP);
		a->v.overlay = UI_OV_EXPLORE;
		break;
	case KM_FOCUS: focus_next(a, key == '\t' ? 1 : -1); break;
	case KM_UP: scroll_by(a, -1); break;
	case KM_DOWN: scroll_by(a, 1); break;
	case KM_PAGE_UP: scroll_by(a, -page(a)); break;
	case KM_PAGE_DOWN: scroll_by(a, page(a)); break;
	case KM_HOME: scroll_by(a, -1000000); break;
	case KM_END: scroll_by(a, 1000000); break;
	case KM_HELP: a->v.overlay = UI_OV_HELP; a->v.overlay_scroll = 0; break;
	case KM_GRAPH: a->v.show_graph = !a->v.show_graph; a->kern_tries = 4; break;
	case KM_CONDITIONS: a->v.show_conds = !a->v.show_conds; break;
	case KM_WHY: ui_why_open(&a->ctx, &a->v); break;
	case KM_ZOOM: a->v.zoom = !a->v.zoom; break;
	case KM_FIX: a->v.overlay = UI_OV_FIX; a->v.fix_sel = 0; break;
	case KM_TIMELINE: a->show_tl = !a->show_tl; break;
	case KM_TL_BACK:
	case KM_TL_FORWARD:
	case KM_TL_ZOOM:
	case KM_TL_AXIS: timeline_key(a, act); break;
	case KM_EXPORT: export_trace(a); break;
	case KM_QUIT: quit(a, 0); break;
	default: break;
	}
	pace(a); /* every key that leaves slow motion (s, a digit, space) stops its steps */
	a->dirty = 1;
}

static void mouse(struct app *a)
{
	MEVENT me;
	if (getmouse(&me) != OK)
		return;
	if (me.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) { /* the wheel scrolls what it is over */
		int p = layout_hit(&a->ctx.lay, me.y, me.x);
		if (a->v.overlay == UI_OV_NONE && p >= 0 && ui_focusable(&a->ctx, p)) {
			a->v.focus = p;
			scroll_by(a, me.bstate & BUTTON4_PRESSED ? -3 : 3);
		}
		return;
	}
	/* A click acts on the press. When press and release arrive together
	 * curses may report only the release: then the release is the click. */
	int press = (me.bstate & BUTTON1_PRESSED) != 0;
	int release = (me.bstate & BUTTON1_RELEASED) != 0;
	int was_down = a->mouse_down;
	a->mouse_down = press && !release;
	if (!press && !(release && !was_down))
		return;
	if (a->ctx.lay.too_small)
		return;
	const struct overlay_ops *ov = ui_overlay_of(&a->v);
	if (ov) {
		overlay_act(a, ov->on_click(&a->ctx, &a->v, me.y, me.x));
		return;
	}
	int p = layout_hit(&a->ctx.lay, me.y, me.x);
	if (p >= 0 && ui_focusable(&a->ctx, p))
		a->v.focus = p;
	if (p == PANE_WORKERS && !(a->att && !a->forked)) { /* a click on a worker is its key */
		int id = pane_workers_hit(&a->ctx, me.y);
		if (id < 0)
			;
		else if (a->replay)
			status(a, TH_HINT, "%s", _("a recording: nothing runs (space plays, s and b step, q quits)"));
		else if (vtr(a)->on)
			branch(a, id); /* the worker of the moment shown */
		else
			step_worker(a, id);
	}
	a->dirty = 1;
}

static void resize(struct app *a)
{
	term_resize(&a->rows, &a->cols);
	a->dirty = 1;
}

static void input_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct app *a = w->data;
	WINDOW *in = term_input();
	wint_t ch;
	int r, got = 0;
	/* drain: curses keeps keys of its own that this watcher cannot see */
	while ((r = wget_wch(in, &ch)) != ERR) {
		got = 1;
		if (a->v.status[0]) {
			a->v.status[0] = '\0';
			a->dirty = 1;
		}
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			resize(a);
		else if (a->prompt.on) /* a name being typed takes every key, the mouse is idle */
			r == KEY_CODE_YES && ch == KEY_MOUSE ? (void)getmouse(&(MEVENT){0})
			                                     : export_key(a, (int)ch, r == KEY_CODE_YES);
		else if (r == KEY_CODE_YES && ch == KEY_MOUSE)
			mouse(a);
		else if (ui_overlay_of(&a->v))
			overlay_act(a, ui_overlay_of(&a->v)->on_key(&a->ctx, &a->v, (int)ch));
		else
			key_main(a, (int)ch);
	}
	/* readable but nothing to read, again and again: the terminal is gone */
	a->idle_reads = got ? 0 : a->idle_reads + 1;
	if (a->idle_reads > 20)
		quit(a, 1);
}

/* ---- signals ---- */

static void signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct app *a = w->data;
	switch (w->signum) {
	case SIGWINCH: resize(a); break;
	case SIGTSTP: {
		int running = ev_is_active(&a->clock_w);
		clock_run(a, 0); /* time stopped is not running time */
		/* the group lockstep forked, never a pid read off the bus; a
		 * recording has none */
		term_suspend(a->replay ? 0 : engine_host_pgid(a->e));
		clock_run(a, running);
		resize(a);
		break;
	}
	case SIGCONT:
		/* stopped from outside (kill -STOP, then fg): the shell has put
		 * its own modes on the terminal; take ours back */
		term_continued();
		resize(a);
		a->dirty = 1;
		break;
	default: quit(a, 128 + w->signum); break;
	}
}

/* ---- drawing ---- */

static void build_ctx(struct app *a)
{
	struct ui_ctx *c = &a->ctx;
	c->m = engine_model(a->e);
	c->an = engine_analysis(a->e);
	c->kv = engine_kernel_view(a->e);
	c->v = &a->v;
	c->th = &a->th;
	c->scene = a->eo.scene;
	c->cat = a->ao->catalog;
	c->out = engine_outcome(a->e);
	c->err = engine_error(a->e);
	c->free_run = free_run(a);
	c->waits_user = engine_waits_for_user(a->e);
	c->settled = engine_settled(a->e);
	c->next_worker = engine_next(a->e);
	c->ascii = text_ascii();
	c->rows = a->rows;
	c->cols = a->cols;
	c->looking_back = a->replay ? 2 : vtr(a)->on;
	c->params = a->replay ? NULL : a->eo.params;
	c->strip = xui_strip() && !vtr(a)->on && !a->replay; /* its row, under an overlay too */
	c->net = NULL;
	c->attached = a->att != NULL;
	c->follower = a->att && !a->forked;
	if (a->srv) {
		snprintf(a->net, sizeof a->net, PL_("%d viewer", "%d viewers", a->nviewers), a->nviewers);
		if (a->nviewers == 0) { /* until the first comes, what students type stays shown */
			size_t l = strlen(a->net);
			snprintf(a->net + l, sizeof a->net - l, ": %s", serve_attach_command(a->srv));
		}
		c->net = a->net;
	} else if (a->att) {
		if (a->forked)
			snprintf(a->net, sizeof a->net, "%s", _("private copy (n follows again)"));
		else if (a->att_lost)
			snprintf(a->net, sizeof a->net, "%s", _("not following: the stream stopped"));
		else
			snprintf(a->net, sizeof a->net, _("following %s"), attach_where(a->att));
		c->net = a->net;
		if (!a->forked) { /* the teacher's mode and time, not this lockstep's */
			a->v.run = c->m->mode == LS_MODE_RUN ? UI_RUNNING : UI_PAUSED;
			a->v.elapsed_s = a->tr.t_last > a->tr.t_first
			                 ? (long)((a->tr.t_last - a->tr.t_first) / 1000000000ull) : 0;
		}
	}
	if (vtr(a)->on) { /* every pane shows the moment viewed */
		struct travel *t = vtr(a);
		a->pv = a->v;
		a->pv.log = t->log;
		a->pv.nlog = t->nlog;
		c->v = &a->pv;
		c->m = &t->m;
		c->an = &t->an;
		c->kv = NULL; /* the kernel was read now, not then */
		c->out = LS_OUT_NONE;
		c->err = "";
		c->waits_user = 0;
		c->settled = 1;
		c->next_worker = t->next_worker;
	}
	ui_layout(c);
	if (!ui_focusable(c, a->v.focus))
		a->v.focus = PANE_WORKERS;
}

/* The kernel's view is read only for a frame that shows it, at most four
 * times a second (less with more than 64 workers). A reading taken too soon after the last, or that caught a
 * worker still on its way into a wait, is retried by a one-shot timer a few
 * times after each change, never periodically: an idle lockstep sleeps. */
static void kernel_view_read(struct app *a)
{
	if (a->ctx.lay.too_small || !a->ctx.lay.shown[PANE_WORKERS])
		return;
	const struct kview *kv = engine_kernel_view(a->e);
	uint64_t before = kv->taken_ns;
	/* two small reads of /proc per worker, only for the rows on screen: a
	 * crowd of a thousand costs what its visible rows cost, and never
	 * stalls a frame; a scroll shows other rows, which are read at once */
	int lo, hi;
	pane_workers_shown(&a->ctx, &lo, &hi);
	kv = engine_kernel_refresh(a->e, 250000000ull, lo, hi);
	int stale = kv->taken_ns == before || ui_kernel_pending(a->ctx.m, kv);
	if (stale && a->kern_tries > 0 && engine_outcome(a->e) == LS_OUT_NONE &&
	    !ev_is_active(&a->kern_w)) {
		a->kern_tries--;
		ev_timer_set(&a->kern_w, 0.3, 0.);
		ev_timer_start(a->loop, &a->kern_w);
	}
}

static void kern_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct app *a = w->data;
	a->dirty = 1;
}

static uint64_t ui_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The frame log (LOCKSTEP_FRAME_LOG, for the benchmark): per frame, its
 * start and end (f), the step and record count it showed (s), the CPU the
 * frame took and the UI's CPU so far (c), and when each record it drew
 * arrived, with the number of the frame's records that line stands for
 * (e: every record, or a uniform sample of UNDRAWN_MAX). */
static void frame_logged(struct app *a, uint64_t start, uint64_t cpu_start)
{
	uint64_t end = engine_now_ns(), cpu = ui_cpu_ns();
	fprintf(a->frame_log, "f %llu %llu\n", (unsigned long long)start, (unsigned long long)end);
	fprintf(a->frame_log, "c %llu %llu\n", (unsigned long long)(cpu - cpu_start),
	        (unsigned long long)cpu);
	const struct model *m = engine_model(a->e); /* what the frame showed: its step */
	fprintf(a->frame_log, "s %llu %llu\n", (unsigned long long)m->steps, (unsigned long long)m->events);
	/* each logged record stands for nseen / nundrawn of the frame's */
	double weight = a->nundrawn ? (double)a->nseen / (double)a->nundrawn : 1;
	for (size_t i = 0; i < a->nundrawn; i++)
		fprintf(a->frame_log, "e %llu %llu %.3f\n", (unsigned long long)a->undrawn[i],
		        (unsigned long long)end, weight);
	a->nundrawn = 0;
	a->nseen = 0;
}

static void draw_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct app *a = w->data;
	if (!a->dirty)
		return;
	ev_tstamp now = ev_time();
	double frame_s = a->eager_off ? FRAME_FULL_S : FRAME_S;
	double credit = a->frame_credit + (now - a->last_frame) / frame_s;
	if (credit > FRAME_BURST)
		credit = FRAME_BURST;
	if (credit < 1) {
		if (!ev_is_active(&a->frame_w)) {
			ev_timer_set(&a->frame_w, (1 - credit) * frame_s, 0.);
			ev_timer_start(loop, &a->frame_w);
		}
		return;
	}
	a->dirty = 0;
	a->frame_credit = credit - 1;
	a->last_frame = now;
	uint64_t start = a->frame_log ? engine_now_ns() : 0;
	uint64_t cpu_start = a->frame_log ? ui_cpu_ns() : 0;
	follow_analysis(a); /* a free run's analysis: of the model drawn now */
	log_catch_up(a);
	a->frame_records = 0;
	build_ctx(a);
	kernel_view_read(a);
	ui_frame(&a->ctx);
	if (a->show_tl && a->v.overlay == UI_OV_NONE) {
		/* live: the column being made, or once a step has settled, its own */
		const struct timeline *tl = vtl(a);
		uint32_t end = tl->now;
		if (vtr(a)->on && vtr(a)->cur < travel_moments(vtr(a)))
			end = (uint32_t)vtr(a)->cur; /* moment i is column i */
		else if (end > 0 && (a->view_br >= 0 ||
		                     (engine_mode(a->e) == LS_MODE_STEP && engine_settled(a->e))))
			end--;
		struct tl_window win = {end, !vtr(a)->on, a->tl_zoom, a->tl_scroll, tl_wall(a)};
		ui_timeline_draw(&a->ctx, tl, &win);
	}
	if (xui_strip() && a->v.overlay == UI_OV_NONE && !vtr(a)->on && !a->replay)
		xui_strip_draw(&a->ctx, a->rows - 2 - (a->show_tl ? ui_timeline_height(&a->ctx) : 0));
	if (vtr(a)->on || a->replay) {
		char b[256], line[512];
		if (a->replay)
			snprintf(line, sizeof line, _("recording %s: %s%s (space plays, s b step, . the end)"),
			         a->replay, travel_position(&a->tr, b, sizeof b),
			         a->playing ? _(", playing") : "");
		else if (a->view_br >= 0) {
			const struct kept_run *k = &a->br.k[a->view_br];
			char lab[200];
			if (k->scene != a->eo.scene) /* the live run is another scene's */
				snprintf(lab, sizeof lab, _("%s of %s"), k->label, k->scene->id);
			else
				snprintf(lab, sizeof lab, "%s", k->label);
			snprintf(line, sizeof line,
			         k->why == KEPT_BRANCH ? _("%s, kept when a branch began: %s (v next, . the live run)")
			                               : _("%s, kept at a restart: %s (v next, . the live run)"),
			         lab, travel_position(vtr(a), b, sizeof b));
		}
		else
			snprintf(line, sizeof line, "%s", travel_banner(&a->tr, b, sizeof b));
		ui_banner_draw(&a->ctx, line);
	}
	prompt_draw(&a->ctx, &a->prompt);
	/* An overlay opened or closed: curses compares cells, and a box edge
	 * drawn over half of a wide character (Chinese text) leaves a cell it
	 * believes unchanged once the box is gone; the whole screen is sent
	 * again then, once per overlay change, never per frame. */
	int layer = (int)a->v.overlay * 4 + (a->prompt.on ? 2 : 0) + (vtr(a)->on || a->replay);
	if (layer != a->last_layer) {
		clearok(curscr, TRUE);
		a->last_layer = layer;
	}
	term_update();
	a->frames++;
	if (a->frame_log)
		frame_logged(a, start, cpu_start);
	if (a->ao->max_frames > 0) {
		if (a->frames >= a->ao->max_frames)
			quit(a, 0);
		else { /* keep drawing: tests and sanitizers end by themselves */
			a->dirty = 1;
			ev_timer_set(&a->frame_w, FRAME_S, 0.);
			ev_timer_start(loop, &a->frame_w);
		}
	}
}

static void frame_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	/* nothing: waking the loop lets draw_cb run */
}

static void explore_changed(void *ud)
{
	((struct app *)ud)->dirty = 1;
}

static void syserr(const char *msg)
{
	term_fatal("libev: %s", msg);
}

/* A recording (--replay): an engine that never starts a scene folds it
 * all, the history keeps every moment; the view opens at its first step,
 * paused. A damaged file shows what came before the damage, and says
 * where on the status line (and on stderr at the end: exit 1). */
static int load_replay(struct app *a, char *err, size_t errlen)
{
	struct rec_file f;
	if (rec_file_open(&f, a->replay, err, errlen) != 0)
		return -1;
	static const struct engine_cb cb = {.event = on_event, .notice = on_notice,
	                                    .settled = on_settled};
	a->e = engine_new(a->loop, &a->eo, &cb, a);
	struct rec_item *it = malloc(sizeof *it);
	if (!a->e || !it) {
		free(it);
		rec_file_close(&f);
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	rec_feed(a->e, &f.rd, it, 0);
	if (f.rd.bad) {
		snprintf(a->replay_err, sizeof a->replay_err, "%s: %s", a->replay, f.rd.err);
		status(a, TH_ALARM, "%s", a->replay_err);
	}
	free(it);
	rec_file_close(&f);
	travel_to(&a->tr, 0);
	a->v.run = UI_PAUSED;
	build_ctx(a);
	a->dirty = 1;
	return 0;
}

/* ---- one lecture, many screens ---- */

static void serve_notice(void *ud, const char *msg)
{
	status(ud, TH_HINT, "%s", msg);
}

static void serve_count(void *ud, int n)
{
	struct app *a = ud;
	a->nviewers = n;
	a->dirty = 1;
}

/* --serve: before the terminal, so a port in use is one line on stderr;
 * the attach command is said there too (it shows again after quitting)
 * and on the status line. */
static int serve_start(struct app *a, const struct app_opts *ao, char *why, size_t n)
{
	static const struct serve_cb cb = {.notice = serve_notice, .viewers = serve_count};
	int usage;
	a->srv = serve_open(a->loop, ao->serve, ao->token, &cb, a, &usage, why, n);
	if (!a->srv) {
		fprintf(stderr, "lockstep: %s\n", why);
		a->rc = usage ? 2 : 8; /* headless.h LS_EXIT_NET */
		return -1;
	}
	fprintf(stderr, _("lockstep: serving; students attach with:\n  %s\n"),
	        serve_attach_command(a->srv));
	a->eo.tap = serve_sink(a->srv);
	status(a, TH_HINT, _("students attach with: %s"), serve_attach_command(a->srv));
	return 0;
}

/* Following: a scene-less engine folds the teacher's stream, as --replay
 * folds a file, but as it comes; every pane shows it live. */
static void follow_item(void *ud, const struct rec_item *it);
static const struct ls_scene *follow_scene(struct app *a, const char *id);

static void follow_reset(struct app *a, const struct ls_scene *sc)
{
	static const struct engine_cb cb = {.event = on_event, .changed = on_changed,
	                                    .settled = on_settled, .notice = on_notice};
	engine_free(a->e); /* a private copy's group, if there was one */
	term_set_scene(0);  /* a crash must not signal a group that is gone */
	a->eo = (struct engine_opts){0};
	a->eo.scene = sc;
	if (travel_reset(&a->tr) != 0)
		term_fatal("%s", _("out of memory"));
	timeline_free(&a->tl);
	timeline_init(&a->tl);
	a->tl_deadlock = a->was_deadlock = 0;
	a->tick_ns = 0;
	a->v.nlog = 0;
	a->v.t0_ns = 0;
	a->lazy = 0;
	a->relog_pos.n = HISTORY_NOWHERE; /* a new history */
	a->eager_off = 0;
	a->frame_records = 0;
	a->npend = 0;
	memset(a->v.scroll, 0, sizeof a->v.scroll);
	a->e = engine_new(a->loop, &a->eo, &cb, a);
	if (!a->e)
		term_fatal("%s", _("out of memory"));
	a->dirty = 1;
}

static void follow_begin(void *ud, const struct rec_header *h)
{
	struct app *a = ud;
	if (a->forked) /* kept in the stream, folded on the way back */
		return;
	follow_reset(a, follow_scene(a, h->scene));
}

static void follow_item(void *ud, const struct rec_item *it)
{
	struct app *a = ud;
	if (a->forked)
		return;
	switch (it->kind) {
	case REC_K_EVENT: engine_replay_event(a->e, &it->ev); break;
	case REC_K_SETTLED: engine_replay_settled(a->e); break;
	case REC_K_NOTICE: engine_replay_notice(a->e, it->text); break;
	case REC_K_END:
		engine_replay_end(a->e, (enum ls_outcome)it->a[0], it->text, (uint64_t)it->a[1],
		                  it->a[2] != 0);
		break;
	default: break;
	}
	a->dirty = 1;
}

static void follow_batch(void *ud)
{
	struct app *a = ud;
	if (!a->forked)
		engine_replay_batch(a->e);
}

static void follow_lost(void *ud, const char *why)
{
	struct app *a = ud;
	a->att_lost = 1;
	status(a, TH_ALARM, _("%s; what came stays on screen (q quits)"), why);
}

/* The scene the teacher runs, for its title, summary and a fork; a
 * stand-in when this lockstep has no such scene (nothing of it runs). */
static const struct ls_scene *follow_scene(struct app *a, const char *id)
{
	static char sid[64];
	static struct ls_scene stand_in;
	const struct ls_scene *sc = a->ao->catalog ? catalog_find(a->ao->catalog, id) : NULL;
	if (sc)
		return sc;
	snprintf(sid, sizeof sid, "%s", id);
	stand_in = (struct ls_scene){.abi = LS_SCENE_ABI, .id = sid, .title = sid, .summary = ""};
	return &stand_in;
}

static int follow_start(struct app *a)
{
	follow_reset(a, a->eo.scene);
	/* what came with the greeting (MQTT's history) is folded now */
	attach_start(a->att);
	engine_replay_batch(a->e);
	a->v.run = UI_PAUSED;
	build_ctx(a);
	return 0;
}

/* f: a private copy at the step shown (re-driving the teacher's recorded
 * schedule on this machine's own threads), or back to following: the
 * stream was kept meanwhile and is folded again from its start. */
static void fork_key(struct app *a)
{
	if (a->forked) {
		a->forked = 0;
		a->rerun_sched = NULL;
		a->rerunning = 0;
		const struct astream *as = attach_stream(a->att);
		follow_reset(a, as->open ? follow_scene(a, as->rd.h.scene) : a->eo.scene);
		astream_refold(as, follow_item, a);
		engine_replay_batch(a->e);
		travel_now(&a->tr);
		status(a, TH_HINT, "%s", _("following the teacher again"));
		return;
	}
	const struct astream *as = attach_stream(a->att);
	if (!as->open) {
		status(a, TH_HINT, "%s", _("nothing to fork yet: the teacher has not started a scene"));
		return;
	}
	const struct rec_header *h = &as->rd.h;
	const struct ls_scene *sc = a->ao->catalog ? catalog_find(a->ao->catalog, h->scene) : NULL;
	if (!sc) {
		status(a, TH_ALARM, _("this lockstep has no scene '%s': it cannot run a copy"), h->scene);
		return;
	}
	struct travel *t = vtr(a);
	uint64_t k = t->on ? t->step : engine_model(a->e)->steps;
	char why[256];
	char *sched = travel_schedule(t, k, why, sizeof why);
	if (!sched) {
		status(a, TH_HINT, "%s", why);
		return;
	}
	struct engine_opts eo = {0};
	eo.scene = sc;
	params_defaults(sc, eo.params);
	for (int i = 0; i < h->nparams; i++)
		if (params_set(sc, eo.params, h->params[i], why, sizeof why) != 0) {
			free(sched);
			status(a, TH_ALARM, "%s", why);
			return;
		}
	a->forked = 1;
	a->eo = eo;
	free(a->branch_sched); /* kept here until the next fork frees it */
	a->branch_sched = sched[0] ? sched : NULL;
	if (!sched[0])
		free(sched);
	a->rerun_sched = a->branch_sched; /* re-driven once, then it is your move */
	a->v.run = UI_PAUSED;
	travel_now(&a->tr);
	restart(a, sc);
	status(a, TH_HINT, _("a private copy: steps 1-%llu as the teacher took them, then yours "
	                     "(n follows the teacher again)"), (unsigned long long)k);
}

/* Keys while attached. Following, the view keys work (panes, scrolling,
 * looking back, the timeline, export) and n forks; what would move the
 * scene is the teacher's. Forked, every key works on the private copy.
 * 1: the key was handled here. */
static int follow_key(struct app *a, enum km_action act)
{
	if (act == KM_FORK) {
		fork_key(a);
		a->dirty = 1;
		return 1;
	}
	if (a->forked)
		return 0;
	switch (act) {
	case KM_RUN_PAUSE: case KM_STEP_WORKER: case KM_FASTER: case KM_SLOWER:
	case KM_RESTART: case KM_SCENES: case KM_SCENE_KEY: case KM_SIGNAL: case KM_BRANCHES:
	case KM_DIFF:
		status(a, TH_HINT, "%s", _("following the teacher: the teacher moves the scene "
		                           "(n: a new private copy to try things)"));
		return 1;
	case KM_STEP:
		if (vtr(a)->on)
			return 0; /* looking back: s moves the view */
		status(a, TH_HINT, "%s", _("following the teacher: the teacher moves the scene "
		                           "(n: a new private copy to try things)"));
		return 1;
	default:
		return 0;
	}
}

/* ---- entry points ---- */

static int follow_start(struct app *a);
static int serve_start(struct app *a, const struct app_opts *ao, char *why, size_t n);

static int app_main_with(const struct engine_opts *eo, const struct app_opts *ao,
                         const char *replay, struct attach *att);

static int app_main(const struct engine_opts *eo, const struct app_opts *ao, const char *replay)
{
	return app_main_with(eo, ao, replay, NULL);
}

static int app_main_with(const struct engine_opts *eo, const struct app_opts *ao,
                         const char *replay, struct attach *att)
{
	char why[256];
	struct app *a = &the_app;
	memset(a, 0, sizeof *a);
	a->replay = replay;
	a->att = att;
	a->branch_worker = -1;
	a->view_br = -1;
	a->tl_zoom = 1;
	a->v.cls.active = -1; /* no challenge until a scene's are loaded (a
	                         recording or a teacher's stream has none) */
	branches_init(&a->br, 0);
	if (travel_init(&a->tr, 0) != 0) {
		fprintf(stderr, "lockstep: %s\n", _("out of memory"));
		return 1;
	}
	if (theme_load(&a->th, ao->theme, why, sizeof why) != 0) {
		if (strcmp(ao->theme, "default") != 0) {
			fprintf(stderr, "lockstep: %s\n", why);
			return 2;
		}
		theme_defaults(&a->th); /* the built-in default still works */
	}
	if (term_check(why, sizeof why) != 0) {
		fprintf(stderr, _("lockstep: the terminal UI needs a terminal: %s.\n"
		                  "Use 'lockstep --headless %s' for JSON lines instead.\n"),
		        why, eo->scene->id);
		return 1;
	}
	a->ao = ao;
	a->eo = *eo;
	a->record = eo->record;
	a->rerun_sched = eo->schedule; /* only --rerun gives the UI a schedule */
	a->eo.schedule = NULL;
	a->log = calloc(UI_LOG_N, sizeof *a->log);
	if (!a->log) {
		fprintf(stderr, "lockstep: %s\n", _("out of memory"));
		return 1;
	}
	a->v.log = a->log;
	/* tests: a sanitizer build folds a few thousand records a second,
	 * never 512 a frame; a smaller number shows the same path */
	const char *eager = getenv("LOCKSTEP_LOG_EAGER");
	a->eager_lines = eager && atoi(eager) > 0 ? (uint64_t)atoi(eager) : EAGER_LINES;
	const char *fl = getenv("LOCKSTEP_FRAME_LOG");
	if (fl && *fl) {
		/* a new file only: never follow a link, never truncate what exists */
		int fd = open(fl, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		a->frame_log = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (fd >= 0 && !a->frame_log)
			close(fd);
		a->undrawn = malloc(UNDRAWN_MAX * sizeof *a->undrawn);
		a->sample_rng = 0x9e3779b97f4a7c15ull;
		if (!a->frame_log || !a->undrawn) {
			fprintf(stderr, "lockstep: LOCKSTEP_FRAME_LOG=%s: %s%s\n", fl, strerror(errno),
			        errno == EEXIST ? _(" (it must name a file that does not exist yet)") : "");
			free(a->log);
			return 1;
		}
	}
	/* paused, space runs freely as the kernel schedules (the first lesson);
	 * - slows it into slow motion (1-5) */
	a->v.speed = ao->speed > 0 ? ao->speed : 6;
	a->v.run = ao->speed > 0 ? UI_RUNNING : UI_PAUSED;
	a->v.focus = PANE_WORKERS;

	a->loop = EV_DEFAULT;
	ev_set_syserr_cb(syserr);
	if (ao->serve && serve_start(a, ao, why, sizeof why) != 0) {
		free(a->log);
		return a->rc;
	}
	/* every ev_signal before curses starts: it then leaves these alone */
	for (int i = 0; i < NSIGW; i++) {
		ev_signal_init(&a->sig_w[i], signal_cb, watched[i]);
		a->sig_w[i].data = a;
		ev_signal_start(a->loop, &a->sig_w[i]);
	}
	if (term_init(why, sizeof why) != 0) {
		fprintf(stderr, "lockstep: %s\n", why);
		free(a->log);
		return 1;
	}
	text_set_ascii(ao->ascii || !term_utf8());
	draw_init(&a->th, term_color(), text_ascii());
	term_resize(&a->rows, &a->cols);

	ev_io_init(&a->in_w, input_cb, STDIN_FILENO, EV_READ);
	a->in_w.data = a;
	ev_io_start(a->loop, &a->in_w);
	ev_prepare_init(&a->draw_w, draw_cb);
	a->draw_w.data = a;
	ev_prepare_start(a->loop, &a->draw_w);
	ev_init(&a->frame_w, frame_cb);
	a->frame_w.data = a;
	ev_init(&a->kern_w, kern_cb);
	a->kern_w.data = a;
	ev_init(&a->clock_w, clock_cb);
	a->clock_w.repeat = 1.0;
	a->clock_w.data = a;
	ev_init(&a->play_w, play_cb);
	a->play_w.data = a;
	ev_init(&a->pace_w, pace_cb);
	a->pace_w.data = a;
	xui_init(a->loop, explore_changed, a);

	int started = replay ? load_replay(a, why, sizeof why)
	              : a->att ? follow_start(a)
	              : start_scene(a, eo->scene, 0, why, sizeof why);
	if (started != 0) {
		engine_free(a->e);
		xui_free();
		serve_close(a->srv);
		a->srv = NULL;
		term_end();
		engine_reap_all();
		if (replay)
			fprintf(stderr, "lockstep: %s\n", why);
		else
			fprintf(stderr, _("lockstep: cannot start scene %s: %s\n"), eo->scene->id, why);
		free(a->log);
		return 1;
	}
	a->dirty = 1;
	ev_run(a->loop, 0);

	engine_free(a->e); /* kills the scene's whole group; a served run's END */
	a->e = NULL;
	xui_free(); /* a search still going stops; engine_reap_all() waits for it */
	for (int i = 0; i < NSIGW; i++)
		ev_signal_stop(a->loop, &a->sig_w[i]);
	ev_io_stop(a->loop, &a->in_w);
	ev_prepare_stop(a->loop, &a->draw_w);
	ev_timer_stop(a->loop, &a->frame_w);
	ev_timer_stop(a->loop, &a->clock_w);
	ev_timer_stop(a->loop, &a->kern_w);
	ev_timer_stop(a->loop, &a->play_w);
	ev_timer_stop(a->loop, &a->pace_w);
	if (a->srv) { /* viewers get the run's end (a moment at most); no frame is drawn */
		serve_drain(a->srv, 2.0);
		serve_close(a->srv);
		a->srv = NULL;
	}
	term_end();
	engine_reap_all();
	if (a->check_msg[0])
		fprintf(stderr, "lockstep: %s\n", a->check_msg);
	if (a->replay_err[0]) {
		fprintf(stderr, "lockstep: %s\n", a->replay_err);
		a->rc = 1;
	}
	travel_free(&a->tr);
	timeline_free(&a->tl);
	branches_free(&a->br);
	free(a->branch_sched);
	ui_diff_free(&a->diff);
	if (a->relog_m) {
		model_free(a->relog_m);
		free(a->relog_m);
	}
	free(a->log);
	if (a->frame_log) {
		fclose(a->frame_log);
		free(a->undrawn);
	}
	return a->rc;
}

int app_run(const struct engine_opts *eo, const struct app_opts *ao)
{
	return app_main(eo, ao, NULL);
}

int app_replay(const char *path, const struct app_opts *ao)
{
	char err[1024];
	struct rec_file f;
	if (rec_file_open(&f, path, err, sizeof err) != 0) { /* before the terminal is touched */
		fprintf(stderr, "lockstep: %s\n", err);
		return 1;
	}
	/* the recorded scene, for its title and summary; a stand-in if this
	 * lockstep has no such scene (nothing of it runs) */
	static char id[64];
	static struct ls_scene stand_in;
	snprintf(id, sizeof id, "%s", f.rd.h.scene);
	rec_file_close(&f);
	struct engine_opts eo = {0};
	eo.scene = ao->catalog ? catalog_find(ao->catalog, id) : NULL;
	if (!eo.scene) {
		stand_in = (struct ls_scene){.abi = LS_SCENE_ABI, .id = id, .title = id, .summary = ""};
		eo.scene = &stand_in;
	}
	return app_main(&eo, ao, path);
}

int app_attach(const char *spec, const char *token, const struct app_opts *ao)
{
	static const struct attach_cb cb = {.begin = follow_begin, .item = follow_item,
	                                     .batch = follow_batch, .lost = follow_lost};
	char err[1024];
	int usage;
	/* before the terminal: a refused connection or token is one line */
	struct attach *att = attach_open(EV_DEFAULT, spec, token, &cb, &the_app, &usage, err,
	                                 sizeof err);
	if (!att) {
		fprintf(stderr, "lockstep: %s\n", err);
		return usage ? 2 : 8; /* headless.h LS_EXIT_NET */
	}
	/* until the teacher's first run arrives: a stand-in, nothing runs */
	static struct ls_scene waiting;
	waiting = (struct ls_scene){.abi = LS_SCENE_ABI, .id = "…", .title = "", .summary = ""};
	struct engine_opts eo = {0};
	eo.scene = &waiting;
	int rc = app_main_with(&eo, ao, NULL, att);
	attach_close(att);
	return rc;
}

void app_help(FILE *f)
{
	km_help(f);
}

int app_theme_known(const char *name)
{
	char path[4096];
	return theme_find(name, path, sizeof path) == 0 || strcmp(name, "default") == 0;
}
