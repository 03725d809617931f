/* diff: two recordings compared step by step. See diff.h. */
#include "diff.h"

#include <stdarg.h>
#include <stdlib.h>
#include <wchar.h>
#include <string.h>

#include "engine.h"
#include "i18n.h"
#include "model.h"
#include "record.h"

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

static size_t cat(char **s, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static size_t cat(char **s, size_t *len, size_t *cap, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return *len;
	size_t k = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
	if (*len + k + 1 > *cap) {
		size_t c = *cap ? *cap * 2 : 512;
		while (c < *len + k + 1)
			c *= 2;
		char *m = realloc(*s, c);
		if (!m)
			abort();
		*s = m;
		*cap = c;
	}
	memcpy(*s + *len, buf, k + 1);
	*len += k;
	return *len;
}

/* The state as text: "name\tSTATE op(obj) holds A,B waits C\n" a line each. */
static char *describe_state(const struct model *m)
{
	char *s = NULL;
	size_t len = 0, cap = 0;
	for (int i = 0; i < m->nw; i++) {
		const struct m_worker *w = &m->w[i];
		if (!w->declared)
			continue;
		cat(&s, &len, &cap, "%s\t%s %s", w->name, model_state_name(model_state(m, i)),
		    event_op_name(w->op));
		if (w->op_obj >= 0)
			cat(&s, &len, &cap, "(%s)", model_object_name(m, w->op_obj));
		for (int k = 0; k < w->nholds; k++)
			cat(&s, &len, &cap, "%s%s", k ? "," : _(" holds "), model_object_name(m, w->holds[k]));
		if (w->wait_obj >= 0 && !model_woken(m, i))
			cat(&s, &len, &cap, _(" waits for %s"), model_object_name(m, w->wait_obj));
		cat(&s, &len, &cap, "\n");
	}
	for (int i = 0; i < m->no; i++) {
		const struct m_object *o = &m->o[i];
		if (!o->declared)
			continue;
		cat(&s, &len, &cap, "%s\t", o->name);
		if (o->kind == LS_OBJ_MUTEX || o->kind == LS_OBJ_RLOCK)
			cat(&s, &len, &cap, o->owner >= 0 ? _("held by %s") : _("free%s"),
			    o->owner >= 0 ? model_worker_name(m, o->owner) : "");
		else
			cat(&s, &len, &cap, _("value %lld"), (long long)o->value);
		if (o->nitems)
			cat(&s, &len, &cap, _(" items %d"), o->nitems);
		for (int k = 0; k < o->nwaiters; k++)
			cat(&s, &len, &cap, "%s%s", k ? "," : _(" waiters "),
			    model_worker_name(m, o->waiters[k]));
		cat(&s, &len, &cap, "\n");
	}
	return s ? s : strdup("");
}

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
			mo->text = describe_state(&m);
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

/* The two states side by side: a row per name, A's words and B's. */
static void side_by_side(FILE *out, const char *a, const char *b)
{
	fprintf(out, "  %12s %-40s %s\n", "", "A", "B");
	const char *p = a, *q = b;
	while (*p || *q) {
		const char *pe = strchr(p, '\n'), *qe = strchr(q, '\n');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p), ql = qe ? (size_t)(qe - q) : strlen(q);
		const char *pt = memchr(p, '\t', pl), *qt = memchr(q, '\t', ql);
		const char *name = pt ? p : q;
		int nl = pt ? (int)(pt - p) : qt ? (int)(qt - q) : 0;
		const char *av = pt ? pt + 1 : "", *bv = qt ? qt + 1 : "";
		int al = pt ? (int)(pl - (size_t)(pt - p) - 1) : 0, bl = qt ? (int)(ql - (size_t)(qt - q) - 1) : 0;
		int same = al == bl && memcmp(av, bv, (size_t)al) == 0;
		fprintf(out, "%c ", same ? ' ' : '*');
		cell(out, name, (size_t)nl, 12);
		fputc(' ', out);
		cell(out, av, (size_t)al, 40);
		fputc(' ', out);
		cell(out, bv, (size_t)bl, 0);
		fputc('\n', out);
		p = pe ? pe + 1 : p + pl;
		q = qe ? qe + 1 : q + ql;
	}
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
