#!/usr/bin/env python3
"""lockstep run -- python3 PROGRAM.py: the thread examples (examples/python)
under the headless front end, with their lessons checked from the JSON.

The interpreter is Debian's /usr/bin/python3 when there is one (the one a
course machine has), else whatever `python3` is on PATH; the tracer needs
3.9 or newer.

Documented schedules: deadlock.py deadlocks under T1,T2,T1,T2 (each takes
its first lock, then each asks for the other's); the default schedule
(round-robin after whoever moved) loses updates in race.py.
"""
import os
import re
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import (EXIT_DEADLOCK, EXIT_ERROR, EXIT_OK, LOCKSTEP, Live, Run, Tap,  # noqa: E402
                    headless, leftovers, run_cli, wait_for)

t = Tap()
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "python")
PROGS = os.path.join(HERE, "progs")
PY = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else shutil.which("python3")


def run(prog, *args, timeout=60):
    """lockstep --headless [ARGS] run -- PY PROG"""
    path = prog if os.path.isabs(prog) else os.path.join(EXAMPLES, prog + ".py")
    return headless("run", *args, "--", PY, path, timeout=timeout)


def outputs(r, worker=None):
    return [e["line"] for e in r.events
            if e["type"] == "output" and "line" in e and (worker is None or e.get("worker") == worker)]


def clean(r, what):
    left = r.leftovers()
    t.check(not left, "%s: nothing left behind" % what, left)


def holders(state, obj):
    return sum(w["holds"].count(obj) for w in state["workers"])


# ---- every thread example runs to its end under the default schedule ----
FINISH = ["deadlock-ordered", "producer-consumer", "race", "race-locked", "rlock", "semaphore",
          "event", "condition", "barrier", "timer", "thread-local", "thread-names", "thread-pool"]
for name in FINISH:
    r = run(name)
    t.check(r.finished(), "%s finishes under lockstep, nothing odd in the model" % name,
            (r.rc, r.summary and r.summary.get("outcome"), r.summary and r.summary.get("error"),
             r.stderr[-400:]))
    t.check(all(w["state"] == "TERMINATED" for w in (r.summary or {}).get("workers", [])),
            "%s: every worker ended" % name, r.summary)
    clean(r, name)

# the catalog lists the examples beside the scenes, and runs one by its id
lst = run_cli("--list").stdout
t.check(all(re.search(r"^py/%s  \S" % n, lst, re.M) for n in FINISH + ["deadlock"]),
        "--list shows every example as py/NAME with its title", lst)
r = headless("py/deadlock", "--schedule=T1,T2,T1,T2")
t.check(r.rc == EXIT_DEADLOCK and r.summary["outcome"] == "deadlock",
        "lockstep py/deadlock runs the example", (r.rc, r.stderr))

# ---- deadlock: reached under the documented schedule, named in the program's words ----
r = run("deadlock", "--schedule=T1,T2,T1,T2")
t.check(r.rc == EXIT_DEADLOCK and r.summary["outcome"] == "deadlock",
        "deadlock.py deadlocks under T1,T2,T1,T2 (exit 3)", (r.rc, r.summary and r.summary["outcome"]))
t.check(r.summary and r.summary.get("cycle_text") == "T1 → B → T2 → A → T1",
        "the cycle is named with the program's own variables and thread names",
        r.summary and r.summary.get("cycle_text"))
t.check(r.summary and r.obj("A")["owner"] == "T1" and r.obj("B")["owner"] == "T2",
        "A is held by T1, B by T2")
src = open(os.path.join(EXAMPLES, "deadlock.py")).read().splitlines()
line_b = [i + 1 for i, l in enumerate(src) if "with B:" in l and "等 B" in l][0]
t.check(r.summary and r.worker("T1").get("where") == "deadlock.py:%d" % line_b,
        "T1's operation shows its file and line (deadlock.py:%d)" % line_b,
        r.summary and r.worker("T1"))
t.check(any(e["type"] == "where" for e in r.events), "the where records are in the JSON")
clean(r, "deadlock")

# ---- deadlock-ordered: never, whatever the seed ----
never = True
for seed in range(1, 13):
    r = run("deadlock-ordered", "--seed=%d" % seed)
    if r.rc != EXIT_OK or r.summary["outcome"] != "finished":
        never = False
        t.check(False, "deadlock-ordered finishes with seed %d" % seed, (r.rc, r.summary))
t.check(never, "deadlock-ordered never deadlocks (12 seeds)")

