/* theme: parse and find theme files. See theme.h. No curses here. */
#include "theme.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "i18n.h"

#ifndef LS_DATADIR
#define LS_DATADIR "/usr/local/share/lockstep"
#endif

static const char *const role_keys[TH_COUNT] = {
#define X(e, k, f, b, a) [TH_##e] = k,
	LS_ROLES(X)
#undef X
};

static const char *const role_defaults[TH_COUNT][3] = {
#define X(e, k, f, b, a) [TH_##e] = {f, b, a},
	LS_ROLES(X)
#undef X
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

int theme_color(const char *s)
{
	while (*s == ' ')
		s++;
	if (!*s || strcasecmp(s, "default") == 0 || strcasecmp(s, "none") == 0)
		return TH_DEFAULT_COLOR;
	int bright = 0;
	if (strncasecmp(s, "bright-", 7) == 0) {
		bright = 8;
		s += 7;
	}
	for (int i = 0; i < 8; i++)
		if (strcasecmp(s, color_names[i]) == 0)
			return i + bright;
	if (bright)
		return -2;
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < 0 || v > 255)
		return -2;
	return (int)v;
}

int theme_attrs(const char *s)
{
	static const struct {
		const char *name;
		int bit;
	} names[] = {
		{"bold", TH_A_BOLD}, {"dim", TH_A_DIM}, {"reverse", TH_A_REVERSE},
		{"underline", TH_A_UNDERLINE}, {"standout", TH_A_STANDOUT},
		{"none", 0}, {"normal", 0},
	};
	int attrs = 0;
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ", \t");
		if (n > 0) {
			int found = 0;
			for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
				if (strlen(names[i].name) == n && strncasecmp(p, names[i].name, n) == 0) {
					attrs |= names[i].bit;
					found = 1;
				}
			if (!found)
				return -1;
		}
		p += n;
		p += strspn(p, ", \t");
	}
	return attrs;
}

/* "fg bg attr,attr": every part optional from the right. */
static int parse_style(struct th_style *st, const char *v)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", v);
	char *save = NULL;
	char *fg = strtok_r(buf, " \t", &save);
	char *bg = fg ? strtok_r(NULL, " \t", &save) : NULL;
	char *attrs = bg ? strtok_r(NULL, "", &save) : NULL;
	struct th_style s = {TH_DEFAULT_COLOR, TH_DEFAULT_COLOR, 0};
	if (fg) {
		int c = theme_color(fg);
		if (c == -2)
			return -1;
		s.fg = (short)c;
	}
	if (bg) {
		int c = theme_color(bg);
		if (c == -2)
			return -1;
		s.bg = (short)c;
	}
	if (attrs) {
		int a = theme_attrs(attrs);
		if (a < 0)
			return -1;
		s.attrs = (unsigned)a;
	}
	*st = s;
	return 0;
}

void theme_defaults(struct theme *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "default");
	for (int i = 0; i < TH_COUNT; i++) {
		char spec[96];
		snprintf(spec, sizeof spec, "%s %s %s", role_defaults[i][0], role_defaults[i][1],
		         role_defaults[i][2]);
		parse_style(&t->role[i], spec);
	}
}

static int yes(const char *v)
{
	return strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	       strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0;
}

static int no(const char *v)
{
	return strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	       strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0;
}

struct parse_ctx {
	struct theme *t;
	char *err;
	size_t errlen;
	int failed;
};

