#!/usr/bin/env python3
"""Headless properties of the signals scene (the driver and the conductor)
and of signals sent by the user: each signal sent as the terminal would
(signal:group:SIG) or to one process (signal:NAME:SIG) produces exactly the
right line from the right process, in order, and nothing from the other;
the conductor exits before the driver. Documented schedule and 20 seeds."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, EXIT_USAGE, Tap, headless, leftovers  # noqa: E402

t = Tap()
HOMEWORK = "rest,signal:group:INT,rest,signal:group:QUIT,rest,signal:group:TSTP"
DRIVES = "老司机开车了"
BELTS = "系好安全带，小心甩出去"
ARRIVED = "到站了，下车吧"


def lines(r):
    """(worker, line) for every narration line from a bus worker."""
    return [(e["worker"], e["line"]) for e in r.events if e["type"] == "say" and "line" in e]


def printed(r):
    """(worker, line) for every line a process printed, in seq order."""
    return [(e["worker"], e["line"]) for e in r.causal() if e["type"] == "output" and "line" in e]


def homework(r, label):
    ok = t.check(r.rc == EXIT_OK and r.summary and r.summary["outcome"] == "finished"
                 and r.summary["anomalies"] == 0, label + ": finishes", (r.rc, r.stderr[-300:]))
    if not ok:
        return
    handled = [(e["worker"], e["signal"]) for e in r.of("handler")]
    t.check(handled == [("main", "ALRM"), ("conductor", "INT"), ("driver", "USR1"), ("conductor", "QUIT"),
                        ("driver", "USR2"), ("driver", "TSTP"), ("conductor", "USR1")],
            label + ": each signal is handled by the right process, in order", handled)
    out = printed(r)
    t.check(out == [("driver", DRIVES), ("driver", BELTS), ("conductor", ARRIVED)],
            label + ": 老司机开车了, then 系好安全带，小心甩出去 printed by the driver, then 到站了，下车吧 "
            "by the conductor, exactly, each once, as their own output", out)
    seqs = {l: e["seq"] for e in r.events if e["type"] == "output" and "line" in e for l in [e["line"]]}
    told = [(w, l) for w, l in lines(r) if "printed:" in l]
    t.check([w for w, _ in told] == ["driver", "driver", "conductor"] and
            "The old driver is off!" in told[0][1] and "seat belts" in told[1][1] and "arrived" in told[2][1],
            label + ": the narration translates each line separately", told)
    t.check(not any(DRIVES in l or BELTS in l or ARRIVED in l for _, l in lines(r)),
            label + ": the lines are output, not narration")
    t.check(len(seqs) == 3 and all(seqs[a] < seqs[b] for a, b in ((DRIVES, BELTS), (BELTS, ARRIVED))),
            label + ": printed in that order", seqs)
    sent = {(e["signal"], e["target"]): e["outcome"] for e in r.of("signal") if e["worker"] is None}
    t.check(sent == {("INT", "main"): "ignored", ("INT", "driver"): "ignored", ("INT", "conductor"): "handled",
                     ("QUIT", "main"): "ignored", ("QUIT", "driver"): "ignored", ("QUIT", "conductor"): "handled",
                     ("TSTP", "main"): "ignored", ("TSTP", "driver"): "handled", ("TSTP", "conductor"): "ignored"},
            label + ": a group signal reaches every process; each ignores the keyboard signals not its own", sent)
    relay = [(e["worker"], e["target"], e["signal"]) for e in r.of("signal") if e["worker"] is not None]
    t.check(relay == [("conductor", "driver", "USR1"), ("conductor", "driver", "USR2"), ("driver", "conductor", "USR1")],
            label + ": the screen's record says who sent which signal to whom", relay)
    ce, de = r.of("exit", worker="conductor"), r.of("exit", worker="driver")
    t.check(ce and de and ce[0]["seq"] < de[0]["seq"], label + ": the conductor gets off before the driver")
    t.check(r.worker("driver")["signals_received"] == 3 and r.worker("conductor")["signals_received"] == 3,
            label + ": three signals delivered to each", (r.worker("driver"), r.worker("conductor")))
    left = leftovers(r.host_pid())
    t.check(not left, label + ": nothing left behind", left)


homework(headless("signals", "--schedule=" + HOMEWORK), "signals homework")
for seed in range(20):
    homework(headless("signals", "--schedule=" + HOMEWORK, "--seed=%d" % seed), "signals homework seed %d" % seed)

# The prologue: alarm then pause; SIGALRM comes after the virtual second.
r = headless("signals", "--schedule=" + HOMEWORK)
alarm = r.of("done", worker="main", op="alarm")
ring = r.of("delivered", worker="main", signal="ALRM")
clock = r.of("clock")
t.check(alarm and ring and clock and clock[0]["vclock_ns"] == 1000000000 and alarm[0]["seq"] < ring[0]["seq"],
        "signals prologue: alarm(1) then pause(); SIGALRM arrives at virtual 1 s")

# To one process, as kill(1) would: the driver ignores SIGINT, so nothing.
r = headless("signals", "--schedule=rest,signal:driver:INT,rest,signal:conductor:INT,rest,"
             "signal:conductor:QUIT,rest,signal:driver:TSTP")
said = [l for _, l in printed(r)]
sent = [(e["target"], e["signal"], e["outcome"]) for e in r.of("signal") if e["worker"] is None]
t.check(r.rc == EXIT_OK and sent[0] == ("driver", "INT", "ignored") and len(said) == 3,
        "signals to one process: SIGINT to the driver is ignored; the others work as before", (sent, said))
t.check(not leftovers(r.host_pid()), "signals to one process: nothing left behind")

# Without the keyboard, everyone waits in pause(): the run stalls, reported.
r = headless("signals")
t.check(r.rc == EXIT_DEADLOCK and r.summary["outcome"] == "stalled" and
        set(r.summary["stalled"]) >= {"driver", "conductor"}, "signals without a signal: stalled in pause()",
        r.summary and r.summary["stalled"])
stall = [l for l in r.summary.get("narration", []) if l.startswith("Stall:")]
t.check(len(stall) == 1 and "driver waits for a signal" in stall[0] and "conductor waits for a signal" in stall[0],
        "the stall says what everyone waits for: main the driver, the driver and the conductor a signal",
        stall)
t.check(not leftovers(r.host_pid()), "signals stalled: nothing left behind")

# SIGTERM to the conductor (default action): it dies; the driver's join
# is not left parked forever.
r = headless("signals", "--schedule=rest,signal:conductor:TERM,rest,signal:group:TSTP")
c = r.worker("conductor") if r.summary else {}
t.check(c.get("state") == "TERMINATED" and c.get("exit_code") == -15 and c.get("signal") == "TERM",
        "SIGTERM to the conductor: it dies of it, and is reaped", c)
t.check(r.summary and r.summary["outcome"] in ("finished", "stalled"), "SIGTERM to the conductor: the run ends",
        r.summary and r.summary["outcome"])
t.check(not leftovers(r.host_pid()), "SIGTERM to the conductor: nothing left behind")

# SIGKILL to the driver: its child dies with it (PDEATHSIG), main reaps it.
r = headless("signals", "--schedule=rest,signal:driver:KILL")
d = r.worker("driver") if r.summary else {}
t.check(r.rc == EXIT_OK and d.get("exit_code") == -9 and r.worker("conductor")["state"] == "TERMINATED",
        "SIGKILL to the driver: main's join returns -9; the conductor dies with it", (r.rc, d))
t.check(not leftovers(r.host_pid()), "SIGKILL to the driver: nothing left behind")

# Bad signal entries are usage errors.
for bad in ("signal:group:NOPE", "signal:group", "signal::INT"):
    r = headless("signals", "--schedule=" + bad)
    t.check(r.rc == EXIT_USAGE, "schedule %s is a usage error" % bad, r.stderr)
r = headless("signals", "--schedule=rest,signal:nobody:INT")
t.check(r.rc == EXIT_USAGE and "no such worker" in r.stderr, "signal to no such worker: bad schedule", r.stderr)
r = headless("signals", "--schedule=rest,signal:group:TSTP,signal:conductor:TSTP")
t.check(r.rc == EXIT_OK or r.summary["outcome"] != "crashed", "a stop signal is never left to stop a process")
# A free run: real pause(), handlers on the way out of it (test scene).
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES", "")
for i in range(5):
    r = headless("test-signals-free", "--scene-path=" + TEST_SCENES, timeout=30)
    said = [(w, l) for w, l in lines(r)]
    ce, de = r.of("exit", worker="conductor"), r.of("exit", worker="driver")
    t.check(r.rc == EXIT_OK and sorted(said) == [("conductor", "conductor: arrived"), ("driver", "driver: off we go"),
                                                 ("driver", "driver: seat belts")]
            and ce and de and ce[0]["seq"] < de[0]["seq"] and not r.of("grant"),
            "free run %d: each signal handled once by the right process; the conductor gets off first" % i,
            (r.rc, said, r.stderr[-300:]))
    t.check(not leftovers(r.host_pid()), "free run %d: nothing left behind" % i)
t.done()
