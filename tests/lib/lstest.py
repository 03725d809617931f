"""lstest: helpers for lockstep's headless and terminal tests.

Every test script prints TAP (one "ok N - name" or "not ok N - name" per
check) so meson counts each check, and CI's summary line counts them too.
Nothing here sleeps to wait for a state: headless runs end by themselves (or
by --timeout, which fails the test), terminal tests poll the screen for named
content with a deadline that fails the test.
"""
import ctypes
import errno
import json
import os
import re
import subprocess
import sys
import time
import traceback

LOCKSTEP = os.environ.get("LOCKSTEP") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "lockstep")

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_DEADLOCK, EXIT_TIMEOUT = 0, 1, 2, 3, 4

# Every run checks the model's invariants after each record (src/check.h),
# also when a test is started by hand.
os.environ.setdefault("LOCKSTEP_CHECK", "1")


def _ticks_now():
    """Now, in the clock ticks since boot that /proc/PID/stat counts in."""
    with open("/proc/uptime") as f:
        return float(f.read().split()[0]) * os.sysconf("SC_CLK_TCK")


class Run:
    """One headless run: exit code, every JSON line, the summary."""

    def __init__(self, args, proc):
        self.ended = _ticks_now()
        self.args = args
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.lines = []
        for line in proc.stdout.splitlines():
            if line.strip():
                self.lines.append(json.loads(line))
        self.summary = self.lines[-1] if self.lines and self.lines[-1].get("type") == "summary" else None
        self.events = [l for l in self.lines if "seq" in l]
        self.settled = [l for l in self.lines if l.get("type") == "settled"]

    def finished(self):
        """The scene ran to its end and the model saw nothing odd."""
        return self.rc == EXIT_OK and bool(self.summary) and \
            self.summary["outcome"] == "finished" and \
            self.summary["anomalies"] == 0 and self.summary["malformed"] == 0

    def causal(self):
        """Events in seq order, which is causal order: a record is numbered
        after the real lock it reports and before the real unlock. Headless
        prints them in that order already (out_of_seq() checks it)."""
        return sorted(self.events, key=lambda e: e["seq"])

    def out_of_seq(self):
        """The events printed after one with a higher seq: none, since
        headless prints in seq order even when batches arrive in another."""
        bad, last = [], None
        for e in self.events:
            if last is not None and e["seq"] <= last:
                bad.append((last, e["seq"], e["type"]))
            last = e["seq"]
        return bad

    def of(self, type_, **match):
        return [e for e in self.events if e["type"] == type_ and all(e.get(k) == v for k, v in match.items())]

    def says(self):
        return [e["line"] for e in self.events if e["type"] == "say" and "line" in e]

    def worker(self, name):
        for w in self.summary["workers"]:
            if w["name"] == name:
                return w
        raise KeyError(name)

    def obj(self, name):
        for o in self.summary["objects"]:
            if o["name"] == name:
                return o
        raise KeyError(name)

    def host_pid(self):
        hello = self.of("hello")
        return hello[0]["pid"] if hello else None

    def leftovers(self):
        """leftovers() of this run, not confused by a later process that
        reuses its group's number (pid_max can be 32768)."""
        return leftovers(self.host_pid(), since=self.ended)


def headless(scene, *args, timeout=60):
    """Run `lockstep --headless SCENE ARGS...` and parse what it prints."""
    cmd = [LOCKSTEP, "--headless", scene, "--timeout=%d" % timeout] + list(args)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30)
    return Run(cmd, proc)


class Live:
    """lockstep running headless, its stdout on a pty so that each JSON line
    arrives as it is printed. new_session: in a session of its own (setsid),
    as a backgrounded shell job would be when killed from elsewhere."""

    def __init__(self, scene, *args, env=None, new_session=False, timeout=120):
        import pty
        import termios
        master, slave = pty.openpty()
        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.ONLCR
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        self.p = subprocess.Popen([LOCKSTEP, "--headless", scene, "--timeout=%d" % timeout] + list(args),
                                  stdout=slave, stderr=subprocess.PIPE, env=env,
                                  start_new_session=new_session)
        os.close(slave)
        self.fd, self.buf, self.lines = master, b"", []

    def read_until(self, pred, what, timeout=30):
        import select
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                if line.strip():
                    e = json.loads(line)
                    self.lines.append(e)
                    if pred(e):
                        return e
            r, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            self.buf += chunk
        raise AssertionError("timed out waiting for " + what)

    def host_pid(self):
        return self.read_until(lambda e: e.get("type") == "hello", "hello")["pid"] \
            if not any(e.get("type") == "hello" for e in self.lines) else \
            [e for e in self.lines if e.get("type") == "hello"][0]["pid"]

    def close(self):
        """Reap lockstep (it must be ending) and close the pty."""
        try:
            self.p.wait(timeout=30)
        finally:
            os.close(self.fd)
            if self.p.stderr:
                self.p.stderr.close()


