/* ui_kernel: the kernel's view beside lockstep's, a narrow column of the
 * workers pane: the state letter of /proc/<pid>/task/<tid>/stat (R, S, D, T,
 * Z) and, where the column is wide enough, the wait channel. The reading
 * itself (kernel.c, through engine_kernel_refresh) is taken by app.c only
 * when a frame is drawn, at most a few times a second; this file only draws
 * it and says whether a re-read is worth it soon.
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
	return room >= 40 ? 6 : 0;
}

const char *ui_kernel_title(void)
{
	return _("kernel");
}

void ui_kernel_cell(const struct ui_ctx *c, int y, int x, int w, int id)
{
	if (!c->kv || w <= 0 || id < 0 || id >= c->kv->n)
		return;
	const struct kstate *k = &c->kv->w[id];
	if (!k->state) {
		draw_text(y, x, w, draw_glyph(G_DOT), TH_DIM);
		return;
	}
	char want = kernel_expected(c->m, id);
	int role = k->state == 'Z' ? TH_ZOMBIE : want && want != k->state ? TH_HINT : TH_DIM;
	char buf[64];
	if (w > 8 && k->wchan[0] && k->wchan[0] != '0')
		snprintf(buf, sizeof buf, "%c %s", k->state, k->wchan);
	else
		snprintf(buf, sizeof buf, "%c", k->state);
	char clip[96];
	text_clip(buf, w, clip, sizeof clip);
	draw_text(y, x, w, clip, role);
}

int ui_kernel_pending(const struct model *m, const struct kview *kv)
{
	if (!kv || !m)
		return 0;
	for (int i = 0; i < m->nw && i < kv->n; i++) {
		char want = kernel_expected(m, i);
		/* caught between announcing a wait (or its exit) and entering it */
		if (want && kv->w[i].state && kv->w[i].state != want &&
		    (kv->w[i].state == 'R' || want == 'Z'))
			return 1;
	}
	return 0;
}
