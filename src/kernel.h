/* kernel: what the kernel says about each worker, read from /proc.
 *
 * For every worker the model knows a pid and tid of, read the state letter
 * of /proc/<pid>/task/<tid>/stat (R running, S sleeping, D disk sleep,
 * T stopped, Z zombie, ...) and its wait channel (the kernel function it
 * sleeps in) where readable. This is I/O, so it lives here and never in the
 * model or the analysis. A read costs two small open/read/close per worker:
 * the UI calls kview_refresh_window() from its frame, which re-reads the
 * rows on screen at most once per min_interval and only when the pane is
 * visible; headless reads once at the
 * end (the engine takes kview_read_settled() just before it stops the scene).
 *
 * Reading the two views side by side: a worker lockstep shows BLOCKED or
 * WAITING sleeps in the kernel (S), in a free run inside the real primitive
 * (a futex for a lock), in a controlled run at its gate (also a futex: in step
 * mode every worker waiting for its turn reads S too). A process that has
 * exited and is not yet reaped is a zombie (Z) in both views. A thread that
 * has ended is gone from /proc.
 */
#ifndef LS_KERNEL_H
#define LS_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct kstate {
	char state;     /* the letter from stat; 0 when not known (gone, not started) */
	char wchan[40]; /* "" when it is not sleeping or cannot be read */
	/* the worker as the model had it when this was read: a reading taken
	 * before the worker's last change says nothing about it now */
	int read;
	enum ls_wstate mstate;
	enum ls_gate mgate;
};

/* The kernel's view of one worker beside the model's, for the pane and the
 * summary. A task that has ended (a thread that returned, a reaped process)
 * has no kernel state at all; a reading older than the worker's last change
 * is stale, never shown as if it were now; a task on its way into the wait
 * (or the exit) it announced is not yet a disagreement. */
enum kverdict {
	KV_UNKNOWN = 0, /* not started, or not read */
	KV_GONE,        /* the task has ended: nothing in /proc to ask */
	KV_STALE,       /* read before the worker's last change: re-read due */
	KV_AGREES,      /* what lockstep expects (or it is moving: anything goes) */
	KV_ON_ITS_WAY,  /* still running toward the wait or exit it announced */
	KV_DISAGREES,   /* the kernel contradicts the model: flagged, explained */
};

struct kview {
	int n, cap;
	struct kstate *w;  /* by worker id */
	uint64_t taken_ns; /* when it was read (caller's clock), 0 never */
	int lo, hi;        /* the workers the last reading covered: [lo, hi) */
};

void kview_init(struct kview *kv);
void kview_free(struct kview *kv);
/* Read one thread. Returns 0, or -1 when /proc has no such task. */
int kernel_read(int64_t pid, int64_t tid, struct kstate *out);
/* Read every worker of the model now. */
void kview_read(struct kview *kv, const struct model *m, uint64_t now_ns);
/* Re-read workers lo..hi-1 only (the rows on screen) if the last reading
 * is older than min_interval_ns or covered other rows; 1 if it did. A
 * crowd's reading then costs what its visible rows cost, however many there
 * are. Workers outside the window are left unread. */
int kview_refresh_window(struct kview *kv, const struct model *m, uint64_t now_ns,
                         uint64_t min_interval_ns, int lo, int hi);
/* Read, and re-read for up to budget_ms while a worker is caught between
 * announcing a wait and entering it (lockstep says it waits, the kernel
 * still says R), or between announcing its exit and exiting. */
void kview_read_settled(struct kview *kv, const struct model *m, uint64_t now_ns, int budget_ms);
/* The state letter the kernel should show for this worker now, 0 if any. */
char kernel_expected(const struct model *m, int id);
/* Compare the reading of worker id with the model now. */
enum kverdict kernel_verdict(const struct model *m, const struct kview *kv, int id);
/* KV_DISAGREES in a sentence (translated): what lockstep says, what the
 * kernel says. Returns buf. */
const char *kernel_disagreement(const struct model *m, const struct kview *kv, int id, char *buf,
                                size_t n);
/* "agrees", "gone", ... (JSON words, not translated). */
const char *kernel_verdict_key(enum kverdict v);
/* "sleeping", "zombie", ... (translated); "gone" for 0. */
const char *kernel_state_word(char state);
/* What the two views mean, for the pane and the summary (translated). */
const char *kernel_note(int mode);

#endif
