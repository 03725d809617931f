#!/usr/bin/env python3
"""Graded exercises (issue 18): `lockstep --grade EXERCISE SUBMISSION...`
checks each submission headless against the exercise's scene and goal and
prints a table or one JSON object. The shipped exercises each have a
passing and a failing submission under tests/grade; a malformed exercise
file is one line on stderr and exit 2; nothing is left running."""
import json
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import EXIT_OK, EXIT_USAGE, LOCKSTEP, Tap, leftovers, run_cli  # noqa: E402

EXIT_FAILED = 7
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
EXERCISES = os.path.join(ROOT, "assets", "exercises")
SUBS = os.path.join(HERE, "..", "grade")
t = Tap()


def grade(*args, timeout=120):
    return subprocess.run([LOCKSTEP, "--grade"] + list(args), capture_output=True, text=True,
                          timeout=timeout)


def graded(ini, *subs):
    """--grade --json: the process, its object and its rows."""
    p = grade(ini, "--json", *subs)
    res = json.loads(p.stdout or "{}")
    return p, res, res.get("results", [])


shipped = sorted(f[:-4] for f in os.listdir(EXERCISES) if f.endswith(".ini"))
t.check(len(shipped) >= 3, "three exercises are shipped", shipped)

for ex in shipped:
    ini = os.path.join(EXERCISES, ex + ".ini")
    good, bad = os.path.join(SUBS, ex + ".pass"), os.path.join(SUBS, ex + ".fail")
    p = grade(ini, "--json", good, bad)
    try:
        res = json.loads(p.stdout)
    except ValueError:
        res = {}
    rows = res.get("results", [])
    t.check(p.returncode == EXIT_FAILED and len(rows) == 2 and res.get("passed") == 1 and
            res.get("failed") == 1, "%s: one pass, one fail, exit 7" % ex,
            (p.returncode, p.stdout, p.stderr))
    if len(rows) == 2:
        ok, ko = rows
        t.check(ok["result"] == "pass" and ok["pass"] is True and ok["steps"] > 0 and ok["why"],
                "%s: the passing one says what happened, in how many steps" % ex, ok)
        t.check(res.get("max_steps") is None or ok["steps"] <= res["max_steps"],
                "%s: within max_steps" % ex, (ok, res.get("max_steps")))
        t.check(res.get("fewest") is None or ok["steps"] >= res["fewest"],
                "%s: no submission beats the fewest known steps" % ex, (ok, res.get("fewest")))
        said = "goal is met" if res.get("pass_if") == "never" else "not met"
        t.check(ko["result"] == "fail" and ko["pass"] is False and said in ko["why"],
                "%s: the failing one says why" % ex, ko)
    # the good one alone: exit 0
    p = grade(ini, good)
    t.check(p.returncode == EXIT_OK and "1 of 1 submission passed." in p.stdout,
            "%s: the good submission alone passes, exit 0" % ex, p.stdout + p.stderr)

# the table: a heading row, a row per submission, aligned
ini = os.path.join(EXERCISES, "deadlock-both.ini")
good, bad = os.path.join(SUBS, "deadlock-both.pass"), os.path.join(SUBS, "deadlock-both.fail")
p = grade(ini, good, bad)
lines = p.stdout.splitlines()
head = [l for l in lines if l.startswith("SUBMISSION")]
rows = [l for l in lines if l.startswith(good) or l.startswith(bad)]
t.check(head and len(rows) == 2 and all(r.index(" pass ") if good in r else r.index(" fail ")
                                        for r in rows),
        "table: a heading and a row per submission", p.stdout)
if head and len(rows) == 2:
    col = head[0].index("RESULT")
    t.check(all(r[col:col + 4] in ("pass", "fail") for r in rows), "table: columns aligned",
            p.stdout)
t.check("Fewest steps known: 4" in p.stdout, "table: the fewest steps known", p.stdout)

