#!/usr/bin/env python3
"""The process examples of examples/python under `lockstep --headless run`,
with Debian's /usr/bin/python3: properties read from the JSON, never from
timing. The driver/conductor homework prints its three lines in order from
the right processes and the conductor gets off first, under the default
schedule, seeds and a free run; Process exit codes and terminate are seen;
the zombie is a zombie until it is reaped, and the orphan is adopted; the
shared Value loses updates under some schedule and never with its lock; the
shared Semaphore never has more holders than its value; nothing is left
behind (processes, /dev/shm/sem.mp-*, the run directory) however the run
ends, the program killed mid-run included."""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import LOCKSTEP, EXIT_OK, Live, Run, Tap, leftovers  # noqa: E402

t = Tap()
PY = os.environ.get("LOCKSTEP_TEST_PYTHON", "/usr/bin/python3")
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "python")
DRIVES, BELTS, ARRIVED = "老司机开车了", "系好安全带，小心甩出去", "到站了，下车吧"


def run(prog, *args, opts=(), timeout=60):
    """`lockstep --headless run OPTS -- python3 PROG ARGS`, stdin not a
    terminal (the homework drives itself then)."""
    path = prog if os.path.isabs(prog) else os.path.join(EXAMPLES, prog)
    cmd = [LOCKSTEP, "--headless", "run", "--timeout=%d" % timeout] + list(opts) + ["--", PY, path] + list(args)
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout + 30)
    return Run(cmd, proc)


def printed(r):
    """(worker, line) of every whole line a process printed, in seq order."""
    return [(e["worker"], e["line"]) for e in r.causal() if e["type"] == "output" and "line" in e]


def finished(r, label):
    return t.check(r.finished(), label + ": finishes", (r.rc, r.stderr[-400:], r.summary and r.summary.get("outcome")))


def nothing_left(r, label):
    left = r.leftovers()
    t.check(not left, label + ": nothing left behind", left)


# ---- the homework: the driver (main, the parent) and the conductor ----

def homework(r, label):
    if not finished(r, label):
        return
    lines = [(w, l) for w, l in printed(r) if l in (DRIVES, BELTS, ARRIVED)]
    t.check(lines == [("main", DRIVES), ("main", BELTS), ("conductor", ARRIVED)],
            label + ": 老司机开车了 and 系好安全带，小心甩出去 from the driver, then 到站了，下车吧 from the "
            "conductor, each once, in that order", lines)
    handled = [(e["worker"], e["signal"]) for e in r.causal() if e["type"] == "handler"]
    t.check(handled == [("conductor", "INT"), ("main", "USR1"), ("conductor", "QUIT"), ("main", "USR2"),
                        ("main", "TSTP"), ("conductor", "USR1")],
            label + ": each signal is handled by the right process, in order", handled)
    sent = [(e["worker"], e["target"], e["signal"]) for e in r.causal() if e["type"] == "signal"]
    t.check(sent == [("main", "conductor", "INT"), ("conductor", "main", "USR1"), ("main", "conductor", "QUIT"),
                     ("conductor", "main", "USR2"), ("main", "main", "TSTP"), ("main", "conductor", "USR1")],
            label + ": who sent which signal to whom, each announced as handled", sent)
    t.check(all(e["outcome"] == "handled" for e in r.of("signal")), label + ": every signal was going to be handled",
            [e["outcome"] for e in r.of("signal")])
    # (its EXIT is the engine's, read from /proc; when the driver reaps it
    # first, REAPED alone tells its end, with its status)
    ce, me = r.of("exit", worker="conductor"), r.of("exit", worker="main")
    reaped = r.of("reaped", worker="conductor")
    t.check(me and reaped and (not ce or ce[0]["seq"] < reaped[0]["seq"]) and reaped[0]["seq"] < me[0]["seq"] and
            reaped[0]["by"] == "main" and reaped[0]["exit_code"] == 0,
            label + ": the conductor gets off first, the driver reaps it, then ends", (ce, reaped, me))
    # (a controlled run: handlers run at the parked join's gate, and the
    # gate announces again what it waits for; in a free run a handler that
    # came during another may run after it, and its own kill follows)
    mine = [e for e in r.causal() if e["worker"] == "main" and e["type"] in ("want", "done", "blocked")]
    again = [b["op"] for a, b in zip(mine, mine[1:]) if a["type"] == "done" and a["op"] == "handler" and
             b["type"] == "want"]
    t.check("--free" in r.args or all(op == "join" for op in again),
            label + ": after its handlers ran the driver says again it waits to join, not what a handler did",
            again)
    nothing_left(r, label)


