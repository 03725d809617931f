/* event: the bus record, its types and operations, encode/decode/validate.
 *
 * Owns the one wire format shared by scene workers (writers) and the UI
 * (reader). Pure: no I/O, no clock, no allocation. Every table that names an
 * event type or an operation lives here, so the JSON output, the log pane and
 * the validator speak from the same list.
 */
#ifndef LS_EVENT_H
#define LS_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define LS_EV_MAGIC 0x534cu /* "LS" little-endian */
#define LS_EV_VERSION 1
#define LS_EV_SIZE 64
#define LS_EV_TEXT 32 /* bytes of text a NAME or SAY record carries */
#define LS_MAX_WORKERS 1100
#define LS_MAX_OBJECTS 4096

/* Event types. X(ENUM, "json name", needs_worker, needs_object) */
#define LS_EVENT_TYPES(X)                                                      \
	X(HELLO, "hello", 0, 0)       /* host up: a0 pid, a1 scene ABI */      \
	X(WORKER, "worker", 1, 0)     /* declare: a0 kind, a1 flags, a2 parent */ \
	X(OBJECT, "object", 0, 1)     /* declare: a0 kind, a1 value, a2 cap, a3 aux */ \
	X(NAME, "name", 0, 0)         /* text names worker or object */         \
	X(SPAWN, "spawn", 1, 0)       /* started: a0 pid, a1 tid, a2 ppid */   \
	X(WANT, "want", 1, 0)         /* at the gate: a0 op, a1 arg */         \
	X(BLOCKED, "blocked", 1, 0)   /* a0 op, a1 parked, a2 deadline, a3 aux */ \
	X(ACQUIRED, "acquired", 1, 1) /* a0 op, a1 value/holds after */        \
	X(RELEASED, "released", 1, 1) /* a0 op, a1 value/holds after */        \
	X(DONE, "done", 1, 0)         /* a0 op, a1 result, a2 extra */         \
	X(NOTIFY, "notify", 1, 1)     /* a0 op, a1 woken worker or -1 */       \
	X(TIMEOUT, "timeout", 1, 0)   /* a0 op */                              \
	X(SAY, "say", 0, 0)           /* narration text chunk, a0 more */      \
	X(EXIT, "exit", 1, 0)         /* a0 code, a1 how (LS_EXIT_*) */        \
	X(REAPED, "reaped", 1, 0)     /* a0 wait status, a1 reaper worker */   \
	X(CRASH, "crash", 0, 0)       /* a0 signal, a1 pid */                  \
	X(END, "end", 0, 0)           /* scene over: a0 status */              \
	X(GRANT, "grant", 1, 0)       /* engine: a step granted, a0 step no. */ \
	X(CLOCK, "clock", 0, 0)       /* engine: virtual clock now a0 ns */    \
	X(MODE, "mode", 0, 0)         /* engine: a0 mode */                    \
	X(OUTPUT, "output", 0, 0)     /* a worker's print(), or stdout/stderr text (engine) */ \
	/* thread primitives add event types here */                           \
	X(USER, "user", 0, 0)         /* engine: the user pressed the scene key, a0 presses so far */ \
	/* process and IPC primitives add event types here (signals) */       \
	X(SIGNAL, "signal", 0, 0)     /* sent: worker sender (-1 user), a0 target, a1 sig, a2 LS_SIG_*, a3 pid */ \
	X(DELIVERED, "delivered", 1, 0) /* a0 sig: the real handler ran (async-signal-safe write) */ \
	X(HANDLER, "handler", 1, 0)   /* a0 sig, text: the scene's handler runs */ \
	X(ENDS, "ends", 1, 1)         /* pipe/FIFO ends this process holds: a0 LS_END_* mask */ \
	X(ADOPTED, "adopted", 1, 0)   /* orphan: a0 new ppid, a1 new parent worker or -1 */ \
	/* lockstep run: where in the program's source the worker's next     \
	 * operation is, text "demo.py:12" (sent when it changes) */          \
	X(WHERE, "where", 1, 0)                                                \
	/* lockstep run: the short text (repr) of an item a queue or pipe    \
	 * carries, a0 the item's number as PUT/GET/WRITE/READ carry it */   \
	X(ITEM, "item", 0, 1)

