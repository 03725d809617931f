/* i18n: the language lockstep speaks. See i18n.h.
 *
 * gettext takes the language from LANGUAGE (a list) unless LC_MESSAGES is
 * the plain "C" locale, which ignores it; C.UTF-8 does not. So --lang=zh sets
 * LANGUAGE=zh_CN and makes sure neither LC_MESSAGES is "C" nor LC_CTYPE
 * narrower than UTF-8 (Chinese needs wide characters to be measured and
 * drawn), preferring a real zh_CN.UTF-8 locale where one is installed and
 * falling back to C.UTF-8, which every glibc has. The forked scene host
 * inherits all of it, so the scenes narrate in the same language. */
#include "i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LS_LOCALEDIR
#define LS_LOCALEDIR "/usr/local/share/locale"
#endif

const char *i18n_lang_arg(int argc, char **argv)
{
	const char *lang = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
	}
	return lang;
}

static int utf8_ctype(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void want_utf8_ctype(void)
{
	if (utf8_ctype())
		return;
	if (!setlocale(LC_CTYPE, "zh_CN.UTF-8") && !setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C.utf8");
}

/* A binary run from the build tree finds its catalogues in locale/ beside
 * it (built there by meson), as it finds its scenes in scenes/. */
static const char *locale_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 16);
	if (n > 0) {
		buf[n] = '\0';
		char *slash = strrchr(buf, '/');
		struct stat st;
		if (slash) {
			strcpy(slash, "/locale");
			if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
				return buf;
		}
	}
	return LS_LOCALEDIR;
}

int i18n_init(const char *lang)
{
	int rc = 0;
	setlocale(LC_ALL, "");
	if (lang && (strcmp(lang, "zh") == 0 || strcmp(lang, "zh_CN") == 0)) {
		setenv("LANGUAGE", "zh_CN", 1);
		if (!setlocale(LC_MESSAGES, "zh_CN.UTF-8")) {
			const char *cur = setlocale(LC_MESSAGES, NULL);
			if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
				if (!setlocale(LC_MESSAGES, "C.UTF-8"))
					setlocale(LC_MESSAGES, "C.utf8");
		}
		want_utf8_ctype();
	} else if (lang && strcmp(lang, "en") == 0) {
		/* no English catalogue exists: every lookup falls back to the msgid */
		setenv("LANGUAGE", "en", 1);
	} else if (lang) {
		rc = -1;
	}
	char buf[PATH_MAX];
	bindtextdomain("lockstep", locale_dir(buf, sizeof buf));
	bind_textdomain_codeset("lockstep", "UTF-8");
	textdomain("lockstep");
	tr_reset(); /* translations cached before this are of another language */
	return rc;
}

const char *i18n_pgettext(const char *ctx_and_msgid, const char *msgid)
{
	const char *t = gettext(ctx_and_msgid);
	return t == ctx_and_msgid ? msgid : t;
}
