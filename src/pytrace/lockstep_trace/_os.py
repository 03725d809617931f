"""lockstep_trace._os: os.fork, os.wait/os.waitpid, os._exit, os.kill and
os.getppid, announced as the C scenes' processes are (src/probe_ipc.c,
src/pytrace/pyprobe_proc.c).

A fork makes the child a process worker of its own: the parent declares
it (named after the variable the creating line assigns the pid to,
``conductor = os.fork()``, or by the Process being started), forks,
announces SPAWN and the pipe ends the child inherited, and only then lets
the child go; the child waits for that before its first record, so the
engine never hears from a worker it does not know. Waiting for a child is
a join: parked at the gate in a controlled run, in the kernel in a free
one, and REAPED says when the zombie went. A kill says first what the
signal will do to its target (handled, ignored, terminates...).

Only the fork start method is traced: a `spawn` or `forkserver` child is a
fresh interpreter the tracer is not loaded into (it runs, untraced).
Untraced threads (self_id() < 0) and processes outside the run pass
straight through to the real calls.
"""

import ctypes
import errno
import os
import select
import time
import threading

from . import _core as C
from . import _names

_real = {}
_lib = None

# this process's side: its main worker, and its traced children by pid
_proc = {"worker": 0, "forked": False, "start_ppid": 0, "adopted": False}
_children = {}  # pid -> worker id, unreaped children of this process
_tls = threading.local()  # next_fork: (name, flags) set by Process.start; kill_op

# hooks of other wrapper modules (_mp's pipe ends): called in the parent
# after fork with the child's worker id, before the child is let go
fork_parent_hooks = []
# called in the child first thing after it is a worker
fork_child_hooks = []


