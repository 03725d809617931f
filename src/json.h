/* json: a small JSON writer into a growing buffer (no parser: lockstep only
 * ever writes JSON). Strings are escaped; invalid UTF-8 is replaced. */
#ifndef LS_JSON_H
#define LS_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct jw {
	char *buf;
	size_t len, cap;
	int need_comma;
};

void jw_reset(struct jw *j);
void jw_free(struct jw *j);
void jw_begin(struct jw *j, char brace); /* '{' or '[' */
void jw_end(struct jw *j, char brace);   /* '}' or ']' */
void jw_key(struct jw *j, const char *key);
void jw_str(struct jw *j, const char *s);
void jw_int(struct jw *j, int64_t v);
void jw_bool(struct jw *j, int v);
void jw_null(struct jw *j);
/* key + value shorthands */
void jw_kstr(struct jw *j, const char *key, const char *s);
void jw_kint(struct jw *j, const char *key, int64_t v);
void jw_kbool(struct jw *j, const char *key, int v);
/* Write the buffer and a newline, then reset. */
void jw_line(struct jw *j, FILE *f);

#endif
