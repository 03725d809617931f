"""lockstep_trace._core: the door into liblockstep-py.so, and the API every
wrapper module (_threading, _queue, _futures, _time here; _mp, _os, _signal
of the process side) builds on.

The library is lockstep's own probe (src/probe.c) built as a shared
library: the records a traced Python operation sends and the gate it waits
at are exactly a C scene's. Every call goes through ctypes, which releases
the GIL for its duration, so a thread parked at its gate lets all the
others run.

How a program gets here: `lockstep run -- python3 demo.py` makes a scene
host that declares worker 0 ("main") and execs
``python3 .../lockstep_trace/__main__.py demo.py`` with the bus and the
control block on inherited descriptors (LOCKSTEP_BUS_FD, LOCKSTEP_CTL_FD)
and the library's path in LOCKSTEP_PYLIB. __main__ attaches (the main
thread becomes worker 0), installs the wrappers, runs demo.py as __main__.

API (stable from the 'pytrace: core API' commit on; add, do not rename)
-----------------------------------------------------------------------
Constants, read from the library by name (never copied numbers):
  EV.<TYPE>    record types of src/event.h (EV.WANT, EV.BLOCKED, EV.DONE...)
  OP.<OP>      operations (OP.LOCK, OP.JOIN, OP.SIGNAL, OP.PAUSE...)
  OBJ.<KIND>   object kinds (OBJ.MUTEX, OBJ.SEM, OBJ.QUEUE, OBJ.PIPE...)
  WK_THREAD, WK_PROCESS; WF_DAEMON, WF_MAIN, WF_ORPHAN_OK;
  EXIT_RETURN, EXIT_DAEMON_STOPPED, EXIT_SIGNALED; MODE_RUN, MODE_STEP;
  IPC_FIFO, IPC_MQ, IPC_SHM

State:
  attached          True once attach() succeeded (else every wrapper is a
                    plain pass-through to the real primitive)
  self_id()         the calling thread's worker id, -1 for an untraced one
                    (a wrapper called from it only does the real operation)
  set_self(id)      (rarely needed) make the calling thread worker id;
                    self_id() reads a thread-local mirror of the library's
                    worker id, so change it only through begin, set_self,
                    forked_child and end
  mode()            MODE_RUN (free run) or MODE_STEP (controlled)
  stepping()        mode() == MODE_STEP

Workers:
  declare_worker(name, kind=WK_THREAD, flags=0) -> id
                    WORKER + NAME records; its parent is the caller
  spawned(id, pid)  SPAWN, flushed: call in the parent BEFORE the real start
                    (thread start or fork), so the engine knows the worker
                    before it speaks
  begin(id)         first thing in the new thread: it is worker id now
  end(code=0)       the worker's body returned: EXIT (its slot's "exited"
                    word is set, joiners wake), then it is no worker
  stopped(id)       a worker that will say nothing more (a daemon at exit)
  exited(id)        0 live, 1 returned, 2 stopped
  join_wait(id)     park (controlled) or sleep (free) until worker id has
                    announced its end; then join the real thing
  forked_child(id)  in a child process right after fork (os.fork,
                    multiprocessing): drops the parent's unsent records,
                    makes this thread worker id, announces its START. The
                    child keeps the inherited bus and control block, so
                    nothing else is needed to re-attach; the parent calls
                    declare_worker(name, WK_PROCESS, flags) and spawned(id,
                    pid) around the fork (spawned needs the pid: announce
                    from the parent after fork, and have the child wait
                    (a pipe) until the parent has, as the C probe does).

Objects:
  declare_object(kind, name, value=0, cap=0, aux=-1) -> id
  object_name(kind_word, depth) -> str
                    (from _names) the name a new object gets: the variable
                    its creating line assigns it to ('A', 'self.lock' ->
                    'lock'), else 'Lock@demo.py:12'; depth counts frames
                    above the caller of object_name
  user_frame(depth) True when the frame depth levels up is the program's
                    own code (not the standard library, not lockstep_trace):
                    only such creations are traced

Records and the gate (the discipline of src/probe.c):
  gate(op, obj, arg=0)          WANT, then wait until this worker may move
  gate_emit(op, obj, arg, type, a0, a1)   gate, then one record (releases),
                    flushed
  gate_wait()                   wait at the gate without announcing
  emit(type, obj, a0=0, a1=0, a2=0, a3=0) queue a record from this worker
  end_op(type, obj, a0=0, a1=0, a2=0, a3=0) the record that ends an
                    operation (ACQUIRED, DONE, TIMEOUT), flushed: the
                    program's code that follows may wait where lockstep
                    cannot see
  emit_text(type, obj, a0, text), emit_line(type, text) (SAY, OUTPUT)
  flush()                       send this thread's batch now
  park(op, obj, vdeadline=0, aux=0)   controlled run, the real primitive
                    said no: BLOCKED (parked), then wait at the gate for a
                    retry granted by the engine
  blocked_kernel(op, obj, deadline_ns=0, aux=0)  free run, about to wait
                    in the real primitive: BLOCKED (kernel), flushed
  blocking(op, obj, try_, block, timeout) -> bool
                    the whole skeleton: try_() (non-blocking, True when
                    done); in a controlled run park and retry; in a free
                    run block(seconds) (the real blocking call, at most the
                    watchdog interval), re-checking a switch to step mode;
                    timeout None (forever), 0 (try once) or seconds
  vdeadline_after(seconds), vclock(), now_ns()
  register_name(kind, path)     a name made in the file system (IPC_SHM
                    for '/sem.mp-...'), removed by the host however the
                    program ends
  fatal(line)       the run's error, in one line (the tracer cannot go on)

Rules: announce anything that lets another worker proceed (release, post,
notify, put, set) BEFORE doing it (gate_emit then the real call); call the
real Python primitive, never a re-implementation; never block while
holding the GIL except in the real primitive itself.
"""

