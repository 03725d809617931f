#!/usr/bin/env python3
"""Every settled state agrees with itself: no worker shown waiting for a
lock that is free, for a buffer that has items or for a semaphore with free
units it could take; every waiter is listed where it waits; and in
controlled runs waiters are woken first come, first served, so the queue
drawn is the order kept. The cases reported by users are replayed exactly:
producer-consumer after C1 then P1, condition after odd x9 then even x6,
semaphore's queue after eight steps."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_OK, EXIT_USAGE, Tap, headless  # noqa: E402

t = Tap()
WAITING = ("BLOCKED", "WAITING", "TIMED_WAITING")


def contradictions(state):
    """What in one settled state (or summary) contradicts itself."""
    bad = []
    objs = {o["name"]: o for o in state["objects"]}
    for w in state["workers"]:
        if w["state"] in WAITING and w.get("op") != "sleep" and "waits_for" in w:
            o = objs.get(w["waits_for"])
            if o is not None and w["name"] not in o.get("waiters", []):
                bad.append("%s is %s on %s, which does not list it" % (w["name"], w["state"], o["name"]))
        if "woken_by" in w and w["state"] in WAITING:
            bad.append("%s is woken by %s but shown %s" % (w["name"], w["woken_by"], w["state"]))
    for o in state["objects"]:
        waiting = o.get("waiters", [])
        if o["kind"] in ("lock", "rlock") and o.get("owner") is None and waiting:
            bad.append("lock %s is free with waiters %s" % (o["name"], waiting))
        if o["kind"] == "semaphore" and o.get("value", 0) > 0 and waiting:
            # the first value of them are woken; only the rest still wait
            if len(o.get("woken", [])) < min(o["value"], len(waiting) + len(o.get("woken", []))):
                bad.append("semaphore %s has %d free and waiters %s" % (o["name"], o["value"], waiting))
        if o["kind"] == "queue" and o.get("items") and waiting:
            getters = [n for n in waiting
                       if next(w for w in state["workers"] if w["name"] == n).get("op") == "get"]
            if getters and len(o.get("woken", [])) < len(o["items"]):
                bad.append("%s holds %s while %s wait to get" % (o["name"], o["items"], getters))
    return bad


def consistent(label, r):
    states = r.settled + ([r.summary] if r.summary else [])
    bad = [(i, c) for i, s in enumerate(states) for c in contradictions(s)]
    t.check(r.summary and not bad and r.summary.get("anomalies") == 0,
            "%s: %d settled states agree with themselves" % (label, len(states)), bad[:5])


# the reported cases, replayed
r = headless("producer-consumer", "--settled", "--schedule=C1,P1")
consistent("producer-consumer C1,P1", r)
after = next(s for s in r.settled if s["step"] == 2)
c1 = next(w for w in after["workers"] if w["name"] == "C1")
t.check(c1["state"] == "RUNNABLE" and c1.get("woken_by") == "buffer" and "waits_for" not in c1,
        "after P1 put an item, C1 is shown woken by buffer, not WAITING on it", c1)
buf = next(o for o in after["objects"] if o["name"] == "buffer")
t.check(buf["items"] == [1001] and buf["waiters"] == [] and buf.get("woken") == ["C1"],
        "the buffer lists C1 as woken, not as waiting", buf)

r = headless("condition", "--settled", "--schedule=" + ",".join(["odd"] * 9 + ["even"] * 6))
consistent("condition odd x9, even x6", r)

r = headless("barrier", "--settled")
consistent("barrier", r)
for s in r.settled:
    for w in s["workers"]:
        if w["state"] == "TIMED_WAITING" and w.get("gate") == "ready":
            t.check(False, "barrier: a worker ready to move is shown TIMED_WAITING", w)

for scene, args in [("semaphore", []), ("semaphore", ["--param", "permits=1", "--param", "threads=4"]),
                    ("producer-consumer", ["--param", "capacity=1", "--param", "producers=3"]),
                    ("philosophers", ["--param", "fix=waiter"]), ("joinable-queue", []),
                    ("pool", []), ("rlock", []), ("event", []), ("mqueue", []), ("crowd",
                    ["--param", "workers=12", "--param", "locks=2", "--param", "rounds=2"])]:
    for seed in (0, 31, 77):
        consistent("%s %s seed %d" % (scene, " ".join(args), seed),
                   headless(scene, "--settled", "--seed=%d" % seed, *args))

# semaphore: T4..T8 queue in that order; when T1 gives its permit back,
# T4 is first in line, and T6 may not jump the queue
QUEUE = "main,T1,T2,T3,T4,T5,T6,T7,T8,T1,T2,T3,T1,T1"
r = headless("semaphore", "--param", "use=0", "--settled", "--schedule=" + QUEUE + ",T6")
t.check(r.rc == EXIT_USAGE and "T6 cannot move: it waits for pool, and T4 is first in line" in r.stderr,
        "semaphore: T6 cannot take the permit while T4 is first in line", r.stderr[-300:])
pool = next(o for o in r.summary["objects"] if o["name"] == "pool")
t.check(pool.get("woken") == ["T4"] and pool["waiters"] == ["T5", "T6", "T7", "T8"],
        "the permit goes to T4; T5 to T8 wait in order", pool)
r = headless("semaphore", "--param", "use=0", "--schedule=" + QUEUE + ",T4")
t.check(r.rc == EXIT_OK and r.finished(), "semaphore: T4, first in line, takes it", r.stderr[-300:])
got = [e["worker"] for e in r.of("acquired", object="pool")]
t.check(got == ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"],
        "the permits go in the order the waiters queued", got)
t.done()
