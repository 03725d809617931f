"""lockstep_trace._mp: multiprocessing, announced as the C scenes' process
primitives are.

- Process: start forks through the traced os.fork (_os.py), so the child is
  a process worker named after Process.name, a daemon if Process.daemon;
  join is a traced wait (REAPED, the exit code), terminate a traced kill
  (op terminate), exitcode and is_alive poll without a step of their own.
- Lock, RLock (with its hold count), Semaphore, BoundedSemaphore: the real
  SemLock, each acquire and release through the gate, as a C scene's mutex,
  rlock and semaphore.
- Value and Array: reads and writes of `.value` and of cells are steps of
  their own (READ/WRITE, AGET/ASET), so `v.value += 1` is two steps and a
  schedule can lose an update; get_lock() is the Value's own lock, traced.
- Queue, JoinableQueue: put and get are PUT/GET on a queue object (its
  items shown by the same codes as queue.Queue's); a full or empty queue
  blocks as the real one does (parks in a controlled run).
- Pipe: each connection end is held by the processes that have it (ENDS),
  send and recv are WRITE/READ of the pipe.

Only objects the program's own code creates are traced (_names.user_frame):
multiprocessing builds its Queue, Pool and Manager from the same classes,
and those insides are not the lesson. Objects reach child processes by
fork (the default start method on Linux); with `spawn` or `forkserver` the
child is a fresh interpreter without the tracer, and runs untraced.
Named semaphores (/dev/shm/sem.mp-*) are recorded in the run's registry
before they are made, so the run removes any the program leaves.
"""

import ctypes
import multiprocessing
import multiprocessing.context as mpctx
import multiprocessing.process as mpprocess
import multiprocessing.synchronize as mpsync

from . import _core as C
from . import _names
from . import _os

_real = {}


def traced():
    return C.attached and C.self_id() >= 0


def _user(depth):
    """The creating call came from the program's own code."""
    return _names.user_frame(depth + 1)


# ---- Process ----

def _start(self):
    if traced():
        flags = C.WF_DAEMON if self.daemon else 0
        _os.set_next_fork(self.name, flags)
    try:
        return _real["start"](self)
    finally:
        _os._tls.next_fork = None  # not forked (spawn, forkserver): untraced


def _terminate(self):
    if traced():
        _os.kill_op(C.OP.TERMINATE)
    try:
        return _real["terminate"](self)
    finally:
        _os._tls.kill_op = None


# ---- locks and semaphores ----

class _SemLock(object):
    """A multiprocessing Lock, RLock or (Bounded)Semaphore, traced."""

    def __init__(self, real, kind, name, value=0):
        self._real = real
        self._kind = kind
        cap = value if kind == C.OBJ.SEM else 0
        self._id = C.declare_object(kind, name, value if kind == C.OBJ.SEM else 0, cap, -1)
        self._lsname = name

    def _count(self):
        try:
            return self._real._semlock._count()
        except Exception:
            return 1

    def _value(self):
        try:
            return self._real._semlock._get_value()
        except Exception:
            return 0

    def acquire(self, block=True, timeout=None):
        if not traced():
            return self._real.acquire(block, timeout)
        sem = self._kind == C.OBJ.SEM
        op = C.OP.SEM_WAIT if sem else (C.OP.LOCK if block else C.OP.TRYLOCK)
        tmo = timeout if block else 0
        C.gate(op, self._id, C.ms_of(tmo))
        real = self._real
        ok = C.blocking(op, self._id, lambda: real.acquire(False),
                        lambda s: real.acquire(True, s), tmo)
        if ok:
            a0 = self._value() if sem else (self._count() if self._kind == C.OBJ.RLOCK else 1)
            C.emit(C.EV.ACQUIRED, self._id, op, a0)
        else:
            C.emit(C.EV.DONE if op == C.OP.TRYLOCK or (sem and not block) else C.EV.TIMEOUT,
                   self._id, op, 0)
        return ok

    def release(self):
        if not traced():
            return self._real.release()
        sem = self._kind == C.OBJ.SEM
        op = C.OP.SEM_POST if sem else C.OP.UNLOCK
        a0 = self._value() + 1 if sem else (self._count() - 1 if self._kind == C.OBJ.RLOCK else 0)
        C.gate(op, self._id, 0)
        # announced before it happens: nobody can take it before the model knows
        C.emit(C.EV.RELEASED, self._id, op, a0)
        C.flush()
        return self._real.release()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *a):
        return self.release()

    def get_value(self):
        return self._real.get_value()

    def __getattr__(self, n):
        return getattr(self._real, n)

    def __repr__(self):
        return "<traced %r>" % (self._real,)


def _factory(method, kind, word, value_arg=False):
    def make(self, *a, **kw):
        real = _real[method](self, *a, **kw)
        if not traced() or not _user(1):
            return real
        value = 0
        if value_arg:
            value = a[0] if a else kw.get("value", 1)
        return _SemLock(real, kind, _names.object_name(word, 1), int(value))
    make.__name__ = method
    return make


# ---- Value and Array ----

