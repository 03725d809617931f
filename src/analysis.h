/* analysis: questions about a model state that need the whole picture.
 *
 * Pure: reads the model, no I/O, no clock, never draws. The engine runs it
 * after every batch of records; the wait-for graph pane, the conditions pane,
 * the narration and the headless summary all read the same struct analysis.
 *
 * THE WAIT-FOR GRAPH
 * Every blocked live worker has one edge per worker that could release it:
 *
 *     from ──waits on──> via (an object, or -1 for a join) ──label──> to
 *
 * Two kinds of wait (the operation's unit says which: unit.h, unit_wait):
 *  - EXACT: who can release it is known for certain. A lock's owner, the
 *    joined worker, the processes holding a pipe's write end.
 *  - ANY: any live worker may still release it, whether or not it has done
 *    so before: anyone may post a semaphore, put into a queue, notify a
 *    condition, set an event, arrive at a barrier. The edges drawn go to
 *    those seen in the role so far (model_roles()) and to those holding a
 *    unit; they are a picture, not the proof.
 * A waiter is never its own releaser (except of a lock it owns: a lock
 * taken twice). Waiters ahead in line whose wait is over get an edge "first
 * in line". A wait with nobody to point at gets one edge with to == -1:
 * "nobody alive could release it" when that is so, else words like "nobody
 * else has posted it yet".
 *
 * An edge is DEFINITE when the wait has no timeout, is EXACT, and exactly
 * one worker could release it; otherwise it is POSSIBLE.
 *
 * STUCK (certain): the greatest set of blocked workers with no timed wait
 * such that every EXACT waiter's releasers are all in the set and, for an
 * ANY waiter, every other live worker is. Workers in a sleep, in pause()
 * or waiting for the user's key are never stuck, so neither is anyone an
 * ANY wait could hear from them. DEADLOCK: a cycle among stuck workers
 * in which every edge is definite or rests on something the next one holds
 * (a lock, a semaphore's unit, a pipe's write end): certain, nobody in it
 * can ever move again. Stuck workers in a circle through an edge known only
 * from the past (W waits for a notify, main notified once) are a stall
 * (AN_CYCLE_STALL, drawn, marked nowhere). A cycle through a timed
 * wait whose every edge has one sure releaser (it would be a deadlock but
 * for the timeout) is AN_CYCLE_TIMED (the timeout breaks it); any other cycle is
 * AN_CYCLE_OPEN (possible: someone outside may still release it) and is
 * never flagged as in a cycle anywhere. STALL: every live worker blocked
 * and no timed wait pending (a deadlock, a lost wake-up, or a wait only
 * the user can end).
 *
 * HOW THE PANES DRAW IT
 *  - boxes: nodes[] (every worker and object an edge touches, and what
 *    blocked workers hold); wflags[]/oflags[] say which are in the cycle,
 *    stuck, timed or orphaned; who holds what comes from the model
 *    (w->holds, o->owner) and can be drawn as a "held by" line.
 *  - arrows: edges[] (from worker -> via object -> to worker), label through
 *    _() for display; AN_E_DEFINITE solid, possible dashed, AN_E_IN_CYCLE
 *    highlighted. analysis_edge_text() gives the one-line form for the list
 *    the graph degrades to.
 *  - the cycle: cycle[] alternates worker, object (joins have no object),
 *    starting at its lowest worker id, the same on every run.
 *  - conditions pane: coffman[AN_COND_*] with holds and a witness;
 *    analysis_cond_text() says it in a sentence, analysis_cond_fix() how to
 *    break it and which scene shows how.
 *  - narration: analysis_narrate() (the engine folds it into the model as
 *    SAY records from worker -1 at the moment a deadlock forms).
 *
 * WORDS: the functions that say these things in sentences (the edge, the
 * cycle, the conditions, the narration) are declared here, where their
 * callers look, and made in describe.c, the one place lockstep phrases.
 * This file produces facts.
 *
 * ADDING A PRIMITIVE: a blocking operation plugs in through its unit
 * (unit.h): the wait rules (object kind, who can release it, the edge
 * label, exact or not) and the giver/taker roles its records give.
 */
#ifndef LS_ANALYSIS_H
#define LS_ANALYSIS_H

#include <stddef.h>

#include "model.h"

#define LS_CYCLE_MAX 64
#define AN_EDGES_MAX 2048
#define AN_NODES_MAX 2048

struct ls_node {
	int is_object; /* 0: worker id, 1: object id */
	int id;
};

enum an_edge_flags {
	AN_E_DEFINITE = 1, /* untimed, and `to` is the only one who could release it */
	AN_E_TIMED = 2,    /* the wait times out by itself */
	AN_E_IN_CYCLE = 4, /* part of cycle[] */
	AN_E_HOLDER = 8,   /* `to` holds `via` (owner, a unit of a semaphore, a write end) */
	AN_E_ONE = 16,     /* `to` is the only one who could release it, timed or not */
};

