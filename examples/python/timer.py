"""Timer: a function run once, later, in its own thread.

定时器：稍后在自己的线程里运行一次函数。

Two timers are started; the second is cancelled before it fires.
启动两个定时器；第二个在触发前被取消。
"""
import threading


def ring(who):
    print("ring for", who)


alarm = threading.Timer(0.2, ring, args=("alarm",))
snooze = threading.Timer(0.5, ring, args=("snooze",))
alarm.name, snooze.name = "alarm", "snooze"   # 线程名 / thread names
alarm.start()
snooze.start()
snooze.cancel()                   # 取消 / cancelled: never rings
alarm.join()
snooze.join()
print("done")
