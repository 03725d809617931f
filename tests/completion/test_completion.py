#!/usr/bin/env python3
"""Bash completion (issue 18): the script meson installs completes options,
scene ids, goals, parameters and their choices by asking the lockstep being
completed (--help, --list, --list-goals, --list-params), so it cannot lag
behind it. Driven as bash drives it: COMP_WORDS split where bash splits
(at '=' too), then the function `complete -p lockstep` names. Also
--version."""
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import LOCKSTEP, Tap, run_cli  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "assets", "completion", "lockstep")
TEST_SCENES = os.environ.get("LOCKSTEP_TEST_SCENES") or os.path.join(
    os.path.dirname(LOCKSTEP), "tests", "scenes")
t = Tap()


def bash(body):
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(LOCKSTEP)) + ":" + os.environ["PATH"])
    return subprocess.run(["bash", "--norc", "--noprofile", "-c", "source %s\n%s" % (
        shlex.quote(SCRIPT), body)], capture_output=True, text=True, env=env, timeout=60)


def complete(*words):
    """What completing the last word offers, as bash would call the function."""
    arr = " ".join(shlex.quote(w) for w in words)
    p = bash('fn=$(complete -p lockstep | sed -n "s/.*-F \\([^ ]*\\) .*/\\1/p")\n'
             'COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n'
             '"$fn" lockstep "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"\n'
             'printf "%%s\\n" "${COMPREPLY[@]}"' % arr)
    return [l for l in p.stdout.splitlines() if l], p.stderr


p = bash("complete -p lockstep")
t.check(p.returncode == 0 and "-F _lockstep" in p.stdout and p.stdout.strip().endswith(" lockstep"),
        "sourcing the script registers a completion for lockstep", p.stdout + p.stderr)

scenes = [l.split("  ")[0] for l in run_cli("--list").stdout.splitlines()]
got, err = complete("lockstep", "")
t.check(got == scenes and len(scenes) > 10, "a scene id: every id --list prints", (got, err))
got, _ = complete("lockstep", "dead")
t.check(got and all(g.startswith("dead") for g in got) and "deadlock" in got,
        "a scene id by its start", got)

helptext = run_cli("--help").stdout
got, _ = complete("lockstep", "--")
for opt in ("--headless", "--explore", "--grade", "--list-goals", "--list-params", "--version",
            "--lang", "--theme", "--json"):
    t.check(opt in got, "options: %s" % opt, got)
t.check(all(o in helptext for o in got), "options: only those --help names", got)
got, _ = complete("lockstep", "--gr")
t.check(got == ["--grade"], "an option by its start", got)

got, _ = complete("lockstep", "philosophers", "-p", "")
t.check(got == ["n=", "fix=", "meals=", "eat="], "-p: the scene's parameters, NAME=", got)
got, _ = complete("lockstep", "philosophers", "--param", "f")
t.check(got == ["fix="], "--param: by its start", got)
got, _ = complete("lockstep", "philosophers", "-p", "fix", "=")
t.check(got == ["none", "order", "waiter", "trylock"], "-p NAME=: a choice's values", got)
got, _ = complete("lockstep", "philosophers", "-p", "fix", "=", "w")
t.check(got == ["waiter"], "-p NAME=V: by its start", got)
got, _ = complete("lockstep", "race", "-p", "rounds", "=", "")
t.check(got == [], "-p NAME= of a number: nothing to guess", got)

got, _ = complete("lockstep", "race", "--goal", "")
t.check(got == ["deadlock", "stall", "crash", "lost-update"], "--goal: the scene's goals", got)
got, _ = complete("lockstep", "philosophers", "-p", "n", "=", "3", "--goal", "=", "all")
t.check(got == ["all-stuck"], "--goal=: after parameters, the scene's own", got)
got, _ = complete("lockstep", "--lang", "=", "")
t.check(got == ["zh", "en"], "--lang=: zh en", got)
got, _ = complete("lockstep", "--scene-path", "=", TEST_SCENES, "test-old")
t.check(got == ["test-old-goals"], "--scene-path: scenes found there too", got)

p = run_cli("--version")
t.check(p.returncode == 0 and p.stdout.startswith("lockstep ") and len(p.stdout.split()) == 2
        and p.stdout.split()[1][0].isdigit() and not p.stderr,
        "--version: one line, 'lockstep VERSION'", p.stdout + p.stderr)
p = run_cli("--list-params", "philosophers")
t.check(p.returncode == 0 and p.stdout.splitlines()[1].split("  ")[:3] ==
        ["fix", "none", "none|order|waiter|trylock"], "--list-params: name, value, choices, help",
        p.stdout)
t.done()
