/* probe: the scene-side runtime behind scenes/lockstep-scene.h.
 *
 * Runs only in the scene host and the workers it forks. Owns the shared
 * arena, the gate every operation passes, and the announcements. Never
 * touches curses, never reads the model: the engine decides, the probe obeys
 * the control block.
 */
#ifndef LS_PROBE_H
#define LS_PROBE_H

#include "../scenes/lockstep-scene.h"
#include "control.h"

struct probe_family;
/* Processes, signals and IPC (probe_ipc.c). */
extern const struct probe_family probe_ipc_family;

/* Run a scene in this (freshly forked host) process: declares main, calls
 * scene->run, waits for non-daemon workers, stops daemons, announces END and
 * exits. Never returns. params[i] is the value of scene->params[i].
 * families: the families of primitives with per-process state, ending
 * with NULL (probe_internal.h). */
_Noreturn void probe_host_main(const struct ls_scene *scene, const long *params,
                               struct ls_ctl *ctl, int bus_fd,
                               const struct probe_family *const *families);

/* Run a program (lockstep run) from this freshly forked host: declares
 * its main thread as worker "main", execs argv with the bus and the control
 * block (a memfd, ctl_fd) inherited, reaps it and every orphan, announces
 * how it ended and END. Never returns. */
_Noreturn void probe_program_main(char *const *argv, struct ls_ctl *ctl, int bus_fd, int ctl_fd);

#endif
