#!/usr/bin/env python3
"""Read-only and full temporary directories, in a private mount namespace
(unshare -m: nothing outside it sees the mounts). Where no usable directory
is left for the run, lockstep says what failed and why, exits 1 and leaves
nothing; where $TMPDIR is unusable it falls back to /tmp. Skipped with a
message where the machine allows no mount namespace."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_ERROR, EXIT_OK, LOCKSTEP, Tap, leftovers  # noqa: E402

t = Tap()


def in_namespace(script, *args, env=None):
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script] + list(args),
                          capture_output=True, text=True, timeout=120, env=env)


probe = in_namespace("mount -t tmpfs none /mnt 2>/dev/null || exit 77; mkdir -p /mnt/x")
if probe.returncode != 0:
    print("# skip: no private mount namespace here (%s)" % (probe.stderr.strip() or probe.returncode))
    t.check(True, "skipped: tmpfs mounts need a private mount namespace")
    t.done()

# The build may itself live under /tmp (a CI clone): its directory is bound
# to /mnt first, so the tmpfs laid over /tmp does not hide the binary.
KEEP_BIN = 'mount --bind "$(dirname "$0")" /mnt && '
RUN = 'exec /mnt/"$(basename "$0")" --headless fifo --timeout=30'

# /tmp read-only, no $XDG_RUNTIME_DIR or $TMPDIR: nowhere to make the run's directory
env = {k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", "TMPDIR")}
p = in_namespace(KEEP_BIN + 'mount -t tmpfs -o ro,mode=1777 none /tmp && ' + RUN, LOCKSTEP, env=env)
t.check(p.returncode == EXIT_ERROR and "cannot start scene fifo" in p.stderr and
        "/tmp/lockstep-" in p.stderr and "Read-only file system" in p.stderr,
        "/tmp read-only: exit 1, stderr names the directory and why", (p.returncode, p.stderr[-300:]))
# /tmp full (no inode left for the registry)
p = in_namespace(KEEP_BIN + 'mount -t tmpfs -o size=16k,nr_inodes=2,mode=1777 none /tmp && ' + RUN,
                 LOCKSTEP, env=env)
t.check(p.returncode == EXIT_ERROR and "cannot start scene fifo" in p.stderr and
        "No space left on device" in p.stderr,
        "/tmp full: exit 1, stderr says no space left", (p.returncode, p.stderr[-300:]))
# $TMPDIR read-only: the run goes to /tmp instead, and cleans up
ro = tempfile.mkdtemp(prefix="lstest-ro-")
p = in_namespace('mount -t tmpfs -o ro,mode=1777 none "$1" && TMPDIR="$1" exec "$0" --headless fifo --timeout=30',
                 LOCKSTEP, ro, env=env)
os.rmdir(ro)
host = next((int(l.split('"pid":')[1].split("}")[0]) for l in p.stdout.splitlines() if '"hello"' in l), None)
t.check(p.returncode == EXIT_OK and host and not leftovers(host),
        "$TMPDIR read-only: the run uses /tmp, finishes, leaves nothing", (p.returncode, p.stderr[-300:]))
t.done()
