#!/usr/bin/env python3
"""locale_tree.py OUTDIR CATALOGUE...: copy the compiled catalogues meson's
i18n module built (.../LANG/LC_MESSAGES/lockstep.mo, or LANG.gmo in older
meson) to OUTDIR/LANG/LC_MESSAGES/lockstep.mo, where a build-tree run looks
for them (src/i18n.c)."""
import os
import shutil
import sys

out = sys.argv[1]
if os.path.isdir(out):
    shutil.rmtree(out)
for gmo in sys.argv[2:]:
    parts = os.path.normpath(gmo).split(os.sep)
    if len(parts) >= 3 and parts[-2] == "LC_MESSAGES":
        lang = parts[-3]
    else:
        lang = os.path.basename(gmo).rsplit(".", 1)[0]
    d = os.path.join(out, lang, "LC_MESSAGES")
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(gmo, os.path.join(d, "lockstep.mo"))
os.makedirs(out, exist_ok=True)
