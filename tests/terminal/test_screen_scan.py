"""Every scene at 80x24, 100x30, 120x40 and 200x60, and in ASCII at 100x30:
its first screen and
its screen after a few steps (more steps on larger screens, so deadlocks,
stalls and endings are seen too) hold no word cut without an ellipsis and
no truncated line in a pane with free rows (screenscan.py). A few sessions
run at once; each waits for its own screen, never for time."""
import concurrent.futures
import re
import subprocess

from lstmux import LOCKSTEP, Tmux, Tap, wait_for
from screenscan import scan

tap = Tap()
tm = Tmux()
SIZES = [(80, 24, 8, ()), (100, 30, 5, ()), (120, 40, 12, ()), (200, 60, 24, ()),
         (100, 30, 10, ("--ascii",))]
scenes = [l.split()[0] for l in subprocess.run([LOCKSTEP, "-l"], capture_output=True, text=True,
                                               check=True).stdout.splitlines() if l.strip()]
tap.check(len(scenes) >= 20, "the scene list is read", scenes)
STEP = re.compile(r"step (\d+)\b")
tm.start(["cat"], 80, 24)  # the server and its options, before the parallel starts


def counter(scr):
    m = STEP.search(scr.splitlines()[0] if scr else "")
    return int(m.group(1)) if m else None


def run(scene, x, y, nsteps, opts):
    s = tm.start_ls(scene, *opts, x=x, y=y)
    try:
        first = tm.wait_screen(s, r"step 0\b[\s\S]*(Your move|measures real time|press k|"
                               r"press !|STALLED|DEADLOCK|FINISHED|waits for)",
                               timeout=40, what="%s's first screen" % scene)
        shots = [("first screen", first)]
        for _ in range(nsteps):
            scr = tm.screen(s)
            n = counter(scr)
            if n is None or "Your move" not in scr:
                break  # free running, finished, stalled or waiting for a key
            tm.keys(s, "s")
            wait_for(lambda: (counter(tm.screen(s)) or 0) > n, "%s step %d" % (scene, n + 1),
                     timeout=30)
        wait_for(lambda: "Moving..." not in tm.screen(s), "%s to settle" % scene, timeout=30)
        shots.append(("after steps", tm.screen(s)))
        if scene == scenes[0]:  # the help is the same for every scene
            tm.keys(s, "?")
            shots.append(("help", tm.wait_screen(s, "Help: keys", what="the help")))
            tm.keys(s, "Escape")
            tm.keys(s, "l")
            shots.append(("scene list", tm.wait_screen(s, "Scenes: arrows", what="the scene list")))
            # looking back (issue 15): the timeline on both axes, the past,
            # the list of runs, the export prompt
            tm.keys(s, "Escape", "t")
            shots.append(("timeline", tm.wait_screen(s, "Timeline: ", what="the timeline")))
            tm.keys(s, "a")
            shots.append(("timeline on wall time", tm.wait_screen(s, "of wall time per column",
                                                                  what="the wall time axis")))
            tm.keys(s, "t", "b")
            shots.append(("looking back",
                          tm.wait_screen(s, r"viewing|nothing to look back at|nothing earlier",
                                         what="b")))
            tm.keys(s, ".", "r")
            tm.wait_screen(s, r"step 0\b", what="the restart")
            tm.keys(s, "v")
            shots.append(("runs", tm.wait_screen(s, r"Runs since lockstep started|no other run yet",
                                                 what="the list of runs")))
            tm.keys(s, "Escape", "e")
            shots.append(("export", tm.wait_screen(s, r"export the trace to", what="the prompt")))
            tm.keys(s, "Escape")
        out = []
        for what, scr in shots:
            for p in scan(scr):
                out.append("%s %dx%d%s %s: %s" % (scene, x, y, "".join(" " + o for o in opts), what, p))
        return scene, "%dx%d%s" % (x, y, "".join(" " + o for o in opts)), out, shots[-1][1]
    finally:
        tm.keys(s, "q")
        tm.kill_session(s)


jobs = [(sc, x, y, n, o) for x, y, n, o in SIZES for sc in scenes]
with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
    futures = [pool.submit(run, *j) for j in jobs]
    for f in futures:
        try:
            scene, size, problems, last = f.result()
        except AssertionError as e:
            tap.check(False, "a scene ran", str(e))
            continue
        tap.check(not problems, "%s at %s: nothing cut unmarked, nothing truncated beside free "
                  "rows" % (scene, size), "\n".join(problems) + "\n--- screen ---\n" + last)

tap.done()
