"""Looking back in the terminal UI (issue 15), and playing a recording.

- `b` shows the moment one step back in every pane, under a banner
  ("viewing step 3 of 4, press . for now"); `]` and `[` jump to the steps
  where a worker blocked (or woke, or a signal came); `.` is now again.
- While the past is shown the live scene does not move: a running scene is
  paused, and step keys say so instead of stepping.
- `--replay=FILE` opens the UI on a recording with no scene running: it
  starts at step 0, `s` steps forward, space plays to the end.
- A damaged recording shows what came before the damage and says where;
  one that cannot be read is one line on stderr, exit 1, no terminal.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from lstmux import Tmux, Tap, mouse_click, pane

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import LOCKSTEP, headless, wait_for  # noqa: E402

tap = Tap()
tm = Tmux()
tmp = tempfile.mkdtemp(prefix="lockstep-travel-test.")


def settle(s, n):
    """Step n has settled: its count is in the header and the scene asks
    for the next move (or the deadlock is on screen)."""
    return tm.wait_screen(s, r"step %d · (?s:.*)(Your move|DEADLOCK)" % n,
                          what="step %d to settle" % n)


def row(scr, name):
    """The workers pane's row of worker `name` (key, alarm mark, name)."""
    for line in pane(scr, "Workers").splitlines():
        if re.match(r"\s*\d+\s+([‼•*]\s+)?%s\s" % re.escape(name), line):
            return line
    return ""


def flat(text):
    """Text as one line: a pane's wrapped lines joined."""
    return " ".join(text.split())


def bar(scr):
    """The key bar: the screen's last line with text."""
    lines = [l for l in scr.splitlines() if l.strip()]
    return lines[-1] if lines else ""


def click_row(s, text):
    """A click on the first screen row holding text, on that text."""
    for y, line in enumerate(tm.screen(s).splitlines()):
        if text in line:
            mouse_click(tm, s, line.index(text), y)
            return
    raise AssertionError("no row with %r" % text)


def expect(s, pred, name):
    """One check: the screen reaches a state where pred holds. A frame
    reaches tmux a few lines at a time, so a test waits for the whole
    state it asserts, never reads it the moment one part has changed."""
    try:
        scr = wait_for(lambda: (lambda x: x if pred(x) else None)(tm.screen(s)), name)
    except AssertionError as e:
        tap.check(False, name, "%s\n%s" % (e, tm.screen(s)))
        return tm.screen(s)
    tap.check(True, name)
    return scr


TL = "Timeline: a step per column (z zooms, a wall time, t hides)"
WALL = "Timeline: 0.1 s of wall time per column (z zooms, a steps, t hides)"


