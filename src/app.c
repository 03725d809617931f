/* app: until the terminal UI lands, run the scene headless. */
#include "app.h"

#include <string.h>

#include "headless.h"
#include "i18n.h"

int app_run(const struct engine_opts *eo, const struct app_opts *ao)
{
	(void)ao;
	fprintf(stderr, "%s\n", _("lockstep: the terminal UI is not built yet; running headless"));
	return headless_run(eo, 60, 0);
}

void app_help(FILE *f)
{
	(void)f;
}

int app_theme_known(const char *name)
{
	return strcmp(name, "default") == 0 || strcmp(name, "projector") == 0 ||
	       strcmp(name, "mono") == 0;
}
