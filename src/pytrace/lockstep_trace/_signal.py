"""lockstep_trace._signal: signal.signal, signal.getsignal, signal.pause
and signal.alarm, announced as the C scenes' signals are (probe_ipc.c).

signal.signal installs the program's handler for real (CPython's C handler
trips it), then puts lockstep's C handler in front (pyprobe_proc.c): the
arrival is announced (DELIVERED) and the process's main worker is woken at
its gate. The handler itself is wrapped: HANDLER when it starts, DONE when
it returns. It runs where CPython runs it: between two bytecodes of the
main thread, or, when the main thread is parked at its gate, right there
(the gate calls back into Python), so a handler can itself send signals as
ordinary steppable operations. An exception a handler raises at a gate
(sys.exit in a handler) is raised in the main thread as soon as its gate
returns.

pause() is the real pause() without its race (the signal mask and ppoll,
in C) and returns once a handler has run, as the real one does. In a
controlled run it parks (BLOCKED pause) and alarm() runs on the virtual
clock: the alarm rings when every worker waits and the clock jumps to it.

Default handlers lockstep did not see installed (Python's own SIGINT
handler) are not announced.
"""

import ctypes
import signal
import threading

from . import _core as C
from . import _names
from . import _os

_real = {}
_lib = None
_handled = [0]          # handlers run in this process
_user_of = {}           # our wrapper -> the program's handler
_DISP_DEFAULT, _DISP_IGNORE, _DISP_HANDLE = 0, 1, 2


def _bind(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


def traced():
    return C.attached and C.self_id() >= 0


_CB = ctypes.CFUNCTYPE(ctypes.c_int)


def _run_pending():
    """Called by the gate (GIL taken) when a signal is pending for this
    process's main worker: run CPython's pending handlers now."""
    # (the handler may already have run as this function was entered:
    # the C side counts handlers, lsp_sig_handling, to know whether any ran)
    try:
        ctypes.pythonapi.PyErr_CheckSignals()
    except BaseException as e:  # noqa: B902 - raised again in the program
        _raise_later(e)
    return 0


def _raise_later(e):
    """A handler's exception (SystemExit, KeyboardInterrupt...) raised at a
    gate, inside a callback: have the main thread raise it once it is back
    in Python."""
    code = getattr(e, "code", None)
    cls = type(e)

    class _Again(cls):
        def __init__(self, *a):
            if issubclass(cls, SystemExit):
                cls.__init__(self, code)
            else:
                cls.__init__(self, *e.args)
    _Again.__name__ = cls.__name__
    _Again.__qualname__ = cls.__qualname__
    _Again.__module__ = cls.__module__
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), ctypes.py_object(_Again))


_run_pending_cb = _CB(_run_pending)


def _wrap(sig, fn):
    name = getattr(fn, "__name__", None) or "handler"

    def handler(signum, frame):
        if not traced():
            return fn(signum, frame)
        _lsp_sig_handling()
        C.emit_text(C.EV.HANDLER, -1, signum, name)
        C.flush()
        try:
            return fn(signum, frame)
        finally:
            C.emit(C.EV.DONE, -1, C.OP.HANDLER, signum)
            C.flush()
            _handled[0] += 1
    _user_of[handler] = fn
    handler.__wrapped__ = fn
    return handler


def signal_(signalnum, handler):
    if not traced():
        return _user_of.get(_real["signal"](signalnum, handler), None) or \
            _real["getsignal"](signalnum)
    sig = int(signalnum)
    if handler is signal.SIG_DFL or handler == signal.SIG_DFL:
        disp, real_h = _DISP_DEFAULT, handler
    elif handler is signal.SIG_IGN or handler == signal.SIG_IGN:
        disp, real_h = _DISP_IGNORE, handler
    elif callable(handler):
        disp, real_h = _DISP_HANDLE, _wrap(sig, handler)
    else:
        return _real["signal"](signalnum, handler)  # let the real one say what is wrong
    # the standard library's own (a Manager's server ignoring ^C) is said,
    # but is no step: its caller may be waited on by the program's main
    # outside any gate (reading the Manager's address), and a step it
    # waited for would never come
    mine = _names.user_frame(1)
    if mine:
        C.gate(C.OP.SIGACTION, -1, sig)
    old = _real["signal"](signalnum, real_h)
    if disp == _DISP_HANDLE:
        _lsp_sig_hook(sig)
    C.end_op(C.EV.DONE, -1, C.OP.SIGACTION, sig, disp)
    return _user_of.get(old, old)


def getsignal(signalnum):
    h = _real["getsignal"](signalnum)
    return _user_of.get(h, h)


def pause():
    if not traced():
        return _real["pause"]()
    C.gate(C.OP.PAUSE, -1, 0)
    before = _handled[0]
    told = False
    while _handled[0] == before:
        if C.stepping():
            told = False
        elif not told:
            _lsp_pause_blocked()
            told = True
        _lsp_pause_once()
        # a pending handler runs here, as the loop jumps back
    C.end_op(C.EV.DONE, -1, C.OP.PAUSE, 0)
    return None


def alarm(seconds):
    if not traced():
        return _real["alarm"](seconds)
    C.gate(C.OP.ALARM, -1, int(seconds))
    left = _lsp_alarm(int(seconds))
    C.end_op(C.EV.DONE, -1, C.OP.ALARM, int(seconds))
    return left


def install():
    """Replace the signal functions (once, after attach, in the main thread)."""
    global _lib
    if _real:
        return
    _lib = C._lib
    g = globals()
    g["_lsp_sig_hook"] = _bind("lsp_sig_hook", ctypes.c_int, ctypes.c_int)
    g["_lsp_sig_handling"] = _bind("lsp_sig_handling", None)
    g["_lsp_pause_once"] = _bind("lsp_pause_once", None)
    g["_lsp_pause_blocked"] = _bind("lsp_pause_blocked", None)
    g["_lsp_alarm"] = _bind("lsp_alarm", ctypes.c_uint, ctypes.c_uint)
    init = _bind("lsp_proc_init", None, _CB)
    init(_run_pending_cb)
    ctypes.pythonapi.PyErr_CheckSignals.restype = ctypes.c_int
    ctypes.pythonapi.PyErr_CheckSignals.argtypes = []
    ctypes.pythonapi.PyThreadState_SetAsyncExc.restype = ctypes.c_int
    ctypes.pythonapi.PyThreadState_SetAsyncExc.argtypes = [ctypes.c_ulong, ctypes.py_object]
    for n in ("signal", "getsignal", "pause", "alarm"):
        _real[n] = getattr(signal, n)
    signal.signal = signal_
    signal.getsignal = getsignal
    signal.pause = pause
    signal.alarm = alarm
    _os.install()
