/* model: what lockstep knows about a running scene, as a pure fold of events.
 *
 * model_apply(m, ev) is the only way the model changes. It does no I/O and
 * reads no clock, so a recording replays exactly and a state at event N is
 * reproduced by folding the first N events. Renderers and the engine read the
 * structs below; they never write them.
 */
#ifndef LS_MODEL_H
#define LS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define LS_NAME_MAX 32
#define LS_SAY_MAX 512
#define LS_QUEUE_MAX 64
#define LS_HOLDS_MAX 16
#define LS_ENDS_MAX 16
#define LS_LOG_N 1024  /* events kept for the log pane */
#define LS_SAYS_N 64   /* narration lines kept */
#define LS_SAY_OPEN 8  /* narrations reassembled at once; a ninth worker
                          between chunks ends the oldest one's line early */
#define LS_ITEM_TEXTS 32 /* item texts kept per queue or pipe (ITEM records) */

/* Lifecycle states students learn. X(ENUM, "WORD") */
#define LS_WSTATES(X)                                                          \
	X(NEW, "NEW")                                                          \
	X(RUNNABLE, "RUNNABLE")                                                \
	X(BLOCKED, "BLOCKED")                                                  \
	X(WAITING, "WAITING")                                                  \
	X(TIMED_WAITING, "TIMED_WAITING")                                      \
	X(TERMINATED, "TERMINATED")                                            \
	X(ZOMBIE, "ZOMBIE")

enum ls_wstate {
#define X(e, s) LS_WS_##e,
	LS_WSTATES(X)
#undef X
	LS_WS_COUNT
};

/* Where a worker stands with respect to its gate. */
enum ls_gate {
	LS_GATE_NONE = 0, /* not started, or ended */
	LS_GATE_MOVING,   /* running scene code between two gates */
	LS_GATE_READY,    /* at its gate, announced its next operation */
	LS_GATE_PARKED,   /* tried, could not proceed, parked at its gate */
	LS_GATE_KERNEL,   /* free run: waiting inside the real primitive */
};

struct m_worker {
	int declared;
	char name[LS_NAME_MAX];
	int kind;   /* enum ls_worker_kind */
	int flags;  /* enum ls_worker_flags */
	int parent; /* worker that spawned it, -1 for main */
	int64_t pid, tid, ppid;
	enum ls_wstate state;
	enum ls_gate gate;
	int op;          /* current or next operation (enum ls_op) */
	int op_obj;      /* its object, -1 if none */
	int64_t op_arg;  /* its argument (an item, a value, ms, a worker) */
	char where[LS_EV_TEXT]; /* lockstep run: "demo.py:12" of that operation */
	int wait_op;     /* while blocked: on what operation */
	int wait_obj;    /* ... on which object, -1 if none */
	int wait_worker; /* ... join: on which worker */
	int64_t deadline;/* timed wait: virtual or real ns, 0 if none */
	int notified;    /* condition wait: a notify has picked this waiter */
	int holds[LS_HOLDS_MAX];      /* objects held, each once */
	int hold_units[LS_HOLDS_MAX]; /* units of each (semaphores: >1) */
	int nholds;
	int64_t last_read; /* last value this worker read from a shared value */
	int has_read;
	int exit_code, exit_how;
	int64_t wait_status; /* processes: status from waitpid */
	int reaped_by;
	uint64_t steps;  /* steps granted to it */
	uint64_t events; /* records it sent */
	/* processes and signals */
	int term_signal;     /* killed by this signal, 0 if not */
	int adopted;         /* its parent died: parent/ppid are the new ones */
	int in_handler;      /* running the handler of this signal, 0 if none */
	int last_signal;     /* last signal delivered to it */
	uint64_t sigs_sent, sigs_got;
	uint64_t sig_handled, sig_ignored; /* bit s: dispositions it set */
	int64_t wait_mark; /* FIFO open: the other end's opens when it began */
};

struct m_item_text {
	int64_t item;
	char text[LS_EV_TEXT];
};

struct m_object {
	int declared;
	char name[LS_NAME_MAX];
	int kind;      /* enum ls_obj_kind */
	int owner;     /* locks: worker, or -1 */
	int count;     /* rlock: hold count; future: 1 once set */
	int64_t value; /* semaphores, shared values: current value; event: the
	                  flag; barrier: rounds passed; future: the result */
	int64_t initial;
	int64_t cap;   /* queue capacity */
	int aux;       /* condition: its mutex */
	uint32_t owner_seq; /* locks: seq of the record that set the owner; values: the value */
	int *waiters;  /* FIFO of worker ids (barrier: those arrived) */
	int nwaiters, capwaiters;
	int64_t items[LS_QUEUE_MAX]; /* queue contents, head first */
	int nitems;
	uint64_t puts, gets, writes;
	/* pipes, FIFOs, message queues: priority of each item; which worker
	 * (its process) holds which end (enum ls_end mask) */
	int item_prio[LS_QUEUE_MAX];
	struct { int worker, mask; } ends[LS_ENDS_MAX];
	int nends;
	int eof_seen; /* a reader got end-of-file */
	int64_t opens[3]; /* FIFOs: times an end (enum ls_end) was opened */
	int64_t overflow; /* messages buffered beyond LS_QUEUE_MAX, not shown */
	/* lockstep run: the short text of items that are not ints (ITEM
	 * records), by item number; the most recent LS_ITEM_TEXTS, those
	 * still inside kept first. NULL until the first ITEM: a scene's
	 * objects (and every copy the history keeps) pay nothing for it. */
	struct m_item_text *texts;
	int ntexts;
	/* thread-local data: what each worker (by id) stored in its own slot;
	 * NULL until the first store */
	struct m_slot {
		int64_t value;
		int set;
	} *slots;
	int nslots;
	/* semaphores: posts by a worker that held no unit (it counts, not lends),
	 * and units held by workers that ended without posting them */
	uint64_t unheld_posts;
	int64_t abandoned;
	/* shared values: what the updates made so far were meant to add to
	 * `initial` (ls_value_expect), when the scene says (expecting) */
	int64_t expect;
	int expecting;
	/* deadlock analysis: roles[w] is what worker w has done to this object
	 * (enum ls_role bits), so the analysis can say who could still release
	 * a waiter. Grown on demand, indexed by worker id. */
	unsigned char *roles;
	int nroles;
};

