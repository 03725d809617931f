/* ui_explore: the explorer in the terminal UI. See ui_explore.h.
 *
 * One search at a time, in a child lockstep: this process stays the UI
 * (the explorer runs its own libev loop over engines, which only the child
 * can give it), and Esc or quitting is a SIGTERM the explorer already
 * answers by stopping its run and reaping it. The module's state is one
 * static struct: there is one UI.
 */
#include "ui_explore.h"

#include <curses.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog.h"
#include "goal.h"
#include "i18n.h"
#include "keymap.h"
#include "ui_draw.h"
#include "ui_text.h"
#include "xmap.h"

/* A search gives up after BUDGET_S; a map after as many schedules as its
 * tree keeps (XMAP_RUNS_MAX), however long they take: a map is for small
 * scenes (deadlock's 524 schedules take 3 s on a quiet machine), and on a
 * loaded one it must still be whole. */
#define BUDGET_S 30
#define GOALS_MAX 16
#define ROWS_MAX 4096

enum stage { XS_GOALS, XS_RUNNING, XS_RESULT, XS_MAP };

static struct {
	struct ev_loop *loop;
	void (*changed)(void *ud);
	void *ud;
	enum stage stage;
	/* the goals offered, for the scene at xui_open */
	const struct ls_scene *scene;
	long params[LS_PARAMS_MAX];
	char goal_id[GOALS_MAX][48];
	const char *goal_help[GOALS_MAX];
	int ngoals, sel;
	/* the search: its child, and what it said */
	char goal[48];
	int map;
	pid_t pid;
	int out_fd, err_fd;
	ev_io out_w, err_w;
	ev_child child_w;
	char obuf[8192];
	size_t olen;
	char ebuf[512];
	size_t elen;
	int running, cancelled, status;
	int shown;  /* the overlay is open (x hides it while a search goes on) */
	int unseen; /* a search ended while hidden: the strip says so */
	ev_tstamp t0, t1;
	struct xfeed feed;
	int have; /* feed is a finished search for scene/params/goal */
	/* the map's view */
	int row, top;
	/* the guide: a schedule loaded to be stepped */
	char *guide;
	char guide_what[160]; /* "the witness", "schedule 12 of the map" */
	/* the run so far (xui_path) */
	int known, steps, onpath, prev, node;
} X = {.pid = -1, .out_fd = -1, .err_fd = -1, .prev = -1, .node = -1};

static void changed(void)
{
	if (X.changed)
		X.changed(X.ud);
}

void xui_init(struct ev_loop *loop, void (*cb)(void *ud), void *ud)
{
	X.loop = loop;
	X.changed = cb;
	X.ud = ud;
	xfeed_init(&X.feed);
}

/* ---- the child ---- */

static void close_fd(int *fd, ev_io *w)
{
	if (*fd < 0)
		return;
	ev_io_stop(X.loop, w);
	close(*fd);
	*fd = -1;
}

/* The map's rows (xmap_rows), for drawing and keys. */
static struct xrow rows[ROWS_MAX];

/* Show node i's row and put the cursor on it (the first hit, n). */
static void select_node(int i)
{
	if (i < 0)
		return;
	xmap_reveal(&X.feed, i);
	int n = xmap_rows(&X.feed, rows, ROWS_MAX);
	for (int k = 0; k < n; k++)
		if (rows[k].last == i)
			X.row = k;
}

static void job_over_maybe(void)
{
	if (X.running && X.out_fd < 0 && X.err_fd < 0 && X.pid < 0) {
		X.running = 0;
		X.t1 = ev_now(X.loop);
		X.have = X.feed.done && !X.cancelled;
		X.unseen = !X.shown;
		if (X.stage == XS_RUNNING)
			X.stage = X.have && X.map ? XS_MAP : XS_RESULT;
		if (X.have && X.map) {
			X.row = X.top = 0;
			select_node(xmap_next_leaf(&X.feed, 0, XC_HIT));
		}
		changed();
	}
}

static void out_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	(void)w;
	for (;;) {
		ssize_t n = read(X.out_fd, X.obuf + X.olen, sizeof X.obuf - 1 - X.olen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			close_fd(&X.out_fd, &X.out_w);
			break;
		}
		X.olen += (size_t)n;
		char *p = X.obuf, *nl;
		while ((nl = memchr(p, '\n', X.olen - (size_t)(p - X.obuf)))) {
			*nl = '\0';
			xfeed_line(&X.feed, p);
			p = nl + 1;
		}
		X.olen -= (size_t)(p - X.obuf);
		memmove(X.obuf, p, X.olen);
		if (X.olen == sizeof X.obuf - 1) /* a line longer than any the feed writes */
			X.olen = 0;
	}
	changed();
	job_over_maybe();
}