static int fail(struct parse_ctx *p, const char *fmt, const char *a, const char *b)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, fmt, a, b);
	p->failed = 1;
	return 0;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *p = user;
	struct theme *t = p->t;
	if (strcmp(section, "theme") == 0) {
		if (strcmp(name, "name") == 0) {
			snprintf(t->name, sizeof t->name, "%s", value);
		} else if (strcmp(name, "spacing") == 0) {
			char *end;
			long v = strtol(value, &end, 10);
			if (end == value || *end || v < 0 || v > 2)
				return fail(p, _("spacing must be 0, 1 or 2, not '%s'%s"), value, "");
			t->spacing = (int)v;
		} else if (strcmp(name, "glyphs") == 0) {
			if (strcmp(value, "large") == 0)
				t->large_glyphs = 1;
			else if (strcmp(value, "normal") == 0)
				t->large_glyphs = 0;
			else
				return fail(p, _("glyphs must be normal or large, not '%s'%s"), value, "");
		} else if (strcmp(name, "bold") == 0) {
			if (yes(value))
				t->bold = 1;
			else if (no(value))
				t->bold = 0;
			else
				return fail(p, _("bold must be yes or no, not '%s'%s"), value, "");
		} else {
			return fail(p, _("unknown setting '%s' in [theme]%s"), name, "");
		}
		return 1;
	}
	if (strcmp(section, "colors") == 0 || strcmp(section, "colours") == 0) {
		for (int i = 0; i < TH_COUNT; i++)
			if (strcmp(name, role_keys[i]) == 0) {
				if (parse_style(&t->role[i], value) != 0)
					return fail(p, _("bad colour for %s: '%s' (want: FG BG ATTRS)"), name,
					            value);
				return 1;
			}
		return fail(p, _("unknown colour role '%s'%s"), name, "");
	}
	return fail(p, _("unknown section [%s]%s"), section, "");
}

int theme_parse(struct theme *t, const char *text, char *err, size_t errlen)
{
	struct parse_ctx p = {.t = t, .err = err, .errlen = errlen};
	int r = ini_parse_string(text, on_pair, &p);
	if (r != 0) {
		if (r > 0) {
			char msg[256];
			snprintf(msg, sizeof msg, "%s", p.failed ? err : _("syntax error"));
			snprintf(err, errlen, _("line %d: %s"), r, msg);
		} else {
			snprintf(err, errlen, "%s", _("cannot parse"));
		}
		return -1;
	}
	return 0;
}

/* A theme is a readable regular file: a directory or a FIFO is none
 * (stat never blocks; theme_load checks again what it opened). */
static int readable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

int theme_find(const char *name, char *path, size_t n)
{
	if (!name || !*name)
		return -1;
	if (strchr(name, '/')) {
		snprintf(path, n, "%s", name);
		return readable(path) ? 0 : -1;
	}
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return -1;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(path, n, "%s/lockstep/themes/%s.theme", xdg, name);
	else if (home && *home)
		snprintf(path, n, "%s/.config/lockstep/themes/%s.theme", home, name);
	else
		path[0] = '\0';
	if (path[0] && readable(path))
		return 0;
	/* uninstalled: the build directory holds a copy under assets/themes */
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, n, "%s/assets/themes/%s.theme", exe, name);
			if (readable(path))
				return 0;
		}
	}
	snprintf(path, n, "%s/themes/%s.theme", LS_DATADIR, name);
	return readable(path) ? 0 : -1;
}

int theme_load(struct theme *t, const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX];
	theme_defaults(t);
	if (theme_find(name, path, sizeof path) != 0) {
		snprintf(err, errlen, _("theme '%s' not found"), name);
		return -1;
	}
	/* never block: a FIFO given as a theme would wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	FILE *f = NULL;
	if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, _("%s: not a regular file"), path);
		return -1;
	}
	if (fd >= 0)
		f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char *text = NULL;
	size_t cap = 0, len = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 20)) {
				free(text);
				fclose(f);
				snprintf(err, errlen, _("%s: too large for a theme"), path);
				return -1;
			}
			char *nt = realloc(text, cap);
			if (!nt) {
				free(text);
				fclose(f);
				snprintf(err, errlen, "%s", strerror(ENOMEM));
				return -1;
			}
			text = nt;
		}
		size_t r = fread(text + len, 1, 4096, f);
		len += r;
		if (r == 0)
			break;
	}
	fclose(f);
	text[len] = '\0';
	struct theme tmp;
	theme_defaults(&tmp);
	char why[256];
	int rc = theme_parse(&tmp, text, why, sizeof why);
	free(text);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	*t = tmp;
	return 0;
}
