"""The schedule explorer in the terminal UI (issue 16).

- `x` lists the goals (deadlock, stall, crash and the scene's own); Enter
  searches in a child lockstep while the UI stays live, with a progress
  box; the result tells the witness with its preemption in words.
- Enter loads the witness: the scene starts again, paused, and `s` steps
  exactly the witness, a strip saying which step comes next and, at the
  preemption, who is switched in while whom holds what; it deadlocks.
- x hides the search's box: the strip counts its runs and the scene on
  screen can be stepped meanwhile; x shows it again.
- Esc cancels a search: the explorer and every run of it are gone.
- `m` maps every schedule as a tree; the cursor starts on the first one
  that deadlocks; Enter replays it; the strip gives the distance to the
  deadlock from the step the run is at, and says "safe" where no schedule
  from there deadlocks.
"""
import os
import re
import sys

from lstmux import Tmux, Tap, children, mouse_click

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import wait_for  # noqa: E402

tap = Tap()
tm = Tmux()


def expect(s, pred, name, timeout=60):
    """One check: the screen reaches a state where pred holds (a frame
    reaches tmux a few lines at a time: wait for the whole state)."""
    try:
        scr = wait_for(lambda: (lambda x: x if pred(x) else None)(tm.screen(s)), name,
                       timeout=timeout)
    except AssertionError as e:
        tap.check(False, name, "%s\n%s" % (e, tm.screen(s)))
        return tm.screen(s)
    tap.check(True, name)
    return scr


def strip(scr):
    """The explorer's strip: the line above the key bar."""
    lines = scr.rstrip("\n").splitlines()
    return lines[-2] if len(lines) >= 2 else ""


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def lockstep_pid(s):
    kids = children(tm.pane_pid(s))  # the shell start_ls runs lockstep under
    return kids[0] if kids else -1


# ---- x: the witness, found while the UI stays live, then stepped ----

s = tm.start_ls("deadlock", x=120, y=40)
expect(s, lambda x: "Your move" in x, "the scene is up")
tm.keys(s, "x")
expect(s, lambda x: "Explore: which goal?" in x and all(
    g in x for g in (" deadlock", " stall", " crash")),
    "x lists the goals: deadlock, stall, crash")
tm.keys(s, "Enter")
scr = expect(s, lambda x: "deadlock reaches deadlock in run" in x,
             "Enter searches and tells the result")
tap.check("5 steps, 1 preemption" in scr and
          "T2: lock B  (here T2 is switched in while T1 holds A)" in scr and
          "deadlock: T1 → B → T2 → A → T1" in scr,
          "the result: the shortest story, its preemption in words, the cycle", scr)
tm.keys(s, "Enter")
scr = expect(s, lambda x: strip(x).strip().startswith("witness 1/5: main join(T1)") and
             "step 0 ·" in x, "Enter loads the witness: the scene again at step 0, paused")
above = scr.rstrip("\n").splitlines()[-3]
tap.check(above.startswith("└") and above.rstrip().endswith("┘"),
          "the strip has a row of its own: the panes end above it, borders whole", scr)
steps = [(2, "witness 2/5: T1 lock(A)"),
         (3, "witness 3/5: T2 lock(B) · here T2 is switched in while T1 holds A"),
         (4, "witness 4/5: T2 lock(A)"),
         (5, "witness 5/5: T1 lock(B)")]
for n, want in steps:
    tm.keys(s, "s")
    expect(s, lambda x, w=want: w in strip(x), "s steps the witness: %s" % want)
tm.keys(s, "s")
scr = expect(s, lambda x: "DEADLOCK" in x and "witness done: 5 steps" in strip(x),
             "the fifth step deadlocks, as the witness said")
tap.check("T1 → B → T2 → A → T1" in scr, "the cycle the explorer named", scr)
tm.keys(s, "q")
tap.check(tm.wait_exit(s) == 0, "q quits, exit 0")

# ---- Esc cancels a long search; nothing of it is left ----

