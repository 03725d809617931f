"""Barrier(3) with five threads: three pass, two wait for ever.

屏障 Barrier(3) 配五个线程：三个通过，两个永远等待。

A barrier lets its parties go only when three have arrived. Five threads
arrive: the first three pass together, the last two wait for a third that
never comes. They are daemon threads, so main, after waiting a moment for
each, can say how many wait and end the program.
屏障要等满三个线程到达才放行。五个线程到达：前三个一起通过，
后两个等待永远不会到来的第三个。它们是守护线程，所以主线程
对每个线程稍等片刻之后，可以报告有几个在等待，然后结束程序。
"""
import threading

gate = threading.Barrier(3)


def arrive():
    i = gate.wait()               # 等够三个 / wait for three
    print(threading.current_thread().name, "passed as", i)


threads = [threading.Thread(target=arrive, name="T%d" % i, daemon=True) for i in range(1, 6)]
for t in threads:
    t.start()
for t in threads:
    t.join(timeout=0.5)           # 最多等 0.5 秒 / at most half a second
print("waiting at the barrier:", gate.n_waiting)
