/* ui_text: display-width arithmetic. See ui_text.h. No curses here. */
#include "ui_text.h"

#include <stdlib.h>
#include <string.h>

static int ascii_mode;

void text_set_ascii(int ascii) { ascii_mode = ascii; }
int text_ascii(void) { return ascii_mode; }

/* What ASCII mode draws for the characters lockstep's own text uses, so
 * that one string serves both modes: the arrow is "->" in ASCII, never a
 * '?' (one arrow glyph per mode). Anything else non-ASCII is one '?'. */
static const struct {
	wchar_t c;
	const char *a;
} translit[] = {
	{L'\x2192', "->"}, {L'\x2190', "<-"}, {L'\x2191', "^"},  {L'\x2193', "v"},
	{L'\x2026', "~"},  {L'\x00b7', "."},  {L'\x203c', "!"},  {L'\x25b8', ">"},
	{L'\x25b6', ">"},  {L'\x2014', "-"},  {L'\x2013', "-"},  {L'\x2018', "'"},
	{L'\x2019', "'"},  {L'\x201c', "\""}, {L'\x201d', "\""}, {L'\x00d7', "x"},
	{L'\x2264', "<="}, {L'\x2265', ">="}, {L'\x2260', "!="}, {L'\x2022', "*"},
	{L'\x25cf', "*"},  {L'\x2713', "+"},  {L'\x25bc', "v"},  {L'\x25b2', "^"},
};

const char *text_ascii_of(wchar_t c)
{
	if (c >= 0x20 && c < 0x7f) {
		static char one[128][2];
		one[c][0] = (char)c;
		return one[c];
	}
	for (size_t i = 0; i < sizeof translit / sizeof translit[0]; i++)
		if (translit[i].c == c)
			return translit[i].a;
	return "?";
}

size_t text_next(const char *s, wchar_t *wc, int *cols)
{
	if (!*s)
		return 0;
	if ((unsigned char)*s < 0x80) {
		*wc = (unsigned char)*s;
		*cols = (*s >= 0x20 && *s != 0x7f) ? 1 : 0;
		if (*cols == 0)
			*wc = L' ', *cols = 1; /* control characters never reach the screen */
		return 1;
	}
	mbstate_t st;
	memset(&st, 0, sizeof st);
	wchar_t c;
	size_t n = mbrtowc(&c, s, strnlen(s, MB_CUR_MAX), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		*cols = 1;
		return 1;
	}
	int w = wcwidth(c);
	if (ascii_mode) {
		/* the caller draws text_ascii_of(*wc): as many columns as it has */
		*wc = c;
		*cols = (int)strlen(text_ascii_of(c));
		return n;
	}
	if (w < 0) {
		*wc = L'?';
		*cols = 1;
		return n;
	}
	*wc = c;
	*cols = w;
	return n;
}

int text_width(const char *s)
{
	int total = 0, w;
	wchar_t wc;
	size_t n;
	while ((n = text_next(s, &wc, &w)) > 0) {
		total += w;
		s += n;
	}
	return total;
}

/* Display width of the first len bytes of s. */
static int text_width_n(const char *s, size_t len)
{
	int total = 0, w;
	wchar_t wc;
	size_t n;
	const char *end = s + len;
	while (s < end && (n = text_next(s, &wc, &w)) > 0) {
		total += w;
		s += n;
	}
	return total;
}

size_t text_fit(const char *s, int maxw, int *cols)
{
	const char *p = s;
	int used = 0, w;
	wchar_t wc;
	size_t n;
	while ((n = text_next(p, &wc, &w)) > 0) {
		if (used + w > maxw)
			break;
		used += w;
		p += n;
	}
	if (cols)
		*cols = used;
	return (size_t)(p - s);
}

int text_clip(const char *s, int maxw, char *out, size_t outlen)
{
	if (outlen == 0)
		return 0;
	out[0] = '\0';
	if (maxw <= 0)
		return 0;
	int cols;
	size_t n = text_fit(s, maxw, &cols);
	const char *ell = ascii_mode ? "~" : "\xe2\x80\xa6";
	if (s[n] != '\0') { /* too long: make room for the ellipsis */
		n = text_fit(s, maxw - 1, &cols);
		/* at a word boundary where that loses at most a third of the room */
		if (n > 0 && s[n] != ' ' && s[n - 1] != ' ') {
			size_t k = n;
			while (k > 0 && s[k - 1] != ' ')
				k--;
			if (k > 0 && text_width_n(s + k, n - k) * 3 <= maxw)
				n = k;
		}
		while (n > 0 && s[n - 1] == ' ')
			n--;
		cols = text_width_n(s, n);
		size_t el = strlen(ell);
		if (n + el + 1 > outlen)
			n = outlen > el + 1 ? outlen - el - 1 : 0;
		memcpy(out, s, n);
		memcpy(out + n, ell, el + 1);
		return cols + 1;
	}
	if (n + 1 > outlen)
		n = text_fit(s, 0, &cols); /* caller's buffer too small: nothing */
	memcpy(out, s, n);
	out[n] = '\0';
	return cols;
}

/* Closing punctuation that must not start a line (Chinese line breaking
 * rules): the line breaks before the character ahead of it instead. */
static int no_line_start(wchar_t wc)
{
	static const wchar_t closing[] = L"\uff0c\u3002\uff1a\uff1b\uff01\uff1f\u3001\uff09\u300d\u300f\u3011\u201d\u2019\u2026";
	return wc == 0 || (wc >= 0x80 && wcschr(closing, wc) != NULL) ||
	       (wc < 0x80 && strchr(",.;:!?)]", (int)wc) != NULL);
}

/* The last place at or before byte fit where a line may end: after a
 * space, as in English, or next to a wide (CJK) character, since Chinese
 * has no spaces and breaks between any two characters. 0 if there is none. */
static size_t last_break(const char *s, size_t fit)
{
	size_t best = 0, i = 0;
	int prev_space = 0, prev_wide = 0;
	for (;;) {
		wchar_t wc;
		int w;
		size_t n = text_next(s + i, &wc, &w);
		if (i > 0 && (prev_space || ((prev_wide || w == 2) && !no_line_start(wc))))
			best = i;
		if (i >= fit || n == 0)
			break;
		prev_space = wc == L' ';
		prev_wide = w == 2;
		i += n;
	}
	return best;
}

int text_wrap(const char *s, int width, void (*line)(void *ud, const char *start, size_t len),
              void *ud)
{
	int lines = 0;
	if (width < 1)
		width = 1;
	while (*s) {
		const char *nl = strchr(s, '\n');
		/* the longest prefix that fits, then back up to a space */
		int cols;
		size_t fit = text_fit(s, width, &cols);
		if (nl && (size_t)(nl - s) <= fit) {
			if (line)
				line(ud, s, (size_t)(nl - s));
			lines++;
			s = nl + 1;
			continue;
		}
		if (s[fit] == '\0') {
			if (line)
				line(ud, s, fit);
			lines++;
			break;
		}
		size_t cut = fit;
		if (s[fit] != ' ') {
			size_t k = last_break(s, fit);
			if (k > 0)
				cut = k;
		}
		if (cut == 0) { /* a character wider than the line: take it anyway */
			wchar_t wc;
			int w;
			cut = text_next(s, &wc, &w);
		}
		size_t len = cut;
		while (len > 0 && s[len - 1] == ' ')
			len--;
		if (line)
			line(ud, s, len);
		lines++;
		s += cut;
		while (*s == ' ')
			s++;
	}
	return lines;
}
