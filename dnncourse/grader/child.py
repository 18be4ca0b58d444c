"""The untrusted side of the grader: runs the student's answer cells and calls, in the sandbox.

It runs as `python -I -c <this file>` inside bubblewrap (dnncourse/kernel/sandbox.py) with
numpy and the standard library only: the course package, the reference answers and the
hidden cases are not on its disk. The grader (dnncourse/grader/session.py) sends it the
shipped modules, a trusted preamble and the answer cells, then one call at a time; it
answers with the returned value as plain data. While a graded function runs, the graded
functions it builds on are proxies: each call goes back to the grader, which answers with
the reference's output, so no reference code ever enters this process.

The wire format (`write`, `read`, `encode`, `decode`) is shared with the grader, which
imports it from this file; the grader decodes with `strict=True` and trusts nothing else.
It stays one file of a little over 400 lines because it runs as a single `-c` program in
the sandbox, where no sibling module can be imported.
"""

import json
import linecache
import os
import signal
import struct
import sys
import types

import numpy as np

MAX_MESSAGE = 64 * 2**20  # bytes; an honest message is far smaller
MAX_VALUES = 2_000_000  # numbers in one value
MAX_DEPTH = 8
MAX_ITEMS = 10_000  # containers' items in one value
# dtypes an array may have on the wire (little-endian, numbers only).
DTYPES = ("|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8")
HEADER = struct.Struct("<QQ")
NOTHING = object()  # no value in a message


class WireError(ValueError):
    """A message that is not of the expected form."""


class CallTimeout(BaseException):
    """Raised by the alarm when a cell or a call runs longer than its limit."""


class HelperError(RuntimeError):
    """The grader could not run a graded function on the arguments the student's code gave."""


class KernelStopped(BaseException):
    """Raised instead of ending the process when the student's code calls os._exit."""


# ----------------------------------------------------------------------------
# The wire format, shared with the grader
# ----------------------------------------------------------------------------

def encode(value, arrays, depth=0, count=None):
    """Return the JSON tree of `value`, appending its arrays to `arrays`.

    Numbers, arrays of numbers, None, strings and tuples, lists and str-keyed dicts of them
    travel as themselves; anything else as ["o", type name, short text]. Arrays and
    containers are read through their base classes, so a subclass cannot change what is
    sent.
    """
    count = count if count is not None else [0, 0]
    if depth > MAX_DEPTH:
        return ["o", "nested too deeply", ""]
    if isinstance(value, np.ndarray):
        array = np.ndarray.copy(np.ndarray.view(value, np.ndarray), order="C")
        if array.dtype.kind == "O" and array.size == 1:  # np.squeeze(None), for instance
            return encode(array.item(), arrays, depth + 1, count)
        if array.dtype.kind not in "biuf":
            return ["o", f"array of {array.dtype}", ""]
        array = array.astype(array.dtype.newbyteorder("<"), copy=False)
        count[0] += array.size
        if count[0] > MAX_VALUES:
            raise WireError("a value far too large")
        arrays.append(array)
        return ["a", len(arrays) - 1]
    if value is None:
        return ["n"]
    if isinstance(value, (bool, np.bool_)):
        return ["b", bool(value)]
    if isinstance(value, np.generic) and value.dtype.kind in "iuf":
        return ["x", value.dtype.newbyteorder("<").str, value.item()]
    if isinstance(value, int) and type(value) is int:
        return ["i", value]
    if isinstance(value, float) and type(value) is float:
        return ["f", value]
    if type(value) is str:
        return ["s", value[:200]]
    if isinstance(value, (tuple, list, dict)):
        count[1] += len(value)
        if count[1] > MAX_ITEMS:
            raise WireError("a value with far too many items")
    if type(value) is tuple:
        return ["t", [encode(item, arrays, depth + 1, count) for item in tuple.__iter__(value)]]
    if type(value) is list:
        return ["l", [encode(item, arrays, depth + 1, count) for item in list.__iter__(value)]]
    if type(value) is dict:
        items = []
        for key in list(dict.keys(value)):
            if type(key) is not str:
                return ["o", f"dictionary with a {type(key).__name__} key", ""]
            items.append([key, encode(dict.__getitem__(value, key), arrays, depth + 1, count)])
        return ["d", items]
    kind = type(value).__name__
    try:
        text = repr(value)[:80]
    except Exception:  # the object's own __repr__ may fail: its type is all we report
        text = ""
    return ["o", kind, text]


