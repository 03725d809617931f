/* control: the block the UI shares with the scene host and its workers.
 *
 * A MAP_SHARED anonymous mapping made before the host is forked, so every
 * process of the scene sees it. It holds only atomics used as futex words:
 * no pthread object lives here, so a worker killed at any moment cannot leave
 * it unusable. The engine writes mode, delay, grants and the virtual clock;
 * workers read them at their gates. Never blocks the writer side.
 */
#ifndef LS_CONTROL_H
#define LS_CONTROL_H

#include <stdatomic.h>
#include <stdint.h>

#include "event.h"
#include "rundir.h"

struct ls_slot {
	_Atomic uint32_t wake;   /* futex word: bumped on grant, mode change, stop */
	_Atomic uint32_t grants; /* steps granted by the engine */
	_Atomic uint32_t used;   /* steps the worker has taken */
	_Atomic uint32_t exited; /* the worker's function has returned */
};

struct ls_ctl {
	_Atomic uint32_t mode;     /* enum ls_mode */
	_Atomic uint32_t delay_us; /* run mode: wait at each gate */
	_Atomic uint32_t seq;      /* next record sequence number */
	_Atomic uint32_t nworkers; /* worker ids handed out */
	_Atomic uint32_t nobjects; /* object ids handed out */
	_Atomic uint32_t stopping; /* the scene is being torn down */
	_Atomic int64_t vclock;    /* controlled runs: virtual ns */
	_Atomic uint64_t t0;       /* CLOCK_MONOTONIC at start */
	_Atomic uint32_t presses;  /* futex word: the user pressed the scene key */
	/* set by the UI before the fork; the UI keeps its own copy, never
	 * reads these back (a scene could overwrite them) */
	char rundir[RUNDIR_MAX];   /* the run's private directory (rundir.h) */
	char token[RUNDIR_TOKEN];  /* unguessable part of IPC names */
	struct ls_slot slots[LS_MAX_WORKERS];
};

struct ls_ctl *ctl_create(void);
void ctl_destroy(struct ls_ctl *ctl);

/* Engine side. */
void ctl_set_mode(struct ls_ctl *ctl, enum ls_mode mode);
void ctl_set_delay(struct ls_ctl *ctl, uint32_t delay_us);
void ctl_grant(struct ls_ctl *ctl, int worker);
void ctl_set_vclock(struct ls_ctl *ctl, int64_t ns);
void ctl_wake_all(struct ls_ctl *ctl);

/* Futex on a shared (not private) word; timeout_ns < 0 waits forever. */
int ctl_futex_wait(_Atomic uint32_t *word, uint32_t expected, int64_t timeout_ns);
void ctl_futex_wake(_Atomic uint32_t *word);

uint64_t ctl_now_ns(void);

#endif
