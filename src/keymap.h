/* keymap: the one table of keys. It drives the keymap (key -> action), the
 * `?` overlay, the key bar and `lockstep --help`, so they cannot disagree.
 * Also how digit keys name workers. No curses calls (only its key codes).
 */
#ifndef LS_KEYMAP_H
#define LS_KEYMAP_H

#include <stdio.h>

#include "model.h"

/* Context a key works in. */
enum km_ctx { KM_MAIN = 1, KM_LIST = 2, KM_ANY = 3 };

/* Any digit 0-9: the action gets the digit as its argument. */
#define KM_DIGIT (-2)

/* X(ENUM, context, "keys as shown", "bar word" or NULL, "help", key codes..)
 * Up to three key codes each; 0 ends the list. */
#define LS_KEYMAP(X)                                                           \
	X(RUN_PAUSE, KM_MAIN, N_("space"), N_("run"),                    \
	  N_("run at the chosen speed (1-5: slow motion, one step at a time), or pause"), \
	  ' ', 0, 0)                                                          \
	X(STEP, KM_MAIN, N_("s →"), N_("step"),                                \
	  N_("step: the next ready worker moves one operation (round-robin)"), \
	  's', KM_KEY_RIGHT, 0)                                                \
	X(STEP_WORKER, KM_MAIN, N_("1-9 0"), N_("worker"),                \
	  N_("step that worker (the key shown beside it); 0 steps main"),      \
	  KM_DIGIT, 0, 0)                                                      \
	X(FASTER, KM_MAIN, N_("+ -"), N_("speed"),                             \
	  N_("run faster or slower (1-5 slow motion .. 6-9 freely, 9 full)"), '+', '=', 0) \
	X(SLOWER, KM_MAIN, NULL, NULL, NULL, '-', '_', 0)                      \
	X(RESTART, KM_MAIN, N_("r"), N_("restart"),                            \
	  N_("restart the scene: stop every worker and begin again"), 'r', 'R', 0) \
	X(SCENES, KM_MAIN, N_("l"), N_("scenes"),                              \
	  N_("list the scenes with their summaries and pick one"), 'l', 'L', 0) \
	X(GRAPH, KM_MAIN, N_("w"), NULL,                                       \
	  N_("show or hide the wait-for graph: who waits for whom"), 'w', 'W', 0) \
	X(CONDITIONS, KM_MAIN, N_("c"), NULL,                                  \
	  N_("show or hide the four conditions for deadlock and their fixes"), 'c', 'C', 0) \
	X(WHY, KM_MAIN, N_("y"), NULL,                                         \
	  N_("why? a box says why a worker or an object is in its state, who could release it "\
	     "and what each move would do now"), 'y', 'Y', 0)                  \
	X(ZOOM, KM_MAIN, N_("f"), NULL,                                        \
	  N_("presenter zoom: the focused pane fills the screen with large glyphs, without the "\
	     "kernel and id columns; again to return"), 'f', 'F', 0)            \
	X(FIX, KM_MAIN, N_("u"), NULL,                                         \
	  N_("show a fix (the conditions pane names them) at the same moment: the same steps again "\
	     "in the fixed variant"), 'u', 'U', 0)                              \
	X(BACK, KM_MAIN, N_("b ←"), N_("back"),                                \
	  N_("look one step back: every pane shows that moment; the run waits"), \
	  'b', 'B', KM_KEY_LEFT)                                               \
	X(NEXT_MARK, KM_MAIN, N_("[ ]"), NULL,                                 \
	  N_("looking back: jump to the previous or next block, wake, signal or deadlock"), \
	  ']', 0, 0)                                                           \
	X(PREV_MARK, KM_MAIN, NULL, NULL, NULL, '[', 0, 0)                     \
	X(NOW, KM_MAIN, N_("."), NULL, N_("looking back: return to now"), '.', 0, 0) \
	X(BRANCHES, KM_MAIN, N_("v"), NULL,                                    \
	  N_("list every run since lockstep started (the live one, then those a branch or a restart left) and show one"), \
	  'v', 'V', 0)                                                         \
	X(DIFF, KM_MAIN, N_("d"), NULL,                                        \
	  N_("showing a kept run (v): the step where it and the live run part, both states there side by side"), \
	  'd', 'D', 0) \
	X(TIMELINE, KM_MAIN, N_("t"), NULL,                                    \
	  N_("show or hide the timeline: each worker's state, step by step"), 't', 'T', 0) \
	X(TL_BACK, KM_MAIN, N_("< >"), NULL,                                   \
	  N_("timeline: scroll back or forward in time"), '<', 0, 0)          \
	X(TL_FORWARD, KM_MAIN, NULL, NULL, NULL, '>', 0, 0)                    \
	X(TL_ZOOM, KM_MAIN, N_("z"), NULL,                                     \
	  N_("timeline: more or fewer steps, or tenths of a second, per column (1, 2, 5, 10, 50, 100)"), 'z', 'Z', 0) \
	X(TL_AXIS, KM_MAIN, N_("a"), NULL,                                     \
	  N_("timeline: a column per step, or wall time (a free run's default)"), 'a', 'A', 0) \
	X(EXPORT, KM_MAIN, N_("e"), NULL,                                      \
	  N_("export the run shown so far as a trace for Perfetto, to a file you name"), 'e', 'E', 0) \
	X(EXPLORE, KM_MAIN, N_("x"), N_("explore"),                            \
	  N_("explore: find a schedule that reaches a goal (a deadlock...), then step through it"), \
	  'x', 'X', 0)                                                         \
	X(MAP, KM_MAIN, N_("m"), NULL,                                         \
	  N_("the map of a small scene: every schedule as a tree of choices, by outcome; pick one to replay it"), \
	  'm', 'M', 0)                                                         \
	X(FORK, KM_MAIN, N_("n"), N_("fork"),                                  \
	  N_("following a lecture (--attach): a new private copy at the step shown, to try things alone; n again follows"), \
	  'n', 'N', 0)                                                         \
	X(SCENE_KEY, KM_MAIN, N_("k"), N_("key"),                              \
	  N_("press the scene's key, for a scene that waits for you"), \
	  'k', 'K', 0)                                                         \
	X(CHALLENGES, KM_MAIN, N_("o"), NULL,                                  \
	  N_("the scene's challenges (objectives): pick one to track in the header"), 'o', 'O', 0) \
	X(PREDICT, KM_MAIN, N_("p"), NULL,                                     \
	  N_("predict, then step: who moves next, what a value will be, who wakes up"), \
	  'p', 'P', 0)                                                         \
	X(SIGNAL, KM_MAIN, N_("!"), N_("signal"),                              \
	  N_("send a signal to the scene's process group or to one process"), '!', 0, 0) \
	X(FOCUS, KM_MAIN, N_("Tab"), N_("focus"),                              \
	  N_("move the focus to the next pane (Shift-Tab: back)"), '\t', KM_KEY_BTAB, 0) \
	X(UP, KM_ANY, N_("↑ ↓"), NULL, N_("scroll the focused pane, or move in a list"), \
	  KM_KEY_UP, 0, 0)                                                   \
	X(DOWN, KM_ANY, NULL, NULL, NULL, KM_KEY_DOWN, 'j', 0)                 \
	X(PAGE_UP, KM_ANY, N_("PgUp PgDn"), NULL, N_("scroll the focused pane by a page"), \
	  KM_KEY_PPAGE, 0, 0)                                                  \
	X(PAGE_DOWN, KM_ANY, NULL, NULL, NULL, KM_KEY_NPAGE, 0, 0)             \
	X(HOME, KM_ANY, N_("Home End"), NULL, N_("scroll to the start or the newest line"), \
	  KM_KEY_HOME, 'g', 0)                                                 \
	X(END, KM_ANY, NULL, NULL, NULL, KM_KEY_END, 'G', 0)                   \
	X(PICK, KM_LIST, N_("Enter"), NULL, N_("in a list: take the chosen scene, target, signal, goal or schedule"), \
	  '\n', '\r', KM_KEY_ENTER)                                            \
	X(CLOSE, KM_LIST, N_("Esc"), NULL, N_("close the help, the scene list or a menu; cancel an exploration"), 27, 0, 0) \
	X(HELP, KM_ANY, N_("?"), N_("help"), N_("show or hide this help"), '?', 'h', KM_KEY_F1) \
	X(QUIT, KM_ANY, N_("q"), N_("quit"), N_("quit (also ^C); nothing is left running"), 'q', 'Q', 0)

