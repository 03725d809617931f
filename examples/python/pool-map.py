"""Process pool: Pool(3) with map and apply_async.

进程池：Pool.map 和 apply_async。
A process pool: Pool.map and apply_async.

Pool(3) 启动三个工作进程。map 把一个列表切开分给它们，
按原来的顺序交回结果；apply_async 立刻返回一个 AsyncResult，
get() 等它的结果。
Pool(3) starts three worker processes. map splits a list among them and
gives the results back in the list's order; apply_async returns an
AsyncResult at once, and get() waits for its result.
"""
# 运行 (run): python3 pool-map.py
import multiprocessing as mp
import os
import sys


def square(x):
    return x * x


def describe(name):
    # 看看是哪个工作进程做的 (which worker process did it)
    return f"{name} done by {mp.current_process().name} (pid {os.getpid()})"


def main():
    with mp.Pool(processes=3) as pool:
        squares = pool.map(square, range(8))
        print(f"map: {squares}", flush=True)  # [0, 1, 4, 9, 16, 25, 36, 49]

        pending = [pool.apply_async(describe, (f"job{i}",)) for i in range(3)]
        for r in pending:
            print(f"apply_async: {r.get(timeout=30)}", flush=True)
    # with 结束时 pool.terminate() (leaving the with block terminates the pool)
    return 0


if __name__ == "__main__":
    sys.exit(main())
