/* ui_prompt: a line of text typed on the key bar's row (the file `e`
 * exports to), readline's few keys: characters insert at the cursor,
 * ← → Home End (^A ^E) move, Backspace and Delete erase, ^U clears,
 * Enter accepts, Esc cancels. A second stage asks yes or no (overwrite
 * an existing file?). Editing is pure, apart from the drawing, and unit
 * tested; the front end decides what an accepted line does.
 */
#ifndef LS_UI_PROMPT_H
#define LS_UI_PROMPT_H

#include <stddef.h>

struct ui_ctx;

struct ui_prompt {
	int on;
	int confirming;     /* asking yes or no about text */
	char label[160];    /* what is asked: "export the trace to:" */
	char question[400]; /* confirming: "x exists: overwrite it? (y/n)" */
	char text[1024];    /* UTF-8 */
	size_t len, cur;    /* bytes; the cursor is on a character boundary */
};

enum prompt_act {
	PROMPT_STAY,   /* still typing */
	PROMPT_ACCEPT, /* Enter, or y while confirming */
	PROMPT_NO,     /* n while confirming: back to the text */
	PROMPT_CANCEL, /* Esc: nothing done */
};

void prompt_open(struct ui_prompt *p, const char *label, const char *text);
/* Ask yes or no about the line typed: y accepts it, n goes back to
 * editing it, Esc cancels; nothing else answers (not Enter: a second
 * Enter must not overwrite a file). */
void prompt_confirm(struct ui_prompt *p, const char *question);
void prompt_close(struct ui_prompt *p);
/* A key as wget_wch gave it: a character (keycode 0) or a curses key
 * code (keycode 1). */
enum prompt_act prompt_key(struct ui_prompt *p, int key, int keycode);
/* Over the key bar's row, the cursor's cell in reverse video. */
void prompt_draw(const struct ui_ctx *c, const struct ui_prompt *p);

#endif
