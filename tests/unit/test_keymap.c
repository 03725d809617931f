/* The key table: every entry reachable, no key bound twice, digits name
 * workers as the screen shows them, --help written from the table. And
 * events in words (describe), which the log pane shows. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "describe.h"
#include "fold.h"
#include "i18n.h"
#include "keymap.h"
#include "theme.h"

static void every_action_has_a_key(void **state)
{
	(void)state;
	assert_int_equal(sizeof km_table / sizeof km_table[0], KM_COUNT - 1);
	for (int i = 0; i < KM_COUNT - 1; i++) {
		assert_int_equal(km_table[i].action, i + 1);
		assert_int_not_equal(km_table[i].codes[0], 0);
	}
}

static void no_key_twice(void **state)
{
	(void)state;
	for (int ctx = KM_MAIN; ctx <= KM_LIST; ctx++)
		for (int key = 1; key < 0777; key++) {
			int n = 0;
			for (int i = 0; i < KM_COUNT - 1; i++) {
				if (!(km_table[i].ctx & ctx))
					continue;
				for (int j = 0; j < 3; j++)
					n += km_table[i].codes[j] == key ||
					     (km_table[i].codes[j] == KM_DIGIT && key >= '0' && key <= '9');
			}
			if (n > 1)
				fail_msg("key %d is bound %d times in context %d", key, n, ctx);
		}
}

static void lookups(void **state)
{
	(void)state;
	int arg = -1;
	assert_int_equal(km_lookup(' ', KM_MAIN, NULL), KM_RUN_PAUSE);
	assert_int_equal(km_lookup('s', KM_MAIN, NULL), KM_STEP);
	assert_int_equal(km_lookup(KM_KEY_RIGHT, KM_MAIN, NULL), KM_STEP);
	assert_int_equal(km_lookup('7', KM_MAIN, &arg), KM_STEP_WORKER);
	assert_int_equal(arg, 7);
	assert_int_equal(km_lookup('0', KM_MAIN, &arg), KM_STEP_WORKER);
	assert_int_equal(arg, 0);
	assert_int_equal(km_lookup('+', KM_MAIN, NULL), KM_FASTER);
	assert_int_equal(km_lookup('-', KM_MAIN, NULL), KM_SLOWER);
	assert_int_equal(km_lookup('r', KM_MAIN, NULL), KM_RESTART);
	assert_int_equal(km_lookup('l', KM_MAIN, NULL), KM_SCENES);
	assert_int_equal(km_lookup('\t', KM_MAIN, NULL), KM_FOCUS);
	assert_int_equal(km_lookup(KM_KEY_NPAGE, KM_MAIN, NULL), KM_PAGE_DOWN);
	assert_int_equal(km_lookup('?', KM_MAIN, NULL), KM_HELP);
	assert_int_equal(km_lookup('q', KM_MAIN, NULL), KM_QUIT);
	/* the deadlock panes (g is already Home) */
	assert_int_equal(km_lookup('w', KM_MAIN, NULL), KM_GRAPH);
	assert_int_equal(km_lookup('c', KM_MAIN, NULL), KM_CONDITIONS);
	assert_int_equal(km_lookup('g', KM_MAIN, NULL), KM_HOME);
	assert_int_equal(km_lookup('k', KM_MAIN, NULL), KM_SCENE_KEY);
	assert_int_equal(km_lookup('!', KM_MAIN, NULL), KM_SIGNAL);
	assert_int_equal(km_lookup('b', KM_MAIN, NULL), KM_BACK);
	assert_int_equal(km_lookup(KM_KEY_LEFT, KM_MAIN, NULL), KM_BACK);
	assert_int_equal(km_lookup(']', KM_MAIN, NULL), KM_NEXT_MARK);
	assert_int_equal(km_lookup('[', KM_MAIN, NULL), KM_PREV_MARK);
	assert_int_equal(km_lookup('.', KM_MAIN, NULL), KM_NOW);
	assert_int_equal(km_lookup('t', KM_MAIN, NULL), KM_TIMELINE);
	assert_int_equal(km_lookup('e', KM_MAIN, NULL), KM_EXPORT);
	assert_int_equal(km_lookup('v', KM_MAIN, NULL), KM_BRANCHES);
	assert_int_equal(km_lookup('d', KM_MAIN, NULL), KM_DIFF);
	assert_int_equal(km_lookup('<', KM_MAIN, NULL), KM_TL_BACK);
	assert_int_equal(km_lookup('>', KM_MAIN, NULL), KM_TL_FORWARD);
	assert_int_equal(km_lookup('z', KM_MAIN, NULL), KM_TL_ZOOM);
	assert_int_equal(km_lookup('k', KM_LIST, NULL), KM_NONE); /* k no longer scrolls */
	/* lists take Enter and Esc; the main screen does not */
	assert_int_equal(km_lookup('\n', KM_LIST, NULL), KM_PICK);
	assert_int_equal(km_lookup(27, KM_LIST, NULL), KM_CLOSE);
	assert_int_equal(km_lookup('\n', KM_MAIN, NULL), KM_NONE);
	assert_int_equal(km_lookup(' ', KM_LIST, NULL), KM_NONE);
	assert_int_equal(km_lookup('i', KM_MAIN, NULL), KM_NONE);
	/* the lecture view: why?, presenter zoom, a fix at the same moment */
	assert_int_equal(km_lookup('y', KM_MAIN, NULL), KM_WHY);
	assert_int_equal(km_lookup('f', KM_MAIN, NULL), KM_ZOOM);
	assert_int_equal(km_lookup('u', KM_MAIN, NULL), KM_FIX);
	/* the explorer (ui_explore.c) */
	assert_int_equal(km_lookup('x', KM_MAIN, NULL), KM_EXPLORE);
	assert_int_equal(km_lookup('m', KM_MAIN, NULL), KM_MAP);
}

