/* thread-local: each thread keeps its own value under one name.
 *
 * threading.local gives every thread its own copy of an attribute. Each
 * thread stores its number in the thread-local slot 'mine' and also in the
 * ordinary global 'shared'. Reading back, 'mine' is always the thread's own
 * value; 'shared' shows whoever wrote last.
 */
#include <stdio.h>

#include "lockstep-scene.h"

static ls_local *mine;
static ls_value *shared;

static int worker(void *arg)
{
	long id = (long)arg, own = 100 * id;
	const char *me = ls_worker_name(ls_self());
	ls_local_set(mine, own);
	ls_value_write(shared, own);
	ls_say(LS_("%s stored %ld in its thread-local 'mine' and in the global 'shared'."), me, own);
	ls_sleep_ms(10 * id);
	long l = ls_local_get(mine, -1);
	long g = ls_value_read(shared);
	if (g == own)
		ls_say(LS_("%s reads mine = %ld (its own) and shared = %ld (still its own: "
		           "nobody wrote after it)."), me, l, g);
	else
		ls_say(LS_("%s reads mine = %ld (its own) but shared = %ld: another thread "
		           "wrote the global after it."), me, l, g);
	return 0;
}

static int run(void)
{
	long n = ls_param("threads");
	mine = ls_local_new("mine");
	shared = ls_value_new("shared", 0);
	ls_say(LS_("One thread-local slot 'mine' and one global 'shared'. %ld threads each "
	           "write their own number into both, then read both back."), n);
	ls_worker w[8];
	char name[32];
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof name, "T%ld", i + 1);
		w[i] = ls_spawn(name, worker, (void *)(i + 1), LS_THREAD);
	}
	for (long i = 0; i < n; i++)
		ls_join(w[i]);
	long l = ls_local_get(mine, -1);
	long g = ls_value_read(shared);
	ls_say(LS_("main never stored anything in 'mine', so it reads its own empty slot "
	           "(%ld), while 'shared' holds %ld, the last thread's write."), l, g);
	return 0;
}

static const struct ls_param_desc params[] = {
	{.name = "threads", .type = LS_PARAM_INT, .def = 3, .min = 2, .max = 8,
	 .help = LS_N("threads writing and reading")},
	{0},
};

LS_SCENE(.id = "thread-local",
         .title = LS_N("A thread-local slot beside one global"),
         .summary = LS_N(
             "threading.local gives each thread its own value under one name. Each "
             "thread writes its number into the thread-local 'mine' and into the global "
             "'shared', then reads both back: 'mine' is always its own value, 'shared' "
             "is whatever the last writer put there. main, which never wrote 'mine', "
             "finds its own slot empty (-1)."),
         .help = LS_N(
             "Any schedule: every thread reads back its own value from 'mine'. The "
             "global shows the last writer: with T1,T2,T3 in order, T3's 300. The slot "
             "is a real pthread key; the log shows each thread's local_set and local_get."),
         .params = params, .run = run);
