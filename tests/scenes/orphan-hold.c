/* orphan-hold: a test scene for "nothing outlives lockstep". main starts
 * `parent`, which starts `orphan` (LS_ORPHAN_OK: no die-with-parent signal of
 * its own) and exits at once, so the orphan is adopted by the scene host.
 * The orphan then sleeps for ever and main joins it: run with --free, a test
 * kills lockstep and checks the orphan dies too. */
#include "lockstep-scene.h"

static int orphan(void *arg)
{
	(void)arg;
	for (;;) /* an hour at a time: it writes nothing, so only a kill ends it */
		ls_sleep_ms(3600000);
	return 0;
}

static int parent(void *arg)
{
	(void)arg;
	ls_spawn("orphan", orphan, NULL, LS_PROCESS | LS_ORPHAN_OK);
	if (ls_param("parent_stays")) {
		ls_say("parent stays");
		for (;;)
			ls_sleep_ms(3600000);
	}
	ls_exit(0);
}

static int run(void)
{
	ls_join(ls_spawn("parent", parent, NULL, LS_PROCESS));
	ls_say("adopted");
	for (int i = 1; i < 8; i++)
		if (ls_worker_name(i)[0] == 'o') /* the orphan, now main's child */
			ls_join(i);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "parent_stays", .type = LS_PARAM_INT, .def = 0, .min = 0, .max = 1,
	 .help = "1: the parent sleeps too, so the orphan is never adopted"},
	{0},
};

LS_SCENE(.id = "test-orphan-hold", .title = "test: an adopted orphan that waits",
         .summary = "An orphan adopted by the host, waiting forever with main.", .params = params, .run = run);
