/* ui_explore: the schedule explorer in the terminal UI (issue 16).
 *
 * `x` opens a list of the scene's goals; Enter searches for a witness, `m`
 * maps every schedule. The search runs in a child lockstep (`--explore
 * --feed`, in its own process group), read through the UI's libev loop,
 * so the screen stays live: a progress bar (runs, runs/s, best so far),
 * Esc cancels. The witness, or any leaf of the map, is then loaded: the
 * scene restarts paused and `s` steps that schedule, a strip above the key
 * bar saying which step of it comes next and, at a preemption, who is
 * switched in while whom holds what. With a map of the scene, the strip
 * also says how few steps from here reach the goal (distance to danger).
 *
 * Owns the child and its watchers, the overlay's keys and drawing, and the
 * guide; app.c calls in (a key, a settled step, the frame) and does what
 * the overlay asks (UI_OV_LOAD_SCHEDULE: restart the scene). Never calls
 * the engine.
 */
#ifndef LS_UI_EXPLORE_H
#define LS_UI_EXPLORE_H

#include "ui.h"

struct ev_loop;

/* Once, with the loop; changed(ud) marks the screen dirty. */
void xui_init(struct ev_loop *loop, void (*changed)(void *ud), void *ud);
/* Cancels a search in progress (SIGTERM to the child: it stops its run,
 * reaps it and exits; engine_reap_all() waits for it) and frees all. */
void xui_free(void);

/* x (map 0) or m (map 1) for this scene and parameters: m shows the map
 * if one for them is known, else starts one for the goal chosen last
 * (deadlock at first). Opens the overlay: the caller sets UI_OV_EXPLORE. */
void xui_open(const struct ls_scene *sc, const long *params, int map);

/* Whether the guide and the map want the run's path (xui_path). */
int xui_wants_path(void);
/* The run so far as a schedule (travel_schedule at the last step: worker
 * indices), NULL if it cannot be told (it ran freely); m is the live
 * model. */
void xui_path(const char *sched, const struct model *m);
/* The worker `s` steps now: the next of the schedule the overlay loaded
 * (UI_OV_LOAD_SCHEDULE), or -1 (the usual policy). */
int xui_guide_next(const struct model *m);
/* The scene changed (another scene, new parameters): the guide ends. */
void xui_scene_changed(const struct ls_scene *sc, const long *params);

/* The strip above the key bar, on row y: the guide's step and the
 * distance to the goal. Drawn after the frame, when xui_strip() is 1. */
int xui_strip(void);
void xui_strip_draw(const struct ui_ctx *c, int y);

#endif
