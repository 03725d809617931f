/* event: encode, decode and validate bus records. Pure: no I/O, no clock.
 * The reader never trusts a record: ev_decode checks every field a consumer
 * would index with before the record reaches the model. */
#include "event.h"

#include <string.h>

static const struct {
	const char *name;
	unsigned char needs_worker, needs_object;
} type_info[LS_EV_COUNT] = {
	[LS_EV_NONE] = {"none", 0, 0},
#define X(e, s, w, o) [LS_EV_##e] = {s, w, o},
	LS_EVENT_TYPES(X)
#undef X
};

static const char *const op_names[LS_OP_COUNT] = {
#define X(e, s) [LS_OP_##e] = s,
	LS_OPS(X)
#undef X
};

static const char *const kind_names[LS_OBJ_COUNT] = {
#define X(e, s) [LS_OBJ_##e] = s,
	LS_OBJ_KINDS(X)
#undef X
};

void event_init(struct ls_event *ev, enum ls_ev_type type, uint32_t seq,
             uint64_t t_ns, int32_t worker, int32_t object)
{
	memset(ev, 0, sizeof *ev);
	ev->magic = LS_EV_MAGIC;
	ev->version = LS_EV_VERSION;
	ev->type = (uint8_t)type;
	ev->seq = seq;
	ev->t_ns = t_ns;
	ev->worker = worker;
	ev->object = object;
}

size_t event_set_text(struct ls_event *ev, const char *src)
{
	size_t n = strlen(src);
	if (n > LS_EV_TEXT - 1) {
		n = LS_EV_TEXT - 1;
		/* never cut a UTF-8 sequence: back up to a lead byte */
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
		/* a run of continuation bytes longer than a record is no UTF-8
		 * at all: cut it anywhere rather than carry nothing */
		if (n == 0)
			n = LS_EV_TEXT - 1;
	}
	memset(ev->u.s.text, 0, sizeof ev->u.s.text);
	memcpy(ev->u.s.text, src, n);
	return n;
}

void event_encode(const struct ls_event *ev, unsigned char out[LS_EV_SIZE])
{
	memcpy(out, ev, LS_EV_SIZE);
}

int event_has_text(int type)
{
	return type == LS_EV_NAME || type == LS_EV_SAY || type == LS_EV_OUTPUT ||
	       type == LS_EV_HANDLER || type == LS_EV_WHERE || type == LS_EV_ITEM;
}

static int op_checked(int type)
{
	switch (type) {
	case LS_EV_WANT:
	case LS_EV_BLOCKED:
	case LS_EV_ACQUIRED:
	case LS_EV_RELEASED:
	case LS_EV_DONE:
	case LS_EV_NOTIFY:
	case LS_EV_TIMEOUT:
		return 1;
	default:
		return 0;
	}
}

enum ls_ev_error event_validate(const struct ls_event *ev)
{
	if (ev->magic != LS_EV_MAGIC)
		return LS_EV_BAD_MAGIC;
	if (ev->version != LS_EV_VERSION)
		return LS_EV_BAD_VERSION;
	if (ev->type == LS_EV_NONE || ev->type >= LS_EV_COUNT)
		return LS_EV_BAD_TYPE;
	if (ev->worker < -1 || ev->worker >= LS_MAX_WORKERS)
		return LS_EV_BAD_WORKER;
	if (ev->object < -1 || ev->object >= LS_MAX_OBJECTS)
		return LS_EV_BAD_OBJECT;
	if (type_info[ev->type].needs_worker && ev->worker < 0)
		return LS_EV_BAD_WORKER;
	if (type_info[ev->type].needs_object && ev->object < 0)
		return LS_EV_BAD_OBJECT;
	if (op_checked(ev->type) && (ev->u.a[0] < 0 || ev->u.a[0] >= LS_OP_COUNT))
		return LS_EV_BAD_OP;
	if (ev->type == LS_EV_OBJECT && (ev->u.a[0] < 0 || ev->u.a[0] >= LS_OBJ_COUNT))
		return LS_EV_BAD_KIND;
	if (ev->type == LS_EV_WORKER &&
	    (ev->u.a[0] != LS_WK_THREAD && ev->u.a[0] != LS_WK_PROCESS))
		return LS_EV_BAD_KIND;
	if (event_has_text(ev->type)) {
		if (memchr(ev->u.s.text, '\0', LS_EV_TEXT) == NULL)
			return LS_EV_BAD_TEXT;
		if (ev->type == LS_EV_NAME) {
			if (ev->u.s.a0 == LS_NAME_WORKER) {
				if (ev->worker < 0)
					return LS_EV_BAD_WORKER;
			} else if (ev->u.s.a0 == LS_NAME_OBJECT) {
				if (ev->object < 0)
					return LS_EV_BAD_OBJECT;
			} else {
				return LS_EV_BAD_KIND;
			}
		}
	}
	return LS_EV_OK;
}

enum ls_ev_error event_decode(const unsigned char in[LS_EV_SIZE], struct ls_event *ev)
{
	memcpy(ev, in, LS_EV_SIZE);
	return event_validate(ev);
}

const char *event_type_name(int type)
{
	if (type < 0 || type >= LS_EV_COUNT)
		return "?";
	return type_info[type].name;
}

const char *event_op_name(int op)
{
	if (op < 0 || op >= LS_OP_COUNT)
		return "?";
	return op_names[op];
}

const char *event_obj_kind_name(int kind)
{
	if (kind < 0 || kind >= LS_OBJ_COUNT)
		return "?";
	return kind_names[kind];
}

const char *event_error_name(enum ls_ev_error err)
{
	switch (err) {
	case LS_EV_OK: return "ok";
	case LS_EV_BAD_MAGIC: return "bad magic";
	case LS_EV_BAD_VERSION: return "bad version";
	case LS_EV_BAD_TYPE: return "bad type";
	case LS_EV_BAD_WORKER: return "bad worker";
	case LS_EV_BAD_OBJECT: return "bad object";
	case LS_EV_BAD_OP: return "bad operation";
	case LS_EV_BAD_TEXT: return "unterminated text";
	case LS_EV_BAD_KIND: return "bad kind";
	}
	return "?";
}
