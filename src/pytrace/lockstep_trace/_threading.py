"""lockstep_trace._threading: threading, traced.

Thread is patched in place (start, join, the bootstrap), so the program's
own subclasses are traced too; Lock, RLock, Condition, Semaphore,
BoundedSemaphore, Event, Barrier and local are replaced in the threading
module by traced versions that hold the real primitive and report what a C
scene's primitive reports (src/probe.c, src/probe_sync.c). An object the
standard library creates for itself (a Queue's mutex, a Thread's start
Event) stays the real primitive: only the program's own objects are
traced (_names.user_frame).

Barrier is the one exception to "hold the real primitive": CPython's
Barrier waits inside its Condition, where a controlled run cannot park a
thread, so the traced Barrier is CPython's algorithm (a count and a
generation) over a real Lock and Condition, as the C probe's barrier is.
"""

import _thread
import sys
import threading

from . import _core as C
from ._names import object_name, user_frame

_real_allocate_lock = _thread.allocate_lock
_RealRLock = threading._CRLock or threading._PyRLock
_RealCondition = threading.Condition
_RealSemaphore = threading.Semaphore
_RealBoundedSemaphore = threading.BoundedSemaphore
_RealEvent = threading.Event
_RealBarrier = threading.Barrier
_RealLocal = threading.local
_real_start = threading.Thread.start
_real_join = threading.Thread.join
_real_bootstrap_inner = threading.Thread._bootstrap_inner
_real_timer_init = threading.Timer.__init__

_tls = _thread._local()  # our own per-thread state (never a traced local)


def _traced_here(depth=2):
    """Create a traced object? Only under lockstep, from the program's own
    code, in a traced thread."""
    return C.attached and C.self_id() >= 0 and user_frame(depth)


def _timeout_of(blocking, timeout):
    """threading's (blocking, timeout) as the skeleton's timeout."""
    if not blocking:
        return 0
    if timeout is None or timeout < 0:
        return None
    return timeout


# ---- Thread ----

def _start(self):
    if C.attached and C.self_id() >= 0 and getattr(self, "_ls_id", None) is None and \
            (user_frame(1) or getattr(_tls, "trace_starts", False)):
        flags = C.WF_DAEMON if self.daemon else 0
        wid = C.declare_worker(self.name, C.WK_THREAD, flags)
        self._ls_id = wid
        C.spawned(wid, _pid())
    return _real_start(self)


def _pid():
    import os
    return os.getpid()


def _bootstrap_inner(self):
    wid = getattr(self, "_ls_id", None)
    if wid is None:
        return _real_bootstrap_inner(self)
    C.begin(wid)
    try:
        _real_bootstrap_inner(self)
    finally:
        C.end(getattr(self, "_ls_code", 0))


def _join(self, timeout=None):
    wid = getattr(self, "_ls_id", None)
    if wid is None or C.self_id() < 0 or self is threading.current_thread():
        return _real_join(self, timeout)
    if not self._started.is_set():
        raise RuntimeError("cannot join thread before it is started")
    C.gate(C.OP.JOIN, -1, wid)
    if timeout is None:
        C.join_wait(wid)
        _real_join(self)
    else:
        def try_():
            return C.exited(wid) != 0

        def block(s):
            _real_join(self, s)
            return not self.is_alive()
        if not C.blocking(C.OP.JOIN, -1, try_, block, max(timeout, 0), aux=wid):
            C.end_op(C.EV.TIMEOUT, -1, C.OP.JOIN)
            return None
        _real_join(self)
    C.end_op(C.EV.DONE, -1, C.OP.JOIN, 0, wid)


def _excepthook(args, _real=threading.excepthook):
    t = args.thread
    if t is not None and getattr(t, "_ls_id", None) is not None:
        t._ls_code = 1  # the thread's body raised: it ends with code 1
    _real(args)


def _timer_init(self, interval, function, args=None, kwargs=None):
    """A Timer's wait is its `finished` Event, which threading makes for
    itself (a real one, waited on in real time): a Timer of the program's
    gets a traced one, so its delay is virtual in a controlled run and
    cancel() is an operation the class sees."""
    _real_timer_init(self, interval, function, args, kwargs)
    if _traced_here():
        ev = object.__new__(Event)
        Event.__init__(ev, name=object_name("Timer", 1) + ".finished")
        self.finished = ev


