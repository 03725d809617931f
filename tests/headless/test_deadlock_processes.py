#!/usr/bin/env python3
"""deadlock-processes: the ABBA deadlock between two processes through
process-shared locks. The documented schedule deadlocks; the cycle spans two
processes and is named with their pids; nothing is left behind."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, Tap, headless, leftovers  # noqa: E402

t = Tap()

r = headless("deadlock-processes", "--schedule=P1,P2,P1,P2", "--param", "work=0")
s = r.summary
t.check(r.rc == EXIT_DEADLOCK and s["outcome"] == "deadlock", "P1,P2,P1,P2 deadlocks, exit 3", r.stderr)
t.check(s.get("cycle") == ["P1", "B", "P2", "A"], "the cycle is P1, B, P2, A", s.get("cycle"))
cw = s.get("cycle_workers", [])
spawn = {e["worker"]: e["pid"] for e in r.of("spawn")}
t.check([w["kind"] for w in cw] == ["process", "process"], "both workers of the cycle are processes", cw)
t.check(len({w["pid"] for w in cw}) == 2 and all(w["pid"] == spawn[w["name"]] for w in cw),
        "the cycle names two distinct pids, the ones the processes were spawned with", (cw, spawn))
t.check(all(w["pid"] != r.host_pid() for w in cw), "neither is the scene host")
p1, p2 = spawn["P1"], spawn["P2"]
t.check(s.get("cycle_text") == "P1 (pid %d) → B → P2 (pid %d) → A → P1 (pid %d)" % (p1, p2, p1),
        "the cycle's text names the pids", s.get("cycle_text"))
dl = [n for n in s["narration"] if n.startswith("Deadlock:")]
t.check(dl and "P1 (pid %d)" % p1 in dl[0] and "P2 (pid %d)" % p2 in dl[0],
        "the narration names the processes with their pids", dl)
t.check(all(s["coffman"].values()), "all four Coffman conditions hold", s["coffman"])
t.check(r.obj("A")["owner"] == "P1" and r.obj("B")["owner"] == "P2", "A is P1's, B is P2's")
t.check(not leftovers(r.host_pid()), "nothing left behind", leftovers(r.host_pid()))

r = headless("deadlock-processes", "--schedule=P1,P1,P1,P1", "--param", "work=0")
t.check(r.rc == EXIT_OK and r.summary["outcome"] == "finished", "P1,P1,P1,P1 finishes", r.stderr)
t.check(r.summary["anomalies"] == 0 and r.summary["malformed"] == 0, "no anomaly, no malformed record")
t.check(all(e["exit_code"] == 0 for e in r.of("reaped")) and len(r.of("reaped")) == 2,
        "main reaps both processes")
t.check(not leftovers(r.host_pid()), "nothing left behind")

outcomes = set()
for seed in range(20):
    r = headless("deadlock-processes", "--seed=%d" % seed, "--param", "work=0")
    out = r.summary and r.summary["outcome"]
    outcomes.add(out)
    ok = (out == "finished" and r.rc == EXIT_OK) or \
        (out == "deadlock" and r.rc == EXIT_DEADLOCK and r.summary["cycle"] == ["P1", "B", "P2", "A"])
    t.check(ok and not leftovers(r.host_pid()), "seed %d: finished or the P1/P2 cycle, clean" % seed)
t.check(outcomes == {"finished", "deadlock"}, "20 seeds show both outcomes", outcomes)
t.done()
