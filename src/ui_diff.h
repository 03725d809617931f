/* ui_diff: two runs side by side at the step where they part (`d`),
 * the table `lockstep --diff` prints, from the same facts (statediff.h).
 * The front end fills a ui_diff and opens the overlay; the overlay only
 * draws and scrolls it. */
#ifndef LS_UI_DIFF_H
#define LS_UI_DIFF_H

#include "statediff.h"

struct ui_diff {
	char title[256]; /* where they part, who moved in each */
	char head_a[200], head_b[200];
	char *text_a, *text_b; /* the two descriptions the table points into */
	struct sd_table t;
};

/* The two states a and b, described and paired; the strings are copied.
 * 0, or -1 out of memory (d is left empty). */
int ui_diff_set(struct ui_diff *d, const struct model *a, const struct model *b,
                const char *title, const char *head_a, const char *head_b);
void ui_diff_free(struct ui_diff *d);

#endif
