/* Unit tests: a scene's parameters (params.c), pure: defaults, --param
 * K=V for numbers and choices, the words of each refusal, showing a value,
 * and checking a descriptor's parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "params.h"

static int run_nothing(void) { return 0; }

static const struct ls_param_desc good[] = {
	{.name = "n", .type = LS_PARAM_INT, .def = 5, .min = 2, .max = 10, .help = "how many"},
	{.name = "fix", .type = LS_PARAM_CHOICE, .def = 1, .choices = "none|order|trylock", .help = "which fix"},
	{0},
};
static const struct ls_scene scene = {
	.abi = LS_SCENE_ABI, .id = "demo", .title = "t", .summary = "s", .params = good, .run = run_nothing,
};

static void defaults_and_count(void **state)
{
	(void)state;
	long v[LS_PARAMS_MAX] = {0};
	assert_int_equal(params_count(&scene), 2);
	params_defaults(&scene, v);
	assert_int_equal(v[0], 5);
	assert_int_equal(v[1], 1);
	struct ls_scene none = scene;
	none.params = NULL;
	assert_int_equal(params_count(&none), 0);
	assert_null(params_check(&scene));
}

static void set_numbers_and_choices(void **state)
{
	(void)state;
	long v[LS_PARAMS_MAX];
	char err[256];
	params_defaults(&scene, v);
	assert_int_equal(params_set(&scene, v, "n=10", err, sizeof err), 0);
	assert_int_equal(v[0], 10);
	assert_int_equal(params_set(&scene, v, "fix=trylock", err, sizeof err), 0);
	assert_int_equal(v[1], 2);
	assert_int_equal(params_set(&scene, v, "fix=none", err, sizeof err), 0);
	assert_int_equal(v[1], 0);
	char buf[16];
	assert_string_equal(params_show(&scene, 1, v[1], buf, sizeof buf), "none");
	assert_string_equal(params_show(&scene, 0, v[0], buf, sizeof buf), "10");
	assert_string_equal(params_show(&scene, 1, 7, buf, sizeof buf), "7"); /* no such choice */
}

static void refusals_say_why(void **state)
{
	(void)state;
	long v[LS_PARAMS_MAX];
	char err[256];
	params_defaults(&scene, v);
	assert_int_equal(params_set(&scene, v, "n", err, sizeof err), -1);
	assert_string_equal(err, "parameter 'n' is not of the form name=value");
	assert_int_equal(params_set(&scene, v, "=3", err, sizeof err), -1);
	assert_int_equal(params_set(&scene, v, "n=11", err, sizeof err), -1);
	assert_string_equal(err, "parameter n of scene demo must be between 2 and 10, not 11");
	assert_int_equal(params_set(&scene, v, "n=3x", err, sizeof err), -1);
	assert_string_equal(err, "parameter n of scene demo must be a whole number, not '3x'");
	assert_int_equal(params_set(&scene, v, "n=", err, sizeof err), -1);
	assert_int_equal(params_set(&scene, v, "n=99999999999999999999", err, sizeof err), -1);
	assert_int_equal(params_set(&scene, v, "fix=ord", err, sizeof err), -1);
	assert_string_equal(err, "parameter fix of scene demo must be one of none|order|trylock, not 'ord'");
	assert_int_equal(params_set(&scene, v, "nn=3", err, sizeof err), -1);
	assert_string_equal(err, "scene demo has no parameter 'nn'");
	/* a refusal changes nothing */
	assert_int_equal(v[0], 5);
	assert_int_equal(v[1], 1);
}

static void bad_descriptors(void **state)
{
	(void)state;
	struct ls_param_desc bad[] = {good[0], good[1], {0}};
	struct ls_scene sc = scene;
	sc.params = bad;
	bad[0].def = 11;
	assert_string_equal(params_check(&sc), "a parameter's default is out of its range");
	bad[0].def = 5;
	bad[1].def = 3;
	assert_string_equal(params_check(&sc), "a parameter's default is not one of its choices");
	bad[1].def = -1;
	assert_non_null(params_check(&sc));
	static struct ls_param_desc many[LS_PARAMS_MAX + 2];
	for (int i = 0; i < LS_PARAMS_MAX + 1; i++)
		many[i] = good[0];
	sc.params = many;
	assert_string_equal(params_check(&sc), "it has too many parameters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_and_count),
		cmocka_unit_test(set_numbers_and_choices),
		cmocka_unit_test(refusals_say_why),
		cmocka_unit_test(bad_descriptors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
