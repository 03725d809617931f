/* analysis: questions about a model state that need the whole picture.
 *
 * The wait-for graph: a worker blocked on a lock points to the lock's owner,
 * a worker joining points to the worker it joins. A cycle is a deadlock. A
 * stall is every live worker blocked with no timed wait pending. Pure: reads
 * the model, no I/O, never draws.
 */
#ifndef LS_ANALYSIS_H
#define LS_ANALYSIS_H

#include "model.h"

#define LS_CYCLE_MAX 64

struct ls_node {
	int is_object; /* 0: worker id, 1: object id */
	int id;
};

struct analysis {
	int deadlock;              /* a cycle exists */
	int ncycle;                /* nodes in cycle[], workers and objects alternate */
	struct ls_node cycle[2 * LS_CYCLE_MAX];
	int stalled;               /* every live worker blocked, nothing timed */
	int live, blocked, eligible, moving, timed;
};

void analysis_run(const struct model *m, struct analysis *a);
/* Is this worker or object part of the deadlock cycle? */
int analysis_in_cycle(const struct analysis *a, int is_object, int id);

#endif
