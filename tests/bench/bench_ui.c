/* bench_ui: the terminal's figures: frame time, event-to-screen, idle CPU
 * and scale.
 *
 * Frame time drives the UI's own render (ui_layout + ui_frame, the panes
 * app.c draws) on a model folded from a recorded 64-worker crowd, into
 * ncurses started with newterm on a pseudo-terminal whose other end a thread
 * drains. The rest run the real lockstep binary on a pseudo-terminal, as a
 * user's terminal would: its CPU time and wakeups from /proc, its RSS, the
 * time from a key written to the terminal until the bytes that show its
 * effect come back, and (through LOCKSTEP_FRAME_LOG, see app.c) the time
 * from each event's t_ns to the end of the frame that first showed it.
 */
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "analysis.h"
#include "bench.h"
#include "catalog.h"
#include "control.h"
#include "describe.h"
#include "engine.h"
#include "host.h"
#include "theme.h"
#include "timeline.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_text.h"

#define ROWS 60
#define COLS_ 200

static char bindir[PATH_MAX]; /* the build directory: lockstep, scenes/ */
static double one_draw_ms;     /* a typical frame, once the frame part has run */

static void find_build_dir(void)
{
	if (bindir[0])
		return;
	ssize_t n = readlink("/proc/self/exe", bindir, sizeof bindir - 1);
	if (n <= 0)
		abort();
	bindir[n] = '\0';
	for (int i = 0; i < 3; i++) { /* build/tests/bench/lockstep-bench -> build */
		char *s = strrchr(bindir, '/');
		if (s)
			*s = '\0';
	}
}

/* Characters only: numbers in the table and the JSON keep their '.' */
static void utf8_locale(void)
{
	setlocale(LC_CTYPE, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

static double pct(uint64_t *v, size_t n, double p)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_u64);
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return (double)v[i];
}

/* ---- a drained pseudo-terminal ----------------------------------------- */

struct pty {
	int master, slave;
	pthread_t th;
	_Atomic uint64_t bytes;
	/* what the reader looks for in the output (SGR sequences skipped) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char want[32];
	size_t matched;   /* bytes of want seen so far */
	uint64_t found_ns;
	int in_esc;       /* in an escape: 1 after ESC, 2 CSI, 3 ESC ( B and the like */
};

static void *pty_drain(void *p)
{
	struct pty *t = p;
	unsigned char buf[1 << 16];
	ssize_t n;
	while ((n = read(t->master, buf, sizeof buf)) > 0) {
		atomic_fetch_add(&t->bytes, (uint64_t)n);
		pthread_mutex_lock(&t->mu);
		if (t->want[0] && !t->found_ns) {
			size_t wl = strlen(t->want);
			for (ssize_t i = 0; i < n && !t->found_ns; i++) {
				unsigned char c = buf[i];
				if (t->in_esc) { /* ESC [ params final, or ESC intermediates final */
					if (t->in_esc == 1)
						t->in_esc = c == '[' ? 2 : c >= 0x20 && c <= 0x2f ? 3 : 0;
					else if (t->in_esc == 2 ? c >= 0x40 && c <= 0x7e : c >= 0x30 && c <= 0x7e)
						t->in_esc = 0;
					continue;
				}
				if (c == 0x1b) {
					t->in_esc = 1;
					continue;
				}
				if (c == (unsigned char)t->want[t->matched])
					t->matched++;
				else
					t->matched = c == (unsigned char)t->want[0];
				if (t->matched == wl) {
					t->found_ns = ctl_now_ns();
					pthread_cond_signal(&t->cv);
				}
			}
		}
		pthread_mutex_unlock(&t->mu);
	}
	return NULL;
}

