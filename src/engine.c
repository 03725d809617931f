/* engine: host + bus + model + scheduler over a libev loop. See engine.h. */
#include "engine.h"

#include <errno.h>
#include <ev.h>
#include <sys/pidfd.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus.h"
#include "check.h"
#include "control.h"
#include "host.h"
#include "i18n.h"
#include "procfs.h"
#include "program.h"
#include "record.h"

#define PWATCH_MAX 256

/* A worker process the engine watches through a pidfd, so that one killed by
 * a signal (which announces nothing) is still known to have died. Where no
 * pidfd can be had (EMFILE under a small ulimit -n), its /proc entry is
 * polled instead: slower to notice, never lost. */
struct pwatch {
	ev_io io;
	struct engine *e;
	int worker, fd;
	int polled; /* no pidfd: watched by poll_w */
	pid_t pid;
};
#define PWATCH_POLL_S 0.05

#define READ_BUDGET 8192 /* records per callback: keeps keys answered */

struct engine {
	struct ev_loop *loop;
	struct engine_opts o;
	struct engine_cb cb;
	void *ud;
	struct host host;
	struct bus_reader rd;
	struct model m;
	struct analysis an;
	int an_stale; /* analyse_on_demand: batches folded since the analysis */
	ev_io bus_w, out_w;
	ev_child child_w;
	ev_timer settle_w;
	ev_timer poll_w; /* processes watched without a pidfd */
	ev_timer gather_w; /* gather_us: the bus read on a clock while records stream */
	int started, host_reaped, done;
	int64_t host_status;
	enum ls_outcome out;
	char err[2048];
	char drive_stop[256]; /* drive_lenient: why the re-drive stopped early, "" if it did not */
	int check; /* LOCKSTEP_CHECK=1: the invariants after every record */
	int check_failed;
	/* LOCKSTEP_CHECK: the step granted last to a parked worker, and
	 * whether anything came of it (step_made_progress) */
	struct stepped { int worker, op, obj, moved; } stepped;
	struct sched sched;
	size_t outlen;
	char outbuf[256];
	struct pwatch *pw[PWATCH_MAX];
	int npw;
	struct kview kv;
	uint64_t narrated; /* signature of the last cycle or stall narrated */
	struct recorder *rec; /* --record: every record folded, in fold order */
	uint64_t malformed;   /* a replay's: as recorded */
};

/* A cycle that a free run can end on before everyone is blocked: every
 * edge is ownership (a lock's owner, a joined worker), which no one outside
 * the cycle can change. Edges learned from past roles (who has put into a
 * queue) are definite only as far as history goes: a pool process that has
 * not yet answered may still put a result. */
static int cycle_of_owners(const struct analysis *a)
{
	int any = 0;
	for (int i = 0; i < a->nedges; i++) {
		const struct an_edge *x = &a->edges[i];
		if (!(x->flags & AN_E_IN_CYCLE))
			continue;
		any = 1;
		if (!(x->flags & AN_E_HOLDER) && x->op != LS_OP_JOIN)
			return 0;
	}
	return any && a->cycle_definite;
}

static void after_batch(struct engine *e);
static void batch_done(struct engine *e);
static int settled(const struct engine *e);
static void sweep(struct engine *e);
static void out_drain(struct engine *e);
static int send_signal(struct engine *e, int worker, int sig, char *why, size_t n);

/* ---- events the engine itself adds to the stream ---- */

enum broke { BROKE_RECORD, BROKE_ANALYSIS, BROKE_STEP };

/* An invariant broke: end the run with the record, the invariant and the
 * state of everyone involved, in words (exit code 1). */
static void violation(struct engine *e, enum broke what, const struct ls_event *ev, const char *why)
{
	char msg[sizeof e->err];
	size_t len = 0;
	if (what == BROKE_RECORD && ev)
		len = (size_t)snprintf(msg, sizeof msg,
		                       _("inconsistent state after record %u (%s by %s on %s, op %s): %s."),
		                       ev->seq, event_type_name(ev->type),
		                       ev->worker >= 0 ? model_worker_name(&e->m, ev->worker) : "lockstep",
		                       ev->object >= 0 ? model_object_name(&e->m, ev->object) : "-",
		                       event_has_text(ev->type) ? "-" : event_op_name((int)ev->u.a[0]), why);
	else if (what == BROKE_STEP)
		len = (size_t)snprintf(msg, sizeof msg, _("inconsistent state after a step: %s."), why);
	else
		len = (size_t)snprintf(msg, sizeof msg, _("inconsistent analysis: %s."), why);
	e->check_failed = e->out == LS_OUT_NONE;
	for (int i = 0; i < e->m.nw && len < sizeof msg - 64; i++) {
		const struct m_worker *w = &e->m.w[i];
		if (!w->declared)
			continue;
		len += (size_t)snprintf(msg + len, sizeof msg - len, " %s %s/%s%s%s;", w->name,
		                        model_state_name(model_state(&e->m, i)),
		                        model_state_name(w->state),
		                        w->wait_obj >= 0 ? " on " : "",
		                        w->wait_obj >= 0 ? model_object_name(&e->m, w->wait_obj) : "");
	}
	engine_finish(e, LS_OUT_ERROR, msg);
}

static void apply(struct engine *e, const struct ls_event *ev)
{
	if (e->rec)
		recorder_event(e->rec, ev);
	if (e->stepped.worker >= 0 && !e->stepped.moved && ev->type != LS_EV_GRANT &&
	    !(ev->type == LS_EV_BLOCKED && ev->worker == e->stepped.worker && ev->u.a[1] &&
	      ev->object == e->stepped.obj && ev->u.a[0] == e->stepped.op))
		e->stepped.moved = 1;
	model_apply(&e->m, ev);
	if (e->check && e->out == LS_OUT_NONE) {
		char why[512];
		if (model_check(&e->m, why, sizeof why))
			violation(e, BROKE_RECORD, ev, why);
	}
	if (e->cb.event)
		e->cb.event(e->ud, ev);
}

