#!/usr/bin/env python3
"""Headless properties of the first two scenes: deadlock and producer-consumer,
under the documented schedules and 20 seeded random schedules each, with
nothing left behind after any run."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, Tap, headless, leftovers  # noqa: E402

t = Tap()


def clean(run, label):
    t.check(not leftovers(run.host_pid()), label + ": nothing left behind", leftovers(run.host_pid()))


# ---- deadlock ----
r = headless("deadlock", "--schedule=T1,T2,T1,T2", "--param", "work=0")
t.check(r.rc == EXIT_DEADLOCK, "deadlock T1,T2,T1,T2 exits 3", r.stderr)
t.check(r.summary and r.summary["outcome"] == "deadlock", "deadlock T1,T2,T1,T2 outcome is deadlock")
t.check(r.summary and r.summary.get("cycle") == ["T1", "B", "T2", "A"], "the cycle is named T1,B,T2,A",
        r.summary and r.summary.get("cycle"))
t.check(r.summary and r.obj("A")["owner"] == "T1" and r.obj("A")["waiters"] == ["T2"],
        "A is held by T1 and T2 waits for it")
t.check(r.summary and r.obj("B")["owner"] == "T2" and r.obj("B")["waiters"] == ["T1"],
        "B is held by T2 and T1 waits for it")
t.check(r.summary and r.worker("T1")["state"] == "BLOCKED" and r.worker("T2")["state"] == "BLOCKED",
        "both threads are BLOCKED")
blocked = r.of("blocked", worker="T2", object="A")
t.check(blocked and blocked[0].get("holder") == "T1", "T2's blocked event names the holder T1")
t.check(all(k in e for e in r.events for k in ("seq", "t_ns", "type", "worker")),
        "every event line has seq, t_ns, type and worker")
clean(r, "deadlock")

r = headless("deadlock", "--schedule=T1,T1,T1,T1", "--param", "work=0")
t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished", "deadlock T1,T1,T1,T1 finishes", r.stderr)
t.check(all(w["state"] == "TERMINATED" for w in r.summary["workers"]), "every worker TERMINATED")
t.check(r.summary["malformed"] == 0 and r.summary["anomalies"] == 0, "no malformed record, no anomaly")
clean(r, "deadlock T1 first")

outcomes = set()
for seed in range(20):
    r = headless("deadlock", "--seed=%d" % seed, "--param", "work=0")
    ok = r.summary and r.summary["outcome"] in ("finished", "deadlock")
    if r.summary and r.summary["outcome"] == "deadlock":
        ok = ok and r.summary.get("cycle") in (["T1", "B", "T2", "A"],) and r.rc == EXIT_DEADLOCK
    else:
        ok = ok and r.rc == EXIT_OK
    outcomes.add(r.summary and r.summary["outcome"])
    t.check(ok and not leftovers(r.host_pid()), "deadlock seed %d: finished or the ABBA cycle, clean" % seed,
            r.stderr)
t.check(outcomes == {"finished", "deadlock"}, "20 seeds show both outcomes", outcomes)


# ---- producer-consumer ----
def pc_properties(r, label, producers=2, consumers=2, cap=4, items=8):
    t.check(r.rc == EXIT_OK and r.summary and r.summary["outcome"] == "finished", label + ": finishes",
            r.stderr[-500:])
    count, worst, low = 0, 0, 0
    for e in r.events:
        if e.get("object") == "buffer" and e["type"] == "done" and e["op"] in ("put", "get"):
            count += 1 if e["op"] == "put" else -1
            worst = max(worst, count)
            low = min(low, count)
    t.check(worst <= cap and low >= 0, label + ": the buffer held between 0 and %d items" % cap, (low, worst))
    put = [e["value"] for e in r.of("done", op="put", object="buffer") if e["value"] >= 0]
    got = [e["value"] for e in r.of("done", op="get", object="buffer") if e["value"] >= 0]
    expect = sorted(p * 1000 + n for p in range(1, producers + 1) for n in range(1, items + 1))
    t.check(sorted(put) == expect and sorted(got) == expect, label + ": every item produced once, consumed once")
    order_ok = all([x for x in got if x // 1000 == p] == sorted(x for x in got if x // 1000 == p)
                   for p in range(1, producers + 1))
    t.check(order_ok, label + ": each producer's items are consumed in order")
    t.check(r.summary["anomalies"] == 0, label + ": the model saw no contradiction")
    clean(r, label)


pc_properties(headless("producer-consumer"), "producer-consumer round-robin")
for seed in range(20):
    pc_properties(headless("producer-consumer", "--seed=%d" % seed), "producer-consumer seed %d" % seed)
r = headless("producer-consumer", "--param", "capacity=1", "--param", "producers=3",
             "--param", "consumers=1", "--param", "items=3", "--seed=7")
pc_properties(r, "producer-consumer capacity 1", producers=3, consumers=1, cap=1, items=3)
waiting = [e for e in r.events if e["type"] == "blocked" and e.get("object") == "buffer"]
t.check(any(e["op"] == "put" and e["state"] == "WAITING" for e in waiting),
        "a producer facing a full buffer is WAITING on it")

# Every record has its own place in causal order, those the engine adds
# (grants, the scene's output, narration) as much as the scene's own.
r = headless("test-noisy", "--scene-path=" + os.environ.get("LOCKSTEP_TEST_SCENES", ""))
t.check(r.finished(), "test-noisy finishes", r.stderr)
outputs = r.of("output")
t.check(len(outputs) >= 5 and all(e["seq"] > 0 for e in outputs),
        "the scene's output lines are numbered, not seq 0", outputs)
seqs = [e["seq"] for e in r.events]
t.check(len(seqs) == len(set(seqs)), "no two records share a seq",
        sorted(s for s in seqs if seqs.count(s) > 1))
clean(r, "test-noisy")
t.done()