static int pty_open(struct pty *t, int rows, int cols)
{
	memset(t, 0, sizeof *t);
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	if (openpty(&t->master, &t->slave, NULL, NULL, &ws) != 0) {
		fprintf(stderr, "bench: openpty: %s\n", strerror(errno));
		return -1;
	}
	fcntl(t->master, F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	pthread_create(&t->th, NULL, pty_drain, t);
	return 0;
}

static void pty_close(struct pty *t)
{
	if (t->slave >= 0)
		close(t->slave);
	close(t->master); /* the reader sees EIO */
	pthread_join(t->th, NULL);
}

/* Write key, wait until `want` appears in the output; ns, or -1. */
static int64_t pty_key(struct pty *t, const char *key, const char *want, double timeout_s)
{
	pthread_mutex_lock(&t->mu);
	snprintf(t->want, sizeof t->want, "%s", want);
	t->matched = 0;
	t->found_ns = 0;
	pthread_mutex_unlock(&t->mu);
	uint64_t t0 = ctl_now_ns();
	if (write(t->master, key, strlen(key)) < 0)
		return -1;
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += (time_t)timeout_s;
	pthread_mutex_lock(&t->mu);
	while (!t->found_ns)
		if (pthread_cond_timedwait(&t->cv, &t->mu, &dl) != 0)
			break;
	uint64_t f = t->found_ns;
	t->want[0] = '\0';
	pthread_mutex_unlock(&t->mu);
	return f ? (int64_t)(f - t0) : -1;
}

/* Wait until the output has been quiet for quiet_s (or max_s passed). */
static void pty_quiet(struct pty *t, double quiet_s, double max_s)
{
	double start = now_s(), last = start;
	uint64_t b = atomic_load(&t->bytes);
	while (now_s() - start < max_s) {
		usleep(20000);
		uint64_t nb = atomic_load(&t->bytes);
		if (nb != b) {
			b = nb;
			last = now_s();
		} else if (now_s() - last >= quiet_s) {
			return;
		}
	}
}

/* ---- frame time: the UI's render on a pty ------------------------------ */

static struct ls_event *stream;
static size_t nstream, capstream;

static void keep(void *ud, const struct ls_event *ev)
{
	(void)ud;
	if (nstream == capstream) {
		capstream = capstream ? capstream * 2 : 4096;
		stream = realloc(stream, capstream * sizeof *stream);
	}
	stream[nstream++] = *ev;
}

static void stop_loop(void *ud)
{
	(void)ud;
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

static struct catalog cat;

static const struct ls_scene *crowd(long *params, int workers)
{
	if (!cat.n) {
		char dir[PATH_MAX + 16];
		snprintf(dir, sizeof dir, "%s/scenes", bindir);
		catalog_load(&cat, dir, stderr);
	}
	const struct ls_scene *sc = catalog_find(&cat, "crowd");
	if (!sc)
		return NULL;
	params_defaults(sc, params);
	char kv[32], err[256];
	snprintf(kv, sizeof kv, "workers=%d", workers);
	params_set(sc, params, kv, err, sizeof err);
	return sc;
}

/* Record a free run of the crowd: the stream the frames are folded from. */
static int record_crowd(int workers)
{
	struct engine_opts o = {.mode = LS_MODE_RUN, .autostep = 1};
	o.scene = crowd(o.params, workers);
	if (!o.scene) {
		fprintf(stderr, "bench: no crowd scene in %s/scenes\n", bindir);
		return -1;
	}
	struct engine_cb cb = {.event = keep, .ended = stop_loop};
	struct engine *e = engine_new(EV_DEFAULT, &o, &cb, NULL);
	char err[256];
	if (engine_start(e, err, sizeof err) != 0) {
		fprintf(stderr, "bench: crowd: %s\n", err);
		return -1;
	}
	ev_run(EV_DEFAULT, 0);
	engine_free(e);
	host_reap_all();
	return 0;
}

/* What app.c keeps beside the model for the log pane. */
static struct ui_logline logring[UI_LOG_N];
static struct view view;
static struct analysis an;
static struct theme th;

static void fold(struct model *m, const struct ls_event *ev)
{
	model_apply(m, ev);
	char text[UI_LOG_TEXT];
	int role = describe_event(m, ev, text, sizeof text);
	if (role < 0)
		return;
	struct ui_logline *l = &logring[view.nlog % UI_LOG_N];
	l->t_ns = ev->t_ns;
	l->seq = ev->seq;
	l->role = role;
	snprintf(l->text, sizeof l->text, "%s", text);
	if (!view.t0_ns)
		view.t0_ns = ev->t_ns;
	view.nlog++;
}

/* One frame as app.c's draw_cb makes it: layout, panes, doupdate. */
static uint64_t frame(const struct model *m, const struct ls_scene *sc)
{
	uint64_t t0 = ctl_now_ns();
	struct ui_ctx c = {.m = m, .an = &an, .v = &view, .th = &th, .scene = sc, .cat = &cat,
	                   .settled = 1, .next_worker = -1, .rows = LINES, .cols = COLS};
	ui_layout(&c);
	ui_frame(&c);
	doupdate();
	return ctl_now_ns() - t0;
}

static uint64_t plain_repaint(int k)
{
	uint64_t t0 = ctl_now_ns();
	char line[COLS_ + 1];
	for (int y = 0; y < LINES; y++) {
		memset(line, 'a' + (k + y) % 26, (size_t)COLS);
		line[COLS] = '\0';
		mvaddnstr(y, 0, line, COLS);
	}
	wnoutrefresh(stdscr);
	doupdate();
	return ctl_now_ns() - t0;
}

/* The timeline pane over a run of `cols` columns for m's workers, each
 * changing state every 50 columns: spans filled directly, as 100,000
 * settled steps would have left them. */
static void fill_timeline(struct timeline *t, const struct model *m, uint32_t cols)
{
	timeline_init(t);
	t->w = calloc((size_t)m->nw, sizeof *t->w);
	if (!t->w)
		abort();
	t->nw = t->capw = m->nw;
	for (int i = 0; i < m->nw; i++) {
		struct tl_strip *s = &t->w[i];
		s->cap = cols / 50 + 1;
		s->s = malloc(s->cap * sizeof *s->s);
		s->capm = cols / 97 + 1;
		s->mk = malloc(s->capm * sizeof *s->mk);
		if (!s->s || !s->mk)
			abort();
		for (uint32_t at = 0; at < cols; at += 50)
			s->s[s->n++] = (struct tl_span){at, (uint8_t)(1 + (at / 50 + (uint32_t)i) % 4)};
		for (uint32_t at = 13; at < cols; at += 97)
			s->mk[s->nm++] = (struct tl_markrec){at, TL_ACQUIRE};
	}
	t->now = cols;
}

static uint64_t timeline_frame(const struct model *m, const struct ls_scene *sc,
                               const struct timeline *t)
{
	struct ui_ctx c = {.m = m, .an = &an, .v = &view, .th = &th, .scene = sc, .cat = &cat,
	                   .settled = 1, .next_worker = -1, .rows = LINES, .cols = COLS};
	ui_layout(&c);
	uint64_t t0 = ctl_now_ns();
	struct tl_window w = {.end = t->now - 1, .zoom = 1};
	ui_timeline_draw(&c, t, &w);
	uint64_t dt = ctl_now_ns() - t0;
	doupdate(); /* the terminal's part: not the timeline's */
	return dt;
}

/* A thousand workers, 100,000 steps: the timeline's frame costs what a screenful of
 * steps' do (it reads only the columns it shows). */
static void bench_timeline_draw(const struct ls_scene *sc)
{
	struct model m;
	model_init(&m);
	for (int i = 0; i < 1000; i++) {
		struct ls_event e;
		event_init(&e, LS_EV_WORKER, (uint32_t)(3 * i), 1, i, -1);
		e.u.a[2] = i ? 0 : -1;
		model_apply(&m, &e);
		event_init(&e, LS_EV_NAME, (uint32_t)(3 * i + 1), 1, i, -1);
		char name[16];
		snprintf(name, sizeof name, "W%d", i);
		event_set_text(&e, name);
		model_apply(&m, &e);
	}
	struct timeline big, small;
	fill_timeline(&big, &m, 100000);
	fill_timeline(&small, &m, 200);
	int n = quick ? 50 : 500;
	uint64_t *tb = calloc((size_t)n, sizeof *tb), *ts = calloc((size_t)n, sizeof *ts);
	for (int i = 0; i < n; i++) {
		tb[i] = timeline_frame(&m, sc, &big);
		ts[i] = timeline_frame(&m, sc, &small);
	}
	double mb = pct(tb, (size_t)n, 0.5) / 1000, ms = pct(ts, (size_t)n, 0.5) / 1000;
	add((struct figure){"timeline 1000 w x 100k steps", "us median", mb, ms, "the same, 200 steps (a screenful)",
	                    "<= 1000 us", mb <= 1000,
	                    "the cells drawn (binary search per strip); the terminal's doupdate apart"});
	free(tb);
	free(ts);
	timeline_free(&big);
	timeline_free(&small);
	model_free(&m);
}

void bench_frame(void)
{
	find_build_dir();
	utf8_locale();
	nstream = 0;
	if (record_crowd(64) != 0 || nstream < 200) {
		failures++;
		return;
	}
	struct pty t;
	if (pty_open(&t, ROWS, COLS_) != 0) {
		failures++;
		return;
	}
	FILE *out = fdopen(dup(t.slave), "w"), *in = fdopen(dup(t.slave), "r");
	use_env(FALSE);
	use_tioctl(TRUE);
	SCREEN *scr = newterm("xterm-256color", out, in);
	if (!scr) {
		fprintf(stderr, "bench: newterm(xterm-256color) failed\n");
		failures++;
		pty_close(&t);
		return;
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	start_color();
	use_default_colors();
	leaveok(stdscr, TRUE);
	char err[256];
	if (theme_load(&th, "default", err, sizeof err) != 0)
		theme_defaults(&th);
	text_set_ascii(0);
	draw_init(&th, has_colors(), 0);
	memset(&view, 0, sizeof view);
	view.log = logring;
	view.run = UI_RUNNING;
	view.speed = 7;
	view.focus = PANE_WORKERS;

	long params[LS_PARAMS_MAX];
	const struct ls_scene *sc = crowd(params, 64);
	struct model m;
	model_init(&m);
	size_t next = 0;
	/* up to the point where every worker is declared and queues form */
	while (next < nstream && next < nstream / 4)
		fold(&m, &stream[next++]);
	analysis_run(&m, &an);
	for (int i = 0; i < 5; i++)
		frame(&m, sc);

	int n = quick ? 100 : 2000;
	uint64_t *typ = calloc((size_t)n, sizeof *typ), *worst = calloc((size_t)n, sizeof *worst),
	         *base = calloc((size_t)n, sizeof *base), *tick = calloc((size_t)n, sizeof *tick);
	uint64_t b0, btyp, bworst, bbase, btick;
	/* a clock tick: only the header's running time changes */
	pty_quiet(&t, 0.05, 1);
	b0 = atomic_load(&t.bytes);
	for (int i = 0; i < n; i++) {
		view.elapsed_s++;
		tick[i] = frame(&m, sc);
	}
	pty_quiet(&t, 0.05, 1);
	btick = atomic_load(&t.bytes) - b0;
	/* typical: one step's worth of events (three) between frames */
	b0 = atomic_load(&t.bytes);
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < 3; k++) {
			if (next == nstream) { /* start the stream again: not timed */
				model_free(&m);
				model_init(&m);
				memset(&view.scroll, 0, sizeof view.scroll);
				next = 0;
				while (next < nstream / 4)
					fold(&m, &stream[next++]);
			}
			fold(&m, &stream[next++]);
		}
		analysis_run(&m, &an);
		typ[i] = frame(&m, sc);
	}
	pty_quiet(&t, 0.05, 1);
	btyp = atomic_load(&t.bytes) - b0;
	/* worst: every cell is sent again, as after a resize or ^Z */
	b0 = atomic_load(&t.bytes);
	for (int i = 0; i < n; i++) {
		clearok(curscr, TRUE);
		worst[i] = frame(&m, sc);
	}
	pty_quiet(&t, 0.05, 1);
	bworst = atomic_load(&t.bytes) - b0;
	/* baseline: a plain full-screen repaint in which every cell changes */
	erase();
	b0 = atomic_load(&t.bytes);
	for (int i = 0; i < n; i++)
		base[i] = plain_repaint(i);
	pty_quiet(&t, 0.05, 1);
	bbase = atomic_load(&t.bytes) - b0;
	bench_timeline_draw(sc);
	pty_quiet(&t, 0.05, 1);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	pty_close(&t);
	model_free(&m);
	free(stream);
	stream = NULL;
	nstream = capstream = 0;

	double med_base = pct(base, (size_t)n, 0.5) / 1000;
	double med_typ = pct(typ, (size_t)n, 0.5) / 1000, p99_typ = pct(typ, (size_t)n, 0.99) / 1000;
	double med_worst = pct(worst, (size_t)n, 0.5) / 1000;
	double med_tick = pct(tick, (size_t)n, 0.5) / 1000;
	one_draw_ms = med_typ / 1000;
	static char lim_typ[160], lim_worst[160], lim_tick[160], lim_base[160];
	snprintf(lim_tick, sizeof lim_tick, "building every pane's text; %.0f B/frame to the pty",
	         (double)btick / n);
	snprintf(lim_typ, sizeof lim_typ,
	         "every pane is rebuilt, ncurses sends the change (the log scrolls by region): %.0f B/frame; p99 %.0f us",
	         (double)btyp / n, p99_typ);
	snprintf(lim_worst, sizeof lim_worst, "the terminal: %.0f B/frame through the pty",
	         (double)bworst / n);
	snprintf(lim_base, sizeof lim_base, "the terminal: %.0f B/frame through the pty",
	         (double)bbase / n);
	add((struct figure){"frame 200x60, clock tick", "us median", med_tick, med_base,
	                    "plain ncurses repaint, every cell changes", "", -1, lim_tick});
	add((struct figure){"frame 200x60, typical (3 ev)", "us median", med_typ, med_base,
	                    "plain ncurses repaint, every cell changes", "<= 1000 us",
	                    med_typ <= 1000, lim_typ});
	add((struct figure){"frame 200x60, worst (all cells)", "us median", med_worst, med_base,
	                    "plain ncurses repaint, every cell changes", "", -1, lim_worst});
	add((struct figure){"  plain repaint 200x60", "us median", med_base, 0, "", "", -1,
	                    lim_base});
	free(typ);
	free(worst);
	free(base);
	free(tick);
}

/* ---- the real binary on a pseudo-terminal ------------------------------ */

struct ui {
	pid_t pid;
	struct pty t;
};

static int ui_start(struct ui *u, const char *const *args, const char *frame_log)
{
	find_build_dir();
	if (pty_open(&u->t, ROWS, COLS_) != 0)
		return -1;
	char exe[PATH_MAX + 16];
	snprintf(exe, sizeof exe, "%s/lockstep", bindir);
	u->pid = fork();
	if (u->pid < 0)
		return -1;
	if (u->pid == 0) {
		setsid();
		ioctl(u->t.slave, TIOCSCTTY, 0);
		dup2(u->t.slave, 0);
		dup2(u->t.slave, 1);
		dup2(u->t.slave, 2);
		if (u->t.slave > 2)
			close(u->t.slave);
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("NO_COLOR");
		if (frame_log)
			setenv("LOCKSTEP_FRAME_LOG", frame_log, 1);
		else
			unsetenv("LOCKSTEP_FRAME_LOG");
		const char *argv[16] = {exe};
		for (int i = 0; args[i] && i < 14; i++)
			argv[i + 1] = args[i];
		signal(SIGPIPE, SIG_DFL);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	close(u->t.slave); /* our copy: the reader sees EIO when lockstep is gone */
	u->t.slave = -1;
	return 0;
}

static void ui_stop(struct ui *u)
{
	if (write(u->t.master, "q", 1) < 0)
		kill(u->pid, SIGTERM);
	int st;
	for (int i = 0; i < 500; i++) { /* 5 s */
		if (waitpid(u->pid, &st, WNOHANG) == u->pid)
			goto done;
		usleep(10000);
	}
	fprintf(stderr, "bench: lockstep did not quit on q; killed\n");
	failures++;
	kill(u->pid, SIGKILL);
	waitpid(u->pid, &st, 0);
done:
	/* orphans of the scene come to us (subreaper): reap them */
	while (waitpid(-1, &st, WNOHANG) > 0)
		;
	pty_close(&u->t);
}

/* CPU time (ns) and times scheduled of pid and every descendant, from
 * /proc/PID/task/TID/schedstat (ns precise, unlike the ticks of stat). */
static void cpu_of(pid_t pid, uint64_t *ns, uint64_t *runs, int descend)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[320];
		snprintf(p, sizeof p, "/proc/%d/task/%s/schedstat", (int)pid, de->d_name);
		FILE *f = fopen(p, "r");
		unsigned long long a = 0, b = 0, c = 0;
		if (f) {
			if (fscanf(f, "%llu %llu %llu", &a, &b, &c) == 3) {
				*ns += a;
				*runs += c;
			}
			fclose(f);
		}
		snprintf(p, sizeof p, "/proc/%d/task/%s/children", (int)pid, de->d_name);
		f = descend ? fopen(p, "r") : NULL;
		int child;
		while (f && fscanf(f, "%d", &child) == 1)
			cpu_of(child, ns, runs, 1);
		if (f)
			fclose(f);
	}
	closedir(d);
}

