/* goal: what a scene dares a student to make happen, and whether a run has
 * (docs/DESIGN.md, "Goals: challenges, the explorer, grading").
 *
 * One notion of goal for its three users: the UI's challenges (ui_challenge.c),
 * the schedule explorer (explore.c) and graded exercises (grade.c). A goal is
 * a built-in one (deadlock, stall, crash) or one a scene exports beside its
 * descriptor (lockstep-scene.h, LS_GOALS), resolved against the run's
 * parameters. goal_check() is a pure test of the model and the analysis;
 * reading the module's array is the only I/O (dlsym), so this file sits in
 * the engine's layer. Never draws, never prints.
 */
#ifndef LS_GOAL_H
#define LS_GOAL_H

#include <stddef.h>

#include "engine.h"
#include "lockstep-scene.h"

#define GOAL_MAX 16 /* goals of one scene that are read */

enum goal_kind {
	GOAL_DEADLOCK, GOAL_STALL, GOAL_CRASH, /* built in: any scene */
	GOAL_CHANGED, GOAL_BELOW, GOAL_FULL, GOAL_PRINTED, GOAL_IMPOSSIBLE,
};

struct goal {
	char id[64];
	const char *help;  /* untranslated, N_(): what the challenge asks */
	enum goal_kind kind;
	const char *value; /* the value, object or line it watches */
	long bound;        /* BELOW: the product; DEADLOCK: workers in the circle (0 any) */
	const char *why;   /* IMPOSSIBLE: why no schedule can, N_() */
	int fewest;        /* fewest steps known (the explorer's), 0 unknown */
	int scene_own;     /* declared by the scene (a challenge), not built in */
};

enum goal_verdict {
	GOAL_OPEN = 0, /* not met yet, the run goes on */
	GOAL_MET,      /* met now (and for good: callers latch it) */
	GOAL_MISSED,   /* the run is over and it was not met */
};

/* The scene's own goals, resolved with these parameters: how many were
 * put in out (at most max). A goal declared wrongly (no value to watch, an
 * unknown test or parameter) is left out. */
int goal_scene_list(const struct ls_scene *sc, const long *params, struct goal *out, int max);

/* Resolves `id`: deadlock, stall, crash, or one of the scene's own.
 * 0; -1 unknown id; -2 the scene declares it wrongly. */
int goal_find(const struct ls_scene *sc, const long *params, const char *id, struct goal *g);

/* Is the goal met? Mid-run goals (a deadlock, a full buffer, a printed
 * line) are met the moment the model shows them; a value's goal once the
 * scene has finished. `out` is the run's outcome, LS_OUT_NONE while it
 * runs. Pure. */
enum goal_verdict goal_check(const struct goal *g, const struct model *m,
                             const struct analysis *an, enum ls_outcome out);

/* Met at a moment (a full buffer, a line printed) rather than by how the
 * run ends: a search may stop a run as soon as it is met. */
int goal_of_moment(const struct goal *g);

/* Where the run stands, in a few words for the header ("balance 120 (from
 * 100)"); "" when there is nothing to say. Translated. */
void goal_progress(const struct goal *g, const struct model *m, char *buf, size_t n);

/* A met goal's one line: what happened (e.g. "balance ended at 90, not
 * 100"). Translated. */
void goal_what(const struct goal *g, const struct model *m, const struct analysis *an,
               enum ls_outcome out, char *buf, size_t n);

/* The scene's prediction points (LS_PREDICTIONS): how many put in out. */
int goal_predictions(const struct ls_scene *sc, struct ls_prediction *out, int max);

#endif