def strips(scr, title=TL):
    out = {}
    for line in pane(scr, title).splitlines():
        m = re.match(r"(\S+)\s+(\S+)\s*$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def look_back():
    s = tm.start_ls("deadlock", x=140, y=50)
    tm.wait_screen(s, "Your move")
    for i, k in enumerate("1212", 1):
        tm.keys(s, k)
        settle(s, i)
    expect(s, lambda x: "DEADLOCK" in x and "BLOCKED" in row(x, "T2"),
           "now: T2 is blocked in the deadlock")

    tm.keys(s, "b")
    expect(s, lambda x: "viewing step 3 of 4, press . for now" in x and
           "RUNNABLE" in row(x, "T2") and "BLOCKED" in row(x, "T1"),
           "b: the workers pane shows step 3 (T1 blocked, T2 not yet)")
    expect(s, lambda x: "viewing step 3 of 4" in x and "DEADLOCK" not in x,
           "b: no deadlock alarm at step 3")
    expect(s, lambda x: re.search(r"A .*no waiters", pane(x, "Locks")) is not None,
           "b: the locks pane shows step 3 (nobody waits for A yet)")
    expect(s, lambda x: "step 3: T1 moves" in pane(x, "Log") and "step 4" not in pane(x, "Log"),
           "b: the log ends where step 3 ended")
    expect(s, lambda x: "Looking back: press 2 (T2 ▸ lock(A)) to start a new branch here" in
           flat(pane(x, "Narration")) and "Your move" not in x,
           "b: the narration says what a worker's key does in the past (a branch), not 'your move'")
    expect(s, lambda x: re.search(r"s →\s+later", bar(x)) and re.search(r"1-9 0\s+branch", bar(x))
           and not re.search(r"space\s+run", bar(x)),
           "b: the key bar says s goes later and a worker's key branches; space (which waits) is not offered")

    for _ in range(3):
        tm.keys(s, "b")
    expect(s, lambda x: "viewing step 0 of 4" in x and row(x, "T1") and
           "A" not in row(x, "T1").split("lock(A)")[-1],
           "b b b: step 0, nobody holds anything")
    tm.keys(s, "b")
    tm.wait_screen(s, "nothing earlier", what="the hint that nothing is earlier")

    tm.keys(s, "]")
    expect(s, lambda x: "viewing step 3 of 4" in x,
           "]: jumps over the steps with no block to step 3")

    tm.keys(s, "1")
    expect(s, lambda x: "T1 cannot move: it waits for B, held by T2" in x,
           "the key of a worker that could not move then says why (no branch)")
    tm.keys(s, "space")
    expect(s, lambda x: "looking back: the scene waits; press . for now" in x,
           "space while looking back says the scene waits")

    tm.keys(s, ".")
    expect(s, lambda x: "DEADLOCK" in x and "viewing step" not in x and "BLOCKED" in row(x, "T2"),
           ".: now again, the deadlock and no banner")

    # the timeline: a column per step, 0..4; T1 took A in step 1 (+),
    # blocked in step 3 (■), both are in the deadlock at step 4 (‼)
    tm.keys(s, "t")
    expect(s, lambda x: strips(x).get("T1") == "▶+▶■‼" and strips(x).get("T2") == "▶▶+▶‼" and
           strips(x).get("main") == "▶▶▶▶▶",
           "t: a strip per worker, a column per step, marks where it took a lock "
           "and where the deadlock formed")
    expect(s, lambda x: re.search(r"0 4 now", x) is not None,
           "t: the axis runs from step 0 to now (4)")
    # z: two steps a column, each cell the state at its last step and the
    # marks of both; < scrolls back to the start, > forward to now
    tm.keys(s, "z")
    z2 = "Timeline: 2 steps per column (z zooms, a wall time, t hides)"
    expect(s, lambda x: z2 in x and (lambda st: st.get("T1") == "+■‼" and st.get("T2") == "▶+‼")(
               {m.group(1): m.group(2) for m in (re.match(r"(\S+)\s+(\S+)\s*$", l)
                                                 for l in pane(x, z2).splitlines()) if m}),
           "z: two steps a column, marks kept")
    for _ in range(5):
        tm.keys(s, "z")
    expect(s, lambda x: TL in x, "z cycles back to a step a column")
    tm.keys(s, "<")
    expect(s, lambda x: strips(x).get("T1") == "▶" and "0 viewed" in x,
           "<: the timeline scrolls back, not past the start")
    tm.keys(s, "<")
    expect(s, lambda x: "the timeline's start: nothing earlier" in x and
           strips(x).get("T1") == "▶", "< at the start says so, and stays")
    tm.keys(s, ">")
    expect(s, lambda x: strips(x).get("T1") == "▶+▶■‼" and "4 now" in x, ">: back to now")
    tm.keys(s, ">")
    expect(s, lambda x: "the timeline already ends at the moment shown" in x and "4 now" in x,
           "> at now says so")
    tm.keys(s, "b")
    expect(s, lambda x: "viewing step 3 of 4" in x and "3 viewed" in x and
           strips(x).get("T1") == "▶+▶■",
           "t while looking back: the strips end at the step viewed")
    # a: the same strips on a wall time axis, a cell per tenth of a second
    # since the first record: the steps were taken as fast as the test
    # could send keys, so only their order is asserted, not their cells
    tm.keys(s, ".", "a")

    def wall_ok(x):
        st = strips(x, WALL)
        t1 = re.sub(r"(.)\1*", r"\1", st.get("T1", ""))  # each state once, in order
        return (re.search(r"\d+\.\d s\s.*\d+\.\d s now", pane(x, WALL)) is not None and
                "+" in t1 and t1.endswith("‼") and t1.index("+") < t1.index("‼") and
                ("■" not in t1 or t1.index("+") < t1.index("■") < t1.index("‼")))
    # (a cell's mark hides its state: fast keys may put them all in a few cells)
    expect(s, wall_ok, "a: the timeline on wall time, its title says how to go back (a steps), "
                       "the axis in seconds, T1's strip takes A, then the deadlock")
    tm.keys(s, "b")
    expect(s, lambda x: "viewing step 3 of 4" in x and re.search(r"\d\.\d s viewed", x) and
           "‼" not in strips(x, WALL).get("T1", "‼"),
           "b on the wall time axis: the strips end at the moment viewed, before the deadlock")
    tm.keys(s, ".", "a")
    expect(s, lambda x: TL in x and strips(x).get("T1") == "▶+▶■‼", "a again: a column per step")
    tm.keys(s, "?")
    expect(s, lambda x: re.search(r"\ba\s+timeline: a column per step, or wall time", x),
           "the help lists a")
    tm.keys(s, "Escape")
    tm.keys(s, ".", "t")
    expect(s, lambda x: "Timeline" not in x, "t again hides the timeline")
    expect(s, lambda x: re.search(r"space\s+run", bar(x)) and re.search(r"s →\s+step", bar(x)),
           ". : the key bar is the live run's again")

    # a click on a worker while looking back is its key: a branch
    tm.keys(s, "b", "b", "b")
    tm.wait_screen(s, "viewing step 1 of 4")
    click_row(s, " T2 ")
    tm.wait_screen(s, "a new branch: steps 1-1 as before, then T2",
                   what="a click on T2 at step 1 to branch")
    settle(s, 2)
    expect(s, lambda x: "step 2: T2 moves" in pane(x, "Log"),
           "a click on a worker while looking back branches, as its key does")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")


def branch():
    """The lecture: step deadlock into its circle, go back to step 1, press
    the other choice (T1 again), and the run finishes: a new branch, on
    real threads, re-driven through step 1 first."""
    lesson = os.path.join(tmp, "lesson.rec")
    s = tm.start_ls("deadlock", "--record=" + lesson, x=140, y=50)
    tm.wait_screen(s, "Your move")
    for i, k in enumerate("1212", 1):
        tm.keys(s, k)
        settle(s, i)
    tm.wait_screen(s, "DEADLOCK")
    pid_before = re.search(r"thread\s+(\d+)", row(tm.screen(s), "main")).group(1)
    tm.keys(s, "b", "b", "b")
    tm.wait_screen(s, "viewing step 1 of 4")
    tm.keys(s, "1")
    scr = tm.wait_screen(s, "a new branch: steps 1-1 as before, then T1",
                         what="the branch to re-drive step 1 and step T1")
    pid_after = re.search(r"thread\s+(\d+)", row(scr, "main")).group(1)
    tap.check(pid_after != pid_before, "the branch runs the scene again, on new threads",
              (pid_before, pid_after))
    settle(s, 2)
    expect(s, lambda x: re.search(r"\bA\b.*\bB\b|\bB\b.*\bA\b",
                                  row(x, "T1").split("lock")[-1]) is not None,
           "step 2 of the branch: T1 holds both locks")
    for i in range(3, 30):
        scr = tm.screen(s)
        if "FINISHED" in scr:
            break
        tm.keys(s, "s")
        tm.wait_screen(s, r"step %d · (?s:.*)(Your move|FINISHED)" % i, what="step %d" % i)
    expect(s, lambda x: "FINISHED" in x and "DEADLOCK" not in x,
           "the other choice finishes: no deadlock in this branch")

    # v: the run the branch began from is kept, to show beside this one
    tm.keys(s, "v")
    runs = "Runs since lockstep started: Enter shows one, v or Esc closes"
    expect(s, lambda x: re.search(r"^\s+\* run 2: \d+ steps, finished \(the live run\)",
                                  pane(x, runs), re.M) and
           re.search(r"▸\s+run 1:", pane(x, runs)) and
           "run 1: 4 steps, deadlock, kept when a branch began" in pane(x, runs),
           "v: the runs since lockstep started, the live one first, the kept one chosen")
    tm.keys(s, "Enter")
    expect(s, lambda x: "run 1: 4 steps, deadlock, kept when a branch began: step 4 of 4" in x and
           "BLOCKED" in row(x, "T1") and "BLOCKED" in row(x, "T2"),
           "v: the first run, at its end: the deadlock")
    tm.keys(s, "b")
    expect(s, lambda x: "kept when a branch began: step 3 of 4" in x and "RUNNABLE" in row(x, "T2"),
           "b in the kept run: its step 3")
    tm.keys(s, "s", "s")
    expect(s, lambda x: "kept when a branch began: step 4 of 4" in x and
           "the end of run 1: v shows the next run, . the live one" in x,
           "s past a kept run's last step stays at its end, and says so")
    tm.keys(s, "d")
    expect(s, lambda x: "they part at step 2: T2 moved in run 1, T1 in the live run" in x and
           "kept when a branch began: step 2 of 4" in x,
           "d: the step where the kept run and the live one part, shown")

    def side_by_side(x):
        rows = {}
        for line in pane(x, "Two runs side by side: 3 rows differ (d or Esc closes)").splitlines():
            m = re.match(r" ([* ]) (\S+)\s{2,}(.+?)\s{2,}(.+?)\s*$", line)
            if m:
                rows[m.group(2)] = (m.group(1), m.group(3), m.group(4))
        return rows
    expect(s, lambda x: "run 1: 4 steps, deadlock (shown at step 2)" in x and
           "the live run: " in x and "finished (shown at step 2)" in x and
           side_by_side(x).get("B") == ("*", "held by T2", "held by T1") and
           side_by_side(x).get("A", ("",))[0] == " " and
           side_by_side(x).get("main", ("",))[0] == " " and
           "holds A,B" in side_by_side(x).get("T1", ("", "", ""))[2],
           "d: the two states side by side at that step, the rows that differ marked: "
           "B held by T2 in run 1, by T1 in the live run")
    tm.keys(s, "Escape")
    expect(s, lambda x: "Two runs side by side" not in x and
           "kept when a branch began: step 2 of 4" in x, "Esc closes it: the kept run at step 2")
    tm.keys(s, "v", "Enter")
    expect(s, lambda x: "FINISHED" in x and "kept when" not in x and "viewing" not in x,
           "v Enter again: the live run, finished")
    tm.keys(s, "d")
    expect(s, lambda x: "v shows one first" in x, "d on the live run asks for a kept one")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")

    # both branches were recorded: diffed, and each exports a trace
    second = os.path.join(tmp, "lesson-2.rec")
    p = subprocess.run([LOCKSTEP, "--diff", lesson, second], capture_output=True, text=True,
                       timeout=60)
    tap.check(p.returncode == 1 and "They part at step 2: A stepped T2, B stepped T1." in p.stdout
              and "A ended: stopped. B ended: finished." in p.stdout,
              "both branches are recorded, and --diff says where they part", (p.stdout, p.stderr))
    for rec in (lesson, second):
        out = rec + ".json"
        p = subprocess.run([LOCKSTEP, "--headless", "--replay=" + rec, "--export-trace=" + out],
                           capture_output=True, text=True, timeout=60)
        with open(out) as f:
            ok = bool(json.load(f)["traceEvents"])
        tap.check(ok and not p.stderr, "%s exports a trace" % os.path.basename(rec), p.stderr)


def kept_runs():
    """Without --record, every run left behind (by a restart, another
    scene or a branch) is kept: v lists them all, numbered in the order
    they started; a kept run of another scene is named so, d refuses to
    compare it with this scene's run, and a branch from it re-runs its own
    scene."""
    s = tm.start_ls("deadlock", x=140, y=50)
    tm.wait_screen(s, "Your move")
    for n in range(1, 11):  # ten runs of one step each, more than the 8 once kept
        tm.keys(s, "1")
        settle(s, 1)
        if n < 10:
            tm.keys(s, "r")
            tm.wait_screen(s, r"step 0 · (?s:.*)Your move", what="restart %d" % n)
    tm.keys(s, "v")
    runs = "Runs since lockstep started: Enter shows one, v or Esc closes"

    def listed(x):
        return [m.group(1) for m in re.finditer(r"run (\d+): ", pane(x, runs))]
    expect(s, lambda x: listed(x) == [str(n) for n in range(10, 0, -1)] and
           "run 10: 1 step, not ended (the live run)" in x and
           "run 1: 1 step, stopped, kept at a restart" in x,
           "v lists every run since lockstep started, newest first: none let go, none recorded")
    tm.keys(s, "Enter")
    expect(s, lambda x: "run 9: 1 step, stopped, kept at a restart: step 1 of 1" in x,
           "Enter: the run left by the last restart")
    tm.keys(s, "v", "End", "Enter")
    expect(s, lambda x: "run 1: 1 step, stopped, kept at a restart: step 1 of 1" in x,
           "v End Enter: the first run")
    tm.keys(s, "v", "Enter")
    expect(s, lambda x: "kept at a restart" not in x and "viewing" not in x,
           "v Enter after the oldest: the live run again")

    tm.keys(s, "v", "Enter", "d")
    expect(s, lambda x: "the two runs take the same steps" in x and "Two runs side by side" not in x,
           "d on two runs that took the same steps says so")
    tm.keys(s, ".", "1")
    settle(s, 2)
    tm.keys(s, "v", "Enter", "d")
    expect(s, lambda x: "they part at step 2: nobody moved in run 9, T1 in the live run" in x and
           "run 9: 1 step, stopped (shown at step 1)" in x and "(shown at step 2)" in x and
           "kept at a restart: step 1 of 1" in x,
           "d where the kept run ended first: its end is shown, and said to be step 1")
    tm.keys(s, "Escape", ".")
    tm.wait_screen(s, r"step 2 · (?s:.*)Your move", what="the live run again")

    # another scene from the list: the deadlock run is kept, named by its scene
    tm.keys(s, "l", "Down", "Enter")
    scr = tm.wait_screen(s, r"lockstep │ (?!deadlock:)[\w-]+:", what="another scene to start")
    other = re.search(r"lockstep │ ([\w-]+):", scr).group(1)
    tm.keys(s, "v", "Enter")
    expect(s, lambda x: "run 10: 2 steps, stopped of deadlock, kept at a restart" in x,
           "v while another scene runs: the deadlock run, named with its scene")
    tm.keys(s, "d")
    expect(s, lambda x: "run 10 ran deadlock, the live run %s: d compares runs of one scene" % other
           in x, "d on a run of another scene says why it does not compare")
    tm.keys(s, "b", "b", "2")
    expect(s, lambda x: "lockstep │ deadlock:" in x and
           "a new branch: from the start, T2 moves first" in x,
           "a branch from a kept run of another scene re-runs that run's scene")
    settle(s, 1)
    expect(s, lambda x: "step 1: T2 moves" in pane(x, "Log"), "the branch: T2 took the first step")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0 (kept runs)")


def the_run_waits():
    s = tm.start_ls("producer-consumer", x=140, y=50)
    tm.wait_screen(s, "Your move")
    for i in range(1, 4):
        tm.keys(s, "s")
        settle(s, i)
    tm.keys(s, "space")
    tm.wait_screen(s, "RUN", what="the scene to run freely")
    tm.keys(s, "b")
    # the last moment before now: a tenth of a second of the free run, or
    # the last step if none has gone by yet
    tm.wait_screen(s, r"viewing (step 3 of 3|[0-9.]+ s of [0-9.]+ s \(running freely\))")
    tm.keys(s, ".")
    def header(x):
        lines = x.splitlines()
        return lines[1] if len(lines) > 1 else ""
    expect(s, lambda x: re.search(r"PAUSE|STEP", header(x)) and "RUN" not in header(x),
           "looking back paused the running scene")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")


def free_run_back():
    """A free run takes no steps: its moments are tenths of a second."""
    s = tm.start_ls("producer-consumer", "--speed=7", x=140, y=50)  # 10 ms a gate: well over 0.1 s
    tm.wait_screen(s, "FINISHED", what="the free run to finish")
    tm.keys(s, "b")
    scr = tm.wait_screen(s, r"viewing [0-9.]+ s of [0-9.]+ s \(running freely\)")
    tm.keys(s, ".", "t")
    expect(s, lambda x: "of wall time per column (z zooms, a activity, t hides)" in x,
           "t in a free run: wall time by default")
    tm.keys(s, "b")
    scr = tm.wait_screen(s, r"viewing [0-9.]+ s of [0-9.]+ s \(running freely\)")
    tm.keys(s, "1")
    tm.wait_screen(s, "this run went freely before that step")
    tap.check(True, "b in a free run: a tenth of a second back; no branch from there, said why")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0 (free run)")


def replay():
    rec = os.path.join(tmp, "deadlock.rec")
    r = headless("deadlock", "--record=" + rec)
    tap.check(r.rc == 3, "headless deadlock recorded", r.stderr)
    s = tm.start_ls("--replay=" + rec, x=140, y=50)
    expect(s, lambda x: re.search(r"recording .*step 0 of 5", x) and "RUNNABLE" in row(x, "T1")
           and "DEADLOCK" not in x, "--replay opens at step 0, nothing blocked yet")
    tm.keys(s, "s", "s")
    tm.wait_screen(s, "step 2 of 5")
    tm.keys(s, "1")
    tm.wait_screen(s, "a recording: nothing runs")
    tap.check(True, "a worker's key in a recording says nothing runs")
    tm.keys(s, "w", "w")  # any key clears the status line; w twice shows and hides the graph
    expect(s, lambda x: "a recording: nothing runs" not in x and
           "A recording: nothing runs. space plays" in flat(pane(x, "Narration")),
           "the narration of a recording says what its keys do")
    click_row(s, " T1 ")
    tm.wait_screen(s, ["a recording: nothing runs (space plays"])
    tap.check(True, "a click on a worker in a recording says nothing runs")
    tm.keys(s, "+", "+", "+", "+", "space")
    expect(s, lambda x: re.search(r"step 5 of 5(?s:.*)DEADLOCK", x) and
           "BLOCKED" in row(x, "T1") and "BLOCKED" in row(x, "T2"),
           "space plays the recording to its deadlock")
    tm.keys(s, "b")
    tm.wait_screen(s, "step 4 of 5")
    tap.check(True, "b steps back in a recording")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")

    # damaged: the valid prefix is shown, the damage named; exit 1
    with open(rec, "rb") as f:
        data = f.read()
    cut = os.path.join(tmp, "cut.rec")
    with open(cut, "wb") as f:
        f.write(data[:len(data) - 300])
    s = tm.start_ls("--replay=" + cut, x=140, y=50)
    expect(s, lambda x: re.search(r"record \d+ \(byte \d+\)", x) and row(x, "T1"),
           "a cut recording shows what came before the cut, and says where it is cut")
    tm.keys(s, "q")
    scr = tm.wait_screen(s, r"lockstep exited \d+")
    tap.check(tm.wait_exit(s) == 1 and re.search(r"cut\.rec: record \d+ \(byte \d+\)", scr),
              "quitting a cut recording says where on stderr, exit 1", scr)

    p = subprocess.run([LOCKSTEP, "--replay=" + os.path.join(tmp, "none.rec")],
                       capture_output=True, text=True, timeout=30)
    tap.check(p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and not p.stdout,
              "a missing recording: one line, exit 1, the terminal untouched", p)


def ui_record():
    """--record in the UI: what the class stepped is in the file."""
    rec = os.path.join(tmp, "ui.rec")
    s = tm.start_ls("deadlock", "--record=" + rec, x=140, y=50)
    tm.wait_screen(s, "Your move")
    for i, k in enumerate("1212", 1):
        tm.keys(s, k)
        settle(s, i)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0 (recording)")
    p = subprocess.run([LOCKSTEP, "--headless", "--replay=" + rec], capture_output=True,
                       text=True, timeout=60)
    grants = [json.loads(l)["worker"] for l in p.stdout.splitlines()
              if '"type":"grant"' in l]
    tap.check(grants == ["T1", "T2", "T1", "T2"],
              "--record in the UI: the steps the class took are in the recording", (grants, p.stderr))

    # --rerun in the UI: the real scene again, the recorded steps taken,
    # then the class's move; b looks back over them
    s = tm.start_ls("--rerun=" + rec, x=140, y=50)
    expect(s, lambda x: "the recorded steps are done (step 4): your move" in x and
           "DEADLOCK" in x and "BLOCKED" in row(x, "T1"),
           "--rerun in the UI: the recorded steps are taken again, on real threads")
    tm.keys(s, "b")
    expect(s, lambda x: "viewing step 3 of 4" in x, "--rerun: b looks back over the re-run steps")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0 (rerun)")


def ui_export():
    """e asks for the file to write the run so far to, offering a fresh
    <scene>-N.trace.json in the current directory: Enter writes it, Esc
    cancels, an existing file is replaced only after y, and a name that
    cannot be written is one line on the status line, never a crash or a
    hang (a FIFO)."""
    d = os.path.join(tmp, "exports")
    os.mkdir(d)
    os.mkfifo(os.path.join(d, "fifo"))
    os.mkdir(os.path.join(d, "sub"))
    s = tm.start(["sh", "-c", 'cd %s && %s deadlock; echo "lockstep exited $?"; exec cat'
                  % (d, LOCKSTEP)], 140, 50)
    tm.wait_screen(s, "Your move")
    for i, k in enumerate("12", 1):
        tm.keys(s, k)
        settle(s, i)
    ask = "export the trace to (Enter writes, Esc cancels): "
    tm.keys(s, "e")
    tm.wait_screen(s, [ask + "deadlock-1.trace.json"], what="e to offer deadlock-1.trace.json")
    tm.keys(s, "Enter")
    tm.wait_screen(s, "trace written to deadlock-1.trace.json")
    tm.keys(s, "e")
    tm.wait_screen(s, [ask + "deadlock-2.trace.json"], what="a second e to offer a new name")
    tm.keys(s, "Enter")
    tm.wait_screen(s, "trace written to deadlock-2.trace.json")
    tap.check(True, "e offers a fresh name each time; Enter writes it")

    def typed(name, *then):
        tm.keys(s, "e")
        tm.wait_screen(s, [ask], what="the prompt")
        tm.keys(s, "C-u")
        tm.literal(s, name)
        tm.keys(s, *then)

    typed("quit.json", "Enter")  # q, u, i, t are typed, not keys of lockstep
    tm.wait_screen(s, "trace written to quit.json")
    tap.check(True, "a name typed instead: written (its letters were not taken as keys)")
    with open(os.path.join(d, "quit.json")) as f:
        first = f.read()

    tm.keys(s, "1")  # the run moves on: a new export differs
    settle(s, 3)
    typed("quit.json", "Enter")
    tm.wait_screen(s, ["quit.json exists: replace it? (y/n, Esc cancels)"])
    tm.keys(s, "Enter")
    tm.keys(s, "n")
    tm.wait_screen(s, [ask + "quit.json"], what="n to go back to the name")
    tm.keys(s, "Escape")
    tm.wait_screen(s, "nothing exported")
    with open(os.path.join(d, "quit.json")) as f:
        tap.check(f.read() == first, "an existing file is not replaced by Enter, n or Esc")
    typed("quit.json", "Enter")
    tm.wait_screen(s, "quit.json exists: replace it?")
    tm.keys(s, "y")
    tm.wait_screen(s, "trace written to quit.json")
    with open(os.path.join(d, "quit.json")) as f:
        again = f.read()
    tap.check(again != first and json.loads(again)["traceEvents"],
              "y replaces it with the run so far", len(again))

    for name, said in [("nodir/x.json", "cannot write the trace nodir/x.json: No such file or directory"),
                       ("fifo", "fifo is not a regular file: nothing exported"),
                       ("sub", "sub is not a regular file: nothing exported")]:
        typed(name, "Enter")
        tm.wait_screen(s, [said], what=said)
        tap.check(True, "e to %s: one line says why, lockstep goes on" % name)
    typed("", "Enter")
    tm.wait_screen(s, "no file name: nothing exported")
    tm.keys(s, "e")
    tm.wait_screen(s, [ask])
    tm.keys(s, "Escape")
    tm.wait_screen(s, "nothing exported")
    tap.check(True, "an empty name or Esc: nothing exported")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0 (export)")
    with open(os.path.join(d, "deadlock-1.trace.json")) as f:
        ev = json.load(f)["traceEvents"]
    holds = {e["name"] for e in ev if e["ph"] == "b"}
    tap.check(holds == {"holds A", "holds B"}, "e: the trace holds the run so far (A and B taken)",
              holds)
    tap.check(sorted(os.listdir(d)) == ["deadlock-1.trace.json", "deadlock-2.trace.json", "fifo",
                                        "quit.json", "sub"],
              "nothing else was written", os.listdir(d))


tap.run(ui_export, "exporting a trace from the UI")
tap.run(ui_record, "recording from the UI")
tap.run(look_back, "looking back at a deadlock")
tap.run(branch, "a worker's key while looking back makes a new branch")
tap.run(kept_runs, "every run left behind is kept, recorded or not")
tap.run(the_run_waits, "the live run waits while the past is shown")
tap.run(free_run_back, "looking back at a free run")
tap.run(replay, "playing a recording")
shutil.rmtree(tmp, ignore_errors=True)
tap.done()
