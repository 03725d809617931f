/* grade: check students' submissions against an exercise (grade.h).
 *
 * An exercise file:
 *
 *   [exercise]
 *   title = Make both threads deadlock      ; shown in the table's heading
 *   scene = deadlock                        ; a scene id (lockstep --list)
 *   goal = both-stuck                       ; lockstep --list-goals SCENE
 *   submit = schedule                       ; what a student hands in
 *   max_steps = 8                           ; optional: more steps fail
 *   [params]
 *   work = 0                                ; the scene's parameters
 *
 * What a student submits is a kind in `kinds[]` below: each reads the
 * student's file into the run's options. `schedule` is a --schedule list
 * (entries separated by commas, blanks or lines; '#' starts a comment); the
 * run follows it and ends when it is used up, so a goal that needs the scene
 * to finish asks the student to end with `rest`. `program` is reserved for a
 * fixed Python program run by `lockstep run`: that front end adds its loader
 * to the table, the rest of grading is the same.
 */
#include "grade.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <ev.h>

#include "engine.h"
#include "goal.h"
#include "headless.h"
#include "i18n.h"
#include "json.h"

#define FILE_MAX (64 * 1024) /* an exercise or a submission */
#define RUN_TIMEOUT_S 20.0

struct exercise {
	char title[200], scene[64], goal_id[64], submit[32];
	long max_steps; /* 0: no limit */
	char params[LS_PARAMS_MAX][160];
	int nparams;
	char err[300]; /* the handler's complaint, for the line ini_parse returns */
};

/* ---- reading files ---- */

/* A regular file's text, NUL-terminated, at most FILE_MAX bytes; NULL with
 * the reason in err. Opened without blocking (a FIFO must not hang us). */
static char *read_text(const char *path, char *err, size_t n)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, n, _("cannot open %s: %s"), path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, n, _("%s is not a regular file"), path);
		close(fd);
		return NULL;
	}
	if (st.st_size > FILE_MAX) {
		snprintf(err, n, _("%s is larger than %d KiB"), path, FILE_MAX / 1024);
		close(fd);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!buf) {
		snprintf(err, n, "%s", _("out of memory"));
		return NULL;
	}
	buf[got] = 0;
	if (strlen(buf) != got) {
		snprintf(err, n, _("%s is not text"), path);
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---- the exercise file ---- */

static int complain(struct exercise *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->err, sizeof x->err, fmt, ap);
	va_end(ap);
	return 0; /* ini_parse stops and returns this line */
}

static int copy(struct exercise *x, char *dst, size_t n, const char *key, const char *value)
{
	if (!*value)
		return complain(x, _("%s is empty"), key);
	if (strlen(value) >= n)
		return complain(x, _("%s is too long"), key);
	snprintf(dst, n, "%s", value);
	return 1;
}

static int on_pair(void *ud, const char *section, const char *name, const char *value)
{
	struct exercise *x = ud;
	if (strcmp(section, "exercise") == 0) {
		if (strcmp(name, "title") == 0)
			return copy(x, x->title, sizeof x->title, name, value);
		if (strcmp(name, "scene") == 0)
			return copy(x, x->scene, sizeof x->scene, name, value);
		if (strcmp(name, "goal") == 0)
			return copy(x, x->goal_id, sizeof x->goal_id, name, value);
		if (strcmp(name, "submit") == 0)
			return copy(x, x->submit, sizeof x->submit, name, value);
		if (strcmp(name, "max_steps") == 0) {
			char *end;
			errno = 0;
			long v = strtol(value, &end, 10);
			if (errno || end == value || *end || v < 1 || v > 1000000)
				return complain(x, _("max_steps must be a whole number from 1 to 1000000, "
				                     "not '%s'"), value);
			x->max_steps = v;
			return 1;
		}
		return complain(x, _("unknown key '%s' in [exercise] (title, scene, goal, submit, "
		                     "max_steps)"), name);
	}
	if (strcmp(section, "params") == 0) {
		if (x->nparams == LS_PARAMS_MAX)
			return complain(x, "%s", _("too many parameters"));
		if ((size_t)snprintf(x->params[x->nparams], sizeof x->params[0], "%s=%s", name,
		                     value) >= sizeof x->params[0])
			return complain(x, _("parameter %s is too long"), name);
		x->nparams++;
		return 1;
	}
	return complain(x, _("unknown section [%s] (exercise, params)"), section);
}

/* ---- what a student submits ---- */

struct submission {
	char *schedule; /* the run's --schedule, owned */
};

/* A schedule file: entries separated by commas, blanks or new lines; '#'
 * to the end of a line is a comment. */
