#!/usr/bin/env python3
"""The schedule explorer (issue 16) and what makes it fast: a controlled
run's simulated work costs no wall time."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Tap, headless  # noqa: E402

t = Tap()

# Simulated work in a stepped run: the worker is the only one moving and the
# virtual clock moves only for sleeps, so spinning for 3 s would change no
# state; it would only keep the step busy past the engine's 2 s "still
# moving, outside any gate" warning.
r = headless("deadlock", "--schedule=T1,T1,T1,T1", "--param", "work=3000", "--settled")
t.finished(r, "deadlock work=3000 stepped")
t.check(not [l for l in r.lines if l.get("type") == "notice"],
        "stepped work keeps no worker busy outside its gate",
        [l for l in r.lines if l.get("type") == "notice"])
work = r.of("done", op="work")
t.check(len(work) == 2 and all(w["value"] == 3000 for w in work),
        "each worker still announces its 3000 ms of work", work)
t.check(r.settled and all(s["vclock_ns"] == 0 for s in r.settled),
        "the virtual clock does not move for work", [s["vclock_ns"] for s in r.settled][:5])
t.check(not r.leftovers(), "nothing left behind", r.leftovers())
t.done()
