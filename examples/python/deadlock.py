"""Deadlock: two threads, two locks, taken in opposite orders.

死锁：两个线程以相反的顺序获取两把锁。

T1 takes A then B; T2 takes B then A. If T1 holds A and T2 holds B, each
waits for the lock the other holds, for ever. Under lockstep press 1 2 1 2
(each takes its first lock, then sleeps) and s until the circle closes: the
sleeps end once main has nothing left to do. Headless, --schedule=T1,T2,T1,T2
always ends here; plain python3 deadlocks only sometimes.
T1 先拿 A 再拿 B，T2 先拿 B 再拿 A。若 T1 持有 A、T2 持有 B，
两者都在等对方手里的锁，永远等下去。在 lockstep 里按 1 2 1 2
（各拿到第一把锁后睡眠），再按 s 直到环闭合。
"""
import threading
import time

A = threading.Lock()
B = threading.Lock()


def t1():
    with A:                 # 拿到 A / take A
        time.sleep(0.1)     # 给 T2 拿 B 的机会 / give T2 time to take B
        with B:             # 等 B / wait for B
            print("T1 has A and B")


def t2():
    with B:                 # 拿到 B / take B
        time.sleep(0.1)
        with A:             # 等 A / wait for A
            print("T2 has B and A")


threads = [threading.Thread(target=t1, name="T1"), threading.Thread(target=t2, name="T2")]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done: no deadlock this time")
