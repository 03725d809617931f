"""Semaphore(2) shared by five processes.

多个进程共享一个信号量 (a Semaphore shared by processes).

Semaphore(2)：五个进程 P1..P5 都想进“机房”，同时最多两个。
每个进程 acquire 之后，把共享计数 inside 加一，打印出来，离开时减一。
inside 永远不会超过 2。
Semaphore(2): five processes P1..P5 want into the room, at most two at a
time. Each, once it has acquired, adds one to the shared count `inside`,
prints it, and takes one off as it leaves: `inside` never exceeds 2.
"""
# 运行 (run): python3 mp-semaphore.py
import multiprocessing as mp
import sys
import time


def visit(room, inside, name):
    with room:  # acquire ... release
        with inside.get_lock():
            inside.value += 1
            print(f"{name}: in, {inside.value} inside", flush=True)
        time.sleep(0.05)  # 在里面待一会儿 (stay a moment)
        with inside.get_lock():
            inside.value -= 1
        print(f"{name}: out", flush=True)


def main():
    room = mp.Semaphore(2)
    inside = mp.Value("i", 0)
    procs = [mp.Process(target=visit, args=(room, inside, f"P{i}"), name=f"P{i}")
             for i in range(1, 6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(f"main: everyone left, {inside.value} inside", flush=True)  # 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
