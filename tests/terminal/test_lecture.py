"""The lecture view (issue 14) in a real terminal: slow motion that is slow,
the marks on what the last step changed.

Nothing asserts on wall-clock time: the frame log (LOCKSTEP_FRAME_LOG, see
app.c) says which step each drawn frame showed, so "one step at a time"
is an order of distinct screens, not a threshold."""
import os
import re
import shlex
import tempfile

from lstmux import Tmux, Tap, pane, mouse_click, LOCKSTEP
from lstest import wait_for
from screenscan import scan

tap = Tap()
tm = Tmux()


def start_logged(log, *args, x=120, y=40):
    cmd = " ".join(shlex.quote(c) for c in [LOCKSTEP] + list(args))
    return tm.start(["sh", "-c", '%s; echo "lockstep exited $?"; exec cat' % cmd], x, y,
                    env={"LOCKSTEP_FRAME_LOG": log})


def frames(log):
    """(steps, events) the live model had at each frame drawn, in order."""
    out = []
    try:
        with open(log) as f:
            for line in f:
                p = line.split()
                if len(p) == 3 and p[0] == "s":
                    out.append((int(p[1]), int(p[2])))
    except OSError:
        pass
    return out


def slow_motion(scene, speed, steps, *params):
    d = tempfile.mkdtemp(prefix="lockstep-lecture-")
    log = os.path.join(d, "frames")
    s = start_logged(log, scene, "--speed=%d" % speed, *params)
    tm.wait_screen(s, "Slow motion at speed %d" % speed, what="the slow-motion hint")
    # the frame log is written per frame: wait until it has seen enough steps
    fr = wait_for(lambda: (lambda f: f if f and max(k for k, _ in f) >= steps else None)(
        frames(log)), "%d steps drawn" % steps, timeout=120)
    tm.keys(s, "q")
    rc = tm.wait_exit(s)
    tap.check(rc == 0, "%s --speed=%d: q exits 0" % (scene, speed))
    seen = [k for k, _ in fr]
    # the steps went up one at a time, never two in one frame: every step
    # had a screen of its own
    jumps = [(a, b) for a, b in zip(seen, seen[1:]) if b > a + 1 or b < a]
    tap.check(not jumps, "%s --speed=%d: no frame skips a step" % (scene, speed),
              "jumps %s in %s" % (jumps, seen))
    shown = sorted(set(seen))
    tap.check(all(k in shown for k in range(1, steps + 1)),
              "%s --speed=%d: steps 1-%d each drawn" % (scene, speed, steps), "seen %s" % shown)
    # and each step's records reached the screen before the next step began:
    # no frame shows the events of two steps at once (a new step's first
    # frame shows more events than its predecessor's last one, never fewer)
    last = {}
    for k, ev in fr:
        last[k] = ev
    first = {}
    for k, ev in fr:
        first.setdefault(k, ev)
    bunched = [k for k in range(2, steps + 1) if k in first and k - 1 in last and
               first[k] < last[k - 1]]
    tap.check(not bunched, "%s --speed=%d: each step's events are drawn before the next" %
              (scene, speed), "%s" % bunched)
    os.unlink(log)
    os.rmdir(d)


def free_above_five():
    """At 6 and above the scene runs freely, as it did: no step is granted."""
    d = tempfile.mkdtemp(prefix="lockstep-lecture-")
    log = os.path.join(d, "frames")
    s = start_logged(log, "producer-consumer", "--speed=8")
    tm.wait_screen(s, "Running freely at speed 8", what="the free-run hint")
    wait_for(lambda: (lambda f: f if f and max(e for _, e in f) >= 40 else None)(frames(log)),
             "40 events drawn", timeout=60)
    fr = frames(log)
    tap.check(all(k == 0 for k, _ in fr), "speed 8 runs freely: no step granted",
              "%s" % fr[:20])
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "speed 8: q exits 0")
    os.unlink(log)
    os.rmdir(d)


def marks():
    """Stepping by hand, the row the step moved carries the mark, and the
    mark moves on with the next step."""
    s = tm.start_ls("deadlock", x=120, y=40)
    tm.wait_screen(s, "Your move")
    tap.check("•" not in pane(tm.screen(s), "Workers"), "deadlock: no mark before a step")
    tm.keys(s, "1")
    scr = tm.wait_screen(s, r"step 1 · (?s:.*)Your move", what="step 1 to settle")
    rows = [l for l in pane(scr, "Workers").splitlines() if "•" in l]
    tap.check(len(rows) == 1 and re.search(r"•\s*T1\b", rows[0]),
              "deadlock: T1's row is marked after T1's step", "\n".join(rows))
    locks = [l for l in pane(scr, "Locks").splitlines() if "•" in l]
    tap.check(len(locks) == 1 and re.search(r"•\s*A\b", locks[0]),
              "deadlock: the lock T1 took is marked", pane(scr, "Locks"))
    tm.keys(s, "2")
    scr = tm.wait_screen(s, r"step 2 · (?s:.*)Your move", what="step 2 to settle")
    rows = [l for l in pane(scr, "Workers").splitlines() if "•" in l]
    tap.check(len(rows) == 1 and re.search(r"•\s*T2\b", rows[0]),
              "deadlock: the mark moves to T2 with the next step", "\n".join(rows))
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "deadlock: q exits 0")


