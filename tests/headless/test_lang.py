#!/usr/bin/env python3
"""--lang=zh|en: the narration, the witnesses and every message speak the
chosen language, while what programs read stays as documented: the JSON
keys, the outcome, the worker states (RUNNABLE, BLOCKED...), the cycle and
the edges' labels are the same in both languages. zh works in a C locale
(no Chinese locale installed); en wins over a Chinese environment."""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_DEADLOCK, EXIT_USAGE, LOCKSTEP, Tap, headless  # noqa: E402

t = Tap()
CJK = re.compile("[\u4e00-\u9fff]")
STATES = {"NEW", "RUNNABLE", "BLOCKED", "WAITING", "TIMED_WAITING", "TERMINATED", "ZOMBIE"}


def run(*args, env=None):
    e = dict(os.environ)
    for k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LANG"):
        e.pop(k, None)
    e.update(env or {})
    return subprocess.run([LOCKSTEP] + list(args), capture_output=True, text=True, env=e,
                          timeout=90)


def keys(x):
    """The shape of a JSON value: its keys, all the way down."""
    if isinstance(x, dict):
        return {k: keys(v) for k, v in x.items()}
    if isinstance(x, list):
        merged = {}
        for v in x:
            if isinstance(v, dict):
                for k, s in keys(v).items():
                    merged[k] = s
        return [merged] if merged else []
    return None


args = ["deadlock", "--schedule=T1,T2,T1,T2", "--param", "work=0", "--until=deadlock"]
zh = headless(*args, "--lang=zh")
en = headless(*args, "--lang=en")
t.check(zh.rc == en.rc == EXIT_DEADLOCK, "deadlock T1,T2,T1,T2: exit 3 in both languages",
        (zh.rc, en.rc, zh.stderr[-300:]))
if zh.summary and en.summary:
    zs, es = zh.summary, en.summary
    t.check(keys(zs) == keys(es), "the summary has the same keys in Chinese", (keys(zs), keys(es)))
    def by_type(r):
        shapes = {}
        for e in r.events:
            shapes.setdefault(e["type"], {}).update(keys(e))
        return shapes
    t.check(by_type(zh) == by_type(en), "every kind of event line has the same keys in Chinese",
            (by_type(zh), by_type(en)))
    t.check(sorted({e["type"] for e in zh.events}) == sorted({e["type"] for e in en.events}),
            "the event types are the same words")
    t.check(zs["outcome"] == es["outcome"] == "deadlock" and zs["cycle"] == es["cycle"],
            "outcome and cycle are the same", (zs["outcome"], zs["cycle"]))
    zst = [(w["name"], w["state"]) for w in zs["workers"]]
    t.check(zst == [(w["name"], w["state"]) for w in es["workers"]] and
            {s for _, s in zst} <= STATES, "worker states stay the documented words", zst)
    t.check([e["label"] for e in zs["edges"]] == [e["label"] for e in es["edges"]] and
            "held by" in [e["label"] for e in zs["edges"]], "edge labels stay the documented words",
            [e["label"] for e in zs["edges"]])
    t.check(set(zs["coffman"]) == set(es["coffman"]) == {
            "mutual_exclusion", "hold_and_wait", "no_preemption", "circular_wait"},
            "the Coffman keys stay", zs["coffman"])
    t.check(all(v.startswith("成立") for v in zs["coffman_witness"].values()),
            "the Coffman witnesses are in Chinese", zs["coffman_witness"])
    says = "\n".join(zh.says())
    t.check("两个线程，两把锁" in says and "死锁" in says and "四个 Coffman 条件全部成立" in says,
            "the scene's and lockstep's narration are in Chinese", says[:600])
    t.check("deadlock-ordered" in says and "T1 → B → T2 → A" in says,
            "names and identifiers in the narration stay as they are", says[:600])
    t.check(not CJK.search(en.stdout), "--lang=en prints no Chinese")
    other = [e for e in zh.events if e["type"] != "say" and
             CJK.search(json.dumps(e, ensure_ascii=False))]
    t.check(not other, "only narration carries Chinese in the events", other[:3])

