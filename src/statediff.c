/* statediff: two states described and paired. See statediff.h. */
#include "statediff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "i18n.h"
#include "unit.h"

struct buf {
	char *s;
	size_t len, cap;
};

static void cat(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void cat(struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t k = (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1;
	if (b->len + k + 1 > b->cap) {
		size_t c = b->cap ? b->cap * 2 : 512;
		while (c < b->len + k + 1)
			c *= 2;
		char *m = realloc(b->s, c);
		if (!m)
			abort(); /* as the model does */
		b->s = m;
		b->cap = c;
	}
	memcpy(b->s + b->len, tmp, k + 1);
	b->len += k;
}

char *statediff_describe(const struct model *m)
{
	struct buf b = {0};
	for (int i = 0; i < m->nw; i++) {
		const struct m_worker *w = &m->w[i];
		if (!w->declared)
			continue;
		cat(&b, "w\t%s\t%s %s", w->name, model_state_name(model_state(m, i)),
		    event_op_name(w->op));
		if (w->op_obj >= 0)
			cat(&b, "(%s)", model_object_name(m, w->op_obj));
		for (int k = 0; k < w->nholds; k++)
			cat(&b, "%s%s", k ? "," : _(" holds "), model_object_name(m, w->holds[k]));
		if (w->wait_obj >= 0 && !model_woken(m, i))
			cat(&b, _(" waits for %s"), model_object_name(m, w->wait_obj));
		cat(&b, "\n");
	}
	for (int i = 0; i < m->no; i++) {
		const struct m_object *o = &m->o[i];
		if (!o->declared)
			continue;
		cat(&b, "o\t%s\t", o->name);
		char holders[256];
		const struct unit_kind *uk = unit_kind(o->kind);
		if (uk->say_holders)
			cat(&b, "%s", uk->say_holders(m, i, holders, sizeof holders) ? holders : _("free"));
		else if (o->kind == LS_OBJ_MUTEX || o->kind == LS_OBJ_RLOCK)
			cat(&b, o->owner >= 0 ? _("held by %s") : _("free%s"),
			    o->owner >= 0 ? model_worker_name(m, o->owner) : "");
		else
			cat(&b, _("value %lld"), (long long)o->value);
		if (o->nitems)
			cat(&b, _(" items %d"), o->nitems);
		for (int k = 0; k < o->nwaiters; k++)
			cat(&b, "%s%s", k ? "," : _(" waiters "), model_worker_name(m, o->waiters[k]));
		cat(&b, "\n");
	}
	if (!b.s) {
		b.s = strdup("");
		if (!b.s)
			abort();
	}
	return b.s;
}

/* A description's lines: kind, name and words. */
struct line {
	char kind;
	const char *name, *text;
	int name_len, text_len;
	int used;
};

static struct line *lines_of(const char *s, size_t *n)
{
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == '\n';
	struct line *l = calloc(cap, sizeof *l);
	*n = 0;
	if (!l)
		return NULL;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		const char *t1 = memchr(s, '\t', len);
		const char *t2 = t1 ? memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - s)) : NULL;
		if (t1 && t2) {
			struct line *x = &l[(*n)++];
			x->kind = *s;
			x->name = t1 + 1;
			x->name_len = (int)(t2 - t1 - 1);
			x->text = t2 + 1;
			x->text_len = (int)(len - (size_t)(t2 + 1 - s));
		}
		s += len + (e != NULL);
	}
	return l;
}

static int same_name(const struct line *x, const struct line *y)
{
	return x->kind == y->kind && x->name_len == y->name_len &&
	       memcmp(x->name, y->name, (size_t)x->name_len) == 0;
}

int statediff_table(const char *a, const char *b, struct sd_table *t)
{
	memset(t, 0, sizeof *t);
	size_t na, nb;
	struct line *la = lines_of(a, &na), *lb = lines_of(b, &nb);
	t->rows = calloc(na + nb + 1, sizeof *t->rows);
	if (!la || !lb || !t->rows) {
		free(la);
		free(lb);
		free(t->rows);
		t->rows = NULL;
		return -1;
	}
	/* A's rows in A's order, each with B's row of the same name; a name
	 * both runs have is paired however far apart it is in the other */
	for (size_t i = 0; i < na; i++) {
		struct sd_row *r = &t->rows[t->n++];
		r->kind = la[i].kind;
		r->name = la[i].name;
		r->name_len = la[i].name_len;
		r->a = la[i].text;
		r->a_len = la[i].text_len;
		for (size_t j = 0; j < nb; j++)
			if (!lb[j].used && same_name(&la[i], &lb[j])) {
				lb[j].used = 1;
				r->b = lb[j].text;
				r->b_len = lb[j].text_len;
				break;
			}
	}
	for (size_t j = 0; j < nb; j++)
		if (!lb[j].used) {
			struct sd_row *r = &t->rows[t->n++];
			r->kind = lb[j].kind;
			r->name = lb[j].name;
			r->name_len = lb[j].name_len;
			r->b = lb[j].text;
			r->b_len = lb[j].text_len;
		}
	for (size_t i = 0; i < t->n; i++) {
		struct sd_row *r = &t->rows[i];
		r->same = r->a && r->b && r->a_len == r->b_len &&
		          memcmp(r->a, r->b, (size_t)r->a_len) == 0;
		t->differ += !r->same;
	}
	free(la);
	free(lb);
	return 0;
}

void statediff_table_free(struct sd_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = t->differ = 0;
}
