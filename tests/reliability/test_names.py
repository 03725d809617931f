#!/usr/bin/env python3
"""Every name a scene makes in the file system is recorded before it is made,
in the run's private directory, so it is removed whatever dies when: the
host at its end, the UI after a killed host, the next start after a killed
UI (with /dev/mqueue mounted or not). Names cannot be guessed or
pre-created by another user, and the start-up sweep removes only what a
finished run of this user recorded. A scene that cannot start says what
failed and why, in full."""
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import (EXIT_ERROR, LOCKSTEP, Live, Tap, headless, leftovers, live_in_group,  # noqa: E402
                    loads_under_ulimit_v, mq_exists, recorded, run_dirs, wait_for)

t = Tap()
# Runs of this test go to a private $XDG_RUNTIME_DIR: a lockstep another
# test starts in parallel sweeps only its own bases, so what a killed run
# left stays until this test's next start, as it would for one user.
xdg = tempfile.mkdtemp(prefix="lstest-xdg-")
os.chmod(xdg, 0o700)
os.environ["XDG_RUNTIME_DIR"] = xdg
SCENES = "--scene-path=" + os.environ.get("LOCKSTEP_TEST_SCENES", "")


def exists(kind, name):
    if kind == "mq":
        return mq_exists(name)
    return os.path.exists(("/dev/shm" + name) if kind == "shm" else name)


def made_mid_scene(scene, ready, *args):
    """Start scene (free, slow) and return (live, host, recorded names) once
    ready(event) held."""
    live = Live(scene, "--free", *args, new_session=True)
    host = live.host_pid()
    live.read_until(ready, "the scene to make its objects")
    return live, host, recorded(host)


# --- lockstep killed with SIGKILL: the next start removes what it recorded --
live, host, made = made_mid_scene("test-ipc-hold", lambda e: e.get("line") == "holding", SCENES)
kinds = sorted(k for k, _ in made)
# test-ipc-hold makes a FIFO, two queues (one with a long name) and a shm object
t.check(kinds == ["fifo", "mq", "mq", "shm"], "each name is recorded in the run directory", made)
t.check(all(re.fullmatch(r"/lockstep-%d-[0-9a-f]{16}-hold-(mq|shm)(-[a-z-]+)?" % host, n)
            for k, n in made if k != "fifo"),
        "mqueue and shm names carry 16 random hex digits", made)
d = os.path.dirname([n for k, n in made if k == "fifo"][0])
t.check(d.startswith(xdg + "/"), "the run directory is under $XDG_RUNTIME_DIR", d)
st = os.lstat(d)
t.check(stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o700 and st.st_uid == os.geteuid(),
        "FIFOs are made in a private directory (0700, ours)", oct(st.st_mode))
live.p.kill()
wait_for(lambda: not live_in_group(host), "the scene to die with lockstep")
live.close()
t.check(all(exists(*m) for m in made), "after kill -9 of lockstep the names are still there (nobody ran)",
        [m for m in made if not exists(*m)])
r = headless("race")
left = [m for m in made if exists(*m)] + [p for p, h in run_dirs() if h == host]
t.check(not left, "the next start removes every recorded name, the mqueue too, and the directory", left)