enum ls_ev_type {
	LS_EV_NONE = 0,
#define X(e, s, w, o) LS_EV_##e,
	LS_EVENT_TYPES(X)
#undef X
	LS_EV_COUNT
};

/* Operations a worker does; shown as "lock(A)". X(ENUM, "word"). Each
 * has its unit, unit_op_ENUM, in a kind file (unit.h). */
#define LS_OPS(X)                                                              \
	X(NONE, "none")                                                        \
	X(START, "start")                                                      \
	X(LOCK, "lock")                                                        \
	X(TRYLOCK, "trylock")                                                  \
	X(UNLOCK, "unlock")                                                    \
	X(SEM_WAIT, "acquire")                                                 \
	X(SEM_POST, "release")                                                 \
	X(COND_WAIT, "wait")                                                   \
	X(COND_SIGNAL, "notify")                                               \
	X(COND_BROADCAST, "notify_all")                                        \
	X(PUT, "put")                                                          \
	X(GET, "get")                                                          \
	X(READ, "read")                                                        \
	X(WRITE, "write")                                                      \
	X(SLEEP, "sleep")                                                      \
	X(JOIN, "join")                                                        \
	X(WORK, "work")                                                        \
	X(EVENT_WAIT, "wait")                                                  \
	X(EVENT_SET, "set")                                                    \
	X(EVENT_CLEAR, "clear")                                                \
	X(BARRIER_WAIT, "wait")                                                \
	X(TASK_DONE, "task_done")                                              \
	X(SIGNAL, "kill")                                                      \
	X(PAUSE, "pause")                                                      \
	X(HANDLER, "handler")                                                  \
	X(CUSTOM, "op")                                                        \
	/* thread primitives (rlock, event, barrier, timer, local) add here */ \
	X(FUTURE_SET, "set_result")                                            \
	X(FUTURE_GET, "result")                                                \
	X(LOCAL_SET, "local_set")                                              \
	X(LOCAL_GET, "local_get")                                              \
	X(USER_WAIT, "wait_key")                                               \
	X(RWLOCK_RD, "read_lock")                                              \
	X(RWLOCK_WR, "write_lock")                                             \
	/* process and IPC primitives add here */                             \
	X(OPEN_READ, "open_r")                                                 \
	X(OPEN_WRITE, "open_w")                                                \
	X(CLOSE, "close")                                                      \
	X(SEND, "send")                                                        \
	X(RECEIVE, "receive")                                                  \
	X(ASET, "set")                                                         \
	X(AGET, "get")                                                         \
	X(SIGACTION, "signal")                                                 \
	X(ALARM, "alarm")                                                      \
	X(IS_ALIVE, "is_alive")                                                \
	X(GETPPID, "getppid")                                                  \
	X(PROC_STATE, "proc_state")                                            \
	X(TERMINATE, "terminate")                                              \
	/* declarations a scene makes beside its operations (no gate) */      \
	X(EXPECT, "expect")

enum ls_op {
#define X(e, s) LS_OP_##e,
	LS_OPS(X)
#undef X
	LS_OP_COUNT
};

/* Kinds of declared objects. X(ENUM, "word"). Each has its unit,
 * unit_kind_ENUM, in a kind file (unit.h). */
#define LS_OBJ_KINDS(X)                                                        \
	X(MUTEX, "lock")                                                       \
	X(RLOCK, "rlock")                                                      \
	X(SEM, "semaphore")                                                    \
	X(COND, "condition")                                                   \
	X(QUEUE, "queue")                                                      \
	X(VALUE, "value")                                                      \
	X(EVENT, "event")                                                      \
	X(BARRIER, "barrier")                                                  \
	X(PIPE, "pipe")                                                        \
	X(FIFO, "fifo")                                                        \
	X(MQUEUE, "mqueue")                                                    \
	X(ARRAY, "array")                                                      \
	/* thread primitives add kinds here */                                 \
	X(FUTURE, "future")                                                    \
	X(LOCAL, "local")                                                      \
	X(RWLOCK, "rwlock")                                                    \
	/* process and IPC primitives add kinds here */

enum ls_obj_kind {
#define X(e, s) LS_OBJ_##e,
	LS_OBJ_KINDS(X)
#undef X
	LS_OBJ_COUNT
};

