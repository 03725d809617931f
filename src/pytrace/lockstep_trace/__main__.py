# lockstep_trace's entry point: lockstep's host execs
#   python3 [OPTIONS] .../lockstep_trace/__main__.py PROGRAM.py [ARGS]
# Kept to syntax any Python can read, so an old one says it is too old in
# one line instead of a SyntaxError.
import os
import sys

if __package__ in (None, ""):
    # run by path: the package is found beside this file, last on the path
    # so it shadows none of the program's modules
    sys.path.pop(0)
    sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

if len(sys.argv) < 2:
    sys.stderr.write("usage: python3 -m lockstep_trace PROGRAM.py [ARGS]\n")
    sys.exit(2)

import lockstep_trace

sys.argv = sys.argv[1:]
# what python3 PROGRAM.py would have put first on the path
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
lockstep_trace.run_main(sys.argv[0])
