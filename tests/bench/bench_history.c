/* bench_history: the past in memory (src/history.h).
 *
 * A 10-million-record run (tests/unit/stream.h: threads taking a lock in
 * turn, as the race scene does) is kept in a history. Figures:
 * - jump: the model at a random moment, from the nearest snapshot (target
 *   <= 5 ms), beside a fold from the start to the same moments;
 * - replay: records decoded from the history and folded, per second
 *   (target >= 10 M/s), beside folding the same records from an array;
 * - memory: what the history holds for those records, beside their 64
 *   bytes each (target: well under 1 GiB).
 * Correctness (never time): a jump lands on the state the live fold went
 * through (counted in `failures`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "history.h"
#include "model.h"
#include "../unit/stream.h"

static uint64_t state_of(const struct model *m)
{
	uint64_t h = m->events * 31 + m->steps;
	for (int i = 0; i < m->nw; i++)
		h = h * 131 + (uint64_t)m->w[i].state * 7 + (uint64_t)m->w[i].gate + (uint64_t)m->w[i].steps;
	for (int i = 0; i < m->no; i++)
		h = h * 131 + (uint64_t)m->o[i].value + (uint64_t)(m->o[i].owner + 1);
	return h;
}

/* The jump is measured in this thread's CPU time: on a machine shared with
 * other work, wall time measures the neighbours (a preemption is 10 ms). */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

void bench_history(void)
{
	uint64_t total = quick ? 300000 : 10000000;
	struct history *h = history_new(0);
	struct ls_event *arr = malloc(total * sizeof *arr); /* the baselines' records */
	if (!h || !arr) {
		fprintf(stderr, "bench_history: out of memory\n");
		failures++;
		return;
	}
	enum { PROBES = 8 };
	uint64_t probe_at[PROBES], probe_state[PROBES];
	for (int k = 0; k < PROBES; k++)
		probe_at[k] = next_rand() % total + 1;
	struct model live;
	model_init(&live);
	struct stream s;
	stream_head(&s, 3);
	uint64_t n = 0;
	while (n < total) {
		for (int i = 0; i < s.n && n < total; i++) {
			model_apply(&live, &s.rec[i]);
			arr[n] = s.rec[i];
			if (history_push(h, &s.rec[i], &live) != 0) {
				fprintf(stderr, "bench_history: the history is full at %llu\n",
				        (unsigned long long)n);
				failures++;
				goto out;
			}
			n++;
			for (int k = 0; k < PROBES; k++)
				if (probe_at[k] == n)
					probe_state[k] = state_of(&live);
		}
		stream_next(&s);
	}

	/* jump: random moments, from the nearest snapshot */
	struct model m;
	model_init(&m);
	enum { JUMPS = 400 };
	int jumps = quick ? 50 : JUMPS;
	uint64_t took[JUMPS];
	double sum = 0;
	for (int j = 0; j < jumps; j++) {
		uint64_t at = next_rand() % total + 1;
		double t0 = cpu_s();
		history_model_at(h, at, &m);
		double dt = cpu_s() - t0;
		sum += dt;
		took[j] = (uint64_t)(dt * 1e9);
	}
	qsort(took, (size_t)jumps, sizeof took[0], cmp_u64);
	double p99 = (double)took[jumps * 99 / 100] / 1e9, worst = (double)took[jumps - 1] / 1e9;
	for (int k = 0; k < PROBES; k++) {
		history_model_at(h, probe_at[k], &m);
		if (state_of(&m) != probe_state[k]) {
			fprintf(stderr, "bench_history: the jump to %llu is not the live state\n",
			        (unsigned long long)probe_at[k]);
			failures++;
		}
	}
	/* baseline: a fold from the start to a few of the same kind of moment */
	double base = 0;
	int nbase = quick ? 3 : 2;
	for (int j = 0; j < nbase; j++) {
		uint64_t at = next_rand() % total + 1;
		struct model b;
		model_init(&b);
		double t0 = cpu_s();
		for (uint64_t i = 0; i < at; i++)
			model_apply(&b, &arr[i]);
		base += cpu_s() - t0;
		model_free(&b);
	}
	add((struct figure){"history jump, p99", "ms cpu", p99 * 1e3, base / nbase * 1e3,
	                    "fold from the start", "<= 5 ms", p99 <= 0.005,
	                    "one snapshot copy + up to 16384 records folded"});
	add((struct figure){"  mean, worst", "ms cpu", sum / jumps * 1e3, worst * 1e3, "worst", "", -1,
	                    ""});

	/* replay: decode from the history and fold, the whole run */
	model_free(&m);
	model_init(&m);
	double t0 = now_s();
	history_fold(h, 0, total, &m);
	double t_hist = now_s() - t0;
	model_free(&m);
	model_init(&m);
	t0 = now_s();
	for (uint64_t i = 0; i < total; i++)
		model_apply(&m, &arr[i]);
	double t_arr = now_s() - t0;
	if (state_of(&m) != state_of(&live))
		failures++;
	model_free(&m);
	add((struct figure){"history replay", "M events/s", (double)total / t_hist / 1e6,
	                    (double)total / t_arr / 1e6, "fold from an array", ">= 10 M/s",
	                    (double)total / t_hist >= 10e6, "the model's per-event work"});
	double mb = (double)history_bytes(h) / 1048576.0;
	add((struct figure){quick ? "history memory, 300k records" : "history memory, 10M records",
	                    "MiB", mb, (double)total * LS_EV_SIZE / 1048576.0, "64 bytes a record",
	                    "< 1024 MiB", mb < 1024, "snapshots (a model each 16384 records)"});
	add((struct figure){"  of which records", "bytes/record",
	                    (double)history_record_bytes(h) / (double)total, LS_EV_SIZE,
	                    "the bus record", "", -1, ""});
out:
	model_free(&live);
	history_free(h);
	free(arr);
}
