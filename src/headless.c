/* headless: the JSON-lines front end over the engine.
 *
 * One line per event, an optional line per settled state, one summary line,
 * and an exit code scripts and tests rely on (see headless.h). Runs the same
 * engine as the terminal UI on a libev loop, without curses.
 */
#include "headless.h"

#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "describe.h"
#include "attach.h"
#include "i18n.h"
#include "json.h"
#include "record.h"
#include "serve.h"
#include "trace.h"
#include "unit.h"

/* An event's line waiting for the records numbered before it. */
struct held {
	uint32_t seq;
	char *line;
};

/* In a free run two workers' batches reach the pipe in either order, so
 * events arrive out of seq (causal) order. Each event's line is written
 * when it is folded (it shows the model at that moment) but printed in seq
 * order: held until every lower seq has been printed. A seq that never
 * comes (a process killed with records unflushed) is given up on once
 * HOLD_MAX lines wait behind it, and at every line that is not an event
 * (settled, notice, summary), when every record so far is in. */
/* A thread of a thousand on two cores can sit preempted with its batch
 * unwritten while thousands of others' records arrive (4096 lines were
 * outrun under ASan: crowd --free printed out of order); a quarter of a
 * million lines (about 40 MB at worst) covers a long preemption and is
 * only ever reached when a seq never comes. */
enum { HOLD_MAX = 1 << 18 };

struct headless {
	struct engine *e;
	struct jw j;
	FILE *out;
	int settled_lines;
	struct held *held; /* sorted by seq */
	size_t nheld, capheld;
	uint32_t next_seq; /* the seq printed next */
	ev_timer timeout_w, step_w;
	ev_signal int_w, term_w, hup_w; /* each ends the run: summary, cleanup */
	struct trace *trace; /* --export-trace */
};

static const char *gate_name(enum ls_gate g)
{
	switch (g) {
	case LS_GATE_NONE: return "none";
	case LS_GATE_MOVING: return "moving";
	case LS_GATE_READY: return "ready";
	case LS_GATE_PARKED: return "parked";
	case LS_GATE_KERNEL: return "kernel";
	}
	return "?";
}

static const char *sig_outcome_name(int64_t o)
{
	switch (o) {
	case LS_SIG_HANDLE: return "handled";
	case LS_SIG_IGNORE: return "ignored";
	case LS_SIG_TERM: return "terminates";
	case LS_SIG_DFL_IGN: return "default-ignored";
	case LS_SIG_BLOCKED: return "blocked";
	case LS_SIG_STOP: return "stops";
	case LS_SIG_CONT: return "continues";
	}
	return "?";
}

/* seq numbers wrap: a is before b when the distance is "negative" */
static int seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static void print_held(struct headless *h, size_t k)
{
	fputs(h->held[k].line, h->out);
	fputc('\n', h->out);
	free(h->held[k].line);
	h->next_seq = h->held[k].seq + 1;
}

/* Print the held lines that are next in seq order; all of them if all. */
static void release(struct headless *h, int all)
{
	size_t k = 0;
	while (k < h->nheld && (all || h->nheld - k > HOLD_MAX ||
	                        !seq_before(h->next_seq, h->held[k].seq)))
		print_held(h, k++);
	if (k == 0)
		return; /* and h->held may still be NULL: no memmove of it */
	memmove(h->held, h->held + k, (h->nheld - k) * sizeof *h->held);
	h->nheld -= k;
}

/* Take the line just written in h->j as event seq's. */
static void hold(struct headless *h, uint32_t seq)
{
	struct jw *j = &h->j;
	if (seq_before(seq, h->next_seq)) { /* late: what came after is out already */
		jw_line(j, h->out);
		return;
	}
	if (h->nheld == h->capheld) {
		size_t cap = h->capheld ? h->capheld * 2 : 64;
		struct held *n = realloc(h->held, cap * sizeof *n);
		if (!n)
			abort();
		h->held = n;
		h->capheld = cap;
	}
	char *line = strdup(j->buf ? j->buf : "");
	if (!line)
		abort();
	jw_reset(j);
	size_t k = h->nheld; /* nearly always last: keep it sorted from the end */
	while (k > 0 && seq_before(seq, h->held[k - 1].seq))
		k--;
	memmove(h->held + k + 1, h->held + k, (h->nheld - k) * sizeof *h->held);
	h->held[k] = (struct held){seq, line};
	h->nheld++;
	release(h, 0);
}

