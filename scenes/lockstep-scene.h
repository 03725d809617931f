/* lockstep-scene.h: the one header a scene plugin includes.
 *
 * A scene is a shared module that exports one descriptor, `lockstep_scene`
 * (use LS_SCENE below). lockstep forks a scene host, calls the scene's run
 * function in it as the worker "main", and every operation the scene makes
 * through this API is announced on the event bus and passes a gate, so the
 * user can pause, slow down, step it, or choose who moves next.
 *
 * Rules for scene code:
 *  - Use only this API for anything another worker can see: the real OS
 *    primitive sits underneath, but the gate and the announcements are what
 *    make the scene visible and steppable.
 *  - Declare objects in main before spawning workers, so ids and names are
 *    the same on every run.
 *  - Memory a process worker shares with others comes from ls_shared_alloc;
 *    ordinary globals are copied by fork, as they would be in any program.
 *  - Plain computation between two calls is part of one step. Use
 *    ls_work_ms() for work that should be seen as work.
 *  - Never printf: use ls_say() for narration and ls_print() for what the
 *    program itself prints. Whatever a scene writes to stdout/stderr behind
 *    the probe's back is captured into the log too, but nobody can tell
 *    which process wrote it.
 *  - User-visible text goes through LS_() so it can be translated.
 *
 * Objects work between threads and between forked processes alike: they live
 * in a shared arena with process-shared attributes.
 */
#ifndef LOCKSTEP_SCENE_H
#define LOCKSTEP_SCENE_H

#include <stddef.h>

#define LS_SCENE_ABI 2

/* Limits. A scene that goes past one is stopped: its host aborts after one
 * line saying what ("scene error in main: too many workers"), which is the
 * run's error, and the outcome is "crashed". Names longer than
 * LS_SCENE_NAME_SHOWN bytes are cut on screen, not refused. */
#define LS_SCENE_MAX_WORKERS 1100            /* threads and processes, main included */
#define LS_SCENE_MAX_OBJECTS 4096            /* locks, semaphores, queues, values... */
#define LS_SCENE_SHARED_BYTES (32u << 20)    /* ls_shared_alloc and every object */
#define LS_SCENE_STACK_BYTES (256u << 10)    /* each worker thread's stack */
#define LS_SCENE_NAME_SHOWN 31               /* bytes of a worker's or object's name */
#define LS_SCENE_QUEUE_MAX 64                /* ls_queue_new capacity: 1..64 */
#define LS_SCENE_MQ_MAX 10                   /* ls_mq_new capacity: 1..10 (msg_max) */
#define LS_SCENE_IPC_NAMES 64                /* FIFOs, mqueues and shm objects */
#define LS_SCENE_POOL_PROCS 16               /* ls_pool_new: 1..16 processes */
#define LS_SCENE_POOL_TASKS 32               /* tasks one pool runs */
#define LS_SCENE_SAY_MAX 511                 /* bytes of one ls_say line */
#define LS_SCENE_PARAMS_MAX 32               /* parameters in a descriptor */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- describing a scene ---------------------------------------------- */

enum ls_param_type {
	LS_PARAM_INT = 0,    /* a whole number in [min, max] */
	LS_PARAM_CHOICE = 1, /* one of `choices`, "a|b|c"; value is the index */
};

struct ls_param_desc {
	const char *name;    /* as given on the command line: --param name=V */
	enum ls_param_type type;
	long def;            /* default: a number, or the index of a choice */
	long min, max;       /* LS_PARAM_INT only */
	const char *choices; /* LS_PARAM_CHOICE only: "on|off" */
	const char *help;    /* one line */
};

enum ls_scene_flags {
	/* The scene measures real time (IO vs CPU, IPC throughput): it always
	 * runs freely at full speed, headless too, and cannot be stepped. */
	LS_SCENE_FREE_RUN = 1,
};