static int has_children(pid_t pid)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	FILE *f = fopen(p, "r");
	int c, r = f && fscanf(f, "%d", &c) == 1;
	if (f)
		fclose(f);
	return r;
}

static void cpu_tree(pid_t pid, uint64_t *ns, uint64_t *runs)
{
	cpu_of(pid, ns, runs, 1);
}

/* VmHWM or VmRSS of pid in KiB. */
static long vm_kib(pid_t pid, const char *field)
{
	char p[64], line[256];
	snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
	FILE *f = fopen(p, "r");
	long v = -1;
	size_t fl = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, fl) == 0 && line[fl] == ':')
			v = atol(line + fl + 1);
	if (f)
		fclose(f);
	return v;
}

/* CPU used by lockstep and its scene over secs; ms, and wakeups. */
static double idle_cpu_ms(pid_t pid, double secs, uint64_t *wakeups)
{
	uint64_t ns0 = 0, r0 = 0, ns1 = 0, r1 = 0;
	cpu_tree(pid, &ns0, &r0);
	usleep((useconds_t)(secs * 1e6));
	cpu_tree(pid, &ns1, &r1);
	*wakeups = r1 - r0;
	return (double)(ns1 - ns0) / 1e6;
}

/* ---- viewers of a served run (--serve, issue 18) ------------------------ */

