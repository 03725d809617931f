/* host: the forked process a scene runs in, and everything it leaves behind.
 *
 * The UI forks the host into its own process group with the bus and the
 * control block already made. Stopping a scene kills the whole group, even
 * when every worker is deadlocked. The UI is a child subreaper so orphaned
 * workers come back to it and are reaped. Never draws.
 */
#ifndef LS_HOST_H
#define LS_HOST_H

#include <stddef.h>
#include <sys/types.h>

#include "../scenes/lockstep-scene.h"
#include "control.h"
#include "rundir.h"

struct host {
	pid_t pid;        /* also the process group id; 0 when none */
	int bus_fd;       /* read end of the bus */
	int out_fd;       /* read end of the scene's stdout/stderr */
	struct ls_ctl *ctl;
	char rundir[RUNDIR_MAX]; /* the run's private directory; "" once removed */
	int kept_dir;     /* rundir is the caller's, reused run after run */
};

/* Make this process the reaper of every orphan below it. */
void host_become_subreaper(void);
struct program;
/* Fork a host running the scene, or with prog (program.h) the host that
 * execs that program. keep_dir: a run directory of the caller's to reuse
 * (rundir_reuse) and leave in place; NULL makes one for this run. Returns
 * 0, or errno with a message. */
int host_start(struct host *h, const struct ls_scene *sc, const struct program *prog,
               const long *params, enum ls_mode mode, unsigned delay_us,
               const char *keep_dir, char *err, size_t errlen);
/* SIGKILL the host's process group (no-op without one). */
void host_kill(struct host *h);
/* Anything of the group still alive? */
int host_group_alive(const struct host *h);
/* Kill the group, and once no process of it is alive, remove the run's
 * directory and every name it recorded. A group that takes too long to die
 * leaves them to the next start's sweep (rundir_sweep_dead). */
void host_cleanup(struct host *h);
/* Close the read ends and unmap the control block. */
void host_close(struct host *h);
/* Block until every child of this process is reaped (teardown only). */
void host_reap_all(void);

#endif