struct ls_scene {
	int abi;             /* LS_SCENE_ABI */
	const char *id;      /* "deadlock": letters, digits and '-' */
	const char *title;   /* one line, shown by --list */
	const char *summary; /* one paragraph: the lesson */
	const char *help;    /* more: documented schedules, what to try */
	const struct ls_param_desc *params; /* ends with {0}; may be NULL */
	int (*run)(void);    /* the body of worker "main" */
	unsigned flags;      /* enum ls_scene_flags */
};

/* In a scene file: LS_SCENE(.id = "x", .title = ..., .run = run_fn); */
#define LS_SCENE(...)                                                          \
	__attribute__((visibility("default"))) const struct ls_scene           \
	    lockstep_scene = {.abi = LS_SCENE_ABI, __VA_ARGS__}

/* ---- goals: challenges, the schedule explorer, graded exercises --------- */

/* What a scene dares a student to make happen, as a test of the model: a
 * deadlock, a stall, a shared value that ends wrong, a buffer filled, a line
 * printed; or something no schedule can do, with the reason. One notion,
 * three users: the UI lists them as challenges (and says when one is met),
 * `lockstep --explore SCENE --goal=ID` looks for a schedule that meets one,
 * `lockstep --grade` checks a student's schedule against one; `--list-goals
 * SCENE` lists them beside the built-in deadlock, stall and crash. Optional:
 * a module may export no goals (older modules do not), and the descriptor is
 * unchanged. */
enum ls_goal_test {
	LS_GOAL_CHANGED = 1,  /* `value` did not end where it started */
	LS_GOAL_BELOW = 2,    /* `value` ended below the product of `params` */
	LS_GOAL_DEADLOCK = 3, /* a deadlock; with `params`, at least that many
	                         workers in its circle */
	LS_GOAL_STALL = 4,    /* every live worker waits for ever, with no circle */
	LS_GOAL_FULL = 5,     /* object `value` is full at some moment: a queue
	                         at its capacity, a semaphore with no unit free */
	LS_GOAL_PRINTED = 6,  /* some process printed the line `value` */
	LS_GOAL_IMPOSSIBLE = 7, /* no schedule can: `why` says why */
};

struct ls_goal {
	const char *id;     /* --goal=ID: letters, digits and '-' */
	const char *help;   /* one line, LS_N(): the challenge as the student reads it */
	const char *value;  /* the name given to ls_value_new (or the object, or the line) */
	enum ls_goal_test test;
	const char *params; /* parameters multiplied, "processes*rounds" */
	/* Read only from modules whose LS_GOALS says how large the struct
	 * was (lockstep_goal_size); older modules end here. */
	const char *why;    /* LS_GOAL_IMPOSSIBLE: why no schedule can, LS_N() */
	int fewest;         /* the fewest steps known to meet it with the default
	                       parameters (counted as the step counter counts, to
	                       the moment it is met); 0 unknown */
};

/* In a scene file: LS_GOALS({.id = "lost-update", ...}); the list ends
 * with {0} by itself. */
#define LS_GOALS(...)                                                          \
	__attribute__((visibility("default"))) const unsigned                  \
	    lockstep_goal_size = sizeof(struct ls_goal);                       \
	__attribute__((visibility("default"))) const struct ls_goal            \
	    lockstep_goals[] = {__VA_ARGS__, {0}}

/* ---- prediction points: "what happens next?" ------------------------------ */

/* Moments a scene marks for the class to predict before the step is taken
 * (the UI asks; one key per answer; the step reveals). Each point is a
 * question and the object it is about; the UI asks it whenever the model is
 * at such a moment in step mode. */
enum ls_ask {
	LS_ASK_NEXT = 1,  /* who moves next? asked when two or more workers can
	                     move and one of them is about to use `object`
	                     (NULL: any moment two can move) */
	LS_ASK_VALUE = 2, /* what will value `object` be after the step? asked
	                     when the next step writes it */
	LS_ASK_WAKES = 3, /* who wakes up? asked when the next step releases,
	                     posts, notifies or fills `object` and someone waits */
};

