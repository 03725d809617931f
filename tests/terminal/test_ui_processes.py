"""Scenes of the thread and process primitives in the terminal UI: the
signals homework played through the `!` menu, the event scene released by
the scene key `k`, a pipe's buffered messages, and a process that is a
ZOMBIE before it is TERMINATED. Screens are polled with deadlines."""
import re

from lstmux import Tmux, Tap, mouse_click

tap = Tap()
tm = Tmux()


def settled(s, n):
    """Wait until step n is over: the grant shows at once, the hint asks
    for the next move only when every worker is back at its gate."""
    return tm.wait_screen(s, r"step %d · (?s:.*)(Your move|FINISHED|Everyone waits)" % n,
                          what="step %d to settle" % n)


def send_signal(s, target_row, sig_row):
    """! opens the menu: Down target_row times, Enter, Down sig_row times, Enter."""
    tm.keys(s, "!")
    tm.wait_screen(s, "Send a signal: to whom?")
    for _ in range(target_row):
        tm.keys(s, "Down")
    tm.keys(s, "Enter")
    tm.wait_screen(s, "Send a signal: which one?")
    for _ in range(sig_row):
        tm.keys(s, "Down")
    tm.keys(s, "Enter")


def signals_homework():
    s = tm.start_ls("signals", "--speed=9")
    scr = tm.wait_screen(s, ["conductor waits in pause()", "driver waits in pause()"], timeout=30)
    tap.check("pid" in scr and "parent" in scr, "process rows show pid and parent", scr)
    # the whole group, SIGINT (first target, first signal)
    send_signal(s, 0, 0)
    scr = tm.wait_screen(s, ["user sent SIGINT to the group", "driver output: 老司机开车了"])
    tap.check(re.search(r"driver output: 老司机开车了 *│", scr),
              "the log shows the driver's line, exactly, as its own output", scr)
    tap.check("user sent SIGINT to conductor: its handler will run" in scr,
              "SIGINT reaches the conductor's handler", scr)
    tap.check("user sent SIGINT to driver, who ignores it" in scr, "the driver ignores SIGINT", scr)
    tap.check("conductor sent SIGUSR1 to driver" in scr, "the conductor signals the driver", scr)
    tap.check("driver_on_usr2" not in scr and "conductor_on_usr1" not in scr,
              "no other handler runs", scr)
    # SIGQUIT (second signal) to the group
    send_signal(s, 0, 1)
    scr = tm.wait_screen(s, ["user sent SIGQUIT to the group", "driver output: 系好安全带，小心甩出去"])
    tap.check(re.search(r"driver output: 系好安全带，小心甩出去 *│", scr),
              "the log shows the driver's second line, exactly", scr)
    tap.check("conductor sent SIGUSR2 to driver" in scr, "SIGQUIT makes the conductor send SIGUSR2", scr)
    # SIGTSTP (third) to the group: the driver's; the conductor gets off first
    send_signal(s, 0, 2)
    scr = tm.wait_screen(s, ["conductor output: 到站了，下车吧", "FINISHED"])
    tap.check("driver sent SIGUSR1 to conductor" in scr, "SIGTSTP makes the driver signal the conductor", scr)
    log = scr.split("\n")
    tap.check(re.search(r"conductor exited.*\n(?:.*\n)*.*driver exited", scr) is not None,
              "the conductor exits before the driver", scr)
    tap.check(re.search(r"conductor output: 到站了，下车吧 *│", scr),
              "the log shows the conductor's line, exactly, as its own output", scr)
    tap.check("The conductor printed: We've arrived" in scr,
              "the narration gives its meaning separately, CJK width counted", scr)
    scr = tm.wait_screen(s, r"conductor +✓ TERMINATED +— ", what="the reaped conductor gone from the kernel column")
    rows = re.findall(r"^│ *\d+ +(\S+) +✓ TERMINATED +(\S+)", scr, re.M)
    tap.check(len(rows) == 3 and all(k == "—" for _, k in rows),
              "signals: at the end no kernel letter is left beside a reaped process", scr)
    tm.keys(s, "q")
    tap.check(tm.wait_exit(s) == 0, "q quits")


