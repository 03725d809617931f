#!/usr/bin/env python3
"""Count every check of one or more meson build directories' last test runs:
each TAP line ("ok"/"not ok") is one check; a test without TAP output counts
once by its result. Prints "N passed, N failed" last; exits non-zero when
anything failed or nothing ran. --extra NAME=RC adds a check run outside
meson (RC 0 passed). Each failed check is repeated just above the last line,
with the lines its test printed about it, so the tail of a CI log (often all
that is kept) says what failed and why."""
import json
import os
import sys

passed = failed = 0
recap = []


def why(t, d):
    """The failed checks of test t, each with its '#' lines after it; the
    tail of its output when it failed outside any check."""
    out = t.get("stdout", "").splitlines()
    lines, keep = [], 0
    for l in out:
        if l.startswith("not ok"):
            lines.append(l)
            keep = 12
        elif keep and l.startswith("#"):
            lines.append(l)
            keep -= 1
        else:
            keep = 0
    if not lines:
        lines = out[-8:] + t.get("stderr", "").splitlines()[-4:]
    head = "%s: %s (%s)" % (d, t.get("name", "?"), t["result"])
    return [head] + ["    " + l[:300] for l in lines[:40]]

args = sys.argv[1:]
extras = []
while "--extra" in args:
    i = args.index("--extra")
    extras.append(args[i + 1])
    del args[i:i + 2]
for d in args:
    log = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        print("summary: no test log in %s" % d)
        failed += 1
        continue
    for line in open(log):
        t = json.loads(line)
        ok = sum(1 for l in t.get("stdout", "").splitlines() if l.startswith("ok "))
        bad = sum(1 for l in t.get("stdout", "").splitlines() if l.startswith("not ok"))
        if ok + bad == 0:
            ok, bad = (1, 0) if t["result"] == "OK" else (0, 1)
        elif t["result"] not in ("OK", "EXPECTEDFAIL") and bad == 0:
            bad = 1  # crashed or timed out after its last check
        passed += ok
        failed += bad
        if bad:
            recap.extend(why(t, d))
for e in extras:
    name, rc = e.rsplit("=", 1)
    if rc == "0":
        passed += 1
    else:
        print("summary: %s failed (%s)" % (name, rc))
        failed += 1
if recap:
    print("summary: what failed")
    print("\n".join(recap))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed or passed == 0 else 0)
