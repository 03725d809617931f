#!/usr/bin/env python3
"""lockstep's view beside the kernel's (/proc/<pid>/task/<tid>/stat): a
deadlocked pair, of threads and of processes, in a controlled run and in a
free run, reads S (sleeping) in the kernel while lockstep shows BLOCKED; a
process that has exited unreaped reads Z in both views. The summary carries
the kernel's state per worker, read just before the scene is stopped."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, EXIT_USAGE, Tap, headless, leftovers  # noqa: E402

t = Tap()
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES", "")


def futex_or_unreadable(w):
    # where the kernel lets us read the wait channel, a sleeping lock
    # waiter sleeps in a futex wait
    return "wchan" not in w or "futex" in w["wchan"]


def pair(r, names, label, gate):
    s = r.summary
    t.check(r.rc == EXIT_DEADLOCK and s["outcome"] == "deadlock", label + ": deadlock, exit 3",
            r.stderr[-300:])
    for n in names:
        w = r.worker(n)
        t.check(w["state"] == "BLOCKED" and w["gate"] == gate,
                label + ": lockstep shows %s BLOCKED (%s)" % (n, gate), w)
        t.check(w.get("kernel_state") == "S", label + ": the kernel shows %s sleeping (S)" % n, w)
        t.check(futex_or_unreadable(w), label + ": %s sleeps in a futex wait" % n, w.get("wchan"))
        t.check(w.get("tid", 0) > 0, label + ": %s has a tid" % n)
    t.check("kernel_note" in s, label + ": the summary says what each view means")
    t.check(not leftovers(r.host_pid()), label + ": nothing left behind", leftovers(r.host_pid()))


# controlled run: every worker parks at its gate, so the kernel shows S
r = headless("deadlock", "--schedule=T1,T2,T1,T2", "--param", "work=0")
pair(r, ["T1", "T2"], "threads, controlled", "parked")
t.check(r.worker("main").get("kernel_state") == "S" and r.worker("main")["state"] == "WAITING",
        "threads, controlled: main joining reads WAITING here and S in the kernel")
t.check(r.worker("T1")["pid"] == r.worker("T2")["pid"] == r.host_pid() and
        r.worker("T1")["tid"] != r.worker("T2")["tid"], "threads share the host's pid, each its own tid")
t.check("Controlled run" in r.summary["kernel_note"], "the note explains the controlled run's S")

r = headless("deadlock-processes", "--schedule=P1,P2,P1,P2", "--param", "work=0")
pair(r, ["P1", "P2"], "processes, controlled", "parked")
t.check(r.worker("P1")["tid"] == r.worker("P1")["pid"], "a process worker's tid is its pid")

# free run: the kernel schedules; the pair sleeps inside the real lock. The
# work between the two locks makes the deadlock near certain; a run that
# slips past it is tried again, a few times at most.
for scene, names in (("deadlock", ["T1", "T2"]), ("deadlock-processes", ["P1", "P2"])):
    for attempt in range(5):
        r = headless(scene, "--free", "--param", "work=200", timeout=30)
        if r.summary and r.summary["outcome"] != "finished":
            break
    pair(r, names, scene + ", free run", "kernel")
    t.check("Free run" in r.summary["kernel_note"], scene + ", free run: the note explains it")
    t.check(r.summary.get("steps") == 0, scene + ", free run: nobody granted steps")

r = headless("deadlock", "--free", "--seed=3")
t.check(r.rc == EXIT_USAGE and "--free" in r.stderr, "--free with --seed is bad usage (the kernel schedules)",
        r.stderr)

# a zombie: the child has exited, its parent never reaps it
if TEST_SCENES:
    r = headless("test-zombie", "--scene-path=" + TEST_SCENES)
    s = r.summary
    t.check(r.rc == EXIT_DEADLOCK and s["outcome"] == "stalled", "zombie scene: stalled, exit 3", r.stderr)
    z = r.worker("Z")
    t.check(z["state"] == "ZOMBIE" and z.get("kernel_state") == "Z",
            "an exited, unreaped process is ZOMBIE in lockstep and Z in the kernel", z)
    t.check(z["exit_code"] == 7, "its exit code is known before it is reaped", z)
    m = r.worker("main")
    t.check(m["state"] == "BLOCKED" and m.get("kernel_state") == "S", "its parent: BLOCKED and S", m)
    t.check(s["stalled"] == ["main"] and "cycle" not in s, "the stall names main and no cycle")
    t.check(any("nobody else is alive" in n for n in s["narration"]),
            "the stall is narrated: nobody else is alive to post the semaphore", s["narration"])
    t.check(not leftovers(r.host_pid()), "zombie scene: nothing left behind (the zombie was reaped)",
            leftovers(r.host_pid()))
else:
    t.check(False, "LOCKSTEP_TEST_SCENES is set by meson", "run this test through meson test")

# a finished run has no kernel view to show: every task is gone, and the
# summary says so for each worker (a reaped task has no kernel state)
HOMEWORK = "rest,signal:group:INT,rest,signal:group:QUIT,rest,signal:group:TSTP"
for args in (["deadlock", "--schedule=T1,T1,T1,T1", "--param", "work=0"], ["signals", "--schedule=" + HOMEWORK],
             ["pipe"], ["zombie-orphan"], ["shm", "--param", "lock=off"], ["crowd", "--param", "workers=8"],
             ["pipe", "--free"], ["zombie-orphan", "--free"]):
    r = headless(*args)
    label = " ".join(args)
    ws = r.summary["workers"] if r.summary else []
    wrong = [(w["name"], w["state"], w.get("kernel"), w.get("kernel_state")) for w in ws
             if w["state"] != "TERMINATED" or w.get("kernel") != "gone" or w.get("kernel_state", "?") is not None]
    t.check(r.rc == EXIT_OK and ws and not wrong,
            label + ": at the end every worker is TERMINATED and gone from the kernel's view", wrong)

# a deadlocked run: the kernel agrees with each live worker, nothing flagged
r = headless("deadlock-processes", "--schedule=P1,P2,P1,P2", "--param", "work=0")
ws = r.summary["workers"] if r.summary else []
t.check(ws and all(w.get("kernel") == "agrees" and "kernel_disagreement" not in w for w in ws),
        "deadlock-processes: the kernel agrees with every worker", [(w["name"], w.get("kernel")) for w in ws])
t.done()
