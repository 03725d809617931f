/* i18n: every user-visible string goes through _() so a translation (the
 * course is taught in Chinese) can follow. N_() marks static text. */
#ifndef LS_I18N_H
#define LS_I18N_H

#include <libintl.h>

/* gettext through a per-thread cache (tr.c): _() runs for every event */
#define _(s) tr(s)
const char *tr(const char *msgid);
/* The language changed: forget every cached translation. */
void tr_reset(void);
#define N_(s) (s)

void i18n_init(void);

#endif