s = tm.start_ls("philosophers", x=120, y=40)
expect(s, lambda x: "Your move" in x, "philosophers is up")
ls = lockstep_pid(s)
tm.keys(s, "x")
expect(s, lambda x: "Explore: which goal?" in x, "x opens the goals")
tm.keys(s, "Enter")
scr = expect(s, lambda x: re.search(r"[1-9]\d* runs · \d+ runs/s", x) and "Esc cancels" in x,
             "a progress box: runs and runs/s, and how to cancel")
tap.check("s of 30 s" in scr, "the progress bar counts the budget's seconds", scr)
explorers = [p for p in children(ls) if "--explore" in cmdline(p)]
tap.check(len(explorers) == 1, "the search is one child lockstep --explore",
          [(p, cmdline(p)) for p in children(ls)])
tm.keys(s, "x")
expect(s, lambda x: re.search(r"exploring deadlock: \d+ runs \(x shows it\)", strip(x)) and
       "Exploring philosophers" not in x, "x hides the box; the strip counts the search's runs")
tm.keys(s, "s")
expect(s, lambda x: "step 1 ·" in x and "Your move" in x,
       "the scene is the user's meanwhile: s steps it")
tm.keys(s, "x")
expect(s, lambda x: "Exploring philosophers for deadlock" in x, "x shows the search again")
tm.keys(s, "Escape")
expect(s, lambda x: "cancelled after" in x, "Esc cancels and says so")
try:
    wait_for(lambda: len(children(ls)) == 1 and
             not any("--explore" in cmdline(p) for p in children(ls)),
             "only the scene's host left under lockstep", timeout=30)
    tap.check(True, "the explorer and its runs are gone: only the scene's host is left")
except AssertionError as e:
    tap.check(False, "the explorer and its runs are gone: only the scene's host is left",
              "%s: %s" % (e, [(p, cmdline(p)) for p in children(ls)]))
tm.keys(s, "Escape")
scr = expect(s, lambda x: "Explorer: the result" not in x and "Your move" in x,
             "Esc closes the result; the scene is as it was")
tm.keys(s, "q")
tap.check(tm.wait_exit(s) == 0, "q quits, exit 0")

# ---- quitting while a search runs in the background leaves nothing ----

s = tm.start_ls("philosophers", x=120, y=40)
expect(s, lambda x: "Your move" in x, "philosophers is up again")
ls = lockstep_pid(s)
tm.keys(s, "x")
expect(s, lambda x: "Explore: which goal?" in x, "x opens the goals again")
tm.keys(s, "Enter")
expect(s, lambda x: re.search(r"[1-9]\d* runs · ", x), "a search is under way")
explorers = [p for p in children(ls) if "--explore" in cmdline(p)]
tm.keys(s, "x")
expect(s, lambda x: "exploring deadlock:" in strip(x), "hidden, it goes on")
tm.keys(s, "q")
tap.check(tm.wait_exit(s) == 0, "q quits while it runs, exit 0")
gone = not any(os.path.exists("/proc/%d" % p) and "--explore" in cmdline(p) for p in explorers)
tap.check(len(explorers) == 1 and gone, "the search ended with lockstep", explorers)

# ---- m: the map, a leaf replayed, the distance to danger ----

s = tm.start_ls("deadlock", x=120, y=40)
expect(s, lambda x: "Your move" in x, "the scene is up again")
tm.keys(s, "m")
scr = expect(s, lambda x: "Map of deadlock for deadlock" in x and "every schedule run:" in x,
             "m maps every schedule", timeout=900)
head = re.search(r"every schedule run: (\d+) · ‼ deadlock (\d+) · ✓ finished (\d+)", scr)
tap.check(head and int(head.group(1)) == int(head.group(2)) + int(head.group(3)) and
          int(head.group(2)) > 0, "the map's counts add up: deadlocks and finished runs", scr)
total = int(head.group(1)) if head else -1
cur = [l for l in scr.splitlines() if "→" in l and "‼ deadlock" in l]
tap.check(len(cur) == 1, "the cursor starts on a schedule that deadlocks", scr)
tap.check(re.search(r"▾ main\s+‼\d+ ✓\d+", scr) is not None,
          "a branch shows how many of its schedules end each way, by glyph", scr)
