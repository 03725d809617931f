#!/usr/bin/env python3
"""--rerun: the real scene under a recording's schedule reaches the same
settled states as the recorded run, for every scene that can be stepped
(a seeded pick, so the schedule is not the default one); a scene that
runs freely (it measures real time) is refused in one line."""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_ERROR, LOCKSTEP, Run, Tap, headless, run_cli  # noqa: E402

t = Tap()
tmp = tempfile.mkdtemp(prefix="lockstep-rerun-test.")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)
# smaller than the defaults where a settled line per step would be large
SMALLER = {"crowd": ["--param", "workers=12", "--param", "rounds=1"]}


def rerun(path, *args):
    cmd = [LOCKSTEP, "--headless", "--rerun=" + path, "--timeout=60"] + list(args)
    return Run(cmd, subprocess.run(cmd, capture_output=True, text=True, timeout=90))


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "state %d:\n%s\n%s" % (i, str(x)[:600], str(y)[:600])
    return "%d states vs %d" % (len(a), len(b))


def measured(o):
    """gil stores the real time its runs took (sequential_ms...): the one
    thing no two runs share, whatever the schedule."""
    return dict(o, value=None) if o["name"].endswith("_ms") else o


def settled(r):
    return [(s["step"], s["vclock_ns"], s["workers"], [measured(o) for o in s["objects"]])
            for s in r.settled]


def scenes():
    out = run_cli("--list").stdout.splitlines()
    return [line.split("  ")[0] for line in out if line.strip()]


for scene in scenes():
    path = os.path.join(tmp, "rerun-" + scene.replace("/", "-") + ".rec")
    live = headless(scene, "--settled", "--seed=11", "--record=" + path, *SMALLER.get(scene, []))
    with open(path, "rb") as f:
        header = f.read(4096)
    if b"\nmode=run\n" in header:  # it measures real time: no schedule to re-run
        r = rerun(path)
        t.check(r.rc == EXIT_ERROR and "free run" in r.stderr and not r.lines,
                "%s runs freely: --rerun refuses it in one line" % scene, (r.rc, r.stderr))
        continue
    r = rerun(path, "--settled")
    t.check(live.summary and r.summary and settled(live) and settled(live) == settled(r) and
            r.summary["outcome"] == live.summary["outcome"] and r.rc == live.rc,
            "re-run of %s reaches the same %d settled states, outcome %s" %
            (scene, len(live.settled), live.summary and live.summary["outcome"]),
            "exit %s vs %s, %s vs %s; %s; %s" % (
                live.rc, r.rc, live.summary and live.summary["outcome"],
                r.summary and r.summary["outcome"],
                first_difference(settled(live), settled(r)), r.stderr[-300:]))


t.done()