enum ls_worker_kind { LS_WK_THREAD = 0, LS_WK_PROCESS = 1 };
enum ls_worker_flags { LS_WF_DAEMON = 1, LS_WF_MAIN = 2, LS_WF_ORPHAN_OK = 4 };
enum ls_exit_how { LS_EXIT_RETURN = 0, LS_EXIT_DAEMON_STOPPED = 1, LS_EXIT_SIGNALED = 2 };
/* What a sent signal will do to its target (SIGNAL a2). */
enum ls_sig_outcome {
	LS_SIG_HANDLE = 0,  /* caught: the target runs its handler */
	LS_SIG_IGNORE = 1,  /* ignored (SIG_IGN) */
	LS_SIG_TERM = 2,    /* default action: terminate */
	LS_SIG_DFL_IGN = 3, /* default action: nothing (SIGCHLD, SIGURG, SIGWINCH) */
	LS_SIG_BLOCKED = 4, /* blocked: stays pending */
	LS_SIG_STOP = 5,    /* default action: stop */
	LS_SIG_CONT = 6,    /* default action: continue */
};
/* Ends of a pipe or FIFO a process holds (ENDS a0). */
enum ls_end { LS_END_READ = 1, LS_END_WRITE = 2 };
/* SIGACTION a2: the disposition a worker set. */
enum ls_disp { LS_DISP_DEFAULT = 0, LS_DISP_IGNORE = 1, LS_DISP_HANDLE = 2 };
/* OBJECT a3 of a queue whose get takes any item, not the head (a Python
 * LifoQueue or PriorityQueue); -1 for a FIFO queue. */
#define LS_QUEUE_ANY_ORDER 1
/* Items numbered from here up stand for an item that is not an int (a
 * Python str, tuple...); an ITEM record gives its text. Shown as "#n"
 * (n = number - LS_ITEM_TEXT_BASE) when no text is known. */
#define LS_ITEM_TEXT_BASE ((int64_t)1 << 62)
enum ls_name_of { LS_NAME_WORKER = 0, LS_NAME_OBJECT = 1 };
/* SAY and OUTPUT a0: a line longer than a record goes in chunks, each but
 * the last marked MORE; the last chunk of a scene's fatal error (what failed
 * and why, ending the run) is also marked FATAL. */
enum ls_text_flags { LS_TEXT_MORE = 1, LS_TEXT_FATAL = 2 };
enum ls_mode { LS_MODE_RUN = 0, LS_MODE_STEP = 1 };

/* The record. 64 bytes, host byte order: the pipe never leaves the machine. */
struct ls_event {
	uint16_t magic;
	uint8_t version;
	uint8_t type;
	uint32_t seq;
	uint64_t t_ns;
	int32_t worker; /* -1: none */
	int32_t object; /* -1: none */
	union {
		int64_t a[5];
		struct {
			int64_t a0;
			char text[LS_EV_TEXT];
		} s;
	} u;
};

_Static_assert(sizeof(struct ls_event) == LS_EV_SIZE, "record must be 64 bytes");

enum ls_ev_error {
	LS_EV_OK = 0,
	LS_EV_BAD_MAGIC,
	LS_EV_BAD_VERSION,
	LS_EV_BAD_TYPE,
	LS_EV_BAD_WORKER,
	LS_EV_BAD_OBJECT,
	LS_EV_BAD_OP,
	LS_EV_BAD_TEXT,
	LS_EV_BAD_KIND,
};

/* Fill the fixed header of a record; arguments and text are zeroed. */
void event_init(struct ls_event *ev, enum ls_ev_type type, uint32_t seq,
             uint64_t t_ns, int32_t worker, int32_t object);
/* Copy text into a NAME/SAY record, truncating to LS_EV_TEXT-1 bytes at a
 * UTF-8 boundary. Returns the number of bytes of src consumed. */
size_t event_set_text(struct ls_event *ev, const char *src);

void event_encode(const struct ls_event *ev, unsigned char out[LS_EV_SIZE]);
/* Decode and validate; on error *ev is unspecified. */
enum ls_ev_error event_decode(const unsigned char in[LS_EV_SIZE], struct ls_event *ev);
enum ls_ev_error event_validate(const struct ls_event *ev);

const char *event_type_name(int type);
const char *event_op_name(int op);
const char *event_obj_kind_name(int kind);
const char *event_error_name(enum ls_ev_error err);
/* Whether a record of this type carries text. */
int event_has_text(int type);

#endif
