"""The untrusted side of the cross-check: runs inside the sandbox as `python -I -c <this file>`.

It reads one `.npz` from stdin (a JSON `program` plus the input arrays), runs the trusted
preamble and the student's answer cells, calls each function on each case and writes the
outputs as plain arrays to the descriptor named by DNN_RESULT_FD. Only numpy and the
standard library are imported: nothing of the course is visible here. The grader imports
`flatten` from this module too, so its reference outputs are flattened the same way.
"""

import io
import json
import os
import signal
import sys
import types

import numpy as np

# Outputs larger than this are not a plausible answer; they are reported as an error.
MAX_VALUES = 2_000_000
MAX_DEPTH = 8
NUMERIC_KINDS = "biuf"


class CallTimeout(BaseException):
    """Raised by the alarm when a cell or a call runs longer than its limit."""


class KernelStopped(BaseException):
    """Raised instead of ending the process when the student's code calls os._exit."""


def _stop_kernel(*args, **kwargs):
    raise KernelStopped()


class NotPlain(TypeError):
    """An output that is not a number, an array or a tuple, list or dict of them."""


def _alarm(signum, frame):
    raise CallTimeout()


def flatten(value):
    """Return [(path, array)] for a tree of tuples, lists and str-keyed dicts of numbers/arrays.

    A path is a list of [kind, index or key] steps, kind "t" (tuple), "l" (list) or "d"
    (dict), so the container types are part of the result. Numbers become 0-d arrays;
    anything else raises NotPlain. Arrays are copied through the ndarray base class, so a
    subclass cannot present another shape, dtype or comparison.
    """
    out = []
    size = [0]

    def walk(item, path):
        if len(path) > MAX_DEPTH:
            raise NotPlain("an output nested too deeply")
        if isinstance(item, np.ndarray):
            array = np.ndarray.copy(np.ndarray.view(item, np.ndarray))
            if array.dtype.kind not in NUMERIC_KINDS:
                raise NotPlain(f"an array of dtype {array.dtype}, not of numbers")
        elif isinstance(item, (bool, int, float, np.bool_, np.integer, np.floating)):
            array = np.array(float(item) if isinstance(item, float) else item)
            if array.dtype.kind not in NUMERIC_KINDS:
                raise NotPlain(f"a {type(item).__name__}, not a number")
        elif isinstance(item, (tuple, list)):
            kind = "t" if isinstance(item, tuple) else "l"
            for index, element in enumerate(tuple.__iter__(item) if kind == "t"
                                            else list.__iter__(item)):
                walk(element, [*path, [kind, index]])
            return
        elif isinstance(item, dict):
            for key in list(dict.keys(item)):
                if not isinstance(key, str):
                    raise NotPlain(f"a dictionary with a {type(key).__name__} key, not str")
                walk(dict.__getitem__(item, key), [*path, ["d", str.__str__(key)]])
            return
        else:
            raise NotPlain(f"a {type(item).__name__}, not a number or an array")
        size[0] += array.size
        if size[0] > MAX_VALUES:
            raise NotPlain("an output far too large")
        out.append((path, array))

    walk(value, [])
    return out


def build(tree, arrays):
    """Rebuild an argument from its JSON description; arrays are fresh copies."""
    (kind, value), = tree.items()
    if kind == "a":
        return arrays[value].copy()
    if kind in ("f", "i", "s"):
        return value
    if kind == "t":
        return tuple(build(item, arrays) for item in value)
    if kind == "l":
        return [build(item, arrays) for item in value]
    if kind == "d":
        return {key: build(item, arrays) for key, item in value}
    raise ValueError(f"unknown argument kind {kind!r}")


def _describe(exc):
    if isinstance(exc, CallTimeout):
        return "did not finish within the time limit"
    if isinstance(exc, SystemExit):
        return "called sys.exit"
    if isinstance(exc, KernelStopped):
        return "called os._exit, which stops the kernel"
    return f"raised {type(exc).__name__}: {str(exc)[:200]}"


def _limited(seconds, function, *args, **kwargs):
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _install(name, source):
    """Make `source` importable as module `name` (the shipped dnn_utils, dnn_blocks)."""
    module = types.ModuleType(name)
    module.__file__ = f"<{name}.py>"
    sys.modules[name] = module
    exec(compile(source, f"<{name}.py>", "exec"), module.__dict__)


def _run_cell(source, label, namespace, seconds):
    before = dict(namespace)
    try:
        _limited(seconds, exec, compile(source, label, "exec"), namespace)
        return None
    except BaseException as exc:  # the student's cell may raise anything, exit included
        if isinstance(exc, KernelStopped):
            # In grading, the kernel died here and was restarted with the earlier cells
            # only: what this cell defined is lost there, so it is lost here too.
            namespace.clear()
            namespace.update(before)
        return _describe(exc)


def run(program, arrays):
    """Run the program and return (index, result arrays)."""
    timeout = program["call_timeout"]
    for name, source in program["modules"]:
        _install(name, source)
    # os._exit would end this process and every function's check with it; in grading it
    # stops only the kernel, which is restarted (dnncourse/kernel/execution.py).
    os._exit = _stop_kernel
    import posix

    posix._exit = _stop_kernel
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    exec(program["preamble"], namespace)
    cells = []
    for grade_id, source in program["cells"]:
        cells.append([grade_id, _run_cell(source, f"<{grade_id}>", namespace, timeout)])
    # As in grading (dnncourse.hidden.isolated), the helpers and the graded functions of
    # lower levels are the trusted ones, whatever the answer cells redefined.
    exec(program["preamble"], namespace)
    trusted = {"__name__": "reference"}
    exec(program["preamble"], trusted)
    for name, source in program["references"]:
        exec(compile(source, f"<reference {name}>", "exec"), trusted)
        namespace[name] = trusted[name]

    index, results = {"cells": cells, "results": []}, {}
    for function, cases in program["cases"]:
        target = namespace.get(function)
        failed = None
        if not callable(target):
            failed = f"the answer cell does not define {function}"
        for case in cases:
            entry = {"function": function, "case": case["id"], "error": failed, "outputs": []}
            index["results"].append(entry)
            if failed:
                continue
            try:
                np.random.seed(case["seed"])
                args = [build(item, arrays) for item in case["args"]]
                kwargs = {key: build(item, arrays) for key, item in case["kwargs"]}
                value = _limited(timeout, target, *args, **kwargs)
                for path, array in flatten(value):
                    name = f"r{len(results)}"
                    results[name] = array
                    entry["outputs"].append([path, name])
            except NotPlain as exc:
                entry["error"], entry["outputs"] = f"returned {exc}", []
            except BaseException as exc:  # anything the student's code raises
                entry["error"], entry["outputs"] = _describe(exc), []
                if isinstance(exc, CallTimeout):
                    failed = "skipped after a call that did not finish"
    return index, results


def main():
    result_fd = int(os.environ["DNN_RESULT_FD"])
    data = sys.stdin.buffer.read()
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    program = json.loads(str(arrays.pop("program")))
    # Whatever the student's code prints is of no use here.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    signal.signal(signal.SIGALRM, _alarm)
    index, results = run(program, arrays)
    buffer = io.BytesIO()
    np.savez(buffer, index=np.array(json.dumps(index)), **results)
    with os.fdopen(result_fd, "wb") as channel:
        channel.write(buffer.getvalue())


if __name__ == "__main__":
    main()
