"""Checks with readable failure messages, used by the visible tests and by the grader.

Every check raises `CheckFailure` (an AssertionError) whose message names the function and
the output, says what was expected and what came back (type, shape, a few values) and,
for the usual mistakes, what the mistake probably is. The grader renders the same failure
without the values when the inputs are hidden. In a notebook, a failure shows its message
first and then only the lines of the student's own code that led to it: no traceback
through this file, nothing on stderr.

Shapes follow the course convention: one column per example.

This file is the single source; `python -m dnncourse.authoring.sync` copies it into every
assignment folder. It is one file of a little over 400 lines because students get it as
one file next to their notebook.
"""

import contextlib
import copy
import linecache
import re
import sys
import textwrap
import traceback
import warnings

import numpy as np

FILL_IN_HINT = "Fill in the code between ### START CODE HERE ### and ### END CODE HERE ###."
# Relative tolerance of every comparison, and the part of the largest expected value that
# counts as noise (float32 arithmetic and another order of summation stay within both).
RTOL = 1e-6
SCALE_TOL = 1e-6
# Output kinds that know the place of 1/m: a mean over the examples (dW, db, the cost) or
# a per-example quantity (dA, dZ, dA_prev), which has no 1/m.
MEAN, PER_EXAMPLE = "mean", "per example"
WIDTH = 88  # nbgrader validate shows about 90 characters of a line


class CheckFailure(AssertionError):
    """A check that failed: what is wrong, with and without the values involved.

    Attributes:
    function -- the function (or call) checked, e.g. 'linear_backward'
    output -- the output that is wrong, e.g. 'dW' (may be empty for the whole result)
    problem -- what is wrong, without values, e.g. 'has wrong values'
    values -- the expected and returned values, shown only where the inputs are visible
    hint -- the likely mistake, or ''
    """

    def __init__(self, function, output, problem, values="", hint=""):
        self.function, self.output, self.problem = function, output, problem
        self.values, self.hint = values, hint
        super().__init__(self.message())

    def message(self, show_values=True, where=""):
        """The sentence a student reads; `where` (e.g. 'on a 3-layer network') names a case
        whose inputs are not shown."""
        subject = f"{self.function}{' ' + where if where else ''}:"
        text = f"{subject} {self.output + ' ' if self.output else ''}{self.problem}"
        if show_values and self.values:
            text += f": {self.values}"
        text = text.rstrip(".") + "."
        return f"{text} {self.hint}" if self.hint else text

    def _render_traceback_(self):
        """How IPython shows this failure: the message, wrapped, then the student's lines."""
        lines = textwrap.wrap(self.message(), WIDTH, subsequent_indent="    ")
        own = student_lines(self.__traceback__)
        if own:
            lines += ["", "Your code that ran when this was found:", *own]
        return lines


def student_lines(tb):
    """Return the lines of a traceback that belong to the student's notebook cells."""
    shown = []
    for frame in traceback.extract_tb(tb):
        if not _is_notebook(frame.filename):
            continue
        line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
        shown.append(f"  in {frame.name}, line {frame.lineno}: {line}")
    return shown


def _is_notebook(filename):
    """Whether code comes from a notebook cell (a kernel's cell file or the grader's)."""
    return "ipykernel_" in filename or filename.startswith(("<ipython-input", "<answer"))


def preview(value, items=4):
    """Return a short text showing the type, shape and first few values of `value`."""
    if isinstance(value, np.ndarray):
        flat = value.ravel()[:items]
        more = ", ..." if value.size > items else ""
        shown = ", ".join(f"{x:.8g}" if np.issubdtype(value.dtype, np.number) else repr(x)
                          for x in flat)
        return f"array of shape {value.shape} [{shown}{more}]"
    if isinstance(value, (float, int, np.floating, np.integer)):
        return f"{type(value).__name__} {value!r}"
    if hasattr(value, "opaque_kind"):  # what the grader's process could not pass on
        return f"{value.opaque_kind} {value.text}".strip()
    text = repr(value)
    return f"{type(value).__name__} {text[:80]}{'...' if len(text) > 80 else ''}"


# ----------------------------------------------------------------------------
# Calling the student's function
# ----------------------------------------------------------------------------

