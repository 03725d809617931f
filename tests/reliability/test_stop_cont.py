#!/usr/bin/env python3
"""Stopped and continued under an interactive shell, lockstep takes its
terminal modes back (no echo, no line buffering), whether it stopped itself
(^Z) or was stopped from outside (kill -STOP, then fg); and ^Z stops only
the scene lockstep forked, even when a scene has forged a HELLO naming
another process group on the bus."""
import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "terminal"))
from lstmux import LOCKSTEP, Tap, Tmux, children, leftovers, processes, wait_for  # noqa: E402
from lstest import Live  # noqa: E402

t = Tap()
SCENES = os.environ.get("LOCKSTEP_TEST_SCENES", "")
tm = Tmux()
victim = subprocess.Popen(["sleep", "600"], start_new_session=True)


def state(pid):
    return next((st for p, st, _, _, _ in processes() if p == pid), None)


def stty(tty):
    return subprocess.run(["stty", "-a", "-F", tty], capture_output=True, text=True, timeout=10).stdout


def ours(tty):
    """lockstep's modes: no canonical input, no echo."""
    s = stty(tty)
    return re.search(r"(^|\s)-icanon(\s|$)", s) and re.search(r"(^|\s)-echo(\s|$)", s)


try:
    name = tm.start(["env", "PS1=PROMPT$ ", "bash", "--norc", "--noprofile", "-i"])
    tm.wait_screen(name, r"PROMPT\$", what="the shell's prompt")
    tty = tm.fmt(name, "#{pane_tty}")
    shell = tm.pane_pid(name)
    tm.literal(name, "%s test-forger --scene-path=%s --param victim=%d --speed=9" % (LOCKSTEP, SCENES, victim.pid))
    tm.keys(name, "Enter")
    ls = wait_for(lambda: children(shell), "lockstep to start")[0]
    host = wait_for(lambda: children(ls), "the scene host to start")[0]
    tm.wait_screen(name, "forged", what="the forged records to be read")
    wait_for(lambda: ours(tty), "lockstep's terminal modes")

    # ^Z: lockstep stops itself and its scene, and nothing else
    tm.keys(name, "C-z")
    tm.wait_screen(name, r"Stopped", what="the shell to report the job stopped")
    wait_for(lambda: state(ls) == "T", "lockstep to stop")
    t.check(state(host) == "T", "^Z stops the scene lockstep forked", state(host))
    t.check(state(victim.pid) != "T", "^Z does not stop the group a forged HELLO named", state(victim.pid))
    tm.literal(name, "fg")
    tm.keys(name, "Enter")
    wait_for(lambda: state(ls) not in ("T", None), "lockstep to run again")
    try:
        wait_for(lambda: ours(tty), "lockstep's modes after fg", timeout=10)
        t.check(True, "after ^Z and fg, lockstep's terminal modes are back")
    except AssertionError as e:
        t.check(False, "after ^Z and fg, lockstep's terminal modes are back", stty(tty))
    wait_for(lambda: state(host) != "T", "the scene to continue")

    # kill -STOP from outside, then fg
    os.kill(ls, signal.SIGSTOP)
    wait_for(lambda: state(ls) == "T", "lockstep to stop")
    tm.wait_screen(name, r"Stopped", what="the shell to report the job stopped again")
    tm.literal(name, "fg")
    tm.keys(name, "Enter")
    # readline's own modes look like ours: wait until the job runs, when
    # the shell has put its cooked modes back
    wait_for(lambda: state(ls) not in ("T", None), "lockstep to run again")
    try:
        wait_for(lambda: ours(tty), "lockstep's modes after SIGCONT", timeout=10)
        t.check(True, "after kill -STOP and fg, lockstep's terminal modes are back (SIGCONT)")
    except AssertionError:
        t.check(False, "after kill -STOP and fg, lockstep's terminal modes are back (SIGCONT)", stty(tty))
    tm.keys(name, "q")
    tm.wait_screen(name, r"PROMPT\$\s*$", what="lockstep to quit")
    wait_for(lambda: not leftovers(host), "the scene to be gone", timeout=20)
    t.check(not leftovers(host), "nothing of the scene is left")
    t.check(state(victim.pid) not in (None, "T", "Z"), "the victim lives on, untouched", state(victim.pid))

    # Headless: lockstep stopped and continued, then its scene's group.
    for who in ("lockstep", "the scene's group"):
        live = Live("zombie-orphan", "--free", "--param", "delay=300", timeout=60)
        host = live.host_pid()
        seen = []
        live.read_until(lambda e: seen.append(e) or len(seen) >= 8, "a few events")
        target = live.p.pid if who == "lockstep" else -host
        os.kill(target, signal.SIGSTOP)
        wait_for(lambda: state(live.p.pid if who == "lockstep" else host) == "T", "the stop")
        os.kill(target, signal.SIGCONT)
        s = live.read_until(lambda e: e.get("type") == "summary", "the summary")
        live.close()
        t.check(live.p.returncode == 0 and s["outcome"] == "finished" and s["anomalies"] == 0,
                "headless, %s stopped (SIGSTOP) and continued: the scene finishes" % who,
                (live.p.returncode, s["outcome"], s.get("error")))
        t.check(not leftovers(host), "... and leaves nothing", leftovers(host))
finally:
    victim.kill()
    victim.wait()
t.done()
