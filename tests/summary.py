#!/usr/bin/env python3
"""Count every check of one or more meson build directories' last test runs:
each TAP line ("ok"/"not ok") is one check; a test without TAP output counts
once by its result. Prints "N passed, N failed" last; exits non-zero when
anything failed or nothing ran. --extra NAME=RC adds a check run outside
meson (RC 0 passed)."""
import json
import os
import sys

passed = failed = 0
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
for e in extras:
    name, rc = e.rsplit("=", 1)
    if rc == "0":
        passed += 1
    else:
        print("summary: %s failed (%s)" % (name, rc))
        failed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed or passed == 0 else 0)
