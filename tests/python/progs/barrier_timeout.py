"""Barrier(3, timeout=0.3) with two threads: nobody third comes, each
wait times out and breaks the barrier (BrokenBarrierError). A timed wait is
no stall: the program ends by itself, stepped or free."""
import threading

bar = threading.Barrier(3, timeout=0.3)


def worker(i):
    try:
        bar.wait()
        print(i, "passed", flush=True)
    except threading.BrokenBarrierError:
        print(i, "broken", flush=True)


threads = [threading.Thread(target=worker, args=(i,), name="W%d" % i) for i in range(2)]
for th in threads:
    th.start()
for th in threads:
    th.join()
print("broken:", bar.broken, flush=True)
