#!/usr/bin/env python3
"""Every named IPC object a scene makes (FIFO path, mqueue name, shm name) is
removed on every way out: a normal end, a stop (^C to lockstep), a stop by
the engine mid-scene, and the scene host killed with SIGKILL, when the UI
process cleans up what the host could not. Also ipc-compare, which runs
free and reports its measurements in the summary."""
import os
import re
import signal
import subprocess
import sys
import json
import pty
import select
import termios
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_OK, Live, Tap, headless, leftovers, mq_exists, recorded  # noqa: E402

t = Tap()
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES", "")


def Held():
    return Live("test-ipc-hold", "--scene-path=" + TEST_SCENES, timeout=60)


def start_hold():
    """Start test-ipc-hold headless; return (held, host pid) once it says it
    holds its objects. Waits on the event stream, with a deadline."""
    h = Held()
    hello = h.read_until(lambda e: e.get("type") == "hello", "hello")
    h.read_until(lambda e: e.get("type") == "say" and e.get("line") == "holding", "holding")
    return h, hello["pid"]


def exists(kind, name):
    return mq_exists(name) if kind == "mq" else os.path.exists(("/dev/shm" + name) if kind == "shm" else name)


def gone(made):
    return ["%s %s" % m for m in made if exists(*m)]


def hold_then(kill, label):
    p, host = start_hold()
    made = recorded(host)
    kinds = sorted(k for k, _ in made)
    # a second queue has a name longer than the model keeps: only the
    # record of its kernel name can remove it
    t.check(kinds == ["fifo", "mq", "mq", "shm"] and all(exists(*m) for m in made),
            label + ": the FIFO, both mqueues and the shm object exist mid-scene, recorded", made)
    kill(p.p, host)
    summary = p.read_until(lambda e: e.get("type") == "summary", "the summary")
    p.p.wait(timeout=30)
    os.close(p.fd)
    t.check(summary.get("type") == "summary", label + ": lockstep still prints its summary")
    left = gone(made) + leftovers(host)
    t.check(not left, label + ": nothing is left behind", left)
    return summary


s = hold_then(lambda p, host: os.kill(host, signal.SIGKILL), "host killed with SIGKILL")
t.check(s.get("outcome") == "crashed", "host killed with SIGKILL: reported as a crash", s.get("outcome"))
s = hold_then(lambda p, host: p.send_signal(signal.SIGINT), "lockstep stopped with ^C")
t.check(s.get("outcome") == "stopped", "lockstep stopped with ^C: outcome stopped", s.get("outcome"))
s = hold_then(lambda p, host: p.send_signal(signal.SIGTERM), "lockstep stopped with SIGTERM")

# The engine stops a scene mid-way (a bad schedule entry) with the objects made.
for scene, sched, mq in (("mqueue", "sender,sender,nobody", "mq"), ("shm", "P1,P2,nobody", None),
                         ("fifo", "reader,writer,nobody", None)):
    r = headless(scene, "--schedule=" + sched)
    left = leftovers(r.host_pid())
    t.check(r.summary and r.summary["outcome"] == "bad-schedule" and not left,
            "%s stopped mid-way by the engine: nothing left behind" % scene, left)

# ipc-compare runs free and reports the table: a row per message size (64 B
# and 64 KiB), a column per mechanism, the course's comparison in words.
# Which mechanism wins is measured, never asserted here (timing): see
# tests/bench/ipc-ranking.
r = headless("ipc-compare", timeout=120)
t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished" and r.summary["anomalies"] == 0,
        "ipc-compare finishes with no anomaly", (r.rc, r.stderr[-300:]))
MECHS = ["pipe", "fifo", "mq", "shm"]
rates = {o["name"]: o["value"] for o in r.summary["objects"] if o["name"].endswith("msg/s")}
t.check(set(rates) == {"%s %s msg/s" % (z, m) for m in MECHS for z in ("64B", "64K")} and
        all(v > 0 for v in rates.values()), "ipc-compare: a measured rate per mechanism and size", rates)
narr = r.summary["narration"]
head = [n for n in narr if n.startswith("msg/s ")]
t.check(len(head) == 1 and head[0].split() == ["msg/s", "pipe", "FIFO", "mqueue", "shm+sem", "fastest"],
        "ipc-compare: the table's header names every mechanism", head)


def shown(x):
    """A rate as the table prints it (2.24M, 37.5k, 950), as a number."""
    return float(x[:-1]) * {"M": 1e6, "k": 1e3}[x[-1]] if x[-1] in "Mk" else float(x)


RATE = r"(\d+(?:\.\d+)?[kM]?)"
for z, key in (("64 B", "64B"), ("64 KiB", "64K")):
    row = [m for m in (re.match(r"%s\s+%s\s+%s\s+%s\s+%s\s+(pipe|FIFO|mqueue|shm\+sem)$" % ((z,) + (RATE,) * 4), n)
                       for n in narr) if m]
    t.check(len(row) == 1, "ipc-compare: a row of four rates and the fastest at %s" % z, narr[-4:])
    if row:
        got = [shown(x) for x in row[0].groups()[:4]]
        want = [rates["%s %s msg/s" % (key, m)] for m in MECHS]
        t.check(all(abs(g - w) <= 0.05 * w + 1 for g, w in zip(got, want)),  # three figures
                "ipc-compare: the %s row shows the measured values" % z, (row[0].group(0), want))
        best = ["pipe", "FIFO", "mqueue", "shm+sem"][want.index(max(want))]
        t.check(row[0].group(5) == best, "ipc-compare: the %s row names the fastest it measured" % z,
                (row[0].group(0), want))
words = [n for n in narr if "byte stream" in n or "priorities" in n or "two semaphores" in n]
t.check(len(words) == 3 and "synchronise" in " ".join(words) and "boundaries" in " ".join(words),
        "ipc-compare: the course's comparison in words", words)
t.check(any("copy each message into the kernel" in n and "shared memory" in n for n in narr),
        "ipc-compare: the narration says why the size matters", narr[-3:])
t.check(any("Only the transfer is announced" in n for n in narr), "ipc-compare: says what is timed")
sends = [e for e in r.events if e["type"] not in ("say", "output") and (e.get("worker") or "").endswith("-tx")]
t.check(sends and len(sends) < 8 * 20, "ipc-compare: a transfer is announced, not each message",
        len(sends))
t.check(not any("lost or wrong" in n for n in narr), "ipc-compare: every message arrived")
t.check(r.of("mode", mode="run") and not r.of("grant"), "ipc-compare runs free: no step was granted")
t.check(not leftovers(r.host_pid()), "ipc-compare: nothing left behind")
t.done()
