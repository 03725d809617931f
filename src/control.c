/* control: shared control block and futex helpers. See control.h. */
#include "control.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct ls_ctl *ctl_create(void)
{
	return ctl_create_fd(NULL);
}

struct ls_ctl *ctl_create_fd(int *fd_out)
{
	void *p;
	if (fd_out) {
		/* a file, not anonymous memory: a program exec'd by the host
		 * maps it again from the descriptor it inherits */
		int fd = memfd_create("lockstep-ctl", MFD_CLOEXEC);
		if (fd < 0)
			return NULL;
		if (ftruncate(fd, (off_t)sizeof(struct ls_ctl)) != 0) {
			int e = errno;
			close(fd);
			errno = e;
			return NULL;
		}
		p = mmap(NULL, sizeof(struct ls_ctl), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			int e = errno;
			close(fd);
			errno = e;
			return NULL;
		}
		*fd_out = fd;
	} else {
		p = mmap(NULL, sizeof(struct ls_ctl), PROT_READ | PROT_WRITE,
		         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
	}
	struct ls_ctl *ctl = p;
	atomic_store(&ctl->mode, LS_MODE_STEP);
	atomic_store(&ctl->t0, ctl_now_ns());
	return ctl;
}

int ctl_ipc_register(struct ls_ctl *ctl, enum ls_ipc_kind kind, const char *path)
{
	if (strlen(path) >= LS_IPC_PATH_MAX)
		return -1;
	uint32_t i = atomic_fetch_add(&ctl->names.n, 1);
	if (i >= LS_IPC_NAMES_MAX)
		return -1;
	snprintf(ctl->names.e[i].path, LS_IPC_PATH_MAX, "%s", path);
	atomic_store(&ctl->names.e[i].kind, (int)kind);
	return 0;
}

void ctl_ipc_unlink_all(struct ls_ctl *ctl)
{
	uint32_t n = atomic_load(&ctl->names.n);
	for (uint32_t i = 0; i < n && i < LS_IPC_NAMES_MAX; i++) {
		char path[LS_IPC_PATH_MAX];
		int kind = atomic_load(&ctl->names.e[i].kind);
		memcpy(path, ctl->names.e[i].path, sizeof path);
		path[sizeof path - 1] = '\0';
		switch (kind) {
		case LS_IPC_FIFO: unlink(path); break;
		case LS_IPC_MQ: mq_unlink(path); break;
		case LS_IPC_SHM: shm_unlink(path); break;
		default: break; /* not written yet: its maker died mid-way */
		}
	}
}

void ctl_note_misuse(struct ls_ctl *ctl, const char *line)
{
	uint32_t none = 0;
	if (!atomic_compare_exchange_strong(&ctl->misuse, &none, 1))
		return;
	snprintf(ctl->misuse_text, sizeof ctl->misuse_text, "%s", line);
	atomic_store(&ctl->misuse, 2);
}

const char *ctl_misuse(const struct ls_ctl *ctl)
{
	return atomic_load(&ctl->misuse) == 2 ? ctl->misuse_text : NULL;
}

struct ls_ctl *ctl_map_fd(int fd)
{
	void *p = mmap(NULL, sizeof(struct ls_ctl), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

void ctl_destroy(struct ls_ctl *ctl)
{
	if (ctl)
		munmap(ctl, sizeof *ctl);
}

uint64_t ctl_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int ctl_futex_wait(_Atomic uint32_t *word, uint32_t expected, int64_t timeout_ns)
{
	struct timespec ts, *tp = NULL;
	if (timeout_ns >= 0) {
		ts.tv_sec = (time_t)(timeout_ns / 1000000000);
		ts.tv_nsec = (long)(timeout_ns % 1000000000);
		tp = &ts;
	}
	long r = syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, expected, tp, NULL, 0);
	return r == 0 ? 0 : errno;
}

void ctl_futex_wake(_Atomic uint32_t *word)
{
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static void slot_kick(struct ls_slot *s)
{
	atomic_fetch_add(&s->wake, 1);
	ctl_futex_wake(&s->wake);
}

void ctl_wake_all(struct ls_ctl *ctl)
{
	uint32_t n = atomic_load(&ctl->nworkers);
	if (n > LS_MAX_WORKERS)
		n = LS_MAX_WORKERS;
	for (uint32_t i = 0; i < n; i++)
		slot_kick(&ctl->slots[i]);
}

void ctl_set_mode(struct ls_ctl *ctl, enum ls_mode mode)
{
	atomic_store(&ctl->mode, (uint32_t)mode);
	ctl_wake_all(ctl);
}

void ctl_set_delay(struct ls_ctl *ctl, uint32_t delay_us)
{
	atomic_store(&ctl->delay_us, delay_us);
	ctl_wake_all(ctl);
}

void ctl_grant(struct ls_ctl *ctl, int worker)
{
	if (worker < 0 || worker >= LS_MAX_WORKERS)
		return;
	atomic_fetch_add(&ctl->slots[worker].grants, 1);
	slot_kick(&ctl->slots[worker]);
}

void ctl_set_vclock(struct ls_ctl *ctl, int64_t ns)
{
	atomic_store(&ctl->vclock, ns);
}
