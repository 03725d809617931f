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
- Condition, Barrier: the threading side's (_threading.py), their state in
  shared memory; Event: its flag, set, clear and wait.
- Pool: a task queue, a result queue and worker processes, as the C
  scenes' Pool.

Only objects the program's own code creates are traced (_names.user_frame):
multiprocessing builds its Queue, Pool and Manager from the same classes,
and those insides are not the lesson. Objects reach child processes by
fork (the default start method on Linux); with `spawn` or `forkserver` the
child is a fresh interpreter without the tracer, and runs untraced.
Named semaphores (/dev/shm/sem.mp-*) are recorded in the run's registry
before they are made, so the run removes any the program leaves.
"""

import ctypes
import itertools
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

def _library_process(p):
    """A process the standard library starts for itself and runs to its
    own ends: a Manager's server (its insides; it serves until shutdown,
    outside any gate, and main waits on it outside any gate too)."""
    t = getattr(p, "_target", None)
    return getattr(t, "__module__", "") == "multiprocessing.managers" and \
        getattr(t, "__name__", "") == "_run_server"


def _start(self):
    if traced() and _library_process(self):
        _os.set_next_fork_untraced()
    elif traced():
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
            C.end_op(C.EV.ACQUIRED, self._id, op, a0)
        else:
            C.end_op(C.EV.DONE if op == C.OP.TRYLOCK or (sem and not block) else C.EV.TIMEOUT,
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

    # what a traced Condition asks of its lock (_threading.Condition)
    @property
    def _ls_id(self):
        return self._id

    def _is_owned(self):
        return self._real._semlock._is_mine()

    def _ls_count(self):
        return self._count()

    def _ls_release_all(self):
        C.emit(C.EV.RELEASED, self._id, C.OP.COND_WAIT, 0)
        return self._count()

    def _ls_real_release(self, saved):
        for _ in range(saved):
            self._real.release()

    def _ls_restore(self, saved, seconds):
        ok = self._real.acquire(False) if seconds is None else self._real.acquire(True, seconds)
        if ok:
            for _ in range(saved - 1):
                self._real.acquire(False)  # an RLock's holds, ours again
        return ok

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


# ---- Pool: a task queue, a result queue, worker processes ----
#
# What CPython's Pool is made of, as the C scenes' Pool shows it: the
# program puts tasks (apply_async, map: a task per chunk), each worker
# process gets one, runs it and puts its result, and the program gets the
# results it waits for. A task and its result carry one number, its job's
# number times 100 plus its chunk's (the second chunk of job 1 is 101), and
# are shown by what they are: a task as the call it stands for
# (square(3); a chunk of map as its calls, square(4), square(5)), a result
# as its value (9; a chunk's as its values, 16, 25; a failed one as its
# exception's name). -1 is the None a closing pool sends each worker ("no
# more work"), shown as None. The pool's own threads, which carry tasks and
# results between the program and the pipes, are not traced: they are the
# Pool's insides.

RING = 4096


class _PoolTrace(object):
    """One traced pool: its two queues and, in memory its worker processes
    share (fork), the results they have announced, in order."""

    def __init__(self, name, nproc):
        import multiprocessing.sharedctypes as sc
        self.name = name
        self.nproc = nproc
        self.tasks = C.declare_object(C.OBJ.QUEUE, name + ".tasks", 0, 0, -1)
        self.results = C.declare_object(C.OBJ.QUEUE, name + ".results", 0, 0, -1)
        self.ring = sc.RawArray("q", RING)
        self.head = sc.RawValue("q", 0)
        # tasks announced and taken: a worker granted a task the model has
        # waits for it to come through the pool's own thread and pipe,
        # rather than park again (a re-run must take the same steps)
        self.tasks_put = sc.RawValue("q", 0)
        self.tasks_got = sc.RawValue("q", 0)
        # close() announces a "no more work" per worker; terminate() does
        # not (it kills them, and drains the pipe first): a worker that
        # reads one nobody announced says nothing of it
        self.sentinels = sc.RawValue("q", 0)
        self.lock = _real["Lock"](mpctx._default_context)
        self.tail = 0
        self.taken = set()
        self.ended = False


_pool_for_fork = [None]  # the pool whose workers are being forked


def _code(job, i):
    return int(job) * 100 + int(i)


def _peek_job():
    """The number the next job will get (pool.job_counter), left unused."""
    import multiprocessing.pool as mppool
    job = next(mppool.job_counter)
    mppool.job_counter = itertools.chain([job], mppool.job_counter)
    return job


def _pool(self, processes=None, *a, **kw):
    if not traced() or not _user(1):
        return _real["Pool"](self, processes, *a, **kw)
    import os as _os_mod
    n = processes or _os_mod.cpu_count() or 1
    st = _PoolTrace(_with_name("Pool", 1), n)
    _pool_for_fork[0] = st
    try:
        real = _real["Pool"](self, processes, *a, **kw)
    finally:
        _pool_for_fork[0] = None
    real._ls = st
    return real


def _with_name(word, depth):
    """object_name, and `with Pool() as pool:` names it pool too."""
    import linecache
    import re
    f = _names.first_user_frame(depth + 1)
    if f is not None:
        line = linecache.getline(f.f_code.co_filename, f.f_lineno)
        m = re.search(r"\bwith\b.*\bas\s+([A-Za-z_]\w*)\s*:", line)
        if m:
            return _names._unique(m.group(1))
    return _names.object_name(word, depth + 1)


def _call_text(func, args=(), kwds=None):
    """square(3): the call a task stands for, as the program wrote it."""
    name = getattr(func, "__name__", None) or type(func).__name__
    parts = []
    for a in args:
        parts.append(C.short_repr(a))
    for k, v in (kwds or {}).items():
        parts.append("%s=%s" % (k, C.short_repr(v)))
    return "%s(%s)" % (name, ", ".join(parts))


def _chunk_texts(func, items, size, star=False):
    """The words for each chunk of a map: its calls, one after another."""
    out = []
    for i in range(0, len(items), size):
        calls = [_call_text(func, tuple(x) if star else (x,)) for x in items[i:i + size]]
        out.append(", ".join(calls))
    return out


def _put_tasks(st, codes, texts=None):
    for c, t in zip(codes, texts or ()):
        C.item_label(st.tasks, c, t)  # before the put that names it
    C.gate(C.OP.PUT, st.tasks, codes[0] if codes else 0)
    for c in codes:
        C.emit(C.EV.DONE, st.tasks, C.OP.PUT, c)
    with st.lock:
        st.tasks_put.value += len(codes)
    C.flush()


def _apply_async(self, *a, **kw):
    st = getattr(self, "_ls", None)
    if st is None or not traced():
        return _real["apply_async"](self, *a, **kw)
    codes = [_code(_peek_job(), 0)]
    try:
        text = _apply_text(*a, **kw)
    except Exception:
        text = "task"
    _put_tasks(st, codes, [text])  # announced before any worker can take it
    r = _real["apply_async"](self, *a, **kw)
    r._ls = (st, codes)
    return r


def _apply_text(func, args=(), kwds={}, *rest, **kw):
    return _call_text(func, kw.get("args", args), kw.get("kwds", kwds))


def _map_async(self, func, iterable, mapper, chunksize=None, *a, **kw):
    st = getattr(self, "_ls", None)
    if st is None or not traced():
        return _real["_map_async"](self, func, iterable, mapper, chunksize, *a, **kw)
    if not hasattr(iterable, "__len__"):
        iterable = list(iterable)
    size = chunksize
    if size is None:
        size, extra = divmod(len(iterable), len(self._pool) * 4)
        if extra:
            size += 1
    if len(iterable) == 0:
        size = 0
    nchunks = -(-len(iterable) // size) if size else 0
    job = _peek_job()
    codes = [_code(job, i) for i in range(nchunks)]
    if codes:
        star = getattr(mapper, "__name__", "") == "starmapstar"
        _put_tasks(st, codes, _texts_or_none(func, iterable, size, star))
    r = _real["_map_async"](self, func, iterable, mapper, chunksize, *a, **kw)
    r._ls = (st, codes)
    return r


def _texts_or_none(func, items, size, star=False):
    try:
        return _chunk_texts(func, list(items), max(size, 1), star)
    except Exception:  # an item whose repr fails: the numbers, as before
        return None


def _take_result(st):
    """The next result a worker announced, if any: the program takes it."""
    if st.head.value <= st.tail:
        return False
    c = st.ring[st.tail % RING]
    st.tail += 1
    st.taken.add(c)
    C.emit(C.EV.DONE, st.results, C.OP.GET, c)
    C.flush()
    return True


def _wait_result(st, seconds):
    import select
    import time as _t
    end = _t.monotonic() + seconds
    while st.head.value <= st.tail:
        left = end - _t.monotonic()
        if left <= 0:
            return False
        select.select([], [], [], min(left, 0.005))
    return _take_result(st)


def _take_until(st, done, timeout):
    """Get results, one step each, until done() (the ones waited for are
    taken); they come in the order workers announced them."""
    while not done():
        C.gate(C.OP.GET, st.results, 0)
        if not C.blocking(C.OP.GET, st.results, lambda: _take_result(st),
                          lambda sec: _wait_result(st, sec), timeout):
            C.end_op(C.EV.TIMEOUT, st.results, C.OP.GET)
            raise multiprocessing.TimeoutError


def _result_get(self, timeout=None):
    ls = getattr(self, "_ls", None)
    if ls is None or not traced():
        return _real["get"](self, timeout)
    st, codes = ls
    _take_until(st, lambda: all(c in st.taken for c in codes), timeout)
    return _real["get"](self, timeout)  # announced: its value is moments away


class _IMap(object):
    """Pool.imap / imap_unordered's iterator, traced: before the first item
    of each chunk, the program gets that chunk's result (imap: that very
    chunk; imap_unordered: any chunk of the job not taken yet)."""

    def __init__(self, real, st, codes, size, ordered):
        self._real, self._st, self._codes = real, st, codes
        self._size, self._ordered = max(size, 1), ordered
        self._k = 0

    def __iter__(self):
        return self

    def next(self, timeout=None):
        st, chunk = self._st, self._k // self._size
        if traced() and self._k % self._size == 0 and chunk < len(self._codes):
            if self._ordered:
                want = self._codes[chunk]
                _take_until(st, lambda: want in st.taken, timeout)
            else:
                mine = set(self._codes)
                _take_until(st, lambda: len(mine & st.taken) > chunk, timeout)
        # (with chunksize > 1 the real one is a generator over the chunks)
        nx = getattr(self._real, "next", None)
        x = nx(timeout) if nx is not None else next(self._real)
        self._k += 1
        return x

    __next__ = next


def _imap_factory(method, ordered):
    def imap(self, func, iterable, chunksize=1):
        st = getattr(self, "_ls", None)
        if st is None or not traced():
            return _real[method](self, func, iterable, chunksize)
        iterable = list(iterable)  # how many tasks: known before any is put
        size = max(int(chunksize), 1)
        job = _peek_job()
        codes = [_code(job, i) for i in range(-(-len(iterable) // size))]
        if codes:
            _put_tasks(st, codes, _texts_or_none(func, iterable, size))
        return _IMap(_real[method](self, func, iterable, chunksize), st, codes, size, ordered)
    imap.__name__ = method
    return imap


def _pool_end(method):
    def end(self, *a, **kw):
        st = getattr(self, "_ls", None)
        if st is not None and traced() and not st.ended:
            st.ended = True
            if method == "close":
                st.sentinels.value = len(self._pool)
                n = len(self._pool)
                _put_tasks(st, [-1] * n, ["None"] * n)  # "no more work", one per worker
        return _real["Pool." + method](self, *a, **kw)
    end.__name__ = method
    return end


class _TasksIn(object):
    """A worker's end of the pool's task pipe (SimpleQueue), traced."""

    def __init__(self, q, st):
        self._q = q
        self._st = st

    def __getattr__(self, n):
        return getattr(self._q, n)

    def _try(self, box, seconds):
        q = self._q
        if not q._rlock.acquire(seconds is not None, seconds if seconds else -1):
            return False
        st = self._st
        try:
            wait = seconds if seconds is not None else \
                (1.0 if st.tasks_put.value > st.tasks_got.value else 0)
            if not q._reader.poll(wait):
                return False
            res = q._reader.recv_bytes()
            with st.lock:
                st.tasks_got.value += 1
            from multiprocessing.reduction import ForkingPickler
            task = ForkingPickler.loads(res)
            box.append(task)
            if task is None and not st.sentinels.value:
                return True  # terminate's: this worker is about to be killed
            # announced under the pipe's reader lock: two workers' gets reach
            # the model in the order they took the tasks (the queue's order)
            c = -1 if task is None else _code(task[0], task[1])
            if task is not None:
                fn = getattr(task[2], "__name__", "")
                _chunk_of_map[0] = fn in ("mapstar", "starmapstar")
            C.emit(C.EV.DONE, self._st.tasks, C.OP.GET, c)
            C.flush()
            return True
        finally:
            q._rlock.release()

    def get(self):
        if not traced():
            return self._q.get()
        box = []
        C.gate(C.OP.GET, self._st.tasks, 0)
        C.blocking(C.OP.GET, self._st.tasks, lambda: self._try(box, None),
                   lambda sec: self._try(box, sec), None)
        return box[0]


def _result_text(res):
    """A task's result as the program will get it: its value (a chunk of
    map: its values), or its exception's name when it raised."""
    try:
        ok, value = res
        if not ok:
            return type(value).__name__
        # a chunk of map (mapstar's list): its values, one after another
        if _chunk_of_map[0] and isinstance(value, list):
            return ", ".join(C.short_repr(v) for v in value)
        return C.short_repr(value)
    except Exception:
        return "?"


