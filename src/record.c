/* record: writing and reading recordings. See record.h for the format.
 *
 * The writer is called by the engine for every record it folds, so it must
 * be cheap: records go through stdio's buffer and are flushed at each
 * settled step and at the end. A write error is remembered and reported
 * once, when the recording is closed; it never stops the scene.
 */
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "engine.h"
#include "i18n.h"
#include "program.h"

#ifndef LS_VERSION
#define LS_VERSION "0"
#endif

#define REC_BOM 0x01020304u
#define REC_PREFIX 20 /* magic, byte order, version, header length */

struct recorder {
	FILE *f;       /* NULL: no file, the sink only */
	char *path;
	int werr; /* errno of the first failed write, or 0 */
	struct rec_sink sink; /* .write NULL: none */
};

/* ---- writing ---- */

static void put(struct recorder *r, const void *p, size_t n)
{
	if (r->f && !r->werr && fwrite(p, 1, n, r->f) != n)
		r->werr = errno ? errno : EIO;
	if (r->sink.write)
		r->sink.write(r->sink.ud, p, n);
}

static void sink_flush(struct recorder *r)
{
	if (r->sink.flush)
		r->sink.flush(r->sink.ud);
}

static void mark(struct recorder *r, enum rec_mark kind, int64_t a0, int64_t a1, int64_t a2)
{
	struct ls_event ev;
	memset(&ev, 0, sizeof ev);
	ev.magic = REC_META_MAGIC;
	ev.version = REC_VERSION;
	ev.type = (uint8_t)kind;
	ev.worker = ev.object = -1;
	ev.u.a[0] = a0;
	ev.u.a[1] = a1;
	ev.u.a[2] = a2;
	put(r, &ev, sizeof ev);
}

static void text_marks(struct recorder *r, enum rec_mark kind, const char *text)
{
	const char *p = text;
	do {
		struct ls_event ev;
		memset(&ev, 0, sizeof ev);
		ev.magic = REC_META_MAGIC;
		ev.version = REC_VERSION;
		ev.type = (uint8_t)kind;
		ev.worker = ev.object = -1;
		size_t used = event_set_text(&ev, p);
		p += used;
		ev.u.s.a0 = *p != '\0' && used > 0;
		put(r, &ev, sizeof ev);
		if (used == 0)
			break;
	} while (*p);
}

struct recorder *recorder_open(const char *path, const struct rec_sink *sink,
                               const struct engine_opts *o, char *err, size_t errlen)
{
	struct recorder *r = calloc(1, sizeof *r);
	char *text = malloc(REC_HEADER_MAX);
	if (!r || !text || (path && !(r->path = strdup(path)))) {
		snprintf(err, errlen, "%s", _("out of memory"));
		goto fail;
	}
	if (path) {
		r->f = fopen(path, "wbx");
		if (!r->f && errno == EEXIST) { /* replace it, but never follow a link */
			if (unlink(path) == 0)
				r->f = fopen(path, "wbx");
		}
		if (!r->f) {
			snprintf(err, errlen, _("cannot write the recording %s: %s"), path,
			         strerror(errno));
			goto fail;
		}
	}
	if (sink) {
		r->sink = *sink;
		if (r->sink.begin)
			r->sink.begin(r->sink.ud);
	}
	size_t n = 0;
	n += (size_t)snprintf(text + n, REC_HEADER_MAX - n, "lockstep=%s\nscene=%s\n", LS_VERSION,
	                      o->scene->id);
	for (int i = 0; o->scene->params && o->scene->params[i].name && i < LS_PARAMS_MAX; i++) {
		char v[64];
		n += (size_t)snprintf(text + n, REC_HEADER_MAX - n, "param=%s=%s\n",
		                      o->scene->params[i].name,
		                      params_show(o->scene, i, o->params[i], v, sizeof v));
	}
	const struct program *prog = program_of(o->scene);
	if (prog && prog->args) { /* lockstep run -- ARGS: the program, for --rerun */
		size_t total = 0;
		int ok = 1;
		for (int i = 0; prog->args[i]; i++) {
			total += strlen(prog->args[i]) + 1;
			ok = ok && !strchr(prog->args[i], '\n');
		}
		if (ok && total <= sizeof ((struct rec_header *)0)->args)
			for (int i = 0; prog->args[i]; i++)
				n += (size_t)snprintf(text + n, REC_HEADER_MAX - n, "arg=%s\n", prog->args[i]);
	}
	if (o->schedule && strlen(o->schedule) < sizeof ((struct rec_header *)0)->schedule)
		n += (size_t)snprintf(text + n, REC_HEADER_MAX - n, "schedule=%s\n", o->schedule);
	n += (size_t)snprintf(text + n, REC_HEADER_MAX - n,
	                      "sched=%s\nseed=%llu\nmode=%s\nfree=%d\nuntil=%s\n",
	                      o->sched == LS_SCHED_SEED ? "seed" : "fifo",
	                      (unsigned long long)o->seed, o->mode == LS_MODE_RUN ? "run" : "step",
	                      o->free_run, o->until_deadlock ? "deadlock" : "end");
	if (n >= REC_HEADER_MAX)
		n = REC_HEADER_MAX - 1;
	uint32_t pre[3] = {REC_BOM, REC_VERSION, (uint32_t)n};
	put(r, REC_MAGIC, 8);
	put(r, pre, sizeof pre);
	put(r, text, n);
	free(text);
	return r;
fail:
	free(text);
	if (r) {
		free(r->path);
		free(r);
	}
	return NULL;
}

