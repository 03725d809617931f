/* trace: Chrome trace-event JSON. See trace.h. */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "json.h"
#include "unit.h"

struct hold {
	int obj, worker, depth;
};

struct pending_flow { /* a release, waiting for the acquire it allows */
	int obj, worker;
	int64_t ts;
	int live;
};

struct trace {
	FILE *f;
	char *path;
	struct jw j;
	int first_line;
	int64_t t0, now; /* µs */
	int have_t0;
	int *state;     /* per worker: its state's track so far, -1 none */
	int64_t *since; /* per worker: since when */
	int nw;
	struct hold *holds;
	size_t nholds, capholds;
	struct pending_flow *flows; /* per object */
	int nflows;
	struct pending_flow *woken; /* per worker: a notify it has not acted on */
	int nwoken;
	int flow_id;
	int narrating; /* inside lockstep's narration (worker -1) */
};

static void emit(struct trace *t)
{
	if (!t->first_line)
		fputs(",\n", t->f);
	t->first_line = 0;
	if (t->j.len)
		fwrite(t->j.buf, 1, t->j.len, t->f);
	jw_reset(&t->j);
}

/* A worker's track: its process (main's for the host's threads, else the
 * nearest process it belongs to) and itself. */
static int proc_of(const struct model *m, int w)
{
	for (int k = 0, id = w; k < LS_MAX_WORKERS; k++) {
		const struct m_worker *x = model_worker(m, id);
		if (!x || id == 0 || x->kind == LS_WK_PROCESS)
			return x ? id : 0;
		id = x->parent;
	}
	return 0;
}

static void head(struct trace *t, const struct model *m, const char *ph, const char *name,
                 const char *cat, int w, int64_t ts)
{
	jw_begin(&t->j, '{');
	jw_kstr(&t->j, "ph", ph);
	jw_kstr(&t->j, "name", name);
	if (cat)
		jw_kstr(&t->j, "cat", cat);
	jw_kint(&t->j, "ts", ts);
	jw_kint(&t->j, "pid", proc_of(m, w < 0 ? 0 : w) + 1);
	jw_kint(&t->j, "tid", (w < 0 ? 0 : w) + 1);
}

/* Opened without blocking: a FIFO nobody reads would block open() for
 * ever; it is refused at once (ENXIO). The UI takes a regular file only
 * (a name typed on a projector is no place to find a reader or a
 * device); --export-trace may also name a pipe a program reads, or
 * /dev/stdout. A regular file is truncated once checked. */
