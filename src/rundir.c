/* rundir: a run's private directory and its registry of names. See rundir.h. */
#include "rundir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"

#define PREFIX "lockstep-"
/* A directory whose maker died before saying who it was is taken as over
 * after this long (its maker writes `owner` right after mkdtemp). */
#define UNOWNED_GRACE_S 60

/* A directory to make run directories in: ours and closed to others, or
 * sticky (as /tmp is), so nobody else can rename what we make there. */
static int usable_base(const char *d)
{
	struct stat st;
	if (!d || d[0] != '/' || strlen(d) > RUNDIR_MAX - 32 || stat(d, &st) != 0 ||
	    !S_ISDIR(st.st_mode))
		return 0;
	if (st.st_mode & S_ISVTX)
		return 1;
	return st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

/* The candidate bases, best first; NULL where unusable. */
static void bases(const char *out[3])
{
	const char *xdg = getenv("XDG_RUNTIME_DIR"), *tmp = getenv("TMPDIR");
	out[0] = usable_base(xdg) ? xdg : NULL;
	out[1] = usable_base(tmp) ? tmp : NULL;
	out[2] = "/tmp";
	if (out[1] && out[0] && strcmp(out[0], out[1]) == 0)
		out[1] = NULL;
	for (int i = 0; i < 2; i++)
		if (out[i] && strcmp(out[i], "/tmp") == 0)
			out[i] = NULL;
}

/* Field 22 of /proc/PID/stat: when it started, in clock ticks; 0 if gone. */
static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (procfs_read(path, buf, sizeof buf) <= 0)
		return 0;
	char *p = procfs_after_comm(buf);
	for (int i = 3; i < 22 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

static int write_file(int dfd, const char *name, const char *text, int how)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | how | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	size_t n = strlen(text);
	ssize_t w = write(fd, text, n);
	int e = w == (ssize_t)n ? 0 : (w < 0 ? errno : EIO);
	close(fd);
	return e;
}

static int write_new(int dfd, const char *name, const char *text)
{
	return write_file(dfd, name, text, O_EXCL);
}

static ssize_t read_small(int dfd, const char *name, char *buf, size_t n)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	ssize_t r = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		do
			r = read(fd, buf, n - 1);
		while (r < 0 && errno == EINTR);
	}
	close(fd);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

static void make_token(char token[RUNDIR_TOKEN])
{
	unsigned char b[8];
	if (getrandom(b, sizeof b, GRND_NONBLOCK) != (ssize_t)sizeof b) {
		/* no entropy yet (early boot): still not the pid alone */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long long x = (unsigned long long)ts.tv_nsec * 2654435761u ^
		                       (unsigned long long)ts.tv_sec << 20 ^ (unsigned long long)getpid();
		memcpy(b, &x, sizeof b);
	}
	for (int i = 0; i < 8; i++)
		snprintf(token + 2 * i, 3, "%02x", b[i]);
}

int rundir_make(char *path, char token[RUNDIR_TOKEN], char *err, size_t errlen)
{
	const char *b[3];
	bases(b);
	int e = 0;
	for (int i = 0; i < 3; i++) {
		if (!b[i])
			continue;
		snprintf(path, RUNDIR_MAX, "%s/" PREFIX "XXXXXX", b[i]);
		if (mkdtemp(path)) {
			e = 0;
			break;
		}
		e = errno;
		snprintf(err, errlen, "mkdtemp %s: %s", path, strerror(e));
	}
	if (e) {
		path[0] = '\0';
		return e;
	}
	int dfd = open(path, O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		e = errno;
	} else {
		char owner[64];
		snprintf(owner, sizeof owner, "%d %llu\n", (int)getpid(), start_time(getpid()));
		e = write_new(dfd, "owner", owner);
		if (!e)
			e = write_new(dfd, "names", "");
		close(dfd);
	}
	if (e) {
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		rundir_remove(path);
		path[0] = '\0';
		return e;
	}
	make_token(token);
	return 0;
}

static void clear_at(int dfd, int keep);