static void on_event(void *ud, const struct ls_event *ev)
{
	struct headless *h = ud;
	const struct model *m = engine_model(h->e);
	if (h->trace)
		trace_event(h->trace, m, ev);
	struct jw *j = &h->j;
	const int64_t *a = ev->u.a;
	jw_begin(j, '{');
	jw_kint(j, "seq", ev->seq);
	jw_kint(j, "t_ns", (int64_t)ev->t_ns);
	jw_kstr(j, "type", event_type_name(ev->type));
	unit_json_name(j, "worker", m, 0, ev->worker);
	if (ev->object >= 0)
		unit_json_name(j, "object", m, 1, ev->object);
	switch ((enum ls_ev_type)ev->type) {
	case LS_EV_HELLO:
		jw_kint(j, "pid", a[0]);
		break;
	case LS_EV_WORKER:
		jw_kstr(j, "kind", a[0] == LS_WK_PROCESS ? "process" : "thread");
		jw_kbool(j, "daemon", (a[1] & LS_WF_DAEMON) != 0);
		unit_json_name(j, "parent", m, 0, (int)a[2]);
		break;
	case LS_EV_OBJECT:
		jw_kstr(j, "kind", event_obj_kind_name((int)a[0]));
		jw_kint(j, "value", a[1]);
		jw_kint(j, "capacity", a[2]);
		break;
	case LS_EV_NAME:
		jw_kstr(j, "name", ev->u.s.text);
		break;
	case LS_EV_SPAWN:
		jw_kint(j, "pid", a[0]);
		break;
	case LS_EV_WANT:
		jw_kstr(j, "op", event_op_name((int)a[0]));
		jw_kint(j, "arg", a[1]);
		break;
	case LS_EV_BLOCKED: {
		jw_kstr(j, "op", event_op_name((int)a[0]));
		jw_kbool(j, "parked", a[1] != 0);
		if (a[2])
			jw_kint(j, "deadline_ns", a[2]);
		const struct m_object *o = model_object(m, ev->object);
		if (o && unit_kind(o->kind)->json_blocked)
			unit_kind(o->kind)->json_blocked(j, m, ev);
		if (unit_op((int)a[0])->json_blocked)
			unit_op((int)a[0])->json_blocked(j, m, ev);
		break;
	}
	case LS_EV_ACQUIRED:
	case LS_EV_RELEASED:
		jw_kstr(j, "op", event_op_name((int)a[0]));
		jw_kint(j, "value", a[1]);
		break;
	case LS_EV_DONE: {
		jw_kstr(j, "op", event_op_name((int)a[0]));
		jw_kint(j, "value", a[1]);
		/* an item that is not an int (lockstep run): its text beside */
		const char *text = a[0] == LS_OP_PUT || a[0] == LS_OP_GET || a[0] == LS_OP_READ ||
		                           a[0] == LS_OP_WRITE
		                       ? model_item_text(model_object(m, ev->object), a[1])
		                       : NULL;
		if (text)
			jw_kstr(j, "text", text);
		if (unit_op((int)a[0])->json_done)
			unit_op((int)a[0])->json_done(j, m, ev);
		break;
	}
	case LS_EV_NOTIFY:
		jw_kstr(j, "op", event_op_name((int)a[0]));
		unit_json_name(j, "woken", m, 0, (int)a[1]);
		break;
	case LS_EV_TIMEOUT:
		jw_kstr(j, "op", event_op_name((int)a[0]));
		break;
	case LS_EV_SAY:
	case LS_EV_OUTPUT:
		jw_kstr(j, "text", ev->u.s.text);
		if (!(ev->u.s.a0 & LS_TEXT_MORE) && m->nsays > 0)
			jw_kstr(j, "line", m->says[(m->nsays - 1) % LS_SAYS_N].text);
		break;
	case LS_EV_EXIT:
		jw_kint(j, "code", a[0]);
		if (a[1] == LS_EXIT_SIGNALED)
			unit_json_signal(j, "signal", -a[0]);
		jw_kbool(j, "daemon_stopped", a[1] == LS_EXIT_DAEMON_STOPPED);
		break;
	case LS_EV_REAPED: {
		int st = (int)a[0];
		if (WIFSIGNALED(st))
			jw_kint(j, "exit_code", -WTERMSIG(st));
		else
			jw_kint(j, "exit_code", WEXITSTATUS(st));
		unit_json_name(j, "by", m, 0, (int)a[1]);
		break;
	}
	case LS_EV_CRASH:
		jw_kint(j, "signal", a[0]);
		break;
	case LS_EV_END:
		jw_kint(j, "status", a[0]);
		break;
	case LS_EV_GRANT:
		jw_kint(j, "step", a[0]);
		break;
	case LS_EV_CLOCK:
		jw_kint(j, "vclock_ns", a[0]);
		break;
	case LS_EV_MODE:
		jw_kstr(j, "mode", a[0] == LS_MODE_RUN ? "run" : "step");
		break;
	case LS_EV_SIGNAL:
		unit_json_name(j, "target", m, 0, (int)a[0]);
		unit_json_signal(j, "signal", a[1]);
		jw_kstr(j, "outcome", sig_outcome_name(a[2]));
		jw_kint(j, "pid", a[3]);
		break;
	case LS_EV_DELIVERED:
		unit_json_signal(j, "signal", a[0]);
		break;
	case LS_EV_HANDLER:
		unit_json_signal(j, "signal", ev->u.s.a0);
		jw_kstr(j, "handler", ev->u.s.text);
		break;
	case LS_EV_WHERE:
		jw_kstr(j, "where", ev->u.s.text);
		break;
	case LS_EV_ITEM:
		jw_kint(j, "item", ev->u.s.a0);
		jw_kstr(j, "text", ev->u.s.text);
		break;
	case LS_EV_ENDS:
		jw_kstr(j, "ends", unit_ends_name((int)a[0]));
		break;
	case LS_EV_ADOPTED:
		jw_kint(j, "ppid", a[0]);
		unit_json_name(j, "parent", m, 0, (int)a[1]);
		break;
	case LS_EV_USER:
		jw_kint(j, "presses", a[0]);
		break;
	case LS_EV_NONE:
	case LS_EV_COUNT:
		break;
	}
	if (ev->worker >= 0 && model_worker(m, ev->worker))
		jw_kstr(j, "state", model_state_name(model_state(m, ev->worker)));
	jw_end(j, '}');
	hold(h, ev->seq);
}