/* A record the engine itself adds to the stream (a grant, the clock, the
 * user's key or signal, a death nobody announced, narration, the scene's
 * output): numbered from the scene's own counter, so every record has its
 * place in causal order, stamped, folded and shown like any other. The
 * only way the engine writes to the model. */
static void engine_emit(struct engine *e, struct ls_event *ev)
{
	ev->seq = e->host.ctl ? atomic_fetch_add(&e->host.ctl->seq, 1) : 0;
	ev->t_ns = ctl_now_ns();
	apply(e, ev);
}

static void synth(struct engine *e, int type, int worker, int64_t a0)
{
	struct ls_event ev;
	event_init(&ev, type, 0, 0, worker, -1);
	ev.u.a[0] = a0;
	engine_emit(e, &ev);
}

/* Engine-made narration: SAY records from worker -1, folded like any other,
 * so a replay shows the same words. Lines longer than a narration line are
 * cut after a "; " or ". " (or a Chinese "；" or "。") that fits. */
static void say_text(struct engine *e, const char *text)
{
	const size_t max = LS_SAY_MAX - 16;
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n > max) {
			size_t cut = 0;
			for (size_t i = 0; i + 1 < max; i++) {
				if ((p[i] == ';' || p[i] == '.') && p[i + 1] == ' ')
					cut = i + 2;
				/* Chinese: after a full stop or semicolon (。 ；) */
				else if (i + 3 <= max && (strncmp(p + i, "\xe3\x80\x82", 3) == 0 ||
				                          strncmp(p + i, "\xef\xbc\x9b", 3) == 0))
					cut = i + 3;
			}
			n = cut ? cut : max;
			while (n > 0 && (p[n] & 0xc0) == 0x80)
				n--; /* never split a UTF-8 sequence */
		}
		char line[LS_SAY_MAX];
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		const char *q = line;
		while (*q) {
			struct ls_event ev;
			event_init(&ev, LS_EV_SAY, 0, 0, -1, -1);
			size_t used = event_set_text(&ev, q);
			if (used == 0)
				break;
			q += used;
			ev.u.s.a0 = *q != '\0';
			engine_emit(e, &ev);
		}
		p += n;
		while (*p == '\n' || *p == ' ')
			p++;
	}
}

/* Narrate a deadlock, a cycle a timeout will break, or a stall, once, at the
 * moment it forms. */
static void narrate(struct engine *e, int stall_too)
{
	const struct analysis *a = &e->an;
	uint64_t sig = 0;
	if (a->cycle_kind == AN_CYCLE_DEADLOCK || a->cycle_kind == AN_CYCLE_TIMED) {
		sig = 1469598103934665603ull ^ (uint64_t)a->cycle_kind;
		for (int i = 0; i < a->ncycle; i++)
			sig = (sig ^ (uint64_t)(a->cycle[i].id * 2 + a->cycle[i].is_object)) * 1099511628211ull;
	} else if (stall_too && a->stalled) {
		sig = 2;
	}
	if (sig == 0 || sig == e->narrated) {
		if (sig == 0 && a->cycle_kind == AN_CYCLE_NONE)
			e->narrated = 0; /* the cycle broke: a new one is news again */
		return;
	}
	e->narrated = sig;
	char buf[2048];
	say_text(e, analysis_narrate(&e->m, a, buf, sizeof buf));
}

static void notice(struct engine *e, const char *msg)
{
	if (e->rec)
		recorder_notice(e->rec, msg);
	if (e->cb.notice)
		e->cb.notice(e->ud, msg);
}

/* ---- the user's key (ls_wait_user) ---- */

static void press(struct engine *e)
{
	if (!e->host.ctl)
		return;
	uint32_t n = atomic_fetch_add(&e->host.ctl->presses, 1) + 1;
	ctl_futex_wake(&e->host.ctl->presses);
	synth(e, LS_EV_USER, -1, n);
	ctl_wake_all(e->host.ctl);
}

static int someone_waits_for_user(const struct engine *e)
{
	for (int i = 0; i < e->m.nw; i++)
		if (model_live(&e->m, i) && e->m.w[i].wait_op == LS_OP_USER_WAIT)
			return 1;
	return 0;
}

/* ---- ending ---- */

/* The recording's end: the outcome and the error as the front end shows
 * them. A write that failed is a notice, after the fact. */
static void record_end(struct engine *e)
{
	if (!e->rec)
		return;
	char why[512];
	struct recorder *r = e->rec;
	e->rec = NULL;
	if (recorder_close(r, e->out == LS_OUT_NONE ? LS_OUT_STOPPED : e->out, e->err,
	                   e->rd.malformed, e->check_failed, why, sizeof why) != 0)
		notice(e, why);
}

/* detach_at_end: the outcome is known without waiting for the host's end */
static int outcome_known(const struct engine *e)
{
	if (!e->o.detach_at_end)
		return 0;
	return e->out != LS_OUT_NONE ||
	       (e->m.ended && !e->m.fatal[0] && !e->m.crashed && !program_of(e->o.scene));
}

