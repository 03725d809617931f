"""lockstep_trace._queue: queue.Queue, LifoQueue, PriorityQueue and
SimpleQueue, traced.

A traced queue holds the real one and moves items with the real queue's
own parts (its mutex, its conditions, _put and _get), announcing each put
and get under that mutex, so the model sees them in the order they
happened (the C probe's queue does the same). Its contents show as an int
as itself (a bool as 0/1, a PriorityQueue's (priority, item) as its item
when that is an int), any other item as its short text (repr): it is
numbered C.ITEM_BASE + n in the order the queue first saw it, and an ITEM
record before its put gives the model that number's text.

task_done() and join() are what the C JoinableQueue is made of: a count
(QUEUE.unfinished), a lock and a condition (QUEUE.all_done), declared the
first time the program uses them.
"""

import queue

from . import _core as C
from ._names import object_name, user_frame
from . import _threading as T

_RealQueue = queue.Queue
_RealLifo = queue.LifoQueue
_RealPriority = queue.PriorityQueue
_RealSimple = queue.SimpleQueue
Full, Empty = queue.Full, queue.Empty


def _int_of(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int) and -(1 << 62) < v < (1 << 62):
        return v
    return None


class _Tokens(object):
    """Numbers for items that are not ints, in the order first seen."""

    def __init__(self):
        self._by_id = {}

    def of(self, item):
        v = _int_of(item)
        if v is not None:
            return v
        if isinstance(item, tuple) and len(item) == 2 and _int_of(item[1]) is not None:
            return _int_of(item[1])
        key = id(item)
        n = self._by_id.get(key)
        if n is None:
            n = C.ITEM_BASE + len(self._by_id) + 1
            self._by_id[key] = n
        return n


class Queue(object):
    """A traced queue.Queue (LifoQueue and PriorityQueue below)."""
    _real_class = _RealQueue
    _word = "Queue"
    _any_order = False  # a get takes the head

    def __new__(cls, maxsize=0):
        if not T._traced_here():
            return cls._real_class(maxsize)
        return object.__new__(cls)

    def __init__(self, maxsize=0, name=None):
        self._real = self._real_class(maxsize)
        self.maxsize = maxsize
        self._tokens = _Tokens()
        self._j = None
        self._name = name or object_name(self._word, 2)
        self._ls_id = C.declare_object(C.OBJ.QUEUE, self._name, 0, maxsize if maxsize > 0 else 0,
                                    C.QUEUE_ANY_ORDER if self._any_order else -1)

    # the real queue's own steps, under its mutex, announced there
    def _try_put(self, item):
        q = self._real
        with q.mutex:
            if 0 < q.maxsize <= q._qsize():
                return False
            self._put_locked(item)
            return True

    def _put_locked(self, item):
        q = self._real
        q._put(item)
        q.unfinished_tasks += 1
        C.emit(C.EV.DONE, self._ls_id, C.OP.PUT, self._tokens.of(item))
        C.flush()
        q.not_empty.notify()

    def _block_put(self, item, seconds):
        q = self._real
        with q.not_full:
            if 0 < q.maxsize <= q._qsize():
                q.not_full.wait(seconds)
            if 0 < q.maxsize <= q._qsize():
                return False
            self._put_locked(item)
            return True

    def _try_get(self, box):
        q = self._real
        with q.mutex:
            if not q._qsize():
                return False
            box.append(self._get_locked())
            return True

    def _get_locked(self):
        q = self._real
        item = q._get()
        C.emit(C.EV.DONE, self._ls_id, C.OP.GET, self._tokens.of(item))
        C.flush()
        q.not_full.notify()
        return item

    def _block_get(self, box, seconds):
        q = self._real
        with q.not_empty:
            if not q._qsize():
                q.not_empty.wait(seconds)
            if not q._qsize():
                return False
            box.append(self._get_locked())
            return True

    def put(self, item, block=True, timeout=None):
        if C.self_id() < 0:
            return self._real.put(item, block, timeout)
        if block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        t = T._timeout_of(block, timeout)
        qid = self._ls_id
        tok = self._tokens.of(item)
        C.item_text(qid, tok, item)  # before the WANT that names it
        C.gate(C.OP.PUT, qid, tok)
        if not C.blocking(C.OP.PUT, qid, lambda: self._try_put(item),
                          lambda s: self._block_put(item, s), t):
            C.end_op(C.EV.TIMEOUT, qid, C.OP.PUT)
            raise Full

    def get(self, block=True, timeout=None):
        if C.self_id() < 0:
            return self._real.get(block, timeout)
        if block and timeout is not None and timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        t = T._timeout_of(block, timeout)
        qid = self._ls_id
        box = []
        C.gate(C.OP.GET, qid, 0)
        if not C.blocking(C.OP.GET, qid, lambda: self._try_get(box),
                          lambda s: self._block_get(box, s), t):
            C.end_op(C.EV.TIMEOUT, qid, C.OP.GET)
            raise Empty
        return box[0]

    def put_nowait(self, item):
        return self.put(item, block=False)

    def get_nowait(self):
        return self.get(block=False)

    def qsize(self):
        return self._real.qsize()

    def empty(self):
        return self._real.empty()

    def full(self):
        return self._real.full()

    @property
    def queue(self):
        return self._real.queue

    @property
    def mutex(self):
        return self._real.mutex

    @property
    def unfinished_tasks(self):
        return self._real.unfinished_tasks

    # task_done / join: a count, a lock and a condition, as JoinableQueue
    def _joinable(self):
        if self._j is None:
            lock = T.Lock(name=self._name + ".lock")
            cond = T.Condition._made(lock, self._name + ".all_done")
            count = C.declare_object(C.OBJ.VALUE, self._name + ".unfinished",
                                     self._real.unfinished_tasks, 0, -1)
            self._j = (lock, cond, count)
        return self._j

    def task_done(self):
        if C.self_id() < 0:
            return self._real.task_done()
        lock, cond, count = self._joinable()
        with lock:
            self._real.task_done()  # raises when called too many times
            n = self._real.unfinished_tasks
            C.emit(C.EV.DONE, count, C.OP.TASK_DONE, n)
            C.end_op(C.EV.DONE, count, C.OP.WRITE, n)
            if n == 0:
                cond.notify_all()

    def join(self):
        if C.self_id() < 0:
            return self._real.join()
        lock, cond, _ = self._joinable()
        with lock:
            while self._real.unfinished_tasks:
                cond.wait()

    def __repr__(self):
        return "<traced %s %s>" % (self._word, self._name)


class LifoQueue(Queue):
    _real_class = _RealLifo
    _word = "LifoQueue"
    _any_order = True


class PriorityQueue(Queue):
    _real_class = _RealPriority
    _word = "PriorityQueue"
    _any_order = True


class SimpleQueue(Queue):
    """queue.SimpleQueue: unbounded, no task_done/join."""
    _word = "SimpleQueue"

    def __new__(cls):
        if not T._traced_here():
            return _RealSimple()
        return object.__new__(cls)

    def __init__(self, name=None):
        Queue.__init__(self, 0, name or object_name("SimpleQueue", 2))

    def put(self, item, block=True, timeout=None):
        return Queue.put(self, item)


def install():
    queue.Queue = Queue
    queue.LifoQueue = LifoQueue
    queue.PriorityQueue = PriorityQueue
    queue.SimpleQueue = SimpleQueue
