/* ui_text: measuring, clipping and wrapping UTF-8 text by display width.
 *
 * Columns, not bytes or characters: a CJK character takes two columns, a
 * combining mark none. In ASCII mode every non-ASCII character counts (and
 * is drawn) as its ASCII form (text_ascii_of: "->" for an arrow) or one
 * '?'. Pure: no curses, so it is unit tested.
 */
#ifndef LS_UI_TEXT_H
#define LS_UI_TEXT_H

#include <stddef.h>
#include <wchar.h>

void text_set_ascii(int ascii);
int text_ascii(void);

/* Decode one character at s (NUL-terminated). Returns the bytes it takes
 * (0 at the end), with the character in *wc and its columns in *cols
 * (invalid bytes become '?'; in ASCII mode *cols is the width of
 * text_ascii_of(*wc), which is what to draw). */
size_t text_next(const char *s, wchar_t *wc, int *cols);

/* What ASCII mode draws for c: itself when it is ASCII, "->" for an arrow,
 * "~" for an ellipsis..., "?" for anything unknown. */
const char *text_ascii_of(wchar_t c);

/* Display width of the whole string. */
int text_width(const char *s);

/* How many bytes of s fit in maxw columns (never splitting a character);
 * *cols gets the columns they take. */
size_t text_fit(const char *s, int maxw, int *cols);

/* Copy what fits in maxw columns; when s is longer, it is cut at a word
 * boundary when that loses at most a third of maxw (else mid-word) and ends
 * with an ellipsis ("…", or "~" in ASCII mode). Returns the columns used. */
int text_clip(const char *s, int maxw, char *out, size_t outlen);

/* Split s into lines of at most width columns, breaking at spaces where it
 * can. Calls line(ud, start, bytes) for each; returns the number of lines. */
int text_wrap(const char *s, int width, void (*line)(void *ud, const char *start, size_t len),
              void *ud);

#endif