/* Raw viewers: they greet and read the stream, nothing more, so what is
 * measured is the teacher's cost of serving them, not 50 more lockstep
 * processes folding it on the same cores. */
#define READERS_MAX 64

struct readers {
	int n, port;
	int fd[READERS_MAX];
	uint64_t bytes[READERS_MAX];
	int connected;
	pthread_t th;
};

static struct readers *e2s_readers; /* set: e2s_run serves them */

static void *readers_run(void *p)
{
	struct readers *r = p;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)r->port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < r->n; i++) {
		r->fd[i] = -1;
		for (int tries = 0; tries < 1000; tries++) { /* the teacher is starting: 10 s */
			int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
				r->fd[i] = fd;
				break;
			}
			if (fd >= 0)
				close(fd);
			usleep(10000);
		}
		if (r->fd[i] < 0 || write(r->fd[i], "LOCKSTEP 1 bench\n", 17) != 17)
			return NULL;
		r->connected++;
	}
	struct pollfd pf[READERS_MAX];
	int open_ = r->n;
	char buf[65536];
	while (open_ > 0) {
		for (int i = 0; i < r->n; i++)
			pf[i] = (struct pollfd){.fd = r->fd[i], .events = POLLIN};
		if (poll(pf, (nfds_t)r->n, 20000) <= 0)
			break;
		for (int i = 0; i < r->n; i++) {
			if (r->fd[i] < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t k = read(r->fd[i], buf, sizeof buf);
			if (k > 0) {
				r->bytes[i] += (uint64_t)k;
			} else {
				close(r->fd[i]);
				r->fd[i] = -1;
				open_--;
			}
		}
	}
	return NULL;
}

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t sl = sizeof sa;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* ---- event-to-screen --------------------------------------------------- */

