"""Pool.imap and imap_unordered, then close() and join(): every task is
taken by a worker, every result got by main, every worker told there is no
more work."""
import multiprocessing as mp


def cube(x):
    return x * x * x


if __name__ == "__main__":
    pool = mp.Pool(2)
    print("imap:", list(pool.imap(cube, range(5))), flush=True)
    print("imap_unordered:", sorted(pool.imap_unordered(cube, range(4), chunksize=2)), flush=True)
    pool.close()
    pool.join()
    print("main: done", flush=True)
