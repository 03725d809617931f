/* procfs: what the kernel says about a process, read from /proc.
 *
 * Used by the probe (is_alive, the state a scene shows next to the model's)
 * and by the engine (what a signal will do to its target, how a process that
 * died without a word ended). Reads only; never blocks on anything but the
 * read of a small /proc file.
 */
#ifndef LS_PROCFS_H
#define LS_PROCFS_H

#include <sys/types.h>

/* Read a small /proc file whole into buf (NUL-terminated). -1 if gone. */
ssize_t procfs_read(const char *path, char *buf, size_t n);
/* In a stat line, the fields after the command name (which may hold
 * anything, parentheses too): field 3, the state, first. NULL if malformed. */
char *procfs_after_comm(char *stat_line);

/* The state letter of /proc/PID/stat ('R', 'S', 'Z'...), '?' if gone. */
int procfs_state(pid_t pid);
/* Its parent's pid, -1 if gone. */
pid_t procfs_ppid(pid_t pid);
/* Whether pid is ancestor or one of its descendants (by the parent links
 * in /proc, now). */
int procfs_descends_from(pid_t pid, pid_t ancestor);
/* A zombie's wait status (as waitpid gives it), -1 if not a zombie. */
int procfs_zombie_status(pid_t pid);
/* What sending sig to pid would do now (enum ls_sig_outcome in event.h),
 * from its SigBlk/SigIgn/SigCgt masks and the default action of sig. */
int procfs_sig_outcome(pid_t pid, int sig);

#endif