_chunk_of_map = [False]  # the task this worker process runs is a chunk of map


class _ResultsOut(object):
    """A worker's end of the pool's result pipe, traced."""

    def __init__(self, q, st):
        self._q = q
        self._st = st

    def __getattr__(self, n):
        return getattr(self._q, n)

    def put(self, obj):
        st = self._st
        if not traced() or not (isinstance(obj, tuple) and len(obj) == 3 and isinstance(obj[0], int)):
            return self._q.put(obj)
        c = _code(obj[0], obj[1])
        C.item_label(st.results, c, _result_text(obj[2]))
        C.gate(C.OP.PUT, st.results, c)
        with st.lock:  # announced, in the order the program will take them
            st.ring[st.head.value % RING] = c
            C.emit(C.EV.DONE, st.results, C.OP.PUT, c)
            C.flush()
            st.head.value += 1
        return self._q.put(obj)


def _worker(inqueue, outqueue, *a, **kw):
    st = _pool_for_fork[0]
    if st is not None and traced():
        inqueue, outqueue = _TasksIn(inqueue, st), _ResultsOut(outqueue, st)
    return _real["worker"](inqueue, outqueue, *a, **kw)


# ---- Queue and JoinableQueue ----
#
# The real queue's own parts move the items (its semaphore of free places,
# its buffer and feeder thread, its pipe and reader lock); a put is
# announced once it has its place and before the item can reach the pipe, a
# get once the item is out of the pipe and before its place is given back,
# so the model never holds more than maxsize items, nor an item not yet put.
# Items show as an int as itself, None as -1, anything else as its short
# text (repr): it is numbered C.ITEM_BASE + a number read from its pickled
# bytes (the same in every process), and an ITEM record before its put or
# send gives the model that number's text.

