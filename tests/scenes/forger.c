/* forger: a hostile test scene that writes well-formed records of its own on
 * the bus (fd 3): a HELLO naming another process group, and a worker
 * "victim" whose pid is another process (the parameter `victim`), parked at
 * a gate. Nothing lockstep does to a process may follow such a record: a
 * test checks the victim is never signalled, stopped or killed. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "lockstep-scene.h"

static void forge(int type, int worker, int64_t a0, int64_t a1, int64_t a2, const char *text)
{
	struct ls_event ev;
	event_init(&ev, type, 0, 1, worker, -1);
	ev.u.a[0] = a0;
	if (text) {
		event_set_text(&ev, text);
	} else {
		ev.u.a[1] = a1;
		ev.u.a[2] = a2;
	}
	ssize_t r = write(3, &ev, sizeof ev);
	(void)r;
}

static int run(void)
{
	long victim = ls_param("victim");
	ls_sem *never = ls_sem_new("never", 0);
	ls_work_ms(1); /* flush what the probe has batched */
	forge(LS_EV_HELLO, -1, victim, LS_SCENE_ABI, 0, NULL);
	forge(LS_EV_WORKER, 9, LS_WK_PROCESS, 0, 0, NULL);
	forge(LS_EV_NAME, 9, LS_NAME_WORKER, 0, 0, "victim");
	forge(LS_EV_SPAWN, 9, victim, victim, 1, NULL);
	forge(LS_EV_WANT, 9, LS_OP_SLEEP, 0, 0, NULL);
	/* a program the scene execs must not inherit the bus */
	ls_say("bus close-on-exec: %d", (fcntl(3, F_GETFD) & FD_CLOEXEC) != 0);
	/* hostile text, on the scene's stdout and in its narration */
	static const char *const bad[] = {
		"overlong \xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf end",
		"surrogate \xed\xa0\x80 \xed\xbf\xbf end",
		"beyond \xf4\x90\x80\x80 \xf5\x80\x80\x80 \xff end",
		("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80"
		 "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80 40 continuation bytes"),
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		printf("%s\n", bad[i]);
		ls_say("%s", bad[i]);
	}
	fflush(stdout);
	ls_say("forged");
	ls_sem_wait(never);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "victim", .type = LS_PARAM_INT, .def = 1, .min = 1, .max = 4194304,
	 .help = "the pid the forged records name"},
	{0},
};

LS_SCENE(.id = "test-forger", .title = "test: a scene that forges bus records",
         .summary = "Writes a HELLO and a worker naming another process.", .params = params,
         .run = run);