/* Roles a worker has played on an object (each operation's unit says
 * which records give which: unit.h). */
enum ls_role {
	LS_ROLE_GIVER = 1, /* posted, put, notified, set, wrote: makes it available to takers */
	LS_ROLE_TAKER = 2, /* acquired, got, read: makes room for givers */
};

struct m_say {
	int worker; /* -1: the scene or lockstep itself */
	int output; /* captured stdout/stderr, not narration */
	char text[LS_SAY_MAX];
};

struct model {
	struct m_worker *w;
	int nw, capw;
	struct m_object *o;
	int no, capo;
	uint64_t events;
	uint64_t steps;
	int64_t vclock;
	int mode;
	uint64_t presses; /* times the user pressed the scene key */
	int64_t host_pid;
	uint64_t t_first, t_last;
	int ended, end_status;
	int crashed, crash_signal, crash_worker;
	char fatal[LS_SAY_MAX]; /* the scene's last fatal error, "" if none */
	uint64_t anomalies; /* records that contradict the model */
	struct ls_event log[LS_LOG_N];
	uint64_t nlog; /* total ever logged; ring index = n % LS_LOG_N */
	struct m_say says[LS_SAYS_N];
	uint64_t nsays;
	/* narrations being reassembled from their chunks, one per worker that
	 * is between its first and last chunk (worker -1: the scene or
	 * lockstep). Kept here, not in each worker, so that a worker stays
	 * small: the history copies every worker at each snapshot. */
	struct m_say_open {
		int worker; /* -2: free */
		int len, output;
		uint64_t opened; /* the model's record count at its first chunk */
		char text[LS_SAY_MAX];
	} open_says[LS_SAY_OPEN];
};

void model_init(struct model *m);
void model_free(struct model *m);
/* Back to model_init's state, keeping the workers' and objects' arrays for
 * the next fold (a model folded again and again from the start). */
void model_reset(struct model *m);
/* Thread-local data: what worker stored in its own slot of o; 0 if nothing. */
int model_local_slot(const struct m_object *o, int worker, int64_t *value);
void model_apply(struct model *m, const struct ls_event *ev);

const struct m_worker *model_worker(const struct model *m, int id);
const struct m_object *model_object(const struct model *m, int id);
const char *model_worker_name(const struct model *m, int id);
const char *model_object_name(const struct model *m, int id);

/* A worker that has started and not ended. */
int model_live(const struct model *m, int id);
/* In a controlled run: would this worker make progress if granted a step? */
int model_eligible(const struct model *m, int id);
/* True when no live worker is between gates (a step is over). */
int model_settled(const struct model *m);
/* The state every pane shows: the last announced one, except that a waiter
 * whose wait is over (its lock free and its turn, an item in the buffer, its
 * deadline passed) is RUNNABLE: woken, it retries when it next moves. Read
 * this, never m_worker.state, to draw or report a worker. */
enum ls_wstate model_state(const struct model *m, int id);
/* A waiter whose wait is over and that has not retried yet. */
int model_woken(const struct model *m, int id);
/* Blocked on something that is not available now (not eligible, not ready,
 * not moving). */
int model_blocked(const struct model *m, int id);
/* Earliest deadline among parked timed waiters, 0 if none. */
int64_t model_next_deadline(const struct model *m);

const char *model_state_name(enum ls_wstate s);
/* enum ls_role bits worker `w` has played on object `obj` (0 if none). */
unsigned model_roles(const struct model *m, int obj, int w);

/* Units of object obj the worker holds (1 for a lock), 0 if none. */
int model_hold_units(const struct m_worker *w, int obj);
/* The text of item v of a queue or pipe (ITEM), NULL if none is known. */
const char *model_item_text(const struct m_object *o, int64_t v);
/* Is item v shown as text (a text is known, or it was numbered as one)? */
int model_item_is_text(const struct m_object *o, int64_t v);
/* Item v as shown: its text, else the number ("#n" for a text item whose
 * text is not known). Returns what snprintf does. */
int model_item_str(const struct m_object *o, int64_t v, char *buf, size_t n);
/* Pipes and FIFOs: how many processes hold this end (enum ls_end). */
int model_end_holders(const struct m_object *o, int end);

#endif
