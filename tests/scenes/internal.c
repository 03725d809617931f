/* internal: a test scene that calls one of lockstep's internals instead of
 * the scene API. The binary exports only ls_* (lockstep-scene.dynlist), so
 * this module must not load: lockstep names it and goes on without it. */
#include "lockstep-scene.h"

void bus_flush(void); /* the probe's, not part of the scene API */

static int run(void)
{
	bus_flush();
	return 0;
}

LS_SCENE(.id = "test-internal", .title = "test: calls an internal function",
         .summary = "Calls bus_flush(), which is not part of the scene API.", .run = run);