static void err_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	(void)w;
	char buf[512];
	for (;;) {
		ssize_t n = read(X.err_fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			close_fd(&X.err_fd, &X.err_w);
			break;
		}
		/* keep the tail: its last line says why */
		size_t k = (size_t)n;
		if (X.elen + k > sizeof X.ebuf - 1) {
			size_t drop = X.elen + k - (sizeof X.ebuf - 1);
			if (drop > X.elen)
				drop = X.elen;
			memmove(X.ebuf, X.ebuf + drop, X.elen - drop);
			X.elen -= drop;
		}
		if (k > sizeof X.ebuf - 1 - X.elen)
			k = sizeof X.ebuf - 1 - X.elen;
		memcpy(X.ebuf + X.elen, buf + ((size_t)n - k), k);
		X.elen += k;
		X.ebuf[X.elen] = '\0';
	}
	job_over_maybe();
}

static void child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	(void)revents;
	ev_child_stop(loop, w);
	X.status = w->rstatus;
	X.pid = -1;
	job_over_maybe();
}

/* Every signal back to its default in the child, as the host does: it
 * inherits libev's and curses' handlers until exec, and the mask. */
static void child_signals(void)
{
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}


static int job_start(char *err, size_t errlen)
{
	const struct ls_scene *sc = X.scene;
	char dir[4096], sp[4200], goal[80], pv[LS_PARAMS_MAX][96];
	const char *argv[16 + 2 * LS_PARAMS_MAX];
	int n = 0;
	argv[n++] = "lockstep";
	argv[n++] = "--explore";
	argv[n++] = sc->id;
	argv[n++] = "--feed";
	snprintf(goal, sizeof goal, "--goal=%s", X.goal);
	argv[n++] = goal;
	char budget[32];
	if (X.map)
		snprintf(budget, sizeof budget, "--budget=%d", XMAP_RUNS_MAX);
	else
		snprintf(budget, sizeof budget, "--budget=%ds", BUDGET_S);
	argv[n++] = budget;
	if (X.map)
		argv[n++] = "--map";
	catalog_scene_dir(sc, dir, sizeof dir);
	if (dir[0]) { /* the same module, wherever the catalog found it */
		snprintf(sp, sizeof sp, "--scene-path=%s", dir);
		argv[n++] = sp;
	}
	for (int i = 0; i < params_count(sc) && i < LS_PARAMS_MAX; i++) {
		char v[64];
		snprintf(pv[i], sizeof pv[i], "%s=%s", sc->params[i].name,
		         params_show(sc, i, X.params[i], v, sizeof v));
		argv[n++] = "--param";
		argv[n++] = pv[i];
	}
	argv[n] = NULL;
	int out[2], er[2];
	if (pipe2(out, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(er, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return -1;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(out[0]); close(out[1]); close(er[0]); close(er[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0); /* the terminal's ^C and ^Z are the UI's, not the search's */
		child_signals();
		prctl(PR_SET_PDEATHSIG, SIGTERM); /* it stops its run and reaps it */
		if (getppid() != parent)
			_exit(72);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(er[1], 2);
		close_range(3, ~0u, 0);
		execv("/proc/self/exe", (char *const *)argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(out[1]);
	close(er[1]);
	X.pid = pid;
	X.out_fd = out[0];
	X.err_fd = er[0];
	fcntl(X.out_fd, F_SETFL, fcntl(X.out_fd, F_GETFL) | O_NONBLOCK);
	fcntl(X.err_fd, F_SETFL, fcntl(X.err_fd, F_GETFL) | O_NONBLOCK);
	ev_io_init(&X.out_w, out_cb, X.out_fd, EV_READ);
	ev_io_init(&X.err_w, err_cb, X.err_fd, EV_READ);
	ev_io_start(X.loop, &X.out_w);
	ev_io_start(X.loop, &X.err_w);
	ev_child_init(&X.child_w, child_cb, pid, 0);
	ev_child_start(X.loop, &X.child_w);
	return 0;
}

static void cancel(void)
{
	if (X.pid > 0 && !X.cancelled) {
		X.cancelled = 1;
		kill(X.pid, SIGTERM);
	}
}

static void search(int map)
{
	cancel();
	if (X.running) /* the last one is still going away: its feed is not ours */
		return;
	xfeed_free(&X.feed);
	xfeed_init(&X.feed);
	snprintf(X.goal, sizeof X.goal, "%s", X.goal_id[X.sel]);
	X.map = map;
	X.have = 0;
	X.cancelled = 0;
	X.status = 0;
	X.elen = 0;
	X.ebuf[0] = '\0';
	X.olen = 0;
	char err[256];
	X.t0 = X.t1 = ev_now(X.loop);
	if (job_start(err, sizeof err) != 0) {
		snprintf(X.ebuf, sizeof X.ebuf, "%s", err);
		X.stage = XS_RESULT;
		return;
	}
	X.running = 1;
	X.stage = XS_RUNNING;
}

void xui_free(void)
{
	cancel();
	if (X.pid > 0)
		ev_child_stop(X.loop, &X.child_w); /* engine_reap_all() reaps it */
	close_fd(&X.out_fd, &X.out_w);
	close_fd(&X.err_fd, &X.err_w);
	xfeed_free(&X.feed);
	free(X.guide);
	X.guide = NULL;
}

/* ---- opening ---- */

static int same_scene(const struct ls_scene *sc, const long *params)
{
	return X.scene == sc && memcmp(X.params, params, sizeof X.params) == 0;
}

void xui_open(const struct ls_scene *sc, const long *params, int map)
{
	int unseen = X.unseen;
	X.shown = 1;
	X.unseen = 0;
	if (!same_scene(sc, params) && !X.running) {
		X.have = 0;
		X.sel = 0;
		unseen = 0;
	}
	if (!X.running) {
		X.scene = sc;
		memcpy(X.params, params, sizeof X.params);
		static const char *const builtin[][2] = {
			{"deadlock", N_("a circle of workers, each waiting for the next")},
			{"stall", N_("every live worker waits and nobody can wake them, without a circle")},
			{"crash", N_("the scene dies of a signal")},
		};
		X.ngoals = 0;
		for (int i = 0; i < 3; i++) {
			snprintf(X.goal_id[X.ngoals], sizeof X.goal_id[0], "%s", builtin[i][0]);
			X.goal_help[X.ngoals++] = builtin[i][1];
		}
		struct goal g[GOAL_MAX];
		int ng = goal_scene_list(sc, params, g, GOAL_MAX);
		for (int i = 0; i < ng && X.ngoals < GOALS_MAX; i++) {
			snprintf(X.goal_id[X.ngoals], sizeof X.goal_id[0], "%.47s", g[i].id);
			X.goal_help[X.ngoals++] = g[i].help ? g[i].help : "";
		}
	}
	if (X.running)
		X.stage = XS_RUNNING;
	else if (unseen && !map) /* it ended while hidden: its result */
		X.stage = X.have && X.map ? XS_MAP : XS_RESULT;
	else if (map && X.have && X.map)
		X.stage = XS_MAP;
	else if (map)
		search(1);
	else
		X.stage = XS_GOALS;
}

/* ---- drawing ---- */

static const char *glyph_of(enum xclass k)
{
	static const char *const u[XC_COUNT] = {"‼", "✓", "⊗", "◌", "✗", "?"};
	static const char *const a[XC_COUNT] = {"!!", "ok", "X", "o", "x", "?"};
	return text_ascii() ? a[k] : u[k];
}

static int role_of(enum xclass k)
{
	static const int r[XC_COUNT] = {TH_BLOCKED, TH_GOOD, TH_ZOMBIE, TH_WAITING, TH_ZOMBIE,
	                                TH_DIM};
	return r[k];
}

static const char *class_word(enum xclass k)
{
	switch (k) {
	case XC_HIT: return X.goal;
	case XC_FINISHED: return "finished";
	case XC_DEADLOCK: return "deadlock";
	case XC_STALLED: return "stalled";
	case XC_CRASHED: return "crashed";
	default: return _("other");
	}
}

/* The last line the child wrote on stderr: its one line saying why. */
static const char *last_line(char *buf)
{
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	char *nl = strrchr(buf, '\n');
	return nl ? nl + 1 : buf;
}

static double elapsed(void)
{
	return (X.running ? ev_now(X.loop) : X.t1) - X.t0;
}

static struct rect map_box(const struct ui_ctx *c);

/* The box each stage draws in, for its drawing and its clicks. */
static struct rect stage_box(const struct ui_ctx *c)
{
	switch (X.stage) {
	case XS_GOALS: return draw_centred(c->rows, c->cols, 76, X.ngoals * 2 + 6);
	case XS_RUNNING: return draw_centred(c->rows, c->cols, 70, 9);
	case XS_RESULT: return draw_centred(c->rows, c->cols, 78, X.feed.nsteps + 7);
	case XS_MAP: break;
	}
	return map_box(c);
}

static void draw_goals(const struct ui_ctx *c)
{
	struct rect r = stage_box(c);
	draw_clear(r);
	draw_box(r, _("Explore: which goal? (Esc closes)"), 1, TH_FOCUS);
	int x = r.x + 2, w = r.w - 4, y = r.y + 1;
	draw_textf(y++, x, w, TH_DIM, _("Search %s's schedules for the goal:"), X.scene->id);
	for (int i = 0; i < X.ngoals && y < r.y + r.h - 2; i++) {
		int role = i == X.sel ? TH_SELECT : TH_ITEM;
		if (i == X.sel)
			draw_fill(y, x, w, TH_SELECT);
		draw_textf(y++, x, w, role, " %s %s", i == X.sel ? draw_glyph(G_ARROW) : " ",
		           X.goal_id[i]);
		if (y < r.y + r.h - 2)
			draw_text(y++, x + 4, w - 4, X.goal_help[i][0] ? _(X.goal_help[i]) : "", TH_NORMAL);
	}
	draw_text(r.y + r.h - 2, x, w,
	          _("Enter: the fewest-preemption schedule   m: the map of every schedule"), TH_HINT);
}

static void draw_running(const struct ui_ctx *c)
{
	struct rect r = stage_box(c);
	draw_clear(r);
	char title[128];
	snprintf(title, sizeof title, X.map ? _("Mapping %s: every schedule") : _("Exploring %s for %s"),
	         X.scene->id, X.goal);
	draw_box(r, title, 1, TH_FOCUS);
	int x = r.x + 2, w = r.w - 4, y = r.y + 1;
	double el = elapsed();
	int barw = w - 18 > 10 ? w - 18 : 10;
	const struct xfeed *f = &X.feed;
	double done = X.map ? (double)f->runs / XMAP_RUNS_MAX : el / BUDGET_S;
	int full = (int)(done * barw);
	if (full > barw)
		full = barw;
	for (int i = 0; i < barw; i++)
		draw_text(y, x + i, 1, draw_glyph(i < full ? G_BAR_FULL : G_BAR_EMPTY),
		          i < full ? TH_BAR : TH_DIM);
	if (X.map)
		draw_textf(y++, x + barw + 1, w - barw - 1, TH_NORMAL, _("%.0f s, at most %d"), el,
		           XMAP_RUNS_MAX);
	else
		draw_textf(y++, x + barw + 1, w - barw - 1, TH_NORMAL, _("%.0f s of %d s"), el, BUDGET_S);
	y++;
	double rate = f->ms > 0 ? (double)f->runs * 1000.0 / (double)f->ms : 0;
	draw_textf(y++, x, w, TH_NORMAL, _("%llu runs · %.0f runs/s · %llu distinct states"),
	           (unsigned long long)f->runs, rate, (unsigned long long)f->states);
	if (X.map)
		draw_textf(y++, x, w, TH_NORMAL, _("schedules in the map: %llu"),
		           (unsigned long long)f->tree_runs);
	else if (f->found)
		draw_textf(y++, x, w, TH_GOOD, ngettext("best so far: a schedule with %d preemption",
		                                        "best so far: a schedule with %d preemptions",
		                                        (unsigned long)f->cost),
		           f->cost);
	else
		draw_textf(y++, x, w, TH_NORMAL, _("best so far: none yet (trying %d preemptions)"),
		           f->level);
	draw_text(r.y + r.h - 2, x, w,
	          X.cancelled ? _("cancelling...") : _("Esc cancels; x hides this box while the search goes on"),
	          TH_HINT);
}

static void draw_result(const struct ui_ctx *c)
{
	const struct xfeed *f = &X.feed;
	struct rect r = stage_box(c);
	draw_clear(r);
	draw_box(r, _("Explorer: the result (Esc closes)"), 1, TH_FOCUS);
	int x = r.x + 2, w = r.w - 4, y = r.y + 1, bottom = r.y + r.h - 2;
	if (X.cancelled) {
		draw_textf(y++, x, w, TH_HINT, _("cancelled after %llu runs and %.0f s: nothing found yet"),
		           (unsigned long long)f->runs, elapsed());
	} else if (!f->done) {
		draw_text(y++, x, w, _("the explorer failed:"), TH_ALARM);
		draw_text(y++, x, w, last_line(X.ebuf)[0] ? last_line(X.ebuf) : _("it ended without a result"),
		          TH_NORMAL);
	} else if (f->witness) {
		draw_textf(y++, x, w, TH_ALARM, _("%s reaches %s in run %llu of %llu"), X.scene->id,
		           X.goal, (unsigned long long)f->witrun, (unsigned long long)f->runs);
		char len[64];
		snprintf(len, sizeof len, ngettext("%d step", "%d steps", (unsigned long)f->witlen),
		         f->witlen);
		draw_textf(y++, x, w, TH_NORMAL,
		           ngettext("the shortest story: %s, %d preemption", "the shortest story: %s, %d preemptions",
		                    (unsigned long)f->witcost),
		           len, f->witcost);
		for (int i = 0; i < f->nsteps && y < bottom - 1; i++) {
			const struct xstep_text *s = &f->steps[i];
			char line[400];
			int k = snprintf(line, sizeof line, "%2d. %s: %s%s%s", i + 1, s->w, s->op,
			                 s->obj[0] ? " " : "", s->obj);
			char why[200] = "";
			if (s->pre[0] && s->held[0])
				snprintf(why, sizeof why, _("here %s is switched in while %s holds %s"), s->w,
				         s->pre, s->held);
			else if (s->pre[0])
				snprintf(why, sizeof why, _("here %s is switched in while %s could go on"), s->w,
				         s->pre);
			if (why[0] && k > 0 && (size_t)k < sizeof line)
				snprintf(line + k, sizeof line - (size_t)k, "  (%s)", why);
			draw_text(y++, x, w, line, s->pre[0] ? TH_HINT : TH_NORMAL);
		}
		if (y < bottom)
			draw_text(y++, x, w, f->summary, TH_BLOCKED);
	} else if (f->complete) {
		draw_textf(y++, x, w, TH_GOOD, _("no schedule reaches %s: every interleaving was run (%llu runs)"),
		           X.goal, (unsigned long long)f->runs);
	} else {
		draw_textf(y++, x, w, TH_HINT, _("budget spent: %llu runs in %.0f s, none reached %s"),
		           (unsigned long long)f->runs, elapsed(), X.goal);
	}
	draw_text(bottom, x, w,
	          f->witness && !X.cancelled ? _("Enter: step through it (s steps)   m: the map   Esc closes")
	                                     : _("x: another goal   m: the map   Esc closes"),
	          TH_HINT);
}

/* Where the map's list sits. */
static struct rect map_box(const struct ui_ctx *c)
{
	return draw_centred(c->rows, c->cols, c->cols - 4, c->rows - 2);
}

static int map_page(const struct ui_ctx *c)
{
	int h = map_box(c).h - 5;
	return h > 1 ? h : 1;
}

static void counts_text(const struct xnode *n, char *buf, size_t sz)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int k = 0; k < XC_COUNT && len < sz; k++)
		if (n->n[k])
			len += (size_t)snprintf(buf + len, sz - len, "%s%s%u", len ? " " : "",
			                        glyph_of((enum xclass)k), n->n[k]);
}

/* One class for a node whose schedules all end alike, else -1. */
static int only_class(const struct xnode *n)
{
	int c = -1;
	for (int k = 0; k < XC_COUNT; k++)
		if (n->n[k]) {
			if (c >= 0)
				return -1;
			c = k;
		}
	return c;
}

static void draw_map(const struct ui_ctx *c)
{
	const struct xfeed *f = &X.feed;
	struct rect r = map_box(c);
	draw_clear(r);
	char title[160];
	snprintf(title, sizeof title, _("Map of %s for %s (Esc closes)"), X.scene->id, X.goal);
	draw_box(r, title, 1, TH_FOCUS);
	int x = r.x + 2, w = r.w - 4, y = r.y + 1;
	char head[400];
	size_t len = (size_t)snprintf(head, sizeof head,
	                              f->complete
	                                  ? _("every schedule run: %llu")
	                                  : _("the map is full: the first %llu schedules"),
	                              (unsigned long long)f->runs);
	for (int k = 0; k < XC_COUNT && len < sizeof head; k++)
		if (f->node[0].n[k])
			len += (size_t)snprintf(head + len, sizeof head - len, " · %s %s %u",
			                        glyph_of((enum xclass)k), class_word((enum xclass)k),
			                        f->node[0].n[k]);
	draw_text(y++, x, w, head, TH_NORMAL);
	if (f->dropped)
		draw_textf(y++, x, w, TH_DIM, _("(%llu more schedules are counted but not drawn)"),
		           (unsigned long long)f->dropped);
	int n = xmap_rows(f, rows, ROWS_MAX);
	int list = r.y + r.h - 2 - y;
	if (X.row >= n)
		X.row = n - 1;
	if (X.row < 0)
		X.row = 0;
	if (X.row < X.top)
		X.top = X.row;
	if (X.row >= X.top + list)
		X.top = X.row - list + 1;
	int y0 = y;
	for (int i = X.top; i < n && y < r.y + r.h - 2; i++, y++) {
		const struct xrow *rw = &rows[i];
		const struct xnode *last = &f->node[rw->last];
		int cls = only_class(last);
		int role = cls >= 0 ? role_of((enum xclass)cls) : last->n[XC_HIT] ? TH_HINT : TH_NORMAL;
		int sel = i == X.row;
		if (sel)
			draw_fill(y, x, w, TH_SELECT);
		if (sel)
			draw_text(y, x, 2, draw_glyph(G_ARROW), TH_SELECT);
		int cx = x + 2 + 2 * rw->indent;
		const char *mark = last->leaf >= 0 ? glyph_of((enum xclass)last->leaf)
		                   : last->open  ? (text_ascii() ? "-" : "▾")
		                                 : (text_ascii() ? "+" : "▸");
		cx += draw_textf(y, cx, x + w - cx, sel ? TH_SELECT : role, "%s ", mark);
		char chain[600];
		size_t cl = 0;
		chain[0] = '\0';
		int k = rw->last, count = 0;
		int path[256];
		while (count < 256) {
			path[count++] = k;
			if (k == rw->first)
				break;
			k = f->node[k].parent;
		}
		for (int j = count - 1; j >= 0 && cl < sizeof chain; j--)
			cl += (size_t)snprintf(chain + cl, sizeof chain - cl, "%s%s", j == count - 1 ? "" : " ",
			                       f->names[f->node[path[j]].name]);
		char right[200];
		if (last->leaf >= 0) {
			if (last->value != INT64_MIN)
				snprintf(right, sizeof right, "%s %s (%lld)", glyph_of((enum xclass)last->leaf),
				         class_word((enum xclass)last->leaf), (long long)last->value);
			else
				snprintf(right, sizeof right, "%s %s", glyph_of((enum xclass)last->leaf),
				         class_word((enum xclass)last->leaf));
		} else {
			counts_text(last, right, sizeof right);
		}
		int rw_w = text_width(right);
		int room = x + w - cx - rw_w - 2;
		draw_text(y, cx, room > 4 ? room : 4, chain, sel ? TH_SELECT : TH_NORMAL);
		draw_text_right(y, x + w, rw_w, right, sel ? TH_SELECT : role);
	}
	draw_scroll_marks(r, X.top > 0, X.top + (y - y0) < n);
	draw_text(r.y + r.h - 2, x, w,
	          _("↑↓ move  → open  ← close  n next hit  Enter or a second click: step through it"), TH_HINT);
}

static void explore_draw(const struct ui_ctx *c)
{
	switch (X.stage) {
	case XS_GOALS: draw_goals(c); break;
	case XS_RUNNING: draw_running(c); break;
	case XS_RESULT: draw_result(c); break;
	case XS_MAP: draw_map(c); break;
	}
}

/* ---- keys ---- */

static enum ui_ov_act load(char *sched, const char *what)
{
	free(X.guide);
	X.guide = sched;
	snprintf(X.guide_what, sizeof X.guide_what, "%s", what);
	X.known = 0;
	return UI_OV_LOAD_SCHEDULE;
}

static enum ui_ov_act map_key(const struct ui_ctx *c, int key, enum km_action act)
{
	struct xfeed *f = &X.feed;
	int n = xmap_rows(f, rows, ROWS_MAX);
	if (n == 0)
		return act == KM_CLOSE || act == KM_QUIT ? UI_OV_CLOSE : UI_OV_STAY;
	if (X.row >= n)
		X.row = n - 1;
	struct xnode *last = &f->node[rows[X.row].last];
	if (key == KM_KEY_RIGHT && last->leaf < 0) {
		last->open = 1;
		return UI_OV_STAY;
	}
	if (key == KM_KEY_LEFT || key == 'b') {
		if (last->leaf < 0 && last->open) {
			last->open = 0;
			return UI_OV_STAY;
		}
		int p = f->node[rows[X.row].first].parent; /* up to the row that branches here */
		for (int i = X.row - 1; i >= 0 && p > 0; i--)
			if (rows[i].last == p) {
				X.row = i;
				break;
			}
		return UI_OV_STAY;
	}
	if (key == 'n' || key == 'N') {
		select_node(xmap_next_leaf(f, rows[X.row].last, XC_HIT));
		return UI_OV_STAY;
	}
	switch (act) {
	case KM_PICK:
		if (last->leaf < 0) {
			last->open = !last->open;
			return UI_OV_STAY;
		} else {
			char what[160];
			snprintf(what, sizeof what, _("map schedule (%s)"),
			         class_word((enum xclass)last->leaf));
			return load(xmap_schedule(f, rows[X.row].last), what);
		}
	case KM_CLOSE:
	case KM_QUIT: return UI_OV_CLOSE;
	default:
		X.row = ui_scroll_key(act, X.row, n - 1, map_page(c));
		return UI_OV_STAY;
	}
}

static enum ui_ov_act explore_key_stage(const struct ui_ctx *c, struct view *v, int key)
{
	(void)v;
	enum km_action act = km_lookup(key, KM_LIST, NULL);
	switch (X.stage) {
	case XS_GOALS:
		if (key == 'm' || key == 'M') {
			search(1);
			return UI_OV_STAY;
		}
		if (act == KM_PICK) {
			search(0);
			return UI_OV_STAY;
		}
		if (act == KM_CLOSE || act == KM_QUIT)
			return UI_OV_CLOSE;
		X.sel = ui_scroll_key(act, X.sel, X.ngoals - 1, 4);
		return UI_OV_STAY;
	case XS_RUNNING:
		if (act == KM_CLOSE)
			cancel();
		if (act == KM_QUIT)
			cancel();
		/* x hides the box: the search goes on, the strip counts it */
		return act == KM_QUIT || key == 'x' || key == 'X' ? UI_OV_CLOSE : UI_OV_STAY;
	case XS_RESULT:
		if (act == KM_PICK && X.feed.witness && !X.cancelled) {
			char *s = strdup(X.feed.witness);
			if (!s)
				abort();
			return load(s, _("witness"));
		}
		if (key == 'm' || key == 'M') {
			search(1);
			return UI_OV_STAY;
		}
		if (key == 'x' || key == 'X') {
			X.stage = XS_GOALS;
			return UI_OV_STAY;
		}
		return act == KM_CLOSE || act == KM_QUIT || act == KM_PICK ? UI_OV_CLOSE : UI_OV_STAY;
	case XS_MAP:
		return map_key(c, key, act);
	}
	return UI_OV_STAY;
}

static enum ui_ov_act explore_key(const struct ui_ctx *c, struct view *v, int key)
{
	enum ui_ov_act a = explore_key_stage(c, v, key);
	if (a != UI_OV_STAY)
		X.shown = 0;
	return a;
}

/* A click: on a goal, search for it; on a branch of the map, open or
 * close it; on a schedule, choose it, and on the chosen one, step through
 * it; outside the box, close (a search goes on, as with x). */
static enum ui_ov_act explore_click_stage(const struct ui_ctx *c, struct view *v, int y, int x)
{
	struct rect r = stage_box(c);
	if (y < r.y || y >= r.y + r.h || x < r.x || x >= r.x + r.w)
		return UI_OV_CLOSE;
	if (X.stage == XS_GOALS) {
		int i = (y - (r.y + 2)) / 2;
		if (y >= r.y + 2 && i < X.ngoals) {
			X.sel = i;
			search(0);
		}
		return UI_OV_STAY;
	}
	if (X.stage != XS_MAP)
		return UI_OV_STAY;
	int first = r.y + 2 + (X.feed.dropped ? 1 : 0);
	int n = xmap_rows(&X.feed, rows, ROWS_MAX);
	int i = X.top + (y - first);
	if (y < first || y >= r.y + r.h - 2 || i >= n)
		return UI_OV_STAY;
	struct xnode *last = &X.feed.node[rows[i].last];
	int again = i == X.row;
	X.row = i;
	if (last->leaf < 0) {
		last->open = !last->open;
		return UI_OV_STAY;
	}
	return again ? explore_key_stage(c, v, '\n') : UI_OV_STAY;
}

static enum ui_ov_act explore_click(const struct ui_ctx *c, struct view *v, int y, int x)
{
	enum ui_ov_act a = explore_click_stage(c, v, y, x);
	if (a != UI_OV_STAY)
		X.shown = 0;
	return a;
}

const struct overlay_ops overlay_explore = {
	.draw = explore_draw, .on_key = explore_key, .on_click = explore_click,
};

/* ---- the guide and the distance to danger ---- */

static int map_here(void)
{
	return X.have && X.map && X.feed.tree_runs > 0;
}

int xui_wants_path(void)
{
	return X.guide || map_here();
}

static int worker_named(const struct model *m, const char *s, size_t len)
{
	for (int i = 0; i < m->nw; i++) {
		const char *nm = model_worker_name(m, i);
		if (strlen(nm) == len && strncmp(nm, s, len) == 0)
			return i;
	}
	return -1;
}

/* travel_schedule names workers by index: the guide and the map by name. */
static char *names_of(const char *idx, const struct model *m)
{
	size_t cap = strlen(idx) * 2 + 64, len = 0;
	char *s = malloc(cap);
	if (!s)
		abort();
	s[0] = '\0';
	for (const char *p = idx; *p;) {
		size_t n = strcspn(p, ",");
		char *end;
		long w = strtol(p, &end, 10);
		const char *nm = end == p + n && n > 0 ? model_worker_name(m, (int)w) : NULL;
		size_t need = (nm ? strlen(nm) : n) + 2;
		if (len + need >= cap) {
			cap = (len + need) * 2;
			s = realloc(s, cap);
			if (!s)
				abort();
		}
		len += (size_t)snprintf(s + len, cap - len, "%s%.*s", len ? "," : "",
		                        nm ? (int)strlen(nm) : (int)n, nm ? nm : p);
		p += n + (p[n] == ',');
	}
	return s;
}

void xui_path(const char *idx, const struct model *m)
{
	X.known = idx != NULL;
	if (!idx)
		return;
	char *sched = names_of(idx, m);
	X.steps = 0;
	X.prev = -1;
	for (const char *p = sched; *p;) {
		size_t len = strcspn(p, ",");
		X.prev = worker_named(m, p, len);
		X.steps++;
		p += len + (p[len] == ',');
	}
	size_t n = strlen(sched);
	X.onpath = X.guide && strncmp(X.guide, sched, n) == 0 &&
	           (X.guide[n] == ',' || X.guide[n] == '\0' || n == 0);
	X.node = map_here() ? xmap_find(&X.feed, sched) : -1;
	free(sched);
}

/* The guide's entry k (0-based), as a worker of m; -1: none. */
static int guide_entry(const struct model *m, int k)
{
	const char *p = X.guide;
	for (int i = 0; p && *p; i++) {
		size_t len = strcspn(p, ",");
		if (i == k)
			return worker_named(m, p, len);
		p += len + (p[len] == ',');
	}
	return -1;
}

static int guide_len(void)
{
	if (!X.guide || !*X.guide)
		return 0;
	int n = 1;
	for (const char *p = X.guide; *p; p++)
		n += *p == ',';
	return n;
}

int xui_guide_next(const struct model *m)
{
	if (!X.guide || !X.known || !X.onpath || (uint64_t)X.steps != m->steps)
		return -1;
	int id = guide_entry(m, X.steps);
	return id >= 0 && model_eligible(m, id) ? id : -1;
}

void xui_scene_changed(const struct ls_scene *sc, const long *params)
{
	/* what was found is about the scene it was found for: another scene
	 * (or other parameters) drops it, and a search for the old one */
	if (X.scene && !same_scene(sc, params)) {
		cancel();
		X.have = 0;
		X.unseen = 0;
		free(X.guide);
		X.guide = NULL;
	}
	X.known = 0;
}

/* Text added at *len, never past the buffer. */
static void add(char *buf, size_t n, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	if (*len >= n - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len = *len + (size_t)k < n ? *len + (size_t)k : n - 1;
}

int xui_strip(void)
{
	return (X.running && !X.shown) || X.unseen || (X.known && xui_wants_path());
}

void xui_strip_draw(const struct ui_ctx *c, int y)
{
	if (!xui_strip() || c->lay.too_small || y < 1)
		return;
	char text[600], part[300];
	size_t len = 0;
	text[0] = '\0';
	int role = TH_HINT;
	if (X.running && !X.shown)
		add(text, sizeof text, &len, _("exploring %s: %llu runs (x shows it)"),
		                        X.goal, (unsigned long long)X.feed.runs);
	else if (X.unseen)
		add(text, sizeof text, &len, "%s", _("the explorer is done (x shows the result)"));
	if (len > 0 && X.known && X.guide)
		add(text, sizeof text, &len, "  ·  ");
	if (X.known && X.guide) {
		int n = guide_len();
		if (!X.onpath) {
			add(text, sizeof text, &len, _("off %s (r starts it again)"), X.guide_what);
		} else if (X.steps < n) {
			int next = guide_entry(c->m, X.steps);
			char op[128] = "", pre[200];
			if (next >= 0)
				ui_op_text(c->m, &c->m->w[next], op, sizeof op);
			xmap_preemption_text(c->m, next, X.prev, pre, sizeof pre);
			add(text, sizeof text, &len, _("%s %d/%d: %s %s%s%s"),
			                        X.guide_what, X.steps + 1, n,
			                        next >= 0 ? model_worker_name(c->m, next) : "?", op,
			                        pre[0] ? " · " : "", pre);
			if (pre[0])
				role = TH_ALARM;
		} else {
			add(text, sizeof text, &len, _("%s done: %d steps"),
			                        X.guide_what, n);
		}
	}
	if (X.known && map_here() && len < sizeof text) {
		const struct xnode *nd = X.node >= 0 ? &X.feed.node[X.node] : NULL;
		if (!nd)
			snprintf(part, sizeof part, "%s", _("this run left the map"));
		else if (nd->hit_dist == 0)
			snprintf(part, sizeof part, _("%s reached"), X.goal);
		else if (nd->hit_dist > 0)
			snprintf(part, sizeof part,
			         ngettext("danger: %s in %d step (%u of %u schedules from here)",
			                  "danger: %s in %d steps (%u of %u schedules from here)",
			                  (unsigned long)nd->hit_dist),
			         X.goal, nd->hit_dist, nd->n[XC_HIT], xmap_total(nd));
		else
			snprintf(part, sizeof part, _("safe: no schedule from here reaches %s"), X.goal);
		add(text, sizeof text, &len, "%s%s", len ? "  ·  " : "", part);
		if (nd && nd->hit_dist > 0 && role == TH_HINT)
			role = TH_HINT;
	}
	draw_fill(y, 0, c->cols, role == TH_ALARM ? TH_ALARM : TH_MODE_PAUSE);
	draw_textf(y, 0, c->cols, role == TH_ALARM ? TH_ALARM : TH_MODE_PAUSE, " %s", text);
	wnoutrefresh(stdscr);
}
