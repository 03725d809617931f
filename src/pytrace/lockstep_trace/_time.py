"""lockstep_trace._time: time.sleep, traced.

A traced thread's sleep is the probe's (ls_sleep_ms): in a controlled run
it parks as TIMED_WAITING until the virtual clock reaches its deadline, so
a sleep is a step like any other and the same on every run; in a free run
it sleeps for real. An untraced thread sleeps for real, untouched.
"""

import math
import time

from . import _core as C

_real_sleep = time.sleep


def sleep(secs):
    if not C.attached or C.self_id() < 0:
        return _real_sleep(secs)
    if secs < 0:
        raise ValueError("sleep length must be non-negative")
    C.sleep_ms(int(math.ceil(secs * 1000)))


def install():
    time.sleep = sleep
