"""Race fixed: the read and the write happen under one Lock.

修复竞态：读和写都在同一把锁内完成。

The same counter as race.py, but each read-pause-write holds `lock`, so
no other thread can write in between: the total is always 6.
与 race.py 相同的计数器，但每次「读、停顿、写」都持有 lock，
别的线程无法在中间写入：总数总是 6。
"""
import threading
import time

counter = 0
TIMES = 3
lock = threading.Lock()


def add():
    global counter
    for _ in range(TIMES):
        with lock:                # 临界区 / critical section
            seen = counter
            time.sleep(0.001)
            counter = seen + 1


threads = [threading.Thread(target=add, name="T1"), threading.Thread(target=add, name="T2")]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter", counter, "expected", 2 * TIMES)
