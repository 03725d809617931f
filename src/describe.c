/* describe: events and cycles in words. See describe.h. */
#include "describe.h"

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "theme.h"
#include "unit.h"

static const char *wn(const struct model *m, int id) { return model_worker_name(m, id); }
static const char *on(const struct model *m, int id) { return model_object_name(m, id); }

/* The words of LS_OBJ_KINDS (event.h), shown through
 * _(event_obj_kind_name(...)) in the log and the values pane. xgettext does
 * not expand that macro, so they are listed here for translators; the JSON
 * keeps the plain words. tests/i18n/test_glossary.py checks that every kind
 * in event.h reaches the template. */
static const char *const kind_words[] __attribute__((unused)) = {
	N_("lock"), N_("rlock"), N_("semaphore"), N_("condition"), N_("queue"),
	N_("value"), N_("event"), N_("barrier"), N_("pipe"), N_("fifo"),
	N_("mqueue"), N_("array"), N_("future"), N_("local"), N_("rwlock"),
};

/* "SIGINT", or "signal 40" for one without a name */
const char *describe_signal(int sig)
{
	static char buf[32];
	const char *n = sig > 0 && sig < NSIG ? sigabbrev_np(sig) : NULL;
	if (n)
		snprintf(buf, sizeof buf, "SIG%s", n);
	else
		snprintf(buf, sizeof buf, _("signal %d"), sig);
	return buf;
}

/* Who sent a signal: a worker, or the user at the keyboard (-1). */
static const char *sender(const struct model *m, int id)
{
	return id >= 0 ? model_worker_name(m, id) : _("user");
}

/* BLOCKED: the operation's words when it decides them (join, sleep,
 * pause, the scene key), else the object's kind's */
static int blocked(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const char *w = wn(m, ev->worker);
	const struct m_object *o = model_object(m, ev->object);
	int op = (int)ev->u.a[0];
	const struct unit_op *u = unit_op(op);
	if (u->say_blocked)
		return u->say_blocked(m, ev, buf, n);
	if (!o)
		return unit_say(buf, n, TH_WAITING, _("%s waits (%s)"), w, event_op_name(op));
	const struct unit_kind *k = unit_kind(o->kind);
	if (k->say_blocked)
		return k->say_blocked(m, ev, buf, n);
	return unit_say(buf, n, TH_WAITING, _("%s waits on %s"), w, o->name);
}

/* "user sent SIGINT to driver: it will run its handler" */
static int signal_sent(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const int64_t *a = ev->u.a;
	const char *from = sender(m, ev->worker);
	const char *to = wn(m, (int)a[0]);
	const char *s = describe_signal((int)a[1]);
	switch (a[2]) {
	case LS_SIG_HANDLE:
		return unit_say(buf, n, TH_KEY, _("%s sent %s to %s: its handler will run"), from, s, to);
	case LS_SIG_IGNORE:
		return unit_say(buf, n, TH_DIM, _("%s sent %s to %s, who ignores it"), from, s, to);
	case LS_SIG_TERM:
		return unit_say(buf, n, TH_ALARM, _("%s sent %s to %s: the default action ends it"), from,
		                s, to);
	case LS_SIG_DFL_IGN:
		return unit_say(buf, n, TH_DIM, _("%s sent %s to %s: by default nothing happens"), from,
		                s, to);
	case LS_SIG_BLOCKED:
		return unit_say(buf, n, TH_DIM, _("%s sent %s to %s: blocked, it stays pending"), from, s,
		                to);
	case LS_SIG_STOP:
		return unit_say(buf, n, TH_BLOCKED, _("%s sent %s to %s: the default action stops it"),
		                from, s, to);
	default:
		return unit_say(buf, n, TH_NORMAL, _("%s sent %s to %s"), from, s, to);
	}
}

int describe_waits(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_worker *w = model_worker(m, id);
	if (!w)
		return -1;
	const struct m_object *o = model_object(m, w->wait_obj);
	if (o && model_woken(m, id)) /* it takes its turn when it next moves */
		return unit_say(buf, n, TH_READY, _("nothing now (woken by %s)"), o->name);
	const struct unit_op *u = unit_op(w->wait_op);
	if (u->say_waits)
		return u->say_waits(m, id, buf, n);
	if (!o)
		return -1;
	const struct unit_kind *k = unit_kind(o->kind);
	if (k->say_waits)
		return k->say_waits(m, id, buf, n);
	return unit_say(buf, n, TH_WAITING, "%s", o->name);
}

/* DONE: the operation's words, else "T1 did op on X" */
static int done(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct unit_op *u = unit_op((int)ev->u.a[0]);
	return u->say_done ? u->say_done(m, ev, buf, n) : unit_say_did(m, ev, buf, n);
}

