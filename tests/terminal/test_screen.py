"""A screen that never cuts or contradicts itself: each defect a lecturer
saw (issue 14), at the size it was seen, driven in tmux. Sessions start
together and are checked one after the other, so the test waits for the
slowest scene once, not for each."""
import re

from lstmux import Tmux, Tap, wait_for
from screenscan import column_lines

tap = Tap()
tm = Tmux()

ELL = "\u2026"


def steps(s, keys, what=None):
    """Press each key and wait for the step counter to move past it."""
    for k in keys:
        n = int(re.search(r"step (\d+)", tm.screen(s)).group(1))
        tm.keys(s, k)
        tm.wait_screen(s, r"step (%s)\b" % "|".join(str(n + i) for i in range(1, 4)),
                       what=what or "step %d" % (n + 1))
        wait_for(lambda: "Moving..." not in tm.screen(s), "step %d to settle" % (n + 1))


def within(pred, timeout):
    """Whether pred() comes true before the deadline (for a check that may
    fail without stopping the test)."""
    try:
        wait_for(pred, "a change", timeout=timeout)
        return True
    except AssertionError:
        return False


def start(*args, x=120, y=40):
    s = tm.start_ls(*args, x=x, y=y)
    return s


def ready(s):
    return tm.wait_screen(s, r"step 0\b[\s\S]*Your move", what="the first screen", timeout=30)


def pane_rows(scr, title):
    """The inner text of a boxed pane's rows, by its title; [] when absent."""
    lines = column_lines(scr.rstrip("\n"))
    for y, line in enumerate(lines):
        i = line.find(" %s " % title)
        if i < 0:
            continue
        left = line.rfind("\u250c", 0, i)
        if left < 0:
            left = line.rfind("+", 0, i)
        right = line.find("\u2510", i)
        if right < 0:
            right = line.find("+", i + len(title))
        out = []
        for row in lines[y + 1:]:
            if len(row) <= right or row[left] in "\u2514+" or row[left] not in "\u2502|":
                break
            out.append(row[left + 1:right + 1].replace("\0", ""))
        return out
    return []


# start every session first: they come up together
S = {}
S["dl120"] = start(x=120, y=40)
S["dl100"] = start(x=100, y=30)
S["dl80"] = start(x=80, y=24)
S["dl200"] = start(x=200, y=60)
S["ph80"] = start("philosophers", x=80, y=24)
S["proj"] = start("--theme=projector", x=100, y=30)
S["ascii"] = start("--ascii", x=100, y=30)
S["wd80"] = start("deadlock-watchdog", x=80, y=24)
S["wd120"] = start("deadlock-watchdog", x=120, y=40)
S["bar"] = start("barrier", x=100, y=30)
S["race"] = start("race", x=100, y=30)
S["crowd"] = start("crowd", x=100, y=30)
S["pc"] = start("producer-consumer", x=120, y=40)
S["sem"] = start("semaphore", x=120, y=40)
S["sig"] = start("signals", x=200, y=60)
S["ev"] = start("event", "--param", "setter=user", x=120, y=40)

# -- the deadlock's narration: all of it reachable, nothing cut unmarked --
s = S["dl120"]
ready(s)
tap.check("\u2016 PAUSE" in tm.screen(s).splitlines()[1], "a fresh scene says PAUSE")
scr = ready(S["dl200"])
tap.check("Two threads, two locks" in scr
          and "When each holds" not in scr,
          "the scene introduces itself once: its own words, not the summary too", scr)
steps(s, "1212")
scr = tm.wait_screen(s, "DEADLOCK")
tap.check("\u2016 PAUSE" in scr.splitlines()[1] and "STEP" not in scr.splitlines()[1],
          "after steps the same state still says PAUSE", scr.splitlines()[1])
nar = pane_rows(scr, "Narration")
text = " ".join(r.strip(" \u25b2\u25bc\u2502") for r in nar)
complete = "Press r to restart, l for another scene." in text
tap.check(complete or nar[-1].endswith("\u25bc"),
          "the deadlock's hint is whole, or the pane shows \u25bc", "\n".join(nar))
tap.check(not re.search(r"can ever\s*$", nar[-1].rstrip("\u2502 ")) or nar[-1].endswith("\u25bc"),
          "the narration never stops at 'can ever' unmarked", "\n".join(nar))
# the focused narration scrolls with the pane keys
def focused(scr):
    m = re.search(r"\u25c6 (\w[\w -]*\w) ", scr)
    return m.group(1) if m else None


