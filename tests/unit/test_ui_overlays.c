/* Unit tests: the overlays' keys and clicks (ui_help.c, ui_picker.c,
 * ui_signal.c), handled next to their drawing: what each key does to the
 * overlay's part of the view and what it asks of the front end. Nothing is
 * drawn. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keymap.h"
#include "params.h"
#include "ui.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_open_overlay),
		cmocka_unit_test(help_scrolls_and_closes),
		cmocka_unit_test(picker_moves_within_the_list),
		cmocka_unit_test(picker_click_chooses_then_starts),
		cmocka_unit_test(signal_menu_two_stages),
		cmocka_unit_test(signal_click_takes_the_chosen_row),
		cmocka_unit_test(why_box_chooses_rows),
		cmocka_unit_test(picker_changes_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
