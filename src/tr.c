/* tr: gettext behind a small per-thread cache.
 *
 * The live path describes every event in words, and glibc's gettext takes a
 * read lock and reads the environment on each call: at full speed that was
 * the largest share of the UI's time per event. Message ids are string
 * literals, so a pointer identifies one; each thread keeps the last
 * translation it got for a few hundred of them. tr_reset() (a change of
 * language) invalidates every thread's cache at once. */
#include "i18n.h"

#include <stdatomic.h>
#include <stdint.h>

#define TR_SLOTS 256

static atomic_uint tr_gen = 1;

struct tr_slot {
	const char *id, *text;
	unsigned gen;
};

static _Thread_local struct tr_slot tr_cache[TR_SLOTS];

const char *tr(const char *id)
{
	if (!id)
		return id;
	uint64_t h = (uint64_t)(uintptr_t)id * 0x9e3779b97f4a7c15ull;
	struct tr_slot *s = &tr_cache[h >> 56];
	unsigned gen = atomic_load_explicit(&tr_gen, memory_order_relaxed);
	if (s->id == id && s->gen == gen)
		return s->text;
	const char *text = gettext(id);
	*s = (struct tr_slot){id, text, gen};
	return text;
}

void tr_reset(void)
{
	atomic_fetch_add_explicit(&tr_gen, 1, memory_order_relaxed);
}
