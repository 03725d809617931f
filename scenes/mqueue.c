/* mqueue: a POSIX message queue with priorities between two processes.
 *
 * main opens /lockstep-<pid>-mq (mq_open) and starts a sender and a
 * receiver. The receiver first sleeps, so the sender fills the queue; then
 * it receives: the highest priority first, equal priorities in the order
 * sent. The queue is unlinked when the scene ends, however it ends.
 */
#include "lockstep-scene.h"

static ls_mq *q;
static long count;

static const unsigned prios[] = {1, 5, 1, 9, 5, 0, 9, 3, 1, 7};

static int sender(void *arg)
{
	(void)arg;
	for (long i = 0; i < count; i++) {
		unsigned pr = prios[i % 10];
		ls_mq_send(q, i + 1, pr);
		ls_say(LS_("sender sent message %ld with priority %u."), i + 1, pr);
	}
	return 0;
}

static int receiver(void *arg)
{
	(void)arg;
	ls_say(LS_("receiver waits a moment before it reads."));
	ls_sleep_ms(100);
	for (long i = 0; i < count; i++) {
		unsigned pr;
		long m = ls_mq_receive(q, &pr);
		ls_say(LS_("receiver got message %ld (priority %u)."), m, pr);
	}
	return 0;
}

static int run(void)
{
	count = ls_param("messages");
	q = ls_mq_new("mq", (int)ls_param("capacity"));
	ls_say(LS_("main opened a POSIX message queue: higher priorities are received first."));
	ls_worker s = ls_spawn("sender", sender, NULL, LS_PROCESS);
	ls_worker r = ls_spawn("receiver", receiver, NULL, LS_PROCESS);
	ls_join(s);
	ls_join(r);
	ls_say(LS_("Done; the queue is unlinked (mq_unlink) with the scene."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "messages", .type = LS_PARAM_INT, .def = 8, .min = 1, .max = 30,
	 .help = LS_N("messages sent")},
	{.name = "capacity", .type = LS_PARAM_INT, .def = 10, .min = 1, .max = 10,
	 .help = LS_N("messages the queue holds (the system allows 10)")},
	{0},
};

LS_SCENE(.id = "mqueue",
         .title = LS_N("A POSIX message queue with priorities"),
         .summary = LS_N(
             "A message queue keeps message boundaries and orders by priority: the receiver "
             "always gets the highest-priority message waiting, and messages of equal "
             "priority in the order they were sent. A full queue makes the sender wait."),
         .help = LS_N(
             "The queue pane shows its messages with their priorities, highest first. Try "
             "--param capacity=2 to see the sender wait on a full queue."),
         .params = params, .run = run);
