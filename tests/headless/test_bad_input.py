#!/usr/bin/env python3
"""Bad input: one clear line on stderr, the documented exit code, nothing
left running. Also determinism: the same schedule gives the same settled
states every time."""
import os
import re
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import (EXIT_ERROR, EXIT_USAGE, LOCKSTEP, Tap, headless, leftovers,  # noqa: E402
                    run_cli, wait_for)

t = Tap()
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES", "")


def one_line_usage(p, label, needle, quiet=True):
    lines = [l for l in p.stderr.splitlines() if l.startswith("lockstep:")]
    t.check(p.returncode == EXIT_USAGE, label + ": exit code 2", (p.returncode, p.stderr))
    t.check(len(lines) == 1 and needle in lines[0], label + ": one clear line naming the problem", p.stderr)
    if quiet:  # found before the run starts: nothing printed
        t.check(p.stdout == "", label + ": nothing on stdout", p.stdout[:200])


one_line_usage(run_cli("--headless", "no-such-scene"), "unknown scene", "no-such-scene")
one_line_usage(run_cli("--headless", "deadlock", "--param", "nope=1"), "unknown parameter", "nope")
one_line_usage(run_cli("--headless", "deadlock", "--param", "work=99999"), "parameter out of range", "between")
one_line_usage(run_cli("--headless", "deadlock", "--param", "work=abc"), "parameter not a number", "whole number")
one_line_usage(run_cli("--headless", "deadlock", "--param", "work"), "parameter without value", "name=value")
one_line_usage(run_cli("--headless", "deadlock", "--schedule=T1,,T2"), "malformed schedule", "schedule")
one_line_usage(run_cli("--headless", "deadlock", "--schedule=T1;rm"), "schedule with odd characters", "schedule")
one_line_usage(run_cli("--headless", "deadlock", "--frobnicate"), "unknown option", "--frobnicate")
one_line_usage(run_cli("--headless", "deadlock", "--until=forever"), "bad --until", "forever")
one_line_usage(run_cli("--headless", "deadlock", "--seed=-4"), "bad --seed", "--seed")
one_line_usage(run_cli("--headless", "deadlock", "--schedule=T9"), "schedule names a worker not in the scene", "T9",
               quiet=False)
p = run_cli("--headless", "deadlock", "--schedule=T1,T2,T1,T2,T1", "--param", "work=0")
lines = [l for l in p.stderr.splitlines() if l.startswith("lockstep:")]
t.check(p.returncode == EXIT_USAGE and len(lines) == 1 and "cannot move" in lines[0],
        "a schedule entry for a blocked worker: exit 2, says it cannot move", p.stderr)

# A broken module and a wrong-ABI module are skipped with a message, not a crash.
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "garbage.so"), "wb") as f:
        f.write(b"\x7fELF this is not a shared object")
    p = run_cli("--list", "--scene-path=%s:%s" % (d, TEST_SCENES))
    t.check(p.returncode == 0 and "deadlock  " in p.stdout, "--list still works with a broken module", p.stderr)
    t.check("garbage.so" in p.stderr and "skipping" in p.stderr, "the broken module is named and skipped", p.stderr)
    t.check("test-wrong-abi" not in p.stdout and "ABI" in p.stderr, "the wrong-ABI module is skipped, ABI named",
            p.stderr)
    # the binary exports the scene API (ls_*) and nothing else
    t.check("test-internal" not in p.stdout and
            re.search(r"skipping scene module \S*test-internal\.so: .*undefined symbol: bus_flush", p.stderr),
            "a module calling lockstep's internals does not load; the module and the symbol are named",
            p.stderr)

# --list: one scene per line, id, two spaces, title
p = run_cli("--list")
rows = p.stdout.splitlines()
t.check(p.returncode == 0 and rows and all("  " in r and r.split("  ")[0] == r.split("  ")[0].strip()
                                           for r in rows), "--list prints id, two spaces, title", p.stdout)
t.check({"deadlock", "producer-consumer"} <= {r.split("  ")[0] for r in rows}, "--list names both core scenes")

# A crashing scene is a crash, with worker and signal, never a deadlock.
if TEST_SCENES:
    r = headless("test-crash", "--scene-path=" + TEST_SCENES)
    t.check(r.rc == EXIT_ERROR, "a crashing scene exits 1", (r.rc, r.stderr))
    t.check(r.summary and r.summary["outcome"] == "crashed", "the outcome is crashed, not deadlock",
            r.summary and r.summary["outcome"])
    t.check("victim" in r.stderr and "Segmentation" in r.stderr, "stderr names the worker and the signal", r.stderr)
    t.check(not leftovers(r.host_pid()), "nothing left after the crash", leftovers(r.host_pid()))
else:
    t.check(False, "LOCKSTEP_TEST_SCENES is set by meson", "run this test through meson test")

# Killing lockstep itself takes the scene with it (PDEATHSIG).
proc = subprocess.Popen([LOCKSTEP, "--headless", "producer-consumer", "--param", "items=999",
                         "--param", "capacity=1"], stdout=subprocess.PIPE, text=True)
first = [proc.stdout.readline() for _ in range(3)]
host = [l for l in first if '"hello"' in l]
pgid = int(host[0].split('"pid":')[1].split("}")[0].split(",")[0]) if host else None
proc.send_signal(signal.SIGKILL)
proc.wait()
proc.stdout.close()
# A SIGKILLed lockstep cannot remove its run directory; the next start does.
def processes_left():
    return [x for x in leftovers(pgid, grace=0) if not x.startswith("run directory")]


try:
    wait_for(lambda: not processes_left(), "the scene's group to vanish after lockstep is killed", timeout=10)
    t.check(pgid is not None, "SIGKILL of lockstep leaves no scene process behind")
except AssertionError as e:
    t.check(False, "SIGKILL of lockstep leaves no scene process behind", "%s %s" % (e, processes_left()))
headless("race")
t.check(not leftovers(pgid), "... and the next start removes its run directory", leftovers(pgid))

# Determinism: same schedule, 50 runs, identical settled states.
for scene, args in (("deadlock", ["--seed=3", "--param", "work=0"]), ("producer-consumer", ["--seed=5"])):
    ref = None
    same = True
    for i in range(50):
        r = headless(scene, "--settled", *args)
        states = [(s["step"], s["workers"], s["objects"]) for s in r.settled]
        if ref is None:
            ref = states
        elif states != ref:
            same = False
            break
    t.check(same and ref, "%s %s: 50 runs, identical settled states" % (scene, " ".join(args)))
t.done()
