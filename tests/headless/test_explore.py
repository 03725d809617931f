#!/usr/bin/env python3
"""The schedule explorer (issue 16): `lockstep --explore SCENE` finds the
schedule that reaches a goal, by increasing preemptions, and says so when
none does; and what makes it fast: a controlled run's simulated work costs
no wall time."""
import json
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import (EXIT_DEADLOCK, EXIT_OK, EXIT_USAGE, LOCKSTEP, Tap, headless, in_session,  # noqa: E402
                    leftovers, run_cli)

EXIT_BUDGET, EXIT_EXHAUSTED = 5, 6
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES") or os.path.join(
    os.path.dirname(LOCKSTEP), "tests", "scenes")
t = Tap()

# The explorer's default budget is 60 seconds, so on a loaded machine a
# search the test expects to finish could stop early and answer "budget".
# Every search here that names no budget gets one counted in runs, far
# above what any of them needs: the answer then depends on the schedules
# only, never on the machine's speed.
RUN_BUDGET = RUNS = "--budget=1000000"
EXPLORERS = set()  # every lockstep --explore this test started: leftovers(made_by=)


def with_run_budget(args):
    args = list(args)
    return args if any(a.startswith("--budget") for a in args) else args + [RUN_BUDGET]


def explore_cli(*args, timeout=600):
    p = subprocess.Popen([LOCKSTEP] + with_run_budget(args), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    EXPLORERS.add(p.pid)
    out, err = p.communicate(timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


class Explored:
    """One `lockstep --explore SCENE ARGS... --json` in a session of its
    own, so whatever it leaves running can be found by session id."""

    def __init__(self, scene, *args, timeout=600):
        self.cmd = [LOCKSTEP, "--explore", scene, "--json"] + with_run_budget(args)
        p = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
        self.sid = p.pid
        EXPLORERS.add(p.pid)
        self.stdout, self.stderr = p.communicate(timeout=timeout)
        self.rc = p.returncode
        try:
            self.res = json.loads(self.stdout)
        except ValueError:
            self.res = {}
        self.witness = self.res.get("witness") or {}

    def left_running(self):
        """Processes of the explorer's session still there (hosts and
        worker processes keep the session when they take a group)."""
        return ["process %s (state %s)" % (pid, st) for pid, st in in_session(self.sid)]

    def detail(self):
        return "%s\nrc %s\n%s\n%s" % (" ".join(self.cmd), self.rc, self.stdout[-600:],
                                       self.stderr[-600:])


def replays_deadlock(scene, schedule, *params):
    r = headless(scene, "--schedule=" + schedule, *params)
    ok = r.rc == EXIT_DEADLOCK and r.summary and r.summary["outcome"] == "deadlock" \
        and "cycle" in r.summary
    return ok, (r.rc, r.summary and r.summary["outcome"], r.stderr[-300:])


# ---- simulated work costs no wall time in a stepped run ----

# The worker is the only one moving and the virtual clock moves only for
# sleeps, so spinning for 3 s would change no state; it would only keep the
# step busy past the engine's 2 s "still moving, outside any gate" warning.
r = headless("deadlock", "--schedule=T1,T1,T1,T1", "--param", "work=3000", "--settled")
t.finished(r, "deadlock work=3000 stepped")
t.check(not [l for l in r.lines if l.get("type") == "notice"],
        "stepped work keeps no worker busy outside its gate",
        [l for l in r.lines if l.get("type") == "notice"])
work = r.of("done", op="work")
t.check(len(work) == 2 and all(w["value"] == 3000 for w in work),
        "each worker still announces its 3000 ms of work", work)
t.check(r.settled and all(s["vclock_ns"] == 0 for s in r.settled),
        "the virtual clock does not move for work", [s["vclock_ns"] for s in r.settled][:5])
t.check(not r.leftovers(), "nothing left behind", r.leftovers())

# ---- deadlock: a one-preemption witness in the first handful of runs ----

x = Explored("deadlock")
t.check(x.rc == EXIT_OK and x.res.get("result") == "found", "deadlock: found, exit 0", x.detail())
t.check(x.witness.get("preemptions") == 1, "the witness has one preemption", x.witness)
t.check(0 < x.res.get("runs", 99) <= 10, "within the first 10 runs (%s)" % x.res.get("runs"),
        x.detail())
t.check(x.witness.get("summary", "").startswith("deadlock: ") and "T1" in x.witness["summary"],
        "the summary names the circle", x.witness)
sched = x.witness.get("schedule", "")
t.check(len(sched.split(",")) == x.witness.get("length"), "length counts the schedule's steps",
        x.witness)
steps = x.witness.get("steps", [])
t.check(len(steps) == x.witness.get("length") and
        [st["worker"] for st in steps] == sched.split(",") and
        sum(1 for st in steps if "preempts" in st) == x.witness.get("preemptions"),
        "the witness's steps: one per schedule entry, a 'preempts' per preemption", steps)
t.check({"worker": "T2", "op": "lock", "object": "B", "preempts": "T1",
         "preempted_holds": "A"} in steps, "T2 takes B while T1 holds A", steps)
ok, why = replays_deadlock("deadlock", sched)
t.check(ok, "replaying --schedule=%s headless deadlocks (exit 3)" % sched, why)
t.check(not x.left_running(), "nothing of the explorer's runs is left", x.left_running())

# the text output says the same
p = explore_cli("--explore", "deadlock")
t.check(p.returncode == EXIT_OK and ("witness: --schedule=%s\n" % sched) in p.stdout
        and "1 preemption\n" in p.stdout and "explore deadlock:" in p.stderr
        and "T2: lock B (here T2 is switched in while T1 holds A)\n" in p.stdout,
        "text output: the witness, its preemptions and where, a progress line on stderr",
        p.stdout + p.stderr)

# bfs without a bound finds no witness with fewer preemptions: none with 0
x0 = Explored("deadlock", "--preemptions=0")
t.check(x0.rc == EXIT_EXHAUSTED and x0.res.get("result") == "exhausted" and x0.res["bound"] == 0,
        "deadlock: no schedule without a preemption deadlocks (exit 6)", x0.detail())

# ---- philosophers: a witness for fix=none, none for fix=order within 1 ----

PH = ["--param", "n=3", "--param", "meals=1"]
x = Explored("philosophers", *PH)
t.check(x.rc == EXIT_OK and x.witness.get("preemptions") == 1,
        "philosophers n=3 fix=none: a one-preemption deadlock witness", x.detail())
ok, why = replays_deadlock("philosophers", x.witness.get("schedule", ""), *PH)
t.check(ok, "its schedule deadlocks headless", why)
p = explore_cli("--explore", "philosophers", "--preemptions=1", "--param", "fix=order", *PH,
            timeout=300)
t.check(p.returncode == EXIT_EXHAUSTED and
        "no schedule with up to 1 preemption reaches deadlock" in p.stdout,
        "philosophers fix=order: no schedule with up to 1 preemption deadlocks (exit 6)",
        p.stdout + p.stderr[-400:])

# ---- deadlock-ordered: the whole space, and the reduction ----

x = Explored("deadlock-ordered", "--param", "work=0")
t.check(x.rc == EXIT_EXHAUSTED and x.res.get("result") == "exhausted" and x.res["bound"] is None,
        "deadlock-ordered: every schedule run, none deadlocks (exit 6)", x.detail())
xs = Explored("deadlock-ordered", "--param", "work=0", "--reduction=sleep")
t.check(xs.rc == EXIT_EXHAUSTED and xs.res.get("reduction") == "sleep-sets",
        "with sleep sets: the same answer", xs.detail())
t.check(0 < xs.res.get("runs", 0) < x.res.get("runs", 0) and xs.res["skipped_branches"] > 0
        and xs.res["reduction_factor_x100"] > 100,
        "sleep sets run fewer schedules (%s instead of %s)" % (xs.res.get("runs"),
                                                               x.res.get("runs")), xs.detail())
x = Explored("deadlock-ordered", "--param", "work=0", "--budget=5")
t.check(x.rc == EXIT_BUDGET and x.res.get("runs") == 5 and x.res.get("result") == "budget",
        "a budget of 5 runs is spent: exit 5", x.detail())
t.check(x.res.get("pending", 0) > 0 and x.res.get("list_full") is False,
        "schedules were still waiting (%s)" % x.res.get("pending"), x.detail())

# ---- processes, other goals ----

x = Explored("deadlock-processes")
t.check(x.rc == EXIT_OK and x.witness.get("preemptions") == 1,
        "deadlock-processes: a one-preemption witness", x.detail())
ok, why = replays_deadlock("deadlock-processes", x.witness.get("schedule", ""))
t.check(ok, "its schedule deadlocks headless", why)
x = Explored("condition", "--param", "variant=notify", "--goal=stall")
t.check(x.rc == EXIT_OK and x.witness.get("outcome") == "stalled",
        "condition variant=notify: a stall (the lost wake-up)", x.detail())
x = Explored("test-crash", "--scene-path=" + TEST_SCENES, "--goal=crash")
t.check(x.rc == EXIT_OK and x.witness.get("outcome") == "crashed",
        "test-crash: the crash is a goal", x.detail())
x = Explored("test-crash", "--scene-path=" + TEST_SCENES)
t.check(x.rc == 1 and "failed" in x.stderr and not x.res,
        "a crash that is not the goal ends the search (exit 1)", x.detail())

# ---- the same seed and strategy give the same witness ----

for strategy in ("pct", "random", "bfs"):
    a = Explored("philosophers", *PH, "--strategy=" + strategy, "--seed=11")
    b = Explored("philosophers", *PH, "--strategy=" + strategy, "--seed=11")
    t.check(a.rc == EXIT_OK and a.witness and a.witness == b.witness and
            a.res["runs"] == b.res["runs"],
            "%s seed 11 twice: the same witness %s" % (strategy, a.witness.get("schedule")),
            a.detail() + "\n" + b.detail())

# ---- the map, and thousands of runs leave nothing behind ----

MAP_RUNS = RUNS

runs = 0
for scene in ("deadlock", "deadlock-processes"):
    x = Explored(scene, "--map", MAP_RUNS)
    out = x.res.get("outcomes", {})
    runs += x.res.get("runs", 0)
    t.check(x.rc == EXIT_OK and x.res.get("complete") and out.get("deadlock", 0) > 0 and
            out.get("finished", 0) > 0 and sum(out.values()) == x.res["runs"],
            "%s --map: every schedule counted (%s)" % (scene, out), x.detail())
    t.check(not x.left_running(), "%s --map: no process of its runs is left" % scene,
            x.left_running())
    if scene == "deadlock":
        thread_map = out
t.check(out == thread_map, "processes and threads have the same map", (out, thread_map))
x = Explored("pipe", "--map", "--budget=600")
runs += x.res.get("runs", 0)
t.check(x.rc in (EXIT_OK, EXIT_BUDGET, EXIT_EXHAUSTED) and x.res.get("runs", 0) > 0,
        "pipe --map runs", x.detail())
t.check(not x.left_running(), "pipe --map: no process left", x.left_running())
# A FIFO's opens pair only once both sides really opened: stepping a
# parked reader while the writer merely waited to open changed nothing, and
# bfs stepped it for 20 s. Every run also makes the FIFO again in the one
# run directory the explorer keeps for all of them.
x = Explored("fifo", "--map", "--budget=300", timeout=120)
runs += x.res.get("runs", 0)
t.check(x.rc == EXIT_BUDGET and x.res.get("outcomes") == {"finished": 300} and
        x.res.get("steps", 10 ** 9) < 300 * 60,
        "fifo --map: 300 runs, every one finished in a few steps", x.detail())
t.check(not x.left_running(), "fifo --map: no process left", x.left_running())
t.check(runs >= 1000, "%d runs in all" % runs)
left = leftovers(made_by=EXPLORERS)
t.check(not left, "no zombie, /dev/shm or mqueue entry left", left)

# ---- goals a scene declares: a lost update ----

p = run_cli("--list-goals", "race")
t.check(p.returncode == 0 and "lost-update" in [l.split()[0] for l in p.stdout.splitlines()],
        "race lists its own goal, lost-update", p.stdout)
RACE = ["--param", "rounds=1", "--goal=lost-update"]
x = Explored("race", "--param", "lock=off", *RACE)
t.check(x.rc == EXIT_OK and x.witness.get("outcome") == "finished" and
        x.witness.get("summary", "").startswith("lost-update: balance ended at "),
        "race lock=off: a lost-update witness (%s)" % x.witness.get("summary"), x.detail())
r = headless("race", "--schedule=" + x.witness.get("schedule", ""), "--param", "lock=off",
             "--param", "rounds=1")
t.check(r.finished() and r.obj("balance")["value"] != 100,
        "its schedule ends with the balance off 100 headless (%s)" %
        (r.summary and r.obj("balance")["value"]), r.stderr[-300:])
x = Explored("race", "--param", "lock=on", "--preemptions=2", *RACE)
t.check(x.rc == EXIT_EXHAUSTED and x.res.get("result") == "exhausted",
        "race lock=on: no schedule with up to 2 preemptions loses an update (exit 6)",
        x.detail())
x = Explored("shm", "--param", "lock=off", "--param", "rounds=1", "--goal=lost-update")
t.check(x.rc == EXIT_OK and "total ended at 1, not 2" in x.witness.get("summary", ""),
        "shm lock=off (processes): the total ends at 1, not 2", x.detail())
r = headless("shm", "--schedule=" + x.witness.get("schedule", ""), "--param", "lock=off",
             "--param", "rounds=1")
t.check(r.finished() and r.obj("total")["value"] == 1, "its schedule loses the update headless",
        r.stderr[-300:])
t.check(not x.left_running(), "shm: no process left", x.left_running())

x = Explored("race", "--param", "lock=off", "--map", MAP_RUNS, *RACE)
vals = x.res.get("values", {})
t.check(x.rc == EXIT_OK and x.res.get("complete") and x.res.get("value") == "balance" and
        sum(vals.values()) == x.res["outcomes"].get("finished") and vals.get("100", 0) > 0 and
        any(v != "100" for v in vals),
        "race --map counts each end balance (%s)" % vals, x.detail())
p = explore_cli("--explore", "race", "--param", "lock=off", "--map", *RACE)
t.check(p.returncode == EXIT_OK and ("balance 90: %d, 100: %d, 110: %d\n" % (
        vals.get("90"), vals.get("100"), vals.get("110"))) in p.stdout,
        "the text map says the same", p.stdout)

# ---- --feed: what the terminal UI reads (x, m; src/xmap.h) ----

def feed(*args):
    p = explore_cli("--explore", *args, "--feed")
    lines = [l.split("\t") for l in p.stdout.splitlines()]
    return p, lines


p, lines = feed("deadlock", "--map", MAP_RUNS)
runs_ = [l for l in lines if l[0] == "run"]
res = [l for l in lines if l[0] == "result"]
outs = {l[1]: int(l[2]) for l in lines if l[0] == "outcome"}
t.check(p.returncode == EXIT_OK and res == [["result", "found", str(len(runs_)), "-1", "1"]] and
        sum(outs.values()) == len(runs_) == len(set(l[4] for l in runs_)) and
        sum(l[1] == "deadlock" for l in runs_) == outs.get("deadlock") and
        all(l[2] == ("1" if l[1] == "deadlock" else "0") and l[3] == "-" for l in runs_) and
        not p.stderr,
        "--feed --map: a line per run, each schedule once, hits marked, the result complete "
        "(%d runs, %s)" % (len(runs_), outs), (p.returncode, lines[-3:], p.stderr[-300:]))
t.check(all(len(l) == 7 and l[1].isdigit() for l in lines if l[0] == "progress") and
        any(l[0] == "progress" for l in lines), "--feed: progress lines of six numbers",
        [l for l in lines if l[0] == "progress"][:3])
dl = next((l[4] for l in runs_ if l[1] == "deadlock"), "")
fin = next((l[4] for l in runs_ if l[1] == "finished"), "")
ok, why = replays_deadlock("deadlock", dl)
t.check(ok, "a map run marked deadlock deadlocks headless (%s)" % dl, why)
r = headless("deadlock", "--schedule=" + fin)
t.check(r.finished(), "a map run marked finished finishes headless (%s)" % fin, r.stderr[-300:])
p, lines = feed("deadlock")
w = [l for l in lines if l[0] == "witness"]
steps = [l for l in lines if l[0] == "step"]
t.check(p.returncode == EXIT_OK and len(w) == 1 and w[0][2] == "1" and w[0][4] == "deadlock" and
        len(steps) == int(w[0][1]) == len(w[0][5].split(",")) and
        ["step", "T2", "lock", "B", "T1", "A"] in steps and
        any(l[0] == "summary" and l[1].startswith("deadlock: ") for l in lines) and
        not any(l[0] == "run" for l in lines),
        "--feed: the witness, its steps with the preemption, the summary; no runs without --map",
        lines[-8:])
p, lines = feed("race", "--param", "lock=off", "--map", MAP_RUNS, *RACE)
vals = [(l[2], l[3]) for l in lines if l[0] == "run"]
t.check(p.returncode == EXIT_OK and vals and
        all((h == "1") == (v != "100") for h, v in vals if v != "-"),
        "--feed race --map: each run's end balance, a hit where it is not 100",
        sorted(set(vals)))

# ---- ^C ends the search at once, and the run in progress with it ----

p = subprocess.Popen([LOCKSTEP, "--explore", "philosophers", "--param", "fix=order",
                      "--budget=300s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                     text=True, start_new_session=True)
EXPLORERS.add(p.pid)
progress = p.stderr.readline()  # the first progress line (one a second off a terminal)
p.send_signal(signal.SIGINT)
try:
    out, err = p.communicate(timeout=60)
except subprocess.TimeoutExpired:
    p.kill()
    out, err = p.communicate()
x.sid = p.pid  # reuse Explored's session check for this session
t.check(progress.startswith("explore philosophers: ") and p.returncode == 1 and
        "interrupted" in err and not out,
        "^C: the progress line came, then exit 1 'interrupted'", (progress, p.returncode, err))
t.check(not x.left_running(), "^C: no process of its runs is left", x.left_running())
left = leftovers(made_by=EXPLORERS)
t.check(not left, "^C: no zombie, /dev/shm or mqueue entry left", left)

# ---- bad usage: one line, exit 2 ----

for args, words in ((["--explore", "deadlock", "--goal=nope"], "--goal"),
                    (["--explore", "deadlock", "--strategy=dfs"], "--strategy"),
                    (["--explore", "deadlock", "--budget=ten"], "--budget"),
                    (["--explore", "deadlock", "--budget=1.5"], "--budget"),
                    (["--explore", "deadlock", "--reduction=dpor"], "--reduction"),
                    (["--explore", "deadlock", "--strategy=pct", "--map"], "--strategy=bfs"),
                    (["--explore", "deadlock", "--reduction=sleep", "--preemptions=1"], "--reduction"),
                    (["deadlock", "--goal=deadlock"], "--explore"),
                    (["deadlock", "--feed"], "--explore"),
                    (["--explore", "deadlock", "--headless"], "--explore"),
                    (["--explore", "deadlock", "--schedule=T1"], "--explore"),
                    (["--explore", "io-vs-cpu"], "only runs freely"),
                    (["--explore", "deadlock", "--timeout=5"], "--timeout"),
                    (["--explore", "deadlock", "--until=deadlock"], "--until"),
                    (["--explore", "deadlock", "--depth=2"], "--depth")):
    p = run_cli(*args)
    lines = p.stderr.splitlines()
    t.check(p.returncode == EXIT_USAGE and lines and words in lines[0] and not p.stdout,
            "%s: exit 2, one line" % " ".join(args), p.stderr)
p = run_cli("--list-goals", "deadlock")
t.check(p.returncode == 0 and [l.split()[0] for l in p.stdout.splitlines()] ==
        ["deadlock", "stall", "crash", "both-stuck", "both-hold"],
        "--list-goals lists deadlock, stall, crash, then the scene's own", p.stdout)
t.done()
