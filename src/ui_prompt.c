/* ui_prompt: a line typed on the key bar's row. See ui_prompt.h. */
#include "ui_prompt.h"

#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

void prompt_open(struct ui_prompt *p, const char *label, const char *text)
{
	memset(p, 0, sizeof *p);
	p->on = 1;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->text, sizeof p->text, "%s", text);
	p->len = p->cur = strlen(p->text);
}

void prompt_confirm(struct ui_prompt *p, const char *question)
{
	p->confirming = 1;
	snprintf(p->question, sizeof p->question, "%s", question);
}

void prompt_close(struct ui_prompt *p)
{
	p->on = 0;
	p->confirming = 0;
}

static size_t prev_char(const struct ui_prompt *p, size_t i)
{
	while (i > 0 && (p->text[--i] & 0xc0) == 0x80)
		;
	return i;
}

static size_t next_char(const struct ui_prompt *p, size_t i)
{
	if (i < p->len)
		i++;
	while (i < p->len && (p->text[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static void cut(struct ui_prompt *p, size_t from, size_t to)
{
	memmove(p->text + from, p->text + to, p->len - to + 1);
	p->len -= to - from;
	p->cur = from;
}

static void insert(struct ui_prompt *p, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(mb, (wchar_t)key, &st);
	if (n == (size_t)-1 || p->len + n >= sizeof p->text)
		return; /* not a character of this locale, or the line is full */
	memmove(p->text + p->cur + n, p->text + p->cur, p->len - p->cur + 1);
	memcpy(p->text + p->cur, mb, n);
	p->len += n;
	p->cur += n;
}

enum prompt_act prompt_key(struct ui_prompt *p, int key, int keycode)
{
	if (!p->on)
		return PROMPT_CANCEL;
	if (p->confirming) { /* only y or n answers; Enter is not a yes */
		if (keycode)
			return PROMPT_STAY;
		if (key == 27)
			return PROMPT_CANCEL;
		if (key == 'y' || key == 'Y')
			return PROMPT_ACCEPT;
		if (key == 'n' || key == 'N') {
			p->confirming = 0;
			return PROMPT_NO;
		}
		return PROMPT_STAY;
	}
	if (keycode) {
		switch (key) {
		case KEY_ENTER: return PROMPT_ACCEPT;
		case KEY_LEFT: p->cur = prev_char(p, p->cur); break;
		case KEY_RIGHT: p->cur = next_char(p, p->cur); break;
		case KEY_HOME: p->cur = 0; break;
		case KEY_END: p->cur = p->len; break;
		case KEY_BACKSPACE:
			if (p->cur > 0)
				cut(p, prev_char(p, p->cur), p->cur);
			break;
		case KEY_DC:
			if (p->cur < p->len)
				cut(p, p->cur, next_char(p, p->cur));
			break;
		default: break;
		}
		return PROMPT_STAY;
	}
	switch (key) {
	case '\n': case '\r': return PROMPT_ACCEPT;
	case 27: return PROMPT_CANCEL;
	case 1: p->cur = 0; break;      /* ^A */
	case 5: p->cur = p->len; break; /* ^E */
	case 21: cut(p, 0, p->len); break; /* ^U */
	case 8: case 127:
		if (p->cur > 0)
			cut(p, prev_char(p, p->cur), p->cur);
		break;
	default:
		if (key >= 32 && key != 127)
			insert(p, key);
		break;
	}
	return PROMPT_STAY;
}

void prompt_draw(const struct ui_ctx *c, const struct ui_prompt *p)
{
	if (!p->on || c->rows < 2 || c->cols < 10)
		return;
	int y = c->rows - 1;
	draw_fill(y, 0, c->cols, TH_NORMAL);
	if (p->confirming) {
		draw_text(y, 1, c->cols - 2, p->question, TH_HINT);
		wnoutrefresh(stdscr);
		return;
	}
	/* the question gives way before the answer: at most half the row */
	int x = 1 + draw_text(y, 1, c->cols / 2 - 1, p->label, TH_HINT);
	x++;
	int room = c->cols - 1 - x - 1; /* a cell for the cursor at the end */
	if (room < 4) {
		wnoutrefresh(stdscr);
		return;
	}
	/* the text from where the cursor still shows: a long name scrolls */
	size_t from = 0;
	char before[sizeof p->text];
	for (;;) {
		snprintf(before, sizeof before, "%.*s", (int)(p->cur - from), p->text + from);
		if (text_width(before) < room || from >= p->cur)
			break;
		from = next_char(p, from);
	}
	int w = draw_text(y, x, room, before, TH_NORMAL);
	char at[8] = " ";
	if (p->cur < p->len)
		snprintf(at, sizeof at, "%.*s", (int)(next_char(p, p->cur) - p->cur), p->text + p->cur);
	int cw = draw_text(y, x + w, 2, at, TH_SELECT); /* the cursor */
	if (p->cur < p->len)
		draw_text(y, x + w + cw, room - w - cw, p->text + next_char(p, p->cur), TH_NORMAL);
	wnoutrefresh(stdscr);
}
