"""RLock: the thread that holds it may take it again.

可重入锁：持有它的线程可以再次获取。

count_down(3) takes `lock` and calls itself: the hold count rises to 3,
then falls back to 0. A plain Lock would deadlock on the second acquire.
count_down(3) 获取 lock 后递归调用自己：持有计数升到 3，再降回 0。
若换成普通 Lock，第二次获取就会死锁。
"""
import threading

lock = threading.RLock()


def count_down(n):
    with lock:                    # 每层递归再拿一次 / once more per level
        print("level", n)
        if n > 1:
            count_down(n - 1)


workers = [threading.Thread(target=count_down, args=(3,), name=name) for name in ("T1", "T2")]
for w in workers:
    w.start()
for w in workers:
    w.join()