int rundir_reuse(const char *path, char token[RUNDIR_TOKEN])
{
	int dfd = open(path, O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno;
	struct stat st;
	int e = 0;
	if (fstat(dfd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & 07777) != 0700)
		e = EPERM; /* not one rundir_make made for us */
	if (!e)
		clear_at(dfd, 1);
	close(dfd);
	if (!e)
		make_token(token);
	return e;
}

int rundir_set_host(const char *path, pid_t host)
{
	int dfd = open(path, O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno;
	/* with its start time: a pid can be reused by another group's leader */
	char text[64];
	snprintf(text, sizeof text, "%d %llu\n", (int)host, start_time(host));
	/* a reused directory (the explorer's) has one from the run before */
	int e = write_file(dfd, "host", text, O_TRUNC);
	close(dfd);
	return e;
}

int rundir_record(const char *path, const char *kind, const char *name)
{
	char reg[RUNDIR_MAX + 8], line[512];
	snprintf(reg, sizeof reg, "%s/names", path);
	int n = snprintf(line, sizeof line, "%s %s\n", kind, name);
	if (n < 0 || (size_t)n >= sizeof line || strchr(name, '\n'))
		return ENAMETOOLONG;
	/* one short O_APPEND write: records of concurrent processes never mix */
	int fd = open(reg, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ssize_t w = write(fd, line, (size_t)n);
	int e = w == n ? 0 : (w < 0 ? errno : EIO);
	close(fd);
	return e;
}

/* A /proc/PID/stat line of a live (not zombie) process in group pgid. */
static int member(char *stat, pid_t pgid)
{
	char *rest = procfs_after_comm(stat);
	char state;
	int ppid, pg;
	return rest && sscanf(rest, "%c %d %d", &state, &ppid, &pg) == 3 && pg == pgid &&
	       state != 'Z' && state != 'X';
}

int rundir_group_alive(pid_t pgid)
{
	if (pgid <= 1)
		return 0;
	/* no member at all, not even a zombie: no need to read every
	 * process's stat (a run's cleanup asks this at least once; the scan
	 * costs what the machine's process count costs) */
	if (kill(-pgid, 0) != 0 && errno == ESRCH)
		return 0;
	int alive = 0;
	char path[300], buf[1024];
	/* the leader, alive in its own group, answers for it (every start
	 * sweeps: the live runs of other lockstep processes are asked too) */
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pgid);
	if (procfs_read(path, buf, sizeof buf) > 0 && member(buf, pgid))
		return 1;
	DIR *d = opendir("/proc");
	if (!d)
		return 1; /* cannot tell: keep what it made */
	struct dirent *de;
	while (!alive && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if (procfs_read(path, buf, sizeof buf) > 0 && member(buf, pgid))
			alive = 1;
	}
	closedir(d);
	return alive;
}

/* An IPC name this run recorded: /lockstep-..., nothing else. */
static int our_ipc_name(const char *n)
{
	return strncmp(n, "/" PREFIX, sizeof PREFIX) == 0 && !strchr(n + 1, '/') && strlen(n) < 256;
}

/* Remove what a run recorded and made; keep: leave the directory's own
 * files (owner, names emptied, host) for the next run. */
static void clear_at(int dfd, int keep)
{
	static char names[65536];
	ssize_t had = read_small(dfd, "names", names, sizeof names);
	if (had > 0) {
		for (char *save = NULL, *line = strtok_r(names, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *sp = strchr(line, ' ');
			if (!sp || !our_ipc_name(sp + 1))
				continue;
			*sp = '\0';
			if (strcmp(line, "mq") == 0)
				mq_unlink(sp + 1);
			else if (strcmp(line, "shm") == 0)
				shm_unlink(sp + 1);
		}
	}
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (keep && (strcmp(n, "owner") == 0 || strcmp(n, "host") == 0))
			continue;
		if (keep && strcmp(n, "names") == 0) {
			if (had > 0) { /* emptied in place: the next run appends */
				int nf = openat(dfd, n, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
				if (nf >= 0)
					close(nf);
			}
			continue;
		}
		unlinkat(dfd, n, 0);
	}
	closedir(d);
}

static void remove_at(int dfd)
{
	clear_at(dfd, 0);
}

void rundir_remove(const char *path)
{
	if (!path || !path[0])
		return;
	int dfd = open(path, O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return;
	remove_at(dfd);
	close(dfd);
	rmdir(path);
}

/* Is the run of this directory over? */
static int run_over(int dfd, const struct stat *st)
{
	char buf[128];
	int pid = 0;
	unsigned long long t0 = 0;
	/* read once: a directory being made has an empty owner for a moment */
	int owned = read_small(dfd, "owner", buf, sizeof buf) > 0 &&
	            sscanf(buf, "%d %llu", &pid, &t0) == 2 && pid > 0;
	/* its lockstep is alive: it removes the directory itself. A directory
	 * the explorer reuses names the last run's host, dead between runs. */
	if (owned && start_time(pid) == t0)
		return 0;
	if (read_small(dfd, "host", buf, sizeof buf) > 0) {
		int host = 0;
		unsigned long long born = 0;
		if (sscanf(buf, "%d %llu", &host, &born) >= 1 && host > 1) {
			/* the pid now leads another group (a reused pid): the run's
			 * own leader is gone, and its workers died with it */
			unsigned long long now = born ? start_time(host) : 0;
			if (now && now != born)
				return 1;
			return !rundir_group_alive(host);
		}
	}
	if (owned)
		return 1; /* its lockstep is gone, and no host is left */
	return time(NULL) - st->st_mtime > UNOWNED_GRACE_S;
}

static void sweep_base(const char *base)
{
	int bfd = open(base, O_DIRECTORY | O_CLOEXEC);
	if (bfd < 0)
		return;
	int fd = dup(bfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		close(bfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, PREFIX, sizeof PREFIX - 1) != 0 ||
		    strlen(de->d_name) != sizeof PREFIX - 1 + 6)
			continue;
		struct stat st, st2;
		/* ours alone: this user's, private, a directory and not a link */
		if (fstatat(bfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != geteuid() || (st.st_mode & 07777) != 0700)
			continue;
		int dfd = openat(bfd, de->d_name, O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		if (fstat(dfd, &st2) == 0 && st2.st_ino == st.st_ino && st2.st_dev == st.st_dev &&
		    run_over(dfd, &st)) {
			remove_at(dfd);
			unlinkat(bfd, de->d_name, AT_REMOVEDIR);
		}
		close(dfd);
	}
	closedir(d);
	close(bfd);
}

void rundir_sweep_dead(void)
{
	const char *b[3];
	bases(b);
	for (int i = 0; i < 3; i++)
		if (b[i])
			sweep_base(b[i]);
}
