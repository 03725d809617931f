/* i18n: every user-visible string goes through _() so a translation (the
 * course is taught in Chinese) can follow. N_() marks static text. */
#ifndef LS_I18N_H
#define LS_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
/* A count's words: "1 write", "2 writes" (and the plural forms of any
 * language). */
#define P_(one, many, n) ngettext(one, many, (unsigned long)(n))

void i18n_init(void);

#endif
