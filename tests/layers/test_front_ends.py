#!/usr/bin/env python3
"""The front ends go through the engine. The linker already refuses a call
upward (src/meson.build, layer_check.c); this adds what link order cannot
say: the terminal UI and headless never call the host, the control block,
the bus, /proc or the probe themselves, even though those layers sit below
them. Reads the symbols of the built static libraries with nm."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from lstest import Tap  # noqa: E402

t = Tap()
build = sys.argv[1]
libs = {name: os.path.join(build, "src", "liblockstep-%s.a" % name)
        for name in ("wire", "core", "probe", "probe-families", "probe-compose", "engine", "headless", "tui")}

# which source file defines each symbol; which symbols each file uses
defined, used = {}, {}
for lib, path in libs.items():
    out = subprocess.run(["nm", "-A", path], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        where, _, rest = line.rpartition(":")
        member = where.split(":")[-1]
        src = os.path.basename(member).split("src_")[-1].replace(".c.o", "")
        parts = rest.split()
        if len(parts) == 3 and parts[1] in "TDBRC":
            defined[parts[2]] = src
        elif len(parts) == 2 and parts[0] == "U":
            used.setdefault((lib, src), set()).add(parts[1])

t.check(len(used) > 20 and len(defined) > 300 and defined.get("host_start") == "host",
        "nm read the layers", "%d files" % len(used))
below_the_engine = {"host", "control", "bus", "procfs", "probe", "probe_sync", "probe_ipc",
                    "probe_compose"}
for (lib, src), syms in sorted(used.items()):
    if lib not in ("tui", "headless"):
        continue
    bad = sorted("%s (%s.c)" % (s, defined[s]) for s in syms if defined.get(s) in below_the_engine)
    t.check(not bad, "%s.c calls nothing of the host, control block, bus, /proc or probe" % src,
            ", ".join(bad))
t.done()
