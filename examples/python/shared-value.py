"""Value and Array: updates lost without the lock.

共享内存里的 Value 和 Array：加锁和不加锁 (Value and Array, with and without a lock).

两个进程各把共享计数加 N 次（默认 N=5，可以写在命令行上）。
`counter.value += 1` 不是一步：先读，再写。两个进程都读到 5、都写 6，
就丢了一次更新。Value 自带一把锁，但 += 不会自己用它：
要写 `with counter.get_lock():`。Array 同理。
Two processes each add 1 to a shared count N times (N=5 by default, or
give it on the command line). `counter.value += 1` is two steps, a read
then a write: when both read 5 and both write 6, one update is lost. A
Value comes with a lock, but += does not take it by itself: you must write
`with counter.get_lock():`. The same holds for an Array.
"""
# 运行 (run): python3 shared-value.py [N]
# 在 lockstep 里，小的 N 就能一步一步看到丢失 (under lockstep a small N is enough
# to step into a lost update): lockstep run -- python3 shared-value.py 3
# 不用 lockstep 时，让内核来调度，N 要大才容易碰上 (without lockstep the kernel
# schedules, and only a large N makes a loss likely): python3 shared-value.py 100000
import multiprocessing as mp
import sys


def add_unlocked(go, counter, cells, slot, n):
    go.wait()  # 两个进程同时开始 (both processes start together)
    for _ in range(n):
        counter.value += 1   # 读、加一、写：可能丢更新 (read, add, write: may lose updates)
        cells[slot] += 1     # 每个进程只写自己的格子：不会丢 (own cell only: never lost)


def add_locked(go, counter, cells, slot, n):
    go.wait()
    for _ in range(n):
        with counter.get_lock():  # 读和写之间别人插不进来 (nobody gets between read and write)
            counter.value += 1
        with cells.get_lock():
            cells[slot] += 1


def run(target, label, n):
    counter = mp.Value("i", 0)
    cells = mp.Array("i", 2)  # 每个进程一个格子 (a cell per process)
    go = mp.Event()
    procs = [mp.Process(target=target, args=(go, counter, cells, i, n), name=f"{label}{i + 1}")
             for i in range(2)]
    for p in procs:
        p.start()
    go.set()  # 发令枪 (the starting gun)
    for p in procs:
        p.join()
    lost = 2 * n - counter.value
    print(f"{label}: counter={counter.value} expected={2 * n} lost={lost} cells={list(cells)}",
          flush=True)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    run(add_unlocked, "unlocked", n)  # 可能丢 (may lose updates)
    run(add_locked, "locked", n)      # 从不丢 (never loses any)
    return 0


if __name__ == "__main__":
    sys.exit(main())
