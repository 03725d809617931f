#!/usr/bin/env python3
"""Resource limits: lockstep either runs the scene correctly or says what
failed and why, exits with a documented code, and leaves nothing behind.
Under a small `ulimit -n` no pidfd can be had for the worker processes:
they are watched through /proc instead, never taken as already reaped."""
import json
import os
import shutil
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
# ulimit -u counts every process and thread of a user, and root is exempt:
# run as nobody where we can.
if os.geteuid() == 0 and shutil.which("setpriv") and shutil.which("prlimit"):
    for scene, what in (("philosophers", "cannot create thread P"), ("fork-join", "cannot start process")):
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "prlimit", "--nproc=3",
                            LOCKSTEP, "--headless", scene, "--timeout=30"],
                           capture_output=True, text=True, timeout=60, cwd="/")
        lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
        host = next((l["pid"] for l in lines if l.get("type") == "hello"), None)
        summary = lines[-1] if lines else {}
        ok = (p.returncode == EXIT_ERROR and what in p.stderr and "Resource temporarily unavailable" in p.stderr
              and "(ulimit -u is 3)" in p.stderr and what in summary.get("error", ""))
        left = leftovers(host) if host else ["no hello"]
        t.check(ok and not left, "ulimit -u 3, %s: exit 1; stderr and summary say what failed, why, and the limit"
                % scene, (p.returncode, p.stderr[-300:], left))
else:
    print("# skip: ulimit -u needs a user that is not root (setpriv, prlimit, run as root)")
t.done()
