#!/usr/bin/env python3
"""The process scenes in a free run (--free): the kernel schedules, real
blocking waits (poll on a pipe, a blocking FIFO open, mq, waitpid). Each run
finishes with its property intact, the model never contradicted, and nothing
left behind."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_OK, Tap, headless, leftovers, mq_exists  # noqa: E402

t = Tap()
RUNS = 5


def run(scene, *args):
    r = headless(scene, "--free", *args, timeout=30)
    ok = r.rc == EXIT_OK and r.summary and r.summary["outcome"] == "finished" and r.summary["anomalies"] == 0
    bad = r.out_of_seq()
    t.check(not bad, "free %s: events printed in seq order" % scene, bad[:5])
    return r, ok


def chan(r, obj, writer, reader):
    w = [e["value"] for e in r.of("done", op="write", object=obj, worker=writer)]
    rd = [e["value"] for e in r.of("done", op="read", object=obj, worker=reader) if not e.get("eof")]
    return w == rd and len(w) > 0


for i in range(RUNS):
    r, ok = run("fork-join")
    codes = ok and {n: r.worker(n).get("exit_code") for n in ("A", "B", "C")}
    t.check(ok and codes == {"A": 0, "B": 3, "C": -15}, "free fork-join %d: exit codes 0, 3, -15" % i, codes)
    t.check(not leftovers(r.host_pid()), "free fork-join %d: clean" % i)

    r, ok = run("pipe")
    t.check(ok and chan(r, "A->B", "A", "B") and chan(r, "B->A", "B", "A") and
            len(r.of("done", op="read", eof=True)) == 2, "free pipe %d: in order, both see end-of-file" % i)
    t.check(not leftovers(r.host_pid()), "free pipe %d: clean" % i)

    r, ok = run("fifo")
    t.check(ok and chan(r, "channel", "writer", "reader"), "free fifo %d: in order (blocking opens met)" % i)
    t.check(not leftovers(r.host_pid()), "free fifo %d: clean" % i)

    r, ok = run("mqueue")
    t.check(ok and len(r.of("done", op="receive", object="mq")) == 8, "free mqueue %d: all received" % i)
    t.check(not leftovers(r.host_pid()) and not mq_exists("/lockstep-%d-mq" % r.host_pid()),
            "free mqueue %d: clean" % i)

    r, ok = run("shm", "--param", "processes=4", "--param", "rounds=20")
    t.check(ok and r.obj("total")["value"] == 80, "free shm lock=on %d: the total is exact" % i,
            ok and r.obj("total"))
    t.check(not leftovers(r.host_pid()), "free shm %d: clean" % i)

    r, ok = run("joinable-queue")
    ret = ok and [e for e in r.events if e["type"] == "say" and "join() returned" in e.get("line", "")]
    done = ok and r.of("done", op="task_done", object="jq.unfinished")
    t.check(ok and ret and len([d for d in done if d["seq"] < ret[0]["seq"]]) == 5,
            "free joinable-queue %d: join returns after the 5th task_done" % i)
    t.check(not leftovers(r.host_pid()), "free joinable-queue %d: clean" % i)

    r, ok = run("zombie-orphan")
    t.check(ok and r.worker("orphan")["adopted"], "free zombie-orphan %d: the orphan is adopted" % i)
    t.check(not leftovers(r.host_pid()), "free zombie-orphan %d: clean" % i)
# A cycle through queues is known only from past roles: a pool process that
# has not answered yet may still put a result, so a free run must not stop
# there (it once ended pool as a "deadlock" while a worker was busy).
for i in range(5):
    r = headless("pool", "--free", timeout=30)
    t.check(r.summary and r.summary["outcome"] == "finished",
            "pool --free run %d finishes, no false deadlock" % (i + 1),
            r.summary and (r.summary["outcome"], r.summary.get("cycle_text")))
t.done()
