/* travel: moving the UI's view over the past. See travel.h. */
#include "travel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "theme.h"

#define LOG_BACK 256 /* records re-described for the log of a moment */

int travel_init(struct travel *t, size_t max_bytes)
{
	memset(t, 0, sizeof *t);
	model_init(&t->m);
	t->next_worker = -1;
	t->h = history_new(max_bytes);
	t->log = calloc(UI_LOG_N, sizeof *t->log);
	if (!t->h || !t->log) {
		travel_free(t);
		return -1;
	}
	analysis_run(&t->m, &t->an);
	return 0;
}

void travel_free(struct travel *t)
{
	history_free(t->h);
	t->h = NULL;
	free(t->log);
	t->log = NULL;
	free(t->mo);
	t->mo = NULL;
	t->nmo = t->capmo = 0;
	model_free(&t->m);
}

void travel_rest(struct travel *t)
{
	free(t->log);
	t->log = NULL;
	t->nlog = 0;
	t->on = 0;
}

int travel_reset(struct travel *t)
{
	history_free(t->h);
	t->h = history_new(0);
	t->on = 0;
	t->nlog = 0;
	t->nmo = 0;
	t->cur = 0;
	t->pending = 0;
	t->t_first = t->t_last = 0;
	return t->h ? 0 : -1;
}

void travel_push(struct travel *t, const struct ls_event *ev, const struct model *m)
{
	if (!t->h || history_push(t->h, ev, m) != 0)
		return;
	t->pending |= history_last_marks(t->h);
	if (!t->t_first)
		t->t_first = ev->t_ns;
	t->t_last = ev->t_ns;
}

void travel_moment(struct travel *t, int free_run)
{
	if (!t->h || history_full(t->h))
		return;
	if (t->nmo == t->capmo) {
		size_t c = t->capmo ? t->capmo * 2 : 64;
		struct tr_moment *m = realloc(t->mo, c * sizeof *m);
		if (!m)
			return;
		t->mo = m;
		t->capmo = c;
	}
	t->mo[t->nmo++] = (struct tr_moment){history_len(t->h), history_steps(t->h), t->t_last,
	                                     t->pending, free_run};
	t->pending = 0;
}

size_t travel_moments(const struct travel *t)
{
	return t->nmo;
}

uint64_t travel_steps(const struct travel *t)
{
	return t->h ? history_steps(t->h) : 0;
}

/* ---- the log as it read then ---- */

static void log_line(struct travel *t, const struct ls_event *ev, int role, const char *text)
{
	struct ui_logline *l = &t->log[t->nlog % UI_LOG_N];
	l->t_ns = ev->t_ns;
	l->seq = ev->seq;
	l->role = role;
	size_t n = strnlen(text, sizeof l->text - 1);
	while (n > 0 && n < strlen(text) && (text[n] & 0xc0) == 0x80)
		n--; /* never half a UTF-8 sequence */
	memcpy(l->text, text, n);
	l->text[n] = '\0';
	t->nlog++;
}

void log_describe(void *ud, const struct model *m, const struct ls_event *ev)
{
	struct log_describer *d = ud;
	if (ev->type == LS_EV_OUTPUT) { /* as the live log shows a finished line */
		size_t n = strnlen(ev->u.s.text, LS_EV_TEXT);
		if (d->outlen + n < sizeof d->out) {
			memcpy(d->out + d->outlen, ev->u.s.text, n);
			d->outlen += n;
		}
		d->out[d->outlen] = '\0';
		if (!(ev->u.s.a0 & LS_TEXT_MORE)) {
			char clean[UI_LOG_TEXT], line[UI_LOG_TEXT + 16];
			describe_output(d->out, clean, sizeof clean);
			if (ev->worker >= 0)
				snprintf(line, sizeof line, _("%s output: %s"), model_worker_name(m, ev->worker),
				         clean);
			else
				snprintf(line, sizeof line, _("output: %s"), clean);
			d->line(d->ud, ev, TH_OUTPUT, line);
			d->outlen = 0;
		}
		return;
	}
	char text[UI_LOG_TEXT];
	int role = describe_event(m, ev, text, sizeof text);
	if (role >= 0)
		d->line(d->ud, ev, role, text);
}

static void relog_line(void *ud, const struct ls_event *ev, int role, const char *text)
{
	log_line(ud, ev, role, text);
}

