#!/usr/bin/env python3
"""Resource limits: lockstep either runs the scene correctly or says what
failed and why, exits with a documented code, and leaves nothing behind.
Under a small `ulimit -n` no pidfd can be had for the worker processes:
they are watched through /proc instead, never taken as already reaped."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_ERROR, EXIT_OK, LOCKSTEP, Tap, leftovers  # noqa: E402

t = Tap()


def limited(limit, *args, timeout=60):
    """lockstep --headless ARGS under `ulimit LIMIT`: (rc, summary, stderr)."""
    cmd = 'ulimit %s && exec "$0" --headless "$@"' % limit
    p = subprocess.run(["sh", "-c", cmd, LOCKSTEP] + list(args), capture_output=True, text=True,
                       timeout=timeout + 30)
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    summary = lines[-1] if lines and lines[-1].get("type") == "summary" else None
    hello = [l for l in lines if l.get("type") == "hello"]
    return p.returncode, summary, p.stderr, hello[0]["pid"] if hello else None


for scene in ("fork-join", "zombie-orphan", "pipe"):
    rc, s, err, host = limited("-n 9", scene, "--timeout=30")
    ok = rc == EXIT_OK and s and s["outcome"] == "finished" and all(
        w["state"] == "TERMINATED" for w in s["workers"])
    left = leftovers(host) if host else []
    t.check(ok and not left, "ulimit -n 9, %s: every worker process is seen to end, the scene finishes" % scene,
            (rc, err[-300:], s and [(w["name"], w["state"]) for w in s["workers"]], left))

rc, s, err, host = limited("-n 8", "fork-join", "--timeout=30")
t.check(rc == EXIT_ERROR and "Too many open files" in err and "fork-join" in err,
        "ulimit -n 8: exit 1, stderr names the scene, what failed and why", (rc, err[-300:]))
t.done()