# ---- Lock ----

class Lock(object):
    """A traced threading.Lock: a real _thread.lock inside."""
    __slots__ = ("_real", "_ls_id", "__weakref__")
    _kind_word = "Lock"

    def __init__(self, name=None):
        self._real = _real_allocate_lock()
        self._ls_id = C.declare_object(C.OBJ.MUTEX, name or object_name("Lock", 2), 0, 0, -1)

    def acquire(self, blocking=True, timeout=-1):
        if _wtls.w < 0:
            return self._real.acquire(blocking, timeout)
        real, lid = self._real, self._ls_id
        if blocking and timeout == -1:  # the common case, kept short (the benchmark)
            if not _gate_try(_LOCK, lid, -1):
                C.gate_slow(_LOCK, lid, -1)
            if real.acquire(False) or C.blocking(_LOCK, lid, lambda: real.acquire(False),
                                                 lambda s: real.acquire(True, s), None):
                _done(_ACQUIRED, lid, _LOCK, 1)
                return True
        t = _timeout_of(blocking, timeout)
        op = C.OP.LOCK if blocking else C.OP.TRYLOCK
        C.gate(op, lid, C.ms_of(t))
        if C.blocking(op, lid, lambda: real.acquire(False), lambda s: real.acquire(True, s), t):
            C.end_op(C.EV.ACQUIRED, lid, op, 1)
            return True
        C.end_op(C.EV.DONE if op == C.OP.TRYLOCK else C.EV.TIMEOUT, lid, op, 0)
        return False

    def release(self):
        if _wtls.w < 0 or not self._real.locked():
            return self._real.release()  # raises on an unlocked lock
        if not _gate_emit_try(_UNLOCK, self._ls_id, 0, _RELEASED, _UNLOCK, 0):
            C.gate_emit_slow(_UNLOCK, self._ls_id, 0, _RELEASED, _UNLOCK, 0)
        self._real.release()

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()

    def locked(self):
        return self._real.locked()

    def _at_fork_reinit(self):
        self._real._at_fork_reinit()

    def __repr__(self):
        return "<traced %s %s>" % ("locked" if self._real.locked() else "unlocked",
                                   type(self).__name__)

    # for Condition: release every level, and win them back
    def _is_owned(self):
        return self._real.locked()

    def _ls_count(self):
        return 1

    def _ls_release_all(self):
        C.emit(C.EV.RELEASED, self._ls_id, C.OP.COND_WAIT, 0)
        return 1

    def _ls_real_release(self, saved):
        self._real.release()

    def _ls_restore(self, saved, seconds):
        """seconds None: try once; else block at most that long."""
        if seconds is None:
            return self._real.acquire(False)
        return self._real.acquire(True, seconds)


def _lock_factory(*args, **kw):
    if _traced_here():
        return Lock(*args, **kw)
    return _real_allocate_lock()


class RLock(object):
    """A traced threading.RLock: a real RLock inside, the hold count shown."""
    __slots__ = ("_real", "_ls_id", "_count", "__weakref__")

    def __init__(self, name=None):
        self._real = _RealRLock()
        self._count = 0
        self._ls_id = C.declare_object(C.OBJ.RLOCK, name or object_name("RLock", 2), 0, 0, -1)

    def acquire(self, blocking=True, timeout=-1):
        if C.self_id() < 0:
            return self._real.acquire(blocking, timeout)
        t = _timeout_of(blocking, timeout)
        C.gate(C.OP.LOCK, self._ls_id, C.ms_of(t))
        real = self._real
        if C.blocking(C.OP.LOCK, self._ls_id, lambda: real.acquire(False),
                      lambda s: real.acquire(True, s), t):
            self._count += 1
            C.end_op(C.EV.ACQUIRED, self._ls_id, C.OP.LOCK, self._count)
            return True
        C.end_op(C.EV.TIMEOUT, self._ls_id, C.OP.LOCK, 0)
        return False

    def release(self):
        if C.self_id() < 0 or not self._real._is_owned():
            return self._real.release()  # raises: not the owner
        C.gate_emit(C.OP.UNLOCK, self._ls_id, 0, C.EV.RELEASED, C.OP.UNLOCK, self._count - 1)
        self._count -= 1
        self._real.release()

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()

    def _at_fork_reinit(self):
        self._real._at_fork_reinit()
        self._count = 0

    def __repr__(self):
        return "<traced RLock count=%d>" % self._count

    def _is_owned(self):
        return self._real._is_owned()

    def _ls_count(self):
        return self._count

    def _ls_release_all(self):
        C.emit(C.EV.RELEASED, self._ls_id, C.OP.COND_WAIT, 0)
        n, self._count = self._count, 0
        return n

    def _ls_real_release(self, saved):
        for _ in range(saved):
            self._real.release()

    def _ls_restore(self, saved, seconds):
        ok = self._real.acquire(False) if seconds is None else self._real.acquire(True, seconds)
        if ok:
            for _ in range(saved - 1):
                self._real.acquire(False)
            self._count = saved
        return ok


