"""--explain=NAME: the summary says why a worker (or an object) is in its
state at the end of the run, in the words the UI's y box shows
(describe_why), and agrees with the rest of the summary."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Tap, headless, run_cli, LOCKSTEP, EXIT_DEADLOCK, EXIT_USAGE  # noqa: E402,F401

t = Tap()


def text(r):
    return (r.summary or {}).get("explain", {}).get("text", [])


def deadlocked_worker():
    r = headless("deadlock", "--explain=T2")
    t.check(r.rc == EXIT_DEADLOCK, "deadlock --explain=T2: the run deadlocks as without it", r.stderr)
    ex = r.summary["explain"]
    t.check(ex["name"] == "T2" and ex["of"] == "worker", "explain names the worker", ex)
    lines = text(r)
    t.check(lines and lines[0] == "T2 is BLOCKED: it tried lock(A) and could not go on.",
            "first line: its state, as the summary's workers say", lines)
    w = r.worker("T2")
    t.check(w["state"] == "BLOCKED", "the summary agrees: T2 is BLOCKED", w)
    t.check("  T2 waits for A, held by T1." in lines, "what it waits for and who holds it", lines)
    cyc = " → ".join(r.summary["cycle"] + r.summary["cycle"][:1])
    t.check(any(("It is in the deadlock %s" % cyc) in l for l in lines),
            "the deadlock it is in, as the summary's cycle", (cyc, lines))
    t.check(not r.stderr.strip(), "no line on stderr for a name the run has", r.stderr)


def an_object():
    r = headless("deadlock", "--explain=B")
    ex = r.summary["explain"]
    t.check(ex["of"] == "object", "--explain=B explains the lock B", ex)
    owner = [o for o in r.summary["objects"] if o["name"] == "B"][0]["owner"]
    t.check(text(r)[:2] == ["B is held by %s: only %s can release it." % (owner, owner),
                            "Waiting for it: T1."],
            "who holds it (as the summary's objects say) and who waits", text(r))
    r = headless("producer-consumer", "--explain=buffer")
    t.finished(r, "producer-consumer --explain=buffer")
    q = [o for o in r.summary["objects"] if o["name"] == "buffer"][0]
    t.check(text(r)[0].startswith("buffer holds %d of %d items" % (len(q["items"]), q["capacity"])),
            "a buffer: its items and capacity, as the summary's objects say", (text(r), q))


def unknown_name():
    r = headless("deadlock", "--explain=nobody")
    t.check(r.rc == EXIT_USAGE, "a name the run never had: exit 2", (r.rc, r.stderr))
    t.check(r.stderr.strip().splitlines() ==
            ["lockstep: --explain=nobody: the run has no worker or object of that name"],
            "one line on stderr says so", r.stderr)
    t.check(r.summary and r.summary["explain"] == {"name": "nobody", "found": False},
            "the summary is still printed, found false", r.summary and r.summary.get("explain"))
    t.check(not r.leftovers(), "nothing left behind", r.leftovers())
    p = run_cli("deadlock", "--explain=T1")
    t.check(p.returncode == EXIT_USAGE and "--explain needs --headless" in p.stderr and
            len(p.stderr.strip().splitlines()) == 2, "without --headless: exit 2, said why", p.stderr)


def replayed():
    d = tempfile.mkdtemp(prefix="lockstep-explain-")
    rec = os.path.join(d, "run.rec")
    live = headless("deadlock", "--explain=T1", "--record=" + rec)
    p = run_cli("--headless", "--replay=" + rec, "--explain=T1")
    import json
    last = json.loads(p.stdout.strip().splitlines()[-1])
    t.check(last.get("explain") == live.summary["explain"],
            "a replay explains the same as the live run", (last.get("explain"), live.summary["explain"]))
    os.unlink(rec)
    os.rmdir(d)


t.run(deadlocked_worker, "a deadlocked worker")
t.run(an_object, "an object")
t.run(unknown_name, "a name the run never had")
t.run(replayed, "a replay")
t.done()
