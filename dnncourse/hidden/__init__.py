"""Hidden tests: run only when a notebook is graded, never shipped to students.

Shared helpers: `isolated` runs a student's function with the reference versions of
the other graded functions it calls, and `relative_error` measures how far an
analytic gradient is from a centred finite difference.
"""

import types

import numpy as np

from dnncourse.grader import reference

# A backward pass is accepted when its relative error to the centred finite
# difference (step 1e-6, float64) stays below this.
GRADIENT_TOLERANCE = 1e-6
STEP = 1e-6


def isolated(function, name, assignment="step_by_step"):
    """Return `function` rebound so the other graded functions it calls are the reference ones.

    The student's code runs unchanged, but its globals (the notebook's namespace) are a
    copy in which every graded function except `name`, and every helper the course
    provides, is the reference version, so a mistake in a helper costs points only in
    that helper's tests.
    """
    if not isinstance(function, types.FunctionType):
        return function
    ref = reference.load(assignment)
    namespace = dict(function.__globals__)
    replaced = [other for other in ref.GRADED + ref.HELPERS if other != name]
    namespace.update({other: getattr(ref, other) for other in replaced})
    clone = types.FunctionType(function.__code__, namespace, function.__name__,
                               function.__defaults__, function.__closure__)
    clone.__kwdefaults__ = function.__kwdefaults__
    return clone


def random_network(rng, dims, m, scale=1.0):
    """Random input X (dims[0], m) and parameters W{l} (dims[l], dims[l-1]) * scale and
    b{l} (dims[l], 1) * 0.5 of a network with layer sizes `dims`, drawn from `rng`."""
    X = rng.standard_normal((dims[0], m))
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * scale
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.5
    return X, parameters


def numerical_gradient(f, x):
    """Centred finite-difference gradient of the scalar function f() with respect to array x.

    `x` is perturbed in place, one entry at a time, and restored.
    """
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + STEP
        plus = f()
        x[index] = old - STEP
        minus = f()
        x[index] = old
        grad[index] = (plus - minus) / (2 * STEP)
    return grad


def relative_error(analytic, numeric):
    """Return ||a - n|| / (||a|| + ||n||), or 0 when both are zero."""
    denom = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if denom == 0 else float(np.linalg.norm(analytic - numeric) / denom)


def check_gradient(name, output, analytic, numeric):
    """Fail with a message naming the output when the gradient check does not hold."""
    error = relative_error(np.asarray(analytic, dtype=float), numeric)
    if not error < GRADIENT_TOLERANCE:
        raise AssertionError(
            f"{name}: {output} disagrees with the finite-difference gradient "
            f"(relative error {error:.2e}, tolerance {GRADIENT_TOLERANCE:.0e})."
        )
