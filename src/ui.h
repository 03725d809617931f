/* ui: what every pane sees, and the pane table.
 *
 * Rendering is a pure function of (model, analysis, view): the panes get a
 * read-only ui_ctx and draw into stdscr through ui_draw.h; they never change
 * the model, the engine or the view. app.c owns the view and calls
 * ui_frame() at most once per loop pass.
 */
#ifndef LS_UI_H
#define LS_UI_H

#include <stdint.h>

#include "analysis.h"
#include "catalog.h"
#include "engine.h"
#include "goal.h"
#include "kernel.h"
#include "layout.h"
#include "model.h"
#include "theme.h"

struct branches;

#define UI_LOG_N 2048
#define UI_LOG_TEXT 200

struct ui_logline {
	uint64_t t_ns;
	uint32_t seq;
	int role;
	char text[UI_LOG_TEXT];
};

enum ui_overlay { UI_OV_NONE, UI_OV_HELP, UI_OV_PICKER, UI_OV_SIGNAL, UI_OV_DIFF, UI_OV_RUNS,
                  UI_OV_CHALLENGES, UI_OV_PREDICT, UI_OV_WHY, UI_OV_FIX, UI_OV_EXPLORE };

/* The classroom (ui_challenge.c): the scene's challenges (goal.h), the one
 * the header tracks, and the prediction asked before a step. */
#define UI_CHOICES 9
struct ui_classroom {
	struct goal goals[GOAL_MAX]; /* the scene's own, resolved */
	int ngoals;
	int sel;                /* the challenge list's cursor */
	int active;             /* the challenge the header tracks, -1 none */
	int met;                /* ... met in this run (latched) */
	uint64_t met_steps;
	struct ls_prediction points[8]; /* the moments the scene marks */
	int npoints;
	/* the open question: asked, answered, then revealed once the step is over */
	int ask;                /* enum ls_ask, 0 none */
	int obj;                /* its object, -1 */
	uint64_t asked_step;    /* m->steps when asked */
	struct { int worker; int64_t value; uint64_t steps; } choice[UI_CHOICES];
	int nchoices;           /* the last one may be "nobody" (worker -1) for WAKES */
	int answer;             /* the choice taken, -1 */
	int pending;            /* answered: reveal when the step is over */
	int right, total;       /* this class's tally */
	uint64_t marked_step;   /* asked at a marked moment at this step: not again */
};

/* The send-signal menu (`!`): first the target, then the signal. */
#define UI_SIG_TARGETS 32
struct ui_sigmenu {
	int stage;    /* 0: choosing the target, 1: choosing the signal */
	int sel;      /* row under the cursor */
	int target;   /* chosen: a worker, or -1 for the whole group */
	int targets[UI_SIG_TARGETS]; /* -1 (the group) first, then workers */
	int ntargets;
};

/* The signals the menu offers, in order (ui_signal.c). */
extern const int ui_menu_signals[];
extern const int ui_menu_nsignals;
enum ui_run { UI_PAUSED, UI_STEPPING, UI_RUNNING };

/* The view: everything on screen that is not the model. Owned by app.c. */
struct view {
	int focus;              /* enum pane_id */
	int scroll[PANE_COUNT]; /* log, narration: lines back from the newest;
	                           others: rows down from the top */
	enum ui_overlay overlay;
	int overlay_scroll;
	int picker_sel;
	/* the scene list's parameters (l): the values shown for the scene at
	 * picker_params_of (-1: none loaded yet), the one being edited (-1:
	 * the list has the keys), a value being typed */
	long picker_params[LS_PARAMS_MAX];
	int picker_params_of, picker_edit, picker_typing;
	enum ui_run run;
	int speed;              /* 1 slow .. 9 full speed */
	long elapsed_s;         /* running time, frozen while paused */
	int show_graph, show_conds; /* the deadlock panes (ui_graph, ui_conditions) */
	char status[256];       /* a notice or an error for the key bar */
	int status_role;
	const struct ui_logline *log; /* ring of UI_LOG_N */
	uint64_t nlog;
	uint64_t t0_ns;         /* first event's time, for log timestamps */
	struct ui_sigmenu sig;  /* the send-signal menu */
	const struct ui_diff *diff; /* d: two runs side by side (ui_diff.h) */
	/* v: the runs since lockstep started (ui_runs.c): row 0 the live
	 * one, row k the k-th newest kept run */
	const struct branches *kept;
	char live_label[160];
	int runs_sel, runs_shown;
	struct ui_classroom cls; /* challenges and predictions */
	int why_sel;            /* the why box (y): the row chosen, workers then objects */
	int fix_sel;            /* the fixes (u): the one chosen */
	int zoom;               /* presenter zoom (f): the focused pane fills the screen */
};