# ---- producer-consumer: no item lost, none twice, in order ----
for seed in (None, 3, 7):
    r = run("producer-consumer", *(["--seed=%d" % seed] if seed else []))
    puts = [e["value"] for e in r.events if e["type"] == "done" and e.get("op") == "put"]
    gets = [e["value"] for e in r.events if e["type"] == "done" and e.get("op") == "get"]
    t.check(puts[:8] == list(range(1, 9)) and gets[:8] == list(range(1, 9)) and len(gets) == 9,
            "producer-consumer (seed %s): 1..8 put and got in order, then the end" % seed,
            (puts, gets))
    t.check("consumer total 36" in outputs(r, "consumer"),
            "producer-consumer (seed %s): the consumer's own print is its OUTPUT line" % seed,
            outputs(r))
    full = [s for s in r.settled if s] if r.settled else []
    t.check(r.summary and r.summary["anomalies"] == 0, "the model saw puts and gets in order")

# ---- semaphore: never more than 3 holders, and 3 at some point ----
most = 0
for seed in (None, 1, 2, 5):
    r = run("semaphore", "--settled", *(["--seed=%d" % seed] if seed else []))
    counts = [holders(s, "room") for s in r.settled]
    most = max([most] + counts)
    t.check(counts and max(counts) <= 3, "semaphore (seed %s): never more than 3 holders" % seed,
            counts)
    t.check(all(s["objects"] and True for s in r.settled), "semaphore: settled states have objects")
t.check(most == 3, "Semaphore(3) is full (3 holders) at some point", most)

# ---- race: updates lost under the default schedule, never with the lock ----
r = run("race")
t.check("counter 3 expected 6" in outputs(r, "main"),
        "race.py loses updates under the default schedule (counter 3 of 6)", outputs(r))
lost_somewhere = False
for seed in range(1, 9):
    r = run("race", "--seed=%d" % seed)
    if any(re.match(r"counter [0-5] expected 6", l) for l in outputs(r)):
        lost_somewhere = True
t.check(lost_somewhere, "race.py loses updates with some seed")
for seed in (None, 1, 2, 3, 4, 5):
    r = run("race-locked", *(["--seed=%d" % seed] if seed else []))
    t.check("counter 6 expected 6" in outputs(r), "race-locked (seed %s) never loses one" % seed,
            outputs(r))

# ---- barrier: Barrier(3) with five threads leaves two waiting ----
r = run("barrier", "--settled")
passed = [e["worker"] for e in r.events if e["type"] == "done" and e.get("op") == "wait"
          and e.get("object") == "gate"]
waiting = max([sum(1 for w in s["workers"] if w.get("waits_for") == "gate") for s in r.settled] or [0])
t.check(len(passed) == 3, "three threads pass the barrier", passed)
t.check("waiting at the barrier: 2" in outputs(r, "main"), "the program sees two waiting", outputs(r))
t.check(waiting >= 2, "lockstep shows two threads waiting at the barrier", waiting)
stopped = [e["worker"] for e in r.events if e["type"] == "exit" and e.get("daemon_stopped")]
t.check(len(stopped) == 2, "the two waiting daemons are stopped when main ends", stopped)

# ---- rlock: the hold count climbs to 3 ----
r = run("rlock")
counts = [e["value"] for e in r.events if e["type"] == "acquired" and e.get("object") == "lock"]
t.check(max(counts or [0]) == 3 and counts.count(3) == 2, "RLock's hold count reaches 3 in each thread",
        counts)

# ---- condition: odd and even in turn, each notify names who it woke ----
r = run("condition")
t.check([l.split()[-1] for l in outputs(r)] == [str(i) for i in range(1, 7)],
        "condition prints 1..6 in turn", outputs(r))
t.check(any(e["type"] == "notify" and e.get("woken") for e in r.events),
        "a notify names the waiter it woke")

# ---- thread pool: futures are objects, results in order ----
r = run("thread-pool")
t.check(["result %d" % (n * n) for n in range(1, 7)] == outputs(r, "main"),
        "thread-pool: main gets the six squares in order", outputs(r))
t.check(r.summary and any(o["kind"] == "future" for o in r.summary["objects"]),
        "thread-pool: its futures are objects")

# ---- timer: its delay is virtual time, a cancelled one never fires ----
r = run("timer", "--settled")
t.check(outputs(r) == ["ring for alarm", "done"], "only the alarm rings, snooze was cancelled",
        outputs(r))
