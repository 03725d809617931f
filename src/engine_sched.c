/* engine_sched: the scheduling policy of controlled runs. See engine_sched.h. */
#include "engine_sched.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "unit.h"

/* ---- the schedule's syntax ---- */

static int valid_entry(const char *s, size_t n)
{
	if (n == 0 || n >= LS_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

int sched_signal_number(const char *name)
{
	if (!name || !*name)
		return 0;
	char *end;
	long k = strtol(name, &end, 10);
	if (*end == '\0')
		return k > 0 && k < NSIG ? (int)k : 0;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *ab = sigabbrev_np(sig);
		if (ab && strcasecmp(ab, name) == 0)
			return sig;
	}
	return 0;
}

/* "signal:TARGET:SIG": the target and the signal, or 0. */
static int signal_entry(const char *s, size_t n, char *target, size_t tn, int *sig)
{
	if (n < 7 || strncmp(s, "signal:", 7) != 0)
		return 0;
	const char *t = s + 7, *end = s + n;
	const char *colon = memchr(t, ':', (size_t)(end - t));
	if (!colon || !valid_entry(t, (size_t)(colon - t)) || (size_t)(colon - t) >= tn)
		return 0;
	memcpy(target, t, (size_t)(colon - t));
	target[colon - t] = '\0';
	char sn[16];
	size_t sl = (size_t)(end - colon - 1);
	if (sl == 0 || sl >= sizeof sn)
		return 0;
	memcpy(sn, colon + 1, sl);
	sn[sl] = '\0';
	*sig = sched_signal_number(sn);
	return *sig != 0;
}

const char *sched_check(const char *s)
{
	if (!s)
		return NULL;
	if (!*s)
		return _("the schedule is empty");
	const char *p = s;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char target[LS_NAME_MAX];
		int sig;
		if (n > 7 && strncmp(p, "signal:", 7) == 0) {
			if (!signal_entry(p, n, target, sizeof target, &sig))
				return _("a signal entry is signal:TARGET:SIG, TARGET a worker or 'group', SIG a name like INT or a number");
		} else if (!valid_entry(p, n))
			return _("each schedule entry must be a worker name or index (letters, digits, '-', '_'), 'rest' or signal:TARGET:SIG");
		if (!comma)
			return NULL;
		p = comma + 1;
	}
}

/* ---- state ---- */

