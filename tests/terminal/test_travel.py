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

from lstmux import Tmux, Tap, pane

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


TL = "Timeline: a step per column, t hides"


def strips(scr):
    out = {}
    for line in pane(scr, TL).splitlines():
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
    z2 = "Timeline: 2 steps per column (z), t hides"
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
    tm.keys(s, ">")
    expect(s, lambda x: strips(x).get("T1") == "▶+▶■‼" and "4 now" in x, ">: back to now")
    tm.keys(s, "b")
    expect(s, lambda x: "viewing step 3 of 4" in x and "3 viewed" in x and
           strips(x).get("T1") == "▶+▶■",
           "t while looking back: the strips end at the step viewed")
    tm.keys(s, ".", "t")
    expect(s, lambda x: "Timeline" not in x, "t again hides the timeline")
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
    expect(s, lambda x: "run 1: 4 steps, deadlock, kept when a branch began: step 4 of 4" in x and
           "BLOCKED" in row(x, "T1") and "BLOCKED" in row(x, "T2"),
           "v: the first run, at its end: the deadlock")
    tm.keys(s, "b")
    expect(s, lambda x: "kept when a branch began: step 3 of 4" in x and "RUNNABLE" in row(x, "T2"),
           "b in the kept run: its step 3")
    tm.keys(s, "s", "s")
    expect(s, lambda x: "kept when a branch began: step 4 of 4" in x,
           "s past a kept run's last step stays at its end")
    tm.keys(s, "d")
    expect(s, lambda x: "they part at step 2: T2 moved in run 1, T1 in the live run" in x and
           "kept when a branch began: step 2 of 4" in x,
           "d: the step where the kept run and the live one part, shown")
    tm.keys(s, "v")
    expect(s, lambda x: "FINISHED" in x and "kept when" not in x and "viewing" not in x,
           "v again: the live run, finished")
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
    """e writes the run so far as a trace, in the current directory, and
    says where; a second e does not write over the first."""
    d = os.path.join(tmp, "exports")
    os.mkdir(d)
    s = tm.start(["sh", "-c", 'cd %s && %s deadlock; echo "lockstep exited $?"; exec cat'
                  % (d, LOCKSTEP)], 140, 50)
    tm.wait_screen(s, "Your move")
    for i, k in enumerate("12", 1):
        tm.keys(s, k)
        settle(s, i)
    tm.keys(s, "e")
    tm.wait_screen(s, "trace written to deadlock-1.trace.json")
    tm.keys(s, "e")
    tm.wait_screen(s, "trace written to deadlock-2.trace.json")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0 (export)")
    with open(os.path.join(d, "deadlock-1.trace.json")) as f:
        ev = json.load(f)["traceEvents"]
    holds = {e["name"] for e in ev if e["ph"] == "b"}
    tap.check(holds == {"holds A", "holds B"}, "e: the trace holds the run so far (A and B taken)",
              holds)


tap.run(ui_export, "exporting a trace from the UI")
tap.run(ui_record, "recording from the UI")
tap.run(look_back, "looking back at a deadlock")
tap.run(branch, "a worker's key while looking back makes a new branch")
tap.run(the_run_waits, "the live run waits while the past is shown")
tap.run(free_run_back, "looking back at a free run")
tap.run(replay, "playing a recording")
shutil.rmtree(tmp, ignore_errors=True)
tap.done()