static void help_from_the_table(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	km_help(f);
	fclose(f);
	for (int i = 0; i < KM_COUNT - 1; i++)
		if (km_table[i].help && !strstr(buf, km_table[i].help))
			fail_msg("--help lacks '%s'", km_table[i].help);
	assert_non_null(strstr(buf, "--headless"));
	free(buf);
}

static void digits_name_workers(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "T1", LS_WK_THREAD);
	worker(&m, 2, "T2", LS_WK_PROCESS);
	assert_int_equal(km_worker_for_digit(&m, 0), 0);
	assert_int_equal(km_worker_for_digit(&m, 1), 1);
	assert_int_equal(km_worker_for_digit(&m, 2), 2);
	assert_int_equal(km_worker_for_digit(&m, 3), -1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(km_worker_for_digit(&m, km_digit_for_worker(&m, i)), i);
	for (int i = 3; i < 14; i++) {
		char name[8];
		snprintf(name, sizeof name, "W%d", i);
		worker(&m, i, name, LS_WK_THREAD);
	}
	assert_int_equal(km_digit_for_worker(&m, 10), -1); /* the tenth non-main has no key */
	assert_int_equal(km_digit_for_worker(&m, 9), 9);
	model_free(&m);
}

static void events_in_words(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "T1", LS_WK_THREAD);
	worker(&m, 2, "T2", LS_WK_THREAD);
	object(&m, 0, "A", LS_OBJ_MUTEX, 0, 0, -1);
	object(&m, 1, "B", LS_OBJ_MUTEX, 0, 0, -1);
	char buf[200];
	struct ls_event e;
	ev(&m, LS_EV_ACQUIRED, 1, 0, LS_OP_LOCK, 1, 0, 0);
	ev(&m, LS_EV_ACQUIRED, 2, 1, LS_OP_LOCK, 1, 0, 0);
	event_init(&e, LS_EV_BLOCKED, 99, 0, 1, 1);
	e.u.a[0] = LS_OP_LOCK;
	e.u.a[1] = 1;
	model_apply(&m, &e);
	assert_int_equal(describe_event(&m, &e, buf, sizeof buf), TH_BLOCKED);
	assert_string_equal(buf, "T1 blocked on B, held by T2");
	event_init(&e, LS_EV_BLOCKED, 100, 0, 2, 0);
	e.u.a[0] = LS_OP_LOCK;
	e.u.a[1] = 1;
	model_apply(&m, &e);
	describe_event(&m, &e, buf, sizeof buf);
	assert_string_equal(buf, "T2 blocked on A, held by T1");
	struct analysis an;
	analysis_run(&m, &an);
	assert_true(an.deadlock);
	describe_cycle(&m, &an, buf, sizeof buf);
	assert_non_null(strstr(buf, "T1 waits for B, held by T2"));
	assert_non_null(strstr(buf, "T2 waits for A, held by T1"));
	describe_cycle_arrows(&m, &an, 1, buf, sizeof buf);
	assert_true(strcmp(buf, "T1 -> B -> T2 -> A -> T1") == 0 ||
	            strcmp(buf, "T2 -> A -> T1 -> B -> T2") == 0);
	/* names and narration chunks are not log lines */
	event_init(&e, LS_EV_SAY, 101, 0, 1, -1);
	assert_int_equal(describe_event(&m, &e, buf, sizeof buf), -1);
	model_free(&m);
}

