"""Zombie and orphan: os.fork, wait, and adoption.

僵尸进程和孤儿进程 (a zombie, and an orphan), with os.fork.

第一幕 (act 1)：子进程立刻退出，父进程过一会儿才 wait。
在这期间子进程已经结束、但还没被回收：它是僵尸 (Z)。
父进程读 /proc 看到 'Z'，然后 os.waitpid 回收它，/proc 里就没有它了。
The child exits at once; the parent waits only a little later. Meanwhile
the child has ended but has not been reaped: it is a zombie (Z). The parent
reads 'Z' in /proc, then os.waitpid reaps it and /proc forgets the pid.

第二幕 (act 2)：middle 进程 fork 出 orphan 后立刻退出，不等它。
orphan 成了孤儿，被最近的 subreaper（或 init）收养：getppid() 变了。
middle forks orphan and exits at once without waiting for it. The orphan
is adopted by the nearest subreaper (or init): its getppid() changes.

运行 (run): python3 zombie.py
"""
import os
import sys
import time


def proc_state(pid):
    # /proc/PID/stat 的第三个字段是状态：R S D Z ...
    # The third field of /proc/PID/stat is the state: R, S, D, Z...
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


def act1():
    child = os.fork()
    if child == 0:
        os._exit(7)  # 子进程立刻退出 (the child exits at once)
    time.sleep(0.3)  # 父进程还没有 wait：子进程是僵尸 (not waited for yet: a zombie)
    print(f"zombie: child {child} state {proc_state(child)}", flush=True)  # Z
    _, status = os.waitpid(child, 0)  # 回收 (reap)
    print(f"reaped: child {child} exit status {os.waitstatus_to_exitcode(status)}, "
          f"state now {proc_state(child)}", flush=True)  # 7, gone


def act2():
    middle = os.fork()
    if middle == 0:
        orphan = os.fork()
        if orphan == 0:
            before = os.getppid()  # 还是 middle (still middle)
            time.sleep(0.3)  # middle 在这期间退出 (middle exits meanwhile)
            print(f"orphan: parent was {before}, now {os.getppid()}", flush=True)
            os._exit(0)
        time.sleep(0.1)  # 让孤儿先记下它的父进程 (let the orphan note its parent first)
        os._exit(0)  # middle 不等孤儿就走了 (middle leaves without waiting)
    os.waitpid(middle, 0)
    print(f"main: middle {middle} reaped; its child is an orphan now", flush=True)
    time.sleep(0.6)  # 让孤儿说完话 (let the orphan have its say)


if __name__ == "__main__":
    act1()
    act2()
    sys.exit(0)
