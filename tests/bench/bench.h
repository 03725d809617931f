/* bench: what the benchmark files share: the table of figures, the quick
 * flag and the count of correctness failures (never times). */
#ifndef LS_BENCH_H
#define LS_BENCH_H

#include <stdint.h>

struct figure {
	const char *name;
	const char *unit;
	double value, baseline;
	const char *baseline_name;
	const char *target; /* in words */
	int met;            /* 1 met, 0 missed, -1 no target */
	const char *limit;  /* what limits it */
};

extern int quick;
extern int failures;

void add(struct figure f);
double now_s(void);
int cmp_u64(const void *a, const void *b);

/* bench_ui.c: the terminal's figures */
void bench_frame(void);
void bench_e2s(void);
/* The engine's live path (fold, words, analysis) in M events/s, once the
 * replay part ran; else 0. */
extern double bench_live_path_rate;
void bench_idle(void);
void bench_scale(void);
/* --serve: the teacher's frames with 0 and 50 viewers */
void bench_serve(void);
/* bench_explore.c: the schedule explorer */
void bench_explore(void);

/* bench_history.c: jumping into the past, replaying from memory */
void bench_history(void);

/* bench_py.c: a traced Python Lock (lockstep run) */
void bench_py(void);

#endif
