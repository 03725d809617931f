#!/usr/bin/env python3
"""Headless properties of the IPC scenes: pipe, fifo, mqueue and shm, under
their documented schedules and 20 seeded random schedules each, and the
named objects (FIFO path, mqueue name, shm name) removed after every run."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, Tap, headless, leftovers, mq_exists  # noqa: E402

t = Tap()
SEEDS = range(20)


def clean(r, label, mq=None):
    left = leftovers(r.host_pid())
    if mq and mq_exists("/lockstep-%d-%s" % (r.host_pid(), mq)):
        left.append("message queue " + mq)
    t.check(not left, label + ": nothing left behind", left)


def channel_order(r, obj, writer, reader):
    written = [e["value"] for e in r.of("done", op="write", object=obj, worker=writer)]
    read = [e["value"] for e in r.of("done", op="read", object=obj, worker=reader) if not e.get("eof")]
    return written, read


# ---- pipe ----
def pipe(r, label, n=3):
    if not t.finished(r, label):
        return
    w, rd = channel_order(r, "A->B", "A", "B")
    t.check(w == rd == list(range(1, n + 1)), label + ": A->B: every message read equals the one written, in order", (w, rd))
    w, rd = channel_order(r, "B->A", "B", "A")
    t.check(w == rd == [10 * i for i in range(1, n + 1)], label + ": B->A: the replies, in order", (w, rd))
    eof_b = r.of("done", op="read", object="A->B", worker="B", eof=True)
    eof_a = r.of("done", op="read", object="B->A", worker="A", eof=True)
    t.check(len(eof_b) == 1 and len(eof_a) == 1, label + ": each reader gets end-of-file once, shown")
    close = [e for e in r.of("ends", worker="A", object="A->B")]
    t.check(close and eof_b and close[-1]["ends"] == "" and close[-1]["seq"] < eof_b[0]["seq"],
            label + ": B's end-of-file comes after A closed its last write end", close)
    clean(r, label)
    return r


r = pipe(headless("pipe"), "pipe round-robin")
waiting = r and [e for e in r.of("blocked", op="read", object="A->B", worker="B")]
t.check(waiting and all(e["state"] == "WAITING" and e["parked"] for e in waiting),
        "pipe: a reader of the empty pipe is WAITING on it (parked)", waiting)
r = headless("pipe", "--schedule=B,B", "--settled")
st = [s for s in r.settled if any(w["name"] == "B" and w.get("waits_for") == "A->B" for w in s["workers"])]
t.check(st and [w for w in st[0]["workers"] if w["name"] == "B"][0]["state"] == "WAITING",
        "pipe --schedule=B,B: B is WAITING on the empty pipe A->B")
ab = [o for o in st[0]["objects"] if o["name"] == "A->B"][0] if st else {}
t.check(ab.get("ends", {}).get("B") == "r" and ab.get("items") == [],
        "pipe: the settled state shows which ends B holds and an empty buffer", ab)
pipe(r, "pipe --schedule=B,B")
r = headless("pipe", "--schedule=A,A,A,A", "--settled")
full = [o for s in r.settled for o in s["objects"] if o["name"] == "A->B" and o["items"]]
t.check(full and full[0]["items"] == [1], "pipe: a written, unread message is shown in the buffer", full[:1])
pipe(headless("pipe", "--param", "messages=7"), "pipe messages=7", n=7)
for seed in SEEDS:
    pipe(headless("pipe", "--seed=%d" % seed), "pipe seed %d" % seed)
r = headless("pipe", "--param", "close_unused=no", timeout=30)
t.check(r.rc == EXIT_DEADLOCK and r.summary["outcome"] == "deadlock" and "B" in r.summary["stalled"],
        "pipe close_unused=no: no reader sees end-of-file, the run deadlocks", r.summary and r.summary["outcome"])
t.check(r.summary.get("cycle") == ["main", "A", "B->A"],
        "pipe close_unused=no: the circle is main (joining A) and A (reading B->A, whose write end main holds)",
        r.summary.get("cycle"))
ab = r.obj("A->B")
t.check(ab["ends"].get("main") == "rw", "pipe close_unused=no: main still holds both ends of A->B", ab)
clean(r, "pipe close_unused=no")


# ---- fifo ----
def fifo(r, label, n=4):
    if not t.finished(r, label):
        return
    w, rd = channel_order(r, "channel", "writer", "reader")
    t.check(w == rd == [100 * i for i in range(1, n + 1)], label + ": messages arrive in order", (w, rd))
    t.check(len(r.of("done", op="read", object="channel", eof=True)) == 1, label + ": end-of-file after the writer closed")
    opened = r.of("done", op="open_r", worker="reader")
    wopen = r.of("ends", worker="writer", object="channel")
    t.check(opened and wopen and wopen[0]["seq"] < opened[0]["seq"],
            label + ": the reader's open returns only once a writer has opened")
    t.check(not os.path.exists("/tmp/lockstep-%d-channel" % r.host_pid()), label + ": the FIFO file is gone")
    clean(r, label)


r = headless("fifo", "--schedule=reader")
fifo(r, "fifo reader first")
t.check(any(e["state"] == "WAITING" for e in r.of("blocked", worker="reader", op="open_r")),
        "fifo: the reader's open is WAITING for a writer")
fifo(headless("fifo"), "fifo round-robin")
for seed in SEEDS:
    fifo(headless("fifo", "--seed=%d" % seed), "fifo seed %d" % seed)
# stopped mid-way: the schedule names no such worker after two steps, so
# the engine stops the scene (SIGKILL to its group) with the FIFO made
r = headless("fifo", "--schedule=reader,writer,nobody")
t.check(r.summary and r.summary["outcome"] == "bad-schedule" and r.of("name", object="channel"),
        "fifo stopped mid-way (bad schedule entry 3)", r.summary and r.summary["outcome"])
t.check(not os.path.exists("/tmp/lockstep-%d-channel" % r.host_pid()), "fifo stopped mid-way: the FIFO file is gone")
clean(r, "fifo stopped mid-way")


# ---- mqueue ----
def mqueue(r, label):
    if not t.finished(r, label):
        return
    queue, ok, seen = [], True, 0
    for e in r.events:
        if e["type"] == "done" and e.get("object") == "mq" and e["op"] == "send":
            queue.append((-e["prio"], len(queue) and max(q[1] for q in queue) + 1 or 0, e["value"], e["prio"]))
        elif e["type"] == "done" and e.get("object") == "mq" and e["op"] == "receive":
            best = min(queue)
            ok = ok and (best[2], best[3]) == (e["value"], e["prio"])
            queue.remove(best)
            seen += 1
    t.check(ok and seen == 8 and not queue, label + ": the highest priority waiting is always received first, "
            "equal priorities in order sent")
    got = [(e["value"], e["prio"]) for e in r.of("done", op="receive", object="mq")]
    t.check(got[:2] == [(4, 9), (7, 9)], label + ": the two priority-9 messages come first", got)
    t.check(not mq_exists("/lockstep-%d-mq" % r.host_pid()), label + ": the queue is unlinked")
    clean(r, label, mq="mq")


r = headless("mqueue", "--settled")
mqueue(r, "mqueue round-robin")
full = [o for s in r.settled for o in s["objects"] if o["name"] == "mq" and len(o["items"]) == 8]
t.check(full and full[0]["prios"] == sorted(full[0]["prios"], reverse=True) and full[0]["items"][:2] == [4, 7],
        "mqueue: the queue's contents are shown, highest priority first", full[:1])
for seed in SEEDS:
    mqueue(headless("mqueue", "--seed=%d" % seed), "mqueue seed %d" % seed)
r = headless("mqueue", "--param", "capacity=2", "--seed=3")
t.check(r.rc == EXIT_OK and any(e["state"] == "WAITING" for e in r.of("blocked", worker="sender", op="send")),
        "mqueue capacity=2: the sender waits on a full queue")
clean(r, "mqueue capacity=2", mq="mq")


# ---- shm ----
def shm(r, label, n=2, rounds=2):
    if not t.finished(r, label):
        return
    total = r.obj("total")["value"]
    t.check(total == n * rounds, label + ": with the lock the total is exact (%d)" % (n * rounds), total)
    t.check(r.obj("progress")["cells"] == [rounds] * n, label + ": the Array's cells hold each process's progress",
            r.obj("progress"))
    sets = r.of("done", op="set", object="progress")
    t.check(len(sets) == n * rounds and all("index" in e for e in sets), label + ": every cell change is an event")
    t.check(not os.path.exists("/dev/shm/lockstep-%d-progress" % r.host_pid()), label + ": the shm object is gone")
    clean(r, label)


r = headless("shm", "--param", "lock=off", "--schedule=P1,P2,P1,P2")
t.check(r.rc == EXIT_OK and r.obj("total")["value"] < 4, "shm lock=off P1,P2,P1,P2: updates are lost",
        r.summary and r.obj("total"))
reads = [(e["worker"], e["value"]) for e in r.of("done", op="read", object="total")][:2]
t.check(reads == [("P1", 0), ("P2", 0)], "shm lock=off: both processes read 0 before either writes", reads)
t.check(any("were lost" in n for n in r.summary["narration"]), "shm lock=off: the narration says updates were lost")
clean(r, "shm lock=off")
r = headless("shm", "--schedule=P1,P2,P1,P1,P1,P2")
shm(r, "shm lock=on P1,P2,P1,P1,P1,P2")
t.check(any(e["worker"] == "P2" for e in r.of("blocked", object="lock")), "shm lock=on: P2 waits for the lock")
for seed in SEEDS:
    shm(headless("shm", "--seed=%d" % seed), "shm seed %d" % seed)
shm(headless("shm", "--param", "processes=4", "--param", "rounds=3", "--seed=5"), "shm 4x3", n=4, rounds=3)
lost = 0
for seed in SEEDS:
    r = headless("shm", "--param", "lock=off", "--seed=%d" % seed)
    lost += r.obj("total")["value"] < 4
    t.check(r.rc == EXIT_OK and r.obj("total")["value"] <= 4 and not leftovers(r.host_pid()),
            "shm lock=off seed %d: finishes, total at most 4, clean" % seed)
t.check(lost > 0, "shm lock=off: some of 20 seeds lose updates", lost)
t.done()
