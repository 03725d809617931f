/* app: the terminal front end over the engine (libev loop + ncursesw). */
#ifndef LS_APP_H
#define LS_APP_H

#include <stdio.h>

#include "catalog.h"
#include "engine.h"

struct app_opts {
	int speed;          /* 0: start paused in step mode; 1..9: run freely */
	const char *theme;  /* default, projector, mono */
	int ascii;          /* no line drawing, no non-ASCII glyphs */
	long max_frames;    /* quit after this many frames; 0: never */
	int predict;        /* --predict: ask at each moment the scene marks */
	struct catalog *catalog;
	const char *serve;  /* --serve=SPEC: publish each run to viewers (serve.h) */
	const char *token;  /* --token, or NULL for a random one */
};

int app_run(const struct engine_opts *eo, const struct app_opts *ao);
/* --replay=FILE: the UI over a recording, no scene running. A file that
 * cannot be read is one line on stderr, exit 1, before the terminal. */
int app_replay(const char *path, const struct app_opts *ao);
/* --attach=SPEC --token=T: the UI following a served run, read-only; f
 * forks a private copy at the step shown. A refused connection or token is
 * one line on stderr, exit 7 (2: a spec that is no address), before the
 * terminal. */
int app_attach(const char *spec, const char *token, const struct app_opts *ao);
/* The keys, for --help: written from the same table as the keymap. */
void app_help(FILE *f);
int app_theme_known(const char *name);

#endif
