"""A time limit for code running in a thread that cannot be told to stop: nbgrader grading
one submission inside a Dask worker."""

import ctypes
import threading

# Seconds between repeated stops once the limit has passed.
STOP_REPEAT = 5.0


def kill_sandboxes():
    """Kill the sandboxes (bubblewrap processes) this process started: kernels and grader
    children; everything inside one dies with it (its own PID namespace)."""
    import psutil

    for child in psutil.Process().children(recursive=False):
        try:
            if child.name() == "bwrap":
                child.kill()
        except psutil.Error:
            pass


class Deadline:
    """Stops the calling thread `seconds` after entering: raises `error` in it.

    nbgrader cannot be told to stop, and a Dask task cannot be killed without killing its
    worker. So at the deadline the sandboxes are killed (kill_sandboxes) and `error` is
    raised in the thread (PyThreadState_SetAsyncExc), again every STOP_REPEAT seconds until
    the block is left, in case some code on the way swallows it. `passed` tells whether the
    limit was reached.
    """

    def __init__(self, seconds, error):
        self.seconds = seconds
        self.error = error
        self.thread = threading.get_ident()
        self.passed = False
        self._guard = threading.Lock()
        self._done = False
        self._timer = None

    def __enter__(self):
        self._arm(self.seconds)
        return self

    def _arm(self, seconds):
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _raise(self, error):
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread),
                                                   ctypes.py_object(error) if error else None)

    def _fire(self):
        with self._guard:
            if self._done:
                return
            self.passed = True
            self._raise(self.error)
            kill_sandboxes()
            self._arm(STOP_REPEAT)

    def __exit__(self, *exc):
        with self._guard:
            self._done = True
            self._timer.cancel()
            self._raise(None)  # a stop still pending must not reach the caller's caller
        return False
