/* statediff: two settled states side by side, the facts `lockstep
 * --diff` prints and the UI's `d` draws (a broken run beside its fix).
 *
 * A state is described as text, a line per worker and per object: what
 * every pane shows of it (a worker's state, operation, holdings and wait;
 * an object's owner or value, items and waiters). Two descriptions are
 * then paired row by row by name, so a worker only one run has gets a row
 * of its own instead of shifting the rest. Pure: no I/O, no curses.
 */
#ifndef LS_STATEDIFF_H
#define LS_STATEDIFF_H

#include <stddef.h>

#include "model.h"

/* The state as text: "w\tname\tSTATE op(obj) holds A,B waits for C\n" a
 * line per worker, then "o\tname\t..." a line per object (malloc'ed). */
char *statediff_describe(const struct model *m);

/* One row of the table: a name, its words in A and in B (NULL: that run
 * has no such worker or object), pointing into the two descriptions. */
struct sd_row {
	char kind; /* 'w' a worker, 'o' an object */
	const char *name, *a, *b;
	int name_len, a_len, b_len;
	int same;
};

struct sd_table {
	struct sd_row *rows;
	size_t n;
	size_t differ; /* rows that are not the same */
};

/* Pair two descriptions (they must outlive the table): A's rows in A's
 * order, each with B's row of that name, then B's rows A lacks. 0, or -1
 * out of memory. */
int statediff_table(const char *a, const char *b, struct sd_table *t);
void statediff_table_free(struct sd_table *t);

#endif
