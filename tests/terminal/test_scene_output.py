"""A scene that prints, and one that crashes: the screen stays whole, the
output lands in the log, the crash is reported, the terminal survives."""
import os
import re

from lstmux import Tmux, Tap

tap = Tap()
tm = Tmux()
SCENES = os.environ.get("LOCKSTEP_TEST_SCENES", "")


def noisy():
    s = tm.start_ls("test-noisy", "--scene-path=" + SCENES)
    scr = tm.wait_screen(s, ["output: NOISY stdout line", "output: NOISY stderr line"])
    lines = scr.splitlines()
    tap.check(lines[0].startswith(" lockstep") and "test-noisy" in lines[0],
              "the header is intact after the scene printed", scr)
    tap.check(not any(l.startswith("NOISY") for l in lines),
              "scene output never lands on the screen by itself", scr)
    for _ in range(8):
        tm.keys(s, "s")
    scr = tm.wait_screen(s, ["output: talker line 3", "FINISHED"], what="all output, then the end")
    tap.check("Workers" in scr and "Log" in scr, "the panes are whole at the end", scr)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")


def crash():
    s = tm.start_ls("test-crash", "--scene-path=" + SCENES)
    tm.wait_screen(s, "Your move")
    tm.keys(s, "1")
    scr = tm.wait_screen(s, "CRASHED", what="the crash to be reported")
    tap.check(re.search(r"victim", scr.splitlines()[1]) is not None or "victim" in scr,
              "the crash names the worker", scr)
    tap.check("DEADLOCK" not in scr, "a crash is not taken for a deadlock", scr)
    tm.keys(s, "r")
    tm.wait_screen(s, "Your move", what="restart after a crash")
    tap.check("CRASHED" not in tm.screen(s), "r restarts a crashed scene")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0 after a crash")


def every_pane():
    s = tm.start_ls("test-sampler", "--scene-path=" + SCENES)
    tm.wait_screen(s, "Your move")
    for k in "11112":
        tm.keys(s, k)
    for size in ((120, 40), (80, 24)):
        tm.resize(s, *size)
        scr = tm.wait_screen(s, ["Locks", "Semaphores", "Queues and buffers", "Shared values",
                                 "X = 1", "held by W2", "step 5"],
                             what="every pane at %dx%d" % size)
        tap.check(re.search(r"S \[█░\] (2 permits: 1 held, 1 free|1 of 2 free)", scr) is not None,
                  "%dx%d: the semaphore as a bar against its initial value" % size, scr)
        tap.check(re.search(r"7 +│ +· +│ +·", scr) is not None,
                  "%dx%d: the queue's item and its empty slots" % size, scr)
        tap.check("W1" in scr and "W2" in scr and "main" in scr,
                  "%dx%d: every worker still shows" % size, scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


tap.run(every_pane, "every pane")
tap.run(noisy, "noisy scene")
tap.run(crash, "crashing scene")
tap.done()
