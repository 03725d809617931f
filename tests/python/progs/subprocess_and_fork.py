"""A traced fork beside a subprocess the tracer does not see (exec'd by
subprocess.run): waiting for the untraced one is a plain wait."""
import subprocess, os
r = subprocess.run(["/bin/echo", "hello from echo"], capture_output=True, text=True)
print("echo said:", r.stdout.strip(), "rc", r.returncode, flush=True)
child = os.fork()
if child == 0:
    os._exit(4)
print("child:", os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]), flush=True)
