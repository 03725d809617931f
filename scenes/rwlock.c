/* rwlock: readers share a read-write lock, a writer has it alone.
 *
 * kind=share: several readers read a table together while a writer waits
 * for every one of them to leave; then the writer has it alone and the
 * readers who come back wait for it. This is glibc's default rwlock, which
 * prefers readers: a reader gets in whenever no writer holds the lock, even
 * while a writer waits, so a stream of readers can keep a writer out.
 * kind=deadlock: two workers each read one table and then want to write the
 * other: each writer waits for the other's read hold, a cycle.
 * use=process runs the workers as processes over the same process-shared
 * lock.
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_rwlock *rw, *rw2;
static long rounds;

static int reader(void *arg)
{
	(void)arg;
	const char *me = ls_worker_name(ls_self());
	for (long r = 0; r < rounds; r++) {
		ls_rwlock_rdlock(rw);
		ls_say(LS_("%s reads the table; other readers may read with it."), me);
		ls_work_ms(20);
		ls_rwlock_unlock(rw);
	}
	return 0;
}

static int writer(void *arg)
{
	(void)arg;
	const char *me = ls_worker_name(ls_self());
	for (long r = 0; r < rounds; r++) {
		ls_rwlock_wrlock(rw);
		ls_say(LS_("%s writes the table alone: no reader and no other writer is in."), me);
		ls_work_ms(20);
		ls_rwlock_unlock(rw);
	}
	return 0;
}

/* arg 0: reads A then wants to write B; 1: reads B then wants to write A */
static int crosser(void *arg)
{
	long i = (long)arg;
	ls_rwlock *mine = i ? rw2 : rw, *other = i ? rw : rw2;
	ls_rwlock_rdlock(mine);
	ls_say(LS_("%s reads one table and, still reading it, asks to write the other."),
	       ls_worker_name(ls_self()));
	ls_rwlock_wrlock(other);
	ls_rwlock_unlock(other);
	ls_rwlock_unlock(mine);
	return 0;
}

static int run(void)
{
	int flags = ls_param("use") == 1 ? LS_PROCESS : LS_THREAD;
	rounds = ls_param("rounds");
	ls_worker w[8];
	int n = 0;
	char name[32];
	if (ls_param("kind") == 1) {
		rw = ls_rwlock_new("A");
		rw2 = ls_rwlock_new("B");
		ls_say(LS_("T1 reads A and T2 reads B; then each asks to write the table the other "
		           "reads. A writer waits for every reader, and neither reader lets go."));
		w[n++] = ls_spawn("T1", crosser, (void *)0L, flags);
		w[n++] = ls_spawn("T2", crosser, (void *)1L, flags);
	} else {
		rw = ls_rwlock_new("RW");
		ls_say(LS_("Readers share RW; a writer has it alone. This is glibc's default "
		           "rwlock, which prefers readers: a reader gets in whenever no writer "
		           "holds it, even while a writer waits."));
		long nr = ls_param("readers"), nw = ls_param("writers");
		for (long i = 0; i < nr; i++) {
			snprintf(name, sizeof name, "R%ld", i + 1);
			w[n++] = ls_spawn(name, reader, NULL, flags);
		}
		for (long i = 0; i < nw; i++) {
			snprintf(name, sizeof name, "W%ld", i + 1);
			w[n++] = ls_spawn(name, writer, NULL, flags);
		}
	}
	for (int i = 0; i < n; i++)
		ls_join(w[i]);
	ls_say(LS_("Every reader and writer is done."));
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "kind", .type = LS_PARAM_CHOICE, .def = 0, .choices = "share|deadlock",
	 .help = LS_N("readers and writers share one lock, or two workers deadlock on two")},
	{.name = "use", .type = LS_PARAM_CHOICE, .def = 0, .choices = "thread|process",
	 .help = LS_N("run the workers as threads or as processes")},
	{.name = "readers", .type = LS_PARAM_INT, .def = 3, .min = 1, .max = 5,
	 .help = LS_N("readers (kind=share)")},
	{.name = "writers", .type = LS_PARAM_INT, .def = 1, .min = 1, .max = 2,
	 .help = LS_N("writers (kind=share)")},
	{.name = "rounds", .type = LS_PARAM_INT, .def = 2, .min = 1, .max = 5,
	 .help = LS_N("times each reader reads and each writer writes (kind=share)")},
	{0},
};

LS_SCENE(.id = "rwlock",
         .title = LS_N("Readers share, a writer waits for all: a read-write lock"),
         .summary = LS_N(
             "A read-write lock lets many readers in together, or one writer alone. "
             "A writer waits until every reader has left; readers wait while a writer "
             "writes. This is glibc's default pthread rwlock, which prefers readers: "
             "a reader gets in whenever no writer holds the lock, even while a writer "
             "is waiting, so a stream of readers can starve a writer. Two workers that "
             "each read one lock and then want to write the other deadlock."),
         .help = LS_N(
             "kind=share: step the readers in one after another and watch them hold RW "
             "together; the writer blocks, waiting for all of them; a reader that comes "
             "back while the writer waits still gets in (readers first). kind=deadlock: "
             "T1 reads A, T2 reads B, each then wants to write the other: the cycle "
             "T1 -> B -> T2 -> A -> T1. use=process: the same with processes."),
         .params = params, .run = run);
