/* rundir: one scene run's private directory, and the registry of every name
 * the scene makes in the file system.
 *
 * Before it forks a host, the UI makes a directory of its own (mkdtemp, mode
 * 0700) under $XDG_RUNTIME_DIR, else $TMPDIR, else /tmp, and writes who made
 * it (`owner`: the UI's pid and start time) and, once forked, the host's
 * process group (`host`). The scene's FIFOs are made inside it, and every
 * message queue or shared memory name is appended to its `names` file
 * *before* it is created. So whoever cleans up (the host at its end, the UI
 * after the group is dead, or the next lockstep after a kill -9) removes
 * exactly what was made, whether /dev/mqueue is mounted or not, and nothing
 * another user or another run owns: a directory is swept only when it is
 * ours (owner uid, mode 0700, not a link) and its run is over. Never draws.
 */
#ifndef LS_RUNDIR_H
#define LS_RUNDIR_H

#include <stddef.h>
#include <sys/types.h>

#define RUNDIR_MAX 192 /* bytes of a run directory's path, NUL included */
#define RUNDIR_TOKEN 17 /* 16 hex digits and a NUL */

/* Make a run directory; path gets its name, token an unguessable part for
 * the run's IPC names. Returns 0, or errno with a message in err. */
int rundir_make(char *path, char token[RUNDIR_TOKEN], char *err, size_t errlen);
/* Ready a directory rundir_make made, and an earlier run used, for the
 * next run (the schedule explorer's thousands of runs keep one: making and
 * removing three files a run was a third of a run's cost on ext4): what the
 * run before recorded and made is removed, `owner` stays, token is new.
 * Returns 0 or errno. */
int rundir_reuse(const char *path, char token[RUNDIR_TOKEN]);
/* Record the host's process group (its pid). Returns 0 or errno. */
int rundir_set_host(const char *path, pid_t host);
/* Append "KIND NAME" to the registry before the name is made (the probe).
 * Returns 0 or errno. */
int rundir_record(const char *path, const char *kind, const char *name);
/* Whether some process of group pgid is alive (zombies are not). */
int rundir_group_alive(pid_t pgid);
/* Remove every recorded name, everything in the directory, the directory. */
void rundir_remove(const char *path);
/* Remove the run directories (and what they recorded) of runs that are
 * over: lockstep killed, host group gone. Only this user's. */
void rundir_sweep_dead(void);

#endif
