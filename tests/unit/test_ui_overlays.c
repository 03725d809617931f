/* Unit tests: the overlays' keys and clicks (ui_help.c, ui_picker.c,
 * ui_signal.c), handled next to their drawing: what each key does to the
 * overlay's part of the view and what it asks of the front end. Nothing is
 * drawn. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>
#include <locale.h>

#include "keymap.h"
#include "params.h"
#include "ui.h"
#include "branches.h"
#include "ui_diff.h"
#include "ui_prompt.h"

static int run_nothing(void) { return 0; }
static const struct ls_scene s1 = {.abi = LS_SCENE_ABI, .id = "a", .title = "A", .summary = "a", .run = run_nothing};
static const struct ls_scene s2 = {.abi = LS_SCENE_ABI, .id = "b", .title = "B", .summary = "b", .run = run_nothing};
static const struct ls_scene s3 = {.abi = LS_SCENE_ABI, .id = "c", .title = "C", .summary = "c", .run = run_nothing};
static const struct ls_scene *scenes[] = {&s1, &s2, &s3};

struct fixture {
	struct view v;
	struct catalog cat;
	struct ui_ctx c;
};

static void setup(struct fixture *f, enum ui_overlay ov)
{
	memset(f, 0, sizeof *f);
	f->cat.scenes = scenes;
	f->cat.n = 3;
	f->v.overlay = ov;
	f->c.v = &f->v;
	f->c.cat = &f->cat;
	f->c.rows = 40;
	f->c.cols = 120;
}

static enum ui_ov_act key(struct fixture *f, int k)
{
	return ui_overlay_of(&f->v)->on_key(&f->c, &f->v, k);
}

static void the_open_overlay(void **state)
{
	(void)state;
	struct view v = {0};
	assert_null(ui_overlay_of(&v));
	v.overlay = UI_OV_HELP;
	assert_ptr_equal(ui_overlay_of(&v), &overlay_help);
	v.overlay = UI_OV_PICKER;
	assert_ptr_equal(ui_overlay_of(&v), &overlay_picker);
	v.overlay = UI_OV_SIGNAL;
	assert_ptr_equal(ui_overlay_of(&v), &overlay_signal);
	v.overlay = UI_OV_WHY;
	assert_ptr_equal(ui_overlay_of(&v), &overlay_why);
	v.overlay = UI_OV_DIFF; /* nothing to show: no overlay */
	assert_null(ui_overlay_of(&v));
	struct ui_diff d = {0};
	v.diff = &d;
	assert_ptr_equal(ui_overlay_of(&v), &overlay_diff);
}

/* d's two runs side by side: a row per name, scrolled by the keys every
 * pane scrolls with, never past its rows; d, Esc, q, Enter or a click
 * close it. */
static void diff_scrolls_and_closes(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_DIFF);
	char a[4096] = "", b[4096] = "";
	for (int i = 0; i < 60; i++) {
		char l[64];
		snprintf(l, sizeof l, "w\tT%d\tRUNNABLE lock(A)\n", i);
		strcat(a, l);
		snprintf(l, sizeof l, "w\tT%d\t%s\n", i, i == 7 ? "BLOCKED lock(A)" : "RUNNABLE lock(A)");
		strcat(b, l);
	}
	struct ui_diff d = {0};
	assert_int_equal(statediff_table(a, b, &d.t), 0);
	assert_int_equal(d.t.n, 60);
	assert_int_equal(d.t.differ, 1);
	f.v.diff = &d;
	int max = overlay_diff_scroll_max(&f.c);
	assert_int_equal(max, 60 - (f.c.rows - 2 - 5)); /* the box is as tall as the screen allows */
	assert_int_equal(key(&f, KM_KEY_UP), UI_OV_STAY);
	assert_int_equal(f.v.overlay_scroll, 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(key(&f, KM_KEY_DOWN), UI_OV_STAY);
	assert_int_equal(f.v.overlay_scroll, max);
	assert_int_equal(key(&f, KM_KEY_HOME), UI_OV_STAY);
	assert_int_equal(f.v.overlay_scroll, 0);
	assert_int_equal(key(&f, 'x'), UI_OV_STAY);
	assert_int_equal(key(&f, 'd'), UI_OV_CLOSE);
	assert_int_equal(key(&f, 27), UI_OV_CLOSE);
	assert_int_equal(key(&f, 'q'), UI_OV_CLOSE);
	assert_int_equal(key(&f, '\n'), UI_OV_CLOSE);
	assert_int_equal(overlay_diff.on_click(&f.c, &f.v, 3, 3), UI_OV_CLOSE);
	f.c.rows = 100; /* all of it fits: nothing to scroll */
	assert_int_equal(overlay_diff_scroll_max(&f.c), 0);
	statediff_table_free(&d.t);
}