struct ui_ctx {
	const struct model *m;
	const struct analysis *an;
	const struct kview *kv; /* the kernel's view, NULL: not read */
	const struct view *v;
	const struct theme *th;
	const struct ls_scene *scene;
	const struct catalog *cat;
	enum ls_outcome out;
	const char *err;
	int free_run; /* the scene runs freely only: no stepping */
	int waits_user; /* a worker waits for the scene key (k) */
	int settled;
	int next_worker; /* the worker `s` steps now (engine_next), -1 if none */
	int looking_back; /* the panes show the past: 1 of a run (a worker's key branches),
	                     2 of a recording (nothing runs) */
	const char *net; /* --serve: the viewers; --attach: what it follows; NULL */
	int attached;    /* --attach: n forks a private copy or follows again */
	int follower;    /* following: the teacher moves the scene, not these keys */
	int ascii;
	int rows, cols;
	int strip; /* rows kept above the key bar for the explorer's strip */
	struct layout lay;
	const long *params; /* the running scene's parameters, NULL: unknown (a recording) */
};

struct pane_ops {
	enum pane_id id;
	const char *title; /* N_(): shown in the border; NULL: no border */
	int (*want)(const struct ui_ctx *c); /* rows wanted, borders included; 0: hide */
	void (*draw)(const struct ui_ctx *c, struct rect r);
};

extern const struct pane_ops pane_header, pane_workers, pane_locks, pane_sems, pane_queues,
    pane_values, pane_log, pane_narration, pane_footer, pane_graph, pane_conds;

/* Fill c->lay from the panes' wishes and the terminal size. */
void ui_layout(struct ui_ctx *c);
/* Draw one whole frame into stdscr and wnoutrefresh it (no doupdate). */
void ui_frame(const struct ui_ctx *c);
/* Whether a pane can take the focus, and the order Tab follows. */
int ui_focusable(const struct ui_ctx *c, int pane);

/* How far the workers pane scrolls: workers past those that fit (a
 * crowd's census takes a row). */
int pane_workers_scroll_max(const struct ui_ctx *c);
/* The ids of the first and one past the last worker the pane shows (the
 * kernel's view reads only those); *lo >= *hi when it shows none. */
void pane_workers_shown(const struct ui_ctx *c, int *lo, int *hi);
/* How far the narration scrolls (rows down from its top). */
int pane_narration_scroll_max(const struct ui_ctx *c);
/* A banner over the top line: the screen shows another moment than now
 * (ui_banner.c). Drawn after ui_frame. */
void ui_banner_draw(const struct ui_ctx *c, const char *text);

/* The timeline (ui_timeline.c): drawn over the bottom of the screen,
 * above the key bar, after ui_frame. Its height, 0 when it does not fit. */
struct timeline;
struct tl_window {
	uint32_t end; /* the last column shown: the moment viewed, or now */
	int live;     /* end is now: its cell is the live model's state */
	int zoom;     /* columns (wall: tenths of a second) to a cell */
	int scroll;   /* cells back from the end */
	int wall;     /* the wall time axis, not a column per step */
};
void ui_timeline_draw(const struct ui_ctx *c, const struct timeline *t, const struct tl_window *w);
int ui_timeline_height(const struct ui_ctx *c);

