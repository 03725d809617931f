/* ipc-compare: the same messages through four IPC mechanisms, timed, at a
 * small and a large message size.
 *
 * For each of pipe, FIFO, POSIX message queue and shared memory guarded by
 * two semaphores, and for messages of 64 B and of 64 KiB, main starts a
 * sender and a receiver process, and the sender passes `messages` messages
 * to the receiver. The scene runs freely at full speed (it measures real
 * time, so it cannot be stepped).
 *
 * What is timed is the bare mechanism: inside the loop the two processes
 * call write/read, mq_send/mq_receive, or sem_wait/memcpy/sem_post directly,
 * with no gate and no announcement per message (an announcement costs a
 * write to lockstep's bus, more than a small message itself, the same for
 * every mechanism, and it hid the lesson). The transfer is announced as a
 * whole: the two processes start and end as workers, and main says what
 * moves. The clock starts when both ends are ready and stops when the last
 * message has been read, so starting the processes is not counted.
 *
 * Every resource is made so that nothing outlives the scene: the pipe and
 * the shared memory are anonymous, the FIFO is lockstep's (swept by name),
 * the message queue is unlinked as soon as main has opened it (the two
 * processes inherit its descriptor).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lockstep-scene.h"

#define RING 16             /* shared memory: slots in the ring */
#define MQ_CHUNK 8192       /* msgsize_max for an unprivileged user */
#define SMALL 64
#define LARGE (64 * 1024)

enum mech { M_PIPE, M_FIFO, M_MQ, M_SHM, NMECH };
static const char *const mech_name[NMECH] = {"pipe", "FIFO", "mqueue", "shm+sem"};

/* One transfer, in memory both processes of the pair share. */
struct bench {
	enum mech mech;
	size_t size;
	long count;
	int fd[2];          /* pipe */
	mqd_t mq;           /* message queue */
	const char *fifo;   /* FIFO's path */
	sem_t go;           /* the receiver is ready */
	sem_t opened;       /* the sender is ready too: the clock runs */
	sem_t slots, items; /* shared memory: free and full slots */
	double t0, t1;      /* CLOCK_MONOTONIC, seconds */
	long bad;           /* messages lost, out of order or wrong */
	char err[128];      /* the call that failed, if one did */
	unsigned char ring[]; /* shared memory: RING slots of size bytes */
};

static ls_fifo *ff;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(struct bench *b, const char *call)
{
	snprintf(b->err, sizeof b->err, "%s: %s", call, strerror(errno));
	return 1;
}

/* Message i: its number at both ends, so a receiver sees loss and tearing. */
static void stamp(unsigned char *m, size_t size, long i)
{
	memcpy(m, &i, sizeof i);
	memcpy(m + size - sizeof i, &i, sizeof i);
}

