"""Two locks made on one line, as quick demos write them: each is named by
its own variable (a and b), not both by the line's first (a and a#2). The
schedule T1,T2,T1,T2 deadlocks it."""
import threading

a = threading.Lock(); b = threading.Lock()  # noqa: E702


def t1():
    with a:
        with b:
            pass


def t2():
    with b:
        with a:
            pass


x = threading.Thread(target=t1, name="T1"); y = threading.Thread(target=t2, name="T2")  # noqa: E702
x.start(); y.start(); x.join(); y.join()  # noqa: E702