t.check(max(s["vclock_ns"] for s in r.settled) == 200000000,
        "the alarm's 0.2 s is virtual time in a controlled run",
        sorted(set(s["vclock_ns"] for s in r.settled)))
t.check(any(e["type"] == "done" and e.get("op") == "set" and e.get("object") == "snooze.finished"
            and e.get("worker") == "main" for e in r.events),
        "cancel() is main's set of snooze.finished, an operation the class sees")

# ---- thread pool: the same schedule, the same run (CPython joins a set) ----
first = None
for i in range(8):
    r = run("thread-pool", "--settled", "--seed=11")
    got = [(s["step"], [(w["name"], w["state"], w["gate"]) for w in s["workers"]]) for s in r.settled]
    if first is None:
        first = got
    elif got != first:
        break
t.check(got == first, "thread-pool --seed=11: the same settled states in 8 runs", i)

# ---- determinism: one schedule, the same settled states, 20 runs ----
def states(r):
    def worker(w):
        return (w["name"], w["state"], w["gate"], w["op"], w.get("where"), tuple(w["holds"]))
    return [(s["step"], s["vclock_ns"], [worker(w) for w in s["workers"]]) for s in r.settled]


first = None
same = True
for i in range(20):
    r = run("producer-consumer", "--settled", "--seed=4")
    if first is None:
        first = states(r)
    elif states(r) != first:
        same = False
        t.check(False, "run %d reaches the same settled states as the first" % i,
                [a for a in zip(first, states(r)) if a[0] != a[1]][:1])
        break
t.check(same and first, "producer-consumer --seed=4: the same settled states over 20 runs")

# ---- names: the variable a creating line assigns, else Kind@file:line ----
r = run(os.path.join(PROGS, "names.py"))
names = sorted(o["name"] for o in (r.summary or {}).get("objects", []))
t.check(r.finished(), "names.py finishes", (r.rc, r.stderr[-300:]))
fallback = [i + 1 for i, l in enumerate(open(os.path.join(PROGS, "names.py"))) if "fallback" in l][0]
for n in ("plain", "lock", "forks", "forks#2", "Lock@names.py:%d" % fallback, "ready", "ready.lock",
          "jobs"):
    t.check(n in names, "an object is named %s" % n, names)

# ---- bad input: one clear line, exit 1 ----
for args, words in ((["run", "--", PY, "/nonexistent/prog.py"], "cannot read the program"),
                    (["run", "--", "no-such-python3", "x.py"], "cannot run 'no-such-python3'"),
                    (["run", "--", PY, "-c", "print(1)"], "traces a program file"),
                    (["run"], "needs a program")):
    p = run_cli("--headless", *args)
    lines = p.stderr.strip().splitlines()
    t.check(p.returncode == EXIT_ERROR and len(lines) == 1 and words in lines[0] and not p.stdout,
            "%s: one line, exit 1" % " ".join(args[2:] or args), (p.returncode, p.stderr))

# ---- BoundedSemaphore (Python 3.11 builds it on Semaphore by its global name) ----
for opts in ([], ["--seed=2"], ["--free"]):
    label = "BoundedSemaphore " + (" ".join(opts) or "default schedule")
    r = run(os.path.join(PROGS, "bounded_sem.py"), *opts)
    said = outputs(r)
    t.check(r.finished() and sorted(l for l in said if l.startswith("in ")) == ["in 0", "in 1", "in 2", "in 3"],
            label + ": the program runs to its end, every thread gets in", (r.rc, said, r.stderr[-600:]))
    t.check("at most 2 inside" in said or "at most 1 inside" in said,
            label + ": never more than two inside at once", said)
    t.check("ValueError: Semaphore released too many times" in said,
            label + ": a release beyond its value raises ValueError, as Python's does", said)
    t.check("pool: [1, 2, 3]" in said, label + ": a thread pool beside it still works", said)
    sem = r.summary and [o for o in r.summary["objects"] if o["name"] == "gate"]
    t.check(bool(sem) and sem[0]["kind"] == "semaphore" and sem[0]["value"] == 2,
            label + ": the semaphore is shown by its variable, gate, with 2 units free at the end", sem)
    clean(r, label)