homework(run("signals-homework.py"), "homework")
for seed in (1, 2, 3):
    homework(run("signals-homework.py", opts=["--seed=%d" % seed]), "homework seed %d" % seed)
homework(run("signals-homework.py", opts=["--free"]), "homework free run")

# Interactive, as in a lecture: the user sends the keyboard's signals to the
# whole group (the run's host is in it too, and must not die of them); each
# process ignores the ones that are not its own.
KEYS = "rest,signal:group:INT,rest,signal:group:QUIT,rest,signal:group:TSTP"
r = run("signals-homework.py", "--interactive", opts=["--schedule=" + KEYS])
if finished(r, "homework, the user's keys"):
    lines = [(w, l) for w, l in printed(r) if l in (DRIVES, BELTS, ARRIVED)]
    t.check(lines == [("main", DRIVES), ("main", BELTS), ("conductor", ARRIVED)],
            "homework, the user's keys: the three lines from the right processes, in order", lines)
    sent = {(e["signal"], e["target"]): e["outcome"] for e in r.of("signal") if e["worker"] is None}
    t.check(sent == {("INT", "main"): "ignored", ("INT", "conductor"): "handled",
                     ("QUIT", "main"): "ignored", ("QUIT", "conductor"): "handled",
                     ("TSTP", "main"): "handled", ("TSTP", "conductor"): "ignored"},
            "homework, the user's keys: each ignores the keyboard's signals that are not its own", sent)
    nothing_left(r, "homework, the user's keys")

# A handler runs while main is parked at its gate (here: waiting for a
# lock, in a controlled run, the signal sent as the `!` menu sends it), and
# is announced as a scene's handler is: without it nobody moves again.
r = run(os.path.join(HERE, "progs", "sig_parked.py"),
        opts=["--schedule=main,T,T,main,signal:main:INT,rest"])
if finished(r, "handler at a parked gate"):
    ev = [(e["type"], e.get("worker")) for e in r.causal()
          if e["type"] in ("blocked", "handler") or (e["type"] == "output" and "line" in e)]
    parked = ("blocked", "main")
    t.check(parked in ev and ("handler", "main") in ev
            and ev.index(parked) < ev.index(("handler", "main")),
            "handler at a parked gate: main parks at lock(L), then its SIGINT handler runs there", ev)
    t.check([l for w, l in printed(r)] == ["handler ran", "main got L"],
            "handler at a parked gate: the handler ran before main got L", printed(r))
    nothing_left(r, "handler at a parked gate")

# ---- Process: start, join, exitcode, terminate ----

r = run("process.py")
if finished(r, "process"):
    codes = {n: r.worker(n).get("exit_code") for n in ("worker-ok", "worker-err", "sleeper")}
    t.check(codes == {"worker-ok": 0, "worker-err": 3, "sleeper": -15},
            "process: exit codes 0, 3 and -15 (terminated by SIGTERM)", codes)
    term = [e for e in r.of("signal") if e["target"] == "sleeper"]
    want = r.of("want", worker="main", op="terminate")
    t.check(want and len(term) == 1 and term[0]["signal"] == "TERM" and term[0]["outcome"] == "terminates",
            "process: terminate() is an operation of main that sends SIGTERM, announced as fatal", (want, term))
    ex = r.of("exit", worker="sleeper")
    t.check(ex and ex[0].get("signal") == "TERM", "process: the sleeper died of SIGTERM", ex)
    reaped = {e["worker"]: e["by"] for e in r.of("reaped")}
    t.check(reaped == {"worker-ok": "main", "worker-err": "main", "sleeper": "main"},
            "process: main reaps every child", reaped)
    out = [l for w, l in printed(r) if w == "main" and ": exitcode " in l]
    t.check(out == ["worker-ok: exitcode 0", "worker-err: exitcode 3", "sleeper: exitcode -15"],
            "process: the program sees the same exit codes", out)
    nothing_left(r, "process")

