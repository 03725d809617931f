"""The race and shm invariant line (issue 14): a scene declares what each
update meant (ls_value_expect), the JSON carries the value's "expected",
and the narration's count of lost updates agrees with expected - actual."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Tap, headless  # noqa: E402

t = Tap()


def value(r, name):
    return [o for o in r.summary["objects"] if o["name"] == name][0]


def race_documented():
    r = headless("race", "--param", "lock=off", "--param", "rounds=1",
                 "--schedule=T1,T2,T1,T2,T1,T1,T2,T2")
    t.finished(r, "race lock=off, the documented schedule")
    b = value(r, "balance")
    t.check(b["value"] == 90 and b["expected"] == 100,
            "race: expected 100 (every update counted), actual 90", b)
    lost = [s for s in r.summary["narration"] if "A lost update." in s]
    t.check(len(lost) == 1, "race: the narration calls out one lost update", r.summary["narration"])
    t.check(r.summary["narration"][-1].startswith(
        "The balance ended at 90, not 100: one update was lost, a change of 10."),
        "race: the last words count it: one update, 10, as expected - actual",
        r.summary["narration"][-1])
    ex = [e for e in r.events if e.get("op") == "expect"]
    t.check(len(ex) == 4 and sorted(e["value"] for e in ex) == [-10, -10, 10, 10],
            "race: each write declares what it meant (+10 or -10)",
            [(e["worker"], e.get("value")) for e in ex])
    # not a step: each declaration follows its worker's write, no grant between
    ev = r.causal()
    ok = True
    for e in ex:
        mine = [x for x in ev if x.get("worker") == e["worker"] and x["seq"] < e["seq"]]
        ok = ok and bool(mine) and mine[-1]["type"] == "done" and mine[-1]["op"] == "write"
    t.check(ok, "race: a declaration is no step: it follows its write", ex)


def race_seeds():
    """Over seeded schedules: the narration's count of lost updates is the
    number of 'A lost update.' lines, and the sum it gives is expected -
    actual, also when the losses cancel out."""
    for seed in range(1, 7):
        r = headless("race", "--param", "lock=off", "--param", "threads=3", "--seed=%d" % seed)
        b = value(r, "balance")
        said = sum("A lost update." in s for s in r.summary["narration"])
        last = r.summary["narration"][-1]
        diff = b["expected"] - b["value"]
        if said == 0:
            ok = diff == 0 and "where it started" in last
        elif diff == 0:
            ok = last.startswith("%d updates were lost, but what they would have changed adds "
                                 "up to 0" % said)
        elif said == 1:
            ok = "one update was lost, a change of %d." % diff in last
        else:
            ok = "%d updates were lost, and their changes add up to %d." % (said, diff) in last
        t.check(r.rc == 0 and ok, "race seed %d: %d lost, expected - actual = %d, said so" %
                (seed, said, diff), (b, last))


def race_locked():
    r = headless("race", "--param", "threads=3", "--seed=5")
    t.finished(r, "race lock=on")
    b = value(r, "balance")
    t.check(b["expected"] == b["value"] == 100, "race lock=on: nothing lost", b)


def shm():
    r = headless("shm", "--param", "lock=off", "--schedule=P1,P2,P1,P2")
    t.finished(r, "shm lock=off P1,P2,P1,P2")
    tot = value(r, "total")
    t.check(tot["value"] == 2 and tot["expected"] == 4, "shm: expected 4, actual 2", tot)
    t.check(r.summary["narration"][-1] == "The total is 2, not 4: 2 updates were lost.",
            "shm: the narration's count is expected - actual", r.summary["narration"][-1])


def undeclared():
    r = headless("condition")
    vals = [o for o in r.summary["objects"] if o["kind"] == "value"]
    t.check(vals and all("expected" not in o for o in vals),
            "a value whose scene declares nothing has no expected", vals)


t.run(race_documented, "race, the documented schedule")
t.run(race_seeds, "race, seeded schedules")
t.run(race_locked, "race with the lock")
t.run(shm, "shm")
t.run(undeclared, "a scene that declares nothing")
t.done()