static FILE *open_out(const char *path, int replace, int regular_only, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC | (replace ? 0 : O_EXCL), 0644);
	struct stat st;
	if (fd < 0) {
		if (errno == ENXIO) /* a FIFO nobody reads */
			snprintf(err, errlen, _("cannot write the trace %s: not a regular file"), path);
		else if (errno == EEXIST)
			snprintf(err, errlen, _("%s exists already: nothing written"), path);
		else
			snprintf(err, errlen, _("cannot write the trace %s: %s"), path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || (regular_only && !S_ISREG(st.st_mode))) {
		snprintf(err, errlen, _("cannot write the trace %s: not a regular file"), path);
		close(fd);
		return NULL;
	}
	int fl = fcntl(fd, F_GETFL);
	FILE *f = NULL;
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ||
	    (S_ISREG(st.st_mode) && ftruncate(fd, 0) != 0) ||
	    !(f = fdopen(fd, "w"))) {
		snprintf(err, errlen, _("cannot write the trace %s: %s"), path, strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

static struct trace *create(const char *path, int replace, int regular_only, char *err,
                            size_t errlen)
{
	struct trace *t = calloc(1, sizeof *t);
	if (!t || !(t->path = strdup(path))) {
		free(t);
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	t->f = open_out(path, replace, regular_only, err, errlen);
	if (!t->f) {
		free(t->path);
		free(t);
		return NULL;
	}
	t->first_line = 1;
	fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n", t->f);
	return t;
}

struct trace *trace_open(const char *path, char *err, size_t errlen)
{
	return create(path, 1, 0, err, errlen);
}

struct trace *trace_create(const char *path, int replace, char *err, size_t errlen)
{
	return create(path, replace, 1, err, errlen);
}

static void grow_workers(struct trace *t, int nw)
{
	if (nw <= t->nw)
		return;
	int *s = realloc(t->state, (size_t)nw * sizeof *s);
	int64_t *since = s ? realloc(t->since, (size_t)nw * sizeof *since) : NULL;
	if (!s || !since)
		abort();
	t->state = s;
	t->since = since;
	for (int i = t->nw; i < nw; i++) {
		t->state[i] = -1;
		t->since[i] = t->now;
	}
	t->nw = nw;
}

static void state_span(struct trace *t, const struct model *m, int w)
{
	if (t->state[w] < 0)
		return;
	head(t, m, "X", model_state_name((enum ls_wstate)t->state[w]), "state", w, t->since[w]);
	jw_kint(&t->j, "dur", t->now - t->since[w]);
	jw_end(&t->j, '}');
	emit(t);
}

static struct hold *hold_of(struct trace *t, int obj, int w)
{
	for (size_t i = 0; i < t->nholds; i++)
		if (t->holds[i].obj == obj && t->holds[i].worker == w)
			return &t->holds[i];
	if (t->nholds == t->capholds) {
		size_t c = t->capholds ? t->capholds * 2 : 16;
		struct hold *h = realloc(t->holds, c * sizeof *h);
		if (!h)
			abort();
		t->holds = h;
		t->capholds = c;
	}
	t->holds[t->nholds] = (struct hold){obj, w, 0};
	return &t->holds[t->nholds++];
}

static void hold_span(struct trace *t, const struct model *m, struct hold *h, const char *ph)
{
	char name[64], id[32];
	snprintf(name, sizeof name, "holds %s", model_object_name(m, h->obj));
	snprintf(id, sizeof id, "o%dw%d", h->obj, h->worker);
	head(t, m, ph, name, "hold", h->worker, t->now);
	jw_kstr(&t->j, "id", id);
	jw_end(&t->j, '}');
	emit(t);
}

static void counter(struct trace *t, const struct model *m, int obj)
{
	const struct m_object *o = model_object(m, obj);
	if (!o)
		return;
	int kind = o->kind;
	if (kind != LS_OBJ_SEM && kind != LS_OBJ_QUEUE && kind != LS_OBJ_PIPE &&
	    kind != LS_OBJ_FIFO && kind != LS_OBJ_MQUEUE)
		return;
	head(t, m, "C", o->name, "value", 0, t->now);
	jw_key(&t->j, "args");
	jw_begin(&t->j, '{');
	if (kind == LS_OBJ_SEM)
		jw_kint(&t->j, "value", o->value);
	else
		jw_kint(&t->j, "items", o->nitems + o->overflow);
	jw_end(&t->j, '}');
	jw_end(&t->j, '}');
	emit(t);
}

static void instant(struct trace *t, const struct model *m, int w, const char *name, int global)
{
	head(t, m, "i", name, "event", w, t->now);
	jw_kstr(&t->j, "s", global ? "g" : "t");
	jw_end(&t->j, '}');
	emit(t);
}

static struct pending_flow *flow_of(struct trace *t, int obj)
{
	if (obj < 0 || obj >= LS_MAX_OBJECTS)
		return NULL;
	if (obj >= t->nflows) {
		struct pending_flow *f = realloc(t->flows, (size_t)(obj + 1) * sizeof *f);
		if (!f)
			abort();
		memset(f + t->nflows, 0, (size_t)(obj + 1 - t->nflows) * sizeof *f);
		t->flows = f;
		t->nflows = obj + 1;
	}
	return &t->flows[obj];
}

static void arrow(struct trace *t, const struct model *m, const char *name, int from,
                  int64_t from_ts, int to)
{
	char id[16];
	snprintf(id, sizeof id, "%d", ++t->flow_id);
	head(t, m, "s", name, "wake", from, from_ts);
	jw_kstr(&t->j, "id", id);
	jw_end(&t->j, '}');
	emit(t);
	head(t, m, "f", name, "wake", to, t->now);
	jw_kstr(&t->j, "id", id);
	jw_kstr(&t->j, "bp", "e");
	jw_end(&t->j, '}');
	emit(t);
}

/* A worker notified (condition, event): the notifier and when, until the
 * notified worker next does something. */
static struct pending_flow *woken_of(struct trace *t, int w)
{
	if (w < 0 || w >= LS_MAX_WORKERS)
		return NULL;
	if (w >= t->nwoken) {
		struct pending_flow *f = realloc(t->woken, (size_t)(w + 1) * sizeof *f);
		if (!f)
			abort();
		memset(f + t->nwoken, 0, (size_t)(w + 1 - t->nwoken) * sizeof *f);
		t->woken = f;
		t->nwoken = w + 1;
	}
	return &t->woken[w];
}

static int holdable(const struct model *m, int obj)
{
	const struct m_object *o = model_object(m, obj);
	return o && unit_kind(o->kind)->holdable;
}

void trace_event(struct trace *t, const struct model *m, const struct ls_event *ev)
{
	int64_t us = (int64_t)(ev->t_ns / 1000);
	if (!t->have_t0) {
		t->t0 = us;
		t->have_t0 = 1;
	}
	if (us - t->t0 > t->now) /* never backwards: batches may come out of order */
		t->now = us - t->t0;
	grow_workers(t, m->nw);
	/* each worker's state, as every pane reads it */
	for (int i = 0; i < m->nw; i++) {
		if (!m->w[i].declared)
			continue;
		int st = (int)model_state(m, i);
		if (st == t->state[i])
			continue;
		state_span(t, m, i);
		t->state[i] = st;
		t->since[i] = t->now;
	}
	char name[96];
	int w = ev->worker;
	struct pending_flow *wf = (ev->type == LS_EV_ACQUIRED || ev->type == LS_EV_DONE) &&
	                                  w >= 0 && w < t->nwoken
	                              ? &t->woken[w]
	                              : NULL;
	if (wf && wf->live && wf->worker != w) {
		snprintf(name, sizeof name, "notify %s", model_object_name(m, wf->obj));
		arrow(t, m, name, wf->worker, wf->ts, w);
		wf->live = 0;
	}
	switch (ev->type) {
	case LS_EV_ACQUIRED:
		if (holdable(m, ev->object)) {
			struct hold *h = hold_of(t, ev->object, w);
			if (h->depth++ == 0)
				hold_span(t, m, h, "b");
			struct pending_flow *f = flow_of(t, ev->object);
			if (f && f->live && f->worker != w) { /* the release that let it in */
				arrow(t, m, model_object_name(m, ev->object), f->worker, f->ts, w);
				f->live = 0;
			}
		}
		counter(t, m, ev->object);
		break;
	case LS_EV_RELEASED:
		if (holdable(m, ev->object)) {
			struct hold *h = hold_of(t, ev->object, w);
			if (h->depth > 0 && --h->depth == 0)
				hold_span(t, m, h, "e");
			struct pending_flow *f = flow_of(t, ev->object);
			if (f)
				*f = (struct pending_flow){ev->object, w, t->now, 1};
		}
		counter(t, m, ev->object);
		break;
	case LS_EV_DONE: {
		/* a put into a queue or a pipe, and the get it fed */
		struct pending_flow *f = ev->object >= 0 ? flow_of(t, ev->object) : NULL;
		int64_t op = ev->u.a[0];
		if (f && (op == LS_OP_PUT || op == LS_OP_WRITE || op == LS_OP_SEND))
			*f = (struct pending_flow){ev->object, w, t->now, 1};
		else if (f && f->live && f->worker != w &&
		         (op == LS_OP_GET || op == LS_OP_READ || op == LS_OP_RECEIVE)) {
			arrow(t, m, model_object_name(m, ev->object), f->worker, f->ts, w);
			f->live = 0;
		}
		counter(t, m, ev->object);
		break;
	}
	case LS_EV_NOTIFY: { /* who notified whom: the arrow ends where it acts */
		struct pending_flow *f = woken_of(t, (int)ev->u.a[1]);
		if (f)
			*f = (struct pending_flow){ev->object, w, t->now, 1};
		break;
	}
	case LS_EV_OBJECT:
		counter(t, m, ev->object);
		break;
	case LS_EV_SIGNAL: {
		int target = (int)ev->u.a[0];
		const char *sn = ev->u.a[1] > 0 && ev->u.a[1] < 65 ? sigabbrev_np((int)ev->u.a[1]) : NULL;
		snprintf(name, sizeof name, "SIG%s sent", sn ? sn : "?");
		instant(t, m, target, name, 0);
		break;
	}
	case LS_EV_DELIVERED: {
		const char *sn = ev->u.a[0] > 0 && ev->u.a[0] < 65 ? sigabbrev_np((int)ev->u.a[0]) : NULL;
		snprintf(name, sizeof name, "SIG%s delivered", sn ? sn : "?");
		instant(t, m, w, name, 0);
		break;
	}
	case LS_EV_SAY:
		if (w < 0 && !t->narrating) { /* lockstep narrates a deadlock or a stall */
			snprintf(name, sizeof name, "lockstep: %s", ev->u.s.text);
			instant(t, m, -1, name, 1);
		}
		t->narrating = w < 0;
		break;
	default:
		t->narrating = 0;
		break;
	}
}

int trace_close(struct trace *t, const struct model *m, char *err, size_t errlen)
{
	for (int i = 0; i < t->nw && i < m->nw; i++)
		state_span(t, m, i);
	for (size_t i = 0; i < t->nholds; i++)
		if (t->holds[i].depth > 0)
			hold_span(t, m, &t->holds[i], "e");
	/* names: a process per worker process (and main's), a thread per worker */
	for (int i = 0; i < m->nw; i++) {
		const struct m_worker *w = &m->w[i];
		if (!w->declared)
			continue;
		char name[96];
		if (proc_of(m, i) == i) {
			snprintf(name, sizeof name, "%s (pid %lld)", w->name, (long long)w->pid);
			head(t, m, "M", "process_name", NULL, i, 0);
			jw_key(&t->j, "args");
			jw_begin(&t->j, '{');
			jw_kstr(&t->j, "name", name);
			jw_end(&t->j, '}');
			jw_end(&t->j, '}');
			emit(t);
		}
		head(t, m, "M", "thread_name", NULL, i, 0);
		jw_key(&t->j, "args");
		jw_begin(&t->j, '{');
		jw_kstr(&t->j, "name", w->name);
		jw_end(&t->j, '}');
		jw_end(&t->j, '}');
		emit(t);
	}
	fputs("\n]}\n", t->f);
	int rc = 0;
	if (ferror(t->f) | (fclose(t->f) != 0)) {
		snprintf(err, errlen, _("the trace %s is incomplete: %s"), t->path, strerror(errno));
		rc = -1;
	}
	jw_free(&t->j);
	free(t->path);
	free(t->state);
	free(t->since);
	free(t->holds);
	free(t->flows);
	free(t->woken);
	free(t);
	return rc;
}
