#!/usr/bin/env python3
"""kill -9 at random moments: in every scene, lockstep itself (the front end)
or its scene host is killed after a random number of events. Whatever dies,
no process, zombie, shm object, message queue, FIFO or run directory of the
run is left once the next lockstep has started (a SIGKILLed lockstep cannot
clean up after itself: its host dies with it, and the next start removes
what it recorded). Then many start/stop cycles, each ended another way.
LOCKSTEP_TEST_SEED picks other moments (the seed is printed)."""
import os
import random
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import LOCKSTEP, Live, Tap, _ticks_now, headless, leftovers, live_in_group, wait_for  # noqa: E402

t = Tap()
seed = int(os.environ.get("LOCKSTEP_TEST_SEED", "0")) or random.SystemRandom().randrange(1, 1 << 30)
print("# LOCKSTEP_TEST_SEED=%d" % seed)
rng = random.Random(seed)
scenes = [l.split()[0] for l in subprocess.run([LOCKSTEP, "--list"], capture_output=True, text=True,
                                                 timeout=30).stdout.splitlines() if l.strip()]
t.check(len(scenes) >= 20, "the scenes are listed", scenes)


def clean(host, ui):
    """Nothing of host's run is left, polled with a deadline (pid 1 may take
    a second to reap a killed lockstep's zombies). Processes started from
    now on are not the run's, whatever their group's number."""
    since = _ticks_now()
    try:
        wait_for(lambda: not leftovers(host, since=since, grace=0, ui=ui), "the run's leftovers to go", timeout=15)
        return []
    except AssertionError:
        return leftovers(host, since=since, grace=0, ui=ui)


def kill_at_random(scene, who, args):
    live = Live(scene, *args, timeout=60)
    try:
        host = live.host_pid()
        # a pidfd, so that a host that has ended (its pid free for reuse)
        # is never confused with another process
        try:
            hostfd = os.pidfd_open(host)
        except ProcessLookupError:
            hostfd = None
        n = rng.randrange(1, 120)
        seen = []
        end = live.read_until(lambda e: seen.append(e) or len(seen) >= n or e.get("type") == "summary",
                              "event %d" % n)
        ended = end.get("type") == "summary"
        if not ended and who == "host":
            try:
                if hostfd is None:
                    raise ProcessLookupError
                signal.pidfd_send_signal(hostfd, signal.SIGKILL)
            except ProcessLookupError:
                ended = True  # it ended by itself just now
            live.read_until(lambda e: e.get("type") == "summary", "the summary after the host's death")
        elif not ended:
            live.p.kill()
    finally:
        if hostfd is not None:
            os.close(hostfd)
        live.close()
    if who == "lockstep":
        # the host dies with lockstep (a moment later); then a next start
        wait_for(lambda: not live_in_group(host), "the scene to die with lockstep")
        headless("deadlock", timeout=30)
    left = clean(host, live.p.pid)
    t.check(not left, "%s %s: kill -9 of %s after %d events%s: nothing left" %
            (scene, " ".join(args) or "(step)", who, n, " (it had ended)" if ended else ""), left)


for scene in scenes:
    if scene in ("io-vs-cpu", "gil", "crowd"):
        args = []  # long in free runs: stepped
    else:
        args = rng.choice([[], ["--free"]])
    kill_at_random(scene, rng.choice(["lockstep", "host"]), args)

# Start/stop cycles: each run ended by its end, ^C, SIGTERM, SIGHUP or a
# kill. The exit code follows the summary's outcome, as the README says.
RC = {"finished": 0, "deadlock": 3, "stalled": 3, "timeout": 4, "bad-schedule": 2}
ends = ["end", "INT", "TERM", "HUP", "KILL"]
cycles = int(os.environ.get("LOCKSTEP_TEST_CYCLES", "60"))
bad = []
for i in range(cycles):
    scene = rng.choice(scenes[:])
    how = rng.choice(ends)
    live = Live(scene, timeout=60)
    summary = None
    try:
        host = live.host_pid()
        if how != "end":
            os.kill(live.p.pid, getattr(signal, "SIG" + how))
        if how != "KILL":
            summary = live.read_until(lambda e: e.get("type") == "summary", "the summary")
    except AssertionError as e:
        live.p.kill()
        bad.append("%s ended by %s: %s; exit %s; last lines %s" % (scene, how, e, live.p.wait(),
                                                               live.lines[-2:]))
        continue
    finally:
        live.close()
    rc = live.p.returncode
    if how == "KILL":
        try:
            wait_for(lambda: not live_in_group(host), "the scene to die with lockstep")
        except AssertionError:
            bad.append("%s killed with SIGKILL: its scene lives on: %s" % (scene, live_in_group(host)))
            for pid, _ in live_in_group(host):
                os.kill(pid, signal.SIGKILL)
        headless("deadlock", timeout=30)
    elif RC.get(summary["outcome"], 1) != rc or (how == "end" and summary["outcome"] == "stopped"):
        bad.append("%s ended by %s: outcome %s, exit %s" % (scene, how, summary["outcome"], rc))
    left = clean(host, live.p.pid)
    if left:
        bad.append("%s ended by %s: %s" % (scene, how, left))
t.check(not bad, "%d start/stop cycles, ended every way: each exit code as documented, nothing left" % cycles,
        "\n".join(bad[:10]))
t.done()
