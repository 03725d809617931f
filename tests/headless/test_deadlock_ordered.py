#!/usr/bin/env python3
"""deadlock-ordered: the two-lock scene with one global lock order finishes
under 20 seeded random schedules and under every schedule of its first 8
steps (enumerated here by driving --schedule= prefixes: a prefix the engine
refuses, because the worker named cannot move, is not a schedule)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_OK, EXIT_USAGE, Tap, headless, leftovers  # noqa: E402

t = Tap()
DEPTH = 8


def finished(r):
    return r.rc == EXIT_OK and r.summary and r.summary["outcome"] == "finished" \
        and r.summary["anomalies"] == 0 and "cycle" not in r.summary


for threads in (2, 3):
    for seed in range(20):
        r = headless("deadlock-ordered", "--seed=%d" % seed, "--param", "work=0",
                     "--param", "threads=%d" % threads)
        t.check(finished(r) and not leftovers(r.host_pid()),
                "threads=%d seed %d finishes, clean" % (threads, seed), r.stderr[-300:])

# Exhaustive: every sequence of DEPTH steps. A prefix is extended by each
# worker in turn; the engine refuses (exit 2) an entry that cannot move, and
# runs every accepted prefix to the end (round-robin after it).
names = [w["name"] for w in headless("deadlock-ordered", "--param", "work=0").summary["workers"]]
t.check(names == ["main", "T1", "T2"], "workers are main, T1, T2", names)
complete, runs, failures = 0, 0, []
frontier = [[]]
for depth in range(1, DEPTH + 1):
    nxt = []
    for prefix in frontier:
        for w in names:
            sched = prefix + [w]
            r = headless("deadlock-ordered", "--schedule=" + ",".join(sched), "--param", "work=0")
            runs += 1
            if r.rc == EXIT_USAGE and r.summary and r.summary["outcome"] == "bad-schedule":
                continue  # w cannot move after this prefix
            if not finished(r):
                failures.append((sched, r.rc, r.summary and r.summary["outcome"]))
                continue
            nxt.append(sched)
    frontier = nxt
complete = len(frontier)
t.check(not failures, "every accepted schedule prefix finishes (%d runs)" % runs, failures[:5])
t.check(complete > 10, "%d distinct schedules of %d steps, each finished" % (complete, DEPTH), complete)
# the schedule that deadlocks the plain scene, as far as it can go here
r = headless("deadlock-ordered", "--schedule=T1,T2,T1", "--param", "work=0")
t.check(finished(r), "T1,T2,T1 (the deadlocking start of the plain scene) finishes")
t.check(any("global order" in s for s in r.summary["narration"]), "T2 says it takes A first",
        r.summary["narration"])
t.done()
