/* bus: pipe writer with thread-local batches, non-blocking reader. */
#include "bus.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define BATCH_AGE_NS 2000000u /* flush a batch older than 2 ms */

static int writer_fd = -1;

struct batch {
	unsigned n;
	uint64_t first_ns;
	struct ls_event ev[LS_BUS_BATCH];
};
static _Thread_local struct batch batch;

int bus_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) != 0)
		return errno;
	/* The pipe is the queue in front of the UI: at full speed every record
	 * waits behind all the pipe holds. 512 KiB (8,192 records, about half
	 * a millisecond of the UI's folding) holds what 1,000 threads write
	 * while the UI draws a frame or gathers (engine_opts.gather_us), so the
	 * writers rarely find it full: each full pipe parks a writer and each
	 * read then wakes one, and with 128 KiB that cost the UI a fifth of its
	 * CPU. 1 MiB let the queue grow to 14 ms at p99 (docs/DESIGN.md).
	 * Back-pressure, never loss. Failure only means the default 64 KiB. */
	(void)fcntl(fds[1], F_SETPIPE_SZ, 1 << 19);
	int fl = fcntl(fds[0], F_GETFL);
	if (fl < 0 || fcntl(fds[0], F_SETFL, fl | O_NONBLOCK) != 0)
		return errno;
	return 0;
}

void bus_writer_init(int fd)
{
	writer_fd = fd;
	batch.n = 0;
}

int bus_writer_fd(void)
{
	return writer_fd;
}

static void write_all(const void *p, size_t n)
{
	/* n <= PIPE_BUF: a blocking write is atomic and complete, or fails */
	for (;;) {
		ssize_t w = write(writer_fd, p, n);
		if (w == (ssize_t)n)
			return;
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			continue; /* only if someone made the fd non-blocking */
		/* EPIPE or worse: the UI is gone; nobody is left to watch */
		_exit(70);
	}
}

void bus_flush(void)
{
	if (batch.n == 0)
		return;
	if (writer_fd >= 0) /* no bus (a test, a bench): nobody to tell */
		write_all(batch.ev, batch.n * sizeof(struct ls_event));
	batch.n = 0;
}

void bus_forget(void)
{
	batch.n = 0;
}

void bus_emit(const struct ls_event *ev)
{
	if (batch.n == 0)
		batch.first_ns = ev->t_ns;
	batch.ev[batch.n++] = *ev;
	if (batch.n == LS_BUS_BATCH || ev->t_ns - batch.first_ns > BATCH_AGE_NS)
		bus_flush();
}

void bus_emit_signal_safe(const struct ls_event *ev)
{
	if (writer_fd >= 0)
		(void)!write(writer_fd, ev, sizeof *ev);
}

void bus_reader_init(struct bus_reader *r, int fd)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
}

/* Deliver every whole record in buf; keep a partial tail. A record that fails
 * validation is counted; if its magic is wrong we have lost alignment, so
 * slide one byte at a time until a plausible record starts again. */
static size_t drain(struct bus_reader *r, bus_cb cb, void *ud)
{
	size_t off = 0, n = 0;
	while (r->len - off >= LS_EV_SIZE) {
		struct ls_event ev;
		enum ls_ev_error e = event_decode(r->buf + off, &ev);
		if (e == LS_EV_OK) {
			cb(ud, &ev);
			r->records++;
			n++;
			off += LS_EV_SIZE;
		} else if (e == LS_EV_BAD_MAGIC) {
			r->bytes_skipped++;
			off += 1;
			/* count a malformed record once per run of garbage */
			if (r->bytes_skipped % LS_EV_SIZE == 1)
				r->malformed++;
		} else {
			r->malformed++;
			off += LS_EV_SIZE;
		}
	}
	memmove(r->buf, r->buf + off, r->len - off);
	r->len -= off;
	return n;
}

size_t bus_feed(struct bus_reader *r, const unsigned char *data, size_t n,
                bus_cb cb, void *ud)
{
	size_t delivered = 0;
	while (n > 0) {
		size_t room = sizeof r->buf - r->len;
		size_t take = n < room ? n : room;
		memcpy(r->buf + r->len, data, take);
		r->len += take;
		data += take;
		n -= take;
		delivered += drain(r, cb, ud);
	}
	return delivered;
}

size_t bus_read(struct bus_reader *r, bus_cb cb, void *ud, size_t max)
{
	size_t delivered = 0;
	while (!r->eof && delivered < max) {
		ssize_t got = read(r->fd, r->buf + r->len, sizeof r->buf - r->len);
		if (got > 0) {
			r->len += (size_t)got;
			delivered += drain(r, cb, ud);
		} else if (got == 0) {
			r->eof = 1;
			if (r->len > 0) { /* a writer died in the middle of a record */
				r->malformed++;
				r->len = 0;
			}
		} else if (errno == EINTR) {
			continue;
		} else {
			break; /* EAGAIN: all read for now */
		}
	}
	return delivered;
}
