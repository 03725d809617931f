"""lockstep_trace._queue: queue.Queue, LifoQueue and PriorityQueue, traced
(filled in below)."""


def install():
    pass
