"""multiprocessing's Condition and Barrier between processes: two waiters
wait on a Condition until main sets the flag and notifies all; then three
processes meet at a Barrier(3)."""
import multiprocessing as mp, sys

def waiter(cond, ready, name):
    with cond:
        while not ready.value:
            cond.wait()
        print(f"{name}: go", flush=True)

def runner(bar, name):
    i = bar.wait()
    print(f"{name}: passed {i}", flush=True)

if __name__ == "__main__":
    cond = mp.Condition()
    ready = mp.Value("i", 0)
    ws = [mp.Process(target=waiter, args=(cond, ready, f"W{i}"), name=f"W{i}") for i in (1, 2)]
    for w in ws: w.start()
    with cond:
        ready.value = 1
        cond.notify_all()
    for w in ws: w.join()
    bar = mp.Barrier(3)
    rs = [mp.Process(target=runner, args=(bar, f"R{i}"), name=f"R{i}") for i in (1, 2, 3)]
    for r in rs: r.start()
    for r in rs: r.join()
    print("main: done", flush=True)