/* One run of the UI with its frame log: event-to-screen percentiles, and
 * (ingest, when not NULL) what the UI absorbed while drawing: the records
 * its frames showed, from the first frame that showed one to the last,
 * over the CPU its process spent in between, drawing included (its
 * start-up, before the first record, is not ingest). */
struct ingest {
	uint64_t events, cpu_ns, frame_cpu_ns, frames;
	double wall_s; /* the first record to the last frame */
	uint64_t cpu_all_ns; /* the UI's CPU from its start to the last frame */
};

struct lat {
	uint64_t ns;
	double weight; /* the frame's records this logged one stands for */
};

static int cmp_lat(const void *a, const void *b)
{
	const struct lat *x = a, *y = b;
	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

/* The p-th percentile of latencies, each counted `weight` times. */
static double wpct(struct lat *v, size_t n, double p)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_lat);
	double total = 0, acc = 0;
	for (size_t i = 0; i < n; i++)
		total += v[i].weight;
	for (size_t i = 0; i < n; i++) {
		acc += v[i].weight;
		if (acc >= p * total)
			return (double)v[i].ns;
	}
	return (double)v[n - 1].ns;
}

static int e2s_run(const char *const *args, double secs, double *p50, double *p99,
                   double *nev, double *frame_p50, struct ingest *ing)
{
	char log[64];
	snprintf(log, sizeof log, "/tmp/lockstep-bench-%d.frames", (int)getpid());
	unlink(log); /* lockstep makes it new, or refuses */
	struct ui u;
	if (ui_start(&u, args, log) != 0)
		return -1;
	struct readers *rd = e2s_readers;
	if (rd && pthread_create(&rd->th, NULL, readers_run, rd) != 0)
		rd = NULL;
	usleep((useconds_t)(secs * 1e6));
	ui_stop(&u);
	if (rd)
		pthread_join(rd->th, NULL); /* the teacher quit: every stream ends */
	FILE *f = fopen(log, "r");
	if (!f)
		return -1;
	size_t cap = 1 << 16, n = 0, nf = 0, capf = 1 << 12;
	struct lat *lat = malloc(cap * sizeof *lat);
	uint64_t *fr = malloc(capf * sizeof *fr);
	char line[128];
	unsigned long long a, b, first_ev = 0, last = 0;
	/* per frame: f, c, s, then its e lines */
	unsigned long long fcpu = 0, cpu = 0, shown = 0, cpu0 = 0, shown0 = 0, frames = 0, fsum = 0;
	unsigned long long cpu_end = 0, idle_frames = 0, idle_fsum = 0;
	int started = 0;
	double total = 0;
	while (fgets(line, sizeof line, f)) {
		double w = 1;
		char kind;
		int k = sscanf(line, " %c %llu %llu %lf", &kind, &a, &b, &w);
		if (k < 3)
			continue;
		if (kind == 'f') {
			last = b;
			if (nf == capf)
				fr = realloc(fr, (capf *= 2) * sizeof *fr);
			fr[nf++] = b - a;
		} else if (kind == 'c') {
			fcpu = a;
			cpu = b;
		} else if (kind == 's') {
			/* the first frame that shows records opens the count (its
			 * records came before it, with the start-up's); the frame
			 * that shows the last record closes it (the clock's and the
			 * kernel view's frames after it are not ingest) */
			if (!started && b > 0) {
				started = 1;
				cpu0 = cpu_end = cpu;
				shown0 = shown = b;
			} else if (started && b > shown) {
				frames += 1 + idle_frames;
				fsum += fcpu + idle_fsum;
				idle_frames = idle_fsum = 0;
				cpu_end = cpu;
				shown = b;
			} else if (started) {
				idle_frames++; /* counted if more records follow */
				idle_fsum += fcpu;
			}
		} else if (kind == 'e') {
			if (!first_ev || a < first_ev)
				first_ev = a;
			if (n == cap)
				lat = realloc(lat, (cap *= 2) * sizeof *lat);
			lat[n++] = (struct lat){b > a ? b - a : 0, k == 4 ? w : 1};
			total += k == 4 ? w : 1;
		}
	}
	fclose(f);
	unlink(log);
	*nev = total;
	if (ing)
		*ing = (struct ingest){shown - shown0, cpu_end - cpu0, fsum, frames,
		                       last > first_ev ? (double)(last - first_ev) / 1e9 : 0, cpu};
	*p50 = wpct(lat, n, 0.5) / 1e6;
	*p99 = wpct(lat, n, 0.99) / 1e6;
	*frame_p50 = pct(fr, nf, 0.5) / 1e3;
	free(lat);
	free(fr);
	return n ? 0 : -1;
}

