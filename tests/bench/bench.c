/* lockstep-bench: measure the bus, the probe, a step and the replay fold,
 * each next to a baseline measured in the same run on the same machine, so
 * the ratio means something on a noisy machine.
 *
 *   lockstep-bench [--quick] [--json FILE] [--tap] [--only PART]
 *
 * --quick uses small counts (CI runs it to prove the benchmarks work; it
 * never fails on a time). Zero loss on the bus is a correctness check and
 * does fail. The table goes to stdout; --json writes the same figures.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <ev.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "bus.h"
#include "control.h"
#include "describe.h"
#include "engine.h"
#include "host.h"
#include "lockstep-scene.h"
#include "model.h"

int quick;

static struct figure figs[48];
static int nfigs;
int failures; /* correctness, never time */

void add(struct figure f)
{
	if (nfigs < (int)(sizeof figs / sizeof figs[0]))
		figs[nfigs++] = f;
}

double now_s(void)
{
	return (double)ctl_now_ns() / 1e9;
}

int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* ---- bus throughput ---------------------------------------------------- */

struct sink {
	struct model m;
	unsigned char *seen;
	uint64_t n, dup;
};

static void sink_apply(void *ud, const struct ls_event *ev)
{
	struct sink *s = ud;
	model_apply(&s->m, ev);
	if (s->seen[ev->seq])
		s->dup++;
	s->seen[ev->seq] = 1;
	s->n++;
}

static _Atomic uint32_t *bseq; /* shared memory: writers may be processes */
static uint64_t per_writer;

static void emit_many(int worker)
{
	struct ls_event ev;
	for (uint64_t i = 0; i < per_writer; i++) {
		event_init(&ev, LS_EV_DONE, atomic_fetch_add(bseq, 1), ctl_now_ns(), worker, 0);
		ev.u.a[0] = LS_OP_WRITE;
		ev.u.a[1] = (int64_t)i;
		bus_emit(&ev);
	}
	bus_flush();
}

static void *writer_thread(void *p)
{
	emit_many((int)(intptr_t)p);
	return NULL;
}

/* Writers (threads, or processes sharing an atomic counter in shared
 * memory) into the real reader and the real model. */
static double bus_run(int writers, int processes, uint64_t total)
{
	int fds[2];
	if (bus_pipe(fds) != 0)
		abort();
	per_writer = total / (uint64_t)writers;
	total = per_writer * (uint64_t)writers;
	if (!bseq)
		bseq = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	atomic_store(bseq, 0);
	struct sink s = {.seen = calloc(total, 1)};
	model_init(&s.m);
	/* declare the workers and one value so the fold does real work */
	struct ls_event ev;
	event_init(&ev, LS_EV_OBJECT, 0, 0, 0, 0);
	ev.u.a[0] = LS_OBJ_VALUE;
	model_apply(&s.m, &ev);
	for (int w = 0; w < writers; w++) {
		event_init(&ev, LS_EV_WORKER, 0, 0, w, -1);
		model_apply(&s.m, &ev);
	}
	double t0 = now_s();
	pthread_t th[16];
	pid_t pids[16];
	bus_writer_init(fds[1]);
	for (int w = 0; w < writers; w++) {
		if (processes) {
			pids[w] = fork();
			if (pids[w] == 0) {
				close(fds[0]);
				bus_forget();
				emit_many(w);
				_exit(0);
			}
		} else {
			pthread_create(&th[w], NULL, writer_thread, (void *)(intptr_t)w);
		}
	}
	if (processes) {
		close(fds[1]); /* the children hold it: EOF when all are done */
	}
	struct bus_reader r;
	bus_reader_init(&r, fds[0]);
	int joined = processes;
	while (!r.eof) {
		if (!joined && s.n + 64u * (unsigned)writers >= total) {
			/* threads share our fd: join them, then close it for EOF */
			for (int w = 0; w < writers; w++)
				pthread_join(th[w], NULL);
			joined = 1;
			close(fds[1]);
		}
		if (bus_read(&r, sink_apply, &s, 1u << 16) == 0 && !r.eof) {
			struct epoll_event e = {.events = EPOLLIN};
			int ep = epoll_create1(0);
			epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &e);
			epoll_wait(ep, &e, 1, 100);
			close(ep);
		}
	}
	bus_writer_init(-1);
	double dt = now_s() - t0;
	for (int w = 0; w < writers && processes; w++)
		waitpid(pids[w], NULL, 0);
	goto counted;
