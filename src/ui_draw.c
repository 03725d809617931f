/* ui_draw: text, boxes and glyphs on stdscr. See ui_draw.h. */
#include "ui_draw.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui_text.h"

static struct {
	attr_t attr[TH_COUNT];
	short pair[TH_COUNT];
	int color, ascii, large;
} d;

/* Glyphs: Unicode and ASCII. Every one is one column wide. */
static const char *const glyphs[G_COUNT][2] = {
	[G_H] = {"\xe2\x94\x80", "-"},       /* ─ */
	[G_V] = {"\xe2\x94\x82", "|"},       /* │ */
	[G_UL] = {"\xe2\x94\x8c", "+"},      /* ┌ */
	[G_UR] = {"\xe2\x94\x90", "+"},      /* ┐ */
	[G_LL] = {"\xe2\x94\x94", "+"},      /* └ */
	[G_LR] = {"\xe2\x94\x98", "+"},      /* ┘ */
	[G_TT] = {"\xe2\x94\xac", "+"},      /* ┬ */
	[G_BT] = {"\xe2\x94\xb4", "+"},      /* ┴ */
	[G_LT] = {"\xe2\x94\x9c", "+"},      /* ├ */
	[G_RT] = {"\xe2\x94\xa4", "+"},      /* ┤ */
	[G_READY] = {"\xe2\x96\xb8", ">"},   /* ▸ */
	[G_ARROW] = {"\xe2\x86\x92", ">"},   /* → */
	[G_BAR_FULL] = {"\xe2\x96\x88", "#"},  /* █ */
	[G_BAR_EMPTY] = {"\xe2\x96\x91", "."}, /* ░ */
	[G_DOT] = {"\xc2\xb7", "."},         /* · */
	[G_ALARM] = {"\xe2\x80\xbc", "!"},   /* ‼ */
	[G_SEP] = {"\xe2\x94\x82", "|"},     /* │ */
	[G_MORE_UP] = {"\xe2\x96\xb2", "^"}, /* ▲ */
	[G_MORE_DOWN] = {"\xe2\x96\xbc", "v"}, /* ▼ */
	[G_FOCUS] = {"\xe2\x97\x86", "*"},   /* ◆ */
	[G_PAUSE] = {"\xe2\x80\x96", "="},   /* ‖ */
	[G_RUN] = {"\xe2\x96\xb6", ">"},     /* ▶ */
	[G_STEP] = {"\xe2\x96\xb8", ">"},    /* ▸ */
	[G_OK] = {"\xe2\x9c\x93", "+"},      /* ✓ */
	[G_GONE] = {"\xe2\x80\x94", "-"},    /* — */
	[G_STALE] = {"\xe2\x80\xa6", "~"},   /* … */
	[G_DIFFERS] = {"\xe2\x89\xa0", "#"}, /* ≠ */
	[G_ELLIPSIS] = {"\xe2\x80\xa6", "~"}, /* … */
	[G_CHANGED] = {"\xe2\x80\xa2", "*"}, /* •: the last step changed this row */
};

/* States: glyph (Unicode, large, ASCII) and colour role. The word is the
 * state's name: never colour alone. */
static const struct {
	const char *g[3];
	int role;
} states[LS_WS_COUNT] = {
	[LS_WS_NEW] = {{"\xe2\x97\x8b", "\xe2\x97\x8b\xe2\x97\x8b", "o"}, TH_NEW},           /* ○ */
	[LS_WS_RUNNABLE] = {{"\xe2\x96\xb6", "\xe2\x96\xb6\xe2\x96\xb6", ">"}, TH_RUNNABLE},  /* ▶ */
	[LS_WS_BLOCKED] = {{"\xe2\x96\xa0", "\xe2\x96\x88\xe2\x96\x88", "#"}, TH_BLOCKED},    /* ■ █ */
	[LS_WS_WAITING] = {{"\xe2\x97\x87", "\xe2\x97\x86\xe2\x97\x86", "~"}, TH_WAITING},    /* ◇ ◆ */
	[LS_WS_TIMED_WAITING] = {{"\xe2\x97\xb7", "\xe2\x97\xb7\xe2\x97\xb7", "@"}, TH_TIMED}, /* ◷ */
	[LS_WS_TERMINATED] = {{"\xe2\x9c\x93", "\xe2\x9c\x93\xe2\x9c\x93", "-"}, TH_ENDED},   /* ✓ */
	[LS_WS_ZOMBIE] = {{"\xe2\x80\xa0", "\xe2\x80\xa0\xe2\x80\xa0", "z"}, TH_ZOMBIE},      /* † */
};

