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
	case LS_OP_EXPECT:
		return -1; /* a declaration, shown as the value's invariant line */
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

/* ---- "why?" on a row (issue 14) ---- */

static size_t addf(char *buf, size_t n, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static size_t addf(char *buf, size_t n, size_t len, const char *fmt, ...)
{
	if (len >= n)
		return len;
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
	if (r < 0)
		return len;
	return len + (size_t)r < n ? len + (size_t)r : n - 1;
}

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
			len = addf(buf, n, len, "%s%s", k++ ? ", " : "", wn(m, o->waiters[i]));
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
		return addf(buf, n, len, "%s\n",
		            _("It runs freely: the kernel decides who moves next (pause to step it)."));
	int k = 0;
	for (int i = 0; i < m->nw; i++) {
		if (!model_live(m, i) || !model_eligible(m, i))
			continue;
		if (only_obj >= 0 && m->w[i].op_obj != only_obj)
			continue;
		if (k++ == 0)
			len = addf(buf, n, len, "%s\n", _("What each move does now:"));
		if (k > 8) {
			len = addf(buf, n, len, "%s\n", _("  ... and more workers"));
			break;
		}
		predict(m, a, i, what, sizeof what);
		len = addf(buf, n, len, _("  if you step %s now, %s.\n"), wn(m, i), what);
	}
	if (k == 0)
		len = addf(buf, n, len, "%s\n",
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
		len = addf(buf, n, len, _("%s is %s: it has not started yet.\n"), w->name, state);
	else if (st == LS_WS_TERMINATED || st == LS_WS_ZOMBIE) {
		if (w->term_signal)
			len = addf(buf, n, len, _("%s is %s: it was killed by %s.\n"), w->name, state,
			           describe_signal(w->term_signal));
		else
			len = addf(buf, n, len, _("%s is %s: it ended with exit code %d.\n"), w->name, state,
			           w->exit_code);
		if (st == LS_WS_ZOMBIE)
			len = addf(buf, n, len, "%s\n",
			           _("Its parent has not reaped it yet (wait), so it stays a zombie."));
		return choices(m, a, -1, buf, n, len);
	} else if (model_woken(m, id))
		len = addf(buf, n, len, _("%s is %s: what it waited for is free now; it retries %s when "
		                          "it next moves.\n"), w->name, state, op);
	else if (w->gate == LS_GATE_READY)
		len = addf(buf, n, len, _("%s is %s: it stands at its gate, and its next operation is "
		                          "%s.\n"), w->name, state, op);
	else if (w->gate == LS_GATE_MOVING)
		len = addf(buf, n, len, _("%s is %s: it is running its own code, on its way to %s.\n"),
		           w->name, state, op);
	else
		len = addf(buf, n, len, _("%s is %s: it tried %s and could not go on.\n"), w->name, state,
		           op);
	/* what it waits for, and who could release it: the wait-for graph */
	int k = 0;
	for (int e = 0; e < a->nedges; e++) {
		if (a->edges[e].from != id)
			continue;
		if (k++ == 0)
			len = addf(buf, n, len, "%s\n", _("It waits, and who could release it:"));
		len = addf(buf, n, len, "  %s.\n", analysis_edge_text(m, &a->edges[e], line, sizeof line));
	}
	if (st != LS_WS_NEW && w->nholds > 0) {
		len = addf(buf, n, len, "%s", _("It holds: "));
		for (int h = 0; h < w->nholds; h++)
			len = addf(buf, n, len, "%s%s", h ? ", " : "", on(m, w->holds[h]));
		len = addf(buf, n, len, "%s\n",
		           PL_(", and nobody else can take it until it lets go.",
		               ", and nobody else can take them until it lets go.", w->nholds));
	}
	if (analysis_in_cycle(a, 0, id)) {
		describe_cycle_arrows(m, a, 0, line, sizeof line);
		len = addf(buf, n, len, _("It is in the deadlock %s: nobody in it can ever move again.\n"),
		           line);
	} else if ((unsigned)id < LS_MAX_WORKERS && (a->wflags[id] & AN_N_STUCK))
		len = addf(buf, n, len, "%s\n", _("It can never move again: what it waits for is "
		                                  "held by workers that are stuck themselves."));
	else if ((unsigned)id < LS_MAX_WORKERS && (a->wflags[id] & AN_N_TIMED))
		len = addf(buf, n, len, "%s\n", _("Its wait ends by itself when its timeout passes."));
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
			len = addf(buf, n, len, _("%s is held by %s: only %s can release it.\n"), o->name,
			           wn(m, o->owner), wn(m, o->owner));
		else
			len = addf(buf, n, len, _("%s is free: the next worker to lock it takes it.\n"),
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
				hl = addf(names, sizeof names, hl, "%s%s", hl ? ", " : "", wn(m, i));
			}
		}
		len = addf(buf, n, len, PL_("%s has %lld unit free", "%s has %lld units free", o->value),
		           o->name, (long long)o->value);
		if (held)
			len = addf(buf, n, len, PL_(", %lld held by %s.\n", ", %lld held by %s.\n", held),
			           (long long)held, names);
		else
			len = addf(buf, n, len, "%s\n", _(", none held."));
		len = addf(buf, n, len, "%s\n", _("Any worker may release a unit, not only one that took one."));
		break;
	}
	case LS_OBJ_QUEUE:
	case LS_OBJ_PIPE:
	case LS_OBJ_FIFO:
	case LS_OBJ_MQUEUE:
		if (o->cap > 0)
			len = addf(buf, n, len, _("%s holds %d of %lld items (put %llu, got %llu).\n"),
			           o->name, o->nitems, (long long)o->cap, (unsigned long long)o->puts,
			           (unsigned long long)o->gets);
		else
			len = addf(buf, n, len, _("%s holds %d items (put %llu, got %llu).\n"), o->name,
			           o->nitems, (unsigned long long)o->puts, (unsigned long long)o->gets);
		break;
	default:
		len = addf(buf, n, len, _("%s is a %s.\n"), o->name, _(event_obj_kind_name(o->kind)));
		break;
	}
	if (waiter_names(m, o, names, sizeof names) > 0)
		len = addf(buf, n, len, _("Waiting for it: %s.\n"), names);
	else
		len = addf(buf, n, len, "%s\n", _("Nobody waits for it."));
	if (analysis_in_cycle(a, 1, id)) {
		char cyc[256];
		describe_cycle_arrows(m, a, 0, cyc, sizeof cyc);
		len = addf(buf, n, len, _("It is in the deadlock %s.\n"), cyc);
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
