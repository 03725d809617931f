/* ui_banner: one line across the top of the screen saying that what is
 * shown is not now (looking back, or a recording played), drawn over the
 * header after the frame, so no pane can be read as the present. */
#include <curses.h>

#include "ui.h"
#include "ui_draw.h"

void ui_banner_draw(const struct ui_ctx *c, const char *text)
{
	if (c->lay.too_small || c->cols <= 0)
		return;
	draw_fill(0, 0, c->cols, TH_MODE_PAUSE);
	draw_textf(0, 0, c->cols, TH_MODE_PAUSE, " %s %s", draw_glyph(G_PAUSE), text);
	wnoutrefresh(stdscr);
}
