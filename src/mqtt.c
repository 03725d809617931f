/* mqtt: --serve and --attach through an MQTT broker (mqtt.h). Built with
 * libmosquitto when meson finds it (HAVE_MOSQUITTO); without it, the
 * options say they are not built in. No curses, no threads: the client's
 * socket is watched by the libev loop.
 */
#include "mqtt.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "i18n.h"
#include "serve.h"

int mqtt_split(const char *spec, char *host, size_t hostlen, int *port, char *topic,
               size_t topiclen)
{
	if (strncmp(spec, "mqtt://", 7) != 0)
		return -1;
	const char *h = spec + 7, *slash = strchr(h, '/');
	if (!slash || slash == h || !slash[1])
		return -1;
	const char *colon = memchr(h, ':', (size_t)(slash - h));
	size_t hl = (size_t)((colon ? colon : slash) - h);
	if (hl == 0 || hl >= hostlen)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = 1883;
	if (colon) {
		int v = 0;
		if (colon + 1 == slash || slash - colon - 1 > 5)
			return -1;
		for (const char *q = colon + 1; q < slash; q++) {
			if (*q < '0' || *q > '9')
				return -1;
			v = v * 10 + (*q - '0');
		}
		if (v < 1 || v > 65535)
			return -1;
		*port = v;
	}
	const char *t = slash + 1;
	if (strlen(t) >= topiclen || strpbrk(t, "+#"))
		return -1;
	snprintf(topic, topiclen, "%s", t);
	return 0;
}

#ifndef HAVE_MOSQUITTO

int mqtt_available(void)
{
	return 0;
}

static void not_built(int *usage, char *err, size_t errlen)
{
	*usage = 1;
	snprintf(err, errlen, "%s", _("mqtt:// is not built into this lockstep (it needs libmosquitto "
	                              "when it is built: Debian's libmosquitto-dev)"));
}

struct mqtt_pub *mqtt_pub_open(struct ev_loop *loop, const char *spec, const char *token,
                               const struct serve_cb *cb, void *ud, int *usage, char *err,
                               size_t errlen)
{
	not_built(usage, err, errlen);
	return NULL;
}

void mqtt_pub_begin(struct mqtt_pub *p) {}
void mqtt_pub_write(struct mqtt_pub *p, const void *b, size_t n) {}
void mqtt_pub_flush(struct mqtt_pub *p) {}
int mqtt_pub_viewers(const struct mqtt_pub *p) { return 0; }
void mqtt_pub_drain(struct mqtt_pub *p, double timeout_s) {}
void mqtt_pub_close(struct mqtt_pub *p) {}

struct mqtt_sub *mqtt_sub_open(struct ev_loop *loop, const char *spec, const char *token,
                               struct astream *as, int *usage, char *err, size_t errlen)
{
	not_built(usage, err, errlen);
	return NULL;
}

void mqtt_sub_start(struct mqtt_sub *s) {}
void mqtt_sub_close(struct mqtt_sub *s) {}

#else /* HAVE_MOSQUITTO */

#include <errno.h>
#include <ev.h>
#include <mosquitto.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_MAX (256u * 1024)
#define HDR 17 /* type, run (8), offset (8), little-endian */
#define WAIT_S 10.0

int mqtt_available(void)
{
	return 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void client_id(char *out, size_t n, char role)
{
	unsigned char b[6] = {0};
	if (getrandom(b, sizeof b, GRND_NONBLOCK) != (ssize_t)sizeof b)
		memset(b, 0, sizeof b);
	snprintf(out, n, "lockstep-%c-%d-%02x%02x%02x%02x%02x%02x", role, (int)getpid(), b[0], b[1],
	         b[2], b[3], b[4], b[5]);
}

/* What both ends share: a client on the loop. */
struct mq {
	struct ev_loop *loop;
	struct mosquitto *m;
	ev_io rw, ww;
	ev_timer misc_w;
	int connected, conn_rc, gone;
	char host[256], topic[200], token[SERVE_TOKEN_MAX + 1];
	int port;
	void (*on_gone)(struct mq *q);
};

static void mq_want(struct mq *q)
{
	if (!q->gone && mosquitto_want_write(q->m))
		ev_io_start(q->loop, &q->ww);
}

static void mq_lost(struct mq *q)
{
	if (q->gone)
		return;
	q->gone = 1;
	ev_io_stop(q->loop, &q->rw);
	ev_io_stop(q->loop, &q->ww);
	ev_timer_stop(q->loop, &q->misc_w);
	if (q->on_gone)
		q->on_gone(q);
}

static void mq_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct mq *q = w->data;
	if (mosquitto_loop_read(q->m, 16) != MOSQ_ERR_SUCCESS) {
		mq_lost(q);
		return;
	}
	mq_want(q);
}

