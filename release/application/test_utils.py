"""Checks with readable failure messages, used by the visible and the hidden tests.

Every check raises AssertionError with a message that names the function and the
output, says what was expected and what came back (type, shape, a few values) and,
for the usual mistakes, gives a hint. Nothing is written to stderr.

This file is the single source; `python -m dnncourse.authoring.sync` copies it into every
assignment folder.
"""

import contextlib
import copy
import sys
import warnings

import numpy as np

FILL_IN = "fill in the code between ### START CODE HERE ### and ### END CODE HERE ###"


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
    text = repr(value)
    return f"{type(value).__name__} {text[:80]}{'...' if len(text) > 80 else ''}"


def call(function, name, *args, **kwargs):
    """Call `function` on deep copies of the arguments and return what it returns.

    Copies keep the test's own inputs intact even if the function changes them in
    place. An exception inside the function (sys.exit included) becomes a failure that
    names it. Warnings and anything the function writes to stderr are shown on stdout
    instead: nbgrader scores a test cell with stderr output as 0, and a warning is not a
    mistake.
    """
    args = copy.deepcopy(args)
    kwargs = copy.deepcopy(kwargs)
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(sys.stdout):
        try:
            return function(*args, **kwargs)
        except AssertionError as exc:
            raise AssertionError(
                f"{name} stopped at one of its own assert statements ({exc or 'no message'}): "
                "an array built inside it has the wrong shape."
            ) from exc
        except SystemExit as exc:
            raise AssertionError(
                f"{name} called sys.exit({'' if exc.code is None else repr(exc.code)}):"
                " a graded function must return its result, not exit."
            ) from exc
        except Exception as exc:  # a student's code may raise anything; report it by name
            if "NoneType" in str(exc):
                raise AssertionError(
                    f"{name} still uses a None placeholder ({type(exc).__name__}: {exc}):"
                    f" {FILL_IN}."
                ) from exc
            raise AssertionError(f"{name} raised {type(exc).__name__}: {exc}") from exc
        finally:
            for warning in caught:
                print(f"{name} warned ({warning.category.__name__}): {warning.message}")


def unpack(result, name, names):
    """Check that `result` is a tuple of len(names) values and return it as a tuple."""
    if result is None:
        raise AssertionError(f"{name} returned None: {FILL_IN}.")
    if not isinstance(result, tuple) or len(result) != len(names):
        raise AssertionError(
            f"{name} should return a tuple ({', '.join(names)}), got {preview(result)}."
        )
    return result


def _shape_hint(got, expected):
    if got.ndim == 1 and got.size == expected.size:
        return " Did you keep the dimensions when summing (keepdims=True)?"
    if got.shape == expected.shape[::-1]:
        return " Rows and columns are swapped: check the order of the product and the transposes."
    if got.size == 1 and expected.size > 1:
        return " Did you sum over every axis instead of over the examples (axis=1)?"
    if got.size > expected.size:
        return (" The array is too big: did you use `*` where a matrix product (np.dot) is"
                " needed, or add arrays that broadcast into a bigger one?")
    return " Check which arrays you multiply and whether one of them needs a transpose (.T)."


def _value_hint(got, expected, m):
    """Name a likely mistake when `got` is a simple distortion of `expected`."""
    g = np.asarray(got, dtype=float).ravel()
    e = np.asarray(expected, dtype=float).ravel()
    if not np.all(np.isfinite(g)):
        return " It contains nan or inf: check for a division by zero or the log of 0."
    if np.allclose(g, 0) and not np.allclose(e, 0):
        return " Every value is 0."
    denom = float(e @ e)
    if denom > 0:
        ratio = float(g @ e) / denom
        if np.allclose(g, ratio * e, rtol=1e-6, atol=1e-10):
            if np.isclose(ratio, -1):
                return " Every value has the wrong sign."
            if m and m > 1 and np.isclose(ratio, m):
                return f" It is about m = {m} times too large: did you divide by m?"
            if m and m > 1 and np.isclose(ratio, 1 / m):
                return f" It is about m = {m} times too small: did you divide by m twice?"
            return f" It is {ratio:.4g} times the expected value: check the scale factors."
    return ""


