/* engine: one running scene, driven by the libev loop it is given.
 *
 * Owns the host, the control block, the bus reader, the model, the analysis
 * and the scheduler of controlled runs. Front ends (the terminal UI and the
 * headless JSON printer) call it and are called back; it never draws or
 * prints. In a controlled run it grants a step only when the model says the
 * scene has settled, so the same schedule gives the same states every time.
 */
#ifndef LS_ENGINE_H
#define LS_ENGINE_H

#include <stdint.h>
#include <sys/types.h>

#include "analysis.h"
#include "params.h"
#include "engine_sched.h"
#include "kernel.h"
#include "model.h"

struct ev_loop;
struct engine;
struct rec_sink;

enum ls_outcome {
	LS_OUT_NONE = 0, /* still running */
	LS_OUT_FINISHED,
	LS_OUT_DEADLOCK,
	LS_OUT_STALLED,
	LS_OUT_TIMEOUT,
	LS_OUT_CRASHED,
	LS_OUT_ERROR,  /* the host failed: see engine_error */
	LS_OUT_BAD_SCHEDULE, /* a schedule entry named no worker, or one that cannot move */
	LS_OUT_STOPPED /* the user stopped or restarted it */
};


struct engine_opts {
	const struct ls_scene *scene;
	long params[LS_PARAMS_MAX];
	enum ls_mode mode;   /* how the scene starts */
	unsigned delay_us;   /* free run: pause at each gate */
	int autostep;        /* controlled runs step themselves (headless) */
	const char *schedule;/* comma-separated worker names or indices, "rest",
	                        or signal:TARGET:SIG (TARGET a worker or "group") */
	enum ls_sched sched; /* after the schedule runs out */
	uint64_t seed;
	int until_deadlock;  /* end at the first wait-for cycle */
	double settle_warn_s;/* report a worker busy this long outside the probe */
	int free_run;        /* headless: let the kernel schedule, at full speed */
	int no_kernel_view;  /* the explorer: no /proc reading before a stop */
	unsigned spin_us;    /* the explorer: after a batch, poll the bus this
	                        long for the next before sleeping in the loop,
	                        and parked workers their gate (its steps follow
	                        each other at once) */
	int detach_at_end;   /* the explorer: a run is over once its outcome is
	                        known (a goal, or END from a scene that ended
	                        well); its host is killed and reaped in the
	                        background while the next run starts */
	const char *rundir;  /* the explorer: a run directory (rundir_make) to
	                        reuse for this run and leave; NULL: one of its own */
	const char *record;  /* --record=FILE: write every record folded there */
	const struct rec_sink *tap; /* --serve: the same recording, to viewers */
	int drive_schedule;  /* the UI: step the schedule by itself, then wait */
	int drive_lenient;   /* ...and where an entry cannot move, stop there
	                        (engine_drive_stop) instead of ending the run */
	unsigned gather_us;  /* the UI: while records stream in, read the bus
	                        this often instead of at every wakeup */
	int analyse_on_demand; /* the UI: a free run (not autostep) is analysed
	                        when engine_analysis() is asked, once per frame,
	                        not after every batch (docs/DESIGN.md) */
};

struct engine_cb {
	void (*event)(void *ud, const struct ls_event *ev); /* after the fold */
	void (*changed)(void *ud);  /* after a batch of events */
	void (*settled)(void *ud);  /* a controlled step is over */
	void (*ended)(void *ud);    /* outcome known, scene stopped and reaped */
	void (*notice)(void *ud, const char *msg);
	/* Controlled runs that step themselves (autostep): who moves next,
	 * asked each time the run has settled and someone is eligible; -1
	 * leaves it to the schedule and the policy. It may end the run
	 * (engine_finish). The schedule explorer chooses here. */
	int (*choose)(void *ud);
};

struct engine *engine_new(struct ev_loop *loop, const struct engine_opts *o,
                          const struct engine_cb *cb, void *ud);
int engine_start(struct engine *e, char *err, size_t errlen);
/* Kills the scene's whole group (if it still runs) and frees the engine. */
void engine_free(struct engine *e);
/* Once the front end is done with engines: wait for every child that is
 * left, the scenes' orphans this subreaper adopted included, so nothing
 * outlives lockstep. Blocks until there is none. */
void engine_reap_all(void);
/* The clock every record is stamped with (CLOCK_MONOTONIC ns), for a
 * front end that measures how long a record took to reach the screen. */
uint64_t engine_now_ns(void);

