#!/usr/bin/env python3
"""The scene SDK a teacher uses: install lockstep into a temporary root,
build the README's example scene from a temporary directory with the
README's own command against the installed header and pkg-config file, and
run it headless with the installed binary. Also: the binary exports the
scene API and nothing of its own, and a scene's misuse stops the host with
one line saying what.

usage: test_sdk.py BUILD_DIR SOURCE_DIR MESON"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_ERROR, EXIT_OK, LOCKSTEP, Tap, leftovers  # noqa: E402

t = Tap()
build, source, meson = sys.argv[1], sys.argv[2], sys.argv[3]


def readme_block(name):
    """The fenced block between <!-- begin NAME --> and <!-- end NAME -->."""
    with open(os.path.join(source, "README.md"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- begin %s -->\n```\w*\n(.*?)```\n<!-- end %s -->" % (re.escape(name), re.escape(name)),
                  text, re.S)
    return m.group(1) if m else None


def exported_functions(path):
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=True)
    return {l.split()[-1].split("@")[0] for l in out.stdout.splitlines() if l.split()[1:2] == ["T"]}


def needed_libs_define(sym, binary):
    """Whether a shared library the binary loads defines sym as well (the
    linker then exports ours, to keep one definition: not for scenes)."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    for lib in re.findall(r"=> (/\S+)", out):
        if sym in exported_functions(lib):
            return True
    return False


# ---- the binary exports the scene API only ----
funcs = exported_functions(LOCKSTEP)
t.check({"ls_lock", "ls_spawn", "ls_say", "ls_pool_new"} <= funcs, "the scene API is exported", sorted(funcs)[:20])
other = sorted(f for f in funcs if not f.startswith("ls_") and not needed_libs_define(f, LOCKSTEP))
t.check(not other, "nothing but ls_* is exported to scene modules", other)