/* Signals and processes in words: who sent which signal to whom and what
 * it will do, handlers by name, a zombie and its reaping. */
static void signals_in_words(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	worker(&m, 0, "main", LS_WK_THREAD);
	worker(&m, 1, "driver", LS_WK_PROCESS);
	worker(&m, 2, "conductor", LS_WK_PROCESS);
	char buf[200];
	struct ls_event e;
	event_init(&e, LS_EV_SIGNAL, 500, 0, -1, -1);
	e.u.a[0] = 2;
	e.u.a[1] = 2; /* SIGINT */
	e.u.a[2] = LS_SIG_HANDLE;
	model_apply(&m, &e);
	assert_int_equal(describe_event(&m, &e, buf, sizeof buf), TH_KEY);
	assert_string_equal(buf, "user sent SIGINT to conductor: its handler will run");
	e.u.a[0] = 1;
	e.u.a[2] = LS_SIG_IGNORE;
	describe_event(&m, &e, buf, sizeof buf);
	assert_string_equal(buf, "user sent SIGINT to driver, who ignores it");
	event_init(&e, LS_EV_SIGNAL, 501, 0, 2, -1);
	e.u.a[0] = 1;
	e.u.a[1] = 10; /* SIGUSR1 */
	e.u.a[2] = LS_SIG_HANDLE;
	describe_event(&m, &e, buf, sizeof buf);
	assert_string_equal(buf, "conductor sent SIGUSR1 to driver: its handler will run");
	text(&m, LS_EV_HANDLER, 1, -1, 10, "driver_on_usr1");
	event_init(&e, LS_EV_HANDLER, 502, 0, 1, -1);
	e.u.s.a0 = 10;
	event_set_text(&e, "driver_on_usr1");
	describe_event(&m, &e, buf, sizeof buf);
	assert_string_equal(buf, "driver handled SIGUSR1: driver_on_usr1() runs");
	event_init(&e, LS_EV_DONE, 503, 0, 2, -1);
	e.u.a[0] = LS_OP_SIGACTION;
	e.u.a[1] = 20; /* SIGTSTP */
	e.u.a[2] = LS_DISP_IGNORE;
	describe_event(&m, &e, buf, sizeof buf);
	assert_string_equal(buf, "conductor will ignore SIGTSTP");
	/* exit: a ZOMBIE until reaped */
	ev(&m, LS_EV_EXIT, 2, -1, 0, LS_EXIT_RETURN, 0, 0);
	assert_int_equal(m.w[2].state, LS_WS_ZOMBIE);
	event_init(&e, LS_EV_EXIT, 504, 0, 2, -1);
	assert_int_equal(describe_event(&m, &e, buf, sizeof buf), TH_ZOMBIE);
	assert_non_null(strstr(buf, "ZOMBIE"));
	ev(&m, LS_EV_REAPED, 2, -1, 15, 1, 0, 0); /* killed by SIGTERM */
	event_init(&e, LS_EV_REAPED, 505, 0, 2, -1);
	e.u.a[0] = 15;
	e.u.a[1] = 1;
	describe_event(&m, &e, buf, sizeof buf);
	assert_string_equal(buf, "conductor reaped by driver (killed by SIGTERM): TERMINATED");
	assert_string_equal(describe_signal(40), "signal 40"); /* glibc names no real-time signal */
	model_free(&m);
}

static void output_made_safe(void **state)
{
	(void)state;
	char out[128];
	describe_output("\033[2J\033[H\033[31mred\033[0m line\ttab\a", out, sizeof out);
	assert_string_equal(out, "red line tab");
	describe_output("\033]0;title\007after \033]2;t\033\\end", out, sizeof out);
	assert_string_equal(out, "after end");
	describe_output("cut \033[", out, sizeof out);
	assert_string_equal(out, "cut ");
	describe_output("\xe4\xb8\xad ok", out, sizeof out);
	assert_string_equal(out, "\xe4\xb8\xad ok");
	describe_output("abcdef", out, 4);
	assert_string_equal(out, "abc");
}

static int setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_action_has_a_key),
		cmocka_unit_test(no_key_twice),
		cmocka_unit_test(lookups),
		cmocka_unit_test(help_from_the_table),
		cmocka_unit_test(digits_name_workers),
		cmocka_unit_test(events_in_words),
		cmocka_unit_test(signals_in_words),
		cmocka_unit_test(output_made_safe),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