static void check_done(struct engine *e)
{
	if (e->done || (!outcome_known(e) && (!e->host_reaped || !e->rd.eof)))
		return;
	if (e->out == LS_OUT_NONE) {
		int st = (int)e->host_status;
		if (e->m.fatal[0]) { /* the scene said what failed and why */
			e->out = LS_OUT_ERROR;
			snprintf(e->err, sizeof e->err, "%s", e->m.fatal);
		} else if (e->m.crashed || WIFSIGNALED(st)) {
			e->out = LS_OUT_CRASHED;
			int sig = e->m.crashed ? e->m.crash_signal : WTERMSIG(st);
			const char *misuse = e->host.ctl ? ctl_misuse(e->host.ctl) : NULL;
			if (misuse) /* the scene used the API wrongly: say what */
				snprintf(e->err, sizeof e->err, "%s", misuse);
			else if (e->m.crashed && e->m.crash_worker >= 0)
				snprintf(e->err, sizeof e->err, _("scene crashed: worker %s got %s"),
				         model_worker_name(&e->m, e->m.crash_worker), strsignal(sig));
			else
				snprintf(e->err, sizeof e->err, _("scene crashed: %s"), strsignal(sig));
		} else if (e->m.ended && program_of(e->o.scene) && e->m.end_status != 0) {
			/* a program's host outlives it and tells how it ended */
			int code = e->m.end_status;
			if (code < 0) {
				e->out = LS_OUT_CRASHED;
				snprintf(e->err, sizeof e->err, _("the program was killed by %s"), strsignal(-code));
			} else {
				e->out = LS_OUT_ERROR;
				snprintf(e->err, sizeof e->err, _("the program exited with status %d"), code);
			}
		} else if (e->m.ended) {
			e->out = LS_OUT_FINISHED;
		} else {
			e->out = LS_OUT_ERROR;
			snprintf(e->err, sizeof e->err,
			         _("the scene host exited (status %d) before the scene ended"),
			         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
	}
	e->done = 1;
	host_kill(&e->host); /* anything of the group that is left */
	sweep(e);
	ev_io_stop(e->loop, &e->bus_w);
	ev_io_stop(e->loop, &e->out_w);
	ev_timer_stop(e->loop, &e->settle_w);
	ev_timer_stop(e->loop, &e->poll_w);
	ev_timer_stop(e->loop, &e->gather_w);
	record_end(e);
	if (e->cb.ended)
		e->cb.ended(e->ud);
}

void engine_finish(struct engine *e, enum ls_outcome out, const char *why)
{
	if (e->out != LS_OUT_NONE)
		return;
	out_drain(e);
	e->out = out;
	if (why)
		snprintf(e->err, sizeof e->err, "%s", why);
	/* what the kernel says, while there is still something to look at */
	if (e->host.pid > 0 && !e->host_reaped && !e->o.no_kernel_view)
		kview_read_settled(&e->kv, &e->m, ctl_now_ns(), 200);
	host_kill(&e->host);
	ev_timer_stop(e->loop, &e->settle_w);
	if (e->o.detach_at_end)
		check_done(e);
}

/* ---- scheduling ---- */

/* Who moves next (see engine_sched.h); -1 when none can, -2 after a
 * schedule error, which ends the run. */
static int pick(struct engine *e)
{
	if (e->cb.choose) {
		int id = e->cb.choose(e->ud);
		if (e->out != LS_OUT_NONE)
			return -1;
		if (id >= 0 && model_eligible(&e->m, id))
			return id;
	}
	char why[256];
	int id = sched_pick(&e->sched, &e->m, why, sizeof why);
	if (id == -2 && e->o.drive_lenient && !e->o.autostep) {
		/* the UI re-driving a schedule in a variant of the scene (a fix):
		 * where the variant goes another way, the re-drive ends there and
		 * says why; the run goes on */
		snprintf(e->drive_stop, sizeof e->drive_stop, "%s", why);
		e->sched.pos = e->sched.nent;
		if (e->cb.settled)
			e->cb.settled(e->ud);
		return -1;
	}
	if (id == -2)
		engine_finish(e, LS_OUT_BAD_SCHEDULE, why);
	return id;
}

static int any_eligible(const struct engine *e)
{
	for (int i = 0; i < e->m.nw; i++)
		if (model_eligible(&e->m, i))
			return 1;
	return 0;
}

static void grant(struct engine *e, int id)
{
	const struct m_worker *w = model_worker(&e->m, id);
	e->stepped.worker = -1;
	if (e->check && w && w->gate == LS_GATE_PARKED) /* a retry: it must get somewhere */
		e->stepped = (struct stepped){id, w->wait_op, w->wait_obj, 0};
	sched_granted(&e->sched, id); /* round-robin goes on after whoever moved */
	synth(e, LS_EV_GRANT, id, (int64_t)e->m.steps + 1);
	ctl_grant(e->host.ctl, id);
	if (e->o.settle_warn_s > 0) {
		ev_timer_set(&e->settle_w, e->o.settle_warn_s, 0.);
		ev_timer_start(e->loop, &e->settle_w);
	}
}

/* When nobody can move but someone sleeps, virtual time jumps to the
 * earliest wake-up, as a discrete-event simulator does. */
static int advance_clock(struct engine *e)
{
	int64_t next = model_next_deadline(&e->m);
	if (next <= 0 || next <= e->m.vclock)
		return 0;
	ctl_set_vclock(e->host.ctl, next);
	synth(e, LS_EV_CLOCK, -1, next);
	return 1;
}

/* Schedule entries that are not a worker. "key": the user presses the
 * scene key (unless a worker is named key). "rest": let the scene run (as
 * after the schedule) until no worker can move. "signal:T:SIG": send a
 * signal, a step of its own. Returns 1 when a signal set something moving,
 * -1 on a schedule error, else 0. */
static int sched_control(struct engine *e)
{
	while (e->out == LS_OUT_NONE) {
		char target[LS_NAME_MAX], why[160], buf[256];
		int sig;
		switch (sched_peek(&e->sched, &e->m, target, sizeof target, &sig)) {
		case SCHED_NONE:
		case SCHED_WORKER:
			return 0;
		case SCHED_KEY:
			press(e); /* the user presses the scene key */
			sched_consume(&e->sched);
			continue;
		case SCHED_REST:
			if (any_eligible(e) || advance_clock(e))
				return 0;
			sched_consume(&e->sched);
			continue;
		case SCHED_SIGNAL:
			break;
		}
		sched_consume(&e->sched);
		int pos = e->sched.pos;
		int group = strcmp(target, "group") == 0;
		int id = group ? -1 : sched_resolve(&e->m, target);
		if ((!group && id < 0) || send_signal(e, id, sig, why, sizeof why) != 0) {
			snprintf(buf, sizeof buf, _("schedule entry %d: %s"), pos,
			         !group && id < 0 ? _("no such worker") : why);
			engine_finish(e, LS_OUT_BAD_SCHEDULE, buf);
			return -1;
		}
		if (!settled(e))
			return 1;
	}
	return 0;
}

static void end_blocked(struct engine *e)
{
	analysis_run(&e->m, &e->an);
	narrate(e, 1);
	engine_finish(e, e->an.deadlock ? LS_OUT_DEADLOCK : LS_OUT_STALLED, NULL);
}

/* A worker process dies with its parent (PDEATHSIG, set by the probe unless
 * it was spawned LS_ORPHAN_OK): until the engine has seen it die, the step
 * is not over. */
static int dying_children(const struct engine *e)
{
	for (int i = 1; i < e->m.nw; i++) {
		const struct m_worker *c = &e->m.w[i];
		if (c->kind != LS_WK_PROCESS || (c->flags & LS_WF_ORPHAN_OK) || c->adopted ||
		    !model_live(&e->m, i) || c->parent <= 0)
			continue;
		const struct m_worker *p = model_worker(&e->m, c->parent);
		if (p && p->kind == LS_WK_PROCESS &&
		    (p->state == LS_WS_ZOMBIE || p->state == LS_WS_TERMINATED))
			return 1;
	}
	return 0;
}

/* An orphan the host adopted (no worker is its parent now) has ended: the
 * host reaps it when the kernel tells it, not at any step, and says REAPED.
 * Until then the state is not settled, or a step would show it ZOMBIE in
 * one run and TERMINATED in a re-run of the same schedule. Only while the
 * program's main lives: the host that reaps is running then. */
static int reap_pending(const struct engine *e)
{
	if (!model_live(&e->m, 0))
		return 0;
	for (int i = 1; i < e->m.nw; i++) {
		const struct m_worker *c = &e->m.w[i];
		if (c->kind == LS_WK_PROCESS && c->adopted && c->parent < 0 &&
		    c->state == LS_WS_ZOMBIE)
			return 1;
	}
	return 0;
}

static int settled(const struct engine *e)
{
	return model_settled(&e->m) && !dying_children(e) && !reap_pending(e);
}

/* A parked worker is stepped only when the model says its retry can
 * succeed: if it parks again on the same wait and nothing else happened,
 * the model and the probe disagree (the panes showed RUNNABLE a worker that
 * could not move, and the explorer would step it for ever). */
static int step_made_progress(struct engine *e)
{
	int id = e->stepped.worker;
	e->stepped.worker = -1;
	if (e->stepped.moved || e->out != LS_OUT_NONE)
		return 1;
	char why[300];
	const char *obj = e->stepped.obj >= 0 ? model_object_name(&e->m, e->stepped.obj) : "-";
	snprintf(why, sizeof why,
	         _("%s was shown able to move (%s on %s), but its step changed nothing: it waits "
	           "again on %s"),
	         model_worker_name(&e->m, id), event_op_name(e->stepped.op), obj, obj);
	violation(e, BROKE_STEP, NULL, why);
	return 0;
}

/* Analyse the model as it is now; with the checker on, its invariants
 * hold or the run ends. Returns -1 when it ended. */
static int analyse(struct engine *e)
{
	e->an_stale = 0;
	analysis_run(&e->m, &e->an);
	if (e->check && e->out == LS_OUT_NONE) {
		char why[512];
		if (analysis_check(&e->m, &e->an, why, sizeof why)) {
			violation(e, BROKE_ANALYSIS, NULL, why);
			return -1;
		}
	}
	return 0;
}

static void after_batch(struct engine *e)
{
	if (e->out != LS_OUT_NONE)
		return;
	if (e->o.analyse_on_demand && e->m.mode != LS_MODE_STEP && !e->o.autostep) {
		/* a free run the UI watches: records arrive far faster than
		 * frames, and nothing here waits on the analysis (the kernel
		 * schedules); engine_analysis() makes it for the next frame */
		e->an_stale = 1;
		return;
	}
	if (analyse(e) != 0)
		return;
	narrate(e, e->m.mode == LS_MODE_STEP && model_settled(&e->m));
	if (e->o.until_deadlock && e->an.deadlock) {
		engine_finish(e, LS_OUT_DEADLOCK, NULL);
		return;
	}
	if (e->m.mode != LS_MODE_STEP) {
		/* A free run stalls for good when every live worker waits on
		 * something unavailable with no timeout: each flushed its records
		 * before blocking, so the model is complete. A deadlock on locks
		 * never comes back either, even while others still run. Headless
		 * ends there; the UI shows the alarm and lets the user act. */
		if (e->o.autostep && (e->an.stalled || (e->an.deadlock && cycle_of_owners(&e->an)))) {
			narrate(e, 1);
			engine_finish(e, e->an.deadlock ? LS_OUT_DEADLOCK : LS_OUT_STALLED, NULL);
		}
		return;
	}
	if (!settled(e) || e->m.nw == 0)
		return;
	ev_timer_stop(e->loop, &e->settle_w);
	if (e->stepped.worker >= 0 && !step_made_progress(e))
		return;
	if (e->m.ended)
		return;
	int live = 0;
	for (int i = 0; i < e->m.nw; i++)
		live += model_live(&e->m, i) && !(e->m.w[i].flags & LS_WF_DAEMON);
	if (live == 0)
		return; /* the host is finishing (stopping daemons): END follows */
	/* the UI re-driving a recorded schedule (a branch) steps by itself
	 * until the schedule is used up, then waits for the user */
	int drive = e->o.autostep || (e->o.drive_schedule && e->sched.pos < e->sched.nent);
	if (drive && sched_control(e) != 0)
		return; /* a signal is being handled, or the schedule was wrong */
	while (!any_eligible(e))
		if (!advance_clock(e)) {
			/* headless: a user who is waited for presses the key, but
			 * only when nothing else can move */
			if (e->o.autostep && someone_waits_for_user(e)) {
				notice(e, _("nothing else can move: the user presses the key"));
				press(e);
				continue;
			}
			if (e->o.autostep)
				end_blocked(e);
			break;
		}
	if (e->rec)
		recorder_settled(e->rec);
	if (e->cb.settled)
		e->cb.settled(e->ud);
	drive = e->o.autostep || (e->o.drive_schedule && e->sched.pos < e->sched.nent);
	if (drive && e->out == LS_OUT_NONE && any_eligible(e)) {
		int id = pick(e);
		if (id >= 0)
			grant(e, id);
	}
}

/* A batch of records is folded: analyse, narrate, maybe grant the next
 * step, then tell the front end once. */
static void batch_done(struct engine *e)
{
	after_batch(e);
	if (e->cb.changed)
		e->cb.changed(e->ud);
}

int engine_step(struct engine *e, int worker)
{
	if (e->out != LS_OUT_NONE || e->m.mode != LS_MODE_STEP || !settled(e))
		return -1;
	while (!any_eligible(e))
		if (!advance_clock(e))
			return -1;
	int id = worker < 0 ? sched_policy(&e->sched, &e->m) : worker;
	if (id < 0 || !model_eligible(&e->m, id))
		return -1;
	grant(e, id);
	return id;
}

const char *engine_drive_stop(const struct engine *e)
{
	return e->drive_stop;
}

int engine_next(const struct engine *e)
{
	if (e->out != LS_OUT_NONE || e->m.mode != LS_MODE_STEP || !settled(e))
		return -1;
	return sched_policy_peek(&e->sched, &e->m);
}

const char *engine_why_not(const struct engine *e, int worker, char *buf, size_t n)
{
	return sched_why_not(&e->m, worker, buf, n);
}

/* ---- libev callbacks ---- */

static void watch_process(struct engine *e, int worker);

static void deliver(void *ud, const struct ls_event *ev)
{
	struct engine *e = ud;
	if (e->out == LS_OUT_NONE) {
		apply(e, ev);
		if (ev->type == LS_EV_SPAWN)
			watch_process(e, ev->worker);
	}
}

/* ---- processes that die without a word ---- */

static void synth_exit(struct engine *e, int worker, int64_t code, int how)
{
	struct ls_event ev;
	event_init(&ev, LS_EV_EXIT, 0, 0, worker, -1);
	ev.u.a[0] = code;
	ev.u.a[1] = how;
	engine_emit(e, &ev);
}

static void check_done(struct engine *e);

/* p's process has ended (it is a zombie, or gone). */
static void process_ended(struct engine *e, struct pwatch *p)
{
	/* what it wrote before it died comes first */
	while (!e->rd.eof && bus_read(&e->rd, deliver, e, READ_BUDGET) > 0)
		;
	const struct m_worker *w = model_worker(&e->m, p->worker);
	if (e->out == LS_OUT_NONE && w && w->state != LS_WS_ZOMBIE && w->state != LS_WS_TERMINATED) {
		int st = procfs_zombie_status(p->pid);
		if (st >= 0 && WIFSIGNALED(st))
			synth_exit(e, p->worker, -WTERMSIG(st), LS_EXIT_SIGNALED);
		else if (st >= 0)
			synth_exit(e, p->worker, WEXITSTATUS(st), LS_EXIT_RETURN);
	}
	batch_done(e);
	check_done(e);
}

static void pidfd_cb(struct ev_loop *loop, ev_io *io, int revents)
{
	(void)revents;
	struct pwatch *p = (struct pwatch *)io;
	ev_io_stop(loop, io);
	close(p->fd);
	p->fd = -1;
	process_ended(p->e, p);
}

static void poll_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)revents;
	struct engine *e = t->data;
	int left = 0;
	for (int i = 0; i < e->npw; i++) {
		struct pwatch *p = e->pw[i];
		if (!p->polled)
			continue;
		errno = 0;
		int st = procfs_state(p->pid);
		if (st == '?' && errno != ENOENT && errno != ESRCH) {
			left++; /* cannot tell now (out of descriptors): later */
		} else if (st == 'Z' || st == '?') {
			p->polled = 0;
			process_ended(e, p);
		} else {
			left++;
		}
	}
	if (!left)
		ev_timer_stop(loop, t);
}