static int load_schedule(const char *text, struct submission *s, char *err, size_t n)
{
	size_t len = strlen(text);
	char *out = malloc(len + 1);
	if (!out) {
		snprintf(err, n, "%s", _("out of memory"));
		return -1;
	}
	size_t k = 0;
	int comment = 0, sep = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			comment = 0;
		if (comment || *p == '#') {
			comment = 1;
			sep = 1;
			continue;
		}
		if (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			sep = 1;
			continue;
		}
		if (sep && k > 0)
			out[k++] = ',';
		sep = 0;
		out[k++] = *p;
	}
	out[k] = 0;
	if (k == 0) {
		snprintf(err, n, "%s", _("the submission holds no schedule"));
		free(out);
		return -1;
	}
	const char *why = sched_check(out);
	if (why) {
		snprintf(err, n, "%s", why);
		free(out);
		return -1;
	}
	s->schedule = out;
	return 0;
}

/* The kinds of submission. A kind with no loader is named but not taken
 * yet (say so, rather than "unknown"). */
static const struct {
	const char *name;
	int (*load)(const char *text, struct submission *s, char *err, size_t n);
} kinds[] = {
	{"schedule", load_schedule},
	{"program", NULL}, /* a fixed Python program, once `lockstep run` exists */
};

/* ---- one run ---- */

struct grun {
	struct engine *e;
	const struct goal *g;
	int met;
	uint64_t met_steps;
	int used_up; /* the schedule ran out before the scene ended */
	ev_timer timeout_w;
};

static void latch(struct grun *r, enum ls_outcome out)
{
	if (r->met)
		return;
	const struct model *m = engine_model(r->e);
	if (goal_check(r->g, m, engine_analysis(r->e), out) == GOAL_MET) {
		r->met = 1;
		r->met_steps = m->steps;
	}
}

static void on_settled(void *ud)
{
	struct grun *r = ud;
	latch(r, LS_OUT_NONE);
}

/* At every settled point where someone could move: a schedule used up
 * ends the run (the student's schedule is the whole run). */
static int choose(void *ud)
{
	struct grun *r = ud;
	latch(r, LS_OUT_NONE);
	if (r->met && goal_of_moment(r->g)) {
		engine_finish(r->e, LS_OUT_STOPPED, _("the goal is met"));
		return -1;
	}
	if (engine_schedule_left(r->e) == 0) {
		r->used_up = 1;
		engine_finish(r->e, LS_OUT_STOPPED, _("the schedule is used up"));
	}
	return -1;
}

static void on_ended(void *ud)
{
	(void)ud;
	ev_break(EV_DEFAULT, EVBREAK_ALL); /* the timeout's timer would keep the loop */
}

static void timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct grun *r = w->data;
	engine_finish(r->e, LS_OUT_TIMEOUT, _("the run took longer than 20 s"));
}

struct result {
	const char *path;
	int pass, error; /* error: not run (unreadable, a bad schedule) */
	uint64_t steps;
	char outcome[32];
	char why[600];
};

static void run_one(const struct engine_opts *base, const struct goal *g, const struct exercise *x,
                    int kind, struct result *res)
{
	char err[512];
	char *text = read_text(res->path, err, sizeof err);
	struct submission s = {0};
	if (!text || kinds[kind].load(text, &s, err, sizeof err) != 0) {
		free(text);
		res->error = 1;
		snprintf(res->why, sizeof res->why, "%s", err);
		return;
	}
	free(text);
	struct ev_loop *loop = EV_DEFAULT;
	struct engine_opts eo = *base;
	eo.schedule = s.schedule;
	eo.autostep = 1;
	eo.mode = LS_MODE_STEP;
	eo.sched = LS_SCHED_RR;
	eo.no_kernel_view = 1;
	struct grun r = {.g = g};
	struct engine_cb cb = {.settled = on_settled, .ended = on_ended, .choose = choose};
	r.e = engine_new(loop, &eo, &cb, &r);
	if (!r.e || engine_start(r.e, err, sizeof err) != 0) {
		res->error = 1;
		snprintf(res->why, sizeof res->why, _("cannot start scene %s: %s"), x->scene,
		         r.e ? err : _("out of memory"));
		if (r.e)
			engine_free(r.e);
		engine_reap_all();
		free(s.schedule);
		return;
	}
	ev_timer_init(&r.timeout_w, timeout_cb, RUN_TIMEOUT_S, 0.);
	r.timeout_w.data = &r;
	ev_timer_start(loop, &r.timeout_w);
	ev_run(loop, 0);
	ev_timer_stop(loop, &r.timeout_w);
	enum ls_outcome out = engine_outcome(r.e);
	if (!r.used_up && out != LS_OUT_STOPPED)
		latch(&r, out);
	const struct model *m = engine_model(r.e);
	const struct analysis *an = engine_analysis(r.e);
	snprintf(res->outcome, sizeof res->outcome, "%s",
	         r.used_up ? "schedule-used-up" : engine_outcome_name(out));
	res->steps = r.met ? r.met_steps : m->steps;
	char what[400];
	if (out == LS_OUT_BAD_SCHEDULE || out == LS_OUT_ERROR || out == LS_OUT_TIMEOUT ||
	    engine_check_failed(r.e)) {
		res->error = out != LS_OUT_TIMEOUT;
		snprintf(res->why, sizeof res->why, "%s", engine_error(r.e));
	} else if (r.met && x->max_steps && r.met_steps > (uint64_t)x->max_steps) {
		goal_what(g, m, an, out, what, sizeof what);
		snprintf(res->why, sizeof res->why,
		         _("met in %llu steps, but the exercise allows at most %ld: %s"),
		         (unsigned long long)r.met_steps, x->max_steps, what);
	} else if (r.met) {
		res->pass = 1;
		goal_what(g, m, an, out, res->why, sizeof res->why);
	} else if (g->kind == GOAL_IMPOSSIBLE) {
		snprintf(res->why, sizeof res->why, _("not met, and no schedule can: %s"), _(g->why));
	} else {
		int at_end = g->kind == GOAL_CHANGED || g->kind == GOAL_BELOW;
		const char *how = !r.used_up ? NULL
		                  : at_end   ? _("the schedule was used up before the scene finished "
		                                 "(end it with 'rest' to let it finish)")
		                             : _("the schedule was used up before the goal was met");
		char end[400];
		snprintf(end, sizeof end, "%s", engine_outcome_name(out));
		if (!how && out == LS_OUT_DEADLOCK && an->deadlock)
			goal_what(&(struct goal){.kind = GOAL_DEADLOCK}, m, an, out, end, sizeof end);
		snprintf(res->why, sizeof res->why, _("not met: %s; the run ended: %s"), _(g->help),
		         how ? how : end);
	}
	engine_free(r.e);
	engine_reap_all();
	free(s.schedule);
}

