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
	model_free(&t->m);
}

int travel_reset(struct travel *t)
{
	history_free(t->h);
	t->h = history_new(0);
	t->on = 0;
	t->nlog = 0;
	return t->h ? 0 : -1;
}

void travel_push(struct travel *t, const struct ls_event *ev, const struct model *m)
{
	if (t->h)
		history_push(t->h, ev, m);
}

uint64_t travel_steps(const struct travel *t)
{
	return t->h ? history_steps(t->h) : 0;
}

/* ---- the log as it read then ---- */

struct relog {
	struct travel *t;
	char out[UI_LOG_TEXT]; /* an output line being put together */
	size_t outlen;
};

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

static void relog_one(void *ud, const struct model *m, const struct ls_event *ev)
{
	struct relog *r = ud;
	if (ev->type == LS_EV_OUTPUT) { /* as app.c shows a finished line */
		size_t n = strnlen(ev->u.s.text, LS_EV_TEXT);
		if (r->outlen + n < sizeof r->out) {
			memcpy(r->out + r->outlen, ev->u.s.text, n);
			r->outlen += n;
		}
		r->out[r->outlen] = '\0';
		if (ev->u.s.a0 == 0) {
			char clean[UI_LOG_TEXT], line[UI_LOG_TEXT + 16];
			describe_output(r->out, clean, sizeof clean);
			if (ev->worker >= 0)
				snprintf(line, sizeof line, _("%s output: %s"), model_worker_name(m, ev->worker),
				         clean);
			else
				snprintf(line, sizeof line, _("output: %s"), clean);
			log_line(r->t, ev, TH_OUTPUT, line);
			r->outlen = 0;
		}
		return;
	}
	char text[UI_LOG_TEXT];
	int role = describe_event(m, ev, text, sizeof text);
	if (role >= 0)
		log_line(r->t, ev, role, text);
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

/* ---- moving ---- */

static void who_next(struct travel *t)
{
	struct ls_event ev;
	t->next_worker = -1;
	if (t->at < history_len(t->h) && history_event(t->h, t->at, &ev) == 0 &&
	    ev.type == LS_EV_GRANT)
		t->next_worker = ev.worker;
}

static int view(struct travel *t, uint64_t step)
{
	uint64_t steps = travel_steps(t);
	if (step >= steps) {
		travel_now(t);
		return 0;
	}
	t->step = step;
	t->at = history_step_start(t->h, step + 1);
	uint64_t from = t->at > LOG_BACK ? t->at - LOG_BACK : 0;
	if (history_model_at(t->h, from, &t->m) != 0)
		return -1;
	struct relog *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	r->t = t;
	t->nlog = 0;
	history_each(t->h, from, t->at, &t->m, relog_one, r);
	free(r);
	analysis_run(&t->m, &t->an);
	who_next(t);
	t->on = 1;
	return 0;
}

int travel_to(struct travel *t, uint64_t step)
{
	return t->h ? view(t, step) : -1;
}

int travel_back(struct travel *t)
{
	uint64_t steps = travel_steps(t);
	uint64_t cur = t->on ? t->step : steps;
	if (cur == 0 || steps == 0)
		return -1;
	return view(t, cur - 1);
}

int travel_forward(struct travel *t)
{
	if (!t->on)
		return -1;
	return view(t, t->step + 1);
}

int travel_mark(struct travel *t, int dir)
{
	uint64_t steps = travel_steps(t);
	uint64_t cur = t->on ? t->step : steps;
	if (dir > 0) {
		if (!t->on)
			return -1;
		/* the state once a step with a mark in it settled */
		for (uint64_t k = cur + 1; k < steps; k++)
			if (history_step_marks(t->h, k))
				return view(t, k);
		travel_now(t);
		return 0;
	}
	for (uint64_t k = cur; k-- > 0;)
		if (history_step_marks(t->h, k))
			return view(t, k);
	return -1;
}

void travel_now(struct travel *t)
{
	t->on = 0;
}

const char *travel_banner(const struct travel *t, char *buf, size_t n)
{
	snprintf(buf, n, _("viewing step %llu of %llu, press . for now"),
	         (unsigned long long)t->step, (unsigned long long)travel_steps(t));
	return buf;
}
