#!/usr/bin/env python3
"""Every file with a translatable string is in assets/po/POTFILES, or its
words never reach a translator (the course is taught in Chinese)."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Tap  # noqa: E402

t = Tap()
root = sys.argv[1]
with open(os.path.join(root, "assets", "po", "POTFILES")) as f:
    listed = {l.strip() for l in f if l.strip() and not l.startswith("#")}
marks = {"src": re.compile(r'\b_\("|\bN_\("'), "scenes": re.compile(r'\bLS_\("|\bLS_N\("')}
n = 0
for d, mark in marks.items():
    for name in sorted(os.listdir(os.path.join(root, d))):
        if not name.endswith((".c", ".h")):
            continue
        rel = d + "/" + name
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            if not mark.search(f.read()):
                continue
        n += 1
        t.check(rel in listed, "%s is in POTFILES" % rel)
t.check(n > 30, "files with translatable strings were found", n)
missing = sorted(p for p in listed if not os.path.exists(os.path.join(root, p)))
t.check(not missing, "POTFILES names only files that exist", missing)
t.done()
