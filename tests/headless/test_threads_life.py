#!/usr/bin/env python3
"""Headless properties of the life-and-time scenes of the thread catalogue
(issue 5): timer, thread-local, daemon, lifecycle, threadpool, gil and
io-vs-cpu. Each property under round-robin, the documented schedules and 20
seeded random schedules (io-vs-cpu runs freely: it measures real time),
with nothing left behind after any run."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_USAGE, Tap, headless, run_cli  # noqa: E402

t = Tap()
SEEDS = range(20)


def runs(scene, *args):
    return [("round-robin", headless(scene, *args))] + \
        [("seed %d" % s, headless(scene, "--seed=%d" % s, *args)) for s in SEEDS]


def value(r, name):
    return r.obj(name)["value"]


# ---- timer ----
def timer_prop(delay_a=300, b_runs=0):
    def prop(r):
        clock, fired_clock = 0, None
        for e in r.events:
            if e["type"] == "clock":
                clock = e["vclock_ns"]
            if e["type"] == "done" and e.get("object") == "A.fired_at_ms" and e["op"] == "write":
                fired_clock = clock
        ok = r.finished() and value(r, "A.runs") == 1 and value(r, "B.runs") == b_runs and \
            value(r, "A.fired_at_ms") == delay_a and fired_clock == delay_a * 1000000
        return ok, (value(r, "A.runs"), value(r, "B.runs"), value(r, "A.fired_at_ms"), fired_clock)
    return prop


t.each("timer: A runs once after its delay, cancelled B never runs", runs("timer"), timer_prop())
t.each("timer: a cancel after B's delay comes too late",
     [("cancel_at=700", headless("timer", "--param", "cancel_at=700"))], timer_prop(300, 1))


# ---- thread-local ----
def local_prop(n=3, strict=True):
    """strict: the global's final value is the last write in the stream. A
    free run announces a write just before doing it, so two writes close
    together can land in the other order: then only ask for some thread's."""
    def prop(r):
        sets = {e["worker"]: e["value"] for e in r.of("done", op="local_set")}
        gets = [(e["worker"], e["value"], e["was_set"]) for e in r.of("done", op="local_get")]
        own = all(v == sets.get(w, -1) and s == (w in sets) for w, v, s in gets)
        writes = r.of("done", op="write", object="shared")
        ok = r.finished() and sets == {"T%d" % i: 100 * i for i in range(1, n + 1)} and own and \
            len(gets) == n + 1 and ("main", -1, False) in gets
        final = r.of("done", op="read", object="shared", worker="main")[-1]["value"]
        ok = ok and (final == writes[-1]["value"] if strict else final in sets.values())
        return ok, (sets, gets)
    return prop


t.each("thread-local: each thread reads back its own value; the global shows the last writer",
     runs("thread-local"), local_prop())
t.each("thread-local threads=6", [("seed 11", headless("thread-local", "--param", "threads=6", "--seed=11"))],
     local_prop(6))


# ---- daemon ----
def daemon_prop(r):
    exits = [(e["worker"], e["daemon_stopped"]) for e in r.of("exit")]
    order = [w for w, _ in exits]
    ok = r.finished() and exits and exits[-1] == ("daemon", True) and ("main", False) in exits and \
        ("worker", False) in exits and order.index("main") < order.index("worker") < order.index("daemon") and \
        value(r, "progress") == 3 and r.worker("daemon")["state"] == "TERMINATED"
    return ok, exits


t.each("daemon: the program waits for the worker; the daemon is stopped when it ends", runs("daemon"),
     daemon_prop)


# ---- lifecycle ----
ORDER = ["NEW", "RUNNABLE", "TIMED_WAITING", "BLOCKED", "WAITING", "TERMINATED"]


def subsequence(want, seq):
    it = iter(seq)
    return all(any(x == w for x in it) for w in want)


def lifecycle_prop(r):
    states = [e["state"] for e in r.events if e.get("worker") == "T" and "state" in e]
    seen = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]
    firsts = sorted(ORDER, key=lambda s: seen.index(s) if s in seen else 99)
    says = r.says()
    named = [next((i for i, s in enumerate(says) if st in s and (st != "WAITING" or "TIMED_WAITING" not in s)),
                  None) for st in ORDER]
    ok = r.finished() and subsequence(ORDER, seen) and firsts == ORDER and None not in named and \
        named == sorted(named)
    return ok, (seen, named)


t.each("lifecycle: NEW, RUNNABLE, TIMED_WAITING, BLOCKED, WAITING, TERMINATED in order, each named",
     runs("lifecycle"), lifecycle_prop)


