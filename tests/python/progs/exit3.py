"""A program that ends with status 3."""
import sys
import threading

lock = threading.Lock()
with lock:
    pass
sys.exit(3)
