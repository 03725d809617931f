/* Display-width arithmetic: CJK takes two columns, combining marks none,
 * nothing is ever split, ASCII mode shows only ASCII. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui_text.h"

static int setup(void **state)
{
	(void)state;
	text_set_ascii(0);
	return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1;
}

static void widths(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("lock(A)"), 7);
	assert_int_equal(text_width("\xe4\xb8\xad\xe6\x96\x87"), 4);     /* 中文 */
	assert_int_equal(text_width("e\xcc\x81"), 1);                  /* e + combining acute */
	assert_int_equal(text_width("\xe2\x96\xb8 lock(B)"), 9);       /* ▸ */
	assert_int_equal(text_width("a\xffz"), 3);                      /* invalid byte: one '?' */
	assert_int_equal(text_width("tab\there"), 8);                   /* controls: one blank */
}

static void fit_never_splits(void **state)
{
	(void)state;
	const char *s = "T1\xe4\xb8\xad\xe6\x96\x87"; /* T1中文: 6 columns */
	int cols;
	assert_int_equal(text_fit(s, 3, &cols), 2); /* 中 would need columns 3-4 */
	assert_int_equal(cols, 2);
	assert_int_equal(text_fit(s, 4, &cols), 5);
	assert_int_equal(cols, 4);
	assert_int_equal(text_fit(s, 100, &cols), strlen(s));
	assert_int_equal(cols, 6);
	assert_int_equal(text_fit(s, 0, &cols), 0);
}

static void clip_with_ellipsis(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(text_clip("held by T1", 20, out, sizeof out), 10);
	assert_string_equal(out, "held by T1");
	assert_int_equal(text_clip("held by T1", 6, out, sizeof out), 5);
	assert_string_equal(out, "held\xe2\x80\xa6");
	/* at a word boundary when that loses little, else mid-word */
	text_clip("step: the next ready worker moves (round-robin)", 40, out, sizeof out);
	assert_string_equal(out, "step: the next ready worker moves\xe2\x80\xa6");
	text_clip("pid 27588, adopted by main", 20, out, sizeof out);
	assert_string_equal(out, "pid 27588, adopted\xe2\x80\xa6");
	text_clip("a verylongwordthatgoeson", 10, out, sizeof out);
	assert_string_equal(out, "a verylon\xe2\x80\xa6");
	/* a wide character never straddles the ellipsis */
	int w = text_clip("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 4, out, sizeof out);
	assert_true(w <= 4);
	assert_string_equal(out, "\xe4\xb8\xad\xe2\x80\xa6");
	assert_int_equal(text_clip("abc", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void ascii_mode(void **state)
{
	(void)state;
	char out[64];
	text_set_ascii(1);
	assert_int_equal(text_width("\xe4\xb8\xad\xe6\x96\x87"), 2); /* each one '?' */
	text_clip("abcdefgh", 5, out, sizeof out);
	assert_string_equal(out, "abcd~");
	wchar_t wc;
	int cols;
	assert_int_equal(text_next("\xe2\x96\xb8", &wc, &cols), 3);
	assert_string_equal(text_ascii_of(wc), ">");
	assert_int_equal(cols, 1);
	/* one arrow per mode: the same string reads "->" in ASCII */
	assert_int_equal(text_next("\xe2\x86\x92", &wc, &cols), 3);
	assert_string_equal(text_ascii_of(wc), "->");
	assert_int_equal(cols, 2);
	assert_int_equal(text_width("T1 \xe2\x86\x92 B"), 7);
	assert_int_equal(text_clip("T1 \xe2\x86\x92 B \xe2\x86\x92 T2", 8, out, sizeof out), 8);
	assert_string_equal(out, "T1 \xe2\x86\x92 B~");
	text_set_ascii(0);
}

struct lines {
	char l[16][64];
	int n;
};

static void collect(void *ud, const char *s, size_t len)
{
	struct lines *ls = ud;
	if (ls->n < 16) {
		memcpy(ls->l[ls->n], s, len);
		ls->l[ls->n][len] = '\0';
		ls->n++;
	}
}

static void wrap_words(void **state)
{
	(void)state;
	struct lines ls = {0};
	int n = text_wrap("T1 waits for B, held by T2", 12, collect, &ls);
	assert_int_equal(n, 3);
	assert_string_equal(ls.l[0], "T1 waits for");
	assert_string_equal(ls.l[1], "B, held by");
	assert_string_equal(ls.l[2], "T2");
	memset(&ls, 0, sizeof ls);
	/* CJK without spaces breaks between characters, by columns */
	n = text_wrap("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe5\xb9\x95", 5, collect, &ls);
	assert_int_equal(n, 2);
	assert_int_equal(text_width(ls.l[0]), 4);
	assert_int_equal(text_width(ls.l[1]), 4);
	memset(&ls, 0, sizeof ls);
	n = text_wrap("a\nb", 10, collect, &ls);
	assert_int_equal(n, 2);
	assert_int_equal(text_wrap("averyveryverylongword", 5, NULL, NULL), 5);
	/* a character wider than the line still makes progress */
	assert_int_equal(text_wrap("\xe4\xb8\xad\xe6\x96\x87", 1, NULL, NULL), 2);
}

/* Chinese breaks between characters, not only at the few spaces around
 * names: each line is filled, none starts with closing punctuation, and the
 * English names stay whole. */
static void wrap_chinese(void **state)
{
	(void)state;
	struct lines ls = {0};
	const char *s = "死锁：T1 等待 B，被 T2 持有。每个都持有下一个需要的东西，所以它们谁都再也无法移动。";
	int n = text_wrap(s, 20, collect, &ls);
	assert_true(n <= (text_width(s) + 19) / 20 + 1); /* full lines, one spare */
	for (int i = 0; i < n; i++) {
		int w = text_width(ls.l[i]);
		assert_true(w <= 20);
		if (i < n - 1)
			assert_true(w >= 17); /* at most a name or a held-back mark short */
		assert_true(strncmp(ls.l[i], "，", strlen("，")) != 0);
		assert_true(strncmp(ls.l[i], "。", strlen("。")) != 0);
	}
	char joined[256] = "";
	for (int i = 0; i < n; i++)
		strcat(joined, ls.l[i]);
	assert_non_null(strstr(joined, "T1"));
	assert_non_null(strstr(joined, "T2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(widths, setup),
		cmocka_unit_test_setup(fit_never_splits, setup),
		cmocka_unit_test_setup(clip_with_ellipsis, setup),
		cmocka_unit_test_setup(ascii_mode, setup),
		cmocka_unit_test_setup(wrap_words, setup),
		cmocka_unit_test_setup(wrap_chinese, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