tm.keys(s, "n")
scr2 = expect(s, lambda x: [l for l in x.splitlines() if "→" in l and "‼ deadlock" in l] and
              [l for l in x.splitlines() if "→" in l] != cur, "n moves to the next deadlock")
# a click on a branch opens or closes it: the first row, main, closes
rows_ = scr2.splitlines()
y = next((i for i, l in enumerate(rows_) if "▾ main" in l), -1)
mouse_click(tm, s, rows_[y].index("main") if y >= 0 else 0, y)
expect(s, lambda x: "▸ main" in x and not re.search(r"‼ deadlock\s+│", x),
       "a click on a branch closes it: no schedule of it shows")
mouse_click(tm, s, rows_[y].index("main") if y >= 0 else 0, y)
expect(s, lambda x: "▾ main" in x, "a second click opens it again")
tm.keys(s, "n")
scr2 = expect(s, lambda x: [l for l in x.splitlines() if "→" in l and "‼ deadlock" in l],
              "n shows a deadlock again")
# a click on the chosen schedule (the cursor's row) steps through it, as Enter does
rows_ = scr2.splitlines()
y = next((i for i, l in enumerate(rows_) if "→" in l and "‼ deadlock" in l), -1)
x = rows_[y].index("‼") if y >= 0 else 0
mouse_click(tm, s, x, y)
scr = expect(s, lambda x: "map schedule (deadlock) 1/" in strip(x),
             "a click on the chosen schedule replays it")
m = re.search(r"danger: deadlock in (\d+) steps \((\d+) of (\d+) schedules from here\)", strip(scr))
tap.check(m and int(m.group(2)) == int(head.group(2) if head else -1) and int(m.group(3)) == total,
          "at the start: the distance to the nearest deadlock, of all schedules", strip(scr))
for i in range(12):
    scr = tm.screen(s)
    if "deadlock reached" in strip(scr):
        break
    tm.keys(s, "s")
    expect(s, lambda x, n=i + 1: "step %d ·" % n in x and ("Your move" in x or "DEADLOCK" in x),
           "step %d settles" % (i + 1))
scr = expect(s, lambda x: "deadlock reached" in strip(x) and "DEADLOCK" in x,
             "the replayed schedule deadlocks, and the strip says the goal is reached")
# off the map's schedule: main, T1, T1 is a branch where nothing deadlocks
tm.keys(s, "r")
expect(s, lambda x: "step 0 ·" in x and "Your move" in x and "1/" in strip(x),
       "r starts it again, the schedule still loaded")
for k, n in (("0", 1), ("1", 2), ("1", 3)):
    tm.keys(s, k)
    expect(s, lambda x, n=n: "step %d ·" % n in x and "Your move" in x, "key %s steps" % k)
scr = expect(s, lambda x: "off map schedule (deadlock)" in strip(x) and
             "safe: no schedule from here reaches deadlock" in strip(x),
             "another worker's key leaves the schedule; from main, T1, T1 nothing deadlocks")
tm.keys(s, "q")
tap.check(tm.wait_exit(s) == 0, "q quits, exit 0")

# ---- a scene's own goals are offered too ----

s = tm.start_ls("race", x=120, y=40)
expect(s, lambda x: "Your move" in x, "race is up")
tm.keys(s, "x")
expect(s, lambda x: "Explore: which goal?" in x and " lost-update" in x,
       "x offers race's own goal, lost-update, beside deadlock, stall and crash")
tm.keys(s, "Escape")
expect(s, lambda x: "Explore: which goal?" not in x, "Esc closes the goals")
tm.keys(s, "q")
tap.check(tm.wait_exit(s) == 0, "q quits, exit 0")

# ---- a scene that only runs freely has nothing to explore ----

s = tm.start_ls("io-vs-cpu", x=120, y=40)
expect(s, lambda x: "io-vs-cpu" in x, "a free-running scene is up")
tm.keys(s, "x")
expect(s, lambda x: "no schedules to explore" in x, "x says it has no schedules to explore")
tm.keys(s, "q")
tap.check(tm.wait_exit(s) == 0, "q quits, exit 0")
tap.done()