/* ---- re-driving ---- */

struct resched {
	char *s;
	size_t n, cap;
	int oom, free_run;
	int sig, sig_target, sig_count; /* signals sent together: one entry */
};

static void put_entry(struct resched *r, const char *e)
{
	size_t el = strlen(e);
	if (r->n + el + 2 > r->cap) {
		size_t c = r->cap ? r->cap * 2 : 256;
		while (c < r->n + el + 2)
			c *= 2;
		char *m = realloc(r->s, c);
		if (!m) {
			r->oom = 1;
			return;
		}
		r->s = m;
		r->cap = c;
	}
	if (r->n)
		r->s[r->n++] = ',';
	memcpy(r->s + r->n, e, el + 1);
	r->n += el;
}

static void flush_signal(struct resched *r)
{
	char e[64];
	if (r->sig_count == 0)
		return;
	if (r->sig_count > 1) /* one signal to several targets: the group */
		snprintf(e, sizeof e, "signal:group:%d", r->sig);
	else
		snprintf(e, sizeof e, "signal:%d:%d", r->sig_target, r->sig);
	put_entry(r, e);
	r->sig_count = 0;
}

static void resched_one(void *ud, const struct model *m, const struct ls_event *ev)
{
	(void)m;
	struct resched *r = ud;
	char e[32];
	if (ev->type == LS_EV_SIGNAL && ev->worker < 0) { /* sent by lockstep */
		if (r->sig_count && r->sig != (int)ev->u.a[1])
			flush_signal(r);
		r->sig = (int)ev->u.a[1];
		r->sig_target = (int)ev->u.a[0];
		r->sig_count++;
		return;
	}
	flush_signal(r);
	if (ev->type == LS_EV_MODE && ev->u.a[0] == LS_MODE_RUN)
		r->free_run = 1;
	else if (ev->type == LS_EV_GRANT) {
		snprintf(e, sizeof e, "%d", ev->worker);
		put_entry(r, e);
	} else if (ev->type == LS_EV_USER)
		put_entry(r, "key");
}

char *travel_schedule(const struct travel *t, uint64_t k, char *err, size_t errlen)
{
	struct resched r = {0};
	uint64_t to = history_step_start(t->h, k + 1);
	history_each(t->h, 0, to, NULL, resched_one, &r);
	flush_signal(&r);
	if (r.free_run || r.oom) {
		snprintf(err, errlen, "%s", r.oom ? _("out of memory")
		                                  : _("this run went freely before that step: the kernel chose "
		                                      "who moved, so it cannot be re-driven"));
		free(r.s);
		return NULL;
	}
	return r.s ? r.s : strdup("");
}

/* ---- comparing ---- */

struct grants {
	int *w;
	size_t n, cap;
};

static void grant_one(void *ud, const struct model *m, const struct ls_event *ev)
{
	(void)m;
	struct grants *g = ud;
	if (ev->type != LS_EV_GRANT)
		return;
	if (g->n == g->cap) {
		size_t c = g->cap ? g->cap * 2 : 64;
		int *w = realloc(g->w, c * sizeof *w);
		if (!w)
			return;
		g->w = w;
		g->cap = c;
	}
	g->w[g->n++] = ev->worker;
}

int travel_part(const struct travel *a, const struct travel *b, uint64_t *step, int *wa, int *wb)
{
	struct grants ga = {0}, gb = {0};
	history_each(a->h, 0, history_len(a->h), NULL, grant_one, &ga);
	history_each(b->h, 0, history_len(b->h), NULL, grant_one, &gb);
	size_t i = 0;
	while (i < ga.n && i < gb.n && ga.w[i] == gb.w[i])
		i++;
	int rc = i == ga.n && i == gb.n ? -1 : 0;
	*step = i + 1;
	*wa = i < ga.n ? ga.w[i] : -1;
	*wb = i < gb.n ? gb.w[i] : -1;
	free(ga.w);
	free(gb.w);
	return rc;
}

long travel_moment_of_step(const struct travel *t, uint64_t k)
{
	for (size_t i = 0; i < t->nmo; i++)
		if (t->mo[i].step == k && !t->mo[i].free_run)
			return (long)i;
	return -1;
}

