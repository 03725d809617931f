"""The classroom in the terminal (issue 18): `a` lists the scene's
challenges and picks one for the header to track; the header shows its
progress and says when it is met, with the steps used and the fewest known;
`p` asks a prediction before a step, one key per answer, and reveals it;
--predict asks at the moments the scene marks. Waits for what it asserts on
screen, never sleeps."""
import os
import re
import sys

from lstmux import Tmux, Tap

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import headless, wait_for  # noqa: E402

tap = Tap()
tm = Tmux()


def header(scr):
    return "\n".join(scr.splitlines()[:2])


def challenges():
    s = tm.start_ls("deadlock", "--param", "work=0")
    tm.wait_screen(s, "Your move")
    tm.keys(s, "o")
    scr = tm.wait_screen(s, ["Challenges", "make both deadlock", "Fewest steps known: 4",
                             "Impossible: a mutex"], what="the challenge list")
    tap.check("challenge" not in header(scr), "nothing is tracked before one is picked",
              header(scr))
    tm.keys(s, "Enter")
    scr = tm.wait_screen(s, r"challenge both-stuck", what="the header tracking it")
    tap.check("Challenges" not in scr, "Enter closes the list", scr)
    for i, k in enumerate(["1", "2", "1", "2"], 1):
        tm.keys(s, k)
        tm.wait_screen(s, r"step %d ·" % i, what="step %d" % i)
    scr = tm.wait_screen(s, ["met in 4 (fewest 4)", "DEADLOCK",
                             "Challenge met: make both deadlock"], what="the challenge met")
    tap.check("in 4 steps; the fewest known: 4" in scr, "it says the steps used and the fewest known",
              scr.splitlines()[-1])
    tap.check("(r restarts)" in header(scr), "the alarm keeps what to press beside the challenge",
              header(scr))
    # a restart of the same scene keeps the challenge, met no more
    tm.keys(s, "r")
    scr = tm.wait_screen(s, r"challenge both-stuck", what="the challenge after r")
    tap.check("met in" not in header(scr), "after r: tracked again, not met", header(scr))
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")


def progress():
    s = tm.start_ls("race", "--param", "lock=off", "--param", "rounds=1")
    tm.wait_screen(s, "Your move")
    tm.keys(s, "o")
    tm.wait_screen(s, "the balance does not end where it started")
    tm.keys(s, "1", "Enter")
    tm.wait_screen(s, ["challenge lost-update: balance 100 (from 100)"],
                   what="the value and its start in the header")
    # the documented lost update: T1 and T2 both read 100
    for i, w in enumerate(["1", "2", "1", "2"], 1):
        tm.keys(s, w)
        tm.wait_screen(s, r"step %d ·" % i)
    scr = tm.wait_screen(s, ["balance 110 (from 100)"], what="the progress as it changes")
    tap.check("met" not in header(scr), "not met before the scene has finished", header(scr))
    for i, w in enumerate(["1", "1", "2", "2"], 5):
        tm.keys(s, w)
        tm.wait_screen(s, r"step %d ·" % i)
    tm.keys(s, "space")
    scr = tm.wait_screen(s, ["FINISHED", "lost-update: met in", "Challenge met"],
                         what="the lost update met at the end")
    tap.check("the fewest possible: unknown" in scr, "no fewest known: it says so",
              scr.splitlines()[-1])
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")


