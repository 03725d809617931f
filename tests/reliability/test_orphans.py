#!/usr/bin/env python3
"""Nothing outlives lockstep: an orphan (a process started with LS_ORPHAN_OK,
whose parent exits first) dies with the scene whatever dies first, the
orphan's parent, the host or lockstep itself; killed with SIGKILL, lockstep
cannot clean up, so the kernel must."""
import os
import re
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Live, Tap, live_in_group, processes, wait_for  # noqa: E402

t = Tap()
SCENES = "--scene-path=" + os.environ.get("LOCKSTEP_TEST_SCENES", "")


def orphan_dies(scene, args, ready, label):
    live = Live(scene, SCENES, *args, new_session=True)
    try:
        host = live.host_pid()
        live.read_until(ready, "the orphan to be adopted")
        orphan = [e for e in live.lines if e.get("type") == "spawn" and e.get("name") == "orphan"] or \
            [e for e in live.lines if e.get("type") == "spawn"]
        t.check(len(live_in_group(host)) >= 2, label + ": host and orphan run", live_in_group(host))
        live.p.kill()
        try:
            wait_for(lambda: not live_in_group(host), "the scene's group to die", timeout=20)
            t.check(True, label + ": lockstep killed with SIGKILL, no process of the scene lives on")
        except AssertionError:
            left = live_in_group(host)
            for pid, _ in left:
                os.kill(pid, signal.SIGKILL)
            t.check(False, label + ": lockstep killed with SIGKILL, no process of the scene lives on",
                    "still alive: %s (orphan spawn %s)" % (left, orphan[:1]))
    finally:
        live.close()


# Adopted: the orphan's parent has exited and the host is its parent now.
orphan_dies("test-orphan-hold", ["--free"],
            lambda e: e.get("type") == "say" and e.get("line") == "adopted", "adopted orphan")
# Not adopted yet: lockstep dies while the orphan's parent still lives.
orphan_dies("test-orphan-hold", ["--free", "--param", "parent_stays=1"],
            lambda e: e.get("type") == "say" and e.get("line") == "parent stays", "orphan not yet adopted")


# The issue's own case: the zombie-orphan scene in the terminal UI, stepped
# with s until the orphan is adopted, then kill -9 of lockstep.
def ppids_in(pgid):
    return {pid: ppid for pid, st, ppid, pg, _ in processes() if pg == pgid and st != "Z"}


sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "terminal"))
from lstmux import Tmux, children  # noqa: E402
tm = Tmux()
name = tm.start_ls("zombie-orphan")
shell = tm.pane_pid(name)
ui = wait_for(lambda: children(shell), "lockstep to start")[0]
host = wait_for(lambda: children(ui), "the scene host")[0]
tm.wait_screen(name, "Your move", what="the first move")
orphan = adopted = None
for step in range(1, 60):
    tm.keys(name, "s")
    wait_for(lambda: re.search(r"step %d\b" % step, tm.screen(name)) and "Moving..." not in tm.screen(name),
             "step %d to settle" % step)
    pp = ppids_in(host)
    if orphan is None:  # a process whose parent is a scene process other than the host
        orphan = next((p for p, q in pp.items() if q in pp and q != host), None)
    elif pp.get(orphan) == host:
        adopted = step
        break
t.check(adopted, "zombie-orphan in the UI: the orphan is adopted by the host after %s presses of s" % adopted)
os.kill(ui, signal.SIGKILL)
try:
    wait_for(lambda: not live_in_group(host), "the scene's group to die", timeout=20)
    t.check(True, "zombie-orphan in the UI: kill -9 of lockstep, the adopted orphan dies too")
except AssertionError:
    left = live_in_group(host)
    for pid, _ in left:
        os.kill(pid, signal.SIGKILL)
    t.check(False, "zombie-orphan in the UI: kill -9 of lockstep, the adopted orphan dies too", left)
t.done()
