"""Gradient checks: a backward pass against the centred finite difference of the forward pass.

The catalogues' hidden cases of the backward functions use `check_gradient`: the analytic
gradient a student's function returned is compared, in float64, with the numerical
gradient of a scalar function built from the reference forward pass.
"""

import numpy as np

from dnncourse.shipped.test_utils import CheckFailure

# A backward pass is accepted when its relative error to the centred finite difference
# (step 1e-6, float64) stays below this.
TOLERANCE = 1e-6
STEP = 1e-6


def numerical_gradient(f, x):
    """Centred finite-difference gradient of the scalar function f() with respect to the
    float64 array x (any shape), which is perturbed in place one entry at a time and
    restored; returns an array of x's shape."""
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


# Below this norm a gradient is compared absolutely: the finite difference of a cost of
# size 1 carries rounding errors of about 1e-10, which are large next to a tiny gradient.
NORM_FLOOR = 1e-4


def relative_error(analytic, numeric):
    """Return ||a - n|| / max(||a|| + ||n||, NORM_FLOOR), or 0 when both are zero."""
    denom = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(analytic - numeric) / max(denom, NORM_FLOOR))


def check_gradient(name, output, analytic, numeric):
    """Raise CheckFailure naming `output` when `analytic` is not the numerical gradient."""
    try:
        value = np.asarray(analytic, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailure(name, output, "is not an array of numbers") from None
    if value.shape != numeric.shape:
        raise CheckFailure(name, output, f"has shape {value.shape}, expected {numeric.shape}")
    error = relative_error(value, numeric)
    if not error < TOLERANCE:
        raise CheckFailure(
            name, output, "disagrees with the centred finite-difference gradient (relative"
            f" error {error:.2e}, tolerance {TOLERANCE:.0e})")