void bench_e2s(void)
{
	double secs = quick ? 1 : 5;
	struct {
		const char *name;
		const char *const args[8];
		const char *limit;
	} runs[] = {
		{"event-to-screen, speed 7", {"producer-consumer", "--speed=7", NULL},
		 "few events (p99 is nearly the maximum): bursts after each speed delay, two frames "
		 "may follow at once, a third waits for the cap"},
		{"event-to-screen, crowd 64 sp. 7", {"crowd", "--param", "workers=64", "--param",
		                                      "rounds=100", "--speed=7", NULL},
		 "64 workers wake together every 50 ms: bursts longer than two frames wait for the cap"},
		{"event-to-screen, crowd speed 1", {"crowd", "--speed=1", NULL},
		 "slow motion, a step each 1.5 s: one step's few records, drawn in the next frame"},
		{"event-to-screen, crowd speed 5", {"crowd", "--speed=5", NULL},
		 "slow motion, a step each 0.2 s: one step's few records, drawn in the next frame"},
		{"event-to-screen, crowd speed 6", {"crowd", "--speed=6", NULL},
		 "1,000 workers wake together every 0.3 s: the burst waits for the frame cap"},
		{"event-to-screen, crowd speed 7", {"crowd", "--speed=7", NULL},
		 "1,000 workers wake together every 50 ms: the burst waits for the frame cap"},
		{"event-to-screen, crowd speed 8", {"crowd", "--param", "rounds=100", "--speed=8", NULL},
		 "a steady stream: an event waits up to 1/125 s (the frame cap) plus one frame"},
		{"event-to-screen, crowd speed 9", {"crowd", "--param", "rounds=100", "--speed=9", NULL},
		 "full speed: a record queues behind what the 512 KiB pipe holds (read "
		 "every 0.5 ms while records stream), then the frame cap (1/100 s)"},
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		double p50, p99, fp50, n;
		struct ingest ing;
		if (e2s_run(runs[i].args, secs, &p50, &p99, &n, &fp50, &ing) != 0) {
			fprintf(stderr, "bench: %s: no frame log\n", runs[i].name);
			failures++;
			continue;
		}
		char *lim = malloc(300);
		snprintf(lim, 300, "%s; p50 %.2f ms over %.0f events; a frame %.0f us", runs[i].limit,
		         p50, n, fp50);
		add((struct figure){runs[i].name, "ms p99", p99, 0, "", "<= 16 ms", p99 <= 16, lim});
		if (i + 1 == sizeof runs / sizeof runs[0] && ing.cpu_ns > 0) {
			/* full speed: the UI is the queue's only reader */
			double rate = (double)ing.events / ((double)ing.cpu_ns / 1e9) / 1e6;
			double per_frame = ing.frames ? (double)ing.frame_cpu_ns / (double)ing.frames / 1e3 : 0;
			double ingest_ns = ing.events ? (double)(ing.cpu_ns - ing.frame_cpu_ns) /
			                                    (double)ing.events : 0;
			char *why = malloc(600);
			snprintf(why, 600,
			         "%llu records in %.1f ms of the UI's CPU, from its first frame that "
			         "showed one to the one that showed the last (%.0f ms with its start-up and "
			         "the frames after); of that, %llu "
			         "frames of %.0f us CPU each (%.0f%%: the log's last lines, the "
			         "analysis, the panes, the terminal) and %.0f ns per record (read, "
			         "fold, history, timeline); the scene's 1,000 threads made %.2f M/s "
			         "on the same 2 cores",
			         (unsigned long long)ing.events, (double)ing.cpu_ns / 1e6,
			         (double)ing.cpu_all_ns / 1e6, (unsigned long long)ing.frames, per_frame,
			         100.0 * (double)ing.frame_cpu_ns / (double)ing.cpu_ns, ingest_ns,
			         ing.wall_s > 0 ? (double)ing.events / ing.wall_s / 1e6 : 0);
			add((struct figure){"UI ingest while drawing, speed 9", "M events/s", rate,
			                    bench_live_path_rate,
			                    bench_live_path_rate > 0 ? "live path (replay part)" : "",
			                    ">= 10 M/s", rate >= 10, why});
		}
	}
}