int describe_event(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = ev->worker >= 0 ? wn(m, ev->worker) : "";
	const int64_t *a = ev->u.a;
	switch ((enum ls_ev_type)ev->type) {
	case LS_EV_HELLO:
		return unit_say(buf, n, TH_DIM, _("scene host started (pid %lld)"), (long long)a[0]);
	case LS_EV_NAME:
		if (ev->u.s.a0 == LS_NAME_WORKER && ev->worker >= 0) {
			const struct m_worker *x = model_worker(m, ev->worker);
			return unit_say(buf, n, TH_DIM, _("new %s %s"),
			                x && x->kind == LS_WK_PROCESS ? _("process") : _("thread"), w);
		}
		if (ev->u.s.a0 == LS_NAME_OBJECT && o)
			return unit_say(buf, n, TH_DIM, _("new %s %s"), _(event_obj_kind_name(o->kind)),
			                o->name);
		return -1;
	case LS_EV_WORKER:
	case LS_EV_OBJECT:
	case LS_EV_SAY:
	case LS_EV_OUTPUT:
	case LS_EV_WHERE: /* shown beside the worker's operation, not logged */
	case LS_EV_ITEM:  /* shown where the item is: the queue, the put and get */
	case LS_EV_NONE:
	case LS_EV_COUNT:
		return -1;
	case LS_EV_SPAWN:
		if (a[1] == 0)
			return unit_say(buf, n, TH_RUNNABLE, _("%s started (pid %lld)"), w, (long long)a[0]);
		return unit_say(buf, n, TH_RUNNABLE, _("%s started (pid %lld, tid %lld)"), w,
		                (long long)a[0], (long long)a[1]);
	case LS_EV_WANT:
		if (o)
			return unit_say(buf, n, TH_READY, _("%s is ready to %s(%s)"), w,
			                event_op_name((int)a[0]), o->name);
		return unit_say(buf, n, TH_READY, _("%s is ready to %s"), w, event_op_name((int)a[0]));
	case LS_EV_BLOCKED:
		return blocked(m, ev, buf, n);
	case LS_EV_ACQUIRED:
		if (o && unit_kind(o->kind)->say_acquired)
			return unit_kind(o->kind)->say_acquired(m, ev, buf, n);
		return unit_say(buf, n, TH_GOOD, _("%s acquired %s"), w, on(m, ev->object));
	case LS_EV_RELEASED:
		if (o && unit_kind(o->kind)->say_released)
			return unit_kind(o->kind)->say_released(m, ev, buf, n);
		return unit_say(buf, n, TH_NORMAL, _("%s released %s"), w, on(m, ev->object));
	case LS_EV_DONE:
		return done(m, ev, buf, n);
	case LS_EV_NOTIFY:
		if (a[1] >= 0)
			return unit_say(buf, n, TH_NORMAL, _("%s notified %s: %s wakes"), w, on(m, ev->object),
			                wn(m, (int)a[1]));
		return unit_say(buf, n, TH_NORMAL, _("%s notified %s: nobody was waiting"), w,
		                on(m, ev->object));
	case LS_EV_TIMEOUT:
		return unit_say(buf, n, TH_TIMED, _("%s timed out"), w);
	case LS_EV_EXIT: {
		const struct m_worker *x = model_worker(m, ev->worker);
		if (a[1] == LS_EXIT_SIGNALED)
			return unit_say(buf, n, TH_ENDED, _("%s was killed by %s"), w,
			                describe_signal((int)-a[0]));
		if (a[1] == LS_EXIT_DAEMON_STOPPED && x && !(x->flags & LS_WF_DAEMON))
			return unit_say(buf, n, TH_ENDED, _("%s was stopped: the program had ended"), w);
		if (a[1] == LS_EXIT_DAEMON_STOPPED)
			return unit_say(buf, n, TH_ENDED, _("%s (daemon) was stopped when main ended"), w);
		if (x && x->kind == LS_WK_PROCESS)
			return unit_say(buf, n, TH_ZOMBIE, _("%s exited with code %lld: a ZOMBIE until its parent waits"),
			                w, (long long)a[0]);
		return unit_say(buf, n, TH_ENDED, _("%s exited with code %lld"), w, (long long)a[0]);
	}
	case LS_EV_REAPED: {
		int st = (int)a[0];
		if ((st & 0x7f) != 0 && (st & 0x7f) != 0x7f)
			return unit_say(buf, n, TH_ENDED, _("%s reaped by %s (killed by %s): TERMINATED"), w,
			                a[1] >= 0 ? wn(m, (int)a[1]) : _("lockstep"), describe_signal(st & 0x7f));
		return unit_say(buf, n, TH_ENDED, _("%s reaped by %s (exit code %d): TERMINATED"), w,
		                a[1] >= 0 ? wn(m, (int)a[1]) : _("lockstep"), (st >> 8) & 0xff);
	}
	case LS_EV_SIGNAL:
		return signal_sent(m, ev, buf, n);
	case LS_EV_DELIVERED:
		return -1; /* HANDLER follows with the handler's name */
	case LS_EV_HANDLER:
		return unit_say(buf, n, TH_KEY, _("%s handled %s: %s() runs"), w,
		                describe_signal((int)ev->u.s.a0), ev->u.s.text);
	case LS_EV_ENDS: {
		static const char *const ends[] = {N_("no end"), N_("the read end"),
		                                   N_("the write end"), N_("both ends")};
		return unit_say(buf, n, TH_DIM, _("%s now holds %s of %s"), w, _(ends[a[0] & 3]),
		                on(m, ev->object));
	}
	case LS_EV_ADOPTED:
		return unit_say(buf, n, TH_WAITING, _("%s is an orphan: adopted by %s (pid %lld)"), w,
		                a[1] >= 0 ? wn(m, (int)a[1]) : _("lockstep"), (long long)a[0]);
	case LS_EV_USER:
		return unit_say(buf, n, TH_KEY, _("the user pressed k (%lld so far)"), (long long)a[0]);
	case LS_EV_CRASH:
		return unit_say(buf, n, TH_ALARM, _("the scene crashed: signal %lld"), (long long)a[0]);
	case LS_EV_END:
		return unit_say(buf, n, TH_GOOD, _("the scene ended (status %lld)"), (long long)a[0]);
	case LS_EV_GRANT:
		return unit_say(buf, n, TH_KEY, _("step %lld: %s moves"), (long long)a[0], w);
	case LS_EV_CLOCK:
		return unit_say(buf, n, TH_TIMED, _("virtual clock jumps to %.3f s"), (double)a[0] / 1e9);
	case LS_EV_MODE:
		return unit_say(buf, n, TH_DIM, "%s",
		                a[0] == LS_MODE_RUN ? _("mode: run freely") : _("mode: step by step"));
	default: /* event types added later: say what the record says */
		if (o)
			return unit_say(buf, n, TH_NORMAL, "%s %s %s", w, _(event_type_name(ev->type)),
			                o->name);
		return unit_say(buf, n, TH_NORMAL, "%s %s", w, _(event_type_name(ev->type)));
	}
}

