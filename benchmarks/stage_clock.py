"""Wall and CPU clocks for grading_stages.py: nested stages, child processes included.

A stage's CPU is this process's (time.process_time, less the watcher thread's own) plus
its descendants'. getrusage(RUSAGE_CHILDREN) cannot give the latter: a sandboxed process
runs under bubblewrap, which is killed or exits without reaping into our account, so a
kernel's or grader child's CPU never reaches it. A watcher thread therefore reads every
descendant's CPU time with psutil every few milliseconds and keeps the last value of each,
also after it ends; a process living less than one interval can be missed, and the CPU of
its last interval is. Stages nest; each is reported without its inner stages.
"""

import functools
import inspect
import os
import threading
import time
from collections import defaultdict

import psutil

INTERVAL = 0.02  # seconds between two readings of the descendants


class Watcher(threading.Thread):
    """Keeps the last CPU time seen of every descendant of this process."""

    def __init__(self):
        super().__init__(daemon=True)
        self.seen = {}  # (pid, create time) -> user + system seconds
        self.own = 0.0  # this thread's own CPU, not part of any stage
        self.lock = threading.Lock()
        self.start()

    def read(self):
        started = time.thread_time()
        for process in psutil.Process(os.getpid()).children(recursive=True):
            try:
                with process.oneshot():
                    key = (process.pid, process.create_time())
                    times = process.cpu_times()
            except psutil.Error:  # ended between the listing and the reading
                continue
            with self.lock:
                self.seen[key] = times.user + times.system
        self.own += time.thread_time() - started

    def run(self):
        while True:
            self.read()
            time.sleep(INTERVAL)

    def total(self):
        with self.lock:
            return sum(self.seen.values())


WATCHER = Watcher()


def now():
    """(wall, own CPU, descendants' CPU) in seconds."""
    WATCHER.read()
    return time.monotonic(), time.process_time() - WATCHER.own, WATCHER.total()


class Clock:
    """Accumulates exclusive wall, own-CPU and children-CPU seconds per stage name."""

    def __init__(self):
        self.totals = defaultdict(lambda: [0.0, 0.0, 0.0])
        self._stack = []  # [name, start, inner] of the open stages

    def start(self, name):
        self._stack.append([name, now(), [0.0, 0.0, 0.0]])

    def stop(self):
        name, start, inner = self._stack.pop()
        spent = [b - a for a, b in zip(start, now())]
        own = self.totals[name]
        for i in range(3):
            own[i] += spent[i] - inner[i]
        if self._stack:
            outer = self._stack[-1][2]
            for i in range(3):
                outer[i] += spent[i]

    def run(self, name, function, *args, **kwargs):
        self.start(name)
        try:
            return function(*args, **kwargs)
        finally:
            self.stop()

    def take(self):
        """Return {stage: (wall, own CPU, children's CPU)} since the last take; reset."""
        taken = {name: tuple(values) for name, values in self.totals.items()}
        self.totals.clear()
        return taken

    def wrap(self, owner, attribute, name):
        """Time every call of `owner.attribute` (a function or coroutine function) as `name`.

        Instrumentation for this benchmark only: the wrapper calls the original unchanged.
        """
        original = getattr(owner, attribute)
        clock = self
        if inspect.iscoroutinefunction(original):
            @functools.wraps(original)
            async def timed(*args, **kwargs):
                clock.start(name)
                try:
                    return await original(*args, **kwargs)
                finally:
                    clock.stop()
        else:
            @functools.wraps(original)
            def timed(*args, **kwargs):
                return clock.run(name, original, *args, **kwargs)
        setattr(owner, attribute, timed)
