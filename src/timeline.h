/* timeline: each worker's state across time, as run-length spans, for the
 * timeline pane (ui_timeline.c). Pure: no I/O, no clock, no curses.
 *
 * The axis is a count of columns: in a controlled run one column per step
 * (the state once it settled), in a free run one per tenth of a second
 * (the front end says when a column is done). Each column also keeps
 * the time of its last record, so the same strips can be read on a wall
 * time axis: a cell per tenth of a second, the state of the last column
 * closed by then (a controlled run waits for its user between steps; a
 * free run's idle seconds take no moment). A worker's strip is a list
 * of spans {from, state}, appended only when its state changes, and a list
 * of marks (acquire, release, signal, the deadlock); a frame reads the
 * columns it shows by binary search, so drawing costs the same after a
 * million steps as after ten.
 */
#ifndef LS_TIMELINE_H
#define LS_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

enum tl_mark { TL_ACQUIRE = 1, TL_RELEASE = 2, TL_SIGNAL = 4, TL_DEADLOCK = 8 };

struct tl_span {
	uint32_t from;
	uint8_t state; /* enum ls_wstate; 0xff: not yet declared */
};

struct tl_markrec {
	uint32_t at;
	uint8_t kinds; /* enum tl_mark, or'ed */
};

struct tl_strip {
	struct tl_span *s;
	size_t n, cap;
	struct tl_markrec *mk;
	size_t nm, capm;
};

struct timeline {
	struct tl_strip *w;
	int nw, capw;
	uint32_t now;      /* the column being made */
	uint64_t *step_at; /* the column of each step (controlled runs) */
	size_t nsteps, capsteps;
	uint64_t *col_t;   /* the time of each closed column (never decreasing) */
	size_t capcol;
	uint64_t t_first, t_last; /* the first and the latest record's time; 0: none */
};

void timeline_init(struct timeline *t);
void timeline_free(struct timeline *t);
/* The column `now` is done: each declared worker's state, model_state(),
 * is its state there. Then `now` moves on. */
void timeline_close_column(struct timeline *t, const struct model *m);
/* A record of time t_ns was folded (the wall time axis). */
void timeline_note_time(struct timeline *t, uint64_t t_ns);
/* The wall time axis: the last column closed at or before t_ns (its
 * state is the state then), or -1 if none was; and how many cells of
 * dt_ns the run spans, from t_first to t_last. */
long timeline_column_by_time(const struct timeline *t, uint64_t t_ns);
uint64_t timeline_column_time(const struct timeline *t, uint32_t col);
uint32_t timeline_time_cells(const struct timeline *t, uint64_t dt_ns);
/* Something happened to worker w in the column being made. */
void timeline_mark(struct timeline *t, int w, enum tl_mark kind);
/* A controlled step settled: its column (for looking back). */
void timeline_note_step(struct timeline *t, uint64_t step);
/* The column of step k, or t->now if it has none. */
uint32_t timeline_column_of_step(const struct timeline *t, uint64_t k);

/* Worker w's state in column at (0xff: none yet), and the marks there.
 * A reader walking columns left to right passes *hint (start it at 0) to
 * make each lookup O(1) after the first. */
int timeline_state_at(const struct timeline *t, int w, uint32_t at, size_t *hint);
unsigned timeline_marks_at(const struct timeline *t, int w, uint32_t at, size_t *hint);
/* How many spans worker w's strip holds (tests: run-length). */
size_t timeline_spans(const struct timeline *t, int w);

#endif