def item_code(obj):
    if obj is None:
        return -1
    if isinstance(obj, bool):
        return int(obj)
    if isinstance(obj, int) and -(1 << 62) < obj < (1 << 62):
        return obj
    try:
        import pickle
        import zlib
        return C.ITEM_BASE + zlib.crc32(pickle.dumps(obj, 4))
    except Exception:
        return 0


class _Queue(object):
    """multiprocessing.Queue (and JoinableQueue), traced."""

    def __init__(self, real, name, joinable=False):
        self._real = real
        self._lsname = name
        cap = real._maxsize if real._maxsize < (1 << 30) else 0
        self._id = C.declare_object(C.OBJ.QUEUE, name, 0, cap, -1)
        self._joinable = joinable
        if joinable:
            # join() waits for this event: set while no task is unfinished
            self._done_id = C.declare_object(C.OBJ.EVENT, name + ".all_done", 1, 0, -1)

    def __getattr__(self, n):
        return getattr(self._real, n)

    def __repr__(self):
        return "<traced %r>" % (self._real,)

    def put(self, obj, block=True, timeout=None):
        if not traced():
            return self._real.put(obj, block, timeout)
        q = self._real
        if q._closed:
            raise ValueError("Queue %r is closed" % (q,))
        code = item_code(obj)
        t = timeout if block else 0
        C.item_text(self._id, code, obj)  # before the WANT that names it
        C.gate(C.OP.PUT, self._id, code)
        if not C.blocking(C.OP.PUT, self._id, lambda: q._sem.acquire(False),
                          lambda sec: q._sem.acquire(True, sec), t):
            C.end_op(C.EV.TIMEOUT if block else C.EV.DONE, self._id, C.OP.PUT, 0)
            import queue as _q
            raise _q.Full
        C.emit(C.EV.DONE, self._id, C.OP.PUT, code)
        if self._joinable:
            with q._cond:
                first = q._unfinished_tasks._semlock._is_zero()
                if first:
                    C.emit(C.EV.DONE, self._done_id, C.OP.EVENT_CLEAR, 0)
                C.flush()
                with q._notempty:
                    if q._thread is None:
                        q._start_thread()
                    q._buffer.append(obj)
                    q._unfinished_tasks.release()
                    q._notempty.notify()
            return
        C.flush()
        with q._notempty:
            if q._thread is None:
                q._start_thread()
            q._buffer.append(obj)
            q._notempty.notify()

    def _take(self, box, seconds):
        """The real get's steps: its reader lock, the pipe, the place back."""
        q = self._real
        if seconds is None:
            if not q._rlock.acquire(False):
                return False
        elif not q._rlock.acquire(True, seconds):
            return False
        try:
            # an item put but still in the writer's feeder thread is moments
            # from the pipe: wait for it rather than park again for nothing
            wait = seconds if seconds is not None else (1.0 if q.qsize() > 0 else 0)
            if not q._poll(wait):
                return False
            res = q._recv_bytes()
            from multiprocessing.reduction import ForkingPickler
            obj = ForkingPickler.loads(res)
            C.emit(C.EV.DONE, self._id, C.OP.GET, item_code(obj))
            C.flush()
            q._sem.release()
            box.append(obj)
            return True
        finally:
            q._rlock.release()

    def get(self, block=True, timeout=None):
        if not traced():
            return self._real.get(block, timeout)
        if self._real._closed:
            raise ValueError("Queue %r is closed" % (self._real,))
        box = []
        t = timeout if block else 0
        C.gate(C.OP.GET, self._id, 0)
        if not C.blocking(C.OP.GET, self._id, lambda: self._take(box, None),
                          lambda sec: self._take(box, sec), t):
            C.end_op(C.EV.TIMEOUT if block else C.EV.DONE, self._id, C.OP.GET, 0)
            import queue as _q
            raise _q.Empty
        return box[0]

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def task_done(self):
        if not traced() or not self._joinable:
            return self._real.task_done()
        q = self._real
        C.gate(C.OP.TASK_DONE, self._id, 0)
        with q._cond:
            if not q._unfinished_tasks.acquire(False):
                raise ValueError("task_done() called too many times")
            left = q._unfinished_tasks._semlock._get_value()
            C.emit(C.EV.DONE, self._id, C.OP.TASK_DONE, left)
            if left == 0:
                C.emit(C.EV.DONE, self._done_id, C.OP.EVENT_SET, 1)
            C.flush()
            if q._unfinished_tasks._semlock._is_zero():
                q._cond.notify_all()

    def join(self):
        if not traced() or not self._joinable:
            return self._real.join()
        q = self._real

        def done(sec):
            with q._cond:
                if not q._unfinished_tasks._semlock._is_zero() and sec:
                    q._cond.wait(sec)
                return q._unfinished_tasks._semlock._is_zero()
        C.gate(C.OP.EVENT_WAIT, self._done_id, -1)
        C.blocking(C.OP.EVENT_WAIT, self._done_id, lambda: done(0), done, None)
        C.end_op(C.EV.DONE, self._done_id, C.OP.EVENT_WAIT, 1)