/* The kernel's view of worker i beside the model's: "kernel" says how they
 * compare (gone, agrees, on_its_way, stale, disagrees), "kernel_state" is
 * the letter read, null when the task has ended (a reaped process, a thread
 * that returned: whatever was read before no longer applies). */
static void json_kernel(struct jw *j, const struct model *m, const struct kview *kv, int i)
{
	enum kverdict v = kernel_verdict(m, kv, i);
	if (v == KV_UNKNOWN)
		return;
	jw_kstr(j, "kernel", kernel_verdict_key(v));
	if (v == KV_GONE || v == KV_STALE || !kv->w[i].state) {
		jw_key(j, "kernel_state");
		jw_null(j);
	} else {
		char st[2] = {kv->w[i].state, 0};
		jw_kstr(j, "kernel_state", st);
		if (kv->w[i].wchan[0])
			jw_kstr(j, "wchan", kv->w[i].wchan);
	}
	if (v == KV_DISAGREES) {
		char buf[256];
		jw_kstr(j, "kernel_disagreement", kernel_disagreement(m, kv, i, buf, sizeof buf));
	}
}

/* kv: the kernel's view to show beside each worker, or NULL */
static void json_workers(struct jw *j, const struct model *m, int full, const struct kview *kv)
{
	jw_key(j, "workers");
	jw_begin(j, '[');
	for (int i = 0; i < m->nw; i++) {
		const struct m_worker *w = &m->w[i];
		if (!w->declared)
			continue;
		jw_begin(j, '{');
		jw_kstr(j, "name", w->name);
		jw_kstr(j, "kind", w->kind == LS_WK_PROCESS ? "process" : "thread");
		jw_kstr(j, "state", model_state_name(model_state(m, i)));
		jw_kstr(j, "gate", gate_name(w->gate));
		jw_kstr(j, "op", event_op_name(w->op));
		if (w->op_obj >= 0)
			unit_json_name(j, "op_object", m, 1, w->op_obj);
		if (w->where[0])
			jw_kstr(j, "where", w->where);
		if (w->wait_obj >= 0 && model_woken(m, i))
			unit_json_name(j, "woken_by", m, 1, w->wait_obj);
		else if (w->wait_obj >= 0)
			unit_json_name(j, "waits_for", m, 1, w->wait_obj);
		jw_key(j, "holds");
		jw_begin(j, '[');
		for (int k = 0; k < w->nholds; k++)
			for (int u = 0; u < w->hold_units[k]; u++) /* a name per unit */
				jw_str(j, model_object_name(m, w->holds[k]));
		jw_end(j, ']');
		if (w->has_read)
			jw_kint(j, "last_read", w->last_read);
		if (w->wait_op == LS_OP_USER_WAIT && model_live(m, i))
			jw_kbool(j, "waits_for_user", 1);
		if (full) {
			jw_kbool(j, "daemon", (w->flags & LS_WF_DAEMON) != 0);
			if (w->state == LS_WS_TERMINATED || w->state == LS_WS_ZOMBIE)
				jw_kint(j, "exit_code", w->exit_code);
			if (w->term_signal)
				unit_json_signal(j, "signal", w->term_signal);
			jw_kint(j, "steps", (int64_t)w->steps);
			if (w->pid)
				jw_kint(j, "pid", w->pid);
			if (w->kind == LS_WK_PROCESS) {
				jw_kint(j, "ppid", w->ppid);
				unit_json_name(j, "parent", m, 0, w->parent);
				jw_kbool(j, "adopted", w->adopted);
				jw_kint(j, "signals_sent", (int64_t)w->sigs_sent);
				jw_kint(j, "signals_received", (int64_t)w->sigs_got);
			}
			if (w->tid)
				jw_kint(j, "tid", w->tid);
			json_kernel(j, m, kv, i);
		}
		jw_end(j, '}');
	}
	jw_end(j, ']');
}