struct ls_prediction {
	enum ls_ask ask;
	const char *object; /* the name the scene gave it */
};

#define LS_PREDICTIONS(...)                                                    \
	__attribute__((visibility("default"))) const struct ls_prediction      \
	    lockstep_predictions[] = {__VA_ARGS__, {0}}

/* Mark a static string for translation; LS_() translates at run time. */
#define LS_N(s) (s)
/* format_arg: a translated format is checked against the arguments like the
 * original, and compilers do not take it for a non-literal format. */
const char *ls_tr(const char *msgid) __attribute__((format_arg(1)));
#define LS_(s) ls_tr(s)

/* ---- parameters --------------------------------------------------------- */

long ls_param(const char *name);            /* number, or choice index */
const char *ls_param_str(const char *name); /* choice name, or NULL */

/* ---- workers ------------------------------------------------------------ */

typedef int ls_worker; /* a worker id; main is 0 */

enum ls_spawn_flags {
	LS_THREAD = 0,  /* a pthread in the spawner's process */
	LS_PROCESS = 1, /* a forked process (fork before starting threads) */
	LS_DAEMON = 2,  /* a daemon thread: stopped when the non-daemons end */
	/* a process that goes on living when its parent dies (it is adopted);
	 * by default a worker process dies with its parent (PDEATHSIG) */
	LS_ORPHAN_OK = 4,
};

/* Start a worker running fn(arg). The worker is RUNNABLE at once and runs
 * to its first operation, where it waits at its gate. Not a step. */
ls_worker ls_spawn(const char *name, int (*fn)(void *), void *arg, int flags);
/* Declare a thread without starting it (state NEW); ls_start starts it and
 * is a step of the caller. */
ls_worker ls_create(const char *name, int (*fn)(void *), void *arg, int flags);
void ls_start(ls_worker w);
/* Wait for a worker to end (WAITING meanwhile). For a process this is
 * waitpid: it reaps the child. Returns its exit code, or -signal. */
int ls_join(ls_worker w);
ls_worker ls_self(void);
const char *ls_worker_name(ls_worker w);

/* ---- shared memory ------------------------------------------------------ */

/* Zeroed memory visible to every thread and process of the scene. */
void *ls_shared_alloc(size_t size);

/* ---- mutex (threading.Lock / multiprocessing.Lock) ---------------------- */

typedef struct ls_mutex ls_mutex;
ls_mutex *ls_mutex_new(const char *name);
void ls_lock(ls_mutex *m);
int ls_trylock(ls_mutex *m);               /* 1: acquired, 0: busy */
int ls_lock_timeout(ls_mutex *m, long ms); /* 1: acquired, 0: timed out */
void ls_unlock(ls_mutex *m);

/* ---- counting semaphore (threading.Semaphore) --------------------------- */

typedef struct ls_sem ls_sem;
ls_sem *ls_sem_new(const char *name, unsigned value);
void ls_sem_wait(ls_sem *s);
void ls_sem_post(ls_sem *s);

/* ---- condition variable (threading.Condition) --------------------------- */

/* Waiters queue in order; notify wakes the first in line, as CPython does,
 * so who wakes is known and shown. The caller must hold the mutex. */
typedef struct ls_cond ls_cond;
ls_cond *ls_cond_new(const char *name, ls_mutex *m);
void ls_cond_wait(ls_cond *c);
int ls_cond_wait_timeout(ls_cond *c, long ms); /* 1: notified, 0: timed out */
void ls_cond_signal(ls_cond *c);
void ls_cond_broadcast(ls_cond *c);

/* ---- bounded queue of small items (queue.Queue) ------------------------- */

typedef struct ls_queue ls_queue;
ls_queue *ls_queue_new(const char *name, int capacity); /* 1..64 */
void ls_queue_put(ls_queue *q, long item);
long ls_queue_get(ls_queue *q);

