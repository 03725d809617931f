"""JoinableQueue: join() waits for every task_done().

JoinableQueue：task_done 和 join (a JoinableQueue: task_done and join).

main 放 6 个任务，两个工作进程取出来做，每做完一个就 task_done()。
q.join() 一直等到每个放进去的任务都被 task_done() 过，
然后 main 给每个工作进程放一个 None，让它们结束。
main puts six jobs; two worker processes get and do them, calling
task_done() after each. q.join() waits until every job put has been marked
done; then main puts one None per worker to stop them.
"""
# 运行 (run): python3 joinable-queue.py
import multiprocessing as mp
import sys


def worker(q, name):
    while True:
        job = q.get()
        if job is None:
            q.task_done()
            break
        print(f"{name}: job {job} -> {job * 10}", flush=True)
        q.task_done()  # 告诉队列这个任务做完了 (tell the queue this job is done)


def main():
    q = mp.JoinableQueue()
    workers = [mp.Process(target=worker, args=(q, f"W{i}"), name=f"W{i}") for i in (1, 2)]
    for w in workers:
        w.start()
    for job in range(1, 7):
        q.put(job)
    q.join()  # 等所有任务都 task_done (wait until every job is done)
    print("main: all 6 jobs done", flush=True)
    for _ in workers:
        q.put(None)
    for w in workers:
        w.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