static void json_objects(struct jw *j, const struct model *m)
{
	jw_key(j, "objects");
	jw_begin(j, '[');
	for (int i = 0; i < m->no; i++) {
		const struct m_object *o = &m->o[i];
		if (!o->declared)
			continue;
		jw_begin(j, '{');
		jw_kstr(j, "name", o->name);
		jw_kstr(j, "kind", event_obj_kind_name(o->kind));
		if (unit_kind(o->kind)->json_object)
			unit_kind(o->kind)->json_object(j, m, o);
		/* those still waiting, in queue order; those whose wait is over
		 * (woken, to retry when they next move) apart */
		jw_key(j, "waiters");
		jw_begin(j, '[');
		int woken = 0;
		for (int k = 0; k < o->nwaiters; k++) {
			if (model_woken(m, o->waiters[k]))
				woken++;
			else
				jw_str(j, model_worker_name(m, o->waiters[k]));
		}
		jw_end(j, ']');
		if (woken) {
			jw_key(j, "woken");
			jw_begin(j, '[');
			for (int k = 0; k < o->nwaiters; k++)
				if (model_woken(m, o->waiters[k]))
					jw_str(j, model_worker_name(m, o->waiters[k]));
			jw_end(j, ']');
		}
		jw_end(j, '}');
	}
	jw_end(j, ']');
}

static void on_settled(void *ud)
{
	struct headless *h = ud;
	release(h, 1); /* every worker is at its gate: every record is in */
	if (!h->settled_lines)
		return;
	const struct model *m = engine_model(h->e);
	struct jw *j = &h->j;
	jw_begin(j, '{');
	jw_kstr(j, "type", "settled");
	jw_kint(j, "step", (int64_t)m->steps);
	jw_kint(j, "vclock_ns", m->vclock);
	json_workers(j, m, 0, NULL);
	json_objects(j, m);
	jw_end(j, '}');
	jw_line(j, h->out);
}

static void on_ended(void *ud)
{
	struct headless *h = ud;
	(void)h;
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

static void on_notice(void *ud, const char *msg)
{
	struct headless *h = ud;
	struct jw *j = &h->j;
	release(h, 1);
	jw_begin(j, '{');
	jw_kstr(j, "type", "notice");
	jw_kstr(j, "text", msg);
	jw_end(j, '}');
	jw_line(j, h->out);
}

static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct headless *h = w->data;
	engine_finish(h->e, LS_OUT_TIMEOUT, _("the run took longer than --timeout"));
}

static void step_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct headless *h = w->data;
	engine_set_mode(h->e, LS_MODE_STEP);
}

static void signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)loop;
	(void)revents;
	struct headless *h = w->data;
	engine_finish(h->e, LS_OUT_STOPPED, _("interrupted"));
}

