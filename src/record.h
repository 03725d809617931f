/* record: lockstep's recording file, written by the engine and read back.
 *
 * A recording is what the model folded, in the order it folded it, so a
 * replay reaches the same states: a header (format version, lockstep
 * version, scene, parameters, schedule, seed, mode), then 64-byte records.
 * Most are bus records exactly as the engine applied them (event.h); a few
 * are the recording's own marks, with magic "LR": a step settled, a notice,
 * a signal the engine sent for the user or the schedule, the run's end.
 *
 *   bytes 0..7    "LSTEPREC"
 *   bytes 8..11   0x01020304 in the writer's byte order (records are too)
 *   bytes 12..15  format version (REC_VERSION)
 *   bytes 16..19  n, the length of the header text
 *   bytes 20..    n bytes of "key=value\n" lines (REC_KEYS below)
 *   then          64-byte records until the END mark, which is last
 *
 * The reader is pure over a buffer (the fuzzer feeds it bytes): it never
 * trusts a length, validates every record as the bus reader does, and on
 * the first fault says where (record number and byte offset) and what; what
 * came before stays usable.
 */
#ifndef LS_RECORD_H
#define LS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "params.h"

#define REC_MAGIC "LSTEPREC"
#define REC_VERSION 1
#define REC_META_MAGIC 0x524cu /* "LR" little-endian */
#define REC_HEADER_MAX 65536
#define REC_TEXT_MAX 2048

/* The recording's own marks (record type byte, magic REC_META_MAGIC). */
enum rec_mark {
	REC_SETTLED = 1, /* a controlled step is over (--settled prints a line) */
	REC_NOTICE = 2,  /* text chunk, a0 more: a notice line */
	REC_ERROR = 3,   /* text chunk, a0 more: the run's error (before END) */
	REC_SIGNAL = 4,  /* the engine sent a signal: a0 target worker (-1 the
	                    group), a1 the signal; a step for --rerun */
	REC_END = 5,     /* a0 outcome (enum ls_outcome), a1 malformed records,
	                    a2 an invariant broke */
};

/* The header, as read back. Strings are NUL-terminated; absent keys are
 * empty (or 0). */
struct rec_header {
	unsigned version;
	char lockstep[64];   /* lockstep=VERSION */
	char scene[64];      /* scene=ID */
	char params[LS_PARAMS_MAX][96]; /* param=NAME=VALUE, one per parameter */
	int nparams;
	char schedule[8192]; /* schedule=LIST (--schedule), may be empty */
	int seeded;          /* sched=seed */
	uint64_t seed;       /* seed=N */
	int mode;            /* mode=step|run: how the scene started */
	int free_run;        /* free=1: headless --free */
	int until_deadlock;  /* until=deadlock */
	/* arg=A, one per word of `lockstep run -- ARGS` (scene=run): the
	 * program --rerun runs again; each ends with a NUL in args */
	char args[4096];
	size_t args_len;
	int nargs;
};

/* ---- writing (the engine) ---- */

struct recorder;
struct engine_opts;

/* Where a recording goes besides (or instead of) a file: --serve publishes
 * the same bytes to viewers (serve.h). begin: a recording starts, its
 * header is the next write; write: bytes in order, whole records (the
 * sink must not block); flush: a step settled or the run ended, a good
 * moment to send. */
struct rec_sink {
	void (*begin)(void *ud);
	void (*write)(void *ud, const void *p, size_t n);
	void (*flush)(void *ud);
	void *ud;
};

/* Create the file (path may be NULL: the sink only) and write the header
 * to it and to the sink (may be NULL); NULL with the reason in err. */
struct recorder *recorder_open(const char *path, const struct rec_sink *sink,
                               const struct engine_opts *o, char *err, size_t errlen);
void recorder_event(struct recorder *r, const struct ls_event *ev);
void recorder_settled(struct recorder *r);
void recorder_notice(struct recorder *r, const char *text);
void recorder_signal(struct recorder *r, int target, int sig);
/* Write the END mark and close. Returns 0, or -1 with why a write failed. */
int recorder_close(struct recorder *r, int outcome, const char *error, uint64_t malformed,
                   int check_failed, char *err, size_t errlen);
/* The scene never started: close and remove the file; the sink's
 * recording ends as an error. */
void recorder_discard(struct recorder *r);

/* ---- reading (pure over a buffer) ---- */

enum rec_kind {
	REC_K_EVENT,   /* it.ev: a bus record to fold */
	REC_K_SETTLED,
	REC_K_NOTICE,  /* it.text */
	REC_K_SIGNAL,  /* it.a[0] target, it.a[1] signal */
	REC_K_END,     /* it.a[0] outcome, a[1] malformed, a[2] check failed; it.text: error */
	REC_K_EOF,     /* after END: nothing more */
	REC_K_BAD,     /* rd->err says where and what; nothing more is read */
};

struct rec_item {
	enum rec_kind kind;
	struct ls_event ev;
	int64_t a[3];
	char text[REC_TEXT_MAX];
};

struct rec_reader {
	const unsigned char *buf;
	size_t len, pos, base; /* base: where the records start */
	uint64_t index;        /* records read so far */
	int ended;             /* END seen */
	int bad;
	struct rec_header h;
	char err[512];
};

/* Parse the header. 0, or -1 with the reason in rd->err. */
int rec_open(struct rec_reader *rd, const unsigned char *buf, size_t len);
enum rec_kind rec_next(struct rec_reader *rd, struct rec_item *it);

/* A recording file mapped into memory. */
struct rec_file {
	unsigned char *map;
	size_t len;
	struct rec_reader rd;
};
/* Map and open. 0, or -1 with one line in err (the file, where, what). */
int rec_file_open(struct rec_file *f, const char *path, char *err, size_t errlen);
void rec_file_close(struct rec_file *f);

/* Feed the engine (engine_replay_*) up to max items of the recording, 0
 * for all. Returns 1 once the recording is over: its END, or a fault, which
 * ends the run as an error saying where (rd->err); 0 while more remains. */
struct engine;
int rec_feed(struct engine *e, struct rec_reader *rd, struct rec_item *it, uint64_t max);

/* The schedule that re-drives a controlled recording: its grants and the
 * signals the engine sent, as --schedule entries. 0, or -1 with why not (a
 * free run, a bad file) in err. The caller frees *out. */
int rec_schedule(const unsigned char *buf, size_t len, char **out, char *err, size_t errlen);

/* --rerun=FILE: the scene, parameters and schedule of a controlled
 * recording, into o (o->schedule points to *schedule, which the caller
 * frees). 0, or -1 with one line in err. */
struct catalog;
int rec_rerun_opts(const char *path, const struct catalog *cat, struct engine_opts *o,
                   char **schedule, char *err, size_t errlen);

#endif
