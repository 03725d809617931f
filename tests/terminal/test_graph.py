"""The deadlock panes (issue 7): stepping the deadlock scene into its
deadlock (1 2 1 2) opens the wait-for graph with the cycle drawn and the four
conditions, all holding, with the scene that shows each fix; the kernel's
column agrees (both threads sleep: S). The philosophers' documented schedule
draws the 5-cycle, and ten philosophers still make a drawing. w and c toggle the panes and are in the help. --ascii
draws only ASCII. At 80x24 it all still reads."""
import re
import subprocess

from lstmux import LOCKSTEP, Tmux, Tap, pane

tap = Tap()
tm = Tmux()

CONDS = ["Mutual exclusion", "Hold and wait", "No preemption", "Circular wait"]


def step_keys(s, keys):
    """Press each key once the previous step has shown on screen: in the
    header's "step N ·" ("step N ." in ASCII), never the key bar's
    "step 1-9", which would let the keys run ahead of the steps."""
    for k in keys:
        m = re.search(r"step (\d+)", tm.screen(s))
        n = int(m.group(1)) if m else 0
        tm.keys(s, k)
        tm.wait_screen(s, r"step %d [·.] " % (n + 1), what="step %d" % (n + 1))


def conditions_hold(scr, label):
    conds = pane(scr, "Four conditions")
    for c in CONDS:
        ok = re.search(r"(●|\[x\]) %s: seen now" % c, conds) is not None
        tap.check(ok, "%s: the state shows %s, with its glyph" % (label, c), conds)
    tap.check("not seen now" not in conds, "%s: no condition is missing" % label, conds)
    return conds


DEFINITIONS = ["One owner at a time; the rest wait.", "Holds one resource, waits for another.",
               "Only its owner lets go of a resource.", "The waits close a circle."]


def conditions_after_restart():
    """After r nobody waits, yet a mutex is still exclusive and only its
    owner releases it: each condition keeps its definition, the locks it is
    always true of, and says separately that this state does not show it."""
    s = tm.start_ls(x=120, y=40)
    tm.wait_screen(s, "Your move")
    step_keys(s, "1212")
    tm.wait_screen(s, ["DEADLOCK", "Four conditions"], what="the deadlock")
    tm.keys(s, "r")
    scr = tm.wait_screen(s, ["step 0 ·", "Your move", "Always true of the locks here: A, B"],
                         what="the restarted scene, settled, its locks declared")
    conds = pane(scr, "Four conditions")
    flat = " ".join(conds.split())
    tap.check("does not hold" not in conds, "after r: no condition is said not to hold", conds)
    for c in CONDS:
        tap.check(re.search(r"(○|\[ \]) %s: not seen now" % c, conds) is not None,
                  "after r: %s is not seen in this state, with its glyph" % c, conds)
    for d in DEFINITIONS:
        tap.check(d in flat, "after r: the definition is shown: %s..." % d, conds)
    tap.check(flat.count("Always true of the locks here: A, B") == 2,
              "after r: mutual exclusion and no preemption stay true of the locks A and B", conds)
    tap.check("?" not in conds, "after r: no witness names a worker or object that is not there", conds)
    tap.check("Now: nobody waits for an owned resource" in flat and
              "Now: the waits form no circle" in flat, "after r: what this state shows, separately", conds)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "after r: q exits with status 0")


def deadlock_120x40():
    s = tm.start_ls()
    tm.wait_screen(s, "Your move")
    scr = tm.screen(s)
    tap.check("Wait-for graph" not in scr, "no graph before anyone waits", scr)
    step_keys(s, "1212")
    scr = tm.wait_screen(s, ["DEADLOCK", "Wait-for graph", "Four conditions"],
                         what="the deadlock panes to open by themselves")
    g = pane(scr, "Wait-for graph")
    for n in ("T1", "T2", "A", "B"):
        tap.check("┃ ‼ %s" % n in g, "graph: %s is a box marked on the cycle" % n, g)
    tap.check("━waits for━━▶" in g and "held by" in g,
              "graph: the cycle's arrows are drawn heavy, with their labels", g)
    tap.check(re.search(r"┃ ‼ T1 ┃━waits for━+▶┃ ‼ B", g) is not None,
              "graph: T1 waits for B, as an arrow", g)
    tap.check("▲" in g and "▼" in g and "◀" in g, "graph: the ring closes", g)
    tap.check("DEADLOCK" in g, "graph: it says deadlock", g)
    conds = conditions_hold(scr, "120x40")
    tap.check("deadlock-ordered" in conds and "deadlock-watchdog" in conds,
              "conditions: where to see each fix", conds)
    tap.check("T1 holds A while it waits for B" in conds, "conditions: hold and wait has its witness",
              conds)
    flat = " ".join(conds.split())
    tap.check(all(d in flat for d in DEFINITIONS), "conditions: each one's definition", conds)
    tap.check("Now: T2 owns B, and T1 waits for it" in flat, "conditions: mutual exclusion has its witness",
              conds)
    # the kernel agrees: both deadlocked threads sleep
    tap.check("kernel" in pane(scr, "Workers"), "the workers pane has the kernel's column", scr)
    scr = tm.wait_screen(s, r"T1 +. BLOCKED +S\b[^\n]*\n[^\n]*T2 +. BLOCKED +S\b",
                         what="the kernel to show T1 and T2 sleeping")
    tap.check(True, "the kernel's view: T1 and T2 sleep (S)")

    # w and c toggle; the objects come back when both are off
    tm.keys(s, "w")
    scr = tm.wait_screen(s, r"(?s)^(?!.*Wait-for graph)", what="w to hide the graph")
    tap.check("Four conditions" in scr, "w hides the graph only", scr)
    tm.keys(s, "c")
    scr = tm.wait_screen(s, r"(?s)^(?!.*Four conditions)", what="c to hide the conditions")
    tap.check("Locks" in scr and "Log" in scr, "with both off the locks and the log are back", scr)
    tm.keys(s, "w")
    scr = tm.wait_screen(s, "Wait-for graph", what="w to show the graph again")
    tap.check("┃ ‼ T1" in pane(scr, "Wait-for graph"), "the graph comes back with the cycle", scr)
    tm.keys(s, "?")
    scr = tm.wait_screen(s, "wait-for graph", what="the help")
    tap.check(re.search(r"\bw\s+show or hide the wait-for graph", scr) is not None,
              "? lists w", scr)
    tap.check(re.search(r"\bc\s+show or hide the four conditions", scr) is not None,
              "? lists c", scr)
    tm.keys(s, "q")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits with status 0")


