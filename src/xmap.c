/* xmap: the explorer's feed read back, and the map's tree. See xmap.h. */
#include "xmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

void xfeed_init(struct xfeed *f)
{
	memset(f, 0, sizeof *f);
	f->bound = -1;
	f->cost = -1;
	f->node = malloc(64 * sizeof *f->node);
	if (!f->node)
		abort();
	f->cap = 64;
	f->nnodes = 1;
	f->node[0] = (struct xnode){.parent = -1, .child = -1, .next = -1, .name = -1,
	                            .leaf = -1, .value = INT64_MIN, .hit_dist = -1, .open = 1};
}

void xfeed_free(struct xfeed *f)
{
	free(f->node);
	free(f->witness);
	free(f->steps);
	memset(f, 0, sizeof *f);
}

enum xclass xmap_class(const char *outcome, int hit)
{
	if (hit)
		return XC_HIT;
	static const char *const names[] = {[XC_FINISHED] = "finished", [XC_DEADLOCK] = "deadlock",
	                                    [XC_STALLED] = "stalled", [XC_CRASHED] = "crashed"};
	for (int c = XC_FINISHED; c <= XC_CRASHED; c++)
		if (strcmp(outcome, names[c]) == 0)
			return (enum xclass)c;
	return XC_OTHER;
}

/* Split a line at tabs into at most max fields; returns how many. */
static int fields(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

static int num(const char *s, long long *v)
{
	char *end;
	*v = strtoll(s, &end, 10);
	return end != s && *end == '\0' ? 0 : -1;
}

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s);
}

static int name_of(struct xfeed *f, const char *s, size_t len)
{
	for (int i = 0; i < f->nnames; i++)
		if (strlen(f->names[i]) == len && strncmp(f->names[i], s, len) == 0)
			return i;
	if (f->nnames == XMAP_NAMES || len >= XMAP_NAME)
		return -1;
	memcpy(f->names[f->nnames], s, len);
	f->names[f->nnames][len] = '\0';
	return f->nnames++;
}

static int child_named(const struct xfeed *f, int parent, int name)
{
	for (int c = f->node[parent].child; c >= 0; c = f->node[c].next)
		if (f->node[c].name == name)
			return c;
	return -1;
}

static int add_child(struct xfeed *f, int parent, int name)
{
	if (f->nnodes == f->cap) {
		int cap = f->cap * 2;
		struct xnode *n = realloc(f->node, (size_t)cap * sizeof *n);
		if (!n)
			abort();
		f->node = n;
		f->cap = cap;
	}
	int i = f->nnodes++;
	f->node[i] = (struct xnode){.parent = parent, .child = -1, .next = -1, .name = name,
	                            .depth = f->node[parent].depth + 1, .leaf = -1,
	                            .value = INT64_MIN, .hit_dist = -1};
	int *link = &f->node[parent].child; /* last among its siblings: the order first run */
	while (*link >= 0)
		link = &f->node[*link].next;
	*link = i;
	return i;
}

/* A run of the map: its path in the tree, counted along the way. */
static int add_run(struct xfeed *f, enum xclass c, int64_t value, const char *sched)
{
	if (f->tree_runs >= XMAP_RUNS_MAX) {
		f->dropped++;
		return 0;
	}
	/* the names first: a run with a name too many is not half added */
	for (const char *p = sched; *p;) {
		size_t len = strcspn(p, ",");
		if (name_of(f, p, len) < 0) {
			f->dropped++;
			return 0;
		}
		p += len + (p[len] == ',');
	}
	int at = 0;
	for (const char *p = sched; *p;) {
		size_t len = strcspn(p, ",");
		int nm = name_of(f, p, len);
		int ch = child_named(f, at, nm);
		at = ch >= 0 ? ch : add_child(f, at, nm);
		p += len + (p[len] == ',');
	}
	f->node[at].leaf = (int)c;
	f->node[at].value = value;
	int depth = f->node[at].depth;
	for (int i = at; i >= 0; i = f->node[i].parent) {
		struct xnode *n = &f->node[i];
		n->n[c]++;
		if (c == XC_HIT && (n->hit_dist < 0 || depth - n->depth < n->hit_dist))
			n->hit_dist = depth - n->depth;
	}
	f->tree_runs++;
	return 0;
}