def _rlock_factory(*args, **kw):
    if _traced_here():
        return RLock(*args, **kw)
    return _RealRLock(*args, **kw)


# ---- Condition ----

class Condition(object):
    """A traced threading.Condition, CPython's way: each waiter has its own
    place in line (here its notify word in the probe), notify wakes the
    first, so who wakes is known and shown."""

    def __new__(cls, lock=None):
        if not (_traced_here() and (lock is None or isinstance(lock, (Lock, RLock)))):
            return _RealCondition(lock)
        return object.__new__(cls)

    def __init__(self, lock=None):
        name = object_name("Condition", 2)
        if lock is None:  # CPython's default: an RLock of its own
            lock = RLock(name=name + ".lock")
        self._lock = lock
        self._q = []
        self._ls_id = C.declare_object(C.OBJ.COND, name, 0, 0, lock._ls_id)
        self.acquire = lock.acquire
        self.release = lock.release

    @classmethod
    def _made(cls, lock, name):
        """A traced condition lockstep_trace makes itself (a queue's
        all_done), named by its maker."""
        self = object.__new__(cls)
        self._lock = lock
        self._q = []
        self._ls_id = C.declare_object(C.OBJ.COND, name, 0, 0, lock._ls_id)
        self.acquire = lock.acquire
        self.release = lock.release
        return self

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def __repr__(self):
        return "<traced Condition(%r, %d)>" % (self._lock, len(self._q))

    def _is_owned(self):
        return self._lock._is_owned()

    def _dequeue(self, w):
        try:
            self._q.remove(w)
        except ValueError:
            pass

    def wait(self, timeout=None):
        if not self._lock._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        me = C.self_id()
        if me < 0:
            raise RuntimeError("lockstep: a thread lockstep does not trace waits on a traced Condition")
        lock, cid, lid = self._lock, self._ls_id, self._lock._ls_id
        if timeout is not None and timeout < 0:
            timeout = 0
        C.gate(C.OP.COND_WAIT, cid, C.ms_of(timeout))
        self._q.append(me)
        C.notified_reset()
        saved = lock._ls_release_all()
        vdl = C.vdeadline_after(timeout) if timeout is not None else 0
        rdl = C.now_ns() + int(timeout * 1e9) if timeout is not None else 0
        holding, timed_out, rewait = True, False, False
        EV, OP = C.EV, C.OP
        while True:
            picked = C.notified() or timed_out
            if picked and holding:
                break
            if C.stepping():
                rewait = False
                if picked:
                    if lock._ls_restore(saved, None):
                        holding = True
                        continue
                    C.emit(EV.BLOCKED, lid, OP.LOCK, 1, 0, 0)
                else:
                    if vdl and C.vclock() >= vdl:
                        self._dequeue(me)  # the only one moving: safe
                        timed_out = True
                        C.emit(EV.TIMEOUT, cid, OP.COND_WAIT)
                        continue
                    C.emit(EV.BLOCKED, cid, OP.COND_WAIT, 1, vdl, lid)
                # release before the BLOCKED goes out: once the engine sees
                # this worker parked it may grant the lock to another
                if holding:
                    lock._ls_real_release(saved)
                    holding = False
                C.flush()
                C.gate_wait()
                continue
            now = C.now_ns()
            late = rdl and now >= rdl
            if holding and not picked and late:
                self._dequeue(me)
                timed_out = True
                C.emit(EV.TIMEOUT, cid, OP.COND_WAIT)
                continue
            if not holding and (picked or late):
                if not rewait:
                    C.emit(EV.BLOCKED, lid, OP.LOCK, 0, 0, 0)
                    C.flush()
                holding = lock._ls_restore(saved, C.WATCHDOG_S)
                rewait = not holding
                if not holding:
                    C.stop_if_stopping()
                continue
            if holding:
                C.emit(EV.BLOCKED, cid, OP.COND_WAIT, 0, rdl - C.t0_ns() if rdl else 0, lid)
                C.flush()
                lock._ls_real_release(saved)
                holding = False
            C.wait_notified(min(C.WATCHDOG_S, (rdl - now) / 1e9) if rdl else None)
        if isinstance(lock, RLock):
            lock._count = saved
        C.end_op(EV.ACQUIRED, lid, OP.LOCK, lock._ls_count())
        return not timed_out

    def wait_for(self, predicate, timeout=None):
        # CPython's own loop, over our wait
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = _monotonic() + waittime
                else:
                    waittime = endtime - _monotonic()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        self._notify(n, C.OP.COND_SIGNAL)

    def notify_all(self):
        self._notify(len(self._q) + 1 if self._q else 1, C.OP.COND_BROADCAST)

    notifyAll = notify_all

    def _notify(self, n, op):
        if not self._lock._is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        cid = self._ls_id
        if C.self_id() < 0:
            while self._q and n > 0:
                C.notify_worker(self._q.pop(0))
                n -= 1
            return
        C.gate(op, cid, 0)
        if not self._q:
            C.emit(C.EV.NOTIFY, cid, op, -1)
        while self._q and n > 0:
            w = self._q.pop(0)
            C.notify_worker(w)
            C.emit(C.EV.NOTIFY, cid, op, w)
            n -= 1
        C.flush()


