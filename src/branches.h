/* branches: every run the UI has left behind since lockstep started, to
 * look at again (v) and compare with the live one (d), whether or not it
 * was recorded.
 *
 * A run is left when a branch begins (a worker's key while looking back)
 * or when the scene is started again (r, or another scene from the
 * list). Its history and timeline move here whole, with the scene and
 * parameters it ran with, so a branch can be made from it later. Runs
 * are numbered from 1 in the order they started, the live one included,
 * and never renumbered. Memory is bounded: when the kept histories
 * together pass the limit, the oldest are let go (and counted), never the
 * newest. No curses, no I/O.
 */
#ifndef LS_BRANCHES_H
#define LS_BRANCHES_H

#include <stddef.h>

#include "params.h"
#include "timeline.h"
#include "travel.h"

/* A lesson's run kept takes about 200 KiB (the model and analysis of the
 * moment viewed, its records frozen): some 1,300 runs. */
#define BRANCHES_DEFAULT_BYTES ((size_t)256 << 20)

enum kept_why { KEPT_BRANCH, KEPT_RESTART };

struct kept_run {
	struct travel tr;
	struct timeline tl;
	const struct ls_scene *scene;
	long params[LS_PARAMS_MAX];
	int number;          /* run N: the order runs started in */
	enum kept_why why;
	char label[160];     /* "run 2: 4 steps, deadlock" */
};

struct branches {
	struct kept_run *k;  /* oldest first */
	int n, cap;
	size_t limit;        /* bytes the kept histories may hold together */
	int dropped;         /* runs let go to stay under it */
};

/* limit 0: BRANCHES_DEFAULT_BYTES. */
void branches_init(struct branches *b, size_t limit);
void branches_free(struct branches *b);
/* Keep a run: *tr and *tl move in (the caller must init new ones before
 * using them again); outcome says how it ended ("deadlock", "stopped").
 * A run with nothing to look back at (no step taken, no free moment) is
 * not kept: NULL, and *tr and *tl are the caller's still. Also NULL out
 * of memory. Older runs may be let go to stay under the limit. */
struct kept_run *branches_keep(struct branches *b, struct travel *tr, struct timeline *tl,
                               const struct ls_scene *scene, const long *params, int number,
                               enum kept_why why, const char *outcome);
/* Bytes the kept runs hold (their histories, and each run's own view). */
size_t branches_bytes(const struct branches *b);

#endif
