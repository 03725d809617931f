#!/usr/bin/env python3
"""The bus cannot be forged into harm: a scene may write any well-formed
record, but lockstep signals only processes it forked or found below its
own scene host, never a pid read off the bus; and the bus's write end is
closed on exec, so a program the scene runs cannot write records."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_USAGE, LOCKSTEP, Tap, headless, processes  # noqa: E402

t = Tap()
SCENES = "--scene-path=" + os.environ.get("LOCKSTEP_TEST_SCENES", "")

victim = subprocess.Popen(["sleep", "600"], start_new_session=True)
try:
    r = headless("test-forger", SCENES, "--param", "victim=%d" % victim.pid,
                 "--schedule=signal:victim:TERM", timeout=30)
    t.check(victim.poll() is None, "a worker whose pid came off the bus is not signalled")
    t.check(r.rc == EXIT_USAGE and r.summary and "not a process of this scene" in r.summary.get("error", ""),
            "... and the run says why the schedule's signal was refused", (r.rc, r.summary and r.summary.get("error")))
    t.check("bus close-on-exec: 1" in r.says(), "the bus's write end is closed on exec", r.says())
    state = [st for pid, st, _, _, _ in processes() if pid == victim.pid]
    t.check(state and state[0] != "T", "the victim is not stopped", state)
    t.check(not r.leftovers(), "nothing of the run is left", r.leftovers())

    # hostile text: every line lockstep prints is strict UTF-8 and JSON
    p = subprocess.run([LOCKSTEP, "--headless", "test-forger", SCENES, "--param", "victim=%d" % victim.pid,
                        "--schedule=signal:victim:TERM", "--timeout=30"], capture_output=True, timeout=60)
    bad = []
    lines = []
    for raw in p.stdout.splitlines():
        try:
            lines.append(json.loads(raw.decode("utf-8", errors="strict")))
        except (UnicodeDecodeError, ValueError) as e:
            bad.append((raw[:80], str(e)))
    t.check(lines and not bad, "every JSON line decodes as strict UTF-8", bad[:4])
    texts = [l.get("line", "") for l in lines]
    t.check(sum(1 for x in texts if x.endswith(" end")) >= 6 and
            sum(1 for x in texts if "40 continuation bytes" in x) == 2,
            "each hostile line arrives, as output and as narration, invalid bytes replaced",
            [x for x in texts if x][:12])
finally:
    victim.kill()
    victim.wait()
t.done()
