/* program: Python programs as scenes. See program.h.
 *
 * How the tracer gets in (docs/DESIGN.md, "lockstep run"): the host execs
 *   PYTHON [PYTHON'S OPTIONS] TRACER/lockstep_trace/__main__.py PROGRAM [ARGS]
 * The tracer's __main__ installs the wrappers, then runs PROGRAM as
 * __main__ (runpy), with sys.argv and sys.path[0] as plain python would set
 * them. Not a sitecustomize (it would shadow Debian's own, and every python
 * the program starts would load it) and not PYTHONPATH (-I and -E ignore
 * it): the tracer is loaded into this interpreter only, by path.
 */
#include "program.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "i18n.h"

#ifndef LS_PYLIB_DIR
#define LS_PYLIB_DIR "/usr/local/lib/lockstep"
#endif
#ifndef LS_DATADIR
#define LS_DATADIR "/usr/local/share/lockstep"
#endif
#ifndef LS_SOURCE_ROOT
#define LS_SOURCE_ROOT "."
#endif

struct prog_scene {
	struct ls_scene sc; /* first: a scene pointer is a prog_scene pointer */
	struct program p;
	struct prog_scene *next;
};

static struct prog_scene *scenes;

const struct program *program_of(const struct ls_scene *sc)
{
	for (struct prog_scene *s = scenes; s; s = s->next)
		if (&s->sc == sc)
			return &s->p;
	return NULL;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static char *xprintf(const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
	char *d = malloc(n);
	if (!d)
		abort();
	snprintf(d, n, fmt, a, b);
	return d;
}

/* Where the tracer is: beside a build-tree binary (its library in
 * src/pytrace, the package in the source tree), else installed. */
struct tracer {
	char lib[PATH_MAX];
	char pkg[PATH_MAX];      /* the directory holding lockstep_trace/ */
	char examples[PATH_MAX]; /* examples/python */
};

static void find_tracer(struct tracer *t)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 64);
	if (n > 0) {
		exe[n] = '\0';
		/* the binary, or a program of the build tree below it (the
		 * benchmarks in tests/bench) */
		for (int up = 0; up < 3; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
			int w = snprintf(t->lib, sizeof t->lib, "%s/src/pytrace/liblockstep-py.so", exe);
			if (w > 0 && (size_t)w < sizeof t->lib && access(t->lib, R_OK) == 0) {
				snprintf(t->pkg, sizeof t->pkg, "%s/src/pytrace", LS_SOURCE_ROOT);
				snprintf(t->examples, sizeof t->examples, "%s/examples/python", LS_SOURCE_ROOT);
				return;
			}
		}
	}
	snprintf(t->lib, sizeof t->lib, "%s/liblockstep-py.so", LS_PYLIB_DIR);
	snprintf(t->pkg, sizeof t->pkg, "%s/pytrace", LS_DATADIR);
	snprintf(t->examples, sizeof t->examples, "%s/examples/python", LS_DATADIR);
}

/* An executable on PATH (or a path): 0, or errno. */
static int find_exec(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? 0 : errno;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *copy = xstrdup(path), *save = NULL;
	int found = ENOENT;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char full[PATH_MAX];
		snprintf(full, sizeof full, "%s/%s", *d ? d : ".", name);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0) {
			found = 0;
			break;
		}
	}
	free(copy);
	return found;
}

/* Python's options that take a value as the next argument. */
static int takes_value(const char *opt)
{
	return strcmp(opt, "-W") == 0 || strcmp(opt, "-X") == 0;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* The program's docstring: its first line is the title, the rest (joined
 * into one paragraph) the summary; "" for each when there is none. */
static void docstring(const char *path, char *title, size_t tn, char *summary, size_t sn)
{
	title[0] = summary[0] = '\0';
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char line[512];
	int in_doc = 0;
	size_t used = 0;
	for (int i = 0; i < 80 && fgets(line, sizeof line, f); i++) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!in_doc) {
			if (strncmp(p, "\"\"\"", 3) != 0)
				continue;
			p += 3;
			in_doc = 1;
		}
		char *end = strstr(p, "\"\"\"");
		if (end)
			*end = '\0';
		p[strcspn(p, "\r\n")] = '\0';
		if (*p && !title[0]) {
			snprintf(title, tn, "%.*s", (int)(tn - 1), p);
		} else if (*p && used + 2 < sn) {
			int w = snprintf(summary + used, sn - used, "%s%s", used ? " " : "", p);
			used = w > 0 && used + (size_t)w < sn ? used + (size_t)w : sn - 1;
		}
		if (end)
			break;
	}
	fclose(f);
}

static struct prog_scene *new_scene(char **argv, int prog_index, const struct tracer *t,
                                    const char *id, const char *title, const char *summary)
{
	struct prog_scene *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	int argc = 0;
	while (argv[argc])
		argc++;
	/* PYTHON OPTS... TRACER PROGRAM ARGS... NULL */
	s->p.argv = calloc((size_t)argc + 2, sizeof *s->p.argv);
	if (!s->p.argv)
		abort();
	int k = 0;
	for (int i = 0; i < prog_index; i++)
		s->p.argv[k++] = xstrdup(argv[i]);
	s->p.argv[k++] = xprintf("%s%s", t->pkg, "/lockstep_trace/__main__.py");
	for (int i = prog_index; i < argc; i++)
		s->p.argv[k++] = xstrdup(argv[i]);
	s->p.env = calloc(3, sizeof *s->p.env);
	if (!s->p.env)
		abort();
	s->p.env[0] = xprintf("LOCKSTEP_PYLIB=%s%s", t->lib, "");
	s->p.env[1] = xprintf("LOCKSTEP_PYTRACE=%s%s", t->pkg, "");
	s->sc.abi = LS_SCENE_ABI;
	s->sc.id = xstrdup(id);
	s->sc.title = xstrdup(title);
	s->sc.summary = xstrdup(summary);
	s->next = scenes;
	scenes = s;
	return s;
}