void recorder_event(struct recorder *r, const struct ls_event *ev)
{
	unsigned char b[LS_EV_SIZE];
	event_encode(ev, b);
	put(r, b, sizeof b);
}

void recorder_settled(struct recorder *r)
{
	mark(r, REC_SETTLED, 0, 0, 0);
	if (r->f && !r->werr && fflush(r->f) != 0)
		r->werr = errno;
	sink_flush(r);
}

void recorder_notice(struct recorder *r, const char *text)
{
	text_marks(r, REC_NOTICE, text);
}

void recorder_signal(struct recorder *r, int target, int sig)
{
	mark(r, REC_SIGNAL, target, sig, 0);
}

int recorder_close(struct recorder *r, int outcome, const char *error, uint64_t malformed,
                   int check_failed, char *err, size_t errlen)
{
	if (error && *error)
		text_marks(r, REC_ERROR, error);
	mark(r, REC_END, outcome, (int64_t)malformed, check_failed);
	sink_flush(r);
	if (r->f && !r->werr && fflush(r->f) != 0)
		r->werr = errno;
	if (r->f && fclose(r->f) != 0 && !r->werr)
		r->werr = errno;
	int rc = 0;
	if (r->werr) {
		snprintf(err, errlen, _("the recording %s is incomplete: %s"), r->path, strerror(r->werr));
		rc = -1;
	}
	free(r->path);
	free(r);
	return rc;
}

void recorder_discard(struct recorder *r)
{
	if (r->sink.write) { /* viewers saw the header: the run they wait for ends */
		FILE *f = r->f;
		r->f = NULL;
		mark(r, REC_END, LS_OUT_ERROR, 0, 0);
		sink_flush(r);
		r->f = f;
	}
	if (r->f) {
		fclose(r->f);
		unlink(r->path);
	}
	free(r->path);
	free(r);
}

/* ---- reading ---- */

static int bad(struct rec_reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct rec_reader *rd, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (rd->base)
		snprintf(rd->err, sizeof rd->err, _("record %llu (byte %zu): %s"),
		         (unsigned long long)rd->index + 1, rd->pos, what);
	else
		snprintf(rd->err, sizeof rd->err, _("header (byte %zu): %s"), rd->pos, what);
	rd->bad = 1;
	return -1;
}

static int copy_value(char *dst, size_t n, const char *v, size_t vl)
{
	if (vl >= n)
		return -1;
	memcpy(dst, v, vl);
	dst[vl] = '\0';
	return 0;
}

