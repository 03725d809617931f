"""lockstep_trace: lockstep's tracer for Python programs.

`lockstep run -- python3 demo.py` runs demo.py under this package: the
program's threads, locks, conditions, semaphores, events, barriers,
queues, thread pools and sleeps are reported to lockstep as a C scene's
are, and in a controlled run each operation waits at lockstep's gate.
Every wrapper calls the real primitive. Needs Python 3.9 or newer.

Modules: _core (the library and the API the wrappers share: read its
docstring), _names (naming), _threading, _queue, _futures, _time; the
process side adds _mp, _os and _signal, loaded here when present.
"""

import importlib
import io
import os
import sys
import traceback

from . import _core

MIN_PYTHON = (3, 9)
# the tests ask for a newer minimum to see the refusal (no old Python needed)
if os.environ.get("LOCKSTEP_TRACE_MIN_PYTHON"):
    MIN_PYTHON = tuple(int(x) for x in os.environ["LOCKSTEP_TRACE_MIN_PYTHON"].split("."))

# the wrapper modules, in the order they install; missing ones are skipped
# (the process side ships _mp, _os and _signal)
_MODULES = ("_threading", "_queue", "_futures", "_time", "_mp", "_os", "_signal")
_installed = False


def install():
    """Install every wrapper module there is (once)."""
    global _installed
    if _installed:
        return
    _installed = True
    for name in _MODULES:
        try:
            mod = importlib.import_module("." + name, __name__)
        except ImportError as e:
            if getattr(e, "name", None) == __name__ + "." + name:
                continue  # not shipped (yet)
            raise
        mod.install()


class _Output(io.TextIOBase):
    """sys.stdout / sys.stderr of a traced program: each line is an
    OUTPUT record from the worker that printed it, so the log says who
    printed what, in order with its other operations (ls_print's way)."""

    def __init__(self, real):
        self._real = real
        self._tls = _thread_local()

    @property
    def encoding(self):
        return getattr(self._real, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self._real, "errors", "strict")

    def fileno(self):
        return self._real.fileno()

    @property
    def buffer(self):
        """Bytes written here go to the real stream (the log shows them
        as the program's anonymous output)."""
        return self._real.buffer

    def isatty(self):
        return False

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        buf = getattr(self._tls, "buf", "") + s
        while True:
            nl = buf.find("\n")
            if nl < 0:
                break
            _core.emit_line(_core.EV.OUTPUT, buf[:nl])
            buf = buf[nl + 1:]
        self._tls.buf = buf
        return len(s)

    def flush(self):
        buf = getattr(self._tls, "buf", "")
        if buf:
            self._tls.buf = ""
            _core.emit_line(_core.EV.OUTPUT, buf)
        _core.flush()


def _thread_local():
    import _thread
    return _thread._local()


def _too_old():
    v = sys.version_info
    return "tracing a Python program needs Python %d.%d or newer; %s is %d.%d" % (
        MIN_PYTHON[0], MIN_PYTHON[1], sys.executable, v[0], v[1])


def _trim(tb, path):
    """The traceback from the program's first frame on (not ours)."""
    t = tb
    while t is not None and os.path.abspath(t.tb_frame.f_code.co_filename) != path:
        t = t.tb_next
    return t or tb


def _finish_daemons():
    """At the program's exit: traced threads still running (daemons) will
    say nothing more."""
    import threading
    for t in threading.enumerate():
        wid = getattr(t, "_ls_id", None)
        if wid is not None and t.is_alive():
            _core.stopped(wid)
    _core.flush()


def _wind_down():
    """What threading._shutdown does at the program's end (its atexit
    calls, such as a thread pool's shutdown, then joining every
    non-daemon thread), done while main is still a traced worker: each
    join is a step the class sees ("main waits for T1 to end"), and no
    wait of main's at exit escapes the gate, which in a controlled run
    would keep it moving for ever."""
    import threading
    calls = getattr(threading, "_threading_atexits", None)
    if calls:
        todo = list(calls)
        del calls[:]
        for call in reversed(todo):
            call()
    me = threading.current_thread()
    while True:
        left = [t for t in threading.enumerate()
                if t is not me and not t.daemon and getattr(t, "_ls_id", None) is not None
                and t.is_alive()]
        if not left:
            break
        for t in left:
            t.join()


def run_main(path):
    """Run the program at path as __main__, traced when under lockstep."""
    path = os.path.abspath(path)
    if sys.version_info < MIN_PYTHON:
        try:
            if _core.attach():
                _core.fatal(_too_old())  # the run's error, said by lockstep
            else:
                sys.stderr.write("lockstep: " + _too_old() + "\n")
        except Exception:
            sys.stderr.write("lockstep: " + _too_old() + "\n")
        sys.exit(1)
    traced = False
    try:
        traced = _core.attach()
    except (ImportError, OSError) as e:
        sys.stderr.write("lockstep: cannot load the tracer's library: %s\n" % e)
        sys.exit(1)
    with io.open_code(path) as f:
        source = f.read()
    code = compile(source, path, "exec", dont_inherit=True)
    import __main__
    import atexit
    import builtins
    g = __main__.__dict__
    g.clear()
    g.update(__name__="__main__", __file__=path, __builtins__=builtins, __doc__=None,
             __loader__=None, __package__=None, __spec__=None, __cached__=None)
    if traced:
        install()
        sys.stdout = _Output(sys.stdout)
        sys.stderr = _Output(sys.stderr)
        atexit.register(_finish_daemons)
    status = 0
    try:
        exec(code, g)
    except SystemExit as e:
        c = e.code
        status = c if isinstance(c, int) else (0 if c is None else 1)
        if traced:
            _end_traced(status)
        raise
    except BaseException:
        et, ev, tb = sys.exc_info()
        traceback.print_exception(et, ev, _trim(tb, path))
        del et, ev, tb
        if traced:
            _end_traced(1)
        sys.exit(1)
    if traced:
        _end_traced(0)


def _end_traced(status):
    try:
        _wind_down()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        _core.end(status)