/* The worker whose row is at screen row y (workers pane), or -1. */
int pane_workers_hit(const struct ui_ctx *c, int y);
/* The scene row at screen row y in the picker, or -1. */
int overlay_picker_hit(const struct ui_ctx *c, int y, int x);

/* How far the help scrolls: its rows past the box's height. */
int overlay_help_scroll_max(const struct ui_ctx *c);
/* The row at screen (y, x) in the list of runs (v), or -1. */
int overlay_runs_hit(const struct ui_ctx *c, int y, int x);
/* How far the two runs side by side (d) scroll. */
int overlay_diff_scroll_max(const struct ui_ctx *c);
/* The menu row at screen (y, x) in the signal menu, or -1. */
int overlay_signal_hit(const struct ui_ctx *c, int y, int x);

/* What an overlay's key or click asks of the front end. */
enum ui_ov_act {
	UI_OV_STAY = 0,     /* handled here (the overlay's part of the view may have changed) */
	UI_OV_CLOSE,        /* close the overlay */
	UI_OV_START_SCENE,  /* the picker: start the scene at v->picker_sel */
	UI_OV_SEND_SIGNAL,  /* the menu: send ui_menu_signals[v->sig.sel] to v->sig.target */
	UI_OV_SHOW_RUN,     /* the runs (v): show the run at v->runs_sel */
	UI_OV_PREDICTED,    /* a prediction was taken (v->cls.answer): step, then reveal */
	UI_OV_OPEN_FIX,     /* the fixes: open ui_fixes()[v->fix_sel] at the same moment */
	UI_OV_LOAD_SCHEDULE,/* the explorer: restart the scene, paused, for `s` to step the
	                       schedule chosen (xui_guide_next, ui_explore.h) */
};
/* An overlay (help, scene picker, signal menu), htop-style: its keys and
 * clicks are handled next to its drawing, in its own file. The handlers
 * change only the overlay's part of the view and say what the front end
 * must do; they never call the engine. c->v is v, read-only. */
struct overlay_ops {
	void (*draw)(const struct ui_ctx *c);
	enum ui_ov_act (*on_key)(const struct ui_ctx *c, struct view *v, int key);
	enum ui_ov_act (*on_click)(const struct ui_ctx *c, struct view *v, int y, int x);
};
extern const struct overlay_ops overlay_help, overlay_picker, overlay_signal, overlay_diff,
    overlay_runs, overlay_challenges, overlay_predict, overlay_why, overlay_fix,
    overlay_explore;

/* The classroom (ui_challenge.c). Pure over the model: no engine here. */
/* The scene's challenges and prediction points; the challenge tracked is
 * kept when the same scene starts again. */
void classroom_load(struct ui_classroom *cl, const struct ls_scene *sc, const long *params,
                    int same_scene);
/* Notes whether the tracked challenge is met now; 1 the moment it is. */
int classroom_track(struct ui_classroom *cl, const struct model *m, const struct analysis *an,
                    enum ls_outcome out);
/* The line said when the tracked challenge is met. */
void classroom_met_line(const struct ui_classroom *cl, char *buf, size_t n);
/* Sets a question about the step `next` would take (engine_next): at a
 * moment the scene marks only, or any that has one. 0: none (why says). */
int classroom_ask(struct ui_classroom *cl, const struct model *m, int next, int marked_only,
                  char *why, size_t n);
/* The question in words, and choice i's label. */
void classroom_question(const struct ui_classroom *cl, const struct model *m, char *buf, size_t n);
void classroom_choice(const struct ui_classroom *cl, const struct model *m, int i, char *buf,
                      size_t n);
/* The step is over: was the answer right? The line to show; 1 right. */
int classroom_reveal(struct ui_classroom *cl, const struct model *m, char *buf, size_t n);
/* The header's few words on the tracked challenge, "" if none. */
void classroom_header(const struct ui_classroom *cl, const struct model *m, char *buf, size_t n,
                      int *role);
