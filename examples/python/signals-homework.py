"""Homework: the driver and the conductor (signals).

作业：售票员和司机 (the homework: the driver and the conductor).

司机是父进程，售票员是子进程。 The driver is the parent; the conductor its child.
  - SIGINT (Ctrl+C): 售票员收到 → 给司机发 SIGUSR1 → 司机打印 “老司机开车了”
    the conductor gets it → SIGUSR1 to the driver, who prints 老司机开车了
  - SIGQUIT (Ctrl+反斜杠, Ctrl+backslash): 售票员收到 → 给司机发 SIGUSR2 →
    司机打印 “系好安全带，小心甩出去”
    the conductor gets it → SIGUSR2 to the driver: 系好安全带，小心甩出去
  - SIGTSTP (Ctrl+Z): 司机收到 → 给售票员发 SIGUSR1 → 售票员打印 “到站了，下车吧”，
    下车（退出） the driver gets it → SIGUSR1 to the conductor, who prints
    到站了，下车吧 and gets off (exits)
售票员先下车，司机等它（waitpid 回收它）之后才结束。
The conductor exits first; the driver waits for it (reaps it) and then ends.
"""
# 终端的 Ctrl+C、Ctrl+反斜杠、Ctrl+Z 发给整个前台进程组，所以各自忽略不归自己管的信号。
# A terminal's Ctrl+C, Ctrl+backslash and Ctrl+Z go to the whole foreground
# process group, so each process ignores the signals that are not its own.
#
# 两种运行方式 (two ways to run it):
#   - 交互 (interactive): 标准输入是终端时 (when stdin is a terminal)，程序等你按
#     这三个键（在 lockstep 里用“发送信号”菜单 `!`，发给整个进程组）。
#     the program waits for you to press the three keys (in lockstep: the
#     send-signal menu, `!`, to the whole group).
#   - 自动 (self-driving): 标准输入不是终端时（比如 `lockstep --headless run`，
#     或 `python3 signals-homework.py < /dev/null`），或者加参数 --auto：
#     程序自己按顺序发这三个信号，每个都在上一句打印之后才发，所以每次输出都一样。
#     when stdin is not a terminal (`lockstep --headless run`, or
#     `python3 signals-homework.py < /dev/null`), or with --auto, the program
#     sends the three signals itself, in order, each only after the previous
#     line was printed, so every run prints the same.
#   --interactive 强制交互 (forces interactive).
import os
import signal
import sys

AUTO = "--auto" in sys.argv or ("--interactive" not in sys.argv and not sys.stdin.isatty())
conductor = 0  # 司机记下售票员的 pid (the driver keeps the conductor's pid)


# ---- 售票员 (the conductor, the child) ----

def conductor_on_int(sig, frame):
    os.kill(os.getppid(), signal.SIGUSR1)  # 开车 (start the bus)


def conductor_on_quit(sig, frame):
    os.kill(os.getppid(), signal.SIGUSR2)  # 提醒乘客 (warn the passengers)


def conductor_on_usr1(sig, frame):
    print("到站了，下车吧", flush=True)
    os._exit(0)  # 下车：售票员先结束 (off the bus: the conductor ends first)


# ---- 司机 (the driver, the parent) ----

def driver_on_usr1(sig, frame):
    print("老司机开车了", flush=True)
    if AUTO:
        os.kill(conductor, signal.SIGQUIT)  # 自动：第二个信号 (self-driving: the second signal)


def driver_on_usr2(sig, frame):
    print("系好安全带，小心甩出去", flush=True)
    if AUTO:
        os.kill(os.getpid(), signal.SIGTSTP)  # 自动：第三个信号 (self-driving: the third)


def driver_on_tstp(sig, frame):
    os.kill(conductor, signal.SIGUSR1)  # 到站 (we have arrived)


def main():
    global conductor
    # 在 fork 之前装好售票员的处理函数：子进程从第一条指令起就有它们，
    # 信号来得再早也不会错过（也不会按默认动作把它杀死）。
    # Install the conductor's handlers before fork: the child has them from
    # its first instruction, so no signal can come too early (and kill it by
    # its default action).
    signal.signal(signal.SIGINT, conductor_on_int)
    signal.signal(signal.SIGQUIT, conductor_on_quit)
    signal.signal(signal.SIGUSR1, conductor_on_usr1)
    signal.signal(signal.SIGTSTP, signal.SIG_IGN)  # ^Z 是司机的 (^Z is the driver's)

    conductor = os.fork()
    if conductor == 0:
        while True:          # 售票员等信号；SIGUSR1 的处理函数让它退出
            signal.pause()   # the conductor waits for signals; SIGUSR1's handler ends it

    # 司机：换成自己的处理函数 (the driver: its own handlers)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # ^C 是售票员的 (the conductor's)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)  # ^\ 也是 (so is ^\)
    signal.signal(signal.SIGUSR1, driver_on_usr1)
    signal.signal(signal.SIGUSR2, driver_on_usr2)
    signal.signal(signal.SIGTSTP, driver_on_tstp)
    print(f"driver {os.getpid()}, conductor {conductor}: "
          + ("self-driving" if AUTO else "press Ctrl+C, Ctrl+backslash, then Ctrl+Z"), flush=True)
    if AUTO:
        os.kill(conductor, signal.SIGINT)  # 自动：第一个信号 (self-driving: the first signal)
    # 司机等售票员下车。等待中信号来了，处理函数照样运行，然后接着等。
    # The driver waits for the conductor to get off; signals that come
    # meanwhile run their handlers, and the wait goes on.
    _, status = os.waitpid(conductor, 0)
    print(f"司机：售票员下车了 (the conductor got off, status "
          f"{os.waitstatus_to_exitcode(status)})，我也下班了 (and I am done)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