def _monotonic():
    import time
    return time.monotonic()


# ---- Semaphore ----

def _real_semaphore(bounded, value):
    """A real Semaphore or BoundedSemaphore. Python 3.11's BoundedSemaphore
    calls Semaphore.__init__ by the module's global name, which is ours
    once threading is patched (the real one would run our __init__ and
    fail): it is made here as its __init__ makes it, a Semaphore and then
    its bound."""
    r = _RealSemaphore(value)
    if bounded:
        r.__class__ = _RealBoundedSemaphore
        r._initial_value = value
    return r


class Semaphore(object):
    """A traced threading.Semaphore: the real one inside, its value shown."""
    _bounded = False

    def __new__(cls, value=1):
        if not _traced_here():
            return _real_semaphore(cls._bounded, value)
        return object.__new__(cls)

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._real = _real_semaphore(self._bounded, value)
        word = "BoundedSemaphore" if self._bounded else "Semaphore"
        self._ls_id = C.declare_object(C.OBJ.SEM, object_name(word, 2), value, value, -1)
        self._initial = value

    def acquire(self, blocking=True, timeout=None):
        if C.self_id() < 0:
            return self._real.acquire(blocking, timeout)
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        t = _timeout_of(blocking, timeout)
        sid, real = self._ls_id, self._real
        C.gate(C.OP.SEM_WAIT, sid, C.ms_of(t))
        if C.blocking(C.OP.SEM_WAIT, sid, lambda: real.acquire(False),
                      lambda s: real.acquire(True, s), t):
            C.end_op(C.EV.ACQUIRED, sid, C.OP.SEM_WAIT, real._value)
            return True
        C.end_op(C.EV.TIMEOUT, sid, C.OP.SEM_WAIT)
        return False

    __enter__ = acquire

    def release(self, n=1):
        if n < 1:
            raise ValueError("n must be one or more")
        if C.self_id() < 0:
            return self._real.release(n)
        if self._bounded and self._real._value + n > self._initial:
            raise ValueError("Semaphore released too many times")
        sid = self._ls_id
        C.gate(C.OP.SEM_POST, sid, 0)
        v = self._real._value
        for i in range(n):
            C.emit(C.EV.RELEASED, sid, C.OP.SEM_POST, v + i + 1)
        C.flush()
        self._real.release(n)

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        return "<traced %s value=%d>" % (type(self).__name__, self._real._value)

    @property
    def _value(self):
        return self._real._value