/* ---- the report ---- */

static int width(const char *s)
{
	mbstate_t st = {0};
	int w = 0;
	size_t n = strlen(s);
	while (n > 0) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2) {
			w++;
			s++;
			n--;
			memset(&st, 0, sizeof st);
			continue;
		}
		if (k == 0)
			break;
		int cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		s += k;
		n -= k;
	}
	return w;
}

static void cell(const char *s, int w)
{
	fputs(s, stdout);
	for (int i = width(s); i < w; i++)
		putchar(' ');
	fputs("  ", stdout);
}

static const char *verdict(const struct result *r)
{
	return r->pass ? _("pass") : r->error ? _("error") : _("fail");
}

static void print_table(const struct exercise *x, const struct goal *g, const struct result *res,
                        int n)
{
	printf(_("Exercise: %s\n"), *x->title ? x->title : x->goal_id);
	printf(_("Scene %s, goal %s: %s\n"), x->scene, g->id, _(g->help));
	if (g->fewest)
		printf(_("Fewest steps known: %d\n"), g->fewest);
	else
		printf("%s\n", _("Fewest steps: unknown"));
	printf("\n");
	const char *h[3] = {_("SUBMISSION"), _("RESULT"), _("STEPS")};
	int w[3] = {width(h[0]), width(h[1]), width(h[2])};
	for (int i = 0; i < n; i++) {
		char steps[24];
		snprintf(steps, sizeof steps, "%llu", (unsigned long long)res[i].steps);
		if (width(res[i].path) > w[0])
			w[0] = width(res[i].path);
		if (width(verdict(&res[i])) > w[1])
			w[1] = width(verdict(&res[i]));
		if (width(steps) > w[2])
			w[2] = width(steps);
	}
	for (int c = 0; c < 3; c++)
		cell(h[c], w[c]);
	printf("%s\n", _("WHY"));
	int passed = 0;
	for (int i = 0; i < n; i++) {
		char steps[24] = "-";
		if (!res[i].error)
			snprintf(steps, sizeof steps, "%llu", (unsigned long long)res[i].steps);
		cell(res[i].path, w[0]);
		cell(verdict(&res[i]), w[1]);
		cell(steps, w[2]);
		printf("%s\n", res[i].why);
		passed += res[i].pass;
	}
	printf("\n");
	printf(PL_("%d of %d submission passed.\n", "%d of %d submissions passed.\n", n), passed, n);
}

