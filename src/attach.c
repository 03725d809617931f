/* attach: the viewer's side of --serve (attach.h). The parser is pure; the
 * connection is made and greeted before the front end starts, then read
 * on the loop without blocking. No curses here.
 */
#include "attach.h"

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "mqtt.h"
#include "serve.h"

#define PREFIX 20 /* a recording's magic, byte order, version, header length */

/* ---- the stream parser ---- */

void astream_init(struct astream *as, const struct attach_cb *cb, void *ud)
{
	memset(as, 0, sizeof *as);
	as->cb = *cb;
	as->ud = ud;
}

void astream_free(struct astream *as)
{
	free(as->buf);
	as->buf = NULL;
	as->len = as->cap = 0;
}

static int garbled(struct astream *as, const char *what)
{
	snprintf(as->err, sizeof as->err, _("the stream is garbled: %s"), what);
	return -1;
}

/* The end of the last whole item from `from`: a text mark that goes on,
 * or the run's error (its END follows), is not an end. */
static size_t whole(const struct astream *as, size_t from)
{
	size_t safe = from;
	int run = 0;
	for (size_t p = from; p + LS_EV_SIZE <= as->len; p += LS_EV_SIZE) {
		struct ls_event ev;
		memcpy(&ev, as->buf + p, sizeof ev);
		/* a text longer than any a recording holds is garbled: let the
		 * reader say so rather than wait for its end */
		if (ev.magic == REC_META_MAGIC && run < REC_TEXT_MAX / 8 &&
		    ((ev.type == REC_NOTICE && ev.u.s.a0) || ev.type == REC_ERROR)) {
			run++;
			continue;
		}
		run = 0;
		safe = p + LS_EV_SIZE;
	}
	return safe;
}

static int parse(struct astream *as)
{
	for (;;) {
		if (as->ended) { /* what follows the END is the next run */
			size_t used = as->rd.pos;
			memmove(as->buf, as->buf + used, as->len - used);
			as->len -= used;
			as->open = as->ended = 0;
			memset(&as->rd, 0, sizeof as->rd);
		}
		if (!as->open) {
			if (as->len < 8)
				return 0;
			if (memcmp(as->buf, REC_MAGIC, 8) != 0)
				return garbled(as, _("it does not begin a lockstep recording"));
			if (as->len < PREFIX)
				return 0;
			uint32_t hl;
			memcpy(&hl, as->buf + 16, sizeof hl);
			if (hl > REC_HEADER_MAX)
				return garbled(as, _("a header longer than a recording's"));
			if (as->len < PREFIX + hl)
				return 0;
			if (rec_open(&as->rd, as->buf, PREFIX + hl) != 0)
				return garbled(as, as->rd.err);
			as->open = 1;
			as->runs++;
			if (as->cb.begin)
				as->cb.begin(as->ud, &as->rd.h);
		}
		size_t end = whole(as, as->rd.pos);
		as->rd.buf = as->buf;
		as->rd.len = end;
		while (as->rd.pos < as->rd.len) {
			enum rec_kind k = rec_next(&as->rd, &as->it);
			if (k == REC_K_BAD)
				return garbled(as, as->rd.err);
			if (as->cb.item)
				as->cb.item(as->ud, &as->it);
			if (k == REC_K_END) {
				as->ended = 1;
				break;
			}
		}
		if (!as->ended)
			return 0;
	}
}

int astream_push(struct astream *as, const void *p, size_t n)
{
	if (as->err[0])
		return -1;
	if (as->len + n > ASTREAM_MAX)
		return garbled(as, _("one run is larger than 1 GiB"));
	if (as->len + n > as->cap) {
		size_t c = as->cap ? as->cap : 65536;
		while (c < as->len + n)
			c *= 2;
		unsigned char *m = realloc(as->buf, c);
		if (!m) {
			snprintf(as->err, sizeof as->err, "%s", _("out of memory"));
			return -1;
		}
		as->buf = m;
		as->cap = c;
	}
	memcpy(as->buf + as->len, p, n);
	as->len += n;
	return parse(as);
}

int astream_refold(const struct astream *as, void (*item)(void *ud, const struct rec_item *it),
                   void *ud)
{
	if (!as->open)
		return -1;
	struct rec_reader *rd = malloc(sizeof *rd);
	struct rec_item *it = malloc(sizeof *it);
	int rc = -1;
	if (!rd || !it)
		goto done;
	size_t upto = as->rd.pos;
	if (rec_open(rd, as->buf, as->rd.base) != 0)
		goto done;
	rd->len = upto;
	while (rd->pos < rd->len) {
		enum rec_kind k = rec_next(rd, it);
		if (k == REC_K_BAD)
			break;
		item(ud, it);
		if (k == REC_K_END)
			break;
	}
	rc = 0;
done:
	free(rd);
	free(it);
	return rc;
}

/* ---- the connection ---- */

struct attach {
	struct ev_loop *loop;
	int fd;
	ev_io rw;
	struct astream as;
	char where[300];
	int lost;
	struct mqtt_sub *mq;
};

static void lose(struct attach *a, const char *why)
{
	if (a->lost)
		return;
	a->lost = 1;
	if (a->fd >= 0)
		ev_io_stop(a->loop, &a->rw);
	if (a->as.cb.lost)
		a->as.cb.lost(a->as.ud, why);
}