/* The why box (y): opens on the blocked worker, arrows and a worker's key
 * choose a row (workers, then objects), y and Esc close it. */
static void why_box_chooses_rows(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_NONE);
	struct model m;
	struct analysis *an = calloc(1, sizeof *an);
	assert_non_null(an);
	model_init(&m);
	const char *names[] = {"main", "T1", "T2"};
	for (int i = 0; i < 3; i++) {
		struct ls_event e;
		event_init(&e, LS_EV_WORKER, 0, 1, i, -1);
		e.u.a[2] = i ? 0 : -1;
		model_apply(&m, &e);
		event_init(&e, LS_EV_NAME, 0, 1, i, -1);
		e.u.s.a0 = LS_NAME_WORKER;
		event_set_text(&e, names[i]);
		model_apply(&m, &e);
		event_init(&e, LS_EV_SPAWN, 0, 1, i, -1);
		model_apply(&m, &e);
	}
	struct ls_event e;
	event_init(&e, LS_EV_OBJECT, 0, 1, 0, 0);
	e.u.a[0] = LS_OBJ_MUTEX;
	model_apply(&m, &e);
	event_init(&e, LS_EV_ACQUIRED, 0, 1, 1, 0); /* T1 holds lock 0 */
	e.u.a[0] = LS_OP_LOCK;
	e.u.a[1] = 1;
	model_apply(&m, &e);
	event_init(&e, LS_EV_BLOCKED, 0, 1, 2, 0); /* T2 blocked on it */
	e.u.a[0] = LS_OP_LOCK;
	e.u.a[1] = 1;
	model_apply(&m, &e);
	analysis_run(&m, an);
	f.c.m = &m;
	f.c.an = an;
	ui_why_open(&f.c, &f.v);
	assert_int_equal(f.v.overlay, UI_OV_WHY);
	assert_int_equal(f.v.why_sel, 2); /* the blocked worker */
	assert_int_equal(key(&f, KM_KEY_DOWN), UI_OV_STAY);
	assert_int_equal(f.v.why_sel, 3); /* the lock, after the workers */
	assert_int_equal(key(&f, KM_KEY_DOWN), UI_OV_STAY);
	assert_int_equal(f.v.why_sel, 3); /* the last row */
	assert_int_equal(key(&f, '1'), UI_OV_STAY);
	assert_int_equal(f.v.why_sel, 1); /* T1's key */
	assert_int_equal(key(&f, KM_KEY_UP), UI_OV_STAY);
	assert_int_equal(f.v.why_sel, 0);
	assert_int_equal(key(&f, 'y'), UI_OV_CLOSE);
	assert_int_equal(key(&f, 27), UI_OV_CLOSE);
	f.v.focus = PANE_LOCKS; /* from the locks pane: its first lock */
	ui_why_open(&f.c, &f.v);
	assert_int_equal(f.v.why_sel, 3);
	model_free(&m);
	free(an);
}

static void help_scrolls_and_closes(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_HELP);
	f.c.rows = 24; /* the help is longer than the screen: it scrolls */
	int max = overlay_help_scroll_max(&f.c);
	assert_true(max > 0);
	assert_int_equal(key(&f, KM_KEY_UP), UI_OV_STAY);
	assert_int_equal(f.v.overlay_scroll, 0); /* not above the top */
	for (int i = 0; i < 100; i++)
		assert_int_equal(key(&f, KM_KEY_DOWN), UI_OV_STAY);
	assert_int_equal(f.v.overlay_scroll, max); /* not past its last row */
	assert_int_equal(key(&f, 'x'), UI_OV_STAY);
	assert_int_equal(key(&f, '?'), UI_OV_CLOSE);
	assert_int_equal(key(&f, 27), UI_OV_CLOSE);
	assert_int_equal(key(&f, 'q'), UI_OV_CLOSE);
	assert_int_equal(overlay_help.on_click(&f.c, &f.v, 3, 3), UI_OV_CLOSE);
}

