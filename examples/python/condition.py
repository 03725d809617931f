"""Condition: two threads print 1..6 in turn, odd and even.

条件变量：两个线程轮流打印 1..6，一个打印奇数，一个打印偶数。

Each waits on `turn` until the number is its kind, prints it, adds one
and notifies the other.
每个线程在 turn 上等待，直到当前数字轮到自己，打印它，
加一，然后通知对方。
"""
import threading

turn = threading.Condition()
number = 1
LAST = 6


def printer(parity):
    global number
    with turn:
        while number <= LAST:
            while number <= LAST and number % 2 != parity:
                turn.wait()               # 还没轮到我 / not my turn
            if number <= LAST:
                print(threading.current_thread().name, number)
                number += 1
                turn.notify()             # 轮到对方 / your turn


odd = threading.Thread(target=printer, args=(1,), name="odd")
even = threading.Thread(target=printer, args=(0,), name="even")
odd.start()
even.start()
odd.join()
even.join()
