/* headless: run a scene in controlled mode without a terminal and print
 * JSON lines. Exit codes (also in --help and the README): */
#ifndef LS_HEADLESS_H
#define LS_HEADLESS_H

#include "engine.h"

enum ls_exit {
	LS_EXIT_OK = 0,       /* the scene finished */
	LS_EXIT_ERROR = 1,    /* anything else: a crash, a failed start */
	LS_EXIT_USAGE = 2,    /* bad option, scene, parameter or schedule */
	LS_EXIT_DEADLOCK = 3, /* deadlock or stall */
	LS_EXIT_TIMEOUT = 4,  /* --timeout ran out */
	/* 5 and 6: --explore (explore.h); 7: --grade (grade.h) */
	LS_EXIT_NET = 8,      /* --serve/--attach: cannot listen or connect, the token was
	                         refused, the stream was garbled or cut short */
};

/* Runs in step mode, or with o->free_run freely at full speed (the kernel
 * schedules; the run ends with the scene, at a deadlock on locks, or at the
 * timeout). */
int headless_run(const struct engine_opts *o, double timeout_s, int settled_lines);
/* Before headless_run: run freely this long, then switch to stepping (as a
 * user who pauses a running scene does). */
void headless_step_after(double seconds);

/* Before headless_run or headless_replay: also write the run as Chrome
 * trace-event JSON to path (trace.h). */
void headless_export_trace(const char *path);
/* Before headless_run or headless_replay: the summary also explains the
 * worker or object of this name ("explain": describe_why's lines); a name
 * the run never had is exit 2 after the summary, said on stderr. */
void headless_explain(const char *name);
/* Print a recording (--record) as the live run printed it: the same JSON
 * lines and summary, less what only a live scene has (the kernel's view).
 * The exit code is the recorded run's; a damaged recording prints what
 * came before the damage, then one line on stderr saying where, exit 1. */
int headless_replay(const char *path, int settled_lines);

/* Before headless_run: also publish the run to viewers (--serve=SPEC,
 * serve.h); with wait_viewers > 0 the scene starts once that many have
 * attached (within the timeout: else exit 4). */
void headless_serve(const char *spec, const char *token, int wait_viewers);
/* --attach --headless: the teacher's current run, as a headless run
 * prints it (the same lines as --replay of its recording), and its exit
 * code; exit 7 when the connection fails or the stream is cut short;
 * timeout_s > 0: exit 4 if the run has not ended by then. */
int headless_attach(const char *spec, const char *token, int settled_lines, double timeout_s);

#endif