def deadlock_80x24():
    s = tm.start_ls(x=80, y=24)
    tm.wait_screen(s, "Your move")
    step_keys(s, "1212")
    scr = tm.wait_screen(s, ["DEADLOCK", "Wait-for graph", "Four conditions"],
                         what="the deadlock panes at 80x24")
    g = pane(scr, "Wait-for graph")
    for n in ("T1", "T2", "A", "B"):
        tap.check("‼ %s" % n in g, "80x24 graph: %s on the cycle" % n, g)
    tap.check("▶" in g and "▲" in g, "80x24 graph: drawn with arrows", g)
    conditions_hold(scr, "80x24")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "80x24: q exits with status 0")


def philosophers():
    s = tm.start_ls("philosophers", "--param", "n=5")
    tm.wait_screen(s, "Your move")
    step_keys(s, "1234512345")  # the schedule the scene's help documents
    scr = tm.wait_screen(s, ["DEADLOCK", "Wait-for graph"], what="the philosophers' deadlock")
    g = pane(scr, "Wait-for graph")
    for i in range(1, 6):
        tap.check("‼ P%d" % i in g and "‼ F%d" % i in g,
                  "philosophers: P%d and F%d on the drawn cycle" % (i, i), g)
    tap.check(g.count("┏") == 5 and g.count("╭━") == 5,
              "philosophers: ten boxes round the table, five square, five round", g)
    conditions_hold(scr, "philosophers")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "philosophers: q exits with status 0")


def ten_philosophers():
    s = tm.start_ls("philosophers", "--param", "n=10")
    tm.wait_screen(s, "Your move")
    # round-robin in declare order: main joins, P1..P10 take their left
    # forks, then each asks for the right one
    step_keys(s, "s" * 21)
    scr = tm.wait_screen(s, ["DEADLOCK", "Wait-for graph"], what="ten philosophers' deadlock")
    g = pane(scr, "Wait-for graph")
    for i in range(1, 11):
        tap.check(re.search(r"‼ P%d\b" % i, g) is not None, "10 workers: P%d is a box on the cycle" % i, g)
    # ten boxes round the ring, and main's join of P1 said in words below it
    tap.check(g.count("┏") == 10 and re.search(r"━F10━|F10\b", g) and "main waits for P1 to end" in g,
              "10 workers at 120x40: a drawing (forks on the arrows), not a list", g)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "ten philosophers: q exits with status 0")


def ascii_only():
    s = tm.start_ls("--ascii")
    tm.wait_screen(s, "Your move")
    step_keys(s, "1212")
    scr = tm.wait_screen(s, ["DEADLOCK", "Wait-for graph", "Four conditions"],
                         what="the deadlock panes in ASCII")
    bad = sorted({ch for ch in scr if ord(ch) > 126})
    tap.check(not bad, "--ascii: only ASCII on screen", "".join(bad))
    g = pane(scr, "Wait-for graph")
    tap.check(re.search(r"# ! T1 #=+waits for=+># ! B", g) is not None,
              "--ascii: the cycle drawn with ASCII lines and marks", g)
    conditions_hold(scr, "--ascii")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "--ascii: q exits with status 0")


def help_text():
    r = subprocess.run([LOCKSTEP, "--help"], capture_output=True, text=True, timeout=30)
    tap.check("show or hide the wait-for graph" in r.stdout and
              "show or hide the four conditions" in r.stdout, "--help lists w and c", r.stdout)


tap.run(deadlock_120x40, "deadlock at 120x40: graph, conditions, kernel, keys")
tap.run(conditions_after_restart, "the four conditions after r: definitions stay, the state shows none")
tap.run(deadlock_80x24, "deadlock at 80x24")
tap.run(philosophers, "philosophers n=5: the 5-cycle")
tap.run(ten_philosophers, "philosophers n=10 at 120x40")
tap.run(ascii_only, "--ascii")
tap.run(help_text, "--help")
tap.done()
