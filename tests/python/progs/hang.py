"""A program that takes a lock and then waits outside lockstep's view
(select on nothing) for a minute: killed mid-run by the tests."""
import select
import threading

held = threading.Lock()
held.acquire()
select.select([], [], [], 60)
