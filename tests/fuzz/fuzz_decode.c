/* Fuzz target (libFuzzer): arbitrary bytes through the bus reader into the
 * model and the analysis. Nothing a writer sends may crash the UI. */
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "bus.h"
#include "model.h"

static void apply(void *ud, const struct ls_event *ev)
{
	model_apply(ud, ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bus_reader r;
	struct model m;
	struct analysis a;
	model_init(&m);
	bus_reader_init(&r, -1);
	bus_feed(&r, data, size, apply, &m);
	analysis_run(&m, &a);
	for (int i = 0; i < m.nw; i++) {
		model_eligible(&m, i);
		model_blocked(&m, i);
	}
	model_settled(&m);
	model_next_deadline(&m);
	model_free(&m);
	return 0;
}
