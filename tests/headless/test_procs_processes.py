#!/usr/bin/env python3
"""Headless properties of the process scenes: fork-join, zombie-orphan, pool
and joinable-queue, under their documented schedules and 20 seeded random
schedules each, with nothing left behind after any run."""
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Tap, headless, leftovers  # noqa: E402

t = Tap()
SEEDS = range(20)


def clean(r, label):
    left = leftovers(r.host_pid())
    t.check(not left, label + ": nothing left behind", left)


# ---- fork-join ----
def fork_join(r, label, code=3):
    if not t.finished(r, label):
        return
    codes = {n: r.worker(n).get("exit_code") for n in ("A", "B", "C")}
    t.check(codes == {"A": 0, "B": code, "C": -15}, label + ": exit codes 0, %d, -15" % code, codes)
    t.check(r.worker("C").get("signal") == "TERM", label + ": C was killed by SIGTERM", r.worker("C"))
    joins = [e for e in r.of("done", worker="main", op="join")]
    ok = len(joins) == 3
    for e, name in zip(joins, ("A", "B", "C")):
        exits = [x for x in r.of("exit", worker=name)]
        reaped = [x for x in r.of("reaped", worker=name)]
        ok = ok and exits and reaped and exits[0]["seq"] < reaped[0]["seq"] < e["seq"] \
            and exits[0]["state"] == "ZOMBIE" and e["value"] == codes[name]
    t.check(ok, label + ": each join returns after its child exited (ZOMBIE) and was reaped")
    alive = r.of("done", worker="main", op="is_alive")
    t.check(alive and alive[-1]["value"] == 0, label + ": is_alive(C) is false after the join")
    clean(r, label)


fork_join(headless("fork-join"), "fork-join round-robin")
fork_join(headless("fork-join", "--param", "code=42"), "fork-join code=42", code=42)
for seed in SEEDS:
    fork_join(headless("fork-join", "--seed=%d" % seed), "fork-join seed %d" % seed)


# ---- zombie-orphan ----
def zombie_orphan(r, label):
    if not t.finished(r, label):
        return
    exit_c = r.of("exit", worker="child")
    reap_c = r.of("reaped", worker="child")
    states = [e for e in r.of("done", worker="main", op="proc_state")]
    t.check(exit_c and exit_c[0]["state"] == "ZOMBIE" and states and states[0]["value"] == ord("Z")
            and exit_c[0]["seq"] < states[0]["seq"] < reap_c[0]["seq"],
            label + ": child is a ZOMBIE between exit and wait, and /proc agrees ('Z')", states)
    t.check(len(states) > 1 and states[1]["value"] == ord("?"), label + ": /proc forgets it once reaped")
    adopted = r.of("adopted", worker="orphan")
    t.check(adopted and adopted[0]["parent"] == "main", label + ": the orphan's new parent is main", adopted)
    o = r.worker("orphan")
    t.check(o["adopted"] and o["parent"] == "main" and o["ppid"] == r.host_pid(),
            label + ": the summary shows the orphan adopted by main (the host)", o)
    pe = r.of("exit", worker="parent")
    t.check(pe and adopted and pe[0]["seq"] < adopted[0]["seq"], label + ": the parent exited first")
    t.check(all(w["state"] == "TERMINATED" for w in r.summary["workers"]), label + ": everyone reaped")
    clean(r, label)


zombie_orphan(headless("zombie-orphan"), "zombie-orphan round-robin")
for seed in SEEDS:
    zombie_orphan(headless("zombie-orphan", "--seed=%d" % seed), "zombie-orphan seed %d" % seed)


# ---- pool ----
def pool(r, label, k=6):
    if not t.finished(r, label):
        return
    taken = [e for e in r.of("done", op="get", object="pool.tasks") if e["value"] >= 0]
    ids = Counter(e["value"] for e in taken)
    t.check(ids == Counter(range(k + 2)), label + ": every task is taken exactly once", ids)
    t.check(all(re.match(r"pool-\d+$", e["worker"]) for e in taken),
            label + ": only pool processes run tasks", {e["worker"] for e in taken})
    want = "map(square, 1..%d) = [%s]" % (k, ", ".join(str(i * i) for i in range(1, k + 1)))
    t.check(want in r.summary["narration"], label + ": map's results are in the order of its arguments",
            r.summary["narration"][-3:])
    t.check(any("square(3) = 9" in n and "square(7) = 49" in n for n in r.summary["narration"]),
            label + ": apply_async results")
    clean(r, label)


pool(headless("pool"), "pool round-robin")
pool(headless("pool", "--param", "processes=1", "--param", "tasks=4"), "pool one process", k=4)
for seed in SEEDS:
    pool(headless("pool", "--seed=%d" % seed), "pool seed %d" % seed)


# ---- joinable-queue ----
def jqueue(r, label, tasks=5):
    if not t.finished(r, label):
        return
    ret = [e for e in r.events if e["type"] == "say" and e["worker"] == "producer"
           and "join() returned" in e.get("line", "")]
    done = r.of("done", op="task_done", object="jq.unfinished")
    ok = len(ret) == 1 and len([d for d in done if d["seq"] < ret[0]["seq"]]) == tasks
    t.check(ok, label + ": join returns only after every task is marked done",
            (len(ret), [d["seq"] for d in done], ret and ret[0]["seq"]))
    counts = [e["value"] for e in r.of("done", op="write", object="jq.unfinished")]
    t.check(counts and min(counts) >= 0 and counts[-1] == 0, label + ": the unfinished count never goes below 0")
    clean(r, label)


jqueue(headless("joinable-queue"), "joinable-queue round-robin")
for seed in SEEDS:
    jqueue(headless("joinable-queue", "--seed=%d" % seed), "joinable-queue seed %d" % seed)
t.done()