static void watch_process(struct engine *e, int worker)
{
	const struct m_worker *w = model_worker(&e->m, worker);
	if (!w || w->kind != LS_WK_PROCESS || w->pid <= 0 || e->npw >= PWATCH_MAX)
		return;
	/* the pid comes off the bus and may not be ours; watching it only
	 * reads, so no check here (one would need a descriptor, and under a
	 * small ulimit -n there is none to spare: see the fallback below) */
	int fd = pidfd_open((pid_t)w->pid, 0);
	if (fd < 0 && errno == ESRCH)
		return; /* already reaped: its REAPED record tells */
	struct pwatch *p = calloc(1, sizeof *p);
	if (!p) {
		if (fd >= 0)
			close(fd);
		return;
	}
	p->e = e;
	p->worker = worker;
	p->pid = (pid_t)w->pid;
	p->fd = fd;
	e->pw[e->npw++] = p;
	if (fd < 0) { /* out of descriptors, or no pidfd here: poll /proc */
		p->polled = 1;
		if (!ev_is_active(&e->poll_w))
			ev_timer_start(e->loop, &e->poll_w);
		return;
	}
	ev_io_init(&p->io, pidfd_cb, fd, EV_READ);
	ev_io_start(e->loop, &p->io);
}

static void unwatch_all(struct engine *e)
{
	for (int i = 0; i < e->npw; i++) {
		if (e->pw[i]->fd >= 0) {
			ev_io_stop(e->loop, &e->pw[i]->io);
			close(e->pw[i]->fd);
		}
		free(e->pw[i]);
	}
	e->npw = 0;
}