static void picker_moves_within_the_list(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_PICKER);
	assert_int_equal(key(&f, KM_KEY_UP), UI_OV_STAY);
	assert_int_equal(f.v.picker_sel, 0);
	key(&f, KM_KEY_DOWN);
	key(&f, KM_KEY_DOWN);
	key(&f, KM_KEY_DOWN);
	assert_int_equal(f.v.picker_sel, 2); /* the last of three */
	key(&f, KM_KEY_HOME);
	assert_int_equal(f.v.picker_sel, 0);
	key(&f, KM_KEY_END);
	assert_int_equal(f.v.picker_sel, 2);
	assert_int_equal(key(&f, '\n'), UI_OV_START_SCENE);
	assert_int_equal(f.v.picker_sel, 2);
	assert_int_equal(key(&f, 'l'), UI_OV_CLOSE);
	assert_int_equal(key(&f, 27), UI_OV_CLOSE);
	/* an empty catalog: Enter closes, starts nothing */
	f.cat.n = 0;
	f.v.picker_sel = 0;
	assert_int_equal(key(&f, '\n'), UI_OV_CLOSE);
}

/* The scene list's parameters: Tab moves to them, arrows choose and change,
 * digits type a number (taken within the range when it is left), Enter
 * starts with them; the header's text names those not at their default. */
static const struct ls_param_desc pp[] = {
	{.name = "n", .type = LS_PARAM_INT, .def = 5, .min = 2, .max = 10, .help = "how many"},
	{.name = "fix", .type = LS_PARAM_CHOICE, .def = 0, .choices = "none|waiter|trylock",
	 .help = "which fix"},
	{0},
};
static const struct ls_scene sp = {.abi = LS_SCENE_ABI, .id = "p", .title = "P", .summary = "p",
                                   .params = pp, .run = run_nothing};

static void picker_changes_parameters(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_PICKER);
	static const struct ls_scene *with[] = {&s1, &sp};
	f.cat.scenes = with;
	f.cat.n = 2;
	f.v.picker_params_of = -1;
	f.v.picker_edit = -1;
	assert_int_equal(key(&f, '\t'), UI_OV_STAY); /* s1 has none: the list keeps the keys */
	assert_int_equal(f.v.picker_edit, -1);
	assert_int_equal(key(&f, KM_KEY_DOWN), UI_OV_STAY);
	assert_int_equal(key(&f, '\t'), UI_OV_STAY);
	assert_int_equal(f.v.picker_edit, 0);
	assert_int_equal(f.v.picker_params_of, 1);
	assert_int_equal(f.v.picker_params[0], 5); /* its default */
	key(&f, KM_KEY_RIGHT);
	assert_int_equal(f.v.picker_params[0], 6);
	key(&f, '1');
	key(&f, '2');
	assert_int_equal(f.v.picker_params[0], 12); /* typed, not yet taken */
	key(&f, KM_KEY_DOWN);
	assert_int_equal(f.v.picker_params[0], 10); /* taken within 2..10 */
	assert_int_equal(f.v.picker_edit, 1);
	key(&f, KM_KEY_LEFT); /* a choice wraps round */
	assert_int_equal(f.v.picker_params[1], 2);
	key(&f, KM_KEY_RIGHT);
	assert_int_equal(f.v.picker_params[1], 0);
	key(&f, KM_KEY_RIGHT);
	assert_int_equal(f.v.picker_params[1], 1);
	char buf[128];
	assert_int_equal(ui_params_text(&sp, f.v.picker_params, buf, sizeof buf), 2);
	assert_string_equal(buf, "n=10 fix=waiter");
	assert_int_equal(key(&f, '\n'), UI_OV_START_SCENE);
	assert_int_equal(key(&f, 27), UI_OV_STAY); /* Esc: back to the list */
	assert_int_equal(f.v.picker_edit, -1);
	assert_int_equal(key(&f, KM_KEY_UP), UI_OV_STAY);
	assert_int_equal(f.v.picker_sel, 0);
	long def[LS_PARAMS_MAX];
	params_defaults(&sp, def);
	assert_int_equal(ui_params_text(&sp, def, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
}

static void picker_click_chooses_then_starts(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_PICKER);
	/* find the screen row of scene 1 */
	int y1 = -1, x = f.c.cols / 2;
	for (int y = 0; y < f.c.rows && y1 < 0; y++)
		if (overlay_picker_hit(&f.c, y, x) == 1)
			y1 = y;
	assert_true(y1 >= 0);
	assert_int_equal(overlay_picker.on_click(&f.c, &f.v, y1, x), UI_OV_STAY);
	assert_int_equal(f.v.picker_sel, 1);
	assert_int_equal(overlay_picker.on_click(&f.c, &f.v, y1, x), UI_OV_START_SCENE);
	/* outside the list: nothing */
	assert_int_equal(overlay_picker.on_click(&f.c, &f.v, 0, 0), UI_OV_STAY);
	assert_int_equal(f.v.picker_sel, 1);
}

