"""The default scene in the terminal UI: start paused in step mode with the
keys to press on screen, step into the deadlock by keyboard, restart, step
by mouse, quit."""
import re

from lstmux import Tmux, Tap, children, group_members, mouse_click, wait_for

tap = Tap()
tm = Tmux()


def row_of(screen, word):
    for y, line in enumerate(screen.splitlines()):
        if re.match(r"^.\s+\d\s+\S?\s*%s\s" % word, line):
            return y, line
    return None, None


def deadlock_by_keys():
    s = tm.start_ls()
    scr = tm.wait_screen(s, ["PAUSE", "Your move", "Workers", "Locks"])
    tap.check("deadlock" in scr.splitlines()[0], "the header names the default scene", scr)
    tap.check(re.search(r"press 1 \(T1 . lock\(A\)\)", scr) is not None,
              "the narration says which keys to press", scr)
    # the kernel column shows S, or · until it has been read once
    tap.check(re.search(r"T1 +. RUNNABLE +(\S +)?. lock\(A\)", scr) is not None,
              "a ready worker shows its next operation", scr)
    for k in "1212":
        before = tm.screen(s)
        m = re.search(r"step (\d+)", before)
        n = int(m.group(1)) if m else 0
        tm.keys(s, k)
        tm.wait_screen(s, r"step %d [·.] " % (n + 1), what="step %d" % (n + 1))
    scr = tm.wait_screen(s, ["DEADLOCK"])
    tap.check(re.search(r"T1 +. BLOCKED", scr) and re.search(r"T2 +. BLOCKED", scr),
              "both workers are shown blocked", scr)
    tap.check(re.search(r"A +. held by T1 +waiters: T2", scr) is not None,
              "lock A: owner T1, waiter T2", scr)
    tap.check(re.search(r"B +. held by T2 +waiters: T1", scr) is not None,
              "lock B: owner T2, waiter T1", scr)
    tap.check("T1 → B → T2 → A → T1" in scr.splitlines()[1], "the header alarm shows the cycle", scr)
    tap.check("T1 waits for B, held by T2" in scr, "the narration names the cycle", scr)
    tap.check("T2 blocked on A, held by T1" in scr, "the log says it in words", scr)

    # restart: back to the start, paused, no alarm, the old scene gone
    ui = wait_for(lambda: (children(tm.pane_pid(s)) or [None])[0], "lockstep's pid")
    old_host = wait_for(lambda: (children(ui) or [None])[0], "the scene host")
    tm.keys(s, "r")
    scr = tm.wait_screen(s, r"step 0\b.*\n.*PAUSE", what="a fresh start")
    tm.wait_screen(s, "Your move")
    tap.check("DEADLOCK" not in tm.screen(s), "restart clears the deadlock")
    wait_for(lambda: not group_members(old_host), "the deadlocked scene's group to go", timeout=10)
    tap.check(old_host not in children(ui), "restart leaves nothing of the old scene")

    # the mouse: a click on T1's row steps T1
    scr = tm.screen(s)
    y, line = row_of(scr, "T1")
    tap.check(y is not None, "T1's row is on screen", scr)
    mouse_click(tm, s, line.index("T1"), y)
    scr = tm.wait_screen(s, "T1 acquired A", what="the click to step T1")
    tap.check(re.search(r"step 1 [·.] ", scr) is not None, "a click on a ready worker steps it", scr)
    y, line = row_of(scr, "T2")
    mouse_click(tm, s, line.index("T2"), y)
    tm.wait_screen(s, "T2 acquired B", what="the click to step T2")
    # `s` steps as a headless run would, in declare order after the last
    # worker stepped (T2): main (joins T1), then T1 and T2 deadlock
    tm.keys(s, "s")
    tm.wait_screen(s, "step 3: main moves")
    tm.keys(s, "s")
    tm.wait_screen(s, r"step 4: T1 moves")
    tm.keys(s, "s")
    scr = tm.wait_screen(s, "DEADLOCK")
    tap.check("T1 → B → T2 → A → T1" in scr, "stepping by mouse and s deadlocks too", scr)

    # a restart and a click in one read: the click must not see the old scene
    y, line = row_of(tm.screen(s), "T1")
    tm.literal(s, "r\033[M " + chr(33 + line.index("T1")) + chr(33 + y))
    tm.wait_screen(s, r"step [01]\b.*\n.*(PAUSE|STEP)", what="the restart")
    tm.wait_screen(s, "Your move|DEADLOCK")
    tap.check("lockstep exited" not in tm.screen(s), "a click right after a restart is harmless")

    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits with status 0")


def step_blocked_worker_says_why():
    s = tm.start_ls("--theme=mono")
    tm.wait_screen(s, "Your move")
    for k in "121":
        tm.keys(s, k)
    tm.wait_screen(s, r"step 3 [·.] ")
    tm.keys(s, "1")
    scr = tm.wait_screen(s, "T1 cannot move")
    tap.check("held by T2" in scr, "stepping a blocked worker says why it cannot move", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


tap.run(deadlock_by_keys, "deadlock by keys and mouse")
tap.run(step_blocked_worker_says_why, "a blocked worker cannot be stepped")
tap.done()
