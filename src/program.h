/* program: a Python program run as a scene (lockstep run -- python3 F.py,
 * and the examples listed as py/NAME).
 *
 * A program scene is a struct ls_scene made here, not loaded from a
 * module: the front ends, the picker, restarts and recordings handle it as
 * any scene, and the engine asks program_of() whether the scene it starts
 * is a program, to exec it (host.c) instead of calling a run function.
 * This module finds the interpreter, the program and the tracer (package
 * and liblockstep-py.so, beside the binary in a build tree, else where
 * meson installed them), and builds the command line the host execs:
 * PYTHON [its options] -m lockstep_trace PROGRAM [ARGS]. Never draws.
 */
#ifndef LS_PROGRAM_H
#define LS_PROGRAM_H

#include <stddef.h>

#include "../scenes/lockstep-scene.h"

struct catalog;

struct program {
	char **argv; /* what the host execs, NULL-terminated */
	char **env;  /* "K=V" the host puts in the environment, NULL-terminated */
	/* `lockstep run -- ARGS`: the command as the user gave it (python3
	 * first, the program's path made absolute), NULL-terminated; what a
	 * recording keeps so --rerun runs it again. NULL for the examples
	 * (py/NAME: their id says it). */
	char **args;
};

/* The scene for `lockstep run -- ARGV...`: NULL with a one-line reason in
 * err when the interpreter or the program cannot be found or read, or the
 * tracer is missing. */
const struct ls_scene *program_scene(char *const *argv, char *err, size_t errlen);
/* The program behind a scene, or NULL for a scene module. */
const struct program *program_of(const struct ls_scene *sc);
/* Add the Python examples (examples/python/NAME.py) to the catalog as
 * py/NAME. */
void program_add_examples(struct catalog *c);

#endif