void describe_cycle(const struct model *m, const struct analysis *a, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	int k = a->ncycle;
	for (int i = 0; i < k && len < n; i++) {
		const struct ls_node *x = &a->cycle[i];
		if (x->is_object)
			continue;
		const struct ls_node *nx = &a->cycle[(i + 1) % k];
		const struct ls_node *nn = &a->cycle[(i + 2) % k];
		int r;
		/* TRANSLATORS: between two waits in a list of them */
		const char *sep = len ? _("; ") : "";
		if (nx->is_object && !nn->is_object)
			r = snprintf(buf + len, n - len, _("%s%s waits for %s, held by %s"), sep,
			             wn(m, x->id), on(m, nx->id), wn(m, nn->id));
		else if (!nx->is_object)
			r = snprintf(buf + len, n - len, _("%s%s waits for %s to finish"), sep,
			             wn(m, x->id), wn(m, nx->id));
		else
			r = snprintf(buf + len, n - len, _("%s%s waits for %s"), sep, wn(m, x->id),
			             on(m, nx->id));
		if (r < 0)
			break;
		len += (size_t)r;
	}
}

static const char *cycle_arrows(const struct model *m, const struct analysis *a,
                               const char *arrow, int pids, char *buf, size_t n);

void describe_cycle_arrows(const struct model *m, const struct analysis *a, int ascii,
                           char *buf, size_t n)
{
	cycle_arrows(m, a, ascii ? " -> " : " \xe2\x86\x92 ", 0, buf, n);
}

void describe_output(const char *in, char *out, size_t n)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)in;
	while (*p && o + 1 < n) {
		if (*p == 0x1b) {
			p++;
			if (*p == '[') { /* CSI: parameters, then one final byte */
				p++;
				while (*p && !(*p >= 0x40 && *p <= 0x7e))
					p++;
				if (*p)
					p++;
			} else if (*p == ']') { /* OSC: up to BEL or ESC \ */
				while (*p && *p != 0x07 && !(*p == 0x1b && p[1] == '\\'))
					p++;
				if (*p == 0x07)
					p++;
				else if (*p)
					p += 2;
			} else if (*p) {
				p++;
			}
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			if (*p == '\t')
				out[o++] = ' ';
			p++;
			continue;
		}
		out[o++] = (char)*p++;
	}
	out[o] = '\0';
}

/* ---- the analysis in words: the edges, the cycle, the conditions, the
 * narration (declared in analysis.h, where their callers look) ---- */

static const char *const cond_titles[AN_NCOND] = {
#define X(e, k, t) [AN_COND_##e] = N_(t),
	AN_CONDS(X)
#undef X
};

const char *analysis_cond_title(enum an_cond c)
{
	return (unsigned)c < AN_NCOND ? cond_titles[c] : "?";
}

/* How to break each condition, and the scene that shows it. */
static const struct {
	const char *how;
	const char *scene;
} fixes[AN_NCOND] = {
	[AN_COND_MUTUAL_EXCLUSION] = {N_("make the resource shareable (read-only data, a lock-free "
	                                 "structure); a lock cannot drop it"), NULL},
	[AN_COND_HOLD_AND_WAIT] = {N_("never wait while holding: when the next lock is busy, give "
	                              "back what you hold and try again"),
	                           "philosophers --param fix=trylock"},
	[AN_COND_NO_PREEMPTION] = {N_("let a wait time out, then back off and release what you "
	                              "hold"), "deadlock-watchdog"},
	[AN_COND_CIRCULAR_WAIT] = {N_("take the locks in one global order, so no circle can form"),
	                           "deadlock-ordered"},
};

const char *analysis_cond_fix(enum an_cond c, const char **scene)
{
	if ((unsigned)c >= AN_NCOND) {
		if (scene)
			*scene = NULL;
		return "";
	}
	if (scene)
		*scene = fixes[c].scene;
	return _(fixes[c].how);
}

