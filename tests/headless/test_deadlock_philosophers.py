#!/usr/bin/env python3
"""philosophers: with fix=none the documented schedule (each philosopher
takes its left fork, then each asks for its right) deadlocks with the full
N-cycle named; every fix finishes under 20 seeded schedules and under that
same schedule."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, Tap, headless, leftovers  # noqa: E402

t = Tap()


def documented(n):
    ps = ["P%d" % i for i in range(1, n + 1)]
    return "--schedule=" + ",".join(ps + ps)


def full_cycle(n):
    c = []
    for i in range(1, n + 1):
        c += ["P%d" % i, "F%d" % (i % n + 1)]
    return c


for n in (5, 2, 3, 10):
    r = headless("philosophers", documented(n), "--param", "n=%d" % n, "--param", "eat=0")
    label = "fix=none n=%d, documented schedule" % n
    t.check(r.rc == EXIT_DEADLOCK and r.summary["outcome"] == "deadlock", label + ": deadlock, exit 3",
            r.stderr[-300:])
    t.check(r.summary.get("cycle") == full_cycle(n), label + ": the full %d-cycle is named" % n,
            r.summary.get("cycle"))
    t.check(r.summary.get("cycle_definite") is True, label + ": every edge of it is definite")
    t.check(all(r.summary["coffman"].values()), label + ": all four Coffman conditions hold",
            r.summary["coffman"])
    t.check(sorted(r.summary["stuck"]) == sorted(["main"] + ["P%d" % i for i in range(1, n + 1)]),
            label + ": everyone is stuck", r.summary["stuck"])
    for i in range(1, n + 1):
        f = r.obj("F%d" % i)
        ok = f["owner"] == "P%d" % i and f["waiters"] == ["P%d" % ((i - 2) % n + 1)]
        if not ok:
            break
    t.check(ok, label + ": each fork is held by the philosopher on its right and waited for by the next")
    t.check(any(s.startswith("Deadlock:") for s in r.summary["narration"]), label + ": narrated")
    t.check(not leftovers(r.host_pid()), label + ": nothing left behind")

r = headless("philosophers", documented(5), "--param", "eat=0", "--until=deadlock")
t.check(r.rc == EXIT_DEADLOCK and r.summary["cycle"] == full_cycle(5), "--until=deadlock stops there too")

for fix in ("order", "waiter", "trylock"):
    r = headless("philosophers", "--param", "fix=" + fix, "--param", "eat=0")
    t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished", "fix=%s round-robin finishes" % fix,
            r.stderr[-300:])
    for seed in range(20):
        r = headless("philosophers", "--param", "fix=" + fix, "--seed=%d" % seed, "--param", "eat=0")
        t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished" and r.summary["anomalies"] == 0
                and not leftovers(r.host_pid()),
                "fix=%s seed %d finishes, clean" % (fix, seed), r.stderr[-300:])

# the documented deadlock schedule, as far as each fix lets it go
for fix, sched in (("order", "P1,P2,P3,P4,P5,P1,P2,P3,P4"), ("trylock", "P1,P2,P3,P4,P5")):
    r = headless("philosophers", "--param", "fix=" + fix, "--param", "eat=0", "--schedule=" + sched)
    t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished",
            "fix=%s: the start of the deadlocking schedule finishes" % fix, r.stderr[-300:])

# a waiter of N-1 seats: every seed's trace never has more than N-1 seated
r = headless("philosophers", "--param", "fix=waiter", "--param", "eat=0", "--seed=4")
seated, worst = 0, 0
for e in r.events:
    if e.get("object") == "seats" and e["type"] in ("acquired", "released"):
        seated += 1 if e["type"] == "acquired" else -1
        worst = max(worst, seated)
t.check(worst <= 4, "fix=waiter: at most N-1 philosophers sit at once", worst)
t.done()
