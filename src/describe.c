/* describe: events and cycles in words. See describe.h. */
#include "describe.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "theme.h"

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
	N_("mqueue"), N_("array"), N_("future"), N_("local"),
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

static int is_lock(const struct m_object *o)
{
	return o && (o->kind == LS_OBJ_MUTEX || o->kind == LS_OBJ_RLOCK);
}

static int say(char *buf, size_t n, int role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int say(char *buf, size_t n, int role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return role;
}

/* "barrier B", or the bare name when it already says what it is: an
 * object named "barrier" is "barrier", never "barrier barrier". */
static const char *kn(const struct m_object *o, const char *kind)
{
	static char ring[4][128];
	static int next;
	char *b = ring[next++ % 4];
	if (strstr(o->name, kind) || strcasestr(o->name, kind))
		snprintf(b, sizeof ring[0], "%s", o->name);
	else
		snprintf(b, sizeof ring[0], _("%s %s"), kind, o->name);
	return b;
}

static int blocked(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const char *w = wn(m, ev->worker);
	const struct m_object *o = model_object(m, ev->object);
	int op = (int)ev->u.a[0];
	if (op == LS_OP_JOIN)
		return say(buf, n, TH_WAITING, _("%s waits for %s to finish (join)"), w,
		           wn(m, (int)ev->u.a[3]));
	if (op == LS_OP_SLEEP)
		return say(buf, n, TH_TIMED, _("%s sleeps"), w);
	if (op == LS_OP_PAUSE)
		return say(buf, n, TH_WAITING, _("%s waits in pause() for a signal"), w);
	if (op == LS_OP_USER_WAIT)
		return say(buf, n, TH_WAITING, _("%s waits for the user to press k"), w);
	if (!o)
		return say(buf, n, TH_WAITING, _("%s waits (%s)"), w, event_op_name(op));
	if (is_lock(o)) {
		if (o->owner >= 0 && o->owner != ev->worker)
			return say(buf, n, TH_BLOCKED, _("%s blocked on %s, held by %s"), w, o->name,
			           wn(m, o->owner));
		return say(buf, n, TH_BLOCKED, _("%s blocked on %s"), w, o->name);
	}
	switch (o->kind) {
	case LS_OBJ_SEM:
		return say(buf, n, TH_BLOCKED, _("%s blocked on %s (value %lld)"), w,
		           kn(o, _("semaphore")), (long long)o->value);
	case LS_OBJ_QUEUE:
		if (op == LS_OP_PUT)
			return say(buf, n, TH_WAITING, _("%s waits: %s is full (%d/%lld)"), w, o->name,
			           o->nitems, (long long)o->cap);
		return say(buf, n, TH_WAITING, _("%s waits: %s is empty"), w, o->name);
	case LS_OBJ_COND:
		return say(buf, n, TH_WAITING, _("%s waits on %s"), w, kn(o, _("condition")));
	case LS_OBJ_EVENT:
		return say(buf, n, TH_WAITING, _("%s waits for %s to be set"), w, kn(o, _("event")));
	case LS_OBJ_BARRIER:
		return say(buf, n, TH_WAITING, _("%s waits at %s (%d of %lld arrived)"), w,
		           kn(o, _("barrier")), o->nwaiters, (long long)o->cap);
	case LS_OBJ_FUTURE:
		return say(buf, n, TH_WAITING, _("%s waits for the result of %s"), w, o->name);
	case LS_OBJ_PIPE:
	case LS_OBJ_FIFO:
		if (op == LS_OP_OPEN_READ || op == LS_OP_OPEN_WRITE)
			return say(buf, n, TH_WAITING, _("%s waits in open(%s) for the other end"), w,
			           o->name);
		if (op == LS_OP_WRITE)
			return say(buf, n, TH_WAITING, _("%s waits: %s is full"), w, o->name);
		return say(buf, n, TH_WAITING, _("%s waits: %s is empty"), w, o->name);
	case LS_OBJ_MQUEUE:
		if (op == LS_OP_SEND)
			return say(buf, n, TH_WAITING, _("%s waits: %s is full"), w, kn(o, _("message queue")));
		return say(buf, n, TH_WAITING, _("%s waits: %s is empty"), w, kn(o, _("message queue")));
	default:
		return say(buf, n, TH_WAITING, _("%s waits on %s"), w, o->name);
	}
}

static int disposition(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const char *w = wn(m, ev->worker);
	const char *s = describe_signal((int)ev->u.a[1]);
	switch (ev->u.a[2]) {
	case LS_DISP_HANDLE:
		return say(buf, n, TH_NORMAL, _("%s will handle %s"), w, s);
	case LS_DISP_IGNORE:
		return say(buf, n, TH_NORMAL, _("%s will ignore %s"), w, s);
	default:
		return say(buf, n, TH_NORMAL, _("%s restores the default action of %s"), w, s);
	}
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
		return say(buf, n, TH_KEY, _("%s sent %s to %s: its handler will run"), from, s, to);
	case LS_SIG_IGNORE:
		return say(buf, n, TH_DIM, _("%s sent %s to %s, who ignores it"), from, s, to);
	case LS_SIG_TERM:
		return say(buf, n, TH_ALARM, _("%s sent %s to %s: the default action ends it"), from,
		           s, to);
	case LS_SIG_DFL_IGN:
		return say(buf, n, TH_DIM, _("%s sent %s to %s: by default nothing happens"), from,
		           s, to);
	case LS_SIG_BLOCKED:
		return say(buf, n, TH_DIM, _("%s sent %s to %s: blocked, it stays pending"), from, s,
		           to);
	case LS_SIG_STOP:
		return say(buf, n, TH_BLOCKED, _("%s sent %s to %s: the default action stops it"),
		           from, s, to);
	default:
		return say(buf, n, TH_NORMAL, _("%s sent %s to %s"), from, s, to);
	}
}

