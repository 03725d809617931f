/* main: command line, scene lookup, and dispatch to a front end.
 * Bad input gets one clear line on stderr and a documented exit code. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "catalog.h"
#include "diff.h"
#include "engine.h"
#include "explore.h"
#include "grade.h"
#include "headless.h"
#include "host.h"
#include "i18n.h"
#include "program.h"
#include "record.h"
#include "serve.h"

#ifndef LS_VERSION
#define LS_VERSION "0"
#endif

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "lockstep: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s\n", _("Try 'lockstep --help'."));
	exit(LS_EXIT_USAGE);
}

static void help(void)
{
	printf("%s", _("Usage: lockstep [SCENE] [OPTION]...\n"
	               "Watch real threads and processes share locks, semaphores, queues and\n"
	               "signals; pause, step, or choose who moves next.\n\n"));
	printf("%s", _("Python programs:\n"
	               "  run [OPTION]... -- python3 PROGRAM.py [ARGS]\n"
	               "                          watch a Python program of yours as a scene (its\n"
	               "                          threads, locks, queues...); --list shows the examples\n"
	               "                          as py/NAME\n\n"));
	printf("%s", _("Scenes:\n"
	               "  -l, --list              list the scenes: id, two spaces, title\n"
	               "  -p, --param K=V         set a scene parameter (repeatable)\n"
	               "      --list-params       list a scene's parameters: name, value, range, help\n"
	               "      --scene-path=DIRS   also look for scene modules in DIRS (a:b:c)\n\n"));
	printf("%s", _("Other:\n"
	               "  -h, --help              show this help\n"
	               "      --version           print lockstep's version: lockstep VERSION\n\n"));
	printf("%s", _("Terminal UI:\n"
	               "      --paused            start paused in step mode (the default)\n"
	               "      --speed=N           start running at speed N: 1-5 slow motion, one\n"
	               "                          worker at a time; 6-9 freely, up to full speed\n"
	               "      --theme=NAME        default, projector, mono, a theme of yours\n"
	               "                          ($XDG_CONFIG_HOME/lockstep/themes/NAME.theme) or a\n"
	               "                          theme file's path\n"
	               "      --ascii             draw with ASCII only\n"
	               "      --predict           ask the class to predict at each moment the scene\n"
	               "                          marks (p asks at any moment in step mode)\n"
	               "      --max-frames=N      quit after N frames (for tests)\n\n"));
	printf("%s", _("Headless (JSON lines on stdout):\n"
	               "      --headless          run in step mode without a terminal\n"
	               "      --schedule=LIST     comma-separated worker names or indices, one step each;\n"
	               "                          then round-robin in declare order; an entry may also\n"
	               "                          be 'rest' (run until no worker can move) or\n"
	               "                          signal:TARGET:SIG (TARGET a worker or 'group')\n"
	               "      --seed=N            after the schedule, pick at random with seed N\n"
	               "      --until=end|deadlock  stop at the end (default) or the first deadlock\n"
	               "      --timeout=SECONDS   give up after this long (default 60)\n"
	               "      --settled           also print the state after every step\n"
	               "      --free              run freely at full speed: the kernel schedules\n"
	               "      --step-after=MS     run freely for MS milliseconds, then step\n"
	               "      --explain=NAME      the summary also says why worker (or object) NAME is\n"
	               "                          in its state at the end, and what each move would do\n\n"));
	printf("%s", _("Schedule explorer (can this scene reach a deadlock?):\n"
	               "      --explore           run the scene under many schedules, each from the start\n"
	               "      --goal=GOAL         deadlock (default), stall or crash (--list-goals)\n"
	               "      --strategy=S        bfs (fewest preemptions first, the default), pct or\n"
	               "                          random (both seeded by --seed)\n"
	               "      --budget=N|Ns       stop after N runs or N seconds (default 60s)\n"
	               "      --preemptions=K     bfs: only schedules with at most K preemptions\n"
	               "      --depth=D           pct: priority change points + 1 (default 3)\n"
	               "      --reduction=R       sleep (skip reorderings of independent steps) or none\n"
	               "      --map               run every schedule and count the outcomes\n"
	               "      --json              print one result object\n"
	               "      --feed              print tab-separated lines for the terminal UI (x, m)\n"
	               "      --list-goals        list the goals a scene can be explored for (and the\n"
	               "                          challenges it sets)\n\n"));
	printf("%s", _("Recordings (docs/DESIGN.md, 'Recordings'):\n"
	               "      --record=FILE       write everything the run shows to FILE (UI and headless)\n"
	               "      --replay=FILE       show a recording, no scene running (with --headless:\n"
	               "                          the JSON lines and summary of the recorded run)\n"
	               "      --rerun=FILE        run the recorded scene again under the recording's\n"
	               "                          schedule (controlled runs only); in the UI the\n"
	               "                          recorded steps are taken at once, then it is your\n"
	               "                          move (b looks back over them)\n"
	               "      --export-trace=FILE with --headless: also write the run (live or\n"
	               "                          replayed) as Chrome trace-event JSON for Perfetto\n"
	               "      --diff A.rec B.rec  the first step where two recorded runs differ, and\n"
	               "                          their states there side by side (exit 0 same, 1 not)\n\n"));
	printf("%s", _("One lecture, many screens (README, 'Following a lecture'):\n"
	               "      --serve[=ADDR]      publish the run to viewers: ADDR is PORT, HOST:PORT\n"
	               "                          (default 127.0.0.1:7878, loopback only) or\n"
	               "                          mqtt://HOST[:PORT]/TOPIC (through a broker); prints\n"
	               "                          the command students type\n"
	               "      --attach=ADDR       follow a served run, read-only (with --headless: its\n"
	               "                          JSON lines, --timeout: give up after that long); n\n"
	               "                          forks a private copy, n again follows\n"
	               "      --token=T           the token --attach needs (--serve: choose it; else\n"
	               "                          a random one is printed)\n"
	               "      --wait-viewers=N    with --serve --headless: start once N have attached\n\n"));
	app_help(stdout);
	printf("%s", _("Graded exercises (README, 'Graded exercises'):\n"
	               "      --grade EXERCISE SUBMISSION...\n"
	               "                          check each submission (a schedule file, or a Python\n"
	               "                          program run under the exercise's schedules)\n"
	               "                          against the exercise's scene and goal, headless;\n"
	               "                          print a table, or with --json one object (exit 0\n"
	               "                          all passed, 7 not)\n\n"));
	printf("%s", _("Language:\n"
	               "      --lang=zh|en        Simplified Chinese or English (default: the locale's\n"
	               "                          language); zh works even where no Chinese locale is\n"
	               "                          installed\n\n"));
	printf("%s", _("Exit codes: 0 finished, 1 other error, 2 bad usage, 3 deadlock or stall,\n"
	               "4 timeout; --explore: 0 found, 5 budget spent, 6 no schedule reaches the goal;\n"
	               "--grade: 0 every submission passed, 2 a malformed exercise file, 7 some\n"
	               "submission failed; --serve/--attach: 8 cannot listen or connect, token\n"
	               "refused, stream cut.\n"));
}

static long parse_long(const char *s, const char *what, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		char buf[160];
		snprintf(buf, sizeof buf, _("%s must be a whole number from %ld to %ld, not '%%s'"),
		         what, lo, hi);
		usage_error(buf, s);
	}
	return v;
}

/* File scope: reachable until exit on every path, usage errors included. */
static struct catalog cat;
static const char **params;