static size_t appendf(char *buf, size_t n, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static size_t appendf(char *buf, size_t n, size_t len, const char *fmt, ...)
{
	if (len >= n)
		return len;
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
	if (r < 0)
		return len;
	len += (size_t)r;
	return len < n ? len : n - 1;
}

/* "T1", or "P1 (pid 42)" for a process worker. */
static const char *who(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_worker *w = model_worker(m, id);
	if (!w)
		snprintf(buf, n, "%s", _("nobody"));
	else if (w->kind == LS_WK_PROCESS && w->pid)
		snprintf(buf, n, _("%s (pid %lld)"), w->name, (long long)w->pid);
	else
		snprintf(buf, n, "%s", w->name);
	return buf;
}

const char *analysis_edge_text(const struct model *m, const struct an_edge *e, char *buf, size_t n)
{
	char a[64], b[64];
	who(m, e->from, a, sizeof a);
	if (e->via < 0)
		snprintf(buf, n, _("%s waits for %s to end"), a, who(m, e->to, b, sizeof b));
	else if (e->to < 0)
		snprintf(buf, n, _("%s waits for %s: %s"), a, model_object_name(m, e->via),
		         _(e->label));
	else
		snprintf(buf, n, _("%s waits for %s, %s %s"), a, model_object_name(m, e->via),
		         _(e->label), who(m, e->to, b, sizeof b));
	if (e->flags & AN_E_TIMED) {
		size_t len = strlen(buf);
		appendf(buf, n, len, "%s", _(" (until its timeout)"));
	}
	return buf;
}

/* The cycle as arrows, the one way it is drawn in a line: the header and
 * the conditions pane (bare names, ASCII when asked), the JSON and the
 * narration (a process with its pid) */
static const char *cycle_arrows(const struct model *m, const struct analysis *a,
                               const char *arrow, int pids, char *buf, size_t n)
{
	char w[64];
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i <= a->ncycle && a->ncycle > 0; i++) {
		const struct ls_node *x = &a->cycle[i % a->ncycle];
		const char *name = x->is_object ? on(m, x->id)
		                   : pids       ? who(m, x->id, w, sizeof w)
		                                : wn(m, x->id);
		len = appendf(buf, n, len, "%s%s", i ? arrow : "", name);
	}
	return buf;
}

const char *analysis_cycle_text(const struct model *m, const struct analysis *a, char *buf, size_t n)
{
	/* the arrow of every screen; ASCII mode draws it "->" (ui_text) */
	return cycle_arrows(m, a, " \xe2\x86\x92 ", 1, buf, n);
}

static int waiter_for(const struct analysis *a, int obj, int owner);

/* Who holds obj in its kind's words ("read by R1, R2"), when the kind has
 * more to say than one owner; 0 otherwise. */
static int holders_words(const struct model *m, int obj, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, obj);
	const struct unit_kind *k = o ? unit_kind(o->kind) : NULL;
	return k && k->say_holders && k->say_holders(m, obj, buf, n);
}

/* What a hold-and-wait witness waits for: its object, or, when it waits
 * on no object (a join), the words of its wait ("T1 to end (join)"). */
static const char *waited_for(const struct model *m, const struct an_coffman *k, char *buf,
                              size_t n)
{
	if (k->object2 >= 0 || describe_waits(m, k->worker, buf, n) < 0)
		return model_object_name(m, k->object2);
	return buf;
}

const char *analysis_cond_text(const struct model *m, const struct analysis *a, enum an_cond c,
                               char *buf, size_t n)
{
	const struct an_coffman *k = &a->coffman[c];
	char w[64], cyc[256];
	const char *wn = who(m, k->worker, w, sizeof w);
	switch (c) {
	case AN_COND_MUTUAL_EXCLUSION:
		if (k->holds && holders_words(m, k->object, cyc, sizeof cyc) &&
		    waiter_for(a, k->object, k->worker) >= 0)
			snprintf(buf, n, _("holds: %s is %s, and %s must wait"),
			         model_object_name(m, k->object), cyc,
			         model_worker_name(m, waiter_for(a, k->object, k->worker)));
		else if (k->holds)
			snprintf(buf, n, _("holds: %s has one owner at a time, %s; others must wait"),
			         model_object_name(m, k->object), wn);
		else
			snprintf(buf, n, "%s", _("not seen now: nobody waits for something another holds"));
		break;
	case AN_COND_HOLD_AND_WAIT:
		if (k->holds)
			snprintf(buf, n, _("holds: %s holds %s while it waits for %s"), wn,
			         model_object_name(m, k->object), waited_for(m, k, cyc, sizeof cyc));
		else
			snprintf(buf, n, "%s", _("not seen now: nobody waits while holding something"));
		break;
	case AN_COND_NO_PREEMPTION:
		if (k->holds)
			snprintf(buf, n, _("holds: nothing can take %s away from %s, and its wait never "
			                   "times out"), model_object_name(m, k->object), wn);
		else if (k->worker >= 0)
			snprintf(buf, n, _("not seen now: %s's wait for %s times out, and then it can "
			                   "let go of %s"), wn, waited_for(m, k, cyc, sizeof cyc),
			         model_object_name(m, k->object));
		else
			snprintf(buf, n, "%s", _("not seen now: nobody holds something while it waits"));
		break;
	case AN_COND_CIRCULAR_WAIT:
		if (k->holds)
			snprintf(buf, n, _("holds: %s"), analysis_cycle_text(m, a, cyc, sizeof cyc));
		else
			snprintf(buf, n, "%s", _("not seen now: the waits form no circle"));
		break;
	default:
		snprintf(buf, n, "?");
	}
	return buf;
}