# ---- the zombie and the orphan ----

r = run("zombie.py")
if finished(r, "zombie"):
    ex, reaped = r.of("exit", worker="child"), r.of("reaped", worker="child")
    seen = [e for e in r.causal() if e["type"] == "output" and e.get("line", "").startswith("zombie: child")]
    t.check(ex and reaped and seen and ex[0]["state"] == "ZOMBIE" and ex[0]["code"] == 7 and
            ex[0]["seq"] < seen[0]["seq"] < reaped[0]["seq"] and seen[0]["line"].endswith("state Z"),
            "zombie: the child is a zombie from its exit until main reaps it, and /proc agrees",
            (ex, seen, reaped))
    t.check(reaped and reaped[0]["state"] == "TERMINATED" and reaped[0]["exit_code"] == 7,
            "zombie: reaped with its exit status, then terminated", reaped)
    gone = [l for w, l in printed(r) if l.startswith("reaped: child")]
    t.check(gone and gone[0].endswith("state now gone"), "zombie: after the wait /proc has no such process", gone)
    adopted = r.of("adopted", worker="orphan")
    told = [l for w, l in printed(r) if w == "orphan"]
    t.check(len(adopted) == 1 and told and "now %d" % adopted[0]["ppid"] in told[0] and
            adopted[0]["ppid"] != r.worker("middle")["pid"],
            "zombie: the orphan is adopted once its parent is gone, and says so", (adopted, told))
    # the host, the subreaper that adopted it, reaps it: it ends TERMINATED,
    # reaped by lockstep, not a zombie for ever
    o_exit, o_reaped = r.of("exit", worker="orphan"), r.of("reaped", worker="orphan")
    t.check(len(o_exit) == 1 and len(o_reaped) == 1 and o_exit[0]["seq"] < o_reaped[0]["seq"]
            and o_reaped[0]["by"] is None and o_reaped[0]["state"] == "TERMINATED"
            and r.worker("orphan")["state"] == "TERMINATED",
            "zombie: the orphan, reaped by the host that adopted it, ends TERMINATED",
            (o_exit, o_reaped, r.worker("orphan")))
    nothing_left(r, "zombie")

# ---- Value and Array, with and without the lock ----


def rounds(r):
    """{'unlocked': (counter, expected), 'locked': ...} from the model's
    values at the end, and the program's own words."""
    out = {}
    for w, l in printed(r):
        if w == "main" and ": counter=" in l:
            kv = dict(p.split("=", 1) for p in l.split(": ", 1)[1].split(" ") if "=" in p)
            out[l.split(":")[0]] = (int(kv["counter"]), int(kv["expected"]))
    return out


losses = []
for opts in ([], ["--seed=1"], ["--seed=2"], ["--seed=3"], ["--seed=4"]):
    label = "shared-value " + (" ".join(opts) or "default schedule")
    r = run("shared-value.py", "2", opts=opts)
    if not finished(r, label):
        continue
    got = rounds(r)
    model = (r.obj("counter")["value"], r.obj("counter#2")["value"])
    t.check(set(got) == {"unlocked", "locked"} and model == (got["unlocked"][0], got["locked"][0]),
            label + ": the model's values are the program's", (got, model))
    t.check(got.get("locked") == (4, 4), label + ": with get_lock() no update is lost", got)
    t.check(r.obj("cells")["cells"] == [2, 2] and r.obj("cells#2")["cells"] == [2, 2],
            label + ": each process's own Array cell is exact either way",
            (r.obj("cells"), r.obj("cells#2")))
    reads = [e for e in r.of("done", op="read") if e.get("object") == "counter"]
    t.check(len(reads) >= 4, label + ": each += is a read and a write of its own", len(reads))
    if "unlocked" in got:
        losses.append(got["unlocked"][1] - got["unlocked"][0])
