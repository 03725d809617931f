#!/usr/bin/env python3
"""A scene that cannot start says what failed and why on the terminal UI
too (its header and narration), not only in headless JSON: under
ulimit -v 30000 the host cannot map its shared arena. q still quits
cleanly and nothing is left."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "terminal"))
from lstmux import LOCKSTEP, Tap, Tmux, children, wait_for  # noqa: E402
from lstest import loads_under_ulimit_v, run_dirs_of  # noqa: E402

t = Tap()
if not loads_under_ulimit_v(30000):
    print("# skip: this build cannot even load under ulimit -v 30000 (a sanitizer build?)")
    t.check(True, "skipped: ulimit -v and this build")
    t.done()
tm = Tmux()
name = tm.start(["sh", "-c", 'ulimit -v 30000; "$0" deadlock; echo "lockstep exited $?"; exec cat', LOCKSTEP])
ls = wait_for(lambda: children(tm.pane_pid(name)), "lockstep to start")[0]
try:
    scr = tm.wait_screen(name, "scene error in host: cannot map the scene's shared arena", what="the error")
    t.check("Cannot allocate" in scr and "ulimit -v is" in scr.replace("\n", " "),
            "ulimit -v 30000: the UI says what failed, why and the limit", scr)
except AssertionError as e:
    t.check(False, "ulimit -v 30000: the UI says what failed, why and the limit", e)
tm.keys(name, "q")
rc = tm.wait_exit(name)
t.check(rc == 0, "q quits, exit 0 (the user chose to)", rc)
left = run_dirs_of(ls)
t.check(not left, "no run directory is left", left)
t.done()
