/* engine_sched: the one scheduler of controlled runs.
 *
 * Owns the scheduling policy (the --schedule list first, then round-robin
 * in declare order after whoever moved last, or a seeded random pick) and
 * the one answer to "why can't this worker move". Both front ends reach it
 * through the engine (`s` in the UI and the headless default step the same
 * worker), and the engine's schedule errors use the same words the UI shows.
 *
 * Pure: it reads a model snapshot and its own small state; no I/O, no clock,
 * no engine. The engine does what an entry asks (press the key, send a
 * signal, grant a step); this file only decides.
 */
#ifndef LS_ENGINE_SCHED_H
#define LS_ENGINE_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* The policy once the schedule (if any) has run out. */
enum ls_sched { LS_SCHED_RR = 0, LS_SCHED_SEED };

/* What the schedule's next entry asks for. */
enum sched_entry {
	SCHED_NONE = 0, /* the schedule has run out: the policy picks */
	SCHED_WORKER,   /* a worker, by name or index */
	SCHED_KEY,      /* "key": the user presses the scene key */
	SCHED_REST,     /* "rest": the policy picks until nobody can move */
	SCHED_SIGNAL,   /* "signal:TARGET:SIG" */
};

struct sched {
	enum ls_sched policy;
	uint64_t rng;
	int rr_next; /* round-robin starts here: after whoever moved last */
	char **ent;  /* the schedule's entries */
	int nent, pos;
};

/* Checks a schedule's syntax: NULL if fine, else why not (translated). */
const char *sched_check(const char *schedule);
/* "INT", "SIGINT" or "2" -> 2; 0 if no such signal. */
int sched_signal_number(const char *name);

/* 0, or -1 when out of memory. A NULL or empty schedule is none. */
int sched_init(struct sched *s, enum ls_sched policy, uint64_t seed, const char *schedule);
void sched_free(struct sched *s);

/* A worker named `name`, or numbered so; -1 if none is declared. */
int sched_resolve(const struct model *m, const char *name);

/* The schedule's next entry; for SCHED_SIGNAL also its target (a worker's
 * name or "group") and signal. The entry is not consumed: sched_consume. */
enum sched_entry sched_peek(const struct sched *s, const struct model *m,
                            char *target, size_t tn, int *sig);
void sched_consume(struct sched *s);

/* The policy alone: the first eligible worker in declare order from
 * rr_next on (wrapping), or a seeded pick among the eligible. -1 when
 * nobody is eligible. Does not note the grant: sched_granted does. */
int sched_policy(struct sched *s, const struct model *m);

/* The worker sched_policy would pick now, without taking its turn (a
 * seeded pick does not draw from the generator): what `s` will step. */
int sched_policy_peek(const struct sched *s, const struct model *m);

/* Who moves next: the schedule's worker entry (consumed) or, past the
 * schedule or at "rest", the policy. -1 when nobody can move, -2 when the
 * entry names no worker or one that cannot move (why says so). */
int sched_pick(struct sched *s, const struct model *m, char *why, size_t n);

/* A step was granted to `id` (by the policy or by the user): round-robin
 * goes on after it. */
void sched_granted(struct sched *s, int id);

/* One sentence saying why worker `id` cannot move now, e.g. "T1 cannot
 * move: it waits for B, held by T2". */
const char *sched_why_not(const struct model *m, int id, char *buf, size_t n);

#endif