static int done(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const char *w = wn(m, ev->worker);
	const struct m_object *o = model_object(m, ev->object);
	long long v = (long long)ev->u.a[1];
	switch ((int)ev->u.a[0]) {
	case LS_OP_PUT:
		if (o)
			return say(buf, n, TH_RUNNABLE, _("%s put %lld into %s (%d/%lld)"), w, v, o->name,
			           o->nitems, (long long)o->cap);
		break;
	case LS_OP_GET:
		if (o)
			return say(buf, n, TH_RUNNABLE, _("%s took %lld from %s (%d/%lld)"), w, v,
			           o->name, o->nitems, (long long)o->cap);
		break;
	case LS_OP_READ:
		if (o && (o->kind == LS_OBJ_PIPE || o->kind == LS_OBJ_FIFO) && ev->u.a[2])
			return say(buf, n, TH_ENDED, _("%s read end-of-file from %s: no writer is left"),
			           w, o->name);
		if (o && (o->kind == LS_OBJ_PIPE || o->kind == LS_OBJ_FIFO))
			return say(buf, n, TH_RUNNABLE, _("%s read %lld from %s (%d left)"), w, v, o->name,
			           o->nitems);
		if (o)
			return say(buf, n, TH_NORMAL, _("%s read %s = %lld"), w, o->name, v);
		break;
	case LS_OP_WRITE:
		if (o && (o->kind == LS_OBJ_PIPE || o->kind == LS_OBJ_FIFO))
			return say(buf, n, TH_RUNNABLE, _("%s wrote %lld into %s (%d buffered)"), w, v,
			           o->name, o->nitems);
		if (o)
			return say(buf, n, TH_NORMAL, _("%s wrote %s = %lld"), w, o->name, v);
		break;
	case LS_OP_WORK:
		return say(buf, n, TH_DIM, _("%s worked %lld ms"), w, v);
	case LS_OP_SLEEP:
		return say(buf, n, TH_DIM, _("%s woke up"), w);
	case LS_OP_START:
		if (!o)
			return say(buf, n, TH_RUNNABLE, _("%s is running"), w);
		break;
	case LS_OP_SEND:
		if (o)
			return say(buf, n, TH_RUNNABLE, _("%s sent %lld (priority %lld) to %s (%d queued)"),
			           w, v, (long long)ev->u.a[2], o->name, o->nitems);
		break;
	case LS_OP_RECEIVE:
		if (o)
			return say(buf, n, TH_RUNNABLE, _("%s received %lld from %s (%d left)"), w, v,
			           o->name, o->nitems);
		break;
	case LS_OP_ASET:
		if (o)
			return say(buf, n, TH_NORMAL, _("%s set %s[%lld] = %lld"), w, o->name,
			           (long long)ev->u.a[2], v);
		break;
	case LS_OP_AGET:
		if (o)
			return say(buf, n, TH_NORMAL, _("%s read %s[%lld] = %lld"), w, o->name,
			           (long long)ev->u.a[2], v);
		break;
	case LS_OP_EVENT_SET:
		if (o)
			return say(buf, n, TH_GOOD, _("%s set %s: every waiter may go"), w, kn(o, _("event")));
		break;
	case LS_OP_EVENT_CLEAR:
		if (o)
			return say(buf, n, TH_NORMAL, _("%s cleared %s"), w, kn(o, _("event")));
		break;
	case LS_OP_EVENT_WAIT:
		if (o)
			return say(buf, n, TH_RUNNABLE, _("%s passed %s"), w, kn(o, _("event")));
		break;
	case LS_OP_BARRIER_WAIT:
		if (o && ev->u.a[2])
			return say(buf, n, TH_GOOD, _("%s arrived last at %s: the round passes"), w,
			           o->name);
		if (o)
			return say(buf, n, TH_RUNNABLE, _("%s passed %s"), w, kn(o, _("barrier")));
		break;
	case LS_OP_FUTURE_SET:
		if (o)
			return say(buf, n, TH_GOOD, _("%s set the result of %s to %lld"), w, o->name, v);
		break;
	case LS_OP_FUTURE_GET:
		if (o)
			return say(buf, n, TH_RUNNABLE, _("%s got the result of %s: %lld"), w, o->name, v);
		break;
	case LS_OP_LOCAL_SET:
		if (o)
			return say(buf, n, TH_NORMAL, _("%s stored %lld in its own slot of %s"), w, v,
			           o->name);
		break;
	case LS_OP_LOCAL_GET:
		if (o)
			return say(buf, n, TH_NORMAL,
			           ev->u.a[2] ? _("%s read its own slot of %s: %lld")
			                      : _("%s read its own slot of %s: not set (%lld)"),
			           w, o->name, v);
		break;
	case LS_OP_SIGACTION:
		return disposition(m, ev, buf, n);
	case LS_OP_ALARM:
		return say(buf, n, TH_TIMED, _("%s asked for SIGALRM in %lld s (alarm)"), w, v);
	case LS_OP_PAUSE:
		return say(buf, n, TH_RUNNABLE, _("%s returns from pause()"), w);
	case LS_OP_HANDLER:
		return say(buf, n, TH_DIM, _("%s finished its handler of %s"), w,
		           describe_signal((int)v));
	case LS_OP_SIGNAL:
		return -1; /* the SIGNAL record already said it */
	case LS_OP_TASK_DONE:
		if (o)
			return say(buf, n, TH_NORMAL, _("%s marked a task done (%lld unfinished)"), w, v);
		break;
	case LS_OP_OPEN_READ:
	case LS_OP_OPEN_WRITE:
		if (o)
			return say(buf, n, TH_NORMAL, _("%s opened %s for %s"), w, o->name,
			           ev->u.a[0] == LS_OP_OPEN_READ ? _("reading") : _("writing"));
		break;
	case LS_OP_CLOSE:
		if (o)
			return say(buf, n, TH_NORMAL, _("%s closed its end of %s"), w, o->name);
		break;
	case LS_OP_JOIN:
		if (model_worker(m, ev->worker))
			return say(buf, n, TH_RUNNABLE, _("%s joined %s"), w,
			           wn(m, (int)model_worker(m, ev->worker)->op_arg));
		return say(buf, n, TH_RUNNABLE, _("%s joined"), w);
	default:
		break;
	}
	if (o)
		return say(buf, n, TH_NORMAL, _("%s did %s on %s"), w, event_op_name((int)ev->u.a[0]),
		           o->name);
	return say(buf, n, TH_NORMAL, _("%s did %s"), w, event_op_name((int)ev->u.a[0]));
}

