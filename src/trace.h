/* trace: a run as Chrome trace-event JSON (--export-trace=FILE), which
 * Perfetto and chrome://tracing open.
 *
 * Fed every record after the model folded it, in fold order (a live
 * headless run or a replay). Each worker is a track (a thread named after
 * it, in a process named after the worker process it lives in); its
 * states are complete events ("X") named RUNNABLE, BLOCKED...; holding a
 * lock or a semaphore's unit is an async span ("b"/"e") on the holder;
 * semaphore values and queue lengths are counters ("C"); a signal sent or
 * delivered is an instant ("i"), and so is the moment lockstep narrates a
 * deadlock or a stall; a release that lets another worker acquire is a
 * flow arrow ("s" to "f"). Every span that opens is closed, at the end if
 * need be. Timestamps are the records' own, in microseconds from the first.
 */
#ifndef LS_TRACE_H
#define LS_TRACE_H

#include <stddef.h>

#include "model.h"

struct trace;

/* NULL with the reason in err. trace_open (--export-trace) replaces a
 * file that exists and may name a pipe or a device, but a FIFO nobody
 * reads is refused at once, never waited on; trace_create (the UI) takes
 * a regular file only, and replaces one only if `replace`. */
struct trace *trace_open(const char *path, char *err, size_t errlen);
struct trace *trace_create(const char *path, int replace, char *err, size_t errlen);
void trace_event(struct trace *t, const struct model *m, const struct ls_event *ev);
/* Close what is open, write the names, close the file. 0, or -1 with why
 * in err (a write failed). */
int trace_close(struct trace *t, const struct model *m, char *err, size_t errlen);

#endif