# every scene tells the same story in both languages: the same outcome and
# as many narration lines, each whole (a Chinese line is longer in bytes:
# nothing may be cut off or split inside a character on the way)
scenes = [l.split()[0] for l in run("--list").stdout.splitlines() if l.strip()]
t.check(len(scenes) >= 20, "--list names the scenes (%d)" % len(scenes))
for scene in scenes:
    z = headless(scene, "--seed=1", "--lang=zh")
    e = headless(scene, "--seed=1", "--lang=en")
    ok = bool(z.summary and e.summary) and z.summary["outcome"] == e.summary["outcome"]
    zn = z.summary["narration"] if z.summary else []
    en_ = e.summary["narration"] if e.summary else []
    whole = all(line and "\ufffd" not in line for line in zn)
    # a Python program (py/NAME) narrates nothing of its own: what lockstep
    # says of it (a deadlock) is in Chinese, and there may be nothing
    said = any(CJK.search(line) for line in zn) or (scene.startswith("py/") and not zn)
    t.check(ok and len(zn) == len(en_) and whole and said,
            "%s: the same outcome and %d whole narration lines in Chinese" % (scene, len(en_)),
            (z.summary and z.summary["outcome"], e.summary and e.summary["outcome"],
             len(zn), len(en_), [line for line in zn if not line or "\ufffd" in line][:3],
             z.stderr[-300:]))

# the lecture hall's machine: no Chinese locale, maybe not even UTF-8
for env in ({"LC_ALL": "C"}, {"LANG": "C.UTF-8"}, {"LANG": "en_US.UTF-8"}):
    p = run("--headless", *args, "--lang=zh", env=env)
    t.check(p.returncode == EXIT_DEADLOCK and "两个线程，两把锁" in p.stdout,
            "--lang=zh under %s: Chinese narration" % env, (p.returncode, p.stderr[-300:]))
p = run("--headless", *args, "--lang=en", env={"LANG": "C.UTF-8", "LANGUAGE": "zh_CN"})
t.check(p.returncode == EXIT_DEADLOCK and not CJK.search(p.stdout),
        "--lang=en wins over LANGUAGE=zh_CN", p.stdout[:300])
p = run("--headless", *args, env={"LANG": "C.UTF-8", "LANGUAGE": "zh_CN"})
t.check(p.returncode == EXIT_DEADLOCK and "两个线程，两把锁" in p.stdout,
        "without --lang the locale decides (LANGUAGE=zh_CN)", p.stdout[:300])
p = run("--headless", *args, env={"LANG": "C.UTF-8"})
t.check(p.returncode == EXIT_DEADLOCK and not CJK.search(p.stdout),
        "without --lang in an English locale: English", p.stdout[:300])


