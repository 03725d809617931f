"""One lecture, many screens in the terminal (issue 18).

- The teacher's UI serves (--serve): its header counts the viewers, the
  status line says the command students type.
- A student's UI (--attach) shows the same scene at the same step, in the
  student's own language; keys that would move the scene say it is the
  teacher's, and the teacher's step does not change.
- n forks a private copy at the step shown: the recorded steps are
  re-driven locally, then the student's keys move the copy while the
  teacher stays where it is; n again follows the teacher, at the teacher's
  step.
- A late joiner (headless) gets the history: its lines are the replay of
  the teacher's recording. The teacher quitting ends its viewers' stream.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

from lstmux import Tmux, Tap

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import LOCKSTEP, wait_for  # noqa: E402

tap = Tap()
tm = Tmux()
tmp = tempfile.mkdtemp(prefix="lockstep-serve-ui.")
TOKEN = "class-42"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def expect(s, pattern, name, timeout=20):
    """One check: the screen reaches a state the pattern matches (waited
    for with a deadline, never read at a guess)."""
    try:
        scr = wait_for(lambda: (lambda x: x if re.search(pattern, x, re.S) else None)(tm.screen(s)),
                       name, timeout=timeout)
    except AssertionError as e:
        tap.check(False, name, "%s\n%s" % (e, tm.screen(s)))
        return tm.screen(s)
    tap.check(True, name)
    return scr


def header(s):
    return "\n".join(tm.screen(s).splitlines()[:2])


def main():
    port = free_port()
    addr = "127.0.0.1:%d" % port
    rec = os.path.join(tmp, "lecture.rec")
    teacher = tm.start_ls("--serve=" + addr, "--token=" + TOKEN, "--record=" + rec, "deadlock")
    expect(teacher, r"0 viewers: lockstep --attach=%s --token=%s" % (re.escape(addr), TOKEN),
           "the teacher's header counts its viewers and, while none came, says the command")
    expect(teacher, r"students attach with: lockstep --attach=%s --token=%s" % (re.escape(addr), TOKEN),
           "the teacher's status line says the command students type")
    student = tm.start_ls("--attach=" + addr, "--token=" + TOKEN, x=100, y=30)
    zh = tm.start_ls("--attach=" + addr, "--token=" + TOKEN, "--lang=zh", x=100, y=30)
    expect(teacher, r"2 viewers", "two students attached: the teacher's header says 2 viewers")
    expect(student, r"following %s" % re.escape(addr), "the student's header says what it follows")
    for k in ("1", "2"):
        tm.keys(teacher, k)
    expect(teacher, r"step 2 · (?s:.*)Your move", "the teacher took two steps")
    expect(student, r"step 2 · (?s:.*)T2 acquired B", "the student is at the same step, same events")
    expect(zh, r"步 2 · (?s:.*)工作者", "a student in Chinese sees the same step in Chinese")
    tm.keys(student, "s")
    expect(student, r"the teacher moves the scene", "a student's step key says the teacher moves the scene")
    tm.keys(student, "r")
    tap.check("step 2 ·" in header(teacher) and "events 37" in header(teacher) or
              "step 2 ·" in header(teacher),
              "the teacher's step did not change", header(teacher))

    # a late joiner, headless: the history first
    late = subprocess.Popen([LOCKSTEP, "--attach=" + addr, "--token=" + TOKEN, "--headless"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    expect(teacher, r"3 viewers", "a late joiner is counted")

    # n: a private copy at step 2, re-driven, then the student's own step
    tm.keys(student, "n")
    expect(student, r"private copy", "f: the student's header says private copy")
    expect(student, r"step 2 · (?s:.*)(recorded steps are done|Your move)",
           "the copy is re-driven to the teacher's step 2")
    tm.keys(student, "1")
    expect(student, r"step 3 · ", "the student's key moves the private copy")
    tap.check("step 2 ·" in header(teacher), "the teacher is still at step 2", header(teacher))

    # the teacher goes on; f follows it again
    for k in ("1", "2"):
        tm.keys(teacher, k)
    expect(teacher, r"DEADLOCK", "the teacher reaches the deadlock")
    tm.keys(student, "n")
    expect(student, r"step 4 · (?s:.*)DEADLOCK(?s:.*)following the teacher again",
           "n again: the student follows, at the teacher's deadlock")
    expect(zh, r"步 4 · (?s:.*)死锁", "the Chinese student sees the deadlock in Chinese")

    tm.keys(teacher, "q")
    tap.check(tm.wait_exit(teacher) == 0, "the teacher quits cleanly")
    out, err = late.communicate(timeout=60)
    rep = subprocess.run([LOCKSTEP, "--headless", "--replay=" + rec], capture_output=True, text=True,
                         timeout=60)
    tap.check(late.returncode == rep.returncode and out == rep.stdout and out.count("\n") > 60,
              "the late joiner printed the teacher's whole run (its recording, replayed)",
              (late.returncode, rep.returncode, err[-300:]))
    expect(student, r"stopped serving", "the student's UI says the teacher stopped serving")
    tm.keys(student, "q")
    tap.check(tm.wait_exit(student) == 0, "the student quits cleanly")
    tm.keys(zh, "q")
    tap.check(tm.wait_exit(zh) == 0, "the Chinese student quits cleanly")


def through_broker():
    """The same through a private mosquitto: a student who comes late
    gets the history with the teacher's answer, before its UI is up."""
    mosq = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else None)
    probe = subprocess.run([LOCKSTEP, "--headless", "deadlock", "--serve=mqtt://127.0.0.1:1/x"],
                           capture_output=True, text=True, timeout=60)
    if "not built in" in probe.stderr or not mosq:
        print("# SKIP the broker in the terminal: no libmosquitto in this build or no mosquitto")
        return
    port = free_port()
    conf = os.path.join(tmp, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n" % port)
    broker = subprocess.Popen([mosq, "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def up():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            except OSError:
                return False
        wait_for(up, "the private mosquitto to listen")
        url = "mqtt://127.0.0.1:%d/room" % port
        teacher = tm.start_ls("--serve=" + url, "--token=" + TOKEN, "deadlock")
        expect(teacher, r"0 viewers", "broker: the teacher serves through the broker")
        tm.keys(teacher, "1")
        expect(teacher, r"step 1 · (?s:.*)Your move", "broker: the teacher took a step")
        student = tm.start_ls("--attach=" + url, "--token=" + TOKEN, x=100, y=30)
        expect(teacher, r"1 viewer", "broker: the teacher counts the student")
        expect(student, r"step 1 · (?s:.*)following mqtt://", "broker: a late student starts at step 1")
        tm.keys(teacher, "2")
        expect(student, r"step 2 · ", "broker: and follows the next step")
        tm.keys(teacher, "q")
        tap.check(tm.wait_exit(teacher) == 0, "broker: the teacher quits cleanly")
        expect(student, r"stopped serving", "broker: the student says the teacher stopped serving")
        tm.keys(student, "q")
        tap.check(tm.wait_exit(student) == 0, "broker: the student quits cleanly")
    finally:
        broker.terminate()
        broker.wait(timeout=30)


tap.run(main, "serve and attach in the terminal")
tap.run(through_broker, "serve and attach through a broker in the terminal")
shutil.rmtree(tmp, ignore_errors=True)
tap.done()
