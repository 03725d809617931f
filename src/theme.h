/* theme: colour roles and drawing style, read from a small INI file.
 *
 * A theme is data a user can copy and edit (assets/themes/NAME.theme). This
 * module parses it into plain values and finds the file; it never calls
 * curses (ui_draw.c turns roles into colour pairs), so it is unit tested.
 */
#ifndef LS_THEME_H
#define LS_THEME_H

#include <stddef.h>

/* Colour roles. X(ENUM, "key in [colors]", fg, bg, "attributes") */
#define LS_ROLES(X)                                                            \
	X(NORMAL, "normal", "default", "default", "")                          \
	X(DIM, "dim", "default", "default", "dim")                             \
	X(TITLE, "title", "white", "blue", "bold")                             \
	X(HEADER, "header", "default", "default", "")                          \
	X(BORDER, "border", "blue", "default", "")                             \
	X(PANE_TITLE, "pane_title", "cyan", "default", "bold")                 \
	X(FOCUS, "focus", "yellow", "default", "bold")                         \
	X(COLUMN, "column", "default", "default", "underline")                 \
	X(KEY, "key", "black", "cyan", "bold")                                 \
	X(READY, "ready", "green", "default", "bold")                          \
	X(RUNNABLE, "runnable", "green", "default", "")                        \
	X(BLOCKED, "blocked", "red", "default", "bold")                        \
	X(WAITING, "waiting", "yellow", "default", "")                         \
	X(TIMED, "timed", "cyan", "default", "")                               \
	X(NEW, "new", "default", "default", "dim")                             \
	X(ENDED, "ended", "default", "default", "dim")                         \
	X(ZOMBIE, "zombie", "magenta", "default", "bold")                      \
	X(ALARM, "alarm", "white", "red", "bold")                              \
	X(CYCLE, "cycle", "red", "default", "bold,reverse")                    \
	X(GOOD, "good", "green", "default", "bold")                            \
	X(MODE_RUN, "mode_run", "black", "green", "bold")                      \
	X(MODE_PAUSE, "mode_pause", "black", "yellow", "bold")                 \
	X(HINT, "hint", "yellow", "default", "bold")                           \
	X(OUTPUT, "output", "magenta", "default", "")                          \
	X(ITEM, "item", "default", "default", "bold")                          \
	X(BAR, "bar", "green", "default", "bold")                              \
	X(SELECT, "select", "black", "white", "bold")

enum th_role {
#define X(e, k, f, b, a) TH_##e,
	LS_ROLES(X)
#undef X
	TH_COUNT
};

enum th_attr {
	TH_A_BOLD = 1,
	TH_A_DIM = 2,
	TH_A_REVERSE = 4,
	TH_A_UNDERLINE = 8,
	TH_A_STANDOUT = 16,
};

#define TH_DEFAULT_COLOR (-1)

struct th_style {
	short fg, bg;   /* -1: the terminal's default; 0..255 */
	unsigned attrs; /* enum th_attr */
};

struct theme {
	char name[64];
	struct th_style role[TH_COUNT];
	int spacing;      /* blank rows between worker rows, when there is room */
	int large_glyphs; /* bigger state glyphs (projectors) */
	int bold;         /* every text bold */
};

/* The built-in values (those of the default theme). */
void theme_defaults(struct theme *t);
/* Parse INI text over what *t holds. Returns 0, or -1 with a message. */
int theme_parse(struct theme *t, const char *text, char *err, size_t errlen);
/* Parse one colour ("red", "bright-blue", "default", "0".."255"); -2: bad. */
int theme_color(const char *s);
/* Parse attributes ("bold,reverse" or "bold reverse"); -1: bad. */
int theme_attrs(const char *s);

/* Where a theme file is: NAME with a '/' is a path; else NAME.theme in
 * $XDG_CONFIG_HOME/lockstep/themes, beside the binary (a build directory)
 * and in the install data directory. Returns 0 with the path, or -1. */
int theme_find(const char *name, char *path, size_t n);
/* Find, read and parse; on failure *t keeps the defaults. */
int theme_load(struct theme *t, const char *name, char *err, size_t errlen);

#endif
