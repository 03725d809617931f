#!/usr/bin/env python3
"""Scale: the crowd scene with 1,000 threads runs to the end in step mode
with the properties of its primitives intact, and leaves nothing behind."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_OK, Tap, headless, leftovers  # noqa: E402

t = Tap()
for args, n in ((["--param", "rounds=1"], 1000), (["--param", "workers=40", "--seed=11"], 40)):
    r = headless("crowd", *args, timeout=120)
    label = "crowd %s" % " ".join(args)
    t.check(r.rc == EXIT_OK and r.summary and r.summary["outcome"] == "finished", label + ": finishes",
            r.stderr[-400:])
    if not r.summary:
        continue
    threads = [w for w in r.summary["workers"] if w["name"] != "main"]
    t.check(len(threads) == n and all(w["state"] == "TERMINATED" for w in threads),
            label + ": %d threads, all TERMINATED" % n)
    t.check(r.summary["anomalies"] == 0 and r.summary["malformed"] == 0, label + ": no anomaly, nothing malformed")
    owners, units, ok_lock, ok_sem = {}, {}, True, True
    for e in r.events:
        obj = e.get("object")
        if e["type"] == "acquired" and e["op"] == "lock":
            ok_lock &= owners.get(obj) is None
            owners[obj] = e["worker"]
        elif e["type"] == "released" and e["op"] == "unlock":
            ok_lock &= owners.get(obj) == e["worker"]
            owners[obj] = None
        elif e["type"] == "acquired" and e["op"] == "acquire":
            units[obj] = units.get(obj, 0) + 1
            ok_sem &= units[obj] <= 2
        elif e["type"] == "released" and e["op"] == "release":
            units[obj] = units.get(obj, 0) - 1
    t.check(ok_lock, label + ": every lock had one owner at a time")
    t.check(ok_sem, label + ": no semaphore ever had more than its 2 units taken")
    t.check(not leftovers(r.host_pid()), label + ": nothing left behind", leftovers(r.host_pid()))

# A free run: a thousand threads' batches reach the pipe in any order, yet
# the JSON lines come out in seq order, every seq once.
for i in range(3):
    r = headless("crowd", "--free", timeout=120)
    bad = r.out_of_seq()
    t.check(r.rc == EXIT_OK and r.events and not bad, "free crowd %d: events printed in seq order" % i,
            (r.rc, bad[:5], len(bad)))
    t.check(not leftovers(r.host_pid()), "free crowd %d: nothing left behind" % i)
t.done()
