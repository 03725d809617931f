/* catalog: finding scene plugins and checking their parameters.
 *
 * Loads every *.so in the scene path (user path first, then the directory
 * beside the binary, then the install directory), keeps those that export a
 * valid `lockstep_scene` of our ABI, and warns about the rest without
 * stopping. Parameters are params.h's (pure). Never draws.
 */
#ifndef LS_CATALOG_H
#define LS_CATALOG_H

#include <stddef.h>
#include <stdio.h>

#include "../scenes/lockstep-scene.h"
#include "params.h"

struct catalog {
	const struct ls_scene **scenes;
	int n;
	int nbuiltin; /* scenes[0..nbuiltin) came with lockstep */
	void **handles;
	int nhandles;
};

/* path: colon-separated directories searched first (may be NULL). Warnings
 * about broken modules go to warn (may be NULL). */
void catalog_load(struct catalog *c, const char *path, FILE *warn);
void catalog_free(struct catalog *c);
/* A scene made by lockstep itself (a Python example, program.h), after
 * the modules; an id already taken keeps its module. */
void catalog_add(struct catalog *c, const struct ls_scene *sc);
const struct ls_scene *catalog_find(const struct catalog *c, const char *id);
/* The directory of the module the scene came from, for a child lockstep
 * that must find the same scene (--scene-path); "" if unknown. */
void catalog_scene_dir(const struct ls_scene *sc, char *buf, size_t n);
/* Checks a descriptor; returns NULL when fine, else why not. */
const char *catalog_check(const struct ls_scene *sc);

#endif
