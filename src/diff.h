/* diff: `lockstep --diff A.rec B.rec`: where two recorded runs part.
 *
 * Folds both recordings and compares their settled states step by step
 * (what every pane shows: each worker's state, operation, holdings and
 * wait; each object's owner, value, waiters and items). Prints the last
 * step they share, the first where they differ with who moved in each,
 * and the two states side by side there; then how each run ended. Exit
 * status as diff(1): 0 the same, 1 they differ (or a file is damaged:
 * one line on stderr says where), 2 bad usage.
 */
#ifndef LS_DIFF_H
#define LS_DIFF_H

#include <stdio.h>

int diff_recordings(const char *a, const char *b, FILE *out);

#endif
