"""An orphan outlives its parent, as after a real program's end: the child
sleeps, then says who its parent is now (the host, lockstep's subreaper,
where a shell's would be init). With an argument, a second child never
ends: it is stopped when the program has ended, and says nothing of its
own."""
import os
import sys
import time

if len(sys.argv) > 1:
    if os.fork() == 0:
        while True:
            time.sleep(0.05)
pid = os.fork()
if pid == 0:
    parent = os.getppid()
    time.sleep(0.3)
    print("orphan: my parent was %d, now %d" % (parent, os.getppid()), flush=True)
    os._exit(0)
print("parent exits", flush=True)
