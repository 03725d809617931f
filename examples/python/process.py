"""Process: start, join, exitcode and terminate.

进程的一生：start、join、exitcode、terminate。
A process's life: start, join, exitcode, terminate.

主进程创建三个子进程 (main makes three children):
  - worker-ok   正常返回，exitcode 0          (returns normally: exitcode 0)
  - worker-err  sys.exit(3)，exitcode 3        (exits with status 3)
  - sleeper     睡很久，被 terminate()，exitcode -15 (SIGTERM)
                (sleeps for a long time; terminate() sends SIGTERM: -15)
exitcode 在进程结束前是 None；负数表示被那个信号杀死。
exitcode is None until the process ends; a negative one names the signal
that killed it.
"""
# 运行 (run): python3 process.py
# 在 lockstep 里看 (watch it): lockstep run -- python3 process.py
import multiprocessing as mp
import os
import sys
import time


def work(status):
    # 子进程：说出自己的名字和 pid，然后以给定的状态结束。
    # The child says its name and pid, then ends with the given status.
    me = mp.current_process()
    print(f"{me.name}: pid {os.getpid()}, parent {os.getppid()}", flush=True)
    if status:
        sys.exit(status)  # exitcode = status


def sleep_long():
    print("sleeper: 我要睡很久 (I will sleep for a long time)", flush=True)
    time.sleep(60)  # 不会睡完：父进程会 terminate 它 (the parent terminates it first)


def main():
    ok = mp.Process(target=work, args=(0,), name="worker-ok")
    err = mp.Process(target=work, args=(3,), name="worker-err")
    sleeper = mp.Process(target=sleep_long, name="sleeper")
    # 还没 start：没有 pid，exitcode 是 None (not started: no pid, exitcode None)
    print(f"before start: pid={ok.pid} exitcode={ok.exitcode}", flush=True)

    for p in (ok, err, sleeper):
        p.start()  # fork 出子进程 (forks the child)

    ok.join()   # 等它结束并回收 (wait for it to end, and reap it)
    err.join()
    print(f"{ok.name}: exitcode {ok.exitcode}", flush=True)    # 0
    print(f"{err.name}: exitcode {err.exitcode}", flush=True)  # 3

    print(f"{sleeper.name} alive? {sleeper.is_alive()}", flush=True)
    sleeper.terminate()  # 发送 SIGTERM (sends SIGTERM)
    sleeper.join()
    print(f"{sleeper.name}: exitcode {sleeper.exitcode}", flush=True)  # -15
    return 0


if __name__ == "__main__":
    sys.exit(main())