def live_in_group(pgid):
    """The processes of group pgid that are not zombies (a zombie whose
    parent is pid 1 may wait about a second to be reaped: it is dead)."""
    return [(pid, st) for pid, st, _, pg, _ in processes() if pg == pgid and st != "Z"]


def loads_under_ulimit_v(kib):
    """Whether lockstep can start at all under `ulimit -v KIB`: a sanitizer
    build reserves terabytes of address space and cannot."""
    p = subprocess.run(["sh", "-c", 'ulimit -v %d && exec "$0" --list' % kib, LOCKSTEP],
                       capture_output=True, text=True, timeout=30)
    return p.returncode == 0


def run_cli(*args, timeout=30):
    return subprocess.run([LOCKSTEP] + list(args), capture_output=True, text=True, timeout=timeout)


def leftovers(pgid=None, since=None, grace=2.0, ui=None, made_by=None):
    """What a run left behind: processes of its group, zombies among our
    children, /dev/shm and /dev/mqueue entries of lockstep, its run
    directory. since: processes started after that (clock ticks since boot)
    are not the run's. ui: the lockstep that made the run, when known: a run
    directory of another lockstep whose host took the same pid number (pids
    wrap quickly on a busy machine) is not this run's. An entry of another
    run is given `grace` seconds to be swept by its own lockstep (tests run
    in parallel), polled, never slept on blindly. made_by: asked about
    everything a set of lockstep processes did (pids), only their run
    directories count. A shm or mqueue name another run's directory lists
    (another lockstep's, or another host's when asked about one run) is not
    this run's: that run, killed on purpose by a test beside this one, has
    its names removed by its next start. A name no directory lists is
    nobody's to remove: it counts."""
    deadline = time.monotonic() + grace
    while True:
        found, foreign = _leftovers_once(pgid, since, ui, made_by)
        if not foreign or time.monotonic() >= deadline:
            return found + foreign
        time.sleep(0.05)


def processes():
    """Every process now: (pid, state letter, ppid, pgid, start time in
    clock ticks), read from /proc/PID/stat (the name in parentheses may
    hold anything, so fields are counted after the last ')')."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rindex(")") + 2:].split()
        yield int(pid), rest[0], int(rest[1]), int(rest[2]), int(rest[19])


def session_of(pid):
    """The session a process belongs to, or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            s = f.read()
        return int(s[s.rindex(")") + 2:].split()[3])
    except (OSError, ValueError):
        return None


def in_session(sid):
    """(pid, state letter) of every process of session sid."""
    return [(pid, st) for pid, st, _, _, _ in processes() if session_of(pid) == sid]


def run_dir_bases():
    """Where lockstep makes its run directories (src/rundir.c)."""
    out = []
    for d in (os.environ.get("XDG_RUNTIME_DIR"), os.environ.get("TMPDIR"), "/tmp"):
        if d and d.startswith("/") and os.path.isdir(d) and d not in out:
            out.append(d)
    return out


def run_dirs():
    """Every run directory: (path, host pid or 0 when not recorded yet)."""
    for base in run_dir_bases():
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for n in names:
            if not re.fullmatch(r"lockstep-\w{6}", n):
                continue
            path = os.path.join(base, n)
            try:
                with open(os.path.join(path, "host")) as f:
                    host = int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                host = 0
            yield path, host


def run_dirs_of(lockstep_pid):
    """The run directories a lockstep process made (its `owner` file)."""
    out = []
    for path, _ in run_dirs():
        try:
            with open(os.path.join(path, "owner")) as f:
                if int(f.read().split()[0]) == lockstep_pid:
                    out.append(path)
        except (OSError, ValueError, IndexError):
            pass
    return out


def recorded(host):
    """What the run of host recorded before making it: [(kind, name)], read
    from its run directory while it exists; FIFOs are the directory's files."""
    for path, h in run_dirs():
        if h != host:
            continue
        out = []
        try:
            with open(os.path.join(path, "names")) as f:
                out += [tuple(l.split(" ", 1)) for l in f.read().splitlines() if " " in l]
            out += [("fifo", os.path.join(path, n)) for n in os.listdir(path)
                    if n not in ("names", "owner", "host")]
        except OSError:
            pass
        return out
    return []


_mq_lister = []


def mqueues():
    """Names of every POSIX message queue now, or None where they cannot be
    listed. /dev/mqueue is not always mounted; a private mount namespace
    (unshare -m) can mount it for a moment without touching anyone else."""
    try:
        return [n for n in os.listdir("/dev/mqueue")] if os.path.ismount("/dev/mqueue") else _mq_private()
    except OSError:
        return None


