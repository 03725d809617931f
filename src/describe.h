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

/* What worker id waits for, for the workers pane ("an item in Q
 * (empty)", "nothing now (woken by A)"): returns its colour role, or -1
 * when it waits for nothing (buf untouched). */
int describe_waits(const struct model *m, int id, char *buf, size_t n);

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

/* The four Coffman conditions, for the conditions pane. Each has a
 * definition that does not change; mutual exclusion and no preemption are
 * properties of the resources (a mutex is exclusive and only its owner
 * releases it, whatever the moment), hold-and-wait and circular wait of
 * what the workers do. Separately, the present state shows it or not, with
 * its witness. */
const char *describe_cond_definition(enum an_cond c);
/* Which of this scene's resources have the property (mutual exclusion, no
 * preemption); "" for the other two conditions. Returns buf. */
const char *describe_cond_resources(const struct model *m, enum an_cond c, char *buf, size_t n);
/* Whether the present state shows it: "Now: T1 owns A, and T2 waits for
 * it." Returns buf. */
const char *describe_cond_now(const struct model *m, const struct analysis *a, enum an_cond c,
                              int ascii, char *buf, size_t n);

/* "Why?" on a row (the UI's y, headless --explain): why a worker (or an
 * object, is_object) is in its state, what it waits for and who could
 * release it (the wait-for graph), whether it is in the deadlock, and what
 * stepping each worker that could move would do now ("if you step T2 now,
 * it blocks on A, held by T1: that closes the circle, a deadlock"). Lines
 * separated by '\n'. Returns buf. */
const char *describe_why(const struct model *m, const struct analysis *a, int is_object, int id,
                         char *buf, size_t n);

#endif