static void mq_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct mq *q = w->data;
	if (mosquitto_loop_write(q->m, 64) != MOSQ_ERR_SUCCESS) {
		mq_lost(q);
		return;
	}
	if (!mosquitto_want_write(q->m))
		ev_io_stop(loop, w);
}

static void mq_misc_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct mq *q = w->data;
	if (mosquitto_loop_misc(q->m) != MOSQ_ERR_SUCCESS) {
		mq_lost(q);
		return;
	}
	mq_want(q);
}

static void on_connect(struct mosquitto *m, void *obj, int rc)
{
	struct mq *q = obj;
	q->connected = 1;
	q->conn_rc = rc;
}

/* Connect, wait for the broker's answer (before any terminal: a few
 * seconds at most), then hand the socket to the loop. */
static int mq_open(struct mq *q, struct ev_loop *loop, const char *spec, const char *token,
                   char role, const char *will_topic, const void *will, int will_len,
                   int *usage, char *err, size_t errlen)
{
	q->loop = loop;
	if (mqtt_split(spec, q->host, sizeof q->host, &q->port, q->topic, sizeof q->topic) != 0) {
		*usage = 1;
		snprintf(err, errlen, _("an MQTT address is mqtt://HOST[:PORT]/TOPIC (no + or #), not '%s'"),
		         spec);
		return -1;
	}
	snprintf(q->token, sizeof q->token, "%s", token);
	mosquitto_lib_init();
	char id[64];
	client_id(id, sizeof id, role);
	q->m = mosquitto_new(id, true, q);
	if (!q->m) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	mosquitto_connect_callback_set(q->m, on_connect);
	if (will_topic)
		mosquitto_will_set(q->m, will_topic, will_len, will, 1, false);
	int r = mosquitto_connect(q->m, q->host, q->port, 30);
	if (r != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, _("cannot reach the MQTT broker %s:%d: %s"), q->host, q->port,
		         r == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(r));
		return -1;
	}
	double until = now_s() + WAIT_S;
	while (!q->connected && now_s() < until) {
		r = mosquitto_loop(q->m, 100, 1);
		if (r != MOSQ_ERR_SUCCESS)
			break;
	}
	if (!q->connected || q->conn_rc != 0) {
		snprintf(err, errlen, _("the MQTT broker %s:%d did not take the connection: %s"), q->host,
		         q->port, q->connected ? mosquitto_connack_string(q->conn_rc)
		                               : _("no answer"));
		return -1;
	}
	int fd = mosquitto_socket(q->m);
	ev_io_init(&q->rw, mq_read_cb, fd, EV_READ);
	q->rw.data = q;
	ev_io_init(&q->ww, mq_write_cb, fd, EV_WRITE);
	q->ww.data = q;
	ev_timer_init(&q->misc_w, mq_misc_cb, 1.0, 1.0);
	q->misc_w.data = q;
	ev_io_start(loop, &q->rw);
	ev_timer_start(loop, &q->misc_w);
	mq_want(q);
	return 0;
}

static void mq_close(struct mq *q)
{
	if (!q->m)
		return;
	if (!q->gone) {
		ev_io_stop(q->loop, &q->rw);
		ev_io_stop(q->loop, &q->ww);
		ev_timer_stop(q->loop, &q->misc_w);
		mosquitto_disconnect(q->m);
		mosquitto_loop_write(q->m, 16);
	}
	mosquitto_destroy(q->m);
	q->m = NULL;
	mosquitto_lib_cleanup();
}

