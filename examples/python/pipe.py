"""Pipe: two processes, each closing the end it does not use.

管道：multiprocessing.Pipe，两端各在一个进程里。
A pipe: multiprocessing.Pipe, one end in each process.

Pipe() 返回两个连接 (two connections)。child 从自己的一端 send 三条消息，
再发 None 表示结束；parent recv 直到 None，然后回一句话（管道默认是双向的）。
每个进程关掉自己不用的那一端：否则读的一方永远等不到 EOF。
The child sends three messages from its end, then None for "done"; the
parent receives until None, then answers (a Pipe is duplex by default).
Each process closes the end it does not use: otherwise a reader would never
see end-of-file.
"""
# 运行 (run): python3 pipe.py
import multiprocessing as mp
import sys


def child(conn, parent_end):
    parent_end.close()  # 子进程不用父进程那端 (the child does not use the parent's end)
    for word in ("你好", "hello", "再见"):
        conn.send(word)
    conn.send(None)
    print(f"child: parent says {conn.recv()!r}", flush=True)
    conn.close()


def main():
    parent_end, child_end = mp.Pipe()
    p = mp.Process(target=child, args=(child_end, parent_end), name="child")
    p.start()
    child_end.close()  # 父进程不用子进程那端 (the parent does not use the child's end)
    while True:
        msg = parent_end.recv()  # 没有消息时阻塞 (blocks while the pipe is empty)
        if msg is None:
            break
        print(f"parent: got {msg!r}", flush=True)
    parent_end.send("收到 (got it)")
    p.join()
    parent_end.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
