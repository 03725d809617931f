#!/usr/bin/env python3
"""--export-trace: Chrome trace-event JSON that Perfetto opens.

The structure is checked, not a picture: one JSON object with a
traceEvents list; every event has the fields its phase needs; each worker
has a thread (and its process) named; state slices are the model's states
with no negative duration; every hold span that begins ends, on the same
track; every flow arrow's start has its end; counters carry a number;
the deadlock and the signals are instants. A replay exports the same
trace as the live run it recorded.
"""
import atexit
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_ERROR, EXIT_USAGE, LOCKSTEP, Tap, headless, run_cli  # noqa: E402

t = Tap()
tmp = tempfile.mkdtemp(prefix="lockstep-trace-test.")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)
STATES = {"NEW", "RUNNABLE", "BLOCKED", "WAITING", "TIMED_WAITING", "TERMINATED", "ZOMBIE"}
NEEDS = {"X": ("name", "ts", "dur", "pid", "tid"), "b": ("name", "cat", "id", "ts", "pid", "tid"),
         "e": ("name", "cat", "id", "ts", "pid", "tid"), "s": ("id", "ts", "pid", "tid"),
         "f": ("id", "ts", "pid", "tid", "bp"), "C": ("name", "ts", "pid", "args"),
         "i": ("name", "ts", "s"), "M": ("name", "pid", "args")}


def export(scene, *args):
    path = os.path.join(tmp, scene + ".json")
    r = headless(scene, "--export-trace=" + path, *args)
    with open(path) as f:
        return r, json.load(f)