/* Controlled run: grant one step, to `worker` or (-1) to the scheduling
 * policy's pick (engine_sched.h: the same worker a headless run would step
 * once its schedule has run out). When nobody is eligible but someone
 * sleeps, virtual time jumps first. Returns the worker granted, or -1 when
 * nothing can move now. */
int engine_step(struct engine *e, int worker);
/* The worker engine_step(e, -1) would step now, or -1 (nobody can move,
 * or only the virtual clock can). */
int engine_next(const struct engine *e);
/* Why `worker` cannot be stepped now, in one sentence (engine_sched.h). */
const char *engine_why_not(const struct engine *e, int worker, char *buf, size_t n);
void engine_set_mode(struct engine *e, enum ls_mode mode);
void engine_set_delay(struct engine *e, unsigned delay_us);
/* Send a signal as the terminal or kill(1) would: to the process of
 * `worker` (a thread of the host means the host), or with worker -1 to the
 * scene's whole process group (as ^C does). In a controlled run only when the
 * run has settled; the signal is a step of its own, and each target that
 * will run a handler (or die) counts as moving until it has (see DESIGN.md,
 * "Signals"). A signal whose default action would stop a process is refused
 * in a controlled run. Returns 0, or -1 with the reason in why. */
int engine_send_signal(struct engine *e, int worker, int sig, char *why, size_t n);
/* For the send-signal menu: can this worker's process be signalled now
 * (main, or a live worker process)? */
int engine_can_signal(const struct engine *e, int worker);
/* The kernel's view beside the model's: the state letter of the worker's
 * process in /proc ('R', 'S', 'Z'...), '?' if none (a thread, reaped). */
int engine_proc_state(const struct engine *e, int worker);
/* The user pressed the scene key: wakes workers in ls_wait_user. */
void engine_press_key(struct engine *e);
/* Some worker waits in ls_wait_user (the UI may show a hint). */
int engine_waits_for_user(const struct engine *e);
/* End the run with this outcome: kills the scene's process group. */
void engine_finish(struct engine *e, enum ls_outcome out, const char *why);

const struct model *engine_model(const struct engine *e);
/* The analysis of the model as it is now. With analyse_on_demand, a free
 * run's batches only mark it stale, and this call makes it (with the
 * checker's invariants and the narration of a cycle that formed), so a
 * frame draws the analysis of the very model it draws. */
const struct analysis *engine_analysis(struct engine *e);
enum ls_outcome engine_outcome(const struct engine *e);
const char *engine_outcome_name(enum ls_outcome o);
const char *engine_error(const struct engine *e);
/* LOCKSTEP_CHECK=1 and an invariant broke: engine_error() says which. */
int engine_check_failed(const struct engine *e);
/* The scene's process group, as forked (never a pid read off the bus);
 * 0 before the start. */
pid_t engine_host_pgid(const struct engine *e);
enum ls_mode engine_mode(const struct engine *e);
unsigned engine_delay(const struct engine *e);
int engine_settled(const struct engine *e);
int engine_done(const struct engine *e); /* ended and reaped */
uint64_t engine_malformed(const struct engine *e);
int64_t engine_host_status(const struct engine *e);
/* The kernel's view (/proc) of every worker. engine_kernel_view() is the
 * last reading: the engine takes one just before it stops a scene that is
 * still alive (deadlock, stall, timeout, stop), so a summary can show it.
 * engine_kernel_refresh() re-reads if the last reading is older than
 * min_interval_ns (a pane calls it from its frame, only while visible). */
const struct kview *engine_kernel_view(const struct engine *e);
const struct kview *engine_kernel_refresh(struct engine *e, uint64_t min_interval_ns, int lo, int hi);

/* Schedule entries not yet used (drive_schedule: 0 once the re-drive is
 * done). */
int engine_schedule_left(const struct engine *e);
/* drive_lenient: why the re-drive stopped before its end ("" if it did
 * not): the entry named a worker that could not move. */
const char *engine_drive_stop(const struct engine *e);

/* Replay (record.h): an engine made with engine_new() and never started
 * is fed a recording: each record is folded and shown as it was live (the
 * invariants checked, the front end called back), the marks call the same
 * callbacks; nothing is scheduled or narrated again, the recording has it. */
void engine_replay_event(struct engine *e, const struct ls_event *ev);
void engine_replay_settled(struct engine *e);
void engine_replay_notice(struct engine *e, const char *msg);
/* A batch of records came (--attach follows a run as it is made): the
 * analysis again, and the front end's changed(). */
void engine_replay_batch(struct engine *e);
void engine_replay_end(struct engine *e, enum ls_outcome out, const char *why,
                       uint64_t malformed, int check_failed);

#endif