int describe_event(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const struct m_object *o = model_object(m, ev->object);
	const char *w = ev->worker >= 0 ? wn(m, ev->worker) : "";
	const int64_t *a = ev->u.a;
	switch ((enum ls_ev_type)ev->type) {
	case LS_EV_HELLO:
		return say(buf, n, TH_DIM, _("scene host started (pid %lld)"), (long long)a[0]);
	case LS_EV_NAME:
		if (ev->u.s.a0 == LS_NAME_WORKER && ev->worker >= 0) {
			const struct m_worker *x = model_worker(m, ev->worker);
			return say(buf, n, TH_DIM, _("new %s %s"),
			           x && x->kind == LS_WK_PROCESS ? _("process") : _("thread"), w);
		}
		if (ev->u.s.a0 == LS_NAME_OBJECT && o)
			return say(buf, n, TH_DIM, _("new %s %s"), _(event_obj_kind_name(o->kind)),
			           o->name);
		return -1;
	case LS_EV_WORKER:
	case LS_EV_OBJECT:
	case LS_EV_SAY:
	case LS_EV_OUTPUT:
	case LS_EV_WHERE: /* shown beside the worker's operation, not logged */
	case LS_EV_NONE:
	case LS_EV_COUNT:
		return -1;
	case LS_EV_SPAWN:
		if (a[1] == 0)
			return say(buf, n, TH_RUNNABLE, _("%s started (pid %lld)"), w, (long long)a[0]);
		return say(buf, n, TH_RUNNABLE, _("%s started (pid %lld, tid %lld)"), w,
		           (long long)a[0], (long long)a[1]);
	case LS_EV_WANT:
		if (o)
			return say(buf, n, TH_READY, _("%s is ready to %s(%s)"), w,
			           event_op_name((int)a[0]), o->name);
		return say(buf, n, TH_READY, _("%s is ready to %s"), w, event_op_name((int)a[0]));
	case LS_EV_BLOCKED:
		return blocked(m, ev, buf, n);
	case LS_EV_ACQUIRED:
		if (o && o->kind == LS_OBJ_SEM)
			return say(buf, n, TH_GOOD, _("%s acquired %s (value now %lld)"), w,
			           kn(o, _("semaphore")), (long long)o->value);
		return say(buf, n, TH_GOOD, _("%s acquired %s"), w, on(m, ev->object));
	case LS_EV_RELEASED:
		if (o && o->kind == LS_OBJ_SEM)
			return say(buf, n, TH_NORMAL, _("%s released %s (value now %lld)"), w,
			           kn(o, _("semaphore")), (long long)o->value);
		return say(buf, n, TH_NORMAL, _("%s released %s"), w, on(m, ev->object));
	case LS_EV_DONE:
		return done(m, ev, buf, n);
	case LS_EV_NOTIFY:
		if (a[1] >= 0)
			return say(buf, n, TH_NORMAL, _("%s notified %s: %s wakes"), w, on(m, ev->object),
			           wn(m, (int)a[1]));
		return say(buf, n, TH_NORMAL, _("%s notified %s: nobody was waiting"), w,
		           on(m, ev->object));
	case LS_EV_TIMEOUT:
		return say(buf, n, TH_TIMED, _("%s timed out"), w);
	case LS_EV_EXIT: {
		const struct m_worker *x = model_worker(m, ev->worker);
		if (a[1] == LS_EXIT_SIGNALED)
			return say(buf, n, TH_ENDED, _("%s was killed by %s"), w,
			           describe_signal((int)-a[0]));
		if (a[1] == LS_EXIT_DAEMON_STOPPED)
			return say(buf, n, TH_ENDED, _("%s (daemon) was stopped when main ended"), w);
		if (x && x->kind == LS_WK_PROCESS)
			return say(buf, n, TH_ZOMBIE, _("%s exited with code %lld: a ZOMBIE until its parent waits"),
			           w, (long long)a[0]);
		return say(buf, n, TH_ENDED, _("%s exited with code %lld"), w, (long long)a[0]);
	}
	case LS_EV_REAPED: {
		int st = (int)a[0];
		if ((st & 0x7f) != 0 && (st & 0x7f) != 0x7f)
			return say(buf, n, TH_ENDED, _("%s reaped by %s (killed by %s): TERMINATED"), w,
			           a[1] >= 0 ? wn(m, (int)a[1]) : _("lockstep"), describe_signal(st & 0x7f));
		return say(buf, n, TH_ENDED, _("%s reaped by %s (exit code %d): TERMINATED"), w,
		           a[1] >= 0 ? wn(m, (int)a[1]) : _("lockstep"), (st >> 8) & 0xff);
	}
	case LS_EV_SIGNAL:
		return signal_sent(m, ev, buf, n);
	case LS_EV_DELIVERED:
		return -1; /* HANDLER follows with the handler's name */
	case LS_EV_HANDLER:
		return say(buf, n, TH_KEY, _("%s handled %s: %s() runs"), w,
		           describe_signal((int)ev->u.s.a0), ev->u.s.text);
	case LS_EV_ENDS: {
		static const char *const ends[] = {N_("no end"), N_("the read end"),
		                                   N_("the write end"), N_("both ends")};
		return say(buf, n, TH_DIM, _("%s now holds %s of %s"), w, _(ends[a[0] & 3]),
		           on(m, ev->object));
	}
	case LS_EV_ADOPTED:
		return say(buf, n, TH_WAITING, _("%s is an orphan: adopted by %s (pid %lld)"), w,
		           a[1] >= 0 ? wn(m, (int)a[1]) : _("lockstep"), (long long)a[0]);
	case LS_EV_USER:
		return say(buf, n, TH_KEY, _("the user pressed k (%lld so far)"), (long long)a[0]);
	case LS_EV_CRASH:
		return say(buf, n, TH_ALARM, _("the scene crashed: signal %lld"), (long long)a[0]);
	case LS_EV_END:
		return say(buf, n, TH_GOOD, _("the scene ended (status %lld)"), (long long)a[0]);
	case LS_EV_GRANT:
		return say(buf, n, TH_KEY, _("step %lld: %s moves"), (long long)a[0], w);
	case LS_EV_CLOCK:
		return say(buf, n, TH_TIMED, _("virtual clock jumps to %.3f s"), (double)a[0] / 1e9);
	case LS_EV_MODE:
		return say(buf, n, TH_DIM, "%s",
		           a[0] == LS_MODE_RUN ? _("mode: run freely") : _("mode: step by step"));
	default: /* event types added later: say what the record says */
		if (o)
			return say(buf, n, TH_NORMAL, "%s %s %s", w, _(event_type_name(ev->type)),
			           o->name);
		return say(buf, n, TH_NORMAL, "%s %s", w, _(event_type_name(ev->type)));
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

void describe_cycle_arrows(const struct model *m, const struct analysis *a, int ascii,
                           char *buf, size_t n)
{
	const char *arrow = ascii ? " -> " : " \xe2\x86\x92 ";
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i <= a->ncycle && a->ncycle > 0 && len < n; i++) {
		const struct ls_node *x = &a->cycle[i % a->ncycle];
		int r = snprintf(buf + len, n - len, "%s%s", i ? arrow : "",
		                 x->is_object ? on(m, x->id) : wn(m, x->id));
		if (r < 0)
			break;
		len += (size_t)r;
	}
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

/* "A, B" (at most a few names, then "..."): the declared objects of the
 * kinds given, or 0 if there are none. */
static int names_of(const struct model *m, const int *kinds, int nkinds, char *buf, size_t n)
{
	int count = 0;
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < m->no; i++) {
		const struct m_object *o = &m->o[i];
		int match = 0;
		for (int k = 0; k < nkinds; k++)
			match |= o->declared && o->kind == kinds[k];
		if (!match)
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
	static const int locks[] = {LS_OBJ_MUTEX, LS_OBJ_RLOCK};
	static const int sems[] = {LS_OBJ_SEM};
	char l[128], s[128];
	int nl = names_of(m, locks, 2, l, sizeof l);
	int ns = names_of(m, sems, 1, s, sizeof s);
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
	char cyc[256];
	buf[0] = '\0';
	switch (c) {
	case AN_COND_MUTUAL_EXCLUSION:
		if (k->holds) {
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
			         on(m, k->object), on(m, k->object2));
		else
			snprintf(buf, n, "%s",
			         _("Now: nobody waits while holding another."));
		break;
	case AN_COND_NO_PREEMPTION:
		if (k->holds)
			snprintf(buf, n, _("Now: nothing can take %s from %s, and its wait for %s never "
			                   "times out."), on(m, k->object), wn(m, k->worker), on(m, k->object2));
		else if (model_worker(m, k->worker))
			snprintf(buf, n, _("Now: %s's wait for %s times out, and then it lets go "
			                   "of %s."), wn(m, k->worker), on(m, k->object2), on(m, k->object));
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