static void print_json(const struct exercise *x, const struct goal *g, const struct result *res,
                       int n)
{
	struct jw j = {0};
	int passed = 0;
	jw_begin(&j, '{');
	jw_kstr(&j, "type", "grade");
	jw_kstr(&j, "title", x->title);
	jw_kstr(&j, "scene", x->scene);
	jw_kstr(&j, "goal", g->id);
	jw_key(&j, "fewest");
	if (g->fewest)
		jw_int(&j, g->fewest);
	else
		jw_null(&j);
	jw_key(&j, "max_steps");
	if (x->max_steps)
		jw_int(&j, x->max_steps);
	else
		jw_null(&j);
	jw_key(&j, "results");
	jw_begin(&j, '[');
	for (int i = 0; i < n; i++) {
		jw_begin(&j, '{');
		jw_kstr(&j, "submission", res[i].path);
		jw_kstr(&j, "result", res[i].pass ? "pass" : res[i].error ? "error" : "fail");
		jw_kbool(&j, "pass", res[i].pass);
		jw_key(&j, "steps");
		if (res[i].error)
			jw_null(&j);
		else
			jw_int(&j, (int64_t)res[i].steps);
		if (*res[i].outcome)
			jw_kstr(&j, "outcome", res[i].outcome);
		jw_kstr(&j, "why", res[i].why);
		jw_end(&j, '}');
		passed += res[i].pass;
	}
	jw_end(&j, ']');
	jw_kint(&j, "passed", passed);
	jw_kint(&j, "failed", n - passed);
	jw_end(&j, '}');
	jw_line(&j, stdout);
	jw_free(&j);
}

/* ---- --grade ---- */

static int bad_exercise(const char *path, int line, const char *msg)
{
	if (line > 0)
		fprintf(stderr, "lockstep: %s:%d: %s\n", path, line, msg);
	else
		fprintf(stderr, "lockstep: %s: %s\n", path, msg);
	return LS_EXIT_USAGE;
}

int grade_main(const struct catalog *cat, const char *path, char *const *subs, int nsubs, int json)
{
	char err[512];
	struct exercise x = {0};
	char *text = read_text(path, err, sizeof err);
	if (!text) {
		fprintf(stderr, "lockstep: %s\n", err);
		return LS_EXIT_USAGE;
	}
	int line = ini_parse_string(text, on_pair, &x);
	free(text);
	if (line != 0)
		return bad_exercise(path, line, *x.err ? x.err : _("not an INI line (KEY = VALUE, [SECTION])"));
	if (!*x.scene || !*x.goal_id || !*x.submit)
		return bad_exercise(path, 0, _("[exercise] needs scene, goal and submit"));
	const struct ls_scene *sc = catalog_find(cat, x.scene);
	if (!sc) {
		snprintf(err, sizeof err, _("unknown scene '%s' (see lockstep --list)"), x.scene);
		return bad_exercise(path, 0, err);
	}
	if (sc->flags & LS_SCENE_FREE_RUN) {
		snprintf(err, sizeof err, _("scene %s only runs freely: it has no schedules to grade"),
		         x.scene);
		return bad_exercise(path, 0, err);
	}
	int kind = -1;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strcmp(x.submit, kinds[k].name) == 0)
			kind = (int)k;
	if (kind < 0 || !kinds[kind].load) {
		snprintf(err, sizeof err,
		         kind < 0 ? _("submit takes 'schedule', not '%s'")
		                  : _("submit = %s is not supported yet: it needs `lockstep run`"),
		         x.submit);
		return bad_exercise(path, 0, err);
	}
	struct engine_opts eo = {.scene = sc};
	params_defaults(sc, eo.params);
	for (int i = 0; i < x.nparams; i++)
		if (params_set(sc, eo.params, x.params[i], err, sizeof err) != 0)
			return bad_exercise(path, 0, err);
	struct goal g;
	int gr = goal_find(sc, eo.params, x.goal_id, &g);
	if (gr != 0) {
		snprintf(err, sizeof err,
		         gr == -1 ? _("scene %s has no goal '%s' (see lockstep --list-goals %s)")
		                  : _("scene %s declares goal '%s' wrongly"),
		         x.scene, x.goal_id, x.scene);
		return bad_exercise(path, 0, err);
	}
	if (nsubs == 0) {
		fprintf(stderr, "lockstep: %s\n%s\n",
		        _("--grade takes an exercise and at least one submission: "
		          "lockstep --grade EXERCISE SUBMISSION..."),
		        _("Try 'lockstep --help'."));
		return LS_EXIT_USAGE;
	}
	struct result *res = calloc((size_t)nsubs, sizeof *res);
	if (!res) {
		fprintf(stderr, "lockstep: %s\n", _("out of memory"));
		return LS_EXIT_ERROR;
	}
	int failed = 0;
	for (int i = 0; i < nsubs; i++) {
		res[i].path = subs[i];
		run_one(&eo, &g, &x, kind, &res[i]);
		failed += !res[i].pass;
	}
	if (json)
		print_json(&x, &g, res, nsubs);
	else
		print_table(&x, &g, res, nsubs);
	fflush(stdout);
	free(res);
	return failed ? LS_EXIT_FAILED : LS_EXIT_OK;
}