# ---- threadpool ----
def pool_prop(workers=3, tasks=8):
    def prop(r):
        taken = sorted(e["value"] for e in r.of("done", op="get", object="tasks") if e["value"] > 0)
        results = {e["object"]: e["value"] for e in r.of("done", op="result", worker="main")}
        set_by = [e["worker"] for e in r.of("done", op="set_result")]
        idle = r.of("blocked", object="tasks")
        # in a free run a put may reach lockstep before the wait it answers:
        # the waiter is then shown woken at once
        free = bool(r.of("mode", mode="run"))
        ok = r.finished() and taken == list(range(1, tasks + 1)) and \
            results == {"f%d" % k: k * k for k in range(1, tasks + 1)} and \
            all(r.obj("f%d" % k)["result"] == k * k for k in range(1, tasks + 1)) and \
            len(set_by) == tasks and all(w.startswith("pool-") for w in set_by) and \
            all(e["state"] == "WAITING" or (free and e["state"] == "RUNNABLE") for e in idle)
        return ok, (taken, results, [e["state"] for e in idle])
    return prop


rs = runs("threadpool", "--param", "work=0")
t.each("threadpool: every task runs once, results come back matched, idle workers WAIT", rs, pool_prop())
t.check(any(len(r.of("blocked", object="tasks")) > 0 for _, r in rs),
        "threadpool: idle pool threads are seen WAITING on the queue")
t.each("threadpool workers=1 tasks=3",
     [("seed 1", headless("threadpool", "--param", "workers=1", "--param", "tasks=3",
                          "--param", "work=0", "--seed=1"))], pool_prop(1, 3))


# ---- gil ----
def gil_prop(rr):
    def prop(r):
        owner, bad, holders, max_proc = None, [], set(), 0
        blocked_procs = [e for e in r.of("blocked") if e["worker"].startswith("P")]
        for e in r.causal():
            o = e.get("object")
            if o == "GIL" and e["type"] == "acquired":
                bad += [e["seq"]] if owner else []
                owner = e["worker"]
            elif o == "GIL" and e["type"] == "released":
                owner = None
            elif e["type"] == "done" and e.get("op") == "work" and e["worker"].startswith("T") \
                    and owner != e["worker"]:
                bad.append(e["seq"])
            elif o and o.startswith("GIL of") and e["type"] == "acquired":
                holders.add(o)
                max_proc = max(max_proc, len(holders))
            elif o and o.startswith("GIL of") and e["type"] == "released":
                holders.discard(o)
        says = r.summary["narration"]
        ok = r.finished() and not bad and not blocked_procs and \
            any("C threads have no GIL" in s for s in says) and (max_proc >= 2 or not rr)
        return ok, (bad, len(blocked_procs), max_proc)
    return prop


args = ("--param", "slice=1", "--param", "work=4")
t.each("gil: at most one thread computes (the GIL holder); processes never wait",
     [("round-robin", headless("gil", *args))], gil_prop(True))
t.each("gil: at most one thread computes (the GIL holder); processes never wait",
     [("seed %d" % s, headless("gil", "--seed=%d" % s, *args)) for s in SEEDS], gil_prop(False))

# ---- io-vs-cpu ----
# The one timing assertion of the catalogue, as the issue asks: IO-bound
# threads must clearly beat sequential. 4 tasks of 150 ms of waiting take
# ~600 ms one after another and ~150 ms on threads; we only ask for less than
# 60% of sequential, which leaves ~200 ms for a loaded CI machine.
r = headless("io-vs-cpu")
cells = {}
if r.summary:
    cells = {o["name"]: o["value"] for o in r.summary["objects"] if o["name"].endswith("_ms")}
t.check(r.finished() and len(cells) == 6 and all(v > 0 for v in cells.values()),
        "io-vs-cpu: six measured wall times in the summary", cells)
t.check(cells and cells["io.threads_ms"] < 0.6 * cells["io.sequential_ms"],
        "io-vs-cpu: IO-bound threads clearly beat sequential", cells)
t.check(r.summary and any("CPU-bound" in s and any(c.isdigit() for c in s) for s in r.summary["narration"]) and
        any(s.startswith("IO-bound ") for s in r.summary["narration"]),
        "io-vs-cpu: the table is in the narration", r.summary and r.summary["narration"][-4:])
t.check(r.of("mode", mode="run") and not r.of("grant"), "io-vs-cpu runs freely, never stepped")
t.check((not r.leftovers()), "io-vs-cpu: nothing left behind", r.leftovers())

