"""Producer-consumer: a queue.Queue of 3 slots between two threads.

生产者-消费者：两个线程之间一个容量为 3 的 queue.Queue。

The producer puts 1..8 and then None (the end); the consumer takes items
until None. A full queue makes the producer wait, an empty one the
consumer. No item is lost and none is taken twice.
生产者放入 1..8，最后放入 None 表示结束；消费者一直取到 None。
队列满时生产者等待，队列空时消费者等待。不丢失也不重复任何一项。
"""
import queue
import threading

buffer = queue.Queue(maxsize=3)   # 缓冲区，最多 3 项 / at most 3 items
N = 8


def producer():
    for i in range(1, N + 1):
        buffer.put(i)             # 满了就等 / waits while full
        print("put", i)
    buffer.put(None)              # 结束标记 / the end


def consumer():
    total = 0
    while True:
        item = buffer.get()       # 空了就等 / waits while empty
        if item is None:
            break
        total += item
        print("got", item)
    print("consumer total", total)


p = threading.Thread(target=producer, name="producer")
c = threading.Thread(target=consumer, name="consumer")
p.start()
c.start()
p.join()
c.join()
