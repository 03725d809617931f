#!/usr/bin/env python3
"""Restarts in the terminal UI: the mqueue scene running at full speed, 440
`r` typed at once, then `q` (with test_kills' 60 headless start/stop
cycles, 500 starts and stops). Each restart kills a host that may be in the
middle of making its message queue; every queue, shm object, FIFO and run
directory any of those hosts recorded is gone once lockstep has quit, and
no process of them is left (message queues are listed through a private
mount namespace where /dev/mqueue is not mounted)."""
import os
import random
import re
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "terminal"))
from lstmux import Tap, Tmux, children, leftovers, wait_for  # noqa: E402
from lstest import _ticks_now, headless, live_in_group, mqueues, processes, run_dirs_of, session_of  # noqa: E402

t = Tap()
tm = Tmux()


name = tm.start_ls("mqueue", "--speed=9")
shell = tm.pane_pid(name)
ls = wait_for(lambda: children(shell), "lockstep to start")[0]
sid = session_of(ls)
tm.wait_screen(name, "mq", what="the mqueue scene on screen")
tm.literal(name, "r" * 440)
tm.keys(name, "q")
rc = tm.wait_exit(name, timeout=120)
t.check(rc == 0, "440 restarts, then q: lockstep exits 0", rc)
ours = [pid for pid, st, _, _, _ in processes() if session_of(pid) == sid and pid != shell and st != "Z"]
ours = [pid for pid in ours if pid not in children(shell) or open("/proc/%d/comm" % pid).read().strip() != "cat"]
t.check(not ours, "no process of lockstep or its scenes is left", ours)
new_dirs = run_dirs_of(ls)
t.check(not new_dirs, "no run directory is left", new_dirs)
queues = mqueues()
if queues is None:
    print("# skip: message queues cannot be listed here")
else:
    # another test's run killed on purpose is not ours: its directory lists
    # its names, for its next start to remove (tests run in parallel)
    left = leftovers(grace=5, made_by={ls})
    t.check(not [q for q in left if "mqueue" in q or "shm" in q], "no message queue or shm object is left", left)

# kill -9 of the terminal UI at a random moment of a running scene: its
# scene dies with it, and the next start removes what the run recorded.
rng = random.Random(int(os.environ.get("LOCKSTEP_TEST_SEED", "0")) or random.SystemRandom().randrange(1, 1 << 30))
for scene in rng.sample(["mqueue", "shm", "fifo", "pipe", "fork-join", "zombie-orphan", "deadlock-processes",
                         "pool", "signals", "joinable-queue"], 5):
    n = rng.randrange(5, 60)
    name = tm.start_ls(scene, "--speed=7")  # a delay at each step: the scene lives a while
    shell = tm.pane_pid(name)
    ui = wait_for(lambda: children(shell), "lockstep to start")[0]
    host = wait_for(lambda: children(ui), "its scene host")[0]

    def far_enough():
        m = re.search(r"events (\d+)", tm.screen(name))
        return (m and int(m.group(1)) >= n) or "STOPPED" in tm.screen(name) or "FINISHED" in tm.screen(name) \
            or "finished" in tm.screen(name)
    wait_for(far_enough, "%d events on screen" % n, timeout=60)
    os.kill(ui, signal.SIGKILL)
    since = _ticks_now()
    try:
        wait_for(lambda: not live_in_group(host), "the scene to die with lockstep", timeout=20)
    except AssertionError:
        pass
    alive = live_in_group(host)
    headless("race")  # the next start
    if not alive:  # what is left may be zombies pid 1 has not reaped yet
        try:
            wait_for(lambda: not leftovers(host, since=since, grace=0, ui=ui), "the run's leftovers to go", timeout=15)
        except AssertionError:
            pass
    left = alive or leftovers(host, since=since, grace=0, ui=ui)
    t.check(not left, "terminal UI killed with SIGKILL after %d events of %s: nothing left after the next start"
            % (n, scene), left)
    tm.kill_session(name)
t.done()
