"""Semaphore(3): at most three threads in the room at once.

信号量 Semaphore(3)：同一时刻最多三个线程在房间里。

Five threads want in; three get a permit, the others wait until one
leaves and releases its permit.
五个线程想进入；三个拿到许可，其余的等到有人离开并归还许可。
"""
import threading
import time

room = threading.Semaphore(3)     # 3 个许可 / 3 permits


def visit():
    with room:                    # 拿许可 / take a permit
        print(threading.current_thread().name, "in")
        time.sleep(0.05)          # 在房间里 / inside
    print(threading.current_thread().name, "out")


threads = [threading.Thread(target=visit, name="T%d" % i) for i in range(1, 6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