int travel_model_at_step(const struct travel *t, uint64_t k, struct model *out, uint64_t *shown)
{
	if (!t->h)
		return -1;
	long mo = travel_moment_of_step(t, k);
	*shown = mo >= 0 ? k : travel_steps(t);
	return history_model_at(t->h, mo >= 0 ? t->mo[mo].at : history_len(t->h), out);
}

/* ---- moving ---- */

static void who_next(struct travel *t)
{
	struct ls_event ev;
	t->next_worker = -1;
	if (t->at < history_len(t->h) && history_event(t->h, t->at, &ev) == 0 &&
	    ev.type == LS_EV_GRANT)
		t->next_worker = ev.worker;
}

/* Moments at or after `len` records are now: nothing happened since. */
static size_t past_moments(const struct travel *t)
{
	size_t n = t->nmo;
	uint64_t len = history_len(t->h);
	while (n > 0 && t->mo[n - 1].at >= len)
		n--;
	return n;
}

static int view_at(struct travel *t, size_t i, uint64_t at, uint64_t step);

static int view(struct travel *t, size_t i)
{
	if (i >= past_moments(t)) {
		travel_now(t);
		return 0;
	}
	return view_at(t, i, t->mo[i].at, t->mo[i].step);
}

int travel_end(struct travel *t)
{
	if (!t->h)
		return -1;
	return view_at(t, past_moments(t), history_len(t->h), history_steps(t->h));
}

static int view_at(struct travel *t, size_t i, uint64_t at, uint64_t step)
{
	t->cur = i;
	t->step = step;
	t->at = at;
	uint64_t from = t->at > LOG_BACK ? t->at - LOG_BACK : 0;
	if (!t->log && !(t->log = calloc(UI_LOG_N, sizeof *t->log))) /* put aside: taken again */
		return -1;
	if (history_model_at(t->h, from, &t->m) != 0)
		return -1;
	struct log_describer *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	r->line = relog_line;
	r->ud = t;
	t->nlog = 0;
	history_each(t->h, from, t->at, &t->m, log_describe, r);
	free(r);
	analysis_run(&t->m, &t->an);
	who_next(t);
	t->on = 1;
	return 0;
}

int travel_to(struct travel *t, size_t moment)
{
	return t->h && moment < past_moments(t) ? view(t, moment) : -1;
}

int travel_back(struct travel *t)
{
	size_t cur = t->on ? t->cur : past_moments(t);
	if (cur == 0)
		return -1;
	return view(t, cur - 1);
}

int travel_forward(struct travel *t)
{
	if (!t->on)
		return -1;
	return view(t, t->cur + 1);
}

int travel_mark(struct travel *t, int dir)
{
	size_t n = past_moments(t);
	if (dir > 0) {
		if (!t->on)
			return -1;
		for (size_t k = t->cur + 1; k < n; k++)
			if (t->mo[k].marks)
				return view(t, k);
		travel_now(t);
		return 0;
	}
	for (size_t k = t->on ? t->cur : n; k-- > 0;)
		if (t->mo[k].marks)
			return view(t, k);
	return -1;
}

void travel_now(struct travel *t)
{
	t->on = 0;
}

const char *travel_position(const struct travel *t, char *buf, size_t n)
{
	const struct tr_moment *m = t->on && t->cur < t->nmo ? &t->mo[t->cur] : NULL;
	if (!t->on && t->nmo > 0 && t->mo[t->nmo - 1].free_run) /* now, in a free run */
		snprintf(buf, n, _("%.1f s of %.1f s (running freely)"),
		         (double)(t->t_last - t->t_first) / 1e9, (double)(t->t_last - t->t_first) / 1e9);
	else if (m && m->free_run)
		snprintf(buf, n, _("%.1f s of %.1f s (running freely)"),
		         (double)(m->t_ns - t->t_first) / 1e9, (double)(t->t_last - t->t_first) / 1e9);
	else
		snprintf(buf, n, _("step %llu of %llu"),
		         (unsigned long long)(t->on ? t->step : travel_steps(t)),
		         (unsigned long long)travel_steps(t));
	if (t->h && history_full(t->h)) { /* the header counts on: say why this stops short */
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "%s", _(" (the history is full: later moments are not kept)"));
	}
	return buf;
}

const char *travel_banner(const struct travel *t, char *buf, size_t n)
{
	char pos[128];
	snprintf(buf, n, _("viewing %s, press . for now"), travel_position(t, pos, sizeof pos));
	return buf;
}