class Opaque:
    """A returned object that is not plain data: only its type and a short text arrive."""

    def __init__(self, kind, text):
        self.opaque_kind, self.text = str(kind)[:80], str(text)[:80]

    def __repr__(self):
        return self.text or f"<{self.opaque_kind}>"


def decode(tree, arrays, depth=0):
    """Rebuild a value from its tree; raises WireError when the tree is malformed."""
    if depth > MAX_DEPTH + 1 or not isinstance(tree, list) or not tree:
        raise WireError("a malformed value")
    tag = tree[0]
    if tag == "a" and len(tree) == 2 and type(tree[1]) is int and 0 <= tree[1] < len(arrays):
        return arrays[tree[1]]
    if tag == "n":
        return None
    if tag == "b" and len(tree) == 2 and type(tree[1]) is bool:
        return tree[1]
    if tag == "x" and len(tree) == 3 and tree[1] in DTYPES and type(tree[2]) in (int, float):
        return np.dtype(tree[1]).type(tree[2])
    if tag == "i" and len(tree) == 2 and type(tree[1]) is int:
        return tree[1]
    if tag == "f" and len(tree) == 2 and type(tree[1]) in (int, float):
        return float(tree[1])
    if tag == "s" and len(tree) == 2 and type(tree[1]) is str:
        return tree[1]
    if tag in ("t", "l") and len(tree) == 2 and isinstance(tree[1], list):
        items = [decode(item, arrays, depth + 1) for item in tree[1]]
        return tuple(items) if tag == "t" else items
    if tag == "d" and len(tree) == 2 and isinstance(tree[1], list):
        value = {}
        for item in tree[1]:
            if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is str):
                raise WireError("a malformed dictionary")
            value[item[0]] = decode(item[1], arrays, depth + 1)
        return value
    if tag == "o" and len(tree) == 3:
        return Opaque(tree[1], tree[2])
    raise WireError(f"an unknown value tag {str(tag)[:20]!r}")


