/* kernel: the kernel's view of each worker, from /proc. See kernel.h. */
#include "kernel.h"
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"

void kview_init(struct kview *kv)
{
	memset(kv, 0, sizeof *kv);
}

void kview_free(struct kview *kv)
{
	free(kv->w);
	memset(kv, 0, sizeof *kv);
}

int kernel_read(int64_t pid, int64_t tid, struct kstate *out)
{
	char path[64], buf[512];
	memset(out, 0, sizeof *out);
	if (pid <= 0 || tid <= 0)
		return -1;
	snprintf(path, sizeof path, "/proc/%lld/task/%lld/stat", (long long)pid, (long long)tid);
	if (procfs_read(path, buf, sizeof buf) <= 0)
		return -1;
	const char *rest = procfs_after_comm(buf);
	if (!rest)
		return -1;
	out->state = rest[0];
	snprintf(path, sizeof path, "/proc/%lld/task/%lld/wchan", (long long)pid, (long long)tid);
	if (procfs_read(path, buf, sizeof buf) > 0 && strcmp(buf, "0") != 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(out->wchan, sizeof out->wchan, "%.39s", buf);
	}
	return 0;
}

static void fit(struct kview *kv, int n)
{
	if (n > kv->cap) {
		struct kstate *w = realloc(kv->w, (size_t)n * sizeof *w);
		if (!w)
			abort();
		kv->w = w;
		kv->cap = n;
	}
	kv->n = n;
}

static void read_one(struct kview *kv, const struct model *m, int i)
{
	const struct m_worker *w = &m->w[i];
	struct kstate *k = &kv->w[i];
	memset(k, 0, sizeof *k);
	/* only tasks the scene started and nobody has reaped: a reaped pid or
	 * an ended thread's tid may already belong to someone else */
	if (w->declared && w->state != LS_WS_NEW && w->state != LS_WS_TERMINATED)
		kernel_read(w->pid, w->tid, k);
	k->read = 1;
	k->mstate = w->state;
	k->mgate = w->gate;
}

void kview_read(struct kview *kv, const struct model *m, uint64_t now_ns)
{
	fit(kv, m->nw);
	for (int i = 0; i < m->nw; i++)
		read_one(kv, m, i);
	kv->taken_ns = now_ns ? now_ns : 1;
	kv->lo = 0;
	kv->hi = m->nw;
}

int kview_refresh_window(struct kview *kv, const struct model *m, uint64_t now_ns,
                         uint64_t min_interval_ns, int lo, int hi)
{
	if (lo < 0)
		lo = 0;
	if (hi > m->nw)
		hi = m->nw;
	int same = kv->n == m->nw && kv->lo == lo && kv->hi == hi;
	if (kv->taken_ns && same && now_ns < kv->taken_ns + min_interval_ns)
		return 0;
	fit(kv, m->nw);
	for (int i = 0; i < m->nw; i++)
		if (i >= lo && i < hi)
			read_one(kv, m, i);
		else
			memset(&kv->w[i], 0, sizeof kv->w[i]); /* unread: shown as not known */
	kv->taken_ns = now_ns ? now_ns : 1;
	kv->lo = lo;
	kv->hi = hi;
	return 1;
}

char kernel_expected(const struct model *m, int id)
{
	const struct m_worker *w = model_worker(m, id);
	if (!w || !w->declared)
		return 0;
	if (w->state == LS_WS_ZOMBIE)
		return 'Z';
	if (!model_live(m, id))
		return 0;
	switch (w->gate) {
	case LS_GATE_READY:
	case LS_GATE_PARKED:
		return 'S'; /* waiting at its gate */
	case LS_GATE_KERNEL:
		return model_blocked(m, id) ? 'S' : 0; /* in the real primitive */
	default:
		return 0; /* moving: anything goes */
	}
}