const char *analysis_narrate(const struct model *m, const struct analysis *a, char *buf, size_t n)
{
	char line[256];
	size_t len = 0;
	buf[0] = '\0';
	if (a->cycle_kind == AN_CYCLE_NONE && !a->stalled)
		return buf;
	if (a->deadlock) {
		len = appendf(buf, n, len, "%s", _("Deadlock: "));
		int first = 1;
		for (int k = 0; k < a->nedges; k++)
			if (a->edges[k].flags & AN_E_IN_CYCLE) {
				len = appendf(buf, n, len, "%s%s", first ? "" : _("; "),
				              analysis_edge_text(m, &a->edges[k], line, sizeof line));
				first = 0;
			}
		len = appendf(buf, n, len, "%s", _(". Nobody in this circle can ever move again.\n"));
	} else if (a->cycle_kind == AN_CYCLE_TIMED) {
		len = appendf(buf, n, len, _("A circle of waits formed (%s), but a wait in it times out: "
		                             "the timeout will break it, so this is no deadlock.\n"),
		              analysis_cycle_text(m, a, line, sizeof line));
	} else if (a->stalled) {
		len = appendf(buf, n, len, "%s", _("Stall: every live worker waits and none can wake "
		                                   "another: "));
		int first = 1;
		for (int k = 0; k < a->nedges; k++) {
			len = appendf(buf, n, len, "%s%s", first ? "" : _("; "),
			              analysis_edge_text(m, &a->edges[k], line, sizeof line));
			first = 0;
		}
		/* and those whose wait no worker can end (pause(), the user's
		 * key): they have no edge, but they are part of the stall */
		unsigned char has_edge[LS_MAX_WORKERS] = {0};
		for (int k = 0; k < a->nedges; k++)
			if (a->edges[k].from >= 0 && a->edges[k].from < LS_MAX_WORKERS)
				has_edge[a->edges[k].from] = 1;
		for (int i = 0; i < m->nw && i < LS_MAX_WORKERS; i++) {
			char wb[160];
			if (has_edge[i] || !model_live(m, i) || !model_blocked(m, i) ||
			    describe_waits(m, i, wb, sizeof wb) < 0)
				continue;
			len = appendf(buf, n, len, _("%s%s waits for %s"), first ? "" : _("; "), wn(m, i), wb);
			first = 0;
		}
		len = appendf(buf, n, len, "%s", ".\n");
		return buf;
	} else {
		return buf; /* an open cycle: someone outside it can still help */
	}
	int held = 0;
	for (int c = 0; c < AN_NCOND; c++)
		held += a->coffman[c].holds;
	if (held == AN_NCOND)
		len = appendf(buf, n, len, "%s", _("All four Coffman conditions hold: "));
	else
		len = appendf(buf, n, len, _("This state shows %d of the four Coffman conditions: "), held);
	for (int c = 0; c < AN_NCOND; c++)
		len = appendf(buf, n, len, "%s%s %s", c ? _("; ") : "", _(cond_titles[c]),
		              analysis_cond_text(m, a, (enum an_cond)c, line, sizeof line));
	len = appendf(buf, n, len, "%s", ".\n");
	if (a->deadlock) {
		const char *scene;
		const char *how = analysis_cond_fix(AN_COND_CIRCULAR_WAIT, &scene);
		len = appendf(buf, n, len, _("Break one condition and it cannot happen. Circular wait: "
		                             "%s (scene %s). "), how, scene);
		how = analysis_cond_fix(AN_COND_HOLD_AND_WAIT, &scene);
		len = appendf(buf, n, len, _("Hold and wait: %s (scene %s). "), how, scene);
		how = analysis_cond_fix(AN_COND_NO_PREEMPTION, &scene);
		len = appendf(buf, n, len, _("No preemption: %s (scene %s)."), how, scene);
		len = appendf(buf, n, len, "%s", "\n");
	}
	return buf;
}

/* ---- the four conditions ---- */

const char *describe_cond_definition(enum an_cond c)
{
	switch (c) {
	case AN_COND_MUTUAL_EXCLUSION:
		return _("One owner at a time; the rest wait.");
	case AN_COND_HOLD_AND_WAIT:
		return _("Holds one resource, waits for another.");
	case AN_COND_NO_PREEMPTION:
		return _("Only its owner lets go of a resource.");
	case AN_COND_CIRCULAR_WAIT:
		return _("The waits close a circle.");
	default:
		return "";
	}
}

/* "A, B" (at most a few names, then "..."): the declared objects workers
 * hold that the pane given draws, or 0 if there are none. */
static int names_of(const struct model *m, enum unit_pane pane, char *buf, size_t n)
{
	int count = 0;
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < m->no; i++) {
		const struct m_object *o = &m->o[i];
		const struct unit_kind *k = unit_kind(o->kind);
		if (!o->declared || !k->holdable || k->pane != pane)
			continue;
		if (count < 4) {
			int r = snprintf(buf + len, n - len, "%s%s", count ? ", " : "", o->name);
			if (r > 0 && (size_t)r < n - len)
				len += (size_t)r;
		} else if (count == 4 && len + 5 < n) {
			memcpy(buf + len, ", ...", 6);
			len += 5;
		}
		count++;
	}
	return count;
}

const char *describe_cond_resources(const struct model *m, enum an_cond c, char *buf, size_t n)
{
	char l[128], s[128];
	int nl = names_of(m, UNIT_PANE_LOCKS, l, sizeof l);
	int ns = names_of(m, UNIT_PANE_SEMS, s, sizeof s);
	buf[0] = '\0';
	if (c != AN_COND_MUTUAL_EXCLUSION && c != AN_COND_NO_PREEMPTION)
		return buf; /* what the workers do, not what the resources are */
	if (nl && ns)
		snprintf(buf, n, _("Always true of the locks (%s) and semaphores (%s) here."), l, s);
	else if (nl)
		snprintf(buf, n, _("Always true of the locks here: %s."), l);
	else if (ns)
		snprintf(buf, n, _("Always true of the semaphores here: %s."), s);
	else if (c == AN_COND_MUTUAL_EXCLUSION)
		snprintf(buf, n, "%s", _("Nothing here has an owner: it is waited on, not held."));
	return buf;
}

/* Who waits for object obj held by owner, from the analysis' edges. */
static int waiter_for(const struct analysis *a, int obj, int owner)
{
	for (int k = 0; k < a->nedges; k++)
		if (a->edges[k].via == obj && a->edges[k].to == owner)
			return a->edges[k].from;
	return -1;
}

