/* history: every record a run folded, kept compactly in memory, with
 * periodic copies of the model, so any earlier moment is a short fold away.
 *
 * The model is a pure fold of records (model.h): the state after the first
 * n records is the nearest snapshot at or before n, folded forward. Records
 * are stored as variable-length deltas (a typical record takes 10 to 16
 * bytes instead of 64) in fixed blocks; a snapshot of the model is taken
 * every HISTORY_EVERY records, so reaching any moment folds at most that
 * many. Pure: no I/O, no clock. The UI uses it to look back (and to play a
 * recording); a benchmark (tests/bench) measures the jump.
 *
 * Memory is bounded: records and snapshots together stay under the limit
 * given to history_new (HISTORY_DEFAULT_BYTES by default: 10 million
 * records of a small scene take about 200 MB). When the next record would
 * pass it, the history is full: it keeps what it has, the run goes on, and
 * history_full() says so (the UI says the past beyond is not kept).
 */
#ifndef LS_HISTORY_H
#define LS_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "model.h"

#define HISTORY_EVERY 16384u /* records between snapshots */
#define HISTORY_DEFAULT_BYTES ((size_t)1 << 30)

/* What makes a moment worth jumping to (] and [). */
enum hist_mark {
	HIST_BLOCK = 1,   /* a worker blocked */
	HIST_WAKE = 2,    /* a notify, or a blocked worker got what it waited for */
	HIST_SIGNAL = 4,  /* a signal sent or delivered */
	HIST_ALARM = 8,   /* lockstep's own narration: a deadlock or a stall formed */
	HIST_END = 16,    /* a worker ended, or the scene */
};

struct history;

struct history *history_new(size_t max_bytes);
void history_free(struct history *h);

/* Keep a record the model has just folded; m is the model after it. 0, or
 * -1 once the history is full (nothing is kept from then on). */
int history_push(struct history *h, const struct ls_event *ev, const struct model *m);
uint64_t history_len(const struct history *h);
int history_full(const struct history *h);
/* No more records will come (a run kept to look back at): the last
 * block gives back what it did not use, and history_push refuses. */
void history_freeze(struct history *h);
/* Memory held (blocks are counted whole), and of it the records' bytes. */
size_t history_bytes(const struct history *h);
size_t history_record_bytes(const struct history *h);

/* The model after the first n records (n <= history_len), into out, which
 * is freed first (it must be model_init'ed or a model already). 0 or -1. */
int history_model_at(const struct history *h, uint64_t n, struct model *out);
/* Fold records [from, to) into m, the model after the first `from`
 * records (playing a recording forward, frame by frame). 0 or -1. */
int history_fold(const struct history *h, uint64_t from, uint64_t to, struct model *m);
/* Call fn (if not NULL) for records [from, to), in order, with the model m
 * folded through each first when m is not NULL (m must be the model after
 * the first `from` records). 0 or -1. */
int history_each(const struct history *h, uint64_t from, uint64_t to, struct model *m,
                 void (*fn)(void *ud, const struct model *m, const struct ls_event *ev),
                 void *ud);
/* Where a model stands in a history, to fold it on from there later: n
 * records folded (HISTORY_NOWHERE: not known), and where record n starts. */
#define HISTORY_NOWHERE UINT64_MAX
struct history_pos {
	uint64_t n;
	uint32_t block, off, seq;
	uint64_t t_ns;
};
/* history_each from wherever m is: m is the model at *pos (pos->n
 * HISTORY_NOWHERE: anything), and is first brought to moment `from` the
 * cheaper way, folding on from *pos or from the snapshot before `from`;
 * then fn (if not NULL) is called for records [from, to) with m folded
 * through each. One pass over the records; *pos is then `to`. 0 or -1. */
int history_each_from(const struct history *h, struct history_pos *pos, uint64_t from,
                      uint64_t to, struct model *m,
                      void (*fn)(void *ud, const struct model *m, const struct ls_event *ev),
                      void *ud);
/* Record i itself (i < history_len). 0 or -1. */
int history_event(const struct history *h, uint64_t i, struct ls_event *ev);

/* Steps: the number of GRANT records kept, and where step k (1-based)
 * began: the number of records before its GRANT. The state "at step k" is
 * the state just before step k+1 began (or now, for the last). */
uint64_t history_steps(const struct history *h);
uint64_t history_step_start(const struct history *h, uint64_t k);
/* The step a moment n (records folded) belongs to: 0 before the first
 * GRANT. */
uint64_t history_step_of(const struct history *h, uint64_t n);
/* The marks (enum hist_mark) seen during step k. */
unsigned history_step_marks(const struct history *h, uint64_t k);

/* The marks of the record history_push took last. */
unsigned history_last_marks(const struct history *h);
/* The marks (enum hist_mark) a record makes; m is the model after it. */
unsigned history_marks_of(const struct ls_event *ev, const struct model *m);

/* Deep copy of a model (snapshots; the UI's view of the past). */
void history_model_copy(struct model *dst, const struct model *src);

#endif