def marks_ascii():
    s = tm.start_ls("deadlock", "--ascii", x=100, y=30)
    tm.wait_screen(s, "Your move")
    tm.keys(s, "1")
    scr = tm.wait_screen(s, r"step 1 \S (?s:.*)Your move", what="step 1 to settle")
    tap.check(re.search(r"\*\s*T1\b", scr) is not None and "•" not in scr,
              "--ascii: the mark is *", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def why_box(x, y):
    """y on the deadlock scene, one step before the circle closes: the box
    chooses the blocked worker, says what it waits for and what each move
    does; arrows, a worker's key and a click choose another row."""
    s = tm.start_ls("deadlock", x=x, y=y)
    tm.wait_screen(s, "Your move")
    for i, k in enumerate("121", 1):
        tm.keys(s, k)
        tm.wait_screen(s, r"step %d \S (?s:.*)Your move" % i, what="step %d to settle" % i)
    tm.keys(s, "y")
    scr = tm.wait_screen(s, ["Why? T1", "T1 is BLOCKED", "closes the circle"],
                         what="the why box on T1")
    words = " ".join(scr.split())
    tap.check("T1 waits for B, held by T2" in words,
              "%dx%d: y explains the blocked worker: what it waits for, who holds it" % (x, y), scr)
    flat = " ".join(re.sub(r"[│|└┘┌┐─▲▼•]", " ", scr).split())
    tap.check("if you step T2 now, it blocks on A, held by T1: that closes the circle, a deadlock"
              in flat, "%dx%d: and what stepping T2 would do" % (x, y), scr)
    bad = scan(scr)
    tap.check(not bad, "%dx%d: the box cuts no word" % (x, y), "%s\n%s" % (bad, scr))
    tm.keys(s, "Down")
    tm.wait_screen(s, ["Why? T2", "T2 is RUNNABLE"], what="Down chooses T2")
    tm.keys(s, "0")
    tm.wait_screen(s, ["Why? main", "main is RUNNABLE"], what="0 chooses main")
    tap.check(True, "%dx%d: Down and a worker's key choose another row" % (x, y))
    if x >= 100:
        scr = tm.screen(s)
        row = [i for i, l in enumerate(scr.splitlines()) if re.search(r"[│|] \S* ?B lock", l)]
        tap.check(bool(row), "%dx%d: the list shows lock B" % (x, y), scr)
        if row:
            col = scr.splitlines()[row[0]].index("B lock")
            mouse_click(tm, s, col, row[0])
            tm.wait_screen(s, ["Why? B", "B is held by T2: only T2 can release it."],
                           what="a click on B")
            tap.check(True, "%dx%d: a click on a row chooses it" % (x, y))
    tm.keys(s, "Escape")
    wait_for(lambda: "Why?" not in tm.screen(s), "Esc to close the box")
    tap.check(True, "%dx%d: Esc closes the box" % (x, y))
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "%dx%d: q exits 0" % (x, y))


def fix_and_parameters():
    """x shows the waiter fix at the same moment: the same six steps again in
    philosophers --param fix=waiter; the header names the variant. Then the
    scene list changes a parameter and starts the scene with it."""
    s = tm.start_ls("philosophers", x=120, y=40)
    tm.wait_screen(s, "Your move")
    first = tm.screen(s).splitlines()[0]
    tap.check("fix=" not in first, "defaults: the header names no parameter", first)
    for i in range(1, 7):
        tm.keys(s, "s")
        tm.wait_screen(s, r"step %d \S (?s:.*)Your move" % i, what="step %d to settle" % i)
    tm.keys(s, "u")
    scr = tm.wait_screen(s, ["Show a fix at the same moment", "philosophers --param fix=waiter",
                             "deadlock-ordered"], what="the fixes")
    digit = re.search(r"(\d)  philosophers --param fix=waiter", scr).group(1)
    tm.keys(s, digit)
    scr = tm.wait_screen(s, ["fix=waiter at the same moment: steps 1-6 as before"],
                         what="the waiter variant re-run to step 6", timeout=40)
    lines = scr.splitlines()
    tap.check("philosophers fix=waiter" in lines[0] and "step 6 " in lines[0],
              "x: the header names fix=waiter, at step 6 again", lines[0])
    tap.check(re.search(r"seats", pane(scr, "Semaphores")) is not None,
              "x: the waiter's seats are on screen", scr)
    tm.keys(s, "l")
    tm.wait_screen(s, ["Scenes: arrows", "Tab: change the parameters"], what="the scene list")
    tm.keys(s, "Tab")
    tm.wait_screen(s, "left/right or digits change it", what="the parameters to take the keys")
    tm.keys(s, "Down", "Left")
    tm.wait_screen(s, r"fix\s+order\s", what="fix changed to order")
    tm.keys(s, "Up")
    tm.keys(s, "4")
    tm.wait_screen(s, r"n\s+4\s+\(2\.\.10\)", what="n typed as 4")
    tm.keys(s, "Enter")
    scr = tm.wait_screen(s, r"philosophers n=4 fix=order(?s:.*)Your move", what="the variant started")
    tap.check("step 0 " in scr.splitlines()[0], "the scene list starts the variant from its start",
              scr.splitlines()[0])
    tap.check("P5" not in pane(scr, "Workers"), "n=4: four philosophers", pane(scr, "Workers"))
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "philosophers: q exits 0")


