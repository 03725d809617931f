/* term: the terminal's whole life: the check that there is one, setup,
 * resize, suspend (^Z) and resume, and its restoration on every way out:
 * normal exit, exit(), a fatal error, a crash signal, libev giving up.
 *
 * Signal handlers never call endwin: the loop's own ev_signal watchers tell
 * the app, which calls term_end(). The crash handlers only restore the tty
 * with async-signal-safe calls (tcsetattr, write of a precomputed string).
 * Only the loop thread calls this module.
 */
#ifndef LS_TERM_H
#define LS_TERM_H

#include <stddef.h>
#include <sys/types.h>

/* 0 when stdin and stdout are a usable terminal; else why not. */
int term_check(char *why, size_t n);
/* Set up curses. Returns 0, or -1 with why. */
int term_init(char *why, size_t n);
/* Back to the shell's terminal; safe to call twice and from exit(). */
void term_end(void);
int term_active(void);
int term_color(void); /* colours in use (off with NO_COLOR or none) */
int term_utf8(void);  /* the locale is UTF-8 */
/* doupdate(), with the frame sent to the terminal in one write. */
void term_update(void);
/* The 1x1 window keys are read from; never drawn. */
void *term_input(void);
/* Ask the kernel for the size and tell curses. */
void term_resize(int *rows, int *cols);
/* ^Z: stop the scene's group and ourselves; on return, resume both. */
void term_suspend(pid_t scene_pgid);
/* After SIGCONT from elsewhere: repaint everything. */
void term_redraw_all(void);
/* After SIGCONT: put back the terminal modes a shell may have changed while
 * lockstep was stopped, and redraw everything. */
void term_continued(void);
/* The scene's process group, killed by the crash handlers. */
void term_set_scene(pid_t pgid);
/* Restore the terminal, stop the scene, print one line, exit 1. */
_Noreturn void term_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