/* ---- the teacher: publishes ---- */

struct mqtt_pub {
	struct mq q;
	struct serve_cb cb;
	void *ud;
	unsigned char *run; /* the current run's bytes: a late joiner's history */
	size_t len, cap, published;
	uint64_t runno;     /* 0: none yet */
	char live[300];
	ev_prepare push_w;
	char **ids;         /* viewers that said hello and not bye */
	int nids;
};

static void pub_say(struct mqtt_pub *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pub_say(struct mqtt_pub *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->cb.notice)
		p->cb.notice(p->ud, msg);
}

static void publish_chunks(struct mqtt_pub *p, const char *topic, char type, size_t from,
                           size_t to)
{
	unsigned char *b = malloc(HDR + CHUNK_MAX);
	if (!b)
		return;
	do {
		size_t n = to - from > CHUNK_MAX ? CHUNK_MAX : to - from;
		b[0] = (unsigned char)type;
		put64(b + 1, p->runno);
		put64(b + 9, from);
		memcpy(b + HDR, p->run + from, n);
		/* QoS 0: no in-flight window to wait on (TCP keeps the order,
		 * and a viewer sees a gap by its offsets if the broker drops) */
		mosquitto_publish(p->q.m, NULL, topic, (int)(HDR + n), b, 0, false);
		from += n;
	} while (from < to);
	free(b);
	mq_want(&p->q);
}

static void pub_push(struct mqtt_pub *p)
{
	if (p->q.gone || p->published >= p->len)
		return;
	publish_chunks(p, p->live, 'L', p->published, p->len);
	p->published = p->len;
}

static void pub_push_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	pub_push(w->data);
}

static void pub_gone(struct mq *q)
{
	struct mqtt_pub *p = (struct mqtt_pub *)q;
	pub_say(p, _("the MQTT broker %s:%d went away: viewers get nothing more"), q->host, q->port);
}

static int id_index(struct mqtt_pub *p, const char *id)
{
	for (int i = 0; i < p->nids; i++)
		if (strcmp(p->ids[i], id) == 0)
			return i;
	return -1;
}

static void pub_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
	struct mqtt_pub *p = obj;
	char text[256];
	if (msg->payloadlen <= 0 || msg->payloadlen >= (int)sizeof text)
		return; /* nothing a viewer says is that long */
	memcpy(text, msg->payload, (size_t)msg->payloadlen);
	text[msg->payloadlen] = '\0';
	size_t tl = strlen(p->q.topic);
	const char *sub = msg->topic + tl;
	char tok[SERVE_TOKEN_MAX + 2], id[80];
	if (strcmp(sub, "/hello") == 0) {
		if (sscanf(text, "LOCKSTEP 1 %65s %79s", tok, id) != 2 || serve_token_check(id))
			return;
		char topic[400];
		if (strcmp(tok, p->q.token) != 0) {
			snprintf(topic, sizeof topic, "%s/denied/%s", p->q.topic, id);
			mosquitto_publish(m, NULL, topic, 15, "LOCKSTEP DENIED", 1, false);
			pub_say(p, _("viewer %s gave a wrong token"), id);
			mq_want(&p->q);
			return;
		}
		pub_push(p); /* the history ends where the live topic goes on */
		snprintf(topic, sizeof topic, "%s/%s/v/%s", p->q.topic, p->q.token, id);
		if (p->runno && p->len)
			publish_chunks(p, topic, 'H', 0, p->len);
		unsigned char end[HDR];
		end[0] = 'E';
		put64(end + 1, p->runno);
		put64(end + 9, p->len);
		mosquitto_publish(m, NULL, topic, HDR, end, 0, false);
		mq_want(&p->q);
		if (id_index(p, id) < 0) {
			char **ids = realloc(p->ids, (size_t)(p->nids + 1) * sizeof *ids);
			if (ids && (ids[p->nids] = strdup(id))) {
				p->ids = ids;
				p->nids++;
			} else if (ids) {
				p->ids = ids;
			}
		}
		pub_say(p, _("viewer %s attached through the broker (%d watching)"), id, p->nids);
		if (p->cb.viewers)
			p->cb.viewers(p->ud, p->nids);
	} else if (strcmp(sub, "/bye") == 0) {
		int i = id_index(p, text);
		if (i < 0)
			return;
		free(p->ids[i]);
		p->ids[i] = p->ids[--p->nids];
		pub_say(p, _("viewer %s left (%d watching)"), text, p->nids);
		if (p->cb.viewers)
			p->cb.viewers(p->ud, p->nids);
	}
}