def zh_locale():
    """Environment entries under which LANG=zh_CN.UTF-8 is a real locale:
    the system's, or one built in a private directory (LOCPATH) when
    localedef and the locale sources are there; None when neither is."""
    have = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    if "zh_cn.utf8" in have.split():
        return {}
    d = tempfile.mkdtemp(prefix="lockstep-locale-")
    atexit.register(shutil.rmtree, d, True)
    try:
        subprocess.run(["localedef", "-i", "zh_CN", "-f", "UTF-8", os.path.join(d, "zh_CN.UTF-8")],
                       capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return {"LOCPATH": d} if os.path.exists(os.path.join(d, "zh_CN.UTF-8", "LC_CTYPE")) else None


env = zh_locale()
if env is not None:
    p = run("--headless", *args, env=dict(env, LANG="zh_CN.UTF-8"))
    t.check(p.returncode == EXIT_DEADLOCK and "两个线程，两把锁" in p.stdout,
            "without --lang in LANG=zh_CN.UTF-8: Chinese", p.stdout[:300])
    p = run("--headless", *args, "--lang=en", env=dict(env, LANG="zh_CN.UTF-8"))
    t.check(p.returncode == EXIT_DEADLOCK and not CJK.search(p.stdout),
            "--lang=en in LANG=zh_CN.UTF-8: English", p.stdout[:300])
else:
    print("# no zh_CN.UTF-8 locale and no localedef to make one: LANG=zh_CN.UTF-8 not checked")

# messages and --help
p = run("--headless", "deadlock", "--lang=zh", "--frobnicate", env={"LC_ALL": "C"})
err = [l for l in p.stderr.splitlines() if l.startswith("lockstep:")]
t.check(p.returncode == EXIT_USAGE and len(err) == 1 and "未知选项" in err[0] and "--frobnicate" in err[0],
        "a usage error speaks Chinese, one line, exit 2", p.stderr)
p = run("--lang=fr", "deadlock")
err = [l for l in p.stderr.splitlines() if l.startswith("lockstep:")]
t.check(p.returncode == EXIT_USAGE and len(err) == 1 and "'fr'" in err[0] and p.stdout == "",
        "--lang=fr: one clear line, exit 2", p.stderr)
p = run("--lang", "zh", "--help", env={"LC_ALL": "C"})
t.check(p.returncode == 0 and "用法：lockstep" in p.stdout and "--lang=zh|en" in p.stdout
        and "--headless" in p.stdout, "--lang zh --help: Chinese, options as they are", p.stdout[:300])
p = run("--help")
t.check(p.returncode == 0 and "--lang=zh|en" in p.stdout and "Simplified Chinese" in p.stdout,
        "--help documents --lang", p.stdout[-600:])
p = run("--lan=zh", "--list")
t.check(p.returncode == 0 and "两个线程以相反顺序锁 A 和 B" in p.stdout,
        "--lan=zh, an abbreviation getopt accepts, is applied too", p.stdout[:300])
p = run("--lang=zh", "--lang=en", "--list")
t.check(p.returncode == 0 and "Two threads lock A and B in opposite order" in p.stdout,
        "the last --lang wins (en)", p.stdout[:300])
p = run("--lang=en", "--lang", "zh", "--list")
t.check(p.returncode == 0 and "两个线程以相反顺序锁 A 和 B" in p.stdout,
        "the last --lang wins (zh)", p.stdout[:300])
p = run("--lang=zh", "--list")
t.check(p.returncode == 0 and "deadlock  两个线程以相反顺序锁 A 和 B" in p.stdout,
        "--list: ids as they are, titles in Chinese", p.stdout[:300])
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
for doc in ("README.md", os.path.join("assets", "man", "lockstep.1")):
    with open(os.path.join(ROOT, doc), encoding="utf-8") as f:
        text = re.sub(r"\\f[BIR]|\s", "", f.read().replace("\\-", "-"))  # roff markup
    t.check("--lang=zh|en" in text or "--lang=zh" in text and "--lang=en" in text,
            doc + " documents --lang")


def display_width(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


# the man pages, English and Chinese, render at 80 columns without a line
# too wide (groff breaks Chinese only at spaces) or a complaint
if shutil.which("man"):
    for page, needle in (("lockstep.1", "--lang=zh|en"), (os.path.join("zh_CN", "lockstep.1"), "用中文并发课程的术语")):
        p = subprocess.run(["man", "-l", os.path.join(ROOT, "assets", "man", page)],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, MANWIDTH="80", LANG="C.UTF-8", MAN_KEEP_FORMATTING="",
                                    PAGER="cat", MANPAGER="cat"))
        wide = [l for l in p.stdout.splitlines() if display_width(l) > 80]
        t.check(p.returncode == 0 and needle in p.stdout.replace("\u2010", "") and not wide
                and "warning" not in p.stderr, "man page %s renders at 80 columns" % page,
                (p.returncode, p.stderr[:300], wide[:3]))
else:
    print("# man is not installed: the man pages' rendering is not checked")
t.done()
