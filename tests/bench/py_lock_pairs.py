"""lockstep's benchmark of a traced Lock (tests/bench/bench_py.c): N
uncontended acquire+release pairs of a threading.Lock (traced under
lockstep run) and of a bare _thread lock, in the same interpreter, same
run. Prints one line: "bare NS traced NS" (ns per pair, best of 3)."""
import _thread
import sys
import threading
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
traced = threading.Lock()
bare = _thread.allocate_lock()


def per_pair(lock):
    acquire, release = lock.acquire, lock.release
    t0 = time.perf_counter_ns()
    for _ in range(N):
        acquire()
        release()
    return (time.perf_counter_ns() - t0) / N


per_pair(bare)
per_pair(traced)  # warm: every cache the tracer keeps is filled
print("bare %.1f traced %.1f" % (min(per_pair(bare) for _ in range(3)),
                                 min(per_pair(traced) for _ in range(3))))