counted:;
	uint64_t missing = 0;
	for (uint64_t i = 0; i < total; i++)
		missing += !s.seen[i];
	if (missing || s.dup || r.malformed) {
		fprintf(stderr, "bench: bus with %d %s lost %" PRIu64 ", duplicated %" PRIu64
		        ", malformed %" PRIu64 "\n", writers, processes ? "processes" : "threads",
		        missing, s.dup, r.malformed);
		failures++;
	}
	close(fds[0]);
	free(s.seen);
	model_free(&s.m);
	return (double)total / dt;
}

/* Baseline: bare write() of `batch` 64-byte records per call, read and
 * discarded by a reader thread. */
static int base_fd[2];
static void *drain_thread(void *p)
{
	(void)p;
	char buf[1 << 16];
	while (read(base_fd[0], buf, sizeof buf) > 0)
		;
	return NULL;
}

static double bare_pipe(uint64_t total, int batch)
{
	if (pipe(base_fd) != 0)
		abort();
	(void)fcntl(base_fd[1], F_SETPIPE_SZ, 1 << 20);
	pthread_t th;
	pthread_create(&th, NULL, drain_thread, NULL);
	static struct ls_event recs[64];
	double t0 = now_s();
	for (uint64_t i = 0; i < total; i += (uint64_t)batch)
		if (write(base_fd[1], recs, (size_t)batch * sizeof recs[0]) < 0)
			abort();
	double dt = now_s() - t0;
	close(base_fd[1]);
	pthread_join(th, NULL);
	close(base_fd[0]);
	return (double)total / dt;
}

static void bench_bus(void)
{
	uint64_t n = quick ? 200000 : 8000000;
	double bare1 = bare_pipe(n, 1), bare64 = bare_pipe(n, 64);
	double t1 = bus_run(1, 0, n), t4 = bus_run(4, 0, n), p4 = bus_run(4, 1, n);
	add((struct figure){"bus, 1 writer thread", "M events/s", t1 / 1e6, bare1 / 1e6,
	                    "bare write() of one 64 B record per call", "", -1,
	                    "one atomic sequence counter; the reader's fold"});
	add((struct figure){"bus, 4 writer threads", "M events/s", t4 / 1e6, bare64 / 1e6,
	                    "bare 4 KiB writes (64 records per call)", ">= 5 M/s, 0 lost",
	                    t4 >= 5e6, "two cores shared by 4 writers and the reader"});
	add((struct figure){"bus, 4 writer processes", "M events/s", p4 / 1e6, bare64 / 1e6,
	                    "bare 4 KiB writes (64 records per call)", ">= 5 M/s, 0 lost",
	                    p4 >= 5e6, "as above; the counter lives in shared memory"});
}

/* ---- probe overhead ---------------------------------------------------- */

static long probe_pairs;
static double probe_ns_result;

static int probe_run(void)
{
	ls_mutex *m = ls_mutex_new("M");
	ls_value *out = ls_value_new("ns_per_pair_x1000", 0);
	uint64_t t0 = ctl_now_ns();
	for (long i = 0; i < probe_pairs; i++) {
		ls_lock(m);
		ls_unlock(m);
	}
	uint64_t dt = ctl_now_ns() - t0;
	ls_value_write(out, (long)(dt * 1000 / (uint64_t)probe_pairs));
	return 0;
}

static const struct ls_scene probe_scene = {
	.abi = LS_SCENE_ABI, .id = "bench-probe", .title = "bench", .summary = "bench",
	.run = probe_run, .flags = LS_SCENE_FREE_RUN,
};

