"""Race: two threads add to a shared counter without a lock.

竞态条件：两个线程不加锁地对共享计数器加一。

Each adds 1 three times as read, pause, write. If the other thread writes
between this one's read and write, one update is lost and the total is
less than 6. Compare race-locked.py.
每个线程三次执行「读、停顿、写」。若另一个线程在读和写之间写入，
就会丢失一次更新，总数小于 6。对照 race-locked.py。
"""
import threading
import time

counter = 0
TIMES = 3


def add():
    global counter
    for _ in range(TIMES):
        seen = counter        # 读 / read
        time.sleep(0.001)     # 停顿：别的线程可能此时运行 / the other may run now
        counter = seen + 1    # 写 / write


threads = [threading.Thread(target=add, name="T1"), threading.Thread(target=add, name="T2")]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter", counter, "expected", 2 * TIMES)