def _queue_factory(method, joinable):
    def make(self, maxsize=0):
        real = _real[method](self, maxsize)
        if not traced() or not _user(1):
            return real
        return _Queue(real, _names.object_name(method, 1), joinable)
    make.__name__ = method
    return make


# ---- Event ----

class _Event(object):
    """multiprocessing.Event, traced: its flag, set, clear and wait."""

    def __init__(self, real, name):
        self._real = real
        self._id = C.declare_object(C.OBJ.EVENT, name, 0, 0, -1)

    def __getattr__(self, n):
        return getattr(self._real, n)

    def is_set(self):
        return self._real.is_set()

    def set(self):
        if not traced():
            return self._real.set()
        C.gate(C.OP.EVENT_SET, self._id, 0)
        C.emit(C.EV.DONE, self._id, C.OP.EVENT_SET, 1)
        C.flush()
        self._real.set()

    def clear(self):
        if not traced():
            return self._real.clear()
        C.gate(C.OP.EVENT_CLEAR, self._id, 0)
        self._real.clear()
        C.end_op(C.EV.DONE, self._id, C.OP.EVENT_CLEAR, 0)

    def wait(self, timeout=None):
        if not traced():
            return self._real.wait(timeout)
        real = self._real
        C.gate(C.OP.EVENT_WAIT, self._id, C.ms_of(timeout))
        if C.blocking(C.OP.EVENT_WAIT, self._id, real.is_set, real.wait, timeout):
            C.end_op(C.EV.DONE, self._id, C.OP.EVENT_WAIT, 1)
            return True
        C.end_op(C.EV.TIMEOUT, self._id, C.OP.EVENT_WAIT, 0)
        return False