static int parse_u64(const char *v, size_t vl, uint64_t *out)
{
	if (vl == 0 || vl > 20)
		return -1;
	uint64_t x = 0;
	for (size_t i = 0; i < vl; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		uint64_t d = (uint64_t)(v[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*out = x;
	return 0;
}

/* One "key=value" line of the header. Unknown keys are skipped, so a
 * writer of the same format version may add some. */
static int header_line(struct rec_reader *rd, const char *l, size_t n)
{
	struct rec_header *h = &rd->h;
	const char *eq = memchr(l, '=', n);
	if (!eq)
		return bad(rd, _("a header line is not key=value"));
	size_t kl = (size_t)(eq - l), vl = n - kl - 1;
	const char *v = eq + 1;
	int r = 0;
	uint64_t x = 0;
#define KEY(s) (kl == sizeof s - 1 && memcmp(l, s, kl) == 0)
	if (KEY("lockstep"))
		r = copy_value(h->lockstep, sizeof h->lockstep, v, vl);
	else if (KEY("scene"))
		r = copy_value(h->scene, sizeof h->scene, v, vl);
	else if (KEY("param")) {
		if (h->nparams >= LS_PARAMS_MAX || !memchr(v, '=', vl))
			return bad(rd, _("too many parameters, or one that is not NAME=VALUE"));
		r = copy_value(h->params[h->nparams++], sizeof h->params[0], v, vl);
	} else if (KEY("arg")) {
		if (h->args_len + vl + 1 > sizeof h->args)
			return bad(rd, _("the program's arguments are too long"));
		memcpy(h->args + h->args_len, v, vl);
		h->args[h->args_len + vl] = '\0';
		h->args_len += vl + 1;
		h->nargs++;
	} else if (KEY("schedule"))
		r = copy_value(h->schedule, sizeof h->schedule, v, vl);
	else if (KEY("sched"))
		h->seeded = vl == 4 && memcmp(v, "seed", 4) == 0;
	else if (KEY("seed")) {
		r = parse_u64(v, vl, &x);
		h->seed = x;
	} else if (KEY("mode"))
		h->mode = vl == 3 && memcmp(v, "run", 3) == 0 ? LS_MODE_RUN : LS_MODE_STEP;
	else if (KEY("free"))
		h->free_run = vl == 1 && v[0] == '1';
	else if (KEY("until"))
		h->until_deadlock = vl == 8 && memcmp(v, "deadlock", 8) == 0;
#undef KEY
	if (r)
		return bad(rd, _("the value of '%.*s' is too long or not a number"), (int)kl, l);
	return 0;
}

int rec_open(struct rec_reader *rd, const unsigned char *buf, size_t len)
{
	memset(rd, 0, sizeof *rd);
	rd->buf = buf;
	rd->len = len;
	if (len < 8 || memcmp(buf, REC_MAGIC, 8) != 0)
		return bad(rd, "%s", _("not a lockstep recording"));
	if (len < REC_PREFIX) {
		rd->pos = len;
		return bad(rd, "%s", _("truncated"));
	}
	uint32_t pre[3];
	memcpy(pre, buf + 8, sizeof pre);
	rd->pos = 8;
	if (pre[0] != REC_BOM)
		return bad(rd, "%s", _("written on a machine of another byte order"));
	rd->pos = 12;
	rd->h.version = pre[1];
	if (pre[1] > REC_VERSION)
		return bad(rd, _("format version %u is newer than this lockstep reads (%u): "
		                 "upgrade lockstep"), pre[1], REC_VERSION);
	if (pre[1] == 0)
		return bad(rd, "%s", _("format version 0 does not exist"));
	rd->pos = 16;
	if (pre[2] > REC_HEADER_MAX || pre[2] > len - REC_PREFIX)
		return bad(rd, _("the header says it is %u bytes, more than the file holds"), pre[2]);
	const char *t = (const char *)buf + REC_PREFIX, *end = t + pre[2];
	while (t < end) {
		rd->pos = (size_t)(t - (const char *)buf);
		const char *nl = memchr(t, '\n', (size_t)(end - t));
		if (!nl)
			return bad(rd, "%s", _("the header's last line has no end"));
		if (memchr(t, '\0', (size_t)(nl - t)))
			return bad(rd, "%s", _("the header holds a NUL byte"));
		if (nl > t && header_line(rd, t, (size_t)(nl - t)) != 0)
			return -1;
		t = nl + 1;
	}
	if (!rd->h.scene[0])
		return bad(rd, "%s", _("the header names no scene"));
	rd->pos = rd->base = REC_PREFIX + pre[2];
	return 0;
}

enum raw { RAW_EVENT, RAW_MARK, RAW_EOF, RAW_BAD };

static enum raw next_raw(struct rec_reader *rd, struct ls_event *ev)
{
	if (rd->bad)
		return RAW_BAD;
	if (rd->pos == rd->len) {
		if (rd->ended)
			return RAW_EOF;
		bad(rd, "%s", _("the file ends here, before the run's end: truncated"));
		return RAW_BAD;
	}
	if (rd->ended) {
		bad(rd, "%s", _("data after the run's end"));
		return RAW_BAD;
	}
	if (rd->len - rd->pos < LS_EV_SIZE) {
		bad(rd, _("the last record is cut short (%zu of %d bytes): truncated"),
		    rd->len - rd->pos, LS_EV_SIZE);
		return RAW_BAD;
	}
	memcpy(ev, rd->buf + rd->pos, LS_EV_SIZE);
	if (ev->magic == REC_META_MAGIC) {
		if (ev->version != REC_VERSION || ev->type < REC_SETTLED || ev->type > REC_END) {
			bad(rd, _("unknown mark %u (version %u)"), ev->type, ev->version);
			return RAW_BAD;
		}
		if ((ev->type == REC_NOTICE || ev->type == REC_ERROR) &&
		    !memchr(ev->u.s.text, '\0', LS_EV_TEXT)) {
			bad(rd, "%s", _("a text mark whose text has no end"));
			return RAW_BAD;
		}
		if (ev->type == REC_END && (ev->u.a[0] < LS_OUT_NONE || ev->u.a[0] > LS_OUT_STOPPED ||
		                            ev->u.a[1] < 0)) {
			bad(rd, _("the end mark's outcome %lld is unknown"), (long long)ev->u.a[0]);
			return RAW_BAD;
		}
		return RAW_MARK;
	}
	enum ls_ev_error e = event_decode(rd->buf + rd->pos, ev);
	if (e != LS_EV_OK) {
		bad(rd, _("not a valid record: %s"), event_error_name(e));
		return RAW_BAD;
	}
	return RAW_EVENT;
}

static enum rec_kind item(struct rec_reader *rd, struct rec_item *it, enum rec_kind k)
{
	rd->pos += LS_EV_SIZE;
	rd->index++;
	return it->kind = k;
}

enum rec_kind rec_next(struct rec_reader *rd, struct rec_item *it)
{
	size_t tl = 0;
	int more = 0;       /* a text mark of this type must continue */
	int error_text = 0; /* the run's error was read: END must follow */
	it->text[0] = '\0';
	for (;;) {
		enum raw k = next_raw(rd, &it->ev);
		if (k == RAW_BAD)
			return it->kind = REC_K_BAD;
		if (k == RAW_EOF)
			return it->kind = REC_K_EOF;
		const struct ls_event *ev = &it->ev;
		int type = k == RAW_MARK ? ev->type : -1;
		if ((more && type != more) || (error_text && type != REC_END)) {
			bad(rd, "%s", _("a text mark's continuation is missing"));
			return it->kind = REC_K_BAD;
		}
		if (k == RAW_EVENT)
			return item(rd, it, REC_K_EVENT);
		if (type == REC_NOTICE || type == REC_ERROR) {
			size_t n = strlen(ev->u.s.text);
			if (tl + n < sizeof it->text) {
				memcpy(it->text + tl, ev->u.s.text, n + 1);
				tl += n;
			}
			more = ev->u.s.a0 ? type : 0;
			if (type == REC_NOTICE && !more)
				return item(rd, it, REC_K_NOTICE);
			error_text = type == REC_ERROR && !more;
			rd->pos += LS_EV_SIZE;
			rd->index++;
			continue;
		}
		for (int i = 0; i < 3; i++)
			it->a[i] = ev->u.a[i];
		if (type == REC_SETTLED)
			return item(rd, it, REC_K_SETTLED);
		if (type == REC_SIGNAL)
			return item(rd, it, REC_K_SIGNAL);
		rd->ended = 1;
		return item(rd, it, REC_K_END);
	}
}

int rec_file_open(struct rec_file *f, const char *path, char *err, size_t errlen)
{
	memset(f, 0, sizeof *f);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, _("cannot read the recording %s: %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, _("cannot read the recording %s: not a regular file"), path);
		close(fd);
		return -1;
	}
	f->len = (size_t)st.st_size;
	if (f->len > 0) {
		void *m = mmap(NULL, f->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			snprintf(err, errlen, _("cannot read the recording %s: %s"), path, strerror(errno));
			close(fd);
			return -1;
		}
		f->map = m;
	}
	close(fd);
	if (rec_open(&f->rd, f->map, f->len) != 0) {
		snprintf(err, errlen, "%s: %s", path, f->rd.err);
		rec_file_close(f);
		return -1;
	}
	return 0;
}

void rec_file_close(struct rec_file *f)
{
	if (f->map)
		munmap(f->map, f->len);
	f->map = NULL;
}

/* ---- replaying ---- */

int rec_feed(struct engine *e, struct rec_reader *rd, struct rec_item *it, uint64_t max)
{
	for (uint64_t n = 0; max == 0 || n < max; n++) {
		switch (rec_next(rd, it)) {
		case REC_K_EVENT:
			engine_replay_event(e, &it->ev);
			break;
		case REC_K_SETTLED:
			engine_replay_settled(e);
			break;
		case REC_K_NOTICE:
			engine_replay_notice(e, it->text);
			break;
		case REC_K_SIGNAL:
			break; /* its SIGNAL records are folded like any other */
		case REC_K_END: {
			enum ls_outcome out = (enum ls_outcome)it->a[0];
			uint64_t malformed = (uint64_t)it->a[1];
			int check_failed = it->a[2] != 0;
			char *why = strdup(it->text);
			if (rec_next(rd, it) == REC_K_BAD) /* nothing may follow the end */
				engine_replay_end(e, LS_OUT_ERROR, rd->err, 0, 0);
			else
				engine_replay_end(e, out, why ? why : "", malformed, check_failed);
			free(why);
			return 1;
		}
		case REC_K_EOF:
			return 1;
		case REC_K_BAD:
			engine_replay_end(e, LS_OUT_ERROR, rd->err, 0, 0);
			return 1;
		}
	}
	return 0;
}

/* ---- re-running ---- */

static int append(char **s, size_t *n, size_t *cap, const char *entry)
{
	size_t el = strlen(entry);
	if (*n + el + 2 > *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		while (c < *n + el + 2)
			c *= 2;
		char *m = realloc(*s, c);
		if (!m)
			return -1;
		*s = m;
		*cap = c;
	}
	if (*n)
		(*s)[(*n)++] = ',';
	memcpy(*s + *n, entry, el + 1);
	*n += el;
	return 0;
}

int rec_schedule(const unsigned char *buf, size_t len, char **out, char *err, size_t errlen)
{
	struct rec_reader *rd = malloc(sizeof *rd);
	struct rec_item *it = malloc(sizeof *it);
	char *s = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;
	*out = NULL;
	if (!rd || !it) {
		snprintf(err, errlen, "%s", _("out of memory"));
		goto done;
	}
	if (rec_open(rd, buf, len) != 0) {
		snprintf(err, errlen, "%s", rd->err);
		goto done;
	}
	if (rd->h.mode == LS_MODE_RUN || rd->h.free_run) {
		snprintf(err, errlen, "%s", _("the recording is of a free run: the kernel scheduled it, "
		                              "so there is no schedule to re-run"));
		goto done;
	}
	for (;;) {
		enum rec_kind k = rec_next(rd, it);
		char e[64];
		e[0] = '\0';
		if (k == REC_K_BAD) {
			snprintf(err, errlen, "%s", rd->err);
			goto done;
		}
		if (k == REC_K_EOF || k == REC_K_END)
			break;
		if (k == REC_K_SIGNAL) {
			if (it->a[0] < 0)
				snprintf(e, sizeof e, "signal:group:%lld", (long long)it->a[1]);
			else
				snprintf(e, sizeof e, "signal:%lld:%lld", (long long)it->a[0],
				         (long long)it->a[1]);
		} else if (k == REC_K_EVENT && it->ev.type == LS_EV_MODE && it->ev.u.a[0] == LS_MODE_RUN) {
			snprintf(err, errlen, "%s", _("the recording runs freely at some point: the kernel "
			                              "scheduled that part, so there is no schedule to re-run"));
			goto done;
		} else if (k == REC_K_EVENT && it->ev.type == LS_EV_GRANT) {
			snprintf(e, sizeof e, "%d", it->ev.worker);
		} else if (k == REC_K_EVENT && it->ev.type == LS_EV_USER) {
			snprintf(e, sizeof e, "key");
		}
		if (e[0] && append(&s, &n, &cap, e) != 0) {
			snprintf(err, errlen, "%s", _("out of memory"));
			goto done;
		}
	}
	if (!s) {
		snprintf(err, errlen, "%s", _("the recording holds no step to re-run"));
		goto done;
	}
	*out = s;
	s = NULL;
	rc = 0;
done:
	free(s);
	free(rd);
	free(it);
	return rc;
}

int rec_rerun_opts(const char *path, const struct catalog *cat, struct engine_opts *o,
                   char **schedule, char *err, size_t errlen)
{
	struct rec_file f;
	char why[600];
	*schedule = NULL;
	if (rec_file_open(&f, path, err, errlen) != 0)
		return -1;
	int rc = -1;
	const struct rec_header *h = &f.rd.h;
	const struct ls_scene *sc = catalog_find(cat, h->scene);
	if (!sc && strcmp(h->scene, "run") == 0) {
		/* lockstep run -- PROGRAM: the program the recording names */
		if (h->nargs == 0) {
			snprintf(err, errlen,
			         _("%s: this recording of 'lockstep run' does not say which program (an older "
			           "lockstep's, or an argument spans lines): run it again with lockstep run -- "
			           "python3 PROGRAM.py"),
			         path);
			goto done;
		}
		char **argv = calloc((size_t)h->nargs + 1, sizeof *argv);
		if (!argv)
			abort();
		const char *p = h->args;
		for (int i = 0; i < h->nargs; i++, p += strlen(p) + 1)
			argv[i] = (char *)p;
		sc = program_scene(argv, why, sizeof why);
		free(argv);
		if (!sc) {
			snprintf(err, errlen, "%s: %s", path, why);
			goto done;
		}
	}
	if (!sc) {
		snprintf(err, errlen, _("%s: the recorded scene '%s' is not found (see lockstep --list)"),
		         path, h->scene);
		goto done;
	}
	o->scene = sc;
	params_defaults(sc, o->params);
	for (int i = 0; i < h->nparams; i++)
		if (params_set(sc, o->params, h->params[i], why, sizeof why) != 0) {
			snprintf(err, errlen, "%s: %s", path, why);
			goto done;
		}
	if (rec_schedule(f.map, f.len, schedule, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto done;
	}
	o->schedule = *schedule;
	o->until_deadlock = h->until_deadlock;
	rc = 0;
done:
	rec_file_close(&f);
	return rc;
}
