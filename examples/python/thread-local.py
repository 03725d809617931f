"""threading.local: each thread sees its own value of the same attribute.

线程局部变量：每个线程看到同一属性的自己的值。

Both threads store their number in `box.value` and read it back: neither
sees the other's.
两个线程都把自己的编号存入 box.value 再读出：谁也看不到对方的值。
"""
import threading
import time

box = threading.local()


def worker(n):
    box.value = n                 # 只属于本线程 / this thread's own
    time.sleep(0.05)
    print(threading.current_thread().name, "sees", box.value)


threads = [threading.Thread(target=worker, args=(n,), name="T%d" % n) for n in (1, 2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