/* The teacher's frame time and event-to-screen time with 0 and with 50
 * viewers, in the same run of the benchmark: serving must not slow the
 * screen the class is looking at. */
void bench_serve(void)
{
	double secs = quick ? 1 : 5;
	static struct readers rd;
	double p50[2], p99[2], fp50[2], n[2];
	for (int k = 0; k < 2; k++) {
		char serve[64];
		snprintf(serve, sizeof serve, "--serve=127.0.0.1:%d", free_port());
		const char *const args[] = {"crowd", "--param", "rounds=100", "--speed=8", serve,
		                            "--token=bench", NULL};
		memset(&rd, 0, sizeof rd);
		rd.n = k ? 50 : 0;
		rd.port = atoi(strrchr(serve, ':') + 1);
		e2s_readers = k ? &rd : NULL;
		int r = e2s_run(args, secs, &p50[k], &p99[k], &n[k], &fp50[k], NULL);
		e2s_readers = NULL;
		if (r != 0) {
			fprintf(stderr, "bench: serve with %d viewers: no frame log\n", rd.n);
			failures++;
			return;
		}
	}
	/* correctness, not time: every viewer got the whole run, the same bytes */
	int same = rd.connected == 50;
	for (int i = 1; i < rd.n; i++)
		same &= rd.bytes[i] == rd.bytes[0];
	if (!same || rd.bytes[0] == 0) {
		fprintf(stderr, "bench: serve: %d of 50 viewers attached; bytes %llu vs %llu\n",
		        rd.connected, (unsigned long long)rd.bytes[0],
		        (unsigned long long)rd.bytes[rd.n > 0 ? rd.n - 1 : 0]);
		failures++;
	}
	char *lim = malloc(300), *lim2 = malloc(300);
	snprintf(lim, 300, "crowd at speed 8 served to 50 raw viewers on loopback, each sent "
	         "%llu bytes; records drawn %.0f vs %.0f", (unsigned long long)rd.bytes[0], n[1], n[0]);
	snprintf(lim2, 300, "the 50 readers share the cores with the teacher (this process); a "
	         "socket is written once per loop pass; p50 %.2f ms vs %.2f ms", p50[1], p50[0]);
	add((struct figure){"serve: frame, 50 viewers", "us median", fp50[1], fp50[0],
	                    "the same, no viewer", "<= 1.25x or +100 us",
	                    fp50[1] <= fp50[0] * 1.25 || fp50[1] <= fp50[0] + 100, lim});
	/* informative: the 50 readers run in this process, on the same cores */
	add((struct figure){"serve: event-to-screen, 50 viewers", "ms p99", p99[1], p99[0],
	                    "the same, no viewer", "", -1, lim2});
}

/* ---- idle CPU ---------------------------------------------------------- */

#define DRAW "one typical frame (the frame part)"

static double draw_budget(void)
{
	return one_draw_ms > 0 ? one_draw_ms : 1.0; /* 1 ms when the frame part did not run */
}

