/* serve: the teacher's side of --serve over TCP (see serve.h for the
 * contract and the wire). Never blocks the loop: non-blocking sockets,
 * one shared buffer per run, a write watcher per viewer only while it is
 * behind. No curses here; what happens is said through serve_cb.
 */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "i18n.h"
#include "mqtt.h"
#include "record.h"

/* One run's recording, from its header: what a late joiner is sent first.
 * Kept while a viewer is still reading it, or while it is the current one. */
struct run_buf {
	unsigned char *p;
	size_t len, cap;
	int ended;           /* the next run began: nothing more is appended */
	int refs;            /* viewers reading it */
	struct run_buf *next;
};

enum { V_HELLO, V_STREAM, V_CLOSING };

struct viewer {
	struct serve *s;
	int fd;
	int state;
	ev_io rw, ww;
	ev_timer hello_w;
	char hello[128];
	size_t hlen;
	const char *reply; /* the handshake answer still to send */
	size_t reply_off;
	struct run_buf *run; /* where it reads; NULL: no run yet */
	size_t off;
	uint64_t sent, produced_at_join;
	uint64_t sent_at_check; /* at the last stall check: has it taken anything since? */
	size_t junk;            /* bytes it sent after its hello */
	ev_tstamp last_progress;
	char addr[64];
	struct viewer *next;
};

struct serve {
	struct ev_loop *loop;
	struct serve_cb cb;
	void *ud;
	struct rec_sink sink;
	char token[SERVE_TOKEN_MAX + 1];
	char cmd[512];
	int lfd;
	ev_io accept_w;
	ev_timer retry_w;  /* out of descriptors: accept again a little later */
	ev_prepare push_w; /* new bytes: wake the viewers that are behind */
	ev_timer stall_w;  /* once a second while some viewer is behind */
	int pending;
	struct run_buf *runs, *cur;
	uint64_t produced;
	struct viewer *viewers;
	int nviewers;
	struct mqtt_pub *mq; /* mqtt://: the broker does the fan-out */
	uint64_t lag_max;
};

static void say(struct serve *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct serve *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (s->cb.notice)
		s->cb.notice(s->ud, msg);
}

/* ---- addresses and tokens (pure) ---- */

int serve_split_addr(const char *spec, char *host, size_t hostlen, unsigned *port)
{
	const char *p;
	size_t hl = 0;
	host[0] = '\0';
	if (spec[0] == '[') { /* [v6]:port */
		const char *close = strchr(spec, ']');
		if (!close || close[1] != ':')
			return -1;
		hl = (size_t)(close - spec - 1);
		if (hl == 0 || hl >= hostlen)
			return -1;
		memcpy(host, spec + 1, hl);
		host[hl] = '\0';
		p = close + 2;
	} else if ((p = strrchr(spec, ':'))) {
		hl = (size_t)(p - spec);
		if (memchr(spec, ':', hl) || hl >= hostlen) /* a bare v6 address needs [] */
			return -1;
		memcpy(host, spec, hl);
		host[hl] = '\0';
		p++;
	} else {
		p = spec;
	}
	if (!*p || strlen(p) > 5)
		return -1;
	unsigned v = 0;
	for (const char *q = p; *q; q++) {
		if (*q < '0' || *q > '9')
			return -1;
		v = v * 10 + (unsigned)(*q - '0');
	}
	if (v > 65535)
		return -1;
	*port = v;
	return 0;
}

