/* attach's stream parser and the address parsers of --serve/--attach.
 *
 * A served stream is recordings one after another (record.h), cut into
 * reads wherever the network cut them. However it is cut, the parser must
 * hand on the same items in the same order as one read of the whole, and
 * never an item before it is whole (a notice spans several records); a
 * garbled stream stops with where, after handing on what came before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attach.h"
#include "engine.h"
#include "mqtt.h"
#include "record.h"
#include "serve.h"
#include "stream.h"

/* ---- a served stream, made by the real recorder through a sink ---- */

struct bytes {
	unsigned char *p;
	size_t n, cap;
	int begins;
};

static void b_begin(void *ud)
{
	((struct bytes *)ud)->begins++;
}

static void b_write(void *ud, const void *p, size_t n)
{
	struct bytes *b = ud;
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static const struct ls_scene scene = {.abi = LS_SCENE_ABI, .id = "race", .title = "t", .summary = ""};

static const char *long_notice(void)
{
	static char t[600];
	for (size_t i = 0; i < sizeof t - 1; i++)
		t[i] = (char)('a' + i % 26);
	t[sizeof t - 1] = '\0';
	return t;
}

/* One run: the header, the declarations, steps with a settled mark each,
 * a notice that takes several records, the END. */
static void one_run(struct bytes *b, int steps)
{
	struct rec_sink sink = {.begin = b_begin, .write = b_write, .ud = b};
	struct engine_opts o = {0};
	o.scene = &scene;
	char err[256];
	struct recorder *r = recorder_open(NULL, &sink, &o, err, sizeof err);
	assert_non_null(r);
	struct stream s;
	stream_head(&s, 3);
	for (int i = 0; i < s.n; i++)
		recorder_event(r, &s.rec[i]);
	for (int k = 0; k < steps; k++) {
		stream_next(&s);
		for (int i = 0; i < s.n; i++)
			recorder_event(r, &s.rec[i]);
		recorder_settled(r);
		if (k == steps / 2)
			recorder_notice(r, long_notice());
	}
	assert_int_equal(recorder_close(r, LS_OUT_FINISHED, "", 0, 0, err, sizeof err), 0);
}

/* ---- what the parser hands on ---- */

struct seen {
	int begins, events, settled, notices, ends;
	uint64_t sum; /* of the events' seq, in order: a changed order shows */
	char scene[64];
	size_t notice_len;
};

static void s_begin(void *ud, const struct rec_header *h)
{
	struct seen *s = ud;
	s->begins++;
	snprintf(s->scene, sizeof s->scene, "%s", h->scene);
}

static void s_item(void *ud, const struct rec_item *it)
{
	struct seen *s = ud;
	switch (it->kind) {
	case REC_K_EVENT:
		s->events++;
		s->sum = s->sum * 31 + it->ev.seq;
		break;
	case REC_K_SETTLED: s->settled++; break;
	case REC_K_NOTICE:
		s->notices++;
		s->notice_len = strlen(it->text);
		break;
	case REC_K_END: s->ends++; break;
	default: break;
	}
}

static const struct attach_cb cb = {.begin = s_begin, .item = s_item};

static struct seen parse_in_pieces(const struct bytes *b, size_t piece)
{
	struct seen s = {0};
	struct astream as;
	astream_init(&as, &cb, &s);
	for (size_t off = 0; off < b->n; off += piece) {
		size_t n = b->n - off < piece ? b->n - off : piece;
		assert_int_equal(astream_push(&as, b->p + off, n), 0);
	}
	astream_free(&as);
	return s;
}

static void test_any_cut_same_items(void **state)
{
	struct bytes b = {0};
	one_run(&b, 40);
	one_run(&b, 7); /* the teacher restarted: a second recording follows */
	assert_int_equal(b.begins, 2);
	struct seen whole = parse_in_pieces(&b, b.n);
	assert_int_equal(whole.begins, 2);
	assert_string_equal(whole.scene, "race");
	assert_int_equal(whole.settled, 47);
	assert_int_equal(whole.notices, 2);
	assert_int_equal(whole.notice_len, strlen(long_notice()));
	assert_int_equal(whole.ends, 2);
	assert_true(whole.events > 100);
	static const size_t pieces[] = {1, 3, 63, 64, 65, 100, 4096};
	for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
		struct seen s = parse_in_pieces(&b, pieces[i]);
		assert_memory_equal(&s, &whole, sizeof s);
	}
	free(b.p);
}

/* A notice's first records alone are not an item: it waits for its end. */
static void test_notice_waits_for_its_end(void **state)
{
	struct bytes b = {0};
	one_run(&b, 2);
	struct seen s = {0};
	struct astream as;
	astream_init(&as, &cb, &s);
	/* the header's length is not a multiple of 64: search from each offset */
	size_t first = 0;
	for (size_t p = 0; p + LS_EV_SIZE <= b.n && !first; p++) {
		struct ls_event ev;
		memcpy(&ev, b.p + p, sizeof ev);
		if (ev.magic == REC_META_MAGIC && ev.version == REC_VERSION && ev.type == REC_NOTICE &&
		    ev.u.s.a0)
			first = p;
	}
	assert_true(first > 0);
	assert_int_equal(astream_push(&as, b.p, first + LS_EV_SIZE), 0);
	assert_int_equal(s.notices, 0);
	assert_int_equal(astream_push(&as, b.p + first + LS_EV_SIZE, b.n - first - LS_EV_SIZE), 0);
	assert_int_equal(s.notices, 1);
	assert_int_equal(s.ends, 1);
	astream_free(&as);
	free(b.p);
}

