#!/usr/bin/env python3
"""deadlock-watchdog: the schedule that deadlocks the plain deadlock scene
(T1,T2,T1,T2) forms the same circle here, lockstep says a timeout will break
it, and the scene recovers and finishes; the recovery is narrated. Also
finishes under 20 seeded schedules, and --until=deadlock never stops it."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, Tap, headless, leftovers  # noqa: E402

t = Tap()
SCHED = "--schedule=T1,T2,T1,T2"

plain = headless("deadlock", SCHED, "--param", "work=0")
t.check(plain.rc == EXIT_DEADLOCK and plain.summary["cycle"] == ["T1", "B", "T2", "A"],
        "the plain scene deadlocks under T1,T2,T1,T2")

r = headless("deadlock-watchdog", SCHED, "--param", "work=0")
t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished", "the watchdog scene finishes under it",
        r.stderr[-300:])
t.check(all(w["state"] == "TERMINATED" and w["exit_code"] == 0 for w in r.summary["workers"]),
        "every worker ended with exit code 0")
t.check(len(r.of("timeout", op="lock")) >= 1, "a timed lock attempt timed out")
says = r.says()
t.check(any("times out" in s and "T1 → B → T2 → A" in s for s in says),
        "lockstep narrates the circle and that a timeout will break it", says)
t.check(any("timed out" in s and "backs off" in s for s in says), "the back-off is narrated", says)
t.check(any("recovered" in s for s in says), "the recovery is narrated", says)
t.check(not any(s.startswith("Deadlock") for s in says), "no deadlock is announced")
# the circle formed: both blocked with a timeout, each holding the other's lock
blocked = [e for e in r.of("blocked", op="lock") if "deadline_ns" in e]
t.check({e["worker"] for e in blocked} == {"T1", "T2"}, "both waited for their second lock with a timeout")
t.check(not leftovers(r.host_pid()), "nothing left behind", leftovers(r.host_pid()))

r = headless("deadlock-watchdog", SCHED, "--param", "work=0", "--until=deadlock")
t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished",
        "--until=deadlock does not stop it: a circle with a timeout is no deadlock")

for seed in range(20):
    r = headless("deadlock-watchdog", "--seed=%d" % seed, "--param", "work=0")
    t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished" and r.summary["anomalies"] == 0
            and not leftovers(r.host_pid()), "seed %d finishes, clean" % seed, r.stderr[-300:])
t.done()