def _bind(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


def _load():
    global _lib
    _lib = C._lib
    g = globals()
    i, l, i64 = ctypes.c_int, ctypes.c_long, ctypes.c_int64
    g["_fork_parent"] = _bind("lsp_fork_parent", None, i, l)
    g["_let_go"] = _bind("lsp_let_go", None, i)
    g["_fork_child"] = _bind("lsp_fork_child", None, i, l)
    g["_fork_untraced"] = _bind("lsp_fork_untraced", None)
    g["_fork_block"] = _bind("lsp_fork_block", None)
    g["_fork_unblock"] = _bind("lsp_fork_unblock", None)
    g["_proc_exit"] = _bind("lsp_proc_exit", None, i)
    g["_waitpid"] = _bind("lsp_waitpid", l, i, l, i, i, ctypes.POINTER(ctypes.c_int))
    g["_reaped"] = _bind("lsp_reaped", None, l, i)
    g["_kill"] = _bind("lsp_kill", i, i, l, i)
    g["worker_of_pid"] = _bind("lsp_worker_of_pid", i, l)
    g["emit_as"] = _bind("lsp_emit_as", None, i, i, i, i64, i64, i64, i64)
    g["_adopted"] = _bind("lsp_adopted", None, l)


def traced():
    return C.attached and C.self_id() >= 0


def proc_worker():
    """The main worker of the calling process."""
    return _proc["worker"]


def in_child():
    """True in a process the program forked (not the program's main)."""
    return _proc["forked"]


# ---- fork ----

def set_next_fork(name, flags):
    """Process.start: the next fork on this thread makes this worker."""
    _tls.next_fork = (name, flags)


UNTRACED = ("", -1)


def set_next_fork_untraced():
    """Process.start of a library's own process (a Manager's server): the
    next fork on this thread makes a process lockstep does not trace."""
    _tls.next_fork = UNTRACED


def _fork_quietly():
    C.flush()
    pid = _real["fork"]()
    if pid == 0:
        _fork_untraced()
        C.set_self(-1)  # every wrapper passes through from now on
        _proc["worker"] = -1
        _proc["forked"] = True
        _children.clear()
    return pid


def fork():
    if not traced():
        return _real["fork"]()
    nf = getattr(_tls, "next_fork", None)
    _tls.next_fork = None
    if nf is UNTRACED:
        return _fork_quietly()
    if nf:
        name, flags = nf
    else:
        name, flags = _names.object_name("fork", 1), 0
    # a Python child outlives its parent (it is adopted, it dies with the
    # run only): the engine must not wait for it to die with its parent
    wid = C.declare_worker(name, C.WK_PROCESS, flags | C.WF_ORPHAN_OK)
    C.flush()
    parent = os.getpid()
    _fork_block()
    try:
        pid = _real["fork"]()
    except BaseException:
        _fork_unblock()
        raise
    if pid == 0:
        _fork_child(wid, parent)
        C.set_self(wid)  # and _core's mirror of it
        _proc["worker"] = wid
        _proc["forked"] = True
        _proc["start_ppid"] = parent
        _proc["adopted"] = False
        _children.clear()
        for h in fork_child_hooks:
            h(wid)
        return 0
    _fork_unblock()
    _fork_parent(wid, pid)
    _children[pid] = wid
    for h in fork_parent_hooks:
        h(wid)
    _let_go(wid)
    return pid


# ---- ends of a process ----

def _exit(code):
    """os._exit: a forked process's main worker says EXIT (with its pipe
    ends closed) before it goes; the program's main is told of by the host."""
    if traced() and in_child() and C.self_id() == proc_worker():
        for h in exit_hooks:
            try:
                h()
            except Exception:
                pass
        _proc_exit(int(code) & 0xff if isinstance(code, int) else 1)
    _real["_exit"](code)


exit_hooks = []  # before a forked process's EXIT: _mp closes its pipe ends


# ---- waiting for children ----

def _target(pid):
    """The worker a wait for pid is shown waiting for."""
    if pid > 0:
        return _children.get(pid, worker_of_pid(pid))
    if not _children:
        return -1
    for p, w in _children.items():
        if C.exited(w):
            return w
    return next(iter(_children.values()))


def _forget(p):
    _children.pop(p, None)


def waitpid(pid, options):
    if not traced():
        # (the program's exit functions: multiprocessing joins its children
        # after main has ended as a worker) the zombie is gone all the same
        r = _real["waitpid"](pid, options)
        if r[0] > 0 and C.attached:
            _reaped(r[0], r[1])
            _forget(r[0])
        return r
    w = _target(pid)
    if w < 0:
        # not a traced process (subprocess.Popen's exec'd child, a spawn
        # child): a wait lockstep does not control, moving until it returns
        return _real["waitpid"](pid, options)
    if options & os.WNOHANG:
        # a poll (Process.exitcode, is_alive): not an operation of its own,
        # but a zombie it reaps is gone
        r = _real["waitpid"](pid, options)
        if r[0] > 0:
            _reaped(r[0], r[1])
            _forget(r[0])
        return r
    st = ctypes.c_int(0)
    gate = 1
    while True:
        r = _waitpid(w, pid, options, gate, ctypes.byref(st))
        gate = 0
        if r == -errno.EINTR:  # EINTR: Python runs the handler now, then waits on (PEP 475)
            continue
        if r < 0:
            raise OSError(-r, os.strerror(-r))
        _forget(r)
        return r, st.value


def wait():
    return waitpid(-1, 0)


# ---- signals to processes ----

def kill_op(op):
    """Process.terminate: the next kill on this thread is that operation."""
    _tls.kill_op = op


def kill(pid, sig):
    if not traced():
        return _real["kill"](pid, sig)
    op = getattr(_tls, "kill_op", None) or C.OP.SIGNAL
    _tls.kill_op = None
    if pid <= 0:
        # a process group: the program's group is the run's, lockstep's host
        # included; sent as it is, announced as nothing lockstep can name
        return _real["kill"](pid, sig)
    r = _kill(op, pid, int(sig))
    if r < 0:
        raise OSError(-r, os.strerror(-r))


def getppid():
    p = _real["getppid"]()
    if traced() and in_child() and p == _proc["start_ppid"]:
        # a parent that announced its exit is moments from being gone: the
        # answer must not depend on how fast the kernel is
        pw = worker_of_pid(p)
        deadline = time.monotonic() + 1.0
        while pw > 0 and C.exited(pw) and p == _proc["start_ppid"] and time.monotonic() < deadline:
            select.select([], [], [], 0.001)  # time.sleep may be traced
            p = _real["getppid"]()
    if traced() and in_child() and not _proc["adopted"] and p != _proc["start_ppid"]:
        _proc["adopted"] = True
        _adopted(p)
    return p


def install():
    """Replace the os functions (once, after attach)."""
    if _real:
        return
    _load()
    for n in ("fork", "waitpid", "wait", "_exit", "kill", "getppid"):
        _real[n] = getattr(os, n)
    os.fork = fork
    os.waitpid = waitpid
    os.wait = wait
    os._exit = _exit
    os.kill = kill
    os.getppid = getppid