t.check(any(n > 0 for n in losses), "shared-value: without the lock, some schedule loses updates", losses)
r1, r2 = run("shared-value.py", "2", opts=["--seed=3"]), run("shared-value.py", "2", opts=["--seed=3"])
t.check([(e["type"], e["worker"]) for e in r1.causal() if e["type"] in ("done", "acquired", "released")] ==
        [(e["type"], e["worker"]) for e in r2.causal() if e["type"] in ("done", "acquired", "released")],
        "shared-value: a seed's schedule is the same on every run")

# ---- a Semaphore shared by processes ----


def most_holders(r, obj):
    held, most = set(), 0
    for e in r.causal():
        if e.get("object") != obj:
            continue
        if e["type"] == "acquired":
            held.add(e["worker"])
        elif e["type"] == "released":
            held.discard(e["worker"])
        most = max(most, len(held))
    return most


mosts = []
for opts in ([], ["--seed=5"], ["--seed=6"], ["--free"]):
    label = "mp-semaphore " + (" ".join(opts) or "default schedule")
    r = run("mp-semaphore.py", opts=opts)
    if not finished(r, label):
        continue
    m = most_holders(r, "room")
    mosts.append(m)
    inside = [int(l.split(", ")[1].split()[0]) for w, l in printed(r) if l.endswith("inside") and ": in," in l]
    t.check(1 <= m <= 2 and inside and max(inside) <= 2,
            label + ": never more holders than Semaphore(2) allows, in the model and for the program",
            (m, inside))
    room = r.obj("room")
    t.check(room["kind"] == "semaphore" and room.get("value") == 2,
            label + ": the semaphore is named after its variable, all its units back at the end", room)
t.check(2 in mosts, "mp-semaphore: two processes do hold it at once", mosts)

# ---- a daemon process ----

r = run("daemon.py")
if finished(r, "daemon"):
    hb = [e for e in r.of("worker") if e.get("daemon")]
    t.check(len(hb) == 1 and r.worker("heartbeat")["daemon"] and not r.worker("worker")["daemon"],
            "daemon: the heartbeat is a daemon process, the worker is not", hb)
    t.check(r.worker("heartbeat")["state"] == "TERMINATED" and r.worker("heartbeat")["exit_code"] == -15,
            "daemon: terminated (SIGTERM) as the program ends, and reaped",
            r.worker("heartbeat"))
    t.check(r.worker("worker")["exit_code"] == 0, "daemon: the worker ended by itself")
    nothing_left(r, "daemon")

# ---- Pipe: ends per process, messages in order ----


def ends_of(r, obj):
    """{worker: ends} as last announced for pipe obj."""
    out = {}
    for e in r.causal():
        if e["type"] == "ends" and e.get("object") == obj:
            out[e["worker"]] = e["ends"]
    return out


def ends_before(r, obj, seq):
    out = {}
    for e in r.causal():
        if e["seq"] >= seq:
            break
        if e["type"] == "ends" and e.get("object") == obj:
            out[e["worker"]] = e["ends"]
    return out


for opts in ([], ["--seed=2"], ["--free"]):
    label = "pipe " + (" ".join(opts) or "default schedule")
    r = run("pipe.py", opts=opts)
    if not finished(r, label):
        continue
    up, down = "child_end→parent_end", "parent_end→child_end"
    wrote = [e["value"] for e in r.of("done", op="write") if e.get("object") == up]
    read = [e["value"] for e in r.of("done", op="read") if e.get("object") == up]
    t.check(len(wrote) == 4 and wrote == read and wrote[-1] == -1,
            label + ": the child's three messages and its None arrive, in order", (wrote, read))
    first_read = r.of("done", op="read")[0]
    t.check(ends_before(r, up, first_read["seq"]) == {"main": "r", "child": "w"},
            label + ": by the first message each process holds only the end it uses",
            ends_before(r, up, first_read["seq"]))
    back = [e for e in r.of("done", op="read") if e.get("object") == down]
    t.check(len(back) == 1 and back[0]["worker"] == "child", label + ": the answer goes the other way", back)
    nothing_left(r, label)

