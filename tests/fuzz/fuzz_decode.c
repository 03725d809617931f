/* Fuzz target (libFuzzer): arbitrary bytes through the bus reader into what
 * the engine does with records (the model, the analysis, the scheduler's
 * questions), the log's sentences and the JSON writer. Nothing a writer
 * sends may crash lockstep, and every JSON string it writes must be valid
 * UTF-8 (checked here by a decoder of our own, not the writer's). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "bus.h"
#include "describe.h"
#include "json.h"
#include "model.h"

static struct jw j;

/* Strict UTF-8 (RFC 3629), written apart from json.c on purpose. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (size_t t = 1; t <= k; t++) {
			if (i + t >= n || (s[i + t] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + t] & 0x3f);
		}
		static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
		if (cp < min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

static void apply(void *ud, const struct ls_event *ev)
{
	struct model *m = ud;
	model_apply(m, ev);
	char line[512], clean[512];
	describe_event(m, ev, line, sizeof line);
	jw_begin(&j, '{');
	jw_kstr(&j, "line", line);
	if (event_has_text(ev->type)) {
		jw_kstr(&j, "text", ev->u.s.text);
		describe_output(ev->u.s.text, clean, sizeof clean);
		jw_kstr(&j, "clean", clean);
	}
	if (ev->worker >= 0)
		jw_kstr(&j, "worker", model_worker_name(m, ev->worker));
	if (ev->object >= 0)
		jw_kstr(&j, "object", model_object_name(m, ev->object));
	jw_end(&j, '}');
	if (!valid_utf8((const unsigned char *)j.buf, j.len))
		abort();
	j.len = 0;
	j.need_comma = 0;
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
	char buf[1024];
	describe_cycle(&m, &a, buf, sizeof buf);
	for (int i = 0; i < m.nw; i++) {
		model_eligible(&m, i);
		model_blocked(&m, i);
	}
	model_settled(&m);
	model_next_deadline(&m);
	/* the JSON writer on raw bytes: whatever the input, valid output */
	jw_str(&j, (const char *)memchr(data, 0, size) ? (const char *)data : "");
	if (!valid_utf8((const unsigned char *)j.buf, j.len))
		abort();
	j.len = 0;
	j.need_comma = 0;
	model_free(&m);
	return 0;
}