const char *describe_cond_now(const struct model *m, const struct analysis *a, enum an_cond c,
                              int ascii, char *buf, size_t n)
{
	const struct an_coffman *k = &a->coffman[c];
	char cyc[256], hw[256];
	buf[0] = '\0';
	switch (c) {
	case AN_COND_MUTUAL_EXCLUSION:
		if (k->holds && holders_words(m, k->object, hw, sizeof hw)) {
			int w = waiter_for(a, k->object, k->worker);
			if (w >= 0)
				snprintf(buf, n, _("Now: %s is %s, and %s waits for it."), on(m, k->object),
				         hw, wn(m, w));
			else
				snprintf(buf, n, _("Now: %s is %s, and another worker waits for it."),
				         on(m, k->object), hw);
		} else if (k->holds) {
			int w = waiter_for(a, k->object, k->worker);
			if (w >= 0)
				snprintf(buf, n, _("Now: %s owns %s, and %s waits for it."), wn(m, k->worker),
				         on(m, k->object), wn(m, w));
			else
				snprintf(buf, n, _("Now: %s owns %s, and another worker waits for it."),
				         wn(m, k->worker), on(m, k->object));
		} else {
			snprintf(buf, n, "%s", _("Now: nobody waits for an owned resource."));
		}
		break;
	case AN_COND_HOLD_AND_WAIT:
		if (k->holds)
			snprintf(buf, n, _("Now: %s holds %s while it waits for %s."), wn(m, k->worker),
			         on(m, k->object), waited_for(m, k, hw, sizeof hw));
		else
			snprintf(buf, n, "%s",
			         _("Now: nobody waits while holding another."));
		break;
	case AN_COND_NO_PREEMPTION:
		if (k->holds)
			snprintf(buf, n, _("Now: nothing can take %s from %s, and its wait for %s never "
			                   "times out."), on(m, k->object), wn(m, k->worker),
			         waited_for(m, k, hw, sizeof hw));
		else if (model_worker(m, k->worker))
			snprintf(buf, n, _("Now: %s's wait for %s times out, and then it lets go "
			                   "of %s."), wn(m, k->worker), waited_for(m, k, hw, sizeof hw),
			         on(m, k->object));
		else
			snprintf(buf, n, "%s", _("Now: nobody waits while holding something."));
		break;
	case AN_COND_CIRCULAR_WAIT:
		if (k->holds) {
			describe_cycle_arrows(m, a, ascii, cyc, sizeof cyc);
			snprintf(buf, n, _("Now: %s"), cyc);
		} else {
			snprintf(buf, n, "%s", _("Now: the waits form no circle."));
		}
		break;
	default:
		break;
	}
	return buf;
}

/* ---- "why?" on a row (issue 14) ---- */

/* "lock(B)", "join(T1)", "sleep" */
static void op_words(const struct model *m, const struct m_worker *w, char *buf, size_t n)
{
	const char *op = event_op_name(w->op);
	if (w->op == LS_OP_JOIN)
		snprintf(buf, n, "%s(%s)", op, wn(m, (int)w->op_arg));
	else if (w->op_obj >= 0)
		snprintf(buf, n, "%s(%s)", op, on(m, w->op_obj));
	else
		snprintf(buf, n, "%s", op);
}

/* Does `from` wait, through the wait-for graph, for `to`? (A worker whose
 * lock `to` would wait for closes a circle if so.) Each worker is visited
 * once: a crowd's graph is walked in time linear in its edges. */
static int waits_on(const struct analysis *a, int from, int to)
{
	unsigned char seen[LS_MAX_WORKERS];
	int stack[LS_MAX_WORKERS];
	if (from == to)
		return 1;
	if ((unsigned)from >= LS_MAX_WORKERS)
		return 0;
	memset(seen, 0, sizeof seen);
	int n = 0;
	stack[n++] = from;
	seen[from] = 1;
	while (n > 0) {
		int w = stack[--n];
		for (int k = 0; k < a->nedges; k++) {
			const struct an_edge *e = &a->edges[k];
			if (e->from != w || e->to < 0 || !(e->flags & (AN_E_DEFINITE | AN_E_HOLDER)))
				continue;
			if (e->to == to)
				return 1;
			if ((unsigned)e->to < LS_MAX_WORKERS && !seen[e->to]) {
				seen[e->to] = 1;
				stack[n++] = e->to;
			}
		}
	}
	return 0;
}

/* Waiters of an object, still waiting (not woken), by name: "T2, T3". */
static size_t waiter_names(const struct model *m, const struct m_object *o, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	int k = 0;
	for (int i = 0; i < o->nwaiters; i++)
		if (!model_woken(m, o->waiters[i]))
			len = appendf(buf, n, len, "%s%s", k++ ? ", " : "", wn(m, o->waiters[i]));
	return (size_t)k;
}

/* What stepping worker `id` now would do, as the end of "if you step T2
 * now, ...". */
