/* xmap: what the schedule explorer tells the terminal UI, read back (pure).
 *
 * The UI runs the explorer as a child process (`lockstep --explore SCENE
 * --feed`, ui_explore.c) and reads its feed here, one tab-separated line at
 * a time:
 *
 *   progress RUNS MS STATES FOUND COST LEVEL   about ten a second
 *   run OUTCOME HIT VALUE SCHEDULE              each run of a --map
 *   outcome NAME COUNT                          at the end, per outcome
 *   witness LEN PREEMPTIONS RUN OUTCOME SCHEDULE
 *   step WORKER OP OBJECT PREEMPTED HELD        each step of the witness
 *   summary TEXT
 *   result found|exhausted|budget RUNS BOUND COMPLETE  (COMPLETE: 1 when every
 *                                                     schedule was run)
 *
 * A map's runs become a tree of choices (a trie over the schedules: each
 * node one step, its children the workers chosen next), each node counting
 * the outcomes its schedules lead to and how few steps from it reach the
 * goal: the map the UI draws, and the "distance to danger" from the step a
 * class is at. No I/O, no curses; unit tested (tests/unit/test_xmap.c).
 */
#ifndef LS_XMAP_H
#define LS_XMAP_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* What a schedule leads to, as the map tells it apart: the goal, or the
 * run's outcome when it is not the goal. */
enum xclass { XC_HIT, XC_FINISHED, XC_DEADLOCK, XC_STALLED, XC_CRASHED, XC_OTHER, XC_COUNT };

#define XMAP_NAMES 64
#define XMAP_NAME 32
#define XMAP_RUNS_MAX 20000 /* runs kept in the tree; the counts go on past it */

struct xnode {
	int parent, child, next; /* first child, next sibling; -1: none */
	int name;                /* index into names[] of the worker chosen */
	int depth;               /* steps from the start: 1 for a first step */
	int leaf;                /* a run ended here: its class, else -1 */
	int64_t value;           /* a leaf's end value (a scene goal), else INT64_MIN */
	uint32_t n[XC_COUNT];    /* schedules through here, by class */
	int hit_dist;            /* fewest steps from here to a hit, -1: none */
	int open;                /* the UI shows its children */
};

struct xstep_text {
	char w[XMAP_NAME], op[24], obj[XMAP_NAME], pre[XMAP_NAME], held[XMAP_NAME];
};

struct xfeed {
	/* the latest progress */
	uint64_t runs;
	long ms;
	uint64_t states;
	int found, cost, level;
	/* the result */
	int done;                /* the result line came */
	char result[16];         /* found, exhausted, budget */
	int bound;
	int complete;            /* every schedule (within the bound) was run */
	uint64_t outcome_n[XC_COUNT + 4];
	char outcome_name[XC_COUNT + 4][16];
	int noutcomes;
	char *witness;           /* the schedule, comma-separated names; NULL: none */
	int witlen, witcost;
	uint64_t witrun;
	char witout[16];
	struct xstep_text *steps;
	int nsteps;
	char summary[512];
	/* the map: node 0 is the root (no step) */
	struct xnode *node;
	int nnodes, cap;
	char names[XMAP_NAMES][XMAP_NAME];
	int nnames;
	uint64_t tree_runs;      /* runs in the tree */
	uint64_t dropped;        /* runs past XMAP_RUNS_MAX, or with too many names */
	int bad;                 /* lines that did not parse */
};

void xfeed_init(struct xfeed *f);
void xfeed_free(struct xfeed *f);
/* One line of the feed, without its newline (the buffer is changed).
 * 0, or -1 when it does not parse (counted in f->bad). */
int xfeed_line(struct xfeed *f, char *line);

/* The class of a run's end: its outcome's name and whether it hit. */
enum xclass xmap_class(const char *outcome, int hit);

/* The node a schedule so far reaches (comma-separated names, "" for the
 * start: the root), or -1 when the map has no such path (a step the map
 * does not hold, a signal, a key). */
int xmap_find(const struct xfeed *f, const char *schedule);
/* Schedules through node i, all classes. */
uint32_t xmap_total(const struct xnode *n);

/* The rows the map shows: a row is a chain of steps, from a node whose
 * parent branches (or the root's child) down to the next node that
 * branches or ends; a row's children show when its last node is open.
 * Fills rows[] with each row's first and last node and its depth in rows
 * (at most max), returns how many. */
struct xrow {
	int first, last, indent;
};
int xmap_rows(const struct xfeed *f, struct xrow *rows, int max);
/* Open every node from the root to node i, so its row shows. */
void xmap_reveal(struct xfeed *f, int i);
/* The first leaf of class c after node `after` in the tree's order
 * (depth first, children in the order first run), wrapping; -1: none. */
int xmap_next_leaf(const struct xfeed *f, int after, enum xclass c);
/* The schedule that leads to node i, comma-separated (malloc'ed). */
char *xmap_schedule(const struct xfeed *f, int i);

/* A guided step in words: worker `next` is about to move after `prev`
 * moved (-1: nobody yet). When prev could still move, this is a
 * preemption: "here T2 is switched in while T1 holds A" (or "while T1
 * could go on"); otherwise "" . Returns buf. */
const char *xmap_preemption_text(const struct model *m, int next, int prev, char *buf, size_t n);

#endif
