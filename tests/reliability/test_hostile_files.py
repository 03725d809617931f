#!/usr/bin/env python3
"""Files lockstep is pointed at cannot hang it or make it run others' code:
a theme or a scene module that is a FIFO or a directory is refused with a
message (exit 2 for --theme), never opened blocking; scene modules in a
directory or file that others can write to, or that another user owns, are
not loaded; a user's module cannot take a built-in scene's id unless
LOCKSTEP_SCENE_OVERRIDE=1 says so."""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_OK, EXIT_USAGE, LOCKSTEP, Tap  # noqa: E402

t = Tap()
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES", "")
IMPOSTOR = os.environ.get("LOCKSTEP_IMPOSTOR_SCENES", "")
tmp = tempfile.mkdtemp(prefix="lstest-hostile-")
os.chmod(tmp, 0o700)


def run(*args, env=None, timeout=20):
    """lockstep with args; a hang is a failed check, not a hung test."""
    try:
        return subprocess.run([LOCKSTEP] + list(args), capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired:
        return None


def lines(p):
    return [l for l in p.stderr.splitlines() if l.strip()] if p else []


try:
    # --- themes ---
    fifo = os.path.join(tmp, "fifo.theme")
    os.mkfifo(fifo)
    for path, what in ((fifo, "a FIFO"), (tmp, "a directory")):
        p = run("--theme=" + path, "deadlock", "--max-frames=1")
        t.check(p is not None and p.returncode == EXIT_USAGE and len(lines(p)) >= 1 and path in p.stderr and
                "not a regular file" in p.stderr,
                "--theme=%s: exit 2 with a message, no hang" % what,
                p and (p.returncode, p.stderr[-300:]))

    # --- scene modules that are no regular file ---
    plugdir = os.path.join(tmp, "plugins")
    os.mkdir(plugdir, 0o700)
    os.mkfifo(os.path.join(plugdir, "x.so"))
    p = run("--scene-path=" + plugdir, "--list")
    t.check(p is not None and p.returncode == EXIT_OK and "x.so" in p.stderr and "not a regular file" in p.stderr,
            "a FIFO named x.so on the scene path: skipped with a message, no hang",
            p and (p.returncode, p.stderr[-300:]))

    # --- who may provide code ---
    src = os.path.join(TEST_SCENES, "test-crash.so")
    mine = os.path.join(tmp, "mine")
    os.mkdir(mine, 0o700)
    shutil.copy(src, mine)
    os.chmod(os.path.join(mine, "test-crash.so"), 0o755)
    p = run("--scene-path=" + mine, "--list")
    t.check(p and "test-crash" in p.stdout and not p.stderr.strip(), "a module of ours in a private directory loads",
            p and p.stderr[-300:])
    os.chmod(mine, 0o777)
    p = run("--scene-path=" + mine, "--list")
    t.check(p and "test-crash" not in p.stdout and mine in p.stderr and "others can write" in p.stderr,
            "a world-writable directory: not loaded, said on stderr", p and (p.stdout[-200:], p.stderr[-300:]))
    os.chmod(mine, 0o770)
    p = run("--scene-path=" + mine, "--list")
    t.check(p and "test-crash" not in p.stdout and "others can write" in p.stderr,
            "a group-writable directory: not loaded", p and p.stderr[-300:])
    os.chmod(mine, 0o700)
    os.chmod(os.path.join(mine, "test-crash.so"), 0o757)
    p = run("--scene-path=" + mine, "--list")
    t.check(p and "test-crash" not in p.stdout and "test-crash.so" in p.stderr and "others can write" in p.stderr,
            "a world-writable module: not loaded, said on stderr", p and p.stderr[-300:])
    os.chmod(os.path.join(mine, "test-crash.so"), 0o755)
    if os.geteuid() == 0:
        os.chown(mine, 65534, -1)
        p = run("--scene-path=" + mine, "--list")
        t.check(p and "test-crash" not in p.stdout and "another user" in p.stderr,
                "a directory owned by another user: not loaded", p and p.stderr[-300:])
        os.chown(mine, 0, -1)
        os.chown(os.path.join(mine, "test-crash.so"), 65534, -1)
        p = run("--scene-path=" + mine, "--list")
        t.check(p and "test-crash" not in p.stdout and "another user" in p.stderr,
                "a module owned by another user: not loaded", p and p.stderr[-300:])
    else:
        print("# skip: owned-by-another-user cases need root to chown")

    # --- built-in ids win unless the user asks ---
    p = run("--scene-path=" + IMPOSTOR, "--list")
    t.check(p and "impostor" not in p.stdout and "'race' is a built-in scene" in p.stderr and
            "LOCKSTEP_SCENE_OVERRIDE=1" in p.stderr,
            "a user's module with a built-in id: the built-in wins, and stderr says how to prefer yours",
            p and (p.stdout[-300:], p.stderr[-300:]))
    env = dict(os.environ, LOCKSTEP_SCENE_OVERRIDE="1")
    p = run("--scene-path=" + IMPOSTOR, "--list", env=env)
    t.check(p and "impostor: a user's race" in p.stdout and not p.stderr.strip(),
            "LOCKSTEP_SCENE_OVERRIDE=1: the user's module replaces the built-in", p and p.stderr[-300:])
    p = run("--headless", "race", "--scene-path=" + IMPOSTOR, "--timeout=20", env=env)
    t.check(p and p.returncode == EXIT_OK and '"impostor"' in p.stdout, "... and is the one that runs",
            p and p.returncode)

    # --- LOCKSTEP_FRAME_LOG: a new file only ---
    def ui_with_frame_log(path):
        """The terminal UI for one frame, on a pty, with the frame log."""
        import pty
        master, slave = pty.openpty()
        env = dict(os.environ, TERM="xterm", LOCKSTEP_FRAME_LOG=path)
        try:
            p = subprocess.run([LOCKSTEP, "deadlock", "--max-frames=1"], stdin=slave, stdout=slave,
                               stderr=subprocess.PIPE, env=env, timeout=30, text=True)
        finally:
            os.close(slave)
            os.close(master)
        return p
    target = os.path.join(tmp, "precious")
    with open(target, "w") as f:
        f.write("keep me\n")
    link = os.path.join(tmp, "frames.link")
    os.symlink(target, link)
    for path, what in ((link, "a symbolic link"), (target, "an existing file")):
        p = ui_with_frame_log(path)
        with open(target) as f:
            kept = f.read() == "keep me\n"
        t.check(p.returncode == 1 and "LOCKSTEP_FRAME_LOG" in p.stderr and kept,
                "LOCKSTEP_FRAME_LOG naming %s: refused with a message, the file untouched" % what,
                (p.returncode, p.stderr[-300:], kept))
    fresh = os.path.join(tmp, "frames.new")
    p = ui_with_frame_log(fresh)
    t.check(p.returncode == 0 and os.path.isfile(fresh) and stat.S_IMODE(os.stat(fresh).st_mode) == 0o600,
            "LOCKSTEP_FRAME_LOG naming a new file: made, private", (p.returncode, p.stderr[-300:]))
finally:
    for root, dirs, files in os.walk(tmp):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o700)
    shutil.rmtree(tmp, ignore_errors=True)
t.done()
