/* bus: the pipe that carries event records from workers to the UI.
 *
 * Writer side (scene host and its workers): each thread batches records in a
 * thread-local buffer and sends a batch with one write() of at most PIPE_BUF
 * bytes, so records of many threads and processes never interleave. A batch
 * is flushed when it is full, when it is older than a couple of milliseconds,
 * and always before the writer can block (the probe calls bus_flush before
 * every wait), so a blocked worker's state is always on the screen. A full
 * pipe blocks the writer: back-pressure, never loss.
 *
 * Reader side (UI): non-blocking, reassembles partial records, validates
 * every record and counts what is malformed. Knows nothing of the model.
 */
#ifndef LS_BUS_H
#define LS_BUS_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define LS_BUS_BATCH 64 /* 64 records = 4096 bytes = PIPE_BUF */

/* Make the pipe: [0] read end (O_NONBLOCK, close-on-exec), [1] write end.
 * Grows it to 128 KiB (bus.c says why). Returns 0 or errno. */
int bus_pipe(int fds[2]);

/* ---- writer ---- */
void bus_writer_init(int fd);
int bus_writer_fd(void);
/* Queue one record; may write. Never drops: blocks while the pipe is full. */
void bus_emit(const struct ls_event *ev);
void bus_flush(void);
/* Discard this thread's unsent records (a forked child's inherited copy). */
void bus_forget(void);
/* Write one record now from a signal handler: async-signal-safe. */
void bus_emit_signal_safe(const struct ls_event *ev);

/* ---- reader ---- */
struct bus_reader {
	int fd;
	int eof;
	uint64_t records;   /* valid records delivered */
	uint64_t malformed; /* records that failed validation */
	uint64_t bytes_skipped;
	size_t len;
	/* a read takes what a full pipe holds at once: one wakeup of the
	 * writers it blocked per 128 KiB, not per 8 KiB */
	unsigned char buf[(1u << 17) + LS_EV_SIZE];
};

typedef void (*bus_cb)(void *ud, const struct ls_event *ev);

void bus_reader_init(struct bus_reader *r, int fd);
/* Read what is there (until EAGAIN or max records), call cb for each valid
 * record. Returns records delivered; sets r->eof at end of stream. */
size_t bus_read(struct bus_reader *r, bus_cb cb, void *ud, size_t max);
/* Feed raw bytes (tests, fuzzing, replay): same validation as bus_read. */
size_t bus_feed(struct bus_reader *r, const unsigned char *data, size_t n,
                bus_cb cb, void *ud);

#endif