static void predict(const struct model *m, const struct analysis *a, int id, char *buf, size_t n)
{
	const struct m_worker *w = &m->w[id];
	const struct m_object *o = model_object(m, w->op_obj);
	char op[96], names[256];
	op_words(m, w, op, sizeof op);
	switch (w->op) {
	case LS_OP_LOCK:
	case LS_OP_TRYLOCK:
		if (!o || o->owner < 0)
			snprintf(buf, n, _("it takes %s"), o ? o->name : "?");
		else if (o->owner == id)
			snprintf(buf, n, _("it takes %s again (it holds it already)"), o->name);
		else if (w->op == LS_OP_TRYLOCK)
			snprintf(buf, n, _("its trylock of %s fails: %s holds it"), o->name,
			         wn(m, o->owner));
		else if (waits_on(a, o->owner, id))
			snprintf(buf, n, _("it blocks on %s, held by %s: that closes the circle, a deadlock"),
			         o->name, wn(m, o->owner));
		else
			snprintf(buf, n, _("it blocks on %s, held by %s"), o->name, wn(m, o->owner));
		return;
	case LS_OP_UNLOCK:
	case LS_OP_SEM_POST:
		if (o && waiter_names(m, o, names, sizeof names) > 0)
			snprintf(buf, n, _("it releases %s, and %s (waiting for it) can go on"), o->name, names);
		else
			snprintf(buf, n, _("it releases %s; nobody waits for it"), o ? o->name : "?");
		return;
	case LS_OP_SEM_WAIT:
		if (o && o->value > 0)
			snprintf(buf, n, _("it takes a unit of %s (%lld free now)"), o->name,
			         (long long)o->value);
		else
			snprintf(buf, n, _("it waits for %s: no unit is free"), o ? o->name : "?");
		return;
	case LS_OP_PUT:
	case LS_OP_SEND:
	case LS_OP_WRITE:
		if (o && o->kind == LS_OBJ_QUEUE && o->cap > 0 && o->nitems >= o->cap)
			snprintf(buf, n, _("it waits: %s is full"), o->name);
		else if (o && waiter_names(m, o, names, sizeof names) > 0)
			snprintf(buf, n, _("it puts an item into %s, and %s (waiting for one) can go on"),
			         o->name, names);
		else
			snprintf(buf, n, _("it puts an item into %s"), o ? o->name : "?");
		return;
	case LS_OP_GET:
	case LS_OP_RECEIVE:
	case LS_OP_READ:
		if (o && o->nitems > 0)
			snprintf(buf, n, _("it takes an item from %s"), o->name);
		else
			snprintf(buf, n, _("it waits: %s is empty"), o ? o->name : "?");
		return;
	case LS_OP_JOIN: {
		int t = (int)w->op_arg;
		if (!model_live(m, t))
			snprintf(buf, n, _("it joins %s, which has ended, and goes on"), wn(m, t));
		else
			snprintf(buf, n, _("it waits for %s to end"), wn(m, t));
		return;
	}
	case LS_OP_COND_WAIT:
		snprintf(buf, n, _("it waits on %s and lets go of its lock meanwhile"), o ? o->name : "?");
		return;
	case LS_OP_COND_SIGNAL:
	case LS_OP_COND_BROADCAST:
		if (o && waiter_names(m, o, names, sizeof names) > 0)
			snprintf(buf, n, _("it notifies %s: %s waits there"), o->name, names);
		else
			snprintf(buf, n, _("it notifies %s, where nobody waits: the notify is lost"),
			         o ? o->name : "?");
		return;
	default:
		snprintf(buf, n, _("it does %s"), op);
		return;
	}
}

/* "If you step T1 now, ..." for every worker that could move, or why
 * nobody is asked. */
static size_t choices(const struct model *m, const struct analysis *a, int only_obj, char *buf,
                      size_t n, size_t len)
{
	char what[384];
	if (m->mode == LS_MODE_RUN)
		return appendf(buf, n, len, "%s\n",
		            _("It runs freely: the kernel decides who moves next (pause to step it)."));
	int k = 0;
	for (int i = 0; i < m->nw; i++) {
		if (!model_live(m, i) || !model_eligible(m, i))
			continue;
		if (only_obj >= 0 && m->w[i].op_obj != only_obj)
			continue;
		if (k++ == 0)
			len = appendf(buf, n, len, "%s\n", _("What each move does now:"));
		if (k > 8) {
			len = appendf(buf, n, len, "%s\n", _("  ... and more workers"));
			break;
		}
		predict(m, a, i, what, sizeof what);
		len = appendf(buf, n, len, _("  if you step %s now, %s.\n"), wn(m, i), what);
	}
	if (k == 0)
		len = appendf(buf, n, len, "%s\n",
		           only_obj >= 0 ? _("No worker's next move touches it now.")
		                         : _("Nobody can move now."));
	return len;
}