# the documented schedule meets each goal in exactly its declared fewest steps
for ex, fewest in (("deadlock-both", 4), ("philosophers-all-stuck", 10)):
    p = grade(os.path.join(EXERCISES, ex + ".ini"), "--json", os.path.join(SUBS, ex + ".pass"))
    res = json.loads(p.stdout or "{}")
    t.check(res.get("fewest") == fewest and res["results"][0]["steps"] == fewest,
            "%s: the documented schedule takes the %d steps the scene declares" % (ex, fewest),
            res)

with tempfile.TemporaryDirectory() as d:
    def write(name, text):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    # a submission that is not a file to read: an error row, not a hang
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    missing = os.path.join(d, "missing")
    wrong = write("wrong", "T1,T7\n")
    empty = write("empty", "# nothing\n\n")
    p = grade(ini, "--json", fifo, missing, wrong, empty, timeout=60)
    res = json.loads(p.stdout or "{}")
    why = [r["why"] for r in res.get("results", [])]
    t.check(p.returncode == EXIT_FAILED and [r["result"] for r in res["results"]] == ["error"] * 4
            and "not a regular file" in why[0] and "cannot open" in why[1] and "T7" in why[2]
            and "no schedule" in why[3],
            "unreadable, wrong and empty submissions: an error row each, saying why", p.stdout)

    # signals: the right signal to the right process (a goal of a moment)
    sig = write("signals.ini", "[exercise]\nscene = signals\ngoal = drive\nsubmit = schedule\n")
    right = write("right", "rest\nsignal:group:INT\nrest\n")
    driver = write("driver", "rest,signal:driver:INT,rest\n")
    p = grade(sig, "--json", right, driver)
    res = json.loads(p.stdout or "{}")
    t.check([r["result"] for r in res.get("results", [])] == ["pass", "fail"] and
            "老司机开车了" in res["results"][0]["why"],
            "signals: SIGINT to the group makes the driver drive; to the driver it does not "
            "(it ignores SIGINT)", p.stdout)

    # an impossible goal: every submission fails, and the reason is given
    imp = write("imp.ini", "[exercise]\nscene = producer-consumer\ngoal = overflow\n"
                           "submit = schedule\n")
    anyone = write("any", "rest\n")
    p = grade(imp, "--json", anyone)
    res = json.loads(p.stdout or "{}")
    t.check(p.returncode == EXIT_FAILED and res["results"][0]["result"] == "fail" and
            "never holds more than its capacity" in res["results"][0]["why"],
            "an impossible goal fails with the reason no schedule can", p.stdout)

    # max_steps: met, but in too many steps
    slow = write("slow.ini", "[exercise]\nscene = deadlock\ngoal = both-stuck\nsubmit = schedule\n"
                             "max_steps = 3\n")
    p = grade(slow, "--json", good)
    res = json.loads(p.stdout or "{}")
    t.check(res["results"][0]["result"] == "fail" and "at most 3" in res["results"][0]["why"],
            "max_steps: a goal met in more steps fails, saying so", p.stdout)

    # malformed exercise files: one line on stderr, exit 2, nothing on stdout
    for name, text, words in (
            ("key", "[exercise]\nscene = deadlock\ngoal = both-stuck\nsubmit = schedule\n"
                    "colour = red\n", ":5: unknown key 'colour'"),
            ("section", "[nope]\nx = 1\n", ":2: unknown section [nope]"),
            ("syntax", "this is not ini\n", ":1: not an INI line"),
            ("missing", "[exercise]\nscene = deadlock\n", "needs scene, goal and submit"),
            ("scene", "[exercise]\nscene = nope\ngoal = x\nsubmit = schedule\n", "unknown scene 'nope'"),
            ("goal", "[exercise]\nscene = deadlock\ngoal = nope\nsubmit = schedule\n", "no goal 'nope'"),
            ("submit", "[exercise]\nscene = deadlock\ngoal = both-stuck\nsubmit = essay\n",
             "submit takes 'schedule'"),
            ("program", "[exercise]\nscene = deadlock\ngoal = both-stuck\nsubmit = program\n",
             "needs a Python example as the scene (py/NAME)"),
            ("schedules", "[exercise]\nscene = py/deadlock\ngoal = deadlock\nsubmit = program\n"
                          "schedules = round-robin, often\n", "not 'often'"),
            ("seeds", "[exercise]\nscene = py/deadlock\ngoal = deadlock\nsubmit = program\n"
                      "schedules = seed:9..3\n", "seed:FIRST..LAST"),
            ("pass", "[exercise]\nscene = py/deadlock\ngoal = deadlock\nsubmit = program\n"
                     "pass = sometimes\n", "pass takes 'met' or 'never'"),
            ("timeout", "[exercise]\nscene = py/deadlock\ngoal = deadlock\nsubmit = program\n"
                        "timeout = 0\n", "timeout must be"),
            ("policy", "[exercise]\nscene = deadlock\ngoal = both-stuck\nsubmit = schedule\n"
                       "schedules = free\n", "for submit = program"),
            ("param", "[exercise]\nscene = deadlock\ngoal = both-stuck\nsubmit = schedule\n"
                      "[params]\nwork = -5\n", "work"),
            ("steps", "[exercise]\nscene = deadlock\ngoal = both-stuck\nsubmit = schedule\n"
                      "max_steps = many\n", "max_steps must be")):
        path = write(name + ".ini", text)
        p = grade(path, good)
        errl = p.stderr.splitlines()
        t.check(p.returncode == EXIT_USAGE and len(errl) == 1 and words in errl[0] and
                errl[0].startswith("lockstep: " + path) and not p.stdout,
                "malformed exercise (%s): one line, exit 2" % name, (p.returncode, p.stderr))
    p = grade(d, good)
    t.check(p.returncode == EXIT_USAGE and "not a regular file" in p.stderr,
            "an exercise that is a directory: exit 2", p.stderr)
    p = grade(ini)
    t.check(p.returncode == EXIT_USAGE and "at least one submission" in p.stderr,
            "no submission: exit 2", p.stderr)
    p = run_cli("--grade", ini, "--param", "work=1", good)
    t.check(p.returncode == EXIT_USAGE and "--grade takes" in p.stderr,
            "--grade with a scene option: exit 2", p.stderr)

