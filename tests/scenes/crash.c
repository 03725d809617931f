/* crash: a test scene whose worker thread dies of SIGSEGV while holding a
 * lock. lockstep must report the crash (which worker, which signal), never
 * take it for a deadlock, and leave nothing behind. */
#include <signal.h>

#include "lockstep-scene.h"

static ls_mutex *m;

static int victim(void *arg)
{
	(void)arg;
	ls_lock(m);
	raise(SIGSEGV);
	return 0;
}

static int run(void)
{
	m = ls_mutex_new("M");
	ls_worker w = ls_spawn("victim", victim, NULL, LS_THREAD);
	ls_join(w);
	return 0;
}

LS_SCENE(.id = "test-crash", .title = "test: a worker crashes",
         .summary = "A worker thread segfaults while holding a lock.", .run = run);