class BoundedSemaphore(Semaphore):
    _bounded = True


# ---- Event ----

class Event(object):
    """A traced threading.Event: the real one inside, its flag shown. A
    waiter present at a set() goes on even if the flag is cleared before
    it runs, as CPython's does (a generation count)."""

    def __new__(cls):
        if not _traced_here():
            return _RealEvent()
        return object.__new__(cls)

    def __init__(self, name=None):
        self._real = _RealEvent()
        self._gen = 0
        self._ls_id = C.declare_object(C.OBJ.EVENT, name or object_name("Event", 2), 0, 0, -1)

    def is_set(self):
        return self._real.is_set()

    isSet = is_set

    def set(self):
        if C.self_id() < 0:
            self._gen += 1
            return self._real.set()
        C.gate_emit(C.OP.EVENT_SET, self._ls_id, 0, C.EV.DONE, C.OP.EVENT_SET, 1)
        C.flush()
        self._gen += 1
        self._real.set()

    def clear(self):
        if C.self_id() < 0:
            return self._real.clear()
        C.gate(C.OP.EVENT_CLEAR, self._ls_id, 0)
        self._real.clear()
        C.end_op(C.EV.DONE, self._ls_id, C.OP.EVENT_CLEAR, 0)

    def wait(self, timeout=None):
        if C.self_id() < 0:
            return self._real.wait(timeout)
        eid, real, gen = self._ls_id, self._real, self._gen
        if timeout is not None and timeout < 0:
            timeout = 0
        C.gate(C.OP.EVENT_WAIT, eid, C.ms_of(timeout))

        def try_():
            return real.is_set() or self._gen != gen

        def block(s):
            return real.wait(s) or self._gen != gen
        if C.blocking(C.OP.EVENT_WAIT, eid, try_, block, timeout):
            C.end_op(C.EV.DONE, eid, C.OP.EVENT_WAIT, 1)
            return True
        C.end_op(C.EV.TIMEOUT, eid, C.OP.EVENT_WAIT)
        return False

    def _at_fork_reinit(self):
        self._real._at_fork_reinit()

    def __repr__(self):
        return "<traced Event %s>" % ("set" if self._real.is_set() else "unset")


# ---- Barrier ----

class Barrier(object):
    """A traced threading.Barrier: CPython's algorithm (a count and a
    generation) over a real Lock and Condition, so a controlled run can
    park a waiter at its gate (see the module's docstring)."""

    def __new__(cls, parties, action=None, timeout=None):
        if not _traced_here():
            return _RealBarrier(parties, action, timeout)
        return object.__new__(cls)

    def __init__(self, parties, action=None, timeout=None):
        if parties < 1:
            raise ValueError("parties must be > 0")
        self._m = _real_allocate_lock()
        self._cond = _RealCondition(self._m)
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._count = 0
        self._gen = 0
        self._broken = False
        self._ls_id = C.declare_object(C.OBJ.BARRIER, object_name("Barrier", 2), 0, parties, -1)

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        bid = self._ls_id
        if C.self_id() < 0:
            raise RuntimeError("lockstep: a thread lockstep does not trace waits on a traced Barrier")
        C.gate(C.OP.BARRIER_WAIT, bid, C.ms_of(timeout))
        with self._m:
            if self._broken:
                raise threading.BrokenBarrierError
            mygen = self._gen
            index = self._count
            self._count += 1
            if self._count == self._parties:
                # the last to arrive runs the action, trips it, lets all go
                if self._action:
                    try:
                        self._action()
                    except BaseException:
                        self._break()
                        raise
                self._count = 0
                self._gen += 1
                C.emit(C.EV.DONE, bid, C.OP.BARRIER_WAIT, self._gen, 1, index)
                C.flush()
                self._cond.notify_all()
                return index
        vdl = C.vdeadline_after(timeout) if timeout is not None else 0
        rdl = C.now_ns() + int(timeout * 1e9) if timeout is not None else 0
        while True:
            with self._m:
                if self._gen != mygen:
                    break
                if self._broken:
                    raise threading.BrokenBarrierError
                stepping = C.stepping()
                if stepping and vdl and C.vclock() >= vdl or not stepping and rdl and C.now_ns() >= rdl:
                    self._break()
                    C.end_op(C.EV.TIMEOUT, bid, C.OP.BARRIER_WAIT)
                    raise threading.BrokenBarrierError
                # its deadline, virtual or real: a timed wait is no stall
                # (a free run's wait says its real one, as a Condition's does)
                C.emit(C.EV.BLOCKED, bid, C.OP.BARRIER_WAIT, 1 if stepping else 0,
                       vdl if stepping else (rdl - C.t0_ns() if rdl else 0), self._count)
                C.flush()
                if not stepping:
                    while self._gen == mygen and not self._broken and not C.stepping():
                        left = (rdl - C.now_ns()) / 1e9 if rdl else C.WATCHDOG_S
                        if left <= 0:
                            break
                        self._cond.wait(min(C.WATCHDOG_S, left))
                    continue
            C.gate_wait()
        C.end_op(C.EV.DONE, bid, C.OP.BARRIER_WAIT, mygen + 1, 0, index)
        return index

    def _break(self):
        self._broken = True
        self._cond.notify_all()

    def reset(self):
        with self._m:
            if self._count:
                self._break()
            self._count = 0
            self._gen += 1
            self._broken = False
            self._cond.notify_all()

    def abort(self):
        with self._m:
            self._break()

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        return self._count

    @property
    def broken(self):
        return self._broken