static void read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct attach *a = w->data;
	static unsigned char buf[65536];
	for (int k = 0; k < 16 && !a->lost; k++) { /* a bounded amount per wake-up */
		ssize_t n = recv(a->fd, buf, sizeof buf, 0);
		if (n == 0) {
			char why[400];
			if (a->as.open && !a->as.ended)
				snprintf(why, sizeof why, _("%s closed the stream in the middle of a run (a "
				                            "viewer that falls behind is dropped)"), a->where);
			else
				snprintf(why, sizeof why, _("%s stopped serving"), a->where);
			lose(a, why);
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			char why[400];
			snprintf(why, sizeof why, "%s: %s", a->where, strerror(errno));
			lose(a, why);
			return;
		}
		int r = astream_push(&a->as, buf, (size_t)n);
		if (a->as.cb.batch)
			a->as.cb.batch(a->as.ud);
		if (r != 0) {
			char why[1000];
			snprintf(why, sizeof why, "%s: %s", a->where, a->as.err);
			lose(a, why);
			return;
		}
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for fd to be ready, until the deadline: 0, -1 timed out (errno). */
static int wait_fd(int fd, short what, double deadline)
{
	for (;;) {
		double left = deadline - now_s();
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		struct pollfd p = {.fd = fd, .events = what};
		int r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

static int connect_tcp(struct attach *a, const char *spec, const char *token, int *usage,
                       char *err, size_t errlen)
{
	char host[256];
	unsigned port;
	if (serve_split_addr(spec, host, sizeof host, &port) != 0 || !host[0] || port == 0) {
		*usage = 1;
		snprintf(err, errlen, _("--attach takes HOST:PORT, [IPV6]:PORT or mqtt://HOST[:PORT]/TOPIC, not '%s'"),
		         spec);
		return -1;
	}
	snprintf(a->where, sizeof a->where, "%s", spec);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_NUMERICSERV}, *res = NULL;
	char ps[8];
	snprintf(ps, sizeof ps, "%u", port);
	int r = getaddrinfo(host, ps, &hints, &res);
	if (r != 0) {
		snprintf(err, errlen, _("--attach: cannot find %s: %s"), host, gai_strerror(r));
		return -1;
	}
	int fd = -1, eno = ECONNREFUSED;
	double deadline = now_s() + 10;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			eno = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
			eno = errno;
			close(fd);
			fd = -1;
			continue;
		}
		int soerr = 0;
		socklen_t sl = sizeof soerr;
		if (wait_fd(fd, POLLOUT, deadline) != 0 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
			eno = soerr ? soerr : errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, _("--attach: cannot connect to %s: %s"), spec, strerror(eno));
		return -1;
	}
	a->fd = fd;
	char hello[128];
	int hl = snprintf(hello, sizeof hello, "LOCKSTEP 1 %s\n", token);
	if (send(fd, hello, (size_t)hl, MSG_NOSIGNAL) != hl) {
		snprintf(err, errlen, _("--attach: cannot greet %s: %s"), spec, strerror(errno));
		return -1;
	}
	/* the answer, one line; what follows it is the stream */
	char line[64];
	size_t n = 0;
	while (n < sizeof line - 1) {
		if (wait_fd(fd, POLLIN, deadline) != 0) {
			snprintf(err, errlen, _("--attach: %s did not answer: %s"), spec, strerror(errno));
			return -1;
		}
		ssize_t got = recv(fd, line + n, 1, 0);
		if (got <= 0) {
			if (got < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			snprintf(err, errlen, _("--attach: %s closed the connection without an answer"), spec);
			return -1;
		}
		if (line[n++] == '\n')
			break;
	}
	line[n] = '\0';
	if (strcmp(line, "LOCKSTEP OK\n") == 0)
		return 0;
	if (strcmp(line, "LOCKSTEP DENIED\n") == 0)
		snprintf(err, errlen, _("--attach: %s refused the token (ask the teacher for the command "
		                        "lockstep printed)"), spec);
	else
		snprintf(err, errlen, _("--attach: %s is not a lockstep serving a lecture"), spec);
	return -1;
}

struct attach *attach_open(struct ev_loop *loop, const char *spec, const char *token,
                           const struct attach_cb *cb, void *ud, int *usage, char *err,
                           size_t errlen)
{
	*usage = 0;
	struct attach *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	a->loop = loop;
	a->fd = -1;
	astream_init(&a->as, cb, ud);
	if (strncmp(spec, "mqtt://", 7) == 0) {
		snprintf(a->where, sizeof a->where, "%s", spec);
		a->mq = mqtt_sub_open(loop, spec, token, &a->as, usage, err, errlen);
		if (!a->mq) {
			free(a);
			return NULL;
		}
		return a;
	}
	if (connect_tcp(a, spec, token, usage, err, errlen) != 0) {
		if (a->fd >= 0)
			close(a->fd);
		free(a);
		return NULL;
	}
	ev_io_init(&a->rw, read_cb, a->fd, EV_READ);
	a->rw.data = a;
	ev_io_start(loop, &a->rw);
	return a;
}

void attach_start(struct attach *a)
{
	if (a->mq)
		mqtt_sub_start(a->mq);
}

void attach_close(struct attach *a)
{
	if (!a)
		return;
	if (a->mq)
		mqtt_sub_close(a->mq);
	if (a->fd >= 0) {
		ev_io_stop(a->loop, &a->rw);
		close(a->fd);
	}
	astream_free(&a->as);
	free(a);
}

const char *attach_where(const struct attach *a)
{
	return a->where;
}

const struct astream *attach_stream(const struct attach *a)
{
	return &a->as;
}