static void stop_loop(void *ud)
{
	(void)ud;
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

/* Run a scene to its end in this process's engine; returns its model's
 * value named `name` (or -1). */
static int64_t run_scene_value(const struct ls_scene *sc, enum ls_mode mode, const char *name)
{
	struct engine_opts o = {.scene = sc, .mode = mode, .autostep = 1};
	struct engine_cb cb = {.ended = stop_loop};
	struct engine *e = engine_new(EV_DEFAULT, &o, &cb, NULL);
	char err[256];
	if (engine_start(e, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	ev_run(EV_DEFAULT, 0);
	int64_t v = -1;
	const struct model *m = engine_model(e);
	for (int i = 0; i < m->no; i++)
		if (strcmp(m->o[i].name, name) == 0)
			v = m->o[i].value;
	if (engine_outcome(e) != LS_OUT_FINISHED) {
		fprintf(stderr, "bench: scene %s ended %s: %s\n", sc->id,
		        engine_outcome_name(engine_outcome(e)), engine_error(e));
		failures++;
	}
	engine_free(e);
	host_reap_all();
	return v;
}

static double bare_lock_pair_ns(long n)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	uint64_t t0 = ctl_now_ns();
	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
	return (double)(ctl_now_ns() - t0) / (double)n;
}

static double bare_write_ns(long n)
{
	if (pipe(base_fd) != 0)
		abort();
	(void)fcntl(base_fd[1], F_SETPIPE_SZ, 1 << 20);
	pthread_t th;
	pthread_create(&th, NULL, drain_thread, NULL);
	struct ls_event rec = {0};
	uint64_t t0 = ctl_now_ns();
	for (long i = 0; i < n; i++)
		if (write(base_fd[1], &rec, sizeof rec) < 0)
			abort();
	double ns = (double)(ctl_now_ns() - t0) / (double)n;
	close(base_fd[1]);
	pthread_join(th, NULL);
	close(base_fd[0]);
	return ns;
}

static void bench_probe(void)
{
	probe_pairs = quick ? 20000 : 1000000;
	double bare = bare_lock_pair_ns(probe_pairs * 10);
	double wr = bare_write_ns(probe_pairs);
	int64_t v = run_scene_value(&probe_scene, LS_MODE_RUN, "ns_per_pair_x1000");
	probe_ns_result = (double)v / 1000.0;
	add((struct figure){"probe lock+unlock, free run", "ns/pair", probe_ns_result, wr,
	                    "one bare 64 B pipe write", "<= 1x one bare write",
	                    probe_ns_result <= wr, "a clock read and a shared atomic per record"});
	add((struct figure){"  the same, bare pthread", "ns/pair", bare, 0, "", "", -1,
	                    "no announcement at all"});
}

/* ---- step latency ------------------------------------------------------ */

static long step_ops;

static int stepper(void *arg)
{
	ls_value *v = arg;
	for (long i = 0; i < step_ops; i++)
		ls_value_write(v, i);
	return 0;
}

static int step_run_common(int flags)
{
	ls_value *v = ls_value_new("v", 0);
	ls_worker w = ls_spawn("W", stepper, v, flags);
	ls_join(w);
	return 0;
}

static int step_run_thread(void) { return step_run_common(LS_THREAD); }
static int step_run_process(void) { return step_run_common(LS_PROCESS); }

static const struct ls_scene step_thread_scene = {
	.abi = LS_SCENE_ABI, .id = "bench-step-thread", .title = "bench", .summary = "bench",
	.run = step_run_thread,
};
static const struct ls_scene step_process_scene = {
	.abi = LS_SCENE_ABI, .id = "bench-step-process", .title = "bench", .summary = "bench",
	.run = step_run_process,
};

struct stepper_state {
	struct engine *e;
	uint64_t granted_at;
	uint64_t *lat;
	size_t n, cap;
};

static void on_settled(void *ud)
{
	struct stepper_state *s = ud;
	uint64_t t = ctl_now_ns();
	if (s->granted_at && s->n < s->cap)
		s->lat[s->n++] = t - s->granted_at;
	s->granted_at = ctl_now_ns();
	if (engine_step(s->e, -1) < 0)
		s->granted_at = 0;
}

static double step_median_us(const struct ls_scene *sc)
{
	struct stepper_state s = {.cap = (size_t)step_ops + 16};
	s.lat = calloc(s.cap, sizeof *s.lat);
	struct engine_opts o = {.scene = sc, .mode = LS_MODE_STEP, .autostep = 0};
	struct engine_cb cb = {.settled = on_settled, .ended = stop_loop};
	s.e = engine_new(EV_DEFAULT, &o, &cb, &s);
	char err[256];
	if (engine_start(s.e, err, sizeof err) != 0)
		exit(1);
	ev_run(EV_DEFAULT, 0);
	if (engine_outcome(s.e) != LS_OUT_FINISHED)
		failures++;
	engine_free(s.e);
	host_reap_all();
	qsort(s.lat, s.n, sizeof *s.lat, cmp_u64);
	double med = s.n ? (double)s.lat[s.n / 2] / 1000.0 : -1;
	free(s.lat);
	return med;
}

/* Baseline: a process parked on a futex in shared memory is woken, writes
 * one 64-byte record to a pipe, and an epoll loop reads it. */
static double futex_round_trip_us(int rounds)
{
	_Atomic uint32_t *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	                              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fds[2];
	if (pipe(fds) != 0)
		abort();
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		struct ls_event rec = {0};
		for (uint32_t i = 1; i <= (uint32_t)rounds; i++) {
			while (atomic_load(word) < i)
				ctl_futex_wait(word, i - 1, -1);
			if (write(fds[1], &rec, sizeof rec) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN};
	epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &e);
	uint64_t *lat = calloc((size_t)rounds, sizeof *lat);
	struct ls_event rec;
	for (int i = 0; i < rounds; i++) {
		uint64_t t0 = ctl_now_ns();
		atomic_fetch_add(word, 1);
		ctl_futex_wake(word);
		epoll_wait(ep, &e, 1, -1);
		if (read(fds[0], &rec, sizeof rec) != sizeof rec)
			abort();
		lat[i] = ctl_now_ns() - t0;
	}
	waitpid(pid, NULL, 0);
	close(ep);
	close(fds[0]);
	munmap((void *)word, 4096);
	qsort(lat, (size_t)rounds, sizeof *lat, cmp_u64);
	double med = (double)lat[rounds / 2] / 1000.0;
	free(lat);
	return med;
}

static void bench_step(void)
{
	step_ops = quick ? 300 : 5000;
	double base = futex_round_trip_us((int)step_ops);
	double th = step_median_us(&step_thread_scene);
	double pr = step_median_us(&step_process_scene);
	add((struct figure){"step latency, worker thread", "us median", th, base,
	                    "futex wake + 64 B record + epoll", "<= 1.5x baseline", th <= 1.5 * base,
	                    "the scheduler hop between cores; the engine's fold and analysis"});
	add((struct figure){"step latency, worker process", "us median", pr, base,
	                    "futex wake + 64 B record + epoll", "<= 1.5x baseline", pr <= 1.5 * base,
	                    "as above"});
}

/* ---- replay fold ------------------------------------------------------- */

static struct ls_event *rec_buf;
static size_t rec_n, rec_cap;

static void record(void *ud, const struct ls_event *ev)
{
	(void)ud;
	if (rec_n == rec_cap) {
		rec_cap = rec_cap ? rec_cap * 2 : 4096;
		rec_buf = realloc(rec_buf, rec_cap * sizeof *rec_buf);
	}
	rec_buf[rec_n++] = *ev;
}

static void count_only(void *ud, const struct ls_event *ev)
{
	(void)ev;
	(*(uint64_t *)ud)++;
}

static void fold_into(void *ud, const struct ls_event *ev)
{
	model_apply(ud, ev);
}

/* The live path as the running UI takes it: decode, fold, the log's words
 * for every event, and the analysis once per batch (the engine reads up to
 * READ_BUDGET records per callback and analyses after each). */
struct live {
	struct model m;
	struct analysis *a;
	uint64_t n;
	char text[256];
};

static void live_into(void *ud, const struct ls_event *ev)
{
	struct live *l = ud;
	model_apply(&l->m, ev);
	describe_event(&l->m, ev, l->text, sizeof l->text);
	if (++l->n % 8192 == 0)
		analysis_run(&l->m, l->a);
}

static int replay_scene_run(void)
{
	/* a producer-consumer stream: declares, puts, gets, waits, narration */
	ls_queue *q = ls_queue_new("buffer", 4);
	ls_mutex *m = ls_mutex_new("M");
	ls_value *v = ls_value_new("count", 0);
	for (long i = 0; i < 3000; i++) {
		ls_lock(m);
		ls_value_write(v, ls_value_read(v) + 1);
		ls_unlock(m);
		ls_queue_put(q, i);
		ls_queue_get(q);
	}
	return 0;
}

static const struct ls_scene replay_scene = {
	.abi = LS_SCENE_ABI, .id = "bench-replay", .title = "bench", .summary = "bench",
	.run = replay_scene_run, .flags = LS_SCENE_FREE_RUN,
};

double bench_live_path_rate;

static void bench_replay(void)
{
	struct engine_opts o = {.scene = &replay_scene, .mode = LS_MODE_RUN, .autostep = 1};
	struct engine_cb cb = {.event = record, .ended = stop_loop};
	struct engine *e = engine_new(EV_DEFAULT, &o, &cb, NULL);
	char err[256];
	if (engine_start(e, err, sizeof err) != 0)
		exit(1);
	ev_run(EV_DEFAULT, 0);
	engine_free(e);
	host_reap_all();
	uint64_t target = quick ? 1000000 : 10000000;
	size_t bytes = rec_n * sizeof *rec_buf;
	/* decode only */
	uint64_t decoded = 0;
	double t0 = now_s();
	while (decoded < target) {
		struct bus_reader r;
		bus_reader_init(&r, -1);
		bus_feed(&r, (const unsigned char *)rec_buf, bytes, count_only, &decoded);
	}
	double t_dec = now_s() - t0;
	/* decode and fold: a fresh model per pass, as a replay from the start */
	uint64_t folded = 0;
	t0 = now_s();
	while (folded < target) {
		struct model m;
		struct bus_reader r;
		model_init(&m);
		bus_reader_init(&r, -1);
		folded += bus_feed(&r, (const unsigned char *)rec_buf, bytes, fold_into, &m);
		model_free(&m);
	}
	double t_fold = now_s() - t0;
	double fold_rate = (double)folded / t_fold / 1e6, dec_rate = (double)decoded / t_dec / 1e6;
	add((struct figure){"replay fold", "M events/s", fold_rate, dec_rate, "decode only",
	                    ">= 10 M/s", fold_rate >= 10, "the model's per-event work (log ring copy)"});
	/* the live path: the same stream, with words and analysis */
	uint64_t lived = 0;
	struct live *l = calloc(1, sizeof *l);
	l->a = malloc(sizeof *l->a);
	t0 = now_s();
	while (lived < target) {
		struct bus_reader r;
		model_init(&l->m);
		l->n = 0;
		bus_reader_init(&r, -1);
		lived += bus_feed(&r, (const unsigned char *)rec_buf, bytes, live_into, l);
		analysis_run(&l->m, l->a);
		model_free(&l->m);
	}
	double live_rate = (double)lived / (now_s() - t0) / 1e6;
	bench_live_path_rate = live_rate;
	add((struct figure){"live path: fold, words, analysis", "M events/s", live_rate, fold_rate,
	                    "replay fold", ">= 10 M/s", live_rate >= 10,
	                    "the log's words for every event (printf and translations)"});
	free(l->a);
	free(l);
	free(rec_buf);
}

/* ---- output ------------------------------------------------------------ */

static void print_table(FILE *f)
{
	fprintf(f, "%-32s %12s %-11s %12s %7s  %-22s %s\n", "figure", "value", "unit", "baseline",
	        "ratio", "target", "met");
	for (int i = 0; i < nfigs; i++) {
		struct figure *g = &figs[i];
		char ratio[16] = "";
		if (g->baseline > 0)
			snprintf(ratio, sizeof ratio, "%.2fx", g->value / g->baseline);
		fprintf(f, "%-32s %12.3f %-11s %12.3f %7s  %-22s %s\n", g->name, g->value, g->unit,
		        g->baseline, ratio, g->target, g->met < 0 ? "" : g->met ? "yes" : "NO");
	}
	fprintf(f, "\nbaselines:\n");
	for (int i = 0; i < nfigs; i++)
		if (*figs[i].baseline_name)
			fprintf(f, "  %-30s %s\n", figs[i].name, figs[i].baseline_name);
	fprintf(f, "what limits each:\n");
	for (int i = 0; i < nfigs; i++)
		fprintf(f, "  %-30s %s\n", figs[i].name, figs[i].limit);
}

static void print_json(FILE *f)
{
	fprintf(f, "{\"quick\":%s,\"figures\":[", quick ? "true" : "false");
	for (int i = 0; i < nfigs; i++) {
		struct figure *g = &figs[i];
		fprintf(f, "%s{\"name\":\"%s\",\"unit\":\"%s\",\"value\":%.4f,\"baseline\":%.4f,"
		        "\"baseline_name\":\"%s\",\"target\":\"%s\",\"met\":%s,\"limit\":\"%s\"}",
		        i ? "," : "", g->name, g->unit, g->value, g->baseline, g->baseline_name,
		        g->target, g->met < 0 ? "null" : g->met ? "true" : "false", g->limit);
	}
	fprintf(f, "]}\n");
}

int main(int argc, char **argv)
{
	const char *json = NULL, *only = NULL;
	int tap = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--tap") == 0)
			tap = 1;
		else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
			json = argv[++i];
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else {
			fprintf(stderr, "usage: lockstep-bench [--quick] [--json FILE] [--tap] [--only PART]\n");
			return 2;
		}
	}
	host_become_subreaper();
	signal(SIGPIPE, SIG_IGN);
	struct {
		const char *name;
		void (*fn)(void);
	} parts[] = {{"bus", bench_bus}, {"probe", bench_probe}, {"step", bench_step},
	             {"replay", bench_replay}, {"history", bench_history},
	             {"frame", bench_frame}, {"event-to-screen", bench_e2s}, {"idle", bench_idle},
	             {"scale", bench_scale}, {"explore", bench_explore}, {"serve", bench_serve},
	             {"python", bench_py}};
	int n = (int)(sizeof parts / sizeof parts[0]);
	for (int i = 0; i < n; i++) {
		int before = failures, figs_before = nfigs;
		if (only && strcmp(only, parts[i].name) != 0) {
			if (tap)
				printf("ok %d - %s benchmark # SKIP not asked for\n", i + 1, parts[i].name);
			continue;
		}
		parts[i].fn();
		if (tap)
			printf("%s %d - %s benchmark ran%s\n",
			       failures == before && nfigs > figs_before ? "ok" : "not ok", i + 1,
			       parts[i].name, failures == before ? "" : " (lost or failed: see stderr)");
	}
	if (tap) {
		for (int i = 0; i < nfigs; i++)
			printf("# %s: %.3f %s (baseline %.3f)\n", figs[i].name, figs[i].value, figs[i].unit,
			       figs[i].baseline);
		printf("1..%d\n", n);
	} else {
		print_table(stdout);
	}
	if (json) {
		FILE *f = fopen(json, "w");
		if (!f) {
			perror(json);
			return 1;
		}
		print_json(f);
		fclose(f);
	}
	return failures ? 1 : 0;
}