/* What a killed host could not remove: its FIFOs, shm objects and message
 * queues, by the names the probe gave the kernel, in full, recorded before
 * it made them (never names read off the bus): in the control block, and
 * in the run's directory, which goes with them. */
static void sweep(struct engine *e)
{
	if (e->host.ctl)
		ctl_ipc_unlink_all(e->host.ctl);
	host_cleanup(&e->host);
}

/* ---- signals from the user ---- */

/* The worker that stands for the process of worker id: itself for a process,
 * main for a thread of the host. */
static int process_of(const struct engine *e, int id)
{
	const struct m_worker *w = model_worker(&e->m, id);
	if (!w || !w->declared)
		return -1;
	return w->kind == LS_WK_PROCESS ? id : 0;
}

static int signalable(const struct engine *e, int id)
{
	const struct m_worker *w = model_worker(&e->m, id);
	return w && w->declared && w->pid > 0 && (id == 0 || w->kind == LS_WK_PROCESS) &&
	       model_live(&e->m, id);
}

static int send_signal(struct engine *e, int worker, int sig, char *why, size_t n)
{
	if (e->out != LS_OUT_NONE || e->host.pid <= 1) {
		snprintf(why, n, "%s", _("the scene is not running"));
		return -1;
	}
	int step = e->m.mode == LS_MODE_STEP;
	if (step && !settled(e)) {
		snprintf(why, n, "%s", _("a step is still moving: send the signal when it has settled"));
		return -1;
	}
	int targets[PWATCH_MAX + 1], nt = 0;
	if (worker < 0) {
		for (int i = 0; i < e->m.nw && nt <= PWATCH_MAX; i++)
			if (signalable(e, i))
				targets[nt++] = i;
	} else {
		int p = process_of(e, worker);
		if (p < 0 || !signalable(e, p)) {
			snprintf(why, n, _("%s is not a running process"), model_worker_name(&e->m, worker));
			return -1;
		}
		targets[nt++] = p;
	}
	int outcome[PWATCH_MAX + 1];
	for (int i = 0; i < nt; i++) {
		outcome[i] = procfs_sig_outcome((pid_t)e->m.w[targets[i]].pid, sig);
		if (step && outcome[i] == LS_SIG_STOP) {
			snprintf(why, n, _("%s would stop %s: in step mode lockstep does not stop a scene's process"),
			         sigabbrev_np(sig), model_worker_name(&e->m, targets[i]));
			return -1;
		}
	}
	for (int i = 0; i < nt; i++) {
		struct ls_event ev;
		event_init(&ev, LS_EV_SIGNAL, 0, 0, -1, -1);
		ev.u.a[0] = targets[i];
		ev.u.a[1] = sig;
		ev.u.a[2] = outcome[i];
		ev.u.a[3] = e->m.w[targets[i]].pid;
		engine_emit(e, &ev);
	}
	/* a pid comes off the bus, which any worker can write: signal only a
	 * process of the host's own tree */
	if (worker >= 0 && !procfs_descends_from((pid_t)e->m.w[targets[0]].pid, e->host.pid)) {
		snprintf(why, n, _("%s is not a process of this scene"), model_worker_name(&e->m, targets[0]));
		return -1;
	}
	pid_t to = worker < 0 ? -e->host.pid : (pid_t)e->m.w[targets[0]].pid;
	if (to == 0 || to == -1 || kill(to, sig) != 0) {
		snprintf(why, n, "kill: %s", strerror(errno));
		return -1;
	}
	if (e->rec) /* a step of --rerun's schedule */
		recorder_signal(e->rec, worker, sig);
	return 0;
}

