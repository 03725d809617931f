"""Queue between a writer and a reader process.

进程间的队列：一个写进程，一个读进程 (a Queue between a writer and a reader process).

Queue(maxsize=3) 最多放三个。writer 放 6 个数，队列满时 put 阻塞；
reader 取出来，直到拿到 None。qsize()、full()、empty() 只是那一刻的快照：
别的进程随时可能改变它们，所以不能用来代替阻塞的 get/put。
Queue(maxsize=3) holds at most three items. The writer puts six numbers and
its put blocks while the queue is full; the reader gets them until None.
qsize(), full() and empty() are snapshots: another process may change them
the next moment, so they never replace a blocking get or put.
"""
# 运行 (run): python3 mp-queue.py
import multiprocessing as mp
import sys


def writer(q):
    for i in range(1, 7):
        q.put(i)  # 满了就等 (waits while full)
        print(f"writer: put {i}, qsize={q.qsize()} full={q.full()}", flush=True)
    q.put(None)  # 结束标记 (the end marker)


def reader(q):
    total = 0
    while True:
        item = q.get()  # 空了就等 (waits while empty)
        if item is None:
            break
        total += item
        print(f"reader: got {item}, empty={q.empty()}", flush=True)
    print(f"reader: total {total}", flush=True)  # 21


def main():
    q = mp.Queue(maxsize=3)
    w = mp.Process(target=writer, args=(q,), name="writer")
    r = mp.Process(target=reader, args=(q,), name="reader")
    print(f"main: empty={q.empty()} full={q.full()} qsize={q.qsize()}", flush=True)
    w.start()
    r.start()
    w.join()
    r.join()
    print(f"main: empty={q.empty()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
