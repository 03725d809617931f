/* describe: an event in plain words, for the log pane ("T2 blocked on A,
 * held by T1"), and the deadlock cycle as a sentence for the narration.
 *
 * Called right after the event is folded, so the model shows its effect
 * (who holds the lock now, how full the queue is). Pure: no curses, no I/O.
 */
#ifndef LS_DESCRIBE_H
#define LS_DESCRIBE_H

#include <stddef.h>

#include "analysis.h"
#include "model.h"

/* Writes the sentence and returns its colour role (enum th_role), or -1
 * for events the log leaves out (names, narration chunks). */
int describe_event(const struct model *m, const struct ls_event *ev, char *buf, size_t n);

/* "SIGINT"; "signal 40" for one without a name. A static buffer. */
const char *describe_signal(int sig);

/* A line a scene printed, made safe to show: terminal escape sequences
 * (CSI, OSC, two-byte) and control characters removed. */
void describe_output(const char *in, char *out, size_t n);

/* "T1 waits for B, held by T2; T2 waits for A, held by T1" */
void describe_cycle(const struct model *m, const struct analysis *a, char *buf, size_t n);
/* "T1 → B → T2 → A → T1" (ASCII: "->") */
void describe_cycle_arrows(const struct model *m, const struct analysis *a, int ascii,
                           char *buf, size_t n);

#endif