def _failed_assert(exc, name):
    """Describe an assert statement of the student's function that failed: which line, in
    which function, the shapes of the arrays it names and, for a shape check, the likely
    cause."""
    frames = [f for f in traceback.walk_tb(exc.__traceback__)
              if _is_notebook(f[0].f_code.co_filename)]
    if not frames:
        return CheckFailure(name, "", "stopped at an assert statement", hint=str(exc))
    frame, lineno = frames[-1]
    line = linecache.getline(frame.f_code.co_filename, lineno).strip() or "assert ..."
    owner = frame.f_code.co_name
    arrays = {key: value for key, value in frame.f_locals.items()
              if isinstance(value, np.ndarray)}
    shapes = [f"{key} has shape {value.shape}" for key, value in arrays.items()
              if re.search(rf"\b{re.escape(key)}\b", line)]
    where = owner if owner == name.split("(")[0] else f"{owner} (called by {name})"
    detail = f"; {', '.join(shapes)}" if shapes else ""
    return CheckFailure(name, "", f"stopped at its own check in {where}: `{line}` is false"
                        f"{detail}", hint=_assert_hint(line, frame, arrays))


def _assert_hint(line, frame, arrays):
    """For `assert X.shape == <shape>`: what the wrong shape of X suggests, or a general
    hint. The right side is the student's own expression, evaluated in their frame."""
    general = ("An array built just before it has the wrong shape: compare it with the"
               " shapes in the docstring.")
    match = re.match(r"assert\s+(\w+)\.shape\s*==\s*(.+?)\s*(?:,.*)?$", line)
    if not match or match.group(1) not in arrays:
        return general
    try:
        right = eval(match.group(2), frame.f_globals, dict(frame.f_locals))
        shape = tuple(right.shape if isinstance(right, np.ndarray) else right)
    except Exception:  # the student's expression may fail: fall back to the general hint
        return general
    name = match.group(1)
    # A gradient is more likely confused with another gradient (db with dW) than with W.
    others = dict(sorted(((key, value) for key, value in arrays.items() if key != name),
                         key=lambda item: not item[0].startswith(name[0])))
    return _shape_hint(arrays[name], shape, others) or general


def call(function, name, *args, **kwargs):
    """Call `function` on deep copies of the arguments and return what it returns.

    Copies keep the test's own inputs intact even if the function changes them in place.
    An exception inside the function (sys.exit included) becomes a CheckFailure that names
    it. Warnings and anything the function writes to stderr are shown on stdout instead:
    nbgrader scores a test cell with stderr output as 0, and a warning is not a mistake.
    """
    args = copy.deepcopy(args)
    kwargs = copy.deepcopy(kwargs)
    if not callable(function):
        raise CheckFailure(name, "", f"is not a function but {preview(function)}",
                           hint=f"Run the cell that defines {name} first.")
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(sys.stdout):
        try:
            return function(*args, **kwargs)
        except CheckFailure:
            raise
        except AssertionError as exc:
            raise _failed_assert(exc, name) from exc
        except SystemExit as exc:
            code = "" if exc.code is None else repr(exc.code)
            raise CheckFailure(name, "", f"called sys.exit({code})",
                               hint="A graded function must return its result, not exit.") from exc
        except Exception as exc:  # a student's code may raise anything; report it by name
            raise raised(name, exc) from exc
        finally:
            for warning in caught:
                print(f"{name} warned ({warning.category.__name__}): {warning.message}")


def raised(name, exc):
    """The CheckFailure for an exception raised inside the student's function `name`."""
    text = f"{type(exc).__name__}: {exc}"
    if "NoneType" in str(exc) or ("None" in str(exc) and isinstance(exc, TypeError)):
        return CheckFailure(name, "", f"still uses a None placeholder ({text})",
                            hint=FILL_IN_HINT)
    function = name.split("(")[0]
    if type(exc).__name__ == "HelperError":  # the grader refused the arguments
        return CheckFailure(name, "", f"called {exc}{_line(exc, function)}",
                            hint=_product_hint(str(exc)))
    return CheckFailure(name, "", f"raised {text}{_line(exc, function)}",
                        hint=_product_hint(str(exc)))


def _product_hint(text):
    """A hint for numpy's errors about the shapes of a product, or ''."""
    if "could not be broadcast" in text:
        return ("`*` multiplies element by element; a matrix product needs np.dot (or @), and"
                " its operands' shapes must fit.")
    if "not aligned" in text or "matmul: Input operand" in text:
        return ("In np.dot(X, Y) the columns of X must match the rows of Y: check which arrays"
                " you multiply, their order and their transposes.")
    return ""