for _ in range(8):
    was = focused(tm.screen(s))
    if was == "Narration":
        break
    tm.keys(s, "Tab")
    wait_for(lambda: focused(tm.screen(s)) != was, "the focus to move")
tm.wait_screen(s, "\u25c6 Narration", what="the narration focused")
scr = tm.screen(s)
before = pane_rows(scr, "Narration")
for key in ("j", "Down", "NPage"):
    tm.keys(s, "Home")
    tm.wait_screen(s, re.escape(before[0].strip(" \u2502\u25b2\u25bc")), what="the top")
    tm.keys(s, key)
    moved = within(lambda: pane_rows(tm.screen(s), "Narration") != before, 5)
    tap.check(moved and "\u25b2" in "".join(pane_rows(tm.screen(s), "Narration")),
              "%s scrolls the focused narration" % key, tm.screen(s))

# the graph's legend says workers are square and objects round: so in a cycle
lines = tm.screen(S["dl120"]).splitlines()
shape = {}
for y, line in enumerate(lines):
    for name in ("T1", "A"):
        i = line.find("\u2503 \u203c %s " % name)
        if i >= 0 and y > 0:
            shape[name] = lines[y - 1][i]
tap.check(shape.get("T1") == "\u250f" and shape.get("A") == "\u256d",
          "in the cycle a worker's box is square, an object's round, as the legend says", shape)

# each worker has one box: main's join of T1, in the circle, is said in words
s = S["wd120"]
ready(s)
steps(s, "12120")  # the circle forms, then main joins T1
tm.keys(s, "w")
scr = tm.wait_screen(s, "Wait-for graph", what="the graph")
g = "\n".join(pane_rows(scr, "Wait-for graph"))
boxes_t1 = len(re.findall(r"[\u2502\u2503] (?:\u203c )?T1 +[\u2502\u2503]", g))
tap.check(boxes_t1 == 1, "T1 is drawn once in the graph", g)
tap.check("main waits for T1" in g, "the edge to a drawn box is said in words", g)

# -- at 100x30 no stray tail of a paragraph ("deadlock-watchdog).") --
s = S["dl100"]
ready(s)
steps(s, "1212")
scr = tm.wait_screen(s, "DEADLOCK")
nar = pane_rows(scr, "Narration")
tap.check(not any(r.strip(" \u2502\u25b2\u25bc").startswith("deadlock-watchdog)") for r in nar),
          "no stray 'deadlock-watchdog).' line in the narration", "\n".join(nar))
story = [r.strip(" \u2502\u25b2\u25bc") for r in nar]
tap.check(story and story[0].startswith("DEADLOCK"), "the narration starts with what to do", "\n".join(nar))
cond = pane_rows(scr, "Four conditions for deadlock")
tap.check(any("T1 \u2192 B \u2192 T2 \u2192 A \u2192 T1" in r for r in cond)
          and "T1 \u2192 B \u2192 T2 \u2192 A \u2192 T1" in scr.splitlines()[1],
          "the header and the conditions pane write the cycle with one arrow", scr)
tap.check("->" not in "\n".join(cond), "no ASCII arrow in UTF-8 mode", "\n".join(cond))
foot = scr.splitlines()[-1]
tap.check(re.search(r"space run  s \u2192 step  1-9 0 worker  \+ - speed", foot) is not None,
          "at 100 columns each key sits next to its own word", foot)

# -- the help at 80x24 cuts nothing unmarked --
s = S["dl80"]
ready(s)
LOCKS80 = tm.screen(s, attrs=True)
tm.keys(s, "?")
scr = tm.wait_screen(s, "Help: keys")
tap.check("(round-robi" not in scr.replace("(round-robin)", ""), "the help does not cut '(round-robin)'", scr)
tap.check("(round-robin)" in scr, "the help wraps the long line instead", scr)
first = [l for l in pane_rows(scr, "Help: keys (? or Esc closes)") if l.strip()][0]
tm.keys(s, "NPage")
tap.check(within(lambda: first not in tm.screen(s), 5), "PgDn scrolls the help like a pane", first)
tm.keys(s, "End")
tap.check(within(lambda: "process ended" in tm.screen(s), 5), "End shows the help's last lines")
tm.keys(s, "Escape")
tm.wait_screen(s, r"^(?![\s\S]*Help: keys)", what="the help to close")
foot = tm.screen(s).splitlines()[-1]
tap.check("+ - speed" in foot and "Tab focus" in foot, "at 80 columns + - and Tab stay in the key bar", foot)
tap.check(re.search(r"space run  s \u2192 step", foot) is not None,
          "at 80 columns each key sits next to its own word", foot)

