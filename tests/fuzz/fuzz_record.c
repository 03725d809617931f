/* Fuzz target (libFuzzer): arbitrary bytes as a recording (--replay,
 * --rerun). The reader must stop at the first fault with a message, never
 * read past the buffer, and hand the model only records that validate;
 * the model and the analysis take whatever it hands them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "model.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rec_reader rd;
	static struct rec_item it;
	static struct model m;
	static struct analysis a;
	model_init(&m);
	if (rec_open(&rd, data, size) == 0) {
		for (;;) {
			enum rec_kind k = rec_next(&rd, &it);
			if (k == REC_K_EVENT)
				model_apply(&m, &it.ev);
			else if (k == REC_K_NOTICE || k == REC_K_END)
				(void)strlen(it.text);
			if (k == REC_K_BAD) {
				if (!rd.err[0])
					abort(); /* a fault must say where */
				break;
			}
			if (k == REC_K_EOF)
				break;
		}
		analysis_run(&m, &a);
	} else if (!rd.err[0]) {
		abort();
	}
	model_free(&m);
	char *sched = NULL, err[512];
	if (rec_schedule(data, size, &sched, err, sizeof err) == 0 && !sched)
		abort();
	free(sched);
	return 0;
}