static void test_garbled(void **state)
{
	struct seen s = {0};
	struct astream as;
	astream_init(&as, &cb, &s);
	assert_int_equal(astream_push(&as, "HTTP/1.1 200 OK\r\n", 17), -1);
	assert_non_null(strstr(as.err, "garbled"));
	assert_int_equal(s.begins, 0);
	assert_int_equal(astream_push(&as, "more", 4), -1); /* stays stopped */
	astream_free(&as);

	/* a good start, then a record that does not validate */
	struct bytes b = {0};
	one_run(&b, 10);
	size_t cut = b.n - 64 * 20;
	memset(b.p + cut - 64, 0xff, 64);
	memset(&s, 0, sizeof s);
	astream_init(&as, &cb, &s);
	assert_int_equal(astream_push(&as, b.p, cut), -1);
	assert_non_null(strstr(as.err, "record"));
	assert_int_equal(s.begins, 1);
	assert_true(s.events > 20); /* what came before was handed on */
	astream_free(&as);

	/* a notice that never ends is garbled, not waited for without end */
	memset(&s, 0, sizeof s);
	astream_init(&as, &cb, &s);
	struct bytes h = {0};
	one_run(&h, 0);
	uint32_t len; /* keep only the header */
	memcpy(&len, h.p + 16, sizeof len);
	size_t hl = 20 + len;
	assert_int_equal(astream_push(&as, h.p, hl), 0);
	struct ls_event ev;
	memset(&ev, 0, sizeof ev);
	ev.magic = REC_META_MAGIC;
	ev.version = REC_VERSION;
	ev.type = REC_NOTICE;
	ev.u.s.a0 = 1;
	memcpy(ev.u.s.text, "x", 2);
	int r = 0;
	for (int i = 0; i < 1000 && r == 0; i++)
		r = astream_push(&as, &ev, sizeof ev);
	assert_int_equal(r, -1);
	astream_free(&as);
	free(h.p);
	free(b.p);
}

/* Following again after a fork folds the current run from its start. */
static void refold_item(void *ud, const struct rec_item *it)
{
	s_item(ud, it);
}

static void test_refold(void **state)
{
	struct bytes b = {0};
	one_run(&b, 5);
	one_run(&b, 9);
	struct seen s = {0}, again = {0};
	struct astream as;
	astream_init(&as, &cb, &s);
	assert_int_equal(astream_push(&as, b.p, b.n - 64), 0); /* the second run, all but its END */
	assert_int_equal(astream_refold(&as, refold_item, &again), 0);
	assert_int_equal(again.settled, 9);
	assert_true(again.events > 0 && again.events < s.events);
	assert_int_equal(again.ends, 0);
	astream_free(&as);
	free(b.p);
}

static void test_addresses(void **state)
{
	char host[64];
	unsigned port = 0;
	assert_int_equal(serve_split_addr("7878", host, sizeof host, &port), 0);
	assert_string_equal(host, "");
	assert_int_equal(port, 7878);
	assert_int_equal(serve_split_addr("10.0.0.5:80", host, sizeof host, &port), 0);
	assert_string_equal(host, "10.0.0.5");
	assert_int_equal(port, 80);
	assert_int_equal(serve_split_addr("[::1]:9", host, sizeof host, &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(serve_split_addr("::1:9", host, sizeof host, &port), -1);
	assert_int_equal(serve_split_addr("host:", host, sizeof host, &port), -1);
	assert_int_equal(serve_split_addr("host:65536", host, sizeof host, &port), -1);
	assert_int_equal(serve_split_addr("host:12a", host, sizeof host, &port), -1);
	assert_int_equal(serve_split_addr("[::1]9", host, sizeof host, &port), -1);

	char topic[64];
	int p = 0;
	assert_int_equal(mqtt_split("mqtt://broker/room", host, sizeof host, &p, topic, sizeof topic), 0);
	assert_string_equal(host, "broker");
	assert_int_equal(p, 1883);
	assert_string_equal(topic, "room");
	assert_int_equal(mqtt_split("mqtt://b:1884/a/b", host, sizeof host, &p, topic, sizeof topic), 0);
	assert_int_equal(p, 1884);
	assert_string_equal(topic, "a/b");
	assert_int_equal(mqtt_split("mqtt://b/", host, sizeof host, &p, topic, sizeof topic), -1);
	assert_int_equal(mqtt_split("mqtt://b/a/#", host, sizeof host, &p, topic, sizeof topic), -1);
	assert_int_equal(mqtt_split("mqtt://:1/a", host, sizeof host, &p, topic, sizeof topic), -1);
	assert_int_equal(mqtt_split("tcp://b/a", host, sizeof host, &p, topic, sizeof topic), -1);

	assert_null(serve_token_check("3f9c0a1b2d4e5f60"));
	assert_null(serve_token_check("class-42_a"));
	assert_non_null(serve_token_check(""));
	assert_non_null(serve_token_check("with space"));
	assert_non_null(serve_token_check("a/b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_any_cut_same_items),
		cmocka_unit_test(test_notice_waits_for_its_end),
		cmocka_unit_test(test_garbled),
		cmocka_unit_test(test_refold),
		cmocka_unit_test(test_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