static void signal_menu_two_stages(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_SIGNAL);
	struct ui_sigmenu *s = &f.v.sig;
	s->targets[0] = -1; /* the group */
	s->targets[1] = 0;
	s->targets[2] = 3;
	s->ntargets = 3;
	key(&f, KM_KEY_DOWN);
	key(&f, KM_KEY_DOWN);
	key(&f, KM_KEY_DOWN);
	assert_int_equal(s->sel, 2);
	assert_int_equal(key(&f, '\n'), UI_OV_STAY);
	assert_int_equal(s->stage, 1);
	assert_int_equal(s->target, 3);
	assert_int_equal(s->sel, 0);
	key(&f, KM_KEY_END);
	assert_int_equal(s->sel, ui_menu_nsignals - 1);
	/* Left goes back with the cursor on the target chosen */
	key(&f, KM_KEY_LEFT);
	assert_int_equal(s->stage, 0);
	assert_int_equal(s->sel, 2);
	key(&f, '\n');
	key(&f, KM_KEY_DOWN);
	assert_int_equal(key(&f, '\n'), UI_OV_SEND_SIGNAL);
	assert_int_equal(ui_menu_signals[s->sel], SIGQUIT);
	assert_int_equal(key(&f, '!'), UI_OV_CLOSE);
	assert_int_equal(key(&f, 27), UI_OV_CLOSE);
}

static void signal_click_takes_the_chosen_row(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_SIGNAL);
	struct ui_sigmenu *s = &f.v.sig;
	s->targets[0] = -1;
	s->targets[1] = 0;
	s->ntargets = 2;
	int y1 = -1, x = f.c.cols / 2;
	for (int y = 0; y < f.c.rows && y1 < 0; y++)
		if (overlay_signal_hit(&f.c, y, x) == 1)
			y1 = y;
	assert_true(y1 >= 0);
	assert_int_equal(overlay_signal.on_click(&f.c, &f.v, y1, x), UI_OV_STAY);
	assert_int_equal(s->sel, 1);
	assert_int_equal(overlay_signal.on_click(&f.c, &f.v, y1, x), UI_OV_STAY);
	assert_int_equal(s->stage, 1); /* as Enter: on to the signals */
	assert_int_equal(s->target, 0);
}

/* v's list of runs: the live one (row 0) and each kept one; arrows
 * choose within it, Enter shows the chosen run, v or Esc closes; a click
 * chooses, a second click shows. */
