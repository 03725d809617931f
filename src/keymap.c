/* keymap: the key table and what it answers. See keymap.h. */
#include "keymap.h"

#include <string.h>

#include "i18n.h"
#include "ui_text.h"

const struct km_entry km_table[KM_COUNT - 1] = {
#define X(e, ctx, keys, bar, help, k1, k2, k3) {KM_##e, ctx, keys, bar, help, {k1, k2, k3}},
	LS_KEYMAP(X)
#undef X
};

enum km_action km_lookup(int key, int ctx, int *arg)
{
	for (size_t i = 0; i < sizeof km_table / sizeof km_table[0]; i++) {
		const struct km_entry *k = &km_table[i];
		if (!(k->ctx & ctx))
			continue;
		for (int j = 0; j < 3 && k->codes[j]; j++) {
			if (k->codes[j] == KM_DIGIT && key >= '0' && key <= '9') {
				if (arg)
					*arg = key - '0';
				return k->action;
			}
			if (k->codes[j] == key)
				return k->action;
		}
	}
	return KM_NONE;
}

void km_help(FILE *f)
{
	fprintf(f, "%s\n", _("Keys in the terminal UI:"));
	for (size_t i = 0; i < sizeof km_table / sizeof km_table[0]; i++) {
		const struct km_entry *k = &km_table[i];
		if (!k->keys)
			continue;
		const char *keys = _(k->keys);
		int w = text_width(keys);
		fprintf(f, "  %s%*s  %s\n", keys, w < 10 ? 10 - w : 0, "", _(k->help));
	}
	fprintf(f, "  %s\n", _("mouse      click a ready worker to step it; click a pane to focus it"));
	fprintf(f, "%s\n\n",
	        _("The terminal UI needs a terminal: with TERM=dumb or unset, or when stdin or\n"
	          "stdout is not a terminal, lockstep says so, points to --headless and exits 1."));
}

static int is_main(const struct m_worker *w, int id)
{
	return id == 0 || (w->flags & LS_WF_MAIN);
}

int km_worker_for_digit(const struct model *m, int digit)
{
	if (digit == 0)
		return m->nw > 0 && m->w[0].declared ? 0 : -1;
	int n = 0;
	for (int i = 0; i < m->nw; i++) {
		if (!m->w[i].declared || is_main(&m->w[i], i))
			continue;
		if (++n == digit)
			return i;
	}
	return -1;
}

int km_digit_for_worker(const struct model *m, int id)
{
	if (id < 0 || id >= m->nw || !m->w[id].declared)
		return -1;
	if (is_main(&m->w[id], id))
		return 0;
	int n = 0;
	for (int i = 0; i <= id; i++)
		if (m->w[i].declared && !is_main(&m->w[i], i))
			n++;
	return n <= 9 ? n : -1;
}