enum {
	OPT_SCHEDULE = 256, OPT_SEED, OPT_UNTIL, OPT_TIMEOUT, OPT_SETTLED, OPT_SCENE_PATH,
	OPT_PAUSED, OPT_SPEED, OPT_THEME, OPT_ASCII, OPT_MAX_FRAMES, OPT_HEADLESS, OPT_VERSION,
	OPT_FREE, OPT_STEP_AFTER, OPT_LANG, OPT_EXPLORE, OPT_GOAL, OPT_STRATEGY, OPT_BUDGET,
	OPT_PREEMPTIONS, OPT_DEPTH, OPT_REDUCTION, OPT_MAP, OPT_JSON, OPT_LIST_GOALS,
	OPT_RECORD, OPT_REPLAY, OPT_RERUN, OPT_EXPORT_TRACE, OPT_DIFF, OPT_GRADE, OPT_LIST_PARAMS, OPT_PREDICT,
	OPT_EXPLAIN, OPT_FEED,
	OPT_SERVE, OPT_ATTACH, OPT_TOKEN, OPT_WAIT_VIEWERS,
};

int main(int argc, char **argv)
{
	const char *lang = i18n_lang_arg(argc, argv);
	if (i18n_init(lang) != 0)
		usage_error(_("--lang takes 'zh' or 'en', not '%s'"), lang);
	signal(SIGPIPE, SIG_IGN);
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{"list", no_argument, NULL, 'l'},
		{"param", required_argument, NULL, 'p'},
		{"headless", no_argument, NULL, OPT_HEADLESS},
		{"schedule", required_argument, NULL, OPT_SCHEDULE},
		{"seed", required_argument, NULL, OPT_SEED},
		{"until", required_argument, NULL, OPT_UNTIL},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"settled", no_argument, NULL, OPT_SETTLED},
		{"free", no_argument, NULL, OPT_FREE},
		{"step-after", required_argument, NULL, OPT_STEP_AFTER},
		{"scene-path", required_argument, NULL, OPT_SCENE_PATH},
		{"paused", no_argument, NULL, OPT_PAUSED},
		{"speed", required_argument, NULL, OPT_SPEED},
		{"theme", required_argument, NULL, OPT_THEME},
		{"ascii", no_argument, NULL, OPT_ASCII},
		{"max-frames", required_argument, NULL, OPT_MAX_FRAMES},
		{"lang", required_argument, NULL, OPT_LANG},
		{"explore", no_argument, NULL, OPT_EXPLORE},
		{"goal", required_argument, NULL, OPT_GOAL},
		{"strategy", required_argument, NULL, OPT_STRATEGY},
		{"budget", required_argument, NULL, OPT_BUDGET},
		{"preemptions", required_argument, NULL, OPT_PREEMPTIONS},
		{"depth", required_argument, NULL, OPT_DEPTH},
		{"reduction", required_argument, NULL, OPT_REDUCTION},
		{"map", no_argument, NULL, OPT_MAP},
		{"json", no_argument, NULL, OPT_JSON},
		{"list-goals", no_argument, NULL, OPT_LIST_GOALS},
		{"record", required_argument, NULL, OPT_RECORD},
		{"replay", required_argument, NULL, OPT_REPLAY},
		{"rerun", required_argument, NULL, OPT_RERUN},
		{"export-trace", required_argument, NULL, OPT_EXPORT_TRACE},
		{"diff", no_argument, NULL, OPT_DIFF},
		{"grade", required_argument, NULL, OPT_GRADE},
		{"list-params", no_argument, NULL, OPT_LIST_PARAMS},
		{"predict", no_argument, NULL, OPT_PREDICT},
		{"explain", required_argument, NULL, OPT_EXPLAIN},
		{"feed", no_argument, NULL, OPT_FEED},
		{"serve", optional_argument, NULL, OPT_SERVE},
		{"attach", required_argument, NULL, OPT_ATTACH},
		{"token", required_argument, NULL, OPT_TOKEN},
		{"wait-viewers", required_argument, NULL, OPT_WAIT_VIEWERS},
		{0},
	};
	int list = 0, headless = 0, settled = 0, free_run = 0, diff = 0;
	double step_after = 0;
	const char *scene_path = NULL, *replay = NULL, *rerun = NULL, *trace = NULL, *grade = NULL;
	const char *explain = NULL;
	int nparams = 0;
	struct engine_opts eo = {0};
	struct app_opts ao = {.speed = 0, .theme = "default", .max_frames = 0};
	double timeout = 60;
	int explore = 0, list_goals = 0, list_params = 0, explore_only = 0, headless_only = 0;
	struct explore_opts xo = {.bound = -1};
	const char *serve = NULL, *attach = NULL, *token = NULL;
	int timeout_given = 0;
	int wait_viewers = 0;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hlp:", opts, NULL)) != -1) {
		switch (c) {
		case 'h': help(); return 0;
		case OPT_VERSION: printf("lockstep %s\n", LS_VERSION); return 0;
		case 'l': list = 1; break;
		case 'p':
			params = realloc(params, (size_t)(nparams + 1) * sizeof *params);
			params[nparams++] = optarg;
			break;
		case OPT_HEADLESS: headless = 1; break;
		case OPT_SCHEDULE: {
			const char *why = sched_check(optarg);
			if (why)
				usage_error("%s", why);
			eo.schedule = optarg;
			break;
		}
		case OPT_SEED:
			eo.sched = LS_SCHED_SEED;
			eo.seed = (uint64_t)parse_long(optarg, "--seed", 0, 0x7fffffffL);
			break;
		case OPT_UNTIL:
			headless_only = 1;
			if (strcmp(optarg, "deadlock") == 0)
				eo.until_deadlock = 1;
			else if (strcmp(optarg, "end") != 0)
				usage_error(_("--until takes 'end' or 'deadlock', not '%s'"), optarg);
			break;
		case OPT_TIMEOUT:
			headless_only = 1;
			timeout = (double)parse_long(optarg, "--timeout", 1, 86400);
			timeout_given = 1;
			break;
		case OPT_SETTLED: settled = 1; headless_only = 1; break;
		case OPT_FREE: free_run = 1; break;
		case OPT_STEP_AFTER:
			step_after = (double)parse_long(optarg, "--step-after", 1, 3600000) / 1000.0;
			free_run = 1;
			break;
		case OPT_SCENE_PATH: scene_path = optarg; break;
		case OPT_PAUSED: ao.speed = 0; break;
		case OPT_SPEED: ao.speed = (int)parse_long(optarg, "--speed", 1, 9); break;
		case OPT_THEME: {
			struct stat st; /* stat never blocks, even on a FIFO */
			if (strchr(optarg, '/') && stat(optarg, &st) == 0 && !S_ISREG(st.st_mode))
				usage_error(_("--theme: '%s' is not a regular file"), optarg);
			if (!app_theme_known(optarg))
				usage_error(_("--theme takes default, projector, mono, the name of a theme of yours or a theme file's path; '%s' is none of these"), optarg);
			ao.theme = optarg;
			break;
		}
		case OPT_ASCII: ao.ascii = 1; break;
		case OPT_MAX_FRAMES:
			ao.max_frames = parse_long(optarg, "--max-frames", 1, 1000000000L);
			break;
		case OPT_LANG:
			/* applied before any output; again here for an abbreviation
			 * getopt accepts (--lan=zh) or a later --lang, which wins */
			if (!lang || strcmp(lang, optarg) != 0) {
				lang = optarg;
				if (i18n_init(lang) != 0)
					usage_error(_("--lang takes 'zh' or 'en', not '%s'"), lang);
			}
			break;
		case OPT_EXPLORE: explore = 1; break;
		case OPT_GOAL: xo.goal = optarg; explore_only = 1; break;
		case OPT_STRATEGY: xo.strategy = optarg; explore_only = 1; break;
		case OPT_BUDGET: xo.budget = optarg; explore_only = 1; break;
		case OPT_PREEMPTIONS:
			xo.bound = (int)parse_long(optarg, "--preemptions", 0, 64);
			explore_only = 1;
			break;
		case OPT_DEPTH: xo.depth = (int)parse_long(optarg, "--depth", 1, 64); explore_only = 1; break;
		case OPT_REDUCTION: xo.reduction = optarg; explore_only = 1; break;
		case OPT_MAP: xo.map = 1; explore_only = 1; break;
		case OPT_JSON: xo.json = 1; explore_only = 1; break;
		case OPT_FEED: xo.feed = 1; explore_only = 1; break;
		case OPT_LIST_GOALS: list_goals = 1; break;
		case OPT_LIST_PARAMS: list_params = 1; break;
		case OPT_PREDICT: ao.predict = 1; break;
		case OPT_RECORD: eo.record = optarg; break;
		case OPT_REPLAY: replay = optarg; break;
		case OPT_RERUN: rerun = optarg; break;
		case OPT_EXPORT_TRACE: trace = optarg; break;
		case OPT_DIFF: diff = 1; break;
		case OPT_GRADE: grade = optarg; break;
		case OPT_EXPLAIN: explain = optarg; break;
		case OPT_SERVE: serve = optarg ? optarg : ""; break;
		case OPT_ATTACH: attach = optarg; break;
		case OPT_TOKEN: {
			const char *why = serve_token_check(optarg);
			if (why)
				usage_error("--token: %s", why);
			token = optarg;
			break;
		}
		case OPT_WAIT_VIEWERS:
			wait_viewers = (int)parse_long(optarg, "--wait-viewers", 1, 10000);
			break;
		case ':': usage_error(_("option '%s' needs a value"), argv[optind - 1]);
		default: usage_error(_("unknown option '%s'"), argv[optind - 1]);
		}
	}
	if (grade) {
		if (nparams || diff || replay || rerun || eo.record || trace || explore || headless ||
		    list || list_goals || eo.schedule || free_run || headless_only ||
		    (explore_only && !(xo.json && !xo.goal && !xo.strategy && !xo.budget && !xo.map &&
		                       !xo.reduction && xo.bound < 0 && !xo.depth)))
			usage_error("%s", _("--grade takes an exercise file and the submissions, and no "
			                    "other option but --json, --scene-path and --lang"));
		catalog_load(&cat, scene_path, stderr);
		program_add_examples(&cat); /* py/NAME: a program exercise's scene */
		int rc = grade_main(&cat, grade, argv + optind, argc - optind, xo.json);
		catalog_free(&cat);
		free(params);
		return rc;
	}
	/* lockstep [OPTIONS] run [OPTIONS] -- PROGRAM [ARGS]: the rest is the
	 * program's (getopt stopped at "--") */
	int run = optind < argc && strcmp(argv[optind], "run") == 0;
	if (optind < argc - 1 && !diff && !run)
		usage_error(_("only one scene at a time, not also '%s'"), argv[optind + 1]);

	if (diff) {
		if (argc - optind != 2 || replay || rerun || eo.record || trace || nparams)
			usage_error("%s", _("--diff takes two recordings and nothing else: lockstep --diff A.rec B.rec"));
		return diff_recordings(argv[optind], argv[optind + 1], stdout);
	}
	if (replay || rerun) {
		if ((replay && rerun) || optind < argc || nparams || eo.schedule ||
		    eo.sched == LS_SCHED_SEED || free_run || list)
			usage_error("%s", _("--replay and --rerun take their scene, parameters and schedule "
			                    "from the recording: give them nothing of that kind"));
		if (replay && eo.record)
			usage_error("%s", _("--replay shows a recording: it makes none (copy the file)"));
	}
	if (attach) {
		if (serve || optind < argc || nparams || eo.schedule || eo.sched == LS_SCHED_SEED ||
		    free_run || list || replay || rerun || eo.record || trace || eo.until_deadlock ||
		    explore || wait_viewers)
			usage_error("%s", _("--attach follows the teacher's run: it takes --token, --headless "
			                    "(with --settled, --timeout) and the UI's own options (--lang, "
			                    "--theme, --ascii), nothing that chooses a scene or a schedule"));
		if (timeout_given && !headless)
			usage_error("%s", _("--timeout with --attach needs --headless"));
		if (!token)
			usage_error("%s", _("--attach needs --token=T: the one lockstep --serve printed"));
		if (headless)
			return headless_attach(attach, token, settled, timeout_given ? timeout : 0);
		catalog_load(&cat, scene_path, stderr);
		ao.catalog = &cat;
		int rc = app_attach(attach, token, &ao);
		catalog_free(&cat);
		return rc;
	}
	if ((token || wait_viewers) && !serve)
		usage_error("%s", _("--token and --wait-viewers go with --serve (or --token with --attach)"));
	if (wait_viewers && !headless)
		usage_error("%s", _("--wait-viewers needs --headless: in the UI the scene waits for your "
		                    "first step"));
	if (serve && (replay || explore || diff))
		usage_error("%s", _("--serve publishes a live run: not with --replay, --explore or --diff"));
	if (trace && !headless)
		usage_error("%s", _("--export-trace needs --headless (a live run or --replay)"));
	headless_export_trace(trace);
	if (explain && (!headless || explore))
		usage_error("%s", _("--explain needs --headless (a live run or --replay)"));
	if (explain && !*explain)
		usage_error("%s", _("--explain needs a worker's or an object's name"));
	headless_explain(explain);
	if (replay && headless)
		return headless_replay(replay, settled);
	catalog_load(&cat, scene_path, stderr);
	program_add_examples(&cat);
	if (replay) {
		ao.catalog = &cat;
		int rc = app_replay(replay, &ao);
		catalog_free(&cat);
		return rc;
	}
	char *rerun_schedule = NULL;
	if (rerun) {
		char err[1024];
		if (rec_rerun_opts(rerun, &cat, &eo, &rerun_schedule, err, sizeof err) != 0) {
			fprintf(stderr, "lockstep: %s\n", err);
			catalog_free(&cat);
			return LS_EXIT_ERROR;
		}
		optind = argc; /* the scene is the recording's */
	}
	if (list) {
		for (int i = 0; i < cat.n; i++)
			printf("%s  %s\n", cat.scenes[i]->id, _(cat.scenes[i]->title));
		return cat.n > 0 ? 0 : LS_EXIT_ERROR;
	}
	const char *id = optind < argc ? argv[optind] : "deadlock";
	const struct ls_scene *sc = rerun ? eo.scene : catalog_find(&cat, id);
	if (run && !rerun) {
		char err[1024];
		if (!(sc = program_scene(argv + optind + 1, err, sizeof err))) {
			fprintf(stderr, "lockstep: %s\n", err);
			catalog_free(&cat);
			return LS_EXIT_ERROR;
		}
	}
	if (!sc) {
		if (cat.n == 0)
			usage_error(_("no scene modules found (looked beside the binary, in the install "
			              "directory and in --scene-path); cannot run '%s'"), id);
		usage_error(_("unknown scene '%s' (see lockstep --list)"), id);
	}
	eo.scene = sc;
	if (!rerun)
		params_defaults(sc, eo.params);
	for (int i = 0; i < nparams; i++) {
		char err[256];
		if (params_set(sc, eo.params, params[i], err, sizeof err) != 0)
			usage_error("%s", err);
	}
	free(params);
	params = NULL;
	host_become_subreaper();

	if (list_params) { /* name, default, range or choices, help: bash completion reads it */
		for (int i = 0; sc->params && sc->params[i].name; i++) {
			const struct ls_param_desc *pd = &sc->params[i];
			char def[64];
			printf("%s  %s  ", pd->name, params_show(sc, i, eo.params[i], def, sizeof def));
			if (pd->type == LS_PARAM_CHOICE)
				printf("%s", pd->choices);
			else
				printf("%ld..%ld", pd->min, pd->max);
			printf("  %s\n", pd->help ? _(pd->help) : "");
		}
		catalog_free(&cat);
		return 0;
	}
	if (list_goals) {
		explore_list_goals(sc, eo.params, stdout);
		catalog_free(&cat);
		return 0;
	}
	if (explore_only && !explore)
		usage_error("%s", _("--goal, --strategy, --budget, --preemptions, --depth, --reduction, "
		                    "--map, --json and --feed need --explore"));
	int rc;
	if (explore) {
		if (headless || free_run || eo.schedule || headless_only)
			usage_error("%s", _("--explore chooses the schedules itself and runs each to its "
			                    "end: it takes no --headless, --schedule, --free, --until, "
			                    "--timeout or --settled"));
		xo.seed = eo.seed;
		eo.sched = LS_SCHED_RR;
		rc = explore_main(&eo, &xo);
	} else if (headless) {
		if (free_run && (eo.schedule || eo.sched == LS_SCHED_SEED))
			usage_error("%s", _("--free lets the kernel schedule: it takes no --schedule or --seed"));
		eo.free_run = free_run;
		headless_step_after(step_after);
		if (serve)
			headless_serve(serve, token, wait_viewers);
		rc = headless_run(&eo, timeout, settled);
	} else {
		if ((eo.schedule && !rerun) || eo.sched == LS_SCHED_SEED || free_run)
			usage_error("%s", _("--schedule, --seed and --free need --headless"));
		ao.catalog = &cat;
		ao.serve = serve;
		ao.token = token;
		rc = app_run(&eo, &ao);
	}
	catalog_free(&cat);
	free(rerun_schedule);
	return rc;
}