def _event(self):
    real = _real["Event"](self)
    if not traced() or not _user(1):
        return real
    return _Event(real, _names.object_name("Event", 1))


# ---- Condition and Barrier ----
#
# The threading side's Condition and Barrier (_threading.py), over this
# side's parts: a Condition's waiters line up in shared memory (each wakes
# by its own word in the probe's arena, which every process of the program
# shares), its lock is the program's multiprocessing lock; a Barrier's
# count, generation and broken flag live in shared memory, under a real
# multiprocessing Lock and Condition. So who a notify wakes is known and
# shown, and a controlled run parks a waiter at its gate, across processes.

class _SharedLine(object):
    """The list of a Condition's waiters (worker ids), in shared memory;
    changed only with the condition's lock held."""

    def __init__(self, n=256):
        import multiprocessing.sharedctypes as sc
        self._a = sc.RawArray("i", n)
        self._n = sc.RawValue("i", 0)

    def __len__(self):
        return self._n.value

    def __bool__(self):
        return self._n.value > 0

    def __iter__(self):
        return iter([self._a[i] for i in range(self._n.value)])

    def append(self, w):
        n = self._n.value
        if n >= len(self._a):
            raise RuntimeError("lockstep: more than %d waiters on one Condition" % len(self._a))
        self._a[n] = w
        self._n.value = n + 1

    def pop(self, i=0):
        n = self._n.value
        if not 0 <= i < n:
            raise IndexError("pop from an empty line")
        v = self._a[i]
        for k in range(i, n - 1):
            self._a[k] = self._a[k + 1]
        self._n.value = n - 1
        return v

    def remove(self, w):
        for i in range(self._n.value):
            if self._a[i] == w:
                self.pop(i)
                return
        raise ValueError(w)