/* ---- shared integer: read and write are separate steps ------------------ */

typedef struct ls_value ls_value;
ls_value *ls_value_new(const char *name, long initial);
long ls_value_read(ls_value *v);
void ls_value_write(ls_value *v, long value);
/* Declares what an update was meant to do: after a read-modify-write that
 * meant to add delta, call ls_value_expect(v, delta). Not a step. The
 * values pane then shows the invariant "expected E, actual A, lost L" (E is
 * the initial value plus every delta declared), and the headless JSON the
 * value's "expected". Added in lockstep 0.1 without changing LS_SCENE_ABI:
 * a module that does not call it loads and runs as before. */
void ls_value_expect(ls_value *v, long delta);

/* ---- processes (multiprocessing.Process, os) ---------------------------- */

/* p.is_alive(): a process that has exited (even unreaped) is not alive. */
int ls_is_alive(ls_worker w);
/* p.terminate(): SIGTERM, as Python does. Use ls_join to reap it after. */
void ls_terminate(ls_worker w);
/* os._exit(code): this process ends at once, without waiting for its
 * children (they become orphans). Processes only. */
_Noreturn void ls_exit(int code);
/* os.getppid(). An orphan sees its new parent here; lockstep shows who
 * adopted it. */
long ls_getppid(void);
/* The kernel's own view of a worker process: its state letter in
 * /proc/PID/stat ('S' sleeping, 'R' running, 'Z' zombie...), or '?' when
 * /proc no longer knows the pid (reaped). */
int ls_proc_state(ls_worker w);

/* ---- signals (signal, os.kill, signal.pause, signal.alarm) -------------- */

/* Handlers run as Python runs them: the real handler only records that the
 * signal came (and announces it with one write()); the scene's function runs
 * in the process's main worker at its next operation or wait, where it may
 * use this API like any other code. Dispositions are per process and are
 * inherited by ls_spawn(..., LS_PROCESS), as with fork. */
/* A signal sent to a process whose main worker has ended is not handled
 * (its handler would have nowhere to run): keep main waiting (ls_join). */
typedef void (*ls_handler)(int sig);
void ls_signal_handle(int sig, ls_handler fn, const char *name);
void ls_signal_ignore(int sig);
void ls_signal_default(int sig);
/* os.kill(pid, sig) to a worker's process. */
void ls_kill(ls_worker w, int sig);
/* os.kill(os.getppid(), sig): to the parent process (main when the parent
 * is the scene host). */
void ls_kill_parent(int sig);
/* signal.pause(): WAITING until a handled signal arrives and its handler
 * has run. */
void ls_pause(void);
/* signal.alarm(seconds): SIGALRM later. 0 cancels. In a controlled run the
 * time is virtual and the alarm rings while the process waits in ls_pause
 * (the clock jumps to it when nobody else can move). */
void ls_alarm(unsigned seconds);

/* ---- pipe (os.pipe; two of them make a duplex Pipe()) ------------------- */

/* Messages are whole numbers written as 8 bytes (below PIPE_BUF, so a
 * message is never torn). Both ends are open in the creating process and
 * every process forked after it: close the ends a process does not use, or
 * its reader never sees end-of-file. */
typedef struct ls_pipe ls_pipe;
enum ls_pipe_end { LS_READ_END = 1, LS_WRITE_END = 2 };
ls_pipe *ls_pipe_new(const char *name);
void ls_pipe_write(ls_pipe *p, long msg);
/* 1 and *msg: a message. 0: end-of-file (no write end is open anywhere). */
int ls_pipe_read(ls_pipe *p, long *msg);
void ls_pipe_close(ls_pipe *p, int end);

/* ---- FIFO (os.mkfifo): a pipe with a name in the file system ----------- */

