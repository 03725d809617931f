"""Deadlock avoided: both threads take the locks in one global order.

避免死锁：两个线程按同一个全局顺序获取锁。

T1 and T2 both take A first, then B. Whoever gets A can always get B
later, so no circle of waits can form, under any schedule.
T1 和 T2 都先拿 A 再拿 B。拿到 A 的线程之后一定能拿到 B，
所以无论怎样调度都不会形成循环等待。
"""
import threading
import time

A = threading.Lock()
B = threading.Lock()


def worker():
    with A:                 # 先拿 A / A first
        time.sleep(0.1)
        with B:             # 再拿 B / then B
            print(threading.current_thread().name, "has A and B")


threads = [threading.Thread(target=worker, name="T1"), threading.Thread(target=worker, name="T2")]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
