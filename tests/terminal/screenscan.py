"""screenscan: what a screen must never show, read from a tmux capture.

- A word cut without an ellipsis: text that runs into a pane's right border
  (or the screen's edge) ending in letters that are no word lockstep or its
  scenes ever write. The vocabulary is every run of letters in the sources
  (src/, scenes/, tests/scenes/) plus whatever the same screen shows whole.
- A truncated line (ending in an ellipsis) in a pane that still has free
  rows: where text could wrap, it must. Table panes (one row per worker or
  object) are exempt: a free row cannot hold a cell of another row.
"""
import glob
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
ELL = ("\u2026", "~")
TABLES = ("Workers", "Locks", "Semaphores", "Queues", "Shared values", "Queues and buffers")
# The conditions pane says less when short (one line per witness) in steps
# of several rows, so it can cut a line and leave a row or two free; its
# detail levels are being reworked with the pane itself (issue 14). Its
# words are still checked for cuts without an ellipsis.
WRAP_EXEMPT = ("Four conditions for deadlock",)

_vocab = None


def vocabulary():
    global _vocab
    if _vocab is None:
        words = set()
        files = []
        for d in ("src", "scenes", os.path.join("tests", "scenes")):
            files += glob.glob(os.path.join(ROOT, d, "*.[ch]"))
        for f in files:
            with open(f, encoding="utf-8", errors="replace") as fh:
                words.update(w.lower() for w in re.findall(r"[A-Za-z]+", fh.read()))
        _vocab = words
    return _vocab


def by_column(line):
    """The line with each double-width character followed by an empty
    string, so that an index is a screen column (tmux captures characters,
    the layout is in columns)."""
    out = []
    for ch in line:
        out.append(ch)
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            out.append("")
    return out


def column_lines(screen):
    """Each line as a string in which every column is one character (a
    double-width character becomes itself and a NUL)."""
    return ["".join(c if c else "\0" for c in by_column(l)) for l in screen.split("\n")]


def boxes(lines):
    """Boxed panes: (title, top, left, bottom, right) from their corners, in
    UTF-8 (┌ ┐ │ └) or ASCII (+ + | +) drawing."""
    out = []
    for y, line in enumerate(lines):
        for m in re.finditer("[\u250c+](?=[\u2500-][\u25c6* -])", line):
            left = m.start()
            ascii_box = line[left] == "+"
            right = line.find("+" if ascii_box else "\u2510", left + 1)
            if right < 0:
                continue
            seg = line[left + 1:right]
            if ascii_box and not re.match(r"-[*]? [^-]", seg):
                continue  # a bottom border or a graph's box, not a pane's title
            t = re.search(r"[\u25c6* ]*([^\u2500-][^\u2500]*?) [\u2500-]", seg)
            title = t.group(1).strip(" \u25c6*") if t else ""
            bottom = y + 1
            while bottom < len(lines) and len(lines[bottom]) > left and \
                    lines[bottom][left] in "\u2502|":
                bottom += 1
            if bottom < len(lines) and len(lines[bottom]) > left and lines[bottom][left] in "\u2514+":
                out.append((title, y, left, bottom, right))
    return out


def _tail_word(text):
    m = re.search(r"([A-Za-z]+)$", text)
    return m.group(1) if m else None


def scan(screen):
    """Problems found on one screen, as readable strings."""
    lines = column_lines(screen)
    width = max((len(l) for l in lines), default=0)
    problems = []
    seen = set(w.lower() for w in re.findall(r"[A-Za-z]+(?=[^A-Za-z]|$)", screen))
    vocab = vocabulary()

    def cut_word(text, where):
        w = _tail_word(text)
        if not w or len(w) < 2 or not text.rstrip():
            return
        # a word that also shows whole elsewhere on screen is only a cut if
        # it is longer there; the vocabulary decides the rest
        if w.lower() in vocab:
            return
        others = [x for x in seen if x.startswith(w.lower()) and x != w.lower()]
        if w.lower() in seen and not others:
            return
        problems.append("word cut without an ellipsis at %s: ...%r" %
                        (where, text[-24:].replace("\0", "")))

    for title, top, left, bottom, right in boxes(lines):
        inner = [lines[y][left + 1:right] if len(lines[y]) > right else lines[y][left + 1:]
                 for y in range(top + 1, bottom)]
        free = sum(1 for r in inner if not r.strip(" \u25b2\u25bc^v"))
        for k, row in enumerate(inner):
            body = row.rstrip("\u25b2\u25bc")
            # panes keep at most one blank column before their border
            if body.strip() and len(body) - len(body.rstrip()) <= 1:
                cut_word(body.rstrip(), "%s row %d" % (title or "a pane", k + 1))
            if free and title not in TABLES + WRAP_EXEMPT and body.rstrip().endswith(ELL):
                problems.append("%s: a truncated line while %d rows are free: %r" %
                                (title or "a pane", free, body.strip()[-40:].replace("\0", "")))
    # rows without a border: the header's two rows and the key bar
    for y in (0, 1, len(lines) - 1):
        if 0 <= y < len(lines) and len(lines[y]) >= width and not lines[y].endswith(" "):
            cut_word(lines[y], "row %d's end" % y)
    return problems
