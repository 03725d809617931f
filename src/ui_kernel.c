/* ui_kernel: the kernel's view beside lockstep's, a narrow column of the
 * workers pane: the state letter of /proc/<pid>/task/<tid>/stat (R, S, D, T,
 * Z) and, where the column is wide enough, the wait channel. The reading
 * itself (kernel.c, through engine_kernel_refresh) is taken by app.c only
 * when a frame is drawn, at most a few times a second; this file only draws
 * it and says whether a re-read is worth it soon. Each cell compares the
 * reading with the model now (kernel_verdict): an ended task shows —, a
 * reading older than the worker's last change …, a contradiction ≠ and a
 * sentence on the pane's border.
 */
#include <stdio.h>

#include "i18n.h"
#include "kernel.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

int ui_kernel_width(const struct ui_ctx *c, int room)
{
	if (!c->kv)
		return 0;
	if (room >= 120)
		return 24; /* letter and wait channel */
	return room >= 20 ? 6 : 0; /* the letter and a verdict mark */
}

const char *ui_kernel_title(void)
{
	return _("kernel");
}

void ui_kernel_cell(const struct ui_ctx *c, int y, int x, int w, int id)
{
	if (!c->kv || w <= 0)
		return;
	enum kverdict v = kernel_verdict(c->m, c->kv, id);
	switch (v) {
	case KV_UNKNOWN:
		draw_text(y, x, w, draw_glyph(G_DOT), TH_DIM);
		return;
	case KV_GONE: /* ended: no kernel state, whatever was read before */
		draw_text(y, x, w, draw_glyph(G_GONE), TH_DIM);
		return;
	case KV_STALE: /* read before its last change: a re-read is due */
		draw_text(y, x, w, draw_glyph(G_STALE), TH_DIM);
		return;
	default:
		break;
	}
	const struct kstate *k = &c->kv->w[id];
	char letter[8], buf[80], clip[96];
	if (k->state)
		snprintf(letter, sizeof letter, "%c", k->state);
	else
		snprintf(letter, sizeof letter, "%s", draw_glyph(G_GONE));
	int role = v == KV_DISAGREES ? TH_ALARM : v == KV_ON_ITS_WAY ? TH_HINT
	           : k->state == 'Z'  ? TH_ZOMBIE : TH_DIM;
	/* a contradiction is marked, not only coloured; the pane's border
	 * says what it is (ui_kernel_disagreement) */
	const char *mark = v == KV_DISAGREES ? draw_glyph(G_DIFFERS) : "";
	if (w > 8 && k->wchan[0] && k->wchan[0] != '0')
		snprintf(buf, sizeof buf, "%s%s %s", mark, letter, k->wchan);
	else
		snprintf(buf, sizeof buf, "%s%s", mark, letter);
	text_clip(buf, w, clip, sizeof clip);
	draw_text(y, x, w, clip, role);
}

int ui_kernel_pending(const struct model *m, const struct kview *kv)
{
	if (!kv || !m)
		return 0;
	for (int i = 0; i < m->nw && i < kv->n; i++) {
		enum kverdict v = kernel_verdict(m, kv, i);
		/* read before its last change, or caught between announcing a
		 * wait (or its exit) and entering it */
		if (v == KV_STALE || (v == KV_ON_ITS_WAY && kv->w[i].state))
			return 1;
	}
	return 0;
}

int ui_kernel_disagreement(const struct ui_ctx *c, char *buf, size_t n)
{
	int count = 0, first = -1;
	buf[0] = '\0';
	if (!c->kv)
		return 0;
	for (int i = 0; i < c->m->nw; i++)
		if (kernel_verdict(c->m, c->kv, i) == KV_DISAGREES && count++ == 0)
			first = i;
	if (!count)
		return 0;
	char what[256];
	kernel_disagreement(c->m, c->kv, first, what, sizeof what);
	if (count > 1)
		snprintf(buf, n, _(" %s kernel disagrees: %s (and %d more) "), draw_glyph(G_DIFFERS), what,
		         count - 1);
	else
		snprintf(buf, n, _(" %s kernel disagrees: %s "), draw_glyph(G_DIFFERS), what);
	return count;
}
