/* A scene module built before goals grew `why` and `fewest`: its goal
 * entries are five fields long and it exports no lockstep_goal_size.
 * lockstep must read its goals with that stride (tests/headless/test_goals.py). */
#include "lockstep-scene.h"

struct old_goal {
	const char *id, *help, *value;
	enum ls_goal_test test;
	const char *params;
};

static ls_value *v;

static int run(void)
{
	v = ls_value_new("count", 0);
	ls_value_write(v, 1);
	return 0;
}

__attribute__((visibility("default"))) const struct old_goal lockstep_goals[] = {
	{.id = "moved", .help = "count ends away from 0", .value = "count", .test = LS_GOAL_CHANGED},
	{.id = "small", .help = "count ends below 5", .value = "count", .test = LS_GOAL_BELOW,
	 .params = NULL},
	{0},
};

LS_SCENE(.id = "test-old-goals", .title = "a module with goals of the first layout",
         .summary = "Writes 1 to count.", .run = run);