int engine_can_signal(const struct engine *e, int worker)
{
	return e->out == LS_OUT_NONE && signalable(e, worker);
}

int engine_proc_state(const struct engine *e, int worker)
{
	const struct m_worker *w = model_worker(&e->m, worker);
	if (!w || w->pid <= 0 || w->state == LS_WS_TERMINATED || (worker != 0 && w->kind != LS_WK_PROCESS))
		return '?';
	return procfs_state((pid_t)w->pid);
}

int engine_send_signal(struct engine *e, int worker, int sig, char *why, size_t n)
{
	int r = send_signal(e, worker, sig, why, n);
	if (r == 0) {
		batch_done(e);
	}
	return r;
}

/* Fold what the bus holds now, then analyse and tell the front end once.
 * Returns the records folded. */
static size_t read_bus(struct engine *e)
{
	size_t n = bus_read(&e->rd, deliver, e, READ_BUDGET);
	if (e->rd.eof)
		ev_io_stop(e->loop, &e->bus_w);
	if (n > 0)
		batch_done(e);
	check_done(e);
	return n;
}

/* The explorer (spin_us): a step's answer comes within microseconds;
 * sleeping in epoll for it costs a wakeup each way. */
static void spin_bus(struct engine *e)
{
	uint64_t until = ctl_now_ns() + (uint64_t)e->o.spin_us * 1000u;
	while (e->out == LS_OUT_NONE && !e->rd.eof && ctl_now_ns() < until) {
		if (read_bus(e) == 0)
			ctl_cpu_relax();
		else
			until = ctl_now_ns() + (uint64_t)e->o.spin_us * 1000u;
	}
}

