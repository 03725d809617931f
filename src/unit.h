/* unit: a primitive is one unit.
 *
 * Everything lockstep knows about one operation (enum ls_op) or one kind of
 * object (enum ls_obj_kind) beyond its wire number lives in one struct, in
 * the kind file of its primitive (kind_lock.c, kind_queue.c, kind_sync.c,
 * kind_channel.c, kind_process.c, kind_worker.c): how a DONE record folds
 * into the model, when a parked waiter may retry, the state a blocked
 * worker is in, the roles a record gives its worker for the analysis, who
 * could release a waiter and whether the object is exclusive, the sentence
 * the log says and the JSON a record carries beyond its common fields.
 *
 * The table is built from the lists in event.h: operation LS_OP_X is the
 * struct unit_op_X, kind LS_OBJ_K is unit_kind_K. A new operation or kind
 * without its unit does not link. The model, the analysis, describe and
 * headless look a unit up (unit_op(), unit_kind()) instead of switching on
 * the type. DESIGN.md, "A primitive is one unit", has the checklist.
 */
#ifndef LS_UNIT_H
#define LS_UNIT_H

#include <stddef.h>

#include "event.h"
#include "model.h"

struct jw;

/* Who could release a waiter (analysis.c turns it into candidates). */
enum unit_releasers {
	UNIT_BY_OWNER,          /* a lock's owner, if alive */
	UNIT_BY_HOLDERS,        /* every live holder (a read-write lock's readers and writer) */
	UNIT_BY_HOLDERS_GIVERS, /* holders of a unit that give back, then givers */
	UNIT_BY_GIVERS,         /* live workers seen giving to it */
	UNIT_BY_TAKERS,         /* live workers seen taking from it */
	UNIT_BY_ARRIVALS,       /* those that used it and are not waiting at it */
	UNIT_BY_WRITE_ENDS,     /* live holders of a pipe's write end */
};

/* How sure the releasers are: ANY live worker might still do it (the
 * candidates are those seen so far), or EXACT (only these could), or
 * EXACT_PROCESS (these, or any live thread of their process). */
enum unit_exact { UNIT_ANY = 0, UNIT_EXACT = 1, UNIT_EXACT_PROCESS = 2 };

/* How the analysis reads a wait of this operation on one kind of object
 * (kind -1: any kind; a rule for the exact kind wins). */
struct unit_wait {
	int kind;
	enum unit_releasers who;
	const char *label; /* N_(): "held by", "filled by"... */
	enum unit_exact exact;
	int exclusive; /* owners shut others out: Coffman's mutual exclusion */
	const char *none; /* N_(): nobody has been seen releasing it yet */
};
#define UNIT_WAITS_MAX 4

typedef void unit_fold_fn(struct model *m, struct m_worker *w, struct m_object *o,
                          const struct ls_event *ev);
typedef int unit_say_fn(const struct model *m, const struct ls_event *ev, char *buf, size_t n);
typedef void unit_json_fn(struct jw *j, const struct model *m, const struct ls_event *ev);
/* what worker id waits for, in words for the workers pane ("an item in
 * Q (empty)"); returns the colour role */
typedef int unit_waits_fn(const struct model *m, int id, char *buf, size_t n);

struct unit_op {
	/* the state of a worker blocked in it: BLOCKED (on a lock) or
	 * TIMED_WAITING; 0 means WAITING. A deadline always makes it timed. */
	enum ls_wstate waits_as;
	/* the roles (LS_ROLE_*) a record of each type gives its worker on the
	 * record's object, for the analysis */
	unsigned char role[LS_EV_COUNT];
	/* DONE folded into the model (o may be NULL); NULL: a generic op that
	 * reports a new value in a2 sets the object's value */
	unit_fold_fn *done;
	/* BLOCKED folded: called once a wait on another object is dropped
	 * and before the new wait is recorded (w->wait_op and w->wait_obj
	 * still say the previous one) */
	unit_fold_fn *blocked;
	/* Is what a parked worker waits for available to it now? o is its
	 * object or NULL. NULL: never (only a notify or time moves it). */
	int (*available)(const struct model *m, const struct m_worker *w, int id,
	                 const struct m_object *o);
	/* the analysis' rules for a wait of this operation */
	struct unit_wait wait[UNIT_WAITS_MAX];
	/* the log's sentence for DONE (returns its colour role, -1: none);
	 * NULL: "T1 did op on X" */
	unit_say_fn *say_done;
	/* the sentence for BLOCKED, and what a blocked worker waits for,
	 * when the operation decides them rather than its object's kind
	 * (join, sleep, pause...); NULL: the kind's */
	unit_say_fn *say_blocked;
	unit_waits_fn *say_waits;
	/* JSON members of a DONE record beyond op and value, and of a
	 * BLOCKED record beyond op, parked, deadline and its kind's */
	unit_json_fn *json_done, *json_blocked;
};

