/* grade: `lockstep --grade EXERCISE SUBMISSION...`, an exercise a teacher
 * can grade (issue 18; README, "Graded exercises").
 *
 * An exercise file (a small INI, read with libinih) names a scene, its
 * parameters, a goal (goal.h: the same goals the UI lists as challenges and
 * the explorer searches for) and what a student submits. Each submission is
 * checked headless, in this process, on the engine the front ends use; the
 * result is a table (or with --json one object) saying pass or fail, the
 * steps used and why. Never draws.
 */
#ifndef LS_GRADE_H
#define LS_GRADE_H

#include "catalog.h"

/* Exit codes of --grade beside headless.h's (0 every submission passed,
 * 1 error, 2 bad usage or a malformed exercise file). */
enum { LS_EXIT_FAILED = 7 }; /* some submission did not pass */

int grade_main(const struct catalog *cat, const char *exercise, char *const *subs, int nsubs,
               int json);

#endif