# ---- a Queue between a writer and a reader process ----

for opts in ([], ["--seed=4"], ["--free"]):
    label = "mp-queue " + (" ".join(opts) or "default schedule")
    r = run("mp-queue.py", opts=opts)
    if not finished(r, label):
        continue
    puts = [e["value"] for e in r.of("done", op="put") if e.get("object") == "q"]
    gets = [e["value"] for e in r.of("done", op="get") if e.get("object") == "q"]
    t.check(puts == [1, 2, 3, 4, 5, 6, -1] and gets == puts,
            label + ": every item put is got once, in order, None last", (puts, gets))
    held, most = 0, 0
    for e in r.causal():
        if e.get("object") == "q" and e["type"] == "done" and e["op"] in ("put", "get"):
            held += 1 if e["op"] == "put" else -1
            most = max(most, held)
    t.check(0 < most <= 3 and held == 0, label + ": never more than maxsize=3 items in the queue", most)
    t.check("reader: total 21" in [l for w, l in printed(r) if w == "reader"], label + ": the reader adds them up")
    nothing_left(r, label)
r = run("mp-queue.py", opts=["--schedule=writer,writer,writer,writer"])
if finished(r, "mp-queue, the writer first"):
    full = [e for e in r.of("blocked", worker="writer") if e.get("object") == "q"]
    t.check(full and full[0]["op"] == "put",
            "mp-queue, the writer first: its fourth put waits for room", full[:1])

# ---- JoinableQueue: join waits for the last task_done ----

for opts in ([], ["--seed=1"]):
    label = "joinable-queue " + (" ".join(opts) or "default schedule")
    r = run("joinable-queue.py", opts=opts)
    if not finished(r, label):
        continue
    dones = [e for e in r.causal() if e["type"] == "done" and e["op"] == "task_done"]
    joined = [e for e in r.of("done", worker="main", op="wait") if e.get("object") == "q.all_done"]
    sixth = [e for e in dones if e["value"] == 0]
    t.check(joined and sixth and sixth[0]["seq"] < joined[0]["seq"] and
            len([e for e in dones if e["seq"] < joined[0]["seq"]]) == 6,
            label + ": main's join returns after the sixth task_done, not before", (len(dones), joined[:1]))
    said = [l for w, l in printed(r) if w == "main"]
    t.check("main: all 6 jobs done" in said, label + ": main says all six are done")
    nothing_left(r, label)

# ---- Pool: map and apply_async ----

