"""`s` in the terminal UI steps the worker a headless run steps: one
scheduling policy (engine_sched.c) serves both front ends, so what a class
sees stepping with `s` is what `--headless` prints and the tests assert."""
import os
import re
import sys

from lstmux import Tmux, Tap, pane

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import headless, wait_for  # noqa: E402

tap = Tap()
tm = Tmux()


def next_named(scr):
    """The worker the narration says s steps next, or None."""
    words = " ".join(pane(scr, "Narration").split())
    m = re.search(r"or s for the next in turn \((\S+)\)", words)
    return m.group(1) if m else None


def granted(r, n):
    return [g["worker"] for g in r.of("grant")][:n]


def same_order(scene, n, *params):
    r = headless(scene, *params)
    want = granted(r, n)
    tap.check(len(want) == n, "%s: headless grants %d steps" % (scene, n), r.stderr)
    s = tm.start_ls(scene, *params, x=140, y=50)
    tm.wait_screen(s, "Your move")
    got, named = [], []
    for i in range(1, len(want) + 1):
        # the narration names who s will step, before it is pressed
        hint = wait_for(lambda: next_named(tm.screen(s)), "the hint before step %d" % i)
        named.append(hint)
        tm.keys(s, "s")
        scr = tm.wait_screen(s, r"step %d: \S+ moves" % i, what="step %d in the log" % i)
        got.append(re.search(r"step %d: (\S+) moves" % i, scr).group(1))
        tm.wait_screen(s, r"step %d · (?s:.*)(Your move|FINISHED|DEADLOCK|Everyone waits)" % i,
                       what="step %d to settle" % i)
    tap.check(got == want, "%s: s steps %s, as headless does" % (scene, want), "UI: %s" % got)
    tap.check(named == want, "%s: the hint names the worker s steps next" % scene, "hint: %s" % named)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "%s: q exits 0" % scene)


tap.run(lambda: same_order("deadlock", 5), "deadlock: s follows the headless default")
tap.run(lambda: same_order("producer-consumer", 12, "--param", "items=4"),
        "producer-consumer: s follows the headless default")
tap.done()
