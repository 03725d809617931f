/* json: see json.h. */
#include "json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void put(struct jw *j, const char *s, size_t n)
{
	if (j->len + n + 1 > j->cap) {
		size_t c = j->cap ? j->cap : 256;
		while (c < j->len + n + 1)
			c *= 2;
		char *b = realloc(j->buf, c);
		if (!b)
			abort();
		j->buf = b;
		j->cap = c;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void comma(struct jw *j)
{
	if (j->need_comma)
		put(j, ",", 1);
	j->need_comma = 1;
}

void jw_reset(struct jw *j)
{
	j->len = 0;
	j->need_comma = 0;
	if (j->buf)
		j->buf[0] = '\0';
}

void jw_free(struct jw *j)
{
	free(j->buf);
	memset(j, 0, sizeof *j);
}

void jw_begin(struct jw *j, char brace)
{
	comma(j);
	put(j, &brace, 1);
	j->need_comma = 0;
}

void jw_end(struct jw *j, char brace)
{
	put(j, &brace, 1);
	j->need_comma = 1;
}

void jw_key(struct jw *j, const char *key)
{
	jw_str(j, key);
	put(j, ":", 1);
	j->need_comma = 0;
}

/* Length of a valid UTF-8 sequence at s, or 0 (RFC 3629): no overlong
 * form, no surrogate (U+D800..DFFF), nothing above U+10FFFF. A strict
 * decoder (Python's, a browser's) must accept every line we print. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf; /* the range of the second byte */
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0; /* below: overlong */
		else if (s[0] == 0xed)
			hi = 0x9f; /* above: a surrogate */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90; /* below: overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f; /* above: beyond U+10FFFF */
	} else {
		return 0; /* a continuation byte, C0, C1 (overlong) or F5..FF */
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void jw_str(struct jw *j, const char *s)
{
	comma(j);
	put(j, "\"", 1);
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		char esc[8];
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			put(j, esc, 2);
			p++;
		} else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			put(j, esc, 6);
			p++;
		} else {
			size_t n = utf8_len(p);
			if (n == 0) {
				put(j, "\xef\xbf\xbd", 3); /* U+FFFD */
				p++;
			} else {
				put(j, (const char *)p, n);
				p += n;
			}
		}
	}
	put(j, "\"", 1);
}

void jw_int(struct jw *j, int64_t v)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%" PRId64, v);
	comma(j);
	put(j, b, (size_t)n);
}

void jw_bool(struct jw *j, int v)
{
	comma(j);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *j)
{
	comma(j);
	put(j, "null", 4);
}

void jw_kstr(struct jw *j, const char *key, const char *s)
{
	jw_key(j, key);
	jw_str(j, s);
}

void jw_kint(struct jw *j, const char *key, int64_t v)
{
	jw_key(j, key);
	jw_int(j, v);
}

void jw_kbool(struct jw *j, const char *key, int v)
{
	jw_key(j, key);
	jw_bool(j, v);
}

void jw_line(struct jw *j, FILE *f)
{
	if (j->len)
		fwrite(j->buf, 1, j->len, f);
	fputc('\n', f);
	jw_reset(j);
}