int sched_init(struct sched *s, enum ls_sched policy, uint64_t seed, const char *schedule)
{
	memset(s, 0, sizeof *s);
	s->policy = policy;
	s->rng = seed;
	const char *p = schedule;
	if (!p || !*p)
		return 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char **more = realloc(s->ent, (size_t)(s->nent + 1) * sizeof *s->ent);
		if (!more)
			return -1;
		s->ent = more;
		if (!(s->ent[s->nent] = strndup(p, n)))
			return -1;
		s->nent++;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

void sched_free(struct sched *s)
{
	for (int i = 0; i < s->nent; i++)
		free(s->ent[i]);
	free(s->ent);
	s->ent = NULL;
	s->nent = s->pos = 0;
}

int sched_resolve(const struct model *m, const char *name)
{
	for (int i = 0; i < m->nw; i++)
		if (m->w[i].declared && strcmp(m->w[i].name, name) == 0)
			return i;
	char *end;
	long k = strtol(name, &end, 10);
	if (*name && *end == '\0' && k >= 0 && k < m->nw && m->w[k].declared)
		return (int)k;
	return -1;
}

enum sched_entry sched_peek(const struct sched *s, const struct model *m,
                            char *target, size_t tn, int *sig)
{
	if (s->pos >= s->nent)
		return SCHED_NONE;
	const char *ent = s->ent[s->pos];
	if (strcmp(ent, "rest") == 0)
		return SCHED_REST;
	if (strcmp(ent, "key") == 0 && sched_resolve(m, "key") < 0)
		return SCHED_KEY; /* unless a worker is named key */
	if (signal_entry(ent, strlen(ent), target, tn, sig))
		return SCHED_SIGNAL;
	return SCHED_WORKER;
}

void sched_consume(struct sched *s)
{
	if (s->pos < s->nent)
		s->pos++;
}

/* ---- the policy ---- */

/* splitmix64: small, seeded, the same everywhere */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int sched_policy(struct sched *s, const struct model *m)
{
	int n = m->nw;
	if (n <= 0)
		return -1;
	if (s->policy == LS_SCHED_SEED) {
		int count = 0;
		for (int i = 0; i < n; i++)
			count += model_eligible(m, i);
		if (count == 0)
			return -1;
		int k = (int)(rng_next(&s->rng) % (uint64_t)count);
		for (int i = 0; i < n; i++)
			if (model_eligible(m, i) && k-- == 0)
				return i;
		return -1;
	}
	int start = s->rr_next >= 0 ? s->rr_next % n : 0;
	for (int j = 0; j < n; j++) {
		int i = (start + j) % n;
		if (model_eligible(m, i))
			return i;
	}
	return -1;
}

int sched_policy_peek(const struct sched *s, const struct model *m)
{
	struct sched copy = *s; /* the policy reads no entry: a shallow copy will do */
	return sched_policy(&copy, m);
}

int sched_pick(struct sched *s, const struct model *m, char *why, size_t n)
{
	char target[LS_NAME_MAX];
	int sig;
	if (sched_peek(s, m, target, sizeof target, &sig) == SCHED_WORKER) {
		const char *ent = s->ent[s->pos];
		int id = sched_resolve(m, ent);
		if (id < 0) {
			snprintf(why, n, _("schedule entry %d: no worker named '%s'"), s->pos + 1, ent);
			return -2;
		}
		if (!model_eligible(m, id)) {
			char reason[160];
			snprintf(why, n, _("schedule entry %d: %s"), s->pos + 1,
			         sched_why_not(m, id, reason, sizeof reason));
			return -2;
		}
		s->pos++;
		return id;
	}
	return sched_policy(s, m);
}

void sched_granted(struct sched *s, int id)
{
	s->rr_next = id + 1;
}

/* ---- why not ---- */

/* The first waiter on o for the same operation whose wait is over, or -1. */
static int first_woken(const struct model *m, const struct m_object *o, int op)
{
	for (int i = 0; i < o->nwaiters; i++)
		if (m->w[o->waiters[i]].wait_op == op && model_woken(m, o->waiters[i]))
			return o->waiters[i];
	return -1;
}

const char *sched_why_not(const struct model *m, int id, char *buf, size_t n)
{
	const struct m_worker *w = model_worker(m, id);
	if (!w || !w->declared) {
		snprintf(buf, n, _("no worker %d"), id);
		return buf;
	}
	const struct m_object *o = model_object(m, w->wait_obj);
	if (!model_live(m, id))
		snprintf(buf, n, _("%s cannot move: it is %s"), w->name, _(model_state_name(w->state)));
	else if (o && o->owner >= 0 && unit_wait_rule(w->wait_op, o->kind) &&
	         unit_wait_rule(w->wait_op, o->kind)->who == UNIT_BY_OWNER) /* a lock's owner */
		snprintf(buf, n, _("%s cannot move: it waits for %s, held by %s"), w->name, o->name,
		         model_worker_name(m, o->owner));
	else if (o && first_woken(m, o, w->wait_op) >= 0)
		/* something is free, and lockstep hands it over first come, first
		 * served */
		snprintf(buf, n, _("%s cannot move: it waits for %s, and %s is first in line"), w->name,
		         o->name, model_worker_name(m, first_woken(m, o, w->wait_op)));
	else if (o)
		snprintf(buf, n, _("%s cannot move: it waits for %s"), w->name, o->name);
	else if (w->wait_op == LS_OP_JOIN)
		snprintf(buf, n, _("%s cannot move: it waits for %s to end"), w->name,
		         model_worker_name(m, w->wait_worker));
	else if (model_state(m, id) == LS_WS_TIMED_WAITING && m->mode == LS_MODE_STEP &&
	         w->gate == LS_GATE_PARKED && w->deadline > 0)
		/* the virtual clock moves only when nobody can: say so, or the
		 * class presses the sleeper's key again and again */
		snprintf(buf, n, _("%s cannot move: it is TIMED_WAITING until %.2f s; time passes "
		                   "when no other worker can move (step them, or press s)"),
		         w->name, (double)w->deadline / 1e9);
	else if (model_state(m, id) != LS_WS_RUNNABLE)
		snprintf(buf, n, _("%s cannot move: it is %s"), w->name,
		         _(model_state_name(model_state(m, id))));
	else
		snprintf(buf, n, _("%s cannot move now"), w->name);
	return buf;
}