def predictions():
    r = headless("deadlock", "--param", "work=0")
    order = [g["worker"] for g in r.of("grant")]
    tap.check(len(order) >= 3, "headless: the policy's first steps", order)
    s = tm.start_ls("deadlock", "--param", "work=0")
    tm.wait_screen(s, "Your move")
    tm.keys(s, "p")
    scr = tm.wait_screen(s, ["Who moves next (s)?", " 1  main", " 2  T1", " 3  T2"],
                         what="the question and one key per answer")
    keys = {"main": "1", "T1": "2", "T2": "3"}
    tm.keys(s, keys[order[0]])
    scr = tm.wait_screen(s, r"Right: %s \(1 of 1 right\)" % order[0], what="the reveal")
    tap.check("Who moves next" not in scr and "step 1 ·" in scr,
              "the answer took the step and closed the question", header(scr))
    # wrong on purpose: the other of T1 and T2
    tm.keys(s, "p")
    scr = tm.wait_screen(s, "Who moves next (s)?")
    choices = re.findall(r"│  (\d)  (\w+) ", scr)  # the question's box, not the workers pane
    wrong = [k for k, w in choices if w != order[1]]
    tap.check(wrong, "a wrong answer is on offer", choices)
    tm.keys(s, wrong[0])
    tm.wait_screen(s, r"Not so: %s, not \w+ \(1 of 2 right\)" % order[1],
                   what="the reveal of a wrong answer and the tally")
    # Esc: no answer, no step
    tm.keys(s, "p")
    tm.wait_screen(s, "Who moves next (s)?")
    tm.keys(s, "Escape")
    scr = wait_for(lambda: (lambda x: x if "Who moves next" not in x else None)(tm.screen(s)),
                   "the question to close")
    tap.check("step 2 ·" in header(scr) and "step 3" not in header(scr),
              "Esc closes the question without a step", header(scr))
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")


def who_wakes():
    # C1 waits on the empty buffer; main joins; then P1's put is next: who wakes?
    for answer, words in (("1", r"Right: C1 \(1 of 1 right\)"),
                          ("2", r"Not so: C1, not nobody \(0 of 1 right\)")):
        s = tm.start_ls("producer-consumer", "--param", "producers=1", "--param", "consumers=1",
                        "--param", "capacity=1", "--param", "items=2")
        tm.wait_screen(s, "Your move")
        tm.keys(s, "2")
        tm.wait_screen(s, "an item in buffer", what="C1 waiting on the empty buffer")
        tm.keys(s, "s")
        tm.wait_screen(s, r"step 2 ·(?s:.*)Your move", what="main's join to settle")
        tm.keys(s, "p")
        tm.wait_screen(s, ["Who wakes up on buffer?", " 1  C1", " 2  nobody"],
                       what="who wakes, with nobody on offer")
        tm.keys(s, answer)
        scr = tm.wait_screen(s, words, what="the reveal")
        tap.check("woken by buffer" in scr, "C1 is woken by the put", scr)
        tm.keys(s, "q")
        tap.check(tm.wait_exit(s) == 0, "q exits 0")


def marked_moments():
    # race marks its balance: asked at once, and "what will it be" before a write
    s = tm.start_ls("race", "--param", "lock=off", "--param", "rounds=1", "--predict")
    tm.wait_screen(s, "Who moves next (s)?", what="asked by itself at a marked moment")
    for _ in range(12):
        scr = tm.screen(s)
        if "What will balance be after this step?" in scr:
            break
        tm.keys(s, "1")
        tm.wait_screen(s, r"(Right|Not so): ", what="a reveal")
    scr = tm.wait_screen(s, "What will balance be after this step?", what="the value question")
    vals = re.findall(r"│  (\d)  (-?\d+) ", scr)
    tap.check(len(vals) >= 2 and vals == sorted(vals, key=lambda kv: int(kv[1])),
              "the values on offer, in order", vals)
    tm.keys(s, "Escape")
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q exits 0")


def no_challenges():
    s = tm.start_ls("rlock")
    tm.wait_screen(s, "Your move")
    tm.keys(s, "o")
    tm.wait_screen(s, "This scene sets no challenges.")
    tm.keys(s, "Escape", "q")
    tap.check(tm.wait_exit(s) == 0, "a scene without challenges says so; q exits 0")


tap.run(challenges, "challenges: list, track, met")
tap.run(progress, "challenges: progress in the header")
tap.run(predictions, "predict, then reveal")
tap.run(who_wakes, "predict who wakes up, right and wrong")
tap.run(marked_moments, "--predict: the moments the scene marks")
tap.run(no_challenges, "a scene without challenges")
tap.done()