def write(fd, header, value=NOTHING):
    """Send one message: a JSON header and, under its key "value", `value`'s tree."""
    arrays = []
    if value is not NOTHING:
        header = dict(header, value=encode(value, arrays))
    header["arrays"] = [[a.dtype.str, list(a.shape)] for a in arrays]
    text = json.dumps(header).encode()
    blob = b"".join(a.tobytes() for a in arrays)
    _write_all(fd, HEADER.pack(len(text), len(blob)) + text + blob)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def read(fd, deadline=None, clock=None):
    """Receive one message: return its header, with "value" decoded when present.

    With a `deadline` (a clock() time), raise TimeoutError when it passes; raise EOFError
    when the other side closed the pipe, WireError when the message is malformed.
    """
    sizes = _read_exact(fd, HEADER.size, deadline, clock)
    text_size, blob_size = HEADER.unpack(sizes)
    if text_size + blob_size > MAX_MESSAGE:
        raise WireError(f"a message of {text_size + blob_size} bytes")
    try:
        header = json.loads(_read_exact(fd, text_size, deadline, clock))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError("a header that is not JSON") from exc
    blob = _read_exact(fd, blob_size, deadline, clock)
    if not isinstance(header, dict) or not isinstance(header.get("arrays", []), list):
        raise WireError("a header that is not an object")
    arrays, offset = [], 0
    for item in header.pop("arrays", []):
        if not (isinstance(item, list) and len(item) == 2 and item[0] in DTYPES
                and isinstance(item[1], list) and len(item[1]) <= 32
                and all(type(n) is int and 0 <= n <= MAX_VALUES for n in item[1])):
            raise WireError("a malformed array")
        dtype = np.dtype(item[0])
        size = int(np.prod(item[1], dtype=np.int64)) * dtype.itemsize
        if size > blob_size - offset:
            raise WireError("arrays larger than the message")
        array = np.frombuffer(blob, dtype=dtype, count=size // dtype.itemsize, offset=offset)
        arrays.append(array.reshape(item[1]).copy())
        offset += size
    if "value" in header:
        header["value"] = decode(header["value"], arrays)
    return header


def _read_exact(fd, size, deadline=None, clock=None):
    import select

    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - clock()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError()
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError()
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# ----------------------------------------------------------------------------
# The child's side: answer cells and calls
# ----------------------------------------------------------------------------

def _alarm(signum, frame):
    raise CallTimeout()


_REAL_EXIT = os._exit
_MAIN_PID = []  # the process that answers the grader (set by main)


def _stop_kernel(code=0, *args, **kwargs):
    if os.getpid() not in _MAIN_PID:  # a process the student's code forked: it may end
        _REAL_EXIT(code)
    raise KernelStopped()


def _limited(seconds, function, *args, **kwargs):
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _install(name, source):
    """Make `source` importable as module `name` (the shipped dnn_utils, test_utils ...)."""
    module = types.ModuleType(name)
    module.__file__ = f"<{name}.py>"
    sys.modules[name] = module
    exec(compile(source, f"<{name}.py>", "exec"), module.__dict__)


def _needs_ipython(source):
    """Whether a cell needs IPython: magics, shell escapes, get_ipython() or display()."""
    lines = [line.strip() for line in source.splitlines()]
    return any(line.startswith(("%", "!")) or line.endswith("?") for line in lines) \
        or "get_ipython" in source or "display" in source


def error_text(exc):
    """An exception in one line, as messages show it: its type and the start of its text."""
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def refused(name, error):
    """What a graded function meets when the grader refuses its call of helper `name`
    (`error`: why, as error_text gives it); the grader's naming of mistakes says it alike."""
    return f"{name} with arguments it cannot take ({error})"


def _describe(exc, seconds):
    """One line on why a cell or call stopped."""
    if isinstance(exc, CallTimeout):
        return f"did not finish within {seconds:g} s"
    if isinstance(exc, SystemExit):
        return "called sys.exit"
    if isinstance(exc, KernelStopped):
        return "called os._exit, which stops the kernel"
    import traceback

    where = [f for f in traceback.extract_tb(exc.__traceback__)
             if f.filename.startswith(("<answer", "<ipython-input"))]
    at = f" (line {where[-1].lineno} of {where[-1].name}: {where[-1].line})" if where else ""
    return f"raised {error_text(exc)}{at}"


class Child:
    """The answer cells' namespace and the calls into it."""

    def __init__(self, fd_in, fd_out):
        self.fd_in, self.fd_out = fd_in, fd_out
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        self.trusted = {}
        self.shell = None
        self.seconds = 30
        self.helper_calls = 0

    def load(self, request):
        """Install the modules, run the preamble and the answer cells; report each cell."""
        self.seconds = float(request["call_seconds"])
        for name, source in request["modules"]:
            _install(name, source)
        test_utils = sys.modules.get("test_utils")
        self.call = test_utils.call if test_utils else None
        self.failure_type = test_utils.CheckFailure if test_utils else AssertionError
        exec(request["preamble"], self.trusted)
        exec(request["preamble"], self.namespace)
        cells = []
        for grade_id, source in request["cells"]:
            cells.append([grade_id, self._run_cell(grade_id, source)])
        return {"op": "loaded", "cells": cells}

    def _run_cell(self, grade_id, source):
        before = dict(self.namespace)
        filename = f"<answer {grade_id}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            if _needs_ipython(source):
                error = _limited(self.seconds, self._run_ipython, source)
                if error is not None:
                    raise error
            else:
                _limited(self.seconds, exec, compile(source, filename, "exec"), self.namespace)
            return None
        except BaseException as exc:  # the student's cell may raise anything, exit included
            if isinstance(exc, KernelStopped):
                # In the kernel, the cell died with the kernel, which was restarted with
                # the earlier cells only: what this cell defined is lost there too.
                self.namespace.clear()
                self.namespace.update(before)
            return _describe(exc, self.seconds)

    def _run_ipython(self, source):
        """Run a cell as the kernel would (magics, display, get_ipython); return its error."""
        if self.shell is None:
            from IPython.core.interactiveshell import InteractiveShell

            self.shell = InteractiveShell.instance(user_ns=self.namespace)
        result = self.shell.run_cell(source, store_history=False, silent=False)
        return result.error_before_exec or result.error_in_exec

    def helper(self, name):
        """A graded function the grader answers with its reference (see the module doc)."""
        def proxy(*args, **kwargs):
            self.helper_calls += 1
            number = self.helper_calls
            write(self.fd_out, {"op": "helper", "id": number, "name": name},
                  [list(args), kwargs])
            while True:
                reply = read(self.fd_in)
                if reply.get("id") == number and reply.get("op") in ("helper_result",
                                                                     "helper_error"):
                    break
            if reply["op"] == "helper_error":
                raise HelperError(refused(name, reply.get("error", "unknown error")))
            return reply["value"]

        proxy.__name__ = proxy.__qualname__ = name
        return proxy

    @staticmethod
    def unavailable(name, caller):
        def stub(*args, **kwargs):
            raise RuntimeError(f"{caller} calls {name}, which it does not need: when {caller}"
                               f" is graded, {name} is not available to it")

        stub.__name__ = name
        return stub

    def run_call(self, request):
        """Call one graded function on the request's inputs; return the reply."""
        function, name = request["function"], request["name"]
        reply = {"op": "error", "id": request["id"]}
        target = self.namespace.get(function)
        if not callable(target):
            reply["error"] = f"the answer cell does not define {function}"
            return reply
        args, kwargs = request["value"]
        names = {*self.trusted, *request["helpers"], *request["unavailable"]} - {"__builtins__"}
        saved = {key: self.namespace[key] for key in names if key in self.namespace}
        self.namespace.update({k: v for k, v in self.trusted.items() if k != "__builtins__"})
        self.namespace.update({key: self.helper(key) for key in request["helpers"]})
        self.namespace.update({key: self.unavailable(key, function)
                               for key in request["unavailable"]})
        try:
            np.random.seed(request["seed"])
            value = _limited(self.seconds, self.call, target, name, *args, **kwargs)
            return {"op": "result", "id": request["id"], "value": value}
        except self.failure_type as failure:
            reply.update(op="failure", failure=[str(getattr(failure, key, ""))[:600] for key in
                                                ("function", "output", "problem", "values",
                                                 "hint")])
        except BaseException as exc:  # anything the student's code raises, exit included
            reply["error"] = _describe(exc, self.seconds)
        finally:
            for key in names:
                self.namespace.pop(key, None)
            self.namespace.update(saved)
        return reply


def main():
    fd_in, fd_out = int(os.environ["DNN_GRADER_IN"]), int(os.environ["DNN_GRADER_OUT"])
    # Whatever the student's code prints is of no use here.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    signal.signal(signal.SIGALRM, _alarm)
    # os._exit would end this process and every later check with it; in the kernel it
    # stops only the kernel, which is restarted (dnncourse/kernel/execution.py).
    import posix

    _MAIN_PID.append(os.getpid())
    os._exit = posix._exit = _stop_kernel
    child = Child(fd_in, fd_out)
    while True:
        request = read(fd_in)
        op = request.get("op")
        if op == "load":
            write(fd_out, child.load(request))
        elif op == "call":
            reply = child.run_call(request)
            try:
                write(fd_out, reply, reply.pop("value", NOTHING))
            except WireError as exc:
                write(fd_out, {"op": "error", "id": request["id"], "error": f"returned {exc}"})
        elif op == "quit":
            return
        # a late helper reply (after its call ran out of time) is skipped


if __name__ == "__main__":
    main()
