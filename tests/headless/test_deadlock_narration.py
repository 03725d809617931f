#!/usr/bin/env python3
"""Narration at the moment of deadlock, for every scene, from the analysis:
which circle, that all four Coffman conditions hold, which condition to
break and which scene shows how. Also the summary's analysis fields under
--until=deadlock, and that a scene that cannot deadlock never hears it."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, Tap, headless  # noqa: E402

t = Tap()


def moment(r):
    """Index of the event that closed the circle, and of lockstep's first
    narration line after it."""
    lines = [(i, e) for i, e in enumerate(r.events) if e["type"] == "say" and e["worker"] is None
             and e.get("line", "").startswith("Deadlock:")]
    return lines[0] if lines else (None, None)


for scene, sched, args in (("deadlock", "T1,T2,T1,T2", ["--param", "work=0"]),
                           ("deadlock-processes", "P1,P2,P1,P2", ["--param", "work=0"]),
                           ("philosophers", "P1,P2,P3,P1,P2,P3", ["--param", "n=3", "--param", "eat=0"])):
    r = headless(scene, "--schedule=" + sched, "--until=deadlock", *args)
    label = scene + " " + sched
    t.check(r.rc == EXIT_DEADLOCK and r.summary["outcome"] == "deadlock", label + ": --until=deadlock, exit 3")
    i, say = moment(r)
    t.check(say is not None, label + ": lockstep narrates the deadlock", r.says())
    if say is None:
        continue
    before = r.events[:i]
    last_blocked = max(k for k, e in enumerate(before) if e["type"] == "blocked")
    t.check(all(e["type"] == "say" for e in before[last_blocked + 1:]),
            label + ": right after the wait that closed the circle, before anything else moves")
    text = "\n".join(r.says())
    t.check("All four Coffman conditions hold" in text, label + ": all four conditions named")
    t.check("scene deadlock-ordered" in text and "deadlock-watchdog" in text and "fix=trylock" in text,
            label + ": the fix scenes are named")
    s = r.summary
    t.check(set(s["coffman"]) == {"mutual_exclusion", "hold_and_wait", "no_preemption", "circular_wait"}
            and all(s["coffman"].values()), label + ": coffman in the summary, all true", s["coffman"])
    t.check(all(s["coffman_witness"][k].startswith("holds:") for k in s["coffman"]),
            label + ": each condition has a witness", s["coffman_witness"])
    cyc = [e for e in s["edges"] if e["in_cycle"]]
    t.check(len(cyc) * 2 == len(s["cycle"]) and all(e["definite"] and e["label"] == "held by" for e in cyc),
            label + ": the cycle's edges are definite 'held by' edges", cyc)
    t.check(set(s["stalled"]) >= {w for w in s["cycle"][::2]}, label + ": the cycle's workers are stalled")

# narrated once, not at every later batch
r = headless("deadlock", "--schedule=T1,T2,T1,T2", "--param", "work=0")
t.check(sum(1 for x in r.says() if x.startswith("Deadlock:")) == 1, "a deadlock is narrated once")

# scenes that finish hear nothing of deadlocks
for scene, args in (("deadlock-ordered", []), ("philosophers", ["--param", "fix=order"]),
                    ("producer-consumer", [])):
    r = headless(scene, "--seed=1", *args)
    t.check(r.rc == EXIT_OK and not any(x.startswith(("Deadlock", "Stall")) for x in r.says()),
            scene + ": no deadlock narration in a run that finishes")
    t.check(r.summary["coffman"]["circular_wait"] is False and r.summary["edges"] == [],
            scene + ": at the end, no edges and no circular wait")
t.done()
