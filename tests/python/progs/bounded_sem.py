"""BoundedSemaphore(2): four threads take turns, two at a time; a release
beyond the initial value raises ValueError. Python 3.11's BoundedSemaphore
is built on Semaphore by its global name, which the tracer replaces. A
thread pool (whose insides make a Semaphore) works beside it."""
import threading
from concurrent.futures import ThreadPoolExecutor

gate = threading.BoundedSemaphore(2)
inside = [0]
most = [0]
count = threading.Lock()


def worker(i):
    with gate:
        with count:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        print("in", i, flush=True)
        with count:
            inside[0] -= 1


threads = [threading.Thread(target=worker, args=(i,), name="W%d" % i) for i in range(4)]
for th in threads:
    th.start()
for th in threads:
    th.join()
print("at most", most[0], "inside", flush=True)
try:
    gate.release()
except ValueError as e:
    print("ValueError:", e, flush=True)
with ThreadPoolExecutor(max_workers=2) as ex:
    print("pool:", sorted(ex.map(abs, [-1, -2, 3])), flush=True)