import _thread
import ctypes
import os
import sys

attached = False
_lib = None
_fast = None  # the same library through ctypes.PyDLL: calls that never wait keep the GIL
class _TLS(_thread._local):
    w = -1  # the calling thread's worker id (the probe's probe_self, mirrored)


_tls = _TLS()


class _Consts(object):
    """Constants of one family, read from the library by name."""

    def __init__(self, prefix, names):
        for n in names:
            v = _lib.lsp_const((prefix + n).encode())
            if v < 0:
                raise ImportError("liblockstep-py.so does not know %s%s" % (prefix, n))
            setattr(self, n, v)


_EV_NAMES = ("HELLO WORKER OBJECT NAME SPAWN WANT BLOCKED ACQUIRED RELEASED DONE "
             "NOTIFY TIMEOUT SAY EXIT REAPED CRASH END OUTPUT SIGNAL DELIVERED "
             "HANDLER ENDS ADOPTED ITEM").split()
_OP_NAMES = ("NONE START LOCK TRYLOCK UNLOCK SEM_WAIT SEM_POST COND_WAIT COND_SIGNAL "
             "COND_BROADCAST PUT GET READ WRITE SLEEP JOIN WORK EVENT_WAIT EVENT_SET "
             "EVENT_CLEAR BARRIER_WAIT TASK_DONE SIGNAL PAUSE HANDLER CUSTOM FUTURE_SET "
             "FUTURE_GET LOCAL_SET LOCAL_GET OPEN_READ OPEN_WRITE CLOSE SEND RECEIVE "
             "ASET AGET SIGACTION ALARM IS_ALIVE GETPPID PROC_STATE TERMINATE").split()
_OBJ_NAMES = ("MUTEX RLOCK SEM COND QUEUE VALUE EVENT BARRIER PIPE FIFO MQUEUE ARRAY "
              "FUTURE LOCAL").split()

EV = OP = OBJ = None