with tempfile.TemporaryDirectory(prefix="lockstep-sdk-") as tmp:
    root = os.path.join(tmp, "root")
    p = subprocess.run([meson, "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", root],
                       capture_output=True, text=True)
    t.check(p.returncode == 0, "meson install into a temporary root", p.stdout + p.stderr)
    found = {}
    for d, _, files in os.walk(root):
        for f in files:
            # the bash completion is a file named lockstep too: the binary
            # is the one in a bin directory
            if f != "lockstep" or os.path.basename(d) == "bin":
                found.setdefault(f, os.path.join(d, f))
    header, pc, binary = found.get("lockstep-scene.h"), found.get("lockstep-scene.pc"), found.get("lockstep")
    t.check(header and header.endswith(os.path.join("include", "lockstep", "lockstep-scene.h")),
            "the header is installed as include/lockstep/lockstep-scene.h", header)
    t.check(pc is not None and binary is not None, "lockstep-scene.pc and the binary are installed", sorted(found)[:30])
    comp = os.path.join(root, *(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
                               if d.endswith(os.path.join("bash-completion", "completions"))
                               and f == "lockstep"))
    t.check(os.path.isfile(comp), "the bash completion is installed where bash-completion looks",
            comp)
    ex = found.get("deadlock-both.ini")
    t.check(ex is not None and ex.endswith(os.path.join("lockstep", "exercises", "deadlock-both.ini")),
            "the exercises are installed under share/lockstep/exercises", ex)
    with open(pc) as f:
        pc_text = f.read()
    t.check(re.search(r"^scenedir=\$\{libdir\}/lockstep/scenes$", pc_text, re.M) is not None,
            "the .pc carries the scene directory", pc_text)

    # pkg-config as on a machine where lockstep is installed: the temporary
    # root stands for /
    env = dict(os.environ, PKG_CONFIG_SYSROOT_DIR=root, PKG_CONFIG_LIBDIR=os.path.dirname(pc),
               PATH=os.path.dirname(binary) + os.pathsep + os.environ["PATH"])
    env.pop("LOCKSTEP_SCENE_PATH", None)
    scenedir = subprocess.run(["pkg-config", "--variable=scenedir", "lockstep-scene"], env=env,
                              capture_output=True, text=True).stdout.strip()
    # pkgconf puts the sysroot in front of variables too; pkg-config does not
    installed = scenedir if scenedir.startswith(root) else root + scenedir
    t.check(scenedir.endswith("/lockstep/scenes") and os.path.exists(os.path.join(installed, "deadlock.so")),
            "scenedir names where the installed scenes are", scenedir)

    # ---- the README's example, built outside the tree ----
    work = os.path.join(tmp, "my-scenes")
    os.mkdir(work)
    code, commands = readme_block("counter.c"), readme_block("build")
    t.check(code is not None and commands is not None, "the README has the example and its commands")
    with open(os.path.join(work, "counter.c"), "w") as f:
        f.write(code)
    cmds = [c for c in commands.splitlines() if c.strip()]
    t.check(len(cmds) == 2 and cmds[0].startswith("cc ") and cmds[1].startswith("lockstep "),
            "the README builds with cc and runs lockstep", cmds)
    p = subprocess.run(["sh", "-ec", cmds[0] + " -Werror"], cwd=work, env=env, capture_output=True, text=True)
    t.check(p.returncode == 0 and os.path.exists(os.path.join(work, "counter.so")),
            "counter.c builds against the installed SDK, no warning", p.stderr)
    t.check(not os.path.exists(os.path.join(source, "scenes", "counter.c")), "the example is not in the tree")
    p = subprocess.run(["sh", "-ec", cmds[1] + " --timeout=60"], cwd=work, env=env, capture_output=True,
                       text=True, timeout=120)
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    summary = lines[-1] if lines and lines[-1].get("type") == "summary" else {}
    t.check(p.returncode == EXIT_OK and summary.get("outcome") == "finished",
            "the installed lockstep runs the scene headless to its end", p.stderr)
    grants = [e["worker"] for e in lines if e.get("type") == "grant"]
    t.check(grants[:3] == ["A", "A", "B"], "the schedule steps A, A, then B", grants)
    says = [e["line"] for e in lines if e.get("type") == "say" and "line" in e]
    t.check("total is 4" in says, "two threads adding 2 each make 4", says)
    total = [o for o in summary.get("objects", []) if o.get("name") == "total"]
    t.check(total and total[0].get("value") == 4, "the model's total is 4", total)
    hello = [e for e in lines if e.get("type") == "hello"]
    t.check(hello and not leftovers(hello[0]["pid"]), "nothing left behind")

    # ---- misuse stops the host with one line saying what ----
    with open(os.path.join(work, "misuse.c"), "w") as f:
        f.write('#include "lockstep-scene.h"\n'
                'static int run(void) { ls_queue_new("q", 0); return 0; }\n'
                'LS_SCENE(.id = "misuse", .title = "t", .summary = "s", .run = run);\n')
    cc = cmds[0].replace("counter", "misuse")
    p = subprocess.run(["sh", "-ec", cc], cwd=work, env=env, capture_output=True, text=True)
    t.check(p.returncode == 0, "a scene that misuses the API builds", p.stderr)
    p = subprocess.run(["lockstep", "--scene-path=.", "--headless", "misuse", "--timeout=60"], cwd=work, env=env,
                       capture_output=True, text=True, timeout=120)
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    outputs = [e.get("line", e.get("text")) for e in lines if e.get("type") == "output"]
    summary = lines[-1] if lines and lines[-1].get("type") == "summary" else {}
    # the scene said what failed: an error, not a crash without a word
    t.check(p.returncode == EXIT_ERROR and summary.get("outcome") == "error",
            "misuse: the outcome is error, exit 1", (p.returncode, summary.get("outcome")))
    t.check("scene error in main: queue capacity must be 1..64" in outputs,
            "misuse: one line says what and where", outputs)
    t.check(p.stderr.strip().splitlines()[-1:] == ["lockstep: scene error in main: queue capacity must be 1..64"],
            "misuse: stderr says what, not only that the host aborted", p.stderr)
    t.check(summary.get("error") == "scene error in main: queue capacity must be 1..64",
            "misuse: the summary's error says what", summary.get("error"))
    shutil.rmtree(work)
t.done()