def signals_stepped():
    """In step mode a signal is a step of its own; the handlers' steps follow."""
    s = tm.start_ls("signals")
    tm.wait_screen(s, ["PAUSE", "Your move"])
    for _ in range(60):
        scr = tm.screen(s)
        if "waiting for a signal" in scr:
            break
        n = int(re.search(r"step (\d+) · ", scr).group(1))
        tm.keys(s, "s")
        settled(s, n + 1)
    tm.wait_screen(s, "waiting for a signal: press !", what="every process in pause()")
    send_signal(s, 0, 0)
    scr = tm.wait_screen(s, "user sent SIGINT to conductor: its handler will run")
    for _ in range(30):
        if "driver output: 老司机开车了" in tm.screen(s):
            break
        tm.keys(s, "s")
        tm.wait_screen(s, r"Your move|waiting for a signal|driver output: 老司机开车了")
    scr = tm.wait_screen(s, ["driver output: 老司机开车了", "driver handled SIGUSR1"])
    tap.check("conductor handled SIGINT: conductor_on_int() runs" in scr,
              "step mode: the conductor's handler ran, then the driver's", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def click_row(s, text):
    scr = tm.screen(s)
    for y, line in enumerate(scr.splitlines()):
        if text in line:
            mouse_click(tm, s, line.index(text), y)
            return
    raise AssertionError("no row with %r\n%s" % (text, scr))


def signal_menu_mouse():
    s = tm.start_ls("signals", "--speed=9")
    # not during the prologue, where main's pause() waits for its alarm
    tm.wait_screen(s, ["conductor waits in pause()", "waiting for a signal: press !"], timeout=30)
    tm.keys(s, "!")
    tm.wait_screen(s, "Send a signal: to whom?")
    click_row(s, "the whole process group")  # already chosen: the click takes it
    tm.wait_screen(s, "Send a signal: which one?")
    click_row(s, "SIGQUIT  quit")
    tm.wait_screen(s, r"▸ SIGQUIT", what="the click to choose SIGQUIT")
    click_row(s, "SIGQUIT  quit")
    scr = tm.wait_screen(s, ["user sent SIGQUIT to the group", "driver output: 系好安全带"])
    tap.check("Send a signal" not in scr, "the menu closes once the signal is sent", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def signal_refused():
    """In step mode lockstep will not stop a scene's process: the menu says why."""
    s = tm.start_ls("fork-join")
    tm.wait_screen(s, ["PAUSE", "Your move"])
    for _ in range(20):
        scr = tm.screen(s)
        if re.search(r"\b1\s+A\s+\S+ (RUNNABLE|TIMED_WAITING)", scr) and "pid" in scr:
            break
        n = int(re.search(r"step (\d+) · ", scr).group(1))
        tm.keys(s, "s")
        settled(s, n + 1)
    tm.keys(s, "!")
    scr = tm.wait_screen(s, "Send a signal: to whom?")
    rows = [l for l in scr.splitlines() if "(pid " in l]
    a = next(i for i, l in enumerate(rows) if re.search(r"\bA \(pid", l))
    send_signal_keys = a + 1  # the group is the first row, then main, A...
    tm.keys(s, "Escape")  # keys are read in order: the menu is closed before ! opens it again
    send_signal(s, send_signal_keys, 2)  # SIGTSTP
    scr = tm.wait_screen(s, "SIGTSTP not sent: TSTP would stop A")
    tap.check("user sent SIGTSTP" not in scr, "nothing was sent", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def event_key():
    s = tm.start_ls("event", "--param", "setter=user", "--speed=9")
    scr = tm.wait_screen(s, "press k", timeout=30)
    tap.check(re.search(r"WAITING", scr) is not None, "waiters wait for the event", scr)
    tap.check("press k (the scene's key)" in scr, "the narration says to press k", scr)
    tap.check(re.search(r" k +key ", scr.splitlines()[-1]) is not None,
              "the key bar offers k while the scene waits for it", scr)
    tm.keys(s, "k")
    scr = tm.wait_screen(s, r"(?s)(?=.*W1\s+\S+ TERMINATED)(?=.*W2\s+\S+ TERMINATED)"
                         r"(?=.*W3\s+\S+ TERMINATED)", what="every waiter to pass the event and end")
    tap.check(re.search(r"W3\s+\S+ TERMINATED", scr) is not None, "every waiter passes once k is pressed", scr)
    tm.wait_screen(s, "press k")  # the late waiter after clear(): the scene asks again
    tm.keys(s, "k")
    tm.wait_screen(s, "FINISHED", what="the second k to release the late waiter")
    tm.keys(s, "q")
    tm.wait_exit(s)


def pipe_buffer():
    s = tm.start_ls("pipe", "--param", "messages=5")
    tm.wait_screen(s, ["PAUSE", "Your move"])
    # step until A is ready to write, then keep stepping A only
    for _ in range(60):
        scr = tm.screen(s)
        if re.search(r"A->B \(pipe\) \[\d+\]", scr):
            break
        m = re.search(r"\b1\s+A\s+\S+ RUNNABLE\s+(?:\S+\s+)?▸", scr)
        n = int(re.search(r"step (\d+) · ", scr).group(1))
        tm.keys(s, "1" if m else "s")
        settled(s, n + 1)
    # A writes and waits for the reply: the message sits in the pipe until B reads it
    scr = tm.wait_screen(s, r"A->B \(pipe\) \[1\]", what="a message buffered in the pipe")
    tap.check(re.search(r"write end: [^\n]*A", scr) is not None, "the pipe says who holds the write end", scr)
    tap.check(re.search(r"A wrote 1 into A->B \(1 buffered\)", scr) is not None,
              "the log says what was written and how much is buffered", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def zombie_then_terminated():
    s = tm.start_ls("zombie-orphan")
    tm.wait_screen(s, ["PAUSE", "Your move"])
    for _ in range(40):
        scr = tm.screen(s)
        if re.search(r"child\s+\S+ ZOMBIE", scr):
            break
        n = int(re.search(r"step (\d+) · ", scr).group(1))
        tm.keys(s, "s")
        settled(s, n + 1)
    scr = tm.wait_screen(s, r"child\s+\S+ ZOMBIE\s+(?:\S+\s+)?exited 0, not reaped yet",
                         what="the child as a ZOMBIE")
    tap.check("TERMINATED" not in re.search(r".*child.*", scr).group(0), "ZOMBIE is not TERMINATED", scr)
    for _ in range(40):
        scr = tm.screen(s)
        if re.search(r"child\s+\S+ TERMINATED", scr):
            break
        n = int(re.search(r"step (\d+) · ", scr).group(1))
        tm.keys(s, "s")
        settled(s, n + 1)
    scr = tm.wait_screen(s, r"child\s+\S+ TERMINATED\s+(?:\S+\s+)?exit 0, reaped by", what="the child reaped")
    tap.check("child reaped by" in scr, "the log says who reaped the child", scr)
    # reaped: no kernel state at all, whatever was read while it lived
    scr = tm.wait_screen(s, r"child\s+\S+ TERMINATED\s+— ", what="the reaped child gone from the kernel column")
    tap.check(re.search(r"child\s+\S+ ZOMBIE\s+[Z…]", scr) is None, "no stale letter beside the reaped child", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def kernel_column_at_the_end():
    """At the end of a run every row is TERMINATED, reaped: the kernel's
    column says the task is gone (—), never a letter read while it lived."""
    for scene in (["pipe"], ["zombie-orphan"], ["shm", "--param", "lock=off"], ["crowd", "--param", "workers=12"]):
        s = tm.start_ls(*(scene + ["--speed=9"]), x=130, y=40)
        scr = tm.wait_screen(s, "FINISHED", timeout=30, what="%s to finish" % scene[0])
        rows = re.findall(r"^│ *\d+ +(\S+) +✓ TERMINATED +(\S+)", scr, re.M)
        tap.check(rows and all(k == "—" for _, k in rows),
                  "%s: every TERMINATED row shows — in the kernel's column" % scene[0], scr)
        tap.check("kernel disagrees" not in scr, "%s: nothing flagged at the end" % scene[0], scr)
        tm.keys(s, "q")
        tm.wait_exit(s)


def free_run_header():
    s = tm.start_ls("io-vs-cpu")
    scr = tm.wait_screen(s, ["RUN", "full speed", "cannot be stepped"], timeout=30)
    tap.check("speed 5/9" not in scr, "no speed delay is shown for a free-run scene", scr)
    tm.keys(s, "s")
    scr = tm.wait_screen(s, "cannot be stepped")
    tm.keys(s, "q")
    tm.wait_exit(s)


tap.run(signals_homework, "signals homework through the ! menu")
tap.run(signals_stepped, "signals homework in step mode")
tap.run(signal_menu_mouse, "the signal menu by mouse")
tap.run(signal_refused, "a refused signal shows why")
tap.run(event_key, "event setter=user released with k")
tap.run(pipe_buffer, "pipe shows buffered messages")
tap.run(zombie_then_terminated, "zombie then terminated")
tap.run(kernel_column_at_the_end, "the kernel's column at the end of a run")
tap.run(free_run_header, "a free-run scene runs at full speed and says it cannot be stepped")
tap.done()
