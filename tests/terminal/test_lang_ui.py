"""The terminal UI in Chinese (--lang=zh) at 80x24 and 120x40, in an
environment with no Chinese locale (the pane's locale is C): step into the
deadlock with 1 2 1 2 and read it in the course's words, while worker
states, names and keys stay as they are. Every screen is laid out by
display width: no line is wider than the terminal, and every pane's right
border is where its top corner says, so no wide character was split or
pushed a border out of place."""
import re
import unicodedata

import shlex

from lstmux import LOCKSTEP, Tmux, Tap, wait_for

tap = Tap()
tm = Tmux()


def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def layout_problems(screen, cols, rows, only=None):
    """What is wrong with the screen's layout, as a list of words. With
    only, just the boxes whose top row holds that text are followed (an
    overlay hides the borders of the panes under it)."""
    lines = screen.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    bad = []
    if len(lines) > rows:
        bad.append("%d lines on a %d-line terminal" % (len(lines), rows))
    for y, line in enumerate(lines):
        if width(line) > cols:
            bad.append("line %d is %d columns wide: %r" % (y, width(line), line))
        if "\ufffd" in line:
            bad.append("line %d has a broken character: %r" % (y, line))
    # each box: its top corners fix the columns of its side borders below
    boxes = []  # (left column, right column, first row)
    for y, line in enumerate(lines):
        col = 0
        cells = {}
        for ch in line:
            cells[col] = ch
            col += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for x, ch in cells.items():
            if ch == "┌":
                right = next((rx for rx in sorted(cells) if rx > x and cells[rx] == "┐"), None)
                if right is not None and (only is None or only in line):
                    boxes.append((x, right, y))
        for left, right, top in list(boxes):
            if y <= top:
                continue
            lc, rc = cells.get(left), cells.get(right)
            if lc == "└" and rc == "┘":
                boxes.remove((left, right, top))
            elif lc == "│" and rc not in ("│", "▲", "▼"):  # or a scroll mark
                bad.append("line %d: the pane from column %d has no right border at %d: %r"
                           % (y, left, right, line))
    return bad


def laid_out(s, needles, cols, rows, only=None, what="the screen", timeout=20):
    """Wait until the screen shows every needle and is laid out cleanly.
    tmux can be read in the middle of a frame, so one capture proves
    nothing; a layout that stays broken fails after the timeout.
    Returns (ok, screen, problems)."""
    def ready():
        sc = tm.screen(s)
        return sc if all(n in sc for n in needles) and \
            not layout_problems(sc, cols, rows, only) else None
    try:
        return True, wait_for(ready, what, timeout=timeout), ""
    except AssertionError:
        sc = tm.screen(s)
        return False, sc, "\n".join(layout_problems(sc, cols, rows, only)) + "\n" + sc


def step_to_deadlock(s, cols, rows):
    tm.wait_screen(s, ["该你了", "工作者"], what="the first move, in Chinese")
    ok, scr, why = laid_out(s, ["该你了", "工作者"], cols, rows)
    tap.check(ok, "%dx%d: the first screen fits" % (cols, rows), why)
    tap.check("暂停" in scr.splitlines()[1] and "T1" in scr and "RUNNABLE" in scr,
              "%dx%d: header in Chinese; names and states as they are" % (cols, rows), scr)
    tap.check(re.search(r"按 1（T1 . lock\(A\)）", scr) is not None,
              "%dx%d: the hint names the keys to press" % (cols, rows), scr)
    for n, k in enumerate("1212", 1):
        tm.keys(s, k)
        # the step is over when the next move is asked for, or the circle closed
        tm.wait_screen(s, r"步 %d\b[\s\S]*(该你了|死锁：)" % n, what="step %d to settle" % n)
    tm.wait_screen(s, ["‼ 死锁 ‼", "T1 → B → T2 → A → T1"], what="the deadlock")
    ok, scr, why = laid_out(s, ["‼ 死锁 ‼", "死锁：T1"], cols, rows)
    tap.check(ok, "%dx%d: the deadlock screen fits" % (cols, rows), why)
    tap.check(re.search(r"T1 +. BLOCKED", scr) and re.search(r"T2 +. BLOCKED", scr),
              "%dx%d: both workers BLOCKED (the state word the course shows)" % (cols, rows), scr)
    head = next((l for l in scr.splitlines() if "工作者" in l and "状态" in l), "")
    tap.check("持有" in head and "成立" not in head,
              "%dx%d: the workers' 'holds' column is what they hold (持有), not a condition "
              "that holds (成立)" % (cols, rows), scr)
    tap.check("B，被 T2 持有" in scr and "A，被 T1 持有" in scr,
              "%dx%d: each waits for a lock the other holds, in Chinese" % (cols, rows), scr)
    tap.check("死锁：T1 等待 B，被 T2 持有" in scr,
              "%dx%d: the narration names the circle" % (cols, rows), scr)
    tap.check("线程" in scr or "死锁的四个条件" in scr, "%dx%d: the course's words" % (cols, rows), scr)
    tap.check("q  退出" in scr or "q 退出" in scr, "%dx%d: the key bar in Chinese" % (cols, rows), scr)
    return scr


