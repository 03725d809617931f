/* check: the invariants every pane relies on, as code.
 *
 * The panes draw the model and the analysis side by side; if these hold,
 * no two of them can contradict each other. model_check() looks at the
 * model alone and may run after every record; analysis_check() looks at an
 * analysis of that model. Each returns 0 when all hold, or 1 with the first
 * broken invariant and the state it saw, in words, in why. Pure: no I/O.
 *
 * The engine runs both after every record and every analysis when
 * LOCKSTEP_CHECK=1 (the tests always set it); a violation ends the run with
 * the record, the invariant and the state, exit code 1. */
#ifndef LS_CHECK_H
#define LS_CHECK_H

#include <stddef.h>

#include "analysis.h"
#include "model.h"

int model_check(const struct model *m, char *why, size_t n);
int analysis_check(const struct model *m, const struct analysis *a, char *why, size_t n);

#endif