struct an_edge {
	int from;          /* the waiting worker */
	int via;           /* the object it waits on, -1 for a join */
	int to;            /* a worker that could release it, -1: nobody alive */
	int op;            /* the wait (enum ls_op) */
	const char *label; /* untranslated ("held by"); show with _() */
	unsigned flags;    /* enum an_edge_flags */
};

enum an_node_flags {
	AN_N_IN_CYCLE = 1, /* on the cycle */
	AN_N_BLOCKED = 2,  /* worker: blocked now */
	AN_N_STUCK = 4,    /* worker: can never move again (in or behind a deadlock) */
	AN_N_TIMED = 8,    /* worker: its wait times out by itself */
	AN_N_ORPHAN = 16,  /* worker: nobody alive could release what it waits for */
	AN_N_PARTIAL = 32, /* worker: its releasers did not all fit in edges[] */
};

enum an_cycle_kind {
	AN_CYCLE_NONE = 0,
	AN_CYCLE_DEADLOCK, /* deadlock: nobody in it can ever move again */
	AN_CYCLE_TIMED,    /* a timed wait is in it: the timeout breaks it */
	AN_CYCLE_OPEN,     /* possible edges: someone outside could still release it */
	AN_CYCLE_STALL,    /* stuck workers in a circle of guessed edges: a stall */
};

/* The four Coffman conditions. X(ENUM, "json_key", N_("Title")): the
 * titles are shown through _(), so xgettext must see them here. */
#define AN_CONDS(X)                                                            \
	X(MUTUAL_EXCLUSION, "mutual_exclusion", N_("Mutual exclusion"))        \
	X(HOLD_AND_WAIT, "hold_and_wait", N_("Hold and wait"))                 \
	X(NO_PREEMPTION, "no_preemption", N_("No preemption"))                 \
	X(CIRCULAR_WAIT, "circular_wait", N_("Circular wait"))

enum an_cond {
#define X(e, k, t) AN_COND_##e,
	AN_CONDS(X)
#undef X
	AN_NCOND
};

struct an_coffman {
	int holds;   /* the condition holds in the current state */
	int worker;  /* witness worker, -1 */
	int object;  /* witness object (the lock; what is held), -1 */
	int object2; /* hold and wait: what the worker waits for; -1 */
};

struct analysis {
	int deadlock;              /* a deadlock cycle exists */
	enum an_cycle_kind cycle_kind;
	int cycle_definite;        /* every edge of the cycle is definite */
	int ncycle;                /* nodes in cycle[], workers and objects alternate */
	struct ls_node cycle[2 * LS_CYCLE_MAX];
	int stalled;               /* every live worker blocked, nothing timed, and
	                              one of them is not a daemon (daemons alone:
	                              the program is ending, and they with it) */
	int live, blocked, eligible, moving, timed;
	int live_nondaemon;        /* live workers that are not daemons */
	int stuck;                 /* workers that can never move again */
	struct an_coffman coffman[AN_NCOND];

	int nedges, nnodes;
	int truncated;             /* more edges or nodes than fit: lists cut short */
	/* Only the first nedges/nnodes entries, and the flags of ids below the
	 * model's nw/no, are meaningful (the rest is not cleared, for speed). */
	struct an_edge edges[AN_EDGES_MAX];
	struct ls_node nodes[AN_NODES_MAX]; /* workers first, then objects, by id */
	/* per worker / object flags (enum an_node_flags), by id */
	unsigned char wflags[LS_MAX_WORKERS];
	unsigned char oflags[LS_MAX_OBJECTS];
};

void analysis_run(const struct model *m, struct analysis *a);
/* Is this worker or object part of the cycle? */
int analysis_in_cycle(const struct analysis *a, int is_object, int id);

/* "mutual_exclusion" (JSON key) and "Mutual exclusion" (untranslated title). */
const char *analysis_cond_key(enum an_cond c);
const char *analysis_cond_title(enum an_cond c);

/* Translated one-line texts, made by describe.c; each returns buf. */
/* "T1 waits for B, held by T2" (process workers also show their pid). */
const char *analysis_edge_text(const struct model *m, const struct an_edge *e, char *buf, size_t n);
/* "holds: A has one owner, T1, and T2 must wait for it." */
const char *analysis_cond_text(const struct model *m, const struct analysis *a, enum an_cond c,
                               char *buf, size_t n);
/* How to break condition c, and (*scene) the scene that shows how, or NULL. */
const char *analysis_cond_fix(enum an_cond c, const char **scene);
/* "T1 (pid 42) -> B -> T2 (pid 43) -> A -> T1" */
const char *analysis_cycle_text(const struct model *m, const struct analysis *a, char *buf, size_t n);
/* The narration for the current moment (deadlock, stall, or a cycle a
 * timeout will break): lines separated by '\n'; "" when there is nothing to
 * say. */
const char *analysis_narrate(const struct model *m, const struct analysis *a, char *buf, size_t n);

#endif
