/* params: a scene's parameters. See params.h. */
#include "params.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "i18n.h"

static int choice_count(const char *choices)
{
	if (!choices || !*choices)
		return 0;
	int n = 1;
	for (const char *p = choices; *p; p++)
		n += *p == '|';
	return n;
}

int params_count(const struct ls_scene *sc)
{
	int n = 0;
	while (sc->params && sc->params[n].name)
		n++;
	return n;
}

void params_defaults(const struct ls_scene *sc, long *values)
{
	int n = params_count(sc);
	for (int i = 0; i < n && i < LS_PARAMS_MAX; i++)
		values[i] = sc->params[i].def;
}

/* The k-th choice of "a|b|c" (its length in *len), or NULL. */
static const char *choice_nth(const char *choices, long k, size_t *len)
{
	for (const char *c = choices; c && *c; k--) {
		const char *bar = strchr(c, '|');
		*len = bar ? (size_t)(bar - c) : strlen(c);
		if (k == 0)
			return c;
		if (!bar)
			break;
		c = bar + 1;
	}
	return NULL;
}

static long choice_index(const char *choices, const char *v)
{
	size_t n;
	const char *c;
	for (long k = 0; (c = choice_nth(choices, k, &n)) != NULL; k++)
		if (strlen(v) == n && strncmp(c, v, n) == 0)
			return k;
	return -1;
}

int params_set(const struct ls_scene *sc, long *values, const char *kv,
               char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv) {
		snprintf(err, errlen, _("parameter '%s' is not of the form name=value"), kv);
		return -1;
	}
	size_t klen = (size_t)(eq - kv);
	const char *v = eq + 1;
	int n = params_count(sc);
	for (int i = 0; i < n; i++) {
		const struct ls_param_desc *p = &sc->params[i];
		if (strlen(p->name) != klen || strncmp(p->name, kv, klen) != 0)
			continue;
		if (p->type == LS_PARAM_CHOICE) {
			long k = choice_index(p->choices, v);
			if (k < 0) {
				snprintf(err, errlen, _("parameter %s of scene %s must be one of %s, not '%s'"),
				         p->name, sc->id, p->choices, v);
				return -1;
			}
			values[i] = k;
			return 0;
		}
		char *end;
		errno = 0;
		long x = strtol(v, &end, 10);
		if (errno || end == v || *end) {
			snprintf(err, errlen, _("parameter %s of scene %s must be a whole number, not '%s'"),
			         p->name, sc->id, v);
			return -1;
		}
		if (x < p->min || x > p->max) {
			snprintf(err, errlen, _("parameter %s of scene %s must be between %ld and %ld, not %ld"),
			         p->name, sc->id, p->min, p->max, x);
			return -1;
		}
		values[i] = x;
		return 0;
	}
	snprintf(err, errlen, _("scene %s has no parameter '%.*s'"), sc->id, (int)klen, kv);
	return -1;
}

const char *params_show(const struct ls_scene *sc, int i, long v, char *buf, size_t n)
{
	const struct ls_param_desc *p = &sc->params[i];
	size_t len;
	const char *c = p->type == LS_PARAM_CHOICE ? choice_nth(p->choices, v, &len) : NULL;
	if (c)
		snprintf(buf, n, "%.*s", (int)len, c);
	else
		snprintf(buf, n, "%ld", v);
	return buf;
}

const char *params_check(const struct ls_scene *sc)
{
	int n = params_count(sc);
	if (n > LS_PARAMS_MAX)
		return _("it has too many parameters");
	for (int i = 0; i < n; i++) {
		const struct ls_param_desc *p = &sc->params[i];
		if (p->type == LS_PARAM_INT && (p->def < p->min || p->def > p->max))
			return _("a parameter's default is out of its range");
		if (p->type == LS_PARAM_CHOICE &&
		    (p->def < 0 || p->def >= choice_count(p->choices)))
			return _("a parameter's default is not one of its choices");
	}
	return NULL;
}
