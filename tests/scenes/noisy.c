/* noisy: a test scene that writes to stdout and stderr, escape sequences
 * included, as a careless scene would. lockstep must show it in the log and
 * never let it reach the screen by itself. */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_mutex *m;

static int talker(void *arg)
{
	(void)arg;
	for (int i = 1; i <= 3; i++) {
		ls_lock(m);
		printf("talker line %d\n", i);
		fflush(stdout);
		ls_unlock(m);
	}
	return 0;
}

static int run(void)
{
	m = ls_mutex_new("M");
	printf("NOISY stdout line\n");
	fflush(stdout);
	fprintf(stderr, "\033[2J\033[H\033[31mNOISY stderr line\n");
	ls_worker w = ls_spawn("talker", talker, NULL, LS_THREAD);
	ls_join(w);
	return 0;
}

LS_SCENE(.id = "test-noisy", .title = "test: a scene that prints",
         .summary = "The scene prints to stdout and stderr instead of narrating.", .run = run);
