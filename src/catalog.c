/* catalog: scene plugins and parameters. See catalog.h. */
#include "catalog.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

#ifndef LS_SCENE_DIR
#define LS_SCENE_DIR "/usr/local/lib/lockstep/scenes"
#endif

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

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

/* Built-in scenes load first, and win: a module on the user's path with a
 * built-in's id is skipped (said on stderr) unless LOCKSTEP_SCENE_OVERRIDE
 * is set to 1, when the user's replaces it. Among the user's, the first
 * found wins. */
static int user_overrides(void)
{
	const char *v = getenv("LOCKSTEP_SCENE_OVERRIDE");
	return v && strcmp(v, "1") == 0;
}

static void add_scene(struct catalog *c, const struct ls_scene *sc, int user, const char *path,
                      FILE *warn)
{
	for (int i = 0; i < c->n; i++) {
		if (strcmp(c->scenes[i]->id, sc->id) != 0)
			continue;
		if (user && i < c->nbuiltin) {
			if (user_overrides()) {
				c->scenes[i] = sc;
			} else if (warn) {
				fprintf(warn, _("lockstep: skipping scene module %s: '%s' is a built-in scene "
				                "(LOCKSTEP_SCENE_OVERRIDE=1 prefers yours)\n"),
				        path, sc->id);
			}
		}
		return;
	}
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

/* Code we run must be trusted as much as lockstep itself: owned by this
 * user or root, and writable by nobody else. NULL if so, else why not. */
static const char *untrusted(const struct stat *st)
{
	if (st->st_uid != geteuid() && st->st_uid != 0)
		return _("it is owned by another user");
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return _("others can write to it");
	return NULL;
}

static void load_dir(struct catalog *c, const char *dir, int user, FILE *warn)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	struct stat dst;
	const char *why_dir = fstat(dfd, &dst) != 0 ? strerror(errno) : untrusted(&dst);
	if (why_dir) {
		if (warn)
			fprintf(warn, _("lockstep: not loading scene modules from %s: %s\n"), dir, why_dir);
		close(dfd);
		return;
	}
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
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
	if (n > 1) /* none: names is NULL, which qsort may not be given */
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		free(names[i]);
		/* look without blocking (a FIFO named x.so would hang dlopen);
		 * the directory is writable only by us, so it stays what we saw */
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		struct stat st;
		const char *why = fd < 0 ? strerror(errno)
		                  : fstat(fd, &st) != 0 ? strerror(errno)
		                  : !S_ISREG(st.st_mode) ? _("not a regular file")
		                  : untrusted(&st);
		if (why) {
			if (warn)
				fprintf(warn, _("lockstep: skipping scene module %s: %s\n"), path, why);
			if (fd >= 0)
				close(fd);
			continue;
		}
		close(fd);
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			if (warn)
				fprintf(warn, _("lockstep: skipping scene module %s: %s\n"), path, dlerror());
			continue;
		}
		const struct ls_scene *sc = dlsym(h, "lockstep_scene");
		why = sc ? catalog_check(sc) : _("it exports no lockstep_scene");
		if (why) {
			if (warn)
				fprintf(warn, _("lockstep: skipping scene module %s: %s\n"), path, why);
			dlclose(h);
			continue;
		}
		c->handles = realloc(c->handles, (size_t)(c->nhandles + 1) * sizeof *c->handles);
		c->handles[c->nhandles++] = h;
		add_scene(c, sc, user, path, warn);
	}
	free(names);
}

static void load_path(struct catalog *c, const char *path, FILE *warn)
{
	if (!path)
		return;
	char *copy = strdup(path), *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		load_dir(c, dir, 1, warn);
	free(copy);
}

void catalog_load(struct catalog *c, const char *path, FILE *warn)
{
	memset(c, 0, sizeof *c);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 16);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			strcpy(slash, "/scenes");
			load_dir(c, exe, 0, warn);
		}
	}
	load_dir(c, LS_SCENE_DIR, 0, warn);
	c->nbuiltin = c->n;
	load_path(c, path, warn);
	load_path(c, getenv("LOCKSTEP_SCENE_PATH"), warn);
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

void catalog_add(struct catalog *c, const struct ls_scene *sc)
{
	add_scene(c, sc, 1, sc->id, NULL);
}

const struct ls_scene *catalog_find(const struct catalog *c, const char *id)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->scenes[i]->id, id) == 0)
			return c->scenes[i];
	return NULL;
}

void catalog_scene_dir(const struct ls_scene *sc, char *buf, size_t n)
{
	Dl_info info;
	buf[0] = '\0';
	if (!dladdr(sc, &info) || !info.dli_fname || !strchr(info.dli_fname, '/'))
		return;
	const char *slash = strrchr(info.dli_fname, '/');
	snprintf(buf, n, "%.*s", (int)(slash - info.dli_fname), info.dli_fname);
}
