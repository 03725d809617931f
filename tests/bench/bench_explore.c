/* bench_explore: the schedule explorer's runs per second on the deadlock
 * scene, beside what a run cannot cost less than: starting and reaping a
 * scene host whose scene does nothing, in the same process, the same way
 * (engine_new, fork, run to END, reap). Also the road not taken: a whole
 * `lockstep --headless` process per run (exec, dynamic loading, catalog). */
#include <fcntl.h>
#include <ev.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "catalog.h"
#include "engine.h"
#include "explore.h"
#include "host.h"
#include "lockstep-scene.h"

extern char **environ;

static int empty_run(void)
{
	return 0;
}

static const struct ls_scene empty_scene = {
	.abi = LS_SCENE_ABI, .id = "bench-empty", .title = "bench", .summary = "bench",
	.run = empty_run,
};

static void stop_loop(void *ud)
{
	(void)ud;
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

/* ms per run of `sc` stepped by the engine alone along `schedule` (NULL:
 * round-robin): for the empty scene, a host that starts, says hello, ends
 * and is reaped. */
static double engine_run_ms(const struct ls_scene *sc, const char *schedule, int n)
{
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		struct engine_opts o = {.scene = sc, .mode = LS_MODE_STEP, .autostep = 1,
		                        .schedule = schedule};
		params_defaults(sc, o.params);
		struct engine_cb cb = {.ended = stop_loop};
		struct engine *e = engine_new(EV_DEFAULT, &o, &cb, NULL);
		char err[256];
		if (!e || engine_start(e, err, sizeof err) != 0) {
			fprintf(stderr, "bench: %s: %s\n", sc->id, e ? err : "out of memory");
			failures++;
			engine_free(e);
			return -1;
		}
		ev_run(EV_DEFAULT, 0);
		if (engine_outcome(e) != LS_OUT_FINISHED) {
			fprintf(stderr, "bench: %s ended %s: %s\n", sc->id,
			        engine_outcome_name(engine_outcome(e)), engine_error(e));
			failures++;
			n = i + 1;
			engine_free(e);
			host_reap_all();
			break;
		}
		engine_free(e);
		host_reap_all();
	}
	return (now_s() - t0) * 1000.0 / n;
}

static char bindir[PATH_MAX];

static void find_bindir(void)
{
	ssize_t n = readlink("/proc/self/exe", bindir, sizeof bindir - 1);
	if (n <= 0)
		return;
	bindir[n] = 0;
	for (int up = 0; up < 3; up++) { /* build/tests/bench/lockstep-bench -> build */
		char *s = strrchr(bindir, '/');
		if (s)
			*s = 0;
	}
}

/* ms per `lockstep deadlock --headless --schedule=...` process */
static double headless_process_ms(int n)
{
	char exe[PATH_MAX + 16];
	snprintf(exe, sizeof exe, "%s/lockstep", bindir);
	char *argv[] = {exe, "deadlock", "--headless", "--schedule=main,T1,T2,T2,T1", NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		pid_t pid;
		int st;
		if (posix_spawn(&pid, exe, &fa, NULL, argv, environ) != 0 ||
		    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 3) {
			fprintf(stderr, "bench: %s did not deadlock\n", exe);
			failures++;
			break;
		}
	}
	posix_spawn_file_actions_destroy(&fa);
	return (now_s() - t0) * 1000.0 / n;
}

/* Every schedule of the deadlock scene (--map), its output thrown away. */
static int explore_deadlock(const struct ls_scene *sc, struct explore_stats *st)
{
	struct engine_opts eo = {.scene = sc};
	params_defaults(sc, eo.params);
	struct explore_opts xo = {.bound = -1, .map = 1, .json = 1,
	                          .budget = quick ? "100" : "5000"};
	fflush(stdout);
	int out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	dup2(null, 2);
	int rc = explore_main(&eo, &xo);
	fflush(stdout);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	explore_last_stats(st);
	return rc;
}

void bench_explore(void)
{
	find_bindir();
	/* the process forks every host: load the scene modules first, so the
	 * baselines fork the same address space the explorer does */
	static struct catalog cat;
	char dir[PATH_MAX + 16];
	snprintf(dir, sizeof dir, "%s/scenes", bindir);
	if (!cat.n)
		catalog_load(&cat, dir, stderr);
	const struct ls_scene *sc = catalog_find(&cat, "deadlock");
	if (!sc) {
		fprintf(stderr, "bench: no deadlock scene in %s\n", dir);
		failures++;
		return;
	}
	int n = quick ? 50 : 1000;
	double base = engine_run_ms(&empty_scene, NULL, n);
	/* the explorer's first schedule (11 steps; the mean is 12), without it */
	double alone = engine_run_ms(sc, "main,T1,T1,T1,T1,main,T2,T2,T2,T2,main", n);
	struct explore_stats st;
	int rc = explore_deadlock(sc, &st);
	if ((rc != 0 && rc != 5) || st.runs == 0) {
		fprintf(stderr, "bench: explore deadlock --map exited %d after %llu runs\n", rc,
		        (unsigned long long)st.runs);
		failures++;
		return;
	}
	double per = st.seconds * 1000.0 / (double)st.runs;
	double rate = (double)st.runs / st.seconds;
	add((struct figure){"explore deadlock, runs/s", "runs/s", rate, 1000.0 / base,
	                    "empty scene host started and reaped", ">= 200 runs/s", rate >= 200,
	                    "fork of the host and its threads, one engine per run"});
	add((struct figure){"explore deadlock, per run", "ms", per, alone,
	                    "the same scene stepped by the engine alone", "<= 1.5x baseline",
	                    per <= 1.5 * alone, "the explorer polls between steps and ends a run at its outcome; the "
	                    "engine alone sleeps for each answer and waits for the host's end"});
	add((struct figure){"explore deadlock, vs empty host", "ms", per, base,
	                    "empty scene host started and reaped", "<= 1.5x baseline",
	                    per <= 1.5 * base,
	                    "a deadlock run is 12 steps and two thread starts more than nothing; the "
	                    "explorer keeps one run directory and lets each host end in the background"});
	add((struct figure){"deadlock stepped by the engine", "ms", alone, base,
	                    "empty scene host started and reaped", "", -1,
	                    "11 settle round trips, two thread starts (92% kernel)"});
	double proc = headless_process_ms(quick ? 20 : 200);
	add((struct figure){"a headless process per run", "ms", proc, base,
	                    "empty scene host started and reaped", "(not used)", -1,
	                    "exec, dynamic loading of every scene module"});
}