# ---- a Barrier's timed wait is no stall, in a free run too ----
for opts in ([], ["--free"], ["--free"], ["--seed=4"]):
    label = "Barrier(3, timeout) with two threads " + (" ".join(opts) or "default schedule")
    r = run(os.path.join(PROGS, "barrier_timeout.py"), *opts)
    said = outputs(r)
    t.check(r.finished() and sorted(l for l in said if l[:1].isdigit()) == ["0 broken", "1 broken"]
            and "broken: True" in said,
            label + ": both waits time out and break it; the program ends by itself",
            (r.rc, r.summary and r.summary.get("outcome"), said, r.stderr[-400:]))
    t.check(not any("Stall" in l or "stall" in l for l in said) and
            (r.summary or {}).get("stalled") == [],
            label + ": no stall is claimed while a wait can still time out", (said, r.summary and r.summary.get("stalled")))
    clean(r, label)

# ---- two objects made on one line are named by their own variables ----
r = run(os.path.join(PROGS, "oneline_locks.py"), "--schedule=T1,T2,T1,T2")
t.check(r.rc == EXIT_DEADLOCK and r.summary and r.summary.get("cycle_text") == "T1 → b → T2 → a → T1",
        "a = Lock(); b = Lock() on one line: the cycle names a and b", r.summary and r.summary.get("cycle_text"))
t.check(r.summary and sorted(o["name"] for o in r.summary["objects"]) == ["a", "b"],
        "... and the objects are a and b, not a and a#2", r.summary and [o["name"] for o in r.summary["objects"]])

r = run(os.path.join(PROGS, "exit3.py"))
t.check(r.rc == EXIT_ERROR and r.summary["outcome"] == "error" and
        "exited with status 3" in r.summary.get("error", ""),
        "a program that exits 3 ends the run with that status", (r.rc, r.summary))
r = run(os.path.join(PROGS, "raises.py"))
t.check(r.rc == EXIT_ERROR and "exited with status 1" in r.summary.get("error", "") and
        any("ZeroDivisionError" in l for l in outputs(r, "main")),
        "an uncaught exception: status 1, the traceback in main's output", (r.rc, outputs(r)))
tb = [l for l in outputs(r, "main") if "File " in l]
t.check(tb and all("raises.py" in l for l in tb), "the traceback shows the program's frames only", tb)
env = dict(os.environ, LOCKSTEP_TRACE_MIN_PYTHON="3.99")
p = subprocess.run([os.environ.get("LOCKSTEP") or "lockstep", "--headless", "run", "--", PY,
                    os.path.join(EXAMPLES, "deadlock.py")], capture_output=True, text=True, env=env,
                   timeout=60)
t.check(p.returncode == EXIT_ERROR and "needs Python 3.99 or newer" in p.stderr,
        "a Python older than the tracer needs says so", (p.returncode, p.stderr[-300:]))

# ---- killed mid-run: the outcome says so, nothing is left ----
live = Live("run", "--", PY, os.path.join(PROGS, "hang.py"))
spawn = live.read_until(lambda e: e.get("type") == "spawn" and e.get("worker") == "main", "main's spawn")
live.read_until(lambda e: e.get("type") == "acquired" and e.get("object") == "held", "held taken")
host = live.host_pid()
os.kill(spawn["pid"], signal.SIGKILL)
summary = live.read_until(lambda e: e.get("type") == "summary", "the summary")
live.close()
t.check(summary["outcome"] == "crashed" and "killed by" in summary.get("error", ""),
        "a program killed mid-run: outcome crashed, killed by SIGKILL", summary.get("error"))
left = leftovers(host)
t.check(not left, "the killed program leaves nothing", left)

live = Live("run", "--", PY, os.path.join(PROGS, "hang.py"))
live.read_until(lambda e: e.get("type") == "acquired" and e.get("object") == "held", "held taken")
host = live.host_pid()
live.p.send_signal(signal.SIGINT)
live.close()
left = leftovers(host)
t.check(not left, "lockstep stopped mid-run (^C) leaves no python, no host, no run dir", left)

# lockstep killed with SIGKILL: its host dies with it (PDEATHSIG), and so
# must the program, which a dead host can no longer reap or kill
live = Live("run", "--", PY, os.path.join(PROGS, "hang.py"))
spawn = live.read_until(lambda e: e.get("type") == "spawn" and e.get("worker") == "main", "main's spawn")
live.read_until(lambda e: e.get("type") == "acquired" and e.get("object") == "held", "held taken")
host = live.host_pid()
live.p.kill()
live.close()


