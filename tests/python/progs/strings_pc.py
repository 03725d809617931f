# Items that are not ints, through a queue.Queue, a multiprocessing.Queue
# and a Pipe: lockstep shows each as its short text (repr).
import multiprocessing as mp
import queue
import threading

FRUIT = ["apple", "banana", (1, "x"), "苹果", "a rather long item that cannot fit a record"]

box = queue.Queue(maxsize=2)


def producer():
    for f in FRUIT:
        box.put(f)


def consumer():
    for _ in FRUIT:
        print("got", box.get())


def child(q, conn):
    q.put("cherry")
    conn.send(("pear", 2))
    conn.close()


if __name__ == "__main__":
    ts = [threading.Thread(target=producer, name="producer"),
          threading.Thread(target=consumer, name="consumer")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    mq = mp.Queue()
    rd, wr = mp.Pipe(duplex=False)
    p = mp.Process(target=child, args=(mq, wr), name="child")
    p.start()
    print("mp got", mq.get(), rd.recv())
    p.join()