r = run("pool-map.py")
if finished(r, "pool-map"):
    workers = [e["worker"] for e in r.of("spawn") if e["worker"].startswith("ForkPoolWorker")]
    t.check(len(workers) == 3 and all(r.worker(w)["daemon"] for w in workers),
            "pool-map: Pool(3) starts three daemon worker processes", workers)
    put = [e["value"] for e in r.of("done", op="put") if e.get("object") == "pool.tasks"]
    got = [e for e in r.of("done", op="get") if e.get("object") == "pool.tasks"]
    t.check(len([v for v in put if v >= 0]) == 11 and all(e["worker"] in workers for e in got) and
            sorted(e["value"] for e in got if e["value"] >= 0) == sorted(v for v in put if v >= 0),
            "pool-map: eight map chunks and three apply_async tasks, each taken by a worker once",
            (put, [(e["worker"], e["value"]) for e in got]))
    res_put = sorted(e["value"] for e in r.of("done", op="put") if e.get("object") == "pool.results")
    res_got = sorted(e["value"] for e in r.of("done", op="get") if e.get("object") == "pool.results")
    t.check(res_put == res_got == sorted(v for v in put if v >= 0) and
            all(e["worker"] == "main" for e in r.of("done", op="get") if e.get("object") == "pool.results"),
            "pool-map: each task's result is put by its worker and got by main", (res_put, res_got))
    t.check("map: [0, 1, 4, 9, 16, 25, 36, 49]" in [l for w, l in printed(r)],
            "pool-map: the program's own result is right")
    # a task is shown as the call it stands for, a result as its value
    task_text = {e["value"]: e.get("text") for e in r.of("done", op="put") if e.get("object") == "pool.tasks"}
    res_text = {e["value"]: e.get("text") for e in r.of("done", op="get") if e.get("object") == "pool.results"}
    calls = sorted(task_text[v] or "" for v in task_text if v >= 0)
    t.check(calls == sorted(["square(%d)" % i for i in range(8)] + ["describe('job%d')" % i for i in range(3)]),
            "pool-map: each task is shown as its call: square(0)..square(7), describe('job0')..", task_text)
    t.check(all(res_text.get(v) == str(int(task_text[v][7:-1]) ** 2) for v in task_text
                if (task_text[v] or "").startswith("square(")) and
            all((res_text.get(v) or "").startswith("'job") for v in task_text
                if (task_text[v] or "").startswith("describe(")),
            "pool-map: each result is shown as its value: square(3)'s is 9", res_text)
    t.check(all(e.get("text") == task_text.get(e["value"]) for e in got),
            "pool-map: a worker takes the task the program put, by the same words",
            [(e["value"], e.get("text")) for e in got])
    t.check(all(r.worker(w)["exit_code"] == -15 for w in workers),
            "pool-map: leaving the with block terminates the workers (SIGTERM)",
            [r.worker(w)["exit_code"] for w in workers])
    nothing_left(r, "pool-map")

# ---- an orphan outlives its parent; one that never ends is stopped, and says so ----
for opts, extra in (([], []), (["--free"], []), (["--free"], ["forever"])):
    label = "orphans " + " ".join(opts + extra or ["default schedule"])
    r = run(os.path.join(HERE, "progs", "orphans.py"), *extra, opts=opts)
    if not finished(r, label):
        continue
    said = [l for w, l in printed(r)]
    t.check("parent exits" in said and any(l.startswith("orphan: my parent was") for l in said),
            label + ": the orphan goes on after its parent's end and speaks", said)
    exits = [e for e in r.of("exit") if e["worker"] != "main"]
    quiet = [e for e in exits if e["daemon_stopped"]]
    t.check(len(exits) == (2 if extra else 1) and len({e["worker"] for e in exits}) == len(exits),
            label + ": each child's end is said once", exits)
    t.check(len(quiet) == (1 if extra else 0) and all(e["code"] == 0 for e in exits),
            label + ": only the child that never ends is stopped, and it is said to be stopped, "
            "not to have returned", exits)
    t.check(r.summary.get("anomalies") == 0, label + ": nothing odd in the model", r.summary.get("anomalies"))
    nothing_left(r, label)

# ---- a Manager: its server is its insides, a stepped run does not wait for it ----
for opts in ([], ["--seed=5"], ["--free"]):
    label = "Manager " + (" ".join(opts) or "default schedule")
    r = run(os.path.join(HERE, "progs", "manager.py"), opts=opts, timeout=40)
    if not finished(r, label):
        continue
    said = [l for w, l in printed(r)]
    t.check(said == ["dict: [(0, 0), (1, 1), (2, 4)] list: [0, 1, 2]"],
            label + ": the three processes fill the Manager's dict and list", said)
    names = [w["name"] for w in r.summary["workers"]]
    t.check(not any("Manager" in n for n in names) and len(names) == 4,
            label + ": main and its three processes are the workers; the Manager's server is not one", names)
    nothing_left(r, label)

