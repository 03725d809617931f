"""Daemon process: terminated when main ends.

守护进程：主进程结束时，守护子进程被自动终止。
A daemon process: when the main process ends, its daemon children are
terminated for it.

heartbeat 是守护进程 (daemon=True)，永远每 0.1 秒跳一次；
worker 是普通子进程，做完三步就结束。主进程 join worker 后返回：
multiprocessing 在退出时 terminate 所有还活着的守护进程，
然后 join 它们，所以程序不会被守护进程拖住，也不会留下僵尸。
heartbeat is a daemon (daemon=True) that beats every 0.1 s for ever;
worker is an ordinary child that ends after three steps. main joins the
worker and returns: at exit multiprocessing terminates every daemon still
alive and joins it, so the daemon never keeps the program alive, and
leaves no zombie. (A daemon process may not start children of its own.)
"""
# 运行 (run): python3 daemon.py
import multiprocessing as mp
import sys
import time


def heartbeat():
    n = 0
    while True:  # 永不结束 (never ends by itself)
        n += 1
        print(f"heartbeat: {n}", flush=True)
        time.sleep(0.1)


def work():
    for step in range(1, 4):
        print(f"worker: step {step}", flush=True)
        time.sleep(0.15)
    print("worker: 完成 (done)", flush=True)


def main():
    hb = mp.Process(target=heartbeat, name="heartbeat", daemon=True)
    w = mp.Process(target=work, name="worker")
    hb.start()
    w.start()
    print(f"main: {hb.name} daemon={hb.daemon}, {w.name} daemon={w.daemon}", flush=True)
    w.join()
    print("main: worker 结束了，我也结束；守护进程随我而去 "
          "(the worker is done; I end, and the daemon goes with me)", flush=True)
    return 0  # 退出时 heartbeat 被 terminate (heartbeat is terminated at exit)


if __name__ == "__main__":
    sys.exit(main())