const char *serve_token_check(const char *token)
{
	size_t n = strlen(token);
	if (n == 0 || n > SERVE_TOKEN_MAX)
		return _("a token is 1 to 64 letters, digits, '-' or '_'");
	for (size_t i = 0; i < n; i++) {
		char c = token[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return _("a token is 1 to 64 letters, digits, '-' or '_'");
	}
	return NULL;
}

/* Compared in time that does not depend on where they differ. */
static int token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = (unsigned char)(la != lb);
	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* ---- the stream: the engine writes here ---- */

static struct run_buf *run_new(void)
{
	return calloc(1, sizeof(struct run_buf));
}

/* Runs are freed from the oldest: one no viewer reads and that is not
 * the current one. */
static void runs_gc(struct serve *s)
{
	while (s->runs && s->runs != s->cur && s->runs->refs <= 0) {
		struct run_buf *o = s->runs;
		s->runs = o->next;
		free(o->p);
		free(o);
	}
}

static void run_unref(struct serve *s, struct run_buf *r)
{
	if (!r)
		return;
	r->refs--;
	runs_gc(s);
}

static void sink_begin(void *ud)
{
	struct serve *s = ud;
	struct run_buf *r = run_new();
	if (!r)
		return; /* out of memory: the viewers get nothing of this run */
	if (s->cur) {
		s->cur->ended = 1;
		s->cur->next = r;
	} else {
		s->runs = r;
	}
	s->cur = r;
	runs_gc(s);
	for (struct viewer *v = s->viewers; v; v = v->next)
		if (v->state == V_STREAM && !v->run) {
			v->run = r;
			r->refs++;
		}
	if (s->mq)
		mqtt_pub_begin(s->mq);
	s->pending = 1;
}

static void sink_write(void *ud, const void *p, size_t n)
{
	struct serve *s = ud;
	struct run_buf *r = s->cur;
	if (s->mq)
		mqtt_pub_write(s->mq, p, n);
	if (!r)
		return;
	if (r->len + n > r->cap) {
		size_t c = r->cap ? r->cap : 65536;
		while (c < r->len + n)
			c *= 2;
		unsigned char *m = realloc(r->p, c);
		if (!m)
			return; /* the viewers will see a garbled stream and say so */
		r->p = m;
		r->cap = c;
	}
	memcpy(r->p + r->len, p, n);
	r->len += n;
	s->produced += n;
	s->pending = 1;
}

static void sink_flush(void *ud)
{
	struct serve *s = ud;
	if (s->mq)
		mqtt_pub_flush(s->mq);
}

/* ---- viewers ---- */

static void viewer_count(struct serve *s)
{
	if (s->cb.viewers)
		s->cb.viewers(s->ud, s->nviewers);
}

static void viewer_free(struct viewer *v, const char *why)
{
	struct serve *s = v->s;
	ev_io_stop(s->loop, &v->rw);
	ev_io_stop(s->loop, &v->ww);
	ev_timer_stop(s->loop, &v->hello_w);
	close(v->fd);
	for (struct viewer **pp = &s->viewers; *pp; pp = &(*pp)->next)
		if (*pp == v) {
			*pp = v->next;
			break;
		}
	int counted = v->state == V_STREAM; /* a turned-away one was never counted */
	if (v->run)
		run_unref(s, v->run);
	if (counted) {
		s->nviewers--;
		if (why)
			say(s, _("viewer %s left: %s (%d watching)"), v->addr, why, s->nviewers);
		viewer_count(s);
	} else if (why) {
		say(s, _("a viewer from %s was turned away: %s"), v->addr, why);
	}
	free(v);
}

/* Send what it has not had yet; 0 caught up, 1 more waits, -1 it is gone. */
static int viewer_send(struct viewer *v)
{
	struct serve *s = v->s;
	while (v->reply) {
		size_t n = strlen(v->reply) - v->reply_off;
		ssize_t w = send(v->fd, v->reply + v->reply_off, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 1 : -1;
		v->reply_off += (size_t)w;
		if (v->reply_off == strlen(v->reply))
			v->reply = NULL;
	}
	if (v->state == V_CLOSING)
		return -1;
	int sent_any = 0;
	while (v->run) {
		struct run_buf *r = v->run;
		if (v->off < r->len) {
			ssize_t w = send(v->fd, r->p + v->off, r->len - v->off, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				return -1;
			}
			v->off += (size_t)w;
			v->sent += (uint64_t)w;
			sent_any = 1;
			continue;
		}
		if (!r->ended || !r->next)
			break;
		v->run = r->next;
		v->off = 0;
		v->run->refs++;
		run_unref(s, r);
	}
	if (sent_any)
		v->last_progress = ev_now(s->loop);
	if (v->run && (v->off < v->run->len || (v->run->ended && v->run->next)))
		return 1;
	return 0;
}

static void stall_check(struct serve *s);

static void write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct viewer *v = w->data;
	int r = viewer_send(v);
	if (r < 0) {
		viewer_free(v, v->state == V_CLOSING ? NULL : _("the connection broke"));
		return;
	}
	if (r == 0)
		ev_io_stop(loop, w);
}

static void hello_done(struct viewer *v)
{
	struct serve *s = v->s;
	char *nl = memchr(v->hello, '\n', v->hlen);
	*nl = '\0';
	if (nl > v->hello && nl[-1] == '\r')
		nl[-1] = '\0';
	ev_timer_stop(s->loop, &v->hello_w);
	const char *prefix = "LOCKSTEP 1 ";
	if (strncmp(v->hello, prefix, strlen(prefix)) != 0) {
		viewer_free(v, _("it did not greet as a lockstep viewer does"));
		return;
	}
	if (!token_equal(v->hello + strlen(prefix), s->token)) {
		v->state = V_CLOSING; /* say why, then close */
		v->reply = "LOCKSTEP DENIED\n";
		say(s, _("a viewer from %s gave a wrong token"), v->addr);
		ev_io_stop(s->loop, &v->rw);
		if (viewer_send(v) < 0)
			viewer_free(v, NULL);
		else
			ev_io_start(s->loop, &v->ww);
		return;
	}
	v->state = V_STREAM;
	v->reply = "LOCKSTEP OK\n";
	v->run = s->cur; /* from the current run's header: the history first */
	v->off = 0;
	if (v->run)
		v->run->refs++;
	v->produced_at_join = s->produced;
	v->last_progress = ev_now(s->loop);
	s->nviewers++;
	say(s, _("viewer %s attached (%d watching)"), v->addr, s->nviewers);
	viewer_count(s);
	ev_io_start(s->loop, &v->ww);
	if (!ev_is_active(&s->stall_w))
		ev_timer_again(s->loop, &s->stall_w);
}

static void read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct viewer *v = w->data;
	char buf[4096];
	for (int k = 0; k < 4; k++) { /* a bounded amount per wake-up */
		if (v->state == V_HELLO) {
			ssize_t n = recv(v->fd, v->hello + v->hlen, sizeof v->hello - 1 - v->hlen, 0);
			if (n == 0) {
				viewer_free(v, _("it left before its hello"));
				return;
			}
			if (n < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
					return;
				viewer_free(v, strerror(errno));
				return;
			}
			v->hlen += (size_t)n;
			if (memchr(v->hello, '\n', v->hlen)) {
				hello_done(v);
				return;
			}
			if (v->hlen >= sizeof v->hello - 1) {
				viewer_free(v, _("it did not greet as a lockstep viewer does"));
				return;
			}
			continue;
		}
		/* after the hello a viewer has nothing to say: read and drop it */
		ssize_t n = recv(v->fd, buf, sizeof buf, 0);
		if (n == 0) {
			viewer_free(v, _("it closed the connection"));
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				viewer_free(v, strerror(errno));
			return;
		}
		v->junk += (size_t)n;
		if (v->junk > 65536) { /* a flood: not worth the teacher's time to drain */
			ev_io_stop(loop, w);
			return;
		}
	}
}

