"""Thread names: current_thread, enumerate and active_count.

线程名：current_thread、enumerate 和 active_count。

Three named threads start and wait on an Event; main lists who is alive,
then lets them finish.
三个命名线程启动后在 Event 上等待；主线程列出存活的线程，
然后让它们结束。
"""
import threading

done = threading.Event()


def worker():
    me = threading.current_thread()
    print("I am", me.name)
    done.wait()


threads = [threading.Thread(target=worker, name=name) for name in ("alice", "bob", "carol")]
for t in threads:
    t.start()
print("main is", threading.current_thread().name)
print("alive:", threading.active_count())
print("names:", sorted(t.name for t in threading.enumerate()))
done.set()
for t in threads:
    t.join()
print("alive at the end:", threading.active_count())
