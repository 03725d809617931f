/* fifo: two unrelated processes use a named pipe (mkfifo).
 *
 * main makes the FIFO at /tmp/lockstep-<pid>-channel and starts a writer
 * and a reader that share no descriptor: each opens the FIFO by its name.
 * Opening for reading waits for a writer, and opening for writing waits for
 * a reader. The writer sends its messages and closes; the reader reads them
 * in order, then end-of-file. The FIFO is removed when the scene ends,
 * however it ends (stopped, restarted, the host killed).
 */
#include "lockstep-scene.h"

static ls_fifo *f;
static long count;

static int writer(void *arg)
{
	(void)arg;
	ls_fifo_open(f, LS_WRITE_END);
	ls_say(LS_("writer opened %s for writing."), ls_fifo_path(f));
	for (long m = 1; m <= count; m++)
		ls_fifo_write(f, m * 100);
	ls_say(LS_("writer wrote %ld messages and closes."), count);
	ls_fifo_close(f);
	return 0;
}

static int reader(void *arg)
{
	(void)arg;
	ls_fifo_open(f, LS_READ_END);
	ls_say(LS_("reader opened the FIFO: a writer is there too."));
	long m, n = 0;
	while (ls_fifo_read(f, &m)) {
		n++;
		ls_say(LS_("reader read %ld."), m);
	}
	ls_say(LS_("reader read end-of-file after %ld messages: the writer closed."), n);
	ls_fifo_close(f);
	return 0;
}

static int run(void)
{
	count = ls_param("messages");
	f = ls_fifo_new("channel");
	ls_say(LS_("main made the FIFO %s: a pipe with a name in the file system."), ls_fifo_path(f));
	ls_worker r = ls_spawn("reader", reader, NULL, LS_PROCESS);
	ls_worker w = ls_spawn("writer", writer, NULL, LS_PROCESS);
	ls_join(w);
	ls_join(r);
	ls_say(LS_("Both are done. The FIFO file is removed with the scene."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "messages", .type = LS_PARAM_INT, .def = 4, .min = 1, .max = 50,
	 .help = LS_N("messages the writer sends")},
	{0},
};

LS_SCENE(.id = "fifo",
         .title = LS_N("Two unrelated processes meet at a named FIFO"),
         .summary = LS_N(
             "A FIFO (mkfifo) is a pipe with a name: processes that share no descriptor open "
             "it by its path. Opening it for reading waits for a writer and the other way "
             "round; then it behaves as a pipe: messages in order, end-of-file when the "
             "writer closes. The file is removed when the scene ends, however it ends."),
         .help = LS_N(
             "Step the reader first: its open waits (WAITING on the FIFO) until the writer "
             "opens the other end. The FIFO's path is shown in the narration; look at it "
             "with ls -l /tmp while the scene runs (type p)."),
         .params = params, .run = run);
