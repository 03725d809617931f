"""lstmux: drive the real lockstep binary in a private tmux server.

Each test gets its own server (`tmux -L lockstep-test-<pid> -f /dev/null`),
killed at exit. Panes stay after their command ends (remain-on-exit) so a
test can read the exit status. Nothing sleeps for timing: `wait_screen`
polls capture-pane with a deadline that fails the test.
"""
import atexit
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import LOCKSTEP, Tap, wait_for, leftovers, processes  # noqa: E402,F401


class Tmux:
    def __init__(self):
        self.sock = "lockstep-test-%d" % os.getpid()
        self.n = 0
        atexit.register(self.kill_server)

    def tmux(self, *args, check=True):
        r = subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null"] + list(args),
                           capture_output=True, text=True, timeout=30)
        if check and r.returncode != 0:
            raise RuntimeError("tmux %s: %s" % (" ".join(args), r.stderr.strip()))
        return r.stdout

    def start(self, cmd, x=120, y=40, env=None):
        """Start cmd (a list, or a shell string) in a new session; returns its name."""
        self.n += 1
        name = "t%d" % self.n
        if isinstance(cmd, list):
            cmd = " ".join(shlex.quote(c) for c in cmd)
        envs = []
        for k, v in (env or {}).items():
            envs += ["-e", "%s=%s" % (k, v)]
        if self.n == 1:
            # a session that outlives the tests' own, so the server and its
            # global options exist before any test command can exit
            self.tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "cat")
            self.tmux("set", "-g", "escape-time", "0")
            self.tmux("set", "-g", "remain-on-exit", "on")
        self.tmux("new-session", "-d", "-s", name, "-x", str(x), "-y", str(y), *envs, cmd)
        return name

    def start_ls(self, *args, x=120, y=40):
        """Start lockstep under a shell that reaps it and shows its exit
        status ("lockstep exited N"): tmux 3.3a sometimes leaves a pane's
        exited command unreaped, so its pane_dead_status is not reliable."""
        cmd = " ".join(shlex.quote(c) for c in [LOCKSTEP] + list(args))
        return self.start(["sh", "-c", '%s; echo "lockstep exited $?"; exec cat' % cmd], x, y)

    def wait_exit(self, name, timeout=30):
        """The exit status of a start_ls() lockstep, once it has exited."""
        scr = self.wait_screen(name, r"lockstep exited (\d+)", timeout=timeout,
                               what="lockstep to exit")
        return int(re.search(r"lockstep exited (\d+)", scr).group(1))

    def screen(self, name, attrs=False):
        args = ["capture-pane", "-p", "-t", name]
        if attrs:
            args.append("-e")
        return self.tmux(*args, check=False)

    def keys(self, name, *keys):
        self.tmux("send-keys", "-t", name, *keys)

    def literal(self, name, text):
        self.tmux("send-keys", "-t", name, "-l", text)

    def resize(self, name, x, y):
        self.tmux("resize-window", "-t", name, "-x", str(x), "-y", str(y))

    def fmt(self, name, f):
        return self.tmux("display-message", "-p", "-t", name, f, check=False).strip()

    def pane_pid(self, name):
        return int(self.fmt(name, "#{pane_pid}"))

    def dead(self, name):
        return self.fmt(name, "#{pane_dead}") == "1"

    def dead_status(self, name):
        s = self.fmt(name, "#{pane_dead_status}")
        return int(s) if s else None

    def wait_screen(self, name, pattern, timeout=20, what=None):
        """Wait until the screen matches (a regex, or all of a list of plain
        strings); returns the screen."""
        def ok():
            s = self.screen(name)
            if isinstance(pattern, (list, tuple)):
                return s if all(p in s for p in pattern) else None
            return s if re.search(pattern, s) else None
        try:
            return wait_for(ok, what or repr(pattern), timeout=timeout)
        except AssertionError as e:
            raise AssertionError("%s\n--- screen ---\n%s" % (e, self.screen(name)))

    def wait_dead(self, name, timeout=20):
        try:
            wait_for(lambda: self.dead(name) and self.dead_status(name) is not None,
                     "the pane to exit", timeout=timeout)
        except AssertionError as e:
            raise AssertionError("%s (%s)\n%s" % (e, self.fmt(
                name, "dead=#{pane_dead} status=#{pane_dead_status} "
                "signal=#{pane_dead_signal} cmd=#{pane_current_command}"), self.screen(name)))
        return self.dead_status(name)

    def kill_session(self, name):
        self.tmux("kill-session", "-t", name, check=False)

    def kill_server(self):
        subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", "kill-server"],
                       capture_output=True, timeout=30)


def children(pid):
    """Direct children of pid (all threads)."""
    out = []
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def alive(pid):
    """True when pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def exists(pid):
    return os.path.exists("/proc/%d" % pid)


def group_members(pgid):
    return ["%d (%s)" % (pid, state) for pid, state, _, pg, _ in processes() if pg == pgid]


def mouse_click(tm, name, x, y):
    """A left click at 0-based (x, y), in the X10 encoding the pane's
    terminfo (screen / tmux-256color) announces."""
    press = "\033[M" + chr(32 + 0) + chr(33 + x) + chr(33 + y)
    release = "\033[M" + chr(32 + 3) + chr(33 + x) + chr(33 + y)
    tm.literal(name, press + release)


def lockstep_cmd(*args):
    return [LOCKSTEP] + list(args)


def pane(scr, title):
    """The text inside the pane whose top border carries this title, or ""."""
    lines = scr.splitlines()
    for y, line in enumerate(lines):
        i = line.find(title)
        if i < 0:
            continue
        left = max(line.rfind("┌", 0, i), line.rfind("+", 0, i))
        right = min([j for j in (line.find("┐", i), line.find("+", i)) if j >= 0] or [len(line)])
        out = []
        for row in lines[y + 1:]:
            cell = row[left:right + 1]
            if cell[:1] in ("└", "+") and cell[1:2] in ("─", "-"):
                break
            out.append(cell[1:-1])
        return "\n".join(out)
    return ""