def _bind(name, restype, *argtypes, fast=False):
    """A function of the library. fast: through PyDLL, keeping the GIL (a
    ctypes call that releases and takes it back costs about as much again):
    only for calls that never wait (no gate, no park, no sleep)."""
    f = getattr(_fast if fast else _lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_i, _i64, _l, _s = ctypes.c_int, ctypes.c_int64, ctypes.c_long, ctypes.c_char_p


def load(path=None):
    """Load the library (LOCKSTEP_PYLIB) and its constants; no attach."""
    global _lib, _fast, EV, OP, OBJ
    if _lib is not None:
        return
    path = path or os.environ.get("LOCKSTEP_PYLIB")
    if not path:
        raise ImportError("LOCKSTEP_PYLIB is not set: run the program with lockstep run")
    _lib = ctypes.CDLL(path)
    _fast = ctypes.PyDLL(path)
    _lib.lsp_const.restype = ctypes.c_int
    _lib.lsp_const.argtypes = [ctypes.c_char_p]
    EV = _Consts("EV_", _EV_NAMES)
    OP = _Consts("OP_", _OP_NAMES)
    OBJ = _Consts("OBJ_", _OBJ_NAMES)
    g = globals()
    for n in ("WK_THREAD WK_PROCESS WF_DAEMON WF_MAIN WF_ORPHAN_OK EXIT_RETURN "
              "EXIT_DAEMON_STOPPED EXIT_SIGNALED MODE_RUN MODE_STEP IPC_FIFO IPC_MQ "
              "IPC_SHM QUEUE_ANY_ORDER EV_TEXT MAX_WORKERS").split():
        g[n] = _lib.lsp_const(n.encode())
    # bound once, called directly; fast=True: never waits, keeps the GIL
    F = dict(fast=True)
    g["_self"] = _bind("lsp_self", _i, **F)
    g["_set_self"] = _bind("lsp_set_self", None, _i, **F)
    g["mode"] = _bind("lsp_mode", _i, **F)
    g["stopping"] = _bind("lsp_stopping", _i, **F)
    g["now_ns"] = _bind("lsp_now_ns", _i64, **F)
    g["t0_ns"] = _bind("lsp_t0_ns", _i64, **F)
    g["vclock"] = _bind("lsp_vclock", _i64, **F)
    g["_vdeadline_after_ms"] = _bind("lsp_vdeadline_after_ms", _i64, _l, **F)
    g["_declare_worker"] = _bind("lsp_declare_worker", _i, _s, _i, _i, **F)
    g["spawned"] = _bind("lsp_spawned", None, _i, _l, **F)
    g["_begin"] = _bind("lsp_begin", None, _i, **F)
    g["_end"] = _bind("lsp_end", None, _i, **F)
    g["stopped"] = _bind("lsp_stopped", None, _i, **F)
    g["exited"] = _bind("lsp_exited", _i, _i, **F)
    g["_declare_object"] = _bind("lsp_declare_object", _i, _i, _s, _i64, _i64, _i64, **F)
    g["_emit"] = _bind("lsp_emit", None, _i, _i, _i64, _i64, _i64, _i64, **F)
    g["done"] = _bind("lsp_done", None, _i, _i, _i64, _i64, _i64, _i64, **F)
    g["_emit_text"] = _bind("lsp_emit_text", None, _i, _i, _i64, _s, **F)
    g["_emit_line"] = _bind("lsp_emit_line", None, _i, _s, **F)
    g["_fatal"] = _bind("lsp_fatal", None, _s, **F)
    g["flush"] = _bind("lsp_flush", None, **F)
    g["_gate_try"] = _bind("lsp_gate_try", _i, _i, _i, _i64, **F)
    g["_gate_emit_try"] = _bind("lsp_gate_emit_try", _i, _i, _i, _i64, _i, _i64, _i64, **F)
    g["_where_is"] = _bind("lsp_where", None, _s, **F)
    # the hot path: int arguments, no argtypes (conversion through argtypes
    # costs about a microsecond a call); only for values that fit an int
    for name in ("lsp_int_gate_try", "lsp_int_done", "lsp_int_gate_emit_try"):
        f = getattr(_fast, name)
        f.restype = ctypes.c_int
        g[name[3:]] = f
    g["_blocked_kernel"] = _bind("lsp_blocked_kernel", None, _i, _i, _i64, _i64, **F)
    g["notified_reset"] = _bind("lsp_notified_reset", None, **F)
    g["notified"] = _bind("lsp_notified", _i, **F)
    g["notify_worker"] = _bind("lsp_notify", None, _i, **F)
    g["_register_name"] = _bind("lsp_register_name", _i, _i, _s, **F)
    g["_forked_child"] = _bind("lsp_forked_child", None, _i, **F)
    g["_attach"] = _bind("lsp_attach", _i, **F)
    g["_version"] = _bind("lsp_version", _i, **F)
    # these may wait: the GIL is released for them
    g["_gate"] = _bind("lsp_gate", None, _i, _i, _i64, _s)
    g["_gate_emit"] = _bind("lsp_gate_emit", None, _i, _i, _i64, _s, _i, _i64, _i64)
    g["gate_wait"] = _bind("lsp_gate_wait", None)
    g["_park"] = _bind("lsp_park", None, _i, _i, _i64, _i64)
    g["stop_if_stopping"] = _bind("lsp_stop_if_stopping", None)
    g["join_wait"] = _bind("lsp_join_wait", None, _i)
    g["_wait_notified"] = _bind("lsp_wait_notified", None, _i64)
    g["_sleep_ms"] = _bind("lsp_sleep_ms", None, _l, _s)


def attach():
    """Join the run: the calling (main) thread becomes worker 0. True when
    running under lockstep, False otherwise (wrappers pass through)."""
    global attached
    load()
    r = _attach()
    if r != 0:
        return False
    _tls.w = 0
    attached = True
    return True


def self_id():
    """The calling thread's worker id, -1 for a thread lockstep does not
    trace (read from a thread-local here: no call into the library; a
    wrapper on a hot path reads _tls.w itself)."""
    return _tls.w


def set_self(w):
    _set_self(w)
    _tls.w = w


def begin(wid):
    _begin(wid)
    _tls.w = wid


def forked_child(wid):
    _forked_child(wid)
    _tls.w = wid


def _b(s):
    if isinstance(s, bytes):
        return s
    return str(s).encode("utf-8", "replace")


def declare_worker(name, kind=None, flags=0):
    return _declare_worker(_b(name), WK_THREAD if kind is None else kind, flags)


def end(code=0):
    _end(int(code) if isinstance(code, int) else 1)
    _tls.w = -1


def declare_object(kind, name, value=0, cap=0, aux=-1):
    return _declare_object(kind, _b(name), value, cap, aux)


def emit(type_, obj, a0=0, a1=0, a2=0, a3=0):
    _emit(type_, obj, a0, a1, a2, a3)


def end_op(type_, obj, a0=0, a1=0, a2=0, a3=0):
    """The record that ends an operation (ACQUIRED, DONE, TIMEOUT), sent
    at once: the program's own code follows, and may wait unseen."""
    if not a2 and not a3 and -_INT < a0 < _INT and -_INT < a1 < _INT:
        _int_done(type_, obj, a0, a1)
    else:
        done(type_, obj, a0, a1, a2, a3)


def emit_text(type_, obj, a0, text):
    _emit_text(type_, obj, a0, _b(text))


# Items that are not ints are numbered from here up (LS_ITEM_TEXT_BASE of
# src/event.h: no int the model shows as itself is this large); an ITEM
# record gives the model their short text.
ITEM_BASE = 1 << 62


def short_repr(x, limit=31):
    """repr(x) cut to fit a record's text (limit bytes of UTF-8), an
    ellipsis where it was cut."""
    try:
        r = repr(x)
    except Exception:
        r = "<%s>" % type(x).__name__
    return cut(r, limit)


def item_text(obj, code, x):
    """Before the put that carries item number `code`: its text, when it
    is not an int shown as itself."""
    if code >= ITEM_BASE:
        _emit_text(EV.ITEM, obj, code, short_repr(x).encode("utf-8", "replace"))


def cut(text, limit=31):
    """text cut to fit a record (limit bytes of UTF-8), an ellipsis where
    it was cut."""
    b = text.encode("utf-8", "replace")
    if len(b) <= limit:
        return text
    return b[:limit - 3].decode("utf-8", "ignore") + "\u2026"


def item_label(obj, code, text):
    """Before the put that carries item number `code`: the words it is
    shown by, whatever the number (a pool's task is the call it stands for,
    not its job's number)."""
    _emit_text(EV.ITEM, obj, code, cut(text).encode("utf-8", "replace"))


def emit_line(type_, text):
    _emit_line(type_, _b(text))


def fatal(line):
    _fatal(_b(line))


_where_of_code = {}


def _where():
    """'demo.py:12': the line of the program's own code that called the
    wrapper (the nearest frame outside the standard library and us)."""
    try:
        f = sys._getframe(3)
    except ValueError:
        return None
    cache = _where_of_code
    while f is not None:
        code = f.f_code
        lines = cache.get(code)
        if lines is None:
            from ._names import is_user_file
            lines = {} if is_user_file(code.co_filename) else False
            cache[code] = lines
        if lines is not False:
            n = f.f_lineno
            w = lines.get(n)
            if w is None:
                w = lines[n] = ("%s:%d" % (os.path.basename(code.co_filename), n)).encode(
                    "utf-8", "replace")
            return w
        f = f.f_back
    return None


_INT = 1 << 31


def gate(op, obj, arg=0):
    if not (_int_gate_try(op, obj, arg) if -_INT < arg < _INT else _gate_try(op, obj, arg)):
        _gate(op, obj, arg, _where())  # where, WANT, and wait without the GIL


def gate_slow(op, obj, arg=0):
    """gate() after its _gate_try said wait (a wrapper's inlined fast path)."""
    _gate(op, obj, arg, _where())


def gate_emit(op, obj, arg, type_, a0, a1):
    if not (_int_gate_emit_try(op, obj, arg, type_, a0, a1)
            if -_INT < arg < _INT and -_INT < a0 < _INT and -_INT < a1 < _INT
            else _gate_emit_try(op, obj, arg, type_, a0, a1)):
        _gate_emit(op, obj, arg, _where(), type_, a0, a1)


def gate_emit_slow(op, obj, arg, type_, a0, a1):
    """gate_emit() after its _gate_emit_try said wait."""
    _gate_emit(op, obj, arg, _where(), type_, a0, a1)


def park(op, obj, vdeadline=0, aux=0):
    _park(op, obj, vdeadline, aux)


def blocked_kernel(op, obj, deadline_ns=0, aux=0):
    _blocked_kernel(op, obj, deadline_ns, aux)


def stepping():
    return mode() == MODE_STEP


def vdeadline_after(seconds):
    return _vdeadline_after_ms(int(seconds * 1000))


def wait_notified(seconds=None):
    _wait_notified(-1 if seconds is None else int(seconds * 1e9))


def sleep_ms(ms):
    _sleep_ms(int(ms), _where())


def register_name(kind, path):
    return _register_name(kind, _b(path))


WATCHDOG_S = 1.0  # a free-run kernel wait re-checks a switch to step mode this often


def ms_of(timeout):
    """A timeout as the WANT argument: -1 forever, else milliseconds."""
    return -1 if timeout is None else int(timeout * 1000)


def blocking(op, obj, try_, block, timeout, aux=0):
    """The blocking skeleton of src/probe.c (blocking_core) around a real
    Python primitive. try_(): True when the operation is done (never
    blocks). block(seconds): the real blocking call, True when done.
    timeout: None forever, 0 try once, else seconds. True when done,
    False on timeout."""
    vdl = vdeadline_after(timeout) if timeout is not None and timeout > 0 else 0
    rdl = now_ns() + int(timeout * 1e9) if timeout is not None and timeout > 0 else 0
    while True:
        if try_():
            return True
        if timeout is not None and timeout <= 0:
            return False
        _where_is(_where())  # blocked: where, if the gate did not say
        if mode() == MODE_STEP:
            if vdl and vclock() >= vdl:
                return False
            park(op, obj, vdl, aux)
            continue
        blocked_kernel(op, obj, rdl, aux)
        while True:
            now = now_ns()
            if rdl and now >= rdl:
                return try_()
            wait = WATCHDOG_S if not rdl else min(WATCHDOG_S, (rdl - now) / 1e9)
            if block(wait):
                return True
            stop_if_stopping()
            if mode() == MODE_STEP:
                break  # leave the kernel wait: park at the gate