static attr_t to_attr(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & TH_A_BOLD)
		r |= A_BOLD;
	if (a & TH_A_DIM)
		r |= A_DIM;
	if (a & TH_A_REVERSE)
		r |= A_REVERSE;
	if (a & TH_A_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & TH_A_STANDOUT)
		r |= A_STANDOUT;
	return r;
}

static short fold(short c, attr_t *extra)
{
	if (c >= 0 && c >= COLORS) {
		if (c >= 8 && c < 16) {
			*extra |= A_BOLD; /* bright on an 8-colour terminal */
			return (short)(c - 8);
		}
		return -1;
	}
	return c;
}

static int theme_large; /* the theme's own choice, under a zoom */

void draw_init(const struct theme *t, int color, int ascii)
{
	memset(&d, 0, sizeof d);
	d.color = color;
	d.ascii = ascii;
	d.large = t->large_glyphs;
	theme_large = t->large_glyphs;
	for (int i = 0; i < TH_COUNT; i++) {
		const struct th_style *s = &t->role[i];
		attr_t a = to_attr(s->attrs);
		if (t->bold)
			a |= A_BOLD;
		if (!color && s->bg != TH_DEFAULT_COLOR)
			a |= A_REVERSE; /* it stood out by its background: keep it standing out */
		if (color) {
			short fg = fold(s->fg, &a), bg = fold(s->bg, &a);
			init_pair((short)(i + 1), fg, bg);
			d.pair[i] = (short)(i + 1);
		}
		d.attr[i] = a;
	}
}

int draw_has_color(void) { return d.color; }

void draw_set_zoom(int on)
{
	d.large = on || theme_large;
}

const char *draw_glyph(enum glyph g)
{
	return glyphs[g][d.ascii ? 1 : 0];
}

const char *draw_state_glyph(enum ls_wstate s)
{
	if ((unsigned)s >= LS_WS_COUNT || !states[s].g[0])
		return "?"; /* a state added to the model before it got a glyph here */
	return states[s].g[d.ascii ? 2 : d.large ? 1 : 0];
}

int draw_state_role(enum ls_wstate s)
{
	return (unsigned)s < LS_WS_COUNT && states[s].g[0] ? states[s].role : TH_NORMAL;
}

/* Every text on screen passes here, so this is where the rule lives: text
 * is cut only where the room runs out, and a cut always shows an ellipsis
 * (text_clip: at a word boundary where it can). */
