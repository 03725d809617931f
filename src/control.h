/* control: the block the UI shares with the scene host and its workers.
 *
 * A MAP_SHARED anonymous mapping made before the host is forked, so every
 * process of the scene sees it. It holds atomics used as futex words and
 * the names the scene made in the file system: no pthread object lives
 * here, so a worker killed at any moment cannot leave it unusable. The engine writes mode, delay, grants and the virtual clock;
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
	/* lockstep run: the pid of a process worker a program forked, so
	 * the host (which shares this block, not the program's arena) can
	 * say whom it reaped as the subreaper; 0 if none */
	_Atomic int32_t pid;
};

/* Names a scene made in the file system (FIFO path, mqueue and shm names),
 * in full, as the probe passed them to the kernel: the engine removes them
 * from here when a killed host could not, never from a name rebuilt from
 * the model's shorter copy. An entry is ready once its kind is set. */
enum ls_ipc_kind { LS_IPC_NONE = 0, LS_IPC_FIFO, LS_IPC_MQ, LS_IPC_SHM };
#define LS_IPC_NAMES_MAX 64
#define LS_IPC_PATH_MAX (RUNDIR_MAX + 64) /* a FIFO is <run dir>/<name> */
struct ls_ipc_names {
	_Atomic uint32_t n; /* entries handed out */
	struct {
		_Atomic int kind; /* enum ls_ipc_kind, set last */
		char path[LS_IPC_PATH_MAX];
	} e[LS_IPC_NAMES_MAX];
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
	_Atomic uint32_t spin_us;  /* controlled runs: a parked worker polls for
	                              its grant this long before it sleeps (the
	                              explorer, whose steps follow at once) */
	/* set by the UI before the fork; the UI keeps its own copy, never
	 * reads these back (a scene could overwrite them) */
	char rundir[RUNDIR_MAX];   /* the run's private directory (rundir.h) */
	char token[RUNDIR_TOKEN];  /* unguessable part of IPC names */
	struct ls_slot slots[LS_MAX_WORKERS];
	struct ls_ipc_names names;
	/* A scene used the API wrongly and its host stops (probe_fatal_misuse):
	 * the first such line, so the engine can say what, not only that the
	 * host aborted. 0 none, 1 being written, 2 ready. */
	_Atomic uint32_t misuse;
	char misuse_text[256];
};

struct ls_ctl *ctl_create(void);
/* The same block in a memfd (close-on-exec), its descriptor in *fd_out: a
 * program the host execs (lockstep run) maps it again with ctl_map_fd. */
struct ls_ctl *ctl_create_fd(int *fd_out);
struct ls_ctl *ctl_map_fd(int fd);
void ctl_destroy(struct ls_ctl *ctl);

/* Scene side: note a name made in the file system. 0, or -1 when the
 * table is full or the name too long to keep whole. */
int ctl_ipc_register(struct ls_ctl *ctl, enum ls_ipc_kind kind, const char *path);
/* Remove every registered name (the probe's cleanup, and the engine's
 * after a killed host). Missing names are not an error. */
void ctl_ipc_unlink_all(struct ls_ctl *ctl);

/* Scene side: note why the host is about to abort (the first call wins). */
void ctl_note_misuse(struct ls_ctl *ctl, const char *line);
/* Engine side: that line, or NULL. */
const char *ctl_misuse(const struct ls_ctl *ctl);

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

/* One turn of a short poll (the explorer's spin_us): tell the CPU. */
static inline void ctl_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

#endif