int xfeed_line(struct xfeed *f, char *line)
{
	char *v[8];
	int n = fields(line, v, 8);
	long long a[6];
	int ok = 0;
	if (strcmp(v[0], "progress") == 0 && n == 7) {
		ok = 1;
		for (int i = 0; i < 6; i++)
			ok &= num(v[i + 1], &a[i]) == 0;
		if (ok) {
			f->runs = (uint64_t)a[0];
			f->ms = (long)a[1];
			f->states = (uint64_t)a[2];
			f->found = (int)a[3];
			f->cost = (int)a[4];
			f->level = (int)a[5];
		}
	} else if (strcmp(v[0], "run") == 0 && n == 5) {
		ok = num(v[2], &a[0]) == 0 && (strcmp(v[3], "-") == 0 || num(v[3], &a[1]) == 0);
		if (ok)
			add_run(f, xmap_class(v[1], (int)a[0]),
			        strcmp(v[3], "-") == 0 ? INT64_MIN : (int64_t)a[1], v[4]);
	} else if (strcmp(v[0], "outcome") == 0 && n == 3) {
		ok = num(v[2], &a[0]) == 0 && f->noutcomes < XC_COUNT + 4;
		if (ok) {
			copy(f->outcome_name[f->noutcomes], sizeof f->outcome_name[0], v[1]);
			f->outcome_n[f->noutcomes++] = (uint64_t)a[0];
		}
	} else if (strcmp(v[0], "witness") == 0 && n == 6) {
		ok = num(v[1], &a[0]) == 0 && num(v[2], &a[1]) == 0 && num(v[3], &a[2]) == 0;
		if (ok) {
			free(f->witness);
			f->witness = strdup(v[5]);
			if (!f->witness)
				abort();
			f->witlen = (int)a[0];
			f->witcost = (int)a[1];
			f->witrun = (uint64_t)a[2];
			copy(f->witout, sizeof f->witout, v[4]);
			f->nsteps = 0;
		}
	} else if (strcmp(v[0], "step") == 0 && n == 6) {
		ok = 1;
		struct xstep_text *s = realloc(f->steps, (size_t)(f->nsteps + 1) * sizeof *s);
		if (!s)
			abort();
		f->steps = s;
		s += f->nsteps++;
		copy(s->w, sizeof s->w, v[1]);
		copy(s->op, sizeof s->op, v[2]);
		copy(s->obj, sizeof s->obj, v[3]);
		copy(s->pre, sizeof s->pre, v[4]);
		copy(s->held, sizeof s->held, v[5]);
	} else if (strcmp(v[0], "summary") == 0 && n == 2) {
		ok = 1;
		copy(f->summary, sizeof f->summary, v[1]);
	} else if (strcmp(v[0], "result") == 0 && n == 5) {
		ok = num(v[2], &a[0]) == 0 && num(v[3], &a[1]) == 0 && num(v[4], &a[2]) == 0;
		if (ok) {
			f->complete = a[2] != 0;
			copy(f->result, sizeof f->result, v[1]);
			f->runs = (uint64_t)a[0];
			f->bound = (int)a[1];
			f->done = 1;
		}
	}
	if (!ok)
		f->bad++;
	return ok ? 0 : -1;
}

int xmap_find(const struct xfeed *f, const char *schedule)
{
	int at = 0;
	for (const char *p = schedule; *p && at >= 0;) {
		size_t len = strcspn(p, ",");
		int nm = -1;
		for (int i = 0; i < f->nnames; i++)
			if (strlen(f->names[i]) == len && strncmp(f->names[i], p, len) == 0)
				nm = i;
		at = nm < 0 ? -1 : child_named(f, at, nm);
		p += len + (p[len] == ',');
	}
	return at;
}

uint32_t xmap_total(const struct xnode *n)
{
	uint32_t t = 0;
	for (int c = 0; c < XC_COUNT; c++)
		t += n->n[c];
	return t;
}

/* A row begins at s and runs down its only children. */
static int chain_end(const struct xfeed *f, int s)
{
	while (f->node[s].leaf < 0 && f->node[s].child >= 0 && f->node[f->node[s].child].next < 0)
		s = f->node[s].child;
	return s;
}

static int rows_of(const struct xfeed *f, int parent, int indent, struct xrow *rows, int k, int max)
{
	for (int c = f->node[parent].child; c >= 0 && k < max; c = f->node[c].next) {
		int last = chain_end(f, c);
		rows[k++] = (struct xrow){c, last, indent};
		if (f->node[last].open)
			k = rows_of(f, last, indent + 1, rows, k, max);
	}
	return k;
}

int xmap_rows(const struct xfeed *f, struct xrow *rows, int max)
{
	return rows_of(f, 0, 0, rows, 0, max);
}

void xmap_reveal(struct xfeed *f, int i)
{
	for (i = i >= 0 ? f->node[i].parent : -1; i >= 0; i = f->node[i].parent)
		f->node[i].open = 1;
}

/* The node after i in depth-first order, wrapping to the root. */
static int preorder_next(const struct xfeed *f, int i)
{
	if (f->node[i].child >= 0)
		return f->node[i].child;
	for (; i >= 0; i = f->node[i].parent)
		if (f->node[i].next >= 0)
			return f->node[i].next;
	return 0;
}

int xmap_next_leaf(const struct xfeed *f, int after, enum xclass c)
{
	int i = after >= 0 && after < f->nnodes ? after : 0;
	for (int k = 0; k < f->nnodes; k++) {
		i = preorder_next(f, i);
		if (f->node[i].leaf == (int)c)
			return i;
	}
	return -1;
}

char *xmap_schedule(const struct xfeed *f, int i)
{
	size_t len = 1;
	for (int k = i; k > 0; k = f->node[k].parent)
		len += strlen(f->names[f->node[k].name]) + 1;
	char *s = malloc(len);
	if (!s)
		abort();
	size_t end = len - 1;
	s[end] = '\0';
	for (int k = i; k > 0; k = f->node[k].parent) {
		const char *nm = f->names[f->node[k].name];
		size_t l = strlen(nm);
		if (end < len - 1)
			s[--end] = ',';
		end -= l;
		memcpy(s + end, nm, l);
	}
	if (end > 0) /* the root's own schedule is "" */
		memmove(s, s + end, len - end);
	return s;
}

const char *xmap_preemption_text(const struct model *m, int next, int prev, char *buf, size_t n)
{
	buf[0] = '\0';
	if (prev < 0 || prev == next || !model_worker(m, prev) || !model_worker(m, next) ||
	    !model_eligible(m, prev))
		return buf;
	const struct m_worker *p = &m->w[prev];
	if (p->nholds > 0)
		snprintf(buf, n, _("here %s is switched in while %s holds %s"), model_worker_name(m, next),
		         model_worker_name(m, prev), model_object_name(m, p->holds[0]));
	else
		snprintf(buf, n, _("here %s is switched in while %s could go on"),
		         model_worker_name(m, next), model_worker_name(m, prev));
	return buf;
}
