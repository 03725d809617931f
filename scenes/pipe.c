/* pipe: two processes talk over pipe() in both directions, as Pipe() does.
 *
 * main makes two pipes, A->B and B->A, and forks A and B; each process
 * closes the ends it does not use. A sends each message and waits for B's
 * reply; B answers message m with m*10. When A is done it closes its write
 * end: B's next read gets end-of-file, B closes its own write end, and A's
 * last read gets end-of-file too. A reader of an empty pipe is WAITING on
 * it. With close_unused=no main keeps its copies of the write ends, so no
 * reader ever sees end-of-file: main waits to join A, A waits on a pipe
 * whose write end main holds, a deadlock, the classic mistake.
 */
#include "lockstep-scene.h"

static ls_pipe *ab, *ba;
static long count;
static int closing;

static int side_a(void *arg)
{
	(void)arg;
	if (closing) {
		ls_pipe_close(ab, LS_READ_END);
		ls_pipe_close(ba, LS_WRITE_END);
	}
	for (long m = 1; m <= count; m++) {
		ls_pipe_write(ab, m);
		ls_say(LS_("A wrote %ld."), m);
		long r;
		if (!ls_pipe_read(ba, &r)) {
			ls_say(LS_("A: end-of-file before the reply!"));
			return 1;
		}
		ls_say(LS_("A read the reply %ld."), r);
	}
	ls_say(LS_("A closes its write end: B will read end-of-file."));
	ls_pipe_close(ab, LS_WRITE_END);
	long r;
	if (!ls_pipe_read(ba, &r))
		ls_say(LS_("A read end-of-file: B has closed its write end too."));
	return 0;
}

static int side_b(void *arg)
{
	(void)arg;
	if (closing) {
		ls_pipe_close(ab, LS_WRITE_END);
		ls_pipe_close(ba, LS_READ_END);
	}
	long m;
	while (ls_pipe_read(ab, &m)) {
		ls_say(LS_("B read %ld and replies %ld."), m, m * 10);
		ls_pipe_write(ba, m * 10);
	}
	ls_say(LS_("B read end-of-file: no write end of A->B is open anywhere. B closes its write end."));
	ls_pipe_close(ba, LS_WRITE_END);
	return 0;
}

static int run(void)
{
	count = ls_param("messages");
	closing = ls_param("close_unused") == 0;
	ls_say(LS_("main makes two pipes, A->B and B->A: together a duplex Pipe()."));
	ab = ls_pipe_new("A->B");
	ba = ls_pipe_new("B->A");
	ls_worker a = ls_spawn("A", side_a, NULL, LS_PROCESS);
	ls_worker b = ls_spawn("B", side_b, NULL, LS_PROCESS);
	if (closing) {
		ls_say(LS_("Every process holds every end after fork: main closes all of its own."));
		ls_pipe_close(ab, LS_READ_END | LS_WRITE_END);
		ls_pipe_close(ba, LS_READ_END | LS_WRITE_END);
	} else {
		ls_say(LS_("close_unused=no: main keeps its ends, so no reader will see end-of-file."));
	}
	ls_join(a);
	ls_join(b);
	ls_say(LS_("Both processes are done and reaped."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "messages", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 50,
	 .help = LS_N("messages A sends")},
	{.name = "close_unused", .type = LS_PARAM_CHOICE, .def = 0, .choices = "yes|no",
	 .help = LS_N("each process closes the ends it does not use")},
	{0},
};

LS_SCENE(.id = "pipe",
         .title = LS_N("Two processes talk over pipes, both ways"),
         .summary = LS_N(
             "A pipe has a read end and a write end, and fork copies both into the child. "
             "Two pipes make a duplex channel like multiprocessing.Pipe(). Messages arrive "
             "in order; a reader of an empty pipe waits; when the last write end closes, "
             "the reader gets end-of-file."),
         .help = LS_N(
             "Each pipe shows its buffered messages and which process holds which end. "
             "Step B first to see it WAITING on the empty pipe A->B. With "
             "--param close_unused=no main keeps its write ends: no reader sees end-of-file, "
             "and main (joining A) and A (reading a pipe whose write end main holds) "
             "deadlock, which is why every process closes what it does not use."),
         .params = params, .run = run);