# ---- Condition and Barrier between processes ----

for opts in ([], ["--seed=1"], ["--seed=2"], ["--free"]):
    label = "mp Condition and Barrier " + (" ".join(opts) or "default schedule")
    r = run(os.path.join(HERE, "progs", "mp_cond_barrier.py"), opts=opts)
    if not finished(r, label):
        continue
    waited = {e["worker"] for e in r.of("blocked", op="wait") if e.get("object") == "cond"}
    woken = {e["woken"] for e in r.of("notify") if e.get("object") == "cond" and e["woken"]}
    t.check(waited == woken and waited <= {"W1", "W2"},
            label + ": every process that waited on the Condition is woken by main's notify_all, by name",
            (waited, woken))
    goes = sorted(l for w, l in printed(r) if l.endswith(": go"))
    t.check(goes == ["W1: go", "W2: go"], label + ": both waiters go on", goes)
    passed = [e for e in r.of("done", op="wait") if e.get("object") == "bar"]
    t.check(sorted(e["index"] for e in passed) == [0, 1, 2] and
            [e["worker"] for e in passed if e["tripped"]] == [passed[0]["worker"]],
            label + ": Barrier(3): the third arrival trips it, all three pass with indexes 0..2",
            [(e["worker"], e["index"], e["tripped"]) for e in passed])
    nothing_left(r, label)

# ---- Pool.imap, imap_unordered, close and join ----

for opts in ([], ["--seed=3"], ["--free"]):
    label = "pool imap " + (" ".join(opts) or "default schedule")
    r = run(os.path.join(HERE, "progs", "pool_imap.py"), opts=opts)
    if not finished(r, label):
        continue
    said = [l for w, l in printed(r) if w == "main"]
    t.check(said == ["imap: [0, 1, 8, 27, 64]", "imap_unordered: [0, 1, 8, 27]", "main: done"],
            label + ": the program's results are right", said)
    put = sorted(e["value"] for e in r.of("done", op="put") if e.get("object") == "pool.tasks")
    got = sorted(e["value"] for e in r.of("done", op="get") if e.get("object") == "pool.tasks")
    res = sorted(e["value"] for e in r.of("done", op="get") if e.get("object") == "pool.results")
    t.check(put == got and put.count(-1) == 2 and len(res) == len(put) - 2,
            label + ": five imap tasks, two chunks of imap_unordered, and close()'s two 'no more work' "
            "are each taken once; main gets each result", (put, got, res))
    t.check(all(r.worker(w)["exit_code"] == 0 for w in ("ForkPoolWorker-1", "ForkPoolWorker-2")),
            label + ": after close() the workers end by themselves and join() reaps them")
    words = sorted(e.get("text") or "" for e in r.of("done", op="put") if e.get("object") == "pool.tasks")
    t.check(words == sorted(["cube(%d)" % i for i in range(5)] + ["cube(0), cube(1)", "cube(2), cube(3)"] +
                            ["None", "None"]),
            label + ": imap's tasks are their calls, a chunk of two is both calls, close()'s are None", words)
    vals = sorted(e.get("text") or "" for e in r.of("done", op="get") if e.get("object") == "pool.results")
    t.check(vals == sorted(["0", "1", "8", "27", "64", "0, 1", "8, 27"]),
            label + ": results are their values, a chunk's are both values", vals)

# ---- a child the tracer does not see ----

for opts in ([], ["--free"]):
    label = "subprocess beside a fork " + (" ".join(opts) or "controlled")
    r = run(os.path.join(HERE, "progs", "subprocess_and_fork.py"), opts=opts)
    if finished(r, label):
        said = [l for w, l in printed(r)]
        t.check(said == ["echo said: hello from echo rc 0", "child: 4"] and
                [e["worker"] for e in r.of("reaped")] == ["child"],
                label + ": subprocess's child is waited for untraced, the forked one is joined", said)

# ---- a schedule's runs are the same run ----
# (where the kernel's timing could decide something within a step: a fork
# child's first moves, a signal's handler at a parked wait, a killed
# worker's death, a pool's task still in its pipe)