def _condition(self, lock=None):
    if not traced() or not _user(1) or not (lock is None or isinstance(lock, _SemLock)):
        real_lock = lock._real if isinstance(lock, _SemLock) else lock
        return _real["Condition"](self, real_lock)
    from . import _threading as T
    name = _names.object_name("Condition", 1)
    if lock is None:  # multiprocessing's default: an RLock of its own
        lock = _SemLock(_real["RLock"](self), C.OBJ.RLOCK, name + ".lock")
    cond = T.Condition._made(lock, name)
    cond._q = _SharedLine()
    return cond


def _barrier_class():
    from . import _threading as T

    def shared(i, kind=int):
        return property(lambda self: kind(self._state[i]),
                        lambda self, v: self._state.__setitem__(i, int(v)))

    class Barrier(T.Barrier):
        """multiprocessing.Barrier, traced: the threading side's Barrier
        with its count, generation and broken flag in shared memory."""
        _count = shared(0)
        _gen = shared(1)
        _broken = shared(2, bool)

        def __new__(cls, *a, **kw):
            return object.__new__(cls)

        def __init__(self, ctx, parties, action=None, timeout=None, name="Barrier"):
            import multiprocessing.sharedctypes as sc
            if parties < 1:
                raise ValueError("parties must be > 0")
            self._m = _real["Lock"](ctx)
            self._cond = mpsync.Condition(self._m, ctx=ctx.get_context())
            self._state = sc.RawArray("q", 3)
            self._parties = parties
            self._action = action
            self._timeout = timeout
            self._ls_id = C.declare_object(C.OBJ.BARRIER, name, 0, parties, -1)
    return Barrier


