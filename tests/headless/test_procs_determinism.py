#!/usr/bin/env python3
"""A controlled run of a process scene is reproducible: the same schedule
gives the same sequence of settled states every time, though real processes
with new pids run each time (signals included)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Tap, headless, leftovers  # noqa: E402

t = Tap()
RUNS = 10
CASES = [
    ("fork-join", ["--seed=7"]),
    ("zombie-orphan", ["--seed=7"]),
    ("pool", ["--seed=7"]),
    ("joinable-queue", ["--seed=7"]),
    ("pipe", ["--seed=7"]),
    ("fifo", ["--seed=7"]),
    ("mqueue", ["--seed=7"]),
    ("shm", ["--seed=7", "--param", "lock=off"]),
    ("signals", ["--seed=7", "--schedule=rest,signal:group:INT,rest,signal:group:QUIT,rest,signal:group:TSTP"]),
]


def states(r):
    return [(s["step"], s["vclock_ns"], s["workers"], s["objects"]) for s in r.settled]


for scene, args in CASES:
    first, same, clean, why = None, True, True, ""
    for _ in range(RUNS):
        r = headless(scene, "--settled", *args)
        st = states(r)
        if first is None:
            first = st
        if same and (st != first or r.summary["outcome"] != "finished"):
            same = False
            k = next((i for i, (a, b) in enumerate(zip(first, st)) if a != b), min(len(first), len(st)))
            why = "outcome %s, %d vs %d states, first difference at %d:\n%s\n%s\n%s" % (
                r.summary["outcome"], len(first), len(st), k, first[k] if k < len(first) else None,
                st[k] if k < len(st) else None, r.stderr[-500:])
        clean = clean and not leftovers(r.host_pid())
    t.check(same and len(first) > 3, "%s %s: %d runs give the same %d settled states" %
            (scene, " ".join(args), RUNS, len(first or [])), why)
    t.check(clean, "%s: nothing left behind" % scene)
t.done()