struct mqtt_pub *mqtt_pub_open(struct ev_loop *loop, const char *spec, const char *token,
                               const struct serve_cb *cb, void *ud, int *usage, char *err,
                               size_t errlen)
{
	struct mqtt_pub *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	if (cb)
		p->cb = *cb;
	p->ud = ud;
	p->q.on_gone = pub_gone;
	char tmp[200];
	int port;
	char host[256];
	if (mqtt_split(spec, host, sizeof host, &port, tmp, sizeof tmp) == 0)
		snprintf(p->live, sizeof p->live, "%s/%s/live", tmp, token);
	unsigned char quit[HDR] = {'Q'}; /* said by the broker if the teacher vanishes */
	if (mq_open(&p->q, loop, spec, token, 't', p->live[0] ? p->live : NULL, quit, HDR, usage, err,
	            errlen) != 0) {
		mq_close(&p->q);
		free(p);
		return NULL;
	}
	mosquitto_message_callback_set(p->q.m, pub_message);
	char sub[400];
	snprintf(sub, sizeof sub, "%s/hello", p->q.topic);
	mosquitto_subscribe(p->q.m, NULL, sub, 1);
	snprintf(sub, sizeof sub, "%s/bye", p->q.topic);
	mosquitto_subscribe(p->q.m, NULL, sub, 1);
	mq_want(&p->q);
	ev_prepare_init(&p->push_w, pub_push_cb);
	p->push_w.data = p;
	ev_prepare_start(loop, &p->push_w);
	return p;
}

void mqtt_pub_begin(struct mqtt_pub *p)
{
	pub_push(p); /* the last of the run before */
	p->runno++;
	p->len = p->published = 0;
}

void mqtt_pub_write(struct mqtt_pub *p, const void *b, size_t n)
{
	if (p->len + n > p->cap) {
		size_t c = p->cap ? p->cap : 65536;
		while (c < p->len + n)
			c *= 2;
		unsigned char *m = realloc(p->run, c);
		if (!m)
			return;
		p->run = m;
		p->cap = c;
	}
	memcpy(p->run + p->len, b, n);
	p->len += n;
}

void mqtt_pub_flush(struct mqtt_pub *p)
{
	pub_push(p);
}

int mqtt_pub_viewers(const struct mqtt_pub *p)
{
	return p->nids;
}

void mqtt_pub_drain(struct mqtt_pub *p, double timeout_s)
{
	pub_push(p);
	double until = now_s() + timeout_s;
	while (!p->q.gone && mosquitto_want_write(p->q.m) && now_s() < until)
		ev_run(p->q.loop, EVRUN_ONCE);
}

void mqtt_pub_close(struct mqtt_pub *p)
{
	if (!p)
		return;
	ev_prepare_stop(p->q.loop, &p->push_w);
	if (!p->q.gone && p->live[0]) { /* the teacher stops serving: say so */
		unsigned char quit[HDR] = {'Q'};
		mosquitto_publish(p->q.m, NULL, p->live, HDR, quit, 0, false);
		mosquitto_loop_write(p->q.m, 16);
	}
	mq_close(&p->q);
	for (int i = 0; i < p->nids; i++)
		free(p->ids[i]);
	free(p->ids);
	free(p->run);
	free(p);
}

/* ---- a viewer: subscribes ---- */

struct chunk {
	char type;
	uint64_t run, off;
	size_t n;
	unsigned char *b;
};

