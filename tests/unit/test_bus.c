/* Unit tests: the bus reader's reassembly and validation, and the real pipe
 * under several writer threads (also run under TSan): zero loss, no
 * interleaving, checked by sequence number. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bus.h"

struct sink {
	size_t n;
	uint32_t last_seq;
	unsigned char *seen;
	size_t dup;
};

static void count(void *ud, const struct ls_event *ev)
{
	struct sink *s = ud;
	s->n++;
	s->last_seq = ev->seq;
	if (s->seen) {
		if (s->seen[ev->seq])
			s->dup++;
		s->seen[ev->seq] = 1;
	}
}

static struct ls_event rec(uint32_t seq)
{
	struct ls_event ev;
	event_init(&ev, LS_EV_WANT, seq, seq, 0, -1);
	ev.u.a[0] = LS_OP_LOCK;
	return ev;
}

static void partial_records_are_reassembled(void **state)
{
	(void)state;
	struct bus_reader r;
	bus_reader_init(&r, -1);
	struct sink s = {0};
	struct ls_event evs[3] = {rec(1), rec(2), rec(3)};
	const unsigned char *p = (const unsigned char *)evs;
	/* feed in odd-sized pieces */
	size_t cuts[] = {10, 60, 1, 100, 21};
	size_t off = 0;
	for (size_t i = 0; i < 5; i++) {
		bus_feed(&r, p + off, cuts[i], count, &s);
		off += cuts[i];
	}
	assert_int_equal(off, sizeof evs);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.last_seq, 3);
	assert_int_equal(r.malformed, 0);
}

/* A writer that dies in the middle of a record leaves a piece of one at the
 * end of the bus: it is counted, not silently dropped. */
static void truncated_last_record_is_malformed(void **state)
{
	(void)state;
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	struct ls_event evs[2] = {rec(1), rec(2)};
	assert_int_equal(write(fd[1], evs, sizeof evs[0] + 20), (ssize_t)(sizeof evs[0] + 20));
	close(fd[1]);
	struct bus_reader r;
	bus_reader_init(&r, fd[0]);
	struct sink s = {0};
	while (!r.eof)
		bus_read(&r, count, &s, 100);
	assert_int_equal(s.n, 1);
	assert_int_equal(r.malformed, 1);
	close(fd[0]);
}

static void garbage_is_counted_and_skipped(void **state)
{
	(void)state;
	struct bus_reader r;
	bus_reader_init(&r, -1);
	struct sink s = {0};
	unsigned char junk[64 * 3 + 5];
	memset(junk, 0xab, sizeof junk);
	struct ls_event a = rec(1), bad = rec(2), b = rec(3);
	bad.type = 200; /* aligned but invalid: counted, skipped whole */
	bus_feed(&r, (const unsigned char *)&a, sizeof a, count, &s);
	bus_feed(&r, (const unsigned char *)&bad, sizeof bad, count, &s);
	bus_feed(&r, junk, sizeof junk, count, &s); /* misaligned garbage */
	bus_feed(&r, (const unsigned char *)&b, sizeof b, count, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.last_seq, 3);
	assert_true(r.malformed >= 2);
}

#define WRITERS 4
#define PER_WRITER 50000

static int wfd;
static _Atomic uint32_t next_seq;

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < PER_WRITER; i++) {
		struct ls_event ev = rec(atomic_fetch_add(&next_seq, 1));
		bus_emit(&ev);
	}
	bus_flush();
	return NULL;
}

static void many_writers_lose_nothing(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(bus_pipe(fds), 0);
	wfd = fds[1];
	bus_writer_init(wfd);
	pthread_t th[WRITERS];
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, writer, NULL), 0);
	struct bus_reader r;
	bus_reader_init(&r, fds[0]);
	struct sink s = {0};
	s.seen = calloc(WRITERS * PER_WRITER, 1);
	size_t total = (size_t)WRITERS * PER_WRITER;
	int joined = 0;
	while (!r.eof) {
		bus_read(&r, count, &s, 1u << 20);
		if (!joined && s.n + 64 * WRITERS >= total) {
			for (int i = 0; i < WRITERS; i++)
				pthread_join(th[i], NULL);
			joined = 1;
			close(wfd); /* all flushed: EOF follows the last record */
		}
		if (!r.eof) {
			struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
			poll(&pfd, 1, 1000);
		}
	}
	assert_int_equal(s.n, total);
	assert_int_equal(s.dup, 0);
	assert_int_equal(r.malformed, 0);
	for (size_t i = 0; i < total; i++)
		assert_int_equal(s.seen[i], 1);
	free(s.seen);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(partial_records_are_reassembled),
		cmocka_unit_test(garbage_is_counted_and_skipped),
		cmocka_unit_test(truncated_last_record_is_malformed),
		cmocka_unit_test(many_writers_lose_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