def zoom(x, y):
    """f: the focused pane fills the screen with large glyphs and without
    the kernel and id columns; Tab zooms the next pane; f again returns."""
    s = tm.start_ls("deadlock", x=x, y=y)
    tm.wait_screen(s, "Your move")
    for i, k in enumerate("1212", 1):
        tm.keys(s, k)
        tm.wait_screen(s, r"step %d \S" % i, what="step %d" % i)
    scr = tm.wait_screen(s, ["DEADLOCK", "kind  id"], what="the deadlock")
    tm.keys(s, "f")
    scr = tm.wait_screen(s, "\u2588\u2588 BLOCKED", what="the zoomed workers pane")
    tap.check("Locks" not in scr and "Log" not in scr and "Narration" not in scr,
              "%dx%d: f: the workers pane alone between header and key bar" % (x, y), scr)
    head = [l for l in scr.splitlines() if "worker" in l and "state" in l]
    tap.check(head and "kernel" not in head[0] and "kind" not in head[0],
              "%dx%d: f: no kernel and id columns" % (x, y), scr)
    rows = scr.splitlines()
    tap.check(rows[2].startswith("\u250c") and rows[-2].startswith("\u2514"),
              "%dx%d: f: the pane's box spans the screen" % (x, y), scr)
    tap.check(not scan(scr), "%dx%d: f: nothing cut" % (x, y), "%s\n%s" % (scan(scr), scr))
    tm.keys(s, "Tab")
    scr = wait_for(lambda: (lambda x: x if "Workers" not in x and "\u25c6" in x else None)(
        tm.screen(s)), "Tab to the next pane, zoomed")
    nxt = re.search(r"\u25c6 (\w+)", scr).group(1)
    tap.check(nxt != "Workers", "%dx%d: Tab zooms the next pane (%s)" % (x, y, nxt), scr)
    tm.keys(s, "f")
    scr = tm.wait_screen(s, ["Workers", "\u25c6 " + nxt, "kind  id"], what="f back")
    tap.check("\u2588\u2588 BLOCKED" not in scr, "%dx%d: f again: the usual screen" % (x, y), scr)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "%dx%d: q exits 0" % (x, y))


def invariant_line():
    """race lock=off, the documented schedule, stepped by hand: the values
    pane writes the invariant out."""
    s = tm.start_ls("race", "--param", "lock=off", "--param", "rounds=1", x=120, y=40)
    tm.wait_screen(s, "Your move")
    scr = tm.screen(s)
    tap.check("expected 100, actual 100, nothing lost" not in scr,
              "race: no invariant before any update", scr)
    for i, k in enumerate("12121122", 1):
        tm.keys(s, k)
        tm.wait_screen(s, r"step %d \S (?s:.*)(Your move|FINISHED)" % i, what="step %d" % i)
        if i == 3:
            scr = tm.wait_screen(s, "expected 110, actual 110, nothing lost", what="after T1's write")
            tap.check(True, "race: after T1 writes 110, nothing lost yet")
    scr = tm.wait_screen(s, "expected 100, actual 90, lost 10", what="the lost update")
    tap.check("balance" in pane(scr, "Shared values"),
              "race: the values pane says expected 100, actual 90, lost 10", scr)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "race: q exits 0")


tap.run(lambda: slow_motion("producer-consumer", 2, 6), "producer-consumer at speed 2")
tap.run(lambda: slow_motion("semaphore", 5, 8), "semaphore at speed 5")
tap.run(free_above_five, "speed 8 runs freely")
tap.run(marks, "the rows a step changed are marked")
tap.run(marks_ascii, "the mark in ASCII")
tap.run(lambda: why_box(120, 40), "the why box at 120x40")
tap.run(lambda: why_box(80, 24), "the why box at 80x24")
tap.run(fix_and_parameters, "fixes and parameters from the keyboard")
tap.run(lambda: zoom(120, 40), "presenter zoom at 120x40")
tap.run(lambda: zoom(80, 24), "presenter zoom at 80x24")
tap.run(invariant_line, "the race's invariant line")
tap.done()