/* The wait-for graph, the Coffman conditions and the kernel's view. */
static void json_analysis(struct jw *j, const struct model *m, const struct analysis *an,
                          enum ls_outcome out)
{
	char buf[512];
	if (an->deadlock) {
		jw_kbool(j, "cycle_definite", an->cycle_definite);
		jw_kstr(j, "cycle_text", analysis_cycle_text(m, an, buf, sizeof buf));
		jw_key(j, "cycle_workers");
		jw_begin(j, '[');
		for (int i = 0; i < an->ncycle; i++) {
			const struct m_worker *w = model_worker(m, an->cycle[i].id);
			if (an->cycle[i].is_object || !w)
				continue;
			jw_begin(j, '{');
			jw_kstr(j, "name", w->name);
			jw_kstr(j, "kind", w->kind == LS_WK_PROCESS ? "process" : "thread");
			jw_kint(j, "pid", w->pid);
			jw_kint(j, "tid", w->tid);
			jw_end(j, '}');
		}
		jw_end(j, ']');
	}
	if (an->cycle_kind == AN_CYCLE_TIMED)
		jw_kstr(j, "timed_cycle", analysis_cycle_text(m, an, buf, sizeof buf));
	jw_key(j, "stuck");
	jw_begin(j, '[');
	if (out == LS_OUT_DEADLOCK || out == LS_OUT_STALLED)
		for (int i = 0; i < m->nw && i < LS_MAX_WORKERS; i++)
			if (an->wflags[i] & AN_N_STUCK)
				jw_str(j, m->w[i].name);
	jw_end(j, ']');
	jw_key(j, "edges");
	jw_begin(j, '[');
	for (int k = 0; k < an->nedges; k++) {
		const struct an_edge *e = &an->edges[k];
		jw_begin(j, '{');
		unit_json_name(j, "from", m, 0, e->from);
		jw_kstr(j, "op", event_op_name(e->op));
		unit_json_name(j, "via", m, 1, e->via);
		unit_json_name(j, "to", m, 0, e->to);
		jw_kstr(j, "label", e->label);
		jw_kbool(j, "definite", (e->flags & AN_E_DEFINITE) != 0);
		jw_kbool(j, "timed", (e->flags & AN_E_TIMED) != 0);
		jw_kbool(j, "in_cycle", (e->flags & AN_E_IN_CYCLE) != 0);
		jw_kstr(j, "text", analysis_edge_text(m, e, buf, sizeof buf));
		jw_end(j, '}');
	}
	jw_end(j, ']');
	jw_key(j, "coffman");
	jw_begin(j, '{');
	for (int c = 0; c < AN_NCOND; c++)
		jw_kbool(j, analysis_cond_key((enum an_cond)c), an->coffman[c].holds);
	jw_end(j, '}');
	jw_key(j, "coffman_witness");
	jw_begin(j, '{');
	for (int c = 0; c < AN_NCOND; c++)
		jw_kstr(j, analysis_cond_key((enum an_cond)c),
		        analysis_cond_text(m, an, (enum an_cond)c, buf, sizeof buf));
	jw_end(j, '}');
}

static const char *explain_name; /* --explain=NAME */
static int explain_missing;      /* the run had no worker or object of that name */

void headless_explain(const char *name)
{
	explain_name = name;
}

/* --explain=NAME: "why?" on the worker (or object) of that name at the end
 * of the run, in the words the UI's y shows (describe_why), a line each. */
static void json_explain(struct jw *j, const struct model *m, const struct analysis *an)
{
	int obj = 0, id = sched_resolve(m, explain_name);
	for (int i = 0; id < 0 && i < m->no; i++)
		if (m->o[i].declared && strcmp(m->o[i].name, explain_name) == 0)
			obj = 1, id = i;
	jw_key(j, "explain");
	jw_begin(j, '{');
	jw_kstr(j, "name", explain_name);
	if (id < 0) {
		jw_kbool(j, "found", 0);
		explain_missing = 1;
	} else {
		static char text[8192];
		jw_kstr(j, "of", obj ? "object" : "worker");
		describe_why(m, an, obj, id, text, sizeof text);
		jw_key(j, "text");
		jw_begin(j, '[');
		for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			jw_str(j, line);
		}
		jw_end(j, ']');
	}
	jw_end(j, '}');
}

/* After the summary: a name the run never had is bad usage, said once. */
static int explain_rc(int rc)
{
	if (!explain_missing)
		return rc;
	fprintf(stderr, _("lockstep: --explain=%s: the run has no worker or object of that name\n"),
	        explain_name);
	return LS_EXIT_USAGE;
}

static void summary(struct headless *h)
{
	const struct model *m = engine_model(h->e);
	const struct analysis *an = engine_analysis(h->e);
	enum ls_outcome out = engine_outcome(h->e);
	struct jw *j = &h->j;
	release(h, 1);
	jw_begin(j, '{');
	jw_kstr(j, "type", "summary");
	jw_kstr(j, "outcome", engine_outcome_name(out));
	if (*engine_error(h->e))
		jw_kstr(j, "error", engine_error(h->e));
	json_workers(j, m, 1, engine_kernel_view(h->e));
	json_objects(j, m);
	jw_kint(j, "events", (int64_t)m->events);
	jw_kint(j, "steps", (int64_t)m->steps);
	jw_kint(j, "malformed", (int64_t)engine_malformed(h->e));
	jw_kint(j, "anomalies", (int64_t)m->anomalies);
	if (an->deadlock) {
		jw_key(j, "cycle");
		jw_begin(j, '[');
		for (int i = 0; i < an->ncycle; i++)
			jw_str(j, an->cycle[i].is_object ? model_object_name(m, an->cycle[i].id)
			                                 : model_worker_name(m, an->cycle[i].id));
		jw_end(j, ']');
	}
	jw_key(j, "stalled");
	jw_begin(j, '[');
	if (out == LS_OUT_DEADLOCK || out == LS_OUT_STALLED)
		for (int i = 0; i < m->nw; i++)
			if (model_blocked(m, i))
				jw_str(j, m->w[i].name);
	jw_end(j, ']');
	json_analysis(j, m, an, out);
	const struct kview *kv = engine_kernel_view(h->e);
	if (kv->taken_ns)
		jw_kstr(j, "kernel_note", kernel_note(m->mode));
	jw_key(j, "narration");
	jw_begin(j, '[');
	uint64_t first = m->nsays > LS_SAYS_N ? m->nsays - LS_SAYS_N : 0;
	for (uint64_t i = first; i < m->nsays; i++)
		if (!m->says[i % LS_SAYS_N].output)
			jw_str(j, m->says[i % LS_SAYS_N].text);
	jw_end(j, ']');
	if (explain_name)
		json_explain(j, m, an);
	jw_end(j, '}');
	jw_line(j, h->out);
}