struct mqtt_sub {
	struct mq q;
	struct astream *as;
	char id[64], mine[400], denied[400], live[400];
	int answered, denied_, hist_done, lost;
	uint64_t run, expect; /* where the next bytes must start */
	struct chunk *early;  /* live chunks before the history ended */
	size_t nearly;
	int opening;          /* in mqtt_sub_open: the front end is not ready */
	unsigned char *pend;  /* bytes that came meanwhile, for mqtt_sub_start */
	size_t npend;
};

static void sub_lose(struct mqtt_sub *s, const char *why)
{
	if (s->lost)
		return;
	s->lost = 1;
	if (s->as->cb.lost)
		s->as->cb.lost(s->as->ud, why);
}

static void sub_gone(struct mq *q)
{
	struct mqtt_sub *s = (struct mqtt_sub *)q;
	char why[400];
	snprintf(why, sizeof why, _("the MQTT broker %s:%d went away"), q->host, q->port);
	sub_lose(s, why);
}

static void sub_bytes(struct mqtt_sub *s, const unsigned char *b, size_t n)
{
	if (s->lost)
		return;
	if (s->opening) { /* kept until the front end can take items */
		unsigned char *m = realloc(s->pend, s->npend + n);
		if (!m) {
			sub_lose(s, _("out of memory"));
			return;
		}
		memcpy(m + s->npend, b, n);
		s->pend = m;
		s->npend += n;
		return;
	}
	int r = astream_push(s->as, b, n);
	if (s->as->cb.batch)
		s->as->cb.batch(s->as->ud);
	if (r != 0) {
		char why[1000];
		snprintf(why, sizeof why, "%s: %s", s->q.topic, s->as->err);
		sub_lose(s, why);
	}
}

/* A live chunk once the history is in: the next bytes, old ones (the
 * history had them), the start of a new run, or a gap (lost). */
static void sub_live(struct mqtt_sub *s, uint64_t run, uint64_t off, const unsigned char *b,
                     size_t n)
{
	if (run < s->run || (run == s->run && off + n <= s->expect))
		return;
	if (run > s->run) {
		if (off != 0) {
			sub_lose(s, _("the stream through the broker has a gap: a message was lost"));
			return;
		}
		s->run = run;
		s->expect = 0;
	}
	if (off != s->expect) {
		sub_lose(s, _("the stream through the broker has a gap: a message was lost"));
		return;
	}
	s->expect += n;
	sub_bytes(s, b, n);
}

static void sub_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
	struct mqtt_sub *s = obj;
	const unsigned char *b = msg->payload;
	size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
	if (strcmp(msg->topic, s->denied) == 0) {
		s->answered = s->denied_ = 1;
		return;
	}
	if (len < HDR)
		return;
	uint64_t run = get64(b + 1), off = get64(b + 9);
	if (strcmp(msg->topic, s->mine) == 0) {
		s->answered = 1;
		if (b[0] == 'H' && off == s->expect) {
			s->run = run;
			s->expect += len - HDR;
			sub_bytes(s, b + HDR, len - HDR);
		} else if (b[0] == 'E') {
			s->run = run;
			s->expect = off;
			s->hist_done = 1;
			for (size_t i = 0; i < s->nearly; i++) {
				struct chunk *c = &s->early[i];
				if (c->type == 'L')
					sub_live(s, c->run, c->off, c->b, c->n);
				else if (!s->lost)
					sub_lose(s, _("the teacher stopped serving"));
				free(c->b);
			}
			free(s->early);
			s->early = NULL;
			s->nearly = 0;
		}
		return;
	}
	if (strcmp(msg->topic, s->live) != 0)
		return;
	if (!s->hist_done) { /* kept until the history is in */
		struct chunk *e = realloc(s->early, (s->nearly + 1) * sizeof *e);
		if (!e)
			return;
		s->early = e;
		struct chunk *c = &e[s->nearly];
		c->type = (char)b[0];
		c->run = run;
		c->off = off;
		c->n = len - HDR;
		c->b = malloc(c->n ? c->n : 1);
		if (!c->b)
			return;
		memcpy(c->b, b + HDR, c->n);
		s->nearly++;
		return;
	}
	if (b[0] == 'Q') {
		char why[400];
		snprintf(why, sizeof why, _("%s stopped serving"), s->q.topic);
		sub_lose(s, why);
	} else if (b[0] == 'L') {
		sub_live(s, run, off, b + HDR, len - HDR);
	}
}

