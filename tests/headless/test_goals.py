#!/usr/bin/env python3
"""Goals (issue 18): the challenges a scene declares are one notion with the
explorer's goals. Each of the eight classroom scenes declares a goal a
schedule can meet and one no schedule can, with the reason; the explorer
finds the first and proves the second on a small instance; a goal of a
moment (a full buffer) ends the run where it is met; a module built
before the goals grew is still read right."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_OK, LOCKSTEP, Tap, headless, leftovers, run_cli  # noqa: E402

EXIT_EXHAUSTED = 6
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES") or os.path.join(
    os.path.dirname(LOCKSTEP), "tests", "scenes")
t = Tap()


def explore(*args, timeout=300):
    p = subprocess.run([LOCKSTEP, "--explore", "--json"] + list(args), capture_output=True,
                       text=True, timeout=timeout)
    try:
        return p.returncode, json.loads(p.stdout)
    except ValueError:
        return p.returncode, {"stdout": p.stdout, "stderr": p.stderr[-500:]}


BUILTIN = ["deadlock", "stall", "crash"]
CLASSROOM = {"deadlock": ("both-stuck", "both-hold"),
             "race": ("lost-update", None),
             "producer-consumer": ("fill", "overflow"),
             "condition": ("lost-wakeup", "out-of-turn"),
             "semaphore": ("all-taken", "crowd"),
             "barrier": ("stranded", "pass-early"),
             "philosophers": ("all-stuck", "fork-shared"),
             "signals": ("drive", "driver-first")}
for scene, (possible, impossible) in CLASSROOM.items():
    p = run_cli("--list-goals", scene)
    ids = [l.split()[0] for l in p.stdout.splitlines()]
    t.check(p.returncode == 0 and ids[:3] == BUILTIN and possible in ids[3:] and
            (impossible is None or impossible in ids[3:]),
            "%s: --list-goals lists the built-in goals, then its challenges" % scene, p.stdout)

# a goal of a moment: the buffer is full; the run stops there, and the
# witness replayed shows the buffer at its capacity
PC = ["--param", "producers=1", "--param", "consumers=1", "--param", "items=3",
      "--param", "capacity=2"]
rc, res = explore("producer-consumer", "--goal=fill", *PC)
w = res.get("witness", {})
t.check(rc == EXIT_OK and w.get("summary") == "fill: buffer is full",
        "producer-consumer: the explorer fills the buffer", res)
r = headless("producer-consumer", "--settled", "--schedule=" + w.get("schedule", "x"), *PC)
full = [s for s in r.settled for o in s.get("objects", [])
        if o.get("name") == "buffer" and len(o.get("items", [])) == 2]
t.check(r.finished() and full, "its schedule, replayed, shows the buffer with 2 of 2 items",
        (r.rc, r.stderr[-300:]))

# an impossible goal: every interleaving of a small instance is run, none meets it
rc, res = explore("producer-consumer", "--goal=overflow", "--reduction=sleep",
                  "--param", "producers=1", "--param", "consumers=1", "--param", "items=1",
                  "--param", "capacity=1")
t.check(rc == EXIT_EXHAUSTED and res.get("result") == "exhausted",
        "producer-consumer: no schedule overflows the buffer (exit 6)", res)

# a deadlock goal with a size: all five philosophers, not a smaller circle
rc, res = explore("deadlock", "--goal=both-stuck")
t.check(rc == EXIT_OK and res.get("witness", {}).get("summary", "").startswith("both-stuck: deadlock"),
        "deadlock: the explorer meets both-stuck and says what happened", res)

# semaphore: all permits taken (a semaphore is full when no unit is free)
rc, res = explore("semaphore", "--goal=all-taken", "--param", "threads=3", "--param", "permits=2")
t.check(rc == EXIT_OK and "pool is full" in res.get("witness", {}).get("summary", ""),
        "semaphore: the explorer takes every permit", res)

# the first layout of goals: read with its own stride
p = run_cli("--scene-path", TEST_SCENES, "--list-goals", "test-old-goals")
ids = [l.split("  ")[0] for l in p.stdout.splitlines()]
t.check(ids == BUILTIN + ["moved", "small"] and "count ends away from 0" in p.stdout,
        "a module of the first goal layout: its goals are read whole", p.stdout)
rc, res = explore("--scene-path", TEST_SCENES, "test-old-goals", "--goal=moved")
t.check(rc == EXIT_OK and res.get("result") == "found", "and the explorer meets one", res)

left = leftovers()
t.check(not left, "nothing left behind", left)
t.done()
