#!/usr/bin/env python3
"""Nothing outlives lockstep: an orphan (a process started with LS_ORPHAN_OK,
whose parent exits first) dies with the scene whatever dies first, the
orphan's parent, the host or lockstep itself; killed with SIGKILL, lockstep
cannot clean up, so the kernel must."""
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Live, Tap, live_in_group, wait_for  # noqa: E402

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
t.done()
