/* explore: the schedule explorer, "can this deadlock?" answered with a
 * schedule (issue 16; docs/DESIGN.md, "The schedule explorer").
 *
 * Runs the real scene again and again in controlled runs, each from the
 * start, on the same engine the front ends use, choosing who moves at every
 * step: bfs by increasing number of preemptions (so the first hit has the
 * fewest), pct (randomised priorities with d-1 change points) or random,
 * both seeded. bfs skips schedules that only reorder independent steps
 * (sleep sets). Prints a progress line on stderr and the witness in
 * --schedule= syntax on stdout (or one JSON object).
 */
#ifndef LS_EXPLORE_H
#define LS_EXPLORE_H

#include <stdio.h>

#include "engine.h"

/* Exit codes of --explore beside those of headless.h (0 found, 1 error,
 * 2 bad usage). */
enum {
	LS_EXIT_BUDGET = 5,    /* the budget ran out before any run hit the goal */
	LS_EXIT_EXHAUSTED = 6, /* every schedule (within the bound) was run: none hits */
};

struct explore_opts {
	const char *goal;      /* deadlock, stall, crash, the scene's own (goal.h); NULL: deadlock */
	const char *strategy;  /* bfs, pct, random; NULL: bfs */
	const char *budget;    /* "RUNS" or "SECONDSs"; NULL: 60 s */
	const char *reduction; /* sleep (default) or none */
	int bound;             /* bfs: at most this many preemptions, -1 none */
	int depth;             /* pct: its d (priority change points + 1) */
	uint64_t seed;
	int json;              /* one result object on stdout */
	int map;               /* run every schedule and count the outcomes */
	int feed;              /* the terminal UI's feed on stdout instead of the
	                          text (xmap.h: progress, each run of a map, the
	                          witness, the result), and no progress on stderr */
};

/* Explores; prints; returns the exit code. Bad option values print one
 * line on stderr and return 2. */
int explore_main(const struct engine_opts *eo, const struct explore_opts *xo);

/* What the last explore_main did, for the benchmark. */
struct explore_stats {
	uint64_t runs, pruned;
	double seconds;
	int exit_code;
};
void explore_last_stats(struct explore_stats *s);

/* The goals a scene can be explored for, one per line ("id  words"). */
void explore_list_goals(const struct ls_scene *sc, const long *params, FILE *f);

#endif
