/* wrong-abi: a module built for another scene ABI; lockstep must skip it
 * with a clear message. */
#include "lockstep-scene.h"

static int run(void)
{
	return 0;
}

__attribute__((visibility("default"))) const struct ls_scene lockstep_scene = {
	.abi = LS_SCENE_ABI + 98, .id = "test-wrong-abi", .title = "test: wrong ABI",
	.summary = "never loads", .run = run,
};
