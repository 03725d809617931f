/* producer-consumer: producers and consumers share a bounded queue.
 *
 * Each producer puts its items (numbered producer*1000 + n, so order per
 * producer can be checked) into a queue of fixed capacity; consumers take
 * them out. A producer that finds the queue full waits; so does a consumer
 * that finds it empty. When every producer is done, main puts one "stop"
 * marker (-1) per consumer.
 */
#include <stdio.h>

#include "lockstep-scene.h"

#define STOP (-1L)

static ls_queue *q;
static long items;

static int producer(void *arg)
{
	long p = (long)arg;
	for (long n = 1; n <= items; n++) {
		long item = p * 1000 + n;
		ls_queue_put(q, item);
		ls_say(LS_("P%ld put item %ld."), p, item);
	}
	return 0;
}

static int consumer(void *arg)
{
	long c = (long)arg;
	for (;;) {
		long item = ls_queue_get(q);
		if (item == STOP) {
			ls_say(LS_("C%ld got the stop marker and ends."), c);
			return 0;
		}
		ls_say(LS_("C%ld took item %ld (producer %ld's item %ld)."), c, item,
		       item / 1000, item % 1000);
	}
}

static int run(void)
{
	long np = ls_param("producers"), nc = ls_param("consumers");
	items = ls_param("items");
	q = ls_queue_new("buffer", (int)ls_param("capacity"));
	ls_say(LS_("Producers put items into a bounded buffer; consumers take them out. "
	           "A full buffer makes producers wait, an empty one makes consumers wait."));
	ls_worker prod[8], cons[8];
	char name[24];
	for (long i = 0; i < np; i++) {
		snprintf(name, sizeof name, "P%ld", i + 1);
		prod[i] = ls_spawn(name, producer, (void *)(i + 1), LS_THREAD);
	}
	for (long i = 0; i < nc; i++) {
		snprintf(name, sizeof name, "C%ld", i + 1);
		cons[i] = ls_spawn(name, consumer, (void *)(i + 1), LS_THREAD);
	}
	for (long i = 0; i < np; i++)
		ls_join(prod[i]);
	ls_say(LS_("Every producer is done; main puts one stop marker per consumer."));
	for (long i = 0; i < nc; i++)
		ls_queue_put(q, STOP);
	for (long i = 0; i < nc; i++)
		ls_join(cons[i]);
	ls_say(LS_("Every item was consumed exactly once."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "producers", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 8,
	 .help = LS_N("number of producer threads")},
	{.name = "consumers", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 8,
	 .help = LS_N("number of consumer threads")},
	{.name = "capacity", .type = LS_PARAM_INT, .def = 4, .min = 1, .max = 16,
	 .help = LS_N("slots in the buffer")},
	{.name = "items", .type = LS_PARAM_INT, .def = 8, .min = 1, .max = 999,
	 .help = LS_N("items each producer makes")},
	{0},
};

/* Challenges (lockstep-scene.h, "goals") and the moments to predict. */
LS_GOALS({.id = "fill", .value = "buffer", .test = LS_GOAL_FULL,
          .help = LS_N("fill the buffer: every slot taken at once")},
         {.id = "overflow", .test = LS_GOAL_IMPOSSIBLE,
          .help = LS_N("make the buffer overflow: more items than slots"),
          .why = LS_N("put() waits while the buffer is full: it never holds more than its "
                      "capacity")});
LS_PREDICTIONS({.ask = LS_ASK_WAKES, .object = "buffer"}, {.ask = LS_ASK_NEXT, .object = "buffer"});

LS_SCENE(.id = "producer-consumer",
         .title = LS_N("Producers and consumers share a bounded buffer"),
         .summary = LS_N(
             "Producers put items into a buffer of fixed capacity and consumers take "
             "them out. The buffer never holds more than its capacity nor fewer than "
             "zero items; a producer facing a full buffer and a consumer facing an "
             "empty one wait, and are woken when the other side makes room or an item."),
         .help = LS_N(
             "Try capacity=1 to see producers and consumers take turns, or producers=4 "
             "consumers=1 to see the buffer stay full. Each item is numbered "
             "producer*1000+n, so you can check that each producer's items arrive in order."),
         .params = params, .run = run);
