# A Python signal handler runs while the main thread is parked at its gate:
# main waits for L, held by T, who waits for the event only main's SIGINT
# handler sets. Unless the handler runs at main's gate, nobody moves again.
import signal
import threading

L = threading.Lock()
go = threading.Event()


def on_int(sig, frame):
    print("handler ran", flush=True)
    go.set()


def holder():
    with L:
        go.wait()


signal.signal(signal.SIGINT, on_int)
T = threading.Thread(target=holder, name="T")
T.start()
with L:
    print("main got L", flush=True)
T.join()