def _barrier(self, parties, action=None, timeout=None):
    if not traced() or not _user(1):
        return _real["Barrier"](self, parties, action, timeout)
    cls = _real.get("BarrierClass")
    if cls is None:
        cls = _real["BarrierClass"] = _barrier_class()
    return cls(self, parties, action, timeout, _names.object_name("Barrier", 1))


# ---- Pipe ----
#
# A connection pair is a pipe for each direction it carries ("a→b": what
# end a sends, end b receives; a duplex Pipe is two). Each process holds
# the ends of the connections it has not closed (ENDS): fork copies them,
# close() and the process's exit drop them, so a reader nobody can write
# to any more, and the end a process forgot to close, are seen.

_conns = []  # every traced connection of this process (fork copies the list)


def _mask(obj):
    m = 0
    for c in _conns:
        if c._closed_here:
            continue
        if c._in == obj:
            m |= 1  # LS_END_READ
        if c._out == obj:
            m |= 2  # LS_END_WRITE
    return m


def _pipe_objs():
    out = []
    for c in _conns:
        for o in (c._in, c._out):
            if o is not None and o not in out:
                out.append(o)
    return out


def _announce_ends(objs, worker=None):
    for o in objs:
        if worker is None:
            C.emit(C.EV.ENDS, o, _mask(o))
        else:
            _os.emit_as(worker, C.EV.ENDS, o, _mask(o), 0, 0, 0)


def _forked_ends(wid):
    """In the parent after fork: the child holds what we hold now."""
    _announce_ends([o for o in _pipe_objs() if _mask(o)], wid)


class _Conn(object):
    def __init__(self, real, out_obj, in_obj):
        self._real = real
        self._out = out_obj
        self._in = in_obj
        self._closed_here = False
        _conns.append(self)

    def __getattr__(self, n):
        return getattr(self._real, n)

    def __repr__(self):
        return "<traced %r>" % (self._real,)

    def send(self, obj):
        if not traced() or self._out is None:
            return self._real.send(obj)
        code = item_code(obj)
        C.item_text(self._out, code, obj)  # before the WANT that names it
        C.gate(C.OP.WRITE, self._out, code)
        C.emit(C.EV.DONE, self._out, C.OP.WRITE, code)  # before a reader can see it
        C.flush()
        return self._real.send(obj)

    def _try_recv(self, box, seconds):
        if not self._real.poll(seconds or 0):
            return False
        try:
            obj = self._real.recv()
        except EOFError:
            C.end_op(C.EV.DONE, self._in, C.OP.READ, 0, 1)
            box.append(EOFError)
            return True
        C.end_op(C.EV.DONE, self._in, C.OP.READ, item_code(obj))
        box.append(obj)
        return True

    def recv(self):
        if not traced() or self._in is None:
            return self._real.recv()
        box = []
        C.gate(C.OP.READ, self._in, 0)
        C.blocking(C.OP.READ, self._in, lambda: self._try_recv(box, None),
                   lambda sec: self._try_recv(box, sec), None)
        if box[0] is EOFError:
            raise EOFError
        return box[0]

    def close(self):
        if not self._closed_here:
            self._closed_here = True
            if traced():
                _announce_ends([o for o in (self._in, self._out) if o is not None])
        return self._real.close()

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