static void hello_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	viewer_free(w->data, _("no hello within 5 seconds"));
}

static void addr_name(const struct sockaddr_storage *ss, char *out, size_t n)
{
	char h[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ss;
		inet_ntop(AF_INET, &a->sin_addr, h, sizeof h);
		port = ntohs(a->sin_port);
		snprintf(out, n, "%s:%u", h, port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;
		inet_ntop(AF_INET6, &a->sin6_addr, h, sizeof h);
		port = ntohs(a->sin6_port);
		snprintf(out, n, "[%s]:%u", h, port);
	} else {
		snprintf(out, n, "?");
	}
}

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct serve *s = w->data;
	for (int k = 0; k < 64; k++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				/* level-triggered: it would spin; listen again in a second */
				say(s, _("cannot take more viewers now: %s"), strerror(errno));
				ev_io_stop(loop, &s->accept_w);
				ev_timer_set(&s->retry_w, 1.0, 0.);
				ev_timer_start(loop, &s->retry_w);
			}
			return;
		}
		struct viewer *v = calloc(1, sizeof *v);
		if (!v) {
			close(fd);
			return;
		}
		/* the socket's own buffer is part of what a viewer may hold up */
		int sz = 256 * 1024, one = 1;
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		v->s = s;
		v->fd = fd;
		v->state = V_HELLO;
		addr_name(&ss, v->addr, sizeof v->addr);
		ev_io_init(&v->rw, read_cb, fd, EV_READ);
		v->rw.data = v;
		ev_io_init(&v->ww, write_cb, fd, EV_WRITE);
		v->ww.data = v;
		ev_timer_init(&v->hello_w, hello_timeout_cb, SERVE_HELLO_S, 0.);
		v->hello_w.data = v;
		ev_io_start(loop, &v->rw);
		ev_timer_start(loop, &v->hello_w);
		v->next = s->viewers;
		s->viewers = v;
	}
}

static void retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct serve *s = w->data;
	ev_io_start(loop, &s->accept_w);
}

/* Before the loop sleeps: every viewer that is behind gets its write
 * watcher (one pass per loop iteration, however many records came). */
static void push_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct serve *s = w->data;
	if (!s->pending)
		return;
	s->pending = 0;
	for (struct viewer *v = s->viewers; v; v = v->next)
		if (v->state == V_STREAM && v->run)
			ev_io_start(loop, &v->ww);
}

/* A viewer that stops reading is dropped: it may hold the teacher's
 * memory (the runs it still reads) only so far. */