class _Value(object):
    """multiprocessing.Value, traced: .value reads and writes are steps."""

    def __init__(self, real, name):
        self._real = real
        self._lsname = name
        self._lock = None
        self._id = C.declare_object(C.OBJ.VALUE, name, self._as_int(self._raw()), 0, -1)
        lock = getattr(real, "get_lock", None)
        if lock is not None:
            self._lock = _SemLock(real.get_lock(), C.OBJ.RLOCK, name + ".lock")

    def _obj(self):
        g = getattr(self._real, "get_obj", None)
        return g() if g else self._real

    def _raw(self):
        return self._obj().value

    @staticmethod
    def _as_int(x):
        try:
            return int(x)
        except (TypeError, ValueError):
            return 0

    def _ordered(self):
        """The real lock of a synchronized value keeps the records in the
        order the reads and writes happened, across processes."""
        g = getattr(self._real, "get_lock", None)
        return g() if g else _NoLock

    @property
    def value(self):
        if not traced():
            return self._real.value
        C.gate(C.OP.READ, self._id, 0)
        with self._ordered():
            x = self._raw()
            C.emit(C.EV.DONE, self._id, C.OP.READ, self._as_int(x))
            C.flush()
        return x

    @value.setter
    def value(self, x):
        if not traced():
            self._real.value = x
            return
        C.gate(C.OP.WRITE, self._id, self._as_int(x))
        with self._ordered():
            C.emit(C.EV.DONE, self._id, C.OP.WRITE, self._as_int(x))
            C.flush()
            self._obj().value = x

    def get_lock(self):
        return self._lock if self._lock is not None else self._real.get_lock()

    def get_obj(self):
        return self._obj()

    def acquire(self, *a):
        return self.get_lock().acquire(*a)

    def release(self):
        return self.get_lock().release()

    def __enter__(self):
        return self.get_lock().__enter__()

    def __exit__(self, *a):
        return self.get_lock().__exit__(*a)

    def __getattr__(self, n):
        return getattr(self._real, n)

    def __repr__(self):
        return "<traced %r>" % (self._real,)


class _NoLockT(object):
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


_NoLock = _NoLockT()
ARRAY_MAX = 64  # cells the model keeps for an array


class _Array(_Value):
    """multiprocessing.Array, traced: each cell read and written by index
    is a step (AGET/ASET); slices pass through."""

    def __init__(self, real, name):
        self._real = real
        self._lsname = name
        self._lock = None
        obj = self._obj()
        first = obj[0] if len(obj) else 0
        self._id = C.declare_object(C.OBJ.ARRAY, name, self._as_int(first), len(obj), -1)
        if getattr(real, "get_lock", None) is not None:
            self._lock = _SemLock(real.get_lock(), C.OBJ.RLOCK, name + ".lock")

    def __len__(self):
        return len(self._real)

    def __getitem__(self, i):
        if not traced() or not isinstance(i, int):
            return self._real[i]
        n = len(self._real)
        k = i + n if i < 0 else i
        if not 0 <= k < n:
            return self._real[i]  # the real IndexError
        C.gate(C.OP.AGET, self._id, k)
        with self._ordered():
            x = self._obj()[k]
            C.emit(C.EV.DONE, self._id, C.OP.AGET, self._as_int(x), k)
            C.flush()
        return x

    def __setitem__(self, i, x):
        if not traced() or not isinstance(i, int):
            self._real[i] = x
            return
        n = len(self._real)
        k = i + n if i < 0 else i
        if not 0 <= k < n:
            self._real[i] = x
            return
        C.gate(C.OP.ASET, self._id, self._as_int(x))
        with self._ordered():
            C.emit(C.EV.DONE, self._id, C.OP.ASET, self._as_int(x), k)
            C.flush()
            self._obj()[k] = x

    def __iter__(self):
        for k in range(len(self._real)):
            yield self[k]


def _value(self, typecode_or_type, *args, **kw):
    real = _real["Value"](self, typecode_or_type, *args, **kw)
    if not traced() or not _user(1):
        return real
    return _Value(real, _names.object_name("Value", 1))


def _array(self, typecode_or_type, size_or_initializer, **kw):
    real = _real["Array"](self, typecode_or_type, size_or_initializer, **kw)
    if not traced() or not _user(1) or not 1 <= len(real) <= ARRAY_MAX:
        return real
    return _Array(real, _names.object_name("Array", 1))


# ---- named semaphores: recorded before they exist ----

def _make_name():
    name = _real["_make_name"]()
    if C.attached:
        try:
            _register_shm(("/sem." + name.lstrip("/")).encode())
        except Exception:
            pass
    return name


# ---- installing ----

_METHODS = (
    ("Lock", "MUTEX", "Lock", False),
    ("RLock", "RLOCK", "RLock", False),
    ("Semaphore", "SEM", "Semaphore", True),
    ("BoundedSemaphore", "SEM", "BoundedSemaphore", True),
)


def install():
    """Replace multiprocessing's classes and factories (once, after attach)."""
    global _register_shm
    if _real:
        return
    _os.install()
    _register_shm = C._lib.lsp_register_shm
    _register_shm.restype = ctypes.c_int
    _register_shm.argtypes = [ctypes.c_char_p]
    _real["start"] = mpprocess.BaseProcess.start
    _real["terminate"] = mpprocess.BaseProcess.terminate
    mpprocess.BaseProcess.start = _start
    mpprocess.BaseProcess.terminate = _terminate
    _real["_make_name"] = mpsync.SemLock._make_name
    mpsync.SemLock._make_name = staticmethod(_make_name)
    base = mpctx.BaseContext
    for method, kind, word, value_arg in _METHODS:
        _real[method] = getattr(base, method)
        setattr(base, method, _factory(method, getattr(C.OBJ, kind), word, value_arg))
    _real["Value"] = base.Value
    base.Value = _value
    _real["Array"] = base.Array
    base.Array = _array
    # the module's own names are methods bound to the default context at
    # import: bind them again
    dc = mpctx._default_context
    for method, _, _, _ in _METHODS:
        setattr(multiprocessing, method, getattr(dc, method))
    multiprocessing.Value = dc.Value
    multiprocessing.Array = dc.Array
