/* ipc-compare: the same messages through four IPC mechanisms, timed.
 *
 * For each of pipe, FIFO, POSIX message queue and shared memory guarded by
 * two semaphores, main starts a sender and a receiver process, passes the
 * same `messages` numbers from one to the other, and measures the wall-clock
 * time until both are reaped. The scene runs freely at full speed (it
 * measures real time, so it cannot be stepped). The measured throughput is
 * shown next to the course's comparison: which mechanism needs the program
 * to synchronise, which keeps message boundaries. Every message still passes
 * lockstep's gate and is announced, the same cost for each mechanism, so
 * compare the mechanisms with each other rather than with bare C.
 */
#include <stdio.h>
#include <time.h>

#include "lockstep-scene.h"

#define RING 8

static long count;
static ls_pipe *pp;
static ls_fifo *ff;
static ls_mq *mq;
static ls_array *ring;
static ls_sem *slots, *items;

static int pipe_send(void *a) { (void)a; ls_pipe_close(pp, LS_READ_END); for (long i = 1; i <= count; i++) ls_pipe_write(pp, i); return 0; }
static int pipe_recv(void *a)
{
	(void)a;
	ls_pipe_close(pp, LS_WRITE_END);
	long m, n = 0;
	while (ls_pipe_read(pp, &m))
		n++;
	return n == count ? 0 : 1;
}

static int fifo_send(void *a)
{
	(void)a;
	ls_fifo_open(ff, LS_WRITE_END);
	for (long i = 1; i <= count; i++)
		ls_fifo_write(ff, i);
	ls_fifo_close(ff);
	return 0;
}

static int fifo_recv(void *a)
{
	(void)a;
	ls_fifo_open(ff, LS_READ_END);
	long m, n = 0;
	while (ls_fifo_read(ff, &m))
		n++;
	ls_fifo_close(ff);
	return n == count ? 0 : 1;
}

static int mq_send(void *a) { (void)a; for (long i = 1; i <= count; i++) ls_mq_send(mq, i, 0); return 0; }
static int mq_recv(void *a) { (void)a; for (long i = 1; i <= count; i++) ls_mq_receive(mq, NULL); return 0; }

static int shm_send(void *a)
{
	(void)a;
	for (long i = 1; i <= count; i++) {
		ls_sem_wait(slots);
		ls_array_set(ring, (int)(i % RING), i);
		ls_sem_post(items);
	}
	return 0;
}

static int shm_recv(void *a)
{
	(void)a;
	long bad = 0;
	for (long i = 1; i <= count; i++) {
		ls_sem_wait(items);
		bad += ls_array_get(ring, (int)(i % RING)) != i;
		ls_sem_post(slots);
	}
	return bad != 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long timed(const char *what, int (*snd)(void *), int (*rcv)(void *))
{
	char s[32], r[32];
	snprintf(s, sizeof s, "%s-send", what);
	snprintf(r, sizeof r, "%s-recv", what);
	double t0 = now_s();
	ls_worker ws = ls_spawn(s, snd, NULL, LS_PROCESS);
	ls_worker wr = ls_spawn(r, rcv, NULL, LS_PROCESS);
	if (what[0] == 'p') { /* main's copies of the pipe's ends */
		ls_pipe_close(pp, LS_READ_END | LS_WRITE_END);
	}
	int bad = ls_join(ws) | ls_join(wr);
	double dt = now_s() - t0;
	long rate = dt > 0 ? (long)((double)count / dt) : 0;
	if (bad)
		ls_say(LS_("%s: a message was lost or wrong!"), what);
	return rate;
}

static int run(void)
{
	count = ls_param("messages");
	ls_say(LS_("The same %ld messages through four mechanisms, each between two fresh "
	           "processes, timed on the wall clock."), count);
	pp = ls_pipe_new("pipe");
	ff = ls_fifo_new("fifo");
	mq = ls_mq_new("mq", 10);
	ring = ls_array_new("ring", RING, 0);
	slots = ls_sem_new("slots", RING);
	items = ls_sem_new("items", 0);
	ls_value *vp = ls_value_new("pipe msg/s", 0);
	ls_value *vf = ls_value_new("fifo msg/s", 0);
	ls_value *vm = ls_value_new("mqueue msg/s", 0);
	ls_value *vs = ls_value_new("shm+sem msg/s", 0);
	long rp = timed("pipe", pipe_send, pipe_recv);
	ls_value_write(vp, rp);
	long rf = timed("fifo", fifo_send, fifo_recv);
	ls_value_write(vf, rf);
	long rm = timed("mqueue", mq_send, mq_recv);
	ls_value_write(vm, rm);
	long rs = timed("shm", shm_send, shm_recv);
	ls_value_write(vs, rs);
	ls_say(LS_("mechanism        messages/s   you synchronise?        message boundaries?"));
	ls_say(LS_("pipe             %10ld   no: the kernel does     no: a byte stream"), rp);
	ls_say(LS_("FIFO             %10ld   no: the kernel does     no: a byte stream, with a name"), rf);
	ls_say(LS_("message queue    %10ld   no: the kernel does     yes, with priorities"), rm);
	ls_say(LS_("shm + semaphore  %10ld   yes: two semaphores     none: you lay the memory out"), rs);
	ls_say(LS_("Each message here also passes lockstep's gate and is announced: compare the "
	           "mechanisms with each other. Shared memory copies nothing through the kernel, "
	           "but needs the program to synchronise."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "messages", .type = LS_PARAM_INT, .def = 1000, .min = 10, .max = 100000,
	 .help = LS_N("messages sent through each mechanism")},
	{0},
};

LS_SCENE(.id = "ipc-compare",
         .title = LS_N("Pipe, FIFO, message queue and shared memory, timed"),
         .summary = LS_N(
             "The same messages through a pipe, a FIFO, a POSIX message queue and shared "
             "memory with semaphores, each timed on the wall clock, with the course's "
             "comparison beside the measurements: which needs synchronisation, which keeps "
             "message boundaries."),
         .help = LS_N(
             "It measures real time, so it runs freely at full speed and cannot be stepped. "
             "The table is in the narration, and each rate is a shared value (pipe msg/s...). "
             "Run it twice: the numbers move, the ranking mostly does not."),
         .params = params, .run = run, .flags = LS_SCENE_FREE_RUN);
