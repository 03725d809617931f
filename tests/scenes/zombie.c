/* zombie: a test scene for the kernel's view. A child process exits at once
 * and main never reaps it: main waits on a semaphore nobody will post, so the
 * run ends in a stall with the child a zombie in both views (lockstep ZOMBIE,
 * kernel Z) and main asleep (lockstep BLOCKED, kernel S). */
#include "lockstep-scene.h"

static int child(void *arg)
{
	(void)arg;
	return 7;
}

static int run(void)
{
	ls_sem *never = ls_sem_new("never", 0);
	ls_spawn("Z", child, NULL, LS_PROCESS);
	ls_sem_wait(never);
	return 0;
}

LS_SCENE(.id = "test-zombie", .title = "test: an unreaped child and a stalled parent",
         .summary = "A child process exits; its parent waits forever without reaping it.",
         .run = run);
