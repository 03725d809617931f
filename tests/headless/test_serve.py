#!/usr/bin/env python3
"""One lecture, many screens (issue 18): --serve publishes the teacher's
run, --attach folds it. Every viewer must end with the teacher's model:
its JSON lines are compared with `--headless --replay` of the recording the
teacher made of the same run (the recording is what the teacher's model
folded), and its summary with the teacher's own. A wrong token, a garbled
stream, a viewer that sends what it likes or stops reading never changes
the teacher's run or another viewer's; bad addresses are one line and a
documented exit code. The broker half starts a private mosquitto on a free
loopback port."""
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import LOCKSTEP, Tap, Live, run_cli, wait_for, EXIT_USAGE, EXIT_DEADLOCK  # noqa: E402

EXIT_NET = 8
TOKEN = "t0ken-for-tests"
t = Tap()
tmp = tempfile.mkdtemp(prefix="lockstep-serve-")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_stderr_until(p, needle, timeout=30):
    """The teacher's stderr up to the line holding needle (its attach
    command), read as it comes, with a deadline that fails."""
    buf = b""
    fd = p.stderr.fileno()
    deadline = time.monotonic() + timeout
    while needle.encode() not in buf or not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        r, _, _ = select.select([fd], [], [], max(0.0, left))
        if not r:
            raise AssertionError("timed out waiting for %r on stderr; got %r" % (needle, buf))
        chunk = os.read(fd, 4096)
        if not chunk:
            raise AssertionError("stderr closed before %r; got %r" % (needle, buf))
        buf += chunk
    return buf.decode()


def attach_arg(text):
    for word in text.split():
        if word.startswith("--attach="):
            return word
    raise AssertionError("no attach command in %r" % text)


def teacher(scene, *args, viewers=0, serve="127.0.0.1:0", env=None):
    """A headless teacher serving SCENE; returns (process, --attach=..., recording)."""
    rec = os.path.join(tmp, "%s-%d.rec" % (scene, time.monotonic_ns()))
    cmd = [LOCKSTEP, "--headless", scene, "--timeout=120", "--serve=" + serve,
           "--token=" + TOKEN, "--record=" + rec] + list(args)
    if viewers:
        cmd.append("--wait-viewers=%d" % viewers)
    # stdout to a file: a teacher whose output nobody reads yet must not
    # block (the tests wait for viewers first)
    out = open(rec + ".json", "w+")
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
    p.out_file = out
    return p, attach_arg(read_stderr_until(p, "--attach=")), rec


