#!/usr/bin/env python3
"""Recordings (--record, --replay, --rerun).

- A replay prints what the live run printed: every JSON line, the settled
  states and the summary, equal field for field except the kernel's view,
  which only a live scene has (KERNEL_FIELDS; docs/DESIGN.md says so too).
- A damaged recording (cut short, a record overwritten, another format, a
  newer version) prints what came before the damage and one line on
  stderr that says where (record number and byte), exit 1.
"""
import json
import atexit
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import (EXIT_ERROR, EXIT_USAGE, LOCKSTEP, Run, Tap, headless,  # noqa: E402
                    run_cli)

# Only a live scene has /proc to read: the replay leaves these out.
KERNEL_FIELDS = ("kernel", "kernel_state", "wchan", "kernel_disagreement", "kernel_note")

t = Tap()
tmp = tempfile.mkdtemp(prefix="lockstep-rec-test.")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)


def strip_kernel(x):
    if isinstance(x, dict):
        return {k: strip_kernel(v) for k, v in x.items() if k not in KERNEL_FIELDS}
    if isinstance(x, list):
        return [strip_kernel(v) for v in x]
    return x


def replay(path, *args):
    cmd = [LOCKSTEP, "--headless", "--replay=" + path] + list(args)
    return Run(cmd, subprocess.run(cmd, capture_output=True, text=True, timeout=60))


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "line %d:\n%s\n%s" % (i, json.dumps(x)[:600], json.dumps(y)[:600])
    return "%d lines vs %d" % (len(a), len(b))


# ---- a replay prints the live run's lines ----

REPLAYED = [
    ("deadlock", []),
    ("producer-consumer", ["--seed=3"]),
    ("condition", ["--param", "variant=notify"]),
    ("pipe", ["--seed=7"]),
    ("signals", ["--schedule=rest,signal:group:INT,rest,signal:group:QUIT,rest,signal:group:TSTP"]),
    ("zombie-orphan", ["--seed=7"]),
    ("race", []),
    ("io-vs-cpu", ["--free"]),
]
for scene, args in REPLAYED:
    path = os.path.join(tmp, scene + ".rec")
    live = headless(scene, "--settled", "--record=" + path, *args)
    rep = replay(path, "--settled")
    a = [strip_kernel(x) for x in live.lines]
    b = [strip_kernel(x) for x in rep.lines]
    t.check(live.summary is not None and a == b and rep.rc == live.rc,
            "replay of %s %s prints the live run's lines, exit %d" % (scene, " ".join(args), live.rc),
            "exit %s vs %s; %s; %s" % (live.rc, rep.rc, first_difference(a, b), rep.stderr[-300:]))
    # what the kernel said is not in the file: only "gone", which the
    # model alone knows (a worker that ended), is left
    read = [w for w in rep.summary["workers"] if w.get("kernel", "gone") != "gone" or
            w.get("kernel_state") or "wchan" in w] if rep.summary else None
    t.check(read == [] and "kernel_note" not in rep.summary,
            "replay of %s shows no reading of /proc" % scene, read)

# ---- damaged recordings ----

good = os.path.join(tmp, "deadlock.rec")
with open(good, "rb") as f:
    data = f.read()
hlen = struct.unpack_from("=I", data, 16)[0]
base = 20 + hlen
nrec = (len(data) - base) // 64
live = replay(good)


def damaged(name, blob, where, prefix_events):
    p = os.path.join(tmp, name + ".rec")
    with open(p, "wb") as f:
        f.write(blob)
    r = replay(p)
    err = r.stderr.strip().splitlines()
    t.check(r.rc == EXIT_ERROR and len(err) == 1 and where in err[0] and p in err[0],
            "%s: exit 1, one line saying where (%s)" % (name, where), (r.rc, r.stderr))
    if prefix_events == 0:  # the header is bad: there is nothing to show
        t.check(r.stdout == "", "%s: nothing on stdout" % name, r.stdout[:300])
    elif prefix_events is not None:
        # the records before the damage, each printed as the whole run
        # printed it (in seq order, which need not be file order: two
        # threads' batches can reach the engine either way round)
        t.check(len(r.events) == prefix_events and all(e in live.events for e in r.events) and
                r.summary and
                r.summary["outcome"] == "error" and where in r.summary.get("error", ""),
                "%s: the %d records before the damage are shown, then the summary" %
                (name, prefix_events),
                (len(r.events), prefix_events, r.summary and r.summary.get("error")))


