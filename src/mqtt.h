/* mqtt: --serve=mqtt://HOST[:PORT]/TOPIC and --attach=mqtt://..., the same
 * stream as serve.c's TCP, through a broker (libmosquitto; an optional
 * dependency: without it these say the option is not built in).
 *
 * Topics under TOPIC (T the token):
 *   TOPIC/T/live        the stream as it is made: each message is a chunk,
 *                       8 bytes of the run's number and 8 of the chunk's
 *                       offset in that run (little-endian), then bytes
 *   TOPIC/hello         a viewer's "LOCKSTEP 1 TOKEN ID"
 *   TOPIC/T/v/ID        the teacher's answer to viewer ID: the current
 *                       run from its start (the history), same chunks
 *   TOPIC/denied/ID     "LOCKSTEP DENIED" for a wrong token
 * A viewer subscribes to its answer and to the live topic, then says
 * hello; it takes the history, then the live chunks that follow it (a
 * chunk it already has by offset is skipped), so a late joiner catches up
 * without a gap or a repeat. Everything runs on the libev loop through
 * the client's socket (mosquitto_loop_read/write/misc), never a thread.
 */
#ifndef LS_MQTT_H
#define LS_MQTT_H

#include <stddef.h>

struct ev_loop;
struct serve_cb;
struct astream;
struct mqtt_pub;
struct mqtt_sub;

/* 1 if built with libmosquitto. */
int mqtt_available(void);

struct mqtt_pub *mqtt_pub_open(struct ev_loop *loop, const char *spec, const char *token,
                               const struct serve_cb *cb, void *ud, int *usage, char *err,
                               size_t errlen);
void mqtt_pub_begin(struct mqtt_pub *p);
void mqtt_pub_write(struct mqtt_pub *p, const void *b, size_t n);
void mqtt_pub_flush(struct mqtt_pub *p);
int mqtt_pub_viewers(const struct mqtt_pub *p);
void mqtt_pub_drain(struct mqtt_pub *p, double timeout_s);
void mqtt_pub_close(struct mqtt_pub *p);

/* Bytes go to as (astream_push); a lost stream calls as->cb.lost. */
struct mqtt_sub *mqtt_sub_open(struct ev_loop *loop, const char *spec, const char *token,
                               struct astream *as, int *usage, char *err, size_t errlen);
/* The front end is ready: what came during the open is handed on now. */
void mqtt_sub_start(struct mqtt_sub *s);
void mqtt_sub_close(struct mqtt_sub *s);

/* mqtt://HOST[:PORT]/TOPIC split (pure). 0, or -1 when it is not one. */
int mqtt_split(const char *spec, char *host, size_t hostlen, int *port, char *topic,
               size_t topiclen);

#endif
