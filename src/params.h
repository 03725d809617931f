/* params: a scene's parameters, pure.
 *
 * Counting, defaults, parsing `--param K=V` and showing a value ("on", "3")
 * from a scene's descriptor alone: no I/O, no catalog, no engine. The probe
 * (ls_param_str, in the scene host) and the catalog (checking a module) and
 * the front ends (defaults, --param) share it, so a parameter reads the
 * same everywhere.
 */
#ifndef LS_PARAMS_H
#define LS_PARAMS_H

#include <stddef.h>

#include "../scenes/lockstep-scene.h"

#define LS_PARAMS_MAX 32

int params_count(const struct ls_scene *sc);
void params_defaults(const struct ls_scene *sc, long *values);
/* Apply "name=value". Returns 0, or -1 with a message in err. */
int params_set(const struct ls_scene *sc, long *values, const char *kv,
               char *err, size_t errlen);
/* Human form of a parameter's value ("on", "3"): a choice's name, else
 * the number. */
const char *params_show(const struct ls_scene *sc, int i, long v, char *buf, size_t n);
/* The parameters' part of checking a descriptor: NULL when fine, else why
 * not (too many, a default out of range or not among the choices). */
const char *params_check(const struct ls_scene *sc);

#endif
