"""lockstep_trace._names: what a traced object is called, and whose code
created it.

An object assigned on its creating line is named after the variable
(``A = threading.Lock()`` is A, ``self.lock = Lock()`` is lock,
``forks[i] = Lock()`` is forks); otherwise ``Lock@demo.py:12``. A second
object with a name already given gets ``#2``, ``#3``... so the panes and
the deadlock's words never confuse two of them.

Only objects the program's own code creates are traced: the standard
library makes locks and conditions of its own (a Queue's mutex, a Thread's
start Event, logging's RLock) which are the real primitives' insides, not
the lesson.
"""

import linecache
import os
import re
import sys
import sysconfig

_HERE = os.path.dirname(os.path.abspath(__file__))
_ASSIGN = re.compile(r"^\s*([A-Za-z_][\w.]*)(\s*\[[^\]=]*\])?\s*(:[^=]*)?=(?!=)\s*(.*)$")


def _prefixes():
    p = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            v = sysconfig.get_path(key)
        except Exception:
            v = None
        if v:
            p.add(os.path.realpath(v) + os.sep)
    p.add(_HERE + os.sep)
    return tuple(p)


_NOT_USER = _prefixes()
_user_cache = {}


def is_user_file(filename):
    v = _user_cache.get(filename)
    if v is None:
        if filename.startswith("<frozen") or filename.startswith("<string"):
            v = filename.startswith("<string")
        else:
            v = not os.path.realpath(filename).startswith(_NOT_USER)
        _user_cache[filename] = v
    return v


def user_frame(depth):
    """True when the frame `depth` levels above our caller runs the
    program's own code."""
    try:
        f = sys._getframe(depth + 1)
    except ValueError:
        return False
    return is_user_file(f.f_code.co_filename)


def first_user_frame(depth=1):
    """The nearest frame above our caller that runs the program's own
    code, or None."""
    try:
        f = sys._getframe(depth + 1)
    except ValueError:
        return None
    while f is not None and not is_user_file(f.f_code.co_filename):
        f = f.f_back
    return f


_taken = {}


def _unique(name):
    n = _taken.get(name, 0) + 1
    _taken[name] = n
    return name if n == 1 else "%s#%d" % (name, n)


def where(f):
    return "%s:%d" % (os.path.basename(f.f_code.co_filename), f.f_lineno)


def _statement(f, line):
    """Of a line holding several statements (a = Lock(); b = Lock()), the
    one whose call is running in frame f, found by the call's column
    (Python 3.11's positions); else the whole line."""
    if ";" not in line:
        return line
    try:
        col = list(f.f_code.co_positions())[f.f_lasti // 2][2]
    except (AttributeError, IndexError, TypeError):
        return line
    if col is None:
        return line
    b = line.encode("utf-8")  # the column counts bytes of UTF-8
    start = b.rfind(b";", 0, col) + 1
    end = b.find(b";", col)
    return b[start:end if end >= 0 else len(b)].decode("utf-8", "ignore")


def statement_of(f):
    """The text of the statement frame f is running (its line, or its part
    of a line of several)."""
    return _statement(f, linecache.getline(f.f_code.co_filename, f.f_lineno))


def object_name(kind_word, depth=1):
    """The name for a new object of kind_word ('Lock', 'Queue'...), read
    from the line of the program's code that creates it."""
    f = first_user_frame(depth)
    if f is None:
        return _unique(kind_word)
    line = statement_of(f)
    m = _ASSIGN.match(line)
    if m and "," not in m.group(1):
        target = m.group(1).split(".")[-1]
        if target and target != "_":
            return _unique(target)
    return _unique("%s@%s" % (kind_word, where(f)))
