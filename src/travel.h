/* travel: the terminal UI looking at the past (issue 15).
 *
 * Every record the UI's engine folds is also kept in a history
 * (history.h). The user moves a view back and forth over the steps: the
 * moment viewed is a step's settled state (just before the next step's
 * grant), folded from the nearest snapshot, with its own analysis and its
 * own event log rebuilt as it read then. Nothing here changes the live
 * run; app.c pauses it while the past is viewed. No curses: the banner's
 * words come from here, ui_banner.c draws them.
 */
#ifndef LS_TRAVEL_H
#define LS_TRAVEL_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "history.h"
#include "model.h"
#include "ui.h"

/* A moment one can go back to: a step once it settled (controlled runs),
 * or a tenth of a second of a free run. */
struct tr_moment {
	uint64_t at;    /* records folded then */
	uint64_t step;  /* steps taken by then */
	uint64_t t_ns;  /* the last record's time */
	unsigned marks; /* enum hist_mark: what happened since the moment before */
	int free_run;
};

struct travel {
	struct history *h;
	int on;              /* viewing the past */
	struct tr_moment *mo;
	size_t nmo, capmo;
	size_t cur;          /* the moment viewed */
	unsigned pending;    /* marks since the last moment */
	uint64_t t_first, t_last;
	uint64_t step;       /* the step viewed: the state once it settled */
	uint64_t at;         /* records folded at that moment */
	struct model m;      /* the model then */
	struct analysis an;  /* its analysis */
	int next_worker;     /* the worker the run stepped next from there, -1 */
	struct ui_logline *log; /* the log as it read then (ring of UI_LOG_N) */
	uint64_t nlog;
};

/* The log's lines for records folded again (the past view's log, and the
 * live log's records left undescribed at full speed): each record's words
 * from the model as it was after it, a scene's output put together into
 * its lines as they were printed; line() takes each. */
struct log_describer {
	void (*line)(void *ud, const struct ls_event *ev, int role, const char *text);
	void *ud;
	char out[UI_LOG_TEXT]; /* an output line being put together */
	size_t outlen;
};
/* d: a struct log_describer; the shape history_each() calls */
void log_describe(void *d, const struct model *m, const struct ls_event *ev);

/* 0, or -1 out of memory. max_bytes: the history's limit (0: default). */
int travel_init(struct travel *t, size_t max_bytes);
void travel_free(struct travel *t);
/* A run put aside (kept, not shown): what only a view needs (the log as
 * it read then, some 450 KiB) is given back; viewing it again takes it
 * back. */
void travel_rest(struct travel *t);
/* A new run: forget the past. */
int travel_reset(struct travel *t);
/* After the live fold of ev (m: the live model after it). */
void travel_push(struct travel *t, const struct ls_event *ev, const struct model *m);

/* The state now is a moment to come back to: a step has settled, or
 * (free_run) a tenth of a second went by. The timeline closes a column at
 * the same calls, so moment i is column i. */
void travel_moment(struct travel *t, int free_run);
size_t travel_moments(const struct travel *t);
/* Steps the history holds (GRANTs). */
uint64_t travel_steps(const struct travel *t);
/* Move the view; each returns 0, or -1 when there is nothing there (the
 * view stays). Forward past the last moment is now (t->on becomes 0). */
int travel_back(struct travel *t);
int travel_forward(struct travel *t);
int travel_to(struct travel *t, size_t moment);
/* The next (dir 1) or previous (-1) moment after which a worker blocked
 * or was woken, a signal came, a deadlock formed or a worker ended. */
int travel_mark(struct travel *t, int dir);
void travel_now(struct travel *t);
/* A run kept as a branch has no live "now": its end is shown as a
 * moment of its own (after the last one). 0 or -1. */
int travel_end(struct travel *t);
/* The schedule that re-drives the run up to the state of step k: its
 * grants, the signals lockstep sent, the user's key presses, as
 * --schedule entries (malloc'ed; NULL with why in err if the run cannot be
 * re-driven: it ran freely before that step, or out of memory). An empty
 * string for step 0. */
char *travel_schedule(const struct travel *t, uint64_t k, char *err, size_t errlen);
/* Where two runs part: the first step granted to a different worker (a
 * controlled run is a function of its grants). 0 with *step (1-based)
 * and the worker each granted (-1: that run had ended), or -1 when they
 * grant the same workers throughout. */
int travel_part(const struct travel *a, const struct travel *b, uint64_t *step, int *wa, int *wb);
/* The moment at which step k had settled, or -1. */
long travel_moment_of_step(const struct travel *t, uint64_t k);
/* The model once step k had settled, or the run's last state if it never
 * settled step k (it ended, or is still in it): into out, which is freed
 * first (model_init'ed, or a model), and the step it shows into *shown.
 * 0 or -1. */
int travel_model_at_step(const struct travel *t, uint64_t k, struct model *out, uint64_t *shown);
/* "step 12 of 31", or in a free run "2.3 s of 5.0 s (running freely)" */
const char *travel_position(const struct travel *t, char *buf, size_t n);
/* "viewing step 12 of 31, press . for now" */
const char *travel_banner(const struct travel *t, char *buf, size_t n);

#endif