void bench_idle(void)
{
	double secs = quick ? 1 : 5;
	uint64_t wk;
	/* paused: the default start, step mode, nothing moves */
	struct ui u;
	const char *const paused[] = {"deadlock", NULL};
	if (ui_start(&u, paused, NULL) != 0) {
		failures++;
		return;
	}
	pty_quiet(&u.t, 0.5, 10);
	double ms = idle_cpu_ms(u.pid, secs, &wk);
	ui_stop(&u);
	char *lim = malloc(200);
	snprintf(lim, 200, "%llu wakeups in %.0f s: the loop sleeps in epoll", (unsigned long long)wk,
	         secs);
	add((struct figure){"idle CPU, paused scene", "ms", ms, one_draw_ms, DRAW, "0 ms +- one draw",
	                    ms <= draw_budget(), lim});
	/* finished: a small crowd at full speed, then nothing */
	const char *const done[] = {"crowd", "--param", "workers=8", "--speed=9", NULL};
	if (ui_start(&u, done, NULL) != 0) {
		failures++;
		return;
	}
	double t0 = now_s();
	usleep(200000);
	while (has_children(u.pid) && now_s() - t0 < 20)
		usleep(20000);
	if (has_children(u.pid)) {
		fprintf(stderr, "bench: the crowd of 8 did not finish in 20 s\n");
		failures++;
	}
	pty_quiet(&u.t, 0.5, 10);
	ms = idle_cpu_ms(u.pid, secs, &wk);
	ui_stop(&u);
	lim = malloc(200);
	snprintf(lim, 200, "%llu wakeups in %.0f s: the loop sleeps in epoll", (unsigned long long)wk,
	         secs);
	add((struct figure){"idle CPU, finished scene", "ms", ms, one_draw_ms, DRAW,
	                    "0 ms +- one draw", ms <= draw_budget(), lim});
	/* paused with 1,000 threads parked at their gates */
	const char *const many[] = {"crowd", "--param", "rounds=100", "--speed=8", NULL};
	if (ui_start(&u, many, NULL) != 0) {
		failures++;
		return;
	}
	sleep(quick ? 1 : 2);
	if (pty_key(&u.t, " ", "PAUSE", 5) < 0) {
		fprintf(stderr, "bench: idle: the crowd did not pause\n");
		failures++;
	}
	pty_quiet(&u.t, 0.5, 10);
	ms = idle_cpu_ms(u.pid, secs, &wk);
	ui_stop(&u);
	lim = malloc(200);
	snprintf(lim, 200, "%llu wakeups in %.0f s: parked threads sleep on their futex until kicked",
	         (unsigned long long)wk, secs);
	add((struct figure){"idle CPU, paused crowd 1000 thr", "ms", ms, one_draw_ms, DRAW,
	                    "0 ms +- one draw", ms <= draw_budget(), lim});
}

/* ---- scale: 1,000 threads ---------------------------------------------- */

void bench_scale(void)
{
	struct ui u;
	/* speed 8 (10 ms at each gate) keeps the crowd running for minutes;
	 * at 9 it is over in half a second */
	const char *const args[] = {"crowd", "--param", "rounds=100", "--speed=8", NULL};
	if (ui_start(&u, args, NULL) != 0) {
		failures++;
		return;
	}
	/* until every thread is declared and the crowd is running */
	sleep(quick ? 1 : 3);
	int rounds = quick ? 2 : 10;
	uint64_t *lat = calloc((size_t)rounds * 3, sizeof *lat);
	size_t n = 0;
	int missed = 0;
	uint64_t ns0 = 0, r0 = 0, ns1 = 0, r1 = 0; /* lockstep alone, not its scene */
	double t0 = now_s();
	cpu_of(u.pid, &ns0, &r0, 0);
	for (int i = 0; i < rounds; i++) {
		struct {
			const char *key, *want;
		} k[] = {{" ", "PAUSE"}, {" ", "RUN  "}, {"?", "Help: keys"}};
		for (int j = 0; j < 3; j++) {
			int64_t d = pty_key(&u.t, k[j].key, k[j].want, 5);
			if (d < 0) {
				fprintf(stderr, "bench: scale: no '%s' on screen after '%s'\n", k[j].want,
				        k[j].key);
				missed++;
			}
			else
				lat[n++] = (uint64_t)d;
			usleep(100000);
		}
		if (write(u.t.master, "?", 1) < 0) /* close the help */
			missed++;
		usleep(100000);
	}
	cpu_of(u.pid, &ns1, &r1, 0);
	double wall = now_s() - t0;
	long hwm = vm_kib(u.pid, "VmHWM"), rss = vm_kib(u.pid, "VmRSS");
	int alive = has_children(u.pid);
	ui_stop(&u);
	if (missed) {
		fprintf(stderr, "bench: scale: %d keys not answered within 5 s\n", missed);
		failures++;
	}
	if (!alive)
		fprintf(stderr, "bench: scale: the crowd ended before the keys were measured\n");
	double p50 = pct(lat, n, 0.5) / 1e6, mx = n ? (double)lat[n - 1] / 1e6 : -1;
	char *lim = malloc(200);
	snprintf(lim, 200, "the frame cap, then one frame (max %.1f ms); the UI used %.0f%% of a CPU",
	         mx, 100 * (double)(ns1 - ns0) / 1e9 / wall);
	add((struct figure){"scale: key to screen, 1000 thr", "ms p50", p50, 0, "",
	                    "<= 100 ms", n && mx <= 100, lim});
	lim = malloc(200);
	snprintf(lim, 200, "RSS now %.1f MiB; the model's workers and objects, the log ring",
	         (double)rss / 1024);
	add((struct figure){"scale: UI peak RSS, 1000 thr", "MiB", (double)hwm / 1024, 0, "",
	                    "<= 32 MiB", hwm > 0 && hwm <= 32 * 1024, lim});
	free(lat);
}
