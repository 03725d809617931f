/* describe: events and cycles in words. See describe.h. */
#include "describe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "theme.h"

static const char *wn(const struct model *m, int id) { return model_worker_name(m, id); }
static const char *on(const struct model *m, int id) { return model_object_name(m, id); }

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
	if (!o)
		return say(buf, n, TH_WAITING, _("%s waits (%s)"), w, _(event_op_name(op)));
	if (is_lock(o)) {
		if (o->owner >= 0 && o->owner != ev->worker)
			return say(buf, n, TH_BLOCKED, _("%s blocked on %s, held by %s"), w, o->name,
			           wn(m, o->owner));
		return say(buf, n, TH_BLOCKED, _("%s blocked on %s"), w, o->name);
	}
	switch (o->kind) {
	case LS_OBJ_SEM:
		return say(buf, n, TH_BLOCKED, _("%s blocked on semaphore %s (value %lld)"), w,
		           o->name, (long long)o->value);
	case LS_OBJ_QUEUE:
		if (op == LS_OP_PUT)
			return say(buf, n, TH_WAITING, _("%s waits: %s is full (%d/%lld)"), w, o->name,
			           o->nitems, (long long)o->cap);
		return say(buf, n, TH_WAITING, _("%s waits: %s is empty"), w, o->name);
	case LS_OBJ_COND:
		return say(buf, n, TH_WAITING, _("%s waits on condition %s"), w, o->name);
	default:
		return say(buf, n, TH_WAITING, _("%s waits on %s"), w, o->name);
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
		if (o)
			return say(buf, n, TH_NORMAL, _("%s read %s = %lld"), w, o->name, v);
		break;
	case LS_OP_WRITE:
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
	case LS_OP_JOIN:
		if (model_worker(m, ev->worker))
			return say(buf, n, TH_RUNNABLE, _("%s joined %s"), w,
			           wn(m, (int)model_worker(m, ev->worker)->op_arg));
		return say(buf, n, TH_RUNNABLE, _("%s joined"), w);
	default:
		break;
	}
	if (o)
		return say(buf, n, TH_NORMAL, _("%s did %s on %s"), w, _(event_op_name((int)ev->u.a[0])),
		           o->name);
	return say(buf, n, TH_NORMAL, _("%s did %s"), w, _(event_op_name((int)ev->u.a[0])));
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
			           _(event_op_name((int)a[0])), o->name);
		return say(buf, n, TH_READY, _("%s is ready to %s"), w, _(event_op_name((int)a[0])));
	case LS_EV_BLOCKED:
		return blocked(m, ev, buf, n);
	case LS_EV_ACQUIRED:
		if (o && o->kind == LS_OBJ_SEM)
			return say(buf, n, TH_GOOD, _("%s acquired semaphore %s (value now %lld)"), w,
			           o->name, (long long)o->value);
		return say(buf, n, TH_GOOD, _("%s acquired %s"), w, on(m, ev->object));
	case LS_EV_RELEASED:
		if (o && o->kind == LS_OBJ_SEM)
			return say(buf, n, TH_NORMAL, _("%s released semaphore %s (value now %lld)"), w,
			           o->name, (long long)o->value);
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
	case LS_EV_EXIT:
		return say(buf, n, TH_ENDED, _("%s exited with code %lld"), w, (long long)a[0]);
	case LS_EV_REAPED:
		return say(buf, n, TH_ENDED, _("%s reaped by %s"), w, wn(m, (int)a[1]));
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
		const char *sep = len ? "; " : "";
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
