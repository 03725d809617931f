/* Unit tests: the JSON writer's strings are always valid UTF-8 (RFC 3629),
 * whatever bytes a scene sends: overlong forms, surrogates, code points
 * above U+10FFFF and stray bytes each become U+FFFD; valid text is kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

#define R "\xef\xbf\xbd" /* U+FFFD */

static void check(const char *in, const char *want)
{
	struct jw j = {0};
	jw_str(&j, in);
	char *quoted = malloc(strlen(want) + 3);
	strcpy(quoted, "\"");
	strcat(quoted, want);
	strcat(quoted, "\"");
	assert_int_equal(j.len, strlen(quoted));
	assert_memory_equal(j.buf, quoted, j.len);
	free(quoted);
	jw_free(&j);
}

static void valid_text_is_kept(void **state)
{
	(void)state;
	check("abc", "abc");
	check("caf\xc3\xa9", "caf\xc3\xa9");                     /* é */
	check("\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87"); /* 中文 */
	check("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");           /* U+1F600 */
	check("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");           /* U+10FFFF */
	check("\xed\x9f\xbf", "\xed\x9f\xbf");                   /* U+D7FF */
	check("\xee\x80\x80", "\xee\x80\x80");                   /* U+E000 */
	check("q\"b\\\n", "q\\\"b\\\\\\u000a");
}

static void overlong_forms_are_replaced(void **state)
{
	(void)state;
	check("\xc0\xaf", R R);         /* '/' in two bytes */
	check("\xc1\xbf", R R);
	check("\xe0\x80\xaf", R R R);   /* '/' in three */
	check("\xe0\x9f\xbf", R R R);
	check("\xf0\x80\x80\xaf", R R R R);
	check("\xf0\x8f\xbf\xbf", R R R R);
}

static void surrogates_and_beyond_are_replaced(void **state)
{
	(void)state;
	check("\xed\xa0\x80", R R R);    /* U+D800 */
	check("\xed\xbf\xbf", R R R);    /* U+DFFF */
	check("\xf4\x90\x80\x80", R R R R); /* U+110000 */
	check("\xf5\x80\x80\x80", R R R R);
	check("\xff", R);
	check("\x80\x80", R R);          /* stray continuation bytes */
	check("a\xe4\xb8", "a" R R);     /* cut short at the end */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_text_is_kept),
		cmocka_unit_test(overlong_forms_are_replaced),
		cmocka_unit_test(surrogates_and_beyond_are_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
