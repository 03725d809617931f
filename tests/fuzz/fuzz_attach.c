/* Fuzz target (libFuzzer): arbitrary bytes as a served stream (--attach).
 * The first byte chooses how the network cuts the rest into reads. The
 * parser must never read past what it was given, must say where when it
 * stops, and must hand on the same items whether the bytes come in one
 * read or in pieces (an item is handed on only once it is whole). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"

struct digest {
	uint64_t h;
	uint64_t items, begins;
};

static void d_begin(void *ud, const struct rec_header *hd)
{
	struct digest *d = ud;
	d->begins++;
	d->h = d->h * 1099511628211ull ^ strlen(hd->scene);
}

static void d_item(void *ud, const struct rec_item *it)
{
	struct digest *d = ud;
	d->items++;
	d->h = d->h * 1099511628211ull ^ (uint64_t)it->kind;
	if (it->kind == REC_K_EVENT)
		d->h ^= it->ev.seq;
	else
		d->h ^= strlen(it->text);
}

static const struct attach_cb cb = {.begin = d_begin, .item = d_item};

static struct digest feed(const uint8_t *data, size_t size, size_t piece, int *rc)
{
	struct digest d = {0};
	struct astream as;
	astream_init(&as, &cb, &d);
	*rc = 0;
	for (size_t off = 0; off < size && *rc == 0; off += piece) {
		size_t n = size - off < piece ? size - off : piece;
		*rc = astream_push(&as, data + off, n);
		if (*rc != 0 && !as.err[0])
			abort(); /* a stop must say where */
	}
	astream_free(&as);
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t piece = (size_t)data[0] % 97 + 1;
	int rc1, rc2;
	struct digest whole = feed(data + 1, size - 1, size, &rc1);
	struct digest cut = feed(data + 1, size - 1, piece, &rc2);
	/* a whole stream gives the same items however it is cut; a garbled
	 * one stops at the same item */
	if (rc1 == 0 && (rc2 != 0 || memcmp(&whole, &cut, sizeof whole) != 0))
		abort();
	if (rc1 != 0 && rc2 == 0)
		abort();
	return 0;
}
