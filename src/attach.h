/* attach: the viewer's side of --serve (--attach=ADDR:PORT --token=T).
 *
 * Connects, greets with the token (serve.h has the wire), then reads the
 * teacher's stream on the libev loop and hands the front end each run's
 * header and items (record.h) as they arrive, so it folds them into a
 * model of its own, exactly as --replay does with a file. Nothing is ever
 * sent after the hello: a viewer cannot control the teacher's scene.
 *
 * The stream parser (astream) is pure over the bytes it is given: a
 * partial record or a notice split across reads waits for the rest; a
 * garbled stream (bad magic, a record that does not validate, a header
 * that does not parse) stops following with one line saying where.
 */
#ifndef LS_ATTACH_H
#define LS_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct ev_loop;

struct attach_cb {
	/* a run begins (the teacher started or restarted a scene) */
	void (*begin)(void *ud, const struct rec_header *h);
	/* an event or a mark of the run, in the order the teacher folded it */
	void (*item)(void *ud, const struct rec_item *it);
	/* the items of one read were handed on (may be NULL) */
	void (*batch)(void *ud);
	/* following stopped: the stream was garbled, the teacher's lockstep
	 * went away (why is one line); nothing more comes */
	void (*lost)(void *ud, const char *why);
};

/* ---- the stream parser (pure) ---- */

#define ASTREAM_MAX ((size_t)1 << 30) /* a run's bytes kept, as the history's limit */

struct astream {
	unsigned char *buf; /* the current run's bytes, from its header */
	size_t len, cap;
	int open;           /* its header is parsed */
	int ended;          /* its END was read: what follows is the next run */
	uint64_t runs;      /* runs begun */
	struct rec_reader rd;
	struct rec_item it;
	struct attach_cb cb;
	void *ud;
	char err[600];      /* set once garbled */
};

void astream_init(struct astream *as, const struct attach_cb *cb, void *ud);
void astream_free(struct astream *as);
/* Bytes as they came. 0, or -1 once the stream is garbled (as->err says
 * where and what; everything before it was handed on). */
int astream_push(struct astream *as, const void *p, size_t n);
/* The current run again from its start, up to what was handed on so far
 * (each item to cb.item): a viewer coming back to following after a
 * private fork re-folds it. 0, or -1 if nothing is open. */
int astream_refold(const struct astream *as, void (*item)(void *ud, const struct rec_item *it),
                   void *ud);

/* ---- the connection ---- */

struct attach;

/* spec: HOST:PORT, [V6]:PORT or mqtt://HOST[:PORT]/TOPIC. Connects and
 * greets before returning (at most a few seconds), so a refused
 * connection or a wrong token is one line in err, before any terminal
 * is touched; *usage is set when the spec itself is wrong (exit 2). */
struct attach *attach_open(struct ev_loop *loop, const char *spec, const char *token,
                           const struct attach_cb *cb, void *ud, int *usage, char *err,
                           size_t errlen);
/* The front end is ready for items: until then none is handed on (what
 * came with the greeting waits). Call once, before running the loop. */
void attach_start(struct attach *a);
void attach_close(struct attach *a);
/* What the viewer follows, for the header: "127.0.0.1:7878". */
const char *attach_where(const struct attach *a);
const struct astream *attach_stream(const struct attach *a);

#endif
