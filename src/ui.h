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
#include "kernel.h"
#include "layout.h"
#include "model.h"
#include "theme.h"

#define UI_LOG_N 2048
#define UI_LOG_TEXT 200

struct ui_logline {
	uint64_t t_ns;
	uint32_t seq;
	int role;
	char text[UI_LOG_TEXT];
};

enum ui_overlay { UI_OV_NONE, UI_OV_HELP, UI_OV_PICKER, UI_OV_SIGNAL };

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
	const char *net; /* --serve: the viewers; --attach: what it follows; NULL */
	int attached;    /* --attach: f forks a private copy or follows again */
	int follower;    /* following: the teacher moves the scene, not these keys */
	int ascii;
	int rows, cols;
	struct layout lay;
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
/* How far the narration scrolls (rows down from its top). */
int pane_narration_scroll_max(const struct ui_ctx *c);
/* A banner over the top line: the screen shows another moment than now
 * (ui_banner.c). Drawn after ui_frame. */
void ui_banner_draw(const struct ui_ctx *c, const char *text);

/* The timeline (ui_timeline.c): drawn over the bottom of the screen,
 * above the key bar, after ui_frame; its columns end at `end` (the live
 * model's state there when live), `zoom` columns to a cell, scrolled back
 * `scroll` cells. Its height, 0 when it does not fit. */
struct timeline;
void ui_timeline_draw(const struct ui_ctx *c, const struct timeline *t, uint32_t end, int live,
                      int zoom, int scroll);
int ui_timeline_height(const struct ui_ctx *c);

/* The worker whose row is at screen row y (workers pane), or -1. */
int pane_workers_hit(const struct ui_ctx *c, int y);
/* The scene row at screen row y in the picker, or -1. */
int overlay_picker_hit(const struct ui_ctx *c, int y, int x);

/* How far the help scrolls: its rows past the box's height. */
int overlay_help_scroll_max(const struct ui_ctx *c);
/* The menu row at screen (y, x) in the signal menu, or -1. */
int overlay_signal_hit(const struct ui_ctx *c, int y, int x);

/* What an overlay's key or click asks of the front end. */
enum ui_ov_act {
	UI_OV_STAY = 0,     /* handled here (the overlay's part of the view may have changed) */
	UI_OV_CLOSE,        /* close the overlay */
	UI_OV_START_SCENE,  /* the picker: start the scene at v->picker_sel */
	UI_OV_SEND_SIGNAL,  /* the menu: send ui_menu_signals[v->sig.sel] to v->sig.target */
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
extern const struct overlay_ops overlay_help, overlay_picker, overlay_signal;
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