tm.keys(s, "l")
scr = tm.wait_screen(s, "Scenes: arrows", what="the scene list")
rows = [r.strip(" \u2502") for r in pane_rows(scr, "Scenes: arrows choose, Enter starts, Esc cancels")]
last = [r for r in rows if r][-1]
tap.check(last.endswith(".") or last.endswith(ELL),
          "the scene list's summary ends whole or with an ellipsis", "\n".join(rows))
tap.check(any(r.endswith("\u25bc") for r in pane_rows(scr, "Scenes: arrows choose, Enter starts, Esc cancels")),
          "the scene list shows \u25bc when more scenes follow", scr)
tm.keys(s, "Escape")
tm.wait_screen(s, r"^(?![\s\S]*Scenes: arrows)", what="the scene list to close")

# -- the alarm keeps what to press at 80x24 --
s = S["ph80"]
ready(s)
steps(s, "s" * 11)  # s steps main (its join) first, then P1..P5 twice
scr = tm.wait_screen(s, "DEADLOCK")
tap.check("(r restarts)" in scr.splitlines()[1], "the alarm bar keeps '(r restarts)' at 80 columns",
          scr.splitlines()[1])
tap.check(ELL in scr.splitlines()[1], "the long cycle gives way, with an ellipsis", scr.splitlines()[1])

# -- colour and glyphs: no red cell on a free lock, no vanishing glyph --
att = LOCKS80
rows = [l for l in att.splitlines() if "free" in l and "no waiters" in l]
tap.check(len(rows) == 2, "both locks are listed free", att)
# the cells before the lock's name: no reverse video, no red background
prefix = [l.split("\u2502", 1)[1].split("free")[0].split("A")[0].split("B")[0] for l in rows]
tap.check(all(not re.search(r"\x1b\[(?:[0-9;]*;)?(7|41)(?:;[0-9;]*)?m", p) for p in prefix),
          "a free lock's row has no alarm cell", "\n".join(repr(p) for p in prefix))
s = S["proj"]
ready(s)
steps(s, "1212")
tm.wait_screen(s, "DEADLOCK")
att = tm.screen(s, attrs=True)
blocks = [m.group(0) for m in re.finditer(r"(?:\x1b\[[0-9;]*m)+(?=\u2588\u2588)", att)]
tap.check(len(blocks) >= 2, "the projector's large BLOCKED glyph is drawn", att)
tap.check(all(not re.search(r"\x1b\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m", b) for b in blocks),
          "the large glyph is never in reverse video (it would vanish)", repr(blocks))

# -- ASCII mode: the arrow is -> everywhere, the key bar has no '?' for it --
s = S["ascii"]
ready(s)
foot = tm.screen(s).splitlines()[-1]
tap.check("s ?" not in foot and re.search(r"\bs step\b", foot) is not None,
          "--ascii: the key bar shows 's step', not 's ?'", foot)
steps(s, "1212")
scr = tm.wait_screen(s, "DEADLOCK")
tap.check("T1 -> B -> T2 -> A -> T1" in scr.splitlines()[1]
          and "T1 -> B -> T2 -> A -> T1" in "\n".join(pane_rows(scr, "Four conditions for deadlock")),
          "--ascii: the header and the conditions pane write the cycle with ->", scr)
tap.check("?" not in scr.replace("? help", ""), "--ascii: no '?' stands for a glyph", scr)

# -- one format for each counter, in every scene --
fmt = re.compile(r"events \d+ \u00b7 step \d+ \u00b7 (virtual \d+\.\d{3}s \u00b7 )?\d\d:\d\d\s*$")
s = S["wd80"]
ready(s)
steps(s, "ssssss")
h80 = tm.screen(s).splitlines()[0]
tap.check(fmt.search(h80) is not None and "virtual" in h80,
          "deadlock-watchdog at 80 columns: the same counters, virtual clock included", h80)
h120 = tm.screen(S["dl120"]).splitlines()[0]
tap.check(fmt.search(h120) is not None, "deadlock at 120 columns: the same counters", h120)

# -- an object's kind said once; counts agree in number --
s = S["bar"]
ready(s)
steps(s, "s" * 11)
scr = tm.wait_screen(s, "arrived")
tap.check("barrier barrier" not in scr and "barrier (barrier)" not in scr,
          "a barrier named 'barrier' is not called 'barrier barrier'", scr)
