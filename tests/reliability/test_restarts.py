#!/usr/bin/env python3
"""Restarts in the terminal UI: the mqueue scene running at full speed, 200
`r` typed at once, then `q`. Each restart kills a host that may be in the
middle of making its message queue; every queue, shm object, FIFO and run
directory any of those hosts recorded is gone once lockstep has quit, and
no process of them is left (message queues are listed through a private
mount namespace where /dev/mqueue is not mounted)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "terminal"))
from lstmux import Tap, Tmux, children, leftovers, wait_for  # noqa: E402
from lstest import mqueues, processes, run_dirs_of  # noqa: E402

t = Tap()
tm = Tmux()


def session_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        return int(s[s.rindex(")") + 2:].split()[3])
    except (OSError, ValueError):
        return None


name = tm.start_ls("mqueue", "--speed=9")
shell = tm.pane_pid(name)
ls = wait_for(lambda: children(shell), "lockstep to start")[0]
sid = session_of(ls)
tm.wait_screen(name, "mq", what="the mqueue scene on screen")
tm.literal(name, "r" * 200)
tm.keys(name, "q")
rc = tm.wait_exit(name, timeout=120)
t.check(rc == 0, "200 restarts, then q: lockstep exits 0", rc)
ours = [pid for pid, st, _, _, _ in processes() if session_of(pid) == sid and pid != shell and st != "Z"]
ours = [pid for pid in ours if pid not in children(shell) or open("/proc/%d/comm" % pid).read().strip() != "cat"]
t.check(not ours, "no process of lockstep or its scenes is left", ours)
new_dirs = run_dirs_of(ls)
t.check(not new_dirs, "no run directory is left", new_dirs)
queues = mqueues()
if queues is None:
    print("# skip: message queues cannot be listed here")
else:
    left = leftovers(grace=5)
    t.check(not [q for q in left if "mqueue" in q or "shm" in q], "no message queue or shm object is left", left)
t.done()
