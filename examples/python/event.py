"""Event: three threads wait until the starter sets the flag.

事件：三个线程等待发令者设置标志。

The runners wait on `go`; the starter sleeps, then sets it, and every
runner waiting at that moment goes on.
跑者在 go 上等待；发令者先睡一会儿再设置它，
此刻在等待的跑者全部继续。
"""
import threading
import time

go = threading.Event()


def runner():
    go.wait()                     # 等发令 / wait for the start
    print(threading.current_thread().name, "runs")


def starter():
    time.sleep(0.1)
    print("ready, set...")
    go.set()                      # 发令 / go!


threads = [threading.Thread(target=runner, name="R%d" % i) for i in range(1, 4)]
threads.append(threading.Thread(target=starter, name="starter"))
for t in threads:
    t.start()
for t in threads:
    t.join()