def gone(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


try:
    wait_for(lambda: gone(spawn["pid"]) and gone(host), "the program to die with lockstep", timeout=20)
except AssertionError:
    pass
t.check(gone(spawn["pid"]), "lockstep killed with SIGKILL: the program dies too", spawn["pid"])
if not gone(spawn["pid"]):
    os.kill(spawn["pid"], signal.SIGKILL)

# ---- concurrent.futures.wait() and as_completed(): waits on the futures ----
# futures_wait.py: main waits 0.5 s for a task that cannot finish yet (it
# times out, in virtual time), releases it and waits in as_completed()
# until it completes, then wait()s for all. Each wait is main's, at its
# gate, on futures:main; the pool worker that completes a future sets it.
for opts in ((), ("--seed=2",), ("--free",)):
    label = "futures wait " + (" ".join(opts) or "default schedule")
    r = run(os.path.join(PROGS, "futures_wait.py"), *opts)
    if not t.check(r.finished(), label + ": finishes", (r.rc, r.stderr[-400:])):
        continue
    t.check(outputs(r) == ["timed out: 0 done, 1 not done", "completed 4", "all: 3 done, 0 not done"],
            label + ": wait() times out, as_completed() yields the task, wait() sees all", outputs(r))
    on = [(e["type"], e["worker"]) for e in r.events
          if e.get("object") == "futures:main" and e["type"] in ("want", "timeout", "done")]
    waits = [e for e in r.events if e.get("object") == "futures:main" and e["type"] == "want"]
    free = "--free" in opts
    # a free run may find a future done before it would wait: only the
    # first wait (its task cannot finish yet) is sure to be there
    t.check((len(waits) >= 1 if free else len(waits) == 3)
            and all(e["worker"] == "main" and e["op"] == "wait" for e in waits)
            and waits[0]["arg"] == 500 and ("timeout", "main") in on
            and (free or any(k == "done" and w.startswith("ThreadPoolExecutor") for k, w in on)),
            label + ": each wait is main's on futures:main (the first timed), set by a pool worker", on)
    if not free:
        parked = [e for e in r.events if e.get("object") == "futures:main" and e["type"] == "blocked"]
        t.check(len(parked) >= 2 and all(e["worker"] == "main" for e in parked)
                and parked[0].get("deadline_ns") == 500000000,
                label + ": main parks at its gate while it waits (the first with a deadline)", parked)
    clean(r, label)

# ---- --rerun of `lockstep run -- PROGRAM`: the recording names the program ----
def rerun_of_a_program():
    import struct
    import tempfile
    tmp = tempfile.mkdtemp(prefix="lockstep-pyrerun-test.")
    try:
        rec = os.path.join(tmp, "run.rec")
        # a relative path to the program, as a student types it
        cmd = [LOCKSTEP, "--headless", "--settled", "--seed=11", "--record=" + rec, "run", "--",
               PY, os.path.relpath(os.path.join(EXAMPLES, "race-locked.py"), EXAMPLES)]
        live = Run(cmd, subprocess.run(cmd, capture_output=True, text=True, timeout=90, cwd=EXAMPLES))
        t.check(live.finished() and live.settled, "a recorded program run finishes", (live.rc, live.stderr))
        cmd = [LOCKSTEP, "--headless", "--settled", "--rerun=" + rec]
        again = Run(cmd, subprocess.run(cmd, capture_output=True, text=True, timeout=90, cwd=tmp))
        strip = lambda r: [(s["step"], [(w["name"], w["state"], w.get("op")) for w in s["workers"]],
                            s["objects"]) for s in r.settled]
        t.check(again.rc == EXIT_OK and strip(again) == strip(live),
                "--rerun of a program run (from another directory) runs the program again "
                "through the same settled states", (again.rc, again.stderr[-400:]))
        # a recording that does not name its program is refused in one line
        with open(rec, "rb") as f:
            b = f.read()
        bom, ver, n = struct.unpack("<III", b[8:20])
        head = b"".join(l + b"\n" for l in b[20:20 + n].split(b"\n") if l and not l.startswith(b"arg="))
        old = os.path.join(tmp, "old.rec")
        with open(old, "wb") as f:
            f.write(b[:8] + struct.pack("<III", bom, ver, len(head)) + head + b[20 + n:])
        r = run_cli("--headless", "--rerun=" + old)
        t.check(r.returncode == EXIT_ERROR and r.stdout == "" and len(r.stderr.splitlines()) == 1
                and "lockstep run -- python3 PROGRAM.py" in r.stderr,
                "--rerun of a program run that does not name its program says what to run instead",
                (r.returncode, r.stderr))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


rerun_of_a_program()

t.done()
