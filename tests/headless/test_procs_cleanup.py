#!/usr/bin/env python3
"""Every named IPC object a scene makes (FIFO path, mqueue name, shm name) is
removed on every way out: a normal end, a stop (^C to lockstep), a stop by
the engine mid-scene, and the scene host killed with SIGKILL, when the UI
process cleans up what the host could not. Also ipc-compare, which runs
free and reports its measurements in the summary."""
import os
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
    t.check(kinds == ["fifo", "mq", "shm"] and all(exists(*m) for m in made),
            label + ": the FIFO, the mqueue and the shm object exist mid-scene, recorded", made)
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

# ipc-compare runs free and reports the table.
r = headless("ipc-compare", timeout=120)
t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished" and r.summary["anomalies"] == 0,
        "ipc-compare finishes with no anomaly", (r.rc, r.stderr[-300:]))
rates = {o["name"]: o["value"] for o in r.summary["objects"] if o["name"].endswith("msg/s")}
t.check(set(rates) == {"pipe msg/s", "fifo msg/s", "mqueue msg/s", "shm+sem msg/s"} and
        all(v > 0 for v in rates.values()), "ipc-compare: a measured rate per mechanism in the summary", rates)
table = [n for n in r.summary["narration"] if "messages/s" in n or "byte stream" in n or "priorities" in n
         or "semaphores" in n]
t.check(len(table) == 5, "ipc-compare: the table is in the narration", table)
t.check(not any("lost or wrong" in n for n in r.summary["narration"]), "ipc-compare: every message arrived")
t.check(r.of("mode", mode="run") and not r.of("grant"), "ipc-compare runs free: no step was granted")
t.check(not leftovers(r.host_pid()), "ipc-compare: nothing left behind")
t.done()