def states(r):
    return [(s["step"], s["vclock_ns"], s["workers"], s["objects"]) for s in r.settled]


for prog, args in (("signals-homework.py", ()), ("pool-map.py", ()), ("process.py", ()),
                   ("shared-value.py", ("2",))):
    seen = [states(run(prog, *args, opts=["--settled", "--seed=7"])) for _ in range(5)]
    t.check(seen[0] and all(x == seen[0] for x in seen),
            "%s: five runs with --seed=7 go through the same settled states" % prog,
            [len(x) for x in seen])

# ---- items that are not ints show as their short text ----
# strings_pc.py: a producer and a consumer of strings (and a tuple) through
# a queue.Queue, then a child puts one into a multiprocessing.Queue and
# sends one down a Pipe.
r = run(os.path.join(HERE, "progs", "strings_pc.py"), opts=("--settled",))
if finished(r, "strings through queues"):
    texts = [(e["object"], e["text"]) for e in r.causal() if e["type"] == "item"]
    t.check(texts == [("box", "'apple'"), ("box", "'banana'"), ("box", "(1, 'x')"), ("box", "'苹果'"),
                      ("box", "'a rather long item that can\u2026"), ("mq", "'cherry'"),
                      ("rd\u2192wr", "('pear', 2)")],
            "strings through queues: each item's text (repr, cut with an ellipsis) on the bus", texts)
    seen = {}
    for st in r.settled:
        for o in st["objects"]:
            for it in o.get("items", []):
                seen.setdefault(o["name"], []).append(it)
    t.check(all(isinstance(i, str) for v in seen.values() for i in v)
            and "'apple'" in seen.get("box", []) and "'cherry'" in seen.get("mq", [])
            and "('pear', 2)" in seen.get("rd\u2192wr", []),
            "strings through queues: the settled states show the items inside as text", seen)
    moved = [(e["op"], e.get("text")) for e in r.causal() if e["type"] == "done" and e.get("object") == "box"]
    t.check(len(moved) == 10 and [x for op, x in moved if op == "get"] == [x for op, x in moved if op == "put"]
            and moved[0] == ("put", "'apple'"),
            "strings through queues: each put and get on box says its item's text, taken in order", moved)
    nothing_left(r, "strings through queues")

# ---- killed mid-run: nothing left behind ----

HOLD = os.path.join(HERE, "progs", "hold_sems.py")


def sem_files(names):
    return [n for n in names if os.path.exists("/dev/shm/sem." + n.lstrip("/"))]


def killed(how, label):
    live = Live("run", "--free", "--", PY, HOLD, timeout=60)
    try:
        host = live.host_pid()
        said = live.read_until(lambda e: e.get("type") == "output" and e.get("line", "").startswith("names "),
                               "the program's semaphore names")
        holder = live.read_until(lambda e: e.get("type") == "output" and e.get("line") == "holder holds",
                                 "the child holding the lock")
        names = said["line"].split()[1:]
        t.check(len(names) == 2 and len(sem_files(names)) == 2 and holder["worker"] == "holder",
                label + ": mid-run, the spawn context's named semaphores exist and a child holds a lock",
                (names, holder))
        how(live, host)
        live.read_until(lambda e: e.get("type") == "summary", "the summary")
    finally:
        live.close()
    left = sem_files(names) + leftovers(host)
    t.check(not left, label + ": no process, /dev/shm/sem.mp-* or run directory left", left)


def kill_main(live, host):
    main = [e for e in live.lines if e.get("type") == "spawn" and e.get("worker") == "main"][0]["pid"]
    os.kill(main, signal.SIGKILL)


killed(kill_main, "the program's main process killed")
killed(lambda live, host: live.p.send_signal(signal.SIGINT), "lockstep stopped with ^C")
killed(lambda live, host: live.p.send_signal(signal.SIGTERM), "lockstep stopped with SIGTERM")

t.done()