const struct ls_scene *program_scene(char *const *argv_in, char *err, size_t errlen)
{
	int argc = 0;
	while (argv_in[argc])
		argc++;
	if (argc == 0) {
		snprintf(err, errlen, "%s", _("lockstep run needs a program: lockstep run -- python3 PROGRAM.py"));
		return NULL;
	}
	/* `lockstep run -- demo.py` means python3 demo.py */
	char **argv = calloc((size_t)argc + 2, sizeof *argv);
	if (!argv)
		abort();
	int n = 0;
	if (has_suffix(argv_in[0], ".py"))
		argv[n++] = (char *)"python3";
	for (int i = 0; i < argc; i++)
		argv[n++] = argv_in[i];
	int e = find_exec(argv[0]);
	if (e) {
		snprintf(err, errlen, _("cannot run '%s': %s"), argv[0],
		         e == ENOENT ? _("no such program (not on PATH)") : strerror(e));
		free(argv);
		return NULL;
	}
	int prog = 1;
	while (prog < n && argv[prog][0] == '-') {
		if (strcmp(argv[prog], "--") == 0) {
			prog++;
			break;
		}
		if (strcmp(argv[prog], "-m") == 0 || strcmp(argv[prog], "-c") == 0 ||
		    strcmp(argv[prog], "-") == 0 || strncmp(argv[prog], "-m", 2) == 0 ||
		    strncmp(argv[prog], "-c", 2) == 0) {
			snprintf(err, errlen, _("lockstep run traces a program file (python3 PROGRAM.py), not '%s'"),
			         argv[prog]);
			free(argv);
			return NULL;
		}
		prog += takes_value(argv[prog]) ? 2 : 1;
	}
	if (prog >= n) {
		snprintf(err, errlen, "%s", _("lockstep run needs a program: lockstep run -- python3 PROGRAM.py"));
		free(argv);
		return NULL;
	}
	struct stat st;
	if (stat(argv[prog], &st) != 0 || access(argv[prog], R_OK) != 0) {
		snprintf(err, errlen, _("cannot read the program '%s': %s"), argv[prog], strerror(errno));
		free(argv);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, _("cannot read the program '%s': %s"), argv[prog], _("not a regular file"));
		free(argv);
		return NULL;
	}
	struct tracer t;
	find_tracer(&t);
	if (access(t.lib, R_OK) != 0) {
		snprintf(err, errlen, _("cannot trace Python programs: %s is missing (%s)"), t.lib, strerror(errno));
		free(argv);
		return NULL;
	}
	char title[PATH_MAX + 64], doc[256], summary[2048];
	const char *base = strrchr(argv[prog], '/');
	docstring(argv[prog], doc, sizeof doc, summary, sizeof summary);
	if (doc[0])
		snprintf(title, sizeof title, "%s: %s", base ? base + 1 : argv[prog], doc);
	else
		snprintf(title, sizeof title, "%s %s", argv[0], base ? base + 1 : argv[prog]);
	if (!summary[0])
		snprintf(summary, sizeof summary, "%s",
		         _("Your Python program, traced: its threads, locks, conditions, semaphores, "
		           "events, barriers and queues, each operation at its line."));
	struct prog_scene *s = new_scene(argv, prog, &t, "run", title, summary);
	s->p.args = calloc((size_t)n + 1, sizeof *s->p.args);
	if (!s->p.args)
		abort();
	for (int i = 0; i < n; i++) {
		char abs[PATH_MAX];
		s->p.args[i] = xstrdup(i == prog && realpath(argv[i], abs) ? abs : argv[i]);
	}
	free(argv);
	return &s->sc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void program_add_examples(struct catalog *c)
{
	struct tracer t;
	find_tracer(&t);
	if (access(t.lib, R_OK) != 0)
		return;
	DIR *d = opendir(t.examples);
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!has_suffix(de->d_name, ".py") || de->d_name[0] == '_' || de->d_name[0] == '.')
			continue;
		char **grown = realloc(names, (n + 1) * sizeof *names);
		if (!grown)
			abort();
		names = grown;
		names[n] = xstrdup(de->d_name);
		names[n++][strlen(de->d_name) - 3] = '\0'; /* sorted by id: deadlock, deadlock-ordered */
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX + 256], id[300], title[256], summary[2048];
		snprintf(path, sizeof path, "%s/%s.py", t.examples, names[i]);
		snprintf(id, sizeof id, "py/%s", names[i]);
		docstring(path, title, sizeof title, summary, sizeof summary);
		if (!title[0])
			snprintf(title, sizeof title, "%s.py", names[i]);
		char *argv[] = {(char *)"python3", path, NULL};
		struct prog_scene *s = new_scene(argv, 1, &t, id, title, summary);
		catalog_add(c, &s->sc);
		free(names[i]);
	}
	free(names);
}