def deadlock_in(cols, rows):
    # as start_ls, in the C locale: --lang=zh must not need the environment's help
    cmd = "LC_ALL=C LANG=C LANGUAGE= %s --lang=zh deadlock" % shlex.quote(LOCKSTEP)
    s = tm.start(["sh", "-c", '%s; echo "lockstep exited $?"; exec cat' % cmd], cols, rows)
    scr = step_to_deadlock(s, cols, rows)
    if cols >= 120:
        tap.check("等待图" in scr and "互斥" in scr and "循环等待" in scr,
                  "%dx%d: the wait-for graph and the four conditions" % (cols, rows), scr)
    # the help overlay: the most text at once
    tm.keys(s, "?")
    tm.wait_screen(s, "帮助：按键", what="the help overlay")
    ok, scr, why = laid_out(s, ["帮助：按键"], cols, rows, only="帮助")
    tap.check(ok, "%dx%d: the help fits" % (cols, rows), why)
    tm.keys(s, "Escape")
    wait_for(lambda: "帮助：按键" not in tm.screen(s), "the help to close")
    # resized to the other size, the screen is laid out again
    other = (120, 40) if cols < 120 else (80, 24)
    tm.resize(s, *other)
    ok, sc, why = laid_out(s, ["‼ 死锁 ‼"], *other, what="the screen laid out again")
    tap.check(ok, "%dx%d resized to %dx%d: the screen fits" % (cols, rows, other[0], other[1]), why)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "%dx%d: q exits with status 0" % (cols, rows))


def operations_stay():
    """Operation names are the API the course's programs call (lock, join,
    pause, signal): in Chinese they stay as they are, even where the same
    word is also a translated word of the UI (the key bar's 'signal')."""
    s = tm.start_ls("--lang=zh", "signals", x=120, y=40)
    tm.wait_screen(s, "该你了", what="the first move")
    seen = ""
    for n in range(1, 13):
        tm.keys(s, "s")
        seen = tm.wait_screen(s, r"步 %d\b[\s\S]*该你了" % n, what="step %d to settle" % n)
        if "准备执行 signal" in seen:
            break
    tap.check("准备执行 signal" in seen and "准备执行 信号" not in seen and "▸ 信号" not in seen,
              "signals: main is ready to 'signal', the operation's own name", seen)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "signals: q exits with status 0")


def checker_catches():
    """The layout check fails on what it looks for."""
    good = "┌─ 锁 ─┐\n│ 中文 │\n└──────┘\n"
    tap.check(not layout_problems(good, 8, 3), "the layout check passes a good box",
              layout_problems(good, 8, 3))
    pushed = "┌─ 锁 ─┐\n│ 中文  │\n└──────┘\n"
    tap.check(layout_problems(pushed, 9, 3), "the layout check sees a border pushed out")
    marked = "┌─ 锁 ─┐\n│ 中文 ▲\n└──────┘\n"
    tap.check(not layout_problems(marked, 8, 3), "the layout check takes a scroll mark for a border")
    tap.check(layout_problems("中文中文中", 8, 1), "the layout check sees a line too wide")


tap.run(checker_catches, "the layout check")
tap.run(lambda: deadlock_in(80, 24), "deadlock in Chinese at 80x24")
tap.run(lambda: deadlock_in(120, 40), "deadlock in Chinese at 120x40")
tap.run(operations_stay, "operation names stay in Chinese")
tap.done()