static void runs_choose_then_show(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_RUNS);
	assert_null(ui_overlay_of(&f.v)); /* no list given: no overlay */
	struct kept_run k[3];
	memset(k, 0, sizeof k);
	struct branches b = {.k = k, .n = 3, .cap = 3};
	f.v.kept = &b;
	assert_ptr_equal(ui_overlay_of(&f.v), &overlay_runs);
	f.v.runs_sel = 1;
	assert_int_equal(key(&f, KM_KEY_UP), UI_OV_STAY);
	assert_int_equal(key(&f, KM_KEY_UP), UI_OV_STAY);
	assert_int_equal(f.v.runs_sel, 0); /* the live run, and no further */
	for (int i = 0; i < 10; i++)
		key(&f, KM_KEY_DOWN);
	assert_int_equal(f.v.runs_sel, 3); /* the oldest kept, and no further */
	key(&f, KM_KEY_HOME);
	assert_int_equal(f.v.runs_sel, 0);
	key(&f, KM_KEY_END);
	assert_int_equal(f.v.runs_sel, 3);
	assert_int_equal(key(&f, '\n'), UI_OV_SHOW_RUN);
	assert_int_equal(key(&f, 'v'), UI_OV_CLOSE);
	assert_int_equal(key(&f, 27), UI_OV_CLOSE);
	assert_int_equal(key(&f, 'x'), UI_OV_STAY);
	/* a click on row 1 chooses it, a second shows it */
	int y1 = -1, x = f.c.cols / 2;
	for (int y = 0; y < f.c.rows && y1 < 0; y++)
		if (overlay_runs_hit(&f.c, y, x) == 1)
			y1 = y;
	assert_true(y1 >= 0);
	assert_int_equal(overlay_runs_hit(&f.c, y1 + 3, x), -1); /* below the last row */
	assert_int_equal(overlay_runs.on_click(&f.c, &f.v, y1, x), UI_OV_STAY);
	assert_int_equal(f.v.runs_sel, 1);
	assert_int_equal(overlay_runs.on_click(&f.c, &f.v, y1, x), UI_OV_SHOW_RUN);
	assert_int_equal(overlay_runs.on_click(&f.c, &f.v, 0, 0), UI_OV_STAY);
	assert_int_equal(f.v.runs_sel, 1);
}

/* e's file name: typed on the key bar's row, readline's few keys,
 * UTF-8 kept whole; the yes-or-no stage answers only to y, n and Esc. */
static void prompt_edits_a_line(void **state)
{
	(void)state;
	struct ui_prompt p;
	prompt_open(&p, "export to:", "deadlock-1.trace.json");
	assert_int_equal(p.cur, strlen("deadlock-1.trace.json"));
	for (int i = 0; i < 11; i++) /* back over ".trace.json" */
		assert_int_equal(prompt_key(&p, KEY_LEFT, 1), PROMPT_STAY);
	assert_int_equal(prompt_key(&p, KEY_BACKSPACE, 1), PROMPT_STAY); /* the 1 */
	prompt_key(&p, 'b', 0);
	prompt_key(&p, 0x9501, 0); /* 锁: three bytes, one character */
	assert_string_equal(p.text, "deadlock-b\xe9\x94\x81.trace.json");
	prompt_key(&p, KEY_LEFT, 1);
	assert_int_equal(p.cur, strlen("deadlock-b")); /* back over the whole character */
	prompt_key(&p, KEY_DC, 1);
	assert_string_equal(p.text, "deadlock-b.trace.json");
	prompt_key(&p, 1, 0); /* ^A */
	assert_int_equal(p.cur, 0);
	prompt_key(&p, KEY_BACKSPACE, 1); /* nothing before the start */
	assert_string_equal(p.text, "deadlock-b.trace.json");
	prompt_key(&p, 5, 0); /* ^E */
	prompt_key(&p, KEY_RIGHT, 1); /* nothing past the end */
	assert_int_equal(p.cur, p.len);
	prompt_key(&p, 127, 0);
	assert_string_equal(p.text, "deadlock-b.trace.jso");
	prompt_key(&p, 21, 0); /* ^U */
	assert_string_equal(p.text, "");
	prompt_key(&p, '\t', 0); /* a control character is not text */
	assert_string_equal(p.text, "");
	for (const char *c = "mine.json"; *c; c++)
		prompt_key(&p, *c, 0);
	assert_int_equal(prompt_key(&p, '\n', 0), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, KEY_ENTER, 1), PROMPT_ACCEPT);
	assert_string_equal(p.text, "mine.json");
	/* the file exists: only y replaces it; n goes back to the name */
	prompt_confirm(&p, "mine.json exists: replace it? (y/n)");
	assert_int_equal(prompt_key(&p, '\n', 0), PROMPT_STAY);
	assert_int_equal(prompt_key(&p, KEY_ENTER, 1), PROMPT_STAY);
	assert_int_equal(prompt_key(&p, 'x', 0), PROMPT_STAY);
	assert_string_equal(p.text, "mine.json");
	assert_int_equal(prompt_key(&p, 'n', 0), PROMPT_NO);
	assert_false(p.confirming);
	prompt_key(&p, '2', 0);
	assert_string_equal(p.text, "mine.json2");
	prompt_confirm(&p, "?");
	assert_int_equal(prompt_key(&p, 'y', 0), PROMPT_ACCEPT);
	prompt_confirm(&p, "?");
	assert_int_equal(prompt_key(&p, 27, 0), PROMPT_CANCEL);
	prompt_close(&p);
	assert_false(p.on);
	assert_int_equal(prompt_key(&p, 'a', 0), PROMPT_CANCEL); /* closed: takes nothing */
	/* a full line takes no more */
	prompt_open(&p, "export to:", "");
	for (size_t i = 0; i < sizeof p.text + 10; i++)
		prompt_key(&p, 'a', 0);
	assert_int_equal(p.len, sizeof p.text - 1);
	assert_int_equal(strlen(p.text), sizeof p.text - 1);
}