def _pipe_names(depth):
    """('a', 'b') from `a, b = Pipe()`, else None."""
    import re
    f = _names.first_user_frame(depth + 1)
    if f is None:
        return None
    line = _names.statement_of(f)
    m = re.match(r"\s*\(?\s*([A-Za-z_]\w*)\s*,\s*([A-Za-z_]\w*)\s*\)?\s*=", line)
    return m.groups() if m else None


def _pipe(self, duplex=True):
    a, b = _real["Pipe"](self, duplex)
    if not traced() or not _user(1):
        return a, b
    names = _pipe_names(1)
    if names:
        na, nb = names
    else:
        base = _names.object_name("Pipe", 1)
        na, nb = base + ".0", base + ".1"
    ab = C.declare_object(C.OBJ.PIPE, _names._unique("%s→%s" % (na, nb)), 0, 0, -1)
    ba = C.declare_object(C.OBJ.PIPE, _names._unique("%s→%s" % (nb, na)), 0, 0, -1) if duplex else None
    # duplex=False: a only receives, b only sends
    ca = _Conn(a, ba if duplex else None, ba if duplex else ab)
    cb = _Conn(b, ab, ab if not duplex else ab)
    if duplex:
        ca._out, ca._in = ab, ba
        cb._out, cb._in = ba, ab
    else:
        ca._out, ca._in = None, ab
        cb._out, cb._in = ab, None
    _announce_ends([o for o in (ab, ba) if o is not None])
    return ca, cb


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
    # Process.start() first polls every child that ended (_cleanup): which
    # have ended by then is the kernel's timing, not a step, and a re-run
    # would reap them elsewhere. A controlled run reaps at join, exitcode
    # and is_alive only.
    _real["_cleanup"] = mpprocess._cleanup

    def _cleanup():
        if traced() and C.stepping():
            return
        return _real["_cleanup"]()
    mpprocess._cleanup = _cleanup
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
    for method, joinable in (("Queue", False), ("JoinableQueue", True)):
        _real[method] = getattr(base, method)
        setattr(base, method, _queue_factory(method, joinable))
        setattr(multiprocessing, method, getattr(dc, method))
    for method, f in (("Condition", _condition), ("Barrier", _barrier)):
        _real[method] = getattr(base, method)
        setattr(base, method, f)
        setattr(multiprocessing, method, getattr(dc, method))
    _real["Event"] = base.Event
    base.Event = _event
    multiprocessing.Event = dc.Event
    _real["Pipe"] = base.Pipe
    base.Pipe = _pipe
    multiprocessing.Pipe = dc.Pipe
    _os.fork_parent_hooks.append(_forked_ends)
    import multiprocessing.pool as mppool
    _real["Pool"] = base.Pool
    base.Pool = _pool
    multiprocessing.Pool = dc.Pool
    _real["worker"] = mppool.worker
    mppool.worker = _worker
    for n, f in (("apply_async", _apply_async), ("_map_async", _map_async)):
        _real[n] = getattr(mppool.Pool, n)
        setattr(mppool.Pool, n, f)
    for n, ordered in (("imap", True), ("imap_unordered", False)):
        _real[n] = getattr(mppool.Pool, n)
        setattr(mppool.Pool, n, _imap_factory(n, ordered))
    for n in ("close", "terminate"):
        _real["Pool." + n] = getattr(mppool.Pool, n)
        setattr(mppool.Pool, n, _pool_end(n))
    _real["get"] = mppool.ApplyResult.get
    mppool.ApplyResult.get = _result_get
    # the pool's own sleeps (terminate drains the task pipe with
    # time.sleep(0) as often as items happen to be there) are its insides:
    # real ones, not steps
    import types
    from . import _time
    mppool.time = types.SimpleNamespace(**{k: getattr(mppool.time, k) for k in dir(mppool.time)
                                           if not k.startswith("__")})
    mppool.time.sleep = _time._real_sleep