def _mq_private():
    import tempfile
    if _mq_lister == [False]:
        return None
    d = tempfile.mkdtemp(prefix="lstest-mq-")
    try:
        r = subprocess.run(["unshare", "-m", "sh", "-c", 'mount -t mqueue none "$1" && ls -1 "$1"', "sh", d],
                           capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        r = None
    finally:
        os.rmdir(d)
    if not r or r.returncode != 0:
        _mq_lister[:] = [False]
        return None
    return r.stdout.split()


def _owner(path):
    try:
        with open(os.path.join(path, "owner")) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _leftovers_once(pgid, since, ui=None, made_by=None):
    found, foreign = [], []
    alive = set()  # pids and process groups of every live process
    for pid, state, ppid, pg, start in processes():
        alive.update((pid, pg))
        if pgid and pg == pgid and (since is None or start <= since):
            found.append("process %s of the scene's group (state %s)" % (pid, state))
        elif state == "Z" and ppid == os.getpid():
            found.append("zombie %s" % pid)
    # shm and mqueue names carry the host's pid (/lockstep-<pid>-<token>-<name>)
    others = _names_of_others(pgid, made_by)
    for d, names in (("/dev/shm", _listdir("/dev/shm")), ("mqueue", mqueues() or [])):
        for n in names:
            if not n.startswith("lockstep-") or n in others:
                continue
            # an entry of another run that is still alive (tests run in
            # parallel) is that run's business, not a leftover of this one
            owner = n.split("-")[1]
            if owner.isdigit() and int(owner) != pgid:
                if int(owner) not in alive:
                    foreign.append("%s/%s" % (d, n))
                continue
            found.append("%s/%s" % (d, n))
    for path, host in run_dirs():
        if host == pgid and pgid and (ui is None or _owner(path) in (ui, None)):
            found.append("run directory " + path)
        elif made_by is not None and _owner(path) not in made_by:
            continue
        elif not pgid and host and host not in alive and _owner(path) not in alive:
            # asked about one run, another run's directory is not its
            # leftover: tests run in parallel, and some kill lockstep on
            # purpose, leaving their directory to their next start. Asked
            # about everything, a directory whose host and lockstep are both
            # gone is one.
            foreign.append("run directory " + path)
    return found, foreign


def _names_of_others(pgid, made_by):
    """The shm and mqueue names (without their '/') that other runs' run
    directories record: of lockstep processes other than made_by, or of a
    host other than pgid. Such a run's own lockstep removes them (its next
    start, when it was killed on purpose), and the test that made it checks
    that. Asked about everything, nothing is another's."""
    out = set()
    if made_by is None and not pgid:
        return out
    for path, host in run_dirs():
        if (_owner(path) in made_by) if made_by is not None else host == pgid:
            continue
        try:
            with open(os.path.join(path, "names")) as f:
                out.update(l.split(" ", 1)[1].lstrip("/") for l in f.read().splitlines() if " " in l)
        except OSError:
            pass
    return out


def _listdir(d):
    try:
        return os.listdir(d)
    except OSError:
        return []


def mq_exists(name):
    """Whether the POSIX message queue `name` ("/lockstep-123-mq") exists.
    /dev/mqueue is not always mounted, so ask mq_open itself."""
    rt = ctypes.CDLL("librt.so.1", use_errno=True)
    rt.mq_open.restype = ctypes.c_int
    rt.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int]
    fd = rt.mq_open(name.encode(), os.O_RDONLY)
    if fd >= 0:
        rt.mq_close(fd)
        return True
    return ctypes.get_errno() != errno.ENOENT


class Tap:
    """Collects checks and prints TAP. Use check() for each property."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, cond, name, detail=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for line in str(detail).splitlines() or [""]:
                print("#   " + line)
        sys.stdout.flush()
        return cond

    def finished(self, r, label):
        """One check: the run finished cleanly (see Run.finished)."""
        return self.check(r.finished(), label + ": finishes, no anomaly",
                          (r.rc, r.stderr[-400:], r.summary and r.summary.get("error")))

    def each(self, label, runs, prop):
        """prop(run) -> (ok, detail); one check per run, which also fails
        when the run left anything behind."""
        for name, r in runs:
            try:
                ok, detail = prop(r)
            except Exception as e:  # a missing field is a failed property
                ok, detail = False, repr(e)
            left = r.leftovers()
            self.check(ok and not left, "%s %s" % (label, name), detail if not ok else left)

    def run(self, fn, name):
        """Run fn(); an exception is one failed check."""
        try:
            fn()
        except Exception:
            self.check(False, name, traceback.format_exc())

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed or self.n == 0 else 0)


def wait_for(predicate, what, timeout=20.0, interval=0.05):
    """Poll predicate() until it returns a true value or the deadline passes
    (then raise: the test fails, it never hangs)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))
