#!/usr/bin/env python3
"""No scene that always finishes is ever called deadlocked, on any seed.

Every scene (and every variant of one) whose program cannot deadlock runs
with --until=deadlock under 200 seeded schedules, outside the 1-20 range the
other tests use, and under free runs where the kernel schedules. None may
stop with exit code 3 or name a cycle; each must finish. Every run checks
the model's invariants after each record (LOCKSTEP_CHECK=1), so a pane that
would contradict another fails here as exit code 1.

LOCKSTEP_SEEDS=N runs N seeds instead of 200 (the ASan pass uses fewer)."""
import concurrent.futures
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, LOCKSTEP, Tap  # noqa: E402

SEEDS = int(os.environ.get("LOCKSTEP_SEEDS", "200"))
FIRST_SEED = 1000
FREE_RUNS = max(2, SEEDS // 20)

# (scene, parameters): programs that always finish, whatever the order.
# Real-time delays are shortened so that free runs stay quick.
FINISHING = [
    ("barrier", ["parties=3", "threads=6"]),
    ("condition", []),
    ("condition", ["variant=notify_all"]),
    ("crowd", ["workers=12", "locks=2", "semaphores=1", "rounds=2"]),
    ("daemon", ["tick=5"]),
    ("deadlock-ordered", ["work=0"]),
    ("deadlock-ordered", ["threads=4", "work=0"]),
    ("deadlock-watchdog", ["work=0", "timeout=5", "backoff=2"]),
    ("event", ["delay=5"]),
    ("fifo", []),
    ("fork-join", []),
    ("joinable-queue", []),
    ("joinable-queue", ["tasks=8", "consumers=3"]),
    ("lifecycle", []),
    ("mqueue", []),
    ("mqueue", ["capacity=2", "messages=12"]),
    ("philosophers", ["fix=order", "eat=0"]),
    ("philosophers", ["fix=waiter", "eat=0"]),
    ("philosophers", ["fix=trylock", "eat=0"]),
    ("pipe", []),
    ("pool", []),
    ("pool", ["processes=2", "tasks=9"]),
    ("producer-consumer", []),
    ("producer-consumer", ["producers=3", "consumers=3", "capacity=1", "items=9"]),
    ("race", ["lock=on"]),
    ("race", ["lock=off"]),
    ("rlock", ["kind=rlock"]),
    ("rwlock", ["kind=share", "writers=2"]),
    ("rwlock", ["kind=share", "use=process", "readers=2"]),
    ("semaphore", ["use=0"]),
    ("shm", ["lock=on"]),
    ("shm", ["lock=off"]),
    ("thread-local", []),
    ("threadpool", ["work=0"]),
    ("timer", ["delay_a=5", "delay_b=10", "cancel_at=2"]),
    ("zombie-orphan", ["delay=5"]),
]


def run(scene, params, extra):
    args = [LOCKSTEP, "--headless", scene, "--until=deadlock", "--timeout=60"]
    for p in params:
        args += ["--param", p]
    p = subprocess.run(args + extra, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=120)
    last = p.stdout.rstrip().rsplit(b"\n", 1)[-1] if p.stdout.strip() else b"{}"
    try:
        summary = json.loads(last)
    except ValueError:
        summary = {}
    return p.returncode, summary, p.stderr.decode(errors="replace")[-400:]


def verdict(scene, params, extra):
    rc, s, err = run(scene, params, extra)
    ok = rc == 0 and s.get("outcome") == "finished" and "cycle" not in s and \
        s.get("anomalies") == 0 and s.get("malformed") == 0
    label = "%s %s %s" % (scene, " ".join(params), " ".join(extra))
    why = "" if ok else "rc %d, outcome %s, cycle %s, %s" % (rc, s.get("outcome"), s.get("cycle"), err)
    return ok, rc, label, why


t = Tap()
jobs = []
with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    for scene, params in FINISHING:
        for seed in range(FIRST_SEED, FIRST_SEED + SEEDS):
            jobs.append(pool.submit(verdict, scene, params, ["--seed=%d" % seed]))
        for _ in range(FREE_RUNS):
            jobs.append(pool.submit(verdict, scene, params, ["--free"]))
    results = [j.result() for j in jobs]

# one check per configuration, naming every run that failed
by_config = {}
for ok, rc, label, why in results:
    config = label.split(" --")[0]
    by_config.setdefault(config, []).append((ok, rc, label, why))
for config, runs in by_config.items():
    bad = [r for r in runs if not r[0]]
    t.check(not any(r[1] == EXIT_DEADLOCK for r in runs),
            "%s: never called deadlocked in %d runs" % (config, len(runs)),
            [r[2] + ": " + r[3] for r in bad if r[1] == EXIT_DEADLOCK][:5])
    t.check(not bad, "%s: every run finished, no anomaly, invariants held" % config,
            [r[2] + ": " + r[3] for r in bad][:5])
t.done()
