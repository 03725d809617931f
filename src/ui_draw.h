/* ui_draw: the only place that turns text, roles and glyphs into curses
 * calls. Draws into stdscr with wide-character calls, clipped by display
 * width to the rectangle it is given, so no pane can spill into another.
 * Only the loop thread calls it (from ui_frame).
 */
#ifndef LS_UI_DRAW_H
#define LS_UI_DRAW_H

#include "layout.h"
#include "model.h"
#include "theme.h"

enum glyph {
	G_H, G_V, G_UL, G_UR, G_LL, G_LR, G_TT, G_BT, G_LT, G_RT,
	G_READY, G_ARROW, G_BAR_FULL, G_BAR_EMPTY, G_DOT, G_ALARM, G_SEP, G_MORE_UP,
	G_MORE_DOWN, G_FOCUS, G_PAUSE, G_RUN, G_STEP, G_OK, G_GONE, G_STALE, G_DIFFERS, G_ELLIPSIS,
	G_CHANGED, G_COUNT
};

/* Colours on or off (NO_COLOR, no colour terminal), ASCII or Unicode. */
void draw_init(const struct theme *t, int color, int ascii);
int draw_has_color(void);
/* Presenter zoom: the large state glyphs whatever the theme (off: the
 * theme's own again). */
void draw_set_zoom(int on);
const char *draw_glyph(enum glyph g);
const char *draw_state_glyph(enum ls_wstate s);
int draw_state_role(enum ls_wstate s);

/* Text at (y, x), at most maxw columns; returns the columns drawn. */
int draw_text(int y, int x, int maxw, const char *s, int role);
int draw_textf(int y, int x, int maxw, int role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Text right-aligned so it ends at column xend (exclusive). */
int draw_text_right(int y, int xend, int maxw, const char *s, int role);
void draw_fill(int y, int x, int w, int role);
void draw_box(struct rect r, const char *title, int focused, int role);
/* A box w x h centred on a rows x cols screen, kept two columns and one
 * row clear of its edges; and a rectangle blanked for an overlay. */
struct rect draw_centred(int rows, int cols, int w, int h);
void draw_clear(struct rect r);
/* Scroll markers on the right border when there is more above/below. */
void draw_scroll_marks(struct rect r, int more_up, int more_down);

#endif
