"""A program that holds named semaphores and a child process until it is
killed: the spawn context's Lock and Semaphore live in /dev/shm as
sem.mp-* until unlinked (by the resource tracker, which ignores SIGTERM),
and a forked child holds a lock. Prints their names, then waits."""
import multiprocessing as mp
import time


def hold(lock):
    with lock:
        print("holder holds", flush=True)
        time.sleep(600)


if __name__ == "__main__":
    spawn = mp.get_context("spawn")
    a = spawn.Lock()
    b = spawn.Semaphore(2)
    print("names", a._semlock.name, b._semlock.name, flush=True)
    lock = mp.Lock()
    p = mp.Process(target=hold, args=(lock,), name="holder")
    p.start()
    time.sleep(600)
