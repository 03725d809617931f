/* procfs: /proc readers. See procfs.h. */
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "event.h"

ssize_t procfs_read(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t r;
	do
		r = read(fd, buf, n - 1);
	while (r < 0 && errno == EINTR);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	return r;
}

char *procfs_after_comm(char *line)
{
	char *p = strrchr(line, ')');
	if (!p || p[1] != ' ' || !p[2])
		return NULL;
	return p + 2;
}

/* The fields of /proc/PID/stat after the command name: field 3 is rest[0]. */
static int stat_fields(pid_t pid, char *buf, size_t n, char **rest)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (procfs_read(path, buf, n) <= 0)
		return -1;
	*rest = procfs_after_comm(buf);
	return *rest ? 0 : -1;
}

static long field(const char *rest, int k) /* k: the field number, from 3 */
{
	const char *p = rest;
	for (int i = 3; i < k && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtol(p, NULL, 10) : -1;
}

int procfs_descends_from(pid_t pid, pid_t ancestor)
{
	if (pid <= 1 || ancestor <= 1)
		return 0;
	for (int depth = 0; depth < 4096 && pid > 1; depth++) {
		if (pid == ancestor)
			return 1;
		pid = procfs_ppid(pid);
	}
	return 0;
}

int procfs_state(pid_t pid)
{
	char buf[1024], *rest;
	if (pid <= 0 || stat_fields(pid, buf, sizeof buf, &rest) != 0)
		return '?';
	return (unsigned char)rest[0];
}

pid_t procfs_ppid(pid_t pid)
{
	char buf[1024], *rest;
	if (pid <= 0 || stat_fields(pid, buf, sizeof buf, &rest) != 0)
		return -1;
	return (pid_t)field(rest, 4);
}

int procfs_zombie_status(pid_t pid)
{
	char buf[1024], *rest;
	if (pid <= 0 || stat_fields(pid, buf, sizeof buf, &rest) != 0 || rest[0] != 'Z')
		return -1;
	return (int)field(rest, 52); /* exit_code, since Linux 3.5 */
}

static int mask_has(const char *status, const char *key, int sig)
{
	const char *p = strstr(status, key);
	if (!p)
		return 0;
	unsigned long long m = strtoull(p + strlen(key), NULL, 16);
	return (m >> (sig - 1)) & 1;
}

int procfs_sig_outcome(pid_t pid, int sig)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (len > 0) {
		buf[len] = '\0';
		if (sig != SIGKILL && sig != SIGSTOP) {
			if (mask_has(buf, "SigBlk:", sig))
				return LS_SIG_BLOCKED;
			if (mask_has(buf, "SigIgn:", sig))
				return LS_SIG_IGNORE;
			if (mask_has(buf, "SigCgt:", sig))
				return LS_SIG_HANDLE;
		}
	}
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
		return LS_SIG_DFL_IGN;
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return LS_SIG_STOP;
	case SIGCONT:
		return LS_SIG_CONT;
	default:
		return LS_SIG_TERM;
	}
}