def _line(exc, function=None):
    """Where the student's code raised `exc`: the line of `function` (the function under
    test) that led there, and the line that raised, when that is another function's."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_notebook(f.filename)]
    if not frames:
        return ""

    def text(frame):
        line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
        return f"line {frame.lineno} of {frame.name}: `{line}`"

    own = [f for f in frames if f.name == function]
    where = f" at {text(frames[-1])}"
    if own and own[-1] is not frames[-1]:
        where = f" at {text(own[-1])}, in {text(frames[-1])}"
    return where


def unpack(result, name, names):
    """Check that `result` is a tuple of len(names) values and return it as a tuple."""
    if result is None:
        raise CheckFailure(name, "", "returned None", hint=FILL_IN_HINT)
    if not isinstance(result, tuple) or len(result) != len(names):
        raise CheckFailure(name, "", f"should return a tuple ({', '.join(names)})",
                           values=f"got {preview(result)}")
    return result


# ----------------------------------------------------------------------------
# Arrays, numbers and dictionaries
# ----------------------------------------------------------------------------

class Shape(tuple):
    """An expected output of which only the shape is known (the new-shape tests)."""


def _shape_hint(got, shape, others):
    """Name the likely cause of a wrong shape, or return ''."""
    for label, other in (others or {}).items():
        other_shape = tuple(other) if isinstance(other, Shape) else getattr(other, "shape", None)
        if other_shape == got.shape and got.shape != shape:
            return (f"That is the shape of {label}: did you use {label}, or its key, where"
                    " another was meant?")
    if got.ndim == 1 and got.size == int(np.prod(shape)):
        return "Keep the dimensions when you sum (keepdims=True)."
    if len(shape) == 2 and got.shape == shape[::-1]:
        return "Rows and columns are swapped: check the order of the product and the transposes."
    if got.size == 1 and int(np.prod(shape)) > 1:
        return "Did you sum over every axis instead of over the examples (axis=1)?"
    if len(shape) == 2 and got.ndim == 2 and shape[1] == 1 and got.shape[0] == shape[0]:
        return "Sum over the examples (axis=1, keepdims=True) to get one column."
    return ""


def _value_hint(got, expected, m, kind):
    """Name a likely mistake when `got` is a simple distortion of `expected`, or return ''."""
    g = np.asarray(got, dtype=float).ravel()
    e = np.asarray(expected, dtype=float).ravel()
    if not np.all(np.isfinite(g)):
        return "It contains nan or inf: a division by zero, or the log of 0?"
    if np.allclose(g, 0) and not np.allclose(e, 0):
        return "Every value is 0."
    denom = float(e @ e)
    if denom == 0:
        return ""
    ratio = float(g @ e) / denom
    # Published values are rounded to 8 decimals: a factor shows within 1e-4.
    if not np.allclose(g, ratio * e, rtol=1e-4, atol=1e-8 * float(np.abs(e).max())):
        return ""
    if np.isclose(ratio, -1):
        return "Every value has the wrong sign."
    if m and m > 1 and kind == MEAN:
        if np.isclose(ratio, m):
            return f"It is m = {m} times too large: the 1/m factor is missing."
        if np.isclose(ratio, 1 / m):
            return f"It is m = {m} times too small: did you divide by m twice?"
    if m and m > 1 and kind == PER_EXAMPLE:
        if np.isclose(ratio, 1 / m):
            return (f"It is m = {m} times too small: this gradient is per example and takes no"
                    " 1/m (only dW, db and the cost are means over the examples).")
        if np.isclose(ratio, m):
            return f"It is m = {m} times too large."
    return f"It is {ratio:.4g} times the expected value."


def close(got, expected, rtol=RTOL):
    """Whether two arrays of the same shape agree: within `rtol` of each value, plus
    SCALE_TOL of the largest expected value (float32 arithmetic stays inside both)."""
    g = np.asarray(got, dtype=float)
    e = np.asarray(expected, dtype=float)
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(g - e) <= rtol * np.abs(e) + SCALE_TOL * scale + 1e-12))


def check_array(name, output, got, expected, m=None, kind=None, others=None, rtol=RTOL):
    """Check that `got` is a numpy array with the shape and values of `expected`.

    Arguments:
    name -- the function under test, e.g. "linear_backward"
    output -- the output checked, e.g. "dW"
    got -- what the function returned
    expected -- numpy array of the right shape and values, or a Shape (shape only)
    m -- number of examples, used to recognise a missing or extra 1/m
    kind -- MEAN (a mean over the examples), PER_EXAMPLE, or None
    others -- {label: array} of other arrays of the call, to recognise a wrong variable
    """
    shape = tuple(expected) if isinstance(expected, Shape) else expected.shape
    if got is None:
        raise CheckFailure(name, output, "is None", hint=FILL_IN_HINT)
    if not isinstance(got, np.ndarray):
        raise CheckFailure(name, output, f"should be a numpy array of shape {shape}",
                           values=f"got {preview(got)}")
    if got.shape != shape:
        raise CheckFailure(name, output, f"has shape {got.shape}, expected {shape}",
                           hint=_shape_hint(got, shape, others))
    if isinstance(expected, Shape):
        return
    if got.dtype.kind not in "biuf":
        raise CheckFailure(name, output, f"should hold numbers, not {got.dtype}")
    if not close(got, expected, rtol):
        raise CheckFailure(
            name, output, f"has wrong values (its shape {shape} is right)",
            values=f"expected {preview(expected)}, got {preview(got)}",
            hint=_value_hint(got, expected, m, kind))


def check_scalar(name, output, got, expected, kind=None, m=None, rtol=RTOL):
    """Check that `got` is a single number (a Python or numpy scalar, or a 0-d array) close
    to `expected` (a number, or None to check only that it is one finite number)."""
    if isinstance(got, np.ndarray) and got.dtype == object and got.ndim == 0:
        got = got.item()  # np.squeeze(None) gives a 0-d object array
    if got is None:
        raise CheckFailure(name, output, "is None", hint=FILL_IN_HINT)
    if isinstance(got, np.ndarray) and got.ndim != 0:
        raise CheckFailure(name, output, "should be a single number (0-d)",
                           values=f"got {preview(got)}",
                           hint="Use np.squeeze to turn a (1, 1) array into a number.")
    if not isinstance(got, (float, int, np.floating, np.integer, np.ndarray)) \
            or isinstance(got, (bool, np.bool_)):
        raise CheckFailure(name, output, "should be a number", values=f"got {preview(got)}")
    value = float(got)
    if not np.isfinite(value):
        raise CheckFailure(name, output, f"is {value!r}",
                           hint="A division by zero, or the log of 0?")
    if expected is None:
        return
    if not close(np.array([value]), np.array([float(expected)]), rtol):
        raise CheckFailure(name, output, "has a wrong value",
                           values=f"expected {float(expected)!r}, got {value!r}",
                           hint=_value_hint(np.array([value]), np.array([expected]), m, kind))


def check_keys(name, output, got, expected_keys, hint=""):
    """Check that the dictionary `got` has exactly the keys `expected_keys`."""
    if got is None:
        raise CheckFailure(name, output, "is None", hint=FILL_IN_HINT)
    if not isinstance(got, dict):
        raise CheckFailure(name, output, "should be a dictionary", values=f"got {preview(got)}")
    missing = sorted(set(expected_keys) - set(got), key=str)
    extra = sorted(set(got) - set(expected_keys), key=str)
    if missing or extra:
        parts = ([f"is missing the keys {missing}"] if missing else []) \
            + ([f"has unexpected keys {extra}"] if extra else [])
        raise CheckFailure(name, output, " and ".join(parts),
                           values=f"expected exactly {sorted(expected_keys, key=str)}",
                           hint=hint or _keys_hint(got, expected_keys))


def _keys_hint(got, expected):
    """Recognise keys shifted by one layer ('W0', 'b0', 'W1' ... for 'W1', 'b1', 'W2' ...)."""
    def shifted(keys, by):
        moved = set()
        for key in keys:
            head = str(key).rstrip("0123456789")
            tail = str(key)[len(head):]
            moved.add(f"{head}{int(tail) + by}" if tail else key)
        return moved

    if any(shifted(got, by) == set(expected) for by in (1, -1)):
        return "The layer numbers are shifted by one: layers count from 1 to L."
    return ""


def check_same_array(name, output, got, expected):
    """Check that a cache holds the very input array (same shape, equal values)."""
    check_array(name, output, got, Shape(expected.shape))
    if not np.array_equal(got, expected):
        raise CheckFailure(name, output, "is not the input array it should keep",
                           values=f"expected {preview(expected)}, got {preview(got)}",
                           hint="The cache keeps the inputs exactly as they were given.")


class Example:
    """One call of a graded function: its inputs and what it must return.

    label -- what the call adds to the function's name in messages, e.g. '(..., "relu")'
    expected -- the output (arrays, or Shape where only shapes are checked)
    """

    def __init__(self, label, args, expected, kwargs=None):
        self.label, self.args, self.expected = label, tuple(args), expected
        self.kwargs = dict(kwargs or {})

    def name(self, function):
        return f"{function}{self.label}"


def run_examples(target, function, examples, check):
    """Call `target` on every example and check what it returns with `check(name, got,
    expected, *args, **kwargs)`; raise the first CheckFailure."""
    for example in examples:
        name = example.name(function)
        got = call(target, name, *example.args, **example.kwargs)
        check(name, got, example.expected, *example.args, **example.kwargs)


def passes(test, *args):
    """Run a visible test silently; return True when it passes (used for 'fix X first')."""
    with contextlib.redirect_stdout(None):
        try:
            test(*args)
        except AssertionError:
            return False
    return True


def done(name):
    print(f"{name}: all visible tests passed.")
