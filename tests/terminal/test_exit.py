"""Every way out leaves nothing behind: q, ^C, SIGTERM, tmux kill-session;
no lockstep process, no zombie, the terminal as it was (stty -a). Also
--max-frames, and the one clear line without a terminal."""
import atexit
import os
import re
import shlex
import shutil
import subprocess
import tempfile

from lstmux import (LOCKSTEP, Tmux, Tap, alive, children, exists, group_members,
                    lockstep_cmd, wait_for)
from lstest import processes as all_processes  # noqa: E402

tap = Tap()
tm = Tmux()
tmp = tempfile.mkdtemp(prefix="lockstep-term-")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)


def processes(shell_pid):
    """(lockstep pid, scene host pid) under a pane's shell."""
    def find():
        for c in children(shell_pid):
            hosts = children(c)
            if hosts:
                return c, hosts[0]
        return None
    return wait_for(find, "lockstep and its scene host")


def zombies_of(pids):
    return [str(pid) for pid, state, ppid, _, _ in all_processes() if state == "Z" and ppid in pids]


def way_out(label, how, deadlock=True):
    tag = re.sub(r"\W", "_", label)
    before, after, rcf = ("%s/%s.%s" % (tmp, tag, x) for x in ("before", "after", "rc"))
    script = ("trap : INT; stty -a > %s; %s; echo $? > %s; stty -a > %s; exec cat"
              % (before, " ".join(shlex.quote(c) for c in lockstep_cmd()), rcf, after))
    s = tm.start(["sh", "-c", script])
    tm.wait_screen(s, "Your move")
    shell = tm.pane_pid(s)
    ui, host = processes(shell)
    if deadlock:
        for k in "1212":
            tm.keys(s, k)
        tm.wait_screen(s, "DEADLOCK")
    how(s, ui)
    wait_for(lambda: os.path.exists(after) and os.path.getsize(after) > 0,
             "lockstep to exit (%s)" % label)
    with open(rcf) as f:
        rc = f.read().strip()
    wait_for(lambda: not group_members(host), "the scene's group to go", timeout=10)
    tap.check(not exists(ui) or not alive(ui), "%s: lockstep is gone" % label)
    tap.check(not group_members(host), "%s: nothing of the scene's group is left" % label,
              group_members(host))
    tap.check(not zombies_of({ui, host, shell}), "%s: no zombie" % label)
    with open(before) as f1, open(after) as f2:
        b, a = f1.read(), f2.read()
    tap.check(a == b, "%s: stty -a is unchanged" % label, "before:\n%s\nafter:\n%s" % (b, a))
    tm.kill_session(s)
    return rc


rc = way_out("q", lambda s, ui: tm.keys(s, "q"))
tap.check(rc == "0", "q exits 0", rc)
rc = way_out("^C", lambda s, ui: tm.keys(s, "C-c"))
tap.check(rc == "130", "^C exits 130", rc)
rc = way_out("SIGTERM", lambda s, ui: os.kill(ui, 15), deadlock=False)
tap.check(rc == "143", "SIGTERM exits 143", rc)
rc = way_out("a crash of lockstep itself (SIGSEGV)", lambda s, ui: os.kill(ui, 11))
# 139: killed by SIGSEGV; 1: a sanitizer build reports the signal and exits 1
tap.check(rc in ("139", "1"), "a crash still ends as a failure", rc)
rc = way_out("q while running", lambda s, ui: (tm.keys(s, "Space"), tm.keys(s, "q")),
             deadlock=False)


def kill_session():
    s = tm.start(lockstep_cmd())
    tm.wait_screen(s, "Your move")
    ui = tm.pane_pid(s)
    host = wait_for(lambda: (children(ui) or [None])[0], "the scene host")
    for k in "1212":
        tm.keys(s, k)
    tm.wait_screen(s, "DEADLOCK")
    tm.kill_session(s)
    wait_for(lambda: not alive(ui), "lockstep to end after kill-session", timeout=10)
    wait_for(lambda: not group_members(host), "the scene's group to go", timeout=10)
    tap.check(True, "kill-session: lockstep and the scene's group are gone")
    tap.check(not zombies_of({ui, host}), "kill-session: no zombie")


def max_frames():
    s = tm.start_ls("--max-frames=40")
    st = tm.wait_exit(s)
    tap.check(st == 0, "--max-frames=40 exits by itself with 0", "status %r\n%s" % (st, tm.screen(s)))
    s = tm.start_ls("producer-consumer", "--speed=9", "--max-frames=60")
    tap.check(tm.wait_exit(s) == 0, "--max-frames in run mode exits with 0")


def no_terminal():
    r = subprocess.run([LOCKSTEP], capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    tap.check(r.returncode == 1 and "--headless" in r.stderr and len(r.stderr.splitlines()) <= 2,
              "without a terminal: exit 1, a clear line pointing to --headless", r.stderr)
    out = "%s/dumb.out" % tmp
    s = tm.start(["sh", "-c", "TERM=dumb %s 2> %s; echo $? >> %s; exec cat"
                  % (shlex.quote(LOCKSTEP), out, out)])
    wait_for(lambda: os.path.exists(out) and open(out).read().strip()[-1:].isdigit(),
             "lockstep with TERM=dumb to exit")
    text = open(out).read()
    tap.check(text.strip().endswith("1") and "--headless" in text and "dumb" in text,
              "TERM=dumb: exit 1, a clear line pointing to --headless", text)
    tm.kill_session(s)


tap.run(kill_session, "kill-session")
tap.run(max_frames, "max-frames")
tap.run(no_terminal, "no terminal")
tap.done()
