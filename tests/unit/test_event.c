/* Unit tests: record encode/decode round trip and every validation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"

static struct ls_event good(int type)
{
	struct ls_event ev;
	event_init(&ev, type, 7, 123456789, 1, 2);
	return ev;
}

static void round_trip(void **state)
{
	(void)state;
	for (int t = 1; t < LS_EV_COUNT; t++) {
		struct ls_event ev = good(t), back;
		if (event_has_text(t))
			event_set_text(&ev, "hello");
		if (t == LS_EV_NAME)
			ev.u.s.a0 = LS_NAME_OBJECT;
		unsigned char buf[LS_EV_SIZE];
		event_encode(&ev, buf);
		assert_int_equal(event_decode(buf, &back), LS_EV_OK);
		assert_memory_equal(&ev, &back, sizeof ev);
	}
}

static void rejects(void **state)
{
	(void)state;
	struct ls_event ev = good(LS_EV_WANT);
	ev.magic = 0x1234;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_MAGIC);
	ev = good(LS_EV_WANT);
	ev.version = 9;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_VERSION);
	ev = good(LS_EV_WANT);
	ev.type = 0;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_TYPE);
	ev.type = LS_EV_COUNT;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_TYPE);
	ev = good(LS_EV_WANT);
	ev.worker = -2;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_WORKER);
	ev.worker = LS_MAX_WORKERS;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_WORKER);
	ev = good(LS_EV_WANT);
	ev.worker = -1; /* WANT needs a worker */
	assert_int_equal(event_validate(&ev), LS_EV_BAD_WORKER);
	ev = good(LS_EV_ACQUIRED);
	ev.object = -1; /* ACQUIRED needs an object */
	assert_int_equal(event_validate(&ev), LS_EV_BAD_OBJECT);
	ev.object = LS_MAX_OBJECTS;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_OBJECT);
	ev = good(LS_EV_WANT);
	ev.u.a[0] = LS_OP_COUNT;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_OP);
	ev.u.a[0] = -1;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_OP);
	ev = good(LS_EV_OBJECT);
	ev.u.a[0] = LS_OBJ_COUNT;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_KIND);
	ev = good(LS_EV_WORKER);
	ev.u.a[0] = 5;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_KIND);
	ev = good(LS_EV_SAY);
	memset(ev.u.s.text, 'x', LS_EV_TEXT); /* no terminator */
	assert_int_equal(event_validate(&ev), LS_EV_BAD_TEXT);
	ev = good(LS_EV_NAME);
	ev.u.s.a0 = 7;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_KIND);
	ev = good(LS_EV_NAME);
	ev.u.s.a0 = LS_NAME_WORKER;
	ev.worker = -1;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_WORKER);
	assert_string_equal(event_error_name(LS_EV_BAD_TEXT), "unterminated text");
	/* lockstep run's WHERE: a worker's line, text that must end */
	ev = good(LS_EV_WHERE);
	assert_true(event_has_text(LS_EV_WHERE));
	event_set_text(&ev, "demo.py:12");
	assert_int_equal(event_validate(&ev), LS_EV_OK);
	memset(ev.u.s.text, 'x', LS_EV_TEXT);
	assert_int_equal(event_validate(&ev), LS_EV_BAD_TEXT);
	ev = good(LS_EV_WHERE);
	ev.worker = -1;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_WORKER);
	assert_string_equal(event_type_name(LS_EV_WHERE), "where");
	/* lockstep run's ITEM: an item's text on an object, by any worker */
	ev = good(LS_EV_ITEM);
	assert_true(event_has_text(LS_EV_ITEM));
	event_set_text(&ev, "'apple'");
	ev.object = 0;
	ev.worker = -1;
	assert_int_equal(event_validate(&ev), LS_EV_OK);
	memset(ev.u.s.text, 'x', LS_EV_TEXT);
	assert_int_equal(event_validate(&ev), LS_EV_BAD_TEXT);
	ev = good(LS_EV_ITEM);
	ev.object = -1;
	assert_int_equal(event_validate(&ev), LS_EV_BAD_OBJECT);
	assert_string_equal(event_type_name(LS_EV_ITEM), "item");
}

static void text_is_cut_at_utf8_boundary(void **state)
{
	(void)state;
	struct ls_event ev = good(LS_EV_SAY);
	/* 30 ASCII bytes then a 3-byte character: it cannot fit in 31 */
	const char *s = "012345678901234567890123456789\xe4\xb8\xad";
	size_t used = event_set_text(&ev, s);
	assert_int_equal(used, 30);
	assert_int_equal(strlen(ev.u.s.text), 30);
	assert_int_equal(event_validate(&ev), LS_EV_OK);
	/* a run of continuation bytes longer than a record is cut, not lost */
	char run[80];
	memset(run, 0x80, sizeof run - 1);
	run[sizeof run - 1] = '\0';
	used = event_set_text(&ev, run);
	assert_int_equal(used, LS_EV_TEXT - 1);
	assert_int_equal(event_validate(&ev), LS_EV_OK);
	used = event_set_text(&ev, "short");
	assert_int_equal(used, 5);
	assert_string_equal(ev.u.s.text, "short");
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(event_type_name(LS_EV_BLOCKED), "blocked");
	assert_string_equal(event_type_name(999), "?");
	assert_string_equal(event_op_name(LS_OP_LOCK), "lock");
	assert_string_equal(event_op_name(-3), "?");
	assert_string_equal(event_obj_kind_name(LS_OBJ_QUEUE), "queue");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(rejects),
		cmocka_unit_test(text_is_cut_at_utf8_boundary),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