static void stall_check(struct serve *s)
{
	ev_tstamp now = ev_now(s->loop);
	int behind = 0;
	for (struct viewer *v = s->viewers, *nx; v; v = nx) {
		nx = v->next;
		if (v->state != V_STREAM || !v->run)
			continue;
		int waiting = v->off < v->run->len || (v->run->ended && v->run->next);
		if (!waiting) {
			v->last_progress = now;
			continue;
		}
		behind = 1;
		uint64_t since = s->produced - v->produced_at_join;
		uint64_t lag = since > v->sent ? since - v->sent : 0;
		int took = v->sent != v->sent_at_check;
		v->sent_at_check = v->sent;
		/* far behind is fine while it keeps reading (a burst, a slow
		 * link), but not for ever: 64 times the limit drops it anyway */
		if ((lag > s->lag_max && !took) || lag / 64 > s->lag_max)
			viewer_free(v, _("it fell too far behind (a viewer that stops reading is dropped)"));
		else if (now - v->last_progress > SERVE_STALL_S)
			viewer_free(v, _("it took nothing for 10 seconds (a viewer that stops reading is dropped)"));
	}
	if (!behind)
		ev_timer_stop(s->loop, &s->stall_w);
}

static void stall_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	stall_check(w->data);
}

/* ---- opening and closing ---- */

static int make_token(char *out)
{
	unsigned char b[8];
	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		return -1;
	for (size_t i = 0; i < sizeof b; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* Listening on every interface (0.0.0.0, ::): the command students type
 * names this machine's first address that is not loopback, since
 * "0.0.0.0" reaches nobody else's machine. */
static void wildcard_name(const struct sockaddr_storage *ss, char *name, size_t n)
{
	int v4 = ss->ss_family == AF_INET &&
	         ((const struct sockaddr_in *)(const void *)ss)->sin_addr.s_addr == htonl(INADDR_ANY);
	int v6 = ss->ss_family == AF_INET6 &&
	         IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr);
	if (!v4 && !v6)
		return;
	unsigned port = ntohs(v4 ? ((const struct sockaddr_in *)(const void *)ss)->sin_port
	                         : ((const struct sockaddr_in6 *)(const void *)ss)->sin6_port);
	struct ifaddrs *ifs = NULL, *best = NULL;
	if (getifaddrs(&ifs) != 0)
		return;
	for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK) || !(i->ifa_flags & IFF_UP))
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			best = i;
			break; /* IPv4 first: what a classroom's machines have */
		}
		if (i->ifa_addr->sa_family == AF_INET6 && v6 && !best &&
		    !IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr))
			best = i;
	}
	if (best) {
		char h[INET6_ADDRSTRLEN];
		if (best->ifa_addr->sa_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)best->ifa_addr)->sin_addr, h, sizeof h);
			snprintf(name, n, "%s:%u", h, port);
		} else {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)best->ifa_addr)->sin6_addr, h,
			          sizeof h);
			snprintf(name, n, "[%s]:%u", h, port);
		}
	}
	freeifaddrs(ifs);
}

static int listen_on(struct serve *s, const char *spec, int *usage, char *err, size_t errlen)
{
	char host[256];
	unsigned port = SERVE_DEFAULT_PORT;
	if (spec && *spec && serve_split_addr(spec, host, sizeof host, &port) != 0) {
		*usage = 1;
		snprintf(err, errlen, _("--serve takes PORT, HOST:PORT, [IPV6]:PORT or mqtt://HOST[:PORT]/TOPIC, not '%s'"),
		         spec);
		return -1;
	}
	if (!spec || !*spec)
		host[0] = '\0';
	const char *h = host[0] ? host : "127.0.0.1"; /* loopback unless told */
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *res = NULL;
	char ps[8];
	snprintf(ps, sizeof ps, "%u", port);
	int r = getaddrinfo(h, ps, &hints, &res);
	if (r != 0) {
		snprintf(err, errlen, _("--serve: cannot use the address %s: %s"), h, gai_strerror(r));
		return -1;
	}
	int fd = -1, eno = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			eno = errno;
			continue;
		}
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0)
			break;
		eno = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, _("--serve: cannot listen on %s:%u: %s"), h, port, strerror(eno));
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char name[80];
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		close(fd);
		return -1;
	}
	addr_name(&ss, name, sizeof name); /* port 0 asked: the one the kernel chose */
	wildcard_name(&ss, name, sizeof name);
	snprintf(s->cmd, sizeof s->cmd, "lockstep --attach=%s --token=%s", name, s->token);
	s->lfd = fd;
	ev_io_init(&s->accept_w, accept_cb, fd, EV_READ);
	s->accept_w.data = s;
	ev_io_start(s->loop, &s->accept_w);
	return 0;
}

