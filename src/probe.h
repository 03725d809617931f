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

/* Run a scene in this (freshly forked host) process: declares main, calls
 * scene->run, waits for non-daemon workers, stops daemons, announces END and
 * exits. Never returns. params[i] is the value of scene->params[i]. */
_Noreturn void probe_host_main(const struct ls_scene *scene, const long *params,
                               struct ls_ctl *ctl, int bus_fd);

#endif
