"""Run mode, pause, resizing, the help overlay and the scene list."""
import re
import subprocess

from lstmux import LOCKSTEP, Tmux, Tap, lockstep_cmd, wait_for

tap = Tap()
tm = Tmux()


def events(screen):
    m = re.search(r"events (\d+)", screen)
    return int(m.group(1)) if m else -1


def producer_consumer_runs():
    s = tm.start_ls("producer-consumer", "--speed=7", "--param", "producers=3",
                    "--param", "consumers=1", "--param", "capacity=3", "--param", "items=12")
    scr = tm.wait_screen(s, ["RUN", "Queues and buffers"])
    scr = tm.wait_screen(s, r"3/3 items, full", what="the buffer to fill")
    tap.check(re.search(r"│ +\d+ +│ +\d+ +│ +\d+ +│", scr) is not None,
              "a full buffer shows an item in every slot", scr)
    tm.keys(s, "Space")
    scr = tm.wait_screen(s, "PAUSE")
    # paused: the count settles (workers finish the step they were in) and then stays
    frozen = wait_for(lambda: (lambda a: a if a == events(tm.screen(s)) else None)(
        events(tm.screen(s))), "the event count to settle", timeout=10)
    same = all(events(tm.screen(s)) == frozen for _ in range(20))
    tap.check(same, "pause freezes the event count", tm.screen(s))
    tm.keys(s, "Space")
    tm.wait_screen(s, "RUN")
    wait_for(lambda: events(tm.screen(s)) > frozen, "events after resuming")
    tap.check(True, "space resumes the run")
    scr = tm.wait_screen(s, ["FINISHED", "0/3 items, empty"], timeout=60,
                         what="the buffer to empty and the scene to finish")
    tap.check(re.search(r"│ +· +│ +· +│ +· +│", scr) is not None,
              "an empty buffer shows its empty slots", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def resize():
    s = tm.start_ls()
    tm.wait_screen(s, "Your move")
    tm.resize(s, 80, 24)
    # the key bar is the frame's last line: wait for it too, not only the panes
    scr = tm.wait_screen(s, ["Workers", "Locks", "Narration", "Log", "T2", "q quit"], what="the 80x24 layout")
    lines = scr.splitlines()
    tap.check(len(lines) <= 24 and max(len(l) for l in lines) <= 80, "80x24 fits", scr)
    tap.check("q quit" in scr and "? " in scr, "80x24 keeps the key bar", scr)
    tm.resize(s, 60, 20)
    scr = tm.wait_screen(s, "needs at least 80x24", what="the too-small message")
    tap.check("Workers" not in scr, "60x20 shows only the message", scr)
    tm.resize(s, 120, 40)
    scr = tm.wait_screen(s, ["Workers", "Locks", "Your move"], what="the UI to come back")
    tap.check("needs at least" not in scr, "back at 120x40 the UI returns", scr)
    tm.resize(s, 200, 60)
    # the wide log's time column: the sentinel that the 200x60 frame is drawn
    scr = tm.wait_screen(s, r"\d+\.\d{3}s  (mode|scene|new|main|T\d)", what="the 200x60 layout")
    tap.check(max(len(l) for l in scr.splitlines()) > 120, "200x60 shows event times in the log", scr)
    tm.keys(s, "q")
    tm.wait_exit(s)


def changed_and_still(s, before, what):
    """The screen once it differs from before and two captures in a row
    agree: a capture taken while a frame is being written holds half of
    it (the ? overlay then seemed to miss keys)."""
    last = [None]

    def still():
        now = tm.screen(s)
        ok = now != before and now == last[0]
        last[0] = now
        return now if ok else None
    return wait_for(still, what)


def help_and_picker():
    s = tm.start_ls()
    tm.wait_screen(s, "Your move")
    tm.keys(s, "?")
    top = tm.wait_screen(s, "Help: keys")
    # the help scrolls when it is longer than the screen: read it all, a
    # page at a time (top and bottom alone miss the middle of a long help)
    pages = [top]
    while "process ended" not in pages[-1] and len(pages) < 20:
        before = pages[-1]
        tm.keys(s, "PgDn")
        pages.append(changed_and_still(s, before, "the help to scroll a page"))
    tm.keys(s, "End")
    pages.append(tm.wait_screen(s, "process ended", what="the end of the help"))
    scr = "\n".join(pages)
    tm.keys(s, "Home")
    helptext = subprocess.run([LOCKSTEP, "--help"], capture_output=True, text=True).stdout
    keys = helptext[helptext.index("Keys in the terminal UI:"):].splitlines()[1:]
    missing = []
    for line in keys:
        m = re.match(r"  (\S.*?)\s{2,}(.*)", line)
        if m and m.group(1) != "mouse" and m.group(2)[:30] not in scr:
            missing.append(line)
    tap.check(len(keys) > 8 and not missing, "the ? overlay lists every key --help lists",
              "\n".join(missing) + "\n" + scr)
    tap.check("BLOCKED" in scr and "WAITING" in scr, "the help explains the state glyphs", scr)
    tm.keys(s, "Escape")
    wait_for(lambda: "Help: keys" not in tm.screen(s), "Esc to close the help")
    tap.check(True, "Esc closes the help")
    tm.keys(s, "l")
    # the summary is drawn after the list: wait for the whole frame, as a
    # slow (sanitizer) build may be read between the two
    scr = tm.wait_screen(s, ["Scenes:", "producer-consumer", "deadlock", "T1 locks A then B"],
                         what="the list and the chosen scene's summary")
    tap.check("T1 locks A then B" in scr, "the list shows the chosen scene's summary", scr)
    # move down to producer-consumer, however many scenes come between
    for _ in range(60):
        if re.search(r"▸ producer-consumer", tm.screen(s)):
            break
        before = tm.screen(s)
        tm.keys(s, "Down")
        wait_for(lambda: tm.screen(s) != before, "the selection to move")
    scr = tm.wait_screen(s, "Producers put items into a buffer", what="the other summary")
    tm.keys(s, "Enter")
    scr = tm.wait_screen(s, ["producer-consumer:", "Queues and buffers", "PAUSE"])
    tap.check("Scenes:" not in scr, "Enter starts the picked scene, paused", scr)
    tm.keys(s, "s")
    tm.wait_screen(s, r"step 1 [·.] ")
    tap.check(True, "the new scene steps")
    tm.keys(s, "q")
    tm.wait_exit(s)


def focus_scroll_speed():
    s = tm.start_ls("producer-consumer", "--param", "items=40", x=120, y=40)
    tm.wait_screen(s, "Your move")
    for _ in range(30):
        tm.keys(s, "s")
    tm.wait_screen(s, r"step 30 [·.] ", what="30 steps")
    # Tab moves the focus (◆ in the pane's border) from Workers to the log
    scr = tm.screen(s)
    tap.check("◆ Workers" in scr, "the workers pane has the focus first", scr)
    def focused():
        m = re.search(r"◆ (\w+)", tm.screen(s))
        return m.group(1) if m else None

    for _ in range(8):
        if focused() == "Log":
            break
        # wait for the focus marker itself: late log lines also change the
        # screen, and a second Tab on their account would skip the log
        before = focused()
        tm.keys(s, "Tab")
        wait_for(lambda: focused() not in (None, before), "the focus to move")
    tap.check("◆ Log" in tm.screen(s), "Tab reaches the log")
    tm.keys(s, "PPage")
    scr = tm.wait_screen(s, r"\d+ newer below", what="the log scrolled back")
    tap.check("step 30:" not in scr, "PgUp scrolls the log back past the newest line", scr)
    tm.keys(s, "Down")
    tm.keys(s, "End")
    scr = tm.wait_screen(s, "step 30:", what="End back to the newest line")
    tap.check("newer below" not in scr, "End returns to the newest line", scr)
    tm.keys(s, "+")
    tm.keys(s, "+")
    tap.check(tm.wait_screen(s, r"speed 8/9") is not None, "+ raises the speed")
    tm.keys(s, "-")
    tap.check(tm.wait_screen(s, r"speed 7/9") is not None, "- lowers it")
    tm.keys(s, "q")
    tm.wait_exit(s)


tap.run(focus_scroll_speed, "focus, scrolling and speed")
tap.run(producer_consumer_runs, "producer-consumer in run mode")
tap.run(resize, "resize")
tap.run(help_and_picker, "help and scene list")
tap.done()