/* The challenge list: a digit or an arrow moves the cursor within the
 * list, Enter tracks the chosen one (and forgets a "met" of another), Esc
 * closes without changing what is tracked. */
static void challenges_pick_one_to_track(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_CHALLENGES);
	assert_ptr_equal(ui_overlay_of(&f.v), &overlay_challenges);
	struct ui_classroom *cl = &f.v.cls;
	cl->ngoals = 2;
	cl->active = 0;
	cl->met = 1;
	snprintf(cl->goals[0].id, sizeof cl->goals[0].id, "one");
	snprintf(cl->goals[1].id, sizeof cl->goals[1].id, "two");
	assert_int_equal(key(&f, '3'), UI_OV_STAY); /* no third challenge */
	assert_int_equal(cl->sel, 0);
	assert_int_equal(key(&f, '2'), UI_OV_STAY);
	assert_int_equal(cl->sel, 1);
	assert_int_equal(key(&f, KM_KEY_DOWN), UI_OV_STAY);
	assert_int_equal(cl->sel, 1); /* the last stays the last */
	assert_int_equal(key(&f, 27), UI_OV_CLOSE);
	assert_int_equal(cl->active, 0);
	assert_int_equal(cl->met, 1);
	assert_int_equal(key(&f, '\n'), UI_OV_CLOSE);
	assert_int_equal(cl->active, 1);
	assert_int_equal(cl->met, 0);
}

/* A prediction: one key per answer, only those offered; Esc takes none. */
static void predict_takes_one_key_per_answer(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, UI_OV_PREDICT);
	assert_ptr_equal(ui_overlay_of(&f.v), &overlay_predict);
	struct ui_classroom *cl = &f.v.cls;
	cl->ask = LS_ASK_NEXT;
	cl->nchoices = 3;
	cl->answer = -1;
	assert_int_equal(key(&f, '4'), UI_OV_STAY);
	assert_int_equal(key(&f, 's'), UI_OV_STAY); /* stepping is not an answer */
	assert_int_equal(cl->answer, -1);
	assert_int_equal(overlay_predict.on_click(&f.c, &f.v, 5, 5), UI_OV_STAY);
	assert_int_equal(key(&f, '2'), UI_OV_PREDICTED);
	assert_int_equal(cl->answer, 1);
	assert_int_equal(cl->pending, 1);
	setup(&f, UI_OV_PREDICT);
	f.v.cls.ask = LS_ASK_NEXT;
	f.v.cls.nchoices = 2;
	assert_int_equal(key(&f, 27), UI_OV_CLOSE);
	assert_int_equal(f.v.cls.ask, 0);
	assert_int_equal(f.v.cls.pending, 0);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_open_overlay),
		cmocka_unit_test(help_scrolls_and_closes),
		cmocka_unit_test(diff_scrolls_and_closes),
		cmocka_unit_test(prompt_edits_a_line),
		cmocka_unit_test(runs_choose_then_show),
		cmocka_unit_test(picker_moves_within_the_list),
		cmocka_unit_test(picker_click_chooses_then_starts),
		cmocka_unit_test(signal_menu_two_stages),
		cmocka_unit_test(signal_click_takes_the_chosen_row),
		cmocka_unit_test(challenges_pick_one_to_track),
		cmocka_unit_test(predict_takes_one_key_per_answer),
		cmocka_unit_test(why_box_chooses_rows),
		cmocka_unit_test(picker_changes_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
