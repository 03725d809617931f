#!/usr/bin/env python3
"""Headless properties of the rwlock scene (issue 13): readers share the
lock, a writer has it alone and waits for every reader, glibc's default
prefers readers, and two workers that each read one lock and want to write
the other deadlock, found by the explorer too. Threads and processes, round
robin, documented schedules, 20 seeded schedules and free runs; nothing is
left behind after any run."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_OK, LOCKSTEP, Tap, headless  # noqa: E402

EXIT_EXHAUSTED = 6
t = Tap()
SEEDS = range(20)
USES = [("threads", "use=thread"), ("processes", "use=process")]


def seeded(*args):
    return [("seed %d" % s, headless("rwlock", "--seed=%d" % s, *args)) for s in SEEDS]


def holders_over_time(r, obj="RW", free=False):
    """Replay the acquired/released records in causal order: the readers
    and the writer after each, and what went wrong. In a free run a
    record's extras (a blocked record's readers) show the model as folded,
    in the order records reached the pipe, not in seq order: there only the
    holds themselves are checked."""
    readers, writer, bad, most = set(), None, [], 0
    for e in r.causal():
        if e.get("object") != obj:
            continue
        w = e["worker"]
        if e["type"] == "acquired" and e["op"] == "read_lock":
            if writer is not None:
                bad.append("%s read while %s wrote (seq %d)" % (w, writer, e["seq"]))
            readers.add(w)
            most = max(most, len(readers))
        elif e["type"] == "acquired" and e["op"] == "write_lock":
            if writer is not None or readers:
                bad.append("%s wrote beside %s %s (seq %d)" % (w, writer, sorted(readers), e["seq"]))
            writer = w
        elif e["type"] == "released":
            if w == writer:
                writer = None
            elif w in readers:
                readers.discard(w)
            else:
                bad.append("%s released what it did not hold (seq %d)" % (w, e["seq"]))
        elif e["type"] == "blocked" and not free:
            # the record names who holds it as the reader sees it
            want = (sorted(e.get("readers", [])), e.get("writer"))
            if want != (sorted(readers), writer):
                bad.append("blocked %s says %s, holders are %s" % (w, want, (sorted(readers), writer)))
    return most, bad, readers, writer


def writer_excluded(r, free=False):
    most, bad, readers, writer = holders_over_time(r, free=free)
    o = r.obj("RW") if r.summary else {}
    ok = r.finished() and not bad and not readers and writer is None and \
        o.get("readers") == [] and o.get("writer") is None and o.get("prefers") == "readers"
    return ok and not r.leftovers(), (r.rc, bad[:3], o, r.stderr[-300:])


for label, use in USES:
    # ---- readers overlap: round robin lets every reader in before the writer ----
    r = headless("rwlock", "--param", use)
    most, bad, _, _ = holders_over_time(r)
    t.check(r.finished() and most == 3 and not bad,
            "rwlock %s, round robin: all three readers hold RW at once" % label, (most, bad, r.rc))
    wb = r.of("blocked", worker="W1", object="RW", op="write_lock")
    t.check(wb and sorted(wb[0]["readers"]) == ["R1", "R2", "R3"] and wb[0]["writer"] is None
            and wb[0]["state"] == "BLOCKED",
            "rwlock %s: W1 is BLOCKED waiting to write, the record names all three readers" % label, wb)
    t.check(not r.leftovers(), "rwlock %s: nothing left behind" % label, r.leftovers())

    # ---- the writer excluded, under every schedule ----
    t.each("rwlock %s: never a reader beside the writer, nor two writers" % label,
           [("round-robin writers=2", headless("rwlock", "--param", use, "--param", "writers=2"))] +
           seeded("--param", use, "--param", "writers=2", "--param", "readers=2"),
           writer_excluded)
    t.each("rwlock %s: never a reader beside the writer, nor two writers" % label,
           [("free %d" % i, headless("rwlock", "--free", "--param", use, "--param", "writers=2"))
            for i in range(3)],
           lambda r: writer_excluded(r, free=True))

# ---- glibc's default prefers readers: a reader gets in while a writer waits ----

r = headless("rwlock", "--schedule=R1,W1,R2", "--param", "readers=2", "--param", "rounds=1")
seqs = {}
for e in r.causal():
    if e.get("object") == "RW" and e["type"] in ("acquired", "blocked"):
        seqs.setdefault((e["worker"], e["type"]), e["seq"])
ok = r.finished() and ("W1", "blocked") in seqs and ("R2", "acquired") in seqs and \
    seqs[("W1", "blocked")] < seqs[("R2", "acquired")] < seqs[("W1", "acquired")]
t.check(ok, "rwlock --schedule=R1,W1,R2: R2 reads while W1 already waits to write (readers first)",
        (r.rc, seqs))
blk = r.of("blocked", worker="W1")
t.check(blk and blk[0]["readers"] == ["R1"], "W1 first waits for R1 alone", blk)
t.check(any("prefers readers" in s for s in r.says()), "the scene says which preference it shows",
        r.says()[:2])

# a reader waits for the writer: W1 writes, R1 is BLOCKED behind it
r = headless("rwlock", "--schedule=W1,R1", "--param", "readers=1", "--param", "rounds=1",
             "--until=deadlock")
rb = r.of("blocked", worker="R1", object="RW", op="read_lock")
t.check(r.finished() and rb and rb[0]["writer"] == "W1" and rb[0]["readers"] == [],
        "rwlock --schedule=W1,R1: R1 is blocked behind the writer W1", (r.rc, rb))

# ---- the deadlock: each reads one lock and wants to write the other ----


def rw_deadlock(r):
    s = r.summary or {}
    cyc = s.get("cycle") or []
    if r.rc == EXIT_OK:  # a schedule where one reader got both: no circle
        return r.finished() and not r.leftovers(), ("finished", r.rc)
    edges = [e for e in s.get("edges", []) if e.get("in_cycle")]
    ok = r.rc == EXIT_DEADLOCK and s.get("outcome") == "deadlock" and len(cyc) == 4 and \
        set(cyc) == {"T1", "T2", "A", "B"} and s.get("cycle_definite") is True and \
        len(edges) == 2 and all(e["op"] == "write_lock" and e["definite"] for e in edges) and \
        r.obj("A")["readers"] == ["T1"] and r.obj("B")["readers"] == ["T2"] and \
        r.worker("T1")["waits_for"] == "B" and r.worker("T2")["waits_for"] == "A"
    return ok and not r.leftovers(), (r.rc, cyc, edges, r.stderr[-300:])


for label, use in USES:
    r = headless("rwlock", "--param", "kind=deadlock", "--param", use)
    text = re.sub(r" \(pid \d+\)", "", (r.summary or {}).get("cycle_text", ""))  # processes show pids
    t.check(r.rc == EXIT_DEADLOCK and text == "T1 → B → T2 → A → T1",
            "rwlock kind=deadlock %s, round robin: the cycle T1 → B → T2 → A → T1 is named" % label,
            (r.rc, r.summary and r.summary.get("cycle_text")))
    t.each("rwlock kind=deadlock %s: a deadlock is a definite cycle of write waits on read holds" % label,
           [("round-robin", r)] + seeded("--param", "kind=deadlock", "--param", use), rw_deadlock)
r = headless("rwlock", "--param", "kind=deadlock")
me = ((r.summary or {}).get("coffman_witness") or {}).get("mutual_exclusion")
t.check(me == "holds: B is read by T2, and T1 must wait",
        "mutual exclusion is said with the lock's readers, not as one owner", me)
hits = sum(1 for _, r in seeded("--param", "kind=deadlock") if r.rc == EXIT_DEADLOCK)
t.check(hits > 0, "rwlock kind=deadlock: seeded schedules reach the deadlock (%d of 20)" % hits)

# ---- the explorer: the deadlock found and replayed; none where there is none ----


def explore(*args):
    p = subprocess.run([LOCKSTEP, "--explore", "rwlock", "--json", "--goal=deadlock"] + list(args),
                       capture_output=True, text=True, timeout=300)
    try:
        return p.returncode, json.loads(p.stdout), p
    except ValueError:
        return p.returncode, {}, p


rc, res, p = explore("--param", "kind=deadlock")
wit = res.get("witness") or {}
t.check(rc == EXIT_OK and res.get("result") == "found" and
        wit.get("summary") == "deadlock: T1 → B → T2 → A → T1",
        "explore --goal=deadlock rwlock kind=deadlock: found, the cycle named", (rc, p.stdout[-600:]))
r = headless("rwlock", "--param", "kind=deadlock", "--schedule=" + wit.get("schedule", ""))
t.check(r.rc == EXIT_DEADLOCK, "its schedule replayed headless deadlocks", (r.rc, wit.get("schedule")))
rc, res, p = explore("--param", "readers=1", "--param", "rounds=1")
t.check(rc == EXIT_EXHAUSTED and res.get("result") == "exhausted",
        "explore rwlock kind=share readers=1: no schedule deadlocks (exit 6)", (rc, p.stdout[-400:]))

t.done()
