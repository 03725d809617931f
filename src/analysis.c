/* analysis: deadlock cycle and stall detection over the model. */
#include "analysis.h"

#include <stdlib.h>
#include <string.h>

/* The single worker a blocked worker waits for, and through which object
 * (-1 when the edge is a join). Returns -1 when the wait is not definite. */
static int waits_for(const struct model *m, int id, int *via)
{
	const struct m_worker *w = model_worker(m, id);
	*via = -1;
	if (!w || !model_blocked(m, id))
		return -1;
	if (w->wait_op == LS_OP_JOIN)
		return w->wait_worker;
	const struct m_object *o = model_object(m, w->wait_obj);
	if (!o)
		return -1;
	if ((o->kind == LS_OBJ_MUTEX || o->kind == LS_OBJ_RLOCK) && o->owner >= 0) {
		*via = w->wait_obj;
		return o->owner;
	}
	return -1;
}

void analysis_run(const struct model *m, struct analysis *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < m->nw; i++) {
		if (!model_live(m, i))
			continue;
		a->live++;
		const struct m_worker *w = &m->w[i];
		if (model_eligible(m, i))
			a->eligible++;
		else if (model_blocked(m, i)) {
			a->blocked++;
			if (w->deadline > 0)
				a->timed++;
		} else if (w->gate == LS_GATE_MOVING || w->gate == LS_GATE_KERNEL)
			a->moving++;
	}
	a->stalled = a->live > 0 && a->blocked == a->live && a->timed == 0;

	/* Each blocked worker has at most one outgoing edge: walk from each
	 * start, colouring by start index; meeting our own colour is a cycle.
	 * Report the cycle that contains the lowest worker id, rotated to start
	 * there, so the answer is the same on every run. */
	if (m->nw == 0)
		return;
	int *mark = calloc((size_t)m->nw, sizeof *mark);
	if (!mark)
		return;
	int best = -1;
	for (int s = 0; s < m->nw && best < 0; s++) {
		if (mark[s])
			continue;
		int cur = s, via;
		while (cur >= 0 && cur < m->nw && !mark[cur]) {
			mark[cur] = s + 1;
			cur = waits_for(m, cur, &via);
		}
		if (cur >= 0 && cur < m->nw && mark[cur] == s + 1) {
			/* cur is on a cycle: find its lowest id */
			int lo = cur, x = cur;
			do {
				x = waits_for(m, x, &via);
				if (x < lo)
					lo = x;
			} while (x != cur);
			best = lo;
		}
	}
	free(mark);
	if (best < 0)
		return;
	int x = best, n = 0;
	do {
		int via;
		int next = waits_for(m, x, &via);
		if (n + 2 > 2 * LS_CYCLE_MAX)
			break;
		a->cycle[n++] = (struct ls_node){0, x};
		if (via >= 0)
			a->cycle[n++] = (struct ls_node){1, via};
		x = next;
	} while (x != best);
	a->ncycle = n;
	a->deadlock = 1;
}

int analysis_in_cycle(const struct analysis *a, int is_object, int id)
{
	for (int i = 0; i < a->ncycle; i++)
		if (a->cycle[i].is_object == is_object && a->cycle[i].id == id)
			return 1;
	return 0;
}