/* The pane that draws objects of a kind (ui_locks.c, ui_sems.c,
 * ui_queues.c; every other kind: ui_values.c). */
enum unit_pane { UNIT_PANE_VALUES = 0, UNIT_PANE_LOCKS, UNIT_PANE_SEMS, UNIT_PANE_QUEUES };

struct unit_kind {
	/* the pane that draws it */
	enum unit_pane pane;
	/* workers hold it (a lock, a semaphore's units): the workers pane's
	 * holds column, the trace's hold spans, the Coffman words */
	int holdable;
	/* who holds it, in words ("read by R1, R2"), for the locks pane and
	 * the settled state; returns 0 when nobody does; NULL: its owner */
	int (*say_holders)(const struct model *m, int oid, char *buf, size_t n);
	/* ACQUIRED and RELEASED folded; NULL: the value becomes a1 */
	unit_fold_fn *acquired, *released;
	/* the log's sentences; NULL: the generic ones */
	unit_say_fn *say_blocked, *say_acquired, *say_released;
	/* what a worker blocked on it waits for; NULL: its name */
	unit_waits_fn *say_waits;
	/* JSON members of a BLOCKED record on it ("holder") */
	unit_json_fn *json_blocked;
	/* JSON members of the object in a summary, beyond name and kind and
	 * before its waiters */
	void (*json_object)(struct jw *j, const struct model *m, const struct m_object *o);
};

/* The unit of an operation or a kind; an unknown number gets an empty one
 * (nothing special: the generic behaviour everywhere). Never NULL. */
const struct unit_op *unit_op(int op);
const struct unit_kind *unit_kind(int kind);
/* The analysis' rule for a wait of op on an object of this kind, or NULL. */
const struct unit_wait *unit_wait_rule(int op, int kind);

/* ---- for the kind files: the model's own helpers (model.c) ---- */
void model_hold_add(struct model *m, struct m_worker *w, int obj);
int model_hold_remove(struct m_worker *w, int obj);
/* 1 when a record is older than the one that last set o's owner or value
 * (free runs batch per worker); otherwise remembers ev as the newest */
int model_owner_stale(struct m_object *o, const struct ls_event *ev);
void model_wake_all_waiters(struct model *m, struct m_object *o);
void model_items_insert(struct model *m, struct m_object *o, int64_t v, int prio);
void model_items_remove_front(struct model *m, struct m_object *o, int64_t v);
/* live waiters for the same operation ahead of id in o's line (step mode) */
int model_queue_rank(const struct model *m, const struct m_object *o, int id, int op);
/* someone waits in a FIFO's open of obj for this end */
int model_opening(const struct model *m, int obj, int op);
int model_is_channel(const struct m_object *o);
/* the worker read v: shown as its last read */
void model_note_read(struct m_worker *w, int64_t v);
/* thread-local data: worker stored value in its own slot of o */
void model_local_store(struct m_object *o, int worker, int64_t value);

/* ---- for the kind files: shared folds, words and JSON (unit.c) ---- */
/* DONE changes nothing beyond the worker's state */
unit_fold_fn unit_fold_nothing;
/* "T1 did op on X", "T1 did op": the sentence of an operation that has
 * none of its own */
unit_say_fn unit_say_did;
/* "3/4" (items inside, of its capacity) or "3" for a queue or pipe with no
 * bound (capacity 0: Python's Queue(), a Pool's queues); returns buf */
const char *unit_fill(const struct m_object *o, char *buf, size_t n);
/* Writes the sentence, returns role (a colour, enum th_role). */
int unit_say(char *buf, size_t n, int role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "barrier B", or the bare name when it already says what it is */
const char *unit_kind_name(const struct m_object *o, const char *kind);
/* key: a worker's or object's name, or null for -1 */
void unit_json_name(struct jw *j, const char *key, const struct model *m, int is_obj, int id);
/* key: "INT", or the number of a signal without a name */
void unit_json_signal(struct jw *j, const char *key, int64_t sig);
/* the ends of a pipe a process holds (LS_END_* mask): "", "r", "w", "rw" */
const char *unit_ends_name(int mask);
/* key: [the first n of v] */
void unit_json_ints(struct jw *j, const char *key, const int64_t *v, int n);
/* A queue's or pipe's items, head first: each a number, or a string
 * where the item has a text (lockstep run's ITEM). */
void unit_json_items(struct jw *j, const char *key, const struct m_object *o);

#endif
