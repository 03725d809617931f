/* fatal: a test scene whose start fails in the middle, so a test can check
 * that the failure names what failed and why (errno), in full: it makes the
 * same FIFO twice, and the second mkfifo fails with EEXIST. */
#include "lockstep-scene.h"

static int run(void)
{
	ls_fifo_new("a-fifo-with-a-rather-long-name-to-pass-one-record");
	ls_fifo_new("a-fifo-with-a-rather-long-name-to-pass-one-record");
	return 0;
}

LS_SCENE(.id = "test-fatal", .title = "test: a scene that cannot start",
         .summary = "Makes one FIFO twice: the second mkfifo fails.", .run = run);