# cut inside record 11 (10 whole records before it, all bus records)
damaged("cut", data[:base + 10 * 64 + 20], "record 11 (byte %d)" % (base + 640), 10)
# the END mark cut off: every record is whole, the file just stops
damaged("no-end", data[:base + (nrec - 1) * 64], "truncated", None)
# record 6's magic overwritten
bad = bytearray(data)
bad[base + 5 * 64] ^= 0xff
damaged("bad-record", bytes(bad), "record 6 (byte %d)" % (base + 5 * 64), 5)
# a worker index out of range in record 4
bad = bytearray(data)
struct.pack_into("=i", bad, base + 3 * 64 + 16, 99999)
damaged("bad-worker", bytes(bad), "record 4 (byte %d)" % (base + 3 * 64), 3)
# a newer format version
bad = bytearray(data)
struct.pack_into("=I", bad, 12, 99)
damaged("newer", bytes(bad), "version 99 is newer", 0)
damaged("not-a-recording", b"hello, world\n" * 10, "not a lockstep recording", 0)
damaged("empty", b"", "not a lockstep recording", 0)
# a header that claims more than the file holds
bad = bytearray(data[:200])
struct.pack_into("=I", bad, 16, 60000)
damaged("long-header", bytes(bad), "header (byte 16)", 0)
# data after the end
damaged("after-end", data + data[base:base + 64], "record %d (byte %d): data after" % (nrec + 1, len(data)), None)

# a recording made by an earlier build still reads (the fuzzer's seed):
# the format is a promise, bumped with REC_VERSION when it changes
seed = os.path.join(os.path.dirname(__file__), "..", "fuzz", "seeds", "deadlock.rec")
r = replay(seed)
t.check(r.rc == 3 and r.summary and r.summary["outcome"] == "deadlock" and
        r.summary["cycle"] == ["T1", "B", "T2", "A"],
        "the recording kept in tests/fuzz/seeds replays: the deadlock, exit 3", (r.rc, r.stderr))

r = run_cli("--headless", "--replay=" + os.path.join(tmp, "missing.rec"))
t.check(r.returncode == EXIT_ERROR and len(r.stderr.strip().splitlines()) == 1 and
        "missing.rec" in r.stderr and not r.stdout,
        "a recording that is not there: exit 1, one line", (r.returncode, r.stderr))

# ---- --diff: where two runs part ----

other = os.path.join(tmp, "deadlock-t1.rec")
headless("deadlock", "--schedule=T1,T1,T1", "--record=" + other)
r = run_cli("--diff", good, good)
t.check(r.returncode == 0 and "The same settled states at every step." in r.stdout,
        "--diff of a run with itself: the same, exit 0", (r.returncode, r.stdout, r.stderr))
r = run_cli("--diff", good, other)
lines = r.stdout.splitlines()
t.check(r.returncode == 1 and "They part at step 1: A stepped main, B stepped T1." in r.stdout and
        "A ended: deadlock. B ended: finished." in r.stdout,
        "--diff of the deadlock and its fix: where they part, who moved, how each ended",
        (r.returncode, r.stdout, r.stderr))
marked = [l.split()[1] for l in lines if l.startswith("* ")]
t.check(marked == ["main", "T1", "A"],
        "--diff: the rows that differ at that step are marked, side by side", r.stdout)
r = run_cli("--diff", good, os.path.join(tmp, "cut.rec"))
t.check(r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "record 11 (byte" in r.stderr,
        "--diff with a damaged recording: one line saying where, exit 1", (r.returncode, r.stderr))
r = run_cli("--diff", good)
t.check(r.returncode == EXIT_USAGE, "--diff with one recording: usage error", r.stderr)

# ---- usage ----

for args, what in [
    (["deadlock", "--headless", "--replay=" + good], "a scene beside --replay"),
    (["--headless", "--replay=" + good, "--schedule=T1"], "a schedule beside --replay"),
    (["--headless", "--rerun=" + good, "--param", "work=3"], "a parameter beside --rerun"),
    (["--headless", "--replay=" + good, "--rerun=" + good], "--replay and --rerun together"),
    (["--headless", "--replay=" + good, "--record=" + os.path.join(tmp, "x.rec")],
     "--record beside --replay"),
]:
    r = run_cli(*args)
    t.check(r.returncode == EXIT_USAGE and len(r.stderr.strip().splitlines()) == 2 and not r.stdout,
            "%s: usage error, exit 2" % what, (r.returncode, r.stderr))

# a recording that cannot be written: the scene never starts, nothing is left
r = headless("deadlock", "--record=" + os.path.join(tmp, "no", "such", "dir.rec"))
t.check(r.rc == EXIT_ERROR and "cannot write the recording" in r.stderr and not r.lines,
        "an unwritable --record: exit 1 before the scene starts", (r.rc, r.stderr))

# a recording replaces a file, never writes through a link
target = os.path.join(tmp, "target")
with open(target, "w") as f:
    f.write("keep me")
link = os.path.join(tmp, "link.rec")
os.symlink(target, link)
r = headless("deadlock", "--record=" + link)
with open(target) as f:
    kept = f.read()
t.check(kept == "keep me" and not os.path.islink(link) and replay(link).rc == r.rc,
        "--record onto a symbolic link replaces the link, not its target")

t.done()