# submit = program: a Python file run by `lockstep run` under the exercise's
# schedules (see also the shipped fix-deadlock-py.ini above)
PY = os.path.join(ROOT, "examples", "python")
with tempfile.TemporaryDirectory() as d:
    def write(name, text):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    # pass = never: every schedule listed is run (and must finish)
    fix = write("fix.ini", "[exercise]\nscene = py/deadlock\ngoal = deadlock\nsubmit = program\n"
                           "pass = never\nschedules = round-robin seed:1..3, free\n")
    p = grade(fix, "--json", os.path.join(PY, "deadlock-ordered.py"))
    res = json.loads(p.stdout or "{}")
    r = (res.get("results") or [{}])[0]
    t.check(p.returncode == EXIT_OK and r.get("result") == "pass" and r.get("runs") == 5 and
            r.get("schedule") is None and "5 runs finished" in r.get("why", ""),
            "pass = never: a fixed program passes after all five runs, none deadlocked", p.stdout)

    # pass = met (the default): the first schedule that meets the goal decides
    make = write("make.ini", "[exercise]\nscene = py/deadlock-ordered\ngoal = deadlock\n"
                             "submit = program\nschedules = seed:1..2, round-robin\n")
    p = grade(make, "--json", os.path.join(PY, "deadlock.py"), os.path.join(PY, "deadlock-ordered.py"))
    res = json.loads(p.stdout or "{}")
    ok, ko = (res.get("results") or [{}, {}])[:2]
    t.check(p.returncode == EXIT_FAILED and ok.get("result") == "pass" and ok.get("schedule") and
            ok["why"].startswith("under " + ok["schedule"] + ": deadlock") and ok["steps"] > 0,
            "pass = met: a program that deadlocks passes, naming the schedule that did it", ok)
    t.check(ko.get("result") == "fail" and ko.get("runs") == 3 and
            "under all 3 schedules" in ko.get("why", "") and "not met" in ko["why"],
            "pass = met: a program no schedule deadlocks fails after every run", ko)

    # bad submissions are rows, never the end of the grading; only the program
    # that never ends meets the short timeout (the others are not timed)
    short = write("short.ini", "[exercise]\nscene = py/deadlock\ngoal = deadlock\n"
                               "submit = program\npass = never\ntimeout = 2\n")
    fix = write("fixdl.ini", "[exercise]\nscene = py/deadlock\ngoal = deadlock\n"
                             "submit = program\npass = never\n")
    missing = os.path.join(d, "missing.py")
    notpy = write("c.py", "int main(void) { return 0; }\n")
    forever = write("forever.py", "while True:\n    pass\n")
    crash = write("crash.py", "import threading\nL = threading.Lock()\nwith L:\n    1 / 0\n")
    good = os.path.join(SUBS, "fix-deadlock-py.pass")
    p, res, rows = graded(short, missing, notpy, forever)
    p2 = grade(fix, "--json", crash, good)
    res2 = json.loads(p2.stdout or "{}")
    rows += res2.get("results", [])
    t.check(p.returncode == EXIT_FAILED and p2.returncode == EXIT_FAILED and
            [r["result"] for r in rows] == ["error", "error", "fail", "fail", "pass"],
            "program: missing, not Python, forever, crashing, then a good one: a row each",
            p.stdout + p.stderr + p2.stdout + p2.stderr)
    if len(rows) == 5:
        t.check("cannot open" in rows[0]["why"], "a missing program: cannot open", rows[0])
        t.check("is not a Python program: SyntaxError" in rows[1]["why"],
                "a file that is not Python: says where python3 stops reading it", rows[1])
        t.check("took longer than 2 s together" in rows[2]["why"] and rows[2]["outcome"] == "timeout",
                "a program that runs forever: the exercise's timeout ends it", rows[2])
        t.check("status 1" in rows[3]["why"] and "ZeroDivisionError" in rows[3]["why"],
                "a program that raises: its status and the traceback's last line", rows[3])

    # "never met" is no pass for a program that does not run concurrently:
    # an empty file, or the example with a thread taken out, never deadlocks
    empty = write("empty.py", "")
    lone = write("lone.py", "import threading\nL = threading.Lock()\n"
                            "def f():\n    with L:\n        pass\n"
                            "t = threading.Thread(target=f, name='T1')\nt.start()\nt.join()\n")
    p, res, rows = graded(fix, empty, lone, good)
    t.check(p.returncode == EXIT_FAILED and res.get("workers_needed") == 2 and
            [r["result"] for r in rows] == ["fail", "fail", "pass"],
            "pass = never: an empty program and a one-thread program fail, the fix passes",
            p.stdout + p.stderr)
    if len(rows) == 3:
        t.check(rows[0]["workers"] == 0 and "starts 0 threads or processes besides main, the "
                "exercise needs 2" in rows[0]["why"], "the empty program: says what it lacks", rows[0])
        t.check(rows[1]["workers"] == 1 and "starts 1 thread or process" in rows[1]["why"],
                "the one-thread program: counted, and says so", rows[1])
        t.check(rows[2]["workers"] == 2, "the fix: its two threads counted", rows[2])
    p = grade(fix, empty)
    t.check("A program must start at least 2 threads or processes besides main." in p.stdout,
            "the table's heading says how many workers a program must start", p.stdout)
    one = write("one.ini", "[exercise]\nscene = py/deadlock\ngoal = deadlock\n"
                           "submit = program\npass = never\nworkers = 1\n")
    p, res, rows = graded(one, lone)
    t.check(p.returncode == EXIT_OK and res.get("workers_needed") == 1,
            "workers = 1: the exercise's own number replaces the example's", p.stdout + p.stderr)
    met = write("metw.ini", "[exercise]\nscene = py/deadlock\ngoal = deadlock\n"
                            "submit = program\nworkers = 1\n")
    p = grade(met, lone)
    t.check(p.returncode == EXIT_USAGE and "workers is for submit = program with pass = never"
            in p.stderr and p.stderr.count("\n") == 1,
            "workers without pass = never: one line, exit 2, not silently ignored", p.stderr)
    badw = write("badw.ini", "[exercise]\nscene = py/deadlock\ngoal = deadlock\n"
                             "submit = program\npass = never\nworkers = two\n")
    p = grade(badw, lone)
    t.check(p.returncode == EXIT_USAGE and "badw.ini:6: workers must be a whole number" in p.stderr
            and p.stderr.count("\n") == 1, "workers = two: one line, exit 2", p.stderr)

    # a program whose name starts with '-' is a file, not an option to python3
    with open(good) as f:
        write("-i.py", f.read())
    p = subprocess.run([LOCKSTEP, "--grade", os.path.join(EXERCISES, "fix-deadlock-py.ini"), "--",
                        "-i.py"], capture_output=True, text=True, timeout=120, cwd=d)
    t.check(p.returncode == EXIT_OK, "a program named -i.py is graded as a file", p.stdout + p.stderr)

    # a shared value's end: a multiprocessing Value, named after its variable
    racy = write("racy.py", """import multiprocessing as mp


def add(counter):
    for _ in range(2):
        counter.value += 1


if __name__ == "__main__":
    counter = mp.Value("i", 0)
    procs = [mp.Process(target=add, args=(counter,), name="P%d" % i) for i in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("counter", counter.value)
""")
    with open(racy) as f:
        text = f.read()
    locked = write("locked.py", text.replace(
        "        counter.value += 1",
        "        with counter.get_lock():\n            counter.value += 1"))
    renamed = write("renamed.py", text.replace("counter", "total"))
    # the example starts four processes (a racy and a locked pair): a fix
    # needs only one pair
    lost = write("lost.ini", "[exercise]\nscene = py/shared-value\ngoal = below:counter:4\n"
                             "submit = program\npass = never\n"
                             "schedules = round-robin, seed:1..2, free\n")
    p, res, rows = graded(lost, racy, locked, renamed)
    t.check(p.returncode == EXIT_FAILED and [r["result"] for r in rows] == ["fail", "pass", "fail"],
            "below:counter:4, pass = never: the racy program fails, the locked one passes, one "
            "without the value fails", p.stdout + p.stderr)
    if len(rows) == 3:
        t.check("the goal is met: counter ended at" in rows[0]["why"] and "not 4" in rows[0]["why"],
                "the racy program: the counter's end, and the bound it missed", rows[0])
        t.check(rows[1]["runs"] == 4, "the locked program: all four runs made", rows[1])
        t.check("no shared value named counter" in rows[2]["why"],
                "a program without the value: says so instead of passing", rows[2])
    lose = write("lose.ini", "[exercise]\nscene = py/shared-value\ngoal = below:counter:4\n"
                             "submit = program\n")
    p = grade(lose, "--json", racy, locked)
    res = json.loads(p.stdout or "{}")
    t.check([r["result"] for r in res.get("results", [])] == ["pass", "fail"],
            "below:counter:4, pass = met: losing an update passes, the locked program fails",
            p.stdout + p.stderr)
    bad = write("badgoal.ini", "[exercise]\nscene = py/deadlock\ngoal = below:counter\n"
                               "submit = program\n")
    p = grade(bad, racy)
    t.check(p.returncode == EXIT_USAGE and "below:VALUE:N" in p.stderr,
            "a value goal without its bound: exit 2, the forms named", p.stderr)

left = leftovers()
t.check(not left, "nothing left behind: no process, zombie, /dev/shm or mqueue entry", left)
t.done()