static int exit_code(enum ls_outcome out)
{
	switch (out) {
	case LS_OUT_FINISHED: return LS_EXIT_OK;
	case LS_OUT_DEADLOCK:
	case LS_OUT_STALLED: return LS_EXIT_DEADLOCK;
	case LS_OUT_TIMEOUT: return LS_EXIT_TIMEOUT;
	case LS_OUT_BAD_SCHEDULE: return LS_EXIT_USAGE;
	default: return LS_EXIT_ERROR;
	}
}

static double step_after_s;
static const char *trace_path;

void headless_export_trace(const char *path)
{
	trace_path = path;
}

/* --export-trace: open before the run (a bad path is an error before
 * anything starts), close after it. */
static int trace_start(struct headless *h)
{
	char err[512];
	if (!trace_path)
		return 0;
	h->trace = trace_open(trace_path, err, sizeof err);
	if (!h->trace) {
		fprintf(stderr, "lockstep: %s\n", err);
		return -1;
	}
	return 0;
}

static int trace_end(struct headless *h)
{
	char err[512];
	if (!h->trace)
		return 0;
	int r = trace_close(h->trace, engine_model(h->e), err, sizeof err);
	h->trace = NULL;
	if (r != 0)
		fprintf(stderr, "lockstep: %s\n", err);
	return r;
}

void headless_step_after(double seconds)
{
	step_after_s = seconds;
}

/* --serve with --headless: the run's stream to viewers (serve.h). */
static const char *serve_spec, *serve_token;
static int serve_wait_n;

void headless_serve(const char *spec, const char *token, int wait_viewers)
{
	serve_spec = spec;
	serve_token = token;
	serve_wait_n = wait_viewers;
}

static void serve_notice(void *ud, const char *msg)
{
	fprintf(stderr, "lockstep: %s\n", msg);
}