/* gather_us: a read of this many records means they stream in; the bus is
 * then read on a clock until a read finds fewer, and the loop goes back to
 * waking at the first record (so a step, a key's answer or an idle scene
 * never waits for the clock) */
#define GATHER_MIN 256

static void on_bus(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)revents;
	struct engine *e = w->data;
	size_t n = read_bus(e);
	if (n > 0 && e->o.spin_us)
		spin_bus(e);
	if (e->o.gather_us && n >= GATHER_MIN && !e->rd.eof) {
		ev_io_stop(loop, &e->bus_w);
		ev_timer_again(loop, &e->gather_w);
	}
}

static void gather_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)revents;
	struct engine *e = w->data;
	if (read_bus(e) >= GATHER_MIN && !e->rd.eof)
		return; /* the timer repeats */
	ev_timer_stop(loop, w);
	if (!e->rd.eof)
		ev_io_start(loop, &e->bus_w);
}

/* The scene's stdout/stderr becomes OUTPUT records, a line at a time. */
static void out_line(struct engine *e)
{
	if (e->outlen == 0)
		return;
	e->outbuf[e->outlen] = '\0';
	const char *p = e->outbuf;
	do {
		struct ls_event ev;
		event_init(&ev, LS_EV_OUTPUT, 0, 0, -1, -1);
		size_t used = event_set_text(&ev, p);
		p += used;
		ev.u.s.a0 = *p != '\0';
		if (e->out == LS_OUT_NONE)
			engine_emit(e, &ev);
		if (used == 0)
			break;
	} while (*p);
	e->outlen = 0;
}

/* Read what the scene wrote on stdout/stderr; > 0 while there was some. */
static ssize_t out_read(struct engine *e)
{
	char buf[1024];
	ssize_t n = read(e->host.out_fd, buf, sizeof buf);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			out_line(e);
			ev_io_stop(e->loop, &e->out_w);
		}
		return n;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || e->outlen == sizeof e->outbuf - 1)
			out_line(e);
		if (buf[i] != '\n')
			e->outbuf[e->outlen++] = buf[i];
	}
	if (e->cb.changed)
		e->cb.changed(e->ud);
	return n;
}

static void out_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	out_read(w->data);
}

/* What the scene printed before the run ends is part of the run: read
 * what is already in the pipe (never wait for more). */
static void out_drain(struct engine *e)
{
	struct pollfd p = {.fd = e->host.out_fd, .events = POLLIN};
	/* at most a pipe's worth: a scene that never stops printing must not
	 * hold the end of the run */
	for (int k = 0; k < 64 && e->host.out_fd >= 0 && ev_is_active(&e->out_w) &&
	                poll(&p, 1, 0) > 0 && (p.revents & POLLIN) && out_read(e) > 0;
	     k++)
		;
}

static void child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	(void)revents;
	struct engine *e = w->data;
	ev_child_stop(loop, w);
	e->host_reaped = 1;
	e->host_status = w->rstatus;
	/* a host that died leaves its workers: the group goes with it */
	host_kill(&e->host);
	check_done(e);
}

static void settle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct engine *e = w->data;
	if (model_settled(&e->m))
		return;
	char msg[256];
	size_t len = (size_t)snprintf(msg, sizeof msg, "%s", _("still moving, outside any gate:"));
	for (int i = 0; i < e->m.nw && len < sizeof msg - 40; i++) {
		const struct m_worker *x = &e->m.w[i];
		if (model_live(&e->m, i) && (x->gate == LS_GATE_MOVING || x->gate == LS_GATE_KERNEL))
			len += (size_t)snprintf(msg + len, sizeof msg - len, " %s", x->name);
	}
	notice(e, msg);
}

/* ---- life cycle ---- */

struct engine *engine_new(struct ev_loop *loop, const struct engine_opts *o,
                          const struct engine_cb *cb, void *ud)
{
	struct engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->loop = loop;
	e->o = *o;
	e->cb = *cb;
	e->ud = ud;
	const char *check = getenv("LOCKSTEP_CHECK");
	e->check = check && *check && strcmp(check, "0") != 0;
	e->stepped.worker = -1;
	e->host.bus_fd = e->host.out_fd = -1;
	model_init(&e->m);
	/* the panes read the analysis before the first batch: a zeroed one
	 * names worker 0 and object 0 as witnesses of what nobody did */
	analysis_run(&e->m, &e->an);
	kview_init(&e->kv);
	if (sched_init(&e->sched, o->sched, o->seed, o->schedule) != 0) {
		engine_free(e);
		return NULL;
	}
	return e;
}