/* A fix one key away (u): a scene and its parameters, and how it is named. */
#define UI_FIX_MAX 12
struct ui_fix {
	const struct ls_scene *sc;
	long params[LS_PARAMS_MAX];
	char label[160];
};
/* The running scene's other `fix` choices, then each fix the conditions
 * pane names (analysis_cond_fix) that the catalog has, without repeats or
 * the running variant itself. Returns how many (at most max). */
int ui_fixes(const struct ui_ctx *c, struct ui_fix *out, int max);
/* y: open the why box on the row the class most likely asks about (the
 * focused object pane's first object, a worker in the deadlock, a blocked
 * one, else the first after main). Changes only the view. */
void ui_why_open(const struct ui_ctx *c, struct view *v);
/* The why box's list row at screen (y, x), or -1; how far its text scrolls. */
int overlay_why_hit(const struct ui_ctx *c, int y, int x);
int overlay_why_scroll_max(const struct ui_ctx *c);
/* The overlay open in v, or NULL. */
const struct overlay_ops *ui_overlay_of(const struct view *v);
/* Some worker waits in pause() for a signal only the user can send. */
int ui_waits_signal(const struct model *m);

/* The kernel's column in the workers pane (ui_kernel.c): its width for the
 * room left (0: none), its title, one cell; and whether the reading is
 * likely to change soon (a worker still on its way into a wait). */
int ui_kernel_width(const struct ui_ctx *c, int room);
const char *ui_kernel_title(void);
void ui_kernel_cell(const struct ui_ctx *c, int y, int x, int w, int id);
int ui_kernel_pending(const struct model *m, const struct kview *kv);
/* A disagreement between the model and the kernel, in words for the
 * workers pane's border; how many workers disagree (0: buf is ""). */
int ui_kernel_disagreement(const struct ui_ctx *c, char *buf, size_t n);

/* Where a scroll key (KM_UP .. KM_END) moves a position in [0, max]: the
 * same keys scroll every pane and overlay. */
int ui_scroll_key(int action, int cur, int max, int page);

/* The lecture view (ui_lecture.c). Slow motion: at speeds 1-5 the scene
 * is stepped one worker at a time, this many ms apart; 0 at 6-9, which
 * run freely. */
int ui_pace_ms(int speed);
/* Whether the last step (the records since the last grant, in a
 * controlled run) touched this worker (object 0) or object (object 1): its
 * row is marked with G_CHANGED until the next step. */
int ui_changed(const struct model *m, int object, int id);

/* The parameters that differ from their defaults, "fix=waiter n=4" ("" if
 * none); returns how many. */
int ui_params_text(const struct ls_scene *sc, const long *v, char *buf, size_t n);

/* Presenter zoom: the rows between workers (a blank one when zoomed) and
 * whether state glyphs are large (the theme's, or zoomed). */
int ui_spacing(const struct ui_ctx *c);
int ui_large(const struct ui_ctx *c);

/* Helpers panes share. */
int ui_worker_role(const struct model *m, int id);
/* A FIFO of waiters from x, first in line first, "a → b → c  +12 more"
 * when they do not all fit before end. Returns the new x. */
int ui_waiters(const struct ui_ctx *c, int y, int x, int end, const int *ids, int n, int woken);
/* An object pane's rows: one per object `shown` accepts, from the pane's
 * scroll position, scroll marks after. row() draws object `id` on line y
 * between x and end, its name clipped to namew columns; namew is the widest
 * shown name within [lo, hi] (lo == hi: a fixed width). */
typedef int (*ui_obj_filter)(const struct m_object *o);
typedef void (*ui_obj_row)(const struct ui_ctx *c, int id, int y, int x, int end, int namew);
void ui_object_rows(const struct ui_ctx *c, struct rect r, int pane, ui_obj_filter shown,
                    int lo, int hi, ui_obj_row row);
/* A worker's operation as code: "lock(B)", "put(buffer, 1003)". */
void ui_op_text(const struct model *m, const struct m_worker *w, char *buf, size_t n);
/* The status sentence the narration pins on top: what to press now. */
void ui_hint(const struct ui_ctx *c, char *buf, size_t n);

#endif