int headless_run(const struct engine_opts *o, double timeout_s, int flags)
{
	int settled_lines = flags & 1;
	struct ev_loop *loop = EV_DEFAULT;
	struct headless h = {.out = stdout, .settled_lines = settled_lines};
	struct engine_cb cb = {
		.event = on_event,
		.settled = on_settled,
		.ended = on_ended,
		.notice = on_notice,
	};
	struct engine_opts eo = *o;
	eo.autostep = 1;
	eo.mode = LS_MODE_STEP;
	if (o->free_run || (o->scene->flags & LS_SCENE_FREE_RUN)) {
		eo.mode = LS_MODE_RUN; /* it measures real time */
		eo.delay_us = 0;
	}
	if (eo.settle_warn_s == 0)
		eo.settle_warn_s = 2.0;
	struct serve *srv = NULL;
	if (serve_spec) {
		char err[600];
		int usage;
		static const struct serve_cb scb = {.notice = serve_notice};
		srv = serve_open(loop, serve_spec, serve_token, &scb, &h, &usage, err, sizeof err);
		if (!srv) {
			fprintf(stderr, "lockstep: %s\n", err);
			return usage ? LS_EXIT_USAGE : LS_EXIT_NET;
		}
		fprintf(stderr, _("lockstep: serving %s; students attach with:\n  %s\n"), o->scene->id,
		        serve_attach_command(srv));
		if (serve_wait_n > 0 && serve_wait_viewers(srv, serve_wait_n, timeout_s) != 0) {
			fprintf(stderr, _("lockstep: %d of %d viewers attached within --timeout\n"),
			        serve_viewers(srv), serve_wait_n);
			serve_close(srv);
			return LS_EXIT_TIMEOUT;
		}
		eo.tap = serve_sink(srv);
	}
	if (trace_start(&h) != 0) {
		serve_close(srv);
		return LS_EXIT_ERROR;
	}
	h.e = engine_new(loop, &eo, &cb, &h);
	if (!h.e) {
		fprintf(stderr, "lockstep: %s\n", _("out of memory"));
		serve_close(srv);
		return LS_EXIT_ERROR;
	}
	ev_signal_init(&h.int_w, signal_cb, SIGINT);
	h.int_w.data = &h;
	ev_signal_start(loop, &h.int_w);
	ev_signal_init(&h.term_w, signal_cb, SIGTERM);
	h.term_w.data = &h;
	ev_signal_start(loop, &h.term_w);
	ev_signal_init(&h.hup_w, signal_cb, SIGHUP); /* the terminal went away */
	h.hup_w.data = &h;
	ev_signal_start(loop, &h.hup_w);
	char err[256];
	if (engine_start(h.e, err, sizeof err) != 0) {
		fprintf(stderr, _("lockstep: cannot start scene %s: %s\n"), o->scene->id, err);
		trace_end(&h);
		if (trace_path)
			unlink(trace_path); /* nothing ran: nothing to show */
		engine_free(h.e);
		serve_close(srv);
		return LS_EXIT_ERROR;
	}
	ev_timer_init(&h.timeout_w, timeout_cb, timeout_s, 0.);
	h.timeout_w.data = &h;
	if (timeout_s > 0)
		ev_timer_start(loop, &h.timeout_w);
	ev_timer_init(&h.step_w, step_cb, step_after_s, 0.);
	h.step_w.data = &h;
	if (step_after_s > 0 && !(o->scene->flags & LS_SCENE_FREE_RUN))
		ev_timer_start(loop, &h.step_w);
	ev_run(loop, 0);
	ev_timer_stop(loop, &h.timeout_w);
	ev_timer_stop(loop, &h.step_w);
	ev_signal_stop(loop, &h.int_w);
	ev_signal_stop(loop, &h.term_w);
	ev_signal_stop(loop, &h.hup_w);
	/* the run is over: a signal now must not cut the summary or the
	 * cleanup short (stopping a watcher restores the default action) */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);

	summary(&h);
	fflush(stdout);
	int traced = trace_end(&h);
	enum ls_outcome out = engine_outcome(h.e);
	if (*engine_error(h.e) && out != LS_OUT_FINISHED)
		fprintf(stderr, "lockstep: %s\n", engine_error(h.e));
	engine_free(h.e); /* the recording's END: the viewers' run is over too */
	engine_reap_all();
	if (srv) { /* every viewer gets the whole run before lockstep goes */
		serve_drain(srv, 10.0);
		serve_close(srv);
	}
	jw_free(&h.j);
	free(h.held);
	return explain_rc(traced != 0 && out == LS_OUT_FINISHED ? LS_EXIT_ERROR : exit_code(out));
}

int headless_replay(const char *path, int flags)
{
	struct rec_file f;
	char err[1024];
	if (rec_file_open(&f, path, err, sizeof err) != 0) {
		fprintf(stderr, "lockstep: %s\n", err);
		return LS_EXIT_ERROR;
	}
	struct headless h = {.out = stdout, .settled_lines = flags & 1};
	struct engine_cb cb = {.event = on_event, .settled = on_settled, .notice = on_notice};
	struct engine_opts eo = {0}; /* no scene: the recording has what it did */
	if (trace_start(&h) != 0) {
		rec_file_close(&f);
		return LS_EXIT_ERROR;
	}
	struct rec_item *it = malloc(sizeof *it);
	h.e = it ? engine_new(EV_DEFAULT, &eo, &cb, &h) : NULL;
	if (!h.e) {
		fprintf(stderr, "lockstep: %s\n", _("out of memory"));
		free(it);
		rec_file_close(&f);
		return LS_EXIT_ERROR;
	}
	rec_feed(h.e, &f.rd, it, 0);
	summary(&h);
	fflush(stdout);
	enum ls_outcome out = engine_outcome(h.e);
	int rc = exit_code(out);
	if (trace_end(&h) != 0)
		rc = LS_EXIT_ERROR;
	if (f.rd.bad) { /* what came before is shown; then where it went wrong */
		fprintf(stderr, "lockstep: %s: %s\n", path, f.rd.err);
		rc = LS_EXIT_ERROR;
	} else if (*engine_error(h.e) && out != LS_OUT_FINISHED) {
		fprintf(stderr, "lockstep: %s\n", engine_error(h.e));
	}
	engine_free(h.e);
	free(it);
	rec_file_close(&f);
	jw_free(&h.j);
	free(h.held);
	return explain_rc(rc);
}

/* ---- --attach --headless: the teacher's stream as JSON lines ---- */