/* The curses key codes used above, without including curses here. */
enum {
	KM_KEY_DOWN = 0402, KM_KEY_UP = 0403, KM_KEY_LEFT = 0404, KM_KEY_RIGHT = 0405,
	KM_KEY_HOME = 0406, KM_KEY_F1 = 0411, KM_KEY_NPAGE = 0522, KM_KEY_PPAGE = 0523,
	KM_KEY_ENTER = 0527, KM_KEY_BTAB = 0541, KM_KEY_END = 0550, KM_KEY_BACKSPACE = 0407,
};

enum km_action {
	KM_NONE = 0,
#define X(e, ctx, keys, bar, help, k1, k2, k3) KM_##e,
	LS_KEYMAP(X)
#undef X
	KM_COUNT
};

struct km_entry {
	enum km_action action;
	int ctx;
	const char *keys; /* NULL: shown with the entry before */
	const char *bar;  /* word in the key bar, NULL: not in the bar */
	const char *help;
	int codes[3];
};

extern const struct km_entry km_table[KM_COUNT - 1];

/* The action for a key in a context (KM_MAIN or KM_LIST); *arg gets the
 * digit for KM_STEP_WORKER. */
enum km_action km_lookup(int key, int ctx, int *arg);

/* The keys, one line each, as --help prints them. */
void km_help(FILE *f);

/* Digits name workers: 0 is main (worker 0), 1..9 the other declared workers
 * in declare order. */
int km_worker_for_digit(const struct model *m, int digit); /* -1: none */
int km_digit_for_worker(const struct model *m, int id);    /* -1: no key */

#endif
