"""lockstep_trace._futures: concurrent.futures.ThreadPoolExecutor and its
futures, traced.

A pool the program makes gets a traced work queue (POOL.work: its idle
workers are seen waiting on get, as in the C pool scene), its worker
threads are traced workers (named as CPython names them,
ThreadPoolExecutor-0_0...), and each future submit() returns is an object
(named after the variable it is assigned to) whose set_result a worker
announces and whose result() the program waits on, at its gate.

concurrent.futures.wait() and as_completed() wait on a waiter CPython
installs on each future, whose threading.Event the future that completes
sets (under its own condition). For futures that are all traced, that
event becomes a traced one, one object per waiting thread
("futures:main"): the wait is a wait on it, at the gate (timed in
virtual time in a controlled run), and the set a record of the step that
completed the future (set_result's, cancel's), with no gate of its own:
the setter holds the future's real condition there, and a gate would
park it holding a lock the program's next step may need.
"""

import threading

import concurrent.futures._base as _base
import concurrent.futures.thread as _thread_mod

from . import _core as C
from . import _queue as Q
from . import _threading as T
from ._names import object_name

_Pool = _thread_mod.ThreadPoolExecutor
_real_init = _Pool.__init__
_real_adjust = _Pool._adjust_thread_count
_real_submit = _Pool.submit
_real_shutdown = _Pool.shutdown
_real_future_init = _base.Future.__init__
_real_set_result = _base.Future.set_result
_real_set_exception = _base.Future.set_exception
_real_result = _base.Future.result


def _init(self, *args, **kw):
    _real_init(self, *args, **kw)
    if T._traced_here():
        name = object_name("pool", 2)
        q = object.__new__(Q.SimpleQueue)
        Q.SimpleQueue.__init__(q, name=name + ".work")
        self._work_queue = q
        self._ls_traced = True


def _adjust_thread_count(self):
    if not getattr(self, "_ls_traced", False):
        return _real_adjust(self)
    T._tls.trace_starts = True
    try:
        _real_adjust(self)
    finally:
        T._tls.trace_starts = False


def _shutdown(self, wait=True, *, cancel_futures=False):
    """CPython joins a pool's threads in the order of a set, which is their
    addresses': a schedule would not repeat. A traced pool joins them in
    the order they started."""
    if not getattr(self, "_ls_traced", False):
        return _real_shutdown(self, wait, cancel_futures=cancel_futures)
    _real_shutdown(self, False, cancel_futures=cancel_futures)
    if wait:
        for t in sorted(self._threads, key=lambda t: getattr(t, "_ls_id", 0)):
            t.join()


def _submit(self, fn, *args, **kwargs):
    if not getattr(self, "_ls_traced", False) or C.self_id() < 0:
        return _real_submit(self, fn, *args, **kwargs)
    # declared before the work is queued: a worker may finish it at once
    T._tls.next_future = C.declare_object(C.OBJ.FUTURE, object_name("Future", 1), 0, 0, -1)
    try:
        return _real_submit(self, fn, *args, **kwargs)
    finally:
        T._tls.next_future = None


def _future_init(self):
    _real_future_init(self)
    fid = getattr(T._tls, "next_future", None)
    if fid is not None:
        self._ls_id = fid
        T._tls.next_future = None


def _value(v):
    i = Q._int_of(v)
    return 0 if i is None else i


def _set_result(self, result):
    fid = getattr(self, "_ls_id", None)
    if fid is None or C.self_id() < 0:
        return _real_set_result(self, result)
    v = _value(result)
    C.gate_emit(C.OP.FUTURE_SET, fid, v, C.EV.DONE, C.OP.FUTURE_SET, v)
    C.flush()
    _real_set_result(self, result)


def _set_exception(self, exc):
    fid = getattr(self, "_ls_id", None)
    if fid is None or C.self_id() < 0:
        return _real_set_exception(self, exc)
    C.gate_emit(C.OP.FUTURE_SET, fid, 0, C.EV.DONE, C.OP.FUTURE_SET, 0)
    C.flush()
    _real_set_exception(self, exc)


def _result(self, timeout=None):
    fid = getattr(self, "_ls_id", None)
    if fid is None or C.self_id() < 0:
        return _real_result(self, timeout)
    C.gate(C.OP.FUTURE_GET, fid, C.ms_of(timeout))

    def block(s):
        with self._condition:
            if not self.done():
                self._condition.wait(s)
            return self.done()
    if not C.blocking(C.OP.FUTURE_GET, fid, self.done, block, timeout):
        C.end_op(C.EV.TIMEOUT, fid, C.OP.FUTURE_GET)
        raise _base.TimeoutError()
    v = 0
    if not self.cancelled() and self.exception(0) is None:
        v = _value(self._result)
    C.end_op(C.EV.DONE, fid, C.OP.FUTURE_GET, v)
    return _real_result(self, 0)


# ---- wait() and as_completed() ----

_real_install_waiters = _base._create_and_install_waiters
_wait_events = {}  # worker id -> (object id, its last _WaitEvent)


class _WaitEvent(T.Event):
    """A waiter's event: a traced Event on the waiting thread's object
    whose set() and clear() are records without a gate (see above)."""

    def __new__(cls, eid):
        return object.__new__(cls)

    def __init__(self, eid):
        self._real = T._RealEvent()
        self._gen = 0
        self._ls_id = eid

    def set(self):
        if C.self_id() >= 0:
            C.emit(C.EV.DONE, self._ls_id, C.OP.EVENT_SET, 1)
            C.flush()
        self._gen += 1
        self._real.set()

    def clear(self):
        if C.self_id() >= 0 and self._real.is_set():
            C.emit(C.EV.DONE, self._ls_id, C.OP.EVENT_CLEAR, 0)
        self._real.clear()


def _create_and_install_waiters(fs, return_when):
    """Called by wait() and as_completed() holding every future's
    condition: no future can set the waiter's event until they return."""
    waiter = _real_install_waiters(fs, return_when)
    me = C.self_id()
    if me < 0 or not fs or not all(getattr(f, "_ls_id", None) is not None for f in fs):
        return waiter
    known = _wait_events.get(me)
    if known is None:
        t = threading.current_thread()
        name = "futures:" + ("main" if t is threading.main_thread() else t.name)
        known = (C.declare_object(C.OBJ.EVENT, name, 0, 0, -1), None)
    eid, last = known
    if last is not None:
        last.clear()  # the model's flag is the new waiter's: unset
    ev = _WaitEvent(eid)
    _wait_events[me] = (eid, ev)
    waiter.event = ev
    return waiter


def install():
    _Pool.__init__ = _init
    _Pool._adjust_thread_count = _adjust_thread_count
    _Pool.submit = _submit
    _Pool.shutdown = _shutdown
    _base.Future.__init__ = _future_init
    _base.Future.set_result = _set_result
    _base.Future.set_exception = _set_exception
    _base.Future.result = _result
    _base._create_and_install_waiters = _create_and_install_waiters
