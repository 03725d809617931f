/* serve: one lecture, many screens (--serve). The teacher's lockstep
 * publishes what its engine folds, the recording stream (record.h), to
 * viewers that attach with a token (attach.h); each viewer folds the same
 * records into a model of its own.
 *
 * The server lives on the teacher's libev loop and never blocks it: every
 * socket is non-blocking, a record is appended to the run's buffer in
 * memory (one copy, shared by every viewer) and each viewer's socket is
 * written when it can take more. A viewer costs an offset into that buffer
 * and its socket's buffer: a viewer that stops reading is dropped, with
 * a notice: it is SERVE_LAG_MAX bytes behind (LOCKSTEP_SERVE_LAG_MAX for
 * tests) and took nothing in the last second, or 64 times that behind
 * whatever it takes, or it took nothing for SERVE_STALL_S while data
 * waited; a wrong token, a garbled hello or
 * anything a viewer sends after its hello changes nothing but that
 * viewer's connection. Viewers never control the scene: nothing they send
 * is read past the hello.
 *
 * The wire (TCP): the viewer sends one line "LOCKSTEP 1 TOKEN\n"; the
 * server answers "LOCKSTEP OK\n" and then the stream: the current run's
 * recording from its header (a late joiner catches up from the start),
 * then every run the teacher starts after it, each a whole recording
 * ending with its END mark. A wrong token gets "LOCKSTEP DENIED\n" and the
 * connection closes. --serve=mqtt://HOST[:PORT]/TOPIC publishes the same
 * stream through a broker (mqtt.c).
 */
#ifndef LS_SERVE_H
#define LS_SERVE_H

#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct rec_sink;
struct serve;

#define SERVE_DEFAULT_PORT 7878
#define SERVE_TOKEN_MAX 64
#define SERVE_LAG_MAX (8u << 20)
#define SERVE_STALL_S 10.0
#define SERVE_HELLO_S 5.0

struct serve_cb {
	/* a viewer came, went or was dropped (one line, translated) */
	void (*notice)(void *ud, const char *msg);
	void (*viewers)(void *ud, int n); /* the number of viewers changed */
};

/* A token: given (--token, checked by serve_token_check) or NULL for a
 * new random one. spec: NULL or "" (loopback, the default port), "PORT",
 * "HOST:PORT", "[V6]:PORT", or "mqtt://HOST[:PORT]/TOPIC". NULL with one
 * line in err; *usage set when the spec itself is wrong (exit 2) rather
 * than the network (bind, broker: exit 7). */
struct serve *serve_open(struct ev_loop *loop, const char *spec, const char *token,
                         const struct serve_cb *cb, void *ud, int *usage, char *err,
                         size_t errlen);
/* The sink the engine writes its recording to (engine_opts.tap). */
const struct rec_sink *serve_sink(struct serve *s);
int serve_viewers(const struct serve *s);
/* The exact command a student types: "lockstep --attach=... --token=...". */
const char *serve_attach_command(const struct serve *s);
/* The run is over: run the loop until every viewer has all of it (or
 * has gone), at most timeout_s. For a front end about to exit. */
void serve_drain(struct serve *s, double timeout_s);
/* Wait (running the loop) until n viewers are attached, at most
 * timeout_s: 0 once they are, -1 on time out. */
int serve_wait_viewers(struct serve *s, int n, double timeout_s);
void serve_close(struct serve *s);

/* NULL if the token is fine (1..64 of A-Z a-z 0-9 - _), else why not. */
const char *serve_token_check(const char *token);

/* "HOST:PORT" split (pure; unit tested): host "" when only a port is
 * given. 0, or -1 when it is not an address. */
int serve_split_addr(const char *spec, char *host, size_t hostlen, unsigned *port);

#endif
