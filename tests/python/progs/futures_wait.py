# concurrent.futures.wait() and as_completed(), traced as waits on the
# futures: main waits (timed) for a task that cannot finish yet, then for
# it to complete once released, then for all.
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait
import threading

release = threading.Event()


def slow(x):
    release.wait()  # only once main has given up waiting the first time
    return x * x


def fast(x):
    return x


with ThreadPoolExecutor(max_workers=2) as pool:
    a = pool.submit(slow, 2)
    done, not_done = wait([a], timeout=0.5, return_when=FIRST_COMPLETED)
    print("timed out: %d done, %d not done" % (len(done), len(not_done)), flush=True)
    release.set()
    for f in as_completed([a]):
        print("completed", f.result(), flush=True)
    b = pool.submit(fast, 3)
    c = pool.submit(slow, 4)
    done, not_done = wait([a, b, c])
    print("all: %d done, %d not done" % (len(done), len(not_done)), flush=True)