# ---- free runs: real kernel waits and real time ----
def free(scene, *args):
    return [("free run", headless(scene, "--free", *args, timeout=30))]


t.each("thread-local", free("thread-local"), local_prop(strict=False))
t.each("daemon", free("daemon", "--param", "tick=20"), daemon_prop)
t.each("lifecycle", free("lifecycle"), lifecycle_prop)
t.each("threadpool", free("threadpool", "--param", "work=1"), pool_prop())
t.each("gil", free("gil", *args), gil_prop(False))
r = headless("timer", "--free", "--param", "delay_a=50", "--param", "delay_b=400", "--param", "cancel_at=10")
t.check(r.finished() and value(r, "A.runs") == 1 and value(r, "B.runs") == 0 and value(r, "A.fired_at_ms") >= 50,
        "timer free run: A fires once, not before its delay; B never runs", r.summary and r.summary["objects"])
t.check((not r.leftovers()), "timer free run: nothing left behind")

# ---- pausing a free run: workers in kernel waits leave them and park ----
# --step-after runs freely, then switches to stepping, as a user who pauses a
# running scene. Whenever the switch comes, the property must still hold and
# the run must end (nobody stays stuck in the kernel).
def paused(scene, *a):
    return [("paused after 150 ms", headless(scene, "--step-after=150", *a, timeout=30))]


t.each("thread-local", paused("thread-local"), local_prop(strict=False))
t.each("daemon", paused("daemon"), daemon_prop)
t.each("lifecycle", paused("lifecycle"), lifecycle_prop)
t.each("threadpool", paused("threadpool", "--param", "work=100"), pool_prop())
t.each("gil", paused("gil", "--param", "slice=20", "--param", "work=4"), gil_prop(False))
r = headless("timer", "--step-after=150", timeout=30)
t.check(r.finished() and value(r, "A.runs") == 1 and value(r, "B.runs") == 0 and r.of("mode", mode="step") and
        (not r.leftovers()), "timer paused after 150 ms: A fires once, B never", r.summary and r.summary["objects"])

# ---- determinism: a seed gives the same settled states every time ----
def settled_states(r):
    """Settled lines, less measured wall times (gil's *_ms values are real time)."""
    out = []
    for l in r.lines:
        if l.get("type") == "settled":
            l = dict(l, objects=[o for o in l["objects"] if not o["name"].endswith("_ms")])
            out.append(l)
    return out


for scene, extra in [("race", ()), ("rlock", ("--param", "kind=lock")), ("semaphore", ("--param", "use=5")),
                     ("event", ("--param", "setter=user")), ("condition", ()), ("barrier", ()),
                     ("timer", ()), ("thread-local", ()), ("daemon", ()), ("lifecycle", ()),
                     ("threadpool", ("--param", "work=0")), ("gil", args)]:
    a = headless(scene, "--seed=7", "--settled", *extra)
    b = headless(scene, "--seed=7", "--settled", *extra)
    same = settled_states(a) == settled_states(b) and len(settled_states(a)) > 3 and \
        a.summary["outcome"] == b.summary["outcome"]
    diff = next(((x, y) for x, y in zip(settled_states(a), settled_states(b)) if x != y), None)
    t.check(same and (not a.leftovers()) and (not b.leftovers()), "%s: the same seed gives the same settled states" % scene,
            (len(settled_states(a)), len(settled_states(b)), diff, a.leftovers(),
             b.leftovers()))

# ---- the catalogue ----
SCENES = ["race", "rlock", "semaphore", "event", "condition", "barrier", "timer", "thread-local",
          "daemon", "lifecycle", "threadpool", "gil", "io-vs-cpu"]
out = run_cli("--list").stdout.splitlines()
ids = {line.split("  ")[0]: line.split("  ", 1)[1] for line in out if "  " in line}
t.check(all(s in ids and ids[s].strip() for s in SCENES), "--list shows every thread scene with a title",
        [s for s in SCENES if s not in ids])
for scene, bad in [("race", "lock=maybe"), ("barrier", "parties=0"), ("semaphore", "threads=99"),
                   ("timer", "delay_a=-1"), ("threadpool", "tasks=33")]:
    p = run_cli("--headless", scene, "--param", bad)
    t.check(p.returncode == EXIT_USAGE and bad.split("=")[0] in p.stderr,
            "%s --param %s is refused with a clear message" % (scene, bad), p.stderr)
t.done()