int engine_start(struct engine *e, char *err, size_t errlen)
{
	/* what runs that are over left behind: killed lockstep processes'.
	 * Once a process is enough; a minute later again for a long session
	 * (the explorer starts thousands of runs, each sweep reads /tmp) */
	static double swept;
	if (!swept || ev_time() - swept > 60) {
		rundir_sweep_dead();
		swept = ev_time();
	}
	if ((e->o.record || e->o.tap) &&
	    !(e->rec = recorder_open(e->o.record, e->o.tap, &e->o, err, errlen)))
		return -1;
	int r = host_start(&e->host, e->o.scene, program_of(e->o.scene), e->o.params, e->o.mode,
	                   e->o.delay_us, e->o.rundir, err, errlen);
	if (r) {
		if (e->rec)
			recorder_discard(e->rec);
		e->rec = NULL;
		return r;
	}
	e->started = 1;
	atomic_store(&e->host.ctl->spin_us, e->o.spin_us);
	synth(e, LS_EV_MODE, -1, e->o.mode);
	ev_child_init(&e->child_w, child_cb, e->host.pid, 0);
	e->child_w.data = e;
	ev_child_start(e->loop, &e->child_w);
	bus_reader_init(&e->rd, e->host.bus_fd);
	ev_io_init(&e->bus_w, on_bus, e->host.bus_fd, EV_READ);
	e->bus_w.data = e;
	ev_io_start(e->loop, &e->bus_w);
	ev_io_init(&e->out_w, out_cb, e->host.out_fd, EV_READ);
	e->out_w.data = e;
	ev_io_start(e->loop, &e->out_w);
	ev_timer_init(&e->settle_w, settle_cb, 0., 0.);
	e->settle_w.data = e;
	ev_timer_init(&e->poll_w, poll_cb, PWATCH_POLL_S, PWATCH_POLL_S);
	e->poll_w.data = e;
	ev_timer_init(&e->gather_w, gather_cb, 0., e->o.gather_us * 1e-6);
	e->gather_w.data = e;
	return 0;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	record_end(e);
	if (e->started) {
		host_kill(&e->host);
		sweep(e);
		unwatch_all(e);
		ev_io_stop(e->loop, &e->bus_w);
		ev_io_stop(e->loop, &e->out_w);
		ev_child_stop(e->loop, &e->child_w);
		ev_timer_stop(e->loop, &e->settle_w);
		ev_timer_stop(e->loop, &e->poll_w);
		ev_timer_stop(e->loop, &e->gather_w);
		host_close(&e->host);
	}
	sched_free(&e->sched);
	model_free(&e->m);
	kview_free(&e->kv);
	free(e);
}

void engine_reap_all(void)
{
	host_reap_all();
}

uint64_t engine_now_ns(void)
{
	return ctl_now_ns();
}

void engine_set_mode(struct engine *e, enum ls_mode mode)
{
	if (!e->host.ctl || (int)mode == e->m.mode)
		return;
	if (mode == LS_MODE_STEP && (e->o.scene->flags & LS_SCENE_FREE_RUN)) {
		notice(e, _("this scene measures real time: it runs freely and cannot be stepped"));
		return;
	}
	ctl_set_mode(e->host.ctl, mode);
	synth(e, LS_EV_MODE, -1, mode);
	batch_done(e);
}

void engine_press_key(struct engine *e)
{
	if (e->out != LS_OUT_NONE)
		return;
	press(e);
	batch_done(e);
}

int engine_waits_for_user(const struct engine *e)
{
	return someone_waits_for_user(e);
}

void engine_set_delay(struct engine *e, unsigned delay_us)
{
	e->o.delay_us = delay_us;
	if (e->host.ctl)
		ctl_set_delay(e->host.ctl, delay_us);
}

const struct model *engine_model(const struct engine *e) { return &e->m; }
const struct analysis *engine_analysis(struct engine *e)
{
	if (e->an_stale && analyse(e) == 0 && e->out == LS_OUT_NONE)
		narrate(e, 0);
	return &e->an;
}
enum ls_outcome engine_outcome(const struct engine *e) { return e->out; }
const char *engine_error(const struct engine *e) { return e->err; }
int engine_check_failed(const struct engine *e) { return e->check_failed; }
enum ls_mode engine_mode(const struct engine *e) { return (enum ls_mode)e->m.mode; }
unsigned engine_delay(const struct engine *e) { return e->o.delay_us; }
int engine_settled(const struct engine *e) { return settled(e); }
int engine_done(const struct engine *e) { return e->done; }
pid_t engine_host_pgid(const struct engine *e) { return e->started ? e->host.pid : 0; }
uint64_t engine_malformed(const struct engine *e) { return e->rd.malformed + e->malformed; }
int64_t engine_host_status(const struct engine *e) { return e->host_status; }
const struct kview *engine_kernel_view(const struct engine *e) { return &e->kv; }

const struct kview *engine_kernel_refresh(struct engine *e, uint64_t min_interval_ns, int lo, int hi)
{
	if (e->out == LS_OUT_NONE && e->host.pid > 0)
		kview_refresh_window(&e->kv, &e->m, ctl_now_ns(), min_interval_ns, lo, hi);
	return &e->kv;
}

const char *engine_outcome_name(enum ls_outcome o)
{
	switch (o) {
	case LS_OUT_NONE: return "running";
	case LS_OUT_FINISHED: return "finished";
	case LS_OUT_DEADLOCK: return "deadlock";
	case LS_OUT_STALLED: return "stalled";
	case LS_OUT_TIMEOUT: return "timeout";
	case LS_OUT_CRASHED: return "crashed";
	case LS_OUT_ERROR: return "error";
	case LS_OUT_BAD_SCHEDULE: return "bad-schedule";
	case LS_OUT_STOPPED: return "stopped";
	}
	return "?";
}

/* ---- replay: an engine with no scene, fed a recording (record.h) ---- */

void engine_replay_event(struct engine *e, const struct ls_event *ev)
{
	apply(e, ev);
}

void engine_replay_settled(struct engine *e)
{
	analysis_run(&e->m, &e->an);
	if (e->cb.settled)
		e->cb.settled(e->ud);
}

void engine_replay_batch(struct engine *e)
{
	analysis_run(&e->m, &e->an);
	if (e->cb.changed)
		e->cb.changed(e->ud);
}

void engine_replay_notice(struct engine *e, const char *msg)
{
	notice(e, msg);
}

void engine_replay_end(struct engine *e, enum ls_outcome out, const char *why,
                       uint64_t malformed, int check_failed)
{
	analysis_run(&e->m, &e->an);
	if (e->out == LS_OUT_NONE) {
		e->out = out;
		snprintf(e->err, sizeof e->err, "%s", why ? why : "");
		e->check_failed = check_failed;
	}
	e->malformed = malformed;
	e->done = 1;
}

int engine_schedule_left(const struct engine *e)
{
	return e->sched.nent - e->sched.pos;
}
