/* unit: the table of operations and kinds. See unit.h. Pure. */
#include "unit.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "json.h"
#include "theme.h"

/* every operation and kind in event.h has its unit in a kind file */
#define X(e, s) extern const struct unit_op unit_op_##e;
LS_OPS(X)
#undef X
#define X(e, s) extern const struct unit_kind unit_kind_##e;
LS_OBJ_KINDS(X)
#undef X

static const struct unit_op *const ops[LS_OP_COUNT] = {
#define X(e, s) [LS_OP_##e] = &unit_op_##e,
	LS_OPS(X)
#undef X
};

static const struct unit_kind *const kinds[LS_OBJ_COUNT] = {
#define X(e, s) [LS_OBJ_##e] = &unit_kind_##e,
	LS_OBJ_KINDS(X)
#undef X
};

static const struct unit_op no_op;
static const struct unit_kind no_kind;

const struct unit_op *unit_op(int op)
{
	return op >= 0 && op < LS_OP_COUNT ? ops[op] : &no_op;
}

const struct unit_kind *unit_kind(int kind)
{
	return kind >= 0 && kind < LS_OBJ_COUNT ? kinds[kind] : &no_kind;
}

const struct unit_wait *unit_wait_rule(int op, int kind)
{
	const struct unit_op *u = unit_op(op);
	const struct unit_wait *any = NULL; /* a rule for this exact kind wins */
	for (int i = 0; i < UNIT_WAITS_MAX && u->wait[i].none; i++) {
		if (u->wait[i].kind == kind)
			return &u->wait[i];
		if (u->wait[i].kind < 0 && !any)
			any = &u->wait[i];
	}
	return any;
}

void unit_fold_nothing(struct model *m, struct m_worker *w, struct m_object *o,
                       const struct ls_event *ev)
{
	(void)m;
	(void)w;
	(void)o;
	(void)ev;
}

const char *unit_fill(const struct m_object *o, char *buf, size_t n)
{
	long long inside = (long long)o->nitems + (long long)o->overflow;
	if (o->cap > 0)
		snprintf(buf, n, "%lld/%lld", inside, (long long)o->cap);
	else /* no bound: a count, never "n/0" */
		snprintf(buf, n, "%lld", inside);
	return buf;
}

int unit_say_did(const struct model *m, const struct ls_event *ev, char *buf, size_t n)
{
	const char *w = model_worker_name(m, ev->worker);
	const char *op = event_op_name((int)ev->u.a[0]);
	if (model_object(m, ev->object))
		return unit_say(buf, n, TH_NORMAL, _("%s did %s on %s"), w, op,
		                model_object_name(m, ev->object));
	return unit_say(buf, n, TH_NORMAL, _("%s did %s"), w, op);
}

int unit_say(char *buf, size_t n, int role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return role;
}

const char *unit_kind_name(const struct m_object *o, const char *kind)
{
	static char ring[4][128];
	static int next;
	char *b = ring[next++ % 4];
	if (strstr(o->name, kind) || strcasestr(o->name, kind))
		snprintf(b, sizeof ring[0], "%s", o->name);
	else
		snprintf(b, sizeof ring[0], _("%s %s"), kind, o->name);
	return b;
}

void unit_json_name(struct jw *j, const char *key, const struct model *m, int is_obj, int id)
{
	jw_key(j, key);
	if (id < 0)
		jw_null(j);
	else
		jw_str(j, is_obj ? model_object_name(m, id) : model_worker_name(m, id));
}

const char *unit_ends_name(int mask)
{
	static const char *const names[] = {"", "r", "w", "rw"};
	return names[mask & 3];
}

void unit_json_ints(struct jw *j, const char *key, const int64_t *v, int n)
{
	jw_key(j, key);
	jw_begin(j, '[');
	for (int k = 0; k < n; k++)
		jw_int(j, v[k]);
	jw_end(j, ']');
}

void unit_json_items(struct jw *j, const char *key, const struct m_object *o)
{
	jw_key(j, key);
	jw_begin(j, '[');
	for (int k = 0; k < o->nitems; k++) {
		char b[LS_EV_TEXT + 24];
		if (model_item_is_text(o, o->items[k])) {
			model_item_str(o, o->items[k], b, sizeof b);
			jw_str(j, b);
		} else {
			jw_int(j, o->items[k]);
		}
	}
	jw_end(j, ']');
}

void unit_json_signal(struct jw *j, const char *key, int64_t sig)
{
	const char *n = sig > 0 && sig < NSIG ? sigabbrev_np((int)sig) : NULL;
	jw_key(j, key);
	if (n)
		jw_str(j, n);
	else
		jw_int(j, sig);
}
