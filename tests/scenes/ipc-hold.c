/* ipc-hold: a test scene that makes one of each named IPC object (FIFO,
 * message queue, shared memory; a second queue with a long name) and then never returns, outside any gate, so
 * a test can kill its host mid-scene and check the UI removes them all. */
#include <unistd.h>

#include "lockstep-scene.h"

static int run(void)
{
	ls_fifo_new("hold-fifo");
	ls_mq_new("hold-mq", 4);
	/* longer than the model keeps of a name (LS_NAME_MAX): only the
	 * probe's own record of the kernel name can remove it */
	ls_mq_new("hold-mq-with-a-name-longer-than-the-model-keeps", 2);
	ls_array_new("hold-shm", 4, 0);
	ls_say("holding");
	ls_work_ms(1); /* flushes the narration */
	for (;;)
		pause();
	return 0;
}

LS_SCENE(.id = "test-ipc-hold", .title = "test: named IPC objects, then hold",
         .summary = "Makes a FIFO, an mqueue and a shm object and never ends.", .run = run);
