/* diff: two recordings compared step by step. See diff.h. */
#include "diff.h"

#include <stdlib.h>
#include <wchar.h>
#include <string.h>

#include "engine.h"
#include "i18n.h"
#include "model.h"
#include "record.h"
#include "statediff.h"

/* One settled moment of a run: the step, who moved in it, and a line per
 * worker and per object (tab-separated, for the side-by-side table). */
struct moment {
	uint64_t step;
	int mover;
	char mover_name[LS_NAME_MAX];
	char *text;
};

struct run {
	const char *path;
	struct rec_file f;
	struct moment *mo;
	size_t n, cap;
	int outcome;
	char scene[64];
	char err[600];
};

static int load(struct run *r, char *err, size_t errlen)
{
	if (rec_file_open(&r->f, r->path, err, errlen) != 0)
		return -1;
	snprintf(r->scene, sizeof r->scene, "%s", r->f.rd.h.scene);
	struct model m;
	model_init(&m);
	struct rec_item *it = malloc(sizeof *it);
	if (!it)
		abort();
	int mover = -1;
	r->outcome = LS_OUT_NONE;
	for (;;) {
		enum rec_kind k = rec_next(&r->f.rd, it);
		if (k == REC_K_EVENT) {
			model_apply(&m, &it->ev);
			if (it->ev.type == LS_EV_GRANT)
				mover = it->ev.worker;
		} else if (k == REC_K_SETTLED) {
			if (r->n == r->cap) {
				r->cap = r->cap ? r->cap * 2 : 64;
				r->mo = realloc(r->mo, r->cap * sizeof *r->mo);
				if (!r->mo)
					abort();
			}
			struct moment *mo = &r->mo[r->n++];
			mo->step = m.steps;
			mo->mover = mover;
			snprintf(mo->mover_name, sizeof mo->mover_name, "%s",
			         mover >= 0 ? model_worker_name(&m, mover) : "-");
			mo->text = statediff_describe(&m);
		} else if (k == REC_K_END) {
			r->outcome = (int)it->a[0];
		} else if (k == REC_K_BAD) {
			snprintf(err, errlen, "%s: %s", r->path, r->f.rd.err);
			free(it);
			model_free(&m);
			return -1;
		} else if (k == REC_K_EOF) {
			break;
		}
	}
	free(it);
	model_free(&m);
	return 0;
}

static void unload(struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->mo[i].text);
	free(r->mo);
	rec_file_close(&r->f);
}

/* Print n bytes of s padded with blanks to `cols` display columns (a
 * worker named 司机 takes four, not six): the table's columns line up in
 * any language. */
static void cell(FILE *out, const char *s, size_t n, int cols)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int w = 0;
	size_t i = 0;
	while (i < n) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &st);
		if (k == (size_t)-1 || k == (size_t)-2) { /* not UTF-8 here: a byte a column */
			memset(&st, 0, sizeof st);
			k = 1;
			wc = '?';
		} else if (k == 0) {
			break;
		}
		int cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		i += k;
	}
	fwrite(s, 1, i, out);
	for (; w < cols; w++)
		fputc(' ', out);
}

/* The two states side by side: a row per name, A's words and B's ("-"
 * where that run has no such worker or object). */
static void side_by_side(FILE *out, const char *a, const char *b)
{
	struct sd_table t;
	if (statediff_table(a, b, &t) != 0)
		abort();
	fprintf(out, "  %12s %-40s %s\n", "", "A", "B");
	for (size_t i = 0; i < t.n; i++) {
		const struct sd_row *r = &t.rows[i];
		fprintf(out, "%c ", r->same ? ' ' : '*');
		cell(out, r->name, (size_t)r->name_len, 12);
		fputc(' ', out);
		cell(out, r->a ? r->a : "-", r->a ? (size_t)r->a_len : 1, 40);
		fputc(' ', out);
		cell(out, r->b ? r->b : "-", r->b ? (size_t)r->b_len : 1, 0);
		fputc('\n', out);
	}
	statediff_table_free(&t);
}

int diff_recordings(const char *a, const char *b, FILE *out)
{
	struct run ra = {.path = a}, rb = {.path = b};
	char err[1024];
	if (load(&ra, err, sizeof err) != 0 || load(&rb, err, sizeof err) != 0) {
		fprintf(stderr, "lockstep: %s\n", err);
		unload(&ra);
		unload(&rb);
		return 1;
	}
	fprintf(out, _("A: %s (%s, %zu steps settled)\nB: %s (%s, %zu steps settled)\n"), a, ra.scene,
	        ra.n, b, rb.scene, rb.n);
	int rc = 0;
	if (strcmp(ra.scene, rb.scene) != 0) {
		fprintf(out, "%s\n", _("They are runs of different scenes."));
		rc = 1;
	} else {
		size_t i = 0;
		while (i < ra.n && i < rb.n && ra.mo[i].step == rb.mo[i].step &&
		       strcmp(ra.mo[i].text, rb.mo[i].text) == 0)
			i++;
		if (i == ra.n && i == rb.n) {
			fprintf(out, "%s\n", _("The same settled states at every step."));
		} else {
			rc = 1;
			if (i > 0)
				fprintf(out, _("The same up to step %llu.\n"), (unsigned long long)ra.mo[i - 1].step);
			else
				fprintf(out, "%s\n", _("They differ from the start."));
			if (i < ra.n && i < rb.n) {
				fprintf(out, _("They part at step %llu: A stepped %s, B stepped %s.\n"),
				        (unsigned long long)ra.mo[i].step, ra.mo[i].mover_name,
				        rb.mo[i].mover_name);
				side_by_side(out, ra.mo[i].text, rb.mo[i].text);
			} else {
				const struct run *longer = i < ra.n ? &ra : &rb;
				fprintf(out, _("%s ends there; %s goes on to step %llu.\n"),
				        longer == &ra ? "B" : "A", longer == &ra ? "A" : "B",
				        (unsigned long long)longer->mo[longer->n - 1].step);
			}
		}
	}
	fprintf(out, _("A ended: %s. B ended: %s.\n"), engine_outcome_name((enum ls_outcome)ra.outcome),
	        engine_outcome_name((enum ls_outcome)rb.outcome));
	unload(&ra);
	unload(&rb);
	return rc;
}
