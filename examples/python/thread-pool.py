"""Thread pool: ThreadPoolExecutor(2) squares six numbers.

线程池：ThreadPoolExecutor(2) 计算六个数的平方。

Six tasks go into the pool's work queue; two worker threads take them one
at a time; main collects each future's result in order.
六个任务进入线程池的工作队列；两个工作线程一次取一个；
主线程按顺序取回每个 future 的结果。
"""
from concurrent.futures import ThreadPoolExecutor
import time


def square(x):
    time.sleep(0.01)              # 假装在工作 / pretend to work
    return x * x


with ThreadPoolExecutor(max_workers=2) as pool:
    futures = [pool.submit(square, n) for n in range(1, 7)]
    for f in futures:
        print("result", f.result())   # 等结果 / wait for it
