/* timeline: per-worker run-length state spans. See timeline.h. */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap * 2 : 16;
	while (c < need)
		c *= 2;
	void *q = realloc(p, c * elem);
	if (!q)
		abort(); /* as the model does: a strip is small */
	*cap = c;
	return q;
}

void timeline_init(struct timeline *t)
{
	memset(t, 0, sizeof *t);
}

void timeline_free(struct timeline *t)
{
	for (int i = 0; i < t->nw; i++) {
		free(t->w[i].s);
		free(t->w[i].mk);
	}
	free(t->w);
	free(t->step_at);
	free(t->col_t);
	memset(t, 0, sizeof *t);
}

static struct tl_strip *strip(struct timeline *t, int w)
{
	if (w < 0 || w >= LS_MAX_WORKERS)
		return NULL;
	if (w >= t->nw) {
		size_t cap = (size_t)t->capw;
		t->w = grow(t->w, &cap, (size_t)w + 1, sizeof *t->w);
		memset(t->w + t->nw, 0, ((size_t)w + 1 - (size_t)t->nw) * sizeof *t->w);
		t->capw = (int)cap;
		t->nw = w + 1;
	}
	return &t->w[w];
}

void timeline_close_column(struct timeline *t, const struct model *m)
{
	for (int i = 0; i < m->nw; i++) {
		if (!m->w[i].declared)
			continue;
		struct tl_strip *s = strip(t, i);
		if (!s)
			break;
		uint8_t st = (uint8_t)model_state(m, i);
		if (s->n > 0 && s->s[s->n - 1].state == st)
			continue; /* the span goes on */
		s->s = grow(s->s, &s->cap, s->n + 1, sizeof *s->s);
		s->s[s->n++] = (struct tl_span){t->now, st};
	}
	t->col_t = grow(t->col_t, &t->capcol, (size_t)t->now + 1, sizeof *t->col_t);
	t->col_t[t->now] = t->t_last;
	t->now++;
}

void timeline_note_time(struct timeline *t, uint64_t t_ns)
{
	if (!t->t_first)
		t->t_first = t_ns;
	if (t_ns > t->t_last) /* records of two threads may come a little out of order */
		t->t_last = t_ns;
}

long timeline_column_by_time(const struct timeline *t, uint64_t t_ns)
{
	size_t lo = 0, hi = t->now; /* the first column closed after t_ns */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->col_t[mid] <= t_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

uint64_t timeline_column_time(const struct timeline *t, uint32_t col)
{
	return col < t->now ? t->col_t[col] : t->t_last;
}

uint32_t timeline_time_cells(const struct timeline *t, uint64_t dt_ns)
{
	if (!t->t_first || dt_ns == 0)
		return 0;
	uint64_t n = (t->t_last - t->t_first) / dt_ns;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

void timeline_mark(struct timeline *t, int w, enum tl_mark kind)
{
	struct tl_strip *s = strip(t, w);
	if (!s)
		return;
	if (s->nm > 0 && s->mk[s->nm - 1].at == t->now) {
		s->mk[s->nm - 1].kinds |= (uint8_t)kind;
		return;
	}
	s->mk = grow(s->mk, &s->capm, s->nm + 1, sizeof *s->mk);
	s->mk[s->nm++] = (struct tl_markrec){t->now, (uint8_t)kind};
}

void timeline_note_step(struct timeline *t, uint64_t step)
{
	t->step_at = grow(t->step_at, &t->capsteps, (size_t)step + 1, sizeof *t->step_at);
	while (t->nsteps <= step)
		t->step_at[t->nsteps++] = t->now;
}

uint32_t timeline_column_of_step(const struct timeline *t, uint64_t k)
{
	return k < t->nsteps ? (uint32_t)t->step_at[k] : t->now;
}

size_t timeline_spans(const struct timeline *t, int w)
{
	return w >= 0 && w < t->nw ? t->w[w].n : 0;
}

int timeline_state_at(const struct timeline *t, int w, uint32_t at, size_t *hint)
{
	if (w < 0 || w >= t->nw || t->w[w].n == 0)
		return 0xff;
	const struct tl_strip *s = &t->w[w];
	size_t k = hint ? *hint : 0;
	if (k >= s->n || s->s[k].from > at) { /* binary search: the last span from <= at */
		size_t lo = 0, hi = s->n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (s->s[mid].from <= at)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			return 0xff;
		k = lo - 1;
	}
	while (k + 1 < s->n && s->s[k + 1].from <= at)
		k++;
	if (hint)
		*hint = k;
	return s->s[k].state;
}

unsigned timeline_marks_at(const struct timeline *t, int w, uint32_t at, size_t *hint)
{
	if (w < 0 || w >= t->nw || t->w[w].nm == 0)
		return 0;
	const struct tl_strip *s = &t->w[w];
	size_t k = hint ? *hint : 0;
	if (k >= s->nm || s->mk[k].at > at) {
		size_t lo = 0, hi = s->nm;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (s->mk[mid].at < at)
				lo = mid + 1;
			else
				hi = mid;
		}
		k = lo;
	}
	while (k < s->nm && s->mk[k].at < at)
		k++;
	if (hint)
		*hint = k;
	return k < s->nm && s->mk[k].at == at ? s->mk[k].kinds : 0;
}
