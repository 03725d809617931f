/* branches: the runs left behind, kept to look at. See branches.h. */
#include "branches.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "i18n.h"

void branches_init(struct branches *b, size_t limit)
{
	memset(b, 0, sizeof *b);
	b->limit = limit ? limit : BRANCHES_DEFAULT_BYTES;
}

static void let_go(struct kept_run *k)
{
	travel_free(&k->tr);
	timeline_free(&k->tl);
}

void branches_free(struct branches *b)
{
	for (int i = 0; i < b->n; i++)
		let_go(&b->k[i]);
	free(b->k);
	branches_init(b, b->limit);
}

size_t branches_bytes(const struct branches *b)
{
	size_t n = 0;
	for (int i = 0; i < b->n; i++) {
		n += sizeof b->k[i]; /* the model and analysis of the moment viewed: 190 KiB */
		n += b->k[i].tr.h ? history_bytes(b->k[i].tr.h) : 0;
		n += b->k[i].tr.log ? UI_LOG_N * sizeof *b->k[i].tr.log : 0; /* one shown */
	}
	return n;
}

struct kept_run *branches_keep(struct branches *b, struct travel *run, struct timeline *tl,
                               const struct ls_scene *scene, const long *params, int number,
                               enum kept_why why, const char *outcome)
{
	if (!run->h || (travel_steps(run) == 0 && travel_moments(run) <= 1))
		return NULL; /* nothing happened that one could look back at */
	if (b->n == b->cap) {
		int c = b->cap ? b->cap * 2 : 8;
		struct kept_run *k = realloc(b->k, (size_t)c * sizeof *k);
		if (!k)
			return NULL;
		b->k = k;
		b->cap = c;
	}
	struct kept_run *k = &b->k[b->n++];
	memset(k, 0, sizeof *k);
	k->tr = *run; /* the history moves over, frozen: a lesson's run is a few KiB, not a block */
	history_freeze(k->tr.h);
	travel_rest(&k->tr);
	k->tl = *tl;
	k->scene = scene;
	memcpy(k->params, params, sizeof k->params);
	k->number = number;
	k->why = why;
	uint64_t steps = travel_steps(run);
	snprintf(k->label, sizeof k->label, PL_("run %d: %llu step, %s", "run %d: %llu steps, %s", steps),
	         number, (unsigned long long)steps, outcome);
	/* the oldest go first; the one just kept always stays */
	while (b->n > 1 && branches_bytes(b) > b->limit) {
		let_go(&b->k[0]);
		memmove(&b->k[0], &b->k[1], (size_t)(b->n - 1) * sizeof b->k[0]);
		b->n--;
		b->dropped++;
	}
	return &b->k[b->n - 1];
}