/* The FIFO is made at /tmp/lockstep-<host pid>-<name> and removed when the
 * scene ends, however it ends. Processes open it by name: opening for
 * reading waits for a writer and opening for writing waits for a reader. */
typedef struct ls_fifo ls_fifo;
ls_fifo *ls_fifo_new(const char *name);
const char *ls_fifo_path(ls_fifo *f);
void ls_fifo_open(ls_fifo *f, int end); /* LS_READ_END or LS_WRITE_END */
void ls_fifo_write(ls_fifo *f, long msg);
int ls_fifo_read(ls_fifo *f, long *msg);
void ls_fifo_close(ls_fifo *f);

/* ---- POSIX message queue (mq_open) -------------------------------------- */

/* Named /lockstep-<host pid>-<name>, unlinked when the scene ends, however
 * it ends. capacity 1..10 (the system's msg_max). Higher priorities are
 * received first; equal priorities in order. */
typedef struct ls_mq ls_mq;
ls_mq *ls_mq_new(const char *name, int capacity);
void ls_mq_send(ls_mq *q, long msg, unsigned prio);
long ls_mq_receive(ls_mq *q, unsigned *prio);

/* ---- shared memory (multiprocessing.Array, shm_open) -------------------- */

/* An array of whole numbers in a POSIX shared memory object named
 * /lockstep-<host pid>-<name> (removed when the scene ends, however it
 * ends), mapped before any worker is forked. Each get and set is a step;
 * cells are shown as they change. n is 1..64. */
typedef struct ls_array ls_array;
ls_array *ls_array_new(const char *name, int n, long initial);
long ls_array_get(ls_array *a, int i);
void ls_array_set(ls_array *a, int i, long v);
/* The memory itself, for code that times raw access (ipc-compare). */
long *ls_array_raw(ls_array *a);

/* ---- JoinableQueue ------------------------------------------------------ */

/* A queue whose producer can join() until every item taken out has been
 * marked done, as multiprocessing.JoinableQueue: put counts an unfinished
 * task, task_done uncounts one, join waits for zero. */
typedef struct ls_jqueue ls_jqueue;
ls_jqueue *ls_jqueue_new(const char *name, int capacity);
void ls_jqueue_put(ls_jqueue *q, long item);
long ls_jqueue_get(ls_jqueue *q);
void ls_jqueue_task_done(ls_jqueue *q);
void ls_jqueue_join(ls_jqueue *q);

/* ---- process Pool (multiprocessing.Pool) -------------------------------- */

/* n worker processes take tasks from a shared task queue and put results
 * back. apply_async returns a task number; ls_pool_get waits for its
 * result. map runs fn over args and fills results in the order of args.
 * At most 32 tasks per pool. */
typedef struct ls_pool ls_pool;
ls_pool *ls_pool_new(const char *name, int processes, long (*fn)(long));
int ls_pool_apply_async(ls_pool *p, long arg);
long ls_pool_get(ls_pool *p, int task);
void ls_pool_map(ls_pool *p, const long *args, long *results, int n);
/* close() and join(): the workers finish and are reaped. */
void ls_pool_close_join(ls_pool *p);
/* Which pool worker ran a task (after its result is in). */
ls_worker ls_pool_ran_on(ls_pool *p, int task);

/* ---- reentrant lock (threading.RLock) ---------------------------------- */

/* The owner may acquire it again; each acquire needs its own release. The
 * hold count is announced, so the UI shows it rise and fall. */
typedef struct ls_rlock ls_rlock;
ls_rlock *ls_rlock_new(const char *name);
void ls_rlock_acquire(ls_rlock *r);
int ls_rlock_acquire_timeout(ls_rlock *r, long ms); /* 1: acquired, 0: timed out */
void ls_rlock_release(ls_rlock *r);

/* ---- read-write lock (pthread_rwlock_t) -------------------------------- */