struct mqtt_sub *mqtt_sub_open(struct ev_loop *loop, const char *spec, const char *token,
                               struct astream *as, int *usage, char *err, size_t errlen)
{
	struct mqtt_sub *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	s->as = as;
	s->q.on_gone = sub_gone;
	s->opening = 1;
	client_id(s->id, sizeof s->id, 'v');
	char bye_topic[300] = "";
	char host[256], topic[200];
	int port;
	if (mqtt_split(spec, host, sizeof host, &port, topic, sizeof topic) == 0)
		snprintf(bye_topic, sizeof bye_topic, "%s/bye", topic);
	if (mq_open(&s->q, loop, spec, token, 'v', bye_topic[0] ? bye_topic : NULL, s->id,
	            (int)strlen(s->id), usage, err, errlen) != 0) {
		mq_close(&s->q);
		free(s);
		return NULL;
	}
	/* stop the loop's watchers while the greeting is waited for here */
	ev_io_stop(loop, &s->q.rw);
	ev_io_stop(loop, &s->q.ww);
	mosquitto_message_callback_set(s->q.m, sub_message);
	snprintf(s->mine, sizeof s->mine, "%s/%s/v/%s", s->q.topic, token, s->id);
	snprintf(s->denied, sizeof s->denied, "%s/denied/%s", s->q.topic, s->id);
	snprintf(s->live, sizeof s->live, "%s/%s/live", s->q.topic, token);
	mosquitto_subscribe(s->q.m, NULL, s->mine, 0);
	mosquitto_subscribe(s->q.m, NULL, s->denied, 0);
	mosquitto_subscribe(s->q.m, NULL, s->live, 0);
	char hello[200], hello_topic[300];
	int hl = snprintf(hello, sizeof hello, "LOCKSTEP 1 %s %s", token, s->id);
	snprintf(hello_topic, sizeof hello_topic, "%s/hello", s->q.topic);
	mosquitto_publish(s->q.m, NULL, hello_topic, hl, hello, 1, false);
	double until = now_s() + WAIT_S;
	while (!s->answered && !s->lost && now_s() < until)
		if (mosquitto_loop(s->q.m, 100, 1) != MOSQ_ERR_SUCCESS)
			break;
	if (!s->answered || s->denied_) {
		if (s->denied_)
			snprintf(err, errlen, _("--attach: %s refused the token (ask the teacher for the "
			                        "command lockstep printed)"), spec);
		else
			snprintf(err, errlen, _("--attach: nobody serves %s (no answer within 10 seconds; "
			                        "check the topic and the token)"), spec);
		mqtt_sub_close(s);
		return NULL;
	}
	ev_io_start(loop, &s->q.rw);
	mq_want(&s->q);
	return s;
}

void mqtt_sub_start(struct mqtt_sub *s)
{
	if (!s->opening)
		return;
	s->opening = 0;
	if (s->npend && !s->lost)
		sub_bytes(s, s->pend, s->npend);
	free(s->pend);
	s->pend = NULL;
	s->npend = 0;
}

void mqtt_sub_close(struct mqtt_sub *s)
{
	if (!s)
		return;
	if (!s->q.gone && s->q.m) { /* the teacher counts one viewer fewer */
		char bye[300];
		snprintf(bye, sizeof bye, "%s/bye", s->q.topic);
		mosquitto_publish(s->q.m, NULL, bye, (int)strlen(s->id), s->id, 1, false);
		mosquitto_loop_write(s->q.m, 16);
	}
	mq_close(&s->q);
	for (size_t i = 0; i < s->nearly; i++)
		free(s->early[i].b);
	free(s->early);
	free(s->pend);
	free(s);
}

#endif /* HAVE_MOSQUITTO */
