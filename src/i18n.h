/* i18n: every user-visible string goes through _() so a translation (the
 * course is taught in Chinese) can follow. N_() marks static text.
 * i18n.c picks the language (--lang, else the locale) and where the
 * catalogues are (the build tree's locale/ beside the binary, else the
 * install directory). */
#ifndef LS_I18N_H
#define LS_I18N_H

#include <libintl.h>

/* gettext through a per-thread cache (tr.c): _() runs for every event */
#define _(s) tr(s)
const char *tr(const char *msgid);
/* The language changed: forget every cached translation. */
void tr_reset(void);
#define N_(s) (s)
/* A word that means two things on screen gets a context, so a translation
 * can tell them apart: P_("worker column", "holds") (what a worker holds)
 * is not _("holds") (a Coffman condition that is true). */
#define P_(ctx, s) i18n_pgettext(ctx "\004" s, s)
const char *i18n_pgettext(const char *ctx_and_msgid, const char *msgid);
/* A count's words: "1 write", "2 writes" (and the plural forms of any
 * language). */
#define PL_(one, many, n) ngettext(one, many, (unsigned long)(n))

/* The value of the last --lang=X / --lang X in argv, or NULL. Read before
 * anything is printed, so even a usage error speaks the chosen language. */
const char *i18n_lang_arg(int argc, char **argv);

/* Set the locale from the environment, then apply lang: "zh" (Simplified
 * Chinese, whatever the environment says), "en" (the untranslated English)
 * or NULL (the locale decides). Either way LC_CTYPE ends up UTF-8 when the
 * chosen language needs wide characters. Returns 0, or -1 when lang is none
 * of these (the locale is set up anyway, so the error can be printed). */
int i18n_init(const char *lang);

#endif