def structure(name, r, d):
    """The checks every trace must pass; returns the events."""
    ev = d.get("traceEvents") if isinstance(d, dict) else None
    t.check(isinstance(ev, list) and ev, "%s: a traceEvents list" % name)
    ev = ev or []
    bad = [e for e in ev if e.get("ph") not in NEEDS or any(k not in e for k in NEEDS[e["ph"]])]
    t.check(not bad, "%s: every event has the fields its phase needs" % name, bad[:3])
    xs = [e for e in ev if e["ph"] == "X"]
    t.check(all(e["name"] in STATES and e["dur"] >= 0 and e["ts"] >= 0 for e in xs),
            "%s: state slices are the model's states, none negative" % name,
            [e for e in xs if e["name"] not in STATES or e["dur"] < 0][:3])
    opened = {}
    unbalanced = []
    for e in sorted((e for e in ev if e["ph"] in "be"), key=lambda e: (e["ts"], e["ph"] == "b")):
        key = (e["cat"], e["id"], e["pid"], e["tid"], e["name"])
        if e["ph"] == "b":
            opened[key] = opened.get(key, 0) + 1
        elif opened.get(key, 0) == 0:
            unbalanced.append(e)
        else:
            opened[key] -= 1
    left = [k for k, n in opened.items() if n]
    t.check(not unbalanced and not left, "%s: every hold span that begins ends, on its track" % name,
            (unbalanced[:3], left[:3]))
    starts = {e["id"] for e in ev if e["ph"] == "s"}
    ends = {e["id"] for e in ev if e["ph"] == "f"}
    t.check(starts == ends, "%s: every flow arrow has both ends" % name, (starts ^ ends))
    t.check(all(isinstance(v, int) for e in ev if e["ph"] == "C" for v in e["args"].values()),
            "%s: counters carry numbers" % name)
    threads = {e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
    workers = {w["name"] for w in r.summary["workers"]} if r.summary else set()
    t.check(workers and threads == workers, "%s: a named thread per worker" % name,
            (threads, workers))
    tids = {e["tid"] for e in xs}
    named = {e["tid"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
    t.check(tids <= named, "%s: every track with states has a name" % name, tids - named)
    return ev


r, d = export("deadlock")
ev = structure("deadlock", r, d)
holds = {(e["name"], e["tid"]) for e in ev if e["ph"] == "b"}
t.check(("holds A", 2) in holds and ("holds B", 3) in holds,
        "deadlock: T1 holds A and T2 holds B, as spans on their tracks", holds)
dl = [e for e in ev if e["ph"] == "i" and e["name"].startswith("lockstep: Deadlock")]
t.check(len(dl) == 1 and dl[0]["s"] == "g", "deadlock: one global instant where it formed", dl)
blocked = {e["tid"] for e in ev if e["ph"] == "X" and e["name"] == "BLOCKED"}
t.check(blocked == {2, 3}, "deadlock: T1 and T2 each have a BLOCKED slice", blocked)

r, d = export("philosophers", "--seed=3", "--param", "fix=order")
ev = structure("philosophers", r, d)
t.check(any(e["ph"] == "s" for e in ev),
        "philosophers: a fork put down and picked up by a neighbour is an arrow")

r, d = export("semaphore", "--seed=2")
ev = structure("semaphore", r, d)
t.check(any(e["ph"] == "C" and "value" in e["args"] for e in ev),
        "semaphore: its value is a counter")

r, d = export("producer-consumer", "--seed=2")
ev = structure("producer-consumer", r, d)
t.check(any(e["ph"] == "C" and "items" in e["args"] for e in ev),
        "producer-consumer: the buffer's length is a counter")
flows = {e["name"] for e in ev if e["ph"] == "s"}
t.check("buffer" in flows, "producer-consumer: a put and the get it fed are an arrow", flows)

r, d = export("condition", "--seed=2")
ev = structure("condition", r, d)
flows = {e["name"] for e in ev if e["ph"] == "s"}
t.check(any(f.startswith("notify ") for f in flows),
        "condition: a notify and the waiter it woke are an arrow", flows)

r, d = export("signals", "--schedule=rest,signal:group:INT,rest,signal:group:QUIT,rest,signal:group:TSTP")
ev = structure("signals", r, d)
names = [e["name"] for e in ev if e["ph"] == "i"]
t.check("SIGINT sent" in names and "SIGUSR1 delivered" in names,
        "signals: sent and delivered signals are instants", names[:10])
procs = [e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"]
t.check(any(p.startswith("driver (pid ") for p in procs), "signals: a process per worker process", procs)

# a replay exports what the live run exported
rec = os.path.join(tmp, "deadlock.rec")
live = os.path.join(tmp, "live.json")
rep = os.path.join(tmp, "replay.json")
headless("deadlock", "--record=" + rec, "--export-trace=" + live)
p = subprocess.run([LOCKSTEP, "--headless", "--replay=" + rec, "--export-trace=" + rep],
                   capture_output=True, text=True, timeout=60)
with open(live) as a, open(rep) as b:
    t.check(p.returncode == 3 and a.read() == b.read(), "a replay exports the live run's trace", p.stderr)

r = run_cli("deadlock", "--export-trace=" + os.path.join(tmp, "x.json"))
t.check(r.returncode == EXIT_USAGE, "--export-trace without --headless: usage error", r.stderr)
r = headless("deadlock", "--export-trace=" + os.path.join(tmp, "no", "dir", "x.json"))
t.check(r.rc == EXIT_ERROR and "cannot write the trace" in r.stderr and not r.lines,
        "an unwritable trace: exit 1 before the scene starts", r.stderr)
# a FIFO nobody reads: refused at once, never waited on (open() of it
# would block for ever); one that a program reads gets the trace
fifo = os.path.join(tmp, "fifo")
os.mkfifo(fifo)
r = headless("deadlock", "--export-trace=" + fifo)
t.check(r.rc == EXIT_ERROR and "not a regular file" in r.stderr and not r.lines,
        "a trace to a FIFO nobody reads: exit 1 at once, no hang", r.stderr)
# the read end is open before lockstep starts (non-blocking: it needs no
# writer), so the FIFO has its reader whenever lockstep opens it
rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
p = subprocess.Popen([LOCKSTEP, "--headless", "deadlock", "--export-trace=" + fifo],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
chunks = []
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    select.select([rfd], [], [], 1.0)
    try:
        data = os.read(rfd, 65536)
    except BlockingIOError:  # a writer, nothing written yet
        continue
    if data:
        chunks.append(data)
    elif p.poll() is not None:  # no writer left, and lockstep is done
        break
    else:  # no writer yet: poll, as wait_for does
        time.sleep(0.01)
os.close(rfd)
if p.poll() is None:
    p.kill()
rc, err = p.wait(), p.stderr.read().decode()
try:
    ok = bool(json.loads(b"".join(chunks))["traceEvents"])
except ValueError:
    ok = False
t.check(rc == 3 and ok, "a trace to a FIFO a program reads: written there", (rc, err))
t.done()