# --- the host killed at random moments while it makes its objects ----------
rng = random.Random(int(os.environ.get("LOCKSTEP_TEST_SEED", "12")))
for scene in ("mqueue", "shm", "fifo", "ipc-compare"):
    live = Live(scene, "--free")
    host = live.host_pid()
    n = rng.randrange(1, 60)  # a moment between "just started" and "well into it"
    seen = []
    end = live.read_until(lambda e: seen.append(e) or len(seen) >= n or e.get("type") == "summary",
                          "event %d" % n)
    made = recorded(host)
    if end.get("type") != "summary":
        try:
            os.kill(host, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it ended by itself a moment ago
        live.read_until(lambda e: e.get("type") == "summary", "the summary")
    live.close()
    left = [m for m in made if exists(*m)] + leftovers(host)
    t.check(not left, "%s: host killed after %d events: nothing of it is left" % (scene, n), left)

# --- the start-up sweep: only ours, only what a finished run recorded -------
DEAD = 4194000  # above pid_max's default: no such process


def start_time(pid):
    with open("/proc/%d/stat" % pid) as f:
        return int(f.read().rsplit(")", 1)[1].split()[19])


def fake_run(host, names, mode=0o700, uid=None, owner=None):
    d = tempfile.mkdtemp(prefix="lockstep-", dir="/tmp")
    # mkdtemp's suffix is 8 characters; lockstep's is 6
    real = "/tmp/lockstep-" + os.path.basename(d)[-6:]
    os.rename(d, real)
    with open(real + "/owner", "w") as f:
        f.write(owner or "%d 1\n" % host)
    with open(real + "/host", "w") as f:
        f.write("%d\n" % host)
    with open(real + "/names", "w") as f:
        f.writelines("shm %s\n" % n for n in names)
    os.mkfifo(real + "/channel")
    for n in names:
        open("/dev/shm" + n, "w").close()
    os.chmod(real, mode)
    if uid is not None:
        os.chown(real, uid, -1)
    return real


# Entries that must stay name pid 1 (alive): a lockstep of an older build,
# which swept any /dev/shm/lockstep-<dead pid>-*, may share this machine.
KEEP = 1
dead = fake_run(DEAD, ["/lockstep-%d-0123456789abcdef-stale" % DEAD])
others = fake_run(DEAD, ["/lockstep-%d-0123456789abcdef-theirs" % KEEP], uid=65534) if os.geteuid() == 0 else None
loose = fake_run(DEAD, ["/lockstep-%d-0123456789abcdef-loose" % KEEP], mode=0o755)
alive = fake_run(os.getpid(), ["/lockstep-%d-0123456789abcdef-live" % KEEP])
# the explorer keeps one directory for thousands of runs: between two of
# them its `host` names a dead group, but its lockstep is alive
between = fake_run(DEAD, ["/lockstep-%d-0123456789abcdef-between" % KEEP],
                   owner="%d %d\n" % (os.getpid(), start_time(os.getpid())))
unrecorded = "/dev/shm/lockstep-%d-unrecorded" % KEEP
open(unrecorded, "w").close()
r = headless("race")
t.check(not os.path.exists(dead) and not os.path.exists("/dev/shm/lockstep-%d-0123456789abcdef-stale" % DEAD),
        "a dead run of ours: its directory and what it recorded are removed")
if others:
    t.check(os.path.exists(others + "/channel") and os.path.exists("/dev/shm/lockstep-%d-0123456789abcdef-theirs"
                                                                     % KEEP),
            "another user's run directory is left alone")
t.check(os.path.exists(loose + "/channel") and os.path.exists("/dev/shm/lockstep-%d-0123456789abcdef-loose" % KEEP),
        "a directory open to others is not trusted, left alone")
t.check(os.path.exists(alive + "/channel") and os.path.exists("/dev/shm/lockstep-%d-0123456789abcdef-live" % KEEP),
        "a run whose host is alive is left alone")
t.check(os.path.exists(between + "/channel") and
        os.path.exists("/dev/shm/lockstep-%d-0123456789abcdef-between" % KEEP),
        "a directory whose lockstep is alive is left alone, its last host dead or not")
t.check(os.path.exists(unrecorded), "a name no run recorded is left alone, even if it looks like ours")
for d, n in ((others, "theirs"), (loose, "loose"), (alive, "live"), (between, "between")):
    if d:
        subprocess.run(["rm", "-rf", d])
    try:
        os.unlink("/dev/shm/lockstep-%d-0123456789abcdef-%s" % (KEEP, n))
    except OSError:
        pass
try:
    os.unlink(unrecorded)
except OSError:
    pass

# --- a scene that cannot start says what failed and why ---------------------
r = headless("test-fatal", SCENES)
want = re.compile(r"scene error in main: mkfifo /\S+/a-fifo-with-a-rather-long-name-to-pass-one-record: "
                  r"File exists")
t.check(r.rc == EXIT_ERROR and r.summary and want.fullmatch(r.summary.get("error", "")),
        "a fatal scene error reaches the summary whole, with its errno", r.summary and r.summary.get("error"))
t.check(want.search(r.stderr), "... and stderr", r.stderr[-300:])
t.check(not r.leftovers(), "... and leaves nothing", r.leftovers())
if not loads_under_ulimit_v(20000):
    print("# skip: this build cannot even load under ulimit -v 20000 (a sanitizer build?)")
    shutil.rmtree(xdg, ignore_errors=True)
    t.done()
p = subprocess.run(["sh", "-c", 'ulimit -v 20000 && exec "$0" --headless deadlock --timeout=30', LOCKSTEP],
                   capture_output=True, text=True, timeout=60)
t.check(p.returncode == EXIT_ERROR and "cannot map the scene's shared arena" in p.stderr and
        "Cannot allocate memory (ulimit -v is 20000)" in p.stderr,
        "ulimit -v 20000: stderr names what failed, why, and the limit", (p.returncode, p.stderr[-300:]))
shutil.rmtree(xdg, ignore_errors=True)
t.done()
