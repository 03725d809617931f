/* catalog: scene plugins and parameters. See catalog.h. */
#include "catalog.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

#ifndef LS_SCENE_DIR
#define LS_SCENE_DIR "/usr/local/lib/lockstep/scenes"
#endif

static int valid_id(const char *id)
{
	if (!id || !*id || strlen(id) > 40)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

const char *catalog_check(const struct ls_scene *sc)
{
	if (sc->abi != LS_SCENE_ABI)
		return _("built for another lockstep (scene ABI differs)");
	if (!valid_id(sc->id))
		return _("its id is missing or not made of a-z, 0-9 and '-'");
	if (!sc->title || !sc->summary || !sc->run)
		return _("its descriptor lacks a title, a summary or a run function");
	const char *why = params_check(sc);
	if (why)
		return why;
	return NULL;
}

static void add_scene(struct catalog *c, const struct ls_scene *sc)
{
	if (catalog_find(c, sc->id))
		return; /* the first found wins: the user's path comes first */
	c->scenes = realloc(c->scenes, (size_t)(c->n + 1) * sizeof *c->scenes);
	if (!c->scenes)
		abort();
	c->scenes[c->n++] = sc;
}

static int by_id(const void *a, const void *b)
{
	const struct ls_scene *const *x = a, *const *y = b;
	return strcmp((*x)->id, (*y)->id);
}

static void load_dir(struct catalog *c, const char *dir, FILE *warn)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	/* a fixed order, so "first found wins" means the same on every machine */
	qsort(names, n, sizeof *names, (int (*)(const void *, const void *))strcmp);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		free(names[i]);
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			if (warn)
				fprintf(warn, _("lockstep: skipping scene module %s: %s\n"), path, dlerror());
			continue;
		}
		const struct ls_scene *sc = dlsym(h, "lockstep_scene");
		const char *why = sc ? catalog_check(sc) : _("it exports no lockstep_scene");
		if (why) {
			if (warn)
				fprintf(warn, _("lockstep: skipping scene module %s: %s\n"), path, why);
			dlclose(h);
			continue;
		}
		c->handles = realloc(c->handles, (size_t)(c->nhandles + 1) * sizeof *c->handles);
		c->handles[c->nhandles++] = h;
		add_scene(c, sc);
	}
	free(names);
}

static void load_path(struct catalog *c, const char *path, FILE *warn)
{
	if (!path)
		return;
	char *copy = strdup(path), *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		load_dir(c, dir, warn);
	free(copy);
}

void catalog_load(struct catalog *c, const char *path, FILE *warn)
{
	memset(c, 0, sizeof *c);
	load_path(c, path, warn);
	load_path(c, getenv("LOCKSTEP_SCENE_PATH"), warn);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 16);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			strcpy(slash, "/scenes");
			load_dir(c, exe, warn);
		}
	}
	load_dir(c, LS_SCENE_DIR, warn);
	if (c->n > 1)
		qsort(c->scenes, (size_t)c->n, sizeof *c->scenes, by_id);
}

void catalog_free(struct catalog *c)
{
	/* handles stay open: a forked host may still run their code */
	free(c->scenes);
	free(c->handles);
	memset(c, 0, sizeof *c);
}

const struct ls_scene *catalog_find(const struct catalog *c, const char *id)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->scenes[i]->id, id) == 0)
			return c->scenes[i];
	return NULL;
}