static int stamped(const unsigned char *m, size_t size, long i)
{
	long a, z;
	memcpy(&a, m, sizeof a);
	memcpy(&z, m + size - sizeof z, sizeof z);
	return a == i && z == i;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* A peer that died would leave the other waiting for ever: no wait here
 * is longer than GIVE_UP seconds. */
#define GIVE_UP 30

static struct timespec deadline(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	ts.tv_sec += GIVE_UP;
	return ts;
}

static int wait_sem(sem_t *s)
{
	if (sem_trywait(s) == 0)
		return 0;
	struct timespec dl = deadline(CLOCK_MONOTONIC);
	while (sem_clockwait(s, CLOCK_MONOTONIC, &dl) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static int send_all(struct bench *b, int fd, unsigned char *m)
{
	struct timespec dl;
	for (long i = 0; i < b->count; i++) {
		if (i % 256 == 0)
			dl = deadline(CLOCK_REALTIME); /* for mq_timedsend */
		stamp(m, b->size, i);
		switch (b->mech) {
		case M_PIPE:
		case M_FIFO:
			if (write_all(fd, m, b->size) != 0)
				return fail(b, "write");
			break;
		case M_MQ:
			for (size_t off = 0; off < b->size; off += MQ_CHUNK) {
				size_t n = b->size - off < MQ_CHUNK ? b->size - off : MQ_CHUNK;
				while (mq_timedsend(b->mq, (const char *)m + off, n, 0, &dl) != 0)
					if (errno != EINTR)
						return fail(b, "mq_send");
			}
			break;
		case M_SHM:
			if (wait_sem(&b->slots) != 0)
				return fail(b, "sem_wait");
			memcpy(b->ring + (size_t)(i % RING) * b->size, m, b->size);
			sem_post(&b->items);
			break;
		default:
			break;
		}
	}
	return 0;
}

static int sender(void *arg)
{
	struct bench *b = arg;
	int fd = -1, r = 1;
	unsigned char *m = malloc(b->size);
	if (!m)
		return fail(b, "malloc");
	if (b->mech == M_PIPE)
		close(b->fd[0]);
	fd = b->mech == M_PIPE ? b->fd[1] : -1;
	/* the receiver has the FIFO open by now: this open does not wait */
	if (wait_sem(&b->go) != 0)
		fail(b, "sem_wait");
	else if (b->mech == M_FIFO && (fd = open(b->fifo, O_WRONLY)) < 0)
		fail(b, "open");
	else {
		b->t0 = now_s();
		sem_post(&b->opened);
		r = send_all(b, fd, m);
	}
	if (fd >= 0)
		close(fd);
	free(m);
	return r;
}

static int receive_all(struct bench *b, int fd, unsigned char *m)
{
	struct timespec dl;
	for (long i = 0; i < b->count; i++) {
		if (i % 256 == 0)
			dl = deadline(CLOCK_REALTIME); /* for mq_timedreceive */
		switch (b->mech) {
		case M_PIPE:
		case M_FIFO:
			if (read_all(fd, m, b->size) != 0)
				return fail(b, "read");
			break;
		case M_MQ:
			for (size_t off = 0; off < b->size; off += MQ_CHUNK) {
				char chunk[MQ_CHUNK];
				ssize_t n;
				while ((n = mq_timedreceive(b->mq, chunk, sizeof chunk, NULL, &dl)) < 0)
					if (errno != EINTR)
						return fail(b, "mq_receive");
				memcpy(m + off, chunk, (size_t)n);
			}
			break;
		case M_SHM:
			if (wait_sem(&b->items) != 0)
				return fail(b, "sem_wait");
			memcpy(m, b->ring + (size_t)(i % RING) * b->size, b->size);
			sem_post(&b->slots);
			break;
		default:
			break;
		}
		b->bad += !stamped(m, b->size, i);
	}
	b->t1 = now_s();
	return 0;
}

static int receiver(void *arg)
{
	struct bench *b = arg;
	int fd = -1, r = 1;
	unsigned char *m = malloc(b->size);
	if (!m)
		return fail(b, "malloc");
	if (b->mech == M_PIPE) {
		close(b->fd[1]);
		fd = b->fd[0];
	} else if (b->mech == M_FIFO) {
		/* open without waiting for a writer, then read blocking; the
		 * first read waits until the sender has opened its end */
		fd = open(b->fifo, O_RDONLY | O_NONBLOCK);
		if (fd < 0 || fcntl(fd, F_SETFL, 0) != 0) {
			if (fd >= 0)
				close(fd);
			free(m);
			return fail(b, "open");
		}
	}
	sem_post(&b->go);
	if (wait_sem(&b->opened) != 0)
		fail(b, "sem_wait");
	else
		r = receive_all(b, fd, m);
	if (fd >= 0)
		close(fd);
	free(m);
	return r;
}

/* One transfer between two fresh processes; messages per second, 0 if it
 * failed (and says why). */
static long timed(enum mech k, size_t size, long count)
{
	size_t len = sizeof(struct bench) + (k == M_SHM ? (size_t)RING * size : 0);
	struct bench *b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED) {
		ls_say(LS_("%s: mmap failed: %s"), mech_name[k], strerror(errno));
		return 0;
	}
	memset(b, 0, sizeof *b);
	b->mech = k;
	b->size = size;
	b->count = count;
	b->fd[0] = b->fd[1] = -1;
	b->mq = (mqd_t)-1;
	b->fifo = ls_fifo_path(ff);
	sem_init(&b->go, 1, 0);
	sem_init(&b->opened, 1, 0);
	sem_init(&b->slots, 1, RING);
	sem_init(&b->items, 1, 0);
	int ok = 1;
	if (k == M_PIPE && pipe(b->fd) != 0)
		ok = !fail(b, "pipe");
	if (k == M_MQ) {
		char name[64];
		struct mq_attr at = {.mq_maxmsg = 10, .mq_msgsize = (long)(size < MQ_CHUNK ? size : MQ_CHUNK)};
		snprintf(name, sizeof name, "/lockstep-%ld-bench", (long)getpid());
		b->mq = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &at);
		if (b->mq == (mqd_t)-1)
			ok = !fail(b, "mq_open");
		else
			mq_unlink(name); /* the pair inherits the descriptor: no name is left */
	}
	char s[32], r[32];
	/* short enough for the workers pane: pipe-64B-tx, shm-64K-rx */
	static const char *const shortname[NMECH] = {"pipe", "fifo", "mq", "shm"};
	const char *sz = size >= 1024 ? "64K" : "64B";
	snprintf(s, sizeof s, "%s-%s-tx", shortname[k], sz);
	snprintf(r, sizeof r, "%s-%s-rx", shortname[k], sz);
	int bad = 0;
	if (ok) {
		ls_worker ws = ls_spawn(s, sender, b, LS_PROCESS);
		ls_worker wr = ls_spawn(r, receiver, b, LS_PROCESS);
		if (k == M_PIPE) { /* main's copies: the reader must see end-of-file */
			close(b->fd[0]);
			close(b->fd[1]);
		}
		bad = ls_join(ws) | ls_join(wr);
	}
	if (k == M_MQ && b->mq != (mqd_t)-1)
		mq_close(b->mq);
	long rate = 0;
	if (b->err[0])
		ls_say(LS_("%s: %s"), mech_name[k], b->err);
	else if (bad || b->bad)
		ls_say(LS_("%s: a message was lost or wrong!"), mech_name[k]);
	else if (b->t1 > b->t0)
		rate = (long)((double)count / (b->t1 - b->t0));
	sem_destroy(&b->go);
	sem_destroy(&b->opened);
	sem_destroy(&b->slots);
	sem_destroy(&b->items);
	munmap(b, len);
	return rate;
}

/* A rate in three figures, so the table fits a narrow narration pane:
 * 2.24M, 37.5k, 775k, 950. */
static void rate_text(long r, char *buf, size_t n)
{
	if (r >= 1000000)
		snprintf(buf, n, "%.2fM", (double)r / 1e6);
	else if (r >= 100000)
		snprintf(buf, n, "%.0fk", (double)r / 1e3);
	else if (r >= 1000)
		snprintf(buf, n, "%.1fk", (double)r / 1e3);
	else
		snprintf(buf, n, "%ld", r);
}

static int run(void)
{
	long count = ls_param("messages");
	static const size_t sizes[2] = {SMALL, LARGE};
	static const char *const size_names[2] = {"64 B", "64 KiB"};
	static const char *const value_names[2][NMECH] = {
	    {"64B pipe msg/s", "64B fifo msg/s", "64B mq msg/s", "64B shm msg/s"},
	    {"64K pipe msg/s", "64K fifo msg/s", "64K mq msg/s", "64K shm msg/s"},
	};
	ff = ls_fifo_new("fifo");
	ls_value *v[2][NMECH];
	for (int z = 0; z < 2; z++)
		for (int k = 0; k < NMECH; k++)
			v[z][k] = ls_value_new(value_names[z][k], 0);
	ls_say(LS_("The same %ld messages through four mechanisms, at 64 B and at 64 KiB, each "
	           "between two fresh processes. Only the transfer is announced, not each "
	           "message: what is timed is the mechanism itself."), count);
	long rate[2][NMECH];
	for (int z = 0; z < 2; z++) {
		ls_say(LS_("%s messages: pipe, FIFO, message queue, then shared memory."), size_names[z]);
		for (int k = 0; k < NMECH; k++) {
			rate[z][k] = timed((enum mech)k, sizes[z], count);
			ls_value_write(v[z][k], rate[z][k]);
		}
	}
	ls_say(LS_("Pipe and FIFO: the kernel synchronises; a byte stream, no message boundaries "
	           "(a FIFO has a name in the file system)."));
	ls_say(LS_("Message queue: the kernel synchronises; it keeps message boundaries, with "
	           "priorities (8 KiB a message at most here)."));
	ls_say(LS_("Shared memory: you synchronise (here with two semaphores) and you lay the "
	           "memory out yourself."));
	ls_say(LS_("A pipe, a FIFO and a message queue copy each message into the kernel and out "
	           "again, with a system call each way; shared memory copies it once into memory "
	           "both processes see, and a semaphore costs a system call only when one side "
	           "must sleep. Small messages are ruled by the system calls, large ones by the "
	           "copying, where shared memory pulls ahead. Run it twice: the numbers move, "
	           "the ranking mostly does not."));
	/* the table last, so it is what the narration shows at the end */
	ls_say(LS_("msg/s   pipe   FIFO   mqueue shm+sem fastest"));
	for (int z = 0; z < 2; z++) {
		int best = 0;
		char t[NMECH][32];
		for (int k = 0; k < NMECH; k++) {
			rate_text(rate[z][k], t[k], sizeof t[k]);
			if (rate[z][k] > rate[z][best])
				best = k;
		}
		ls_say(LS_("%-7s %-6s %-6s %-6s %-7s %s"), size_names[z], t[M_PIPE], t[M_FIFO], t[M_MQ],
		       t[M_SHM], mech_name[best]);
	}
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "messages", .type = LS_PARAM_INT, .def = 10000, .min = 10, .max = 100000,
	 .help = LS_N("messages sent through each mechanism, at each size")},
	{0},
};

LS_SCENE(.id = "ipc-compare",
         .title = LS_N("Pipe, FIFO, message queue and shared memory, timed"),
         .summary = LS_N(
             "The same messages through a pipe, a FIFO, a POSIX message queue and shared "
             "memory with semaphores, at 64 B and at 64 KiB, each timed on the wall clock, "
             "with the course's comparison beside the measurements: which needs "
             "synchronisation, which keeps message boundaries."),
         .help = LS_N(
             "It measures real time, so it runs freely at full speed and cannot be stepped. "
             "Each pair of processes moves its messages with the bare system calls: the "
             "transfer is announced, not each message. The table is in the narration, and "
             "each rate is a shared value (64B pipe msg/s...). Run it twice: the numbers "
             "move, the ranking mostly does not."),
         .params = params, .run = run, .flags = LS_SCENE_FREE_RUN);
