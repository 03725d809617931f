"""Themes and fallbacks: colour, NO_COLOR, mono, projector, --ascii, a
non-UTF-8 locale, a user's own theme file, a broken one."""
import atexit
import os
import re
import shlex
import shutil
import subprocess
import tempfile

from lstmux import LOCKSTEP, Tmux, Tap, lockstep_cmd

tap = Tap()
tm = Tmux()
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;\d+|48;5;\d+)[;m]")


def start(*args, env="env -u NO_COLOR"):
    cmd = env + " " + " ".join(shlex.quote(c) for c in lockstep_cmd(*args))
    s = tm.start(["sh", "-c", cmd])
    tm.wait_screen(s, "Your move")
    for k in "1212":
        tm.keys(s, k)
    tm.wait_screen(s, "DEADLOCK")
    return s


def colour_themes():
    s = start()
    tap.check(COLOUR.search(tm.screen(s, attrs=True)) is not None, "the default theme has colour")
    tm.keys(s, "q")
    for label, args, env in (("NO_COLOR", [], "env NO_COLOR=1"),
                             ("--theme=mono", ["--theme=mono"], "env -u NO_COLOR")):
        s = start(*args, env=env)
        scr = tm.screen(s, attrs=True)
        tap.check(COLOUR.search(scr) is None, "%s: no colour at all" % label,
                  COLOUR.search(scr) and repr(scr[:400]))
        plain = tm.screen(s)
        tap.check("■ BLOCKED" in plain and "‼ DEADLOCK ‼" in plain,
                  "%s: state and alarm read by glyph and word" % label, plain)
        tap.check("\x1b[7m" in scr or ";7m" in scr or "[7;" in scr,
                  "%s: the alarm stands out in reverse video" % label)
        tm.keys(s, "q")


def projector():
    s = start("--theme=projector")
    scr = tm.screen(s)
    tap.check("██ BLOCKED" in scr and "▶▶ RUNNABLE" in scr, "projector: large state glyphs", scr)
    lines = scr.splitlines()
    i = next(k for k, l in enumerate(lines) if re.search(r"T1 +██", l))
    tap.check(lines[i + 1].strip("│ ") == "", "projector: a blank row between workers", scr)
    tm.keys(s, "q")


def ascii_only():
    for label, args, env in (("--ascii", ["--ascii"], "env -u NO_COLOR"),
                             ("LANG=C", [], "env -u NO_COLOR -u LC_ALL LANG=C")):
        s = start(*args, env=env)
        scr = tm.screen(s)
        bad = sorted({c for c in scr if ord(c) > 127})
        tap.check(not bad, "%s: only ASCII on screen" % label, "".join(bad) + "\n" + scr)
        tap.check("# BLOCKED" in scr and "! DEADLOCK !" in scr and "+---" in scr,
                  "%s: ASCII glyphs, words and boxes" % label, scr)
        tm.keys(s, "q")


def user_theme():
    d = tempfile.mkdtemp(prefix="lockstep-theme-")
    atexit.register(shutil.rmtree, d, ignore_errors=True)
    src = os.path.join(os.path.dirname(LOCKSTEP), "assets", "themes", "default.theme")
    mine = os.path.join(d, "mine.theme")
    with open(src) as f, open(mine, "w") as g:
        g.write(f.read().replace("alarm      = white   red     bold",
                                 "alarm      = black   bright-yellow bold"))
    s = start("--theme=" + mine)
    scr = tm.screen(s, attrs=True)
    tap.check("‼ DEADLOCK" in tm.screen(s) and re.search(r"\x1b\[[0-9;]*(103|43)", scr),
              "a copied and edited theme file is used", repr(scr[:300]))
    tm.keys(s, "q")
    bad = os.path.join(d, "bad.theme")
    with open(bad, "w") as g:
        g.write("[colors]\nalarm = purple-ish red\n")
    r = subprocess.run([LOCKSTEP, "--theme=" + bad], capture_output=True, text=True,
                       timeout=30, stdin=subprocess.DEVNULL)
    tap.check(r.returncode != 0 and "bad.theme" in r.stderr and "line 2" in r.stderr,
              "a broken theme file is reported with its line", r.stderr)
    r = subprocess.run([LOCKSTEP, "--theme=nope"], capture_output=True, text=True, timeout=30)
    tap.check(r.returncode == 2 and "--theme" in r.stderr, "an unknown theme is a usage error",
              r.stderr)


tap.run(colour_themes, "colour, NO_COLOR, mono")
tap.run(projector, "projector")
tap.run(ascii_only, "ASCII")
tap.run(user_theme, "user theme")
tap.done()
