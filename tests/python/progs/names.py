"""Names lockstep gives a program's objects (tests/python/test_py_threads.py)."""
import queue
import threading

plain = threading.Lock()                       # plain


class Box:
    def __init__(self):
        self.lock = threading.Lock()           # lock


box = Box()
forks = [threading.Lock() for _ in range(2)]   # forks, forks#2
ready = threading.Condition()                  # ready, its lock ready.lock
jobs = queue.Queue()                           # jobs


def keep(x):
    return x


keep(threading.Lock())                         # fallback: Lock@names.py:LINE
with plain:
    jobs.put(1)
    jobs.get()
