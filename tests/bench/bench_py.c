/* bench_py: what tracing costs a Python program (lockstep run). A traced,
 * uncontended threading.Lock acquire+release pair in a free run at full
 * speed, beside the bare _thread lock pair in the same interpreter and the
 * same run (tests/bench/py_lock_pairs.py measures both and prints them).
 * The program runs through the engine in this process, as a scene would:
 * the model folds every record, no front end prints them. Target: at most
 * 2 us per traced pair. */
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "engine.h"
#include "host.h"
#include "program.h"

#ifndef LS_SOURCE_ROOT
#define LS_SOURCE_ROOT "."
#endif

static void stop_loop(void *ud)
{
	(void)ud;
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

void bench_py(void)
{
	const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
	char prog[4096], n[32];
	snprintf(prog, sizeof prog, "%s/tests/bench/py_lock_pairs.py", LS_SOURCE_ROOT);
	snprintf(n, sizeof n, "%d", quick ? 20000 : 300000);
	char *argv[] = {(char *)py, prog, n, NULL};
	char err[1024];
	const struct ls_scene *sc = program_scene(argv, err, sizeof err);
	if (!sc) {
		fprintf(stderr, "bench: python: %s\n", err);
		failures++;
		return;
	}
	struct engine_opts o = {.scene = sc, .mode = LS_MODE_RUN, .free_run = 1, .autostep = 1};
	struct engine_cb cb = {.ended = stop_loop};
	struct engine *e = engine_new(EV_DEFAULT, &o, &cb, NULL);
	if (engine_start(e, err, sizeof err) != 0) {
		fprintf(stderr, "bench: python: %s\n", err);
		failures++;
		return;
	}
	ev_run(EV_DEFAULT, 0);
	double bare = -1, traced = -1;
	const struct model *m = engine_model(e);
	for (uint64_t i = 0; i < LS_SAYS_N && i < (uint64_t)m->nsays; i++)
		if (sscanf(m->says[i].text, "bare %lf traced %lf", &bare, &traced) == 2)
			break;
	if (engine_outcome(e) != LS_OUT_FINISHED || traced < 0) {
		fprintf(stderr, "bench: python: %s (%s)\n", engine_outcome_name(engine_outcome(e)),
		        engine_error(e));
		failures++;
	}
	engine_free(e);
	host_reap_all();
	add((struct figure){"python Lock acquire+release, traced, free run", "ns/pair", traced, bare,
	                    "the bare _thread lock pair, same interpreter", "<= 2000 ns",
	                    traced >= 0 && traced <= 2000, "ctypes calls: 3 per pair, the GIL kept"});
}
