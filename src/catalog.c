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

static int valid_id(const char *id)
{
	if (!id || !*id || strlen(id) > 40)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

static int choice_count(const char *choices)
{
	if (!choices || !*choices)
		return 0;
	int n = 1;
	for (const char *p = choices; *p; p++)
		n += *p == '|';
	return n;
}

const char *catalog_check(const struct ls_scene *sc)
{
	if (sc->abi != LS_SCENE_ABI)
		return _("built for another lockstep (scene ABI differs)");
	if (!valid_id(sc->id))
		return _("its id is missing or not made of a-z, 0-9 and '-'");
	if (!sc->title || !sc->summary || !sc->run)
		return _("its descriptor lacks a title, a summary or a run function");
	int n = params_count(sc);
	if (n > LS_PARAMS_MAX)
		return _("it has too many parameters");
	for (int i = 0; i < n; i++) {
		const struct ls_param_desc *p = &sc->params[i];
		if (p->type == LS_PARAM_INT && (p->def < p->min || p->def > p->max))
			return _("a parameter's default is out of its range");
		if (p->type == LS_PARAM_CHOICE &&
		    (p->def < 0 || p->def >= choice_count(p->choices)))
			return _("a parameter's default is not one of its choices");
	}
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
	qsort(names, n, sizeof *names, (int (*)(const void *, const void *))strcmp);
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

const struct ls_scene *catalog_find(const struct catalog *c, const char *id)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->scenes[i]->id, id) == 0)
			return c->scenes[i];
	return NULL;
}

int params_count(const struct ls_scene *sc)
{
	int n = 0;
	while (sc->params && sc->params[n].name)
		n++;
	return n;
}

void params_defaults(const struct ls_scene *sc, long *values)
{
	int n = params_count(sc);
	for (int i = 0; i < n && i < LS_PARAMS_MAX; i++)
		values[i] = sc->params[i].def;
}

/* The k-th choice of "a|b|c" (its length in *len), or NULL. */
static const char *choice_nth(const char *choices, long k, size_t *len)
{
	for (const char *c = choices; c && *c; k--) {
		const char *bar = strchr(c, '|');
		*len = bar ? (size_t)(bar - c) : strlen(c);
		if (k == 0)
			return c;
		if (!bar)
			break;
		c = bar + 1;
	}
	return NULL;
}

static long choice_index(const char *choices, const char *v)
{
	size_t n;
	const char *c;
	for (long k = 0; (c = choice_nth(choices, k, &n)) != NULL; k++)
		if (strlen(v) == n && strncmp(c, v, n) == 0)
			return k;
	return -1;
}

int params_set(const struct ls_scene *sc, long *values, const char *kv,
               char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv) {
		snprintf(err, errlen, _("parameter '%s' is not of the form name=value"), kv);
		return -1;
	}
	size_t klen = (size_t)(eq - kv);
	const char *v = eq + 1;
	int n = params_count(sc);
	for (int i = 0; i < n; i++) {
		const struct ls_param_desc *p = &sc->params[i];
		if (strlen(p->name) != klen || strncmp(p->name, kv, klen) != 0)
			continue;
		if (p->type == LS_PARAM_CHOICE) {
			long k = choice_index(p->choices, v);
			if (k < 0) {
				snprintf(err, errlen, _("parameter %s of scene %s must be one of %s, not '%s'"),
				         p->name, sc->id, p->choices, v);
				return -1;
			}
			values[i] = k;
			return 0;
		}
		char *end;
		errno = 0;
		long x = strtol(v, &end, 10);
		if (errno || end == v || *end) {
			snprintf(err, errlen, _("parameter %s of scene %s must be a whole number, not '%s'"),
			         p->name, sc->id, v);
			return -1;
		}
		if (x < p->min || x > p->max) {
			snprintf(err, errlen, _("parameter %s of scene %s must be between %ld and %ld, not %ld"),
			         p->name, sc->id, p->min, p->max, x);
			return -1;
		}
		values[i] = x;
		return 0;
	}
	snprintf(err, errlen, _("scene %s has no parameter '%.*s'"), sc->id, (int)klen, kv);
	return -1;
}

const char *params_show(const struct ls_scene *sc, int i, long v, char *buf, size_t n)
{
	const struct ls_param_desc *p = &sc->params[i];
	size_t len;
	const char *c = p->type == LS_PARAM_CHOICE ? choice_nth(p->choices, v, &len) : NULL;
	if (c)
		snprintf(buf, n, "%.*s", (int)len, c);
	else
		snprintf(buf, n, "%ld", v);
	return buf;
}