# ---- local ----

_local_ids = {}  # id(local object) -> its object id (a local's attributes are per thread)


class local(_RealLocal):
    """A traced threading.local: each attribute a traced thread sets or
    reads is a LOCAL_SET / LOCAL_GET of this object (one slot per thread in
    the model, its value shown when it is a number)."""

    def __new__(cls, *args, **kw):
        self = _RealLocal.__new__(cls, *args, **kw)
        if _traced_here():
            _local_ids[id(self)] = C.declare_object(C.OBJ.LOCAL, object_name("local", 2), 0, 0, -1)
        return self

    def __setattr__(self, name, value):
        lid = _local_ids.get(id(self))
        if lid is None or name.startswith("_") or C.self_id() < 0:
            return _RealLocal.__setattr__(self, name, value)
        v = _as_int(value)
        C.gate(C.OP.LOCAL_SET, lid, v)
        _RealLocal.__setattr__(self, name, value)
        C.end_op(C.EV.DONE, lid, C.OP.LOCAL_SET, v)

    def __getattribute__(self, name):
        if name.startswith("_"):
            return _RealLocal.__getattribute__(self, name)
        lid = _local_ids.get(id(self))
        if lid is None or C.self_id() < 0:
            return _RealLocal.__getattribute__(self, name)
        C.gate(C.OP.LOCAL_GET, lid, 0)
        try:
            value = _RealLocal.__getattribute__(self, name)
        except AttributeError:
            C.end_op(C.EV.DONE, lid, C.OP.LOCAL_GET, 0, 0)
            raise
        C.end_op(C.EV.DONE, lid, C.OP.LOCAL_GET, _as_int(value), 1)
        return value


def _as_int(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int) and -(1 << 62) < v < (1 << 62):
        return v
    return 0


def install():
    global _LOCK, _UNLOCK, _ACQUIRED, _RELEASED, _wtls, _gate_try, _gate_emit_try, _done
    _LOCK, _UNLOCK, _ACQUIRED, _RELEASED = C.OP.LOCK, C.OP.UNLOCK, C.EV.ACQUIRED, C.EV.RELEASED
    _wtls, _gate_try, _gate_emit_try, _done = C._tls, C._int_gate_try, C._int_gate_emit_try, \
        C._int_done
    threading.Thread.start = _start
    threading.Thread.join = _join
    threading.Thread._bootstrap_inner = _bootstrap_inner
    threading.Timer.__init__ = _timer_init
    threading.excepthook = _excepthook
    threading.Lock = _lock_factory
    threading.RLock = _rlock_factory
    threading.Condition = Condition
    threading.Semaphore = Semaphore
    threading.BoundedSemaphore = BoundedSemaphore
    threading.Event = Event
    threading.Barrier = Barrier
    threading.local = local
    # `from threading import Lock` done before us (none: we run first) and
    # _thread.allocate_lock stay real, as the standard library's own do