static size_t why_worker(const struct model *m, const struct analysis *a, int id, char *buf,
                         size_t n, size_t len)
{
	const struct m_worker *w = &m->w[id];
	enum ls_wstate st = model_state(m, id);
	const char *state = _(model_state_name(st));
	char op[96], line[384];
	op_words(m, w, op, sizeof op);
	if (st == LS_WS_NEW)
		len = appendf(buf, n, len, _("%s is %s: it has not started yet.\n"), w->name, state);
	else if (st == LS_WS_TERMINATED || st == LS_WS_ZOMBIE) {
		if (w->term_signal)
			len = appendf(buf, n, len, _("%s is %s: it was killed by %s.\n"), w->name, state,
			           describe_signal(w->term_signal));
		else
			len = appendf(buf, n, len, _("%s is %s: it ended with exit code %d.\n"), w->name, state,
			           w->exit_code);
		if (st == LS_WS_ZOMBIE)
			len = appendf(buf, n, len, "%s\n",
			           _("Its parent has not reaped it yet (wait), so it stays a zombie."));
		return choices(m, a, -1, buf, n, len);
	} else if (model_woken(m, id))
		len = appendf(buf, n, len, _("%s is %s: what it waited for is free now; it retries %s when "
		                          "it next moves.\n"), w->name, state, op);
	else if (w->gate == LS_GATE_READY)
		len = appendf(buf, n, len, _("%s is %s: it stands at its gate, and its next operation is "
		                          "%s.\n"), w->name, state, op);
	else if (w->gate == LS_GATE_MOVING)
		len = appendf(buf, n, len, _("%s is %s: it is running its own code, on its way to %s.\n"),
		           w->name, state, op);
	else
		len = appendf(buf, n, len, _("%s is %s: it tried %s and could not go on.\n"), w->name, state,
		           op);
	/* what it waits for, and who could release it: the wait-for graph */
	int k = 0;
	for (int e = 0; e < a->nedges; e++) {
		if (a->edges[e].from != id)
			continue;
		if (k++ == 0)
			len = appendf(buf, n, len, "%s\n", _("It waits, and who could release it:"));
		/* TRANSLATORS: one of the wait-for edges, a sentence of its own */
		len = appendf(buf, n, len, _("  %s.\n"), analysis_edge_text(m, &a->edges[e], line, sizeof line));
	}
	if (st != LS_WS_NEW && w->nholds > 0) {
		len = appendf(buf, n, len, "%s", _("It holds: "));
		for (int h = 0; h < w->nholds; h++)
			len = appendf(buf, n, len, "%s%s", h ? ", " : "", on(m, w->holds[h]));
		len = appendf(buf, n, len, "%s\n",
		           PL_(", and nobody else can take it until it lets go.",
		               ", and nobody else can take them until it lets go.", w->nholds));
	}
	if (analysis_in_cycle(a, 0, id)) {
		describe_cycle_arrows(m, a, 0, line, sizeof line);
		len = appendf(buf, n, len, _("It is in the deadlock %s: nobody in it can ever move again.\n"),
		           line);
	} else if ((unsigned)id < LS_MAX_WORKERS && (a->wflags[id] & AN_N_STUCK))
		len = appendf(buf, n, len, "%s\n", _("It can never move again: what it waits for is "
		                                  "held by workers that are stuck themselves."));
	else if ((unsigned)id < LS_MAX_WORKERS && (a->wflags[id] & AN_N_TIMED))
		len = appendf(buf, n, len, "%s\n", _("Its wait ends by itself when its timeout passes."));
	return choices(m, a, -1, buf, n, len);
}

static size_t why_object(const struct model *m, const struct analysis *a, int id, char *buf,
                         size_t n, size_t len)
{
	const struct m_object *o = &m->o[id];
	char names[256];
	switch (o->kind) {
	case LS_OBJ_MUTEX:
	case LS_OBJ_RLOCK:
		if (o->owner >= 0)
			len = appendf(buf, n, len, _("%s is held by %s: only %s can release it.\n"), o->name,
			           wn(m, o->owner), wn(m, o->owner));
		else
			len = appendf(buf, n, len, _("%s is free: the next worker to lock it takes it.\n"),
			           o->name);
		break;
	case LS_OBJ_SEM: {
		int64_t held = 0;
		size_t hl = 0;
		names[0] = '\0';
		for (int i = 0; i < m->nw; i++) {
			int u = model_hold_units(&m->w[i], id);
			if (u > 0) {
				held += u;
				hl = appendf(names, sizeof names, hl, "%s%s", hl ? ", " : "", wn(m, i));
			}
		}
		len = appendf(buf, n, len, PL_("%s has %lld unit free", "%s has %lld units free", o->value),
		           o->name, (long long)o->value);
		if (held)
			len = appendf(buf, n, len, PL_(", %lld held by %s.\n", ", %lld held by %s.\n", held),
			           (long long)held, names);
		else
			len = appendf(buf, n, len, "%s\n", _(", none held."));
		len = appendf(buf, n, len, "%s\n", _("Any worker may release a unit, not only one that took one."));
		break;
	}
	case LS_OBJ_QUEUE:
	case LS_OBJ_PIPE:
	case LS_OBJ_FIFO:
	case LS_OBJ_MQUEUE:
		if (o->cap > 0)
			len = appendf(buf, n, len, _("%s holds %d of %lld items (put %llu, got %llu).\n"),
			           o->name, o->nitems, (long long)o->cap, (unsigned long long)o->puts,
			           (unsigned long long)o->gets);
		else
			len = appendf(buf, n, len, _("%s holds %d items (put %llu, got %llu).\n"), o->name,
			           o->nitems, (unsigned long long)o->puts, (unsigned long long)o->gets);
		break;
	default:
		len = appendf(buf, n, len, _("%s is a %s.\n"), o->name, _(event_obj_kind_name(o->kind)));
		break;
	}
	if (waiter_names(m, o, names, sizeof names) > 0)
		len = appendf(buf, n, len, _("Waiting for it: %s.\n"), names);
	else
		len = appendf(buf, n, len, "%s\n", _("Nobody waits for it."));
	if (analysis_in_cycle(a, 1, id)) {
		char cyc[256];
		describe_cycle_arrows(m, a, 0, cyc, sizeof cyc);
		len = appendf(buf, n, len, _("It is in the deadlock %s.\n"), cyc);
	}
	return choices(m, a, id, buf, n, len);
}

const char *describe_why(const struct model *m, const struct analysis *a, int is_object, int id,
                         char *buf, size_t n)
{
	buf[0] = '\0';
	if (is_object ? !model_object(m, id) || !m->o[id].declared
	              : !model_worker(m, id) || !m->w[id].declared) {
		snprintf(buf, n, "%s", is_object ? _("No such object.") : _("No such worker."));
		return buf;
	}
	size_t len = is_object ? why_object(m, a, id, buf, n, 0) : why_worker(m, a, id, buf, n, 0);
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}