int draw_text(int y, int x, int maxw, const char *s, int role)
{
	if (y < 0 || y >= LINES || x < 0 || maxw <= 0 || !s)
		return 0;
	if (x + maxw > COLS)
		maxw = COLS - x;
	char clip[1024];
	int used = 0, w;
	wchar_t wc;
	size_t n;
	attr_t a = d.attr[role];
	short pair = d.pair[role];
	const char *start = s;
	int drawn = 0; /* columns the first, uncut pass covered */
	while ((n = text_next(s, &wc, &w)) > 0) {
		if (used + w > maxw && start != clip) {
			/* too long: draw it again, cut with an ellipsis (rare, so the
			 * common case measures nothing twice) */
			text_clip(start, maxw, clip, sizeof clip);
			s = start = clip;
			drawn = used;
			used = 0;
			continue;
		}
		if (used + w > maxw)
			break;
		if (w > 0 && d.ascii) {
			const char *t = text_ascii_of(wc);
			for (int i = 0; t[i]; i++) {
				wchar_t ws[2] = {(wchar_t)(unsigned char)t[i], 0};
				cchar_t cc;
				setcchar(&cc, ws, a, pair, NULL);
				mvadd_wch(y, x + used + i, &cc);
			}
		} else if (w > 0) {
			wchar_t ws[2] = {wc, 0};
			cchar_t cc;
			/* a solid block in reverse video is drawn in the background's
			 * colour: it vanishes (projector's large BLOCKED glyph) */
			setcchar(&cc, ws, wc == L'\x2588' ? a & ~(attr_t)A_REVERSE : a, pair, NULL);
			mvadd_wch(y, x + used, &cc);
		}
		used += w;
		s += n;
	}
	/* a cut at a word boundary is shorter than the first pass: blank the rest */
	for (int i = used; i < drawn; i++) {
		wchar_t ws[2] = {L' ', 0};
		cchar_t cc;
		setcchar(&cc, ws, a, pair, NULL);
		mvadd_wch(y, x + i, &cc);
	}
	return used;
}

int draw_textf(int y, int x, int maxw, int role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_text(y, x, maxw, buf, role);
}

int draw_text_right(int y, int xend, int maxw, const char *s, int role)
{
	int w = text_width(s);
	if (w > maxw)
		w = maxw;
	return draw_text(y, xend - w, w, s, role);
}

void draw_fill(int y, int x, int w, int role)
{
	for (int i = 0; i < w; i++)
		draw_text(y, x + i, 1, " ", role);
}

struct rect draw_centred(int rows, int cols, int w, int h)
{
	if (w > cols - 4)
		w = cols - 4;
	if (h > rows - 2)
		h = rows - 2;
	return (struct rect){(rows - h) / 2, (cols - w) / 2, h, w};
}

void draw_clear(struct rect r)
{
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
}

void draw_box(struct rect r, const char *title, int focused, int role)
{
	if (r.h < 2 || r.w < 2)
		return;
	int b = focused ? TH_FOCUS : role;
	const char *h = draw_glyph(G_H), *v = draw_glyph(G_V);
	draw_text(r.y, r.x, 1, draw_glyph(G_UL), b);
	draw_text(r.y, r.x + r.w - 1, 1, draw_glyph(G_UR), b);
	draw_text(r.y + r.h - 1, r.x, 1, draw_glyph(G_LL), b);
	draw_text(r.y + r.h - 1, r.x + r.w - 1, 1, draw_glyph(G_LR), b);
	for (int i = 1; i < r.w - 1; i++) {
		draw_text(r.y, r.x + i, 1, h, b);
		draw_text(r.y + r.h - 1, r.x + i, 1, h, b);
	}
	for (int j = 1; j < r.h - 1; j++) {
		draw_text(r.y + j, r.x, 1, v, b);
		draw_text(r.y + j, r.x + r.w - 1, 1, v, b);
	}
	if (title) {
		int x = r.x + 2;
		int maxw = r.w - 4;
		if (focused) {
			x += draw_text(r.y, x, maxw, draw_glyph(G_FOCUS), TH_FOCUS);
			maxw -= 1;
		}
		char t[256];
		snprintf(t, sizeof t, " %s ", title);
		draw_text(r.y, x, maxw, t, focused ? TH_FOCUS : TH_PANE_TITLE);
	}
}

void draw_scroll_marks(struct rect r, int more_up, int more_down)
{
	if (more_up)
		draw_text(r.y + 1, r.x + r.w - 1, 1, draw_glyph(G_MORE_UP), TH_FOCUS);
	if (more_down)
		draw_text(r.y + r.h - 2, r.x + r.w - 1, 1, draw_glyph(G_MORE_DOWN), TH_FOCUS);
}
