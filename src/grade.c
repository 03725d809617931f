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
 * to finish asks the student to end with `rest`. `program` is a Python file
 * run as `lockstep run -- python3 FILE` (the scene is then the Python example
 * the class was handed, py/NAME) under each of the exercise's schedules:
 *
 *   schedules = round-robin, seed:1..8, free   ; how each program is run
 *   pass = never                               ; met (default): some run meets
 *                                              ; the goal; never: none does,
 *                                              ; and every run finishes
 *   timeout = 60                               ; seconds all of a program's
 *                                              ; runs may take (default 60; a
 *                                              ; schedule's run: 20)
 *   workers = 2                                ; pass = never: threads or
 *                                              ; processes a program must
 *                                              ; start besides main (default:
 *                                              ; as many as the example, at
 *                                              ; most 2)
 *
 * "Never met" alone would pass an empty file, or the example with its
 * threads taken out: what does not run concurrently never deadlocks or
 * loses an update. A program passes `never` only if it starts as many
 * workers as the example it fixes, counted in one round-robin run of the
 * example, but at most two (an example may show a broken and a fixed pair;
 * the fix needs only one), or `workers`.
 *
 * A program's goal is deadlock, stall, crash, or one on a shared value the
 * exercise names (value_goal: below:VALUE:N, changed:VALUE).
 */
#include "grade.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ini.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include <ev.h>

#include "engine.h"
#include "goal.h"
#include "headless.h"
#include "i18n.h"
#include "json.h"
#include "program.h"

extern char **environ;

#define FILE_MAX (64 * 1024) /* an exercise or a submission */
#define RUN_TIMEOUT_S 20     /* a schedule's run */
#define PROGRAM_TIMEOUT_S 60 /* all of a program's runs */
#define POLICY_MAX 1000 /* runs of one program */

/* How a program is run: one entry of `schedules`. */
enum { POL_RR, POL_SEED, POL_FREE };
struct policy {
	int kind;
	long seed;
};

struct exercise {
	char title[200], scene[64], goal_id[64], submit[32];
	char goal_value[64]; /* below:NAME:N, changed:NAME: the value watched */
	long max_steps; /* 0: no limit */
	long timeout_s; /* a run's; 0: RUN_TIMEOUT_S */
	int pass_never; /* pass = never: no run may meet the goal */
	int has_pass;
	long workers; /* pass = never: workers a program must start; -1: not given
	               (grade_main then counts the example's), or no such rule */
	char schedules[400]; /* as written, for the report */
	struct policy pol[POLICY_MAX];
	int npol;
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

static int whole(const char *v, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

/* `schedules`: round-robin, seed:N, seed:A..B, free; commas or blanks. */
static int parse_schedules(struct exercise *x, const char *value)
{
	if (strlen(value) >= sizeof x->schedules)
		return complain(x, _("%s is too long"), "schedules");
	snprintf(x->schedules, sizeof x->schedules, "%s", value);
	char buf[sizeof x->schedules];
	snprintf(buf, sizeof buf, "%s", value);
	x->npol = 0;
	char *save = NULL;
	for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
		long a = 0, b = 0;
		int kind;
		if (strcmp(t, "round-robin") == 0) {
			kind = POL_RR;
		} else if (strcmp(t, "free") == 0) {
			kind = POL_FREE;
		} else if (strncmp(t, "seed:", 5) == 0) {
			kind = POL_SEED;
			char *dots = strstr(t + 5, "..");
			if (dots)
				*dots = 0;
			if (whole(t + 5, 0, 0x7fffffffL, &a) != 0 ||
			    whole(dots ? dots + 2 : t + 5, a, 0x7fffffffL, &b) != 0)
				return complain(x, _("schedules: '%s' is not seed:N or seed:FIRST..LAST"),
				                t);
		} else {
			return complain(x, _("schedules takes round-robin, seed:N, seed:FIRST..LAST and "
			                     "free, not '%s'"), t);
		}
		for (long sd = a; sd <= b; sd++) {
			if (x->npol == POLICY_MAX)
				return complain(x, _("schedules: more than %d runs"), POLICY_MAX);
			x->pol[x->npol++] = (struct policy){.kind = kind, .seed = sd};
		}
	}
	if (x->npol == 0)
		return complain(x, _("%s is empty"), "schedules");
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
		if (strcmp(name, "timeout") == 0) {
			if (whole(value, 1, 3600, &x->timeout_s) != 0)
				return complain(x, _("timeout must be a whole number of seconds from 1 to "
				                     "3600, not '%s'"), value);
			return 1;
		}
		if (strcmp(name, "schedules") == 0)
			return parse_schedules(x, value);
		if (strcmp(name, "workers") == 0) {
			if (whole(value, 0, LS_MAX_WORKERS - 1, &x->workers) != 0)
				return complain(x, _("workers must be a whole number from 0 to %d, not '%s'"),
				                LS_MAX_WORKERS - 1, value);
			return 1;
		}
		if (strcmp(name, "pass") == 0) {
			if (strcmp(value, "met") != 0 && strcmp(value, "never") != 0)
				return complain(x, _("pass takes 'met' or 'never', not '%s'"), value);
			x->pass_never = strcmp(value, "never") == 0;
			x->has_pass = 1;
			return 1;
		}
		return complain(x, _("unknown key '%s' in [exercise] (title, scene, goal, submit, "
		                     "max_steps, timeout, schedules, pass, workers)"), name);
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

/* A goal on a shared value the exercise names itself (a program has no
 * LS_GOALS of its own): below:NAME:N, NAME ends below N; changed:NAME, NAME
 * ends other than it began. NAME is the value's name in the model (a
 * multiprocessing Value is named after the variable it is assigned to).
 * 0, or -1 if id is not one of these. */
static int value_goal(struct exercise *x, struct goal *g)
{
	const char *id = x->goal_id;
	memset(g, 0, sizeof *g);
	snprintf(g->id, sizeof g->id, "%s", id);
	if (strncmp(id, "below:", 6) == 0) {
		const char *colon = strrchr(id + 6, ':');
		if (!colon || colon == id + 6 ||
		    whole(colon + 1, -0x7fffffffL, 0x7fffffffL, &g->bound) != 0)
			return -1;
		snprintf(x->goal_value, sizeof x->goal_value, "%.*s", (int)(colon - (id + 6)), id + 6);
		g->kind = GOAL_BELOW;
		g->help = N_("a shared value ends below a bound");
	} else if (strncmp(id, "changed:", 8) == 0 && id[8]) {
		snprintf(x->goal_value, sizeof x->goal_value, "%s", id + 8);
		g->kind = GOAL_CHANGED;
		g->help = N_("a shared value ends other than it began");
	} else {
		return -1;
	}
	g->value = x->goal_value;
	return 0;
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

/* A Python program: the interpreter's own compile() reads it first, so a
 * file that is not Python is an error row saying where it stops being
 * Python, not a run that fails for a reason the student cannot see. */
static int python_compiles(const char *path, char *err, size_t n)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		snprintf(err, n, _("cannot check %s: %s"), path, strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	char *argv[] = {"python3", "-I", "-c",
	                "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')",
	                (char *)path, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, "python3", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	char buf[4096];
	size_t got = 0;
	for (;;) {
		char tmp[512];
		ssize_t r = read(pfd[0], tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r && got < sizeof buf - 1; i++)
			buf[got++] = tmp[i];
	}
	buf[got] = 0;
	close(pfd[0]);
	if (rc != 0) {
		snprintf(err, n, _("cannot run python3: %s"), strerror(rc));
		return -1;
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	/* the last line of the complaint: "SyntaxError: invalid syntax" */
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		buf[--got] = 0;
	char *last = strrchr(buf, '\n');
	last = last ? last + 1 : buf;
	snprintf(err, n, _("%s is not a Python program: %s"), path,
	         *last ? last : _("python3 cannot read it"));
	return -1;
}

/* The kinds of submission. */
enum { KIND_SCHEDULE, KIND_PROGRAM };
static const char *const kinds[] = {"schedule", "program"};

/* ---- one run ---- */

struct grun {
	struct engine *e;
	const struct goal *g;
	int met;
	uint64_t met_steps;
	int used_up; /* the schedule ran out before the scene ended */
	int whole;   /* a program: no schedule, the policy runs it to its end */
	char timeout_msg[120];
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
	if (!r->whole && engine_schedule_left(r->e) == 0) {
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
	engine_finish(r->e, LS_OUT_TIMEOUT, r->timeout_msg);
}

struct result {
	const char *path;
	int pass, error; /* error: not run (unreadable, a bad schedule, not Python) */
	int met, timed_out;
	int no_value; /* a value's goal, and the finished run declared no such value */
	int workers;  /* threads and processes the run started besides main */
	uint64_t steps;
	int runs;          /* a program: how many of the schedules it was run under */
	char schedule[40]; /* a program: the schedule that decided, "" none */
	char outcome[32];
	char said[200]; /* the program's last line of output */
	char why[800];
};

/* The last line a worker printed (a traceback's last line, for one). */
static void last_output(const struct model *m, char *buf, size_t n)
{
	*buf = 0;
	uint64_t first = m->nsays > LS_SAYS_N ? m->nsays - LS_SAYS_N : 0;
	for (uint64_t i = m->nsays; i > first; i--) {
		const struct m_say *s = &m->says[(i - 1) % LS_SAYS_N];
		if (s->output && s->text[strspn(s->text, " \t\r\n")]) {
			snprintf(buf, n, "%s", s->text);
			buf[strcspn(buf, "\r\n")] = 0;
			return;
		}
	}
}

/* One run of the scene under eo, the goal checked as it goes. whole: a
 * program's run (no schedule; the program failing is a result, not an
 * error of grading). */
static void run_scene(const struct engine_opts *eo, const struct goal *g, const struct exercise *x,
                      int whole, double limit_s, struct result *res)
{
	char err[512];
	struct ev_loop *loop = EV_DEFAULT;
	long tmo = x->timeout_s ? x->timeout_s : whole ? PROGRAM_TIMEOUT_S : RUN_TIMEOUT_S;
	struct grun r = {.g = g, .whole = whole};
	if (whole)
		snprintf(r.timeout_msg, sizeof r.timeout_msg,
		         _("the program's runs took longer than %ld s together"), tmo);
	else
		snprintf(r.timeout_msg, sizeof r.timeout_msg, _("the run took longer than %ld s"), tmo);
	struct engine_cb cb = {.settled = on_settled, .ended = on_ended, .choose = choose};
	r.e = engine_new(loop, eo, &cb, &r);
	if (!r.e || engine_start(r.e, err, sizeof err) != 0) {
		res->error = 1;
		snprintf(res->why, sizeof res->why, _("cannot start scene %s: %s"), eo->scene->id,
		         r.e ? err : _("out of memory"));
		if (r.e)
			engine_free(r.e);
		engine_reap_all();
		return;
	}
	ev_timer_init(&r.timeout_w, timeout_cb, limit_s, 0.);
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
	res->met = r.met;
	res->timed_out = out == LS_OUT_TIMEOUT;
	if ((g->kind == GOAL_CHANGED || g->kind == GOAL_BELOW) && out == LS_OUT_FINISHED) {
		res->no_value = 1;
		for (int i = 0; i < m->no; i++)
			if (m->o[i].declared && m->o[i].kind == LS_OBJ_VALUE &&
			    strcmp(m->o[i].name, g->value) == 0)
				res->no_value = 0;
	}
	last_output(m, res->said, sizeof res->said);
	res->workers = 0;
	for (int i = 0; i < m->nw; i++)
		res->workers += m->w[i].declared && m->w[i].parent >= 0;
	char what[400];
	if (out == LS_OUT_BAD_SCHEDULE || out == LS_OUT_ERROR || out == LS_OUT_TIMEOUT ||
	    engine_check_failed(r.e)) {
		int program_failed = whole && out == LS_OUT_ERROR && !engine_check_failed(r.e);
		res->error = out != LS_OUT_TIMEOUT && !program_failed;
		if (program_failed && *res->said)
			snprintf(res->why, sizeof res->why, "%s: %s", engine_error(r.e), res->said);
		else
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
}

/* A schedule submission: the scene follows the student's schedule. */
static void grade_schedule(const struct engine_opts *base, const struct goal *g,
                           const struct exercise *x, struct result *res)
{
	char err[512];
	char *text = read_text(res->path, err, sizeof err);
	struct submission s = {0};
	if (!text || load_schedule(text, &s, err, sizeof err) != 0) {
		free(text);
		res->error = 1;
		snprintf(res->why, sizeof res->why, "%s", err);
		return;
	}
	free(text);
	struct engine_opts eo = *base;
	eo.schedule = s.schedule;
	eo.autostep = 1;
	eo.mode = LS_MODE_STEP;
	eo.sched = LS_SCHED_RR;
	eo.no_kernel_view = 1;
	run_scene(&eo, g, x, 0, (double)(x->timeout_s ? x->timeout_s : RUN_TIMEOUT_S), res);
	free(s.schedule);
}

static void policy_name(const struct policy *p, char *buf, size_t n)
{
	if (p->kind == POL_SEED)
		snprintf(buf, n, "seed:%ld", p->seed);
	else
		snprintf(buf, n, "%s", p->kind == POL_FREE ? "free" : "round-robin");
}

/* Puts "under SCHEDULE: " before a run's why. */
static void under(struct result *res, const char *pname)
{
	char why[sizeof res->why];
	snprintf(why, sizeof why, _("under %s: %s"), pname, res->why);
	snprintf(res->why, sizeof res->why, "%s", why);
	snprintf(res->schedule, sizeof res->schedule, "%s", pname);
}

static const struct policy rr = {.kind = POL_RR};

/* How a program (the example, or a submission) is run under policy p. */
static struct engine_opts program_opts(const struct engine_opts *base, const struct ls_scene *sc,
                                       const struct policy *p)
{
	struct engine_opts eo = *base;
	eo.scene = sc;
	eo.autostep = 1;
	eo.no_kernel_view = 1;
	eo.mode = p->kind == POL_FREE ? LS_MODE_RUN : LS_MODE_STEP;
	eo.free_run = p->kind == POL_FREE;
	eo.delay_us = 0;
	eo.sched = p->kind == POL_SEED ? LS_SCHED_SEED : LS_SCHED_RR;
	eo.seed = (uint64_t)p->seed;
	return eo;
}

/* pass = never without `workers`: what the example starts, from one
 * round-robin run of it, at most 2; -1 if it could not run (said in err). */
static int example_workers(const struct engine_opts *base, const struct goal *g,
                           const struct exercise *x, char *err, size_t n)
{
	struct engine_opts eo = program_opts(base, base->scene, &rr);
	struct result ex = {.path = base->scene->id};
	run_scene(&eo, g, x, 1, (double)(x->timeout_s ? x->timeout_s : PROGRAM_TIMEOUT_S), &ex);
	if (ex.error || ex.timed_out) {
		snprintf(err, n, _("cannot run the example %s: %s"), base->scene->id, ex.why);
		return -1;
	}
	return ex.workers < 2 ? ex.workers : 2;
}

/* A program submission: `lockstep run -- python3 FILE` under each of the
 * exercise's schedules, until one decides. pass = met: the first run that
 * meets the goal passes it. pass = never: a run that meets the goal, or
 * does not run to its end, fails it; it passes when every run finished
 * without meeting it. An error or a timeout ends the submission's runs. */
static void grade_program(const struct engine_opts *base, const struct goal *g,
                          const struct exercise *x, struct result *res)
{
	char err[512];
	char *text = read_text(res->path, err, sizeof err);
	if (!text || python_compiles(res->path, err, sizeof err) != 0) {
		free(text);
		res->error = 1;
		snprintf(res->why, sizeof res->why, "%s", err);
		return;
	}
	free(text);
	/* a file named -x.py is a file, not an option to python3 */
	char dashed[PATH_MAX + 3];
	snprintf(dashed, sizeof dashed, "%s%s", res->path[0] == '-' ? "./" : "", res->path);
	char *argv[] = {"python3", dashed, NULL};
	const struct ls_scene *sc = program_scene(argv, err, sizeof err);
	if (!sc) {
		res->error = 1;
		snprintf(res->why, sizeof res->why, "%s", err);
		return;
	}
	int npol = x->npol ? x->npol : 1;
	uint64_t most = 0;
	struct result last = {0};
	/* timeout bounds the submission: its runs share it */
	double limit = (double)(x->timeout_s ? x->timeout_s : PROGRAM_TIMEOUT_S);
	ev_now_update(EV_DEFAULT);
	double start = ev_now(EV_DEFAULT);
	for (int i = 0; i < npol; i++) {
		const struct policy *p = x->npol ? &x->pol[i] : &rr;
		struct engine_opts eo = program_opts(base, sc, p);
		struct result one = {.path = res->path};
		ev_now_update(EV_DEFAULT);
		double left = limit - (ev_now(EV_DEFAULT) - start);
		run_scene(&eo, g, x, 1, left > 0.001 ? left : 0.001, &one);
		one.runs = i + 1;
		char pname[40];
		policy_name(p, pname, sizeof pname);
		if (one.error || one.timed_out) {
			one.pass = 0;
			*res = one;
			under(res, pname);
			return;
		}
		if (x->pass_never && (one.met || one.no_value || strcmp(one.outcome, "finished") != 0)) {
			*res = one;
			res->pass = 0;
			if (one.no_value)
				snprintf(res->why, sizeof res->why,
				         _("the program has no shared value named %s to check"), g->value);
			else if (one.met)
				snprintf(res->why, sizeof res->why, _("the goal is met: %s"), one.why);
			else if (*one.said && strcmp(one.outcome, "error") != 0)
				snprintf(res->why, sizeof res->why, _("the run ended %s before the program "
				                                      "finished; its last line: %s"),
				         one.outcome, one.said);
			else
				snprintf(res->why, sizeof res->why, "%s", one.why);
			under(res, pname);
			return;
		}
		if (x->pass_never && one.workers < x->workers) {
			*res = one;
			res->pass = 0;
			snprintf(res->why, sizeof res->why,
			         PL_("the program starts %d thread or process besides main, the exercise "
			             "needs %ld: it does not do what the example does",
			             "the program starts %d threads or processes besides main, the exercise "
			             "needs %ld: it does not do what the example does",
			             one.workers),
			         one.workers, x->workers);
			under(res, pname);
			return;
		}
		if (!x->pass_never && one.pass) {
			*res = one;
			under(res, pname);
			return;
		}
		most = one.steps > most ? one.steps : most;
		last = one;
	}
	if (x->pass_never) {
		res->pass = 1;
		res->steps = most;
		res->runs = npol;
		res->workers = last.workers;
		snprintf(res->outcome, sizeof res->outcome, "finished");
		snprintf(res->why, sizeof res->why,
		         PL_("never met: %s; %d run finished (%s)",
		             "never met: %s; all %d runs finished (%s)", npol),
		         _(g->help), npol, x->npol ? x->schedules : "round-robin");
		return;
	}
	*res = last;
	char why[sizeof res->why];
	snprintf(why, sizeof why, PL_("under %d schedule (%s): %s", "under all %d schedules (%s): %s",
	                              npol),
	         npol, x->npol ? x->schedules : "round-robin", last.why);
	snprintf(res->why, sizeof res->why, "%s", why);
}

static void run_one(const struct engine_opts *base, const struct goal *g, const struct exercise *x,
                    int kind, struct result *res)
{
	if (kind == KIND_PROGRAM)
		grade_program(base, g, x, res);
	else
		grade_schedule(base, g, x, res);
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
	if (x->workers >= 0)
		printf(PL_("A program must start at least %ld thread or process besides main.\n",
		           "A program must start at least %ld threads or processes besides main.\n",
		           x->workers),
		       x->workers);
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
	jw_kstr(&j, "submit", x->submit);
	jw_kstr(&j, "pass_if", x->pass_never ? "never" : "met");
	jw_key(&j, "fewest");
	if (g->fewest)
		jw_int(&j, g->fewest);
	else
		jw_null(&j);
	if (x->workers >= 0)
		jw_kint(&j, "workers_needed", x->workers);
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
		if (res[i].runs) {
			jw_kint(&j, "runs", res[i].runs);
			jw_kint(&j, "workers", res[i].workers);
			jw_key(&j, "schedule");
			if (*res[i].schedule)
				jw_str(&j, res[i].schedule);
			else
				jw_null(&j);
		}
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
	struct exercise x = {.workers = -1};
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
		if (strcmp(x.submit, kinds[k]) == 0)
			kind = (int)k;
	if (kind < 0) {
		snprintf(err, sizeof err, _("submit takes 'schedule' or 'program', not '%s'"), x.submit);
		return bad_exercise(path, 0, err);
	}
	if (kind == KIND_PROGRAM && !program_of(sc)) {
		snprintf(err, sizeof err,
		         _("submit = program needs a Python example as the scene (py/NAME), not '%s'"),
		         x.scene);
		return bad_exercise(path, 0, err);
	}
	if (kind != KIND_PROGRAM && (x.npol || x.has_pass))
		return bad_exercise(path, 0, _("schedules and pass are for submit = program"));
	if (x.workers >= 0 && (kind != KIND_PROGRAM || !x.pass_never))
		return bad_exercise(path, 0, _("workers is for submit = program with pass = never"));
	struct engine_opts eo = {.scene = sc};
	params_defaults(sc, eo.params);
	for (int i = 0; i < x.nparams; i++)
		if (params_set(sc, eo.params, x.params[i], err, sizeof err) != 0)
			return bad_exercise(path, 0, err);
	struct goal g;
	int gr = goal_find(sc, eo.params, x.goal_id, &g);
	if (gr == -1 && value_goal(&x, &g) == 0)
		gr = 0;
	if (gr != 0) {
		snprintf(err, sizeof err,
		         gr == -1 ? _("scene %s has no goal '%s' (see lockstep --list-goals %s; or "
		                      "below:VALUE:N, changed:VALUE)")
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
	if (kind == KIND_PROGRAM && x.pass_never && x.workers < 0 &&
	    (x.workers = example_workers(&eo, &g, &x, err, sizeof err)) < 0) {
		fprintf(stderr, "lockstep: %s: %s\n", path, err);
		return LS_EXIT_ERROR;
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