struct hattach {
	struct headless h;
	struct ev_loop *loop;
	int begun, over, timed_out;
	char lost[1200];
	ev_signal int_w, term_w, hup_w;
	ev_timer timeout_w;
};

static void att_begin(void *ud, const struct rec_header *hd)
{
	struct hattach *x = ud;
	if (x->begun) { /* the teacher started another run: this one was it */
		x->over = 1;
		ev_break(x->loop, EVBREAK_ALL);
	}
	x->begun = 1;
}

static void att_item(void *ud, const struct rec_item *it)
{
	struct hattach *x = ud;
	struct engine *e = x->h.e;
	if (x->over)
		return;
	switch (it->kind) {
	case REC_K_EVENT: engine_replay_event(e, &it->ev); break;
	case REC_K_SETTLED: engine_replay_settled(e); break;
	case REC_K_NOTICE: engine_replay_notice(e, it->text); break;
	case REC_K_END:
		engine_replay_end(e, (enum ls_outcome)it->a[0], it->text, (uint64_t)it->a[1],
		                  it->a[2] != 0);
		x->over = 1;
		ev_break(x->loop, EVBREAK_ALL);
		break;
	default: break;
	}
}

static void att_lost(void *ud, const char *why)
{
	struct hattach *x = ud;
	snprintf(x->lost, sizeof x->lost, "%s", why);
	ev_break(x->loop, EVBREAK_ALL);
}

static void att_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct hattach *x = w->data;
	x->timed_out = 1;
	snprintf(x->lost, sizeof x->lost, "%s", _("the run took longer than --timeout"));
	ev_break(loop, EVBREAK_ALL);
}

static void att_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct hattach *x = w->data;
	snprintf(x->lost, sizeof x->lost, "%s", _("interrupted"));
	ev_break(loop, EVBREAK_ALL);
}

int headless_attach(const char *spec, const char *token, int flags, double timeout_s)
{
	static struct hattach x; /* the model is big: not on the stack */
	memset(&x, 0, sizeof x);
	x.h.out = stdout;
	x.h.settled_lines = flags & 1;
	x.loop = EV_DEFAULT;
	struct engine_cb cb = {.event = on_event, .settled = on_settled, .notice = on_notice};
	struct engine_opts eo = {0}; /* no scene: the teacher's stream has what it did */
	x.h.e = engine_new(x.loop, &eo, &cb, &x.h);
	if (!x.h.e) {
		fprintf(stderr, "lockstep: %s\n", _("out of memory"));
		return LS_EXIT_ERROR;
	}
	char err[1024];
	int usage;
	static const struct attach_cb acb = {.begin = att_begin, .item = att_item, .lost = att_lost};
	struct attach *a = attach_open(x.loop, spec, token, &acb, &x, &usage, err, sizeof err);
	if (!a) {
		fprintf(stderr, "lockstep: %s\n", err);
		engine_free(x.h.e);
		return usage ? LS_EXIT_USAGE : LS_EXIT_NET;
	}
	ev_signal *sw[3] = {&x.int_w, &x.term_w, &x.hup_w};
	const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	for (int i = 0; i < 3; i++) {
		ev_signal_init(sw[i], att_signal_cb, sigs[i]);
		sw[i]->data = &x;
		ev_signal_start(x.loop, sw[i]);
	}
	attach_start(a);
	ev_timer_init(&x.timeout_w, att_timeout_cb, timeout_s, 0.);
	x.timeout_w.data = &x;
	if (timeout_s > 0)
		ev_timer_start(x.loop, &x.timeout_w);
	if (!x.over && !x.lost[0]) /* the history may have held the whole run */
		ev_run(x.loop, 0);
	ev_timer_stop(x.loop, &x.timeout_w);
	for (int i = 0; i < 3; i++)
		ev_signal_stop(x.loop, sw[i]);
	attach_close(a);
	if (!x.over) /* cut short: what came is shown, then why */
		engine_replay_end(x.h.e, x.timed_out ? LS_OUT_TIMEOUT : LS_OUT_ERROR, x.lost, 0, 0);
	summary(&x.h);
	fflush(stdout);
	enum ls_outcome out = engine_outcome(x.h.e);
	int rc = exit_code(out);
	if (!x.over) {
		fprintf(stderr, "lockstep: %s\n", x.lost);
		rc = x.timed_out ? LS_EXIT_TIMEOUT : LS_EXIT_NET;
	} else if (*engine_error(x.h.e) && out != LS_OUT_FINISHED) {
		fprintf(stderr, "lockstep: %s\n", engine_error(x.h.e));
	}
	engine_free(x.h.e);
	jw_free(&x.h.j);
	free(x.h.held);
	return rc;
}