enum kverdict kernel_verdict(const struct model *m, const struct kview *kv, int id)
{
	const struct m_worker *w = model_worker(m, id);
	if (!w || !w->declared || w->state == LS_WS_NEW || (!w->pid && !w->tid))
		return KV_UNKNOWN;
	if (w->state == LS_WS_TERMINATED)
		return KV_GONE; /* a thread that returned, a process reaped */
	if (!kv || !kv->taken_ns || id >= kv->n || !kv->w[id].read)
		return KV_UNKNOWN;
	const struct kstate *k = &kv->w[id];
	if (k->mstate != w->state || k->mgate != w->gate)
		return KV_STALE;
	if (!k->state) {
		/* lockstep has it alive, /proc has no such task: fine while it
		 * moves (its EXIT is on the bus) or while its parent is reaping
		 * it (the REAPED record is on its way); a contradiction else */
		const struct m_worker *p = model_worker(m, w->parent);
		if (w->gate == LS_GATE_MOVING || w->gate == LS_GATE_KERNEL ||
		    (w->state == LS_WS_ZOMBIE && p &&
		     (p->gate == LS_GATE_MOVING || p->gate == LS_GATE_KERNEL)))
			return KV_ON_ITS_WAY;
		return KV_DISAGREES;
	}
	char want = kernel_expected(m, id);
	if (!want || k->state == want)
		return KV_AGREES;
	/* between announcing a wait (or its exit) and getting there; a short
	 * uninterruptible sleep (a page fault) on the way counts as that too */
	if (k->state == 'R' || k->state == 'D' || (want == 'Z' && k->state == 'S'))
		return KV_ON_ITS_WAY;
	return KV_DISAGREES;
}

const char *kernel_disagreement(const struct model *m, const struct kview *kv, int id, char *buf,
                                size_t n)
{
	const struct m_worker *w = model_worker(m, id);
	buf[0] = '\0';
	if (!w || !kv || id >= kv->n)
		return buf;
	char k = kv->w[id].state;
	char want = kernel_expected(m, id);
	if (!k)
		snprintf(buf, n, _("lockstep has %s %s, but /proc has no such task: it ended unseen"),
		         w->name, _(model_state_name(w->state)));
	else if (want)
		snprintf(buf, n, _("lockstep has %s %s (the kernel should say %c, %s), the kernel says %c (%s)"),
		         w->name, _(model_state_name(w->state)), want, kernel_state_word(want), k,
		         kernel_state_word(k));
	else
		snprintf(buf, n, _("lockstep has %s %s, the kernel says %c (%s)"), w->name,
		         _(model_state_name(w->state)), k, kernel_state_word(k));
	return buf;
}

const char *kernel_verdict_key(enum kverdict v)
{
	switch (v) {
	case KV_UNKNOWN: return "unknown";
	case KV_GONE: return "gone";
	case KV_STALE: return "stale";
	case KV_AGREES: return "agrees";
	case KV_ON_ITS_WAY: return "on_its_way";
	case KV_DISAGREES: return "disagrees";
	}
	return "?";
}

void kview_read_settled(struct kview *kv, const struct model *m, uint64_t now_ns, int budget_ms)
{
	for (int tries = 0;; tries++) {
		kview_read(kv, m, now_ns);
		int pending = 0;
		/* a task that is gone will not come back; one still running
		 * toward the wait (or the exit) it announced soon gets there */
		for (int i = 0; i < m->nw; i++)
			pending |= kv->w[i].state && kernel_verdict(m, kv, i) == KV_ON_ITS_WAY;
		if (!pending || tries >= budget_ms)
			return;
		struct timespec ts = {0, 1000000}; /* 1 ms */
		nanosleep(&ts, NULL);
	}
}

const char *kernel_state_word(char state)
{
	switch (state) {
	case 'R': return _("running");
	case 'S': return _("sleeping");
	case 'D': return _("disk sleep");
	case 'T': return _("stopped");
	case 't': return _("traced");
	case 'Z': return _("zombie");
	case 'X': return _("dead");
	case 'I': return _("idle");
	case 'P': return _("parked");
	case 0: return _("gone");
	default: return "?";
	}
}

const char *kernel_note(int mode)
{
	if (mode == LS_MODE_STEP)
		return _("Controlled run: lockstep is the scheduler, so every worker waiting for its "
		         "turn sleeps on a futex at its gate and the kernel shows S for it, blocked or "
		         "not; lockstep's state says which of them are blocked. A zombie (Z) is a "
		         "process that has exited and that its parent has not reaped yet.");
	return _("Free run: the kernel is the scheduler. A worker blocked on a lock sleeps inside "
	         "the real primitive (S, in a futex wait), which is what a deadlock looks like to "
	         "the kernel: two sleeping threads, no error, forever. A zombie (Z) is a process "
	         "that has exited and that its parent has not reaped yet.");
}
