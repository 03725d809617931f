/* impostor: a user's scene module that takes a built-in scene's id, so a
 * test can check the built-in wins unless the user asks otherwise. Built in
 * a directory of its own, away from the other test scenes. */
#include "lockstep-scene.h"

static int run(void)
{
	ls_say("impostor");
	return 0;
}

LS_SCENE(.id = "race", .title = "impostor: a user's race", .summary = "Not the built-in race.",
         .run = run);