struct serve *serve_open(struct ev_loop *loop, const char *spec, const char *token,
                         const struct serve_cb *cb, void *ud, int *usage, char *err,
                         size_t errlen)
{
	*usage = 0;
	struct serve *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	s->loop = loop;
	s->lag_max = SERVE_LAG_MAX;
	/* for tests: a small limit drops a stalled viewer after a short run */
	const char *lag = getenv("LOCKSTEP_SERVE_LAG_MAX");
	if (lag && *lag) {
		char *end;
		unsigned long long v = strtoull(lag, &end, 10);
		if (!*end && v >= 4096)
			s->lag_max = v;
	}
	if (cb)
		s->cb = *cb;
	s->ud = ud;
	s->lfd = -1;
	if (token)
		snprintf(s->token, sizeof s->token, "%s", token);
	else if (make_token(s->token) != 0) {
		snprintf(err, errlen, "getrandom: %s", strerror(errno));
		free(s);
		return NULL;
	}
	s->sink = (struct rec_sink){.begin = sink_begin, .write = sink_write, .flush = sink_flush,
	                            .ud = s};
	ev_init(&s->retry_w, retry_cb);
	s->retry_w.data = s;
	ev_prepare_init(&s->push_w, push_cb);
	s->push_w.data = s;
	ev_init(&s->stall_w, stall_cb);
	s->stall_w.repeat = 1.0;
	s->stall_w.data = s;
	int r;
	if (spec && strncmp(spec, "mqtt://", 7) == 0) {
		s->mq = mqtt_pub_open(loop, spec, s->token, cb, ud, usage, err, errlen);
		r = s->mq ? 0 : -1;
		if (s->mq)
			snprintf(s->cmd, sizeof s->cmd, "lockstep --attach=%s --token=%s", spec, s->token);
	} else {
		r = listen_on(s, spec, usage, err, errlen);
	}
	if (r != 0) {
		free(s);
		return NULL;
	}
	ev_prepare_start(loop, &s->push_w);
	return s;
}

const struct rec_sink *serve_sink(struct serve *s)
{
	return &s->sink;
}

int serve_viewers(const struct serve *s)
{
	return s->mq ? mqtt_pub_viewers(s->mq) : s->nviewers;
}

const char *serve_attach_command(const struct serve *s)
{
	return s->cmd;
}

static int all_sent(struct serve *s)
{
	for (struct viewer *v = s->viewers; v; v = v->next)
		if (v->state == V_CLOSING || (v->state == V_STREAM && v->run &&
		                              (v->off < v->run->len || v->run->next)))
			return 0;
	return 1;
}

static void drain_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
}

void serve_drain(struct serve *s, double timeout_s)
{
	if (s->mq) {
		mqtt_pub_drain(s->mq, timeout_s);
		return;
	}
	ev_timer tick;
	ev_timer_init(&tick, drain_tick, 0.05, 0.05);
	ev_timer_start(s->loop, &tick);
	ev_tstamp until = ev_time() + timeout_s;
	s->pending = 1;
	while (!all_sent(s) && ev_time() < until)
		ev_run(s->loop, EVRUN_ONCE);
	ev_timer_stop(s->loop, &tick);
}

int serve_wait_viewers(struct serve *s, int n, double timeout_s)
{
	ev_timer tick;
	ev_timer_init(&tick, drain_tick, 0.05, 0.05);
	ev_timer_start(s->loop, &tick);
	ev_tstamp until = ev_time() + timeout_s;
	while (serve_viewers(s) < n && ev_time() < until)
		ev_run(s->loop, EVRUN_ONCE);
	ev_timer_stop(s->loop, &tick);
	return serve_viewers(s) >= n ? 0 : -1;
}

void serve_close(struct serve *s)
{
	if (!s)
		return;
	while (s->viewers) {
		/* what was sent is delivered: close after the peer has it all */
		shutdown(s->viewers->fd, SHUT_WR);
		viewer_free(s->viewers, NULL);
	}
	if (s->lfd >= 0) {
		ev_io_stop(s->loop, &s->accept_w);
		close(s->lfd);
	}
	ev_timer_stop(s->loop, &s->retry_w);
	ev_timer_stop(s->loop, &s->stall_w);
	ev_prepare_stop(s->loop, &s->push_w);
	if (s->mq)
		mqtt_pub_close(s->mq);
	while (s->runs) {
		struct run_buf *r = s->runs;
		s->runs = r->next;
		free(r->p);
		free(r);
	}
	free(s);
}
