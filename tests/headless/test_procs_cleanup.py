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
from lstest import LOCKSTEP, EXIT_OK, Tap, headless, leftovers, mq_exists  # noqa: E402

t = Tap()
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES", "")
NAMES = ("/tmp/lockstep-%d-hold-fifo", "/dev/shm/lockstep-%d-hold-shm")
LONG_MQ = "hold-mq-with-a-name-longer-than-the-model-keeps"  # tests/scenes/ipc-hold.c


class Held:
    """lockstep running test-ipc-hold, its stdout on a pty so that each JSON
    line arrives as it is printed."""

    def __init__(self):
        master, slave = pty.openpty()
        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.ONLCR
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        self.p = subprocess.Popen([LOCKSTEP, "--headless", "test-ipc-hold", "--scene-path=" + TEST_SCENES,
                                   "--timeout=60"], stdout=slave, stderr=subprocess.DEVNULL)
        os.close(slave)
        self.fd, self.buf, self.lines = master, b"", []

    def read_until(self, pred, what, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                if line.strip():
                    e = json.loads(line)
                    self.lines.append(e)
                    if pred(e):
                        return e
            r, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            self.buf += chunk
        raise AssertionError("timed out waiting for " + what)


def start_hold():
    """Start test-ipc-hold headless; return (held, host pid) once it says it
    holds its objects. Waits on the event stream, with a deadline."""
    h = Held()
    hello = h.read_until(lambda e: e.get("type") == "hello", "hello")
    h.read_until(lambda e: e.get("type") == "say" and e.get("line") == "holding", "holding")
    return h, hello["pid"]


def gone(host):
    left = [n % host for n in NAMES if os.path.exists(n % host)]
    if mq_exists("/lockstep-%d-hold-mq" % host):
        left.append("mqueue hold-mq")
    if mq_exists("/lockstep-%d-%s" % (host, LONG_MQ)):
        left.append("mqueue " + LONG_MQ)
    return left + leftovers(host)


def hold_then(kill, label):
    p, host = start_hold()
    t.check(all(os.path.exists(n % host) for n in NAMES) and mq_exists("/lockstep-%d-hold-mq" % host) and
            mq_exists("/lockstep-%d-%s" % (host, LONG_MQ)),
            label + ": the FIFO, the mqueue and the shm object exist mid-scene")
    kill(p.p, host)
    summary = p.read_until(lambda e: e.get("type") == "summary", "the summary")
    p.p.wait(timeout=30)
    os.close(p.fd)
    t.check(summary.get("type") == "summary", label + ": lockstep still prints its summary")
    left = gone(host)
    t.check(not left, label + ": nothing is left behind", left)
    return summary


s = hold_then(lambda p, host: os.kill(host, signal.SIGKILL), "host killed with SIGKILL")
t.check(s.get("outcome") == "crashed", "host killed with SIGKILL: reported as a crash", s.get("outcome"))
s = hold_then(lambda p, host: p.send_signal(signal.SIGINT), "lockstep stopped with ^C")
t.check(s.get("outcome") == "stopped", "lockstep stopped with ^C: outcome stopped", s.get("outcome"))
s = hold_then(lambda p, host: p.send_signal(signal.SIGTERM), "lockstep stopped with SIGTERM")

# A host that died long ago leaves names behind: the next start sweeps them.
stale = 4194000  # above pid_max's default: no such process
made = ["/tmp/lockstep-%d-stale" % stale, "/dev/shm/lockstep-%d-stale" % stale]
os.mkfifo(made[0])
open(made[1], "w").close()
r = headless("fork-join")
t.check(not any(os.path.exists(m) for m in made), "a new start sweeps what a dead host left", made)

# The engine stops a scene mid-way (a bad schedule entry) with the objects made.
for scene, sched, mq in (("mqueue", "sender,sender,nobody", "mq"), ("shm", "P1,P2,nobody", None),
                         ("fifo", "reader,writer,nobody", None)):
    r = headless(scene, "--schedule=" + sched)
    left = leftovers(r.host_pid())
    if mq and mq_exists("/lockstep-%d-%s" % (r.host_pid(), mq)):
        left.append("mqueue " + mq)
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
t.check(not leftovers(r.host_pid()) and not mq_exists("/lockstep-%d-bench" % r.host_pid()),
        "ipc-compare: nothing left behind")
t.done()
