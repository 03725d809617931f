/* term: setup, resize, suspend and restore. See term.h. */
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "i18n.h"

static struct {
	int active, color, utf8, saved_tty;
	int tty_out, frame_fd;      /* term_update: the terminal, the frame's file */
	volatile sig_atomic_t in_frame; /* stdout is the frame's file now */
	char *frame;
	size_t frame_cap;
	struct termios tty;
	pid_t pid, scene;
	SCREEN *screen;
	WINDOW *input;
	char reset[256];
	size_t reset_len;
	struct sigaction old[NSIG];
} t;

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};

int term_check(char *why, size_t n)
{
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0) {
		snprintf(why, n, _("TERM is '%s', which cannot draw the screen"), term ? term : "");
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(why, n, "%s", _("stdin and stdout must be a terminal"));
		return -1;
	}
	return 0;
}

static void add_reset(const char *cap)
{
	if (!cap || cap == (char *)-1)
		return;
	size_t l = strlen(cap);
	if (t.reset_len + l < sizeof t.reset) {
		memcpy(t.reset + t.reset_len, cap, l);
		t.reset_len += l;
	}
}

/* What a crash handler writes: attributes off, cursor on, keypad and mouse
 * off, out of the alternate screen. Computed now: tigetstr is not
 * async-signal-safe. */
static void make_reset(void)
{
	t.reset_len = 0;
	add_reset(tigetstr("sgr0"));
	add_reset(tigetstr("cnorm"));
	add_reset(tigetstr("rmkx"));
	add_reset("\033[?1000l\033[?1002l\033[?1006l");
	add_reset(tigetstr("rmcup"));
	add_reset("\r\n");
}

static void emergency_restore(void)
{
	if (getpid() != t.pid || !t.active)
		return;
	if (t.in_frame)
		dup2(t.tty_out, STDOUT_FILENO);
	if (t.scene > 1)
		kill(-t.scene, SIGKILL);
	if (t.saved_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &t.tty);
	ssize_t r = write(STDOUT_FILENO, t.reset, t.reset_len);
	(void)r;
}

static void crash_handler(int sig)
{
	emergency_restore();
	t.active = 0;
	/* hand the signal to whoever had it before (the sanitizers) */
	sigaction(sig, &t.old[sig], NULL);
	raise(sig);
}

static void at_exit(void)
{
	term_end();
}

int term_init(char *why, size_t n)
{
	t.pid = getpid();
	t.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (tcgetattr(STDIN_FILENO, &t.tty) == 0)
		t.saved_tty = 1;
	/* the kernel's size, never stale LINES/COLUMNS from the environment */
	use_env(FALSE);
	use_tioctl(TRUE);
	set_escdelay(25);
	t.screen = newterm(NULL, stdout, stdin);
	if (!t.screen) {
		snprintf(why, n, _("cannot use the terminal '%s'"), getenv("TERM"));
		return -1;
	}
	t.active = 1;
	atexit(at_exit);
	t.tty_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	t.frame_fd = t.tty_out >= 0 ? memfd_create("lockstep-frame", MFD_CLOEXEC) : -1;
	make_reset();
	for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = crash_handler;
		sa.sa_flags = SA_RESETHAND | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		sigaction(crash_signals[i], &sa, &t.old[crash_signals[i]]);
	}
	cbreak(); /* ^C and ^Z still make signals, which the loop handles */
	noecho();
	nonl();
	curs_set(0);
	typeahead(-1);
	const char *nc = getenv("NO_COLOR");
	t.color = has_colors() && !(nc && *nc);
	if (t.color) {
		start_color();
		use_default_colors();
	}
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	t.input = newwin(1, 1, 0, 0);
	if (!t.input) {
		term_end();
		snprintf(why, n, "%s", _("cannot make the input window"));
		return -1;
	}
	keypad(t.input, TRUE);
	nodelay(t.input, TRUE);
	untouchwin(t.input); /* reading keys must never repaint a cell */
	leaveok(stdscr, TRUE);
	return 0;
}

void term_end(void)
{
	if (!t.active || getpid() != t.pid)
		return;
	t.active = 0;
	mousemask(0, NULL);
	curs_set(1);
	endwin();
	fflush(stdout);
	if (t.saved_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &t.tty);
	for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
		sigaction(crash_signals[i], &t.old[crash_signals[i]], NULL);
}

/* ncurses (6.4 as Debian ships it) flushes its output at every cursor
 * movement, so a frame of changes scattered over the panes went out as
 * about fifty writes, each waking the terminal (under tmux, each one also
 * handed the CPU to tmux). The frame is written to a memory file instead
 * and sent in one write: the terminal never shows half a frame either. */
void term_update(void)
{
	/* coming back from endwin (^Z, SIGCONT), doupdate sets the terminal's
	 * modes on the output descriptor: that one goes to the terminal itself */
	if (t.frame_fd < 0 || !t.active || isendwin()) {
		doupdate();
		return;
	}
	fflush(stdout);
	if (dup2(t.frame_fd, STDOUT_FILENO) < 0) {
		doupdate();
		return;
	}
	t.in_frame = 1;
	doupdate();
	dup2(t.tty_out, STDOUT_FILENO);
	t.in_frame = 0;
	off_t n = lseek(t.frame_fd, 0, SEEK_CUR);
	if (n <= 0)
		return;
	if ((size_t)n > t.frame_cap) {
		char *b = realloc(t.frame, (size_t)n);
		if (!b) { /* keep going: the frame is lost, the next one repaints */
			lseek(t.frame_fd, 0, SEEK_SET);
			clearok(curscr, TRUE);
			return;
		}
		t.frame = b;
		t.frame_cap = (size_t)n;
	}
	ssize_t got = pread(t.frame_fd, t.frame, (size_t)n, 0);
	lseek(t.frame_fd, 0, SEEK_SET);
	for (ssize_t off = 0; got > 0 && off < got;) {
		ssize_t w = write(STDOUT_FILENO, t.frame + off, (size_t)(got - off));
		if (w > 0)
			off += w;
		else if (w < 0 && errno != EINTR && errno != EAGAIN)
			break; /* the terminal is gone: the loop sees its hangup */
	}
}

int term_active(void) { return t.active; }
int term_color(void) { return t.color; }
int term_utf8(void) { return t.utf8; }
void *term_input(void) { return t.input; }
void term_set_scene(pid_t pgid) { t.scene = pgid; }

void term_resize(int *rows, int *cols)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	*rows = LINES;
	*cols = COLS;
}

void term_redraw_all(void)
{
	clearok(curscr, TRUE);
}

void term_suspend(pid_t scene_pgid)
{
	if (!t.active)
		return;
	def_prog_mode();
	endwin();
	fflush(stdout);
	if (scene_pgid > 1)
		kill(-scene_pgid, SIGSTOP);
	raise(SIGSTOP); /* the shell sees us stop; we go on from here on fg */
	if (scene_pgid > 1)
		kill(-scene_pgid, SIGCONT);
	reset_prog_mode();
	flushinp();
	clearok(curscr, TRUE);
}

void term_continued(void)
{
	if (!t.active)
		return;
	/* endwin, then the next refresh re-enters program mode: the tty modes
	 * curses keeps (cbreak, noecho), keypad, mouse and the screen */
	endwin();
	flushinp();
	clearok(curscr, TRUE);
	term_update();
}

void term_fatal(const char *fmt, ...)
{
	if (t.scene > 1)
		kill(-t.scene, SIGKILL);
	term_end();
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "lockstep: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}