def check_array(name, output, got, expected, m=None, rtol=1e-6, atol=1e-8):
    """Check that `got` is a numpy array with the shape and values of `expected`.

    Arguments:
    name -- the function under test, e.g. "linear_backward"
    output -- the output checked, e.g. "dW"
    got -- what the function returned
    expected -- numpy array of the right shape and values
    m -- number of examples, used to recognise a forgotten 1/m
    """
    what = f"{name}: {output}"
    if got is None:
        raise AssertionError(f"{what} is None: {FILL_IN}.")
    if not isinstance(got, np.ndarray):
        raise AssertionError(
            f"{what} should be a numpy array of shape {expected.shape}, got {preview(got)}."
        )
    if got.shape != expected.shape:
        raise AssertionError(
            f"{what} has shape {got.shape}, expected {expected.shape}."
            + _shape_hint(got, expected)
        )
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        raise AssertionError(
            f"{what} has wrong values: expected {preview(expected)}, got {preview(got)}."
            + _value_hint(got, expected, m)
        )


def check_scalar(name, output, got, expected, rtol=1e-6, atol=1e-8):
    """Check that `got` is a single number (a Python or numpy scalar, or a 0-d array)."""
    what = f"{name}: {output}"
    if isinstance(got, np.ndarray) and got.dtype == object and got.ndim == 0:
        got = got.item()  # np.squeeze(None) gives a 0-d object array
    if got is None:
        raise AssertionError(f"{what} is None: {FILL_IN}.")
    if isinstance(got, np.ndarray) and got.ndim != 0:
        raise AssertionError(
            f"{what} should be a single number (0-d), got {preview(got)}."
            " Use np.squeeze to turn a (1, 1) array into a number."
        )
    if not isinstance(got, (float, int, np.floating, np.integer, np.ndarray)):
        raise AssertionError(f"{what} should be a number, got {preview(got)}.")
    if not np.isclose(float(got), expected, rtol=rtol, atol=atol):
        hint = _value_hint(np.array([got]), np.array([expected]), None)
        raise AssertionError(f"{what} is {float(got)!r}, expected {expected!r}.{hint}")


def check_keys(name, output, got, expected_keys, hint=""):
    """Check that the dictionary `got` has exactly the keys `expected_keys`."""
    what = f"{name}: {output}"
    if got is None:
        raise AssertionError(f"{what} is None: {FILL_IN}.")
    if not isinstance(got, dict):
        raise AssertionError(f"{what} should be a dictionary, got {preview(got)}.")
    missing = sorted(set(expected_keys) - set(got))
    extra = sorted(set(got) - set(expected_keys))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"is missing the keys {missing}")
        if extra:
            parts.append(f"has unexpected keys {extra}")
        raise AssertionError(
            f"{what} {' and '.join(parts)}; expected exactly {sorted(expected_keys)}.{hint}"
        )


def check_shape(name, output, got, shape):
    """Check only that `got` is a numpy array of the given shape."""
    what = f"{name}: {output}"
    if got is None:
        raise AssertionError(f"{what} is None: {FILL_IN}.")
    if not isinstance(got, np.ndarray):
        raise AssertionError(
            f"{what} should be a numpy array of shape {shape}, got {preview(got)}."
        )
    if got.shape != tuple(shape):
        raise AssertionError(
            f"{what} has shape {got.shape}, expected {tuple(shape)}."
            + _shape_hint(got, np.empty(shape))
        )


def check_same_arrays(name, output, got, expected):
    """Check that a cache holds the very input arrays (equal values and shapes)."""
    check_array(name, output, got, expected, rtol=0, atol=0)