def viewer(attach, token=TOKEN):
    return subprocess.Popen([LOCKSTEP, attach, "--token=" + token, "--headless"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(p, timeout=180):
    out, err = p.communicate(timeout=timeout)
    if hasattr(p, "out_file"):
        p.out_file.seek(0)
        out = p.out_file.read()
        p.out_file.close()
    if isinstance(err, bytes):
        err = err.decode()
    return p.returncode, out, err


def replay(rec):
    r = run_cli("--headless", "--replay=" + rec, timeout=120)
    return r.returncode, r.stdout


KERNEL_ONLY = ("kernel", "kernel_state", "wchan", "kernel_disagreement", "kernel_note")


def model_of(summary_line):
    """What a summary says of the model, without what only a live scene
    has (the kernel's view, which a viewer cannot read)."""
    import json
    s = json.loads(summary_line)
    for k in KERNEL_ONLY:
        s.pop(k, None)
    for w in s.get("workers", []):
        for k in KERNEL_ONLY:
            w.pop(k, None)
    return s


def many(n, serve, scene="producer-consumer"):
    p, attach, rec = teacher(scene, viewers=n, serve=serve)
    vs = [viewer(attach) for _ in range(n)]
    results = [finish(v) for v in vs]
    trc, tout, terr = finish(p)
    rrc, rout = replay(rec)
    t.check(trc == 0 and rrc == 0, "%s: the teacher's run finished and its recording replays" % serve,
            (trc, rrc, terr[-600:]))
    t.check("(%d watching)" % n in terr, "%s: the teacher counted %d viewers" % (serve, n), terr[-600:])
    bad = [(i, rc, err[-300:]) for i, (rc, out, err) in enumerate(results) if rc != trc or out != rout]
    t.check(not bad and len(results) == n,
            "%s: all %d viewers print the teacher's run line for line, exit %d" % (serve, n, trc),
            bad[:3])
    tmodel = model_of(tout.strip().splitlines()[-1])
    differ = [i for i, (rc, out, err) in enumerate(results)
              if not out.strip() or model_of(out.strip().splitlines()[-1]) != tmodel]
    t.check(not differ, "%s: every viewer ends with the teacher's model" % serve, differ[:5])


def test_direct():
    many(50, "127.0.0.1:0")


def test_broker():
    mosq = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else None)
    probe = run_cli("--headless", "deadlock", "--serve=mqtt://127.0.0.1:1/x")
    if "not built in" in probe.stderr:
        t.check(probe.returncode == EXIT_USAGE, "without libmosquitto, mqtt:// says it is not built in",
                probe.stderr)
        print("# SKIP the broker tests: this lockstep was built without libmosquitto")
        return
    t.check(probe.returncode == EXIT_NET and probe.stderr.count("\n") == 1 and "broker" in probe.stderr,
            "no broker at the address: one line, exit 8", (probe.returncode, probe.stderr))
    if not mosq:
        print("# SKIP the broker tests: mosquitto is not installed (apt-get install mosquitto)")
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
        many(50, "mqtt://127.0.0.1:%d/lecture" % port)
        # a wrong token through the broker: refused, nothing else changes
        p, attach, rec = teacher("deadlock", viewers=1, serve="mqtt://127.0.0.1:%d/room2" % port)
        wrong = finish(viewer(attach, token="not-the-token"))
        t.check(wrong[0] == EXIT_NET and "refused the token" in wrong[2] and wrong[2].count("\n") == 1,
                "broker: a wrong token is refused in one line, exit 8", wrong)
        good = finish(viewer(attach))
        trc, _, terr = finish(p)
        t.check(trc == EXIT_DEADLOCK and good[0] == trc and good[1] == replay(rec)[1],
                "broker: the teacher and a right viewer go on unchanged", (trc, good[0], terr[-400:]))
        # a late joiner through the broker: history first, then live
        late_joiner("mqtt://127.0.0.1:%d/room3" % port)
    finally:
        broker.terminate()
        broker.wait(timeout=30)


def test_wrong_token():
    p, attach, rec = teacher("deadlock", viewers=1)
    wrong = finish(viewer(attach, token="wrong"))
    t.check(wrong[0] == EXIT_NET and wrong[1] == "" and wrong[2].count("\n") == 1 and
            "refused the token" in wrong[2], "a wrong token: one line, exit 7, nothing printed", wrong)
    good = finish(viewer(attach))
    trc, tout, terr = finish(p)
    t.check("wrong token" in terr, "the teacher says a viewer gave a wrong token", terr)
    t.check(trc == EXIT_DEADLOCK and good[0] == trc and good[1] == replay(rec)[1],
            "after a wrong token the teacher and a right viewer go on unchanged", (trc, good[0]))


def test_bad_addresses():
    r = run_cli("--attach=nowhere", "--token=x", "--headless")
    t.check(r.returncode == EXIT_USAGE and r.stderr.count("\n") == 1 and "HOST:PORT" in r.stderr,
            "--attach without a port: usage, exit 2", (r.returncode, r.stderr))
    r = run_cli("--attach=127.0.0.1:%d" % free_port(), "--headless")
    t.check(r.returncode == EXIT_USAGE and "--token" in r.stderr, "--attach needs --token: exit 2",
            (r.returncode, r.stderr))
    r = run_cli("--attach=127.0.0.1:%d" % free_port(), "--token=x", "--headless")
    t.check(r.returncode == EXIT_NET and r.stderr.count("\n") == 1 and "refused" in r.stderr,
            "nobody listening: one line, exit 8", (r.returncode, r.stderr))
    r = run_cli("--attach=127.0.0.1:%d" % free_port(), "--token=x")  # the UI: before the terminal
    t.check(r.returncode == EXIT_NET and r.stderr.count("\n") == 1,
            "the UI attach, nobody listening: one line, exit 8", (r.returncode, r.stderr))
    r = run_cli("--headless", "deadlock", "--serve=127.0.0.1:99999")
    t.check(r.returncode == EXIT_USAGE and "--serve takes" in r.stderr, "--serve port 99999: exit 2",
            (r.returncode, r.stderr))
    r = run_cli("--headless", "deadlock", "--serve", "--token=bad token")
    t.check(r.returncode == EXIT_USAGE and "token" in r.stderr, "a token with a space: exit 2",
            (r.returncode, r.stderr))
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    r = run_cli("--headless", "deadlock", "--serve=127.0.0.1:%d" % busy.getsockname()[1])
    busy.close()
    t.check(r.returncode == EXIT_NET and r.stderr.count("\n") == 1 and "cannot listen" in r.stderr,
            "a port in use: one line, exit 8", (r.returncode, r.stderr))
    # a teacher that never moves (its UI waits for a key): --timeout ends the watch
    idle = socket.socket()
    idle.bind(("127.0.0.1", 0))
    idle.listen(1)
    v = subprocess.Popen([LOCKSTEP, "--attach=127.0.0.1:%d" % idle.getsockname()[1], "--token=" + TOKEN,
                          "--headless", "--timeout=1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    conn, _ = idle.accept()
    conn.recv(100)
    conn.sendall(b"LOCKSTEP OK\n")
    out, err = v.communicate(timeout=60)
    conn.close()
    idle.close()
    t.check(v.returncode == 4 and "--timeout" in err and err.count("\n") == 1 and '"summary"' in out,
            "--attach --headless --timeout: a summary, one line, exit 4", (v.returncode, err))
    r = run_cli("--attach=127.0.0.1:1", "--token=x", "--timeout=5")
    t.check(r.returncode == EXIT_USAGE, "--timeout with a UI attach: exit 2", r.stderr)
    r = run_cli("--headless", "deadlock", "--wait-viewers=3")
    t.check(r.returncode == EXIT_USAGE, "--wait-viewers without --serve: exit 2", r.stderr)


def fake_server(payload):
    """A server that greets like a teacher, then sends payload."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    v = viewer("--attach=127.0.0.1:%d" % port)
    conn, _ = srv.accept()
    conn.settimeout(30)
    hello = b""
    while not hello.endswith(b"\n"):
        hello += conn.recv(100)
    conn.sendall(b"LOCKSTEP OK\n" + payload)
    conn.shutdown(socket.SHUT_WR)
    res = finish(v, timeout=60)
    conn.close()
    srv.close()
    return hello, res


def test_garbled():
    hello, res = fake_server(b"this is not a recording at all, just words" * 10)
    t.check(hello == ("LOCKSTEP 1 %s\n" % TOKEN).encode(), "the viewer greets with its token", hello)
    t.check(res[0] == EXIT_NET and "garbled" in res[2] and res[2].count("\n") == 1,
            "garbage after the greeting: 'garbled', one line, exit 8", res[2])
    # a good start, then a record that does not validate
    p, attach, rec = teacher("deadlock", viewers=0)
    finish(p)
    with open(rec, "rb") as f:
        good = f.read()
    cut = len(good) - 64 * 5  # five records before the end
    bad = bytearray(good[:cut])
    bad[-64:] = b"\xff" * 64
    _, res = fake_server(bytes(bad))
    lines = res[1].strip().splitlines()
    t.check(res[0] == EXIT_NET and "garbled" in res[2] and "record" in res[2] and lines and
            '"summary"' in lines[-1],
            "a bad record mid-stream: what came before is shown, then where, exit 8", res[2])
    # the stream stops mid-run (the teacher is gone): said, exit 8
    _, res = fake_server(good[:cut])
    t.check(res[0] == EXIT_NET and "middle of a run" in res[2], "a stream cut mid-run: said, exit 8",
            res[2])


def test_viewers_cannot_control():
    p, attach, rec = teacher("deadlock", viewers=2)
    port = int(attach.rsplit(":", 1)[1])
    # a viewer that greets right, then sends keys, commands, garbage
    pushy = socket.create_connection(("127.0.0.1", port))
    pushy.sendall(("LOCKSTEP 1 %s\n" % TOKEN).encode())
    pushy.sendall(b"q s 1 2 r !\nLOCKSTEP 1 x\n")
    pushy.setblocking(False)  # a flood, as much as the sockets take
    junk = os.urandom(1 << 20)
    try:
        while junk:
            junk = junk[pushy.send(junk):]
    except BlockingIOError:
        pass
    # a connection that greets badly
    rude = socket.create_connection(("127.0.0.1", port))
    rude.sendall(b"GET / HTTP/1.0\r\n\r\n")
    good = viewer(attach)
    gres = finish(good)
    trc, tout, terr = finish(p)
    plain = run_cli("--headless", "deadlock", timeout=60)
    import json

    def shape(out):  # what happened, without pids, times or the order of the start's records
        s = json.loads(out.strip().splitlines()[-1])
        kinds = sorted(json.loads(l)["type"] for l in out.splitlines() if '"seq"' in l)
        return kinds, s["outcome"], s["steps"], s["events"], s.get("cycle")
    t.check(trc == EXIT_DEADLOCK and shape(tout) == shape(plain.stdout),
            "what viewers send changes nothing in the teacher's run", (trc, terr[-500:]))
    t.check(gres[0] == trc and gres[1] == replay(rec)[1], "another viewer gets the whole run", gres[2])
    t.check("did not greet" in terr, "the teacher says a connection did not greet as a viewer", terr)
    pushy.close()
    rude.close()


def test_slow_viewer_dropped():
    env = dict(os.environ, LOCKSTEP_SERVE_LAG_MAX="65536")
    p, attach, rec = teacher("crowd", "--free", viewers=2, env=env)
    port = int(attach.rsplit(":", 1)[1])
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.connect(("127.0.0.1", port))
    slow.sendall(("LOCKSTEP 1 %s\n" % TOKEN).encode())  # and never reads
    good = viewer(attach)
    gres = finish(good)
    trc, tout, terr = finish(p)
    slow.close()
    t.check(trc == 0, "the teacher's run ends as usual with a viewer that stopped reading",
            (trc, terr[-500:]))
    t.check("fell too far behind" in terr, "the stalled viewer is dropped, with a message", terr[-800:])
    t.check(gres[0] == 0 and gres[1] == replay(rec)[1], "the other viewer gets the whole run",
            (gres[0], gres[2][-300:]))


def late_joiner(serve):
    """The teacher's run is under way (a free run that takes seconds); a
    viewer that attaches then gets the history first and catches up."""
    rec = os.path.join(tmp, "late-%d.rec" % time.monotonic_ns())
    live = Live("io-vs-cpu", "--serve=" + serve, "--token=" + TOKEN, "--record=" + rec)
    try:
        attach = attach_arg(read_stderr_until(live.p, "--attach="))
        live.read_until(lambda e: e.get("seq", 0) >= 60, "60 events of the teacher's run")
        v = viewer(attach)
        # the teacher's output is read on (a pty nobody reads would stop it)
        live.read_until(lambda e: e.get("type") == "summary", "the teacher's summary", timeout=120)
        res = finish(v)
    finally:
        live.close()
    rrc, rout = replay(rec)
    lines = res[1].splitlines()
    t.check(res[0] == 0 and res[1] == rout and len(lines) > 60,
            "%s: a late joiner gets the history, catches up and ends with the teacher's run" % serve,
            (res[0], res[2][-300:], len(lines), len(rout.splitlines())))


def test_late_joiner():
    late_joiner("127.0.0.1:0")


for fn in (test_bad_addresses, test_wrong_token, test_garbled, test_viewers_cannot_control,
           test_slow_viewer_dropped, test_late_joiner, test_direct, test_broker):
    t.run(fn, fn.__name__)
shutil.rmtree(tmp, ignore_errors=True)
t.done()