s = S["race"]
ready(s)
steps(s, "ssss")
scr = tm.wait_screen(s, r"balance = \d+")
tap.check("(1 writes)" not in scr and "(1 write)" in scr, "one write is '1 write'", scr)

# -- presenter counts: a crowd's census, a buffer's and a semaphore's invariant --
STATES = "NEW|RUNNABLE|BLOCKED|WAITING|TIMED_WAITING|TERMINATED|ZOMBIE"
s = S["crowd"]
ready(s)
steps(s, "s" * 12)
scr = tm.screen(s)
m = re.search(r"(\d+) workers: ((?:\d+ (?:%s)(?:, )?)+)" % STATES, scr)
tap.check(m is not None, "a crowd gets a one-line census in the workers pane", scr)
if m:
    parts = re.findall(r"(\d+) (%s)" % STATES, m.group(2))
    counts = [int(n) for n, _ in parts]
    tap.check(sum(counts) == int(m.group(1)) == 1001,
              "the census adds up to every worker (main and 1000 threads)", m.group(0))
    tap.check(counts == sorted(counts, reverse=True), "the largest group comes first", m.group(0))
    blocked = dict((st, int(n)) for n, st in parts).get("BLOCKED", 0)
    tap.check(blocked > 0, "after steps some of the crowd is BLOCKED", m.group(0))
tm.keys(S["crowd"], "End")
tap.check(within(lambda: re.search(r"\bw1000\b", tm.screen(S["crowd"])) is not None, 10),
          "End in the workers pane reaches the crowd's last worker past the census", tm.screen(S["crowd"]))
s = S["pc"]
ready(s)
steps(s, "1" * 3 + "3")
scr = tm.screen(s)
m = re.search(r"put (\d+) - got (\d+) = (\d+) in buffer", scr)
tap.check(m is not None and int(m.group(1)) - int(m.group(2)) == int(m.group(3)),
          "a buffer shows put - got = in buffer", scr)
if m:
    items = re.search(r"buffer\s+(\d+)/\d+ items", scr)
    tap.check(items is not None and int(items.group(1)) == int(m.group(3)) == 2,
              "and it agrees with the items shown (3 puts, 1 get)", scr)
s = S["sem"]
ready(s)
steps(s, "sss")  # main's join first, then T1 and T2 acquire
scr = tm.screen(s)
m = re.search(r"(\d+) permits: (\d+) held, (\d+) free", scr)
tap.check(m is not None and int(m.group(1)) == int(m.group(2)) + int(m.group(3)),
          "a semaphore shows permits: held, free", scr)
tap.check(m is not None and int(m.group(2)) == 2, "two acquires, two permits held", m and m.group(0))

# -- signals: each stall waiting for ! is explained once, not at every wait --
s = S["sig"]
ready(s)
stalls = 0
for _ in range(60):
    scr = tm.screen(s)
    if "Your move" in scr:
        steps(s, "s")
    elif "press ! to send one" in scr:
        stalls += 1
        n = int(re.search(r"step (\d+)", scr).group(1))
        tm.keys(s, "!")
        tm.wait_screen(s, "Send a signal|signal to", what="the signal menu")
        tm.keys(s, "Enter")
        tm.keys(s, "Enter")
        wait_for(lambda: "press ! to send one" not in tm.screen(s)
                 or int(re.search(r"step (\d+)", tm.screen(s)).group(1)) > n, "the signal's effect")
        wait_for(lambda: "Moving..." not in tm.screen(s), "the signal to settle")
    else:
        break
    if stalls >= 3:
        break
nar = "\n".join(pane_rows(tm.screen(s), "Narration"))
tap.check(stalls >= 2, "signals waited for ! more than once", tm.screen(s))
tap.check(nar.count("Stall: every live worker waits") <= 1,
          "the stall's explanation is not repeated at every wait for !", nar)

# -- a press before the scene asks: kept, and said so --
s = S["ev"]
ready(s)
tm.keys(s, "k")
scr = tm.wait_screen(s, r"k pressed", what="the key's notice")
tap.check("nobody was waiting for it yet" not in scr,
          "an early k is not called wasted (the scene takes it later)", scr.splitlines()[-1])
for _ in range(12):
    if "SET" in tm.screen(s) or "Your move" not in tm.screen(s):
        break
    steps(s, "s")
scr = tm.screen(s)
tap.check("SET" in scr and "press k" not in scr,
          "the early press is the one the setter takes: the event is set without asking again", scr)

for name in S.values():
    tm.keys(name, "q")
for name in S.values():
    tap.check(tm.wait_exit(name) == 0, "q exits cleanly")
tap.done()
