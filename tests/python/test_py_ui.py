#!/usr/bin/env python3
"""The terminal UI on a Python program (lockstep py/deadlock): the program's
own threads and locks on screen with their lines, stepped by keys into the
deadlock the narration and the graph name with the program's variables;
q ends it with the main thread parked, and nothing of it is left."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "terminal"))
from lstmux import Tmux, Tap, children, group_members, wait_for  # noqa: E402

tap = Tap()
tm = Tmux()


def step(s, key):
    before = tm.screen(s)
    m = re.search(r"step (\d+)", before)
    n = int(m.group(1)) if m else 0
    tm.keys(s, key)
    # the step is over when the screen asks for the next move again
    tm.wait_screen(s, r"step %d\b" % (n + 1), what="step %d" % (n + 1))
    tm.wait_screen(s, "Your move|DEADLOCK", what="step %d to settle" % (n + 1))


def deadlock_by_keys():
    s = tm.start_ls("py/deadlock")
    scr = tm.wait_screen(s, ["PAUSE", "Your move", "Workers", "Locks"], timeout=30)
    tap.check("py/deadlock" in scr.splitlines()[0], "the header names the example", scr)
    tap.check(re.search(r"T1 +. RUNNABLE +(\S +)?. lock\(A\) deadlock\.py:\d+", scr) is not None,
              "T1 shows its next operation and its line in the program", scr)
    tap.check(re.search(r"main +. RUNNABLE +(\S +)?. join\(T1\) deadlock\.py:\d+", scr) is not None,
              "main is the program's main thread, about to join T1", scr)
    tap.check(re.search(r"A +. free", scr) and re.search(r"B +. free", scr),
              "the program's locks are named A and B", scr)
    ui = wait_for(lambda: (children(tm.pane_pid(s)) or [None])[0], "lockstep's pid")
    host = wait_for(lambda: (children(ui) or [None])[0], "the program's host")
    for k in "1212":
        step(s, k)
    for _ in range(6):
        if "DEADLOCK" in tm.screen(s):
            break
        step(s, "s")
    scr = tm.wait_screen(s, ["DEADLOCK"])
    tap.check("T1 → B → T2 → A → T1" in scr.splitlines()[1], "the alarm names the cycle", scr)
    tap.check(re.search(r"A +. held by T1 +waiters: T2", scr) is not None, "A: held by T1, T2 waits", scr)
    tap.check("T1 waits for B, held by T2" in scr, "the narration says it in the program's words", scr)
    # main is parked at its gate (join): q still ends the run at once
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits with status 0 while main is parked")
    wait_for(lambda: not group_members(host), "the program's group to go", timeout=10)
    tap.check(not group_members(host), "nothing of the program is left")


def strings_in_the_queue():
    """Items that are not ints show as their text: in the queue's slots,
    in the next operation and in the log."""
    prog = os.path.join(os.path.dirname(os.path.abspath(__file__)), "progs", "strings_pc.py")
    py = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else "python3"
    s = tm.start_ls("run", "--", py, prog)
    tm.wait_screen(s, ["Your move", "Queues"], timeout=30)
    for _ in range(8):
        if re.search(r"│ 'apple' │", tm.screen(s)):
            break
        step(s, "s")
    scr = tm.screen(s)
    tap.check(re.search(r"│ 'apple' │", scr) is not None, "the queue's slot shows 'apple'", scr)
    tap.check("put(box, 'banana')" in scr, "the producer's next operation names 'banana'", scr)
    tap.check("producer put 'apple' into box" in scr, "the log says what was put", scr)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits with status 0")


def pool_queues():
    """A Pool's queues have no bound: never "full", never "n/0"; a task is
    shown as the call it stands for, a result as its value."""
    s = tm.start_ls("py/pool-map")
    tm.wait_screen(s, ["Your move", "Queues"], timeout=30)
    seen = ""
    for _ in range(40):
        scr = tm.screen(s)
        seen += scr
        if "square(" in scr and re.search(r"pool\.results +[1-9]\d* items", scr):
            break
        step(s, "s")
    scr = tm.screen(s)
    tap.check(re.search(r"pool\.tasks +\d+ items, (no bound|empty)", scr) is not None and
              re.search(r"pool\.results +\d+ items, (no bound|empty)", scr) is not None,
              "the Pool's queues show a count and no bound", scr)
    tap.check(not re.search(r"pool\.\w+ +\d+/\d+ items|, full", seen),
              "a queue with no bound is never shown full, nor as n/n", seen[-3000:])
    tap.check(not re.search(r"\(\d+/0\)", seen), "the log never says n/0 of a queue with no bound", seen[-3000:])
    tap.check(re.search(r"put square\(\d\) into pool\.tasks \(\d+\)", seen) is not None and
              re.search(r"took square\(\d\) from pool\.tasks", seen) is not None,
              "a task is put and taken as its call, square(n)", seen[-3000:])
    tap.check(re.search(r"put (0|1|4|9|16|25|36|49) into pool\.results", seen) is not None,
              "a result is put as its value", seen[-3000:])
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits with status 0")


tap.run(deadlock_by_keys, "py/deadlock stepped into its deadlock")
tap.run(pool_queues, "a Pool's queues, stepped")
tap.run(strings_in_the_queue, "a queue of strings, stepped")
tap.done()
