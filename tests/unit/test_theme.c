/* Theme files: the shipped ones parse, colours and attributes read as
 * documented, mistakes are reported with their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "theme.h"

static void colours(void **state)
{
	(void)state;
	assert_int_equal(theme_color("default"), TH_DEFAULT_COLOR);
	assert_int_equal(theme_color("red"), 1);
	assert_int_equal(theme_color("White"), 7);
	assert_int_equal(theme_color("bright-red"), 9);
	assert_int_equal(theme_color("208"), 208);
	assert_int_equal(theme_color("256"), -2);
	assert_int_equal(theme_color("bright-208"), -2);
	assert_int_equal(theme_color("purple"), -2);
}

static void attributes(void **state)
{
	(void)state;
	assert_int_equal(theme_attrs(""), 0);
	assert_int_equal(theme_attrs("bold"), TH_A_BOLD);
	assert_int_equal(theme_attrs("bold,reverse"), TH_A_BOLD | TH_A_REVERSE);
	assert_int_equal(theme_attrs("underline dim"), TH_A_UNDERLINE | TH_A_DIM);
	assert_int_equal(theme_attrs("blink"), -1);
}

static void parse_text(void **state)
{
	(void)state;
	struct theme t;
	char err[256];
	theme_defaults(&t);
	assert_int_equal(t.role[TH_ALARM].fg, 7);
	assert_int_equal(t.role[TH_ALARM].bg, 1);
	assert_int_equal(theme_parse(&t,
	                             "# a comment\n[theme]\nname = mine\nspacing = 1\nglyphs = large\n"
	                             "bold = yes\n[colors]\nalarm = black bright-yellow bold,reverse\n"
	                             "blocked = 196\n",
	                             err, sizeof err),
	                 0);
	assert_string_equal(t.name, "mine");
	assert_int_equal(t.spacing, 1);
	assert_true(t.large_glyphs && t.bold);
	assert_int_equal(t.role[TH_ALARM].fg, 0);
	assert_int_equal(t.role[TH_ALARM].bg, 11);
	assert_int_equal(t.role[TH_ALARM].attrs, TH_A_BOLD | TH_A_REVERSE);
	assert_int_equal(t.role[TH_BLOCKED].fg, 196);
	assert_int_equal(t.role[TH_BLOCKED].bg, TH_DEFAULT_COLOR);
	assert_int_equal(t.role[TH_BLOCKED].attrs, 0);
}

static void mistakes(void **state)
{
	(void)state;
	struct theme t;
	char err[256];
	static const struct {
		const char *text, *want;
	} bad[] = {
		{"[colors]\nalarm = purple red\n", "line 2"},
		{"[colors]\n\nnope = red\n", "nope"},
		{"[theme]\nspacing = 7\n", "spacing"},
		{"[theme]\nglyphs = huge\n", "glyphs"},
		{"[other]\nx = 1\n", "other"},
		{"[colors]\nalarm = red red sparkly\n", "alarm"},
		{"this is not ini\n", "line 1"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		theme_defaults(&t);
		err[0] = '\0';
		assert_int_equal(theme_parse(&t, bad[i].text, err, sizeof err), -1);
		if (!strstr(err, bad[i].want))
			fail_msg("'%s' gave '%s', wanted '%s'", bad[i].text, err, bad[i].want);
	}
}

static void shipped_themes(void **state)
{
	(void)state;
	static const char *const names[] = {"default", "projector", "mono"};
	for (size_t i = 0; i < 3; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s.theme", THEME_DIR, names[i]);
		struct theme t;
		char err[256];
		/* by path, as a user would pass a copy */
		if (theme_load(&t, path, err, sizeof err) != 0)
			fail_msg("%s: %s", path, err);
		assert_string_equal(t.name, names[i]);
	}
	struct theme d, b;
	char err[256];
	char path[512];
	snprintf(path, sizeof path, "%s/default.theme", THEME_DIR);
	assert_int_equal(theme_load(&d, path, err, sizeof err), 0);
	theme_defaults(&b);
	/* the file and the built-in fallback agree */
	assert_memory_equal(d.role, b.role, sizeof d.role);
	struct theme m;
	snprintf(path, sizeof path, "%s/mono.theme", THEME_DIR);
	assert_int_equal(theme_load(&m, path, err, sizeof err), 0);
	for (int r = 0; r < TH_COUNT; r++) /* mono: no colour anywhere */
		assert_true(m.role[r].fg == TH_DEFAULT_COLOR && m.role[r].bg == TH_DEFAULT_COLOR);
	assert_int_equal(theme_load(&m, "/nonexistent/x.theme", err, sizeof err), -1);
	assert_int_equal(theme_load(&m, "no such name", err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(colours),
		cmocka_unit_test(attributes),
		cmocka_unit_test(parse_text),
		cmocka_unit_test(mistakes),
		cmocka_unit_test(shipped_themes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