/* Many readers share it, or one writer has it alone. It is glibc's default
 * rwlock, which prefers readers: a reader gets in while others read, even
 * when a writer is waiting (so a stream of readers can starve a writer); a
 * writer waits until every reader has left. Process-shared, so it works
 * between processes too. Not robust: a holder that dies holding it leaves
 * it held. ls_rwlock_unlock releases whichever hold the worker has. */
typedef struct ls_rwlock ls_rwlock;
ls_rwlock *ls_rwlock_new(const char *name);
void ls_rwlock_rdlock(ls_rwlock *l);
void ls_rwlock_wrlock(ls_rwlock *l);
int ls_rwlock_rdlock_timeout(ls_rwlock *l, long ms); /* 1: acquired, 0: timed out */
int ls_rwlock_wrlock_timeout(ls_rwlock *l, long ms); /* 1: acquired, 0: timed out */
void ls_rwlock_unlock(ls_rwlock *l);

/* ---- event (threading.Event) -------------------------------------------- */

/* A flag with waiters. set() wakes every worker waiting at that moment (they
 * return even if someone clears the flag before they run, as in CPython);
 * clear() makes later waiters wait again. */
typedef struct ls_event_obj ls_event_obj;
ls_event_obj *ls_event_new(const char *name);
void ls_event_wait(ls_event_obj *e);
int ls_event_wait_timeout(ls_event_obj *e, long ms); /* 1: set, 0: timed out */
void ls_event_set(ls_event_obj *e);
void ls_event_clear(ls_event_obj *e);
int ls_event_is_set(ls_event_obj *e); /* a look, not a step */

/* ---- barrier (threading.Barrier) ---------------------------------------- */

/* `parties` workers must arrive before any passes; then all pass together
 * and the barrier is ready for the next round. Returns the arrival index,
 * 0 .. parties-1, as CPython does. */
typedef struct ls_barrier ls_barrier;
ls_barrier *ls_barrier_new(const char *name, int parties);
int ls_barrier_wait(ls_barrier *b);

/* ---- future (concurrent.futures.Future) --------------------------------- */

/* A result that one worker sets once and others wait for. */
typedef struct ls_future ls_future;
ls_future *ls_future_new(const char *name);
void ls_future_set(ls_future *f, long result);
long ls_future_result(ls_future *f); /* WAITING until set */

/* ---- thread-local slot (threading.local) -------------------------------- */

/* One name, a separate value in every thread (pthread keys underneath). A
 * forked process starts with a copy of its spawner's values. */
typedef struct ls_local ls_local;
ls_local *ls_local_new(const char *name);
void ls_local_set(ls_local *l, long value);
long ls_local_get(ls_local *l, long dflt); /* dflt if this thread never set it */

/* ---- the user ----------------------------------------------------------- */

/* WAITING until the user presses the scene key in the UI (headless: the
 * schedule entry "key", or by itself when nothing else can move). */
void ls_wait_user(const char *prompt);

/* ---- time and narration ------------------------------------------------- */

void ls_sleep_ms(long ms); /* TIMED_WAITING; virtual time in controlled runs */
void ls_work_ms(long ms);  /* busy computation, shown as work; not a step */
/* CPU-bound work: spins until this thread has used ms of CPU time, so when
 * workers outnumber cores it takes longer in wall time, as real computation
 * does (ls_work_ms spins for ms of wall time). Shown as work; not a step. */
void ls_compute_ms(long ms);
/* The scene's clock in ms: virtual in controlled runs, real in free runs. */
long ls_now_ms(void);
/* 1 in a controlled run (step mode: one worker moves at a time), 0 free. */
int ls_controlled(void);
/* A line of narration, printf-style. Long lines are fine. */
void ls_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A line on this process's standard output, as Python's print() writes it:
 * exactly this text, shown as this worker's output (the log's "output:"
 * lines, the headless "output" records), in order with its operations. Not
 * narration: say what it means with ls_say(). A newline inside starts
 * another line. */
void ls_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#ifdef __cplusplus
}
#endif
#endif
