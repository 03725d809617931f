#!/usr/bin/env python3
"""The screen never contradicts itself, in the cases users reported:
producer-consumer after 3 then 1 (C1 was WAITING for an item in a buffer
holding one), condition after 1 x9 then 2 x6 (a free lock with a waiter),
philosophers with a waiter stepped to the end (P3 was marked ‼ as its own
releaser), semaphore after eight steps (its queue drawn in order)."""
import re
import shlex
import time

from lstmux import Tmux, Tap, lockstep_cmd, pane

tap = Tap()
tm = Tmux()


def settled(s, n):
    """Wait until step n is over: the grant shows at once, the hint asks
    for the next move only when every worker is back at its gate."""
    return tm.wait_screen(s, r"step %d · (?s:.*)(Your move|FINISHED|Everyone waits)" % n,
                          what="step %d to settle" % n)


def row(scr, name):
    for line in scr.splitlines():
        if re.match(r"│ *\d* +%s +" % re.escape(name), line):
            return line
    return ""


def producer_consumer():
    s = tm.start_ls("producer-consumer")
    tm.wait_screen(s, "Your move")
    tm.keys(s, "3")
    settled(s, 1)
    tm.keys(s, "1")
    scr = settled(s, 2)
    c1 = row(scr, "C1")
    tap.check("1001" in scr, "the buffer holds P1's item", scr)
    tap.check("WAITING" not in c1 and "(empty)" not in c1 and "RUNNABLE" in c1,
              "C1 is shown woken, not waiting for an item in a buffer that has one", scr)
    tap.check("C1 waits to get" not in scr and "C1 woken, will get" in scr,
              "the buffer pane says C1 was woken", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def condition_free_lock():
    s = tm.start_ls("condition")
    tm.wait_screen(s, "Your move")
    n = 0
    for k in "1" * 9 + "2" * 6:
        tm.keys(s, k)
        n += 1
        scr = settled(s, n)
        for line in scr.splitlines():
            if re.search(r"○ free +waiters:", line):
                tap.check(False, "step %d: a free lock is shown with waiters" % n, scr)
                return
    tap.check(True, "no free lock is ever shown with waiters, through 15 steps")
    tm.keys(s, "q")
    tm.wait_exit(s)


def philosophers_waiter():
    s = tm.start_ls("philosophers", "--param", "fix=waiter", "--param", "eat=0")
    tm.wait_screen(s, "Your move")
    n = 0
    while n < 200:
        tm.keys(s, "s")
        n += 1
        scr = settled(s, n)
        if "‼" in scr or "posted by P" in scr and re.search(r"(P\d) waits for seats, posted by \1\b", scr):
            tap.check(False, "step %d: an alarm or a waiter named as its own releaser" % n, scr)
            return
        if "FINISHED" in scr:
            break
    tap.check("FINISHED" in scr, "philosophers with a waiter finish, with no alarm on the way", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def semaphore_queue():
    s = tm.start_ls("semaphore")
    tm.wait_screen(s, "Your move")
    # s steps main (its join) and T1 to T8 in turn; stop when T8 has queued
    for n in range(1, 13):
        tm.keys(s, "s")
        scr = settled(s, n)
        if "BLOCKED" in row(scr, "T8"):
            break
    tap.check(re.search(r"pool .*3 permits: 3 held, 0 free +waiters: T4 → T5 → T6 → T7 → T8", scr) is not None,
              "the semaphore's waiters are drawn in the order they queued", scr)
    for name in ("T4", "T8"):
        tap.check("BLOCKED" in row(scr, name), "%s is BLOCKED on a semaphore with no free permit" % name, scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def free_run_deadlock():
    """A free run's analysis is made once per frame, on the model the frame
    draws: the deadlock the kernel walks into is shown the moment it forms,
    in every pane at once (header, workers, locks, graph, conditions)."""
    # a second between the two locks: the threads meet in the middle even on
    # a loaded machine, whatever order the kernel starts them in
    s = tm.start_ls("deadlock", "--speed=9", "--param", "work=1000", x=160, y=50)
    scr = tm.wait_screen(s, r"DEADLOCK ‼", timeout=60, what="the free run's deadlock")
    # a worker in the cycle is marked ‼ before its name
    t1, t2 = [next((l for l in scr.splitlines() if re.match(r"│ *\d* +(‼ +)?%s +" % n, l)), "")
              for n in ("T1", "T2")]
    tap.check("T1 → B → T2 → A → T1" in scr or "T2 → A → T1 → B → T2" in scr,
              "the header names the cycle", scr)
    tap.check("BLOCKED" in t1 and "BLOCKED" in t2 and "held by T2" in t1 and "held by T1" in t2,
              "both threads are shown blocked, each on the lock the other holds", scr)
    tap.check("Wait-for graph" in scr and "a cycle of waits nobody can break" in scr and
              "Four conditions for deadlock" in scr,
              "the graph and the four conditions opened as the cycle formed", scr)
    tap.check(re.search(r"A +■ held by T1 +waiters: T2", scr) and
              re.search(r"B +■ held by T2 +waiters: T1", scr),
              "the locks pane agrees: each lock held, the other thread waiting", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def full_speed_log():
    """At full speed the log's words are made at the draw, from the
    history, for the newest records only: the last lines still say what
    really happened last, and the lines nobody could read are counted."""
    # a sanitizer build folds a few thousand records a second: the run is
    # kept short, and the log describes 16 records a frame as they come
    # (LOCKSTEP_LOG_EAGER), not 512, so the same path runs there too
    cmd = " ".join(shlex.quote(c) for c in lockstep_cmd(
        "crowd", "--param", "workers=300", "--param", "rounds=10", "--speed=9"))
    s = tm.start(["sh", "-c", '%s; echo "lockstep exited $?"; exec cat' % cmd], 160, 50,
                 env={"LOCKSTEP_LOG_EAGER": "16"})
    scr = tm.wait_screen(s, "FINISHED", timeout=120, what="crowd to finish at speed 9")
    lines = [l.strip(" │▲▼") for l in pane(scr, "Log").splitlines() if l.strip(" │▲▼")]
    tail = [re.sub(r"^\d+\.\d+s +", "", l) for l in lines[-3:]]
    tap.check(tail == ["main joined w300", "main exited with code 0", "the scene ended (status 0)"],
              "the log ends with the run's last three records", lines[-6:])
    for _ in range(8):
        if "◆ Log" in tm.screen(s):
            break
        tm.keys(s, "Tab")
        time.sleep(0.1)
    tm.keys(s, *["PPage"] * 150)  # to the oldest line the log keeps
    found, last = None, None
    for _ in range(200):
        time.sleep(0.05)
        scr = tm.screen(s)
        m = re.search(r"… (\d+) records not described: too fast to read", scr)
        if m:
            found = m
            break
        if scr == last:  # drawn: the next page
            tm.keys(s, "NPage")
        last = scr
    tap.check(found is not None and int(found.group(1)) > 0,
              "reading back, one line counts the records too fast to describe", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


tap.run(full_speed_log, "crowd at speed 9: the log's last lines and what was skipped")
tap.run(free_run_deadlock, "deadlock at speed 9: the analysis of the frame's model")
tap.run(producer_consumer, "producer-consumer 3 1")
tap.run(condition_free_lock, "condition 1 x9, 2 x6")
tap.run(philosophers_waiter, "philosophers fix=waiter stepped")
tap.run(semaphore_queue, "semaphore s x8")
tap.done()
